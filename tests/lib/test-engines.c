/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The engine readers and the container set on the fixtures: argv[1] is
 * mkproc.sh, argv[2] proc-containers.spec, argv[3] mkstate.sh. Also the
 * cgroup path shapes and the JSON and cgroup parsers on hostile input.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "engines/engine.h"
#include "test.h"

DEFINE_CLEANUP_FUNC(struct nsd_graph, nsd_graph_unref)
DEFINE_CLEANUP_FUNC(struct nsd_containers, nsd_containers_unref)
DEFINE_CLEANUP_FUNC(struct nsd_iter, nsd_iter_free)

static struct nsd_containers *scan_fixture(const char *dir)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = NULL;
	struct nsd_containers *cs;
	char proc[512], root[512];

	snprintf(proc, sizeof(proc), "%s/proc", dir);
	g = nsd_graph_new(proc);
	ASSERT(g);
	cs = nsd_containers_new(g);
	ASSERT(cs);
	for (unsigned i = 0; nsd_engine_to_name(i); i++) {
		snprintf(root, sizeof(root), "%s/state/%s", dir, nsd_engine_to_name(i));
		ASSERT_EQ(nsd_containers_set_root(cs, nsd_engine_to_name(i), root), 0);
	}
	ASSERT_EQ(nsd_containers_set_root(cs, "dokcer", "/x"), -EINVAL);
	ASSERT_EQ(nsd_containers_scan(cs), 0);
	ASSERT_EQ(nsd_containers_scan(cs), -EALREADY);
	ASSERT_EQ(nsd_containers_set_root(cs, "docker", "/x"), -EALREADY);
	return cs;
}

static struct nsd_container *find(struct nsd_containers *cs, const char *engine, const char *name)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_container *c;

	while (nsd_containers_next(cs, itr, &c) == 0)
		if (strcmp(nsd_container_get_engine(c), engine) == 0 && nsd_container_get_name(c) &&
		    strcmp(nsd_container_get_name(c), name) == 0)
			return c;
	return NULL;
}

static void expect(struct nsd_containers *cs, const char *engine, const char *name, pid_t pid,
		   enum nsd_container_status status)
{
	struct nsd_container *c = find(cs, engine, name);

	if (!c)
		fprintf(stderr, "missing %s:%s\n", engine, name);
	ASSERT(c);
	ASSERT_EQ(nsd_container_get_pid(c), pid);
	ASSERT_EQ(nsd_container_get_status(c), status);
	ASSERT((nsd_container_get_proc(c) != NULL) == (status == NSD_CONTAINER_RUNNING));
}

/* Every engine's reader: the running containers with their inits, stale
 * and stopped state told apart. */
static void test_containers(struct nsd_containers *cs)
{
	struct nsd_container *c;

	expect(cs, "docker", "web", 11, NSD_CONTAINER_RUNNING);
	expect(cs, "docker", "db", 21, NSD_CONTAINER_STALE);   /* PID is another process */
	expect(cs, "docker", "gone", 9999, NSD_CONTAINER_STALE); /* PID is dead */
	expect(cs, "docker", "old", 0, NSD_CONTAINER_STOPPED);
	expect(cs, "podman", "web", 31, NSD_CONTAINER_RUNNING); /* init from its cgroup */
	expect(cs, "crio", "nginx", 41, NSD_CONTAINER_RUNNING);
	expect(cs, "containerd", "app", 51, NSD_CONTAINER_RUNNING);
	expect(cs, "containerd", "ctr1", 55, NSD_CONTAINER_RUNNING);
	expect(cs, "lxc", "box", 61, NSD_CONTAINER_RUNNING); /* not the monitor, 60 */
	expect(cs, "lxc", "stopped-box", 0, NSD_CONTAINER_STOPPED);
	expect(cs, "nspawn", "vm-1", 71, NSD_CONTAINER_RUNNING);
	expect(cs, "nspawn", "tiny", 81, NSD_CONTAINER_RUNNING); /* without machined */
	expect(cs, "runc", "solo", 90, NSD_CONTAINER_RUNNING);
	expect(cs, "runc", "reused", 92, NSD_CONTAINER_STALE); /* start time differs */
	expect(cs, "runc", "dead", 9998, NSD_CONTAINER_STALE);
	expect(cs, "crun", "cr1", 93, NSD_CONTAINER_RUNNING);
	/* the VM that machined knows, the CRI-O entry of containers.json, and
	 * the skipped state files are not containers */
	ASSERT(!find(cs, "nspawn", "qemu"));
	ASSERT(!find(cs, "podman", "k8s_nginx_frontend"));
	ASSERT(!find(cs, "runc", "huge") && !find(cs, "runc", "escape") && !find(cs, "runc", "fifo"));

	c = find(cs, "crio", "nginx");
	ASSERT_STREQ(nsd_container_get_pod(c), "frontend");
	ASSERT_STREQ(nsd_container_get_k8s_namespace(c), "prod");
	c = find(cs, "containerd", "app");
	ASSERT_STREQ(nsd_container_get_pod(c), "backend");
	ASSERT_STREQ(nsd_container_get_k8s_namespace(c), "dev");
	ASSERT(nsd_container_get_pod(find(cs, "docker", "web")) == NULL);

	/* crun's cr1 shares the host's net namespace, nothing else of its own */
	ASSERT_EQ(nsd_container_get_host_namespaces(find(cs, "crun", "cr1")),
		  1u << NSD_NS_NET | 1u << NSD_NS_USER | 1u << NSD_NS_CGROUP | 1u << NSD_NS_TIME);
	ASSERT_EQ(nsd_container_get_host_namespaces(find(cs, "docker", "db")), 0);
}

