/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Capability names (capabilities(7)), for reports and audits: a set read
 * from /proc/PID/status is a bit mask, which people read as names. The
 * kernel may know capabilities added after this table; those have no name
 * here and are shown by number by the callers.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "nsdebug-private.h"

static const char *const cap_names[] = {
	[CAP_CHOWN] = "CAP_CHOWN",
	[CAP_DAC_OVERRIDE] = "CAP_DAC_OVERRIDE",
	[CAP_DAC_READ_SEARCH] = "CAP_DAC_READ_SEARCH",
	[CAP_FOWNER] = "CAP_FOWNER",
	[CAP_FSETID] = "CAP_FSETID",
	[CAP_KILL] = "CAP_KILL",
	[CAP_SETGID] = "CAP_SETGID",
	[CAP_SETUID] = "CAP_SETUID",
	[CAP_SETPCAP] = "CAP_SETPCAP",
	[CAP_LINUX_IMMUTABLE] = "CAP_LINUX_IMMUTABLE",
	[CAP_NET_BIND_SERVICE] = "CAP_NET_BIND_SERVICE",
	[CAP_NET_BROADCAST] = "CAP_NET_BROADCAST",
	[CAP_NET_ADMIN] = "CAP_NET_ADMIN",
	[CAP_NET_RAW] = "CAP_NET_RAW",
	[CAP_IPC_LOCK] = "CAP_IPC_LOCK",
	[CAP_IPC_OWNER] = "CAP_IPC_OWNER",
	[CAP_SYS_MODULE] = "CAP_SYS_MODULE",
	[CAP_SYS_RAWIO] = "CAP_SYS_RAWIO",
	[CAP_SYS_CHROOT] = "CAP_SYS_CHROOT",
	[CAP_SYS_PTRACE] = "CAP_SYS_PTRACE",
	[CAP_SYS_PACCT] = "CAP_SYS_PACCT",
	[CAP_SYS_ADMIN] = "CAP_SYS_ADMIN",
	[CAP_SYS_BOOT] = "CAP_SYS_BOOT",
	[CAP_SYS_NICE] = "CAP_SYS_NICE",
	[CAP_SYS_RESOURCE] = "CAP_SYS_RESOURCE",
	[CAP_SYS_TIME] = "CAP_SYS_TIME",
	[CAP_SYS_TTY_CONFIG] = "CAP_SYS_TTY_CONFIG",
	[CAP_MKNOD] = "CAP_MKNOD",
	[CAP_LEASE] = "CAP_LEASE",
	[CAP_AUDIT_WRITE] = "CAP_AUDIT_WRITE",
	[CAP_AUDIT_CONTROL] = "CAP_AUDIT_CONTROL",
	[CAP_SETFCAP] = "CAP_SETFCAP",
	[CAP_MAC_OVERRIDE] = "CAP_MAC_OVERRIDE",
	[CAP_MAC_ADMIN] = "CAP_MAC_ADMIN",
	[CAP_SYSLOG] = "CAP_SYSLOG",
	[CAP_WAKE_ALARM] = "CAP_WAKE_ALARM",
	[CAP_BLOCK_SUSPEND] = "CAP_BLOCK_SUSPEND",
	[CAP_AUDIT_READ] = "CAP_AUDIT_READ",
	[CAP_PERFMON] = "CAP_PERFMON",
	[CAP_BPF] = "CAP_BPF",
	[CAP_CHECKPOINT_RESTORE] = "CAP_CHECKPOINT_RESTORE",
};

/**
 * nsd_cap_to_name:
 * @cap: capability number
 *
 * Returns: its name as capabilities(7) spells it ("CAP_SYS_ADMIN"), or NULL
 * for a number this library does not know.
 */
NSD_EXPORT const char *nsd_cap_to_name(unsigned cap)
{
	return cap < ELEMENTSOF(cap_names) ? cap_names[cap] : NULL;
}

/**
 * nsd_cap_from_name:
 * @name: a capability name, with or without "CAP_", in any case
 *
 * Returns: its number, or -EINVAL.
 */
NSD_EXPORT int nsd_cap_from_name(const char *name)
{
	const char *bare = strncasecmp(name, "CAP_", 4) == 0 ? name + 4 : name;

	for (size_t i = 0; i < ELEMENTSOF(cap_names); i++)
		if (strcasecmp(cap_names[i] + 4, bare) == 0)
			return (int)i;
	return -EINVAL;
}

/**
 * nsd_graph_get_all_caps:
 * @graph: graph
 *
 * The capabilities a fully privileged process of this host holds: every one
 * the kernel has (sys/kernel/cap_last_cap of the graph's procfs; the ones
 * this library knows when that cannot be read) up to CAP_AUDIT_READ, less
 * those outside the bounding set of the process reading the procfs
 * ("self"), the host's root: a host that is itself a container, or whose
 * root gave some up, cannot give them to anyone. The later ones (PERFMON,
 * BPF, CHECKPOINT_RESTORE) were split out of CAP_SYS_ADMIN, which has their
 * power anyway, and engines older than them (Docker 20.10) leave them out of
 * --privileged. An effective set that has all of these is "all
 * capabilities".
 *
 * Returns: that set, bit N for capability N.
 */
NSD_EXPORT uint64_t nsd_graph_get_all_caps(struct nsd_graph *graph)
{
	char buf[32];
	unsigned last;
	uint64_t all;
	struct nsd_status st;
	char status[NSD_STATUS_MAX];
	size_t len;

	if (nsd_read_at(graph->procfd, "sys/kernel/cap_last_cap", buf, sizeof(buf), NULL) != 0 ||
	    sscanf(buf, "%u", &last) != 1 || last >= 64)
		last = ELEMENTSOF(cap_names) - 1;
	if (last > CAP_AUDIT_READ)
		last = CAP_AUDIT_READ;
	all = (1ULL << (last + 1)) - 1;
	if (nsd_read_at(graph->procfd, "self/status", status, sizeof(status), &len) == 0 &&
	    nsd_parse_status(status, len, &st) == 0 && (st.have & NSD_STATUS_HAVE_CAPS))
		all &= st.cap[NSD_CAPS_BOUNDING];
	return all;
}
