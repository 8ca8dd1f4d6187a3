/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the subcommands share: exit codes, option errors, column tables and
 * libsmartcols set-up. Subcommands are thin: parse options, call libnsdebug,
 * print with libsmartcols.
 */
#ifndef NSDEBUG_CMD_COMMON_H
#define NSDEBUG_CMD_COMMON_H

#include <libsmartcols.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <nsdebug.h>

#include "macro.h"

/* Exit codes (DESIGN.md, "Output and exit codes"); enter and attach keep the
 * command's statuses unambiguous with the last three for their own failures. */
#define EXIT_RUNTIME 1
#define EXIT_USAGE 2
#define EXIT_CANNOT_RUN 125
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND 127

/* Lines of --help that several commands share. */
#define USAGE_ENGINE_ROOT                                                                          \
	"     --engine-root <e>=<dir>  read engine <e>'s state from <dir>; may be repeated\n"
#define USAGE_RUN_EXIT_STATUS                                                                      \
	"Exit status: the command's; 128+N if it died of signal N; 125 if nsdebug\n"                \
	"failed, 126 if the command cannot be run, 127 if it is not found.\n"

/* _cleanup_() helpers for every library type the commands hold, defined once. */
DEFINE_CLEANUP_FUNC(struct libscols_table, scols_unref_table)
DEFINE_CLEANUP_FUNC(struct nsd_iter, nsd_iter_free)
DEFINE_CLEANUP_FUNC(struct nsd_graph, nsd_graph_unref)
DEFINE_CLEANUP_FUNC(struct nsd_containers, nsd_containers_unref)
DEFINE_CLEANUP_FUNC(struct nsd_target, nsd_target_unref)
DEFINE_CLEANUP_FUNC(struct nsd_mounts, nsd_mounts_unref)
DEFINE_CLEANUP_FUNC(struct nsd_enter, nsd_enter_unref)
DEFINE_CLEANUP_FUNC(struct nsd_netinfo, nsd_netinfo_unref)
DEFINE_CLEANUP_FUNC(struct nsd_audit, nsd_audit_unref)

/* One output column: name as in lsns/findmnt, width hint, SCOLS_FL_*, SCOLS_JSON_*, help. */
struct colinfo {
	const char *name;
	double whint;
	int flags;
	int json_type;
	const char *help;
};

/* The output options every table command takes. */
struct outopts {
	bool json;
	bool raw;
	bool noheadings;
	bool notruncate;
	bool list;
	bool output_all;
	bool list_columns;   /* -H */
	const char *columns; /* -o argument, NULL for the defaults */
};

/* Long options without a short one, for the subcommands' getopt_long tables. */
enum {
	OPT_OUTPUT_ALL = 0x100,
	OPT_PROC,
	OPT_FOR_CHILDREN,
	OPT_ENGINE_ROOT,
	OPT_CONTAINER,
	OPT_NO_THREADS,
	OPT_PERSISTENT,
	OPT_DOT,
	OPT_KEEP_CAPS,
	OPT_TREE,
	OPT_PRIVILEGED,
};

/* The output options in getopt_long()'s tables: the long ones, and the
 * short ones for the option string. outopts_parse() takes them. */
#define OUTOPTS_LONGOPTS                                                                           \
	{"json", no_argument, NULL, 'J'},                                                          \
	{"list", no_argument, NULL, 'l'},                                                          \
	{"noheadings", no_argument, NULL, 'n'},                                                    \
	{"output", required_argument, NULL, 'o'},                                                  \
	{"output-all", no_argument, NULL, OPT_OUTPUT_ALL},                                         \
	{"raw", no_argument, NULL, 'r'},                                                           \
	{"notruncate", no_argument, NULL, 'u'}
#define OUTOPTS_SHORTOPTS "Jlno:ru"

/* Records the output option @c (as getopt_long() returned it, with @arg) in
 * @out; -H too, which every table command has. Returns false when @c is not
 * an output option. */
bool outopts_parse(struct outopts *out, int c, const char *arg);

/* Exits 1 with "nsdebug: out of memory". */
__attribute__((noreturn)) void nomem(void);

/* The exit statuses of a usage error (2) and of a failure (1), which the
 * commands whose status is otherwise the status of the command they run
 * (enter) set to 125; the shared helpers here exit with them. */
extern int usage_status;
extern int failure_status;

/* Exits usage_status with one line: "nsdebug: SUB: MESSAGE; try 'nsdebug SUB --help'". */
__attribute__((noreturn, format(printf, 2, 3))) void usage_fail(const char *sub, const char *fmt,
								 ...);
/* Reports what getopt_long() rejected: @c is what it returned, '?' or ':'
 * (option strings start with ':' so that a missing argument is told apart). */
__attribute__((noreturn)) void bad_option(const char *sub, char **argv, int c);

/* Parses a decimal number in [@min, @max] for option @what; exits 2 otherwise. */
unsigned long long parse_number(const char *sub, const char *what, const char *arg,
				unsigned long long min, unsigned long long max);

