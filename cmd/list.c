/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nsdebug list: every namespace on the host, lsns-compatible. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nsdebug.h>

#include "common.h"

enum {
	COL_NS,
	COL_TYPE,
	COL_PATH,
	COL_NPROCS,
	COL_PID,
	COL_PPID,
	COL_COMMAND,
	COL_UID,
	COL_USER,
	COL_NETNSID,
	COL_NSFS,
	COL_PNS,
	COL_ONS,
	COL_HOLDERS,
	COL_CONTAINER,
};

/* Names, meaning and JSON types as in lsns(8). */
static const struct colinfo infos[] = {
	[COL_NS] = {"NS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "namespace identifier (inode number)"},
	[COL_TYPE] = {"TYPE", 5, 0, SCOLS_JSON_STRING, "kind of namespace"},
	[COL_PATH] = {"PATH", 0, 0, SCOLS_JSON_STRING, "path to the namespace"},
	[COL_NPROCS] = {"NPROCS", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			"number of processes in the namespace"},
	[COL_PID] = {"PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "lowest PID in the namespace"},
	[COL_PPID] = {"PPID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "PPID of the PID"},
	[COL_COMMAND] = {"COMMAND", 0, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			 "command line of the PID"},
	[COL_UID] = {"UID", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "UID of the PID"},
	[COL_USER] = {"USER", 0, 0, SCOLS_JSON_STRING, "username of the PID"},
	[COL_NETNSID] = {"NETNSID", 0, SCOLS_FL_RIGHT, SCOLS_JSON_STRING,
			 "namespace ID as used by network subsystem"},
	[COL_NSFS] = {"NSFS", 0, SCOLS_FL_WRAP, SCOLS_JSON_STRING,
		      "nsfs mountpoint (usually used network subsystem)"},
	[COL_PNS] = {"PNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		     "parent namespace identifier (inode number)"},
	[COL_ONS] = {"ONS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		     "owner namespace identifier (inode number)"},
	/* Not in lsns. */
	[COL_HOLDERS] = {"HOLDERS", 0, SCOLS_FL_WRAP, SCOLS_JSON_ARRAY_STRING,
			 "what keeps the namespace alive: process, for-children, thread, fd, mount, ghost"},
	[COL_CONTAINER] = {"CONTAINER", 0, 0, SCOLS_JSON_STRING,
			   "engine:name of the container all its processes are in"},
};

/* What each column needs scanned beyond the walk. */
static const unsigned col_scan[] = {
	[COL_NETNSID] = NSD_SCAN_NETNSID,
	[COL_NSFS] = NSD_SCAN_MOUNTS,
	[COL_PNS] = NSD_SCAN_HIERARCHY,
	[COL_ONS] = NSD_SCAN_HIERARCHY,
	[COL_HOLDERS] = NSD_SCAN_FDS | NSD_SCAN_MOUNTS | NSD_SCAN_HIERARCHY,
};

/* -T: which relation the rows hang under each other by. */
enum tree {
	TREE_NONE,
	TREE_PROCESS, /* the process of a row is the parent of the process of the other */
	TREE_PARENT,  /* NS_GET_PARENT */
	TREE_OWNER,   /* NS_GET_USERNS */
};

static const int default_cols[] = {COL_NS, COL_TYPE, COL_NPROCS, COL_PID, COL_USER, COL_COMMAND};

struct list_ctl {
	struct outopts out;
	const char *procfs;
	unsigned scan_flags; /* NSD_SCAN_* */
	unsigned types; /* bit per enum nsd_nstype; 0 is all */
	pid_t task;     /* -p, 0 for none */
	ino_t inode;    /* NS argument, 0 for none */
	enum tree tree;
	bool persistent;                 /* only namespaces no process is in */
	const char *container_arg;       /* --container */
	struct engine_roots roots;       /* --engine-root */
	struct nsd_containers *cs;       /* when a column or --container needs them */
	struct nsd_container *container; /* --container */
	struct nsd_iter *members;        /* for the member lists */
	int cols[64];
	size_t ncols;
	struct nsd_ns **stack; /* for add_row() */
};

/* Userdata of a namespace while the table is built: NULL is not shown,
 * these two mark a row to be made and a row being made; otherwise the line. */
static char row_wanted, row_busy;

static void usage(void)
{
	printf("Usage:\n"
	       " nsdebug list [options] [<namespace>]\n"
	       "\n"
	       "List the namespaces of all processes, or only namespace <namespace> (an inode number).\n"
	       "\n"
	       "Options:\n"
	       " -J, --json             use JSON output format\n"
	       " -l, --list             use list format output (no tree)\n"
	       " -n, --noheadings       don't print headings\n"
	       " -o, --output <list>    output columns; +<list> adds to the default ones\n"
	       "     --output-all       output all columns\n"
	       " -p, --task <pid>       print the namespaces of process <pid>\n"
	       " -r, --raw              use the raw output format\n"
	       " -t, --type <name>      namespace type (mnt, net, ipc, user, pid, uts, cgroup, time);\n"
	       "                          may be repeated\n"
	       " -T, --tree[=<rel>]     use tree format (parent, owner, or process; default owner)\n"
	       " -u, --notruncate       don't truncate text in columns\n"
	       "     --persistent       only namespaces that no process is in\n"
	       "     --for-children     also find namespaces held only for future children\n"
	       "                          (pid_for_children, time_for_children)\n"
	       "     --no-threads       skip the namespaces of threads other than the main one\n"
	       "     --container <target>  only the namespaces of the processes of a container:\n"
	       "                          [ENGINE:]NAME, ID, ID prefix, or a PID in it\n"
	       USAGE_ENGINE_ROOT
	       "     --proc <dir>       read processes from procfs <dir> (default /proc)\n"
	       " -H, --list-columns     list the available columns\n"
	       " -h, --help             display this help\n"
	       "\n"
	       "For more details see nsdebug-list(1).\n");
}

static bool is_shown(const struct nsd_ns *ns)
{
	return nsd_ns_get_userdata(ns) != NULL;
}

/*
 * The row @ns hangs under in the COMMAND tree: like lsns, a row goes under
 * the row whose process is its process's parent; unlike lsns, only under a
 * row of the same type, so the tree does not depend on the order of rows.
 */
static struct nsd_ns *process_parent(const struct nsd_ns *ns)
{
	struct nsd_proc *p = nsd_ns_get_proc(ns), *pp = p ? nsd_proc_get_parent(p) : NULL;
	struct nsd_ns *pns = pp ? nsd_proc_get_ns(pp, nsd_ns_get_type(ns)) : NULL;

	if (!pns || nsd_ns_get_proc(pns) != pp)
		return NULL;
	return pns;
}

/* The row @ns hangs under in the tree of @tree, when that row is listed. */
static struct nsd_ns *tree_parent(enum tree tree, const struct nsd_ns *ns)
{
	struct nsd_ns *up = NULL;

	switch (tree) {
	case TREE_NONE:
		return NULL;
	case TREE_PROCESS:
		up = process_parent(ns);
		break;
	case TREE_PARENT:
		up = nsd_ns_get_parent(ns);
		break;
	case TREE_OWNER:
		up = nsd_ns_get_owner(ns);
		break;
	}
	return up && up != ns && is_shown(up) ? up : NULL;
}

/* True when a member of @ns is in @c. */
static bool has_member_in(struct list_ctl *ctl, struct nsd_ns *ns, const struct nsd_container *c)
{
	struct nsd_proc *p;

	nsd_iter_reset(ctl->members);
	while (nsd_ns_next_proc(ns, ctl->members, &p) == 0)
		if (nsd_containers_find_proc(ctl->cs, p) == c)
			return true;
	return false;
}

/* HOLDERS: the kinds, one a line in JSON (an array), else comma-separated. */
static void set_holders(struct list_ctl *ctl, struct libscols_line *ln, size_t col,
			const struct nsd_ns *ns)
{
	unsigned kinds = nsd_ns_get_holder_kinds(ns);
	char buf[128] = "";
	size_t len = 0;

	for (int k = 0; k < NSD_HOLDER_COUNT; k++)
		if (kinds & (1u << k))
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
						len ? (ctl->out.json ? "\n" : ",") : "",
						nsd_holder_kind_to_name(k));
	line_set(ln, col, buf);
}

/* True when @s is one of the @n strings of @v. */
static bool has_string(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/*
 * NSFS: the mount points of @ns one a line, each once: as they are in
 * nsdebug's mount namespace, as lsns shows them, then those of other mount
 * namespaces at other mount points, through /proc/PID/root of a process
 * there (a copy of a mount propagated into many mount namespaces is shown
 * once). O(mounts * distinct mount points) per namespace.
 */
static void set_nsfs(struct nsd_graph *g, struct libscols_line *ln, size_t col, struct nsd_ns *ns)
{
	struct nsd_ns *self = nsd_graph_get_self_ns(g, NSD_NS_MNT);
	_cleanup_free_ char **seen = NULL;
	_cleanup_free_ char *text = NULL;
	struct nsd_iter *itr = nsd_iter_new();
	struct nsd_holder *h;
	size_t n = 0, alloc = 0, len = 0;

	if (!itr)
		errx(EXIT_RUNTIME, "out of memory");
	for (int own = 1; own >= 0; own--) {
		nsd_iter_reset(itr);
		while (nsd_ns_next_holder(ns, itr, &h) == 0) {
			const char *mp = nsd_holder_get_mountpoint(h);
			char *path, *p;

			if (nsd_holder_get_kind(h) != NSD_HOLDER_MOUNT ||
			    (nsd_holder_get_mntns(h) == self) != own || has_string(seen, n, mp))
				continue;
			if (n == alloc) {
				char **more = reallocarray(seen, alloc ? alloc * 2 : 4, sizeof(*seen));

				if (!more)
					nomem();
				seen = more;
				alloc = alloc ? alloc * 2 : 4;
			}
			if (nsd_holder_get_path(h, &path) < 0)
				nomem();
			seen[n++] = (char *)mp;
			p = realloc(text, len + strlen(path) + 2);
			if (!p)
				errx(EXIT_RUNTIME, "out of memory");
			text = p;
			len += (size_t)sprintf(text + len, "%s%s", len ? "\n" : "", path);
			free(path);
		}
	}
	nsd_iter_free(itr);
	if (text && scols_line_refer_data(ln, col, TAKE_PTR(text)) < 0)
		errx(EXIT_RUNTIME, "out of memory");
}

static void set_netnsid(struct libscols_line *ln, size_t col, const struct nsd_ns *ns)
{
	int id, r = nsd_ns_get_netnsid(ns, &id);

	if (r == 0)
		line_setf(ln, col, "%d", id);
	else if (r == -ENOENT)
		line_set(ln, col, "unassigned");
}

/* PNS and ONS: 0 where there is none, as lsns shows it. */
static void set_related(struct libscols_line *ln, size_t col, const struct nsd_ns *ns)
{
	line_setf(ln, col, "%ju", ns ? (uintmax_t)nsd_ns_get_inode(ns) : 0);
}

static void fill_row(struct list_ctl *ctl, struct nsd_graph *g, struct libscols_line *ln,
		     struct nsd_ns *ns)
{
	struct nsd_proc *p = nsd_ns_get_proc(ns);

	for (size_t i = 0; i < ctl->ncols; i++) {
		struct nsd_container *c;
		char *path;

		switch (ctl->cols[i]) {
		case COL_NS:
			line_setf(ln, i, "%ju", (uintmax_t)nsd_ns_get_inode(ns));
			break;
		case COL_TYPE:
			line_set(ln, i, nsd_nstype_to_name(nsd_ns_get_type(ns)));
			break;
		case COL_PATH:
			if (nsd_ns_get_path(ns, &path) == 0 && scols_line_refer_data(ln, i, path) < 0)
				errx(EXIT_RUNTIME, "out of memory");
			break;
		case COL_NPROCS:
			line_setf(ln, i, "%zu", nsd_ns_get_nprocs(ns));
			break;
		case COL_PID:
			if (p)
				line_setf(ln, i, "%d", (int)nsd_proc_get_pid(p));
			break;
		case COL_PPID:
			if (p)
				line_setf(ln, i, "%d", (int)nsd_proc_get_ppid(p));
			break;
		case COL_COMMAND:
			if (p)
				line_set(ln, i, nsd_proc_get_command(p));
			break;
		case COL_UID:
			if (p)
				line_setf(ln, i, "%u", (unsigned)nsd_proc_get_uid(p));
			break;
		case COL_USER:
			if (p)
				line_set(ln, i, user_name(nsd_proc_get_uid(p)));
			break;
		case COL_NETNSID:
			set_netnsid(ln, i, ns);
			break;
		case COL_NSFS:
			set_nsfs(g, ln, i, ns);
			break;
		case COL_PNS:
			set_related(ln, i, nsd_ns_get_parent(ns));
			break;
		case COL_ONS:
			set_related(ln, i, nsd_ns_get_owner(ns));
			break;
		case COL_HOLDERS:
			set_holders(ctl, ln, i, ns);
			break;
		case COL_CONTAINER:
			c = nsd_containers_find_ns(ctl->cs, ns);
			if (c && scols_line_refer_data(ln, i, container_label(c)) < 0)
				errx(EXIT_RUNTIME, "out of memory");
			break;
		}
	}
}

/* Makes the row of @ns, and first the rows above it in the tree. Iterative,
 * marking rows being made, so a parent loop from a PID reused during the walk
 * ends at a root instead of recursing for ever. */
static void add_row(struct list_ctl *ctl, struct nsd_graph *g, struct libscols_table *tb,
		    struct nsd_ns *ns)
{
	struct libscols_line *parent = NULL;
	struct nsd_ns *cur = ns;
	size_t n = 0;

	while (cur && nsd_ns_get_userdata(cur) == &row_wanted) {
		nsd_ns_set_userdata(cur, &row_busy);
		ctl->stack[n++] = cur;
		cur = tree_parent(ctl->tree, cur);
	}
	if (cur && nsd_ns_get_userdata(cur) != &row_busy)
		parent = nsd_ns_get_userdata(cur);
	while (n > 0) {
		struct libscols_line *ln = table_new_line(tb, parent);

		cur = ctl->stack[--n];
		fill_row(ctl, g, ln, cur);
		nsd_ns_set_userdata(cur, ln);
		parent = ln;
	}
}

static bool is_wanted(struct list_ctl *ctl, struct nsd_graph *g, struct nsd_ns *ns)
{
	enum nsd_nstype type = nsd_ns_get_type(ns);

	if (ctl->types && !(ctl->types & (1u << type)))
		return false;
	if (ctl->inode && nsd_ns_get_inode(ns) != ctl->inode)
		return false;
	if (ctl->task && nsd_proc_get_ns(nsd_graph_find_proc(g, ctl->task), type) != ns)
		return false;
	if (ctl->persistent && nsd_ns_get_nprocs(ns) > 0)
		return false;
	if (ctl->container && !has_member_in(ctl, ns, ctl->container))
		return false;
	return true;
}

static int show(struct list_ctl *ctl, struct nsd_graph *g)
{
	_cleanup_(scols_unref_tablep) struct libscols_table *tb = table_new(&ctl->out, "namespaces");
	_cleanup_free_ struct nsd_ns **stack = NULL;
	struct nsd_iter *itr = nsd_iter_new();
	/* Like lsns: the process tree is drawn in COMMAND, the others in NS. */
	int tree_col = ctl->tree == TREE_PROCESS ? COL_COMMAND : COL_NS;
	struct nsd_ns *ns;
	int r;

	stack = calloc(nsd_graph_get_nnamespaces(g) + 1, sizeof(*stack));
	ctl->members = nsd_iter_new();
	if (!itr || !stack || !ctl->members)
		errx(EXIT_RUNTIME, "out of memory");
	ctl->stack = stack;
	for (size_t i = 0; i < ctl->ncols; i++) {
		bool tree = ctl->tree != TREE_NONE && ctl->cols[i] == tree_col;
		struct colinfo ci = infos[ctl->cols[i]];
		struct libscols_column *cl;

		if (tree)
			ci.flags &= ~SCOLS_FL_RIGHT;
		cl = table_add_column(tb, &ci, &ctl->out, tree);
		/* Several mount points are one a line, in the table as in lsns;
		 * libsmartcols also splits JSON arrays (HOLDERS) by this function. */
		if ((ctl->cols[i] == COL_NSFS || ctl->cols[i] == COL_HOLDERS) &&
		    (scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize, scols_wrapnl_nextchunk,
					       NULL) < 0 ||
		     scols_column_set_safechars(cl, "\n") < 0))
			errx(EXIT_RUNTIME, "out of memory");
	}

	while (nsd_graph_next_ns(g, itr, &ns) == 0)
		nsd_ns_set_userdata(ns, is_wanted(ctl, g, ns) ? &row_wanted : NULL);
	nsd_iter_reset(itr);
	while (nsd_graph_next_ns(g, itr, &ns) == 0)
		add_row(ctl, g, tb, ns);
	nsd_iter_free(itr);
	nsd_iter_free(ctl->members);

	r = scols_print_table(tb);
	if (r < 0)
		errx(EXIT_RUNTIME, "cannot print the table: %s", strerror(-r));
	return EXIT_SUCCESS;
}

static enum tree parse_tree(const char *arg)
{
	/* lsns takes "-T=parent" as well as "-Tparent" and "--tree=parent". */
	if (arg && *arg == '=')
		arg++;
	if (!arg || strcmp(arg, "owner") == 0)
		return TREE_OWNER;
	if (strcmp(arg, "parent") == 0)
		return TREE_PARENT;
	if (strcmp(arg, "process") == 0)
		return TREE_PROCESS;
	usage_fail("list", "unknown tree '%.64s' (parent, owner or process)", arg);
}

static void parse_options(struct list_ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		OUTOPTS_LONGOPTS,
		{"task", required_argument, NULL, 'p'},
		{"type", required_argument, NULL, 't'},
		{"tree", optional_argument, NULL, 'T'},
		{"persistent", no_argument, NULL, OPT_PERSISTENT},
		{"for-children", no_argument, NULL, OPT_FOR_CHILDREN},
		{"no-threads", no_argument, NULL, OPT_NO_THREADS},
		{"container", required_argument, NULL, OPT_CONTAINER},
		{"engine-root", required_argument, NULL, OPT_ENGINE_ROOT},
		{"proc", required_argument, NULL, OPT_PROC},
		{"list-columns", no_argument, NULL, 'H'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	enum tree tree = TREE_NONE;
	int c, t;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" OUTOPTS_SHORTOPTS "p:t:T::Hh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'p':
			ctl->task = (pid_t)parse_number("list", "-p", optarg, 1, INT_MAX);
			break;
		case 't':
			t = nsd_nstype_from_name(optarg);
			if (t < 0)
				usage_fail("list", "unknown namespace type '%.64s'", optarg);
			ctl->types |= 1u << t;
			break;
		case 'T':
			tree = parse_tree(optarg);
			break;
		case OPT_PERSISTENT:
			ctl->persistent = true;
			ctl->scan_flags |= NSD_SCAN_FDS | NSD_SCAN_MOUNTS | NSD_SCAN_HIERARCHY;
			break;
		case OPT_FOR_CHILDREN:
			ctl->scan_flags |= NSD_SCAN_FOR_CHILDREN;
			break;
		case OPT_NO_THREADS:
			ctl->scan_flags &= ~(unsigned)NSD_SCAN_THREADS;
			break;
		case OPT_CONTAINER:
			ctl->container_arg = optarg;
			break;
		case OPT_ENGINE_ROOT:
			engine_roots_add("list", &ctl->roots, optarg);
			break;
		case OPT_PROC:
			ctl->procfs = optarg;
			break;
		case 'h':
			usage();
			exit(EXIT_SUCCESS);
		default:
			if (!outopts_parse(&ctl->out, c, optarg))
				bad_option("list", argv, c);
		}
	}
	if (optind < argc)
		ctl->inode = (ino_t)parse_number("list", "namespace", argv[optind++], 1, ULLONG_MAX);
	if (optind < argc)
		usage_fail("list", "unexpected argument '%.64s'", argv[optind]);
	ctl->ncols = columns_parse("list", &ctl->out, infos, ELEMENTSOF(infos), default_cols,
				   ELEMENTSOF(default_cols), ctl->cols, ELEMENTSOF(ctl->cols));
	for (size_t i = 0; i < ctl->ncols; i++)
		if ((size_t)ctl->cols[i] < ELEMENTSOF(col_scan))
			ctl->scan_flags |= col_scan[ctl->cols[i]];
	/* As in lsns, -T wins over -l, and without either rows form the process tree. */
	ctl->tree = tree != TREE_NONE ? tree : ctl->out.list ? TREE_NONE : TREE_PROCESS;
	if (ctl->tree == TREE_PARENT || ctl->tree == TREE_OWNER)
		ctl->scan_flags |= NSD_SCAN_HIERARCHY;
	columns_list(infos, ELEMENTSOF(infos), &ctl->out);
}

int cmd_list(int argc, char **argv)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = NULL;
	_cleanup_(nsd_containers_unrefp) struct nsd_containers *cs = NULL;
	_cleanup_(nsd_target_unrefp) struct nsd_target *t = NULL;
	struct list_ctl ctl = {.scan_flags = NSD_SCAN_THREADS};
	bool need_containers = false;
	int r;

	parse_options(&ctl, argc, argv);
	if (ctl.container_arg)
		t = target_parse("list", ctl.container_arg);
	for (size_t i = 0; i < ctl.ncols; i++)
		need_containers |= ctl.cols[i] == COL_CONTAINER;

	g = graph_open(ctl.procfs, ctl.scan_flags);
	if (t || need_containers)
		cs = ctl.cs = containers_open(g, &ctl.roots);
	if (t)
		ctl.container = target_container(t, cs);
	task_check(g, ctl.task);
	if (ctl.inode && !nsd_graph_find_ns(g, ctl.inode))
		errx(EXIT_RUNTIME, "%ju: no such namespace", (uintmax_t)ctl.inode);

	r = show(&ctl, g);
	warn_denied(g, "counts leave");
	return r;
}
