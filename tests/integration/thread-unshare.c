/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * thread-unshare: a process whose second thread unshares its net namespace,
 * for tests/integration/threads.sh. Prints "PID TID INODE" of that thread's
 * new namespace once it is there, then sleeps until killed. Only that thread
 * is in the namespace: /proc/PID/ns/net still shows the leader's.
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *unshare_net(void *arg)
{
	struct stat st;

	if (unshare(CLONE_NEWNET) < 0 || stat("/proc/thread-self/ns/net", &st) < 0) {
		perror("thread-unshare");
		exit(1);
	}
	printf("%d %ld %ju\n", (int)getpid(), (long)syscall(SYS_gettid), (uintmax_t)st.st_ino);
	fflush(stdout);
	for (;;)
		pause();
	return arg;
}

int main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, unshare_net, NULL) != 0)
		return 1;
	for (;;)
		pause();
}