/* Fills @cols from the -o list, "+LIST" appending to @defaults; exits 2 on an unknown name. */
size_t columns_parse(const char *sub, const struct outopts *out, const struct colinfo *info,
		     size_t ninfo, const int *defaults, size_t ndefaults, int *cols, size_t maxcols);
/* With -H, prints the columns of a subcommand, as a table, in JSON or raw as
 * @out says, and exits. */
void columns_list(const struct colinfo *info, size_t ninfo, const struct outopts *out);

/* A new table set up for @out; @name is the JSON array name. Exits 1 on ENOMEM. */
struct libscols_table *table_new(const struct outopts *out, const char *name);
/* Adds the column @ci; @tree makes it the tree column. Exits 1 on ENOMEM. */
struct libscols_column *table_add_column(struct libscols_table *tb, const struct colinfo *ci,
					 const struct outopts *out, bool tree);
/* New line under @parent. Exits 1 on ENOMEM. */
struct libscols_line *table_new_line(struct libscols_table *tb, struct libscols_line *parent);
/* Sets cell @col of @ln; NULL leaves it empty (JSON null). Exits 1 on ENOMEM. */
void line_set(struct libscols_line *ln, size_t col, const char *data);
__attribute__((format(printf, 3, 4))) void line_setf(struct libscols_line *ln, size_t col,
						     const char *fmt, ...);

/* Exits 1 with one line when @task (0: none, nothing to check) is not in @g
 * or its namespaces may not be read. */
void task_check(struct nsd_graph *g, pid_t task);
/* What an unprivileged user may not see, in words: "namespaces of 3
 * processes and the containers in /run/runc could not be read (permission
 * denied); @leave them out" for @nprocs processes and the engine state
 * containers_open() could not read; NULL when nothing was hidden. Free
 * with free(). */
char *hidden_note(size_t nprocs, const char *leave);
/* After the output: hidden_note() as one line on stderr, if any. */
void warn_hidden(size_t nprocs, const char *leave);
/* warn_hidden() for the processes of @g whose namespaces could not be read;
 * @leave says what leaves them out ("counts leave"). */
void warn_denied(struct nsd_graph *g, const char *leave);
/* How many processes of @g whose namespaces could not be read may be in a
 * pid namespace at @level or below it (their own level is no lower). */
size_t count_hidden_within(struct nsd_graph *g, unsigned level);

/* User name of @uid, cached for the run; NULL when it has none. */
const char *user_name(uid_t uid);

/* target.c: targets, container engines and their state roots, for every
 * subcommand that takes them. */
struct nsd_containers;
struct nsd_container;
struct nsd_target;

/* --engine-root ENGINE=DIR options, in the order given. */
struct engine_roots {
	char *arg[32];
	size_t n;
};

/* The engine state roots and files that containers_open() could not read
 * for lack of permission, as "PATH, PATH and N more"; NULL for none. */
const char *state_denied(void);
/* Adds an --engine-root argument; exits 2 for a bad one or an unknown engine. */
void engine_roots_add(const char *sub, struct engine_roots *roots, char *arg);
/* Walks @procfs (NULL: /proc) with NSD_SCAN_* @flags; exits 1 on failure. */
struct nsd_graph *graph_open(const char *procfs, unsigned flags);
/* Finds the containers of the processes of @g from the engines' state under
 * @roots; prints a line per skipped state file; exits 1 on failure. */
struct nsd_containers *containers_open(struct nsd_graph *g, const struct engine_roots *roots);
/* How many running containers of @cs have an init whose namespaces could
 * not be read (permission denied). */
size_t count_denied_inits(struct nsd_containers *cs);
/* "engine:name" (or "engine:" and 12 characters of the ID), free with free(). */
char *container_label(const struct nsd_container *c);
/* Parses a target argument; exits 2 when it cannot be one. */
struct nsd_target *target_parse(const char *sub, const char *arg);
/* Resolves @t with @cs (NULL is fine unless @t names a container); exits 1
 * with one line saying why it cannot be resolved. */
void target_resolve(struct nsd_target *t, struct nsd_containers *cs);

/* Resolves the targets of a command (NULL entries skipped) in one go: the
 * procfs and the containers are read only when a target can name a container
 * or @procfs is not /proc. Returns the containers (unref them after the
 * targets' containers are no longer used), or NULL when none were read. */
struct nsd_containers *targets_resolve(struct nsd_target *const *ts, size_t n, const char *procfs,
				       const struct engine_roots *roots);

/* Resolves @t and returns the container it names: a container, or the one
 * of the process it names; exits 1 when there is none. */
struct nsd_container *target_container(struct nsd_target *t, struct nsd_containers *cs);

int cmd_containers(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_mounts(int argc, char **argv);
int cmd_graph(int argc, char **argv);
/* Runs @e for @target and returns the command's status, or exits 125, 126
 * or 127 with one line; @in_root: the command was looked for in the target. */
int enter_run(struct nsd_enter *e, const char *target, bool in_root);

int cmd_enter(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_netns(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_collect(int argc, char **argv);

#endif
