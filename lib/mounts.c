/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A mount namespace's mount table: mountinfo parsed by libmount, then indexed
 * by mount ID so that parent and children are O(1) and the whole tree O(n).
 * (findmnt finds each node's children by scanning the table, which is
 * quadratic: ~0.6 s at 5,000 mounts where reading the file takes 0.02 s.)
 *
 * mountinfo is untrusted input: a process in a container decides the paths
 * it mounts on, and a saved copy may be anything. Files are read whole with
 * a bound (and parsed as they are read, see feed.c), lines libmount cannot
 * parse are an error with their line number, and the tree survives absent
 * parents, duplicate IDs and parent loops.
 */
#include <blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "nsdebug-private.h"

DEFINE_CLEANUP_FUNC(struct libmnt_iter, mnt_free_iter)
DEFINE_CLEANUP_FUNC(struct blkid_struct_cache, blkid_put_cache)

static inline void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

struct nsd_mount {
	struct libmnt_fs *fs; /* strings are borrowed from it */
	int id, parent_id;
	dev_t devno;
	struct nsd_mount *parent; /* NULL for a root of the tree */
	struct nsd_mount *first_child, *last_child, *next_sibling;
	struct nsd_mount *next_root;

	/* index of a host table by (devno, fsroot); see origin_key() */
	struct nsd_mount *next_origin;

	char *host_path;
	const char *exposure; /* reason from exposures[], static */

	/* nsd_mounts_read_tags(): owned by the first mount of each device */
	char *tags[NSD_MOUNT_TAG_COUNT];
	bool owns_tags;

	/* nsd_mounts_compare() */
	struct nsd_mount *counterpart;
	struct nsd_mount *next_key;  /* another key with the same hash */
	struct nsd_mount *next_same; /* another mount with the same key */
	struct nsd_mount *unpaired;  /* on the first of a key: the next one to pair */

	void *userdata;
};

struct nsd_mounts {
	unsigned refcount;
	bool read;
	bool tags_read;
	size_t error_line;
	struct libmnt_table *tb;
	struct nsd_mount *mounts; /* file order */
	size_t nmounts;
	struct nsd_mount *first_root, *last_root;
	struct nsd_hash by_id;
	struct nsd_hash by_origin; /* built when the table is another's host */
};

/* Anything larger is not a mount table: 64 MiB is some 300,000 mounts of
 * ordinary length, and the kernel allows 100,000 per namespace by default. */
#define MOUNTINFO_MAX ((size_t)64 << 20)

/**
 * nsd_mounts_new:
 *
 * Returns: a new, empty mount table with one reference, to be filled by one
 * of nsd_mounts_read_pid(), nsd_mounts_read_file() or nsd_mounts_parse();
 * NULL with errno set on failure.
 */
NSD_EXPORT struct nsd_mounts *nsd_mounts_new(void)
{
	struct nsd_mounts *m = calloc(1, sizeof(*m));

	if (m)
		m->refcount = 1;
	return m;
}

/**
 * nsd_mounts_ref:
 * @mounts: mount table
 *
 * Returns: @mounts, with one more reference.
 */
NSD_EXPORT struct nsd_mounts *nsd_mounts_ref(struct nsd_mounts *mounts)
{
	if (mounts)
		mounts->refcount++;
	return mounts;
}

/**
 * nsd_mounts_unref:
 * @mounts: mount table or NULL
 *
 * Drops a reference; the last one frees the table and its mounts.
 *
 * Returns: NULL
 */
NSD_EXPORT struct nsd_mounts *nsd_mounts_unref(struct nsd_mounts *mounts)
{
	if (!mounts || --mounts->refcount > 0)
		return NULL;
	for (size_t i = 0; i < mounts->nmounts; i++) {
		struct nsd_mount *mnt = &mounts->mounts[i];

		free(mnt->host_path);
		if (mnt->owns_tags)
			for (int t = 0; t < NSD_MOUNT_TAG_COUNT; t++)
				free(mnt->tags[t]);
	}
	free(mounts->mounts);
	nsd_hash_done(&mounts->by_id);
	nsd_hash_done(&mounts->by_origin);
	mnt_unref_table(mounts->tb);
	free(mounts);
	return NULL;
}

static int on_parse_error(struct libmnt_table *tb, const char *filename, int line)
{
	struct nsd_mounts *m = mnt_table_get_userdata(tb);

	if (m->error_line == 0)
		m->error_line = line > 0 ? (size_t)line : 1;
	/* Stop at the first bad line: the rest of a broken file means little. */
	return -EBADMSG;
}

/* Line number (from 1) of the @n-th entry (from 0) of @buf, counted as
 * libmount counts: empty lines and '#' comments are no entries. */
static size_t line_of_entry(const char *buf, size_t len, size_t n)
{
	size_t line = 1;

	for (const char *p = buf, *end = buf + len; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *s = p;

		while (s < end && s != nl && (*s == ' ' || *s == '\t'))
			s++;
		if (s < end && s != nl && *s != '#' && n-- == 0)
			return line;
		if (!nl)
			break;
		p = nl + 1;
	}
	return line;
}

/* Breaks loops of parents (a forged file may have 1 -> 2 -> 1) so that the
 * tree has roots and no cycle. O(n): each mount's chain of parents is walked
 * once, marked in @state. Returns 0 or -ENOMEM. */
