/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Replays inputs (files, or every file of a directory) through a harness,
 * for builds without libFuzzer: the corpus doubles as a regression suite. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "nsdebug-private.h"
#include "fuzz.h"

static int replay_file(int dirfd, const char *name)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	int r = nsd_read_alloc_at(dirfd, name, 16 << 20, &data, &len);

	if (r != 0) {
		fprintf(stderr, "%s: cannot read: %s\n", name, r < 0 ? strerror(-r) : "too large");
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	return 0;
}

static int replay(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	struct dirent *de;
	DIR *dir;
	int n = 0;

	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(AT_FDCWD, path) < 0 ? -1 : 1;
	dir = fdopendir(TAKE_FD(fd));
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		if (replay_file(dirfd(dir), de->d_name) < 0) {
			closedir(dir);
			return -1;
		}
		n++;
	}
	closedir(dir);
	return n;
}

int main(int argc, char **argv)
{
	int total = 0;

	for (int i = 1; i < argc; i++) {
		int n = replay(argv[i]);

		if (n < 0)
			return 1;
		total += n;
	}
	printf("%d inputs replayed\n", total);
	/* An empty corpus would make this test pass without testing anything. */
	return total > 0 ? 0 : 1;
}
