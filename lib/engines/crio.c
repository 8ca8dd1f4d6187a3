/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * CRI-O: each container's runtime directory under the containers/storage run
 * root, <root>/<driver>-containers/<id>/userdata/, holds the OCI config.json
 * CRI-O generated, whose annotations name the pod, its namespace and the
 * container, and the pidfile of its init. Podman shares the run root but
 * keeps its config.json elsewhere, and has no
 * io.kubernetes.cri-o.ContainerType annotation. Containers run in
 * crio-<id>.scope (systemd driver) or kubepods/.../crio-<id> (cgroupfs).
 */
#include <errno.h>
#include <stdio.h>

#include "engine.h"

static void scan_one(struct nsd_containers *cs, int rootfd, const char *dir, const char *id)
{
	_cleanup_(json_object_putp) struct json_object *config = NULL;
	struct nsd_container_info info = {.id = id};
	struct json_object *ann;
	char path[1024];
	int r;

	snprintf(path, sizeof(path), "%s/%s/userdata/config.json", dir, id);
	r = nsd_state_read_json(rootfd, path, NSD_STATE_MAX, &config);
	if (r == -ENOENT) /* a Podman container, or one being created */
		return;
	ann = nsd_json_get(config, "annotations", json_type_object);
	if (r == 0 && !nsd_json_get_string(ann, "io.kubernetes.cri-o.ContainerType"))
		return;
	info.pod = nsd_json_get_string(ann, "io.kubernetes.pod.name");
	info.k8s_namespace = nsd_json_get_string(ann, "io.kubernetes.pod.namespace");
	info.name = nsd_json_get_string(ann, "io.kubernetes.container.name");
	if (!info.name)
		info.name = info.pod; /* the sandbox */
	if (r == 0) {
		snprintf(path, sizeof(path), "%s/%s/userdata/pidfile", dir, id);
		r = nsd_state_read_pid(rootfd, path, &info.pid);
		info.stopped = r == -ENOENT;
		if (r == -ENOENT)
			r = 0;
	}
	nsd_engine_add_or_warn(cs, path, r, &info);
}

static int scan(struct nsd_containers *cs, int rootfd)
{
	_cleanup_(closedirp) DIR *d = nsd_state_opendir(rootfd, ".");
	const char *dir;

	if (!d)
		return -errno;
	while ((dir = nsd_storage_next_driver(d))) {
		_cleanup_(closedirp) DIR *sub = nsd_state_opendir(rootfd, dir);
		const char *id;

		if (!sub) {
			nsd_engine_warn(cs, dir, errno);
			continue;
		}
		while ((id = nsd_state_next_name(sub)))
			scan_one(cs, rootfd, dir, id);
	}
	return 0;
}

static bool match_cgroup(const char *path, size_t len, struct nsd_cgroup_match *ret)
{
	return nsd_cgroup_find(path, len, "crio-", ".scope", true, ret) ||
	       nsd_cgroup_find(path, len, "crio-", "", true, ret) ||
	       nsd_cgroup_find_kubepods(path, len, ret);
}

const struct nsd_engine nsd_engine_crio = {
	.name = "crio",
	.root = "/run/containers/storage",
	.flags = NSD_ENGINE_CGROUP_NAMED,
	.scan = scan,
	.match_cgroup = match_cgroup,
};
