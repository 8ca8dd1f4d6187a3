/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Name a process's network namespace the way ip-netns(8) does: a bind mount
 * of its ns/net on an empty file in /run/netns. Docker keeps its namespaces
 * elsewhere, so "ip netns exec" cannot see them until they are linked here.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsdebug-private.h"

static bool is_valid_name(const char *name)
{
	return name[0] != '\0' && !strchr(name, '/') && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0 && strlen(name) <= NAME_MAX;
}

/*
 * Makes @dir a shared mount point, as iproute2 does, so that a later unmount
 * of a name in one mount namespace reaches every copy of it and the
 * namespace can be freed.
 */
static int make_shared_dir(const char *dir)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (mount("", dir, "none", MS_SHARED | MS_REC, NULL) == 0)
		return 0;
	/* EINVAL: not a mount point yet; bind it onto itself to make it one. */
	if (errno != EINVAL || mount(dir, dir, "none", MS_BIND | MS_REC, NULL) < 0)
		return -errno;
	if (mount("", dir, "none", MS_SHARED | MS_REC, NULL) < 0)
		return -errno;
	return 0;
}

/**
 * nsd_netns_link:
 * @target: a resolved target: a pinned process or a net namespace file
 * @dir: directory of named namespaces, NULL for /run/netns
 * @name: the name to give, a file name
 *
 * Binds the target's network namespace on @dir/@name.
 *
 * Returns: 0; -EINVAL for a bad name, -EEXIST when the name is taken, -ESRCH
 * when the target exited, -ENOENT when it has no net namespace (a namespace
 * file of another type), or another negative errno.
 */
NSD_EXPORT int nsd_netns_link(const struct nsd_target *target, const char *dir, const char *name)
{
	_cleanup_close_ int nsfd = -EBADF, fd = -EBADF;
	_cleanup_free_ char *file = NULL;
	char src[32];
	int r;

	if (!is_valid_name(name))
		return -EINVAL;
	dir = dir ? dir : "/run/netns";
	if (asprintf(&file, "%s/%s", dir, name) < 0)
		return -ENOMEM;
	r = make_shared_dir(dir);
	if (r < 0)
		return r;
	/* Checked to be the pinned process's, or the namespace file itself. */
	nsfd = nsd_target_open_ns(target, NSD_NS_NET);
	if (nsfd < 0)
		return nsfd;
	fd = open(file, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(src, sizeof(src), "/proc/self/fd/%d", nsfd);
	if (mount(src, file, "none", MS_BIND, NULL) < 0) {
		r = -errno;
		unlink(file);
		return r;
	}
	return 0;
}

/**
 * nsd_netns_unlink:
 * @dir: directory of named namespaces, NULL for /run/netns
 * @name: a name given with nsd_netns_link() or ip-netns(8)
 *
 * Unmounts and removes @dir/@name; the namespace lives on while anything
 * else holds it.
 *
 * Returns: 0; -EINVAL for a bad name, -ENOENT when there is no such name, or
 * another negative errno.
 */
NSD_EXPORT int nsd_netns_unlink(const char *dir, const char *name)
{
	_cleanup_free_ char *file = NULL;

	if (!is_valid_name(name))
		return -EINVAL;
	if (asprintf(&file, "%s/%s", dir ? dir : "/run/netns", name) < 0)
		return -ENOMEM;
	/* EINVAL: not mounted (a name left half-made); the file still goes. */
	if (umount2(file, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL)
		return -errno;
	if (unlink(file) < 0)
		return -errno;
	return 0;
}
