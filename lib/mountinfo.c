/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Namespaces held by nsfs bind mounts (ip netns add, docker's /run/docker/netns),
 * in every mount namespace the walk found, not only the caller's: a
 * namespace mounted only inside a container's private mount namespace is
 * found too. One mountinfo per mount namespace, read through a process in it,
 * its nsfs lines parsed with libmount; linear in mount namespaces times their
 * mounts.
 */
#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
#include <stdio.h>
#include <string.h>

#include "nsdebug-private.h"

DEFINE_CLEANUP_FUNC(struct libmnt_table, mnt_unref_table)
DEFINE_CLEANUP_FUNC(struct libmnt_iter, mnt_free_iter)
DEFINE_CLEANUP_FUNC(FILE, fclose)

/* A line libmount cannot parse is skipped, not the whole mount namespace. */
static int skip_bad_line(struct libmnt_table *tb, const char *filename, int line)
{
	return 1;
}

/* Records the nsfs mounts of @tb, read through @p, as holders. Returns 0 or -ENOMEM. */
static int add_mounts(struct nsd_graph *g, struct nsd_ns *mntns, struct nsd_proc *p,
		      struct libmnt_table *tb)
{
	_cleanup_(mnt_free_iterp) struct libmnt_iter *itr = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;

	if (!itr)
		return -ENOMEM;
	while (mnt_table_next_fs(tb, itr, &fs) == 0) {
		const char *fstype = mnt_fs_get_fstype(fs), *root = mnt_fs_get_root(fs);
		const char *target = mnt_fs_get_target(fs);
		enum nsd_nstype type;
		struct nsd_holder *h;
		struct nsd_ns *ns;
		ino_t ino;

		/* The root of an nsfs mount is the namespace, "net:[4026532177]". */
		if (!fstype || strcmp(fstype, "nsfs") != 0 || !root || !target ||
		    nsd_parse_ns_link_any(root, strlen(root), &type, &ino) < 0)
			continue;
		ns = nsd_graph_add_ns(g, type, ino);
		if (!ns) {
			if (errno == ENOMEM)
				return -ENOMEM;
			continue;
		}
		h = nsd_ns_add_holder(ns, NSD_HOLDER_MOUNT, p);
		if (!h)
			return -ENOMEM;
		h->mntns = mntns;
		h->mountpoint = strdup(target);
		if (!h->mountpoint)
			return -ENOMEM;
	}
	return 0;
}

/* A mountinfo of thousands of mounts is some 100 bytes each; beyond this it is cut. */
#define MOUNTINFO_MAX ((size_t)64 << 20)

/*
 * Keeps the lines of nsfs mounts of the @len bytes of mountinfo in @buf, in
 * place. Returns their length. A mount point or source cannot hold " - nsfs "
 * literally: the kernel escapes spaces there as \040.
 */
static size_t keep_nsfs_lines(char *buf, size_t len)
{
	size_t out = 0;

	for (size_t pos = 0; pos < len;) {
		char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) + 1 : len;

		if (memmem(buf + pos, end - pos, " - nsfs ", 8)) {
			memmove(buf + out, buf + pos, end - pos);
			out += end - pos;
		}
		pos = end;
	}
	return out;
}

/*
 * Reads the mountinfo of @mntns through member @p, and keeps its nsfs lines
 * in *@ret (NULL when there are none). Returns 0, 1 when it could not (@p
 * exited, or is no longer in @mntns), or -ENOMEM. Only reads the graph: the
 * workers call it at once.
 */