static int break_loops(struct nsd_mounts *m)
{
	enum { UNSEEN, ON_PATH, DONE };
	unsigned char *state = calloc(m->nmounts, 1);

	if (!state)
		return -ENOMEM;
	for (size_t i = 0; i < m->nmounts; i++) {
		struct nsd_mount *p, *q;
		bool loop;

		for (p = &m->mounts[i]; p && state[p - m->mounts] == UNSEEN; p = p->parent)
			state[p - m->mounts] = ON_PATH;
		loop = p && state[p - m->mounts] == ON_PATH;
		for (q = &m->mounts[i]; q && state[q - m->mounts] == ON_PATH; q = q->parent)
			state[q - m->mounts] = DONE;
		if (loop)
			p->parent = NULL; /* the loop closes at p: make it a root */
	}
	/* Freed by hand: clang's analyzer (./run.sh test on main) misses the
	 * cleanup attribute on this loop's paths. */
	free(state);
	return 0;
}

/* Links every mount to its parent and its parent's list of children, in file order. */
static int link_tree(struct nsd_mounts *m)
{
	int r;

	for (size_t i = 0; i < m->nmounts; i++) {
		struct nsd_mount *mnt = &m->mounts[i];
		struct nsd_mount *p = nsd_hash_get(&m->by_id, (uint64_t)mnt->parent_id);

		/* A root mount's parent is outside the namespace's view (or itself). */
		mnt->parent = p == mnt ? NULL : p;
	}
	r = break_loops(m);
	if (r < 0)
		return r;
	for (size_t i = 0; i < m->nmounts; i++) {
		struct nsd_mount *mnt = &m->mounts[i], *p = mnt->parent;

		if (p) {
			if (p->last_child)
				p->last_child->next_sibling = mnt;
			else
				p->first_child = mnt;
			p->last_child = mnt;
		} else {
			if (m->last_root)
				m->last_root->next_root = mnt;
			else
				m->first_root = mnt;
			m->last_root = mnt;
		}
	}
	return 0;
}

/* Fills the index from the parsed libmount table. Returns 0, -EBADMSG for an
 * entry that is not a mountinfo line, or -ENOMEM. */
static int build_index(struct nsd_mounts *m, const char *buf, size_t len)
{
	_cleanup_(mnt_free_iterp) struct libmnt_iter *itr = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	size_t n = 0;

	if (!itr)
		return -ENOMEM;
	m->nmounts = (size_t)mnt_table_get_nents(m->tb);
	if (m->nmounts == 0)
		return -ENODATA;
	m->mounts = calloc(m->nmounts, sizeof(*m->mounts));
	if (!m->mounts)
		return -ENOMEM;
	while (n < m->nmounts && mnt_table_next_fs(m->tb, itr, &fs) == 0) {
		struct nsd_mount *mnt = &m->mounts[n];

		/* A first line that does not start with a number makes libmount
		 * read the file as fstab; the kernel never writes negative IDs. */
		if (!mnt_fs_is_kernel(fs) || mnt_fs_get_id(fs) < 0 || mnt_fs_get_parent_id(fs) < 0 ||
		    !mnt_fs_get_target(fs) || !mnt_fs_get_root(fs)) {
			m->error_line = line_of_entry(buf, len, n);
			return -EBADMSG;
		}
		mnt->fs = fs;
		mnt->id = mnt_fs_get_id(fs);
		mnt->parent_id = mnt_fs_get_parent_id(fs);
		mnt->devno = mnt_fs_get_devno(fs);
		/* A duplicate ID (only in a forged file) keeps the first mount. */
		if (!nsd_hash_get(&m->by_id, (uint64_t)mnt->id) &&
		    nsd_hash_put(&m->by_id, (uint64_t)mnt->id, mnt) < 0)
			return -ENOMEM;
		n++;
	}
	return link_tree(m);
}

/* Parses @f into the libmount table of @userdata, a struct nsd_mounts. */
static int parse_stream(FILE *f, void *userdata)
{
	struct nsd_mounts *m = userdata;

	m->tb = mnt_new_table();
	if (!m->tb)
		return -ENOMEM;
	mnt_table_set_userdata(m->tb, m);
	mnt_table_set_parser_errcb(m->tb, on_parse_error);
	return mnt_table_parse_stream(m->tb, f, "mountinfo");
}

/* Checks @buf and the result of parsing it, then builds the index. */
static int finish_parse(struct nsd_mounts *m, const char *buf, size_t len, int parsed)
{
	const char *nul;
	int r;

	if (len == 0)
		return -ENODATA;
	/* The kernel escapes what paths may hold; a NUL means another kind of
	 * file. The first error counts: a parse that stopped at a line may have
	 * stopped the reading before a NUL further on. */
	nul = memchr(buf, '\0', len);
	if (nul) {
		size_t line = 1;

		for (const char *p = buf; (p = memchr(p, '\n', (size_t)(nul - p))); p++)
			line++;
		if (m->error_line == 0 || line < m->error_line)
			m->error_line = line;
	}
	/* libmount drops the callback's verdict on a bad last line, so the
	 * recorded line is what counts. */
	if (m->error_line)
		return -EBADMSG;
	if (parsed < 0)
		return parsed;
	r = build_index(m, buf, len);
	if (r < 0) {
		/* An empty table rather than half an index. */
		free(m->mounts);
		m->mounts = NULL;
		m->nmounts = 0;
		m->first_root = m->last_root = NULL;
		nsd_hash_done(&m->by_id);
	}
	return r;
}

/**
 * nsd_mounts_parse:
 * @mounts: a new mount table
 * @buf: the text of a mountinfo file (proc(5)), need not be NUL-terminated
 * @len: its length in bytes
 *
 * Parses @buf and builds the tree. Readers of files parse them as they read
 * them, to the same end; this is the entry point a fuzzer drives.
 *
 * Returns: 0; -EBADMSG when a line is not a mountinfo line (see
 * nsd_mounts_get_error_line()); -ENODATA when there is no mount; -EFBIG
 * beyond 64 MiB; -EALREADY when @mounts was read before; -ENOMEM.
 */