static const char *engine_of(struct nsd_containers *cs, pid_t pid)
{
	struct nsd_proc *p = nsd_graph_find_proc(nsd_containers_get_graph(cs), pid);
	struct nsd_container *c = p ? nsd_containers_find_proc(cs, p) : NULL;

	ASSERT(p);
	return c ? nsd_container_get_name(c) : "-";
}

/* Every process to its container: by cgroup, by pid namespace, by ancestry. */
static void test_mapping(struct nsd_containers *cs)
{
	ASSERT_STREQ(engine_of(cs, 12), "web"); /* child of the init */
	ASSERT_STREQ(engine_of(cs, 13), "web"); /* docker exec: parent is the shim */
	ASSERT_STREQ(engine_of(cs, 62), "box");
	ASSERT_STREQ(engine_of(cs, 91), "solo"); /* child, no cgroup of its own */
	ASSERT_STREQ(engine_of(cs, 95), "solo"); /* joined its pid namespace from the host */
	ASSERT_STREQ(engine_of(cs, 81), "tiny");
	/* the engines' helpers are not in the containers */
	ASSERT_STREQ(engine_of(cs, 10), "-");
	ASSERT_STREQ(engine_of(cs, 30), "-"); /* conmon */
	ASSERT_STREQ(engine_of(cs, 40), "-"); /* crio-conmon-<id>.scope */
	ASSERT_STREQ(engine_of(cs, 60), "-"); /* lxc monitor */
	ASSERT_STREQ(engine_of(cs, 70), "-"); /* systemd-nspawn */
	ASSERT_STREQ(engine_of(cs, 21), "-"); /* what docker db's stale state names */
	ASSERT_STREQ(engine_of(cs, 1), "-");
}

/* One warning per skipped file, with a reason, sorted by path. */
static void test_warnings(struct nsd_containers *cs)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	static const struct {
		const char *suffix;
		int error;
	} want[] = {
		{"io.containerd.runtime.v2.task/default/badpid/init.pid", EBADMSG},
		{"/config.v2.json", EBADMSG},
		{"overlay-containers/containers.json", EBADMSG},
		{"runc/bad-json/state.json", EBADMSG},
		{"runc/escape-dir/state.json", EXDEV},
		{"runc/escape/state.json", EXDEV},
		{"runc/fifo/state.json", EINVAL},
		{"runc/huge/state.json", EFBIG},
		{"runc/trailing/state.json", EBADMSG},
		{"runc/truncated/state.json", EBADMSG},
		{"runc/wrong-type/state.json", EBADMSG},
	};
	const char *path;
	size_t n = 0;
	int error;

	while (nsd_containers_next_warning(cs, itr, &path, &error) == 0) {
		size_t len = strlen(path), slen;

		ASSERT(n < ELEMENTSOF(want));
		slen = strlen(want[n].suffix);
		ASSERT(len >= slen && strcmp(path + len - slen, want[n].suffix) == 0);
		ASSERT_EQ(error, want[n].error);
		n++;
	}
	ASSERT_EQ(n, ELEMENTSOF(want));
}

static bool match(bool (*find_fn)(const char *, size_t, struct nsd_cgroup_match *),
		  const char *path, const char *key, bool known_only)
{
	struct nsd_cgroup_match m;

	if (!find_fn(path, strlen(path), &m))
		return key == NULL;
	return key && m.len == strlen(key) && memcmp(m.key, key, m.len) == 0 &&
	       m.known_only == known_only;
}

