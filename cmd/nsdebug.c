/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nsdebug: dispatch to a subcommand. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"list", cmd_list, "list namespaces (like lsns)"},
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

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;

	/* libsmartcols draws trees with UTF-8 only in a UTF-8 locale. */
	setlocale(LC_ALL, "");
	if (!name) {
		fprintf(stderr, "nsdebug: no command given; try 'nsdebug --help'\n");
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
	for (size_t i = 0; i < ELEMENTSOF(commands); i++)
		if (strcmp(name, commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "nsdebug: unknown command '%.100s'; try 'nsdebug --help'\n", name);
	return EXIT_USAGE;
}
