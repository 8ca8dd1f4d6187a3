/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The strict JSON parse of engine state files and the typed getters on it. */
#include "engines/engine.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {"ID", "Name", "Pid", "init_process_pid",
					   "init_process_start", "id", "names"};
	_cleanup_(json_object_putp) struct json_object *obj = NULL;
	pid_t pid;
	unsigned long long v;

	if (nsd_json_parse((const char *)data, size, json_type_object, &obj) < 0)
		return 0;
	for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
		(void)nsd_json_get_string(obj, keys[i]);
		(void)nsd_json_get_pid(obj, keys[i], &pid);
		(void)nsd_json_get_ull(obj, keys[i], &v);
	}
	return 0;
}
