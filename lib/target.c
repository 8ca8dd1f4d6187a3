/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a user names on the command line, resolved to something that cannot
 * change under us. A process is pinned by two fds taken in an order that
 * proves they are the same process: first its /proc/PID directory (bound to
 * that process: once it exits, reads through the fd fail even when the PID
 * is reused), then a pidfd (for setns() and signals), then a read of its
 * start time through the directory fd; the read succeeding proves the
 * process lived after the pidfd was taken, so both name it. A namespace
 * file is held by an open fd, which keeps the namespace alive.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "engines/engine.h"

struct nsd_target {
	unsigned refcount;
	char *arg;
	enum nsd_target_kind kind;
	char *engine;     /* ENGINE of ENGINE:NAME, or NULL */
	const char *name; /* the container part of arg */
	pid_t pid;        /* the PID given, then the pinned one */
	bool resolved;
	char *procfs;
	int procfd; /* the process's /proc/PID directory */
	int pidfd;  /* its pidfd, when procfs is the caller's own */
	unsigned long long starttime;
	int nsfd;   /* a namespace file target */
	int nstype; /* its type */
	struct nsd_containers *cs;
	struct nsd_container *container;
	struct nsd_container **candidates;
	size_t ncandidates;
};

static bool is_number(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/**
 * nsd_target_new:
 * @arg: what the user named: a PID (digits only); a namespace file (a path,
 *       anything with a '/': /run/netns/NAME, /proc/PID/ns/net); or a
 *       container: its name, full ID or a unique prefix of its ID, of any
 *       engine, or ENGINE:NAME for one engine's
 *
 * Parses @arg; nsd_target_resolve() finds what it names.
 *
 * Returns: a new target with one reference, or NULL with errno EINVAL for
 * an @arg that cannot be a target (empty; a number that is not a PID such
 * as 0, 007 or -1; ENGINE: or :NAME), or ENOMEM.
 */
NSD_EXPORT struct nsd_target *nsd_target_new(const char *arg)
{
	_cleanup_free_ struct nsd_target *t = NULL;
	const char *colon;

	/* A negative number is a PID gone wrong, not a name: no engine's
	 * names start with '-' (a runc ID may: ENGINE:ID still names it). */
	if (!arg || !*arg || (arg[0] == '-' && is_number(arg + 1))) {
		errno = EINVAL;
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	*t = (struct nsd_target){.refcount = 1, .procfd = -EBADF, .pidfd = -EBADF, .nsfd = -EBADF,
				 .nstype = -ENODATA};
	if (strchr(arg, '/')) {
		t->kind = NSD_TARGET_NSFILE;
	} else if (is_number(arg)) {
		t->kind = NSD_TARGET_PID;
		if (nsd_parse_pid(arg, &t->pid) < 0) {
			errno = EINVAL;
			return NULL;
		}
	} else {
		t->kind = NSD_TARGET_CONTAINER;
	}
	t->arg = strdup(arg);
	if (!t->arg)
		return NULL;
	t->name = t->arg;
	colon = strchr(t->arg, ':');
	if (t->kind == NSD_TARGET_CONTAINER && colon) {
		if (colon == t->arg || !colon[1]) {
			free(t->arg);
			errno = EINVAL;
			return NULL;
		}
		t->engine = strndup(t->arg, (size_t)(colon - t->arg));
		if (!t->engine) {
			free(t->arg);
			return NULL;
		}
		t->name = colon + 1;
	}
	return TAKE_PTR(t);
}

/**
 * nsd_target_ref:
 * @t: target
 *
 * Returns: @t, with one more reference.
 */
NSD_EXPORT struct nsd_target *nsd_target_ref(struct nsd_target *t)
{
	if (t)
		t->refcount++;
	return t;
}

/**
 * nsd_target_unref:
 * @t: target or NULL
 *
 * Drops a reference; the last one closes its fds and drops its reference on
 * the container set.
 *
 * Returns: NULL
 */
NSD_EXPORT struct nsd_target *nsd_target_unref(struct nsd_target *t)
{
	if (!t || --t->refcount > 0)
		return NULL;
	closep(&t->procfd);
	closep(&t->pidfd);
	closep(&t->nsfd);
	nsd_containers_unref(t->cs);
	free(t->candidates);
	free(t->procfs);
	free(t->engine);
	free(t->arg);
	free(t);
	return NULL;
}

static bool is_own_procfs(const char *procfs)
{
	return strcmp(procfs, "/proc") == 0;
}

static int read_starttime(int procfd, unsigned long long *ret)
{
	char buf[NSD_STAT_MAX];
	struct nsd_stat st;
	size_t len;
	int r = nsd_read_at(procfd, "stat", buf, sizeof(buf), &len);

	/* Through a /proc/PID fd of a process that is gone: ESRCH or ENOENT. */
	if (r == -ENOENT)
		return -ESRCH;
	if (r < 0)
		return r;
	if (nsd_parse_stat(buf, len, &st) < 0)
		return -EINVAL;
	*ret = st.starttime;
	return 0;
}

/* Pins process @pid of @t->procfs (see the top of the file); with @start
 * not 0 it must have started then. */
static int pin(struct nsd_target *t, pid_t pid, unsigned long long start)
{
	_cleanup_close_ int dirfd = -EBADF, procfd = -EBADF, pidfd = -EBADF;
	char name[16];
	int r;

	dirfd = open(t->procfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	snprintf(name, sizeof(name), "%d", (int)pid);
	procfd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (procfd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	/* A pidfd names a process of the caller's pid namespace: only with
	 * the caller's own procfs is that the process of /proc/PID. Kernels
	 * before 5.3 (and valgrind) have none: the /proc/PID fd and the start
	 * time still pin the process. */
	if (is_own_procfs(t->procfs)) {
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pidfd < 0 && errno != ENOSYS)
			return -errno;
	}
	r = read_starttime(procfd, &t->starttime);
	if (r < 0)
		return r;
	if (start && t->starttime != start)
		return -ESRCH;
	t->pid = pid;
	t->procfd = TAKE_FD(procfd);
	t->pidfd = TAKE_FD(pidfd);
	return 0;
}

static int nstype_of_fd(int fd)
{
	int flag = ioctl(fd, NS_GET_NSTYPE);

	if (flag < 0)
		return -errno;
	for (int type = 0; type < NSD_NS_COUNT; type++)
		if (nsd_nstype_to_clone_flag(type) == flag)
			return type;
	return -EINVAL;
}

/* <procfs>/PID/ns/...: the process is pinned too, so that commands that
 * want one (ps, mounts) have it. Returns 0 when @path is not such a path. */
static int pin_ns_owner(struct nsd_target *t, const char *path)
{
	size_t plen = strlen(t->procfs);
	const char *p = path + plen + 1, *slash;
	char pidtext[16];
	struct stat fst, lst;
	pid_t pid;
	int r;

	if (strncmp(path, t->procfs, plen) != 0 || path[plen] != '/')
		return 0;
	slash = strchr(p, '/');
	if (!slash || (size_t)(slash - p) >= sizeof(pidtext) || strncmp(slash, "/ns/", 4) != 0 ||
	    strchr(slash + 4, '/'))
		return 0;
	memcpy(pidtext, p, (size_t)(slash - p));
	pidtext[slash - p] = '\0';
	if (nsd_parse_pid(pidtext, &pid) < 0)
		return 0;
	r = pin(t, pid, 0);
	if (r < 0)
		return r;
	/* The namespace held must still be the pinned process's. */
	if (fstat(t->nsfd, &fst) < 0 || fstatat(t->procfd, slash + 1, &lst, 0) < 0 ||
	    fst.st_ino != lst.st_ino || fst.st_dev != lst.st_dev)
		return -ESRCH;
	return 0;
}

static int resolve_nsfile(struct nsd_target *t)
{
	struct statfs sfs;
	int r;

	/* The path is the user's own: symlinks (/var/run) are followed. */
	t->nsfd = open(t->arg, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (t->nsfd < 0)
		return -errno;
	if (fstatfs(t->nsfd, &sfs) < 0)
		return -errno;
	if (sfs.f_type != NSFS_MAGIC)
		return -EINVAL;
	r = nstype_of_fd(t->nsfd);
	if (r < 0)
		return r;
	t->nstype = r;
	return pin_ns_owner(t, t->arg);
}

static bool names(const struct nsd_container *c, const char *name)
{
	return strcmp(c->id, name) == 0 || (c->name && strcmp(c->name, name) == 0);
}

static int add_candidate(struct nsd_target *t, struct nsd_container *c)
{
	struct nsd_container **a = reallocarray(t->candidates, t->ncandidates + 1, sizeof(*a));

	if (!a)
		return -ENOMEM;
	t->candidates = a;
	t->candidates[t->ncandidates++] = c;
	return 0;
}

/* The containers @t names: by name or full ID, else by ID prefix; of them,
 * the running ones when there are any. One pass over the containers. */
static int find_candidates(struct nsd_target *t, struct nsd_containers *cs)
{
	size_t len = strlen(t->name), nexact = 0, nprefix = 0, nrunning = 0, n = 0;
	struct nsd_container **list;
	int r;

	for (size_t i = 0; i < cs->n; i++) {
		struct nsd_container *c = cs->all[i];

		if (c->dup_of || (t->engine && strcmp(c->engine->name, t->engine) != 0))
			continue;
		if (names(c, t->name))
			nexact++;
		else if (strncmp(c->id, t->name, len) == 0)
			nprefix++;
		else
			continue;
		r = add_candidate(t, c);
		if (r < 0)
			return r;
	}
	/* Keep the exact matches if any, then of those the running ones if any. */
	list = t->candidates;
	for (size_t i = 0; i < t->ncandidates; i++)
		if (!nexact || names(list[i], t->name))
			list[n++] = list[i];
	t->ncandidates = n;
	for (size_t i = 0; i < n; i++)
		nrunning += list[i]->status == NSD_CONTAINER_RUNNING;
	if (nrunning) {
		n = 0;
		for (size_t i = 0; i < t->ncandidates; i++)
			if (list[i]->status == NSD_CONTAINER_RUNNING)
				list[n++] = list[i];
		t->ncandidates = n;
	}
	return nexact + nprefix > 0 ? 0 : -ENOENT;
}

static int resolve_container(struct nsd_target *t, struct nsd_containers *cs)
{
	struct nsd_container *c;
	int r;

	if (!cs || !cs->scanned)
		return -EINVAL;
	if (t->engine && nsd_engine_from_name(t->engine) < 0)
		return -ENXIO;
	t->cs = nsd_containers_ref(cs);
	r = find_candidates(t, cs);
	if (r < 0)
		return r;
	if (t->ncandidates > 1)
		return -ENOTUNIQ;
	c = t->container = t->candidates[0];
	if (c->status != NSD_CONTAINER_RUNNING)
		return -ESRCH;
	/* Its init as the walk saw it: a PID recycled since is refused. */
	return pin(t, c->proc->pid, c->proc->starttime);
}

/**
 * nsd_target_resolve:
 * @t: target, not resolved yet
 * @cs: the host's containers, scanned; needed for a container target. Its
 *      graph's procfs is the one PIDs are looked up in; without @cs, /proc
 *
 * Finds what @t names and pins it. A process is held by an fd of its
 * /proc/PID and, with the caller's own /proc, a pidfd; a namespace file by
 * an fd of the file (and its process too for a path PROCFS/PID/ns/TYPE). A
 * container resolves to its init, which must still be the process the walk
 * saw.
 *
 * Returns: 0; -ESRCH when the process does not exist (any more), or the
 * container is not running (nsd_target_get_container() tells which); -ENOENT
 * when no container or file has that name; -ENOTUNIQ when the name or ID
 * prefix fits several containers (nsd_target_next_candidate() lists them);
 * -ENXIO for an unknown ENGINE: prefix; -EINVAL for a file that is not a
 * namespace file, or a container target without a scanned @cs; -EALREADY
 * when resolved before; or -errno (-EACCES, -EPERM).
 */
NSD_EXPORT int nsd_target_resolve(struct nsd_target *t, struct nsd_containers *cs)
{
	const char *procfs = cs ? cs->graph->procfs : "/proc";

	if (t->resolved)
		return -EALREADY;
	t->resolved = true;
	t->procfs = strdup(procfs);
	if (!t->procfs)
		return -ENOMEM;
	switch (t->kind) {
	case NSD_TARGET_PID:
		return pin(t, t->pid, 0);
	case NSD_TARGET_NSFILE:
		return resolve_nsfile(t);
	case NSD_TARGET_CONTAINER:
		return resolve_container(t, cs);
	}
	return -EINVAL;
}

/**
 * nsd_target_check:
 * @t: resolved target
 *
 * Checks that the pinned process is still alive and the same process; call
 * it after opening what the target gives and before acting on it.
 *
 * Returns: 0; -ESRCH when the process has exited (its PID may name another
 * process now); -ENODATA for a namespace file target without a process
 * (the fd keeps the namespace alive: always valid).
 */
NSD_EXPORT int nsd_target_check(const struct nsd_target *t)
{
	struct pollfd pfd = {.fd = t->pidfd, .events = POLLIN};
	unsigned long long start;
	int r;

	if (t->procfd < 0)
		return -ENODATA;
	/* A pidfd polls readable once its process has exited. */
	if (t->pidfd >= 0 && poll(&pfd, 1, 0) != 0)
		return -ESRCH;
	r = read_starttime(t->procfd, &start);
	if (r < 0)
		return r;
	return start == t->starttime ? 0 : -ESRCH;
}

/**
 * nsd_target_get_arg:
 * @t: target
 *
 * Returns: the argument it was made from, for messages.
 */
NSD_EXPORT const char *nsd_target_get_arg(const struct nsd_target *t)
{
	return t->arg;
}

/**
 * nsd_target_get_kind:
 * @t: target
 *
 * Returns: the form of its argument.
 */
NSD_EXPORT enum nsd_target_kind nsd_target_get_kind(const struct nsd_target *t)
{
	return t->kind;
}

/**
 * nsd_target_get_engine:
 * @t: target
 *
 * Returns: the ENGINE of an ENGINE:NAME argument, or NULL.
 */
NSD_EXPORT const char *nsd_target_get_engine(const struct nsd_target *t)
{
	return t->engine;
}

/**
 * nsd_target_get_procfs:
 * @t: resolved target
 *
 * Returns: the procfs its process was found in, or NULL before resolving.
 */
NSD_EXPORT const char *nsd_target_get_procfs(const struct nsd_target *t)
{
	return t->procfs;
}

/**
 * nsd_target_get_pid:
 * @t: target
 *
 * Returns: the PID of its process, once pinned (for a PID argument, the PID
 * given even before); 0 when it has none (a namespace file).
 */
NSD_EXPORT pid_t nsd_target_get_pid(const struct nsd_target *t)
{
	return t->procfd >= 0 || t->kind == NSD_TARGET_PID ? t->pid : 0;
}

/**
 * nsd_target_get_starttime:
 * @t: resolved target
 *
 * Returns: the start time of its process (field 22 of /proc/PID/stat), or 0.
 */
NSD_EXPORT unsigned long long nsd_target_get_starttime(const struct nsd_target *t)
{
	return t->procfd >= 0 ? t->starttime : 0;
}

/**
 * nsd_target_get_pidfd:
 * @t: resolved target
 *
 * Returns: the pidfd of its process (borrowed: closed with the target), for
 * setns(2) and pidfd_send_signal(2); -ENODATA when it has none: a namespace
 * file, or a procfs other than /proc (whose PIDs a pidfd cannot name).
 */
NSD_EXPORT int nsd_target_get_pidfd(const struct nsd_target *t)
{
	return t->pidfd >= 0 ? t->pidfd : -ENODATA;
}

/**
 * nsd_target_get_procfd:
 * @t: resolved target
 *
 * Returns: an O_PATH fd of its process's /proc/PID directory (borrowed), to
 * open its files with openat(2): they fail once the process is gone, even
 * when the PID is reused; -ENODATA when it has no process.
 */
NSD_EXPORT int nsd_target_get_procfd(const struct nsd_target *t)
{
	return t->procfd >= 0 ? t->procfd : -ENODATA;
}

/**
 * nsd_target_get_nstype:
 * @t: resolved target
 *
 * Returns: the type of a namespace file target, or -ENODATA for other targets.
 */
NSD_EXPORT int nsd_target_get_nstype(const struct nsd_target *t)
{
	return t->nstype;
}

/**
 * nsd_target_open_ns:
 * @t: resolved target
 * @type: namespace type
 *
 * Opens its namespace of @type, for setns(2): the namespace file itself for
 * a namespace file target of that type, else its process's. The process is
 * checked after the open, so the fd is of the pinned process.
 *
 * Returns: a new fd (O_CLOEXEC; close it), -ENOENT when it has no namespace
 * of @type (a namespace file of another type without a process), -ESRCH
 * when the process is gone, or -errno.
 */
NSD_EXPORT int nsd_target_open_ns(const struct nsd_target *t, enum nsd_nstype type)
{
	_cleanup_close_ int fd = -EBADF;
	const char *link = nsd_nstype_path(type);
	int r;

	if (!link)
		return -EINVAL;
	if (t->nsfd >= 0 && t->nstype == (int)type) {
		fd = fcntl(t->nsfd, F_DUPFD_CLOEXEC, 3);
		return fd < 0 ? -errno : TAKE_FD(fd);
	}
	if (t->procfd < 0)
		return -ENOENT;
	fd = openat(t->procfd, link, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT && nsd_target_check(t) < 0 ? -ESRCH : -errno;
	r = nsd_target_check(t);
	if (r < 0)
		return r;
	return TAKE_FD(fd);
}

/**
 * nsd_target_get_nspid:
 * @t: resolved target
 * @ret: the PID of its process in the process's own pid namespace (1 for a
 *       container's init)
 *
 * Returns: 0; -ENOENT for a target without a process; -ESRCH when the
 * process exited; or the -errno of reading its status.
 */
NSD_EXPORT int nsd_target_get_nspid(const struct nsd_target *t, pid_t *ret)
{
	char buf[NSD_STATUS_MAX];
	struct nsd_status st = {0};
	size_t len;
	int r;

	if (t->procfd < 0)
		return -ENOENT;
	r = nsd_read_at(t->procfd, "status", buf, sizeof(buf), &len);
	if (r == 0)
		r = nsd_parse_status(buf, len, &st);
	if (r == 0 && (!(st.have & NSD_STATUS_HAVE_NSPID) || st.nnspid == 0))
		r = -ENODATA;
	if (r == 0)
		r = nsd_target_check(t);
	if (r < 0)
		return r;
	*ret = st.nspid[st.nnspid - 1];
	return 0;
}

/**
 * nsd_target_get_container:
 * @t: resolved target
 *
 * Returns: the container a container target named (also when it is not
 * running, after nsd_target_resolve() returned -ESRCH), or NULL; valid as
 * long as the target.
 */
NSD_EXPORT struct nsd_container *nsd_target_get_container(const struct nsd_target *t)
{
	return t->container;
}

/**
 * nsd_target_next_candidate:
 * @t: target whose nsd_target_resolve() returned -ENOTUNIQ
 * @itr: iterator
 * @c: returns the next container the argument fits
 *
 * Returns: 0, or 1 at the end.
 */
NSD_EXPORT int nsd_target_next_candidate(struct nsd_target *t, struct nsd_iter *itr,
					 struct nsd_container **c)
{
	nsd_iter_start(itr, t->candidates);
	if (t->ncandidates < 2 || itr->idx >= t->ncandidates)
		return 1;
	*c = t->candidates[itr->idx++];
	return 0;
}
