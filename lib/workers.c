/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Work split between a thread per CPU: the walk's processes, the mountinfo
 * of each mount namespace. Nearly all of that time is spent in the kernel,
 * reading /proc, so it scales with the CPUs nsdebug may run on.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>

#include "nsdebug-private.h"

/**
 * Workers for @n items: one per CPU nsdebug may run on, at most
 * NSD_MAX_WORKERS, each with at least @min_each items; at least one.
 */
size_t nsd_count_workers(size_t n, size_t min_each)
{
	cpu_set_t cpus;
	size_t k = 1;

	if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0)
		k = (size_t)CPU_COUNT(&cpus);
	if (k > NSD_MAX_WORKERS)
		k = NSD_MAX_WORKERS;
	if (k > n / min_each)
		k = n / min_each;
	return k > 0 ? k : 1;
}

/**
 * Runs @fn on each of the @k (at most NSD_MAX_WORKERS) arguments of @size
 * bytes at @args, at once: the first in the calling thread, the others in
 * threads that take no signals (those are the caller's to handle). A part
 * whose thread cannot be created runs in the calling thread. Returns when
 * all are done.
 */
void nsd_run_workers(void *(*fn)(void *arg), void *args, size_t size, size_t k)
{
	pthread_t threads[NSD_MAX_WORKERS];
	bool started[NSD_MAX_WORKERS] = {false};
	char *arg = args;
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (size_t i = 1; i < k; i++)
		started[i] = pthread_create(&threads[i], NULL, fn, arg + i * size) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	fn(arg);
	for (size_t i = 1; i < k; i++) {
		if (started[i])
			pthread_join(threads[i], NULL);
		else
			fn(arg + i * size);
	}
}
