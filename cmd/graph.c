/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsdebug graph: every namespace with what holds it and how they nest, as
 * JSON or as Graphviz DOT. Output is written with stdio (the shapes are not
 * tables); everything is linear in namespaces, holders and processes but for
 * a sort of the namespaces for the DOT clusters.
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nsdebug.h>

#include "common.h"


struct graph_ctl {
	const char *procfs;
	struct engine_roots roots; /* --engine-root */
	struct nsd_containers *cs;
	unsigned scan_flags;
	unsigned types; /* bit per enum nsd_nstype; 0 is all */
	pid_t task;     /* -p, 0 for none */
	bool json;
};

/* Userdata of a namespace: NULL is not shown, &shown is. */
static char shown;

/* User namespace clusters nest at most 32 deep (user_namespaces(7)); the
 * bound guards the recursion against a hierarchy that changed while read. */
#define MAX_NESTING 40

static void usage(void)
{
	printf("Usage:\n"
	       " nsdebug graph [options]\n"
	       "\n"
	       "Print every namespace, what holds it and how namespaces nest, as a graph.\n"
	       "\n"
	       "Options:\n"
	       " -J, --json             JSON output (see nsdebug-graph(1) for the schema)\n"
	       "     --dot              Graphviz DOT output (the default)\n"
	       " -p, --task <pid>       only what process <pid> can reach\n"
	       " -t, --type <name>      namespace type (mnt, net, ipc, user, pid, uts, cgroup, time);\n"
	       "                          may be repeated\n"
	       "     --no-threads       skip the namespaces of threads other than the main one\n"
	       "     --proc <dir>       read processes from procfs <dir> (default /proc)\n"
	       USAGE_ENGINE_ROOT
	       " -h, --help             display this help\n"
	       "\n"
	       "For more details see nsdebug-graph(1).\n");
}

static bool is_shown(const struct nsd_ns *ns)
{
	return ns && nsd_ns_get_userdata(ns) == &shown;
}

static uintmax_t inode_of(const struct nsd_ns *ns)
{
	return (uintmax_t)nsd_ns_get_inode(ns);
}

/* Marks @ns and the namespaces above it, as far as they are known. */
static void mark_reachable(struct nsd_ns *ns)
{
	for (int depth = 0; ns && depth < MAX_NESTING; depth++) {
		struct nsd_ns *owner = nsd_ns_get_owner(ns);

		nsd_ns_set_userdata(ns, &shown);
		if (nsd_ns_get_parent(ns) && nsd_ns_get_parent(ns) != owner)
			mark_reachable(nsd_ns_get_parent(ns));
		ns = owner;
	}
}

/*
 * -p: what @p can reach: its namespaces, those it holds for its children,
 * through threads or fds, the nsfs mounts of its mount namespace, and the
 * parents and owners of all of them. One pass over all holders.
 */
static void select_task(struct nsd_graph *g, struct nsd_proc *p)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new(), *hitr = nsd_iter_new();
	struct nsd_ns *mnt = nsd_proc_get_ns(p, NSD_NS_MNT), *ns;
	struct nsd_holder *h;

	if (!itr || !hitr)
		nomem();
	while (nsd_graph_next_ns(g, itr, &ns) == 0) {
		nsd_iter_reset(hitr);
		while (nsd_ns_next_holder(ns, hitr, &h) == 0) {
			enum nsd_holder_kind kind = nsd_holder_get_kind(h);

			if (kind == NSD_HOLDER_MOUNT ? mnt && nsd_holder_get_mntns(h) == mnt
						     : nsd_holder_get_proc(h) == p) {
				mark_reachable(ns);
				break;
			}
		}
	}
}

/* Marks what is shown: all, or what -p reaches; then drops what -t leaves out. */
static void select_nodes(struct graph_ctl *ctl, struct nsd_graph *g)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_ns *ns;

	if (!itr)
		nomem();
	while (nsd_graph_next_ns(g, itr, &ns) == 0)
		nsd_ns_set_userdata(ns, ctl->task ? NULL : &shown);
	if (ctl->task)
		select_task(g, nsd_graph_find_proc(g, ctl->task));
	nsd_iter_reset(itr);
	while (nsd_graph_next_ns(g, itr, &ns) == 0)
		if (ctl->types && !(ctl->types & (1u << nsd_ns_get_type(ns))))
			nsd_ns_set_userdata(ns, NULL);
}

