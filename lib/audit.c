/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Audit: every running container of a host against one table of checks,
 * each a finding ID, a severity and a function that says, with a reason,
 * where a container breaks it. nsdebug-audit(1) documents every ID and how
 * to fix it; a new check is a row here and a paragraph there.
 *
 * Cost: one pass over the graph's processes (deleted executables), and per
 * container its mount table and the status of its init: linear in
 * processes and mounts.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nsdebug-private.h"

DEFINE_CLEANUP_FUNC(struct nsd_iter, nsd_iter_free)

struct nsd_finding {
	const char *id;
	enum nsd_severity severity;
	char *reason;
	struct nsd_container *container;
	struct nsd_proc *proc;
};

struct nsd_audit {
	unsigned refcount;
	struct nsd_containers *cs;
	struct nsd_mounts *host;
	bool ran;
	struct nsd_finding *findings;
	size_t n, alloc;
};

/* What the checks look at: one container, its facts read once. */
struct subject {
	struct nsd_audit *audit;
	struct nsd_container *c;
	struct nsd_proc *init;
	struct nsd_mounts *mounts; /* NULL when they cannot be read */
	int mounts_error;
	struct nsd_proc **procs; /* its processes */
	size_t nprocs;
};

struct check {
	const char *id;
	enum nsd_severity severity;
	int (*run)(struct subject *s, const struct check *ck);
};

static const char *const severity_names[NSD_SEVERITY_COUNT] = {
	[NSD_SEVERITY_INFO] = "info",	  [NSD_SEVERITY_LOW] = "low",
	[NSD_SEVERITY_MEDIUM] = "medium", [NSD_SEVERITY_HIGH] = "high",
	[NSD_SEVERITY_CRITICAL] = "critical",
};

/**
 * nsd_severity_to_name:
 * @severity: severity
 *
 * Returns: "info", "low", "medium", "high" or "critical"; NULL for another value.
 */
NSD_EXPORT const char *nsd_severity_to_name(enum nsd_severity severity)
{
	return (unsigned)severity < NSD_SEVERITY_COUNT ? severity_names[severity] : NULL;
}

/**
 * nsd_severity_from_name:
 * @name: a name of nsd_severity_to_name()
 *
 * Returns: the severity, or -EINVAL.
 */
NSD_EXPORT int nsd_severity_from_name(const char *name)
{
	for (int i = 0; i < NSD_SEVERITY_COUNT; i++)
		if (strcmp(severity_names[i], name) == 0)
			return i;
	return -EINVAL;
}

static __attribute__((format(printf, 4, 5))) int add(struct subject *s, const struct check *ck,
						     struct nsd_proc *p, const char *fmt, ...)
{
	struct nsd_audit *a = s->audit;
	struct nsd_finding *f;
	va_list ap;
	int r;

