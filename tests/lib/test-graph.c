/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The walk and the graph, on the fake procfs of tests/data/proc-basic.spec
 * (argv[1] is mkproc.sh, argv[2] the spec) and on the real /proc.
 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
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
	ASSERT_EQ(nsd_graph_scan(g, NSD_SCAN_NETNSID << 1), -EINVAL);
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

/* The holders of @ns of @kind, at most @max, in @ret (not for members: their
 * holder is the iterator's, valid until its next call). Returns how many there are. */
static size_t holders_of(struct nsd_ns *ns, enum nsd_holder_kind kind, struct nsd_holder **ret,
			 size_t max)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_holder *h;
	size_t n = 0;

	ASSERT(itr);
	while (nsd_ns_next_holder(ns, itr, &h) == 0) {
		ASSERT(nsd_holder_get_kind(h) < NSD_HOLDER_COUNT);
		if (nsd_holder_get_kind(h) != kind)
			continue;
		if (n < max)
			ret[n] = h;
		n++;
	}
	return n;
}

/* Members come first, in walk order, then the other holders as found. */
static void test_holder_order(const char *dir)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g =
		scan_with(dir, NSD_SCAN_FDS | NSD_SCAN_MOUNTS);
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_ns *cnet = nsd_graph_find_ns(g, 4026532204);
	static const struct {
		enum nsd_holder_kind kind;
		pid_t pid;
	} expect[] = {
		{NSD_HOLDER_PROCESS, 100},
		{NSD_HOLDER_PROCESS, 101},
		{NSD_HOLDER_FD, 50},
		{NSD_HOLDER_MOUNT, 1},
	};
	struct nsd_holder *h;
	struct nsd_proc *p;
	size_t n = 0;

	ASSERT(cnet && itr);
	while (nsd_ns_next_holder(cnet, itr, &h) == 0) {
		ASSERT(n < ELEMENTSOF(expect));
		ASSERT_EQ(nsd_holder_get_kind(h), expect[n].kind);
		ASSERT_EQ(nsd_holder_get_pid(h), expect[n].pid);
		n++;
	}
	ASSERT_EQ(n, ELEMENTSOF(expect));
	/* The same iterator on the member list of the same namespace starts it afresh. */
	ASSERT_EQ(nsd_ns_next_proc(cnet, itr, &p), 0);
	ASSERT_EQ(nsd_proc_get_pid(p), 100);
	ASSERT_STREQ(nsd_holder_kind_to_name(NSD_HOLDER_FOR_CHILDREN), "for-children");
	ASSERT(nsd_holder_kind_to_name(NSD_HOLDER_COUNT) == NULL);
}

static void test_threads(const char *dir)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = scan_with(dir, NSD_SCAN_THREADS);
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *plain = scan(dir);
	struct nsd_ns *ns = nsd_graph_find_ns(g, 4026532500), *cnet = nsd_graph_find_ns(g, 4026532204);
	struct nsd_holder *h;
	_cleanup_free_ char *path = NULL;

	/* Thread 103 of 101 unshared its net namespace: only the thread holds it. */
	ASSERT(nsd_graph_find_ns(plain, 4026532500) == NULL);
	ASSERT(ns && cnet);
	ASSERT_EQ(nsd_graph_get_nnamespaces(g), 16);
	ASSERT_EQ(nsd_ns_get_nprocs(ns), 0);
	ASSERT_EQ(nsd_ns_get_holder_kinds(ns), 1u << NSD_HOLDER_THREAD);
	ASSERT_EQ(holders_of(ns, NSD_HOLDER_THREAD, &h, 1), 1);
	ASSERT_EQ(nsd_holder_get_pid(h), 101);
	ASSERT_EQ(nsd_holder_get_tid(h), 103);
	ASSERT_EQ(nsd_holder_get_fd(h), -EINVAL);
	ASSERT(nsd_holder_get_mountpoint(h) == NULL);
	ASSERT(nsd_ns_get_proc(ns) == nsd_graph_find_proc(g, 101));
	ASSERT_EQ(nsd_ns_get_path(ns, &path), 0);
	ASSERT(strstr(path, "/101/task/103/ns/net"));
	/* Thread 104 stayed with its leader: not a holder of anything. */
	ASSERT_EQ(nsd_ns_get_holder_kinds(cnet), 1u << NSD_HOLDER_PROCESS);
	ASSERT_EQ(nsd_ns_get_nprocs(cnet), 2);
}

