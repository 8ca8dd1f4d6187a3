/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Engine state files: each input is written as the state file of every
 * engine, at the place that engine reads it, and every engine's reader runs
 * over its root. The roots live in a directory made once per process.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "engines/engine.h"
#include "fuzz.h"

DEFINE_CLEANUP_FUNC(struct nsd_containers, nsd_containers_unref)

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const struct {
	const struct nsd_engine *engine;
	const char *dir;  /* made below the engine's root */
	const char *file; /* the input goes here */
} layouts[] = {
	{&nsd_engine_docker, "containers/" ID, "containers/" ID "/config.v2.json"},
	{&nsd_engine_podman, "overlay-containers", "overlay-containers/containers.json"},
	{&nsd_engine_crio, "overlay-containers/" ID "/userdata",
	 "overlay-containers/" ID "/userdata/config.json"},
	{&nsd_engine_containerd, "io.containerd.runtime.v2.task/default/" ID,
	 "io.containerd.runtime.v2.task/default/" ID "/config.json"},
	{&nsd_engine_runc, ID, ID "/state.json"},
	{&nsd_engine_crun, ID, ID "/status"},
	{&nsd_engine_lxc, "box", "box/config"},
	{&nsd_engine_nspawn, ".", "box"},
};

static char base[] = "/tmp/fuzz-state.XXXXXX";
static int rootfds[ELEMENTSOF(layouts)];
static struct nsd_graph *graph; /* of an empty procfs: no process is running */

static void teardown(void)
{
	char cmd[64];

	nsd_graph_unref(graph);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	(void)!system(cmd);
}

static void setup(void)
{
	char cmd[512];

	if (!mkdtemp(base))
		abort();
	atexit(teardown);
	for (size_t i = 0; i < ELEMENTSOF(layouts); i++) {
		snprintf(cmd, sizeof(cmd), "mkdir -p '%s/%zu/%s' '%s/empty'", base, i, layouts[i].dir,
			 base);
		if (system(cmd) != 0)
			abort();
		snprintf(cmd, sizeof(cmd), "%s/%zu", base, i);
		rootfds[i] = open(cmd, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (rootfds[i] < 0)
			abort();
	}
	snprintf(cmd, sizeof(cmd), "%s/empty", base);
	graph = nsd_graph_new(cmd);
	if (!graph || nsd_graph_scan(graph, 0) < 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!graph)
		setup();
	for (size_t i = 0; i < ELEMENTSOF(layouts); i++) {
		_cleanup_(nsd_containers_unrefp) struct nsd_containers *cs = nsd_containers_new(graph);
		_cleanup_close_ int fd = openat(rootfds[i], layouts[i].file,
						O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		if (!cs || fd < 0 || write(fd, data, size) != (ssize_t)size)
			abort();
		(void)layouts[i].engine->scan(cs, rootfds[i]);
	}
	return 0;
}