static const char id[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static bool docker_shape(const char *p, size_t l, struct nsd_cgroup_match *m)
{
	return nsd_engine_docker.match_cgroup(p, l, m);
}
static bool podman_shape(const char *p, size_t l, struct nsd_cgroup_match *m)
{
	return nsd_engine_podman.match_cgroup(p, l, m);
}
static bool nspawn_shape(const char *p, size_t l, struct nsd_cgroup_match *m)
{
	return nsd_engine_nspawn.match_cgroup(p, l, m);
}
static bool lxc_shape(const char *p, size_t l, struct nsd_cgroup_match *m)
{
	return nsd_engine_lxc.match_cgroup(p, l, m);
}

static void test_cgroup_shapes(void)
{
	char path[512];

	snprintf(path, sizeof(path), "/system.slice/docker-%s.scope", id);
	ASSERT(match(docker_shape, path, id, false));
	snprintf(path, sizeof(path), "/docker/%s", id);
	ASSERT(match(docker_shape, path, id, false));
	snprintf(path, sizeof(path), "/kubepods/burstable/pod1/%s", id);
	ASSERT(match(docker_shape, path, id, true));
	snprintf(path, sizeof(path), "/ci/parent/%s", id); /* --cgroup-parent */
	ASSERT(match(docker_shape, path, id, true));
	ASSERT(match(docker_shape, "/ci/short", NULL, false));
	ASSERT(match(docker_shape, "/docker/short", NULL, false));
	ASSERT(match(docker_shape, "/", NULL, false));
	/* nested: the innermost container */
	snprintf(path, sizeof(path), "/docker/%.63s0/docker/%s", id, id);
	ASSERT(match(docker_shape, path, id, false));

	snprintf(path, sizeof(path), "/machine.slice/libpod-%s.scope/container", id);
	ASSERT(match(podman_shape, path, id, false));
	snprintf(path, sizeof(path), "/libpod_parent/libpod-conmon-%s", id);
	ASSERT(match(podman_shape, path, NULL, false));

	ASSERT(match(nspawn_shape, "/machine.slice/machine-web\\x2d1.scope/payload", "web-1", false));
	ASSERT(match(nspawn_shape, "/machine.slice/machine-.scope", NULL, false));
	ASSERT(match(lxc_shape, "/lxc.payload.box/init.scope", "box", false));
	ASSERT(match(lxc_shape, "/lxc.monitor.box", NULL, false));
	ASSERT(match(lxc_shape, "/lxc/old", "old", true));
}

static void test_cgroup_line(void)
{
	const char *path;
	size_t len;

	ASSERT_EQ(nsd_parse_cgroup_line("0::/a/b", 7, &path, &len), 0);
	ASSERT_EQ(len, 4);
	ASSERT_EQ(nsd_parse_cgroup_line("9:name=systemd:/x:y", 19, &path, &len), 0);
	ASSERT_EQ(len, 4); /* the path may hold ':' */
	ASSERT_EQ(nsd_parse_cgroup_line("::/x", 4, &path, &len), -EINVAL);
	ASSERT_EQ(nsd_parse_cgroup_line("a::/x", 5, &path, &len), -EINVAL);
	ASSERT_EQ(nsd_parse_cgroup_line("0:/x", 4, &path, &len), -EINVAL);
	ASSERT_EQ(nsd_parse_cgroup_line("0::", 3, &path, &len), -EINVAL);
	ASSERT_EQ(nsd_parse_cgroup_line("0::x", 4, &path, &len), -EINVAL);
}

static void test_json(void)
{
	static const char *const bad[] = {
		"", "{", "[]", "{} {}", "{\"a\":1,}", "{\"a\":tru}", "null", "{\"a\":\"\\u00\"}",
	};
	static const char good[] = "{\"p\":5,\"n\":-1,\"s\":\"x\",\"b\":99999999999} \n";
	struct json_object *o;
	char deep[300];
	unsigned long long v;
	pid_t pid;

	for (size_t i = 0; i < ELEMENTSOF(bad); i++)
		ASSERT_EQ(nsd_json_parse(bad[i], strlen(bad[i]), json_type_object, &o), -EBADMSG);
	memset(deep, '[', sizeof(deep));
	ASSERT_EQ(nsd_json_parse(deep, sizeof(deep), json_type_array, &o), -EBADMSG);
	ASSERT_EQ(nsd_json_parse(good, strlen(good), json_type_object, &o), 0);
	ASSERT_EQ(nsd_json_get_pid(o, "p", &pid), 0);
	ASSERT_EQ(pid, 5);
	ASSERT_EQ(nsd_json_get_pid(o, "n", &pid), -EBADMSG);
	ASSERT_EQ(nsd_json_get_pid(o, "s", &pid), -EBADMSG);
	ASSERT_EQ(nsd_json_get_pid(o, "b", &pid), -EBADMSG);
	ASSERT_EQ(nsd_json_get_pid(o, "missing", &pid), -EBADMSG);
	ASSERT_EQ(nsd_json_get_ull(o, "b", &v), 0);
	ASSERT_EQ(v, 99999999999ULL);
	ASSERT(nsd_json_get_string(o, "p") == NULL);
	ASSERT_STREQ(nsd_json_get_string(o, "s"), "x");
	json_object_put(o);

	ASSERT(nsd_state_is_name("web-1.a_b"));
	ASSERT(!nsd_state_is_name("..") && !nsd_state_is_name("a/b") && !nsd_state_is_name(""));
	ASSERT(!nsd_state_is_name("a b") && !nsd_state_is_name("a\x1b[2J"));
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/test-engines.XXXXXX", cmd[4096];
	_cleanup_(nsd_containers_unrefp) struct nsd_containers *cs = NULL;

	ASSERT(argc == 4);
	test_cgroup_shapes();
	test_cgroup_line();
	test_json();

	ASSERT(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "'%s' '%s' %s/proc && '%s' %s/state", argv[1], argv[2], dir,
		 argv[3], dir);
	ASSERT_EQ(system(cmd), 0);
	cs = scan_fixture(dir);
	test_containers(cs);
	test_mapping(cs);
	test_warnings(cs);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ASSERT_EQ(system(cmd), 0);
	return 0;
}
