/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Docker: <root>/containers/<id>/config.v2.json, written by dockerd, has the
 * name ("/web"), State.Running and State.Pid, and the labels that dockershim
 * gave Kubernetes containers. Its containers run in a cgroup named after the
 * ID: docker-<id>.scope (systemd driver) or /docker/<id> (cgroupfs), or
 * <parent>/<id> with dockerd --cgroup-parent.
 */
#include <errno.h>
#include <stdio.h>

#include "engine.h"

static void scan_one(struct nsd_containers *cs, int rootfd, const char *dir)
{
	_cleanup_(json_object_putp) struct json_object *obj = NULL;
	struct json_object *state, *labels;
	struct nsd_container_info info = {0};
	char path[512];
	int r;

	snprintf(path, sizeof(path), "containers/%s/config.v2.json", dir);
	r = nsd_state_read_json(rootfd, path, NSD_STATE_MAX, &obj);
	state = nsd_json_get(obj, "State", json_type_object);
	labels = nsd_json_get(nsd_json_get(obj, "Config", json_type_object), "Labels",
			      json_type_object);
	info.id = nsd_json_get_string(obj, "ID");
	info.name = nsd_json_get_string(obj, "Name");
	if (info.name && info.name[0] == '/')
		info.name++;
	info.pod = nsd_json_get_string(labels, "io.kubernetes.pod.name");
	info.k8s_namespace = nsd_json_get_string(labels, "io.kubernetes.pod.namespace");
	info.stopped = !json_object_get_boolean(nsd_json_get(state, "Running", json_type_boolean));
	if (r == 0 && (!state || !info.id || nsd_json_get_pid(state, "Pid", &info.pid) < 0 ||
		       (!info.stopped && info.pid == 0)))
		r = -EBADMSG;
	nsd_engine_add_or_warn(cs, path, r, &info);
}

static int scan(struct nsd_containers *cs, int rootfd)
{
	_cleanup_(closedirp) DIR *d = nsd_state_opendir(rootfd, "containers");
	const char *name;

	if (!d)
		return -errno;
	while ((name = nsd_state_next_name(d)))
		scan_one(cs, rootfd, name);
	return 0;
}

static bool match_cgroup(const char *path, size_t len, struct nsd_cgroup_match *ret)
{
	if (nsd_cgroup_find(path, len, "docker-", ".scope", true, ret))
		return true;
	/* "/docker/<64 hex>" is Docker's own shape: a container even when its
	 * state cannot be read (as a user who may not read /var/lib/docker). */
	if (nsd_cgroup_find_child(path, len, "docker", true, ret)) {
		ret->known_only = false;
		return true;
	}
	if (nsd_cgroup_find_kubepods(path, len, ret))
		return true;
	/* dockerd --cgroup-parent=<dir>: "<dir>/<64 hex>" of a container its
	 * state knows. */
	return nsd_cgroup_find_child(path, len, NULL, true, ret);
}

const struct nsd_engine nsd_engine_docker = {
	.name = "docker",
	.root = "/var/lib/docker",
	.flags = NSD_ENGINE_CGROUP_NAMED,
	.scan = scan,
	.match_cgroup = match_cgroup,
};
