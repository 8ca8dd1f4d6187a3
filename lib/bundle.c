/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Evidence bundles: a tar (libarchive) of what nsdebug saw of a target,
 * with a manifest of the SHA-256 (nettle) of every member and the time
 * of collection, written last: manifest.json for people and tools, and
 * SHA256SUMS for "sha256sum -c".
 *
 * Files of the target's root are opened with RESOLVE_IN_ROOT (through
 * nsd_proc_open_in_root()), so a symlink the container planted resolves
 * inside the container, never to the host's file; they are read with
 * O_NOATIME, so that reading them changes nothing, not even access times.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "nsdebug-private.h"

/*
 * libarchive and nettle are opened when the first bundle is made, not
 * linked: libarchive with its own dependencies (libxml2, ICU, libstdc++,
 * compressors) would add about 2 ms to the start of every nsdebug command,
 * most of nsenter's whole run time (tests/bench/enter.sh), and nettle
 * 0.1 ms, for three functions only collect uses.
 */
#define LIBARCHIVE_SONAME "libarchive.so.13"
#define LIBARCHIVE_FUNCTIONS(X)                                                                    \
	X(archive_entry_free)\
	X(archive_entry_new)\
	X(archive_entry_set_filetype)\
	X(archive_entry_set_gid)\
	X(archive_entry_set_mtime)\
	X(archive_entry_set_pathname)\
	X(archive_entry_set_perm)\
	X(archive_entry_set_size)\
	X(archive_entry_set_uid)\
	X(archive_errno)\
	X(archive_write_close)\
	X(archive_write_data)\
	X(archive_write_finish_entry)\
	X(archive_write_free)\
	X(archive_write_header)\
	X(archive_write_new)\
	X(archive_write_open_fd)\
	X(archive_write_set_format_pax_restricted)

/* The names behind nettle's sha256_init() and friends, which are macros. */
#define LIBNETTLE_SONAME "libnettle.so.8"
#define LIBNETTLE_FUNCTIONS(X)                                                                     \
	X(nettle_sha256_digest)\
	X(nettle_sha256_init)\
	X(nettle_sha256_update)

#define DECLARE_SYM(f) static typeof(f) *sym_##f;
LIBARCHIVE_FUNCTIONS(DECLARE_SYM)
LIBNETTLE_FUNCTIONS(DECLARE_SYM)

