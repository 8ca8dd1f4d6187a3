/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Targets and containers on the command line: parsing, resolving, and one line per error. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nsdebug.h>

#include "common.h"

/* "docker, podman, ..." for messages. */
static const char *engine_names(void)
{
	static char buf[256];
	size_t n = 0;
	const char *name;

	for (unsigned i = 0; (name = nsd_engine_to_name(i)) && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? ", " : "", name);
	return buf;
}

void engine_roots_add(const char *sub, struct engine_roots *roots, char *arg)
{
	char *eq = strchr(arg, '=');

	if (!eq || eq == arg)
		usage_fail(sub, "--engine-root: '%.100s' is not ENGINE=DIR", arg);
	*eq = '\0';
	if (nsd_engine_from_name(arg) < 0)
		usage_fail(sub, "--engine-root: unknown engine '%.64s' (engines: %s)", arg,
			   engine_names());
	*eq = '=';
	if (roots->n == ELEMENTSOF(roots->arg))
		usage_fail(sub, "--engine-root: given too many times");
	roots->arg[roots->n++] = arg;
}

/* What a skipped state file had, in words that fit a state file. */
static const char *warning_text(int error)
{
	switch (error) {
	case EBADMSG:
		return "malformed";
	case EXDEV:
		return "leads out of the engine's state directory";
	case EINVAL:
		return "not a regular file";
	default:
		return strerror(error);
	}
}

/* Engine state that could not be read for lack of permission, which is
 * what an unprivileged user meets: said once (state_denied()), not a line
 * per root or file. The first few paths, then how many more. */
static struct {
	char text[700];
	size_t n;
} denied;

static void add_denied(const char *path)
{
	size_t len = strlen(denied.text);

	if (denied.n++ < 3)
		snprintf(denied.text + len, sizeof(denied.text) - len, "%s%.200s",
			 len ? ", " : "", path);
}

const char *state_denied(void)
{
	static char buf[sizeof(denied.text) + 32];

	if (denied.n <= 3)
		return denied.n ? denied.text : NULL;
	snprintf(buf, sizeof(buf), "%s and %zu more", denied.text, denied.n - 3);
	return buf;
}

struct nsd_graph *graph_open(const char *procfs, unsigned flags)
{
	const char *name = procfs ? procfs : "/proc";
	struct nsd_graph *g = nsd_graph_new(procfs);
	int r;

	if (!g)
		err(failure_status, "%.100s: cannot open procfs", name);
	r = nsd_graph_scan(g, flags);
	if (r == 0 && nsd_graph_get_nprocs(g) > 0)
		return g;
	/* freed before exit(), which unwinds nothing */
	nsd_graph_unref(g);
	if (r < 0)
		errx(failure_status, "%.100s: cannot read procfs: %s", name, strerror(-r));
	errx(failure_status, "%.100s: no processes found (not a procfs?)", name);
}

struct nsd_containers *containers_open(struct nsd_graph *g, const struct engine_roots *roots)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_containers *cs;
	const char *path;
	int r, error;

	cs = nsd_containers_new(g);
	if (!cs || !itr)
		errx(failure_status, "out of memory");
	for (size_t i = 0; i < roots->n; i++) {
		char *eq = strchr(roots->arg[i], '=');

		*eq = '\0';
		r = nsd_containers_set_root(cs, roots->arg[i], eq + 1);
		*eq = '=';
		if (r < 0)
			errx(failure_status, "out of memory");
	}
	r = nsd_containers_scan(cs);
	if (r < 0)
		errx(failure_status, "%.100s: cannot read containers: %s", nsd_graph_get_procfs(g),
		     strerror(-r));
	while (nsd_containers_next_warning(cs, itr, &path, &error) == 0) {
		if (error == EACCES || error == EPERM)
			add_denied(path);
		else
			warnx("%s: skipped: %s", path, warning_text(error));
	}
	return cs;
}

size_t count_denied_inits(struct nsd_containers *cs)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_container *c;
	size_t n = 0;

	if (!itr)
		nomem();
	while (nsd_containers_next(cs, itr, &c) == 0) {
		struct nsd_proc *p = nsd_container_get_proc(c);

		n += nsd_container_get_status(c) == NSD_CONTAINER_RUNNING && p &&
		     nsd_proc_is_denied(p);
	}
	return n;
}

char *container_label(const struct nsd_container *c)
{
	const char *name = nsd_container_get_name(c);
	char *s;
	int r;

	if (name)
		r = asprintf(&s, "%s:%s", nsd_container_get_engine(c), name);
	else
		r = asprintf(&s, "%s:%.12s", nsd_container_get_engine(c), nsd_container_get_id(c));
	if (r < 0)
		errx(failure_status, "out of memory");
	return s;
}

