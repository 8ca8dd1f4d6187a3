/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nsdebug: dispatch to a subcommand. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"containers", cmd_containers, "list the containers of every engine"},
	{"list", cmd_list, "list namespaces (like lsns)"},
	{"mounts", cmd_mounts, "show a mount namespace's mounts (like findmnt)"},
	{"graph", cmd_graph, "the namespace graph as JSON or Graphviz DOT"},
	{"enter", cmd_enter, "run a host command in a target's namespaces (like nsenter)"},
	{"attach", cmd_attach, "a debugging shell with the host's tools and a target's view"},
	{"netns", cmd_netns, "name a target's network namespace for ip netns"},
	{"ps", cmd_ps, "list the processes of a target's pid namespace"},
	{"inspect", cmd_inspect, "report what a target can see and do, and is doing"},
	{"audit", cmd_audit, "check every container for what gives it power over the host"},
	{"collect", cmd_collect, "write an evidence bundle of a target (tar, SHA-256)"},
};

static void usage(void)
{
	printf("Usage:\n"
	       " nsdebug <command> [options]\n"
	       " nsdebug <command> --help\n"
	       "\n"
	       "Inspect and debug Linux namespaces and containers.\n"
	       "\n"
	       "Commands:\n");
	for (size_t i = 0; i < ELEMENTSOF(commands); i++)
		printf(" %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\n"
	       "Options:\n"
	       " -h, --help     display this help\n"
	       " -V, --version  display the version\n"
	       "\n"
	       "For more details see nsdebug(1).\n");
}

/* A table that could not be written (a full disk, a closed pipe) is a
 * failure, also when a subcommand ends with exit(). */
static void close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (errno != EPIPE)
			fprintf(stderr, "nsdebug: write error: %s\n", strerror(errno));
		_exit(EXIT_RUNTIME);
	}
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;

	/* libsmartcols draws trees with UTF-8 only in a UTF-8 locale. */
	setlocale(LC_ALL, "");
	atexit(close_stdout);
	if (!name) {
		fprintf(stderr, "nsdebug: no command given; try 'nsdebug --help'\n");
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < ELEMENTSOF(commands); i++)
		if (strcmp(name, commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	if (name[0] != '-') {
		fprintf(stderr, "nsdebug: unknown command '%.100s'; try 'nsdebug --help'\n", name);
		return EXIT_USAGE;
	}
	if (argc > 2) {
		fprintf(stderr, "nsdebug: unexpected argument '%.100s'; try 'nsdebug --help'\n",
			argv[2]);
		return EXIT_USAGE;
	}
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
		usage();
		return EXIT_SUCCESS;
	}
	if (strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0) {
		printf("nsdebug %s\n", NSDEBUG_VERSION);
		return EXIT_SUCCESS;
	}
	fprintf(stderr, "nsdebug: unknown option '%.100s'; try 'nsdebug --help'\n", name);
	return EXIT_USAGE;
}
