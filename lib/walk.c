/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One pass over a procfs (DESIGN.md, "Discovery: cost model"): per process an
 * O_PATH fd of /proc/PID, one read of stat, one fstat for the owner, and a
 * readlinkat per ns/ link relative to that fd. Namespaces are found by inode
 * in a hash, so the walk is linear in processes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "nsdebug-private.h"

struct links {
	ino_t ns[NSD_NS_COUNT];
	ino_t children[NSD_NS_COUNT];
};

/* Types whose link is in @procfs's "self/ns"; a copy of a procfs without
 * "self" (test fixtures) gets every type, and missing links are skipped. */
static unsigned probe_types(int procfd)
{
	_cleanup_close_ int fd = openat(procfd, "self/ns", O_PATH | O_DIRECTORY | O_CLOEXEC);
	unsigned mask = 0;

	for (int t = 0; t < NSD_NS_COUNT; t++) {
		ino_t ino;

		if (fd < 0 || nsd_read_ns_link_at(fd, nsd_nstype_to_name(t), t, &ino) != -ENOENT)
			mask |= 1u << t;
	}
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
				nsd_ns_add_child_holder(ns, p);
				lowest |= ns->lowest_child_holder == p;
			}
		}
	}
	return lowest ? 1 : 0;
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
	return 0;
}

/**
 * nsd_graph_scan:
 * @graph: a new graph
 * @flags: NSD_SCAN_* for what to look at beyond the ns links of each process
 *
 * Walks the graph's procfs once. Processes that exit during the walk are
 * skipped; processes whose namespaces the caller may not see are counted
 * (nsd_graph_get_ndenied()).
 *
 * Returns: 0, -EINVAL for unknown flags, -EALREADY when the graph was
 * scanned before, -ENOMEM, or the -errno of reading the procfs directory.
 */
NSD_EXPORT int nsd_graph_scan(struct nsd_graph *graph, unsigned flags)
{
	DIR *dir;
	struct dirent *de;
	unsigned types;
	int fd, r = 0;

	if (flags & ~(unsigned)NSD_SCAN_FOR_CHILDREN)
		return -EINVAL;
	if (graph->scanned)
		return -EALREADY;
	graph->scanned = true;
	graph->flags = flags;
	types = probe_types(graph->procfd);

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
	if (r < 0)
		return r;
	nsd_graph_finish(graph);
	return 0;
}
