/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nsdebug containers: the containers of every engine on the host. */
#include <err.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nsdebug.h>

#include "common.h"

enum {
	COL_ENGINE,
	COL_ID,
	COL_NAME,
	COL_PID,
	COL_STATUS,
	COL_POD,
	COL_NAMESPACE,
	COL_NETNS,
	COL_HOSTNS,
};

static const struct colinfo infos[] = {
	[COL_ENGINE] = {"ENGINE", 0, 0, SCOLS_JSON_STRING, "container engine"},
	[COL_ID] = {"ID", 12, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, "container ID"},
	[COL_NAME] = {"NAME", 0, 0, SCOLS_JSON_STRING, "container name"},
	[COL_PID] = {"PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "PID of the container's init"},
	[COL_STATUS] = {"STATUS", 0, 0, SCOLS_JSON_STRING, "running, stopped or stale"},
	[COL_POD] = {"POD", 0, 0, SCOLS_JSON_STRING, "Kubernetes pod"},
	[COL_NAMESPACE] = {"NAMESPACE", 0, 0, SCOLS_JSON_STRING, "Kubernetes namespace of the pod"},
	[COL_NETNS] = {"NETNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		       "inode of the init's network namespace"},
	[COL_HOSTNS] = {"HOSTNS", 0, 0, SCOLS_JSON_STRING,
			"types of namespace the init shares with the host"},
};

static const int default_cols[] = {COL_ENGINE, COL_ID, COL_NAME, COL_PID, COL_STATUS};

struct containers_ctl {
	struct outopts out;
	const char *procfs;
	struct engine_roots roots;
	bool all;
	int cols[ELEMENTSOF(infos)];
	size_t ncols;
};

static void usage(void)
{
	printf("Usage:\n"
	       " nsdebug containers [options]\n"
	       "\n"
	       "List the running containers of every engine, from their state on disk and the\n"
	       "cgroups of the processes.\n"
	       "\n"
	       "Options:\n"
	       " -a, --all                   also list stopped containers and stale state\n"
	       " -J, --json                  use JSON output format\n"
	       " -n, --noheadings            don't print headings\n"
	       " -o, --output <list>         output columns; +<list> adds to the default ones\n"
	       "     --output-all            output all columns\n"
	       " -r, --raw                   use the raw output format\n"
	       " -u, --notruncate            don't truncate text in columns\n"
	       "     --engine-root <e>=<dir> read engine <e>'s state from <dir>; an empty <dir>\n"
	       "                               skips the engine; may be repeated\n"
	       "     --proc <dir>            read processes from procfs <dir> (default /proc)\n"
	       " -H, --list-columns          list the available columns\n"
	       " -h, --help                  display this help\n"
	       "\n"
	       "For more details see nsdebug-containers(1).\n");
}

/* "user,cgroup": the types whose bit is set in @mask, in the order of nsd_nstype. */
static void set_types(struct libscols_line *ln, size_t col, unsigned mask)
{
	char buf[128] = "";
	size_t n = 0;

	for (int t = 0; t < NSD_NS_COUNT; t++)
		if (mask & (1u << t))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? "," : "",
					      nsd_nstype_to_name(t));
	line_set(ln, col, buf);
}

static void fill_row(const struct containers_ctl *ctl, struct libscols_line *ln,
		     const struct nsd_container *c)
{
	struct nsd_proc *p = nsd_container_get_proc(c);
	struct nsd_ns *net = p ? nsd_proc_get_ns(p, NSD_NS_NET) : NULL;

	for (size_t i = 0; i < ctl->ncols; i++) {
		switch (ctl->cols[i]) {
		case COL_ENGINE:
			line_set(ln, i, nsd_container_get_engine(c));
			break;
		case COL_ID:
			line_set(ln, i, nsd_container_get_id(c));
			break;
		case COL_NAME:
			line_set(ln, i, nsd_container_get_name(c));
			break;
		case COL_PID:
			if (nsd_container_get_pid(c))
				line_setf(ln, i, "%d", (int)nsd_container_get_pid(c));
			break;
		case COL_STATUS:
			line_set(ln, i, nsd_container_status_to_name(nsd_container_get_status(c)));
			break;
		case COL_POD:
			line_set(ln, i, nsd_container_get_pod(c));
			break;
		case COL_NAMESPACE:
			line_set(ln, i, nsd_container_get_k8s_namespace(c));
			break;
		case COL_NETNS:
			if (net)
				line_setf(ln, i, "%ju", (uintmax_t)nsd_ns_get_inode(net));
			break;
		case COL_HOSTNS:
			if (p)
				set_types(ln, i, nsd_container_get_host_namespaces(c));
			break;
		}
	}
}

static int show(const struct containers_ctl *ctl, struct nsd_containers *cs)
{
	_cleanup_(scols_unref_tablep) struct libscols_table *tb = table_new(&ctl->out, "containers");
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_container *c;
	int r;

	if (!itr)
		errx(EXIT_RUNTIME, "out of memory");
	for (size_t i = 0; i < ctl->ncols; i++)
		table_add_column(tb, &infos[ctl->cols[i]], &ctl->out, false);
	while (nsd_containers_next(cs, itr, &c) == 0)
		if (ctl->all || nsd_container_get_status(c) == NSD_CONTAINER_RUNNING)
			fill_row(ctl, table_new_line(tb, NULL), c);
	r = scols_print_table(tb);
	if (r < 0)
		errx(EXIT_RUNTIME, "cannot print the table: %s", strerror(-r));
	warn_hidden(count_denied_inits(cs), "the table leaves");
	return EXIT_SUCCESS;
}

static void parse_options(struct containers_ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"all", no_argument, NULL, 'a'},
		{"json", no_argument, NULL, 'J'},
		{"noheadings", no_argument, NULL, 'n'},
		{"output", required_argument, NULL, 'o'},
		{"output-all", no_argument, NULL, OPT_OUTPUT_ALL},
		{"raw", no_argument, NULL, 'r'},
		{"notruncate", no_argument, NULL, 'u'},
		{"engine-root", required_argument, NULL, OPT_ENGINE_ROOT},
		{"proc", required_argument, NULL, OPT_PROC},
		{"list-columns", no_argument, NULL, 'H'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":aJno:ruHh", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			ctl->all = true;
			break;
		case OPT_ENGINE_ROOT:
			engine_roots_add("containers", &ctl->roots, optarg);
			break;
		case OPT_PROC:
			ctl->procfs = optarg;
			break;
		case 'h':
			usage();
			exit(EXIT_SUCCESS);
		default:
			if (!outopts_parse(&ctl->out, c, optarg))
				bad_option("containers", argv, c);
		}
	}
	if (optind < argc)
		usage_fail("containers", "unexpected argument '%.64s'", argv[optind]);
	ctl->ncols = columns_parse("containers", &ctl->out, infos, ELEMENTSOF(infos), default_cols,
				   ELEMENTSOF(default_cols), ctl->cols, ELEMENTSOF(ctl->cols));
	columns_list(infos, ELEMENTSOF(infos), &ctl->out);
}

int cmd_containers(int argc, char **argv)
{
	_cleanup_(nsd_graph_unrefp) struct nsd_graph *g = NULL;
	_cleanup_(nsd_containers_unrefp) struct nsd_containers *cs = NULL;
	struct containers_ctl ctl = {0};

	parse_options(&ctl, argc, argv);
	g = graph_open(ctl.procfs, 0);
	cs = containers_open(g, &ctl.roots);
	return show(&ctl, cs);
}