static void test_fds(const char *dir)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = scan_with(dir, NSD_SCAN_FDS);
	struct nsd_ns *held = nsd_graph_find_ns(g, 4026532600), *cnet = nsd_graph_find_ns(g, 4026532204);
	struct nsd_holder *h[2];
	_cleanup_free_ char *path = NULL;

	ASSERT(held && cnet);
	/* /dev/null and a socket are no namespaces. */
	ASSERT_EQ(nsd_graph_get_nnamespaces(g), 16);
	ASSERT_EQ(nsd_ns_get_holder_kinds(held), 1u << NSD_HOLDER_FD);
	ASSERT_EQ(holders_of(held, NSD_HOLDER_FD, h, 1), 1);
	ASSERT_EQ(nsd_holder_get_pid(h[0]), 50);
	ASSERT_EQ(nsd_holder_get_fd(h[0]), 9);
	ASSERT_EQ(nsd_holder_get_tid(h[0]), 0);
	ASSERT_EQ(nsd_ns_get_path(held, &path), 0);
	ASSERT(strstr(path, "/50/fd/9"));
	ASSERT_EQ(nsd_proc_get_pid(nsd_ns_get_proc(held)), 50);
	/* The shim's fd of the container's net namespace is a holder besides its members. */
	ASSERT_EQ(nsd_ns_get_holder_kinds(cnet), (1u << NSD_HOLDER_PROCESS) | (1u << NSD_HOLDER_FD));
	ASSERT_EQ(holders_of(cnet, NSD_HOLDER_PROCESS, h, 0), 2);
	ASSERT_EQ(holders_of(cnet, NSD_HOLDER_FD, h, 1), 1);
	ASSERT_EQ(nsd_holder_get_fd(h[0]), 7);
	/* Members still count from the lowest one. */
	ASSERT_EQ(nsd_proc_get_pid(nsd_ns_get_proc(cnet)), 100);
}

static void test_mounts(const char *dir)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = scan_with(dir, NSD_SCAN_MOUNTS);
	struct nsd_ns *blue = nsd_graph_find_ns(g, 4026532700), *hidden = nsd_graph_find_ns(g, 4026532800);
	struct nsd_ns *host_mnt = nsd_graph_find_ns(g, 4026531841), *cmnt = nsd_graph_find_ns(g, 4026532200);
	struct nsd_ns *cnet = nsd_graph_find_ns(g, 4026532204);
	_cleanup_free_ char *p1 = NULL, *p2 = NULL, *expect = NULL;
	struct nsd_holder *h;

	ASSERT(blue && hidden && host_mnt && cmnt && cnet);
	ASSERT_EQ(nsd_graph_get_nnamespaces(g), 17);
	/* "self" is PID 1 in the fixture: the caller's mount namespace is the host's. */
	ASSERT(nsd_graph_get_self_ns(g, NSD_NS_MNT) == host_mnt);
	ASSERT(nsd_graph_get_self_ns(g, NSD_NS_COUNT) == NULL);

	ASSERT_EQ(nsd_ns_get_holder_kinds(blue), 1u << NSD_HOLDER_MOUNT);
	ASSERT_EQ(holders_of(blue, NSD_HOLDER_MOUNT, &h, 1), 1);
	ASSERT_STREQ(nsd_holder_get_mountpoint(h), "/run/netns/blue");
	ASSERT(nsd_holder_get_mntns(h) == host_mnt);
	ASSERT_EQ(nsd_holder_get_pid(h), 1);
	/* No process holds it: no PID row, and the mount point names it. */
	ASSERT(nsd_ns_get_proc(blue) == NULL);
	ASSERT_EQ(nsd_ns_get_path(blue, &p1), 0);
	ASSERT_STREQ(p1, "/run/netns/blue");

	/* Mounted only inside the container's mount namespace, read through PID 100. */
	ASSERT_EQ(holders_of(hidden, NSD_HOLDER_MOUNT, &h, 1), 1);
	ASSERT_STREQ(nsd_holder_get_mountpoint(h), "/tmp/hidden");
	ASSERT(nsd_holder_get_mntns(h) == cmnt);
	ASSERT_EQ(nsd_ns_get_path(hidden, &p2), 0);
	ASSERT(asprintf(&expect, "%s/100/root/tmp/hidden", dir) > 0);
	ASSERT_STREQ(p2, expect);

	ASSERT_EQ(nsd_ns_get_holder_kinds(cnet),
		  (1u << NSD_HOLDER_PROCESS) | (1u << NSD_HOLDER_MOUNT));
	/* The fixture's ns links lead nowhere: nothing can be opened or read by ioctl. */
	ASSERT(nsd_ns_open(blue) < 0);
	ASSERT(nsd_ns_get_parent(cnet) == NULL && nsd_ns_get_owner(cnet) == NULL);
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

