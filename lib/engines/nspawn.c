/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * systemd-nspawn: machined registers a container as <root>/<name>, lines of
 * KEY=VALUE with LEADER=<pid of its init> and CLASS=container, and runs it
 * in machine-<name>.scope (the name escaped as a unit name). Without
 * machined (--register=no, or no systemd) nothing is on disk: the container
 * is then the child of a systemd-nspawn process in a pid namespace of its
 * own, named by the -M/--machine or -D/--directory of that process.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"

/* The value of KEY= in the env-style file @buf, copied into @out; NULL when missing. */
static const char *file_value(const char *buf, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);
	const char *line = buf;

	while (*line) {
		size_t len = strcspn(line, "\n");

		if (len > klen && memcmp(line, key, klen) == 0 && line[klen] == '=' &&
		    len - klen - 1 < size) {
			memcpy(out, line + klen + 1, len - klen - 1);
			out[len - klen - 1] = '\0';
			return out;
		}
		line += len + (line[len] == '\n');
	}
	return NULL;
}

static int scan(struct nsd_containers *cs, int rootfd)
{
	_cleanup_(closedirp) DIR *d = nsd_state_opendir(rootfd, ".");
	const char *name;

	if (!d)
		return -errno;
	/* Entries with a ':' ("unit:machine-web.scope") are machined's links, not machines. */
	while ((name = nsd_state_next_name(d))) {
		struct nsd_container_info info = {.id = name, .name = name};
		_cleanup_free_ char *buf = NULL;
		char leader[32], class[32];
		int r;

		if (strchr(name, ':'))
			continue;
		r = nsd_state_read(rootfd, name, (size_t)64 * 1024, &buf, NULL);
		if (r == 0 && file_value(buf, "CLASS", class, sizeof(class)) &&
		    strcmp(class, "container") != 0)
			continue; /* a virtual machine */
		if (r == 0 && (!file_value(buf, "LEADER", leader, sizeof(leader)) ||
			       nsd_parse_pid(leader, &info.pid) < 0))
			r = -EBADMSG;
		nsd_engine_add_or_warn(cs, name, r, &info);
	}
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Undoes the unit name escaping of systemd ("web\x2d1" is "web-1") into
 * @out. Parses the digits itself: sscanf() would skip blanks and read past
 * @len. A NUL, raw or escaped, cannot be in a machine name: refused.
 */
static bool unescape(const char *s, size_t len, char *out, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (n + 1 >= size)
			return false;
		if (s[i] == '\\' && i + 3 < len && s[i + 1] == 'x' &&
		    (hi = hex_digit(s[i + 2])) >= 0 && (lo = hex_digit(s[i + 3])) >= 0) {
			out[n++] = (char)(hi << 4 | lo);
			i += 3;
		} else {
			out[n++] = s[i];
		}
		if (out[n - 1] == '\0')
			return false;
	}
	out[n] = '\0';
	return n > 0;
}

static bool match_cgroup(const char *path, size_t len, struct nsd_cgroup_match *ret)
{
	if (!nsd_cgroup_find(path, len, "machine-", ".scope", false, ret) ||
	    !unescape(ret->key, ret->len, ret->buf, sizeof(ret->buf)))
		return false;
	ret->key = ret->buf;
	ret->len = strlen(ret->buf);
	return true;
}

/* The machine name in the command line @args (NUL-separated, @len bytes) of
 * systemd-nspawn, as nspawn picks it: -M, else the last component of -D or -i. */
static bool name_from_args(const char *args, size_t len, char *out, size_t size)
{
	static const char *const opts[][2] = {
		{"-M", "--machine"}, {"-D", "--directory"}, {"-i", "--image"}};
	const char *end = args + len;

	for (size_t o = 0; o < ELEMENTSOF(opts); o++) {
		const char *val = NULL, *slash;
		size_t slen = strlen(opts[o][0]), llen = strlen(opts[o][1]), vlen;

		for (const char *a = args; a < end; a += strlen(a) + 1) {
			const char *next = a + strlen(a) + 1;

			if (strcmp(a, opts[o][0]) == 0 || strcmp(a, opts[o][1]) == 0)
				val = next < end ? next : NULL;
			else if (strncmp(a, opts[o][0], slen) == 0)
				val = a + slen;
			else if (strncmp(a, opts[o][1], llen) == 0 && a[llen] == '=')
				val = a + llen + 1;
		}
		if (!val)
			continue;
		vlen = strlen(val);
		while (o > 0 && vlen > 1 && val[vlen - 1] == '/')
			vlen--;
		slash = o > 0 ? memrchr(val, '/', vlen) : NULL;
		if (slash) {
			vlen -= (size_t)(slash + 1 - val);
			val = slash + 1;
		}
		if (vlen == 0 || vlen >= size)
			return false;
		memcpy(out, val, vlen);
		out[vlen] = '\0';
		return true;
	}
	return false;
}

/* Adds the container whose init is @init, child of the systemd-nspawn @nspawn. */
static int add_unregistered(struct nsd_containers *cs, struct nsd_graph *g,
			    const struct nsd_proc *nspawn, const struct nsd_proc *init)
{
	_cleanup_close_ int pidfd = -EBADF;
	_cleanup_free_ char *args = NULL;
	char pidname[16], name[256], statbuf[NSD_STAT_MAX];
	struct nsd_stat st;
	size_t len, slen;
	int r;

	snprintf(pidname, sizeof(pidname), "%d", (int)nspawn->pid);
	pidfd = openat(g->procfd, pidname, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (pidfd < 0)
		return 0;
	r = nsd_read_alloc_at(pidfd, "cmdline", (size_t)64 * 1024, &args, &len);
	/* The command line is that of the process the walk saw only if the
	 * start time, read through the same fd, still is. */
	if (r != 0 || nsd_read_at(pidfd, "stat", statbuf, sizeof(statbuf), &slen) < 0 ||
	    nsd_parse_stat(statbuf, slen, &st) < 0 || st.starttime != nspawn->starttime ||
	    !name_from_args(args, len, name, sizeof(name)))
		return 0;
	r = nsd_engine_add(cs, &(struct nsd_container_info){
				       .id = name, .name = name, .pid = init->pid,
				       .starttime = init->starttime});
	return r == -EBADMSG ? 0 : r;
}

static int scan_procs(struct nsd_containers *cs, struct nsd_graph *g)
{
	for (size_t i = 0; i < g->nprocs; i++) {
		const struct nsd_proc *p = g->procs[i], *parent = p->parent;
		int r;

		if (!parent || strcmp(parent->comm, "systemd-nspawn") != 0 ||
		    !p->ns[NSD_NS_PID] || p->ns[NSD_NS_PID] == parent->ns[NSD_NS_PID])
			continue;
		r = add_unregistered(cs, g, parent, p);
		if (r < 0)
			return r;
	}
	return 0;
}

const struct nsd_engine nsd_engine_nspawn = {
	.name = "nspawn",
	.root = "/run/systemd/machines",
	.flags = NSD_ENGINE_CGROUP_NAMED | NSD_ENGINE_ID_IS_NAME,
	.scan = scan,
	.match_cgroup = match_cgroup,
	.scan_procs = scan_procs,
};
