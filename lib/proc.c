/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bounded readers and parsers of /proc files. Processes inside containers
 * control much of what these files say (command names, arguments), so every
 * parser takes a length, never reads past it and rejects what does not have
 * the kernel's shape. No globals: the fuzz harnesses call these directly.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nsdebug-private.h"

static ssize_t read_full(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len < size) {
		ssize_t n = read(fd, buf + len, size - len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	return (ssize_t)len;
}

/* True when @fd has more to read; a file that ends exactly at the bound is complete. */
static bool has_more(int fd)
{
	char c;

	return read_full(fd, &c, 1) > 0;
}

/**
 * Reads the file @path relative to @dirfd into @buf of @size bytes and
 * NUL-terminates it, with one read(2): for small files that the kernel
 * writes in one piece (stat, status), where the read that would return 0 at
 * the end costs a syscall per process. Not for multi-record seq files such as
 * mountinfo, whose reads may stop short of the end.
 * Returns 0, -EFBIG when it does not fit, or -errno.
 */
int nsd_read_at(int dirfd, const char *path, char *buf, size_t size, size_t *ret_len)
{
	_cleanup_close_ int fd = -EBADF;
	ssize_t n;

	if (size == 0)
		return -EINVAL;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n == size - 1 && has_more(fd))
		return -EFBIG;
	buf[n] = '\0';
	if (ret_len)
		*ret_len = (size_t)n;
	return 0;
}

/**
 * Reads at most @max bytes of @path relative to @dirfd into a new
 * NUL-terminated buffer (free with free()). Returns 0 when the whole file
 * was read, 1 when it was cut at @max, or -errno.
 */
int nsd_read_alloc_at(int dirfd, const char *path, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	return nsd_read_alloc_fd(fd, max, ret, ret_len);
}

/**
 * Reads once more from r->fd into r->buf, growing it, up to r->max bytes.
 * Sets eof at the end of the file or at the bound (cut when there is more:
 * one byte past the bound is read to tell), error (-errno) on failure. The
 * buffer always has room for a NUL after r->len.
 */
void nsd_reader_more(struct nsd_reader *r)
{
	ssize_t n;

	if (r->len == r->size) {
		size_t size = r->size ? r->size * 2 : 4096;
		char *p;

		if (size > r->max)
			size = r->max + 1;
		p = realloc(r->buf, size + 1);
		if (!p) {
			r->error = -ENOMEM;
			return;
		}
		r->buf = p;
		r->size = size;
	}
	do
		n = read(r->fd, r->buf + r->len, r->size - r->len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		r->error = -errno;
		return;
	}
	r->len += (size_t)n;
	if (r->len > r->max) {
		r->len = r->max;
		r->cut = true;
	}
	r->eof = n == 0 || r->cut;
}

/** As nsd_read_alloc_at(), from the current position of @fd. */
int nsd_read_alloc_fd(int fd, size_t max, char **ret, size_t *ret_len)
{
	struct nsd_reader r = {.fd = fd, .max = max};

	while (!r.eof && !r.error)
		nsd_reader_more(&r);
	if (r.error) {
		free(r.buf);
		return r.error;
	}
	r.buf[r.len] = '\0';
	*ret = r.buf;
	if (ret_len)
		*ret_len = r.len;
	return r.cut ? 1 : 0;
}

/**
 * Parses a PID as the kernel writes it: decimal digits only, no sign, no
 * leading zero, at least 1. Returns 0, -EINVAL or -ERANGE.
 */
int nsd_parse_pid(const char *s, pid_t *ret)
{
	long long v = 0;

	if (!s || *s < '1' || *s > '9')
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return -ERANGE;
	}
	*ret = (pid_t)v;
	return 0;
}

static int parse_ull(const char *s, unsigned long long *ret)
{
	unsigned long long v = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (ULLONG_MAX - 9) / 10)
			return -ERANGE;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*ret = v;
	return 0;
}

