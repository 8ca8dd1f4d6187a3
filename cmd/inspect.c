/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsdebug inspect: what a container can see and do and what it is doing,
 * from the host, changing nothing: identity, namespaces, privileges,
 * filesystem, network and processes. One report (report.c), printed as
 * JSON or as a summary for people.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

enum {
	OPT_HOST_MOUNTINFO = 0x200,
};

struct inspect_ctl {
	bool json;
	const char *procfs;
	const char *host_mountinfo;
	struct engine_roots roots;
};

static void usage(void)
{
	printf("Usage:\n"
	       " nsdebug inspect [options] <target>\n"
	       "\n"
	       "Report what <target> (a container, a PID or a namespace file of a process) can\n"
	       "see and do and what it is doing: identity, namespaces, privileges, filesystem,\n"
	       "network and processes, read from the host without changing it.\n"
	       "\n"
	       "Options:\n"
	       " -J, --json             print the full report as JSON\n"
	       "     --host-mountinfo <file>  the host's mountinfo, for host paths\n"
	       "                              (default: that of PID 1 of the procfs)\n"
	       "     --proc <dir>       read processes from procfs <dir> (default /proc)\n"
	       USAGE_ENGINE_ROOT
	       " -h, --help             display this help\n"
	       "\n"
	       "For more details see nsdebug-inspect(1).\n");
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	return v ? json_object_get_string(v) : NULL;
}

static bool boolean(struct json_object *o, const char *key)
{
	return json_object_get_boolean(get(o, key));
}

/* Prints @s with control characters as '?': text from a container must
 * not drive the terminal. */
static void put_safe(const char *s)
{
	for (; s && *s; s++)
		putchar((unsigned char)*s < ' ' || *s == 0x7f ? '?' : *s);
}

static void field(const char *label, const char *value)
{
	printf("  %-12s ", label);
	put_safe(value ? value : "-");
	putchar('\n');
}

/* Array of strings as one comma-separated line. */
static void list_field(const char *label, struct json_object *arr)
{
	size_t n = arr ? json_object_array_length(arr) : 0;

	printf("  %-12s ", label);
	if (!arr)
		fputs("-", stdout);
	else if (n == 0)
		fputs("none", stdout);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(", ", stdout);
		put_safe(json_object_get_string(json_object_array_get_idx(arr, i)));
	}
	putchar('\n');
}

static void print_identity(struct json_object *r)
{
	struct json_object *id = get(r, "identity");

	printf("Target %s\n", str(r, "target"));
	if (str(id, "engine"))
		printf("  %-12s %s:%s (ID %s)\n", "container", str(id, "engine"),
		       str(id, "name") ? str(id, "name") : "-", str(id, "id"));
	else
		field("container", "none found");
	if (str(id, "pod"))
		printf("  %-12s %s/%s\n", "pod", str(id, "k8s_namespace"), str(id, "pod"));
	printf("  %-12s %s on the host, %s in its pid namespace\n", "init PID", str(id, "pid"),
	       str(id, "nspid") ? str(id, "nspid") : "?");
	field("started", str(id, "start_time"));
	field("command", str(id, "command"));
}

static void print_namespaces(struct json_object *r)
{
	struct json_object *arr = get(r, "namespaces");

	printf("Namespaces\n");
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *ns = json_object_array_get_idx(arr, i);
		const char *type = str(ns, "type");
		bool host = boolean(ns, "host");
		/* The host's pid or net namespace: the container sees the host's
		 * processes or network stack. */
		bool alarm = host && (strcmp(type, "pid") == 0 || strcmp(type, "net") == 0 ||
				      strcmp(type, "ipc") == 0 || strcmp(type, "user") == 0);

		printf("  %-12s %-12s %s\n", type, str(ns, "inode"),
		       !host ? "own" : alarm ? "HOST (shared with the host!)" : "host");
	}
}

