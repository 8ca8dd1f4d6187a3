/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Option errors, column lists and libsmartcols tables, the same for every subcommand. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <search.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common.h"

int usage_status = EXIT_USAGE;
int failure_status = EXIT_RUNTIME;

void usage_fail(const char *sub, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", program_invocation_short_name, sub);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; try '%s %s --help'\n", program_invocation_short_name, sub);
	exit(usage_status);
}

void bad_option(const char *sub, char **argv, int c)
{
	const char *arg = argv[optind - 1];
	bool is_long = strncmp(arg, "--", 2) == 0;

	if (c == ':' && is_long)
		usage_fail(sub, "option '%.100s' requires an argument", arg);
	if (c == ':')
		usage_fail(sub, "option '-%c' requires an argument", optopt);
	if (is_long && optopt)
		usage_fail(sub, "option '%.100s' takes no argument", arg);
	if (is_long)
		usage_fail(sub, "unknown option '%.100s'", arg);
	usage_fail(sub, "unknown option '-%c'", optopt);
}

bool outopts_parse(struct outopts *out, int c, const char *arg)
{
	switch (c) {
	case 'J':
		out->json = true;
		break;
	case 'l':
		out->list = true;
		break;
	case 'n':
		out->noheadings = true;
		break;
	case 'o':
		out->columns = arg;
		break;
	case OPT_OUTPUT_ALL:
		out->output_all = true;
		break;
	case 'r':
		out->raw = true;
		break;
	case 'u':
		out->notruncate = true;
		break;
	case 'H':
		out->list_columns = true;
		break;
	default:
		return false;
	}
	return true;
}

static const struct colinfo *find_column(const struct colinfo *info, size_t ninfo, const char *name,
					 size_t len)
{
	for (size_t i = 0; i < ninfo; i++)
		if (strlen(info[i].name) == len && strncasecmp(info[i].name, name, len) == 0)
			return &info[i];
	return NULL;
}

size_t columns_parse(const char *sub, const struct outopts *out, const struct colinfo *info,
		     size_t ninfo, const int *defaults, size_t ndefaults, int *cols, size_t maxcols)
{
	const char *p = out->columns;
	size_t n = 0;

	if (out->output_all) {
		for (size_t i = 0; i < ninfo && n < maxcols; i++)
			cols[n++] = (int)i;
		return n;
	}
	if (!p || *p == '+') {
		for (size_t i = 0; i < ndefaults && n < maxcols; i++)
			cols[n++] = defaults[i];
		if (!p)
			return n;
		p++;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		const struct colinfo *ci = find_column(info, ninfo, p, len);

		if (!ci)
			usage_fail(sub, "unknown column '%.*s' (-H lists them)", (int)(len > 64 ? 64 : len), p);
		if (n >= maxcols)
			usage_fail(sub, "too many columns");
		cols[n++] = (int)(ci - info);
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	return n;
}

void nomem(void)
{
	errx(failure_status, "out of memory");
}

struct libscols_table *table_new(const struct outopts *out, const char *name)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		nomem();
	scols_table_enable_json(tb, out->json);
	scols_table_set_name(tb, name);
	scols_table_enable_raw(tb, out->raw);
	scols_table_enable_noheadings(tb, out->noheadings);
	return tb;
}

struct libscols_column *table_add_column(struct libscols_table *tb, const struct colinfo *ci,
					 const struct outopts *out, bool tree)
{
	int flags = ci->flags;
	struct libscols_column *cl;

	if (out->notruncate)
		flags &= ~SCOLS_FL_TRUNC;
	if (tree)
		flags |= SCOLS_FL_TREE;
	cl = scols_table_new_column(tb, ci->name, ci->whint, flags);
	if (!cl)
		nomem();
	scols_column_set_json_type(cl, ci->json_type);
	return cl;
}

struct libscols_line *table_new_line(struct libscols_table *tb, struct libscols_line *parent)
{
	struct libscols_line *ln = scols_table_new_line(tb, parent);

	if (!ln)
		nomem();
	return ln;
}

void line_set(struct libscols_line *ln, size_t col, const char *data)
{
	if (data && scols_line_set_data(ln, col, data) < 0)
		nomem();
}

void line_setf(struct libscols_line *ln, size_t col, const char *fmt, ...)
{
	char *s;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0 || scols_line_refer_data(ln, col, s) < 0)
		nomem();
}

static const char *json_type_name(int type)
{
	switch (type) {
	case SCOLS_JSON_NUMBER:
		return "number";
	case SCOLS_JSON_BOOLEAN:
		return "boolean";
	case SCOLS_JSON_ARRAY_STRING:
		return "array of strings";
	default:
		return "string";
	}
}