/**
 * Parses /proc/PID/stat: "PID (COMM) STATE PPID ... STARTTIME ...". COMM may
 * hold spaces and parentheses, so it ends at the last ')'.
 * Returns 0 or -EINVAL.
 */
int nsd_parse_stat(const char *buf, size_t len, struct nsd_stat *ret)
{
	char copy[NSD_STAT_MAX];
	struct nsd_stat st = {0};
	const char *open, *close;
	char *field, *save = NULL;
	size_t n;
	int i;

	if (len >= sizeof(copy))
		return -EINVAL;
	memcpy(copy, buf, len);
	copy[len] = '\0';
	if (strlen(copy) != len)
		return -EINVAL;

	open = strchr(copy, '(');
	close = strrchr(copy, ')');
	if (!open || !close || close < open)
		return -EINVAL;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(st.comm))
		n = sizeof(st.comm) - 1;
	memcpy(st.comm, open + 1, n);

	/* Fields after COMM are numbered from 3 (state) as in proc(5). */
	for (i = 3, field = strtok_r(copy + (close - copy) + 1, " \n", &save); field && i <= 22;
	     i++, field = strtok_r(NULL, " \n", &save)) {
		unsigned long long v;

		switch (i) {
		case 3:
			if (strlen(field) != 1)
				return -EINVAL;
			st.state = field[0];
			break;
		case 4:
			if (parse_ull(field, &v) < 0 || v > INT_MAX)
				return -EINVAL;
			st.ppid = (pid_t)v;
			break;
		case 20:
			if (parse_ull(field, &v) < 0 || v > ULONG_MAX)
				return -EINVAL;
			st.nthreads = (unsigned long)v;
			break;
		case 22:
			if (parse_ull(field, &v) < 0)
				return -EINVAL;
			st.starttime = v;
			break;
		}
	}
	if (i <= 22)
		return -EINVAL;
	*ret = st;
	return 0;
}

/**
 * Parses the target of a /proc/PID/ns/ link, "net:[4026531840]", for @type.
 * Returns 0, or -EINVAL when it names another type or is malformed.
 */
int nsd_parse_ns_link(const char *link, size_t len, enum nsd_nstype type, ino_t *ret)
{
	const char *name = nsd_nstype_to_name(type);
	size_t nlen = name ? strlen(name) : 0;
	unsigned long long v = 0;
	size_t i;

	if (!name || len < nlen + 4 || memcmp(link, name, nlen) != 0 || link[nlen] != ':' ||
	    link[nlen + 1] != '[' || link[len - 1] != ']')
		return -EINVAL;
	for (i = nlen + 2; i < len - 1; i++) {
		if (link[i] < '0' || link[i] > '9')
			return -EINVAL;
		if (v > (ULLONG_MAX - 9) / 10)
			return -ERANGE;
		v = v * 10 + (unsigned)(link[i] - '0');
	}
	if (i == nlen + 2 || v == 0)
		return -EINVAL;
	*ret = (ino_t)v;
	return 0;
}

/**
 * Parses an ns link of any type, "net:[4026531840]", as the fd/ links and
 * the mountinfo of nsfs show them. Returns 0, or -EINVAL when it names no
 * namespace type or is malformed.
 */
int nsd_parse_ns_link_any(const char *link, size_t len, enum nsd_nstype *ret_type, ino_t *ret)
{
	const char *colon = memchr(link, ':', len);
	char name[16];
	int t;

	if (!colon || (size_t)(colon - link) >= sizeof(name))
		return -EINVAL;
	memcpy(name, link, (size_t)(colon - link));
	name[colon - link] = '\0';
	t = nsd_nstype_from_name(name);
	if (t < 0 || nsd_parse_ns_link(link, len, t, ret) < 0)
		return -EINVAL;
	*ret_type = t;
	return 0;
}

