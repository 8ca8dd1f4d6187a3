/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Podman: containers/storage lists every container of the host, with its
 * names, in <root>/<driver>-containers/containers.json (overlay-containers
 * with the default driver). Podman keeps no PID there; its containers run in
 * libpod-<id> (cgroupfs) or libpod-<id>.scope (systemd), and containers.c
 * takes the init from that cgroup. CRI-O uses the same storage: its entries
 * carry a pod in their metadata and are left to crio.c.
 */
#include <errno.h>
#include <stdio.h>

#include "engine.h"

static bool is_crio(struct json_object *entry)
{
	_cleanup_(json_object_putp) struct json_object *meta = NULL;
	struct json_object *s = nsd_json_get(entry, "metadata", json_type_string);

	if (!s || nsd_json_parse(json_object_get_string(s), (size_t)json_object_get_string_len(s),
				 json_type_object, &meta) < 0)
		return false;
	return nsd_json_get_string(meta, "pod-id") || nsd_json_get_string(meta, "pod-name");
}

static void scan_list(struct nsd_containers *cs, int rootfd, const char *dir)
{
	_cleanup_(json_object_putp) struct json_object *list = NULL;
	_cleanup_free_ char *buf = NULL;
	char path[512];
	size_t len;
	int r;

	snprintf(path, sizeof(path), "%s/containers.json", dir);
	r = nsd_state_read(rootfd, path, NSD_STATE_LIST_MAX, &buf, &len);
	if (r == -ENOENT)
		return;
	if (r == 0)
		r = nsd_json_parse(buf, len, json_type_array, &list);
	if (r < 0) {
		nsd_engine_warn(cs, path, r);
		return;
	}
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *e = json_object_array_get_idx(list, i);
		struct json_object *names = nsd_json_get(e, "names", json_type_array);
		struct json_object *first = names ? json_object_array_get_idx(names, 0) : NULL;
		struct nsd_container_info info = {.id = nsd_json_get_string(e, "id")};

		if (json_object_is_type(first, json_type_string))
			info.name = json_object_get_string(first);
		if (!info.id || !is_crio(e))
			nsd_engine_add_or_warn(cs, path, info.id ? 0 : -EBADMSG, &info);
	}
}

static int scan(struct nsd_containers *cs, int rootfd)
{
	_cleanup_(closedirp) DIR *d = nsd_state_opendir(rootfd, ".");
	const char *name;

	if (!d)
		return -errno;
	while ((name = nsd_storage_next_driver(d)))
		scan_list(cs, rootfd, name);
	return 0;
}

static bool match_cgroup(const char *path, size_t len, struct nsd_cgroup_match *ret)
{
	return nsd_cgroup_find(path, len, "libpod-", ".scope", true, ret) ||
	       nsd_cgroup_find(path, len, "libpod-", "", true, ret);
}

const struct nsd_engine nsd_engine_podman = {
	.name = "podman",
	.root = "/var/lib/containers/storage",
	.flags = NSD_ENGINE_CGROUP_NAMED,
	.scan = scan,
	.match_cgroup = match_cgroup,
};
