/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "nsdebug-private.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* The link paths are spelled out, not formatted: the walk uses them for
 * every process. */
static const struct {
	const char *name;     /* as in /proc/PID/ns/ and in lsns */
	const char *path;     /* link under /proc/PID */
	const char *children; /* link for the namespace children get, where it can differ */
	int clone_flag;
} nstypes[NSD_NS_COUNT] = {
	[NSD_NS_MNT] = {"mnt", "ns/mnt", NULL, CLONE_NEWNS},
	[NSD_NS_NET] = {"net", "ns/net", NULL, CLONE_NEWNET},
	[NSD_NS_PID] = {"pid", "ns/pid", "ns/pid_for_children", CLONE_NEWPID},
	[NSD_NS_UTS] = {"uts", "ns/uts", NULL, CLONE_NEWUTS},
	[NSD_NS_IPC] = {"ipc", "ns/ipc", NULL, CLONE_NEWIPC},
	[NSD_NS_USER] = {"user", "ns/user", NULL, CLONE_NEWUSER},
	[NSD_NS_CGROUP] = {"cgroup", "ns/cgroup", NULL, CLONE_NEWCGROUP},
	[NSD_NS_TIME] = {"time", "ns/time", "ns/time_for_children", CLONE_NEWTIME},
};

/**
 * nsd_nstype_to_name:
 * @type: namespace type
 *
 * Returns: the short name used in /proc/PID/ns/ and by lsns ("mnt", "net"...),
 * or NULL for an invalid type.
 */
NSD_EXPORT const char *nsd_nstype_to_name(enum nsd_nstype type)
{
	if ((unsigned)type >= NSD_NS_COUNT)
		return NULL;
	return nstypes[type].name;
}

/**
 * nsd_nstype_from_name:
 * @name: short name of a namespace type, as nsd_nstype_to_name() returns it
 *
 * Returns: the type, or -EINVAL for an unknown name.
 */
NSD_EXPORT int nsd_nstype_from_name(const char *name)
{
	for (int t = 0; t < NSD_NS_COUNT; t++)
		if (strcmp(nstypes[t].name, name) == 0)
			return t;
	return -EINVAL;
}

/**
 * nsd_nstype_to_clone_flag:
 * @type: namespace type
 *
 * Returns: its CLONE_NEW* flag (as setns() and unshare() take it), or -EINVAL.
 */
NSD_EXPORT int nsd_nstype_to_clone_flag(enum nsd_nstype type)
{
	if ((unsigned)type >= NSD_NS_COUNT)
		return -EINVAL;
	return nstypes[type].clone_flag;
}

const char *nsd_nstype_path(enum nsd_nstype type)
{
	if ((unsigned)type >= NSD_NS_COUNT)
		return NULL;
	return nstypes[type].path;
}

const char *nsd_nstype_children_path(enum nsd_nstype type)
{
	if ((unsigned)type >= NSD_NS_COUNT)
		return NULL;
	return nstypes[type].children;
}
