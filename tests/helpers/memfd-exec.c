/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memfd-exec FILE ARG...: copies FILE into a memfd and runs it from there,
 * as fileless malware does; ps then shows its executable as /memfd:...
 * Built static by tests/integration/ps.sh, which runs it in a container.
 * Test-only: never installed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	struct stat st;
	int in, mem;

	if (argc < 3) {
		fprintf(stderr, "usage: memfd-exec FILE ARG0 [ARG...]\n");
		return 2;
	}
	in = open(argv[1], O_RDONLY | O_CLOEXEC);
	mem = memfd_create("payload", 0);
	if (in < 0 || mem < 0 || fstat(in, &st) < 0 ||
	    sendfile(mem, in, NULL, (size_t)st.st_size) != st.st_size) {
		perror("memfd-exec");
		return 1;
	}
	fexecve(mem, argv + 2, environ);
	perror("memfd-exec: fexecve");
	return 1;
}
