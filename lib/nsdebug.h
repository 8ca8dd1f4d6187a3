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
#include <stdint.h>
#include <time.h>
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
/** One reason a namespace is alive (DESIGN.md, "Core objects"). Owned by its graph. */
struct nsd_holder;

/** What nsd_graph_scan() looks at beyond the ns links of each process. */
enum nsd_scan_flags {
	/* pid_for_children, time_for_children: namespaces a process holds for
	 * the children it will have, after unshare(2) without a fork */
	NSD_SCAN_FOR_CHILDREN = 1 << 0,
	/* task/TID/ns/ of every task but the leader: a thread that joined or
	 * unshared a namespace holds it */
	NSD_SCAN_THREADS = 1 << 1,
	/* fd/ of every process: open file descriptors of namespaces */
	NSD_SCAN_FDS = 1 << 2,
	/* nsfs bind mounts, in the mountinfo of one process per mount namespace */
	NSD_SCAN_MOUNTS = 1 << 3,
	/* parent, owning user namespace and owner UID of every namespace, by
	 * ioctl; adds the namespaces reached only that way (ghosts) */
	NSD_SCAN_HIERARCHY = 1 << 4,
	/* the id of every net namespace as nsdebug's own net namespace knows it */
	NSD_SCAN_NETNSID = 1 << 5,
};

