/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The walk and the graph, on the fake procfs of tests/data/proc-basic.spec
 * (argv[1] is mkproc.sh, argv[2] the spec) and on the real /proc.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "nsdebug-private.h"
#include "test.h"

DEFINE_CLEANUP_FUNC(struct nsd_graph, nsd_graph_unref)
DEFINE_CLEANUP_FUNC(struct nsd_iter, nsd_iter_free)

static struct nsd_graph *scan_with(const char *dir, unsigned flags)
{
	struct nsd_graph *g = nsd_graph_new(dir);

	ASSERT(g);
	ASSERT_EQ(nsd_graph_scan(g, flags), 0);
	return g;
}

static struct nsd_graph *scan(const char *dir)
{
	return scan_with(dir, 0);
}

static void test_counts(const char *dir)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = scan(dir);

	/* 11 processes in the spec; 500 has a malformed stat and is skipped. */
	ASSERT_EQ(nsd_graph_get_nprocs(g), 10);
	ASSERT_EQ(nsd_graph_get_ndenied(g), 0);
	/* 8 host namespaces, kdevtmpfs's mnt, 5 of the container, 102's net. */
	ASSERT_EQ(nsd_graph_get_nnamespaces(g), 15);
	ASSERT(nsd_graph_find_proc(g, 500) == NULL);
	ASSERT(nsd_graph_find_proc(g, 999) == NULL);
	ASSERT(nsd_graph_find_ns(g, 12345) == NULL);
	ASSERT_STREQ(nsd_graph_get_procfs(g), dir);
	ASSERT_EQ(nsd_graph_scan(g, 0), -EALREADY);
}

static void test_bad_flags(const char *dir)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = nsd_graph_new(dir);

	ASSERT(g);
	ASSERT_EQ(nsd_graph_scan(g, 1u << 31), -EINVAL);
	ASSERT_EQ(nsd_graph_scan(g, NSD_SCAN_FOR_CHILDREN), 0);
}

static void test_membership(const char *dir)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = scan(dir);
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_ns *host_net = nsd_graph_find_ns(g, 4026531840);
	struct nsd_ns *user = nsd_graph_find_ns(g, 4026531837);
	struct nsd_ns *cnet = nsd_graph_find_ns(g, 4026532204);
	struct nsd_proc *p;
	pid_t pids[8];
	size_t n = 0;

	ASSERT(host_net && user && cnet && itr);
	ASSERT_EQ(nsd_ns_get_type(host_net), NSD_NS_NET);
	ASSERT_EQ(nsd_ns_get_inode(host_net), 4026531840);
	/* 1 2 25 50 200 400; the zombie 300 has no net link. */
	ASSERT_EQ(nsd_ns_get_nprocs(host_net), 6);
	/* The zombie keeps its user namespace: every process is in it. */
	ASSERT_EQ(nsd_ns_get_nprocs(user), 10);
	ASSERT_EQ(nsd_proc_get_pid(nsd_ns_get_proc(host_net)), 1);
	ASSERT_EQ(nsd_proc_get_pid(nsd_ns_get_proc(cnet)), 100);

	while (nsd_ns_next_proc(cnet, itr, &p) == 0)
		pids[n++] = nsd_proc_get_pid(p);
	ASSERT_EQ(n, 2);
	ASSERT_EQ(pids[0] + pids[1], 201);
	ASSERT_EQ(nsd_ns_next_proc(cnet, itr, &p), 1);

	/* The same iterator on another list starts that list from its beginning. */
	n = 0;
	while (nsd_ns_next_proc(host_net, itr, &p) == 0) {
		ASSERT(nsd_proc_get_ns(p, NSD_NS_NET) == host_net);
		n++;
	}
	ASSERT_EQ(n, 6);
}

static void test_order(const char *dir)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = scan(dir);
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_ns *ns;
	ino_t last = 0;
	size_t n = 0;

	while (nsd_graph_next_ns(g, itr, &ns) == 0) {
		ASSERT(nsd_ns_get_inode(ns) > last);
		last = nsd_ns_get_inode(ns);
		n++;
	}
	ASSERT_EQ(n, nsd_graph_get_nnamespaces(g));
	nsd_iter_reset(itr);
	ASSERT_EQ(nsd_graph_next_ns(g, itr, &ns), 0);
	ASSERT_EQ(nsd_ns_get_inode(ns), 4026531834);
}

static void test_process(const char *dir)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = scan(dir);
	struct nsd_proc *p = nsd_graph_find_proc(g, 102), *k = nsd_graph_find_proc(g, 2);
	struct nsd_proc *odd = nsd_graph_find_proc(g, 400);

	ASSERT(p && k && odd);
	ASSERT_EQ(nsd_proc_get_ppid(p), 101);
	ASSERT_EQ(nsd_proc_get_pid(nsd_proc_get_parent(p)), 101);
	ASSERT_EQ(nsd_proc_get_starttime(p), 10200);
	ASSERT_EQ(nsd_proc_get_uid(p), getuid());
	ASSERT_STREQ(nsd_proc_get_comm(p), "ip");
	ASSERT_STREQ(nsd_proc_get_command(p), "ip netns exec x");
	ASSERT_EQ(nsd_ns_get_inode(nsd_proc_get_ns(p, NSD_NS_NET)), 4026532300);
	ASSERT(nsd_proc_get_ns(p, NSD_NS_COUNT) == NULL);
	/* kthreadd: no parent, no command line. */
	ASSERT(nsd_proc_get_parent(k) == NULL);
	ASSERT_STREQ(nsd_proc_get_command(k), "kthreadd");
	ASSERT_STREQ(nsd_proc_get_comm(odd), "a) (b c");
}

