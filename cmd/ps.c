/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsdebug ps: the processes of a target's pid namespace, as ps inside it
 * would show them, read from the host without entering anything: PIDs in
 * that namespace, users as its user namespace and its /etc/passwd name
 * them, and executables that were deleted or never on disk (memfd) marked.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nsdebug.h>

#include "common.h"

enum {
	COL_PID,
	COL_NSPID,
	COL_PPID,
	COL_UID,
	COL_USER,
	COL_HOST_UID,
	COL_STATE,
	COL_START,
	COL_EXE,
	COL_COMMAND,
};

static const struct colinfo infos[] = {
	[COL_PID] = {"PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "PID on the host (of the procfs)"},
	[COL_NSPID] = {"NSPID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		       "PID in the target's pid namespace"},
	[COL_PPID] = {"PPID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "parent's PID on the host"},
	[COL_UID] = {"UID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		     "effective UID in the target's user namespace"},
	[COL_USER] = {"USER", 8, 0, SCOLS_JSON_STRING,
		      "user name of UID in the target's /etc/passwd, else UID"},
	[COL_HOST_UID] = {"HOST-UID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "effective UID on the host"},
	[COL_STATE] = {"STATE", 1, 0, SCOLS_JSON_STRING, "state (R, S, D, Z, T...)"},
	[COL_START] = {"START", 5, SCOLS_FL_RIGHT, SCOLS_JSON_STRING,
		       "start time: HH:MM today, else MmmDD; ISO 8601 in JSON"},
	[COL_EXE] = {"EXE", 0, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
		     "executable; \"(deleted)\" when removed or run from memory (memfd)"},
	[COL_COMMAND] = {"COMMAND", 0, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, "command line"},
};

static const int default_cols[] = {COL_PID,   COL_NSPID, COL_PPID, COL_USER,
				   COL_STATE, COL_START, COL_EXE,  COL_COMMAND};

struct ps_ctl {
	struct outopts out;
	const char *procfs;
	struct engine_roots roots;
	bool tree;
	int cols[64];
	size_t ncols;
	struct nsd_proc *target;  /* the pinned process, as the walk saw it */
	struct nsd_ns *pidns;     /* its pid namespace */
	unsigned level;           /* of that namespace, below the procfs's */
	time_t today;             /* midnight, local time */
};

/* A row a process: in NSPID order. */
struct row {
	struct nsd_proc *proc;
	pid_t nspid;
	struct libscols_line *line;
	bool busy; /* its line is being made */
};

static void usage(void)
{
	printf("Usage:\n"
	       " nsdebug ps [options] <target>\n"
	       "\n"
	       "List the processes of the pid namespace of <target> (a PID, a container's name\n"
	       "or ID, or a namespace file of a process), as ps inside it would, without\n"
	       "entering it.\n"
	       "\n"
	       "Options:\n"
	       " -J, --json             use JSON output format\n"
	       " -l, --list             use list format output (the default)\n"
	       " -n, --noheadings       don't print headings\n"
	       " -o, --output <list>    output columns; +<list> adds to the default ones\n"
	       "     --output-all       output all columns\n"
	       " -r, --raw              use the raw output format\n"
	       " -u, --notruncate       don't truncate text in columns\n"
	       "     --tree             show the processes as a tree, by parent\n"
	       "     --proc <dir>       read processes from procfs <dir> (default /proc)\n"
	       USAGE_ENGINE_ROOT
	       " -H, --list-columns     list the available columns\n"
	       " -h, --help             display this help\n"
	       "\n"
	       "For more details see nsdebug-ps(1).\n");
}

static int cmp_rows(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return (x->nspid > y->nspid) - (x->nspid < y->nspid);
}

/* "15:04" for today, "Nov28" before, as ps(1) shows STIME; ISO 8601 in JSON. */
static void set_start(const struct ps_ctl *ctl, struct libscols_line *ln, size_t col,
		      const struct nsd_proc *p)
{
	char buf[64];
	struct tm tm;
	time_t t;

	if (nsd_proc_get_start_time(p, &t) < 0 || !localtime_r(&t, &tm))
		return;
	if (ctl->out.json)
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm);
	else
		strftime(buf, sizeof(buf), t >= ctl->today ? "%H:%M" : "%b%d", &tm);
	line_set(ln, col, buf);
}

/* USER: the name the target's /etc/passwd gives the UID, else the number. */
static void set_user(const struct ps_ctl *ctl, struct libscols_line *ln, size_t col, uint32_t uid)
{
	char *name = NULL;
	int r = nsd_proc_get_user_name(ctl->target, uid, &name);

	if (r == -ENOMEM)
		nomem();
	if (r == 0 && scols_line_refer_data(ln, col, name) < 0)
		nomem();
	if (r < 0)
		line_setf(ln, col, "%u", uid);
}

static void fill_row(const struct ps_ctl *ctl, struct libscols_line *ln, const struct row *row)
{
	struct nsd_proc *p = row->proc;
	uid_t uids[4];
	uint32_t uid = 0;
	bool has_uid = nsd_proc_get_ids(p, uids, NULL) == 0;
	int mapped = has_uid ? nsd_proc_map_id(ctl->target, false, uids[1], &uid) : -ENODATA;
	const char *exe;

	/* An ID its user namespace does not map shows as the overflow ID there;
	 * one whose map cannot be read is not shown at all. */
	if (mapped == -ERANGE) {
		uid = 65534;
		mapped = 0;
	}
	for (size_t i = 0; i < ctl->ncols; i++) {
		switch (ctl->cols[i]) {
		case COL_PID:
			line_setf(ln, i, "%d", (int)nsd_proc_get_pid(p));
			break;
		case COL_NSPID:
			if (row->nspid)
				line_setf(ln, i, "%d", (int)row->nspid);
			break;
		case COL_PPID:
			line_setf(ln, i, "%d", (int)nsd_proc_get_ppid(p));
			break;
		case COL_UID:
			if (mapped == 0)
				line_setf(ln, i, "%u", uid);
			break;
		case COL_USER:
			if (mapped == 0)
				set_user(ctl, ln, i, uid);
			break;
		case COL_HOST_UID:
			if (has_uid)
				line_setf(ln, i, "%u", (unsigned)uids[1]);
			break;
		case COL_STATE:
			line_setf(ln, i, "%c", nsd_proc_get_state(p));
			break;
		case COL_START:
			set_start(ctl, ln, i, p);
			break;
		case COL_EXE:
			exe = nsd_proc_get_exe(p);
			line_set(ln, i, exe);
			break;
		case COL_COMMAND:
			line_set(ln, i, nsd_proc_get_command(p));
			break;
		}
	}
}

/* The visible processes, in NSPID order; @ret_n says how many. */
static struct row *collect(struct ps_ctl *ctl, struct nsd_graph *g, size_t *ret_n)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct row *rows = calloc(nsd_graph_get_nprocs(g) + 1, sizeof(*rows));
	struct nsd_proc *p;
	size_t n = 0;

	if (!itr || !rows)
		nomem();
	while (nsd_graph_next_proc(g, itr, &p) == 0) {
		struct row *row = &rows[n];

		if (!nsd_ns_is_within(nsd_proc_get_ns(p, NSD_NS_PID), ctl->pidns))
			continue;
		row->proc = p;
		/* Unknown (0) when its status cannot be read: it sorts first. */
		if (nsd_proc_get_nspid(p, ctl->level, &row->nspid) < 0)
			row->nspid = 0;
		n++;
	}
	qsort(rows, n, sizeof(*rows), cmp_rows);
	*ret_n = n;
	return rows;
}

/* The row of @p when it is listed. */
static struct row *row_of(const struct nsd_proc *p)
{
	return p ? nsd_proc_get_userdata(p) : NULL;
}

/*
 * Makes the line of @row, under its parent's with --tree, making the lines
 * above it first (a parent's NSPID may be higher after PID wrap-around).
 * Iterative, and a row being made ends the climb: a parent loop from PIDs
 * reused during the walk cannot recurse for ever.
 */
static void make_line(const struct ps_ctl *ctl, struct libscols_table *tb, struct row *row,
		      struct row **stack)
{
	struct libscols_line *parent = NULL;
	size_t n = 0;

	for (struct row *r = row; r && !r->line && !r->busy;) {
		r->busy = true;
		stack[n++] = r;
		r = ctl->tree ? row_of(nsd_proc_get_parent(r->proc)) : NULL;
		if (r && r->line)
			parent = r->line;
	}
	while (n > 0) {
		struct row *r = stack[--n];

		r->line = table_new_line(tb, parent);
		fill_row(ctl, r->line, r);
		parent = r->line;
	}
}

static int show(struct ps_ctl *ctl, struct nsd_graph *g)
{
	_cleanup_(scols_unref_tablep) struct libscols_table *tb = table_new(&ctl->out, "processes");
	_cleanup_free_ struct row *rows = NULL;
	_cleanup_free_ struct row **stack = NULL;
	size_t n;
	int r;

	for (size_t i = 0; i < ctl->ncols; i++)
		table_add_column(tb, &infos[ctl->cols[i]], &ctl->out,
				 ctl->tree && ctl->cols[i] == COL_COMMAND);
	rows = collect(ctl, g, &n);
	stack = calloc(n + 1, sizeof(*stack));
	if (!stack)
		nomem();
	for (size_t i = 0; i < n; i++)
		nsd_proc_set_userdata(rows[i].proc, &rows[i]);
	for (size_t i = 0; i < n; i++)
		make_line(ctl, tb, &rows[i], stack);
	r = scols_print_table(tb);
	if (r < 0)
		errx(EXIT_RUNTIME, "cannot print the table: %s", strerror(-r));
	warn_hidden(count_hidden_within(g, ctl->level), "the list leaves");
	return EXIT_SUCCESS;
}

static void parse_options(struct ps_ctl *ctl, int argc, char **argv, const char **ret_target)
{
	static const struct option longopts[] = {
		OUTOPTS_LONGOPTS,
		{"tree", no_argument, NULL, OPT_TREE},
		{"proc", required_argument, NULL, OPT_PROC},
		{"engine-root", required_argument, NULL, OPT_ENGINE_ROOT},
		{"list-columns", no_argument, NULL, 'H'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" OUTOPTS_SHORTOPTS "Hh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_TREE:
			ctl->tree = true;
			break;
		case OPT_PROC:
			ctl->procfs = optarg;
			break;
		case OPT_ENGINE_ROOT:
			engine_roots_add("ps", &ctl->roots, optarg);
			break;
		case 'h':
			usage();
			exit(EXIT_SUCCESS);
		default:
			if (!outopts_parse(&ctl->out, c, optarg))
				bad_option("ps", argv, c);
		}
	}
	ctl->ncols = columns_parse("ps", &ctl->out, infos, ELEMENTSOF(infos), default_cols,
				   ELEMENTSOF(default_cols), ctl->cols, ELEMENTSOF(ctl->cols));
	columns_list(infos, ELEMENTSOF(infos), &ctl->out);
	if (optind >= argc)
		usage_fail("ps", "no target given");
	*ret_target = argv[optind++];
	if (optind < argc)
		usage_fail("ps", "unexpected argument '%.64s'", argv[optind]);
}

int cmd_ps(int argc, char **argv)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = NULL;
	_cleanup_(nsd_containers_unrefp) struct nsd_containers *cs = NULL;
	_cleanup_(nsd_target_unrefp) struct nsd_target *t = NULL;
	struct ps_ctl ctl = {0};
	const char *arg;
	struct tm tm;
	time_t now = time(NULL);
	int level;

	parse_options(&ctl, argc, argv, &arg);
	t = target_parse("ps", arg);
	/* The hierarchy tells which pid namespaces are below the target's. */
	g = graph_open(ctl.procfs, NSD_SCAN_HIERARCHY);
	if (ctl.procfs || nsd_target_get_kind(t) == NSD_TARGET_CONTAINER)
		cs = containers_open(g, &ctl.roots);
	target_resolve(t, cs);
	if (nsd_target_get_pid(t) == 0)
		errx(EXIT_RUNTIME, "%.100s: no process holds it, so it has no processes to list",
		     arg);
	ctl.target = nsd_graph_find_proc(g, nsd_target_get_pid(t));
	if (!ctl.target || nsd_proc_get_starttime(ctl.target) != nsd_target_get_starttime(t))
		errx(EXIT_RUNTIME, "%.100s: the process exited", arg);
	ctl.pidns = nsd_proc_get_ns(ctl.target, NSD_NS_PID);
	if (!ctl.pidns)
		errx(EXIT_RUNTIME, "%.100s: cannot read its pid namespace: %s", arg,
		     strerror(nsd_proc_is_denied(ctl.target) ? EACCES : ENOENT));
	level = nsd_proc_get_pidns_level(ctl.target);
	if (level < 0)
		errx(EXIT_RUNTIME, "%.100s: cannot read its status: %s", arg, strerror(-level));
	ctl.level = (unsigned)level;
	ctl.tree &= !ctl.out.list;
	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	ctl.today = mktime(&tm);
	return show(&ctl, g);
}