/* Reads the ns link @path relative to @dirfd. Returns 0, -EINVAL when it is not a @type link, or -errno. */
int nsd_read_ns_link_at(int dirfd, const char *path, enum nsd_nstype type, ino_t *ret)
{
	char buf[64];
	ssize_t n = readlinkat(dirfd, path, buf, sizeof(buf));

	if (n < 0)
		return -errno;
	if ((size_t)n >= sizeof(buf))
		return -EINVAL;
	return nsd_parse_ns_link(buf, (size_t)n, type, ret);
}

/**
 * Turns the NUL-separated /proc/PID/cmdline into one line (arguments joined
 * by spaces), free with free(). Returns 0, -ENODATA when empty (kernel
 * threads, zombies), or -ENOMEM.
 */
int nsd_parse_cmdline(const char *buf, size_t len, char **ret)
{
	char *s;

	while (len > 0 && buf[len - 1] == '\0')
		len--;
	if (len == 0)
		return -ENODATA;
	s = malloc(len + 1);
	if (!s)
		return -ENOMEM;
	memcpy(s, buf, len);
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\0')
			s[i] = ' ';
	s[len] = '\0';
	*ret = s;
	return 0;
}

/**
 * Finds the path in one line of /proc/PID/cgroup, "ID:CONTROLLERS:PATH"
 * (without the newline). Controllers may be empty (cgroup v2, "0::/x") but
 * hold no ':'; the path starts with '/' and may hold anything.
 * Returns 0 or -EINVAL.
 */
int nsd_parse_cgroup_line(const char *line, size_t len, const char **ret_path, size_t *ret_len)
{
	const char *end = line + len, *c1, *c2;

	c1 = memchr(line, ':', len);
	if (!c1 || c1 == line)
		return -EINVAL;
	for (const char *p = line; p < c1; p++)
		if (*p < '0' || *p > '9')
			return -EINVAL;
	c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
	if (!c2 || c2 + 1 == end || c2[1] != '/')
		return -EINVAL;
	*ret_path = c2 + 1;
	*ret_len = (size_t)(end - c2 - 1);
	return 0;
}

/* Parses up to @max decimal numbers separated by blanks from @s. Returns how many, or -EINVAL. */
static int parse_numbers(const char *s, uint32_t *out, unsigned max)
{
	unsigned n = 0;

	for (;;) {
		unsigned long long v;
		char word[24];
		size_t len;

		s += strspn(s, " \t");
		if (*s == '\0')
			return (int)n;
		len = strcspn(s, " \t");
		if (len >= sizeof(word) || n == max)
			return -EINVAL;
		memcpy(word, s, len);
		word[len] = '\0';
		if (parse_ull(word, &v) < 0 || v > UINT32_MAX)
			return -EINVAL;
		out[n++] = (uint32_t)v;
		s += len;
	}
}

static int parse_hex64(const char *s, uint64_t *ret)
{
	uint64_t v = 0;
	size_t n = 0;

	for (; *s; s++, n++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;

		if (d < 0 || n == 16)
			return -EINVAL;
		v = v << 4 | (uint64_t)d;
	}
	if (n == 0)
		return -EINVAL;
	*ret = v;
	return 0;
}

/**
 * Parses /proc/PID/status: the Uid, Gid, NSpid, Cap*, NoNewPrivs and
 * Seccomp lines; the rest is skipped. Any one of them malformed makes the
 * whole file -EINVAL: a process cannot write this file, so a bad line means
 * it is not what it claims to be. Returns 0 or -EINVAL.
 */
