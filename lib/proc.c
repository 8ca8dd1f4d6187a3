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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	_cleanup_close_ int fd = -EBADF;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, size = 0;
	bool cut = false;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (len == size) {
			char *p;

			if (size >= max) {
				cut = has_more(fd);
				break;
			}
			size = size ? size * 2 : 4096;
			if (size > max)
				size = max;
			p = realloc(buf, size + 1);
			if (!p)
				return -ENOMEM;
			buf = p;
		}
		n = read_full(fd, buf + len, size - len);
		if (n < 0)
			return (int)n;
		len += (size_t)n;
		if (len < size)
			break;
	}
	if (!buf) {
		buf = malloc(1);
		if (!buf)
			return -ENOMEM;
	}
	buf[len] = '\0';
	*ret = TAKE_PTR(buf);
	if (ret_len)
		*ret_len = len;
	return cut ? 1 : 0;
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
 * openat2(2), which glibc does not wrap: opens @path relative to @dirfd with
 * @flags, resolved as @resolve says (RESOLVE_IN_ROOT keeps every symlink and
 * ".." inside @dirfd). Returns the fd, or -errno.
 */
int nsd_openat2(int dirfd, const char *path, int flags, unsigned long long resolve)
{
	struct open_how how = {
		.flags = (unsigned long long)flags | O_CLOEXEC,
		.resolve = resolve,
	};
	long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}
