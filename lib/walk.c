/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One pass over a procfs (DESIGN.md, "Discovery: cost model"): per process an
 * O_PATH fd of /proc/PID, one read of stat, one fstat for the owner, and a
 * readlinkat per ns/ link relative to that fd. Namespaces are found by inode
 * in a hash, so the walk is linear in processes. What costs more is done
 * only when the caller asks (NSD_SCAN_*): the links of other threads and the
 * open fds through the same fd of /proc/PID, and after the walk, once per
 * namespace, mountinfo, ioctls and netlink.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "nsdebug-private.h"

struct links {
	ino_t ns[NSD_NS_COUNT];
	ino_t children[NSD_NS_COUNT];
};

/* Types whose link is in @procfs's "self/ns", whose inodes are the caller's
 * namespaces; a copy of a procfs without "self" (test fixtures) gets every
 * type, and missing links are skipped. */
static unsigned probe_types(struct nsd_graph *g)
{
	_cleanup_close_ int fd = openat(g->procfd, "self/ns", O_PATH | O_DIRECTORY | O_CLOEXEC);
	unsigned mask = 0;
	struct stat st;

	for (int t = 0; t < NSD_NS_COUNT; t++) {
		ino_t ino = 0;
		int r = fd < 0 ? -ENOENT : nsd_read_ns_link_at(fd, nsd_nstype_to_name(t), t, &ino);

		if (fd < 0 || r != -ENOENT)
			mask |= 1u << t;
		if (r == 0)
			g->self[t] = ino;
	}
	/* nsfs tells the fds of namespaces (scan_fds()). */
	if (fd >= 0 && fstatat(fd, "user", &st, 0) == 0)
		g->nsfs_dev = st.st_dev;
	return mask;
}

static bool is_vanished(int r)
{
	/* ESRCH: the task exited between open and read. */
	return r == -ENOENT || r == -ESRCH;
}

static bool is_denied(int r)
{
	return r == -EACCES || r == -EPERM;
}

/*
 * Reads the links of one process into @l; the *_for_children ones only with
 * NSD_SCAN_FOR_CHILDREN, as they add a fifth to the cost of the walk. A link
 * that is missing (a zombie has no nsproxy, the kernel lacks the type) leaves
 * 0. Returns 0, 1 when some links were denied, -ENOENT when the process vanished.
 */
static int read_links(int pidfd, unsigned types, unsigned flags, struct links *l)
{
	bool denied = false;

	for (int t = 0; t < NSD_NS_COUNT; t++) {
		const char *children = nsd_nstype_children_path(t);
		int r;

		if (!(types & (1u << t)))
			continue;
		r = nsd_read_ns_link_at(pidfd, nsd_nstype_path(t), t, &l->ns[t]);
		if (r == -ESRCH)
			return -ENOENT;
		denied |= is_denied(r);
		if (!children || !(flags & NSD_SCAN_FOR_CHILDREN) || r < 0)
			continue;
		r = nsd_read_ns_link_at(pidfd, children, t, &l->children[t]);
		if (r == -ESRCH)
			return -ENOENT;
		if (r == 0 && l->children[t] == l->ns[t])
			l->children[t] = 0;
	}
	return denied ? 1 : 0;
}

/* Adds @p to its namespaces. Returns 1 when it is now the lowest PID of one
 * of them (a row lsns would show it in), 0 otherwise, or -ENOMEM. */
static int commit(struct nsd_graph *g, struct nsd_proc *p, const struct links *l)
{
	bool lowest = false;

	for (int t = 0; t < NSD_NS_COUNT; t++) {
		struct nsd_ns *ns;

		if (l->ns[t]) {
			ns = nsd_graph_add_ns(g, t, l->ns[t]);
			if (!ns && errno == ENOMEM)
				return -ENOMEM;
			if (ns) {
				nsd_ns_add_member(ns, p);
				lowest |= ns->lowest == p;
			}
		}
		if (l->children[t]) {
			ns = nsd_graph_add_ns(g, t, l->children[t]);
			if (!ns && errno == ENOMEM)
				return -ENOMEM;
			if (ns) {
				if (!nsd_ns_add_holder(ns, NSD_HOLDER_FOR_CHILDREN, p))
					return -ENOMEM;
				p->ns_for_children[t] = ns;
				lowest |= ns->lowest_holder == p;
			}
		}
	}
	return lowest ? 1 : 0;
}

