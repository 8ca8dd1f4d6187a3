/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libnsdebug: Linux namespace inspection.
 *
 * Conventions: functions return an int >= 0 on success and a negative errno
 * on failure; constructors return NULL and set errno. _get_ borrows, _unref
 * accepts NULL and returns NULL. Iterators return 0 with an item, 1 at the
 * end, or a negative errno. The library never prints and never exits.
 */
#ifndef NSDEBUG_H
#define NSDEBUG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* nstype.c */

/** The eight namespace types. */
enum nsd_nstype {
	NSD_NS_MNT,
	NSD_NS_NET,
	NSD_NS_PID,
	NSD_NS_UTS,
	NSD_NS_IPC,
	NSD_NS_USER,
	NSD_NS_CGROUP,
	NSD_NS_TIME,
	NSD_NS_COUNT
};

const char *nsd_nstype_to_name(enum nsd_nstype type);
int nsd_nstype_from_name(const char *name);
int nsd_nstype_to_clone_flag(enum nsd_nstype type);

/* iter.c */

/** Position in a list of the library (namespaces of a graph, members of a namespace). */
struct nsd_iter;

struct nsd_iter *nsd_iter_new(void);
void nsd_iter_free(struct nsd_iter *itr);
void nsd_iter_reset(struct nsd_iter *itr);

/* graph.c, walk.c */

/** All namespaces and processes seen in one walk of a procfs. */
struct nsd_graph;
/** One namespace: type and inode, its member processes. Owned by its graph. */
struct nsd_ns;
/** One process seen in the walk. Owned by its graph. */
struct nsd_proc;

/** What nsd_graph_scan() looks at beyond the ns links of each process. */
enum nsd_scan_flags {
	/* pid_for_children, time_for_children: namespaces a process holds for
	 * the children it will have, after unshare(2) without a fork */
	NSD_SCAN_FOR_CHILDREN = 1 << 0,
};

struct nsd_graph *nsd_graph_new(const char *procfs);
struct nsd_graph *nsd_graph_ref(struct nsd_graph *graph);
struct nsd_graph *nsd_graph_unref(struct nsd_graph *graph);
int nsd_graph_scan(struct nsd_graph *graph, unsigned flags);
const char *nsd_graph_get_procfs(const struct nsd_graph *graph);
size_t nsd_graph_get_nprocs(const struct nsd_graph *graph);
size_t nsd_graph_get_nnamespaces(const struct nsd_graph *graph);
size_t nsd_graph_get_ndenied(const struct nsd_graph *graph);
int nsd_graph_next_ns(struct nsd_graph *graph, struct nsd_iter *itr, struct nsd_ns **ns);
int nsd_graph_next_proc(struct nsd_graph *graph, struct nsd_iter *itr, struct nsd_proc **proc);
struct nsd_ns *nsd_graph_find_ns(struct nsd_graph *graph, ino_t inode);
struct nsd_proc *nsd_graph_find_proc(struct nsd_graph *graph, pid_t pid);

enum nsd_nstype nsd_ns_get_type(const struct nsd_ns *ns);
ino_t nsd_ns_get_inode(const struct nsd_ns *ns);
size_t nsd_ns_get_nprocs(const struct nsd_ns *ns);
struct nsd_proc *nsd_ns_get_proc(const struct nsd_ns *ns);
int nsd_ns_get_path(const struct nsd_ns *ns, char **ret);
int nsd_ns_next_proc(struct nsd_ns *ns, struct nsd_iter *itr, struct nsd_proc **proc);
void nsd_ns_set_userdata(struct nsd_ns *ns, void *data);
void *nsd_ns_get_userdata(const struct nsd_ns *ns);

pid_t nsd_proc_get_pid(const struct nsd_proc *proc);
pid_t nsd_proc_get_ppid(const struct nsd_proc *proc);
struct nsd_proc *nsd_proc_get_parent(const struct nsd_proc *proc);
uid_t nsd_proc_get_uid(const struct nsd_proc *proc);
unsigned long long nsd_proc_get_starttime(const struct nsd_proc *proc);
const char *nsd_proc_get_comm(const struct nsd_proc *proc);
const char *nsd_proc_get_command(struct nsd_proc *proc);
bool nsd_proc_is_denied(const struct nsd_proc *proc);
struct nsd_ns *nsd_proc_get_ns(const struct nsd_proc *proc, enum nsd_nstype type);
struct nsd_ns *nsd_proc_get_ns_for_children(const struct nsd_proc *proc, enum nsd_nstype type);

/* enter.c */

/** Joins a process's namespaces and runs a command there. */
struct nsd_enter;

/** Where nsd_enter_run() failed: the exit status nsdebug gives differs. */
enum nsd_enter_stage {
	NSD_ENTER_PREPARE, /* before the command: joining, mounting, ... */
	NSD_ENTER_COMMAND, /* finding or executing the command */
};

struct nsd_enter *nsd_enter_new(pid_t pid, int pidfd, int procfd);
struct nsd_enter *nsd_enter_unref(struct nsd_enter *e);
int nsd_enter_set_namespaces(struct nsd_enter *e, unsigned types);
int nsd_enter_set_command(struct nsd_enter *e, char *const argv[]);
int nsd_enter_set_workdir(struct nsd_enter *e, const char *dir);
void nsd_enter_set_target_env(struct nsd_enter *e, bool on);
void nsd_enter_set_fork(struct nsd_enter *e, bool on);
void nsd_enter_set_keep_caps(struct nsd_enter *e, bool on);
int nsd_enter_run(struct nsd_enter *e, int *ret_status);
const char *nsd_enter_get_failure(const struct nsd_enter *e);
enum nsd_enter_stage nsd_enter_get_failed_stage(const struct nsd_enter *e);

/* netns.c */
int nsd_netns_link(int procfd, int pidfd, const char *dir, const char *name);
int nsd_netns_unlink(const char *dir, const char *name);

#ifdef __cplusplus
}
#endif

#endif
