/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internal interfaces of libnsdebug, shared by lib/ sources, unit tests and
 * fuzz harnesses (which link the static convenience library).
 */
#ifndef NSDEBUG_PRIVATE_H
#define NSDEBUG_PRIVATE_H

#include <stdint.h>

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
struct nsd_iter {
	const void *owner; /* the list being walked; another owner restarts */
	size_t idx;
	void *cur;
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
	unsigned long long starttime; /* field 22, clock ticks since boot */
};

int nsd_read_at(int dirfd, const char *path, char *buf, size_t size, size_t *ret_len);
int nsd_read_alloc_at(int dirfd, const char *path, size_t max, char **ret, size_t *ret_len);
int nsd_parse_pid(const char *s, pid_t *ret);
int nsd_parse_stat(const char *buf, size_t len, struct nsd_stat *ret);
int nsd_parse_ns_link(const char *link, size_t len, enum nsd_nstype type, ino_t *ret);
int nsd_parse_cmdline(const char *buf, size_t len, char **ret);
int nsd_read_ns_link_at(int dirfd, const char *path, enum nsd_nstype type, ino_t *ret);
int nsd_openat2(int dirfd, const char *path, int flags, unsigned long long resolve);

/* graph.c: the objects; walk.c fills them in. */
struct nsd_ns {
	enum nsd_nstype type;
	ino_t inode;
	size_t nprocs;
	struct nsd_proc *first, *last; /* members, in walk order, linked by next_member[type] */
	struct nsd_proc *lowest;       /* member with the lowest PID */
	struct nsd_proc *lowest_child_holder; /* lowest PID whose *_for_children is this one */
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
	size_t ndenied;
	struct nsd_proc **procs; /* walk order */
	size_t nprocs, procs_alloc;
	struct nsd_ns **nss; /* sorted by inode once the walk ends */
	size_t nnss, nss_alloc;
	struct nsd_hash proc_by_pid;
	struct nsd_hash ns_by_inode;
};

struct nsd_proc *nsd_graph_add_proc(struct nsd_graph *g, const struct nsd_stat *st, pid_t pid,
				    uid_t uid);
struct nsd_ns *nsd_graph_add_ns(struct nsd_graph *g, enum nsd_nstype type, ino_t inode);
void nsd_ns_add_member(struct nsd_ns *ns, struct nsd_proc *proc);
void nsd_ns_add_child_holder(struct nsd_ns *ns, struct nsd_proc *proc);
void nsd_graph_finish(struct nsd_graph *g);

/* process.c: reads the command line of @proc through @pidfd, its /proc/PID. */
void nsd_proc_read_command(struct nsd_proc *proc, int pidfd);

#endif
