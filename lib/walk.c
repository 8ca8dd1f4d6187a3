/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One pass over a procfs (DESIGN.md, "Discovery: cost model"): per process an
 * O_PATH fd of /proc/PID, one read of stat, one fstat for the owner, and a
 * readlinkat per ns/ link relative to that fd, in a thread per CPU. Namespaces are found by inode
 * in a hash, so the walk is linear in processes. What costs more is done
 * only when the caller asks (NSD_SCAN_*): the links of other threads and the
 * open fds through the same fd of /proc/PID, and after the walk, once per
 * namespace, mountinfo, ioctls and netlink.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <string.h>
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

/* Adds @p to its namespaces. Returns 0 or -ENOMEM. */
static int commit(struct nsd_graph *g, struct nsd_proc *p, const struct links *l)
{
	for (int t = 0; t < NSD_NS_COUNT; t++) {
		struct nsd_ns *ns;

		if (l->ns[t]) {
			ns = nsd_graph_add_ns(g, t, l->ns[t]);
			if (!ns && errno == ENOMEM)
				return -ENOMEM;
			if (ns)
				nsd_ns_add_member(ns, p);
		}
		if (l->children[t]) {
			ns = nsd_graph_add_ns(g, t, l->children[t]);
			if (!ns && errno == ENOMEM)
				return -ENOMEM;
			if (ns) {
				if (!nsd_ns_add_holder(ns, NSD_HOLDER_FOR_CHILDREN, p))
					return -ENOMEM;
				p->ns_for_children[t] = ns;
			}
		}
	}
	return 0;
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
 * The walk reads processes in parallel and adds them to the graph in walk
 * order. The batches of PIDs are split between workers (workers.c); each
 * reads its part into records, looking up the graph of the batches before
 * (which only changes between batches) and its own part. Then the records
 * are committed in PID order, so that the results are those of a walk in
 * one thread: the first member of a namespace is its lowest PID.
 */
#define BATCH 1024
/* Fewer processes per worker than this are not worth a thread. */
#define MIN_PER_WORKER 16

/* A holder beyond membership a worker found: a thread, an fd. */
struct extra {
	enum nsd_holder_kind kind;
	enum nsd_nstype type;
	ino_t inode;
	int id; /* the TID of a thread, the number of an fd */
};

/* What a worker read of one process. */
struct record {
	char name[16]; /* its directory in the procfs */
	pid_t pid;
	bool seen;       /* stat and links were read: the process goes into the graph */
	bool denied;     /* some ns links were EACCES/EPERM */
	size_t ndenied;  /* add to the graph's count */
	struct nsd_stat st;
	uid_t uid;
	struct links l;
	char *command;   /* read when the process was the first in its part with a namespace */
	bool command_read;
	struct nsd_hier hier[NSD_NS_COUNT]; /* of l.ns[], where read */
	size_t extra_start, extra_end;      /* its extras in the worker's array */
};

struct worker {
	struct nsd_graph *g; /* read only while workers run */
	unsigned types;
	struct record *recs;
	size_t nrecs;
	struct nsd_hash seen; /* inode -> type + 1 of the namespaces met in this part */
	struct extra *extras;
	size_t nextras, extras_alloc;
	int r; /* 0 or -ENOMEM */
};

/* The type of namespace @inode as the graph or this part knows it; -1 for none. */
static int known_type(const struct worker *w, ino_t inode)
{
	const struct nsd_ns *ns = nsd_graph_find_ns(w->g, inode);
	uintptr_t t;

	if (ns)
		return (int)ns->type;
	t = (uintptr_t)nsd_hash_get(&w->seen, (uint64_t)inode);
	return t ? (int)t - 1 : -1;
}

/* Whether namespace @inode is met for the first time in this part (adding
 * it), 0 when not, or -ENOMEM. */
static int first_in_part(struct worker *w, enum nsd_nstype type, ino_t inode)
{
	if (nsd_hash_get(&w->seen, (uint64_t)inode))
		return 0;
	if (nsd_hash_put(&w->seen, (uint64_t)inode, (void *)(uintptr_t)(type + 1)) < 0)
		return -ENOMEM;
	return 1;
}

static int add_extra(struct worker *w, enum nsd_holder_kind kind, enum nsd_nstype type,
		     ino_t inode, int id)
{
	struct extra *e = nsd_grow_array(w->extras, &w->extras_alloc, w->nextras, sizeof(*e));

	if (!e)
		return -ENOMEM;
	w->extras = e;
	e[w->nextras++] = (struct extra){.kind = kind, .type = type, .inode = inode, .id = id};
	return 0;
}

/*
 * The namespaces that threads of the process other than its leader are in
 * where they differ from the leader's @l (a thread that called unshare(2) or
 * setns(2)). Costs a read of task/, and the links of every other thread.
 * Returns 0 or -ENOMEM; a thread that exits meanwhile is skipped.
 */
static int scan_threads(struct worker *w, const struct record *rec, int pidfd)
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

		if (nsd_parse_pid(name, &tid) < 0 || tid == rec->pid)
			continue;
		tidfd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (tidfd < 0 || read_links(tidfd, w->types, 0, &l) < 0)
			continue;
		for (int t = 0; t < NSD_NS_COUNT && r == 0; t++)
			if (l.ns[t] && l.ns[t] != rec->l.ns[t])
				r = add_extra(w, NSD_HOLDER_THREAD, t, l.ns[t], (int)tid);
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
static int fd_ns(const struct worker *w, int dirfd, const char *name, enum nsd_nstype *ret_type,
		 ino_t *ret)
{
	_cleanup_close_ int fd = -EBADF;
	struct stat st;
	int flag, t;

	if (!w->g->nsfs_dev) {
		char buf[64];
		ssize_t n = readlinkat(dirfd, name, buf, sizeof(buf));
		if (n <= 0 || (size_t)n >= sizeof(buf))
			return -ENOENT;
		return nsd_parse_ns_link_any(buf, (size_t)n, ret_type, ret) < 0 ? -ENOENT : 0;
	}
	if (fstatat(dirfd, name, &st, 0) < 0 || st.st_dev != w->g->nsfs_dev)
		return -ENOENT;
	*ret = st.st_ino;
	t = known_type(w, st.st_ino);
	if (t >= 0) {
		*ret_type = t;
		return 0;
	}
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	flag = fd < 0 ? -1 : ioctl(fd, NS_GET_NSTYPE);
	for (t = 0; t < NSD_NS_COUNT; t++) {
		if (nsd_nstype_to_clone_flag(t) == flag) {
			*ret_type = t;
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * The namespaces the process holds open file descriptors of. Costs a read of
 * fd/ and a stat per open fd. Returns 0 or -ENOMEM; fds that close meanwhile
 * are skipped.
 */
static int scan_fds(struct worker *w, int pidfd)
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
		ino_t ino;
		int fd;

		if (parse_fd(name, &fd) == 0 && fd_ns(w, dirfd, name, &type, &ino) == 0)
			r = add_extra(w, NSD_HOLDER_FD, type, ino, fd);
	}
	return r;
}

/* NSD_SCAN_HIERARCHY of namespace @t of the process, through its /proc/PID
 * fd: cheaper than opening it by path after the walk. */
static void read_hierarchy(struct record *rec, int pidfd, enum nsd_nstype t)
{
	_cleanup_close_ int fd = openat(pidfd, nsd_nstype_path(t), O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;

	/* Still the namespace the link named: the process may have called
	 * setns(2) since; then the read after the walk does it. */
	if (fd >= 0 && fstat(fd, &st) == 0 && st.st_ino == rec->l.ns[t])
		nsd_read_hierarchy(fd, t, &rec->hier[t]);
}

/*
 * What the graph needs of the namespaces of @rec met first in this part:
 * the command line, which the rows they head show, read now that the fd
 * pins the process, and their hierarchy. Returns 0 or -ENOMEM.
 */
static int read_firsts(struct worker *w, struct record *rec, int pidfd)
{
	bool first = false;

	for (int t = 0; t < NSD_NS_COUNT; t++) {
		ino_t inos[2] = {rec->l.ns[t], rec->l.children[t]};

		for (size_t i = 0; i < ELEMENTSOF(inos); i++) {
			const struct nsd_ns *ns;
			int r;

			if (!inos[i])
				continue;
			r = first_in_part(w, t, inos[i]);
			if (r <= 0) {
				if (r < 0)
					return r;
				continue;
			}
			ns = nsd_graph_find_ns(w->g, inos[i]);
			first |= !ns;
			if (i == 0 && (w->g->flags & NSD_SCAN_HIERARCHY) && !(ns && ns->hierarchy_read))
				read_hierarchy(rec, pidfd, t);
		}
	}
	if (first) {
		rec->command = nsd_read_command_at(pidfd);
		rec->command_read = true;
	}
	return 0;
}

/* Reads one process into @rec. Returns 0 (read, or vanished or unreadable,
 * which leaves rec->seen false) or -ENOMEM. */
static int read_one(struct worker *w, struct record *rec)
{
	_cleanup_close_ int pidfd = -EBADF;
	char buf[NSD_STAT_MAX];
	struct stat sb;
	size_t len;
	int r;

	rec->extra_start = rec->extra_end = w->nextras;
	pidfd = openat(w->g->procfd, rec->name, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (pidfd < 0)
		return 0;
	r = nsd_read_at(pidfd, "stat", buf, sizeof(buf), &len);
	if (r < 0 || nsd_parse_stat(buf, len, &rec->st) < 0 || fstat(pidfd, &sb) < 0) {
		rec->ndenied = is_denied(r);
		return 0;
	}
	rec->uid = sb.st_uid;
	r = read_links(pidfd, w->types, w->g->flags, &rec->l);
	if (is_vanished(r))
		return 0;
	rec->ndenied = (size_t)r;
	rec->denied = r > 0;
	rec->seen = true;
	r = read_firsts(w, rec, pidfd);
	/* Most processes have one thread: stat says so, which spares reading task/. */
	if (r == 0 && (w->g->flags & NSD_SCAN_THREADS) && rec->st.nthreads > 1)
		r = scan_threads(w, rec, pidfd);
	if (r == 0 && (w->g->flags & NSD_SCAN_FDS))
		r = scan_fds(w, pidfd);
	rec->extra_end = w->nextras;
	return r;
}

static void *work(void *arg)
{
	struct worker *w = arg;

	for (size_t i = 0; i < w->nrecs && w->r == 0; i++)
		w->r = read_one(w, &w->recs[i]);
	return NULL;
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

/* Adds what @rec holds to the graph. Returns 0 or -ENOMEM. */
static int commit_record(struct nsd_graph *g, struct record *rec, const struct extra *extras)
{
	struct nsd_proc *p;
	int r;

	g->ndenied += rec->ndenied;
	if (!rec->seen)
		return 0;
	p = nsd_graph_add_proc(g, &rec->st, rec->pid, rec->uid);
	if (!p)
		return -ENOMEM;
	p->denied = rec->denied;
	if (rec->command_read) {
		p->command = TAKE_PTR(rec->command);
		p->command_read = true;
	}
	r = commit(g, p, &rec->l);
	if (r < 0)
		return r;
	for (int t = 0; t < NSD_NS_COUNT; t++)
		if (rec->hier[t].read && p->ns[t] && !p->ns[t]->hierarchy_read)
			nsd_ns_set_hierarchy(p->ns[t], &rec->hier[t]);
	for (size_t i = rec->extra_start; i < rec->extra_end; i++) {
		const struct extra *e = &extras[i];
		struct nsd_holder *h = add_holder(g, e->type, e->inode, e->kind, p);

		if (!h && errno == ENOMEM)
			return -ENOMEM;
		if (h && e->kind == NSD_HOLDER_THREAD)
			h->tid = e->id;
		else if (h)
			h->fd = e->id;
	}
	return 0;
}

/*
 * Reads the @n processes of @recs with workers, then commits them in order.
 * The first part is read by the calling thread, and so is any part whose
 * thread cannot be created. Returns 0 or -ENOMEM.
 */
static int scan_batch(struct nsd_graph *g, unsigned types, struct record *recs, size_t n)
{
	struct worker w[NSD_MAX_WORKERS] = {0};
	size_t k = nsd_count_workers(n, MIN_PER_WORKER);
	int r = 0;

	for (size_t i = 0; i < k; i++) {
		w[i].g = g;
		w[i].types = types;
		w[i].recs = recs + n * i / k;
		w[i].nrecs = n * (i + 1) / k - n * i / k;
	}
	nsd_run_workers(work, w, sizeof(w[0]), k);
	for (size_t i = 0; i < k; i++) {
		if (r == 0)
			r = w[i].r;
		for (size_t j = 0; j < w[i].nrecs && r == 0; j++)
			r = commit_record(g, &w[i].recs[j], w[i].extras);
		for (size_t j = 0; j < w[i].nrecs; j++)
			free(w[i].recs[j].command);
		free(w[i].extras);
		nsd_hash_done(&w[i].seen);
	}
	return r;
}

/* Reads the processes of the procfs directory @dir in batches. Returns 0,
 * -ENOMEM or the -errno of reading @dir. */
static int walk(struct nsd_graph *g, unsigned types, DIR *dir)
{
	_cleanup_free_ struct record *recs = calloc(BATCH, sizeof(*recs));
	size_t n = 0;
	int r = 0;

	if (!recs)
		return -ENOMEM;
	/* procfs lists PIDs in ascending order: batches keep it. */
	while (r == 0) {
		struct dirent *de;
		size_t len;
		pid_t pid;

		errno = 0;
		de = readdir(dir);
		if (!de) {
			r = -errno;
			break;
		}
		len = strlen(de->d_name);
		if (nsd_parse_pid(de->d_name, &pid) < 0 || len >= sizeof(recs->name))
			continue;
		recs[n] = (struct record){.pid = pid};
		memcpy(recs[n].name, de->d_name, len + 1);
		if (++n == BATCH) {
			r = scan_batch(g, types, recs, n);
			n = 0;
		}
	}
	if (r == 0 && n > 0)
		r = scan_batch(g, types, recs, n);
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
 * The processes are read by up to 4 threads, one per CPU the caller may
 * run on, which block all signals and have ended when it returns.
 *
 * Returns: 0, -EINVAL for unknown flags, -EALREADY when the graph was
 * scanned before, -ENOMEM, or the -errno of reading the procfs directory
 * or of opening a netlink socket (NSD_SCAN_NETNSID).
 */
NSD_EXPORT int nsd_graph_scan(struct nsd_graph *graph, unsigned flags)
{
	DIR *dir;
	unsigned types;
	int fd, r;

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
	r = walk(graph, types, dir);
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
