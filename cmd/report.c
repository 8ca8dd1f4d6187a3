/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The inspect report: the facts libnsdebug gives about a target, as one JSON tree. */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"

#define REPORT_VERSION 1

static struct json_object *must(struct json_object *o)
{
	if (!o)
		nomem();
	return o;
}

static void add(struct json_object *obj, const char *key, struct json_object *val)
{
	if (json_object_object_add(obj, key, val) < 0)
		nomem();
}

static void append(struct json_object *arr, struct json_object *val)
{
	if (json_object_array_add(arr, val) < 0)
		nomem();
}

/* A string member; NULL is JSON null. */
static void add_str(struct json_object *obj, const char *key, const char *s)
{
	add(obj, key, s ? must(json_object_new_string(s)) : NULL);
}

static void add_int(struct json_object *obj, const char *key, int64_t v)
{
	add(obj, key, must(json_object_new_int64(v)));
}

static void add_bool(struct json_object *obj, const char *key, bool v)
{
	add(obj, key, must(json_object_new_boolean(v)));
}

static void warn_in(struct json_object *report, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A line of "warnings": what could not be read, and why. */
static void warn_in(struct json_object *report, const char *fmt, ...)
{
	struct json_object *w;
	char *s;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		nomem();
	json_object_object_get_ex(report, "warnings", &w);
	append(w, must(json_object_new_string(s)));
	free(s);
}

/* ISO 8601 in UTC: evidence is compared across machines and time zones. */
static struct json_object *new_time(time_t t)
{
	char buf[32];
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		return NULL;
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return must(json_object_new_string(buf));
}

static void add_identity(struct json_object *report, const struct report_input *in)
{
	struct json_object *id = must(json_object_new_object());
	struct nsd_container *c = nsd_containers_find_proc(in->cs, in->proc);
	struct nsd_proc *p = in->proc;
	int level = nsd_proc_get_pidns_level(p);
	pid_t nspid;
	time_t start;

	add_str(id, "engine", c ? nsd_container_get_engine(c) : NULL);
	add_str(id, "id", c ? nsd_container_get_id(c) : NULL);
	add_str(id, "name", c ? nsd_container_get_name(c) : NULL);
	add_str(id, "pod", c ? nsd_container_get_pod(c) : NULL);
	add_str(id, "k8s_namespace", c ? nsd_container_get_k8s_namespace(c) : NULL);
	add_int(id, "pid", nsd_proc_get_pid(p));
	if (level >= 0 && nsd_proc_get_nspid(p, (unsigned)level, &nspid) == 0)
		add_int(id, "nspid", nspid);
	else
		add(id, "nspid", NULL);
	add(id, "start_time", nsd_proc_get_start_time(p, &start) == 0 ? new_time(start) : NULL);
	add_str(id, "command", nsd_proc_get_command(p));
	add(report, "identity", id);
}

static void add_namespaces(struct json_object *report, const struct report_input *in)
{
	struct json_object *arr = must(json_object_new_array());
	unsigned host = nsd_proc_get_host_namespaces(in->proc);

	for (int t = 0; t < NSD_NS_COUNT; t++) {
		struct nsd_ns *ns = nsd_proc_get_ns(in->proc, t);
		struct json_object *o;

		if (!ns)
			continue;
		o = must(json_object_new_object());
		add_str(o, "type", nsd_nstype_to_name(t));
		add_int(o, "inode", (int64_t)nsd_ns_get_inode(ns));
		add_bool(o, "host", host & (1u << t));
		append(arr, o);
	}
	add(report, "namespaces", arr);
}

static struct json_object *id_map(struct json_object *report, struct nsd_proc *p, bool gid)
{
	_cleanup_free_ struct nsd_id_range *ranges = NULL;
	struct json_object *arr;
	size_t n;
	int r = nsd_proc_get_id_map(p, gid, &ranges, &n);

	if (r == -ENOMEM)
		nomem();
	if (r < 0) {
		warn_in(report, "%s: %s", gid ? "gid_map" : "uid_map", strerror(-r));
		return NULL;
	}
	arr = must(json_object_new_array());
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = must(json_object_new_object());

		add_int(o, "inside", ranges[i].inside);
		add_int(o, "outside", ranges[i].outside);
		add_int(o, "count", ranges[i].count);
		append(arr, o);
	}
	return arr;
}