/* Records a holder of @kind by @p of namespace @inode of @type, adding the
 * namespace when new. Returns the holder; NULL when the inode is known with
 * another type (a corrupt procfs copy: skipped) or, with errno ENOMEM, on ENOMEM. */
static struct nsd_holder *add_holder(struct nsd_graph *g, enum nsd_nstype type, ino_t inode,
				     enum nsd_holder_kind kind, struct nsd_proc *p)
{
	struct nsd_ns *ns = nsd_graph_add_ns(g, type, inode);
	struct nsd_holder *h;

	if (!ns)
		return NULL;
	h = nsd_ns_add_holder(ns, kind, p);
	if (!h)
		errno = ENOMEM;
	return h;
}

/*
 * The entries of a small procfs directory (task/, fd/ of one process), read
 * with getdents64(2) directly: the scans read one per process, and readdir(3)
 * would add an fdopendir's fcntls and a last read that returns nothing.
 * procfs fills the buffer until it is full or the directory ends, so a read
 * that left room for another entry was the last.
 */
struct dir_reader {
	int fd;
	bool last;
	size_t len, pos;
	char buf[4096];
};

static int dir_open(struct dir_reader *d, int pidfd, const char *name)
{
	d->fd = openat(pidfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d->last = false;
	d->len = d->pos = 0;
	return d->fd < 0 ? -errno : 0;
}

/* Returns the name of the next entry, NULL at the end or on an error. */
static const char *dir_next(struct dir_reader *d)
{
	struct dirent64 *de;

	if (d->pos >= d->len) {
		ssize_t n;

		if (d->last)
			return NULL;
		n = getdents64(d->fd, d->buf, sizeof(d->buf));
		if (n <= 0)
			return NULL;
		d->len = (size_t)n;
		d->pos = 0;
		d->last = d->len + sizeof(struct dirent64) <= sizeof(d->buf);
	}
	de = (struct dirent64 *)(d->buf + d->pos);
	d->pos += de->d_reclen;
	return de->d_name;
}

/*
 * The namespaces that threads of @p other than its leader are in where they
 * differ from the leader's (a thread that called unshare(2) or setns(2)).
 * Costs a read of task/ per process, and the links of every other thread.
 * Returns 0 or -ENOMEM; a thread that exits meanwhile is skipped.
 */
static int scan_threads(struct nsd_graph *g, struct nsd_proc *p, int pidfd, unsigned types)
{
	_cleanup_close_ int dirfd = -EBADF;
	struct dir_reader d;
	const char *name;
	int r = 0;

	if (dir_open(&d, pidfd, "task") < 0)
		return 0;
	dirfd = d.fd;
	while (r == 0 && (name = dir_next(&d))) {
		_cleanup_close_ int tidfd = -EBADF;
		struct links l = {0};
		pid_t tid;

		if (nsd_parse_pid(name, &tid) < 0 || tid == p->pid)
			continue;
		tidfd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (tidfd < 0 || read_links(tidfd, types, 0, &l) < 0)
			continue;
		for (int t = 0; t < NSD_NS_COUNT && r == 0; t++) {
			struct nsd_holder *h;

			if (!l.ns[t] || (p->ns[t] && p->ns[t]->inode == l.ns[t]))
				continue;
			h = add_holder(g, t, l.ns[t], NSD_HOLDER_THREAD, p);
			if (h)
				h->tid = tid;
			else if (errno == ENOMEM)
				r = -ENOMEM;
		}
	}
	return r;
}

/* Parses a file descriptor number: decimal digits, "0" included. */
static int parse_fd(const char *s, int *ret)
{
	pid_t v;

	if (s[0] == '0' && s[1] == '\0') {
		*ret = 0;
		return 0;
	}
	if (nsd_parse_pid(s, &v) < 0)
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

/*
 * Whether fd @name of the fd/ directory @dirfd is a namespace, and which:
 * on a procfs with nsfs, one stat of it tells nsfs by its device, also for
 * a namespace opened through a bind mount (ip netns exec, CNI plugins),
 * whose link reads as a path; a namespace not seen before is asked its type.
 * A copy of a procfs (test fixtures) has no nsfs: its links are parsed.
 * Returns 0, or -ENOENT when it is no namespace.
 */
static int fd_ns(struct nsd_graph *g, int dirfd, const char *name, enum nsd_nstype *ret_type,
		 ino_t *ret)
{
	_cleanup_close_ int fd = -EBADF;
	struct nsd_ns *ns;
	struct stat st;
	int flag;

	if (!g->nsfs_dev) {
		char buf[64];
		ssize_t n = readlinkat(dirfd, name, buf, sizeof(buf));
		if (n <= 0 || (size_t)n >= sizeof(buf))
			return -ENOENT;
		return nsd_parse_ns_link_any(buf, (size_t)n, ret_type, ret) < 0 ? -ENOENT : 0;
	}
	if (fstatat(dirfd, name, &st, 0) < 0 || st.st_dev != g->nsfs_dev)
		return -ENOENT;
	*ret = st.st_ino;
	ns = nsd_graph_find_ns(g, st.st_ino);
	if (ns) {
		*ret_type = ns->type;
		return 0;
	}
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	flag = fd < 0 ? -1 : ioctl(fd, NS_GET_NSTYPE);
	for (int t = 0; t < NSD_NS_COUNT; t++) {
		if (nsd_nstype_to_clone_flag(t) == flag) {
			*ret_type = t;
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * The namespaces @p holds open file descriptors of. Costs a read of fd/ and
 * a stat per open fd. Returns 0 or -ENOMEM; fds that close meanwhile are skipped.
 */
static int scan_fds(struct nsd_graph *g, struct nsd_proc *p, int pidfd)
{
	_cleanup_close_ int dirfd = -EBADF;
	struct dir_reader d;
	const char *name;
	int r = 0;

	if (dir_open(&d, pidfd, "fd") < 0)
		return 0;
	dirfd = d.fd;
	while (r == 0 && (name = dir_next(&d))) {
		enum nsd_nstype type;
		struct nsd_holder *h;
		ino_t ino;
		int fd;

		if (parse_fd(name, &fd) < 0 || fd_ns(g, dirfd, name, &type, &ino) < 0)
			continue;
		h = add_holder(g, type, ino, NSD_HOLDER_FD, p);
		if (h)
			h->fd = fd;
		else if (errno == ENOMEM)
			r = -ENOMEM;
	}
	return r;
}

/* NSD_SCAN_HIERARCHY of the namespaces of @p not read yet, through its
 * /proc/PID fd: cheaper than opening them by path after the walk. */
static void read_hierarchies(struct nsd_proc *p, int pidfd)
{
	for (int t = 0; t < NSD_NS_COUNT; t++) {
		struct nsd_ns *ns = p->ns[t];
		_cleanup_close_ int fd = -EBADF;
		struct stat st;

		if (!ns || ns->hierarchy_read)
			continue;
		fd = openat(pidfd, nsd_nstype_path(t), O_RDONLY | O_CLOEXEC | O_NOCTTY);
		/* Still the namespace the link named: the process may have
		 * called setns(2) since; then the read after the walk does it. */
		if (fd >= 0 && fstat(fd, &st) == 0 && st.st_ino == ns->inode)
			nsd_ns_read_hierarchy(ns, fd);
	}
}

/* Returns 0 (recorded, or vanished and skipped) or -ENOMEM; other errors of one process are skipped. */
static int scan_one(struct nsd_graph *g, const char *name, pid_t pid, unsigned types)
{
	_cleanup_close_ int pidfd = -EBADF;
	char buf[NSD_STAT_MAX];
	struct nsd_stat st;
	struct links l = {0};
	struct stat sb;
	struct nsd_proc *p;
	size_t len;
	int r;

	pidfd = openat(g->procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (pidfd < 0)
		return 0;
	r = nsd_read_at(pidfd, "stat", buf, sizeof(buf), &len);
	if (r < 0 || nsd_parse_stat(buf, len, &st) < 0 || fstat(pidfd, &sb) < 0) {
		g->ndenied += is_denied(r);
		return 0;
	}
	r = read_links(pidfd, types, g->flags, &l);
	if (is_vanished(r))
		return 0;
	g->ndenied += r;

	p = nsd_graph_add_proc(g, &st, pid, sb.st_uid);
	if (!p)
		return -ENOMEM;
	p->denied = r > 0;
	r = commit(g, p, &l);
	if (r < 0)
		return r;
	/* Read the command of those that head a row now, while the fd pins the
	 * process; procfs lists PIDs in ascending order, so in a real walk the
	 * first member of a namespace stays its lowest. */
	if (r > 0)
		nsd_proc_read_command(p, pidfd);
	r = 0;
	if (g->flags & NSD_SCAN_HIERARCHY)
		read_hierarchies(p, pidfd);
	/* Most processes have one thread: stat says so, which spares reading task/. */
	if ((g->flags & NSD_SCAN_THREADS) && st.nthreads > 1)
		r = scan_threads(g, p, pidfd, types);
	if (r == 0 && (g->flags & NSD_SCAN_FDS))
		r = scan_fds(g, p, pidfd);
	return r;
}

#define SCAN_ALL                                                                                   \
	(NSD_SCAN_FOR_CHILDREN | NSD_SCAN_THREADS | NSD_SCAN_FDS | NSD_SCAN_MOUNTS |               \
	 NSD_SCAN_HIERARCHY | NSD_SCAN_NETNSID)

/**
 * nsd_graph_scan:
 * @graph: a new graph
 * @flags: NSD_SCAN_* for what to look at beyond the ns links of each process
 *
 * Walks the graph's procfs once, then, as @flags ask, reads the nsfs mounts
 * of every mount namespace found, the hierarchy and the net namespace ids.
 * Processes that exit during the walk are skipped; processes whose
 * namespaces the caller may not see are counted (nsd_graph_get_ndenied()).
 *
 * Returns: 0, -EINVAL for unknown flags, -EALREADY when the graph was
 * scanned before, -ENOMEM, or the -errno of reading the procfs directory
 * or of opening a netlink socket (NSD_SCAN_NETNSID).
 */
NSD_EXPORT int nsd_graph_scan(struct nsd_graph *graph, unsigned flags)
{
	DIR *dir;
	struct dirent *de;
	unsigned types;
	int fd, r = 0;

	if (flags & ~(unsigned)SCAN_ALL)
		return -EINVAL;
	if (graph->scanned)
		return -EALREADY;
	graph->scanned = true;
	graph->flags = flags;
	types = probe_types(graph);

	fd = openat(graph->procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		r = -errno;
		close(fd);
		return r;
	}
	errno = 0;
	while (r == 0 && (de = readdir(dir))) {
		pid_t pid;

		if (nsd_parse_pid(de->d_name, &pid) == 0)
			r = scan_one(graph, de->d_name, pid, types);
		errno = 0;
	}
	if (r == 0 && errno != 0)
		r = -errno;
	closedir(dir);
	/* Mounts first: the hierarchy opens mount-held namespaces through them. */
	if (r == 0 && (flags & NSD_SCAN_MOUNTS))
		r = nsd_graph_scan_mounts(graph);
	if (r == 0 && (flags & NSD_SCAN_HIERARCHY))
		r = nsd_graph_scan_hierarchy(graph);
	if (r == 0 && (flags & NSD_SCAN_NETNSID))
		r = nsd_graph_scan_netnsids(graph);
	if (r < 0)
		return r;
	nsd_graph_finish(graph);
	return 0;
}
