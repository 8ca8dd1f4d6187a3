/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Holders: why a namespace is alive beyond its member processes (DESIGN.md,
 * "Core objects"), and opening a namespace through any of them. Members are
 * not stored as holders: the walk links them into the namespace already, and
 * an object per process and type would cost every walk, so the iterator
 * presents them as holders on the fly.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "nsdebug-private.h"

static const char *const kind_names[NSD_HOLDER_COUNT] = {
	[NSD_HOLDER_PROCESS] = "process", [NSD_HOLDER_FOR_CHILDREN] = "for-children",
	[NSD_HOLDER_THREAD] = "thread",   [NSD_HOLDER_FD] = "fd",
	[NSD_HOLDER_MOUNT] = "mount",     [NSD_HOLDER_GHOST] = "ghost",
};

struct nsd_holder *nsd_ns_add_holder(struct nsd_ns *ns, enum nsd_holder_kind kind,
				     struct nsd_proc *proc)
{
	struct nsd_holder *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->kind = kind;
	h->ns = ns;
	h->proc = proc;
	h->fd = -1;
	if (ns->holders_last)
		ns->holders_last->next = h;
	else
		ns->holders = h;
	ns->holders_last = h;
	ns->holder_kinds |= 1u << kind;
	if (proc && kind != NSD_HOLDER_MOUNT &&
	    (!ns->lowest_holder || proc->pid < ns->lowest_holder->pid))
		ns->lowest_holder = proc;
	return h;
}

void nsd_ns_free_holders(struct nsd_ns *ns)
{
	struct nsd_holder *h = ns->holders;

	while (h) {
		struct nsd_holder *next = h->next;

		free(h->mountpoint);
		free(h);
		h = next;
	}
}

/**
 * nsd_ns_next_holder:
 * @ns: namespace
 * @itr: iterator
 * @holder: returns the next holder: first the member processes in the order
 *          of the walk, then the others in the order they were found
 *
 * The holder of a member process belongs to @itr and is valid until the next
 * call with it; the others belong to the graph.
 *
 * Returns: 0, or 1 at the end.
 */
NSD_EXPORT int nsd_ns_next_holder(struct nsd_ns *ns, struct nsd_iter *itr,
				  struct nsd_holder **holder)
{
	/* &ns->holders, not ns: nsd_ns_next_proc() walks ns with its own state. */
	if (nsd_iter_start(itr, &ns->holders))
		itr->cur = ns->first;
	if (itr->idx == 0) {
		struct nsd_proc *p = itr->cur;

		if (p) {
			itr->member = (struct nsd_holder){
				.kind = NSD_HOLDER_PROCESS, .ns = ns, .proc = p, .fd = -1};
			itr->cur = p->next_member[ns->type];
			*holder = &itr->member;
			return 0;
		}
		itr->idx = 1;
		itr->cur = ns->holders;
	}
	if (!itr->cur)
		return 1;
	*holder = itr->cur;
	itr->cur = (*holder)->next;
	return 0;
}

/**
 * nsd_ns_get_holder_kinds:
 * @ns: namespace
 *
 * Returns: the kinds of holders the scan found, a bit 1 << NSD_HOLDER_* each.
 */
NSD_EXPORT unsigned nsd_ns_get_holder_kinds(const struct nsd_ns *ns)
{
	return ns->holder_kinds | (ns->nprocs ? 1u << NSD_HOLDER_PROCESS : 0);
}

/**
 * nsd_holder_kind_to_name:
 * @kind: holder kind
 *
 * Returns: "process", "for-children", "thread", "fd", "mount" or "ghost";
 * NULL for an invalid kind.
 */
NSD_EXPORT const char *nsd_holder_kind_to_name(enum nsd_holder_kind kind)
{
	if ((unsigned)kind >= NSD_HOLDER_COUNT)
		return NULL;
	return kind_names[kind];
}

/**
 * nsd_holder_get_kind:
 * @holder: holder
 *
 * Returns: its kind.
 */
NSD_EXPORT enum nsd_holder_kind nsd_holder_get_kind(const struct nsd_holder *holder)
{
	return holder->kind;
}

/**
 * nsd_holder_get_proc:
 * @holder: holder
 *
 * Returns: the process that holds the namespace (member, for its children,
 * through a thread or an fd); for a mount, the process whose mountinfo showed
 * it (one of its mount namespace); NULL for a ghost.
 */
NSD_EXPORT struct nsd_proc *nsd_holder_get_proc(const struct nsd_holder *holder)
{
	return holder->proc;
}

/**
 * nsd_holder_get_pid:
 * @holder: holder
 *
 * Returns: the PID of nsd_holder_get_proc(), 0 for a ghost.
 */
NSD_EXPORT pid_t nsd_holder_get_pid(const struct nsd_holder *holder)
{
	return holder->proc ? holder->proc->pid : 0;
}

/**
 * nsd_holder_get_tid:
 * @holder: holder
 *
 * Returns: the thread ID of a thread holder, 0 for other kinds.
 */
NSD_EXPORT pid_t nsd_holder_get_tid(const struct nsd_holder *holder)
{
	return holder->tid;
}

/**
 * nsd_holder_get_fd:
 * @holder: holder
 *
 * Returns: the file descriptor number of an fd holder in its process, or
 * -EINVAL for other kinds.
 */
NSD_EXPORT int nsd_holder_get_fd(const struct nsd_holder *holder)
{
	return holder->kind == NSD_HOLDER_FD ? holder->fd : -EINVAL;
}

/**
 * nsd_holder_get_mountpoint:
 * @holder: holder
 *
 * Returns: the mount point of a mount holder, as its mount namespace
 * (nsd_holder_get_mntns()) sees it; NULL for other kinds.
 */