/* Is @p shown: with -p only that process, otherwise any member of a shown namespace. */
static bool is_shown_proc(const struct graph_ctl *ctl, struct nsd_proc *p)
{
	if (ctl->task)
		return nsd_proc_get_pid(p) == ctl->task;
	for (int t = 0; t < NSD_NS_COUNT; t++)
		if (is_shown(nsd_proc_get_ns(p, t)))
			return true;
	return false;
}

/* A JSON string; bytes the process chose (comm) may be anything but NUL. */
static void json_string(const char *s)
{
	putchar('"');
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if (*c < 0x20 || *c == 0x7f)
			printf("\\u%04x", *c);
		else
			putchar(*c);
	}
	putchar('"');
}

static void json_holder(const struct nsd_holder *h)
{
	enum nsd_holder_kind kind = nsd_holder_get_kind(h);

	printf("{\"kind\": \"%s\"", nsd_holder_kind_to_name(kind));
	if (nsd_holder_get_proc(h))
		printf(", \"pid\": %d", (int)nsd_holder_get_pid(h));
	if (kind == NSD_HOLDER_THREAD)
		printf(", \"tid\": %d", (int)nsd_holder_get_tid(h));
	if (kind == NSD_HOLDER_FD)
		printf(", \"fd\": %d", nsd_holder_get_fd(h));
	if (kind == NSD_HOLDER_MOUNT) {
		printf(", \"mntns\": %ju, \"path\": ", inode_of(nsd_holder_get_mntns(h)));
		json_string(nsd_holder_get_mountpoint(h));
	}
	putchar('}');
}

static void json_node(const struct graph_ctl *ctl, struct nsd_ns *ns, struct nsd_iter *hitr)
{
	struct nsd_container *c = nsd_containers_find_ns(ctl->cs, ns);
	enum nsd_nstype type = nsd_ns_get_type(ns);
	unsigned kinds = nsd_ns_get_holder_kinds(ns);
	struct nsd_holder *h;
	const char *sep = "";
	uid_t uid;

	printf("    {\"id\": \"ns:%ju\", \"type\": \"%s\", \"inode\": %ju, \"nprocs\": %zu, "
	       "\"holder_kinds\": [",
	       inode_of(ns), nsd_nstype_to_name(type), inode_of(ns), nsd_ns_get_nprocs(ns));
	for (int k = 0; k < NSD_HOLDER_COUNT; k++) {
		if (kinds & (1u << k)) {
			printf("%s\"%s\"", sep, nsd_holder_kind_to_name(k));
			sep = ", ";
		}
	}
	/* Members are the "member" edges; the other holders are listed here. */
	printf("], \"holders\": [");
	sep = "";
	nsd_iter_reset(hitr);
	while (nsd_ns_next_holder(ns, hitr, &h) == 0) {
		if (nsd_holder_get_kind(h) == NSD_HOLDER_PROCESS)
			continue;
		fputs(sep, stdout);
		json_holder(h);
		sep = ", ";
	}
	putchar(']');
	if (type == NSD_NS_USER) {
		if (nsd_ns_get_owner_uid(ns, &uid) == 0)
			printf(", \"owner_uid\": %u", (unsigned)uid);
		else
			printf(", \"owner_uid\": null");
	}
	/* The container all its processes belong to, if any. */
	if (!c) {
		printf(", \"container\": null}");
		return;
	}
	printf(", \"container\": {\"engine\": \"%s\", \"id\": ", nsd_container_get_engine(c));
	json_string(nsd_container_get_id(c));
	printf(", \"name\": ");
	if (nsd_container_get_name(c))
		json_string(nsd_container_get_name(c));
	else
		printf("null");
	printf("}}");
}

static void json_edge(const char **sep, const char *type, const char *from_kind, uintmax_t from,
		      uintmax_t to)
{
	printf("%s    {\"type\": \"%s\", \"from\": \"%s:%ju\", \"to\": \"ns:%ju\"}", *sep, type,
	       from_kind, from, to);
	*sep = ",\n";
}