	if (a->n == a->alloc) {
		size_t na = a->alloc ? a->alloc * 2 : 16;

		f = reallocarray(a->findings, na, sizeof(*f));
		if (!f)
			return -ENOMEM;
		a->findings = f;
		a->alloc = na;
	}
	f = &a->findings[a->n];
	*f = (struct nsd_finding){.id = ck->id, .severity = ck->severity, .container = s->c,
				  .proc = p};
	va_start(ap, fmt);
	r = vasprintf(&f->reason, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	a->n++;
	return 0;
}

static int host_ns(struct subject *s, const struct check *ck, enum nsd_nstype type,
		   const char *what)
{
	if (!(nsd_proc_get_host_namespaces(s->init) & (1u << type)))
		return 0;
	return add(s, ck, s->init, "shares the host's %s namespace: %s", nsd_nstype_to_name(type),
		   what);
}

static int check_host_pid(struct subject *s, const struct check *ck)
{
	return host_ns(s, ck, NSD_NS_PID, "it sees and may signal or trace every host process");
}

static int check_host_net(struct subject *s, const struct check *ck)
{
	return host_ns(s, ck, NSD_NS_NET,
		       "it has the host's interfaces, ports and services on localhost");
}

static int check_host_ipc(struct subject *s, const struct check *ck)
{
	return host_ns(s, ck, NSD_NS_IPC, "it reaches the host's shared memory and message queues");
}

static bool has_caps(struct subject *s, uint64_t *ret)
{
	return nsd_proc_get_caps(s->init, NSD_CAPS_EFFECTIVE, ret) == 0;
}

static uint64_t all_caps(struct subject *s)
{
	return nsd_graph_get_all_caps(s->init->graph);
}

static int check_all_caps(struct subject *s, const struct check *ck)
{
	uint64_t set, all = all_caps(s);

	if (!has_caps(s, &set) || (set & all) != all)
		return 0;
	return add(s, ck, s->init, "its init has every capability the host's root has (privileged)");
}

static int check_sys_admin(struct subject *s, const struct check *ck)
{
	uint64_t set, all = all_caps(s);

	/* ALL-CAPS says it already. */
	if (!has_caps(s, &set) || (set & all) == all || !(set & (1ULL << CAP_SYS_ADMIN)))
		return 0;
	return add(s, ck, s->init, "its init has CAP_SYS_ADMIN: mounts, namespaces, most of root");
}

static int check_root_no_userns(struct subject *s, const struct check *ck)
{
	uid_t uids[4];

	if ((nsd_proc_get_host_namespaces(s->init) & (1u << NSD_NS_USER)) == 0 ||
	    nsd_proc_get_ids(s->init, uids, NULL) < 0 || uids[1] != 0)
		return 0;
	return add(s, ck, s->init, "its init runs as root without a user namespace: root on the host");
}

static int check_no_seccomp(struct subject *s, const struct check *ck)
{
	int seccomp;

	if (nsd_proc_get_security(s->init, NULL, &seccomp) < 0 || seccomp != 0)
		return 0;
	return add(s, ck, s->init, "its init has no seccomp filter: every system call is allowed");
}

/* The mount that @path of the container is on: the last one mounted on
 * the longest prefix of it. */
static struct nsd_mount *mount_of(struct nsd_mounts *mounts, const char *path)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_mount *mnt, *best = NULL;
	size_t best_len = 0;

	while (itr && nsd_mounts_next_mount(mounts, itr, &mnt) == 0) {
		const char *t = nsd_mount_get_target(mnt);
		size_t len = strlen(t);

		if (strncmp(t, path, len) != 0 ||
		    (path[len] != '/' && path[len] != '\0' && strcmp(t, "/") != 0))
			continue;
		if (len >= best_len) {
			best = mnt;
			best_len = len;
		}
	}
	return best;
}

static int writable_fs(struct subject *s, const struct check *ck, const char *path,
		       const char *fstype, const char *what)
{
	struct nsd_mount *mnt = s->mounts ? mount_of(s->mounts, path) : NULL;

	if (!mnt || !nsd_mount_is_writable(mnt) || !nsd_mount_match_fstype(mnt, fstype))
		return 0;
	return add(s, ck, s->init, "%s is writable: %s", path, what);
}

static int check_proc_sys(struct subject *s, const struct check *ck)
{
	return writable_fs(s, ck, "/proc/sys", "proc", "it can change the host kernel's settings");
}

static int check_sys(struct subject *s, const struct check *ck)
{
	return writable_fs(s, ck, "/sys", "sysfs", "it can change the host's devices and kernel");
}

/* Each mount of the container whose host path is @host (or below it, with
 * @below) and that it may write. */
static int writable_host_path(struct subject *s, const struct check *ck, const char *host,
			      bool below)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_mount *mnt;
	size_t len = strlen(host);
	int r = 0;

	if (!itr)
		return -ENOMEM;
	while (r == 0 && s->mounts && nsd_mounts_next_mount(s->mounts, itr, &mnt) == 0) {
		const char *hp = nsd_mount_get_host_path(mnt);

		if (!hp || !nsd_mount_is_writable(mnt) || strncmp(hp, host, len) != 0 ||
		    (hp[len] != '\0' && !(below && hp[len] == '/')))
			continue;
		r = add(s, ck, s->init, "the host's %s is mounted writable at %s", hp,
			nsd_mount_get_target(mnt));
	}
	return r;
}

static int check_host_root(struct subject *s, const struct check *ck)
{
	return writable_host_path(s, ck, "/", false);
}

static int check_host_etc(struct subject *s, const struct check *ck)
{
	return writable_host_path(s, ck, "/etc", true);
}