/* The names of the capabilities in @set; "CAP_N" for those without a name. */
static struct json_object *cap_names(uint64_t set)
{
	struct json_object *arr = must(json_object_new_array());

	for (unsigned cap = 0; cap < 64; cap++) {
		const char *name = nsd_cap_to_name(cap);
		char buf[16];

		if (!(set & (1ULL << cap)))
			continue;
		if (!name) {
			snprintf(buf, sizeof(buf), "CAP_%u", cap);
			name = buf;
		}
		append(arr, must(json_object_new_string(name)));
	}
	return arr;
}

static void add_privileges(struct json_object *report, const struct report_input *in)
{
	static const struct {
		const char *name;
		enum nsd_caps set;
	} sets[] = {
		{"effective", NSD_CAPS_EFFECTIVE},
		{"permitted", NSD_CAPS_PERMITTED},
		{"inheritable", NSD_CAPS_INHERITABLE},
		{"bounding", NSD_CAPS_BOUNDING},
		{"ambient", NSD_CAPS_AMBIENT},
	};
	static const char *const seccomp_modes[] = {"disabled", "strict", "filter"};
	struct json_object *priv = must(json_object_new_object()), *caps;
	struct nsd_proc *p = in->proc;
	bool own_userns = !(nsd_proc_get_host_namespaces(p) & (1u << NSD_NS_USER));
	uint64_t set, all = nsd_graph_get_all_caps(nsd_containers_get_graph(in->cs));
	uid_t uids[4];
	int nnp, seccomp, r;
	char *label = NULL;

	add_bool(priv, "user_namespace", own_userns);
	add(priv, "uid_map", id_map(report, p, false));
	add(priv, "gid_map", id_map(report, p, true));
	/* Root inside is root on the host when nothing maps it elsewhere. */
	if (!own_userns) {
		add_bool(priv, "root_is_host_root", true);
	} else {
		_cleanup_free_ struct nsd_id_range *ranges = NULL;
		size_t n = 0;
		bool host_root = false;

		if (nsd_proc_get_id_map(p, false, &ranges, &n) == 0)
			for (size_t i = 0; i < n; i++)
				if (ranges[i].inside == 0 && ranges[i].count > 0)
					host_root = ranges[i].outside == 0;
		add_bool(priv, "root_is_host_root", host_root);
	}
	if (nsd_proc_get_ids(p, uids, NULL) == 0) {
		add_int(priv, "host_uid", uids[1]);
	} else {
		add(priv, "host_uid", NULL);
		warn_in(report, "status: cannot read the IDs");
	}
	caps = must(json_object_new_object());
	for (size_t i = 0; i < ELEMENTSOF(sets); i++) {
		r = nsd_proc_get_caps(p, sets[i].set, &set);
		add(caps, sets[i].name, r == 0 ? cap_names(set) : NULL);
	}
	set = 0;
	nsd_proc_get_caps(p, NSD_CAPS_EFFECTIVE, &set);
	add_bool(caps, "all", (set & all) == all);
	add(priv, "capabilities", caps);
	r = nsd_proc_get_security(p, &nnp, &seccomp);
	if (r == 0) {
		add_bool(priv, "no_new_privs", nnp);
		add_str(priv, "seccomp", seccomp >= 0 && seccomp <= 2 ? seccomp_modes[seccomp] : NULL);
	} else {
		add(priv, "no_new_privs", NULL);
		add(priv, "seccomp", NULL);
	}
	r = nsd_proc_get_lsm_label(p, &label);
	if (r == -ENOMEM)
		nomem();
	add_str(priv, "lsm_label", r == 0 ? label : NULL);
	free(label);
	add(report, "privileges", priv);
}

/* The host's mount table: a file, else PID 1's of the procfs. */
static struct nsd_mounts *host_mounts(const struct report_input *in)
{
	struct nsd_mounts *host = nsd_mounts_new();
	int r;

	if (!host)
		nomem();
	if (in->host_mountinfo)
		r = nsd_mounts_read_file(host, in->host_mountinfo);
	else
		r = nsd_mounts_read_pid(host, nsd_target_get_procfs(in->target), 1, -EBADF);
	if (r < 0)
		return nsd_mounts_unref(host);
	return host;
}

