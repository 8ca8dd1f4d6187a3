/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /proc/PID/status, and the ID maps and passwd files ps and inspect read:
 * the first byte picks the parser, the rest is its input. */
#include "nsdebug-private.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data + 1;
	struct nsd_status st;
	uint32_t id;
	char *name;

	if (size < 1)
		return 0;
	size--;
	switch (data[0] % 3) {
	case 0:
		if (nsd_parse_status(buf, size, &st) == 0 && st.nnspid > NSD_NSPID_MAX)
			abort();
		break;
	case 1:
		(void)nsd_parse_id_map(buf, size, 1000, &id);
		(void)nsd_parse_id_map(buf, size, UINT32_MAX, &id);
		break;
	default:
		if (nsd_parse_passwd_name(buf, size, 0, &name) == 0) {
			/* A name is printable and has no ':' or newline. */
			if (!*name || strpbrk(name, ":\n"))
				abort();
			free(name);
		}
		break;
	}
	return 0;
}