static int print_columns(const struct colinfo *info, size_t ninfo, const struct outopts *out)
{
	static const struct colinfo cols[] = {
		{"NAME", 0, 0, SCOLS_JSON_STRING, NULL},
		{"TYPE", 0, 0, SCOLS_JSON_STRING, NULL},
		{"DESCRIPTION", 0, 0, SCOLS_JSON_STRING, NULL},
	};
	_cleanup_(scols_unref_tablep) struct libscols_table *tb = table_new(out, "columns");

	for (size_t i = 0; i < ELEMENTSOF(cols); i++)
		table_add_column(tb, &cols[i], out, false);
	for (size_t i = 0; i < ninfo; i++) {
		struct libscols_line *ln = table_new_line(tb, NULL);

		line_set(ln, 0, info[i].name);
		line_set(ln, 1, json_type_name(info[i].json_type));
		line_set(ln, 2, info[i].help);
	}
	return scols_print_table(tb);
}

void columns_list(const struct colinfo *info, size_t ninfo, const struct outopts *out)
{
	if (out->list_columns)
		exit(print_columns(info, ninfo, out) < 0 ? EXIT_RUNTIME : EXIT_SUCCESS);
}

struct uid_name {
	uid_t uid;
	char *name; /* NULL: no passwd entry */
};

static int cmp_uid(const void *a, const void *b)
{
	uid_t x = ((const struct uid_name *)a)->uid, y = ((const struct uid_name *)b)->uid;

	return (x > y) - (x < y);
}

const char *user_name(uid_t uid)
{
	/* A balanced tree: thousands of rows share a handful of UIDs, and
	 * getpwuid() rereads /etc/passwd on every call. Lives for the run. */
	static void *cache;
	struct uid_name key = {.uid = uid}, *e;
	struct passwd *pw;
	void **found = tfind(&key, &cache, cmp_uid);

	if (found)
		return (*(struct uid_name **)found)->name;
	e = calloc(1, sizeof(*e));
	if (!e)
		nomem();
	e->uid = uid;
	pw = getpwuid(uid);
	if (pw) {
		e->name = strdup(pw->pw_name);
		if (!e->name)
			nomem();
	}
	if (!tsearch(e, &cache, cmp_uid))
		nomem();
	return e->name;
}

unsigned long long parse_number(const char *sub, const char *what, const char *arg,
				unsigned long long min, unsigned long long max)
{
	unsigned long long v = 0;
	const char *p = arg;

	if (*p < '0' || *p > '9')
		usage_fail(sub, "%s: '%.64s' is not a number", what, arg);
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			usage_fail(sub, "%s: '%.64s' is not a number", what, arg);
		if (v > (max - (unsigned)(*p - '0')) / 10)
			usage_fail(sub, "%s: '%.64s' is out of range", what, arg);
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (v < min)
		usage_fail(sub, "%s: '%.64s' is out of range", what, arg);
	return v;
}

void task_check(struct nsd_graph *g, pid_t task)
{
	struct nsd_proc *p = task ? nsd_graph_find_proc(g, task) : NULL;
	int err = !task ? 0 : !p ? ESRCH : nsd_proc_is_denied(p) ? EACCES : 0;

	if (!err)
		return;
	/* freed before exit(), which unwinds nothing: an error is not a leak to LeakSanitizer */
	nsd_graph_unref(g);
	if (err == ESRCH)
		errx(EXIT_RUNTIME, "%d: no such process", (int)task);
	errx(EXIT_RUNTIME, "%d: cannot read its namespaces: %s", (int)task, strerror(err));
}

char *hidden_note(size_t nprocs, const char *leave)
{
	const char *state = state_denied();
	char procs[64] = "";
	char *s;

	if (!nprocs && !state)
		return NULL;
	if (nprocs)
		snprintf(procs, sizeof(procs), "namespaces of %zu process%s", nprocs,
			 nprocs == 1 ? "" : "es");
	if (asprintf(&s, "%s%s%s%s could not be read (permission denied); %s %s out", procs,
		     nprocs && state ? " and " : "", state ? "the containers in " : "",
		     state ? state : "", leave, nprocs == 1 && !state ? "it" : "them") < 0)
		nomem();
	return s;
}

void warn_hidden(size_t nprocs, const char *leave)
{
	_cleanup_free_ char *note = hidden_note(nprocs, leave);

	if (!note)
		return;
	fflush(stdout);
	warnx("%s", note);
}

void warn_denied(struct nsd_graph *g, const char *leave)
{
	warn_hidden(nsd_graph_get_ndenied(g), leave);
}

size_t count_hidden_within(struct nsd_graph *g, unsigned level)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_proc *p;
	size_t n = 0;

	if (!itr)
		nomem();
	while (nsd_graph_next_proc(g, itr, &p) == 0)
		n += nsd_proc_is_denied(p) && nsd_proc_get_pidns_level(p) >= (int)level;
	return n;
}
