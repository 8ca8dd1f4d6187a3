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
		free(graph->procs[i]);
	}
	for (size_t i = 0; i < graph->nnss; i++)
		free(graph->nss[i]);
	free(graph->procs);
	free(graph->nss);
	nsd_hash_done(&graph->proc_by_pid);
	nsd_hash_done(&graph->ns_by_inode);
	closep(&graph->procfd);
	free(graph->procfs);
	free(graph);
	return NULL;
}

/* Returns @array with room for more than @n elements of @size bytes (it doubles), or NULL. */
static void *grow_array(void *array, size_t *alloc, size_t n, size_t size)
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
	struct nsd_proc **procs = grow_array(g->procs, &g->procs_alloc, g->nprocs, sizeof(*procs));

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
	nss = grow_array(g->nss, &g->nss_alloc, g->nnss, sizeof(*nss));
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

void nsd_ns_add_child_holder(struct nsd_ns *ns, struct nsd_proc *proc)
{
	proc->ns_for_children[ns->type] = ns;
	if (!ns->lowest_child_holder || proc->pid < ns->lowest_child_holder->pid)
		ns->lowest_child_holder = proc;
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
 * the lowest-PID process whose children will get it (pid_for_children,
 * time_for_children); NULL when there is neither.
 */
NSD_EXPORT struct nsd_proc *nsd_ns_get_proc(const struct nsd_ns *ns)
{
	return ns->lowest ? ns->lowest : ns->lowest_child_holder;
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

/**
 * nsd_ns_get_path:
 * @ns: namespace
 * @ret: returns the path, free with free()
 *
 * A path that names @ns: the ns/ link of its lowest-PID member (or of the
 * process whose children will get it) in the graph's procfs, as lsns shows it.
 *
 * Returns: 0, -ENOENT when no process was seen holding it, or -ENOMEM.
 */
NSD_EXPORT int nsd_ns_get_path(const struct nsd_ns *ns, char **ret)
{
	const struct nsd_proc *p = ns->lowest;
	const char *link = nsd_nstype_path(ns->type);

	if (!p) {
		p = ns->lowest_child_holder;
		link = nsd_nstype_children_path(ns->type);
	}
	if (!p || !link)
		return -ENOENT;
	if (asprintf(ret, "%s/%d/%s", p->graph->procfs, (int)p->pid, link) < 0)
		return -ENOMEM;
	return 0;
}
