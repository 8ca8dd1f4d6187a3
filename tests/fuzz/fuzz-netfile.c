/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /proc/PID/net/{tcp,tcp6,udp,udp6,unix}: the first byte picks the file, the
 * rest is its text. Unix socket paths are the container's to choose. */
#include "nsdebug-private.h"
#include "fuzz.h"

static int check(const struct nsd_sock_entry *e, void *userdata)
{
	size_t *n = userdata;

	/* A path ends inside its buffer and a state fits its field. */
	if (strnlen(e->path, sizeof(e->path)) == sizeof(e->path) || e->state > 0xff)
		abort();
	(*n)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;

	if (size < 1)
		return 0;
	if (nsd_parse_net_sockets((const char *)data + 1, size - 1, data[0] % NSD_NETFILE_COUNT,
				  check, &n) != 0)
		abort();
	return 0;
}
