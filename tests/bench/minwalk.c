/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * minwalk: the floor of DESIGN.md, "Discovery: cost model", for
 * tests/bench/list.sh to hold nsdebug list against. It does the syscalls the
 * model allows and nothing else: one getdents pass over /proc, and per
 * process an O_PATH fd of /proc/PID, a readlinkat of each of the 8 ns/ links
 * relative to it, and one open+read+close of stat. No hashing, no output
 * per process: whatever nsdebug spends above this is its own overhead.
 *
 * It stands alone (no libnsdebug) so that a regression in the library cannot
 * move the floor it is measured against.
 *
 *   minwalk [PROCFS]          walk PROCFS (default /proc), print a summary
 *   minwalk --time CMD [ARG]  run CMD with stdout on /dev/null and print its
 *                             wall time (CLOCK_MONOTONIC) and CPU time (user
 *                             and system, all its threads) in microseconds;
 *                             exits with CMD's status
 *
 * The timer lives here so list.sh needs no second helper and times every
 * command, minwalk included, the same way: fork, exec, wait.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The links lsns and nsdebug list read; *_for_children are not part of the floor. */
static const char *const ns_links[] = {
    "ns/cgroup", "ns/ipc", "ns/mnt", "ns/net", "ns/pid", "ns/time", "ns/user", "ns/uts",
};

struct tally {
	unsigned long procs;
	unsigned long links;
	unsigned long stats;
	unsigned long long sum; /* of inode numbers and stat bytes, printed so no work is dead */
};

/* "net:[4026531840]" -> 4026531840; 0 for any other shape. */
static unsigned long long link_inode(const char *s)
{
	const char *open = strchr(s, '[');

	return open ? strtoull(open + 1, NULL, 10) : 0;
}

static void walk_one(int procfd, const char *name, struct tally *t)
{
	char buf[1024];
	ssize_t n;
	int pidfd, fd;

	pidfd = openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (pidfd < 0)
		return; /* exited since getdents */
	t->procs++;
	for (size_t i = 0; i < sizeof(ns_links) / sizeof(ns_links[0]); i++) {
		n = readlinkat(pidfd, ns_links[i], buf, sizeof(buf) - 1);
		if (n <= 0)
			continue; /* a zombie has no links; an old kernel lacks some types */
		buf[n] = '\0';
		t->links++;
		t->sum += link_inode(buf);
	}
	/* One read: stat is a few hundred bytes, so a second read would only see EOF. */
	fd = openat(pidfd, "stat", O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			t->stats++;
			t->sum += (unsigned long long)n;
		}
		close(fd);
	}
	close(pidfd);
}

static int walk(const char *procfs)
{
	struct tally t = {0};
	struct dirent *de;
	DIR *dir;

	dir = opendir(procfs);
	if (!dir) {
		fprintf(stderr, "minwalk: %s: %s\n", procfs, strerror(errno));
		return 1;
	}
	/* readdir is getdents64 with a 32 KiB buffer: one pass, a few syscalls. */
	while ((de = readdir(dir))) {
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
			walk_one(dirfd(dir), de->d_name, &t);
	}
	closedir(dir);
	printf("%lu processes, %lu ns links, %lu stat reads, checksum %llu\n", t.procs, t.links,
	       t.stats, t.sum);
	return 0;
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int time_command(char **argv)
{
	struct rusage ru;
	long long start;
	int status;
	pid_t pid;

	start = now_us();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "minwalk: fork: %s\n", strerror(errno));
		return 125;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

		/* dup2 clears O_CLOEXEC on the copy, so the command keeps it. */
		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
			_exit(126);
		execvp(argv[0], argv);
		fprintf(stderr, "minwalk: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "minwalk: wait4: %s\n", strerror(errno));
			return 125;
		}
	}
	printf("%lld %lld\n", now_us() - start,
	       (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec +
		       ru.ru_stime.tv_usec);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--time") == 0) {
		if (argc < 3) {
			fprintf(stderr, "Usage: minwalk --time CMD [ARG]...\n");
			return 2;
		}
		return time_command(argv + 2);
	}
	if (argc > 2) {
		fprintf(stderr, "Usage: minwalk [PROCFS] | minwalk --time CMD [ARG]...\n");
		return 2;
	}
	return walk(argc == 2 ? argv[1] : "/proc");
}
