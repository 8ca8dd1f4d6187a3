/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A line of /proc/PID/cgroup (the process names its own cgroups) through
 * the line parser and every engine's matcher. */
#include "engines/engine.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct nsd_engine *const engines[] = {
		&nsd_engine_containerd, &nsd_engine_crio, &nsd_engine_crun,   &nsd_engine_docker,
		&nsd_engine_lxc,        &nsd_engine_nspawn, &nsd_engine_podman, &nsd_engine_runc,
	};
	const char *path;
	size_t len;

	if (nsd_parse_cgroup_line((const char *)data, size, &path, &len) < 0)
		return 0;
	if (path < (const char *)data || path + len > (const char *)data + size)
		abort();
	for (size_t i = 0; i < ELEMENTSOF(engines); i++) {
		struct nsd_cgroup_match m;

		if (engines[i]->match_cgroup && engines[i]->match_cgroup(path, len, &m) &&
		    (m.len == 0 || m.pos > len))
			abort();
	}
	return 0;
}
