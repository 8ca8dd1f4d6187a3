/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /proc/PID/cmdline, entirely written by the process. */
#include "nsdebug-private.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (nsd_parse_cmdline((const char *)data, size, &s) == 0) {
		/* One line: no NUL inside, never longer than the input. */
		if (strlen(s) > size || strlen(s) == 0)
			abort();
		free(s);
	}
	return 0;
}