static void print_json(const struct graph_ctl *ctl, struct nsd_graph *g)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new(), *hitr = nsd_iter_new();
	const char *sep = "";
	struct nsd_proc *p;
	struct nsd_ns *ns;

	if (!itr || !hitr)
		nomem();
	printf("{\n  \"nodes\": [\n");
	while (nsd_graph_next_ns(g, itr, &ns) == 0) {
		if (!is_shown(ns))
			continue;
		fputs(sep, stdout);
		json_node(ctl, ns, hitr);
		sep = ",\n";
	}
	printf("\n  ],\n  \"processes\": [\n");
	sep = "";
	while (nsd_graph_next_proc(g, itr, &p) == 0) {
		if (!is_shown_proc(ctl, p))
			continue;
		printf("%s    {\"id\": \"pid:%d\", \"pid\": %d, \"ppid\": %d, \"uid\": %u, \"comm\": ",
		       sep, (int)nsd_proc_get_pid(p), (int)nsd_proc_get_pid(p),
		       (int)nsd_proc_get_ppid(p), (unsigned)nsd_proc_get_uid(p));
		json_string(nsd_proc_get_comm(p));
		putchar('}');
		sep = ",\n";
	}
	printf("\n  ],\n  \"edges\": [\n");
	sep = "";
	while (nsd_graph_next_ns(g, itr, &ns) == 0) {
		struct nsd_ns *parent = nsd_ns_get_parent(ns), *owner = nsd_ns_get_owner(ns);

		if (!is_shown(ns))
			continue;
		if (is_shown(parent))
			json_edge(&sep, "parent", "ns", inode_of(ns), inode_of(parent));
		if (is_shown(owner))
			json_edge(&sep, "owner", "ns", inode_of(ns), inode_of(owner));
	}
	while (nsd_graph_next_proc(g, itr, &p) == 0) {
		if (!is_shown_proc(ctl, p))
			continue;
		for (int t = 0; t < NSD_NS_COUNT; t++)
			if (is_shown(nsd_proc_get_ns(p, t)))
				json_edge(&sep, "member", "pid", (uintmax_t)nsd_proc_get_pid(p),
					  inode_of(nsd_proc_get_ns(p, t)));
	}
	printf("\n  ]\n}\n");
}

/* A DOT string: quotes and backslashes escaped, control bytes dropped. */
static void dot_string(const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if (*c >= 0x20 && *c != 0x7f)
			putchar(*c);
	}
}

/* At most this many holders are spelled out in a node's label. */
#define LABEL_HOLDERS 3

static void dot_node(struct nsd_ns *ns, struct nsd_iter *hitr, int indent)
{
	unsigned kinds = nsd_ns_get_holder_kinds(ns);
	bool ghost = kinds == 1u << NSD_HOLDER_GHOST;
	struct nsd_holder *h;
	size_t n = 0;

	printf("%*sns%ju [label=\"%s %ju", indent, "", inode_of(ns),
	       nsd_nstype_to_name(nsd_ns_get_type(ns)), inode_of(ns));
	if (nsd_ns_get_nprocs(ns))
		printf("\\n%zu process%s", nsd_ns_get_nprocs(ns),
		       nsd_ns_get_nprocs(ns) == 1 ? "" : "es");
	nsd_iter_reset(hitr);
	while (nsd_ns_next_holder(ns, hitr, &h) == 0) {
		switch (nsd_holder_get_kind(h)) {
		case NSD_HOLDER_PROCESS:
		case NSD_HOLDER_GHOST:
			continue;
		default:
			break;
		}
		if (n++ >= LABEL_HOLDERS)
			continue;
		switch (nsd_holder_get_kind(h)) {
		case NSD_HOLDER_FOR_CHILDREN:
			printf("\\nfor children of %d", (int)nsd_holder_get_pid(h));
			break;
		case NSD_HOLDER_THREAD:
			printf("\\nthread %d of %d", (int)nsd_holder_get_tid(h),
			       (int)nsd_holder_get_pid(h));
			break;
		case NSD_HOLDER_FD:
			printf("\\nfd %d of %d", nsd_holder_get_fd(h), (int)nsd_holder_get_pid(h));
			break;
		default:
			printf("\\nmount ");
			dot_string(nsd_holder_get_mountpoint(h));
			break;
		}
	}
	if (n > LABEL_HOLDERS)
		printf("\\n+%zu more holders", n - LABEL_HOLDERS);
	if (ghost)
		printf("\\nghost");
	printf("\"%s];\n", ghost ? ", style=\"rounded,dashed\"" : "");
}

struct dot {
	struct nsd_graph *g;
	struct nsd_containers *cs;
	struct nsd_ns **nss; /* shown, in cmp_dot() order */
	size_t n;
	struct nsd_iter *hitr;
};

/*
 * The cluster a namespace is drawn in, inside the cluster of its owner: its
 * container's (keyed by the init's PID), else the process that heads it (the
 * lowest PID holding it), so that the namespaces of one container or process
 * tree sit together.
 */
