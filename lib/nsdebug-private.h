/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internal interfaces of libnsdebug, shared by lib/ sources, unit tests and
 * fuzz harnesses (which link the static convenience library).
 */
#ifndef NSDEBUG_PRIVATE_H
#define NSDEBUG_PRIVATE_H

#include <stdint.h>
#include <stdio.h>

#include "macro.h"
#include "nsdebug.h"

#define NSD_EXPORT __attribute__((visibility("default")))

/* hash.c: open addressing, linear probing, keyed by a 64-bit integer.
 * A slot is empty when its value is NULL, so values must not be NULL. */
struct nsd_hash {
	uint64_t *keys;
	void **vals;
	size_t size; /* 0 or a power of two */
	size_t count;
};

int nsd_hash_put(struct nsd_hash *h, uint64_t key, void *val);
void *nsd_hash_get(const struct nsd_hash *h, uint64_t key);
void nsd_hash_done(struct nsd_hash *h);

/* iter.c */
struct nsd_holder {
	enum nsd_holder_kind kind;
	struct nsd_ns *ns;     /* the namespace it holds */
	struct nsd_proc *proc; /* NULL for a ghost; for a mount, the process whose mountinfo showed it */
	pid_t tid;             /* thread */
	int fd;                /* fd */
	char *mountpoint;      /* mount, as its mount namespace sees it */
	struct nsd_ns *mntns;  /* mount */
	struct nsd_holder *next;
};

struct nsd_iter {
	const void *owner; /* the list being walked; another owner restarts */
	size_t idx;
	void *cur;
	/* nsd_ns_next_holder(): member processes are not stored as holders
	 * (that would cost an allocation per process and type in every walk),
	 * so the iterator lends this one for them. */
	struct nsd_holder member;
};

/* Makes @itr walk @owner, restarting when it walked something else. Returns true on a restart. */
bool nsd_iter_start(struct nsd_iter *itr, const void *owner);

/* nstype.c */
/* The link of a namespace of @type under /proc/PID ("ns/net"), and of the one
 * its children will get where that can differ ("ns/pid_for_children", else NULL). */
const char *nsd_nstype_path(enum nsd_nstype type);
const char *nsd_nstype_children_path(enum nsd_nstype type);

/* proc.c: bounded readers and parsers of /proc files; no globals, fuzzable. */
#define NSD_COMM_MAX 64
#define NSD_STAT_MAX 4096
#define NSD_CMDLINE_MAX ((size_t)128 * 1024)

struct nsd_stat {
	char comm[NSD_COMM_MAX];
	char state;
	pid_t ppid;
	unsigned long nthreads;       /* field 20 */
	unsigned long long starttime; /* field 22, clock ticks since boot */
};

int nsd_read_at(int dirfd, const char *path, char *buf, size_t size, size_t *ret_len);
int nsd_read_alloc_at(int dirfd, const char *path, size_t max, char **ret, size_t *ret_len);
int nsd_read_alloc_fd(int fd, size_t max, char **ret, size_t *ret_len);
/* A bounded read of a whole file, a read(2) at a time. */
struct nsd_reader {
	int fd;
	size_t max;
	char *buf;
	size_t len, size;
	bool eof, cut;
	int error;
};
void nsd_reader_more(struct nsd_reader *r);
int nsd_read_parse_fd(int fd, size_t max, int (*parse)(FILE *f, void *userdata), void *userdata,
		      char **ret, size_t *ret_len, int *ret_parsed);
int nsd_parse_pid(const char *s, pid_t *ret);
int nsd_parse_stat(const char *buf, size_t len, struct nsd_stat *ret);
int nsd_parse_ns_link(const char *link, size_t len, enum nsd_nstype type, ino_t *ret);
int nsd_parse_ns_link_any(const char *link, size_t len, enum nsd_nstype *ret_type, ino_t *ret);
int nsd_parse_cmdline(const char *buf, size_t len, char **ret);

/* /proc/PID/status: what nsdebug reads of it. */
#define NSD_STATUS_MAX 16384
#define NSD_NSPID_MAX 33 /* pid namespaces nest 32 deep, plus the initial one */
struct nsd_status {
	uid_t uid[4]; /* real, effective, saved, filesystem */
	gid_t gid[4];
	pid_t nspid[NSD_NSPID_MAX]; /* from the procfs's pid namespace down to the process's */
	unsigned nnspid;
	uint64_t cap[NSD_CAPS_COUNT]; /* enum nsd_caps */
	int no_new_privs; /* -1: the kernel does not say */
	int seccomp;      /* -1: the kernel does not say; else SECCOMP_MODE_* */
	unsigned have;    /* NSD_STATUS_HAVE_* of the lines found */
};
enum {
	NSD_STATUS_HAVE_UID = 1 << 0,
	NSD_STATUS_HAVE_GID = 1 << 1,
	NSD_STATUS_HAVE_NSPID = 1 << 2,
	NSD_STATUS_HAVE_CAPS = 1 << 3,
};
int nsd_parse_status(const char *buf, size_t len, struct nsd_status *ret);
/* uid_map/gid_map: the ID that @outside (an ID of the parent namespace) has inside. */
int nsd_parse_id_map(const char *buf, size_t len, uint32_t outside, uint32_t *ret);
/* uid_map/gid_map: all lines, at most @max; returns how many. */
int nsd_parse_id_ranges(const char *buf, size_t len, struct nsd_id_range *ret, size_t max);
/* attr/current: the LSM label, free with free(). */
int nsd_parse_lsm_label(const char *buf, size_t len, char **ret);