static void add_filesystem(struct json_object *report, const struct report_input *in)
{
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *mounts = nsd_mounts_new(), *host = NULL;
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct json_object *fs = must(json_object_new_object()), *exposed;
	struct nsd_mount *mnt, *root = NULL;
	int r;

	if (!mounts || !itr)
		nomem();
	add(report, "filesystem", fs);
	r = nsd_mounts_read_pid(mounts, nsd_target_get_procfs(in->target),
				nsd_proc_get_pid(in->proc), nsd_target_get_pidfd(in->target));
	if (r < 0) {
		warn_in(report, "mountinfo: %s", strerror(-r));
		return;
	}
	host = host_mounts(in);
	if (!host)
		warn_in(report, "the host's mountinfo: cannot be read; no host paths");
	else if (nsd_mounts_resolve_host(mounts, host) < 0)
		nomem();
	/* The root is the last mount on "/": a later one covers an earlier. */
	while (nsd_mounts_next_mount(mounts, itr, &mnt) == 0)
		if (strcmp(nsd_mount_get_target(mnt), "/") == 0)
			root = mnt;
	if (root) {
		struct json_object *o = must(json_object_new_object());

		add_str(o, "source", nsd_mount_get_source(root));
		add_str(o, "fstype", nsd_mount_get_fstype(root));
		add_bool(o, "read_only", !nsd_mount_is_writable(root));
		add_str(o, "host_path", nsd_mount_get_host_path(root));
		add(fs, "root", o);
	} else {
		add(fs, "root", NULL);
	}
	add_int(fs, "mounts", (int64_t)nsd_mounts_get_nmounts(mounts));
	exposed = must(json_object_new_array());
	nsd_iter_reset(itr);
	while (nsd_mounts_next_mount(mounts, itr, &mnt) == 0) {
		struct json_object *o;

		if (!nsd_mount_get_exposure(mnt))
			continue;
		o = must(json_object_new_object());
		add_str(o, "target", nsd_mount_get_target(mnt));
		add_str(o, "host_path", nsd_mount_get_host_path(mnt));
		add_bool(o, "read_only", !nsd_mount_is_writable(mnt));
		add_str(o, "reason", nsd_mount_get_exposure(mnt));
		append(exposed, o);
	}
	add(fs, "exposed", exposed);
}

static void add_proc_ref(struct json_object *o, struct nsd_proc *p)
{
	add(o, "pid", p ? must(json_object_new_int(nsd_proc_get_pid(p))) : NULL);
	add_str(o, "command", p ? nsd_proc_get_command(p) : NULL);
}

static void add_interfaces(struct json_object *net, struct nsd_netinfo *ni)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new(), *aitr = nsd_iter_new();
	struct json_object *ifs = must(json_object_new_array()), *routes = must(json_object_new_array());
	struct nsd_netif *nif;
	struct nsd_netaddr *a;
	struct nsd_netroute *rt;

	if (!itr || !aitr)
		nomem();
	while (nsd_netinfo_next_interface(ni, itr, &nif) == 0) {
		struct json_object *o = must(json_object_new_object()), *addrs;

		add_str(o, "name", nsd_netif_get_name(nif));
		add_int(o, "index", nsd_netif_get_index(nif));
		add_bool(o, "up", nsd_netif_is_up(nif));
		add_int(o, "mtu", nsd_netif_get_mtu(nif));
		add_str(o, "mac", nsd_netif_get_mac(nif));
		add_str(o, "kind", nsd_netif_get_kind(nif));
		addrs = must(json_object_new_array());
		nsd_iter_reset(aitr);
		while (nsd_netinfo_next_address(ni, aitr, &a) == 0) {
			char buf[INET6_ADDRSTRLEN + 8];
			const char *name = nsd_netaddr_get_interface(a);

			if (!name || strcmp(name, nsd_netif_get_name(nif)) != 0)
				continue;
			snprintf(buf, sizeof(buf), "%s/%u", nsd_netaddr_get_address(a),
				 nsd_netaddr_get_prefixlen(a));
			append(addrs, must(json_object_new_string(buf)));
		}
		add(o, "addresses", addrs);
		append(ifs, o);
	}
	while (nsd_netinfo_next_route(ni, itr, &rt) == 0) {
		struct json_object *o = must(json_object_new_object());

		add_str(o, "family", nsd_netroute_get_family(rt) == AF_INET6 ? "inet6" : "inet");
		add_str(o, "destination", nsd_netroute_get_destination(rt));
		add_str(o, "gateway", nsd_netroute_get_gateway(rt));
		add_str(o, "interface", nsd_netroute_get_interface(rt));
		append(routes, o);
	}
	add(net, "interfaces", ifs);
	add(net, "routes", routes);
}