int nsd_parse_status(const char *buf, size_t len, struct nsd_status *ret)
{
	static const char *const caps[NSD_CAPS_COUNT] = {"CapInh", "CapPrm", "CapEff", "CapBnd",
							"CapAmb"};
	struct nsd_status st = {.no_new_privs = -1, .seccomp = -1};
	char line[512];

	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t llen = (nl ? (size_t)(nl - buf) : len) - pos;
		char *value;
		uint32_t v[NSD_NSPID_MAX];
		int n;

		if (llen >= sizeof(line) || memchr(buf + pos, '\0', llen))
			return -EINVAL;
		memcpy(line, buf + pos, llen);
		line[llen] = '\0';
		pos += llen + 1;
		value = strchr(line, ':');
		if (!value)
			return -EINVAL;
		*value++ = '\0';

		if (strcmp(line, "Uid") == 0 || strcmp(line, "Gid") == 0) {
			if (parse_numbers(value, v, 4) != 4)
				return -EINVAL;
			for (int i = 0; i < 4; i++) {
				if (line[0] == 'U')
					st.uid[i] = v[i];
				else
					st.gid[i] = v[i];
			}
			st.have |= line[0] == 'U' ? NSD_STATUS_HAVE_UID : NSD_STATUS_HAVE_GID;
		} else if (strcmp(line, "NSpid") == 0) {
			n = parse_numbers(value, v, NSD_NSPID_MAX);
			if (n < 1)
				return -EINVAL;
			for (int i = 0; i < n; i++) {
				if (v[i] == 0 || v[i] > INT_MAX)
					return -EINVAL;
				st.nspid[i] = (pid_t)v[i];
			}
			st.nnspid = (unsigned)n;
			st.have |= NSD_STATUS_HAVE_NSPID;
		} else if (strcmp(line, "NoNewPrivs") == 0 || strcmp(line, "Seccomp") == 0) {
			if (parse_numbers(value, v, 1) != 1 || v[0] > 2)
				return -EINVAL;
			if (line[0] == 'N')
				st.no_new_privs = (int)v[0];
			else
				st.seccomp = (int)v[0];
		} else {
			for (int c = 0; c < NSD_CAPS_COUNT; c++) {
				if (strcmp(line, caps[c]) != 0)
					continue;
				if (parse_hex64(value + strspn(value, " \t"), &st.cap[c]) < 0)
					return -EINVAL;
				st.have |= NSD_STATUS_HAVE_CAPS;
			}
		}
	}
	*ret = st;
	return 0;
}

/* The next line of a uid_map or gid_map at *@pos of @buf, "inside outside
 * count", into @v. Returns 1 with a line, 0 at the end, or -EINVAL for a
 * line that is not three numbers. */
static int next_map_line(const char *buf, size_t len, size_t *pos, uint32_t v[3])
{
	const char *nl;
	size_t llen;
	char line[128];

	if (*pos >= len)
		return 0;
	nl = memchr(buf + *pos, '\n', len - *pos);
	llen = (nl ? (size_t)(nl - buf) : len) - *pos;
	if (llen >= sizeof(line) || memchr(buf + *pos, '\0', llen))
		return -EINVAL;
	memcpy(line, buf + *pos, llen);
	line[llen] = '\0';
	*pos += llen + 1;
	return parse_numbers(line, v, 3) == 3 ? 1 : -EINVAL;
}

/**
 * Finds @outside in a uid_map or gid_map ("inside outside count" lines) and
 * returns the ID it has inside. Returns 0; -ERANGE when no line maps it (the
 * kernel shows such an ID as the overflow ID, 65534); -EINVAL for a line
 * that is not three numbers.
 */
int nsd_parse_id_map(const char *buf, size_t len, uint32_t outside, uint32_t *ret)
{
	uint32_t v[3];
	size_t pos = 0;
	int r;

	while ((r = next_map_line(buf, len, &pos, v)) > 0) {
		/* 64-bit sums: a forged map cannot overflow into a match. */
		if (outside >= v[1] && (uint64_t)outside < (uint64_t)v[1] + v[2] &&
		    (uint64_t)v[0] + (outside - v[1]) <= UINT32_MAX) {
			*ret = v[0] + (outside - v[1]);
			return 0;
		}
	}
	return r < 0 ? r : -ERANGE;
}

/**
 * All the lines of a uid_map or gid_map, at most @max, into @ret. Returns
 * how many, -E2BIG when there are more, or -EINVAL for a line that is not
 * three numbers.
 */
