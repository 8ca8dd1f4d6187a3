/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nsd_openat2() never opens a file outside the root it is given, with the
 * kernel's openat2() and with the walk it falls back to where openat2() is
 * missing (old kernels, valgrind): here forced by a seccomp filter that makes
 * openat2() fail with ENOSYS in a child process.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nsdebug-private.h"
#include "test.h"

static char top[] = "/tmp/nsdebug-openat2.XXXXXX";
static ino_t inside; /* root/etc/passwd, the only file that may be opened */

static void make_tree(void)
{
	char path[256];
	int fd;

	ASSERT(mkdtemp(top));
	snprintf(path, sizeof(path), "%s/root", top);
	ASSERT_EQ(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/root/etc", top);
	ASSERT_EQ(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/root/etc/passwd", top);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	ASSERT(fd >= 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/outside", top);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	ASSERT(fd >= 0);
	close(fd);
	/* absolute: the root's own /etc/passwd in the root, the host's outside it */
	snprintf(path, sizeof(path), "%s/root/etc/abs", top);
	ASSERT_EQ(symlink("/etc/passwd", path), 0);
	snprintf(path, sizeof(path), "%s/root/up", top);
	ASSERT_EQ(symlink("../outside", path), 0);
}

/* The result of opening @path in root/ with @resolve: 0 for root/etc/passwd,
 * or -errno; any other file opened fails the test. */
static int try_open(const char *path, unsigned long long resolve)
{
	char root[256];
	struct stat st;
	int rootfd, fd;

	snprintf(root, sizeof(root), "%s/root", top);
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ASSERT(rootfd >= 0);
	fd = nsd_openat2(rootfd, path, O_RDONLY, resolve);
	close(rootfd);
	if (fd < 0)
		return fd;
	ASSERT_EQ(fstat(fd, &st), 0);
	ASSERT_EQ(st.st_ino, inside);
	ASSERT(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	return 0;
}

static void check_kernel(void)
{
	const unsigned long long in_root = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	const unsigned long long beneath = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;

	ASSERT_EQ(try_open("/etc/passwd", in_root), 0);
	ASSERT_EQ(try_open("etc/abs", in_root), 0);      /* resolved in the root */
	ASSERT_EQ(try_open("../../etc/passwd", in_root), 0); /* ".." stops at the root */
	ASSERT_EQ(try_open("up", in_root), -ENOENT);
	ASSERT_EQ(try_open("etc/passwd", beneath), 0);
	ASSERT_EQ(try_open("/etc/passwd", beneath), -EXDEV);
	ASSERT_EQ(try_open("etc/abs", beneath), -EXDEV);
	ASSERT_EQ(try_open("up", beneath), -EXDEV);
}

/* The walk refuses every symlink and "..", where the kernel would resolve them inside. */
static void check_walk(void)
{
	const unsigned long long in_root = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	const unsigned long long beneath = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;

	ASSERT_EQ(try_open("/etc/passwd", in_root), 0);
	ASSERT_EQ(try_open("//etc//passwd", in_root), 0);
	ASSERT_EQ(try_open("etc/abs", in_root), -EXDEV);
	ASSERT_EQ(try_open("../../etc/passwd", in_root), -EXDEV);
	ASSERT_EQ(try_open("etc/../etc/passwd", in_root), -EXDEV);
	ASSERT_EQ(try_open("up", in_root), -EXDEV);
	ASSERT_EQ(try_open("etc/nothing", in_root), -ENOENT);
	ASSERT_EQ(try_open("etc/passwd", beneath), 0);
	ASSERT_EQ(try_open("/etc/passwd", beneath), -EXDEV);
	ASSERT_EQ(try_open("etc/abs", beneath), -EXDEV);
	ASSERT_EQ(try_open("up", beneath), -EXDEV);
}

/* From now on openat2() fails with ENOSYS, as on a kernel before 5.6. */
static void hide_openat2(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(filter) / sizeof(filter[0]), .filter = filter};

	ASSERT_EQ(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	ASSERT_EQ(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0);
}

int main(void)
{
	char path[256];
	struct stat st;
	int status;
	pid_t child;

	make_tree();
	snprintf(path, sizeof(path), "%s/root/etc/passwd", top);
	ASSERT_EQ(stat(path, &st), 0);
	inside = st.st_ino;

	/* A kernel without openat2() has only the walk to check. */
	if (!(syscall(SYS_openat2, -1, "", NULL, 0) < 0 && errno == ENOSYS))
		check_kernel();
	child = fork();
	ASSERT(child >= 0);
	if (child == 0) {
		hide_openat2();
		check_walk();
		_exit(0);
	}
	ASSERT_EQ(waitpid(child, &status, 0), child);
	ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	snprintf(path, sizeof(path), "rm -rf '%s'", top);
	ASSERT_EQ(system(path), 0);
	return 0;
}
