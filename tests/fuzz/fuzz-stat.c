/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /proc/PID/stat, which a process partly writes (its command name). */
#include "nsdebug-private.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nsd_stat st;

	if (nsd_parse_stat((const char *)data, size, &st) == 0) {
		/* What a parse returns is always a bounded, terminated name. */
		if (strnlen(st.comm, sizeof(st.comm)) >= sizeof(st.comm))
			abort();
	}
	return 0;
}