int nsd_parse_id_ranges(const char *buf, size_t len, struct nsd_id_range *ret, size_t max)
{
	uint32_t v[3];
	size_t pos = 0, n = 0;
	int r;

	while ((r = next_map_line(buf, len, &pos, v)) > 0) {
		if (n == max)
			return -E2BIG;
		ret[n++] = (struct nsd_id_range){.inside = v[0], .outside = v[1], .count = v[2]};
	}
	return r < 0 ? r : (int)n;
}

/**
 * Finds the name of @id in the passwd(5) or group(5) text @buf, whose third
 * field is the ID: the first line that has it. The file comes from a
 * container, so a line may be anything; a name must be printable and not
 * empty. Returns 0 (free the name with free()), -ENOENT when no line has
 * @id, or -ENOMEM.
 */
int nsd_parse_passwd_name(const char *buf, size_t len, uint32_t id, char **ret)
{
	for (size_t pos = 0; pos < len;) {
		const char *line = buf + pos, *nl = memchr(line, '\n', len - pos);
		size_t llen = (nl ? (size_t)(nl - buf) : len) - pos;
		const char *c1 = memchr(line, ':', llen), *c2, *c3;
		unsigned long long v;
		char idtext[24];

		pos += llen + 1;
		c2 = c1 ? memchr(c1 + 1, ':', llen - (size_t)(c1 + 1 - line)) : NULL;
		c3 = c2 ? memchr(c2 + 1, ':', llen - (size_t)(c2 + 1 - line)) : NULL;
		if (!c3 || c1 == line || (size_t)(c3 - c2 - 1) >= sizeof(idtext))
			continue;
		memcpy(idtext, c2 + 1, (size_t)(c3 - c2 - 1));
		idtext[c3 - c2 - 1] = '\0';
		if (parse_ull(idtext, &v) < 0 || v != id)
			continue;
		for (const char *s = line; s < c1; s++)
			if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
				return -ENOENT;
		*ret = strndup(line, (size_t)(c1 - line));
		return *ret ? 0 : -ENOMEM;
	}
	return -ENOENT;
}

/* -EXDEV when @name in @dirfd is a symlink (which would leave the walk), else @err. */
static int symlink_or(int dirfd, const char *name, int err)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		return -EXDEV;
	return err;
}

/*
 * For kernels (and valgrind) without openat2(): RESOLVE_BENEATH or
 * RESOLVE_IN_ROOT walked one component at a time with O_NOFOLLOW, with an
 * absolute path taken from @rootfd when @in_root. Stricter than the kernel:
 * it refuses every symlink and "..", also those that would stay below the
 * root.
 */
static int open_beneath_by_walk(int rootfd, const char *path, int flags, bool in_root)
{
	_cleanup_close_ int dirfd = -EBADF;
	char copy[PATH_MAX], *name, *next, *save = NULL;
	size_t len = strlen(path);
	int fd;

	if (len >= sizeof(copy))
		return -ENAMETOOLONG;
	memcpy(copy, path, len + 1);
	if (path[0] == '/' && !in_root)
		return -EXDEV;
	dirfd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	if (dirfd < 0)
		return -errno;
	name = strtok_r(copy, "/", &save);
	if (!name)
		name = ".";
	for (; (next = strtok_r(NULL, "/", &save)); name = next) {
		if (strcmp(name, "..") == 0)
			return -EXDEV;
		fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return symlink_or(dirfd, name, -errno);
		closep(&dirfd);
		dirfd = fd;
	}
	if (strcmp(name, "..") == 0)
		return -EXDEV;
	fd = openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	return fd < 0 ? symlink_or(dirfd, name, -errno) : fd;
}

/**
 * openat2(2), which glibc does not wrap: opens @path relative to @dirfd with
 * @flags (and O_CLOEXEC), resolved as @resolve says: RESOLVE_IN_ROOT keeps
 * every symlink and ".." inside @dirfd, RESOLVE_BENEATH refuses them. Where
 * the kernel (or valgrind) lacks openat2(), a stricter walk. Returns the fd,
 * or -errno; -EXDEV when the path tried to leave.
 */