/* /proc/PID/net/{tcp,tcp6,udp,udp6,unix}: one socket of a line. */
#define NSD_UNIX_PATH_MAX 256 /* 108 of sun_path, '@' and escapes of an abstract name fit */
struct nsd_sock_entry {
	enum nsd_netfile file;
	unsigned char local[16], remote[16]; /* inet: the address bytes (4 of them for IPv4) */
	uint16_t local_port, remote_port;
	unsigned state; /* inet: TCP_* (UDP uses TCP_ESTABLISHED, TCP_CLOSE); unix: SS_* */
	unsigned type;  /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
	bool listening;
	uint32_t uid; /* inet only */
	uint64_t inode;
	char path[NSD_UNIX_PATH_MAX]; /* unix: "" for none, "@..." abstract */
};
int nsd_parse_net_sockets(const char *buf, size_t len, enum nsd_netfile file,
			  int (*cb)(const struct nsd_sock_entry *e, void *userdata), void *userdata);
/* /etc/passwd (or group): the name of @id, free with free(). */
int nsd_parse_passwd_name(const char *buf, size_t len, uint32_t id, char **ret);
int nsd_read_ns_link_at(int dirfd, const char *path, enum nsd_nstype type, ino_t *ret);
int nsd_openat2(int dirfd, const char *path, int flags, unsigned long long resolve);
int nsd_parse_cgroup_line(const char *line, size_t len, const char **ret_path, size_t *ret_len);

/* graph.c: the objects; walk.c fills them in. */
struct nsd_ns {
	enum nsd_nstype type;
	ino_t inode;
	size_t nprocs;
	struct nsd_proc *first, *last; /* members, in walk order, linked by next_member[type] */
	struct nsd_proc *lowest;       /* member with the lowest PID */
	/* lowest PID holding it otherwise: *_for_children, a thread, an fd */
	struct nsd_proc *lowest_holder;
	struct nsd_holder *holders, *holders_last; /* all but members, in order of discovery */
	unsigned holder_kinds; /* 1u << NSD_HOLDER_* */
	/* NSD_SCAN_HIERARCHY: the inodes are read first (during the walk where
	 * a process has it), the namespaces resolved after it. */
	bool hierarchy_read;
	ino_t parent_ino, owner_ino;
	struct nsd_ns *parent, *owner;
	struct nsd_ns *via; /* a ghost: the namespace it is the parent or owner of */
	unsigned long via_request; /* NS_GET_PARENT or NS_GET_USERNS on @via gives it */
	bool has_owner_uid;
	uid_t owner_uid;
	/* NSD_SCAN_NETNSID */
	bool has_netnsid;
	int netnsid; /* -1: none assigned */
	void *userdata;
};

struct nsd_proc {
	struct nsd_graph *graph;
	pid_t pid;
	pid_t ppid;
	uid_t uid;
	unsigned long long starttime;
	char comm[NSD_COMM_MAX];
	char *command; /* read by the walk for the lowest PIDs, by others on first use */
	bool command_read;
	char state;          /* of stat, field 3 */
	struct nsd_status *status; /* read on first use (facts.c) */
	int status_error;    /* why it could not be read, 0 before */
	char *exe;           /* the exe link, read on first use */
	int exe_error;
	char *passwd;        /* its root's /etc/passwd, read on first use */
	size_t passwd_len;
	int passwd_error;
	void *userdata;
	bool denied; /* some ns links were EACCES/EPERM */
	struct nsd_proc *parent;
	struct nsd_ns *ns[NSD_NS_COUNT];
	struct nsd_ns *ns_for_children[NSD_NS_COUNT]; /* only where it differs from ns[] */
	struct nsd_proc *next_member[NSD_NS_COUNT];
};

struct nsd_graph {
	unsigned refcount;
	char *procfs;
	int procfd;
	bool scanned;
	unsigned flags; /* NSD_SCAN_* of the scan */
	ino_t self[NSD_NS_COUNT]; /* namespaces of the caller, from the procfs's "self"; 0 unknown */
	dev_t nsfs_dev;           /* device of nsfs, from "self"; 0 unknown */
	size_t ndenied;
	time_t btime; /* boot time from the procfs's stat, read on first use (facts.c) */
	struct nsd_proc **procs; /* walk order */
	size_t nprocs, procs_alloc;
	struct nsd_ns **nss; /* sorted by inode once the walk ends */
	size_t nnss, nss_alloc;
	struct nsd_hash proc_by_pid;
	struct nsd_hash ns_by_inode;
};