static void test_for_children(const char *dir)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = scan_with(dir, NSD_SCAN_FOR_CHILDREN);
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *plain = scan(dir);
	struct nsd_proc *init = nsd_graph_find_proc(g, 1), *u = nsd_graph_find_proc(g, 200);
	struct nsd_ns *ns = nsd_graph_find_ns(g, 4026532400);
	_cleanup_free_ char *path = NULL;

	ASSERT(init && u && ns);
	/* 200's pid_for_children is the only namespace no process is in. */
	ASSERT_EQ(nsd_graph_get_nnamespaces(g), 16);
	ASSERT(nsd_graph_find_ns(plain, 4026532400) == NULL);
	ASSERT(nsd_proc_get_ns_for_children(nsd_graph_find_proc(plain, 200), NSD_NS_PID) == NULL);
	/* Equal to its own: not recorded. */
	ASSERT(nsd_proc_get_ns_for_children(init, NSD_NS_PID) == NULL);
	ASSERT(nsd_proc_get_ns_for_children(u, NSD_NS_PID) == ns);
	ASSERT_EQ(nsd_ns_get_nprocs(ns), 0);
	ASSERT(nsd_ns_get_proc(ns) == u);
	ASSERT_EQ(nsd_ns_get_path(ns, &path), 0);
	ASSERT(strstr(path, "/200/ns/pid_for_children"));
}

static void test_path(const char *dir)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = scan(dir);
	_cleanup_free_ char *path = NULL, *expect = NULL;

	ASSERT_EQ(nsd_ns_get_path(nsd_graph_find_ns(g, 4026532204), &path), 0);
	ASSERT(asprintf(&expect, "%s/100/ns/net", dir) > 0);
	ASSERT_STREQ(path, expect);
}

/* A PID reused between the walk and the read of its command line must not
 * lend its command: the start time no longer matches. */
static void test_command_pid_reused(const char *dir)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = scan(dir);
	_cleanup_free_ char *stat = NULL;
	struct nsd_proc *p = nsd_graph_find_proc(g, 101);
	FILE *f;

	ASSERT(asprintf(&stat, "%s/101/stat", dir) > 0);
	f = fopen(stat, "we");
	ASSERT(f);
	fprintf(f, "101 (other) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 777777 0\n");
	fclose(f);
	ASSERT_STREQ(nsd_proc_get_command(p), "sh");
}

static void test_bad_procfs(void)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = NULL;

	errno = 0;
	ASSERT(nsd_graph_new("/nonexistent-procfs") == NULL);
	ASSERT_EQ(errno, ENOENT);
	ASSERT(nsd_graph_new("/etc/hostname") == NULL);
	ASSERT_EQ(errno, ENOTDIR);

	/* A directory without processes scans to an empty graph. */
	g = scan("/usr");
	ASSERT_EQ(nsd_graph_get_nprocs(g), 0);
	ASSERT(nsd_graph_ref(g) == g);
	ASSERT(nsd_graph_unref(g) == NULL);
	ASSERT(nsd_graph_unref(NULL) == NULL);
}

/* The real /proc: this process is found with the namespaces stat(2) gives. */
static void test_real_proc(void)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = scan_with(NULL, NSD_SCAN_FOR_CHILDREN);
	struct nsd_proc *self = nsd_graph_find_proc(g, getpid());

	ASSERT_STREQ(nsd_graph_get_procfs(g), "/proc");
	ASSERT(self);
	ASSERT_EQ(nsd_proc_get_ppid(self), getppid());
	for (int t = 0; t < NSD_NS_COUNT; t++) {
		char path[64];
		struct stat st;

		snprintf(path, sizeof(path), "/proc/self/ns/%s", nsd_nstype_to_name(t));
		if (stat(path, &st) < 0)
			continue; /* the kernel lacks the type */
		ASSERT(nsd_proc_get_ns(self, t));
		ASSERT_EQ(nsd_ns_get_inode(nsd_proc_get_ns(self, t)), st.st_ino);
	}
	ASSERT(strstr(nsd_proc_get_command(self), "test-graph"));
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/test-graph.XXXXXX";
	_cleanup_free_ char *proc = NULL, *cmd = NULL, *rm = NULL;

	ASSERT(argc == 3);
	ASSERT(mkdtemp(dir));
	ASSERT(asprintf(&proc, "%s/proc", dir) > 0);
	ASSERT(asprintf(&cmd, "'%s' '%s' '%s'", argv[1], argv[2], proc) > 0);
	ASSERT(system(cmd) == 0);

	test_counts(proc);
	test_bad_flags(proc);
	test_membership(proc);
	test_order(proc);
	test_process(proc);
	test_for_children(proc);
	test_path(proc);
	test_command_pid_reused(proc);
	test_bad_procfs();
	test_real_proc();

	ASSERT(asprintf(&rm, "rm -rf '%s'", dir) > 0);
	ASSERT(system(rm) == 0);
	return 0;
}
