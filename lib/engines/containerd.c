/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * containerd: a task is <root>/io.containerd.runtime.v2.task/<ns>/<id>/,
 * with init.pid and the OCI config.json, whose io.kubernetes.cri.*
 * annotations name the pod, its namespace and the container in it. The start
 * time of the init comes from the runc state of the task,
 * <root>/runc/<ns>/<id>/state.json. A pod's sandbox ("pause") container is
 * named after its pod.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"

#define TASKS "io.containerd.runtime.v2.task"

static void scan_task(struct nsd_containers *cs, int rootfd, const char *ns, const char *id)
{
	_cleanup_(json_object_putp) struct json_object *config = NULL;
	struct nsd_container_info info = {.id = id, .name = id};
	struct json_object *ann;
	unsigned long long start;
	char path[1024];
	pid_t pid;
	int r;

	snprintf(path, sizeof(path), TASKS "/%s/%s/init.pid", ns, id);
	r = nsd_state_read_pid(rootfd, path, &info.pid);
	if (r < 0)
		goto fail;
	snprintf(path, sizeof(path), TASKS "/%s/%s/config.json", ns, id);
	r = nsd_state_read_json(rootfd, path, NSD_STATE_MAX, &config);
	if (r < 0)
		goto fail;
	ann = nsd_json_get(config, "annotations", json_type_object);
	info.pod = nsd_json_get_string(ann, "io.kubernetes.cri.sandbox-name");
	info.k8s_namespace = nsd_json_get_string(ann, "io.kubernetes.cri.sandbox-namespace");
	if (nsd_json_get_string(ann, "io.kubernetes.cri.container-name"))
		info.name = nsd_json_get_string(ann, "io.kubernetes.cri.container-name");
	else if (info.pod)
		info.name = info.pod;

	/* Without the runc state (another runtime), the cgroup tells a recycled PID. */
	snprintf(path, sizeof(path), "runc/%s/%s/state.json", ns, id);
	if (nsd_runtime_read_state(&nsd_runc_state, rootfd, path, id, &pid, &start) == 0 &&
	    pid == info.pid)
		info.starttime = start;
	r = 0;
fail:
	nsd_engine_add_or_warn(cs, path, r, &info);
}

static int scan(struct nsd_containers *cs, int rootfd)
{
	_cleanup_(closedirp) DIR *nsdir = nsd_state_opendir(rootfd, TASKS);
	const char *ns;

	if (!nsdir)
		return -errno;
	while ((ns = nsd_state_next_name(nsdir))) {
		_cleanup_(closedirp) DIR *d = NULL;
		char path[512];
		const char *id;

		snprintf(path, sizeof(path), TASKS "/%s", ns);
		d = nsd_state_opendir(rootfd, path);
		if (!d) {
			nsd_engine_warn(cs, path, errno);
			continue;
		}
		while ((id = nsd_state_next_name(d)))
			scan_task(cs, rootfd, ns, id);
	}
	return 0;
}

static bool match_cgroup(const char *path, size_t len, struct nsd_cgroup_match *ret)
{
	/* Kubernetes with the systemd driver, then with cgroupfs, then ctr's
	 * default /<namespace>/<id>, which any two-level path looks like. */
	return nsd_cgroup_find(path, len, "cri-containerd-", ".scope", true, ret) ||
	       nsd_cgroup_find_kubepods(path, len, ret) ||
	       nsd_cgroup_find_child(path, len, NULL, false, ret);
}

const struct nsd_engine nsd_engine_containerd = {
	.name = "containerd",
	.root = "/run/containerd",
	.flags = NSD_ENGINE_CGROUP_NAMED,
	.scan = scan,
	.match_cgroup = match_cgroup,
};