/* Returns 0, or -ELIBACC when libarchive or nettle cannot be opened. */
static int load_libraries(void)
{
	static bool loaded;
	void *archive, *nettle;

	if (loaded)
		return 0;
	archive = dlopen(LIBARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL);
	nettle = dlopen(LIBNETTLE_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!archive || !nettle)
		return -ELIBACC;
#define LOAD_SYM(dl, f)                                                                            \
	if (!(sym_##f = (typeof(f) *)dlsym(dl, #f)))                                               \
		return -ELIBACC;
#define LOAD_ARCHIVE_SYM(f) LOAD_SYM(archive, f)
#define LOAD_NETTLE_SYM(f) LOAD_SYM(nettle, f)
	LIBARCHIVE_FUNCTIONS(LOAD_ARCHIVE_SYM)
	LIBNETTLE_FUNCTIONS(LOAD_NETTLE_SYM)
	loaded = true;
	return 0;
}

static void archive_entry_freep(struct archive_entry **e)
{
	if (*e)
		sym_archive_entry_free(*e);
}

/* A file of a container: anything larger is no evidence nsdebug should hold in memory. */
#define ROOT_FILE_MAX ((size_t)256 << 20)
#define PROC_FILE_MAX ((size_t)64 << 20)

struct member {
	char *name;
	char sha256[2 * 32 + 1];
	size_t size;
	char *path;   /* a file of the target's root: the path asked for */
	char *link;   /* ... when it was a symlink, where it pointed */
	int error;    /* ... why it is not in the bundle (then name is NULL) */
};

struct nsd_bundle {
	unsigned refcount;
	struct archive *ar;
	bool closed;
	int error; /* the first failure of the archive: later writes are refused */
	struct member *members;
	size_t n, alloc;
};

/**
 * nsd_bundle_new:
 * @fd: where the tar is written (a file opened for writing; not closed)
 *
 * The first bundle of a process opens libarchive and nettle.
 *
 * Returns: a new bundle with one reference, or NULL with errno set (ELIBACC
 * when libarchive or nettle cannot be opened).
 */
NSD_EXPORT struct nsd_bundle *nsd_bundle_new(int fd)
{
	struct nsd_bundle *b;
	int r = load_libraries();

	if (r < 0) {
		errno = -r;
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->refcount = 1;
	b->ar = sym_archive_write_new();
	if (!b->ar || sym_archive_write_set_format_pax_restricted(b->ar) != ARCHIVE_OK ||
	    sym_archive_write_open_fd(b->ar, fd) != ARCHIVE_OK) {
		int e = b->ar ? sym_archive_errno(b->ar) : 0;

		if (b->ar)
			sym_archive_write_free(b->ar);
		free(b);
		errno = e > 0 ? e : ENOMEM;
		return NULL;
	}
	return b;
}

/**
 * nsd_bundle_unref:
 * @b: bundle or NULL
 *
 * The last reference frees it; a bundle not closed with nsd_bundle_close()
 * is left incomplete (no manifest).
 *
 * Returns: NULL
 */
NSD_EXPORT struct nsd_bundle *nsd_bundle_unref(struct nsd_bundle *b)
{
	if (!b || --b->refcount > 0)
		return NULL;
	sym_archive_write_free(b->ar);
	for (size_t i = 0; i < b->n; i++) {
		free(b->members[i].name);
		free(b->members[i].path);
		free(b->members[i].link);
	}
	free(b->members);
	free(b);
	return NULL;
}

static struct member *new_member(struct nsd_bundle *b)
{
	if (b->n == b->alloc) {
		size_t na = b->alloc ? b->alloc * 2 : 8;
		struct member *m = reallocarray(b->members, na, sizeof(*m));

		if (!m)
			return NULL;
		b->members = m;
		b->alloc = na;
	}
	b->members[b->n] = (struct member){0};
	return &b->members[b->n++];
}

static void sha256_hex(const void *data, size_t len, char hex[2 * SHA256_DIGEST_SIZE + 1])
{
	uint8_t md[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;

	sym_nettle_sha256_init(&ctx);
	sym_nettle_sha256_update(&ctx, len, data);
	sym_nettle_sha256_digest(&ctx, sizeof(md), md);
	for (size_t i = 0; i < sizeof(md); i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* Writes one member; @st gives its mode, owner and times (NULL: ours, now). */
static int write_member(struct nsd_bundle *b, struct member *m, const char *name,
			const void *data, size_t len, const struct stat *st)
{
	_cleanup_(archive_entry_freep) struct archive_entry *e = sym_archive_entry_new();

	if (b->closed)
		return -EALREADY;
	if (b->error)
		return b->error;
	if (!e)
		return -ENOMEM;
	sha256_hex(data, len, m->sha256);
	m->name = strdup(name);
	if (!m->name)
		return -ENOMEM;
	m->size = len;
	sym_archive_entry_set_pathname(e, name);
	sym_archive_entry_set_filetype(e, AE_IFREG);
	sym_archive_entry_set_size(e, (la_int64_t)len);
	if (st) {
		sym_archive_entry_set_perm(e, st->st_mode & 07777);
		sym_archive_entry_set_uid(e, st->st_uid);
		sym_archive_entry_set_gid(e, st->st_gid);
		sym_archive_entry_set_mtime(e, st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
	} else {
		sym_archive_entry_set_perm(e, 0600);
		sym_archive_entry_set_mtime(e, time(NULL), 0);
	}
	if (sym_archive_write_header(b->ar, e) != ARCHIVE_OK ||
	    (len && sym_archive_write_data(b->ar, data, len) != (la_ssize_t)len) ||
	    sym_archive_write_finish_entry(b->ar) != ARCHIVE_OK) {
		int r = sym_archive_errno(b->ar);

		b->error = r > 0 ? -r : -EIO;
		return b->error;
	}
	return 0;
}

/* A member name: no absolute path, no "." or ".." component, nothing empty. */
static bool is_safe_name(const char *name)
{
	const char *p = name;

	if (!*name || *name == '/')
		return false;
	for (;;) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!p[n])
			return true;
		p += n + 1;
	}
}

/**
 * nsd_bundle_add_data:
 * @b: bundle
 * @name: the member's name: a relative path without "." or ".." components
 * @data: its content
 * @len: its length
 *
 * Returns: 0; -EINVAL for a bad @name; -EALREADY after nsd_bundle_close();
 * or the -errno of writing (later calls fail the same way).
 */
NSD_EXPORT int nsd_bundle_add_data(struct nsd_bundle *b, const char *name, const void *data,
				   size_t len)
{
	struct member *m;
	int r;

	if (!is_safe_name(name))
		return -EINVAL;
	m = new_member(b);
	if (!m)
		return -ENOMEM;
	r = write_member(b, m, name, data, len, NULL);
	/* Only files of the target's root are listed with the reason they are missing. */
	if (r < 0) {
		free(m->name);
		b->n--;
	}
	return r;
}

/**
 * nsd_bundle_add_proc_file:
 * @b: bundle
 * @proc: process
 * @file: a file of its /proc/PID: "mountinfo", "status", "cgroup"...
 * @name: the member's name, as for nsd_bundle_add_data()
 *
 * Adds the file as it is now, read while the process is still the one the
 * walk saw (at most 64 MiB).
 *
 * Returns: 0; -ESRCH when the process exited; -ENOENT when it has no such
 * file; -EFBIG; or as nsd_bundle_add_data().
 */
NSD_EXPORT int nsd_bundle_add_proc_file(struct nsd_bundle *b, struct nsd_proc *proc,
					const char *file, const char *name)
{
	_cleanup_close_ int dirfd = nsd_proc_open_dir(proc);
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	if (dirfd < 0)
		return dirfd;
	r = nsd_read_alloc_at(dirfd, file, PROC_FILE_MAX, &buf, &len);
	if (r < 0)
		return r == -ENOENT && !nsd_proc_is_same(proc, dirfd) ? -ESRCH : r;
	if (r > 0)
		return -EFBIG;
	if (!nsd_proc_is_same(proc, dirfd))
		return -ESRCH;
	return nsd_bundle_add_data(b, name, buf, len);
}

/* Where the symlink @path of @proc's root points, or NULL when it is none. */
static char *link_target(struct nsd_proc *proc, const char *path)
{
	_cleanup_close_ int fd = nsd_proc_open_in_root(proc, path, O_PATH | O_NOFOLLOW);
	char buf[4096];
	struct stat st;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISLNK(st.st_mode))
		return NULL;
	n = readlinkat(fd, "", buf, sizeof(buf) - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

/* Reads the regular file @path of @proc's root, without touching its access time. */
static int read_root_file(struct nsd_proc *proc, const char *path, char **ret, size_t *ret_len,
			  struct stat *st)
{
	/* O_NONBLOCK: a FIFO planted at @path does not hang the open. */
	_cleanup_close_ int fd = nsd_proc_open_in_root(proc, path,
						       O_RDONLY | O_NOCTTY | O_NONBLOCK | O_NOATIME);
	int r;

	/* O_NOATIME needs the file's owner or CAP_FOWNER. */
	if (fd == -EPERM)
		fd = nsd_proc_open_in_root(proc, path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0)
		return -errno;
	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	r = nsd_read_alloc_fd(fd, ROOT_FILE_MAX, ret, ret_len);
	return r > 0 ? -EFBIG : r;
}

/**
 * nsd_bundle_add_root_file:
 * @b: bundle
 * @proc: the target's process
 * @path: an absolute path in its root filesystem
 *
 * Adds the regular file @path of the root of @proc as "root/PATH", with its
 * mode, owner and modification time. Symlinks are followed inside that root
 * only (RESOLVE_IN_ROOT): an absolute link or ".." never leaves it. The file
 * is read whole, at most 256 MiB, with O_NOATIME. A file that cannot be
 * added is listed in the manifest with the reason, which this returns.
 *
 * Returns: 0; -EINVAL for a @path that is not absolute, has "." or ".."
 * components, or is no regular file (the manifest says "not a regular
 * file"); -ENOENT, -EFBIG, -ESRCH (the process
 * exited); or as nsd_bundle_add_data().
 */
NSD_EXPORT int nsd_bundle_add_root_file(struct nsd_bundle *b, struct nsd_proc *proc,
					const char *path)
{
	_cleanup_free_ char *buf = NULL, *name = NULL;
	struct member *m = new_member(b);
	struct stat st;
	size_t len = 0;
	int r;

	if (!m)
		return -ENOMEM;
	m->path = strdup(path);
	if (!m->path)
		return -ENOMEM;
	m->error = -EINVAL;
	if (path[0] != '/' || asprintf(&name, "root%s", path) < 0 || !is_safe_name(name))
		return m->error;
	m->link = link_target(proc, path);
	r = read_root_file(proc, path, &buf, &len, &st);
	m->error = r;
	if (r < 0)
		return r;
	m->error = write_member(b, m, name, buf, len, &st);
	return m->error;
}

static struct json_object *must(struct json_object *o, int *r)
{
	if (!o)
		*r = -ENOMEM;
	return o;
}

/* manifest.json: the time and every member, with its hash, or why it is missing. */
static int manifest_json(struct nsd_bundle *b, time_t when, char **ret)
{
	struct json_object *root = json_object_new_object(), *arr = json_object_new_array();
	struct tm tm;
	int r = root && arr && gmtime_r(&when, &tm) ? 0 : -ENOMEM;

	if (r == 0) {
		char stamp[32];

		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_object_object_add(root, "time", must(json_object_new_string(stamp), &r));
		json_object_object_add(root, "members", json_object_get(arr));
	}
	for (size_t i = 0; r == 0 && i < b->n; i++) {
		const struct member *m = &b->members[i];
		struct json_object *o = must(json_object_new_object(), &r);

		if (!o)
			break;
		json_object_array_add(arr, o);
		if (m->name) {
			json_object_object_add(o, "name", must(json_object_new_string(m->name), &r));
			json_object_object_add(o, "sha256", must(json_object_new_string(m->sha256), &r));
			json_object_object_add(o, "size", must(json_object_new_int64((int64_t)m->size), &r));
		}
		if (m->path)
			json_object_object_add(o, "path", must(json_object_new_string(m->path), &r));
		if (m->link)
			json_object_object_add(o, "symlink", must(json_object_new_string(m->link), &r));
		if (m->error)
			json_object_object_add(o, "error", must(json_object_new_string(
						       m->error == -EINVAL ? "not a regular file"
									   : strerror(-m->error)), &r));
	}
	if (r == 0 && asprintf(ret, "%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
								JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
		r = -ENOMEM;
	json_object_put(arr);
	json_object_put(root);
	return r;
}

/* SHA256SUMS: "HASH  NAME" lines, as sha256sum -c reads them. */
static int sha256sums(struct nsd_bundle *b, char **ret)
{
	size_t size = 0;
	FILE *f = open_memstream(ret, &size);

	if (!f)
		return -ENOMEM;
	for (size_t i = 0; i < b->n; i++)
		if (b->members[i].name)
			fprintf(f, "%s  %s\n", b->members[i].sha256, b->members[i].name);
	return fclose(f) == 0 ? 0 : -ENOMEM;
}

/**
 * nsd_bundle_close:
 * @b: bundle
 * @when: the time of collection
 *
 * Adds manifest.json (@when in UTC, every member's name, SHA-256 and size;
 * the files that could not be added with the reason) and SHA256SUMS, and
 * ends the tar. The fd is not closed.
 *
 * Returns: 0, -EALREADY when closed before, or the -errno of writing.
 */
NSD_EXPORT int nsd_bundle_close(struct nsd_bundle *b, time_t when)
{
	_cleanup_free_ char *manifest = NULL, *sums = NULL;
	int r;

	if (b->closed)
		return -EALREADY;
	r = manifest_json(b, when, &manifest);
	if (r == 0)
		r = sha256sums(b, &sums);
	if (r == 0)
		r = nsd_bundle_add_data(b, "manifest.json", manifest, strlen(manifest));
	if (r == 0)
		r = nsd_bundle_add_data(b, "SHA256SUMS", sums, strlen(sums));
	b->closed = true;
	if (r == 0 && sym_archive_write_close(b->ar) != ARCHIVE_OK)
		r = sym_archive_errno(b->ar) > 0 ? -sym_archive_errno(b->ar) : -EIO;
	return r;
}
