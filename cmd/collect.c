/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsdebug collect: an evidence bundle of a target, changing nothing in it:
 * the inspect report, its mount table and processes, files of its root,
 * and a manifest with the SHA-256 of each (lib/bundle.c).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

DEFINE_CLEANUP_FUNC(struct nsd_bundle, nsd_bundle_unref)

enum {
	OPT_FILE = 0x200,
	OPT_HOST_MOUNTINFO,
};

#define FILES_MAX 256

struct collect_ctl {
	const char *output;
	const char *procfs;
	const char *host_mountinfo;
	struct engine_roots roots;
	const char *files[FILES_MAX];
	size_t nfiles;
};

static void usage(void)
{
	printf("Usage:\n"
	       " nsdebug collect [options] <target> -o <file.tar>\n"
	       "\n"
	       "Write an evidence bundle of <target> (a container, a PID or a namespace file of\n"
	       "a process): its inspect report, mount table, processes and the files asked\n"
	       "for, with the SHA-256 of each and the time, without changing the target.\n"
	       "\n"
	       "Options:\n"
	       " -o, --output <file>    the tar file to write (it must not exist)\n"
	       "     --file <path>      add the file <path> of the target's root filesystem;\n"
	       "                          may be repeated\n"
	       "     --host-mountinfo <file>  the host's mountinfo, for host paths\n"
	       "                              (default: that of PID 1 of the procfs)\n"
	       "     --proc <dir>       read processes from procfs <dir> (default /proc)\n"
	       USAGE_ENGINE_ROOT
	       " -h, --help             display this help\n"
	       "\n"
	       "For more details see nsdebug-collect(1).\n");
}

/* An absolute path without "." or ".." components: it names one file, and
 * its member name in the bundle cannot leave the directory it is extracted in. */
static bool is_plain_path(const char *path)
{
	if (path[0] != '/')
		return false;
	for (const char *p = path; (p = strchr(p, '/')); p++) {
		size_t n = strcspn(p + 1, "/");

		if ((n == 1 && p[1] == '.') || (n == 2 && p[1] == '.' && p[2] == '.'))
			return false;
	}
	return true;
}

static const char *parse_options(struct collect_ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"file", required_argument, NULL, OPT_FILE},
		{"host-mountinfo", required_argument, NULL, OPT_HOST_MOUNTINFO},
		{"proc", required_argument, NULL, OPT_PROC},
		{"engine-root", required_argument, NULL, OPT_ENGINE_ROOT},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			ctl->output = optarg;
			break;
		case OPT_FILE:
			if (!is_plain_path(optarg))
				usage_fail("collect", "--file: '%.100s' is not an absolute path without "
						      "'.' and '..'", optarg);
			if (ctl->nfiles == FILES_MAX)
				usage_fail("collect", "--file: given more than %d times", FILES_MAX);
			ctl->files[ctl->nfiles++] = optarg;
			break;
		case OPT_HOST_MOUNTINFO:
			ctl->host_mountinfo = optarg;
			break;
		case OPT_PROC:
			ctl->procfs = optarg;
			break;
		case OPT_ENGINE_ROOT:
			engine_roots_add("collect", &ctl->roots, optarg);
			break;
		case 'h':
			usage();
			exit(EXIT_SUCCESS);
		default:
			bad_option("collect", argv, c);
		}
	}
	if (optind >= argc)
		usage_fail("collect", "no target given");
	if (optind + 1 < argc)
		usage_fail("collect", "unexpected argument '%.64s'", argv[optind + 1]);
	if (!ctl->output)
		usage_fail("collect", "no output file given (-o)");
	return argv[optind];
}

/* The member @name from @obj as JSON text. */
static int add_json(struct nsd_bundle *b, const char *name, struct json_object *obj)
{
	_cleanup_free_ char *text = report_to_json(obj);

	return nsd_bundle_add_data(b, name, text, strlen(text));
}

/* Removes the incomplete @path and exits 1 with one line. */
static __attribute__((noreturn)) void give_up(const char *path, const char *what, int error)
{
	unlink(path);
	errx(EXIT_RUNTIME, "%.100s: cannot write %s: %s", path, what, strerror(error));
}

int cmd_collect(int argc, char **argv)
{
	_cleanup_(nsd_containers_unrefp) struct nsd_containers *cs = NULL;
	_cleanup_(nsd_target_unrefp) struct nsd_target *t = NULL;
	_cleanup_(json_object_putp) struct json_object *report = NULL;
	_cleanup_(nsd_bundle_unrefp) struct nsd_bundle *b = NULL;
	_cleanup_close_ int fd = -EBADF;
	struct collect_ctl ctl = {0};
	const char *arg = parse_options(&ctl, argc, argv);
	struct json_object *processes = NULL;
	time_t now = time(NULL);
	struct nsd_proc *p;
	int r;

	report = report_open("collect", arg, ctl.procfs, &ctl.roots, ctl.host_mountinfo, &cs, &t);
	p = report_target_proc(t, nsd_containers_get_graph(cs));
	/* Evidence is not written over, nor readable by others. */
	fd = open(ctl.output, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0)
		err(EXIT_RUNTIME, "%.100s", ctl.output);
	b = nsd_bundle_new(fd);
	if (!b)
		give_up(ctl.output, "the bundle", errno);
	r = add_json(b, "inspect.json", report);
	if (r < 0)
		give_up(ctl.output, "inspect.json", -r);
	json_object_object_get_ex(report, "processes", &processes);
	r = add_json(b, "processes.json", processes);
	if (r < 0)
		give_up(ctl.output, "processes.json", -r);
	r = nsd_bundle_add_proc_file(b, p, "mountinfo", "mountinfo");
	if (r == -ESRCH)
		give_up(ctl.output, "mountinfo", ESRCH);
	if (r < 0)
		warnx("%.100s: mountinfo: not collected: %s", arg, strerror(-r));
	for (size_t i = 0; i < ctl.nfiles; i++) {
		r = nsd_bundle_add_root_file(b, p, ctl.files[i]);
		if (r == -ENOMEM)
			nomem();
		/* The manifest lists it with the reason too. */
		if (r < 0)
			warnx("%.100s: %.100s: not collected: %s", arg, ctl.files[i],
			      r == -EINVAL ? "not a regular file" : strerror(-r));
	}
	r = nsd_bundle_close(b, now);
	if (r < 0)
		give_up(ctl.output, "the manifest", -r);
	if (fsync(fd) < 0 || close(TAKE_FD(fd)) < 0)
		give_up(ctl.output, "the bundle", errno);
	return EXIT_SUCCESS;
}
