/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Targets: the parser on every form and on what is not a target; resolving
 * container names on the fixtures (argv as test-engines); pinning real
 * processes, a recycled PID refused, namespace files.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "nsdebug-private.h"
#include "test.h"

DEFINE_CLEANUP_FUNC(struct nsd_graph, nsd_graph_unref)
DEFINE_CLEANUP_FUNC(struct nsd_containers, nsd_containers_unref)
DEFINE_CLEANUP_FUNC(struct nsd_target, nsd_target_unref)
DEFINE_CLEANUP_FUNC(struct nsd_iter, nsd_iter_free)

static void test_parse(void)
{
	static const char *const bad[] = {"", "0", "007", "99999999999", "-1", "-0", "docker:", ":web", ":"};
	struct {
		const char *arg;
		enum nsd_target_kind kind;
		const char *engine;
	} good[] = {
		{"1", NSD_TARGET_PID, NULL},
		{"4194304", NSD_TARGET_PID, NULL},
		{"/run/netns/x", NSD_TARGET_NSFILE, NULL},
		{"./ns", NSD_TARGET_NSFILE, NULL},
		{"web", NSD_TARGET_CONTAINER, NULL},
		{"6a40c7", NSD_TARGET_CONTAINER, NULL},
		{"docker:web", NSD_TARGET_CONTAINER, "docker"},
		{"dokcer:web", NSD_TARGET_CONTAINER, "dokcer"}, /* unknown: found out by resolve */
		{"a:b:c", NSD_TARGET_CONTAINER, "a"},
		{"-", NSD_TARGET_CONTAINER, NULL},
		{"-web", NSD_TARGET_CONTAINER, NULL},
	};

	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		errno = 0;
		ASSERT(nsd_target_new(bad[i]) == NULL);
		ASSERT_EQ(errno, EINVAL);
	}
	ASSERT(nsd_target_new(NULL) == NULL);
	for (size_t i = 0; i < ELEMENTSOF(good); i++) {
		_cleanup_(nsd_target_unrefp) struct nsd_target *t = nsd_target_new(good[i].arg);

		ASSERT(t);
		ASSERT_EQ(nsd_target_get_kind(t), good[i].kind);
		ASSERT_STREQ(nsd_target_get_arg(t), good[i].arg);
		ASSERT(good[i].engine ? nsd_target_get_engine(t) &&
						strcmp(nsd_target_get_engine(t), good[i].engine) == 0
				      : nsd_target_get_engine(t) == NULL);
		/* nothing is open before resolving */
		ASSERT_EQ(nsd_target_get_pidfd(t), -ENODATA);
		ASSERT_EQ(nsd_target_check(t), -ENODATA);
	}
}

static int resolve(struct nsd_containers *cs, const char *arg, struct nsd_target **ret)
{
	struct nsd_target *t = nsd_target_new(arg);
	int r;

	ASSERT(t);
	r = nsd_target_resolve(t, cs);
	*ret = t;
	return r;
}

static void expect_pid(struct nsd_containers *cs, const char *arg, pid_t pid, const char *name)
{
	_cleanup_(nsd_target_unrefp) struct nsd_target *t = NULL;

	ASSERT_EQ(resolve(cs, arg, &t), 0);
	ASSERT_EQ(nsd_target_get_pid(t), pid);
	ASSERT_EQ(nsd_target_get_starttime(t), (unsigned long long)pid * 100);
	ASSERT_STREQ(nsd_container_get_name(nsd_target_get_container(t)), name);
	/* a fixture procfs is not the caller's: a pidfd would name another process */
	ASSERT_EQ(nsd_target_get_pidfd(t), -ENODATA);
	ASSERT(nsd_target_get_procfd(t) >= 0);
	ASSERT_EQ(nsd_target_check(t), 0);
	ASSERT_EQ(nsd_target_resolve(t, cs), -EALREADY);
}

static void test_containers(struct nsd_containers *cs)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_target *t;
	struct nsd_container *c;
	size_t n = 0;

	expect_pid(cs, "docker:web", 11, "web");
	expect_pid(cs, "podman:web", 31, "web");
	expect_pid(cs, "aa11000000000000000000000000000000000000000000000000000000000000", 11, "web");
	expect_pid(cs, "aa", 11, "web"); /* aa22 (db) fits too, but is not running */
	expect_pid(cs, "box", 61, "box");
	expect_pid(cs, "nginx", 41, "nginx");
	expect_pid(cs, "solo", 90, "solo");
	expect_pid(cs, "nspawn:tiny", 81, "tiny");

	ASSERT_EQ(resolve(cs, "web", &t), -ENOTUNIQ);
	while (nsd_target_next_candidate(t, itr, &c) == 0)
		n++;
	ASSERT_EQ(n, 2);
	nsd_target_unref(t);
	ASSERT_EQ(resolve(cs, "dd", &t), -ENOTUNIQ); /* podman dd55 and crio dd66 */
	nsd_target_unref(t);
	ASSERT_EQ(resolve(cs, "nope", &t), -ENOENT);
	nsd_target_unref(t);
	ASSERT_EQ(resolve(cs, "lxc:web", &t), -ENOENT);
	nsd_target_unref(t);
	ASSERT_EQ(resolve(cs, "dokcer:web", &t), -ENXIO);
	nsd_target_unref(t);
	/* stale and stopped state: never pinned */
	ASSERT_EQ(resolve(cs, "db", &t), -ESRCH);
	ASSERT_EQ(nsd_container_get_status(nsd_target_get_container(t)), NSD_CONTAINER_STALE);
	ASSERT_EQ(nsd_target_get_pid(t), 0);
	ASSERT_EQ(nsd_target_get_procfd(t), -ENODATA);
	nsd_target_unref(t);
	ASSERT_EQ(resolve(cs, "runc:reused", &t), -ESRCH);
	nsd_target_unref(t);
	ASSERT_EQ(resolve(cs, "old", &t), -ESRCH);
	nsd_target_unref(t);
	/* a container target needs the containers */
	ASSERT_EQ(resolve(NULL, "web", &t), -EINVAL);
	nsd_target_unref(t);
}