static int read_nsfs_lines(const struct nsd_graph *g, const struct nsd_ns *mntns,
			   const struct nsd_proc *p, char **ret, size_t *ret_len)
{
	_cleanup_close_ int pidfd = -EBADF;
	_cleanup_free_ char *buf = NULL;
	char name[16];
	size_t len;
	ino_t ino;
	int r;

	snprintf(name, sizeof(name), "%d", (int)p->pid);
	pidfd = openat(g->procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (pidfd < 0)
		return 1;
	r = nsd_read_alloc_at(pidfd, "mountinfo", MOUNTINFO_MAX, &buf, &len);
	if (r == -ENOMEM)
		return r;
	/* The file shows the mount namespace of its opening; checked after it,
	 * a PID reused by a process of another namespace is not believed. */
	if (r < 0 || nsd_read_ns_link_at(pidfd, "ns/mnt", NSD_NS_MNT, &ino) < 0 ||
	    ino != mntns->inode)
		return 1;
	*ret_len = keep_nsfs_lines(buf, len);
	*ret = *ret_len ? TAKE_PTR(buf) : NULL;
	return 0;
}

/* The mountinfo of one mount namespace, as a worker read it. */
struct mntns_read {
	struct nsd_ns *ns;
	struct nsd_proc *proc; /* the member it was read through; NULL: none could be */
	char *nsfs;            /* its nsfs lines; NULL: none */
	size_t len;
	int error;             /* -ENOMEM */
};

struct mntns_part {
	const struct nsd_graph *g;
	struct mntns_read *reads;
	size_t n;
};

/* A worker: reads its part through the first member still in each namespace
 * (members are in PID order). */
static void *read_part(void *arg)
{
	struct mntns_part *part = arg;

	for (size_t i = 0; i < part->n; i++) {
		struct mntns_read *rd = &part->reads[i];

		for (struct nsd_proc *p = rd->ns->first; p; p = p->next_member[NSD_NS_MNT]) {
			int r = read_nsfs_lines(part->g, rd->ns, p, &rd->nsfs, &rd->len);

			if (r < 0)
				rd->error = r;
			if (r <= 0) {
				rd->proc = p;
				break;
			}
		}
	}
	return NULL;
}

/* libmount parses the nsfs lines of @rd, which become holders. Returns 0 or -ENOMEM. */
static int add_read(struct nsd_graph *g, const struct mntns_read *rd)
{
	_cleanup_(mnt_unref_tablep) struct libmnt_table *tb = NULL;
	_cleanup_(fclosep) FILE *f = NULL;
	char name[16];

	f = fmemopen(rd->nsfs, rd->len, "r");
	tb = mnt_new_table();
	if (!f || !tb)
		return -ENOMEM;
	mnt_table_set_parser_errcb(tb, skip_bad_line);
	snprintf(name, sizeof(name), "%d", (int)rd->proc->pid);
	if (mnt_table_parse_stream(tb, f, name) < 0)
		return 0;
	return add_mounts(g, rd->ns, rd->proc, tb);
}

/* Fewer mount namespaces per worker than this are not worth a thread. */
#define MIN_PER_WORKER 16

int nsd_graph_scan_mounts(struct nsd_graph *g)
{
	_cleanup_free_ struct mntns_read *reads = NULL;
	struct mntns_part parts[NSD_MAX_WORKERS];
	size_t n = 0, k;
	int r = 0;

	/* The mount namespaces found so far. Those that only mounts hold have
	 * no process to read them through; add_read() may add such ones. */
	reads = calloc(g->nnss ? g->nnss : 1, sizeof(*reads));
	if (!reads)
		return -ENOMEM;
	for (size_t i = 0; i < g->nnss; i++)
		if (g->nss[i]->type == NSD_NS_MNT)
			reads[n++].ns = g->nss[i];
	/* The kernel writing mountinfo is most of the time: read in parallel,
	 * added to the graph in order, in this thread. */
	k = nsd_count_workers(n, MIN_PER_WORKER);
	for (size_t i = 0; i < k; i++)
		parts[i] = (struct mntns_part){
			.g = g,
			.reads = reads + n * i / k,
			.n = n * (i + 1) / k - n * i / k,
		};
	nsd_run_workers(read_part, parts, sizeof(parts[0]), k);
	for (size_t i = 0; i < n; i++) {
		if (r == 0)
			r = reads[i].error;
		if (r == 0 && reads[i].nsfs)
			r = add_read(g, &reads[i]);
		free(reads[i].nsfs);
	}
	return r;
}
