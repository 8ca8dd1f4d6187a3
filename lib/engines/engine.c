/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the engine readers share: opening state files without leaving the
 * engine's root, bounded reads, JSON with type checks, and the shapes of
 * cgroup paths. Everything here treats the state as hostile: a container's
 * owner may be able to write into it (a bind-mounted state directory, a
 * compromised engine), and nsdebug runs as root.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>

#include "engine.h"

/**
 * Opens @path below @rootfd without leaving it: no "..", absolute path or
 * symlink may resolve outside the root, and no /proc magic link is followed
 * (RESOLVE_BENEATH, Linux 5.6; a component walk without it). Returns an fd
 * (O_CLOEXEC) or -errno; EXDEV when the path tried to leave the root.
 */
int nsd_state_open(int rootfd, const char *path, int flags)
{
	return nsd_openat2(rootfd, path, flags | O_NOCTTY, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
}

/* A directory below @rootfd (nsd_state_open()'s rules), for readdir; NULL with errno. */
DIR *nsd_state_opendir(int rootfd, const char *path)
{
	int fd = nsd_state_open(rootfd, path, O_RDONLY | O_DIRECTORY);
	DIR *d;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	d = fdopendir(fd);
	if (!d)
		closep(&fd);
	return d;
}

/**
 * Reads the regular file @path below @rootfd, at most @max bytes, into a new
 * NUL-terminated buffer (free with free()). O_NONBLOCK keeps a FIFO planted
 * in the state from blocking the open; anything but a regular file is
 * refused. Returns 0, -EFBIG when larger than @max, -EINVAL when not a
 * regular file, or -errno.
 */
int nsd_state_read(int rootfd, const char *path, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = nsd_state_open(rootfd, path, O_RDONLY | O_NONBLOCK);
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	int r;

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	r = nsd_read_alloc_fd(fd, max, &buf, ret_len);
	if (r < 0)
		return r;
	if (r == 1)
		return -EFBIG;
	*ret = TAKE_PTR(buf);
	return 0;
}

/**
 * Parses @buf of @len bytes as one JSON value of @type (free with
 * json_object_put()). Returns 0, -EBADMSG when it is not one complete value
 * of @type (truncated, trailing garbage, nested too deep), or -ENOMEM.
 */
int nsd_json_parse(const char *buf, size_t len, enum json_type type, struct json_object **ret)
{
	struct json_tokener *tok;
	struct json_object *obj;
	size_t end;
	int r;

	if (len > INT32_MAX)
		return -EFBIG;
	tok = json_tokener_new_ex(NSD_JSON_DEPTH);
	if (!tok)
		return -ENOMEM;
	/* RFC 8259 only: no trailing commas or bare words to be lenient about */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	end = json_tokener_get_parse_end(tok);
	r = json_tokener_get_error(tok) == json_tokener_success ? 0 : -EBADMSG;
	json_tokener_free(tok);
	while (r == 0 && end < len && buf[end] && strchr(" \t\r\n", buf[end]))
		end++;
	if (r == 0 && (end != len || !json_object_is_type(obj, type)))
		r = -EBADMSG;
	if (r < 0) {
		json_object_put(obj);
		return r;
	}
	*ret = obj;
	return 0;
}

/* Reads @path below @rootfd as one JSON object: nsd_state_read() and nsd_json_parse(). */
int nsd_state_read_json(int rootfd, const char *path, size_t max, struct json_object **ret)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r = nsd_state_read(rootfd, path, max, &buf, &len);

	return r < 0 ? r : nsd_json_parse(buf, len, json_type_object, ret);
}

/* Reads a PID file below @rootfd: decimal digits, an optional newline. Returns 0, -EBADMSG or -errno. */
int nsd_state_read_pid(int rootfd, const char *path, pid_t *ret)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r = nsd_state_read(rootfd, path, 32, &buf, &len);

	if (r < 0)
		return r;
	if (len > 0 && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return nsd_parse_pid(buf, ret) < 0 ? -EBADMSG : 0;
}

/* True when @name can be a container ID or a directory entry of one: not
 * empty, not "." or "..", at most 255 bytes, printable ASCII without '/'. */
bool nsd_state_is_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > 255 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (const char *p = name; *p; p++)
		if (*p <= ' ' || *p >= 127 || *p == '/')
			return false;
	return true;
}

/* The next entry of @d that can be a container ID or name (nsd_state_is_name(),
 * no dotfiles), or NULL at the end. */
const char *nsd_state_next_name(DIR *d)
{
	struct dirent *de;

	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && nsd_state_is_name(de->d_name))
			return de->d_name;
	return NULL;
}

/* The next "<driver>-containers" directory of a containers/storage root
 * (Podman, CRI-O: overlay-containers with the default driver), or NULL. */
const char *nsd_storage_next_driver(DIR *d)
{
	const char *name;

	while ((name = nsd_state_next_name(d))) {
		size_t len = strlen(name);

		if (len > 11 && strcmp(name + len - 11, "-containers") == 0)
			return name;
	}
	return NULL;
}

