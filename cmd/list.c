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
	[COL_CONTAINER] = {"CONTAINER", 0, 0, SCOLS_JSON_STRING,
			   "engine:name of the container all its processes are in"},
};

static const int default_cols[] = {COL_NS, COL_TYPE, COL_NPROCS, COL_PID, COL_USER, COL_COMMAND};

struct list_ctl {
	struct outopts out;
	const char *procfs;
	unsigned scan_flags; /* NSD_SCAN_* */
	unsigned types; /* bit per enum nsd_nstype; 0 is all */
	pid_t task;     /* -p, 0 for none */
	ino_t inode;    /* NS argument, 0 for none */
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
	       " -u, --notruncate       don't truncate text in columns\n"
	       "     --container <target>  only the namespaces of the processes of a container:\n"
	       "                          [ENGINE:]NAME, ID, ID prefix, or a PID in it\n"
	       "     --engine-root <e>=<dir>  read engine <e>'s state from <dir>; may be repeated\n"
	       "     --for-children     also find namespaces held only for future children\n"
	       "                          (pid_for_children, time_for_children)\n"
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
static struct nsd_ns *tree_parent(const struct nsd_ns *ns)
{
	struct nsd_proc *p = nsd_ns_get_proc(ns), *pp = p ? nsd_proc_get_parent(p) : NULL;
	struct nsd_ns *pns = pp ? nsd_proc_get_ns(pp, nsd_ns_get_type(ns)) : NULL;

	if (!pns || pns == ns || !is_shown(pns) || nsd_ns_get_proc(pns) != pp)
		return NULL;
	return pns;
}

/* The container all members of @ns are in, or NULL. Linear in members. */
static struct nsd_container *ns_container(struct list_ctl *ctl, struct nsd_ns *ns)
{
	struct nsd_container *c = NULL;
	struct nsd_proc *p;

	nsd_iter_reset(ctl->members);
	while (nsd_ns_next_proc(ns, ctl->members, &p) == 0) {
		struct nsd_container *pc = nsd_containers_find_proc(ctl->cs, p);

		if (!pc || (c && pc != c))
			return NULL;
		c = pc;
	}
	return c;
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

static void fill_row(struct list_ctl *ctl, struct libscols_line *ln, struct nsd_ns *ns)
{
	struct nsd_proc *p = nsd_ns_get_proc(ns);

	for (size_t i = 0; i < ctl->ncols; i++) {
		struct nsd_container *c;
		char *path, *label = NULL;

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
		case COL_CONTAINER:
			c = ns_container(ctl, ns);
			if (c)
				line_set(ln, i, label = container_label(c));
			free(label);
			label = NULL;
			break;
		}
	}
}

/* Makes the row of @ns, and first the rows above it in the tree. Iterative,
 * marking rows being made, so a parent loop from a PID reused during the walk
 * ends at a root instead of recursing for ever. */
static void add_row(struct list_ctl *ctl, struct libscols_table *tb, struct nsd_ns *ns, bool tree)
{
	struct libscols_line *parent = NULL;
	struct nsd_ns *cur = ns;
	size_t n = 0;

	while (cur && nsd_ns_get_userdata(cur) == &row_wanted) {
		nsd_ns_set_userdata(cur, &row_busy);
		ctl->stack[n++] = cur;
		cur = tree ? tree_parent(cur) : NULL;
	}
	if (cur && nsd_ns_get_userdata(cur) != &row_busy)
		parent = nsd_ns_get_userdata(cur);
	while (n > 0) {
		struct libscols_line *ln = table_new_line(tb, parent);

		cur = ctl->stack[--n];
		fill_row(ctl, ln, cur);
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
	if (ctl->container && !has_member_in(ctl, ns, ctl->container))
		return false;
	return true;
}

static int show(struct list_ctl *ctl, struct nsd_graph *g)
{
	_cleanup_(scols_unref_tablep) struct libscols_table *tb = table_new(&ctl->out, "namespaces");
	_cleanup_free_ struct nsd_ns **stack = NULL;
	struct nsd_iter *itr = nsd_iter_new();
	bool tree = !ctl->out.list;
	struct nsd_ns *ns;
	int r;

	stack = calloc(nsd_graph_get_nnamespaces(g) + 1, sizeof(*stack));
	ctl->members = nsd_iter_new();
	if (!itr || !stack || !ctl->members)
		errx(EXIT_RUNTIME, "out of memory");
	ctl->stack = stack;
	for (size_t i = 0; i < ctl->ncols; i++)
		table_add_column(tb, &infos[ctl->cols[i]], &ctl->out,
				 tree && ctl->cols[i] == COL_COMMAND);

	while (nsd_graph_next_ns(g, itr, &ns) == 0)
		nsd_ns_set_userdata(ns, is_wanted(ctl, g, ns) ? &row_wanted : NULL);
	nsd_iter_reset(itr);
	while (nsd_graph_next_ns(g, itr, &ns) == 0)
		add_row(ctl, tb, ns, tree);
	nsd_iter_free(itr);
	nsd_iter_free(ctl->members);

	r = scols_print_table(tb);
	if (r < 0)
		errx(EXIT_RUNTIME, "cannot print the table: %s", strerror(-r));
	return EXIT_SUCCESS;
}

static void parse_options(struct list_ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		OUTOPTS_LONGOPTS,
		{"task", required_argument, NULL, 'p'},
		{"type", required_argument, NULL, 't'},
		{"for-children", no_argument, NULL, OPT_FOR_CHILDREN},
		{"container", required_argument, NULL, OPT_CONTAINER},
		{"engine-root", required_argument, NULL, OPT_ENGINE_ROOT},
		{"proc", required_argument, NULL, OPT_PROC},
		{"list-columns", no_argument, NULL, 'H'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool list_columns = false;
	int c, t;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" OUTOPTS_SHORTOPTS "p:t:Hh", longopts, NULL)) != -1) {
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
		case OPT_FOR_CHILDREN:
			ctl->scan_flags |= NSD_SCAN_FOR_CHILDREN;
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
		case 'H':
			list_columns = true;
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
	if (list_columns)
		exit(columns_print(infos, ELEMENTSOF(infos), &ctl->out) < 0 ? EXIT_RUNTIME
									  : EXIT_SUCCESS);
}

int cmd_list(int argc, char **argv)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = NULL;
	_cleanup_(nsd_containers_unrefp) struct nsd_containers *cs = NULL;
	_cleanup_(nsd_target_unrefp) struct nsd_target *t = NULL;
	struct list_ctl ctl = {0};
	bool need_containers = false;
	size_t denied;
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
	if (ctl.task && !nsd_graph_find_proc(g, ctl.task))
		errx(EXIT_RUNTIME, "%d: no such process", (int)ctl.task);
	if (ctl.task && nsd_proc_is_denied(nsd_graph_find_proc(g, ctl.task)))
		errx(EXIT_RUNTIME, "%d: cannot read its namespaces: %s", (int)ctl.task,
		     strerror(EACCES));
	if (ctl.inode && !nsd_graph_find_ns(g, ctl.inode))
		errx(EXIT_RUNTIME, "%ju: no such namespace", (uintmax_t)ctl.inode);

	r = show(&ctl, g);
	denied = nsd_graph_get_ndenied(g);
	if (denied) {
		fflush(stdout);
		warnx("namespaces of %zu process%s could not be read (permission denied); "
		      "counts leave %s out",
		      denied, denied == 1 ? "" : "es", denied == 1 ? "it" : "them");
	}
	return r;
}