/* Returns @array with room for more than @n elements of @size bytes (it doubles), or NULL. */
void *nsd_grow_array(void *array, size_t *alloc, size_t n, size_t size);
struct nsd_proc *nsd_graph_add_proc(struct nsd_graph *g, const struct nsd_stat *st, pid_t pid,
				    uid_t uid);
struct nsd_ns *nsd_graph_add_ns(struct nsd_graph *g, enum nsd_nstype type, ino_t inode);
void nsd_ns_add_member(struct nsd_ns *ns, struct nsd_proc *proc);
void nsd_graph_finish(struct nsd_graph *g);

/* holder.c */
/* Adds a holder of @kind to @ns; the fields beyond proc are set by the caller
 * on the returned holder. NULL on ENOMEM. */
struct nsd_holder *nsd_ns_add_holder(struct nsd_ns *ns, enum nsd_holder_kind kind,
				     struct nsd_proc *proc);
void nsd_ns_free_holders(struct nsd_ns *ns);

/* mounts.c */
bool nsd_mount_exposes_socket(const struct nsd_mount *mnt);

/* workers.c: work split between a thread per CPU. */
#define NSD_MAX_WORKERS 4
size_t nsd_count_workers(size_t n, size_t min_each);
void nsd_run_workers(void *(*fn)(void *arg), void *args, size_t size, size_t k);

/* mountinfo.c: the nsfs mounts of every mount namespace of the graph. */
int nsd_graph_scan_mounts(struct nsd_graph *g);

/* hierarchy.c */
/* What ioctl_ns(2) tells of a namespace: 0 for an inode it does not give. */
struct nsd_hier {
	bool read;
	ino_t owner_ino, parent_ino;
	bool has_owner_uid;
	uid_t owner_uid;
};
/* Reads the hierarchy of the namespace of @type open at @fd into @ret. */
void nsd_read_hierarchy(int fd, enum nsd_nstype type, struct nsd_hier *ret);
void nsd_ns_set_hierarchy(struct nsd_ns *ns, const struct nsd_hier *h);
int nsd_graph_scan_hierarchy(struct nsd_graph *g);
int nsd_graph_scan_netnsids(struct nsd_graph *g);

/* net.c: rtnetlink messages (RTM_NEWLINK, _NEWADDR, _NEWROUTE) into @ni. */
int nsd_parse_rtnl(struct nsd_netinfo *ni, const void *buf, size_t len);

/* facts.c */
int nsd_proc_open_dir(const struct nsd_proc *p);
bool nsd_proc_is_same(const struct nsd_proc *p, int dirfd);

/* process.c: the command line of the process of @pidfd, its /proc/PID,
 * free with free(); NULL when it has none or it cannot be read. */
char *nsd_read_command_at(int pidfd);

/* containers.c */
#define NSD_ENGINE_COUNT 8

struct nsd_engine;

struct nsd_container {
	const struct nsd_engine *engine;
	char *id, *name, *pod, *k8s_namespace;
	pid_t state_pid;                    /* the init the state names, 0 for none */
	unsigned long long state_starttime; /* its start time, 0 when the state has none */
	bool state_stopped;                 /* the state says it is not running */
	enum nsd_container_status status;
	struct nsd_proc *proc;        /* the init, while running */
	struct nsd_container *dup_of; /* the same container found by a higher-level engine */
	struct nsd_container *next_same_id; /* chain of containers.by_id */
};

struct nsd_warning {
	char *path;
	int error;
};

struct nsd_containers {
	unsigned refcount;
	struct nsd_graph *graph;
	char *roots[NSD_ENGINE_COUNT]; /* NULL: the default; "": the engine is not read */
	bool scanned;
	struct nsd_container **all; /* sorted by engine, name, ID once scanned */
	size_t n, alloc;
	struct nsd_hash by_id;    /* hash of the ID -> chain of containers */
	struct nsd_hash by_pid;   /* PID -> container of every process that has one */
	struct nsd_hash by_pidns; /* pid namespace inode -> container whose init made it */
	struct nsd_hash by_ns;    /* namespace inode -> container of all its members, or &none */
	struct nsd_warning *warnings;
	size_t nwarnings, warnings_alloc;
	const struct nsd_engine *cur; /* the engine being read, and its root */
	const char *cur_root;
	struct nsd_container none; /* by_pid value of a process known to be in no container */
};

const struct nsd_engine *nsd_engine_get(unsigned index);
/* The container @id of @engine (NULL: any engine), or NULL. */
struct nsd_container *nsd_containers_find_id(const struct nsd_containers *cs,
					     const struct nsd_engine *engine, const char *id,
					     size_t len);

#endif