static ino_t inode_of(const char *path)
{
	struct stat st;

	ASSERT_EQ(stat(path, &st), 0);
	return st.st_ino;
}

/* A real process: pinned with a pidfd; once it is gone, refused. */
static void test_pin_real(void)
{
	_cleanup_(nsd_target_unrefp) struct nsd_target *t = NULL;
	char arg[16];
	struct stat st;
	pid_t child = fork();
	int fd;

	ASSERT(child >= 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	snprintf(arg, sizeof(arg), "%d", (int)child);
	ASSERT_EQ(resolve(NULL, arg, &t), 0);
	ASSERT_EQ(nsd_target_get_pid(t), child);
	ASSERT_STREQ(nsd_target_get_procfs(t), "/proc");
	ASSERT(nsd_target_get_pidfd(t) >= 0);
	ASSERT_EQ(nsd_target_check(t), 0);
	fd = nsd_target_open_ns(t, NSD_NS_NET);
	ASSERT(fd >= 0);
	ASSERT_EQ(fstat(fd, &st), 0);
	ASSERT_EQ(st.st_ino, inode_of("/proc/self/ns/net"));
	close(fd);
	ASSERT_EQ(nsd_target_open_ns(t, NSD_NS_COUNT), -EINVAL);

	ASSERT_EQ(kill(child, SIGKILL), 0);
	ASSERT_EQ(waitpid(child, NULL, 0), child);
	/* Reaped: its PID may be anyone's now, the pin says it is gone. */
	ASSERT_EQ(nsd_target_check(t), -ESRCH);
	ASSERT(nsd_target_open_ns(t, NSD_NS_NET) < 0);

	ASSERT_EQ(nsd_target_resolve(t, NULL), -EALREADY);
	nsd_target_unref(t);
	ASSERT_EQ(resolve(NULL, arg, &t), -ESRCH);
}

static void test_nsfile(void)
{
	_cleanup_(nsd_target_unrefp) struct nsd_target *t = NULL, *u = NULL, *v = NULL;
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/ns/uts", (int)getpid());
	ASSERT_EQ(resolve(NULL, path, &t), 0);
	ASSERT_EQ(nsd_target_get_nstype(t), NSD_NS_UTS);
	ASSERT_EQ(nsd_target_get_pid(t), getpid()); /* a /proc/PID/ns link pins its process */
	fd = nsd_target_open_ns(t, NSD_NS_UTS);
	ASSERT(fd >= 0);
	close(fd);

	/* a namespace file without a process: only its own type */
	ASSERT_EQ(resolve(NULL, "/proc/self/ns/net", &u), 0);
	ASSERT_EQ(nsd_target_get_nstype(u), NSD_NS_NET);
	ASSERT_EQ(nsd_target_get_pid(u), 0);
	ASSERT_EQ(nsd_target_check(u), -ENODATA);
	ASSERT_EQ(nsd_target_open_ns(u, NSD_NS_PID), -ENOENT);
	fd = nsd_target_open_ns(u, NSD_NS_NET);
	ASSERT(fd >= 0);
	close(fd);

	ASSERT_EQ(resolve(NULL, "/etc/hostname", &v), -EINVAL);
	nsd_target_unref(v);
	ASSERT_EQ(resolve(NULL, "/nonexistent/ns", &v), -ENOENT);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/test-target.XXXXXX", cmd[4096], path[512];
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = NULL;
	_cleanup_(nsd_containers_unrefp) struct nsd_containers *cs = NULL;

	ASSERT(argc == 4);
	test_parse();
	test_pin_real();
	test_nsfile();

	ASSERT(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "'%s' '%s' %s/proc && '%s' %s/state", argv[1], argv[2], dir,
		 argv[3], dir);
	ASSERT_EQ(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/proc", dir);
	g = nsd_graph_new(path);
	ASSERT(g);
	cs = nsd_containers_new(g);
	ASSERT(cs);
	for (unsigned i = 0; nsd_engine_to_name(i); i++) {
		snprintf(path, sizeof(path), "%s/state/%s", dir, nsd_engine_to_name(i));
		ASSERT_EQ(nsd_containers_set_root(cs, nsd_engine_to_name(i), path), 0);
	}
	ASSERT_EQ(nsd_containers_scan(cs), 0);
	test_containers(cs);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ASSERT_EQ(system(cmd), 0);
	return 0;
}