static bool write_file(const char *path, const char *text)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);

	return fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);
}

/* unshare -U -r: a new user namespace where the caller is root, which it
 * must be mapped in for the next one (user_namespaces(7)). */
static bool unshare_user_as_root(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (unshare(CLONE_NEWUSER) < 0 || !write_file("/proc/self/setgroups", "deny"))
		return false;
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
	if (!write_file("/proc/self/uid_map", map))
		return false;
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
	return write_file("/proc/self/gid_map", map);
}

/*
 * A child that unshares its user namespace twice leaves the first one with
 * no process: a ghost, found as the parent of the second, opened through it.
 */
static void test_ghost(void)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = NULL;
	struct nsd_ns *inner, *ghost, *outer;
	_cleanup_close_ int fd = -EBADF;
	struct nsd_holder *h;
	int pipefd[2], status;
	struct stat st;
	uid_t uid;
	char c;
	pid_t pid;

	ASSERT(pipe2(pipefd, O_CLOEXEC) == 0);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		c = unshare_user_as_root() && unshare(CLONE_NEWUSER) == 0 ? 'y' : 'n';
		if (write(pipefd[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	ASSERT(read(pipefd[0], &c, 1) == 1);
	if (c != 'y') {
		fprintf(stderr, "skip test_ghost: user namespaces are not allowed here\n");
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return;
	}
	g = scan_with(NULL, NSD_SCAN_HIERARCHY);
	inner = nsd_proc_get_ns(nsd_graph_find_proc(g, pid), NSD_NS_USER);
	outer = nsd_proc_get_ns(nsd_graph_find_proc(g, getpid()), NSD_NS_USER);
	ASSERT(inner && outer);
	ghost = nsd_ns_get_parent(inner);
	ASSERT(ghost && ghost != outer);
	ASSERT(nsd_ns_get_owner(inner) == ghost);
	ASSERT_EQ(nsd_ns_get_type(ghost), NSD_NS_USER);
	ASSERT_EQ(nsd_ns_get_nprocs(ghost), 0);
	ASSERT_EQ(nsd_ns_get_holder_kinds(ghost), 1u << NSD_HOLDER_GHOST);
	ASSERT_EQ(holders_of(ghost, NSD_HOLDER_GHOST, &h, 1), 1);
	ASSERT(nsd_holder_get_proc(h) == NULL);
	ASSERT(nsd_ns_get_parent(ghost) == outer);
	ASSERT_EQ(nsd_ns_get_owner_uid(ghost, &uid), 0);
	ASSERT_EQ(uid, geteuid());
	ASSERT_EQ(nsd_ns_get_owner_uid(nsd_graph_find_ns(g, nsd_ns_get_inode(inner)), &uid), 0);
	ASSERT_EQ(nsd_ns_get_owner_uid(nsd_proc_get_ns(nsd_graph_find_proc(g, pid), NSD_NS_NET), &uid),
		  -EINVAL);
	fd = nsd_ns_open(ghost);
	ASSERT(fd >= 0);
	ASSERT(fstat(fd, &st) == 0);
	ASSERT_EQ(st.st_ino, nsd_ns_get_inode(ghost));
	ASSERT(fcntl(fd, F_GETFD) & FD_CLOEXEC);

	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(pipefd[0]);
	close(pipefd[1]);
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

/* Hierarchy and ids of the caller's own namespaces, where lsns shows them too. */
static void test_real_hierarchy(void)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g =
		scan_with(NULL, NSD_SCAN_HIERARCHY | NSD_SCAN_NETNSID);
	struct nsd_proc *self = nsd_graph_find_proc(g, getpid());
	struct nsd_ns *user = nsd_proc_get_ns(self, NSD_NS_USER);
	struct nsd_ns *net = nsd_proc_get_ns(self, NSD_NS_NET);
	int id, r;

	ASSERT(user && net);
	ASSERT(nsd_graph_get_self_ns(g, NSD_NS_NET) == net);
	/* The caller's user namespace ends what it may see: no parent, no owner. */
	ASSERT(nsd_ns_get_parent(user) == NULL && nsd_ns_get_owner(user) == NULL);
	ASSERT(nsd_ns_get_owner(net) == user);
	ASSERT(nsd_ns_get_parent(net) == NULL);
	r = nsd_ns_get_netnsid(net, &id);
	ASSERT(r == 0 || r == -ENOENT);
	ASSERT_EQ(nsd_ns_get_netnsid(user, &id), -EINVAL);
}

/*
 * A procfs big enough for the walk to split between workers (on a machine
 * with more than one CPU): namespaces that span the parts must come out as
 * from one thread. (A copy of a procfs lists PIDs in no particular order, so
 * commands are also read after the walk here.) Groups of 16 PIDs share a net
 * namespace; PIDs 10 and 290, at both ends, a uts namespace that 290 also
 * holds by fd; thread 1250 of 250 is in the net namespace of group 1, and
 * thread 1200 of 200 in one of its own. Groups of 4 PIDs share a mount
 * namespace, 76 of them, enough to read their mountinfo with workers too:
 * each mounts a net namespace of its own on /run/netns/mN, seen through its
 * lowest PID, but for group 70, whose lowest PID has no mountinfo to read.
 */
#define MANY 300
static void test_parallel(const char *mkproc, const char *dir)
{
	_cleanup_free_ char *spec = NULL, *proc = NULL, *cmd = NULL;
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = NULL;
	struct nsd_holder *h;
	struct nsd_ns *ns;
	FILE *f;

	ASSERT(asprintf(&spec, "%s/many.spec", dir) > 0);
	ASSERT(asprintf(&proc, "%s/many", dir) > 0);
	f = fopen(spec, "w");
	ASSERT(f);
	for (int pid = 1; pid <= MANY; pid++) {
		fprintf(f, "%d;0;S;p%d;cmd|%d;user:4026531837 net:%ld uts:%ld mnt:%ld\n", pid, pid,
			pid, 4026540000L + pid / 16,
			pid == 10 || pid == 290 ? 4026550000L : 4026531838L, 4026570000L + pid / 4);
		if (((pid == 1 || pid % 4 == 0) && pid != 280) || pid == 281)
			fprintf(f, "@mountinfo;%d;1 0 0:4 net:[%ld] /run/netns/m%d rw - nsfs nsfs rw\n",
				pid, 4026580000L + pid / 4, pid / 4);
	}
	fprintf(f, "@task;250;1250;net:4026540001\n@task;200;1200;net:4026560000\n"
		   "@fd;290;5;uts:[4026550000]\n");
	ASSERT_EQ(fclose(f), 0);
	ASSERT(asprintf(&cmd, "'%s' '%s' '%s'", mkproc, spec, proc) > 0);
	ASSERT(system(cmd) == 0);

	g = scan_with(proc, NSD_SCAN_THREADS | NSD_SCAN_FDS | NSD_SCAN_MOUNTS);
	ASSERT_EQ(nsd_graph_get_nprocs(g), MANY);
	for (pid_t pid = 1; pid <= MANY; pid++)
		ASSERT(nsd_graph_find_proc(g, pid));
	for (int group = 0; group <= MANY / 16; group++) {
		pid_t lowest = group ? group * 16 : 1, end = group * 16 + 16;
		char command[32];

		ns = nsd_graph_find_ns(g, 4026540000 + group);
		ASSERT(ns);
		ASSERT_EQ(nsd_ns_get_nprocs(ns), (size_t)((end <= MANY + 1 ? end : MANY + 1) - lowest));
		ASSERT_EQ(nsd_proc_get_pid(nsd_ns_get_proc(ns)), lowest);
		snprintf(command, sizeof(command), "cmd %d", (int)lowest);
		ASSERT_STREQ(nsd_proc_get_command(nsd_ns_get_proc(ns)), command);
	}
	ns = nsd_graph_find_ns(g, 4026550000);
	ASSERT(ns);
	ASSERT_EQ(nsd_ns_get_nprocs(ns), 2);
	ASSERT_EQ(nsd_proc_get_pid(nsd_ns_get_proc(ns)), 10);
	ASSERT_STREQ(nsd_proc_get_command(nsd_ns_get_proc(ns)), "cmd 10");
	ASSERT_EQ(nsd_ns_get_holder_kinds(ns), (1u << NSD_HOLDER_PROCESS) | (1u << NSD_HOLDER_FD));
	ASSERT_EQ(holders_of(ns, NSD_HOLDER_FD, &h, 1), 1);
	ASSERT_EQ(nsd_holder_get_pid(h), 290);
	ASSERT_EQ(nsd_holder_get_fd(h), 5);
	ns = nsd_graph_find_ns(g, 4026540001);
	ASSERT_EQ(holders_of(ns, NSD_HOLDER_THREAD, &h, 1), 1);
	ASSERT_EQ(nsd_holder_get_tid(h), 1250);
	ns = nsd_graph_find_ns(g, 4026560000);
	ASSERT(ns);
	ASSERT_EQ(nsd_ns_get_nprocs(ns), 0);
	ASSERT_EQ(holders_of(ns, NSD_HOLDER_THREAD, &h, 1), 1);
	ASSERT_EQ(nsd_holder_get_pid(h), 200);
	ASSERT_EQ(nsd_holder_get_tid(h), 1200);
	for (int group = 0; group <= MANY / 4; group++) {
		char mountpoint[32];

		ns = nsd_graph_find_ns(g, 4026580000 + group);
		ASSERT(ns);
		ASSERT_EQ(nsd_ns_get_holder_kinds(ns), 1u << NSD_HOLDER_MOUNT);
		ASSERT_EQ(holders_of(ns, NSD_HOLDER_MOUNT, &h, 1), 1);
		ASSERT_EQ(nsd_holder_get_pid(h), group == 0 ? 1 : group == 70 ? 281 : group * 4);
		snprintf(mountpoint, sizeof(mountpoint), "/run/netns/m%d", group);
		ASSERT_STREQ(nsd_holder_get_mountpoint(h), mountpoint);
		ASSERT(nsd_holder_get_mntns(h) == nsd_graph_find_ns(g, 4026570000 + group));
	}
	ASSERT_EQ(nsd_graph_get_nnamespaces(g), MANY / 16 + 1 + 4 + 2 * (MANY / 4 + 1));
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
	test_holder_order(proc);
	test_threads(proc);
	test_fds(proc);
	test_mounts(proc);
	test_command_pid_reused(proc);
	test_parallel(argv[1], dir);
	test_bad_procfs();
	test_real_proc();
	test_real_hierarchy();
	test_ghost();

	ASSERT(asprintf(&rm, "rm -rf '%s'", dir) > 0);
	ASSERT(system(rm) == 0);
	return 0;
}
