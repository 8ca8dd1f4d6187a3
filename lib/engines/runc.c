/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runc: <root>/<id>/state.json has init_process_pid and its start time,
 * init_process_start, so a recycled PID is told apart exactly. runc has no
 * names: the ID is the name its user chose. Docker, containerd and Podman
 * run their containers with runc; containers.c keeps those with them. crun
 * writes the same facts under other names, so both use the reader here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"

const struct nsd_runtime_state nsd_runc_state = {
	.file = "state.json",
	.pid_key = "init_process_pid",
	.start_key = "init_process_start",
	.id_key = "id",
};

/* Reads the state file of a low-level runtime at @path for container @id:
 * the PID of its init and that process's start time. */
int nsd_runtime_read_state(const struct nsd_runtime_state *rs, int rootfd, const char *path,
			   const char *id, pid_t *ret_pid, unsigned long long *ret_start)
{
	_cleanup_(json_object_putp) struct json_object *obj = NULL;
	int r = nsd_state_read_json(rootfd, path, NSD_STATE_MAX, &obj);
	const char *sid;

	if (r < 0)
		return r;
	sid = rs->id_key ? nsd_json_get_string(obj, rs->id_key) : NULL;
	if ((sid && strcmp(sid, id) != 0) || nsd_json_get_pid(obj, rs->pid_key, ret_pid) < 0 ||
	    *ret_pid == 0 || nsd_json_get_ull(obj, rs->start_key, ret_start) < 0)
		return -EBADMSG;
	return 0;
}

/* Adds a container for each <root>/<id>/<rs->file>. */
int nsd_runtime_scan(const struct nsd_runtime_state *rs, struct nsd_containers *cs, int rootfd)
{
	_cleanup_(closedirp) DIR *d = nsd_state_opendir(rootfd, ".");
	const char *name;

	if (!d)
		return -errno;
	while ((name = nsd_state_next_name(d))) {
		struct nsd_container_info info = {.id = name, .name = name};
		char path[512];
		int r;

		snprintf(path, sizeof(path), "%s/%s", name, rs->file);
		r = nsd_runtime_read_state(rs, rootfd, path, name, &info.pid, &info.starttime);
		nsd_engine_add_or_warn(cs, path, r, &info);
	}
	return 0;
}

static int scan(struct nsd_containers *cs, int rootfd)
{
	return nsd_runtime_scan(&nsd_runc_state, cs, rootfd);
}

const struct nsd_engine nsd_engine_runc = {
	.name = "runc",
	.root = "/run/runc",
	.scan = scan,
};
