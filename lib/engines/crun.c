/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* crun: <root>/<id>/status has "pid" and "process-start-time" (field 22 of /proc/PID/stat). */
#include "engine.h"

static const struct nsd_runtime_state crun_state = {
	.file = "status",
	.pid_key = "pid",
	.start_key = "process-start-time",
};

static int scan(struct nsd_containers *cs, int rootfd)
{
	return nsd_runtime_scan(&crun_state, cs, rootfd);
}

const struct nsd_engine nsd_engine_crun = {
	.name = "crun",
	.root = "/run/crun",
	.scan = scan,
};
