/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nsdebug audit: every container of the host against the library's checks. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nsdebug.h>

#include "common.h"

/* A finding at or above --fail-on (nsdebug-audit(1), EXIT STATUS). */
#define EXIT_FINDINGS 3

enum {
	COL_CONTAINER,
	COL_ENGINE,
	COL_CONTAINER_ID,
	COL_PID,
	COL_SEVERITY,
	COL_FINDING,
	COL_REASON,
};

static const struct colinfo infos[] = {
	[COL_CONTAINER] = {"CONTAINER", 0.15, 0, SCOLS_JSON_STRING,
			   "ENGINE:NAME, or ENGINE: and the start of the ID"},
	[COL_ENGINE] = {"ENGINE", 6, 0, SCOLS_JSON_STRING, "container engine"},
	[COL_CONTAINER_ID] = {"CONTAINER-ID", 12, 0, SCOLS_JSON_STRING, "full container ID"},
	[COL_PID] = {"PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		     "the process it is about: the init, or the one found"},
	[COL_SEVERITY] = {"SEVERITY", 8, 0, SCOLS_JSON_STRING,
			  "info, low, medium, high or critical"},
	[COL_FINDING] = {"FINDING", 12, 0, SCOLS_JSON_STRING, "finding ID (nsdebug-audit(1))"},
	[COL_REASON] = {"REASON", 0.5, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, "what was found"},
};

static const int default_cols[] = {COL_CONTAINER, COL_PID, COL_SEVERITY, COL_FINDING, COL_REASON};

enum {
	OPT_FAIL_ON = 0x200,
	OPT_HOST_MOUNTINFO,
};

struct audit_ctl {
	struct outopts out;
	const char *procfs;
	const char *host_mountinfo;
	struct engine_roots roots;
	int fail_on; /* a severity, or -1 */
	int cols[16];
	size_t ncols;
};

static void usage(void)
{
	printf("Usage:\n"
	       " nsdebug audit [options]\n"
	       "\n"
	       "Check every running container of the host for what gives it power over the\n"
	       "host: shared host namespaces, runtime sockets, capabilities, root without a\n"
	       "user namespace, writable host paths, deleted executables.\n"
	       "\n"
	       "Options:\n"
	       " -J, --json             use JSON output format\n"
	       " -n, --noheadings       don't print headings\n"
	       " -o, --output <list>    output columns; +<list> adds to the default ones\n"
	       "     --output-all       output all columns\n"
	       " -r, --raw              use the raw output format\n"
	       " -u, --notruncate       don't truncate text in columns\n"
	       "     --fail-on <severity>  exit 3 when a finding is this severe or more\n"
	       "                              (info, low, medium, high, critical)\n"
	       "     --host-mountinfo <file>  the host's mountinfo, for host paths\n"
	       "                              (default: that of PID 1 of the procfs)\n"
	       "     --proc <dir>       read processes from procfs <dir> (default /proc)\n"
	       USAGE_ENGINE_ROOT
	       " -H, --list-columns     list the available columns\n"
	       " -h, --help             display this help\n"
	       "\n"
	       "For more details see nsdebug-audit(1).\n");
}

static void fill_row(const struct audit_ctl *ctl, struct libscols_line *ln,
		     const struct nsd_finding *f)
{
	struct nsd_container *c = nsd_finding_get_container(f);
	struct nsd_proc *p = nsd_finding_get_proc(f);

	for (size_t i = 0; i < ctl->ncols; i++) {
		switch (ctl->cols[i]) {
		case COL_CONTAINER:
			if (scols_line_refer_data(ln, i, container_label(c)) < 0)
				nomem();
			break;
		case COL_ENGINE:
			line_set(ln, i, nsd_container_get_engine(c));
			break;
		case COL_CONTAINER_ID:
			line_set(ln, i, nsd_container_get_id(c));
			break;
		case COL_PID:
			if (p)
				line_setf(ln, i, "%d", (int)nsd_proc_get_pid(p));
			break;
		case COL_SEVERITY:
			line_set(ln, i, nsd_severity_to_name(nsd_finding_get_severity(f)));
			break;
		case COL_FINDING:
			line_set(ln, i, nsd_finding_get_id(f));
			break;
		case COL_REASON:
			line_set(ln, i, nsd_finding_get_reason(f));
			break;
		}
	}
}

static void parse_options(struct audit_ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'J'},
		{"noheadings", no_argument, NULL, 'n'},
		{"output", required_argument, NULL, 'o'},
		{"output-all", no_argument, NULL, OPT_OUTPUT_ALL},
		{"raw", no_argument, NULL, 'r'},
		{"notruncate", no_argument, NULL, 'u'},
		{"fail-on", required_argument, NULL, OPT_FAIL_ON},
		{"host-mountinfo", required_argument, NULL, OPT_HOST_MOUNTINFO},
		{"proc", required_argument, NULL, OPT_PROC},
		{"engine-root", required_argument, NULL, OPT_ENGINE_ROOT},
		{"list-columns", no_argument, NULL, 'H'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	ctl->fail_on = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":Jno:ruHh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_FAIL_ON:
			ctl->fail_on = nsd_severity_from_name(optarg);
			if (ctl->fail_on < 0)
				usage_fail("audit", "--fail-on: unknown severity '%.64s' (info, low, "
						    "medium, high, critical)", optarg);
			break;
		case OPT_HOST_MOUNTINFO:
			ctl->host_mountinfo = optarg;
			break;
		case OPT_PROC:
			ctl->procfs = optarg;
			break;
		case OPT_ENGINE_ROOT:
			engine_roots_add("audit", &ctl->roots, optarg);
			break;
		case 'h':
			usage();
			exit(EXIT_SUCCESS);
		default:
			if (!outopts_parse(&ctl->out, c, optarg))
				bad_option("audit", argv, c);
		}
	}
	ctl->ncols = columns_parse("audit", &ctl->out, infos, ELEMENTSOF(infos), default_cols,
				   ELEMENTSOF(default_cols), ctl->cols, ELEMENTSOF(ctl->cols));
	columns_list(infos, ELEMENTSOF(infos), &ctl->out);
	if (optind < argc)
		usage_fail("audit", "unexpected argument '%.64s'", argv[optind]);
}