static bool is_host_root_or_etc(const struct nsd_mount *mnt)
{
	const char *hp = nsd_mount_get_host_path(mnt);

	return nsd_mount_is_writable(mnt) && hp &&
	       (strcmp(hp, "/") == 0 || strcmp(hp, "/etc") == 0 || strncmp(hp, "/etc/", 5) == 0);
}

/* Mounts flagged by the exposure table of lib/mounts.c: sockets here, the
 * rest (that HOST-ROOT-WRITABLE and HOST-ETC-WRITABLE do not name) there. */
static int exposures(struct subject *s, const struct check *ck, bool sockets)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_mount *mnt;
	int r = 0;

	if (!itr)
		return -ENOMEM;
	while (r == 0 && s->mounts && nsd_mounts_next_mount(s->mounts, itr, &mnt) == 0) {
		const char *why = nsd_mount_get_exposure(mnt);

		if (!why || nsd_mount_exposes_socket(mnt) != sockets ||
		    (!sockets && is_host_root_or_etc(mnt)))
			continue;
		r = add(s, ck, s->init, "%s at %s (host %s)", why, nsd_mount_get_target(mnt),
			nsd_mount_get_host_path(mnt));
	}
	return r;
}

static int check_runtime_socket(struct subject *s, const struct check *ck)
{
	return exposures(s, ck, true);
}

static int check_host_path(struct subject *s, const struct check *ck)
{
	return exposures(s, ck, false);
}

static int check_deleted_exe(struct subject *s, const struct check *ck)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < s->nprocs; i++) {
		struct nsd_proc *p = s->procs[i];

		if (nsd_proc_is_exe_deleted(p) && !nsd_proc_is_exe_memfd(p))
			r = add(s, ck, p, "PID %d runs an executable removed since: %s",
				(int)nsd_proc_get_pid(p), nsd_proc_get_exe(p));
	}
	return r;
}

static int check_memfd_exe(struct subject *s, const struct check *ck)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < s->nprocs; i++) {
		struct nsd_proc *p = s->procs[i];

		if (nsd_proc_is_exe_memfd(p))
			r = add(s, ck, p, "PID %d runs a program from memory, never on disk: %s",
				(int)nsd_proc_get_pid(p), nsd_proc_get_exe(p));
	}
	return r;
}

static int check_mounts_unread(struct subject *s, const struct check *ck)
{
	if (s->mounts)
		return 0;
	return add(s, ck, s->init, "its mount table could not be read (%s): mount checks skipped",
		   strerror(-s->mounts_error));
}

/* The checks, most severe first; nsdebug-audit(1) has a section per ID. */
static const struct check checks[] = {
	{"ALL-CAPS", NSD_SEVERITY_CRITICAL, check_all_caps},
	{"RUNTIME-SOCKET", NSD_SEVERITY_CRITICAL, check_runtime_socket},
	{"HOST-ROOT-WRITABLE", NSD_SEVERITY_CRITICAL, check_host_root},
	{"HOST-ETC-WRITABLE", NSD_SEVERITY_CRITICAL, check_host_etc},
	{"CAP-SYS-ADMIN", NSD_SEVERITY_HIGH, check_sys_admin},
	{"HOST-PID-NS", NSD_SEVERITY_HIGH, check_host_pid},
	{"HOST-NET-NS", NSD_SEVERITY_HIGH, check_host_net},
	{"PROC-SYS-WRITABLE", NSD_SEVERITY_HIGH, check_proc_sys},
	{"SYS-WRITABLE", NSD_SEVERITY_HIGH, check_sys},
	{"DELETED-EXE", NSD_SEVERITY_HIGH, check_deleted_exe},
	{"MEMFD-EXE", NSD_SEVERITY_HIGH, check_memfd_exe},
	{"HOST-IPC-NS", NSD_SEVERITY_MEDIUM, check_host_ipc},
	{"HOST-PATH-EXPOSED", NSD_SEVERITY_MEDIUM, check_host_path},
	{"ROOT-NO-USERNS", NSD_SEVERITY_MEDIUM, check_root_no_userns},
	{"NO-SECCOMP", NSD_SEVERITY_LOW, check_no_seccomp},
	{"MOUNTS-UNREADABLE", NSD_SEVERITY_INFO, check_mounts_unread},
};

