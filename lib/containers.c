/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The containers of a host. Each engine reader (engines/) adds what its
 * state files say; then one pass over the graph's processes reads each
 * /proc/PID/cgroup and maps the process to the container its cgroup is named
 * after; then every container gets a status and an init, and the processes
 * the cgroups did not place inherit the container of their pid namespace or
 * of their nearest ancestor. Containers are hashed by ID and processes by
 * PID, so all of it is linear in processes and containers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engines/engine.h"

/*
 * In order of precedence: when two engines report the same container (the
 * same ID, or the same init), the one listed first keeps it. Docker and
 * Kubernetes run on containerd, and everything runs on runc or crun, whose
 * state lists the containers of the engines above them too.
 */
static const struct nsd_engine *const engines[NSD_ENGINE_COUNT] = {
	&nsd_engine_docker, &nsd_engine_podman, &nsd_engine_crio, &nsd_engine_lxc,
	&nsd_engine_nspawn, &nsd_engine_containerd, &nsd_engine_runc, &nsd_engine_crun,
};

/* Layers of the engines: a lower layer does not add what an upper one has. */
static unsigned layer_of(const struct nsd_engine *e)
{
	if (e == &nsd_engine_runc || e == &nsd_engine_crun)
		return 2;
	return e == &nsd_engine_containerd ? 1 : 0;
}

const struct nsd_engine *nsd_engine_get(unsigned index)
{
	return index < NSD_ENGINE_COUNT ? engines[index] : NULL;
}

/**
 * nsd_engine_to_name:
 * @index: 0 to the number of engines - 1
 *
 * Returns: the name of an engine nsdebug reads ("docker", "podman", "crio",
 * "lxc", "nspawn", "containerd", "runc", "crun"), NULL past the last one.
 */
NSD_EXPORT const char *nsd_engine_to_name(unsigned index)
{
	return index < NSD_ENGINE_COUNT ? engines[index]->name : NULL;
}

/**
 * nsd_engine_from_name:
 * @name: engine name
 *
 * Returns: the index of the engine @name, or -EINVAL.
 */
NSD_EXPORT int nsd_engine_from_name(const char *name)
{
	for (unsigned i = 0; i < NSD_ENGINE_COUNT; i++)
		if (strcmp(engines[i]->name, name) == 0)
			return (int)i;
	return -EINVAL;
}

/**
 * nsd_engine_get_default_root:
 * @index: engine index
 *
 * Returns: the directory whose state the engine is read from by default, or NULL.
 */
NSD_EXPORT const char *nsd_engine_get_default_root(unsigned index)
{
	return index < NSD_ENGINE_COUNT ? engines[index]->root : NULL;
}

/**
 * nsd_containers_new:
 * @graph: the processes of the host; nsd_containers_scan() scans it when
 *         that was not done yet
 *
 * Returns: a new, empty set with one reference, holding one on @graph; NULL
 * with errno set on failure.
 */
NSD_EXPORT struct nsd_containers *nsd_containers_new(struct nsd_graph *graph)
{
	struct nsd_containers *cs;

	if (!graph) {
		errno = EINVAL;
		return NULL;
	}
	cs = calloc(1, sizeof(*cs));
	if (!cs)
		return NULL;
	cs->refcount = 1;
	cs->graph = nsd_graph_ref(graph);
	return cs;
}

/**
 * nsd_containers_ref:
 * @cs: container set
 *
 * Returns: @cs, with one more reference.
 */
NSD_EXPORT struct nsd_containers *nsd_containers_ref(struct nsd_containers *cs)
{
	if (cs)
		cs->refcount++;
	return cs;
}

static void container_free(struct nsd_container *c)
{
	free(c->id);
	free(c->name);
	free(c->pod);
	free(c->k8s_namespace);
	free(c);
}

/**
 * nsd_containers_unref:
 * @cs: container set or NULL
 *
 * Drops a reference; the last one frees the set, its containers and its
 * reference on the graph.
 *
 * Returns: NULL
 */
