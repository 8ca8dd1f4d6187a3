/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * enter-pinned [--keep-caps] [--limit-caps=MASK] PID TYPE[,TYPE...] COMMAND [ARG...]
 *
 * Pins PID as nsdebug does (the target resolver of libnsdebug), prints
 * "pinned" on stdout, waits for SIGUSR1 and only then joins the namespaces
 * of type TYPE with libnsdebug and runs COMMAND, with the capabilities of
 * the hexadecimal MASK only when given. nsdebug does all of it in
 * one go; the wait is the window in which a test makes the target exit and
 * hands its PID to another process. Test-only: never installed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nsdebug.h"
#include "macro.h"

DEFINE_CLEANUP_FUNC(struct nsd_enter, nsd_enter_unref)
DEFINE_CLEANUP_FUNC(struct nsd_target, nsd_target_unref)

static unsigned parse_types(char *list)
{
	unsigned types = 0;

	for (char *name = strtok(list, ","); name; name = strtok(NULL, ",")) {
		int t = nsd_nstype_from_name(name);

		if (t < 0) {
			fprintf(stderr, "enter-pinned: unknown namespace type '%s'\n", name);
			exit(2);
		}
		types |= 1u << t;
	}
	return types;
}

int main(int argc, char **argv)
{
	_cleanup_(nsd_enter_unrefp) struct nsd_enter *e = NULL;
	_cleanup_(nsd_target_unrefp) struct nsd_target *t = NULL;
	bool keep_caps = false, limit_caps = false;
	unsigned long long caps = 0;
	sigset_t usr1;
	int r, sig, status;

	for (; argc > 1 && strncmp(argv[1], "--", 2) == 0; argc--, argv++) {
		if (strcmp(argv[1], "--keep-caps") == 0)
			keep_caps = true;
		else if (strncmp(argv[1], "--limit-caps=", 13) == 0)
			limit_caps = true, caps = strtoull(argv[1] + 13, NULL, 16);
		else
			break;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: enter-pinned [--keep-caps] [--limit-caps=MASK] PID "
				"TYPE[,TYPE...] COMMAND...\n");
		return 2;
	}
	t = nsd_target_new(argv[1]);
	r = t ? nsd_target_resolve(t, NULL) : -errno;
	if (r < 0) {
		fprintf(stderr, "enter-pinned: %s: cannot pin: %s\n", argv[1], strerror(-r));
		return 125;
	}
	e = nsd_enter_new(t);
	if (!e || nsd_enter_set_namespaces(e, parse_types(argv[2])) < 0 ||
	    nsd_enter_set_command(e, argv + 3) < 0) {
		fprintf(stderr, "enter-pinned: cannot set up: %m\n");
		return 125;
	}
	nsd_enter_set_keep_caps(e, keep_caps);
	if (limit_caps)
		nsd_enter_limit_caps(e, caps);

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	printf("pinned\n");
	fflush(stdout);
	sigwait(&usr1, &sig);

	r = nsd_enter_run(e, &status);
	if (r == 0)
		return status;
	fprintf(stderr, "enter-pinned: %s: cannot %s: %s\n", argv[1], nsd_enter_get_failure(e),
		strerror(-r));
	return 125;
}