NSD_EXPORT const char *nsd_holder_get_mountpoint(const struct nsd_holder *holder)
{
	return holder->mountpoint;
}

/**
 * nsd_holder_get_mntns:
 * @holder: holder
 *
 * Returns: the mount namespace a mount holder is in; NULL for other kinds.
 */
NSD_EXPORT struct nsd_ns *nsd_holder_get_mntns(const struct nsd_holder *holder)
{
	return holder->mntns;
}

static bool is_self_mntns(const struct nsd_holder *h)
{
	return h->proc->graph->self[NSD_NS_MNT] == h->mntns->inode;
}

/* The path of @h relative to the procfs, for the kinds that have one there. */
static int relative_path(const struct nsd_holder *h, char *buf, size_t size)
{
	int n;

	switch (h->kind) {
	case NSD_HOLDER_PROCESS:
		n = snprintf(buf, size, "%d/%s", (int)h->proc->pid, nsd_nstype_path(h->ns->type));
		break;
	case NSD_HOLDER_FOR_CHILDREN:
		n = snprintf(buf, size, "%d/%s", (int)h->proc->pid,
			     nsd_nstype_children_path(h->ns->type));
		break;
	case NSD_HOLDER_THREAD:
		n = snprintf(buf, size, "%d/task/%d/%s", (int)h->proc->pid, (int)h->tid,
			     nsd_nstype_path(h->ns->type));
		break;
	case NSD_HOLDER_FD:
		n = snprintf(buf, size, "%d/fd/%d", (int)h->proc->pid, h->fd);
		break;
	default:
		return -ENOENT;
	}
	return n > 0 && (size_t)n < size ? 0 : -ENAMETOOLONG;
}

/**
 * nsd_holder_get_path:
 * @holder: holder
 * @ret: returns the path, free with free()
 *
 * A path that opens the namespace through @holder: its link under the
 * graph's procfs for a process, thread or fd; for a mount, the mount point
 * when it is in the caller's mount namespace, else the mount point under
 * PROCFS/PID/root of a process of the mount's namespace.
 *
 * Returns: 0, -ENOENT for a ghost, or -ENOMEM.
 */
NSD_EXPORT int nsd_holder_get_path(const struct nsd_holder *holder, char **ret)
{
	char rel[64];
	int r;

	if (holder->kind == NSD_HOLDER_GHOST)
		return -ENOENT;
	if (holder->kind == NSD_HOLDER_MOUNT) {
		if (is_self_mntns(holder))
			r = (*ret = strdup(holder->mountpoint)) ? 0 : -1;
		else
			r = asprintf(ret, "%s/%d/root%s", holder->proc->graph->procfs,
				     (int)holder->proc->pid, holder->mountpoint);
		return r < 0 ? -ENOMEM : 0;
	}
	r = relative_path(holder, rel, sizeof(rel));
	if (r < 0)
		return r;
	if (asprintf(ret, "%s/%s", holder->proc->graph->procfs, rel) < 0)
		return -ENOMEM;
	return 0;
}

/* An fd that is @ns: nsfs inodes are unique, and a PID reused since the walk
 * or a mount replaced since it shows up as another inode. */
static int check_ns(const struct nsd_ns *ns, int fd)
{
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || st.st_ino != ns->inode) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

/* The mount point is resolved in the mount namespace's root, as the process
 * sees it: a symlink on the way cannot lead out of it (DESIGN.md, security 4). */
static int open_mount(const struct nsd_holder *h)
{
	_cleanup_close_ int root = -EBADF;
	char rel[32];
	int fd;

	snprintf(rel, sizeof(rel), "%d/root", (int)h->proc->pid);
	root = openat(h->proc->graph->procfd, rel, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -errno;
	fd = nsd_openat2(root, h->mountpoint, O_RDONLY | O_NOCTTY,
			 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
	return fd < 0 ? fd : check_ns(h->ns, fd);
}

static int open_holder(const struct nsd_holder *h)
{
	_cleanup_close_ int via = -EBADF;
	char rel[64];
	int r;

	switch (h->kind) {
	case NSD_HOLDER_MOUNT:
		return open_mount(h);
	case NSD_HOLDER_GHOST:
		via = nsd_ns_open(h->ns->via);
		if (via < 0)
			return via;
		return check_ns(h->ns, ioctl(via, h->ns->via_request));
	default:
		r = relative_path(h, rel, sizeof(rel));
		if (r < 0)
			return r;
		return check_ns(h->ns, openat(h->proc->graph->procfd, rel,
					      O_RDONLY | O_CLOEXEC | O_NOCTTY));
	}
}

/**
 * nsd_ns_open:
 * @ns: namespace
 *
 * Opens the namespace through the first of its holders that still holds it,
 * in the order of nsd_ns_next_holder(), for setns(2) or the ioctls of
 * ioctl_ns(2). A ghost is opened from the namespace it is the parent or
 * owner of. The namespace is checked to be @ns: a PID reused since the walk
 * is not followed.
 *
 * Returns: a file descriptor (O_RDONLY, O_CLOEXEC), or the negative errno of
 * the last holder tried: -ESTALE when it holds another namespace by now.
 */
NSD_EXPORT int nsd_ns_open(struct nsd_ns *ns)
{
	struct nsd_iter itr = {0};
	struct nsd_holder *h;
	int r = -ENOENT;

	while (nsd_ns_next_holder(ns, &itr, &h) == 0) {
		r = open_holder(h);
		if (r >= 0)
			return r;
	}
	return r;
}