static void add_sockets(struct json_object *net, struct nsd_netinfo *ni)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct json_object *listening = must(json_object_new_array());
	struct json_object *connections = must(json_object_new_array());
	struct nsd_socket *s;

	if (!itr)
		nomem();
	while (nsd_netinfo_next_socket(ni, itr, &s) == 0) {
		bool listens = nsd_socket_is_listening(s);
		struct json_object *o;

		/* A connection has a peer: an inet one's address, a unix one's state. */
		if (!listens && !nsd_socket_get_remote(s) && strcmp(nsd_socket_get_state(s), "ESTAB") != 0)
			continue;
		o = must(json_object_new_object());
		add_str(o, "protocol", nsd_socket_get_protocol(s));
		add_str(o, "state", nsd_socket_get_state(s));
		add_str(o, "local", nsd_socket_get_local(s));
		add_str(o, "remote", nsd_socket_get_remote(s));
		add_int(o, "inode", (int64_t)nsd_socket_get_inode(s));
		add_proc_ref(o, nsd_socket_get_proc(s));
		append(listens ? listening : connections, o);
	}
	add(net, "listening", listening);
	add(net, "connections", connections);
}

static void add_network(struct json_object *report, const struct report_input *in)
{
	struct json_object *net = must(json_object_new_object());
	_cleanup_(nsd_netinfo_unrefp) struct nsd_netinfo *ni = nsd_netinfo_new();
	_cleanup_(nsd_netinfo_unrefp) struct nsd_netinfo *socks = nsd_netinfo_new();
	int r;

	if (!ni || !socks)
		nomem();
	add(report, "network", net);
	r = nsd_netinfo_read_interfaces(ni, in->target);
	if (r == -ENOMEM)
		nomem();
	if (r < 0)
		warn_in(report, "network interfaces: cannot read them in its net namespace: %s",
			strerror(-r));
	else
		add_interfaces(net, ni);
	r = nsd_netinfo_read_sockets(socks, in->proc);
	if (r == -ENOMEM)
		nomem();
	if (r < 0)
		warn_in(report, "sockets: %s", strerror(-r));
	else
		add_sockets(net, socks);
}

static void add_process(struct json_object *arr, const struct report_input *in,
			struct nsd_proc *p, unsigned level)
{
	struct json_object *o = must(json_object_new_object());
	uid_t uids[4];
	uint32_t uid;
	pid_t nspid;
	bool has_uid = nsd_proc_get_ids(p, uids, NULL) == 0;
	int mapped = has_uid ? nsd_proc_map_id(in->proc, false, uids[1], &uid) : -ENODATA;
	char *user = NULL;

	add_int(o, "pid", nsd_proc_get_pid(p));
	if (nsd_proc_get_nspid(p, level, &nspid) == 0)
		add_int(o, "nspid", nspid);
	else
		add(o, "nspid", NULL);
	add_int(o, "ppid", nsd_proc_get_ppid(p));
	/* An ID the user namespace does not map shows as the overflow ID there. */
	if (mapped == -ERANGE)
		uid = 65534, mapped = 0;
	add(o, "uid", mapped == 0 ? must(json_object_new_int64(uid)) : NULL);
	if (mapped == 0 && nsd_proc_get_user_name(in->proc, uid, &user) == -ENOMEM)
		nomem();
	add_str(o, "user", user);
	free(user);
	add(o, "host_uid", has_uid ? must(json_object_new_int64(uids[1])) : NULL);
	add_bool(o, "host_root", has_uid && uids[1] == 0);
	add_str(o, "exe", nsd_proc_get_exe(p));
	add_bool(o, "exe_deleted", nsd_proc_is_exe_deleted(p));
	add_bool(o, "exe_memfd", nsd_proc_is_exe_memfd(p));
	add_str(o, "command", nsd_proc_get_command(p));
	append(arr, o);
}