static pid_t group_of(const struct dot *d, struct nsd_ns *ns)
{
	struct nsd_container *c = nsd_containers_find_ns(d->cs, ns);
	struct nsd_proc *p = nsd_ns_get_proc(ns);

	if (c)
		return nsd_container_get_pid(c);
	return p ? nsd_proc_get_pid(p) : 0;
}

/* Order for the DOT output: by owner, user namespaces first, then by group and inode. */
static int cmp_dot(const void *a, const void *b, void *data)
{
	const struct dot *d = data;
	struct nsd_ns *x = *(struct nsd_ns *const *)a;
	struct nsd_ns *y = *(struct nsd_ns *const *)b;
	const struct nsd_ns *xo = nsd_ns_get_owner(x), *yo = nsd_ns_get_owner(y);
	uintmax_t xi = is_shown(xo) ? inode_of(xo) : 0, yi = is_shown(yo) ? inode_of(yo) : 0;
	bool xu = nsd_ns_get_type(x) == NSD_NS_USER, yu = nsd_ns_get_type(y) == NSD_NS_USER;

	if (xi != yi)
		return xi < yi ? -1 : 1;
	if (xu != yu)
		return xu ? -1 : 1;
	if (group_of(d, x) != group_of(d, y))
		return group_of(d, x) < group_of(d, y) ? -1 : 1;
	return (inode_of(x) > inode_of(y)) - (inode_of(x) < inode_of(y));
}

