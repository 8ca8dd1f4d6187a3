/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probe fds          print the fds this process has open, one per line, but
 *                    for the one it reads /proc/self/fd with
 * probe attack COMM  from inside a container: find the process named COMM
 *                    (not PID 1), try PTRACE_ATTACH on it, open its
 *                    root/etc/shadow, its cwd and the files of its fds; print
 *                    "ptrace: ok|<error>", "shadow: ...", "cwd: ...", "fd: ..."
 * probe attack-own   the same on a child of the probe, which a process may
 *                    do to its peers: shows that a refusal above is real
 * probe signals DIR  write a line to DIR/log for every SIGINT, SIGTERM and
 *                    SIGHUP delivered, each handled on its own (a shell's
 *                    trap would merge two that come close together); create
 *                    DIR/ready, exit 0 once DIR/stop exists
 *
 * Built static by the integration tests and copied into container root
 * filesystems, which have no libc. Test-only: never installed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static int list_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;

	if (!d) {
		perror("probe: /proc/self/fd");
		return 1;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && atoi(de->d_name) != dirfd(d))
			printf("%s\n", de->d_name);
	closedir(d);
	return 0;
}

static pid_t find_comm(const char *comm)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t found = 0;

	while (d && (de = readdir(d)) && !found) {
		char path[300], buf[64] = "";
		pid_t pid = atoi(de->d_name);
		FILE *f;

		if (pid <= 1 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		f = fopen(path, "re");
		if (f && fgets(buf, sizeof(buf), f) && strcmp(strtok(buf, "\n"), comm) == 0)
			found = pid;
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return found;
}

/* Opens each of the files that @pid has open through /proc/PID/fd/N: "ok"
 * when one opens, else why the last did not (or the directory). The
 * directory itself lists the numbers to anyone who can search it. */
static const char *open_fds(pid_t pid)
{
	char path[300];
	struct dirent *de;
	const char *why = "no fds";
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d)
		return strerror(errno);
	while ((de = readdir(d))) {
		int fd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid, de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
			why = "ok";
			break;
		}
		why = strerror(errno);
	}
	closedir(d);
	return why;
}

static int attack(pid_t pid)
{
	char path[64];
	int fd;

	printf("pid: %d\n", pid);
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) == 0) {
		printf("ptrace: ok\n");
		waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
	} else {
		printf("ptrace: %s\n", strerror(errno));
	}
	snprintf(path, sizeof(path), "/proc/%d/root/etc/shadow", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	printf("shadow: %s\n", fd >= 0 ? "ok" : strerror(errno));
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "/proc/%d/cwd", pid);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	printf("cwd: %s\n", fd >= 0 ? "ok" : strerror(errno));
	if (fd >= 0)
		close(fd);
	printf("fd: %s\n", open_fds(pid));
	return 0;
}

static int logfd = -1;

static void log_signal(int sig)
{
	const char *line = sig == SIGINT ? "INT\n" : sig == SIGTERM ? "TERM\n" : "HUP\n";

	(void)!write(logfd, line, strlen(line));
}

static int count_signals(const char *dir)
{
	struct sigaction sa = {.sa_handler = log_signal};
	char path[4096];

	snprintf(path, sizeof(path), "%s/log", dir);
	logfd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	snprintf(path, sizeof(path), "%s/ready", dir);
	close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	snprintf(path, sizeof(path), "%s/stop", dir);
	while (access(path, F_OK) < 0)
		usleep(20000);
	return logfd < 0;
}

int main(int argc, char **argv)
{
	pid_t pid;

	if (argc == 2 && strcmp(argv[1], "fds") == 0)
		return list_fds();
	if (argc == 3 && strcmp(argv[1], "attack") == 0) {
		pid = find_comm(argv[2]);
		if (!pid) {
			printf("no process named %s\n", argv[2]);
			return 1;
		}
		return attack(pid);
	}
	if (argc == 2 && strcmp(argv[1], "attack-own") == 0) {
		pid = fork();
		if (pid == 0) {
			pause();
			_exit(0);
		}
		attack(pid);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "signals") == 0)
		return count_signals(argv[2]);
	fprintf(stderr, "usage: probe fds | attack COMM | attack-own | signals DIR\n");
	return 2;
}