NSD_EXPORT int nsd_mounts_parse(struct nsd_mounts *mounts, const char *buf, size_t len)
{
	int parsed = 0;

	if (mounts->read)
		return -EALREADY;
	mounts->read = true;
	if (len > MOUNTINFO_MAX)
		return -EFBIG;
	if (len > 0) {
		_cleanup_(fclosep) FILE *f = fmemopen((void *)buf, len, "r");

		if (!f)
			return -errno;
		parsed = parse_stream(f, mounts);
	}
	return finish_parse(mounts, buf, len, parsed);
}

/* Reads @path relative to @dirfd, bounded, and parses it as it comes. */
static int read_at(struct nsd_mounts *mounts, int dirfd, const char *path)
{
	_cleanup_close_ int fd = -EBADF;
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r, parsed;

	if (mounts->read)
		return -EALREADY;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	mounts->read = true;
	r = nsd_read_parse_fd(fd, MOUNTINFO_MAX, parse_stream, mounts, &buf, &len, &parsed);
	if (r < 0)
		return r;
	if (r > 0)
		return -EFBIG;
	return finish_parse(mounts, buf, len, parsed);
}

/**
 * nsd_mounts_read_file:
 * @mounts: a new mount table
 * @path: a copy of a mountinfo file (tests, forensics of a saved copy)
 *
 * Returns: 0, the -errno of opening or reading @path, or an error of
 * nsd_mounts_parse().
 */
NSD_EXPORT int nsd_mounts_read_file(struct nsd_mounts *mounts, const char *path)
{
	return read_at(mounts, AT_FDCWD, path);
}

/**
 * nsd_mounts_read_pid:
 * @mounts: a new mount table
 * @procfs: the procfs to read, NULL for /proc
 * @pid: a process, as @procfs numbers it
 * @pidfd: a pidfd of that process, or a negative number for none
 *
 * Reads the mount table of @pid's mount namespace from PROCFS/PID/mountinfo.
 * With @pidfd, a PID reused by another process since the pidfd was opened is
 * detected: /proc/PID is opened first, then the pidfd must still name a live
 * process, so the directory is that process's.
 *
 * Returns: 0; -ESRCH when the process does not exist (or no longer); the
 * -errno of opening @procfs (-ENOENT, -ENOTDIR: no such directory) or of
 * reading (-EACCES); or an error of nsd_mounts_parse().
 */
