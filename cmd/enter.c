/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nsdebug enter: run a host command in a target's namespaces, like nsenter. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nsdebug.h>

#include "common.h"

struct enter_ctl {
	const char *target;
	struct engine_roots roots; /* --engine-root */
	unsigned types;            /* 1 << NSD_NS_* */
	const char *workdir;
	bool target_env;
	bool no_fork;
	bool keep_caps;
	char **command;
};

static void usage(void)
{
	printf("Usage:\n"
	       " nsdebug enter <target> [options] [--] [<command> [<argument>...]]\n"
	       "\n"
	       "Run a command of the host in namespaces of <target> (a PID, a container's\n"
	       "name or ID, or a namespace file). Without namespace options, all of them;\n"
	       "without a command, $SHELL or /bin/sh.\n"
	       "\n"
	       "Options:\n"
	       " -a, --all              enter all namespaces\n"
	       " -m, --mnt              enter the mount namespace: the command then comes\n"
	       "                          from the target's filesystem\n"
	       " -u, --uts              enter the UTS namespace (hostname etc.)\n"
	       " -i, --ipc              enter the IPC namespace\n"
	       " -n, --net              enter the network namespace\n"
	       " -p, --pid              enter the pid namespace; without --mnt, with a procfs\n"
	       "                          of it on /proc, so ps shows the target's processes\n"
	       " -C, --cgroup           enter the cgroup namespace\n"
	       " -U, --user             enter the user namespace\n"
	       " -T, --time             enter the time namespace\n"
	       " -w, --wd <dir>         run the command in <dir>\n"
	       " -e, --env              use the target's environment, not nsdebug's\n"
	       " -F, --no-fork          do not fork before running the command\n"
	       "     --keep-caps        pass nsdebug's capabilities on to the command\n"
	       USAGE_ENGINE_ROOT
	       " -h, --help             display this help\n"
	       "\n"
	       USAGE_RUN_EXIT_STATUS
	       "\n"
	       "For more details see nsdebug-enter(1).\n");
}

static void parse_options(struct enter_ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"all", no_argument, NULL, 'a'},
		{"mnt", no_argument, NULL, 'm'},
		{"uts", no_argument, NULL, 'u'},
		{"ipc", no_argument, NULL, 'i'},
		{"net", no_argument, NULL, 'n'},
		{"pid", no_argument, NULL, 'p'},
		{"cgroup", no_argument, NULL, 'C'},
		{"user", no_argument, NULL, 'U'},
		{"time", no_argument, NULL, 'T'},
		{"wd", required_argument, NULL, 'w'},
		{"env", no_argument, NULL, 'e'},
		{"no-fork", no_argument, NULL, 'F'},
		{"keep-caps", no_argument, NULL, OPT_KEEP_CAPS},
		{"engine-root", required_argument, NULL, OPT_ENGINE_ROOT},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const struct {
		char opt;
		enum nsd_nstype type;
	} nsopts[] = {
		{'m', NSD_NS_MNT}, {'u', NSD_NS_UTS},    {'i', NSD_NS_IPC},  {'n', NSD_NS_NET},
		{'p', NSD_NS_PID}, {'C', NSD_NS_CGROUP}, {'U', NSD_NS_USER}, {'T', NSD_NS_TIME},
	};

	opterr = 0;
	/* '+': options stop at the first word that is not one, so that the
	 * command's own options are left alone; the loop runs once more after
	 * the target, so options may come before or after it. */
	for (;;) {
		int c;

		while ((c = getopt_long(argc, argv, "+:amuinpCUTw:eFh", longopts, NULL)) != -1) {
			switch (c) {
			case 'a':
				ctl->types = (1u << NSD_NS_COUNT) - 1;
				break;
			case 'w':
				ctl->workdir = optarg;
				break;
			case 'e':
				ctl->target_env = true;
				break;
			case 'F':
				ctl->no_fork = true;
				break;
			case OPT_KEEP_CAPS:
				ctl->keep_caps = true;
				break;
			case OPT_ENGINE_ROOT:
				engine_roots_add("enter", &ctl->roots, optarg);
				break;
			case 'h':
				usage();
				exit(EXIT_SUCCESS);
			default:
				for (size_t i = 0; i < ELEMENTSOF(nsopts); i++)
					if (c == nsopts[i].opt)
						ctl->types |= 1u << nsopts[i].type;
				if (!strchr("muinpCUT", c))
					bad_option("enter", argv, c);
			}
		}
		if (ctl->target || optind >= argc)
			break;
		ctl->target = argv[optind++];
	}
	if (!ctl->target)
		usage_fail("enter", "no target given");
	if (ctl->types == 0)
		ctl->types = (1u << NSD_NS_COUNT) - 1;
	ctl->command = argv + optind;
}

int cmd_enter(int argc, char **argv)
{
	_cleanup_(nsd_enter_unrefp) struct nsd_enter *e = NULL;
	_cleanup_(nsd_target_unrefp) struct nsd_target *t = NULL;
	_cleanup_(nsd_containers_unrefp) struct nsd_containers *cs = NULL;
	struct enter_ctl ctl = {0};
	char *shell[] = {"/bin/sh", NULL};

	usage_status = failure_status = EXIT_CANNOT_RUN;
	parse_options(&ctl, argc, argv);
	/* The host's shell, unless the command comes from the target's filesystem,
	 * which need not have it. */
	if (!(ctl.types & (1u << NSD_NS_MNT)) && getenv("SHELL") && *getenv("SHELL"))
		shell[0] = getenv("SHELL");

	t = target_parse("enter", ctl.target);
	cs = targets_resolve(&t, 1, NULL, &ctl.roots);
	e = nsd_enter_new(t);
	if (!e)
		nomem();
	nsd_enter_set_namespaces(e, ctl.types);
	nsd_enter_set_target_env(e, ctl.target_env);
	nsd_enter_set_fork(e, !ctl.no_fork);
	nsd_enter_set_keep_caps(e, ctl.keep_caps);
	if (nsd_enter_set_workdir(e, ctl.workdir) < 0 ||
	    nsd_enter_set_command(e, ctl.command[0] ? ctl.command : shell) < 0)
		errx(EXIT_CANNOT_RUN, "out of memory");

	return enter_run(e, ctl.target, ctl.types & (1u << NSD_NS_MNT));
}

int enter_run(struct nsd_enter *e, const char *target, bool in_root)
{
	int status, r = nsd_enter_run(e, &status);

	if (r == 0)
		return status;
	if (nsd_enter_get_failed_stage(e) != NSD_ENTER_COMMAND)
		errx(EXIT_CANNOT_RUN, "%.100s: cannot %s: %s", target,
		     nsd_enter_get_failure(e), strerror(-r));
	if (r == -ENOENT && in_root)
		errx(EXIT_NOT_FOUND,
		     "%.100s: cannot %s: %s (to run the host's tools in its namespaces, leave out "
		     "--mnt or use 'nsdebug attach')",
		     target, nsd_enter_get_failure(e), strerror(-r));
	errx(r == -ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, "%.100s: cannot %s: %s", target,
	     nsd_enter_get_failure(e), strerror(-r));
}