/**
 * nsd_audit_check_to_id:
 * @index: 0, 1, ...
 *
 * Returns: the finding ID of check @index, or NULL after the last.
 */
NSD_EXPORT const char *nsd_audit_check_to_id(unsigned index)
{
	return index < ELEMENTSOF(checks) ? checks[index].id : NULL;
}

/**
 * nsd_audit_check_get_severity:
 * @index: 0, 1, ...
 *
 * Returns: the severity of the findings of check @index, or -EINVAL.
 */
NSD_EXPORT int nsd_audit_check_get_severity(unsigned index)
{
	return index < ELEMENTSOF(checks) ? (int)checks[index].severity : -EINVAL;
}

/**
 * nsd_audit_new:
 * @cs: the host's containers, scanned
 *
 * Returns: a new audit with one reference (it takes one on @cs), or NULL
 * with errno set.
 */
NSD_EXPORT struct nsd_audit *nsd_audit_new(struct nsd_containers *cs)
{
	struct nsd_audit *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->refcount = 1;
	a->cs = nsd_containers_ref(cs);
	return a;
}

/**
 * nsd_audit_unref:
 * @a: audit or NULL
 *
 * Returns: NULL
 */
NSD_EXPORT struct nsd_audit *nsd_audit_unref(struct nsd_audit *a)
{
	if (!a || --a->refcount > 0)
		return NULL;
	for (size_t i = 0; i < a->n; i++)
		free(a->findings[i].reason);
	free(a->findings);
	nsd_mounts_unref(a->host);
	nsd_containers_unref(a->cs);
	free(a);
	return NULL;
}

/**
 * nsd_audit_set_host_mounts:
 * @a: audit
 * @host: the host's mount table, read; a reference is taken
 *
 * Sets where the host paths of containers' mounts are looked up. Without
 * it, nsd_audit_run() reads that of PID 1 of the graph's procfs.
 */
NSD_EXPORT void nsd_audit_set_host_mounts(struct nsd_audit *a, struct nsd_mounts *host)
{
	nsd_mounts_unref(a->host);
	a->host = nsd_mounts_ref(host);
}

