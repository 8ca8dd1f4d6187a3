/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsdebug attach: a debugging shell, or one command, with the host's tools
 * and the target's view: its pid, net, uts, ipc and cgroup namespaces (and
 * its user namespace when it has one of its own), in a private copy of the
 * host's mount namespace with a procfs and sysfs of the target's. Nothing is
 * written into the target, nothing is mounted where it can see it.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nsdebug.h>

#include "common.h"

/* What a debugging session keeps by default (DESIGN.md, "Security model"):
 * enough for ip, ss, tcpdump, strace -p, lsof and ps on every process, and
 * no more; no mounting, no loading modules, no raw I/O. SETUID and SETGID
 * because tcpdump, like other tools run as root, changes to a user of its
 * own once it has its socket, and exits when it cannot. */
#define DEBUG_CAPS                                                                                 \
	((UINT64_C(1) << CAP_NET_ADMIN) | (UINT64_C(1) << CAP_NET_RAW) |                           \
	 (UINT64_C(1) << CAP_SYS_PTRACE) | (UINT64_C(1) << CAP_DAC_OVERRIDE) |                     \
	 (UINT64_C(1) << CAP_DAC_READ_SEARCH) | (UINT64_C(1) << CAP_SETUID) |                      \
	 (UINT64_C(1) << CAP_SETGID))

struct attach_ctl {
	const char *target;
	struct engine_roots roots;
	bool privileged;
	char **command;
};

static void usage(void)
{
	printf("Usage:\n"
	       " nsdebug attach <target> [options] [--] [<command> [<argument>...]]\n"
	       "\n"
	       "Run a shell, or a command, of the host with the view of <target> (a PID, a\n"
	       "container's name or ID, or a namespace file of a process): its pid, net, uts,\n"
	       "ipc and cgroup namespaces (and user namespace, when it has its own), a procfs\n"
	       "and sysfs of them, and its root at $NSDEBUG_ROOT.\n"
	       "\n"
	       "Options:\n"
	       "     --privileged       keep all capabilities; by default only NET_ADMIN,\n"
	       "                          NET_RAW, SYS_PTRACE, DAC_OVERRIDE, DAC_READ_SEARCH,\n"
	       "                          SETUID and SETGID\n"
	       USAGE_ENGINE_ROOT
	       " -h, --help             display this help\n"
	       "\n"
	       USAGE_RUN_EXIT_STATUS
	       "\n"
	       "For more details see nsdebug-attach(1).\n");
}

static void parse_options(struct attach_ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"privileged", no_argument, NULL, OPT_PRIVILEGED},
		{"engine-root", required_argument, NULL, OPT_ENGINE_ROOT},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	opterr = 0;
	/* As for enter: options before or after the target, up to the command. */
	for (;;) {
		int c;

		while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
			switch (c) {
			case OPT_PRIVILEGED:
				ctl->privileged = true;
				break;
			case OPT_ENGINE_ROOT:
				engine_roots_add("attach", &ctl->roots, optarg);
				break;
			case 'h':
				usage();
				exit(EXIT_SUCCESS);
			default:
				bad_option("attach", argv, c);
			}
		}
		if (ctl->target || optind >= argc)
			break;
		ctl->target = argv[optind++];
	}
	if (!ctl->target)
		usage_fail("attach", "no target given");
	ctl->command = argv + optind;
}

/* What names the target in the prompt and $NSDEBUG_TARGET: its container, else the argument. */
static char *target_label(struct nsd_target *t, const char *arg)
{
	struct nsd_container *c = nsd_target_get_container(t);
	char *s;

	if (c)
		return container_label(c);
	s = strdup(arg);
	if (!s)
		nomem();
	return s;
}

int cmd_attach(int argc, char **argv)
{
	_cleanup_(nsd_enter_unrefp) struct nsd_enter *e = NULL;
	_cleanup_(nsd_target_unrefp) struct nsd_target *t = NULL;
	_cleanup_(nsd_containers_unrefp) struct nsd_containers *cs = NULL;
	_cleanup_free_ char *label = NULL, *root = NULL, *prompt = NULL;
	struct attach_ctl ctl = {0};
	const char *shell = getenv("SHELL");
	char *interactive[] = {NULL, "-i", NULL, NULL};
	pid_t nspid;
	int r;

	usage_status = failure_status = EXIT_CANNOT_RUN;
	parse_options(&ctl, argc, argv);
	t = target_parse("attach", ctl.target);
	cs = targets_resolve(&t, 1, NULL, &ctl.roots);
	r = nsd_target_get_nspid(t, &nspid);
	if (r == -ENOENT)
		errx(EXIT_CANNOT_RUN,
		     "%.100s: no process has this namespace file: attach needs one "
		     "(use 'nsdebug enter')",
		     ctl.target);
	if (r < 0)
		errx(EXIT_CANNOT_RUN, "%.100s: cannot read its process's PID: %s", ctl.target,
		     strerror(-r));

	label = target_label(t, ctl.target);
	/* The target's root through the procfs of its pid namespace, where it has
	 * that PID: a magic link, so paths under it resolve inside the target. */
	if (asprintf(&root, "/proc/%d/root", (int)nspid) < 0 ||
	    asprintf(&prompt, "[nsdebug %s] # ", label) < 0)
		nomem();

	e = nsd_enter_new(t);
	if (!e)
		nomem();
	nsd_enter_set_namespaces(e, (1u << NSD_NS_PID) | (1u << NSD_NS_NET) | (1u << NSD_NS_UTS) |
					    (1u << NSD_NS_IPC) | (1u << NSD_NS_CGROUP) |
					    (1u << NSD_NS_USER));
	if (!ctl.privileged)
		nsd_enter_limit_caps(e, DEBUG_CAPS);
	if (nsd_enter_set_env(e, "NSDEBUG_TARGET", label) < 0 ||
	    nsd_enter_set_env(e, "NSDEBUG_ROOT", root) < 0 ||
	    nsd_enter_set_env(e, "PS1", prompt) < 0)
		nomem();
	if (!ctl.command[0]) {
		/* The host's shell, interactive; bash without its rc files, which
		 * would set their own prompt over the one naming the target. */
		interactive[0] = shell && *shell ? (char *)shell : "/bin/sh";
		if (strcmp(strrchr(interactive[0], '/') ? strrchr(interactive[0], '/') + 1
							 : interactive[0],
			   "bash") == 0) {
			interactive[1] = "--norc";
			interactive[2] = "-i";
		}
	}
	if (nsd_enter_set_command(e, ctl.command[0] ? ctl.command : interactive) < 0)
		nomem();
	return enter_run(e, ctl.target, false);
}
