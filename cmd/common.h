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

#include "macro.h"

/* Exit codes (DESIGN.md, "Output and exit codes"). */
#define EXIT_RUNTIME 1
#define EXIT_USAGE 2

DEFINE_CLEANUP_FUNC(struct libscols_table, scols_unref_table)

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
	const char *columns; /* -o argument, NULL for the defaults */
};

/* Long options without a short one, for the subcommands' getopt_long tables. */
enum {
	OPT_OUTPUT_ALL = 0x100,
	OPT_PROC,
	OPT_FOR_CHILDREN,
};

/* The exit status of a usage error: 2, but 125 for the commands whose status
 * is otherwise the status of the command they run (enter). */
extern int usage_status;

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
/* Prints the columns of a subcommand (-H), as a table, in JSON or raw as @out says. */
int columns_print(const struct colinfo *info, size_t ninfo, const struct outopts *out);

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

/* User name of @uid, cached for the run; NULL when it has none. */
const char *user_name(uid_t uid);

/* Resolves @arg (for now a PID) to a pinned process; -errno on failure. */
int pin_target(const char *sub, const char *arg, pid_t *ret_pid, int *ret_pidfd, int *ret_procfd);

int cmd_list(int argc, char **argv);
int cmd_enter(int argc, char **argv);
int cmd_netns(int argc, char **argv);

#endif
