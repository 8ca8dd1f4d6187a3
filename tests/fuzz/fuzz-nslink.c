/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The target of a /proc/PID/ns/ link, for every namespace type. */
#include "nsdebug-private.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int t = 0; t <= NSD_NS_COUNT; t++) {
		ino_t ino;

		if (nsd_parse_ns_link((const char *)data, size, t, &ino) == 0 && ino == 0)
			abort();
	}
	return 0;
}