/* The first index of the namespaces owned by @owner (NULL: by none shown); O(log n). */
static size_t first_owned(const struct dot *d, const struct nsd_ns *owner)
{
	uintmax_t key = owner ? inode_of(owner) : 0;
	size_t lo = 0, hi = d->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct nsd_ns *o = nsd_ns_get_owner(d->nss[mid]);

		if ((is_shown(o) ? inode_of(o) : 0) < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void dot_owned(struct dot *d, const struct nsd_ns *owner, int depth);

static void dot_user_cluster(struct dot *d, struct nsd_ns *user, int depth)
{
	bool ghost = nsd_ns_get_holder_kinds(user) == 1u << NSD_HOLDER_GHOST;
	uid_t uid;

	printf("%*ssubgraph cluster_user%ju {\n", depth * 2, "", inode_of(user));
	printf("%*s  label=\"user namespace %ju", depth * 2, "", inode_of(user));
	if (nsd_ns_get_owner_uid(user, &uid) == 0)
		printf(" (owner UID %u)", (unsigned)uid);
	printf("\"; style=\"rounded%s\"; color=\"#4477aa\";\n", ghost ? ",dashed" : "");
	dot_node(user, d->hitr, depth * 2 + 2);
	dot_owned(d, user, depth + 1);
	printf("%*s}\n", depth * 2, "");
}

/* The namespaces @owner owns: nested user namespace clusters, then one cluster per group. */
static void dot_owned(struct dot *d, const struct nsd_ns *owner, int depth)
{
	uintmax_t key = owner ? inode_of(owner) : 0;
	pid_t group = -1;

	if (depth > MAX_NESTING)
		return;
	for (size_t i = first_owned(d, owner); i < d->n; i++) {
		struct nsd_ns *ns = d->nss[i], *o = nsd_ns_get_owner(ns);

		if ((is_shown(o) ? inode_of(o) : 0) != key)
			break;
		if (nsd_ns_get_type(ns) == NSD_NS_USER) {
			dot_user_cluster(d, ns, depth);
			continue;
		}
		if (group_of(d, ns) != group) {
			struct nsd_container *c = nsd_containers_find_ns(d->cs, ns);

			if (group > 0)
				printf("%*s}\n", depth * 2, "");
			group = group_of(d, ns);
			if (group > 0) {
				struct nsd_proc *p = nsd_graph_find_proc(d->g, group);
				_cleanup_free_ char *label = c ? container_label(c) : NULL;

				printf("%*ssubgraph cluster_%ju_%d {\n", depth * 2, "", key, (int)group);
				printf("%*s  label=\"", depth * 2, "");
				if (label)
					dot_string(label);
				else
					printf("%d ", (int)group);
				if (!label && p)
					dot_string(nsd_proc_get_comm(p));
				printf("\"; style=\"rounded,filled\"; fillcolor=\"#f2f2f2\"; "
				       "color=\"#bbbbbb\";\n");
			}
		}
		dot_node(ns, d->hitr, depth * 2 + (group > 0 ? 2 : 0));
	}
	if (group > 0)
		printf("%*s}\n", depth * 2, "");
}

static void print_dot(const struct graph_ctl *ctl, struct nsd_graph *g)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new(), *hitr = nsd_iter_new();
	_cleanup_free_ struct nsd_ns **nss = calloc(nsd_graph_get_nnamespaces(g) + 1, sizeof(*nss));
	struct dot d = {.g = g, .cs = ctl->cs, .nss = nss, .hitr = hitr};
	struct nsd_holder *h;
	struct nsd_ns *ns;

	if (!itr || !hitr || !nss)
		nomem();
	while (nsd_graph_next_ns(g, itr, &ns) == 0)
		if (is_shown(ns))
			nss[d.n++] = ns;
	qsort_r(nss, d.n, sizeof(*nss), cmp_dot, &d);

	printf("digraph namespaces {\n"
	       "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, compound=true];\n"
	       "  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n"
	       "  edge [fontname=\"Helvetica\", fontsize=9];\n");
	/* From the roots: namespaces whose owner is not shown (the caller's
	 * user namespace, whose owner it may not see, and those -t left). */
	dot_owned(&d, NULL, 1);
	/* Parents of pid namespaces; those of user namespaces are the nesting. */
	for (size_t i = 0; i < d.n; i++) {
		struct nsd_ns *parent = nsd_ns_get_parent(nss[i]);

		if (nsd_ns_get_type(nss[i]) == NSD_NS_PID && is_shown(parent))
			printf("  ns%ju -> ns%ju [label=\"parent\"];\n", inode_of(nss[i]),
			       inode_of(parent));
	}
	/* A bind mount: from the mount namespace it is in. */
	for (size_t i = 0; i < d.n; i++) {
		nsd_iter_reset(itr);
		while (nsd_ns_next_holder(nss[i], itr, &h) == 0)
			if (nsd_holder_get_kind(h) == NSD_HOLDER_MOUNT &&
			    is_shown(nsd_holder_get_mntns(h)))
				printf("  ns%ju -> ns%ju [style=dotted, label=\"mount\"];\n",
				       inode_of(nsd_holder_get_mntns(h)), inode_of(nss[i]));
	}
	printf("}\n");
}

static void parse_options(struct graph_ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'J'},
		{"dot", no_argument, NULL, OPT_DOT},
		{"task", required_argument, NULL, 'p'},
		{"type", required_argument, NULL, 't'},
		{"no-threads", no_argument, NULL, OPT_NO_THREADS},
		{"proc", required_argument, NULL, OPT_PROC},
		{"engine-root", required_argument, NULL, OPT_ENGINE_ROOT},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, t;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":Jp:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			ctl->json = true;
			break;
		case OPT_DOT:
			ctl->json = false;
			break;
		case 'p':
			ctl->task = (pid_t)parse_number("graph", "-p", optarg, 1, INT_MAX);
			break;
		case 't':
			t = nsd_nstype_from_name(optarg);
			if (t < 0)
				usage_fail("graph", "unknown namespace type '%.64s'", optarg);
			ctl->types |= 1u << t;
			break;
		case OPT_NO_THREADS:
			ctl->scan_flags &= ~(unsigned)NSD_SCAN_THREADS;
			break;
		case OPT_PROC:
			ctl->procfs = optarg;
			break;
		case OPT_ENGINE_ROOT:
			engine_roots_add("graph", &ctl->roots, optarg);
			break;
		case 'h':
			usage();
			exit(EXIT_SUCCESS);
		default:
			bad_option("graph", argv, c);
		}
	}
	if (optind < argc)
		usage_fail("graph", "unexpected argument '%.64s'", argv[optind]);
}

int cmd_graph(int argc, char **argv)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = NULL;
	_cleanup_(nsd_containers_unrefp) struct nsd_containers *cs = NULL;
	/* The whole graph: every kind of holder. */
	struct graph_ctl ctl = {.scan_flags = NSD_SCAN_FOR_CHILDREN | NSD_SCAN_THREADS |
					      NSD_SCAN_FDS | NSD_SCAN_MOUNTS | NSD_SCAN_HIERARCHY};

	parse_options(&ctl, argc, argv);
	g = graph_open(ctl.procfs, ctl.scan_flags);
	task_check(g, ctl.task);
	cs = ctl.cs = containers_open(g, &ctl.roots);
	select_nodes(&ctl, g);
	if (ctl.json)
		print_json(&ctl, g);
	else
		print_dot(&ctl, g);
	warn_denied(g, "the graph leaves");
	return EXIT_SUCCESS;
}
