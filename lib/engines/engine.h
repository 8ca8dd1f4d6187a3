/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The interface between the container set (containers.c) and the engine
 * readers in this directory. A reader knows one engine's on-disk state and
 * cgroup names and nothing else: it reports what it found with
 * nsd_engine_add(), and containers.c decides what is running, maps processes
 * and removes duplicates. State files are untrusted input: readers open them
 * only through nsd_state_*(), which stay beneath the engine's root, refuse
 * what is not a regular file and bound the size.
 */
#ifndef NSDEBUG_ENGINE_H
#define NSDEBUG_ENGINE_H

#include <dirent.h>
#include <json-c/json.h>

#include "nsdebug-private.h"

/* Bounds of what a reader accepts, far above what the engines write. */
#define NSD_STATE_MAX ((size_t)1 << 20)           /* one container's state file */
#define NSD_STATE_LIST_MAX ((size_t)16 << 20) /* a list of all containers (Podman) */
#define NSD_JSON_DEPTH 64

/* What a reader learnt about one container. Strings are copied. */
struct nsd_container_info {
	const char *id;   /* required */
	const char *name; /* NULL: none */
	const char *pod;  /* Kubernetes pod and namespace, NULL: none */
	const char *k8s_namespace;
	pid_t pid;                     /* 0: not running, or not in the state */
	unsigned long long starttime;  /* of pid, as /proc/PID/stat field 22; 0: unknown */
	bool stopped;                  /* the state says it is not running */
};

/* A cgroup path component that names a container of the engine. */
struct nsd_cgroup_match {
	const char *key; /* its ID (its name where the engine has no ID), not NUL-terminated */
	size_t len;
	size_t pos;      /* offset of the component in the path: the innermost match wins */
	bool known_only; /* a generic shape: only a container the state knows */
	char buf[256];   /* for a key that had to be unescaped */
};

enum nsd_engine_flags {
	/* Its containers' processes are always in a cgroup named after them,
	 * so a state PID in another cgroup is not the container's. */
	NSD_ENGINE_CGROUP_NAMED = 1 << 0,
	/* IDs are names (LXC, systemd-nspawn): a container found only in the
	 * cgroups gets its name too. */
	NSD_ENGINE_ID_IS_NAME = 1 << 1,
};

struct nsd_engine {
	const char *name;
	const char *root; /* default state root */
	unsigned flags;   /* NSD_ENGINE_* */
	/* Adds the containers in the state under @rootfd with nsd_engine_add().
	 * Returns 0 or the -errno that made the whole root unreadable; problems
	 * of one container are recorded with nsd_engine_warn() and skipped. */
	int (*scan)(struct nsd_containers *cs, int rootfd);
	/* Finds the innermost component of a cgroup path naming a container. */
	bool (*match_cgroup)(const char *path, size_t len, struct nsd_cgroup_match *ret);
	/* Finds containers from the processes alone (optional). */
	int (*scan_procs)(struct nsd_containers *cs, struct nsd_graph *graph);
};

extern const struct nsd_engine nsd_engine_containerd, nsd_engine_crio, nsd_engine_crun,
	nsd_engine_docker, nsd_engine_lxc, nsd_engine_nspawn, nsd_engine_podman, nsd_engine_runc;

/* engine.c: for the readers. */
int nsd_engine_add(struct nsd_containers *cs, const struct nsd_container_info *info);
void nsd_engine_warn(struct nsd_containers *cs, const char *path, int error);
void nsd_engine_add_or_warn(struct nsd_containers *cs, const char *path, int r,
			    const struct nsd_container_info *info);

int nsd_state_open(int rootfd, const char *path, int flags);
DIR *nsd_state_opendir(int rootfd, const char *path);
int nsd_state_read(int rootfd, const char *path, size_t max, char **ret, size_t *ret_len);
int nsd_json_parse(const char *buf, size_t len, enum json_type type, struct json_object **ret);
int nsd_state_read_json(int rootfd, const char *path, size_t max, struct json_object **ret);
int nsd_state_read_pid(int rootfd, const char *path, pid_t *ret);
bool nsd_state_is_name(const char *name);
const char *nsd_state_next_name(DIR *d);
const char *nsd_storage_next_driver(DIR *d);

struct json_object *nsd_json_get(struct json_object *obj, const char *key, enum json_type type);
const char *nsd_json_get_string(struct json_object *obj, const char *key);
int nsd_json_get_pid(struct json_object *obj, const char *key, pid_t *ret);
int nsd_json_get_ull(struct json_object *obj, const char *key, unsigned long long *ret);

bool nsd_cgroup_find(const char *path, size_t len, const char *prefix, const char *suffix,
		     bool hex_id, struct nsd_cgroup_match *ret);
bool nsd_cgroup_find_child(const char *path, size_t len, const char *parent, bool hex_id,
			   struct nsd_cgroup_match *ret);
bool nsd_cgroup_find_kubepods(const char *path, size_t len, struct nsd_cgroup_match *ret);

DEFINE_CLEANUP_FUNC(struct json_object, json_object_put)
DEFINE_CLEANUP_FUNC(DIR, closedir)

/* runc.c: the state files of the low-level runtimes (runc, crun). */
struct nsd_runtime_state {
	const char *file;      /* <root>/<id>/<file> */
	const char *pid_key;   /* the init's PID */
	const char *start_key; /* its start time, as /proc/PID/stat field 22 */
	const char *id_key;    /* the ID, when the file has it; must match the directory */
};

extern const struct nsd_runtime_state nsd_runc_state;

int nsd_runtime_read_state(const struct nsd_runtime_state *rs, int rootfd, const char *path,
			   const char *id, pid_t *ret_pid, unsigned long long *ret_start);
int nsd_runtime_scan(const struct nsd_runtime_state *rs, struct nsd_containers *cs, int rootfd);

#endif