static int cmp_nspid(const void *a, const void *b)
{
	struct json_object *x, *y;
	int64_t i, j;

	json_object_object_get_ex(*(struct json_object *const *)a, "nspid", &x);
	json_object_object_get_ex(*(struct json_object *const *)b, "nspid", &y);
	i = json_object_get_int64(x);
	j = json_object_get_int64(y);
	return (i > j) - (i < j);
}

static void add_processes(struct json_object *report, const struct report_input *in)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct json_object *arr = must(json_object_new_array());
	struct nsd_graph *g = nsd_containers_get_graph(in->cs);
	struct nsd_ns *pidns = nsd_proc_get_ns(in->proc, NSD_NS_PID);
	int level = nsd_proc_get_pidns_level(in->proc);
	_cleanup_free_ char *note = NULL;
	struct nsd_proc *p;

	if (!itr)
		nomem();
	add(report, "processes", arr);
	if (!pidns || level < 0) {
		warn_in(report, "processes: cannot read its pid namespace");
		return;
	}
	while (nsd_graph_next_proc(g, itr, &p) == 0)
		if (nsd_ns_is_within(nsd_proc_get_ns(p, NSD_NS_PID), pidns))
			add_process(arr, in, p, (unsigned)level);
	json_object_array_sort(arr, cmp_nspid);
	note = hidden_note(count_hidden_within(g, (unsigned)level), "the report leaves");
	if (note)
		warn_in(report, "%s", note);
}

struct json_object *report_build(const struct report_input *in)
{
	struct json_object *report = must(json_object_new_object());

	add_int(report, "version", REPORT_VERSION);
	add_str(report, "target", nsd_target_get_arg(in->target));
	add(report, "time", new_time(in->now));
	add(report, "warnings", must(json_object_new_array()));
	add_identity(report, in);
	add_namespaces(report, in);
	add_privileges(report, in);
	add_filesystem(report, in);
	add_network(report, in);
	add_processes(report, in);
	return report;
}

struct nsd_proc *report_target_proc(struct nsd_target *t, struct nsd_graph *g)
{
	const char *arg = nsd_target_get_arg(t);
	struct nsd_proc *p;

	if (nsd_target_get_pid(t) == 0)
		errx(EXIT_RUNTIME, "%.100s: no process holds it, so there is nothing to inspect",
		     arg);
	p = nsd_graph_find_proc(g, nsd_target_get_pid(t));
	if (!p || nsd_proc_get_starttime(p) != nsd_target_get_starttime(t))
		errx(EXIT_RUNTIME, "%.100s: the process exited", arg);
	if (nsd_proc_is_denied(p))
		errx(EXIT_RUNTIME, "%.100s: cannot read its namespaces: %s", arg, strerror(EACCES));
	return p;
}

struct json_object *report_open(const char *sub, const char *arg, const char *procfs,
				const struct engine_roots *roots, const char *host_mountinfo,
				struct nsd_containers **ret_cs, struct nsd_target **ret_t)
{
	struct nsd_target *t = target_parse(sub, arg);
	/* The hierarchy tells which pid namespaces are below the target's. */
	struct nsd_graph *g = graph_open(procfs, NSD_SCAN_HIERARCHY);
	struct report_input in = {.target = t, .host_mountinfo = host_mountinfo, .now = time(NULL)};

	in.cs = containers_open(g, roots);
	nsd_graph_unref(g);
	target_resolve(t, in.cs);
	in.proc = report_target_proc(t, nsd_containers_get_graph(in.cs));
	*ret_cs = in.cs;
	*ret_t = t;
	return report_build(&in);
}

char *report_to_json(struct json_object *obj)
{
	const char *s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
								  JSON_C_TO_STRING_SPACED |
								  JSON_C_TO_STRING_NOSLASHESCAPE);
	char *r;

	if (!s || asprintf(&r, "%s\n", s) < 0)
		nomem();
	return r;
}