/* Member @key of @obj if it has @type, else NULL. */
struct json_object *nsd_json_get(struct json_object *obj, const char *key, enum json_type type)
{
	struct json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

/* String member @key of @obj, or NULL when missing, not a string or empty. */
const char *nsd_json_get_string(struct json_object *obj, const char *key)
{
	const char *s = json_object_get_string(nsd_json_get(obj, key, json_type_string));

	return s && *s ? s : NULL;
}

/* Integer member @key of @obj in [0, ULLONG_MAX]. Returns 0 or -EBADMSG. */
int nsd_json_get_ull(struct json_object *obj, const char *key, unsigned long long *ret)
{
	struct json_object *v = nsd_json_get(obj, key, json_type_int);
	int64_t i;

	if (!v)
		return -EBADMSG;
	/* json-c keeps integers beyond INT64_MAX as unsigned */
	i = json_object_get_int64(v);
	if (i < 0)
		return -EBADMSG;
	*ret = i == INT64_MAX ? json_object_get_uint64(v) : (unsigned long long)i;
	return 0;
}

/* PID member @key of @obj: 0 (no process) or a valid PID. Returns 0 or -EBADMSG. */
int nsd_json_get_pid(struct json_object *obj, const char *key, pid_t *ret)
{
	unsigned long long v;

	if (nsd_json_get_ull(obj, key, &v) < 0 || v > INT32_MAX)
		return -EBADMSG;
	*ret = (pid_t)v;
	return 0;
}

static bool is_hex_id(const char *s, size_t len)
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Steps to the component of @path that ends at *@end, innermost first: sets
 * @c and @clen and moves *@end before it. Returns false when none is left. */
static bool prev_component(const char *path, size_t *end, const char **c, size_t *clen)
{
	for (;;) {
		size_t i = *end;

		if (i == 0)
			return false;
		while (i > 0 && path[i - 1] != '/')
			i--;
		*c = path + i;
		*clen = *end - i;
		*end = i > 0 ? i - 1 : 0;
		if (*clen > 0)
			return true;
	}
}

static bool has_affixes(const char *c, size_t clen, const char *prefix, const char *suffix)
{
	size_t plen = strlen(prefix), slen = strlen(suffix);

	return clen > plen + slen && memcmp(c, prefix, plen) == 0 &&
	       memcmp(c + clen - slen, suffix, slen) == 0;
}

/**
 * Finds the innermost component of the cgroup path @path that is
 * PREFIX<key>SUFFIX ("docker-<id>.scope"); with @hex_id the key must be a
 * 64-digit lower-case hex ID, so that "libpod-conmon-<id>" (the engine's
 * monitor, not the container) does not match "libpod-<id>".
 */
bool nsd_cgroup_find(const char *path, size_t len, const char *prefix, const char *suffix,
		     bool hex_id, struct nsd_cgroup_match *ret)
{
	size_t plen = strlen(prefix), slen = strlen(suffix);
	size_t end = len, clen;
	const char *c;

	while (prev_component(path, &end, &c, &clen)) {
		if (!has_affixes(c, clen, prefix, suffix))
			continue;
		if (hex_id && !is_hex_id(c + plen, clen - plen - slen))
			continue;
		*ret = (struct nsd_cgroup_match){
			.key = c + plen, .len = clen - plen - slen, .pos = (size_t)(c - path)};
		return true;
	}
	return false;
}

/**
 * Finds the innermost component of @path right below a component named
 * @parent ("/docker/<id>"), or with @parent NULL the last component
 * ("/<containerd namespace>/<id>"). Such a shape is generic: the match is
 * known_only. With @hex_id the key must be a 64-digit hex ID.
 */
bool nsd_cgroup_find_child(const char *path, size_t len, const char *parent, bool hex_id,
			   struct nsd_cgroup_match *ret)
{
	const char *c, *prev = NULL;
	size_t end = len, clen, prevlen = 0;

	while (prev_component(path, &end, &c, &clen)) {
		if (prev && (!parent || (clen == strlen(parent) && memcmp(c, parent, clen) == 0)) &&
		    (!hex_id || is_hex_id(prev, prevlen))) {
			*ret = (struct nsd_cgroup_match){
				.key = prev, .len = prevlen, .pos = (size_t)(prev - path), .known_only = true};
			return true;
		}
		prev = c;
		prevlen = clen;
	}
	return false;
}

/**
 * Kubernetes with the cgroupfs driver puts a container in
 * /kubepods[/QOS]/pod<UID>/<ID>, the same for every CRI engine: the match is
 * known_only, and the engine whose state has the ID claims it.
 */
bool nsd_cgroup_find_kubepods(const char *path, size_t len, struct nsd_cgroup_match *ret)
{
	size_t end = len, clen;
	const char *c;

	if (!memmem(path, len, "/kubepods", 9))
		return false;
	while (prev_component(path, &end, &c, &clen)) {
		if (!is_hex_id(c, clen))
			continue;
		*ret = (struct nsd_cgroup_match){
			.key = c, .len = clen, .pos = (size_t)(c - path), .known_only = true};
		return true;
	}
	return false;
}
