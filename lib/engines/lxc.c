/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * LXC: a container is a directory <root>/<name>/ with a config file; LXC
 * keeps no PID on disk. A running container's processes are in the cgroup
 * lxc.payload.<name> (LXC 4 and later; /lxc/<name> before), and
 * containers.c takes the init from there: the child of the "[lxc monitor]"
 * process, which lives in lxc.monitor.<name>.
 */
#include <errno.h>
#include <stdio.h>

#include "engine.h"

static int scan(struct nsd_containers *cs, int rootfd)
{
	_cleanup_(closedirp) DIR *d = nsd_state_opendir(rootfd, ".");
	const char *name;

	if (!d)
		return -errno;
	while ((name = nsd_state_next_name(d))) {
		struct nsd_container_info info = {.id = name, .name = name};
		_cleanup_free_ char *config = NULL;
		char path[512];
		int r;

		/* Read, not parsed: a container is a directory with a config
		 * file, and reading it applies the checks of a state file. */
		snprintf(path, sizeof(path), "%s/config", name);
		r = nsd_state_read(rootfd, path, NSD_STATE_MAX, &config, NULL);
		if (r == -ENOTDIR) /* a file, not a container */
			continue;
		nsd_engine_add_or_warn(cs, path, r, &info);
	}
	return 0;
}

static bool match_cgroup(const char *path, size_t len, struct nsd_cgroup_match *ret)
{
	return nsd_cgroup_find(path, len, "lxc.payload.", "", false, ret) ||
	       nsd_cgroup_find_child(path, len, "lxc", false, ret);
}

const struct nsd_engine nsd_engine_lxc = {
	.name = "lxc",
	.root = "/var/lib/lxc",
	.flags = NSD_ENGINE_ID_IS_NAME,
	.scan = scan,
	.match_cgroup = match_cgroup,
};
