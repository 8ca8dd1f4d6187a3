/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mntparse: the floor of `nsdebug mounts` for tests/bench/mounts.sh, and the
 * set-up of its mount namespaces.
 *
 *   mntparse FILE             parse FILE (a mountinfo) with libmount, as
 *                             nsdebug does, and print the number of
 *                             mounts; nothing more: no index, no output
 *   mntparse --mount N DIR    mount N tmpfs on DIR/0 .. DIR/N-1, create
 *                             DIR/ready, then sleep until killed
 *
 * The second mode is here because mount(8) reads the whole mount table at
 * every call, which makes N mounts cost N^2; mount(2) in a loop does not.
 * Run it in a mount namespace of its own (unshare --mount --propagation
 * private) so the host never sees the mounts.
 *
 * It stands alone (no libnsdebug), like minwalk, so that the floor does not
 * move with the library.
 */
#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static int parse(const char *path)
{
	struct libmnt_table *tb = mnt_new_table();
	int r;

	if (!tb)
		return 1;
	r = mnt_table_parse_file(tb, path);
	if (r < 0) {
		fprintf(stderr, "mntparse: %s: %s\n", path, strerror(-r));
		return 1;
	}
	printf("%d\n", mnt_table_get_nents(tb));
	mnt_unref_table(tb);
	return 0;
}

static int mount_many(const char *count, const char *dir)
{
	long n = strtol(count, NULL, 10);
	char path[4096];
	int fd;

	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%ld", dir, i);
		if ((mkdir(path, 0700) < 0 && errno != EEXIST) ||
		    mount("bench", path, "tmpfs", 0, "size=4k") < 0) {
			fprintf(stderr, "mntparse: %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	snprintf(path, sizeof(path), "%s/ready", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return 1;
	close(fd);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--mount") == 0)
		return mount_many(argv[2], argv[3]);
	if (argc == 2)
		return parse(argv[1]);
	fprintf(stderr, "usage: mntparse FILE | mntparse --mount N DIR\n");
	return 2;
}