NSD_EXPORT int nsd_mounts_read_pid(struct nsd_mounts *mounts, const char *procfs, pid_t pid,
				   int pidfd)
{
	_cleanup_close_ int procfd = -EBADF, dirfd = -EBADF;
	char name[16];
	int r;

	if (pid <= 0)
		return -EINVAL;
	procfd = open(procfs ? procfs : "/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return -errno;
	snprintf(name, sizeof(name), "%d", (int)pid);
	dirfd = openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (dirfd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	/* A pidfd polls readable once its process has exited. Not signal 0:
	 * that needs the right to signal it, which another user's process
	 * denies (EPERM) though its mountinfo is readable by all. */
	if (pidfd >= 0) {
		struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
		int n = poll(&pfd, 1, 0);

		if (n < 0)
			return -errno;
		if (n > 0)
			return -ESRCH;
	}
	r = read_at(mounts, dirfd, "mountinfo");
	/* The directory of a process that exited empties under its fd. */
	return r == -ENOENT ? -ESRCH : r;
}

/**
 * nsd_mounts_get_error_line:
 * @mounts: mount table
 *
 * Returns: the line (from 1) that made reading fail with -EBADMSG, or 0.
 */
NSD_EXPORT size_t nsd_mounts_get_error_line(const struct nsd_mounts *mounts)
{
	return mounts->error_line;
}

/**
 * nsd_mounts_get_nmounts:
 * @mounts: mount table
 *
 * Returns: the number of mounts.
 */
NSD_EXPORT size_t nsd_mounts_get_nmounts(const struct nsd_mounts *mounts)
{
	return mounts->nmounts;
}

/**
 * nsd_mounts_next_mount:
 * @mounts: mount table
 * @itr: iterator
 * @mnt: returns the mount
 *
 * Walks the mounts in the order of the file (the order they were mounted in).
 *
 * Returns: 0, or 1 at the end.
 */
NSD_EXPORT int nsd_mounts_next_mount(struct nsd_mounts *mounts, struct nsd_iter *itr,
				     struct nsd_mount **mnt)
{
	nsd_iter_start(itr, mounts);
	if (itr->idx >= mounts->nmounts)
		return 1;
	*mnt = &mounts->mounts[itr->idx++];
	return 0;
}

/* Walks a list linked by @next_offset from @first, remembering the position in @itr. */
static int next_linked(struct nsd_iter *itr, const void *owner, struct nsd_mount *first,
		       size_t next_offset, struct nsd_mount **mnt)
{
	struct nsd_mount *cur;

	if (nsd_iter_start(itr, owner))
		cur = first;
	else
		cur = itr->cur ? *(struct nsd_mount **)((char *)itr->cur + next_offset) : NULL;
	if (!cur) {
		itr->cur = NULL;
		return 1;
	}
	itr->cur = cur;
	*mnt = cur;
	return 0;
}

/**
 * nsd_mounts_next_root:
 * @mounts: mount table
 * @itr: iterator
 * @mnt: returns the mount
 *
 * Walks the roots of the tree in file order: the namespace's root mount, and
 * every mount whose parent is not in the table (a process's view that does
 * not start at its namespace's root, a file cut short), or that closes a
 * loop of parents in a forged file.
 *
 * Returns: 0, or 1 at the end.
 */
NSD_EXPORT int nsd_mounts_next_root(struct nsd_mounts *mounts, struct nsd_iter *itr,
				    struct nsd_mount **mnt)
{
	return next_linked(itr, &mounts->first_root, mounts->first_root,
			   offsetof(struct nsd_mount, next_root), mnt);
}

/**
 * nsd_mount_next_child:
 * @mnt: mount
 * @itr: iterator
 * @child: returns the child
 *
 * Walks the mounts whose parent is @mnt, in file order.
 *
 * Returns: 0, or 1 at the end.
 */
NSD_EXPORT int nsd_mount_next_child(struct nsd_mount *mnt, struct nsd_iter *itr,
				    struct nsd_mount **child)
{
	return next_linked(itr, mnt, mnt->first_child, offsetof(struct nsd_mount, next_sibling),
			   child);
}

/**
 * nsd_mounts_find_id:
 * @mounts: mount table
 * @id: mount ID
 *
 * Returns: the mount with ID @id (the first, should a forged file repeat it),
 * or NULL.
 */
NSD_EXPORT struct nsd_mount *nsd_mounts_find_id(const struct nsd_mounts *mounts, int id)
{
	return id < 0 ? NULL : nsd_hash_get(&mounts->by_id, (uint64_t)id);
}

/**
 * nsd_mount_get_parent:
 * @mnt: mount
 *
 * Returns: the mount @mnt is mounted on, or NULL for a root of the tree.
 */
NSD_EXPORT struct nsd_mount *nsd_mount_get_parent(const struct nsd_mount *mnt)
{
	return mnt->parent;
}

/**
 * nsd_mount_get_id:
 * @mnt: mount
 *
 * Returns: its mount ID (unique on the system while it is mounted).
 */
NSD_EXPORT int nsd_mount_get_id(const struct nsd_mount *mnt)
{
	return mnt->id;
}

/**
 * nsd_mount_get_parent_id:
 * @mnt: mount
 *
 * Returns: the mount ID of its parent as the file says, also when that mount
 * is not in the table.
 */
NSD_EXPORT int nsd_mount_get_parent_id(const struct nsd_mount *mnt)
{
	return mnt->parent_id;
}

/**
 * nsd_mount_get_devno:
 * @mnt: mount
 *
 * Returns: the device number of its filesystem (major 0 for filesystems
 * without a block device).
 */
NSD_EXPORT dev_t nsd_mount_get_devno(const struct nsd_mount *mnt)
{
	return mnt->devno;
}

/**
 * nsd_mount_get_target:
 * @mnt: mount
 *
 * Returns: its mount point, unescaped ("\040" is a space), as the process
 * whose table it is sees it.
 */
NSD_EXPORT const char *nsd_mount_get_target(const struct nsd_mount *mnt)
{
	return mnt_fs_get_target(mnt->fs);
}

/**
 * nsd_mount_get_source:
 * @mnt: mount
 *
 * Returns: the source the filesystem was mounted from ("/dev/sda1", "tmpfs",
 * "overlay"), or NULL when it has none.
 */
NSD_EXPORT const char *nsd_mount_get_source(const struct nsd_mount *mnt)
{
	return mnt_fs_get_source(mnt->fs);
}

/**
 * nsd_mount_get_fstype:
 * @mnt: mount
 *
 * Returns: the filesystem type, or NULL.
 */
NSD_EXPORT const char *nsd_mount_get_fstype(const struct nsd_mount *mnt)
{
	return mnt_fs_get_fstype(mnt->fs);
}

/**
 * nsd_mount_get_fsroot:
 * @mnt: mount
 *
 * Returns: the directory of its filesystem that is mounted: "/" for a whole
 * filesystem, the source directory for a bind mount.
 */
NSD_EXPORT const char *nsd_mount_get_fsroot(const struct nsd_mount *mnt)
{
	return mnt_fs_get_root(mnt->fs);
}

/**
 * nsd_mount_get_options:
 * @mnt: mount
 *
 * Returns: its mount options and its filesystem's, in one list, or NULL.
 */
NSD_EXPORT const char *nsd_mount_get_options(const struct nsd_mount *mnt)
{
	return mnt_fs_get_options(mnt->fs);
}

/**
 * nsd_mount_get_vfs_options:
 * @mnt: mount
 *
 * Returns: the options of this mount ("rw,nosuid,relatime"), or NULL.
 */
NSD_EXPORT const char *nsd_mount_get_vfs_options(const struct nsd_mount *mnt)
{
	return mnt_fs_get_vfs_options(mnt->fs);
}

/**
 * nsd_mount_get_fs_options:
 * @mnt: mount
 *
 * Returns: the options of its filesystem, shared by all its mounts, or NULL.
 */
NSD_EXPORT const char *nsd_mount_get_fs_options(const struct nsd_mount *mnt)
{
	return mnt_fs_get_fs_options(mnt->fs);
}

/**
 * nsd_mount_get_propagation:
 * @mnt: mount
 *
 * Returns: its propagation from the optional fields of mountinfo, a mask of
 * NSD_PROPAGATION_*; 0 is private.
 */
NSD_EXPORT unsigned nsd_mount_get_propagation(const struct nsd_mount *mnt)
{
	unsigned long fl = 0;
	unsigned r = 0;

	if (mnt_fs_get_propagation(mnt->fs, &fl) < 0)
		return 0;
	if (fl & MS_SHARED)
		r |= NSD_PROPAGATION_SHARED;
	if (fl & MS_SLAVE)
		r |= NSD_PROPAGATION_SLAVE;
	if (fl & MS_UNBINDABLE)
		r |= NSD_PROPAGATION_UNBINDABLE;
	return r;
}

static bool has_option(const char *optstr, const char *name)
{
	return optstr && mnt_optstr_get_option(optstr, name, NULL, NULL) == 0;
}

/**
 * nsd_mount_is_writable:
 * @mnt: mount
 *
 * Returns: true when neither the mount nor its filesystem is read-only.
 */
NSD_EXPORT bool nsd_mount_is_writable(const struct nsd_mount *mnt)
{
	return !has_option(mnt_fs_get_vfs_options(mnt->fs), "ro") &&
	       !has_option(mnt_fs_get_fs_options(mnt->fs), "ro");
}

/**
 * nsd_mount_match_fstype:
 * @mnt: mount
 * @pattern: filesystem types as mount(8) -t takes them: "tmpfs,proc";
 *           "no" before a type, or before the whole list, negates
 *
 * Returns: true when the filesystem type of @mnt matches @pattern.
 */
NSD_EXPORT bool nsd_mount_match_fstype(const struct nsd_mount *mnt, const char *pattern)
{
	return mnt_match_fstype(mnt_fs_get_fstype(mnt->fs), pattern) == 1;
}

/**
 * nsd_mount_set_userdata:
 * @mnt: mount
 * @data: a pointer of the caller's; the library never frees it
 */
NSD_EXPORT void nsd_mount_set_userdata(struct nsd_mount *mnt, void *data)
{
	mnt->userdata = data;
}

/**
 * nsd_mount_get_userdata:
 * @mnt: mount
 *
 * Returns: the pointer given to nsd_mount_set_userdata(), or NULL.
 */
NSD_EXPORT void *nsd_mount_get_userdata(const struct nsd_mount *mnt)
{
	return mnt->userdata;
}

/* FNV-1a: the origin and comparison indexes hash paths into nsd_hash's
 * integer keys; a chain per key keeps distinct strings apart. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

#define FNV_OFFSET 0xcbf29ce484222325ULL

static uint64_t origin_key(dev_t devno, const char *root, size_t len)
{
	uint64_t d = (uint64_t)devno;

	return fnv1a(fnv1a(FNV_OFFSET, &d, sizeof(d)), root, len);
}

static bool is_origin(const struct nsd_mount *h, dev_t devno, const char *root, size_t len)
{
	const char *r = mnt_fs_get_root(h->fs);

	return h->devno == devno && strlen(r) == len && memcmp(r, root, len) == 0;
}

static struct nsd_mount *find_origin(const struct nsd_mounts *host, dev_t devno, const char *root,
				     size_t len)
{
	struct nsd_mount *h = nsd_hash_get(&host->by_origin, origin_key(devno, root, len));

	while (h && !is_origin(h, devno, root, len))
		h = h->next_origin;
	return h;
}

/* Indexes @host by (devno, fsroot): where each directory of each filesystem
 * is mounted on the host. The first mount of a directory in file order wins. */
static int index_origins(struct nsd_mounts *host)
{
	for (size_t i = 0; i < host->nmounts; i++) {
		struct nsd_mount *mnt = &host->mounts[i], *head;
		const char *root = mnt_fs_get_root(mnt->fs);
		size_t len = strlen(root);
		uint64_t key = origin_key(mnt->devno, root, len);

		head = nsd_hash_get(&host->by_origin, key);
		if (!head) {
			if (nsd_hash_put(&host->by_origin, key, mnt) < 0)
				return -ENOMEM;
		} else if (!find_origin(host, mnt->devno, root, len)) {
			/* a different directory with the same hash */
			mnt->next_origin = head->next_origin;
			head->next_origin = mnt;
		}
	}
	return 0;
}

/* @a (of @alen bytes) is the path @b or a directory above it. */
static bool is_path_prefix(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen > blen || memcmp(a, b, alen) != 0)
		return false;
	return alen == blen || b[alen] == '/' || (alen == 1 && a[0] == '/');
}

/*
 * Where a mount's directory is on the host: the host mount of the same
 * filesystem whose FSROOT is the longest prefix of ours, plus the rest of our
 * FSROOT under its mount point. A bind mount of the host's
 * /var/lib/docker/containers/ID/hosts shows FSROOT
 * /var/lib/docker/containers/ID/hosts on the device of the host's /, which
 * the host mounts at /: the host path is /var/lib/docker/containers/ID/hosts.
 * Each prefix is one hash lookup, so this is linear in the length of FSROOT.
 */
static int host_path_of(const struct nsd_mount *mnt, const struct nsd_mounts *host, char **ret)
{
	const char *root = mnt_fs_get_root(mnt->fs);
	size_t len = strlen(root);

	for (;;) {
		const struct nsd_mount *h = find_origin(host, mnt->devno, root, len);

		if (h) {
			const char *target = mnt_fs_get_target(h->fs);
			/* below the host mount's root; "" when it is that root */
			const char *rest = len == 1 ? root : root + len;

			if (strcmp(rest, "/") == 0 || *rest == '\0')
				*ret = strdup(target);
			else if (strcmp(target, "/") == 0)
				*ret = strdup(rest);
			else if (asprintf(ret, "%s%s", target, rest) < 0)
				*ret = NULL;
			return *ret ? 1 : -ENOMEM;
		}
		/* nsfs roots ("net:[4026532]") are no paths: only the whole one counts */
		if (len <= 1 || root[0] != '/')
			return 0;
		while (len > 1 && root[len - 1] != '/')
			len--;
		if (len > 1)
			len--;
	}
}

/* An overlay's files are in its layers: its host origin is their list. */
static int overlay_host_path(const struct nsd_mount *mnt, char **ret)
{
	const char *opts = mnt_fs_get_fs_options(mnt->fs);
	char *upper = NULL, *lower = NULL;
	size_t ulen = 0, llen = 0;
	int r;

	if (!opts)
		return 0;
	if (mnt_optstr_get_option(opts, "upperdir", &upper, &ulen) != 0)
		upper = NULL;
	if (mnt_optstr_get_option(opts, "lowerdir", &lower, &llen) != 0)
		lower = NULL;
	if (upper && lower)
		r = asprintf(ret, "upperdir=%.*s,lowerdir=%.*s", (int)ulen, upper, (int)llen, lower);
	else if (upper || lower)
		r = asprintf(ret, "%s=%.*s", upper ? "upperdir" : "lowerdir",
			     (int)(upper ? ulen : llen), upper ? upper : lower);
	else
		return 0;
	return r < 0 ? -ENOMEM : 1;
}

enum exposure_match {
	EXPOSE_EXACT,   /* the host path is this path */
	EXPOSE_REACHES, /* ... this path or a directory above it */
	EXPOSE_WITHIN,  /* ... this path or anything below it */
	EXPOSE_BELOW,   /* ... anything below this path, not itself */
	EXPOSE_NAME,    /* ... a file of this name anywhere */
};

/*
 * Host paths that give a container what it must not have, with the reason
 * shown to the user. The first entry that matches a mount's host path names
 * it. Paths are the host's real ones: the kernel resolves symlinks when it
 * binds, so /var/run/docker.sock shows as /run/docker.sock where /var/run is
 * the usual symlink; the /var/run entry is for hosts where it is not, after
 * the state directories so that /var is named for what it surely holds.
 * An engine's own files under its state directory (a container's hosts
 * file, a volume) are what it gives every container, hence REACHES there:
 * only the directory itself or one above it is flagged.
 */
static const struct exposure {
	const char *path;
	enum exposure_match match;
	const char *fstype; /* only a filesystem of this type; NULL for any */
	bool writable;      /* only when the mount is writable */
	const char *reason;
} exposures[] = {
	{"/", EXPOSE_EXACT, NULL, false, "the host's root filesystem"},
	{"/run/docker.sock", EXPOSE_REACHES, NULL, false, "Docker API socket: root on the host"},
	{"/run/containerd/containerd.sock", EXPOSE_REACHES, NULL, false,
	 "containerd API socket: root on the host"},
	{"/run/podman/podman.sock", EXPOSE_REACHES, NULL, false,
	 "Podman API socket: root on the host"},
	{"/run/crio/crio.sock", EXPOSE_REACHES, NULL, false, "CRI-O API socket: root on the host"},
	/* Rootless engines and daemons started with -H put them elsewhere. */
	{"docker.sock", EXPOSE_NAME, NULL, false, "Docker API socket: root on the host"},
	{"containerd.sock", EXPOSE_NAME, NULL, false, "containerd API socket: root on the host"},
	{"podman.sock", EXPOSE_NAME, NULL, false, "Podman API socket: root on the host"},
	{"crio.sock", EXPOSE_NAME, NULL, false, "CRI-O API socket: root on the host"},
	{"/var/lib/docker", EXPOSE_REACHES, NULL, false, "Docker state: all containers and images"},
	{"/var/lib/containerd", EXPOSE_REACHES, NULL, false, "containerd state: all containers"},
	{"/var/lib/containers", EXPOSE_REACHES, NULL, false, "Podman/CRI-O storage: all containers"},
	{"/var/lib/kubelet", EXPOSE_REACHES, NULL, false, "kubelet state: all pods' volumes and secrets"},
	{"/var/lib/lxc", EXPOSE_REACHES, NULL, false, "LXC state: all containers"},
	{"/var/run/docker.sock", EXPOSE_REACHES, NULL, false, "Docker API socket: root on the host"},
	{"/etc", EXPOSE_REACHES, NULL, false, "host configuration (/etc)"},
	{"/proc", EXPOSE_WITHIN, "proc", true, "the host's /proc, writable"},
	{"/sys", EXPOSE_WITHIN, "sysfs", true, "the host's /sys, writable"},
	{"/dev", EXPOSE_EXACT, "devtmpfs", false, "the host's /dev: every device"},
	{"/dev", EXPOSE_BELOW, "devtmpfs", false, "a host device node (a disk: raw access to it)"},
};

/* True when @mnt is flagged for an engine's API socket: the entries whose
 * path names a socket file. */
bool nsd_mount_exposes_socket(const struct nsd_mount *mnt)
{
	for (size_t i = 0; mnt->exposure && i < ELEMENTSOF(exposures); i++) {
		size_t len = strlen(exposures[i].path);

		if (exposures[i].reason == mnt->exposure && len > 5 &&
		    strcmp(exposures[i].path + len - 5, ".sock") == 0)
			return true;
	}
	return false;
}

static const char *exposure_of(const char *path, size_t len, const char *fstype, bool writable)
{
	for (size_t i = 0; i < ELEMENTSOF(exposures); i++) {
		const struct exposure *e = &exposures[i];
		size_t elen = strlen(e->path);
		bool hit = false;

		if ((e->fstype && (!fstype || strcmp(e->fstype, fstype) != 0)) ||
		    (e->writable && !writable))
			continue;
		switch (e->match) {
		case EXPOSE_EXACT:
			hit = len == elen && memcmp(path, e->path, len) == 0;
			break;
		case EXPOSE_REACHES:
			hit = is_path_prefix(path, len, e->path, elen);
			break;
		case EXPOSE_WITHIN:
			hit = is_path_prefix(e->path, elen, path, len);
			break;
		case EXPOSE_BELOW:
			hit = len > elen && is_path_prefix(e->path, elen, path, len);
			break;
		case EXPOSE_NAME:
			hit = len > elen && path[len - elen - 1] == '/' &&
			      memcmp(path + len - elen, e->path, elen) == 0;
			break;
		}
		if (hit)
			return e->reason;
	}
	return NULL;
}

/* An overlay exposes what its layers are: the upper one as writable as the
 * mount, the lower ones read-only. */
static const char *overlay_exposure(const struct nsd_mount *mnt)
{
	const char *opts = mnt_fs_get_fs_options(mnt->fs), *reason = NULL;
	char *val;
	size_t len;

	if (opts && mnt_optstr_get_option(opts, "upperdir", &val, &len) == 0)
		reason = exposure_of(val, len, NULL, nsd_mount_is_writable(mnt));
	if (reason || !opts || mnt_optstr_get_option(opts, "lowerdir", &val, &len) != 0)
		return reason;
	while (!reason && len > 0) {
		const char *colon = memchr(val, ':', len);
		size_t n = colon ? (size_t)(colon - val) : len;

		reason = exposure_of(val, n, NULL, false);
		if (!colon)
			break;
		val += n + 1;
		len -= n + 1;
	}
	return reason;
}

/* The host's own mount, seen in its own namespace (mount IDs are unique on
 * the system): nothing the host does not already have. */
static bool is_host_mount(const struct nsd_mount *mnt, const struct nsd_mounts *host)
{
	const struct nsd_mount *h = nsd_mounts_find_id(host, mnt->id);

	return h && h->devno == mnt->devno &&
	       strcmp(mnt_fs_get_root(h->fs), mnt_fs_get_root(mnt->fs)) == 0 &&
	       strcmp(mnt_fs_get_target(h->fs), mnt_fs_get_target(mnt->fs)) == 0;
}

/**
 * nsd_mounts_resolve_host:
 * @mounts: mount table of a target
 * @host: mount table of the host (PID 1's), or the same table
 *
 * Finds where each mount of @mounts comes from in @host, and flags the ones
 * that give the target a host path that matters (see
 * nsd_mount_get_exposure()). O(n) in both tables; may be called again with
 * another host.
 *
 * Returns: 0 or -ENOMEM.
 */
NSD_EXPORT int nsd_mounts_resolve_host(struct nsd_mounts *mounts, struct nsd_mounts *host)
{
	int r;

	if (host->by_origin.count == 0 && host->nmounts > 0) {
		r = index_origins(host);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < mounts->nmounts; i++) {
		struct nsd_mount *mnt = &mounts->mounts[i];
		const char *fstype = mnt_fs_get_fstype(mnt->fs);
		bool overlay = fstype && strcmp(fstype, "overlay") == 0;

		free(mnt->host_path);
		mnt->host_path = NULL;
		mnt->exposure = NULL;
		r = overlay ? overlay_host_path(mnt, &mnt->host_path)
			    : host_path_of(mnt, host, &mnt->host_path);
		if (r < 0)
			return r;
		if (r == 0 || is_host_mount(mnt, host))
			continue;
		if (overlay)
			mnt->exposure = overlay_exposure(mnt);
		else
			mnt->exposure = exposure_of(mnt->host_path, strlen(mnt->host_path), fstype,
						    nsd_mount_is_writable(mnt));
		/* A block device's whole filesystem, which the host has mounted. */
		if (!mnt->exposure && major(mnt->devno) != 0 &&
		    strcmp(mnt_fs_get_root(mnt->fs), "/") == 0)
			mnt->exposure = "a whole filesystem of a host block device";
	}
	return 0;
}

/**
 * nsd_mount_get_host_path:
 * @mnt: mount
 *
 * Returns: after nsd_mounts_resolve_host(), where on the host the directory
 * mounted at @mnt is: the host's mount point of the same filesystem plus the
 * difference of their FSROOTs. For an overlay, its layers on the host as
 * "upperdir=DIR,lowerdir=DIR:DIR". NULL when the host has no mount of the
 * filesystem (the target's own tmpfs, proc, devpts).
 */
NSD_EXPORT const char *nsd_mount_get_host_path(const struct nsd_mount *mnt)
{
	return mnt->host_path;
}

/**
 * nsd_mount_get_exposure:
 * @mnt: mount
 *
 * Returns: after nsd_mounts_resolve_host(), why @mnt gives its target a host
 * path that matters (a container runtime's socket, the host's /, /etc, an
 * engine's state, a writable /proc or /sys, /dev or a device node, a whole
 * host block device), or NULL. A mount that is the host's own (same mount
 * ID: the target shares the host's mount namespace) is never flagged.
 */
NSD_EXPORT const char *nsd_mount_get_exposure(const struct nsd_mount *mnt)
{
	return mnt->exposure;
}

static const char *const tag_names[NSD_MOUNT_TAG_COUNT] = {
	[NSD_MOUNT_TAG_UUID] = "UUID",
	[NSD_MOUNT_TAG_LABEL] = "LABEL",
	[NSD_MOUNT_TAG_PARTUUID] = "PARTUUID",
};

/* The source names the mount's own block device here: the string is what the
 * mounter passed, so a container could name a FIFO or a watchdog device for
 * the prober to open. */
static bool is_own_block_device(const struct nsd_mount *mnt, const char *source)
{
	struct stat st;

	return source && source[0] == '/' && major(mnt->devno) != 0 && stat(source, &st) == 0 &&
	       S_ISBLK(st.st_mode) && st.st_rdev == mnt->devno;
}

/**
 * nsd_mounts_read_tags:
 * @mounts: mount table
 *
 * Reads UUID, LABEL and PARTUUID of the block device of each mount with
 * libblkid, one cache for the table, so each device is probed once. Devices
 * are found by source path where the caller runs, which must name a block
 * device with the mount's device number. Probing needs read access to the
 * devices (root). Does nothing when called again.
 *
 * Returns: 0 or -ENOMEM.
 */
NSD_EXPORT int nsd_mounts_read_tags(struct nsd_mounts *mounts)
{
	_cleanup_(blkid_put_cachep) struct blkid_struct_cache *cache = NULL;
	struct nsd_hash by_dev = {0};
	int r = 0;

	if (mounts->tags_read)
		return 0;
	/* /dev/null: no cache file of the host is read or written. */
	if (blkid_get_cache(&cache, "/dev/null") < 0)
		return -ENOMEM;
	for (size_t i = 0; r == 0 && i < mounts->nmounts; i++) {
		struct nsd_mount *mnt = &mounts->mounts[i], *owner;
		const char *source = mnt_fs_get_source(mnt->fs);

		owner = nsd_hash_get(&by_dev, (uint64_t)mnt->devno);
		if (owner) {
			memcpy(mnt->tags, owner->tags, sizeof(mnt->tags));
			continue;
		}
		if (!is_own_block_device(mnt, source))
			continue;
		mnt->owns_tags = true;
		for (int t = 0; t < NSD_MOUNT_TAG_COUNT; t++)
			mnt->tags[t] = blkid_get_tag_value(cache, tag_names[t], source);
		r = nsd_hash_put(&by_dev, (uint64_t)mnt->devno, mnt);
	}
	nsd_hash_done(&by_dev);
	if (r == 0)
		mounts->tags_read = true;
	return r;
}

/**
 * nsd_mount_get_tag:
 * @mnt: mount
 * @tag: NSD_MOUNT_TAG_UUID, _LABEL or _PARTUUID
 *
 * Returns: after nsd_mounts_read_tags(), that tag of the mount's block
 * device, or NULL.
 */
NSD_EXPORT const char *nsd_mount_get_tag(const struct nsd_mount *mnt, enum nsd_mount_tag tag)
{
	if ((unsigned)tag >= NSD_MOUNT_TAG_COUNT)
		return NULL;
	return mnt->tags[tag];
}

static bool streq_null(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* What makes two mounts "the same" across namespaces: mount IDs differ. */
static uint64_t compare_key(const struct nsd_mount *mnt)
{
	const char *parts[] = {mnt_fs_get_target(mnt->fs), mnt_fs_get_source(mnt->fs),
			       mnt_fs_get_root(mnt->fs)};
	uint64_t h = FNV_OFFSET;

	/* each with its NUL, so "a" "bc" and "ab" "c" differ; NULL hashes as "" plus 1 */
	for (size_t i = 0; i < ELEMENTSOF(parts); i++)
		h = parts[i] ? fnv1a(h, parts[i], strlen(parts[i]) + 1) : fnv1a(h, "\1", 2);
	return h;
}

static bool same_key(const struct nsd_mount *a, const struct nsd_mount *b)
{
	return streq_null(mnt_fs_get_target(a->fs), mnt_fs_get_target(b->fs)) &&
	       streq_null(mnt_fs_get_source(a->fs), mnt_fs_get_source(b->fs)) &&
	       streq_null(mnt_fs_get_root(a->fs), mnt_fs_get_root(b->fs));
}

/**
 * nsd_mounts_compare:
 * @a: mount table
 * @b: another mount table
 *
 * Pairs each mount of @a with one of @b that has the same target, source and
 * FSROOT (see nsd_mount_get_counterpart()). Mounts that appear several times
 * pair as many times as both have them. O(n) in both tables; a new call
 * replaces the pairs of an earlier one.
 *
 * Returns: 0 or -ENOMEM.
 */
NSD_EXPORT int nsd_mounts_compare(struct nsd_mounts *a, struct nsd_mounts *b)
{
	struct nsd_hash index = {0};
	int r = 0;

	for (size_t i = 0; i < a->nmounts; i++)
		a->mounts[i].counterpart = NULL;
	for (size_t i = 0; i < b->nmounts; i++) {
		struct nsd_mount *mnt = &b->mounts[i];

		mnt->counterpart = NULL;
		mnt->next_same = NULL;
		mnt->next_key = NULL;
		mnt->unpaired = mnt;
	}
	/* @b by key: one head per distinct key (heads of colliding keys chained
	 * by next_key), each head's run of equal mounts by next_same. */
	for (size_t i = 0; r == 0 && i < b->nmounts; i++) {
		struct nsd_mount *mnt = &b->mounts[i], *head;
		uint64_t key = compare_key(mnt);

		head = nsd_hash_get(&index, key);
		while (head && !same_key(head, mnt))
			head = head->next_key;
		if (head) {
			mnt->next_same = head->next_same;
			head->next_same = mnt;
		} else if ((head = nsd_hash_get(&index, key))) {
			mnt->next_key = head->next_key;
			head->next_key = mnt;
		} else {
			r = nsd_hash_put(&index, key, mnt);
		}
	}
	for (size_t i = 0; r == 0 && i < a->nmounts; i++) {
		struct nsd_mount *mnt = &a->mounts[i], *head;

		head = nsd_hash_get(&index, compare_key(mnt));
		while (head && !same_key(head, mnt))
			head = head->next_key;
		if (!head || !head->unpaired)
			continue;
		mnt->counterpart = head->unpaired;
		head->unpaired->counterpart = mnt;
		head->unpaired = head->unpaired->next_same;
	}
	nsd_hash_done(&index);
	return r;
}

/**
 * nsd_mount_get_counterpart:
 * @mnt: mount
 *
 * Returns: after nsd_mounts_compare(), the mount of the other table paired
 * with @mnt, or NULL when the other namespace has no such mount.
 */
NSD_EXPORT struct nsd_mount *nsd_mount_get_counterpart(const struct nsd_mount *mnt)
{
	return mnt->counterpart;
}
