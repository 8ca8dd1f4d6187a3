/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Namespaces held by nsfs bind mounts (ip netns add, docker's /run/docker/netns),
 * in every mount namespace the walk found, not only the caller's: a
 * namespace mounted only inside a container's private mount namespace is
 * found too. One mountinfo per mount namespace, read through a process in it,
 * its nsfs lines parsed with libmount; linear in mount namespaces times their
 * mounts.
 */
#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
#include <stdio.h>
#include <string.h>

#include "nsdebug-private.h"

DEFINE_CLEANUP_FUNC(struct libmnt_table, mnt_unref_table)
DEFINE_CLEANUP_FUNC(struct libmnt_iter, mnt_free_iter)
DEFINE_CLEANUP_FUNC(FILE, fclose)

/* A line libmount cannot parse is skipped, not the whole mount namespace. */
static int skip_bad_line(struct libmnt_table *tb, const char *filename, int line)
{
	return 1;
}

/* Records the nsfs mounts of @tb, read through @p, as holders. Returns 0 or -ENOMEM. */
static int add_mounts(struct nsd_graph *g, struct nsd_ns *mntns, struct nsd_proc *p,
		      struct libmnt_table *tb)
{
	_cleanup_(mnt_free_iterp) struct libmnt_iter *itr = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;

	if (!itr)
		return -ENOMEM;
	while (mnt_table_next_fs(tb, itr, &fs) == 0) {
		const char *fstype = mnt_fs_get_fstype(fs), *root = mnt_fs_get_root(fs);
		const char *target = mnt_fs_get_target(fs);
		enum nsd_nstype type;
		struct nsd_holder *h;
		struct nsd_ns *ns;
		ino_t ino;

		/* The root of an nsfs mount is the namespace, "net:[4026532177]". */
		if (!fstype || strcmp(fstype, "nsfs") != 0 || !root || !target ||
		    nsd_parse_ns_link_any(root, strlen(root), &type, &ino) < 0)
			continue;
		ns = nsd_graph_add_ns(g, type, ino);
		if (!ns) {
			if (errno == ENOMEM)
				return -ENOMEM;
			continue;
		}
		h = nsd_ns_add_holder(ns, NSD_HOLDER_MOUNT, p);
		if (!h)
			return -ENOMEM;
		h->mntns = mntns;
		h->mountpoint = strdup(target);
		if (!h->mountpoint)
			return -ENOMEM;
	}
	return 0;
}

/* A mountinfo of thousands of mounts is some 100 bytes each; beyond this it is cut. */
#define MOUNTINFO_MAX ((size_t)64 << 20)

/*
 * Keeps the lines of nsfs mounts of the @len bytes of mountinfo in @buf, in
 * place. Returns their length. A mount point or source cannot hold " - nsfs "
 * literally: the kernel escapes spaces there as \040.
 */
static size_t keep_nsfs_lines(char *buf, size_t len)
{
	size_t out = 0;

	for (size_t pos = 0; pos < len;) {
		char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) + 1 : len;

		if (memmem(buf + pos, end - pos, " - nsfs ", 8)) {
			memmove(buf + out, buf + pos, end - pos);
			out += end - pos;
		}
		pos = end;
	}
	return out;
}

/*
 * Reads the mountinfo of @mntns through member @p. libmount parses only its
 * nsfs lines: a mount namespace has tens to thousands of mounts, and most
 * have no nsfs mount at all. Returns 0, 1 when it could not (@p exited, or
 * is no longer in @mntns), or -ENOMEM.
 */
static int read_mountinfo(struct nsd_graph *g, struct nsd_ns *mntns, struct nsd_proc *p)
{
	_cleanup_close_ int pidfd = -EBADF;
	_cleanup_(mnt_unref_tablep) struct libmnt_table *tb = NULL;
	_cleanup_(fclosep) FILE *f = NULL;
	_cleanup_free_ char *buf = NULL;
	char name[16];
	size_t len;
	ino_t ino;
	int r;

	snprintf(name, sizeof(name), "%d", (int)p->pid);
	pidfd = openat(g->procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (pidfd < 0)
		return 1;
	r = nsd_read_alloc_at(pidfd, "mountinfo", MOUNTINFO_MAX, &buf, &len);
	if (r == -ENOMEM)
		return r;
	/* The file shows the mount namespace of its opening; checked after it,
	 * a PID reused by a process of another namespace is not believed. */
	if (r < 0 || nsd_read_ns_link_at(pidfd, "ns/mnt", NSD_NS_MNT, &ino) < 0 ||
	    ino != mntns->inode)
		return 1;
	len = keep_nsfs_lines(buf, len);
	if (len == 0)
		return 0;
	f = fmemopen(buf, len, "r");
	tb = mnt_new_table();
	if (!f || !tb)
		return -ENOMEM;
	mnt_table_set_parser_errcb(tb, skip_bad_line);
	if (mnt_table_parse_stream(tb, f, name) < 0)
		return 1;
	return add_mounts(g, mntns, p, tb);
}

int nsd_graph_scan_mounts(struct nsd_graph *g)
{
	/* Mount namespaces held only by mounts have no process to read them
	 * through: those added here are not visited, hence the bound. */
	size_t n = g->nnss;

	for (size_t i = 0; i < n; i++) {
		struct nsd_ns *ns = g->nss[i];

		if (ns->type != NSD_NS_MNT)
			continue;
		/* The first member still in it; members are in PID order. */
		for (struct nsd_proc *p = ns->first; p; p = p->next_member[NSD_NS_MNT]) {
			int r = read_mountinfo(g, ns, p);

			if (r < 0)
				return r;
			if (r == 0)
				break;
		}
	}
	return 0;
}