static void print_map(const char *label, struct json_object *arr)
{
	size_t n = arr ? json_object_array_length(arr) : 0;

	printf("  %-12s ", label);
	if (!arr)
		fputs("-", stdout);
	else if (n == 0)
		fputs("none written", stdout);
	for (size_t i = 0; i < n; i++) {
		struct json_object *m = json_object_array_get_idx(arr, i);

		printf("%s%s-%lld -> %s (%s IDs)", i ? ", " : "", str(m, "inside"),
		       (long long)json_object_get_int64(get(m, "inside")) +
			       json_object_get_int64(get(m, "count")) - 1,
		       str(m, "outside"), str(m, "count"));
	}
	putchar('\n');
}

static void print_privileges(struct json_object *r)
{
	struct json_object *priv = get(r, "privileges"), *caps = get(priv, "capabilities");

	printf("Privileges\n");
	if (!boolean(priv, "user_namespace")) {
		field("user ns", "none: root here is root on the host");
	} else {
		field("user ns", boolean(priv, "root_is_host_root")
					 ? "own, but it maps root to the host's root"
					 : "own: root here is not root on the host");
		print_map("uid map", get(priv, "uid_map"));
		print_map("gid map", get(priv, "gid_map"));
	}
	field("host UID", str(priv, "host_uid"));
	if (boolean(caps, "all"))
		field("effective", "ALL capabilities");
	else
		list_field("effective", get(caps, "effective"));
	list_field("permitted", get(caps, "permitted"));
	list_field("bounding", get(caps, "bounding"));
	list_field("ambient", get(caps, "ambient"));
	field("NoNewPrivs", str(priv, "no_new_privs"));
	field("seccomp", str(priv, "seccomp"));
	field("LSM label", str(priv, "lsm_label") ? str(priv, "lsm_label") : "none");
}

static void print_filesystem(struct json_object *r)
{
	struct json_object *fs = get(r, "filesystem"), *root = get(fs, "root"),
			   *exposed = get(fs, "exposed");

	printf("Filesystem\n");
	if (root) {
		printf("  %-12s %s (%s), %s\n", "root", str(root, "source") ? str(root, "source") : "-",
		       str(root, "fstype"), boolean(root, "read_only") ? "read-only" : "writable");
		if (str(root, "host_path"))
			field("root on host", str(root, "host_path"));
	}
	for (size_t i = 0; exposed && i < json_object_array_length(exposed); i++) {
		struct json_object *m = json_object_array_get_idx(exposed, i);

		printf("  %-12s ", i ? "" : "exposed");
		put_safe(str(m, "target"));
		fputs(" <- ", stdout);
		put_safe(str(m, "host_path"));
		printf(" (%s): %s\n", boolean(m, "read_only") ? "ro" : "rw", str(m, "reason"));
	}
	if (exposed && json_object_array_length(exposed) == 0)
		field("exposed", "no host path that matters");
}

static void print_socket(const char *label, struct json_object *s)
{
	printf("  %-12s %-5s %-10s ", label, str(s, "protocol"), str(s, "state"));
	put_safe(str(s, "local") ? str(s, "local") : "*");
	if (str(s, "remote")) {
		fputs(" <-> ", stdout);
		put_safe(str(s, "remote"));
	}
	if (str(s, "pid")) {
		printf("  PID %s ", str(s, "pid"));
		put_safe(str(s, "command"));
	}
	putchar('\n');
}

static void print_network(struct json_object *r)
{
	struct json_object *net = get(r, "network"), *ifs = get(net, "interfaces"),
			   *routes = get(net, "routes"), *arr;

	printf("Network\n");
	for (size_t i = 0; ifs && i < json_object_array_length(ifs); i++) {
		struct json_object *nif = json_object_array_get_idx(ifs, i), *addrs = get(nif, "addresses");

		printf("  %-12s ", i ? "" : "interfaces");
		put_safe(str(nif, "name"));
		printf(" (%s%s%s)", boolean(nif, "up") ? "up" : "down", str(nif, "kind") ? ", " : "",
		       str(nif, "kind") ? str(nif, "kind") : "");
		for (size_t j = 0; j < json_object_array_length(addrs); j++)
			printf(" %s", json_object_get_string(json_object_array_get_idx(addrs, j)));
		putchar('\n');
	}
	for (size_t i = 0; routes && i < json_object_array_length(routes); i++) {
		struct json_object *rt = json_object_array_get_idx(routes, i);

		printf("  %-12s %s", i ? "" : "routes", str(rt, "destination"));
		if (str(rt, "gateway"))
			printf(" via %s", str(rt, "gateway"));
		if (str(rt, "interface")) {
			fputs(" dev ", stdout);
			put_safe(str(rt, "interface"));
		}
		putchar('\n');
	}
	arr = get(net, "listening");
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
		print_socket(i ? "" : "listening", json_object_array_get_idx(arr, i));
	arr = get(net, "connections");
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
		print_socket(i ? "" : "connections", json_object_array_get_idx(arr, i));
}