NSD_EXPORT struct nsd_containers *nsd_containers_unref(struct nsd_containers *cs)
{
	if (!cs || --cs->refcount > 0)
		return NULL;
	for (size_t i = 0; i < cs->n; i++)
		container_free(cs->all[i]);
	for (size_t i = 0; i < cs->nwarnings; i++)
		free(cs->warnings[i].path);
	for (size_t i = 0; i < NSD_ENGINE_COUNT; i++)
		free(cs->roots[i]);
	free(cs->all);
	free(cs->warnings);
	nsd_hash_done(&cs->by_id);
	nsd_hash_done(&cs->by_pid);
	nsd_hash_done(&cs->by_pidns);
	nsd_hash_done(&cs->by_ns);
	nsd_graph_unref(cs->graph);
	free(cs);
	return NULL;
}

/**
 * nsd_containers_set_root:
 * @cs: container set, not scanned yet
 * @engine: engine name, as nsd_engine_to_name() returns it
 * @dir: the directory to read @engine's state from instead of its default
 *       (for tests and engines installed elsewhere); "" not to read it at
 *       all; NULL for the default again
 *
 * Returns: 0, -EINVAL for an unknown engine, -EALREADY after the scan, or -ENOMEM.
 */
NSD_EXPORT int nsd_containers_set_root(struct nsd_containers *cs, const char *engine,
				       const char *dir)
{
	int i = nsd_engine_from_name(engine);
	char *copy = NULL;

	if (i < 0)
		return i;
	if (cs->scanned)
		return -EALREADY;
	if (dir) {
		copy = strdup(dir);
		if (!copy)
			return -ENOMEM;
	}
	free(cs->roots[i]);
	cs->roots[i] = copy;
	return 0;
}

/**
 * nsd_containers_get_graph:
 * @cs: container set
 *
 * Returns: the graph of the set (borrowed).
 */
NSD_EXPORT struct nsd_graph *nsd_containers_get_graph(const struct nsd_containers *cs)
{
	return cs->graph;
}

/* FNV-1a: IDs are hex strings or short names; the hash table mixes further. */
static uint64_t hash_id(const char *id, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)id[i]) * 0x100000001b3ULL;
	return h;
}

struct nsd_container *nsd_containers_find_id(const struct nsd_containers *cs,
					     const struct nsd_engine *engine, const char *id,
					     size_t len)
{
	for (struct nsd_container *c = nsd_hash_get(&cs->by_id, hash_id(id, len)); c;
	     c = c->next_same_id)
		if ((!engine || c->engine == engine) && strlen(c->id) == len &&
		    memcmp(c->id, id, len) == 0)
			return c;
	return NULL;
}

static int add_to_list(struct nsd_containers *cs, struct nsd_container *c)
{
	uint64_t h = hash_id(c->id, strlen(c->id));
	int r;

	if (cs->n == cs->alloc) {
		size_t want = cs->alloc ? cs->alloc * 2 : 32;
		struct nsd_container **all = reallocarray(cs->all, want, sizeof(*all));

		if (!all)
			return -ENOMEM;
		cs->all = all;
		cs->alloc = want;
	}
	c->next_same_id = nsd_hash_get(&cs->by_id, h);
	r = nsd_hash_put(&cs->by_id, h, c);
	if (r < 0)
		return r;
	cs->all[cs->n++] = c;
	return 0;
}

static int dup_string(const char *s, char **ret)
{
	if (!s) {
		*ret = NULL;
		return 0;
	}
	*ret = strdup(s);
	return *ret ? 0 : -ENOMEM;
}

/* True when @s (or NULL) has no control characters: names end up on terminals. */
static bool is_printable(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < ' ' || *s == 127)
			return false;
	return true;
}