static int audit_container(struct nsd_audit *a, struct subject *s)
{
	struct nsd_graph *g = s->init->graph;
	int r;

	s->mounts = nsd_mounts_new();
	if (!s->mounts)
		return -ENOMEM;
	r = nsd_mounts_read_pid(s->mounts, g->procfs, s->init->pid, -EBADF);
	if (r == 0 && a->host)
		r = nsd_mounts_resolve_host(s->mounts, a->host);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		s->mounts_error = r;
		s->mounts = nsd_mounts_unref(s->mounts);
	}
	for (size_t i = 0; i < ELEMENTSOF(checks); i++) {
		r = checks[i].run(s, &checks[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The processes of each container, in one pass over the graph: @ret[i]
 * lists those of the i-th container of the set, in @procs. */
static int group_procs(struct nsd_audit *a, struct nsd_proc ***ret_procs, size_t **ret_start)
{
	struct nsd_graph *g = a->cs->graph;
	struct nsd_hash index = {0};
	size_t *count = calloc(a->cs->n + 1, sizeof(*count));
	struct nsd_proc **procs = calloc(g->nprocs + 1, sizeof(*procs));
	int r = 0;

	if (!count || !procs) {
		r = -ENOMEM;
		goto out;
	}
	/* Container pointer -> its index + 1 (a hash value may not be 0). */
	for (size_t i = 0; r == 0 && i < a->cs->n; i++)
		r = nsd_hash_put(&index, (uint64_t)(uintptr_t)a->cs->all[i], (void *)(uintptr_t)(i + 1));
	for (size_t i = 0; r == 0 && i < g->nprocs; i++) {
		struct nsd_container *c = nsd_containers_find_proc(a->cs, g->procs[i]);
		uintptr_t ci = c ? (uintptr_t)nsd_hash_get(&index, (uint64_t)(uintptr_t)c) : 0;

		if (ci)
			count[ci]++;
	}
	/* count[i + 1] becomes where the i-th container's processes start. */
	for (size_t i = 1; i <= a->cs->n; i++)
		count[i] += count[i - 1];
	for (size_t i = 0; r == 0 && i < g->nprocs; i++) {
		struct nsd_container *c = nsd_containers_find_proc(a->cs, g->procs[i]);
		uintptr_t ci = c ? (uintptr_t)nsd_hash_get(&index, (uint64_t)(uintptr_t)c) : 0;

		if (ci)
			procs[count[ci - 1]++] = g->procs[i];
	}
	/* The fills moved each start to the next one's: shift back. */
	for (size_t i = a->cs->n; i > 0; i--)
		count[i] = count[i - 1];
	count[0] = 0;
out:
	nsd_hash_done(&index);
	if (r < 0) {
		free(count);
		free(procs);
		return r;
	}
	*ret_procs = procs;
	*ret_start = count;
	return 0;
}

/**
 * nsd_audit_run:
 * @a: audit
 *
 * Runs every check on every running container of the set (a container
 * found by two engines once). Facts that cannot be read skip the checks
 * that need them; a container whose mount table cannot be read has a
 * MOUNTS-UNREADABLE finding.
 *
 * Returns: 0, -EALREADY when run before, or -ENOMEM.
 */
NSD_EXPORT int nsd_audit_run(struct nsd_audit *a)
{
	struct nsd_proc **procs = NULL;
	size_t *start = NULL;
	int r;

	if (a->ran)
		return -EALREADY;
	a->ran = true;
	if (!a->host) {
		struct nsd_mounts *host = nsd_mounts_new();

		if (!host)
			return -ENOMEM;
		/* Without the host's table the host-path checks find nothing. */
		if (nsd_mounts_read_pid(host, a->cs->graph->procfs, 1, -EBADF) == 0)
			a->host = host;
		else
			nsd_mounts_unref(host);
	}
	r = group_procs(a, &procs, &start);
	for (size_t i = 0; r == 0 && i < a->cs->n; i++) {
		struct nsd_container *c = a->cs->all[i];
		struct subject s = {.audit = a, .c = c, .init = c->proc, .procs = procs + start[i],
				    .nprocs = start[i + 1] - start[i]};

		if (c->dup_of || c->status != NSD_CONTAINER_RUNNING || !c->proc)
			continue;
		r = audit_container(a, &s);
		nsd_mounts_unref(s.mounts);
	}
	free(procs);
	free(start);
	return r;
}

/**
 * nsd_audit_next_finding:
 * @a: audit, run
 * @itr: iterator
 * @f: returns the finding
 *
 * Returns: 0, or 1 at the end; by container, then in the order of the
 * checks (most severe first).
 */
NSD_EXPORT int nsd_audit_next_finding(struct nsd_audit *a, struct nsd_iter *itr,
				      struct nsd_finding **f)
{
	nsd_iter_start(itr, a);
	if (itr->idx >= a->n)
		return 1;
	*f = &a->findings[itr->idx++];
	return 0;
}

/**
 * nsd_finding_get_id:
 * @f: finding
 *
 * Returns: its ID, such as "HOST-PID-NS" (nsdebug-audit(1) lists them).
 */
NSD_EXPORT const char *nsd_finding_get_id(const struct nsd_finding *f)
{
	return f->id;
}

/**
 * nsd_finding_get_severity:
 * @f: finding
 *
 * Returns: its severity.
 */
NSD_EXPORT enum nsd_severity nsd_finding_get_severity(const struct nsd_finding *f)
{
	return f->severity;
}

/**
 * nsd_finding_get_reason:
 * @f: finding
 *
 * Returns: one line that says what was found. It may quote paths of the
 * container, which may hold any bytes but NUL: escape it before printing.
 */
NSD_EXPORT const char *nsd_finding_get_reason(const struct nsd_finding *f)
{
	return f->reason;
}

/**
 * nsd_finding_get_container:
 * @f: finding
 *
 * Returns: the container it is about.
 */
NSD_EXPORT struct nsd_container *nsd_finding_get_container(const struct nsd_finding *f)
{
	return f->container;
}

/**
 * nsd_finding_get_proc:
 * @f: finding
 *
 * Returns: the process it is about: the container's init, or the one that
 * runs a deleted executable.
 */
NSD_EXPORT struct nsd_proc *nsd_finding_get_proc(const struct nsd_finding *f)
{
	return f->proc;
}