int nsd_openat2(int dirfd, const char *path, int flags, unsigned long long resolve)
{
	struct open_how how = {
		.flags = (unsigned long long)flags | O_CLOEXEC,
		.resolve = resolve,
	};
	long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	if (fd < 0 && errno == ENOSYS) {
		if (resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT))
			return open_beneath_by_walk(dirfd, path, flags,
						    resolve & RESOLVE_IN_ROOT);
		fd = openat(dirfd, path, flags | O_CLOEXEC);
	}
	return fd < 0 ? -errno : (int)fd;
}

/**
 * Parses /proc/PID/attr/current: the label of the process in the LSM that
 * has one (AppArmor "docker-default (enforce)", SELinux
 * "system_u:system_r:container_t:s0:c1,c2"), ended by a newline or a NUL.
 * Returns 0 (free the label with free()), -ENODATA for an empty one, or
 * -EINVAL for one that is not printable text.
 */
int nsd_parse_lsm_label(const char *buf, size_t len, char **ret)
{
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\0'))
		len--;
	if (len == 0)
		return -ENODATA;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)buf[i] < ' ' || (unsigned char)buf[i] >= 0x7f)
			return -EINVAL;
	*ret = strndup(buf, len);
	return *ret ? 0 : -ENOMEM;
}

/* Parses @len hex digits of @s (no prefix) into @ret. */
static int parse_hex_n(const char *s, size_t len, uint64_t *ret)
{
	char word[17];

	if (len == 0 || len >= sizeof(word))
		return -EINVAL;
	memcpy(word, s, len);
	word[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (word[i] >= 'A' && word[i] <= 'F')
			word[i] = (char)(word[i] - 'A' + 'a');
	return parse_hex64(word, ret);
}

/*
 * An address of /proc/net/tcp{,6}, udp{,6}: "0100007F:1F90". The kernel
 * prints each 32-bit word of the address as the number it is in memory, so
 * on any byte order, storing the parsed number back gives the address bytes.
 */
static int parse_inet_address(const char *s, size_t alen, unsigned char *addr, uint16_t *port)
{
	const char *colon = memchr(s, ':', strlen(s));
	uint64_t v;

	if (!colon || (size_t)(colon - s) != alen * 2 || strlen(colon + 1) != 4)
		return -EINVAL;
	for (size_t i = 0; i < alen / 4; i++) {
		uint32_t word;

		if (parse_hex_n(s + i * 8, 8, &v) < 0)
			return -EINVAL;
		word = (uint32_t)v;
		memcpy(addr + i * 4, &word, 4);
	}
	if (parse_hex_n(colon + 1, 4, &v) < 0)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

/* One line of tcp, tcp6, udp or udp6: "sl: local remote st tx:rx tr:when
 * retrnsmt uid timeout inode ...". */
static int parse_inet_line(char *line, enum nsd_netfile file, struct nsd_sock_entry *e)
{
	size_t alen = file == NSD_NETFILE_TCP6 || file == NSD_NETFILE_UDP6 ? 16 : 4;
	char *field, *save = NULL;
	uint64_t v;
	int i = 0;

	for (field = strtok_r(line, " ", &save); field; field = strtok_r(NULL, " ", &save), i++) {
		unsigned long long n;

		switch (i) {
		case 0: /* "sl:" */
			if (field[strlen(field) - 1] != ':')
				return -EINVAL;
			break;
		case 1:
			if (parse_inet_address(field, alen, e->local, &e->local_port) < 0)
				return -EINVAL;
			break;
		case 2:
			if (parse_inet_address(field, alen, e->remote, &e->remote_port) < 0)
				return -EINVAL;
			break;
		case 3:
			if (parse_hex_n(field, strlen(field), &v) < 0 || v > 0xff)
				return -EINVAL;
			e->state = (unsigned)v;
			break;
		case 7:
			if (parse_ull(field, &n) < 0 || n > UINT32_MAX)
				return -EINVAL;
			e->uid = (uint32_t)n;
			break;
		case 9:
			if (parse_ull(field, &n) < 0)
				return -EINVAL;
			e->inode = n;
			return 0;
		}
	}
	return -EINVAL;
}

/* One line of unix: "Num: RefCount Protocol Flags Type St Inode[ Path]".
 * The path is the rest of the line, as the socket's creator spelled it. */
static int parse_unix_line(const char *line, struct nsd_sock_entry *e)
{
	const char *p = line;
	uint64_t v[7];

	for (int i = 0; i < 7; i++) {
		size_t n;
		int r;

		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (i == 0) {
			if (n < 2 || p[n - 1] != ':')
				return -EINVAL;
			r = parse_hex_n(p, n - 1, &v[i]);
		} else if (i == 6) {
			char word[24];
			unsigned long long ino;

			if (n >= sizeof(word))
				return -EINVAL;
			memcpy(word, p, n);
			word[n] = '\0';
			r = parse_ull(word, &ino);
			v[i] = ino;
		} else {
			r = parse_hex_n(p, n, &v[i]);
		}
		if (r < 0)
			return -EINVAL;
		p += n;
	}
	if (v[4] > 0xffff || v[5] > 0xff)
		return -EINVAL;
	e->type = (unsigned)v[4];
	e->state = (unsigned)v[5];
	e->listening = v[3] & 0x10000; /* __SO_ACCEPTCON: listen(2) was called */
	e->inode = v[6];
	if (*p == ' ') {
		size_t n = strlen(p + 1);

		if (n >= sizeof(e->path))
			return -EINVAL;
		memcpy(e->path, p + 1, n + 1);
	} else if (*p) {
		return -EINVAL;
	}
	return 0;
}

/**
 * Parses /proc/PID/net/@file (tcp, tcp6, udp, udp6 or unix) and calls @cb
 * with each socket; a non-zero return of @cb stops and is returned. The
 * first line is the header. Unix socket paths are whatever their creator
 * chose, newlines included, so a line that does not have the kernel's
 * shape is skipped, not an error. Returns 0, or what @cb returned.
 */
int nsd_parse_net_sockets(const char *buf, size_t len, enum nsd_netfile file,
			  int (*cb)(const struct nsd_sock_entry *e, void *userdata), void *userdata)
{
	const char *nl = memchr(buf, '\n', len);
	char line[NSD_UNIX_PATH_MAX + 128];

	if ((unsigned)file >= NSD_NETFILE_COUNT)
		return -EINVAL;
	for (size_t pos = nl ? (size_t)(nl - buf) + 1 : len; pos < len;) {
		struct nsd_sock_entry e = {.file = file};
		size_t llen;
		int r;

		nl = memchr(buf + pos, '\n', len - pos);
		llen = (nl ? (size_t)(nl - buf) : len) - pos;
		if (llen >= sizeof(line) || memchr(buf + pos, '\0', llen)) {
			pos += llen + 1;
			continue;
		}
		memcpy(line, buf + pos, llen);
		line[llen] = '\0';
		pos += llen + 1;
		if (file == NSD_NETFILE_UNIX) {
			r = parse_unix_line(line, &e);
		} else {
			r = parse_inet_line(line, file, &e);
			e.type = file == NSD_NETFILE_TCP || file == NSD_NETFILE_TCP6 ? SOCK_STREAM
										       : SOCK_DGRAM;
			/* An unconnected UDP socket (TCP_CLOSE) receives from anyone. */
			e.listening = e.type == SOCK_STREAM ? e.state == TCP_LISTEN
							    : e.state == TCP_CLOSE && e.remote_port == 0;
		}
		if (r < 0)
			continue;
		r = cb(&e, userdata);
		if (r)
			return r;
	}
	return 0;
}