static void print_processes(struct json_object *r)
{
	struct json_object *arr = get(r, "processes");

	printf("Processes\n  %7s %5s %-8s %-5s %s\n", "PID", "NSPID", "USER", "FLAGS", "EXE / COMMAND");
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *p = json_object_array_get_idx(arr, i);
		char flags[8];

		/* H: host root; D: deleted executable; M: run from memory. */
		snprintf(flags, sizeof(flags), "%s%s%s", boolean(p, "host_root") ? "H" : "",
			 boolean(p, "exe_deleted") && !boolean(p, "exe_memfd") ? "D" : "",
			 boolean(p, "exe_memfd") ? "M" : "");
		printf("  %7s %5s %-8s %-5s ", str(p, "pid"), str(p, "nspid") ? str(p, "nspid") : "?",
		       str(p, "user") ? str(p, "user") : str(p, "uid") ? str(p, "uid") : "?",
		       flags[0] ? flags : "-");
		put_safe(str(p, "exe") ? str(p, "exe") : "-");
		fputs(" / ", stdout);
		put_safe(str(p, "command"));
		putchar('\n');
	}
	printf("  (flags: H runs as root on the host, D deleted executable, M run from memory)\n");
}

static void print_text(struct json_object *r)
{
	struct json_object *warnings = get(r, "warnings");

	print_identity(r);
	print_namespaces(r);
	print_privileges(r);
	print_filesystem(r);
	print_network(r);
	print_processes(r);
	for (size_t i = 0; i < json_object_array_length(warnings); i++) {
		fflush(stdout);
		warnx("%.100s: %s", str(r, "target"),
		      json_object_get_string(json_object_array_get_idx(warnings, i)));
	}
}

static const char *parse_options(struct inspect_ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'J'},
		{"host-mountinfo", required_argument, NULL, OPT_HOST_MOUNTINFO},
		{"proc", required_argument, NULL, OPT_PROC},
		{"engine-root", required_argument, NULL, OPT_ENGINE_ROOT},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":Jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			ctl->json = true;
			break;
		case OPT_HOST_MOUNTINFO:
			ctl->host_mountinfo = optarg;
			break;
		case OPT_PROC:
			ctl->procfs = optarg;
			break;
		case OPT_ENGINE_ROOT:
			engine_roots_add("inspect", &ctl->roots, optarg);
			break;
		case 'h':
			usage();
			exit(EXIT_SUCCESS);
		default:
			bad_option("inspect", argv, c);
		}
	}
	if (optind >= argc)
		usage_fail("inspect", "no target given");
	if (optind + 1 < argc)
		usage_fail("inspect", "unexpected argument '%.64s'", argv[optind + 1]);
	return argv[optind];
}

int cmd_inspect(int argc, char **argv)
{
	_cleanup_(nsd_containers_unrefp) struct nsd_containers *cs = NULL;
	_cleanup_(nsd_target_unrefp) struct nsd_target *t = NULL;
	_cleanup_(json_object_putp) struct json_object *report = NULL;
	struct inspect_ctl ctl = {0};
	const char *arg = parse_options(&ctl, argc, argv);

	report = report_open("inspect", arg, ctl.procfs, &ctl.roots, ctl.host_mountinfo, &cs, &t);
	if (ctl.json) {
		_cleanup_free_ char *text = report_to_json(report);

		fputs(text, stdout);
	} else {
		print_text(report);
	}
	return EXIT_SUCCESS;
}