/* --host-mountinfo: the host's table from a file. */
static struct nsd_mounts *read_host(const char *path)
{
	struct nsd_mounts *m = nsd_mounts_new();
	int r;

	if (!m)
		nomem();
	r = nsd_mounts_read_file(m, path);
	if (r == -EBADMSG)
		errx(EXIT_RUNTIME, "%.100s: cannot parse line %zu", path,
		     nsd_mounts_get_error_line(m));
	if (r < 0)
		errx(EXIT_RUNTIME, "%.100s: cannot read the host's mountinfo: %s", path,
		     strerror(-r));
	return m;
}

int cmd_audit(int argc, char **argv)
{
	_cleanup_(nsd_containers_unrefp) struct nsd_containers *cs = NULL;
	_cleanup_(nsd_audit_unrefp) struct nsd_audit *a = NULL;
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	_cleanup_(scols_unref_tablep) struct libscols_table *tb = NULL;
	struct audit_ctl ctl = {0};
	struct nsd_finding *f;
	struct nsd_graph *g;
	bool failed = false;
	int r;

	parse_options(&ctl, argc, argv);
	g = graph_open(ctl.procfs, 0);
	cs = containers_open(g, &ctl.roots);
	nsd_graph_unref(g);
	a = nsd_audit_new(cs);
	if (!a || !itr)
		nomem();
	if (ctl.host_mountinfo) {
		_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *host = read_host(ctl.host_mountinfo);

		nsd_audit_set_host_mounts(a, host);
	}
	r = nsd_audit_run(a);
	if (r < 0)
		errx(EXIT_RUNTIME, "cannot audit: %s", strerror(-r));
	tb = table_new(&ctl.out, "findings");
	for (size_t i = 0; i < ctl.ncols; i++)
		table_add_column(tb, &infos[ctl.cols[i]], &ctl.out, false);
	while (nsd_audit_next_finding(a, itr, &f) == 0) {
		fill_row(&ctl, table_new_line(tb, NULL), f);
		failed |= ctl.fail_on >= 0 && (int)nsd_finding_get_severity(f) >= ctl.fail_on;
	}
	r = scols_print_table(tb);
	if (r < 0)
		errx(EXIT_RUNTIME, "cannot print the table: %s", strerror(-r));
	/* Checks of what could not be read found nothing: that is not "safe". */
	warn_hidden(count_denied_inits(cs), "the audit leaves");
	return failed ? EXIT_FINDINGS : EXIT_SUCCESS;
}