struct nsd_target *target_parse(const char *sub, const char *arg)
{
	struct nsd_target *t = nsd_target_new(arg);

	if (!t && errno == EINVAL)
		usage_fail(sub, "'%.100s' is not a PID, a namespace file or [ENGINE:]CONTAINER", arg);
	if (!t)
		errx(failure_status, "out of memory");
	return t;
}

/* "docker:web (6a40c74576c6), podman:web (bf032aa4a602)" */
static char *candidate_list(struct nsd_target *t)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_container *c;
	char *list = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&list, &size);

	if (!f || !itr)
		errx(failure_status, "out of memory");
	for (int i = 0; nsd_target_next_candidate(t, itr, &c) == 0; i++) {
		_cleanup_free_ char *label = container_label(c);

		fprintf(f, "%s%s (%.12s)", i ? ", " : "", label, nsd_container_get_id(c));
	}
	if (fclose(f) != 0)
		errx(failure_status, "out of memory");
	return list;
}

static void not_running(const char *arg, const struct nsd_container *c)
{
	_cleanup_free_ char *label = container_label(c);

	if (nsd_container_get_status(c) == NSD_CONTAINER_STALE)
		errx(failure_status,
		     "%.100s: container %s is not running (its state names PID %d, which has "
		     "exited or is another process now)",
		     arg, label, (int)nsd_container_get_pid(c));
	errx(failure_status, "%.100s: container %s is not running", arg, label);
}

/* Why a container may not have been seen, for a message: "" or " (the
 * containers in PATHS could not be read: permission denied)". */
static const char *denied_hint(void)
{
	static char buf[sizeof(denied.text) + 96];
	const char *state = state_denied();

	if (!state)
		return "";
	snprintf(buf, sizeof(buf), " (the containers in %s could not be read: permission denied)",
		 state);
	return buf;
}

void target_resolve(struct nsd_target *t, struct nsd_containers *cs)
{
	const char *arg = nsd_target_get_arg(t);
	enum nsd_target_kind kind = nsd_target_get_kind(t);
	int r = nsd_target_resolve(t, cs);
	_cleanup_free_ char *list = NULL;

	if (r == 0)
		return;
	if (r == -ENXIO)
		errx(failure_status, "%.100s: unknown engine '%.64s' (engines: %s)", arg,
		     nsd_target_get_engine(t), engine_names());
	if (r == -ENOTUNIQ) {
		list = candidate_list(t);
		errx(failure_status, "%.100s: ambiguous, it names several containers: %s", arg,
		     list);
	}
	if (r == -ENOENT && kind == NSD_TARGET_CONTAINER)
		errx(failure_status, "%.100s: no such container%s", arg, denied_hint());
	if (r == -ESRCH && nsd_target_get_container(t))
		not_running(arg, nsd_target_get_container(t));
	if (r == -ESRCH)
		errx(failure_status, "%.100s: no such process", arg);
	if (r == -EINVAL && kind == NSD_TARGET_NSFILE)
		errx(failure_status, "%.100s: not a namespace file", arg);
	errx(failure_status, "%.100s: cannot resolve: %s", arg, strerror(-r));
}

struct nsd_container *target_container(struct nsd_target *t, struct nsd_containers *cs)
{
	struct nsd_graph *g = nsd_containers_get_graph(cs);
	struct nsd_proc *p;
	struct nsd_container *c;

	target_resolve(t, cs);
	c = nsd_target_get_container(t);
	if (c)
		return c;
	p = nsd_graph_find_proc(g, nsd_target_get_pid(t));
	c = p ? nsd_containers_find_proc(cs, p) : NULL;
	if (!c)
		errx(failure_status, "%.100s: not in a container%s", nsd_target_get_arg(t),
		     denied_hint());
	return c;
}

struct nsd_containers *targets_resolve(struct nsd_target *const *ts, size_t n, const char *procfs,
				       const struct engine_roots *roots)
{
	struct nsd_containers *cs = NULL;
	bool need_walk = procfs != NULL;

	for (size_t i = 0; i < n; i++)
		need_walk |= ts[i] && nsd_target_get_kind(ts[i]) == NSD_TARGET_CONTAINER;
	/* A PID or a namespace file of /proc needs no walk: it costs nothing then. */
	if (need_walk) {
		struct nsd_graph *g = graph_open(procfs, 0);

		cs = containers_open(g, roots);
		nsd_graph_unref(g);
	}
	for (size_t i = 0; i < n; i++)
		if (ts[i])
			target_resolve(ts[i], cs);
	return cs;
}
