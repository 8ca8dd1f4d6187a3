/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The target a user names on the command line: PID, ENGINE:NAME, a path. */
#include "nsdebug-private.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *arg = strndup((const char *)data, size);
	struct nsd_target *t;

	if (!arg)
		return 0;
	t = nsd_target_new(arg);
	if (t && strcmp(nsd_target_get_arg(t), arg) != 0)
		abort();
	nsd_target_unref(t);
	free(arg);
	return 0;
}
