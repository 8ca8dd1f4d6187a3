/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /proc/PID/status, and the ID maps, passwd files and LSM labels ps and inspect read:
 * the first byte picks the parser, the rest is its input. */
#include "nsdebug-private.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data + 1;
	struct nsd_status st;
	struct nsd_id_range ranges[4];
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
		if (nsd_parse_id_ranges(buf, size, ranges, ELEMENTSOF(ranges)) > (int)ELEMENTSOF(ranges))
			abort();
		break;
	default:
		if (nsd_parse_passwd_name(buf, size, 0, &name) == 0) {
			/* A name is printable and has no ':' or newline. */
			if (!*name || strpbrk(name, ":\n"))
				abort();
			free(name);
		}
		/* An LSM label is printable text without a newline. */
		if (nsd_parse_lsm_label(buf, size, &name) == 0) {
			if (!*name || strpbrk(name, "\n\033"))
				abort();
			free(name);
		}
		break;
	}
	return 0;
}
