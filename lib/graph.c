/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The namespace graph: namespaces hashed by inode, processes hashed by PID,
 * each process linked into the member list of each of its namespaces. walk.c
 * fills it in from a procfs; everything here is O(1) per call except the
 * final sort of namespaces by inode.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nsdebug-private.h"

/**
 * nsd_graph_new:
 * @procfs: the procfs to walk, NULL for /proc (a debug pod may have the
 *          host's at /host/proc)
 *
 * Opens @procfs; nsd_graph_scan() walks it.
 *
 * Returns: a new graph with one reference, or NULL with errno set (the
 * errno of opening @procfs, or ENOMEM).
 */
NSD_EXPORT struct nsd_graph *nsd_graph_new(const char *procfs)
{
	struct nsd_graph *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->refcount = 1;
	g->procfs = strdup(procfs ? procfs : "/proc");
	if (!g->procfs)
		goto fail;
	g->procfd = open(g->procfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (g->procfd < 0)
		goto fail;
	return g;
fail:
	nsd_graph_unref(g);
	return NULL;
}

/**
 * nsd_graph_ref:
 * @graph: graph
 *
 * Returns: @graph, with one more reference.
 */
NSD_EXPORT struct nsd_graph *nsd_graph_ref(struct nsd_graph *graph)
{
	if (graph)
		graph->refcount++;
	return graph;
}

/**
 * nsd_graph_unref:
 * @graph: graph or NULL
 *
 * Drops a reference; the last one frees the graph with its namespaces and processes.
 *
 * Returns: NULL
 */
NSD_EXPORT struct nsd_graph *nsd_graph_unref(struct nsd_graph *graph)
{
	if (!graph || --graph->refcount > 0)
		return NULL;
	for (size_t i = 0; i < graph->nprocs; i++) {
		free(graph->procs[i]->command);
		free(graph->procs[i]->status);
		free(graph->procs[i]->exe);
		free(graph->procs[i]->passwd);
		free(graph->procs[i]);
	}
	for (size_t i = 0; i < graph->nnss; i++) {
		nsd_ns_free_holders(graph->nss[i]);
		free(graph->nss[i]);
	}
	free(graph->procs);
	free(graph->nss);
	nsd_hash_done(&graph->proc_by_pid);
	nsd_hash_done(&graph->ns_by_inode);
	closep(&graph->procfd);
	free(graph->procfs);
	free(graph);
	return NULL;
}

void *nsd_grow_array(void *array, size_t *alloc, size_t n, size_t size)
{
	size_t want;

	if (n < *alloc)
		return array;
	want = *alloc ? *alloc * 2 : 256;
	array = reallocarray(array, want, size);
	if (array)
		*alloc = want;
	return array;
}

struct nsd_proc *nsd_graph_add_proc(struct nsd_graph *g, const struct nsd_stat *st, pid_t pid,
				    uid_t uid)
{
	_cleanup_free_ struct nsd_proc *p = NULL;
	struct nsd_proc **procs = nsd_grow_array(g->procs, &g->procs_alloc, g->nprocs, sizeof(*procs));

	if (!procs)
		return NULL;
	g->procs = procs;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->graph = g;
	p->pid = pid;
	p->ppid = st->ppid;
	p->uid = uid;
	p->starttime = st->starttime;
	p->state = st->state;
	memcpy(p->comm, st->comm, sizeof(p->comm));
	if (nsd_hash_put(&g->proc_by_pid, (uint64_t)pid, p) < 0)
		return NULL;
	g->procs[g->nprocs++] = p;
	return TAKE_PTR(p);
}

/* Returns the namespace @inode, adding it when new; NULL with errno ENOMEM, or
 * EEXIST when @inode is known with another type (a corrupt procfs copy). */
struct nsd_ns *nsd_graph_add_ns(struct nsd_graph *g, enum nsd_nstype type, ino_t inode)
{
	struct nsd_ns *ns = nsd_hash_get(&g->ns_by_inode, (uint64_t)inode);
	struct nsd_ns **nss;

	if (ns) {
		if (ns->type == type)
			return ns;
		errno = EEXIST;
		return NULL;
	}
	nss = nsd_grow_array(g->nss, &g->nss_alloc, g->nnss, sizeof(*nss));
	if (!nss)
		return NULL;
	g->nss = nss;
	ns = calloc(1, sizeof(*ns));
	if (!ns)
		return NULL;
	ns->type = type;
	ns->inode = inode;
	if (nsd_hash_put(&g->ns_by_inode, (uint64_t)inode, ns) < 0) {
		free(ns);
		errno = ENOMEM;
		return NULL;
	}
	g->nss[g->nnss++] = ns;
	return ns;
}

void nsd_ns_add_member(struct nsd_ns *ns, struct nsd_proc *proc)
{
	proc->ns[ns->type] = ns;
	if (ns->last)
		ns->last->next_member[ns->type] = proc;
	else
		ns->first = proc;
	ns->last = proc;
	ns->nprocs++;
	if (!ns->lowest || proc->pid < ns->lowest->pid)
		ns->lowest = proc;
}

static int cmp_ns(const void *a, const void *b)
{
	const struct nsd_ns *x = *(const struct nsd_ns *const *)a;
	const struct nsd_ns *y = *(const struct nsd_ns *const *)b;

	return (x->inode > y->inode) - (x->inode < y->inode);
}

/* Links parents (by hash, O(n)) and sorts namespaces by inode as lsns lists them. */
void nsd_graph_finish(struct nsd_graph *g)
{
	for (size_t i = 0; i < g->nprocs; i++) {
		struct nsd_proc *p = g->procs[i];

		if (p->ppid > 0)
			p->parent = nsd_hash_get(&g->proc_by_pid, (uint64_t)p->ppid);
	}
	if (g->nnss > 1)
		qsort(g->nss, g->nnss, sizeof(*g->nss), cmp_ns);
}

/**
 * nsd_graph_get_procfs:
 * @graph: graph
 *
 * Returns: the procfs path the graph was made from.
 */
NSD_EXPORT const char *nsd_graph_get_procfs(const struct nsd_graph *graph)
{
	return graph->procfs;
}

/**
 * nsd_graph_get_nprocs:
 * @graph: graph
 *
 * Returns: the number of processes the walk recorded.
 */
NSD_EXPORT size_t nsd_graph_get_nprocs(const struct nsd_graph *graph)
{
	return graph->nprocs;
}

/**
 * nsd_graph_get_nnamespaces:
 * @graph: graph
 *
 * Returns: the number of namespaces found.
 */
NSD_EXPORT size_t nsd_graph_get_nnamespaces(const struct nsd_graph *graph)
{
	return graph->nnss;
}

/**
 * nsd_graph_get_ndenied:
 * @graph: graph
 *
 * Returns: how many processes had namespaces the caller may not see
 * (EACCES/EPERM): they are not counted in those namespaces, which are
 * missing from the graph when no readable process is in them.
 */
NSD_EXPORT size_t nsd_graph_get_ndenied(const struct nsd_graph *graph)
{
	return graph->ndenied;
}

/**
 * nsd_graph_next_ns:
 * @graph: graph
 * @itr: iterator
 * @ns: returns the next namespace, in order of inode
 *
 * Returns: 0, or 1 at the end.
 */
NSD_EXPORT int nsd_graph_next_ns(struct nsd_graph *graph, struct nsd_iter *itr, struct nsd_ns **ns)
{
	nsd_iter_start(itr, graph->nss);
	if (itr->idx >= graph->nnss)
		return 1;
	*ns = graph->nss[itr->idx++];
	return 0;
}

/**
 * nsd_graph_next_proc:
 * @graph: graph
 * @itr: iterator
 * @proc: returns the next process, in the order of the walk
 *
 * Returns: 0, or 1 at the end.
 */
NSD_EXPORT int nsd_graph_next_proc(struct nsd_graph *graph, struct nsd_iter *itr,
				   struct nsd_proc **proc)
{
	nsd_iter_start(itr, graph->procs);
	if (itr->idx >= graph->nprocs)
		return 1;
	*proc = graph->procs[itr->idx++];
	return 0;
}

/**
 * nsd_graph_find_ns:
 * @graph: graph
 * @inode: namespace inode
 *
 * Returns: the namespace, or NULL when the walk did not see it.
 */
NSD_EXPORT struct nsd_ns *nsd_graph_find_ns(struct nsd_graph *graph, ino_t inode)
{
	return nsd_hash_get(&graph->ns_by_inode, (uint64_t)inode);
}

/**
 * nsd_graph_find_proc:
 * @graph: graph
 * @pid: PID in the graph's procfs
 *
 * Returns: the process, or NULL when the walk did not see it.
 */
NSD_EXPORT struct nsd_proc *nsd_graph_find_proc(struct nsd_graph *graph, pid_t pid)
{
	return nsd_hash_get(&graph->proc_by_pid, (uint64_t)pid);
}

/**
 * nsd_graph_get_self_ns:
 * @graph: graph
 * @type: namespace type
 *
 * Returns: the namespace of @type of the caller (the procfs's "self"), or
 * NULL when the procfs does not show the caller or the walk did not see it.
 */
NSD_EXPORT struct nsd_ns *nsd_graph_get_self_ns(struct nsd_graph *graph, enum nsd_nstype type)
{
	if ((unsigned)type >= NSD_NS_COUNT || !graph->self[type])
		return NULL;
	return nsd_graph_find_ns(graph, graph->self[type]);
}

/**
 * nsd_ns_get_type:
 * @ns: namespace
 *
 * Returns: its type.
 */
NSD_EXPORT enum nsd_nstype nsd_ns_get_type(const struct nsd_ns *ns)
{
	return ns->type;
}

/**
 * nsd_ns_get_inode:
 * @ns: namespace
 *
 * Returns: its inode number on nsfs, the namespace's identity.
 */
NSD_EXPORT ino_t nsd_ns_get_inode(const struct nsd_ns *ns)
{
	return ns->inode;
}

/**
 * nsd_ns_get_nprocs:
 * @ns: namespace
 *
 * Returns: the number of member processes (0 for a namespace seen only as a
 * pid_for_children or time_for_children).
 */
NSD_EXPORT size_t nsd_ns_get_nprocs(const struct nsd_ns *ns)
{
	return ns->nprocs;
}

/**
 * nsd_ns_get_proc:
 * @ns: namespace
 *
 * Returns: the member with the lowest PID; for a namespace without members,
 * the lowest-PID process that holds it otherwise: for its children
 * (pid_for_children, time_for_children), through a thread or an open fd;
 * NULL when there is none (a namespace held by mounts only, or a ghost).
 */
NSD_EXPORT struct nsd_proc *nsd_ns_get_proc(const struct nsd_ns *ns)
{
	return ns->lowest ? ns->lowest : ns->lowest_holder;
}

/**
 * nsd_ns_next_proc:
 * @ns: namespace
 * @itr: iterator
 * @proc: returns the next member, in the order of the walk
 *
 * Returns: 0, or 1 at the end.
 */
NSD_EXPORT int nsd_ns_next_proc(struct nsd_ns *ns, struct nsd_iter *itr, struct nsd_proc **proc)
{
	if (nsd_iter_start(itr, ns))
		itr->cur = ns->first;
	if (!itr->cur)
		return 1;
	*proc = itr->cur;
	itr->cur = (*proc)->next_member[ns->type];
	return 0;
}

/**
 * nsd_ns_set_userdata:
 * @ns: namespace
 * @data: anything the caller wants to attach, not freed by the library
 */
NSD_EXPORT void nsd_ns_set_userdata(struct nsd_ns *ns, void *data)
{
	ns->userdata = data;
}

/**
 * nsd_ns_get_userdata:
 * @ns: namespace
 *
 * Returns: what nsd_ns_set_userdata() attached, or NULL.
 */
NSD_EXPORT void *nsd_ns_get_userdata(const struct nsd_ns *ns)
{
	return ns->userdata;
}

/* The holder nsd_ns_get_path() names: that of nsd_ns_get_proc(), else a
 * mount, one in the caller's mount namespace first. O(holders). */
static const struct nsd_holder *path_holder(const struct nsd_ns *ns)
{
	const struct nsd_holder *mount = NULL;

	for (const struct nsd_holder *h = ns->holders; h; h = h->next) {
		if (h->kind == NSD_HOLDER_MOUNT) {
			if (!mount || h->proc->graph->self[NSD_NS_MNT] == h->mntns->inode)
				mount = h;
		} else if (h->proc && h->proc == ns->lowest_holder) {
			return h;
		}
	}
	return mount;
}

/**
 * nsd_ns_get_path:
 * @ns: namespace
 * @ret: returns the path, free with free()
 *
 * A path that names @ns: the ns/ link of its lowest-PID member in the
 * graph's procfs, as lsns shows it; for a namespace without members, the
 * path of nsd_holder_get_path() of the holder of nsd_ns_get_proc(), else of
 * a mount (one in the caller's mount namespace if there is one).
 *
 * Returns: 0, -ENOENT when nothing but ghosts hold it, or -ENOMEM.
 */
NSD_EXPORT int nsd_ns_get_path(const struct nsd_ns *ns, char **ret)
{
	const struct nsd_holder *h;

	if (ns->lowest) {
		if (asprintf(ret, "%s/%d/%s", ns->lowest->graph->procfs, (int)ns->lowest->pid,
			     nsd_nstype_path(ns->type)) < 0)
			return -ENOMEM;
		return 0;
	}
	h = path_holder(ns);
	if (!h)
		return -ENOENT;
	return nsd_holder_get_path(h, ret);
}

/**
 * nsd_ns_get_parent:
 * @ns: namespace
 *
 * Needs a graph scanned with NSD_SCAN_HIERARCHY.
 *
 * Returns: the parent of a pid or user namespace, or NULL: for other types,
 * for the root of the hierarchy (also when it is the root only for the
 * caller, whose own namespaces end what it may see), or when it could not be
 * read.
 */
NSD_EXPORT struct nsd_ns *nsd_ns_get_parent(const struct nsd_ns *ns)
{
	return ns->parent;
}

/* pid and user namespaces nest at most 32 deep (pid_namespaces(7)). */
#define NESTING_MAX 33

/**
 * nsd_ns_is_within:
 * @ns: a pid or user namespace
 * @top: another of the same type
 *
 * Needs a graph scanned with NSD_SCAN_HIERARCHY.
 *
 * Returns: true when @ns is @top or below it: a process of @ns is seen
 * from @top.
 */
NSD_EXPORT bool nsd_ns_is_within(const struct nsd_ns *ns, const struct nsd_ns *top)
{
	for (int depth = 0; ns && depth < NESTING_MAX; depth++, ns = ns->parent)
		if (ns == top)
			return true;
	return false;
}

/**
 * nsd_ns_get_owner:
 * @ns: namespace
 *
 * Needs a graph scanned with NSD_SCAN_HIERARCHY.
 *
 * Returns: the user namespace that owns @ns (for a user namespace, its
 * parent), or NULL as for nsd_ns_get_parent().
 */
NSD_EXPORT struct nsd_ns *nsd_ns_get_owner(const struct nsd_ns *ns)
{
	return ns->owner;
}

/**
 * nsd_ns_get_owner_uid:
 * @ns: a user namespace
 * @ret: returns the effective UID of its creator
 *
 * Needs a graph scanned with NSD_SCAN_HIERARCHY.
 *
 * Returns: 0, -EINVAL when @ns is not a user namespace, -ENODATA when it
 * could not be read.
 */
NSD_EXPORT int nsd_ns_get_owner_uid(const struct nsd_ns *ns, uid_t *ret)
{
	if (ns->type != NSD_NS_USER)
		return -EINVAL;
	if (!ns->has_owner_uid)
		return -ENODATA;
	*ret = ns->owner_uid;
	return 0;
}

/**
 * nsd_ns_get_netnsid:
 * @ns: a net namespace
 * @ret: returns its id
 *
 * The id that the caller's net namespace knows @ns by (as ip-netns(8) and
 * lsns(8) show it). Needs a graph scanned with NSD_SCAN_NETNSID.
 *
 * Returns: 0; -ENOENT when no id is assigned, -EINVAL when @ns is not a net
 * namespace, -ENODATA when it could not be read.
 */
NSD_EXPORT int nsd_ns_get_netnsid(const struct nsd_ns *ns, int *ret)
{
	if (ns->type != NSD_NS_NET)
		return -EINVAL;
	if (!ns->has_netnsid)
		return -ENODATA;
	if (ns->netnsid < 0)
		return -ENOENT;
	*ret = ns->netnsid;
	return 0;
}
