/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

#include "nsdebug-private.h"

/**
 * nsd_proc_get_pid:
 * @proc: process
 *
 * Returns: its PID, as the graph's procfs numbers it.
 */
NSD_EXPORT pid_t nsd_proc_get_pid(const struct nsd_proc *proc)
{
	return proc->pid;
}

/**
 * nsd_proc_get_ppid:
 * @proc: process
 *
 * Returns: its parent's PID (0 for init and kthreadd).
 */
NSD_EXPORT pid_t nsd_proc_get_ppid(const struct nsd_proc *proc)
{
	return proc->ppid;
}

/**
 * nsd_proc_get_parent:
 * @proc: process
 *
 * Returns: the parent process, or NULL when the walk did not see it.
 */
NSD_EXPORT struct nsd_proc *nsd_proc_get_parent(const struct nsd_proc *proc)
{
	return proc->parent;
}

/**
 * nsd_proc_get_uid:
 * @proc: process
 *
 * Returns: the owner of /proc/PID (the effective UID; root for processes that
 * are not dumpable), the UID lsns shows.
 */
NSD_EXPORT uid_t nsd_proc_get_uid(const struct nsd_proc *proc)
{
	return proc->uid;
}

/**
 * nsd_proc_get_starttime:
 * @proc: process
 *
 * Returns: its start time in clock ticks since boot (field 22 of
 * /proc/PID/stat); with the PID it identifies the process across PID reuse.
 */
NSD_EXPORT unsigned long long nsd_proc_get_starttime(const struct nsd_proc *proc)
{
	return proc->starttime;
}

/**
 * nsd_proc_get_comm:
 * @proc: process
 *
 * Returns: the command name of /proc/PID/stat; the process sets it, so it
 * may hold any bytes but NUL.
 */
NSD_EXPORT const char *nsd_proc_get_comm(const struct nsd_proc *proc)
{
	return proc->comm;
}

char *nsd_read_command_at(int pidfd)
{
	_cleanup_free_ char *big = NULL;
	char buf[4096], *command;
	const char *raw = buf;
	size_t len;
	int r;

	/* Most command lines fit the stack buffer: one read, no allocation. */
	r = nsd_read_at(pidfd, "cmdline", buf, sizeof(buf), &len);
	if (r == -EFBIG) {
		r = nsd_read_alloc_at(pidfd, "cmdline", NSD_CMDLINE_MAX, &big, &len);
		raw = big;
	}
	if (r < 0 || nsd_parse_cmdline(raw, len, &command) < 0)
		return NULL;
	return command;
}

/* Reads the command line of a process the walk did not read it for, then
 * checks the start time through the same fd: a PID reused since the walk
 * must not lend its command line to the process we saw. */
static void read_command_later(struct nsd_proc *proc)
{
	_cleanup_close_ int pidfd = -EBADF;
	char name[16], buf[NSD_STAT_MAX];
	struct nsd_stat st;
	size_t len;

	proc->command_read = true;
	snprintf(name, sizeof(name), "%d", (int)proc->pid);
	pidfd = openat(proc->graph->procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (pidfd < 0)
		return;
	proc->command = nsd_read_command_at(pidfd);
	if (nsd_read_at(pidfd, "stat", buf, sizeof(buf), &len) < 0 ||
	    nsd_parse_stat(buf, len, &st) < 0 || st.starttime != proc->starttime) {
		free(proc->command);
		proc->command = NULL;
	}
}

/**
 * nsd_proc_get_command:
 * @proc: process
 *
 * The command line, arguments joined by spaces, as lsns shows it, cut at
 * 128 KiB. The walk reads it for the lowest PID of each namespace; for other
 * processes it is read on first use. Kernel threads, zombies and processes gone
 * since the walk have none: their command name is returned instead.
 *
 * Returns: the command, never NULL; it may hold any bytes but NUL.
 */
NSD_EXPORT const char *nsd_proc_get_command(struct nsd_proc *proc)
{
	if (!proc->command_read)
		read_command_later(proc);
	return proc->command ? proc->command : proc->comm;
}

/**
 * nsd_proc_is_denied:
 * @proc: process
 *
 * Returns: true when the caller may not read some of its namespaces
 * (EACCES/EPERM): nsd_proc_get_ns() returns NULL for those.
 */
NSD_EXPORT bool nsd_proc_is_denied(const struct nsd_proc *proc)
{
	return proc->denied;
}

/**
 * nsd_proc_get_ns:
 * @proc: process
 * @type: namespace type
 *
 * Returns: its namespace of @type, or NULL when the walk could not see it.
 */
NSD_EXPORT struct nsd_ns *nsd_proc_get_ns(const struct nsd_proc *proc, enum nsd_nstype type)
{
	if ((unsigned)type >= NSD_NS_COUNT)
		return NULL;
	return proc->ns[type];
}

/**
 * nsd_proc_get_ns_for_children:
 * @proc: process
 * @type: NSD_NS_PID or NSD_NS_TIME
 *
 * Returns: the namespace of @type its future children will be in, when it
 * differs from its own (after unshare(2) without a fork); otherwise NULL.
 */
NSD_EXPORT struct nsd_ns *nsd_proc_get_ns_for_children(const struct nsd_proc *proc,
						       enum nsd_nstype type)
{
	if ((unsigned)type >= NSD_NS_COUNT)
		return NULL;
	return proc->ns_for_children[type];
}

/**
 * nsd_proc_set_userdata:
 * @proc: process
 * @data: anything the caller wants to attach, not freed by the library
 */
NSD_EXPORT void nsd_proc_set_userdata(struct nsd_proc *proc, void *data)
{
	proc->userdata = data;
}

/**
 * nsd_proc_get_userdata:
 * @proc: process
 *
 * Returns: what nsd_proc_set_userdata() attached, or NULL.
 */
NSD_EXPORT void *nsd_proc_get_userdata(const struct nsd_proc *proc)
{
	return proc->userdata;
}