static struct nsd_container *container_new(const struct nsd_engine *engine,
					   const struct nsd_container_info *info)
{
	struct nsd_container *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->engine = engine;
	c->state_pid = info->pid;
	c->state_starttime = info->starttime;
	c->state_stopped = info->stopped;
	if (dup_string(info->id, &c->id) < 0 || dup_string(info->name, &c->name) < 0 ||
	    dup_string(info->pod, &c->pod) < 0 ||
	    dup_string(info->k8s_namespace, &c->k8s_namespace) < 0) {
		container_free(c);
		return NULL;
	}
	return c;
}

/**
 * Adds a container the engine being scanned found in its state. A container
 * that an engine of an upper layer has already added (the runc state of a
 * Podman container) or the same engine added before is left out.
 * Returns 0, -EBADMSG for an ID or name that cannot be one, or -ENOMEM.
 */
int nsd_engine_add(struct nsd_containers *cs, const struct nsd_container_info *info)
{
	size_t len = info->id ? strlen(info->id) : 0;
	struct nsd_container *c;
	int r;

	if (!info->id || !nsd_state_is_name(info->id) || !is_printable(info->name) ||
	    !is_printable(info->pod) || !is_printable(info->k8s_namespace))
		return -EBADMSG;
	for (c = nsd_hash_get(&cs->by_id, hash_id(info->id, len)); c; c = c->next_same_id)
		if (strcmp(c->id, info->id) == 0 &&
		    (c->engine == cs->cur || layer_of(c->engine) < layer_of(cs->cur)))
			return 0;
	c = container_new(cs->cur, info);
	if (!c)
		return -ENOMEM;
	r = add_to_list(cs, c);
	if (r < 0)
		container_free(c);
	return r;
}

/* Records that @path (relative to the root of the engine being read) was skipped for @error. */
void nsd_engine_warn(struct nsd_containers *cs, const char *path, int error)
{
	struct nsd_warning *w;
	char *full;

	if (cs->nwarnings == cs->warnings_alloc) {
		size_t want = cs->warnings_alloc ? cs->warnings_alloc * 2 : 8;

		w = reallocarray(cs->warnings, want, sizeof(*w));
		if (!w)
			return;
		cs->warnings = w;
		cs->warnings_alloc = want;
	}
	if (!path)
		full = strdup(cs->cur_root);
	else if (asprintf(&full, "%s/%s", cs->cur_root, path) < 0)
		full = NULL;
	if (!full)
		return;
	cs->warnings[cs->nwarnings++] = (struct nsd_warning){.path = full, .error = error > 0 ? error : -error};
}

/**
 * Ends the reading of one container: adds it when @r is 0; records @path as
 * skipped for another @r, except -ENOENT, a container being created or
 * removed while we read.
 */
void nsd_engine_add_or_warn(struct nsd_containers *cs, const char *path, int r,
			    const struct nsd_container_info *info)
{
	if (r == 0)
		r = nsd_engine_add(cs, info);
	if (r < 0 && r != -ENOENT)
		nsd_engine_warn(cs, path, r);
}

static void scan_engine(struct nsd_containers *cs, unsigned i)
{
	const char *root = cs->roots[i] ? cs->roots[i] : engines[i]->root;
	_cleanup_close_ int fd = -EBADF;
	int r;

	if (!*root)
		return;
	cs->cur = engines[i];
	cs->cur_root = root;
	fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		/* An engine that is not installed has no state directory. */
		if (errno != ENOENT)
			nsd_engine_warn(cs, NULL, errno);
		return;
	}
	r = engines[i]->scan(cs, fd);
	if (r < 0 && r != -ENOENT)
		nsd_engine_warn(cs, NULL, r);
}

/*
 * The container the cgroup path @path names: the innermost match of any
 * engine (a container inside a container is the inner one). A generic shape
 * ("/docker/<id>") only names a container the state knows; a specific one
 * ("libpod-<id>") adds it when the state did not have it.
 */
