/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * enter-pinned [--keep-caps] PID TYPE[,TYPE...] COMMAND [ARG...]
 *
 * Pins PID as nsdebug does (pidfd, then /proc/PID while it is alive), prints
 * "pinned" on stdout, waits for SIGUSR1 and only then joins the namespaces
 * of type TYPE with libnsdebug and runs COMMAND. nsdebug does all of it in
 * one go; the wait is the window in which a test makes the target exit and
 * hands its PID to another process. Test-only: never installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>

#include "nsdebug.h"
#include "macro.h"

DEFINE_CLEANUP_FUNC(struct nsd_enter, nsd_enter_unref)

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
	_cleanup_close_ int pidfd = -EBADF, procfd = -EBADF;
	bool keep_caps = argc > 1 && strcmp(argv[1], "--keep-caps") == 0;
	char path[32];
	sigset_t usr1;
	int r, sig, status;
	pid_t pid;

	argv += keep_caps;
	argc -= keep_caps;
	if (argc < 4) {
		fprintf(stderr, "usage: enter-pinned [--keep-caps] PID TYPE[,TYPE...] COMMAND...\n");
		return 2;
	}
	pid = atoi(argv[1]);
	pidfd = pidfd_open(pid, 0);
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	procfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pidfd < 0 || procfd < 0 || pidfd_send_signal(pidfd, 0, NULL, 0) < 0) {
		fprintf(stderr, "enter-pinned: %d: cannot pin: %m\n", (int)pid);
		return 125;
	}
	e = nsd_enter_new(pid, pidfd, procfd);
	if (!e || nsd_enter_set_namespaces(e, parse_types(argv[2])) < 0 ||
	    nsd_enter_set_command(e, argv + 3) < 0) {
		fprintf(stderr, "enter-pinned: cannot set up: %m\n");
		return 125;
	}
	nsd_enter_set_keep_caps(e, keep_caps);

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	printf("pinned\n");
	fflush(stdout);
	sigwait(&usr1, &sig);

	r = nsd_enter_run(e, &status);
	if (r == 0)
		return status;
	fprintf(stderr, "enter-pinned: %d: cannot %s: %s\n", (int)pid, nsd_enter_get_failure(e),
		strerror(-r));
	return 125;
}