/** Why a namespace is alive: what kind of holder. */
enum nsd_holder_kind {
	NSD_HOLDER_PROCESS,      /* a member process: /proc/PID/ns/TYPE */
	NSD_HOLDER_FOR_CHILDREN, /* /proc/PID/ns/pid_for_children, time_for_children */
	NSD_HOLDER_THREAD,       /* a task other than the leader: /proc/PID/task/TID/ns/TYPE */
	NSD_HOLDER_FD,           /* an open file descriptor: /proc/PID/fd/N */
	NSD_HOLDER_MOUNT,        /* an nsfs bind mount in some mount namespace */
	NSD_HOLDER_GHOST,        /* nothing seen: reached as a parent or owner only */
	NSD_HOLDER_COUNT
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
struct nsd_ns *nsd_graph_get_self_ns(struct nsd_graph *graph, enum nsd_nstype type);

enum nsd_nstype nsd_ns_get_type(const struct nsd_ns *ns);
ino_t nsd_ns_get_inode(const struct nsd_ns *ns);
size_t nsd_ns_get_nprocs(const struct nsd_ns *ns);
struct nsd_proc *nsd_ns_get_proc(const struct nsd_ns *ns);
int nsd_ns_get_path(const struct nsd_ns *ns, char **ret);
int nsd_ns_next_proc(struct nsd_ns *ns, struct nsd_iter *itr, struct nsd_proc **proc);
void nsd_ns_set_userdata(struct nsd_ns *ns, void *data);
void *nsd_ns_get_userdata(const struct nsd_ns *ns);
int nsd_ns_next_holder(struct nsd_ns *ns, struct nsd_iter *itr, struct nsd_holder **holder);
unsigned nsd_ns_get_holder_kinds(const struct nsd_ns *ns);
struct nsd_ns *nsd_ns_get_parent(const struct nsd_ns *ns);
struct nsd_ns *nsd_ns_get_owner(const struct nsd_ns *ns);
bool nsd_ns_is_within(const struct nsd_ns *ns, const struct nsd_ns *top);
int nsd_ns_get_owner_uid(const struct nsd_ns *ns, uid_t *ret);
int nsd_ns_get_netnsid(const struct nsd_ns *ns, int *ret);
int nsd_ns_open(struct nsd_ns *ns);

/* holder.c */

const char *nsd_holder_kind_to_name(enum nsd_holder_kind kind);
enum nsd_holder_kind nsd_holder_get_kind(const struct nsd_holder *holder);
struct nsd_proc *nsd_holder_get_proc(const struct nsd_holder *holder);
pid_t nsd_holder_get_pid(const struct nsd_holder *holder);
pid_t nsd_holder_get_tid(const struct nsd_holder *holder);
int nsd_holder_get_fd(const struct nsd_holder *holder);
const char *nsd_holder_get_mountpoint(const struct nsd_holder *holder);
struct nsd_ns *nsd_holder_get_mntns(const struct nsd_holder *holder);
int nsd_holder_get_path(const struct nsd_holder *holder, char **ret);

pid_t nsd_proc_get_pid(const struct nsd_proc *proc);
pid_t nsd_proc_get_ppid(const struct nsd_proc *proc);
struct nsd_proc *nsd_proc_get_parent(const struct nsd_proc *proc);
uid_t nsd_proc_get_uid(const struct nsd_proc *proc);
unsigned long long nsd_proc_get_starttime(const struct nsd_proc *proc);
const char *nsd_proc_get_comm(const struct nsd_proc *proc);
const char *nsd_proc_get_command(struct nsd_proc *proc);
bool nsd_proc_is_denied(const struct nsd_proc *proc);
void nsd_proc_set_userdata(struct nsd_proc *proc, void *data);
void *nsd_proc_get_userdata(const struct nsd_proc *proc);
struct nsd_ns *nsd_proc_get_ns(const struct nsd_proc *proc, enum nsd_nstype type);
struct nsd_ns *nsd_proc_get_ns_for_children(const struct nsd_proc *proc, enum nsd_nstype type);

/* containers.c */

/** The containers of a host: found from the container engines' state and a graph's processes. */
struct nsd_containers;
/** One container of an engine: ID, name, init process. Owned by its set. */
struct nsd_container;

/** What the state files and the processes say about a container. */
enum nsd_container_status {
	NSD_CONTAINER_RUNNING,
	NSD_CONTAINER_STOPPED, /* the state says so, or no process is in it */
	NSD_CONTAINER_STALE,   /* the state names a process that is gone or is another one now */
};

const char *nsd_engine_to_name(unsigned index);
int nsd_engine_from_name(const char *name);
const char *nsd_engine_get_default_root(unsigned index);

struct nsd_containers *nsd_containers_new(struct nsd_graph *graph);
struct nsd_containers *nsd_containers_ref(struct nsd_containers *cs);
struct nsd_containers *nsd_containers_unref(struct nsd_containers *cs);
int nsd_containers_set_root(struct nsd_containers *cs, const char *engine, const char *dir);
int nsd_containers_scan(struct nsd_containers *cs);
struct nsd_graph *nsd_containers_get_graph(const struct nsd_containers *cs);
int nsd_containers_next(struct nsd_containers *cs, struct nsd_iter *itr, struct nsd_container **c);
int nsd_containers_next_warning(struct nsd_containers *cs, struct nsd_iter *itr, const char **path,
				int *error);
struct nsd_container *nsd_containers_find_proc(const struct nsd_containers *cs,
					       const struct nsd_proc *proc);
struct nsd_container *nsd_containers_find_ns(struct nsd_containers *cs, struct nsd_ns *ns);

const char *nsd_container_status_to_name(enum nsd_container_status status);
const char *nsd_container_get_engine(const struct nsd_container *c);
const char *nsd_container_get_id(const struct nsd_container *c);
const char *nsd_container_get_name(const struct nsd_container *c);
const char *nsd_container_get_pod(const struct nsd_container *c);
const char *nsd_container_get_k8s_namespace(const struct nsd_container *c);
enum nsd_container_status nsd_container_get_status(const struct nsd_container *c);
pid_t nsd_container_get_pid(const struct nsd_container *c);
struct nsd_proc *nsd_container_get_proc(const struct nsd_container *c);
unsigned nsd_container_get_host_namespaces(const struct nsd_container *c);
unsigned nsd_proc_get_host_namespaces(const struct nsd_proc *proc);

/* target.c */

/** What the user named on the command line, resolved to a pinned process or a namespace file. */
struct nsd_target;

/** The forms of a target argument. */
enum nsd_target_kind {
	NSD_TARGET_PID,       /* digits only */
	NSD_TARGET_NSFILE,    /* a path: a namespace file such as /run/netns/NAME */
	NSD_TARGET_CONTAINER, /* anything else: [ENGINE:]NAME, ID or ID prefix */
};

struct nsd_target *nsd_target_new(const char *arg);
struct nsd_target *nsd_target_ref(struct nsd_target *t);
struct nsd_target *nsd_target_unref(struct nsd_target *t);
int nsd_target_resolve(struct nsd_target *t, struct nsd_containers *cs);
int nsd_target_check(const struct nsd_target *t);
const char *nsd_target_get_arg(const struct nsd_target *t);
enum nsd_target_kind nsd_target_get_kind(const struct nsd_target *t);
const char *nsd_target_get_engine(const struct nsd_target *t);
const char *nsd_target_get_procfs(const struct nsd_target *t);
pid_t nsd_target_get_pid(const struct nsd_target *t);
unsigned long long nsd_target_get_starttime(const struct nsd_target *t);
int nsd_target_get_pidfd(const struct nsd_target *t);
int nsd_target_get_procfd(const struct nsd_target *t);
int nsd_target_get_nspid(const struct nsd_target *t, pid_t *ret);
int nsd_target_get_nstype(const struct nsd_target *t);
int nsd_target_open_ns(const struct nsd_target *t, enum nsd_nstype type);
struct nsd_container *nsd_target_get_container(const struct nsd_target *t);
int nsd_target_next_candidate(struct nsd_target *t, struct nsd_iter *itr, struct nsd_container **c);

/* mounts.c */

/** The mount table of one mount namespace, as one process sees it (its mountinfo). */
struct nsd_mounts;
/** One mount of a table (a line of mountinfo). Owned by its table. */
struct nsd_mount;

/** Propagation of a mount (shared:N, master:N, unbindable in mountinfo); 0 is private. */
enum nsd_propagation {
	NSD_PROPAGATION_SHARED = 1 << 0,
	NSD_PROPAGATION_SLAVE = 1 << 1,
	NSD_PROPAGATION_UNBINDABLE = 1 << 2,
};

/** Tags of a mount's block device, read by nsd_mounts_read_tags(). */
enum nsd_mount_tag {
	NSD_MOUNT_TAG_UUID,
	NSD_MOUNT_TAG_LABEL,
	NSD_MOUNT_TAG_PARTUUID,
	NSD_MOUNT_TAG_COUNT
};

struct nsd_mounts *nsd_mounts_new(void);
struct nsd_mounts *nsd_mounts_ref(struct nsd_mounts *mounts);
struct nsd_mounts *nsd_mounts_unref(struct nsd_mounts *mounts);
int nsd_mounts_read_pid(struct nsd_mounts *mounts, const char *procfs, pid_t pid, int pidfd);
int nsd_mounts_read_file(struct nsd_mounts *mounts, const char *path);
int nsd_mounts_parse(struct nsd_mounts *mounts, const char *buf, size_t len);
size_t nsd_mounts_get_error_line(const struct nsd_mounts *mounts);
size_t nsd_mounts_get_nmounts(const struct nsd_mounts *mounts);
int nsd_mounts_next_mount(struct nsd_mounts *mounts, struct nsd_iter *itr, struct nsd_mount **mnt);
int nsd_mounts_next_root(struct nsd_mounts *mounts, struct nsd_iter *itr, struct nsd_mount **mnt);
struct nsd_mount *nsd_mounts_find_id(const struct nsd_mounts *mounts, int id);
int nsd_mounts_resolve_host(struct nsd_mounts *mounts, struct nsd_mounts *host);
int nsd_mounts_read_tags(struct nsd_mounts *mounts);
int nsd_mounts_compare(struct nsd_mounts *a, struct nsd_mounts *b);

int nsd_mount_next_child(struct nsd_mount *mnt, struct nsd_iter *itr, struct nsd_mount **child);
struct nsd_mount *nsd_mount_get_parent(const struct nsd_mount *mnt);
int nsd_mount_get_id(const struct nsd_mount *mnt);
int nsd_mount_get_parent_id(const struct nsd_mount *mnt);
dev_t nsd_mount_get_devno(const struct nsd_mount *mnt);
const char *nsd_mount_get_target(const struct nsd_mount *mnt);
const char *nsd_mount_get_source(const struct nsd_mount *mnt);
const char *nsd_mount_get_fstype(const struct nsd_mount *mnt);
const char *nsd_mount_get_fsroot(const struct nsd_mount *mnt);
const char *nsd_mount_get_options(const struct nsd_mount *mnt);
const char *nsd_mount_get_vfs_options(const struct nsd_mount *mnt);
const char *nsd_mount_get_fs_options(const struct nsd_mount *mnt);
unsigned nsd_mount_get_propagation(const struct nsd_mount *mnt);
bool nsd_mount_is_writable(const struct nsd_mount *mnt);
bool nsd_mount_match_fstype(const struct nsd_mount *mnt, const char *pattern);
const char *nsd_mount_get_host_path(const struct nsd_mount *mnt);
const char *nsd_mount_get_exposure(const struct nsd_mount *mnt);
const char *nsd_mount_get_tag(const struct nsd_mount *mnt, enum nsd_mount_tag tag);
struct nsd_mount *nsd_mount_get_counterpart(const struct nsd_mount *mnt);
void nsd_mount_set_userdata(struct nsd_mount *mnt, void *data);
void *nsd_mount_get_userdata(const struct nsd_mount *mnt);

/* facts.c */

/** The capability sets of a process (capabilities(7)). */
enum nsd_caps {
	NSD_CAPS_INHERITABLE,
	NSD_CAPS_PERMITTED,
	NSD_CAPS_EFFECTIVE,
	NSD_CAPS_BOUNDING,
	NSD_CAPS_AMBIENT,
	NSD_CAPS_COUNT
};

/** One line of a uid_map or gid_map: IDs [outside, outside + count) are [inside, ...) inside. */
struct nsd_id_range {
	uint32_t inside;
	uint32_t outside;
	uint32_t count;
};

char nsd_proc_get_state(const struct nsd_proc *proc);
int nsd_proc_get_nspid(struct nsd_proc *proc, unsigned level, pid_t *ret);
int nsd_proc_get_pidns_level(struct nsd_proc *proc);
int nsd_proc_get_ids(struct nsd_proc *proc, uid_t ret_uid[4], gid_t ret_gid[4]);
int nsd_proc_get_caps(struct nsd_proc *proc, enum nsd_caps set, uint64_t *ret);
int nsd_proc_get_security(struct nsd_proc *proc, int *ret_no_new_privs, int *ret_seccomp);
const char *nsd_proc_get_exe(struct nsd_proc *proc);
bool nsd_proc_is_exe_deleted(struct nsd_proc *proc);
bool nsd_proc_is_exe_memfd(struct nsd_proc *proc);
int nsd_proc_get_start_time(const struct nsd_proc *proc, time_t *ret);
int nsd_proc_map_id(const struct nsd_proc *proc, bool gid, uint32_t id, uint32_t *ret);
int nsd_proc_open_in_root(const struct nsd_proc *proc, const char *path, int flags);
int nsd_proc_get_user_name(struct nsd_proc *proc, uid_t uid, char **ret);
int nsd_proc_get_id_map(struct nsd_proc *proc, bool gid, struct nsd_id_range **ret, size_t *ret_n);
int nsd_proc_get_lsm_label(struct nsd_proc *proc, char **ret);

/* caps.c */
const char *nsd_cap_to_name(unsigned cap);
int nsd_cap_from_name(const char *name);
uint64_t nsd_graph_get_all_caps(struct nsd_graph *graph);

/* net.c */

/** A net namespace: interfaces, addresses, routes and sockets with their processes. */
struct nsd_netinfo;
/** A network interface. Owned by its netinfo. */
struct nsd_netif;
/** An address of an interface. Owned by its netinfo. */
struct nsd_netaddr;
/** A route of the main table. Owned by its netinfo. */
struct nsd_netroute;
/** A socket (TCP, UDP, unix) of the namespace. Owned by its netinfo. */
struct nsd_socket;

/** The files of PROCFS/PID/net/ that list sockets. */
enum nsd_netfile {
	NSD_NETFILE_TCP,
	NSD_NETFILE_TCP6,
	NSD_NETFILE_UDP,
	NSD_NETFILE_UDP6,
	NSD_NETFILE_UNIX,
	NSD_NETFILE_COUNT
};

struct nsd_netinfo *nsd_netinfo_new(void);
struct nsd_netinfo *nsd_netinfo_unref(struct nsd_netinfo *ni);
int nsd_netinfo_read_interfaces(struct nsd_netinfo *ni, const struct nsd_target *t);
int nsd_netinfo_read_sockets(struct nsd_netinfo *ni, struct nsd_proc *proc);
int nsd_netinfo_next_interface(struct nsd_netinfo *ni, struct nsd_iter *itr, struct nsd_netif **nif);
int nsd_netinfo_next_address(struct nsd_netinfo *ni, struct nsd_iter *itr,
			     struct nsd_netaddr **addr);
int nsd_netinfo_next_route(struct nsd_netinfo *ni, struct nsd_iter *itr,
			   struct nsd_netroute **route);
int nsd_netinfo_next_socket(struct nsd_netinfo *ni, struct nsd_iter *itr, struct nsd_socket **sock);
int nsd_netif_get_index(const struct nsd_netif *nif);
const char *nsd_netif_get_name(const struct nsd_netif *nif);
bool nsd_netif_is_up(const struct nsd_netif *nif);
unsigned nsd_netif_get_mtu(const struct nsd_netif *nif);
const char *nsd_netif_get_mac(const struct nsd_netif *nif);
const char *nsd_netif_get_kind(const struct nsd_netif *nif);
const char *nsd_netaddr_get_interface(const struct nsd_netaddr *addr);
int nsd_netaddr_get_family(const struct nsd_netaddr *addr);
const char *nsd_netaddr_get_address(const struct nsd_netaddr *addr);
unsigned nsd_netaddr_get_prefixlen(const struct nsd_netaddr *addr);
int nsd_netroute_get_family(const struct nsd_netroute *route);
const char *nsd_netroute_get_destination(const struct nsd_netroute *route);
const char *nsd_netroute_get_gateway(const struct nsd_netroute *route);
const char *nsd_netroute_get_interface(const struct nsd_netroute *route);
const char *nsd_socket_get_protocol(const struct nsd_socket *sock);
const char *nsd_socket_get_state(const struct nsd_socket *sock);
bool nsd_socket_is_listening(const struct nsd_socket *sock);
const char *nsd_socket_get_local(const struct nsd_socket *sock);
const char *nsd_socket_get_remote(const struct nsd_socket *sock);
uint64_t nsd_socket_get_inode(const struct nsd_socket *sock);
struct nsd_proc *nsd_socket_get_proc(const struct nsd_socket *sock);

/* audit.c */

/** An audit of every container of a host against nsdebug's checks. */
struct nsd_audit;
/** One finding of an audit: a check that a container fails. Owned by its audit. */
struct nsd_finding;

/** How much a finding matters, in increasing order. */
enum nsd_severity {
	NSD_SEVERITY_INFO,
	NSD_SEVERITY_LOW,
	NSD_SEVERITY_MEDIUM,
	NSD_SEVERITY_HIGH,
	NSD_SEVERITY_CRITICAL,
	NSD_SEVERITY_COUNT
};

const char *nsd_severity_to_name(enum nsd_severity severity);
int nsd_severity_from_name(const char *name);
const char *nsd_audit_check_to_id(unsigned index);
int nsd_audit_check_get_severity(unsigned index);
struct nsd_audit *nsd_audit_new(struct nsd_containers *cs);
struct nsd_audit *nsd_audit_unref(struct nsd_audit *a);
void nsd_audit_set_host_mounts(struct nsd_audit *a, struct nsd_mounts *host);
int nsd_audit_run(struct nsd_audit *a);
int nsd_audit_next_finding(struct nsd_audit *a, struct nsd_iter *itr, struct nsd_finding **f);
const char *nsd_finding_get_id(const struct nsd_finding *f);
enum nsd_severity nsd_finding_get_severity(const struct nsd_finding *f);
const char *nsd_finding_get_reason(const struct nsd_finding *f);
struct nsd_container *nsd_finding_get_container(const struct nsd_finding *f);
struct nsd_proc *nsd_finding_get_proc(const struct nsd_finding *f);

/* bundle.c */

/** An evidence bundle: a tar with a manifest of SHA-256 hashes. */
struct nsd_bundle;

struct nsd_bundle *nsd_bundle_new(int fd);
struct nsd_bundle *nsd_bundle_unref(struct nsd_bundle *b);
int nsd_bundle_add_data(struct nsd_bundle *b, const char *name, const void *data, size_t len);
int nsd_bundle_add_proc_file(struct nsd_bundle *b, struct nsd_proc *proc, const char *file,
			     const char *name);
int nsd_bundle_add_root_file(struct nsd_bundle *b, struct nsd_proc *proc, const char *path);
int nsd_bundle_close(struct nsd_bundle *b, time_t when);

/* enter.c */

/** Joins a process's namespaces and runs a command there. */
struct nsd_enter;

/** Where nsd_enter_run() failed: the exit status nsdebug gives differs. */
enum nsd_enter_stage {
	NSD_ENTER_PREPARE, /* before the command: joining, mounting, ... */
	NSD_ENTER_COMMAND, /* finding or executing the command */
};

struct nsd_enter *nsd_enter_new(struct nsd_target *target);
struct nsd_enter *nsd_enter_unref(struct nsd_enter *e);
int nsd_enter_set_namespaces(struct nsd_enter *e, unsigned types);
int nsd_enter_set_command(struct nsd_enter *e, char *const argv[]);
int nsd_enter_set_workdir(struct nsd_enter *e, const char *dir);
void nsd_enter_set_target_env(struct nsd_enter *e, bool on);
void nsd_enter_set_fork(struct nsd_enter *e, bool on);
void nsd_enter_set_keep_caps(struct nsd_enter *e, bool on);
void nsd_enter_limit_caps(struct nsd_enter *e, uint64_t keep);
int nsd_enter_set_env(struct nsd_enter *e, const char *name, const char *value);
int nsd_enter_run(struct nsd_enter *e, int *ret_status);
const char *nsd_enter_get_failure(const struct nsd_enter *e);
enum nsd_enter_stage nsd_enter_get_failed_stage(const struct nsd_enter *e);

/* netns.c */
int nsd_netns_link(const struct nsd_target *target, const char *dir, const char *name);
int nsd_netns_unlink(const char *dir, const char *name);

#ifdef __cplusplus
}
#endif

#endif