static struct nsd_container *match_path(struct nsd_containers *cs, const char *path, size_t len,
					int *error)
{
	struct nsd_cgroup_match best = {0}, m;
	const struct nsd_engine *best_engine = NULL;
	struct nsd_container *c;

	for (unsigned i = 0; i < NSD_ENGINE_COUNT; i++) {
		const struct nsd_engine *e = engines[i];

		if (!e->match_cgroup || !e->match_cgroup(path, len, &m))
			continue;
		if (m.known_only && !nsd_containers_find_id(cs, e, m.key, m.len))
			continue;
		if (!best_engine || m.pos > best.pos) {
			best = m;
			best_engine = e;
			/* an unescaped key lives in the match itself */
			if (m.key == m.buf)
				best.key = best.buf;
		}
	}
	if (!best_engine)
		return NULL;
	c = nsd_containers_find_id(cs, best_engine, best.key, best.len);
	if (!c) {
		char id[256];
		struct nsd_container_info info = {.id = id};

		if (best.len >= sizeof(id))
			return NULL;
		memcpy(id, best.key, best.len);
		id[best.len] = '\0';
		if (best_engine->flags & NSD_ENGINE_ID_IS_NAME)
			info.name = id;
		cs->cur = best_engine;
		*error = nsd_engine_add(cs, &info);
		c = nsd_containers_find_id(cs, best_engine, best.key, best.len);
	}
	return c;
}

/* The container the lines of a /proc/PID/cgroup name; in a hybrid hierarchy
 * most lines repeat one path, which is matched once. */
static struct nsd_container *match_cgroup_file(struct nsd_containers *cs, const char *buf,
					       size_t len, int *error)
{
	const char *line = buf, *end = buf + len, *prev = NULL;
	size_t prevlen = 0;

	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line)), *path;
		size_t plen, llen = (size_t)((nl ? nl : end) - line);

		if (nsd_parse_cgroup_line(line, llen, &path, &plen) == 0 && plen > 1 &&
		    !(prev && plen == prevlen && memcmp(path, prev, plen) == 0)) {
			struct nsd_container *c = match_path(cs, path, plen, error);

			if (c)
				return c;
			prev = path;
			prevlen = plen;
		}
		line += llen + 1;
	}
	return NULL;
}

/*
 * Reads the cgroup of @p and maps it. The start time is read through the
 * same /proc/PID fd afterwards: when it is still @p's, the cgroup was too (a
 * recycled PID has a new /proc/PID; the old fd fails).
 */
