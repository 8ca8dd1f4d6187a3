/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nsdebug netns: name a target's network namespace for ip-netns(8). */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nsdebug.h>

#include "common.h"

static void usage(void)
{
	printf("Usage:\n"
	       " nsdebug netns [options] link <target> <name>\n"
	       " nsdebug netns unlink <name>\n"
	       "\n"
	       "Give the network namespace of <target> (a PID, a container's name or ID,\n"
	       "or a namespace file) a name in /run/netns, so that 'ip netns exec <name>'\n"
	       "works for it, or take the name away again.\n"
	       "\n"
	       "Options:\n"
	       USAGE_ENGINE_ROOT
	       " -h, --help             display this help\n"
	       "\n"
	       "For more details see nsdebug-netns(1).\n");
}

int cmd_netns(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"engine-root", required_argument, NULL, OPT_ENGINE_ROOT},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	_cleanup_(nsd_target_unrefp) struct nsd_target *t = NULL;
	_cleanup_(nsd_containers_unrefp) struct nsd_containers *cs = NULL;
	struct engine_roots roots = {0};
	const char *verb, *name;
	int c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		/* '+': the action ends the options. */
		switch (c) {
		case OPT_ENGINE_ROOT:
			engine_roots_add("netns", &roots, optarg);
			break;
		case 'h':
			usage();
			return EXIT_SUCCESS;
		default:
			bad_option("netns", argv, c);
		}
	}
	verb = optind < argc ? argv[optind++] : NULL;
	if (!verb)
		usage_fail("netns", "no action given (link or unlink)");
	if (strcmp(verb, "unlink") == 0) {
		if (argc - optind != 1)
			usage_fail("netns", "unlink takes one name");
		name = argv[optind];
		r = nsd_netns_unlink(NULL, name);
		if (r == -EINVAL)
			usage_fail("netns", "'%.64s' is not a valid name", name);
		if (r < 0)
			errx(EXIT_RUNTIME, "%.100s: cannot unlink: %s", name, strerror(-r));
		return EXIT_SUCCESS;
	}
	if (strcmp(verb, "link") != 0)
		usage_fail("netns", "unknown action '%.64s' (link or unlink)", verb);
	if (argc - optind != 2)
		usage_fail("netns", "link takes a target and a name");
	name = argv[optind + 1];
	t = target_parse("netns", argv[optind]);
	cs = targets_resolve(&t, 1, NULL, &roots);
	r = nsd_netns_link(t, NULL, name);
	if (r == -EINVAL)
		usage_fail("netns", "'%.64s' is not a valid name", name);
	if (r == -EEXIST)
		errx(EXIT_RUNTIME, "%.100s: the name is taken (see 'ip netns list')", name);
	if (r == -ENOENT)
		errx(EXIT_RUNTIME, "%.100s: not a network namespace", argv[optind]);
	if (r < 0)
		errx(EXIT_RUNTIME, "%.100s: cannot link its network namespace as %.100s: %s",
		     argv[optind], name, strerror(-r));
	return EXIT_SUCCESS;
}
