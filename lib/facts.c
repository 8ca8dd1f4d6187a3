/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Facts about one process beyond what the walk reads, for ps, inspect and
 * audit: its status (IDs, pid namespace PIDs, capabilities, seccomp), its
 * executable, its start time, how its user namespace maps IDs, and files of
 * its root filesystem. Each is read on first use through /proc/PID, and kept
 * only when the process still has the start time the walk saw: a PID reused
 * since does not lend its facts.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nsdebug-private.h"

#define ID_MAP_MAX 4096 /* 340 lines at most, of a few bytes each */

/* An O_PATH fd of /proc/PID of @p, or -errno (-ESRCH when it exited). */
int nsd_proc_open_dir(const struct nsd_proc *p)
{
	char name[16];
	int fd;

	snprintf(name, sizeof(name), "%d", (int)p->pid);
	fd = openat(p->graph->procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	return fd;
}

/* True when /proc/PID behind @dirfd is still the process the walk saw. */
bool nsd_proc_is_same(const struct nsd_proc *p, int dirfd)
{
	char buf[NSD_STAT_MAX];
	struct nsd_stat st;
	size_t len;

	return nsd_read_at(dirfd, "stat", buf, sizeof(buf), &len) == 0 &&
	       nsd_parse_stat(buf, len, &st) == 0 && st.starttime == p->starttime;
}

/* Reads the status of @p once. Returns 0 or the -errno that keeps failing. */
static int read_status(struct nsd_proc *p)
{
	_cleanup_close_ int dirfd = -EBADF;
	_cleanup_free_ struct nsd_status *st = NULL;
	char buf[NSD_STATUS_MAX];
	size_t len;
	int r;

	if (p->status || p->status_error)
		return p->status_error;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	dirfd = nsd_proc_open_dir(p);
	r = dirfd < 0 ? dirfd : nsd_read_at(dirfd, "status", buf, sizeof(buf), &len);
	if (r == 0)
		r = nsd_parse_status(buf, len, st);
	if (r == 0 && !nsd_proc_is_same(p, dirfd))
		r = -ESRCH;
	if (r < 0)
		return p->status_error = r;
	p->status = TAKE_PTR(st);
	return 0;
}

/**
 * nsd_proc_get_state:
 * @proc: process
 *
 * Returns: its state letter as the walk saw it (R, S, D, Z, T...; proc(5)).
 */
NSD_EXPORT char nsd_proc_get_state(const struct nsd_proc *proc)
{
	return proc->state;
}

/**
 * nsd_proc_get_nspid:
 * @proc: process
 * @level: pid namespace level: 0 is that of the graph's procfs, 1 the one
 *         below it that the process is in, and so on
 * @ret: its PID at @level
 *
 * The PIDs come from the NSpid line of /proc/PID/status.
 *
 * Returns: 0; -ERANGE when the process is not that deep (its pid namespace
 * is above that level); or the -errno of reading its status (-ESRCH when it
 * exited).
 */
NSD_EXPORT int nsd_proc_get_nspid(struct nsd_proc *proc, unsigned level, pid_t *ret)
{
	int r = read_status(proc);

	if (r < 0)
		return r;
	if (!(proc->status->have & NSD_STATUS_HAVE_NSPID) || level >= proc->status->nnspid)
		return -ERANGE;
	*ret = proc->status->nspid[level];
	return 0;
}

/**
 * nsd_proc_get_pidns_level:
 * @proc: process
 *
 * Returns: the level of its pid namespace below the graph's procfs's (0:
 * the same), or a negative errno as for nsd_proc_get_nspid().
 */
NSD_EXPORT int nsd_proc_get_pidns_level(struct nsd_proc *proc)
{
	int r = read_status(proc);

	if (r < 0)
		return r;
	if (!(proc->status->have & NSD_STATUS_HAVE_NSPID))
		return -ENODATA;
	return (int)proc->status->nnspid - 1;
}

/**
 * nsd_proc_get_ids:
 * @proc: process
 * @ret_uid: its real, effective, saved and filesystem UIDs, or NULL
 * @ret_gid: the same GIDs, or NULL
 *
 * Returns: 0, or a negative errno as for nsd_proc_get_nspid().
 */
NSD_EXPORT int nsd_proc_get_ids(struct nsd_proc *proc, uid_t ret_uid[4], gid_t ret_gid[4])
{
	int r = read_status(proc);

	if (r < 0)
		return r;
	if ((proc->status->have & (NSD_STATUS_HAVE_UID | NSD_STATUS_HAVE_GID)) !=
	    (NSD_STATUS_HAVE_UID | NSD_STATUS_HAVE_GID))
		return -ENODATA;
	if (ret_uid)
		memcpy(ret_uid, proc->status->uid, sizeof(proc->status->uid));
	if (ret_gid)
		memcpy(ret_gid, proc->status->gid, sizeof(proc->status->gid));
	return 0;
}

/**
 * nsd_proc_get_caps:
 * @proc: process
 * @set: NSD_CAPS_INHERITABLE, _PERMITTED, _EFFECTIVE, _BOUNDING or _AMBIENT
 * @ret: the set, bit N for capability N (capabilities(7))
 *
 * Returns: 0, -EINVAL for an unknown set, or a negative errno as for
 * nsd_proc_get_nspid().
 */
NSD_EXPORT int nsd_proc_get_caps(struct nsd_proc *proc, enum nsd_caps set, uint64_t *ret)
{
	int r;

	if ((unsigned)set >= NSD_CAPS_COUNT)
		return -EINVAL;
	r = read_status(proc);
	if (r < 0)
		return r;
	if (!(proc->status->have & NSD_STATUS_HAVE_CAPS))
		return -ENODATA;
	*ret = proc->status->cap[set];
	return 0;
}

/**
 * nsd_proc_get_security:
 * @proc: process
 * @ret_no_new_privs: 1 when it has the no_new_privs flag, or NULL
 * @ret_seccomp: its seccomp mode (0 off, 1 strict, 2 filter), or NULL
 *
 * Returns: 0; -ENODATA when the kernel does not tell; or a negative errno as
 * for nsd_proc_get_nspid().
 */
NSD_EXPORT int nsd_proc_get_security(struct nsd_proc *proc, int *ret_no_new_privs,
				     int *ret_seccomp)
{
	int r = read_status(proc);

	if (r < 0)
		return r;
	if (proc->status->no_new_privs < 0 || proc->status->seccomp < 0)
		return -ENODATA;
	if (ret_no_new_privs)
		*ret_no_new_privs = proc->status->no_new_privs;
	if (ret_seccomp)
		*ret_seccomp = proc->status->seccomp;
	return 0;
}

/**
 * nsd_proc_get_exe:
 * @proc: process
 *
 * The target of /proc/PID/exe, the executable it runs: a path of its mount
 * namespace, with " (deleted)" after it when the file was removed, or
 * "/memfd:NAME (deleted)" for a program run from memory.
 *
 * Returns: the path, or NULL when it cannot be read (kernel threads,
 * zombies, processes gone or not readable); errno says why.
 */
NSD_EXPORT const char *nsd_proc_get_exe(struct nsd_proc *proc)
{
	_cleanup_close_ int dirfd = -EBADF;

	if (proc->exe || proc->exe_error) {
		errno = -proc->exe_error;
		return proc->exe;
	}
	dirfd = nsd_proc_open_dir(proc);
	if (dirfd < 0) {
		proc->exe_error = dirfd;
	} else {
		char buf[4096 + 32];
		ssize_t n = readlinkat(dirfd, "exe", buf, sizeof(buf) - 1);

		if (n < 0)
			proc->exe_error = -errno;
		else if (!nsd_proc_is_same(proc, dirfd))
			proc->exe_error = -ESRCH;
		else if (!(proc->exe = strndup(buf, (size_t)n)))
			proc->exe_error = -ENOMEM;
	}
	errno = -proc->exe_error;
	return proc->exe;
}

/**
 * nsd_proc_is_exe_deleted:
 * @proc: process
 *
 * Returns: true when its executable was removed from the filesystem, or was
 * never in one (memfd): a process whose program cannot be found on disk.
 */
NSD_EXPORT bool nsd_proc_is_exe_deleted(struct nsd_proc *proc)
{
	const char *exe = nsd_proc_get_exe(proc);
	size_t len = exe ? strlen(exe) : 0;

	return len > 10 && strcmp(exe + len - 10, " (deleted)") == 0;
}

/**
 * nsd_proc_is_exe_memfd:
 * @proc: process
 *
 * Returns: true when it runs a program from a memfd (memfd_create(2)), never
 * written to any filesystem.
 */
NSD_EXPORT bool nsd_proc_is_exe_memfd(struct nsd_proc *proc)
{
	const char *exe = nsd_proc_get_exe(proc);

	return exe && strncmp(exe, "/memfd:", 7) == 0;
}

/**
 * nsd_proc_get_start_time:
 * @proc: process
 * @ret: when it started, in seconds since the epoch
 *
 * From its start time in clock ticks and the boot time of the procfs's
 * stat (btime).
 *
 * Returns: 0, or the -errno of reading the boot time.
 */
NSD_EXPORT int nsd_proc_get_start_time(const struct nsd_proc *proc, time_t *ret)
{
	struct nsd_graph *g = proc->graph;
	long hz = sysconf(_SC_CLK_TCK);

	if (!g->btime) {
		_cleanup_free_ char *buf = NULL;
		const char *line;
		size_t len;
		unsigned long long v;
		int r = nsd_read_alloc_at(g->procfd, "stat", (size_t)1 << 20, &buf, &len);

		if (r < 0)
			return r;
		line = strstr(buf, "\nbtime ");
		if (!line || sscanf(line, "\nbtime %llu", &v) != 1 || v == 0)
			return -ENODATA;
		g->btime = (time_t)v;
	}
	*ret = g->btime + (time_t)(proc->starttime / (unsigned long long)(hz > 0 ? hz : 100));
	return 0;
}

/* Reads a small file of /proc/PID of @p, checked to be still that process's. */
static int read_proc_file(const struct nsd_proc *p, const char *name, char *buf, size_t size,
			  size_t *ret_len)
{
	_cleanup_close_ int dirfd = nsd_proc_open_dir(p);
	int r;

	if (dirfd < 0)
		return dirfd;
	r = nsd_read_at(dirfd, name, buf, size, ret_len);
	if (r == 0 && !nsd_proc_is_same(p, dirfd))
		r = -ESRCH;
	return r;
}

/**
 * nsd_proc_map_id:
 * @proc: process
 * @gid: map a GID (gid_map) rather than a UID (uid_map)
 * @id: an ID of the graph's procfs's user namespace (a host UID)
 * @ret: the ID it has in the user namespace of @proc
 *
 * Returns: 0; -ERANGE when the user namespace does not map @id (it shows as
 * the overflow ID, 65534); or the -errno of reading the map.
 */
NSD_EXPORT int nsd_proc_map_id(const struct nsd_proc *proc, bool gid, uint32_t id, uint32_t *ret)
{
	char buf[ID_MAP_MAX];
	size_t len;
	int r = read_proc_file(proc, gid ? "gid_map" : "uid_map", buf, sizeof(buf), &len);

	return r < 0 ? r : nsd_parse_id_map(buf, len, id, ret);
}

/**
 * nsd_proc_open_in_root:
 * @proc: process
 * @path: a path in its root filesystem (as it sees "/")
 * @flags: open(2) flags (O_CLOEXEC is added)
 *
 * Opens @path with RESOLVE_IN_ROOT relative to /proc/PID/root: "..", absolute
 * symlinks and absolute paths all stay inside the process's root, whatever
 * the container planted there, and no /proc magic link is followed.
 *
 * Returns: an fd, or -errno.
 */
NSD_EXPORT int nsd_proc_open_in_root(const struct nsd_proc *proc, const char *path, int flags)
{
	_cleanup_close_ int dirfd = nsd_proc_open_dir(proc), rootfd = -EBADF;

	if (dirfd < 0)
		return dirfd;
	rootfd = openat(dirfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	if (!nsd_proc_is_same(proc, dirfd))
		return -ESRCH;
	return nsd_openat2(rootfd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

/* The kernel allows 340 lines in a map. */
#define ID_RANGES_MAX 340

/**
 * nsd_proc_get_id_map:
 * @proc: process
 * @gid: the gid_map rather than the uid_map
 * @ret: the ranges of its user namespace's map, free with free()
 * @ret_n: how many
 *
 * Each range maps IDs [outside, outside + count) of the parent user
 * namespace (the host's, for a container) to [inside, inside + count). A
 * process in the host's user namespace has the identity map "0 0
 * 4294967295"; a new user namespace has no ranges until they are written.
 *
 * Returns: 0; -EINVAL for a map that is not the kernel's; or the -errno of
 * reading it (-ESRCH when the process exited).
 */
NSD_EXPORT int nsd_proc_get_id_map(struct nsd_proc *proc, bool gid, struct nsd_id_range **ret,
				   size_t *ret_n)
{
	struct nsd_id_range ranges[ID_RANGES_MAX];
	char buf[ID_MAP_MAX];
	size_t len;
	int r = read_proc_file(proc, gid ? "gid_map" : "uid_map", buf, sizeof(buf), &len);

	if (r < 0)
		return r;
	r = nsd_parse_id_ranges(buf, len, ranges, ID_RANGES_MAX);
	if (r < 0)
		return r;
	*ret = malloc(r ? (size_t)r * sizeof(*ranges) : 1);
	if (!*ret)
		return -ENOMEM;
	memcpy(*ret, ranges, (size_t)r * sizeof(*ranges));
	*ret_n = (size_t)r;
	return 0;
}

/**
 * nsd_proc_get_lsm_label:
 * @proc: process
 * @ret: its label, free with free()
 *
 * The security label of the process in the Linux security module that
 * labels processes (attr/current): an AppArmor profile and its mode
 * ("docker-default (enforce)", "unconfined"), or an SELinux context.
 *
 * Returns: 0; -ENODATA when no such module is active; or the -errno of
 * reading it.
 */
NSD_EXPORT int nsd_proc_get_lsm_label(struct nsd_proc *proc, char **ret)
{
	char buf[4096];
	size_t len;
	int r = read_proc_file(proc, "attr/current", buf, sizeof(buf), &len);

	/* Without a module that labels processes the file refuses reads. */
	if (r == -EINVAL || r == -ENOENT)
		return -ENODATA;
	return r < 0 ? r : nsd_parse_lsm_label(buf, len, ret);
}

#define PASSWD_MAX ((size_t)4 << 20)

/**
 * nsd_proc_get_user_name:
 * @proc: process
 * @uid: a UID of its user namespace
 * @ret: the name, free with free()
 *
 * The name that /etc/passwd of the root filesystem of @proc gives @uid, as
 * a process there would see it; the file is read once (RESOLVE_IN_ROOT, at
 * most 4 MiB) and may hold anything.
 *
 * Returns: 0; -ENOENT when no line gives @uid a name; or the -errno of
 * reading the file.
 */
NSD_EXPORT int nsd_proc_get_user_name(struct nsd_proc *proc, uid_t uid, char **ret)
{
	if (!proc->passwd && !proc->passwd_error) {
		_cleanup_close_ int fd = nsd_proc_open_in_root(proc, "/etc/passwd", O_RDONLY);
		int r = fd < 0 ? fd : nsd_read_alloc_fd(fd, PASSWD_MAX, &proc->passwd, &proc->passwd_len);

		if (r < 0)
			proc->passwd_error = r;
	}
	if (proc->passwd_error)
		return proc->passwd_error;
	return nsd_parse_passwd_name(proc->passwd, proc->passwd_len, uid, ret);
}