static int map_by_cgroup(struct nsd_containers *cs, struct nsd_proc *p)
{
	_cleanup_close_ int pidfd = -EBADF;
	_cleanup_free_ char *big = NULL;
	char buf[4096], name[16], statbuf[NSD_STAT_MAX];
	const char *text = buf;
	struct nsd_container *c;
	struct nsd_stat st;
	size_t len;
	int r, error = 0;

	snprintf(name, sizeof(name), "%d", (int)p->pid);
	pidfd = openat(cs->graph->procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (pidfd < 0)
		return 0;
	r = nsd_read_at(pidfd, "cgroup", buf, sizeof(buf), &len);
	if (r == -EFBIG) {
		r = nsd_read_alloc_at(pidfd, "cgroup", (size_t)64 * 1024, &big, &len);
		text = big;
	}
	if (r < 0)
		return 0;
	c = match_cgroup_file(cs, text, len, &error);
	if (error == -ENOMEM)
		return error;
	if (!c)
		return 0;
	if (nsd_read_at(pidfd, "stat", statbuf, sizeof(statbuf), &len) < 0 ||
	    nsd_parse_stat(statbuf, len, &st) < 0 || st.starttime != p->starttime)
		return 0;
	return nsd_hash_put(&cs->by_pid, (uint64_t)p->pid, c);
}

static struct nsd_container *mapped(const struct nsd_containers *cs, const struct nsd_proc *p)
{
	struct nsd_container *c = p ? nsd_hash_get(&cs->by_pid, (uint64_t)p->pid) : NULL;

	return c == &cs->none ? NULL : c;
}

/* Is @a a better init than @b: started earlier, then a lower PID (an exec'd
 * process is in the container's cgroup too, but came later). */
static bool is_earlier(const struct nsd_proc *a, const struct nsd_proc *b)
{
	if (a->starttime != b->starttime)
		return a->starttime < b->starttime;
	return a->pid < b->pid;
}

/* Inits of the containers the state gives no PID for: the earliest process
 * in the container's cgroup whose parent is not in it. */
static void find_cgroup_inits(struct nsd_containers *cs)
{
	struct nsd_graph *g = cs->graph;

	for (size_t i = 0; i < g->nprocs; i++) {
		struct nsd_proc *p = g->procs[i];
		struct nsd_container *c = mapped(cs, p);

		if (!c || c->state_pid || mapped(cs, p->parent) == c)
			continue;
		if (!c->proc || is_earlier(p, c->proc))
			c->proc = p;
	}
}

/* Decides whether the process the state names is still the container's. */
static void set_status(struct nsd_containers *cs, struct nsd_container *c)
{
	struct nsd_proc *p;
	struct nsd_container *owner;

	if (c->state_stopped || (!c->state_pid && !c->proc)) {
		c->status = NSD_CONTAINER_STOPPED;
		c->proc = NULL;
		return;
	}
	if (!c->state_pid) {
		c->status = NSD_CONTAINER_RUNNING;
		return;
	}
	p = nsd_graph_find_proc(cs->graph, c->state_pid);
	/* The cgroup may name the same container under another engine (the
	 * runc state of a Podman container): same ID, same container. */
	owner = mapped(cs, p);
	if (owner && strcmp(owner->id, c->id) == 0)
		owner = c;
	c->status = NSD_CONTAINER_STALE;
	c->proc = NULL;
	if (!p || (owner && owner != c))
		return;
	if (c->state_starttime ? p->starttime != c->state_starttime
			       : (c->engine->flags & NSD_ENGINE_CGROUP_NAMED) && owner != c)
		return;
	c->status = NSD_CONTAINER_RUNNING;
	c->proc = p;
}

/* Two running containers with the same init are one, found by two engines:
 * the engine listed first keeps it. */
static int merge_duplicates(struct nsd_containers *cs)
{
	struct nsd_hash by_init = {0};
	int r = 0;

	for (size_t i = 0; i < NSD_ENGINE_COUNT && r == 0; i++)
		for (size_t j = 0; j < cs->n && r == 0; j++) {
			struct nsd_container *c = cs->all[j], *first;

			if (c->engine != engines[i] || !c->proc)
				continue;
			first = nsd_hash_get(&by_init, (uint64_t)c->proc->pid);
			if (first)
				c->dup_of = first;
			else
				r = nsd_hash_put(&by_init, (uint64_t)c->proc->pid, c);
		}
	nsd_hash_done(&by_init);
	return r;
}

static struct nsd_container *resolved(struct nsd_container *c)
{
	return c && c->dup_of ? c->dup_of : c;
}

/*
 * Processes the cgroups did not place: those in a pid namespace that a
 * container's init made belong to it (nsenter, runc exec); the rest belong
 * to their nearest placed ancestor, or to none. Each process is decided once
 * and the chain walked to decide it is decided with it, so this is linear.
 */
static int map_the_rest(struct nsd_containers *cs)
{
	struct nsd_graph *g = cs->graph;
	_cleanup_free_ struct nsd_proc **chain = calloc(g->nprocs + 1, sizeof(*chain));
	int r;

	if (!chain)
		return -ENOMEM;
	for (size_t i = 0; i < cs->n; i++) {
		struct nsd_container *c = cs->all[i];
		struct nsd_proc *init = c->proc;
		struct nsd_ns *pidns = init ? init->ns[NSD_NS_PID] : NULL;

		if (!pidns || c->dup_of || (init->parent && init->parent->ns[NSD_NS_PID] == pidns))
			continue;
		r = nsd_hash_put(&cs->by_pidns, (uint64_t)pidns->inode, c);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < g->nprocs; i++) {
		struct nsd_proc *p = g->procs[i];
		struct nsd_container *c = NULL;
		size_t n = 0;

		if (nsd_hash_get(&cs->by_pid, (uint64_t)p->pid))
			continue;
		/* Stops at a decided process, or after as many steps as there
		 * are processes: a parent loop from PID reuse cannot hang it. */
		for (; p && n <= g->nprocs; p = p->parent) {
			c = nsd_hash_get(&cs->by_pid, (uint64_t)p->pid);
			if (c)
				break;
			if (p->ns[NSD_NS_PID])
				c = nsd_hash_get(&cs->by_pidns, (uint64_t)p->ns[NSD_NS_PID]->inode);
			chain[n++] = p;
			if (c)
				break;
		}
		if (!c)
			c = &cs->none;
		while (n > 0) {
			r = nsd_hash_put(&cs->by_pid, (uint64_t)chain[--n]->pid, c);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return !a - !b;
	return strcmp(a, b);
}

static int cmp_container(const void *a, const void *b)
{
	const struct nsd_container *x = *(const struct nsd_container *const *)a;
	const struct nsd_container *y = *(const struct nsd_container *const *)b;
	int r = strcmp(x->engine->name, y->engine->name);

	if (r == 0)
		r = cmp_str(x->name, y->name);
	return r ? r : strcmp(x->id, y->id);
}

static int cmp_warning(const void *a, const void *b)
{
	return strcmp(((const struct nsd_warning *)a)->path, ((const struct nsd_warning *)b)->path);
}

/**
 * nsd_containers_scan:
 * @cs: container set
 *
 * Reads the state of every engine, then the cgroup of every process of the
 * graph (one more read per process), and decides which containers run and
 * which container each process belongs to. A state file that cannot be used
 * (unreadable, malformed, too large, a symlink out of the engine's root) is
 * skipped and reported by nsd_containers_next_warning(); so is a root that
 * exists but cannot be read. A root that does not exist is an engine that is
 * not installed: no warning.
 *
 * Returns: 0, -EALREADY when scanned before, -ENOMEM, or the error of
 * scanning the graph.
 */
NSD_EXPORT int nsd_containers_scan(struct nsd_containers *cs)
{
	struct nsd_graph *g = cs->graph;
	int r;

	if (cs->scanned)
		return -EALREADY;
	/* A walk that failed may be tried again; a failure after it leaves half a scan. */
	if (!g->scanned) {
		r = nsd_graph_scan(g, 0);
		if (r < 0)
			return r;
	}
	cs->scanned = true;
	for (unsigned i = 0; i < NSD_ENGINE_COUNT; i++)
		scan_engine(cs, i);
	for (size_t i = 0; i < g->nprocs; i++) {
		r = map_by_cgroup(cs, g->procs[i]);
		if (r < 0)
			return r;
	}
	for (unsigned i = 0; i < NSD_ENGINE_COUNT; i++) {
		if (!engines[i]->scan_procs)
			continue;
		cs->cur = engines[i];
		r = engines[i]->scan_procs(cs, g);
		if (r < 0)
			return r;
	}
	find_cgroup_inits(cs);
	for (size_t i = 0; i < cs->n; i++)
		set_status(cs, cs->all[i]);
	r = merge_duplicates(cs);
	if (r < 0)
		return r;
	r = map_the_rest(cs);
	if (r < 0)
		return r;
	if (cs->n > 1)
		qsort(cs->all, cs->n, sizeof(*cs->all), cmp_container);
	/* in the order of their paths, not of readdir() */
	if (cs->nwarnings > 1)
		qsort(cs->warnings, cs->nwarnings, sizeof(*cs->warnings), cmp_warning);
	return 0;
}

/**
 * nsd_containers_next:
 * @cs: scanned container set
 * @itr: iterator
 * @c: returns the next container, by engine, name and ID; running or not
 *
 * Returns: 0, or 1 at the end.
 */
NSD_EXPORT int nsd_containers_next(struct nsd_containers *cs, struct nsd_iter *itr,
				   struct nsd_container **c)
{
	nsd_iter_start(itr, cs->all);
	while (itr->idx < cs->n && cs->all[itr->idx]->dup_of)
		itr->idx++;
	if (itr->idx >= cs->n)
		return 1;
	*c = cs->all[itr->idx++];
	return 0;
}

/**
 * nsd_containers_next_warning:
 * @cs: scanned container set
 * @itr: iterator
 * @path: returns a state file or root that was skipped (borrowed)
 * @error: returns why, a positive errno: EBADMSG for a malformed file, EFBIG
 *         for one too large, EXDEV for a path that leaves the engine's root,
 *         EINVAL for something that is not a regular file
 *
 * Returns: 0, or 1 at the end.
 */
NSD_EXPORT int nsd_containers_next_warning(struct nsd_containers *cs, struct nsd_iter *itr,
					   const char **path, int *error)
{
	nsd_iter_start(itr, cs->warnings);
	if (itr->idx >= cs->nwarnings)
		return 1;
	*path = cs->warnings[itr->idx].path;
	*error = cs->warnings[itr->idx++].error;
	return 0;
}

/**
 * nsd_containers_find_proc:
 * @cs: scanned container set
 * @proc: a process of its graph
 *
 * Returns: the container @proc belongs to: the one its cgroup is named
 * after, else the one whose init made its pid namespace, else that of its
 * nearest ancestor that has one; NULL for none. O(1).
 */
NSD_EXPORT struct nsd_container *nsd_containers_find_proc(const struct nsd_containers *cs,
							  const struct nsd_proc *proc)
{
	return resolved(mapped(cs, proc));
}

/**
 * nsd_containers_find_ns:
 * @cs: scanned container set
 * @ns: a namespace of its graph
 *
 * Returns: the container that all member processes of @ns belong to; NULL
 * when they belong to several or to none (the host's namespaces), or @ns
 * has no member. Linear in the members on the first call for @ns, O(1) after.
 */
NSD_EXPORT struct nsd_container *nsd_containers_find_ns(struct nsd_containers *cs,
							struct nsd_ns *ns)
{
	struct nsd_container *c = nsd_hash_get(&cs->by_ns, (uint64_t)ns->inode);

	if (!c) {
		for (struct nsd_proc *p = ns->first; p; p = p->next_member[ns->type]) {
			struct nsd_container *pc = nsd_containers_find_proc(cs, p);

			if (!pc || (c && pc != c)) {
				c = NULL;
				break;
			}
			c = pc;
		}
		/* Without memory for the cache the answer is still right, only slower. */
		(void)nsd_hash_put(&cs->by_ns, (uint64_t)ns->inode, c ? c : &cs->none);
	}
	return c == &cs->none ? NULL : c;
}

/**
 * nsd_container_status_to_name:
 * @status: container status
 *
 * Returns: "running", "stopped" or "stale"; NULL for an invalid status.
 */
NSD_EXPORT const char *nsd_container_status_to_name(enum nsd_container_status status)
{
	switch (status) {
	case NSD_CONTAINER_RUNNING:
		return "running";
	case NSD_CONTAINER_STOPPED:
		return "stopped";
	case NSD_CONTAINER_STALE:
		return "stale";
	}
	return NULL;
}

/**
 * nsd_container_get_engine:
 * @c: container
 *
 * Returns: the name of the engine that runs it.
 */
NSD_EXPORT const char *nsd_container_get_engine(const struct nsd_container *c)
{
	return c->engine->name;
}

/**
 * nsd_container_get_id:
 * @c: container
 *
 * Returns: its ID as the engine names it (for LXC and systemd-nspawn, which
 * have none, its name).
 */
NSD_EXPORT const char *nsd_container_get_id(const struct nsd_container *c)
{
	return c->id;
}

/**
 * nsd_container_get_name:
 * @c: container
 *
 * Returns: its name (for Kubernetes, the container's name in its pod), or
 * NULL when it has none or only its cgroup was seen.
 */
NSD_EXPORT const char *nsd_container_get_name(const struct nsd_container *c)
{
	return c->name;
}

/**
 * nsd_container_get_pod:
 * @c: container
 *
 * Returns: the name of its Kubernetes pod, or NULL.
 */
NSD_EXPORT const char *nsd_container_get_pod(const struct nsd_container *c)
{
	return c->pod;
}

/**
 * nsd_container_get_k8s_namespace:
 * @c: container
 *
 * Returns: the Kubernetes namespace of its pod, or NULL.
 */
NSD_EXPORT const char *nsd_container_get_k8s_namespace(const struct nsd_container *c)
{
	return c->k8s_namespace;
}

/**
 * nsd_container_get_status:
 * @c: container
 *
 * Returns: NSD_CONTAINER_RUNNING when its init is alive (and, where the
 * state records it, has the recorded start time, or is in the container's
 * cgroup); NSD_CONTAINER_STALE when the state names a process that is gone
 * or is another process now; NSD_CONTAINER_STOPPED otherwise.
 */
NSD_EXPORT enum nsd_container_status nsd_container_get_status(const struct nsd_container *c)
{
	return c->status;
}

/**
 * nsd_container_get_pid:
 * @c: container
 *
 * Returns: the PID of its init while running; for a stale container, the
 * PID its state names; else 0.
 */
NSD_EXPORT pid_t nsd_container_get_pid(const struct nsd_container *c)
{
	if (c->proc)
		return c->proc->pid;
	return c->status == NSD_CONTAINER_STALE ? c->state_pid : 0;
}

/**
 * nsd_container_get_proc:
 * @c: container
 *
 * Returns: its init process in the graph while running, else NULL.
 */
NSD_EXPORT struct nsd_proc *nsd_container_get_proc(const struct nsd_container *c)
{
	return c->proc;
}

/* The host's namespaces are those of kthreadd, which the kernel keeps in
 * the initial ones; in a procfs without it (a fixture, a pid namespace's
 * own), those of PID 1. */
static const struct nsd_proc *host_proc(struct nsd_graph *g)
{
	const struct nsd_proc *p = nsd_graph_find_proc(g, 2);

	if (p && p->ppid == 0 && strcmp(p->comm, "kthreadd") == 0)
		return p;
	return nsd_graph_find_proc(g, 1);
}

/**
 * nsd_proc_get_host_namespaces:
 * @proc: process
 *
 * Returns: a bit (1 << type) for each namespace type in which @proc is in
 * the host's namespace (that of kthreadd, else of PID 1).
 */
NSD_EXPORT unsigned nsd_proc_get_host_namespaces(const struct nsd_proc *proc)
{
	const struct nsd_proc *host = host_proc(proc->graph);
	unsigned mask = 0;

	for (int t = 0; host && t < NSD_NS_COUNT; t++)
		if (proc->ns[t] && proc->ns[t] == host->ns[t])
			mask |= 1u << t;
	return mask;
}

/**
 * nsd_container_get_host_namespaces:
 * @c: container
 *
 * Returns: nsd_proc_get_host_namespaces() of its init; 0 when not running.
 */
NSD_EXPORT unsigned nsd_container_get_host_namespaces(const struct nsd_container *c)
{
	return c->proc ? nsd_proc_get_host_namespaces(c->proc) : 0;
}
