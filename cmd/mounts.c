/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nsdebug mounts: a mount namespace's tree, findmnt-compatible, with host origins. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include <nsdebug.h>

#include "common.h"

enum {
	COL_TARGET,
	COL_SOURCE,
	COL_FSTYPE,
	COL_OPTIONS,
	COL_VFS_OPTIONS,
	COL_FS_OPTIONS,
	COL_FSROOT,
	COL_ID,
	COL_PARENT,
	COL_MAJMIN,
	COL_PROPAGATION,
	COL_UUID,
	COL_LABEL,
	COL_PARTUUID,
	COL_HOST_PATH,
	COL_EXPOSED,
	COL_ONLY_IN,
};

/* Names, meaning and JSON types as in findmnt(8) up to PARTUUID. */
static const struct colinfo infos[] = {
	[COL_TARGET] = {"TARGET", 0.30, 0, SCOLS_JSON_STRING, "mount point"},
	[COL_SOURCE] = {"SOURCE", 0.25, 0, SCOLS_JSON_STRING,
			"source device, with [FSROOT] for a bind mount"},
	[COL_FSTYPE] = {"FSTYPE", 0.10, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, "filesystem type"},
	[COL_OPTIONS] = {"OPTIONS", 0.10, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			 "all mount options"},
	[COL_VFS_OPTIONS] = {"VFS-OPTIONS", 0.20, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			     "mount options of this mount"},
	[COL_FS_OPTIONS] = {"FS-OPTIONS", 0.10, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
			    "options of the filesystem"},
	[COL_FSROOT] = {"FSROOT", 0.25, 0, SCOLS_JSON_STRING,
			"directory of the filesystem that is mounted"},
	[COL_ID] = {"ID", 2, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "mount ID"},
	[COL_PARENT] = {"PARENT", 2, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "mount parent ID"},
	[COL_MAJMIN] = {"MAJ:MIN", 6, 0, SCOLS_JSON_STRING, "major:minor device number"},
	[COL_PROPAGATION] = {"PROPAGATION", 0.10, 0, SCOLS_JSON_STRING,
			     "VFS propagation flags"},
	[COL_UUID] = {"UUID", 36, 0, SCOLS_JSON_STRING, "filesystem UUID"},
	[COL_LABEL] = {"LABEL", 0.10, 0, SCOLS_JSON_STRING, "filesystem label"},
	[COL_PARTUUID] = {"PARTUUID", 36, 0, SCOLS_JSON_STRING, "partition UUID"},
	[COL_HOST_PATH] = {"HOST-PATH", 0.25, 0, SCOLS_JSON_STRING,
			   "where the mounted directory is on the host; an overlay's layers"},
	[COL_EXPOSED] = {"EXPOSED", 0.20, 0, SCOLS_JSON_STRING,
			 "why the mount gives the target a host path that matters"},
	[COL_ONLY_IN] = {"ONLY-IN", 0.10, 0, SCOLS_JSON_STRING,
			 "with --diff: the side that has the mount"},
};

static const int default_cols[] = {COL_TARGET, COL_SOURCE, COL_FSTYPE, COL_OPTIONS};
static const int exposed_cols[] = {COL_TARGET, COL_HOST_PATH, COL_VFS_OPTIONS, COL_EXPOSED};
static const int diff_cols[] = {COL_ONLY_IN, COL_TARGET, COL_SOURCE, COL_FSTYPE, COL_OPTIONS};

/* Long options of this command only; common.h has the shared ones. */
enum {
	OPT_EXPOSED = 0x200,
	OPT_MOUNTINFO,
	OPT_HOST_MOUNTINFO,
	OPT_DIFF,
	OPT_DIFF_MOUNTINFO,
};

/* One mount table to show or compare, and what the user called it. */
struct side {
	const char *name;     /* a target or a file, as given */
	struct nsd_target *t; /* NULL for a file */
	struct nsd_mounts *mounts;
};

struct mounts_ctl {
	struct outopts out;
	const char *procfs;
	struct engine_roots roots; /* --engine-root */
	const char *types; /* -t pattern */
	const char *host_mountinfo;
	bool exposed;
	bool diff;
	struct side target, other;
	int cols[64];
	size_t ncols;
};

static void usage(void)
{
	printf("Usage:\n"
	       " nsdebug mounts [options] <target>\n"
	       " nsdebug mounts [options] --mountinfo <file>\n"
	       "\n"
	       "Show the mounts of the mount namespace of <target> (a PID, a container or a\n"
	       "namespace file of a process), like findmnt.\n"
	       "\n"
	       "Options:\n"
	       " -J, --json                 use JSON output format\n"
	       " -l, --list                 use list format output (no tree)\n"
	       " -n, --noheadings           don't print headings\n"
	       " -o, --output <list>        output columns; +<list> adds to the default ones\n"
	       "     --output-all           output all columns\n"
	       " -r, --raw                  use the raw output format\n"
	       " -t, --types <list>         limit the set of filesystems by types\n"
	       " -u, --notruncate           don't truncate text in columns\n"
	       "     --exposed              show only mounts that give the target a host path\n"
	       "                              that matters, with the reason\n"
	       "     --diff <other>         show what is mounted in one namespace and not in\n"
	       "                              that of <other> (a target)\n"
	       "     --mountinfo <file>     read the mounts from a copy of a mountinfo file\n"
	       "     --diff-mountinfo <file>  like --diff, with a mountinfo file\n"
	       "     --host-mountinfo <file>  the host's mountinfo, for HOST-PATH and EXPOSED\n"
	       "                              (default: that of PID 1 of the procfs)\n"
	       "     --proc <dir>           read processes from procfs <dir> (default /proc)\n"
	       USAGE_ENGINE_ROOT
	       " -H, --list-columns         list the available columns\n"
	       " -h, --help                 display this help\n"
	       "\n"
	       "For more details see nsdebug-mounts(1).\n");
}

static bool has_column(const struct mounts_ctl *ctl, int col)
{
	for (size_t i = 0; i < ctl->ncols; i++)
		if (ctl->cols[i] == col)
			return true;
	return false;
}

static bool wants_tags(const struct mounts_ctl *ctl)
{
	return has_column(ctl, COL_UUID) || has_column(ctl, COL_LABEL) ||
	       has_column(ctl, COL_PARTUUID);
}

static bool wants_host(const struct mounts_ctl *ctl)
{
	return ctl->exposed || has_column(ctl, COL_HOST_PATH) || has_column(ctl, COL_EXPOSED);
}

/* Reads @s from its process or file; exits 1 with one line on failure. */
static void load(const struct mounts_ctl *ctl, struct side *s, const char *what)
{
	int r;

	s->mounts = nsd_mounts_new();
	if (!s->mounts)
		errx(EXIT_RUNTIME, "out of memory");
	/* A namespace file held by no process (/run/netns/NAME) has no mounts to read. */
	if (s->t && nsd_target_get_pid(s->t) == 0)
		errx(EXIT_RUNTIME, "%.100s: no process holds it, so it has no mount table to read",
		     s->name);
	if (s->t)
		r = nsd_mounts_read_pid(s->mounts, nsd_target_get_procfs(s->t), nsd_target_get_pid(s->t),
					nsd_target_get_pidfd(s->t));
	else
		r = nsd_mounts_read_file(s->mounts, s->name);
	/* A PID that does not exist is -ESRCH: these are about the procfs. */
	if (s->t && (r == -ENOENT || r == -ENOTDIR))
		errx(EXIT_RUNTIME, "%.100s: cannot open procfs: %s", nsd_target_get_procfs(s->t),
		     strerror(-r));
	if (r == -EBADMSG)
		errx(EXIT_RUNTIME, "%.100s: cannot parse %s line %zu: %s", s->name, what,
		     nsd_mounts_get_error_line(s->mounts), strerror(-r));
	if (r < 0)
		errx(EXIT_RUNTIME, "%.100s: cannot read %s: %s", s->name, what, strerror(-r));
}

static const char *propagation(unsigned fl)
{
	/* findmnt's spelling: private or shared, then the other flags. */
	static const char *const names[] = {
		"private",
		"shared",
		"private,slave",
		"shared,slave",
		"private,unbindable",
		"shared,unbindable",
		"private,slave,unbindable",
		"shared,slave,unbindable",
	};

	return names[fl & 7];
}

static void fill_row(const struct mounts_ctl *ctl, struct libscols_line *ln,
		     const struct nsd_mount *mnt, const char *only_in)
{
	for (size_t i = 0; i < ctl->ncols; i++) {
		const char *source = nsd_mount_get_source(mnt), *root = nsd_mount_get_fsroot(mnt);
		dev_t dev = nsd_mount_get_devno(mnt);

		switch (ctl->cols[i]) {
		case COL_TARGET:
			line_set(ln, i, nsd_mount_get_target(mnt));
			break;
		case COL_SOURCE:
			/* findmnt's form: a bind mount shows the directory it binds. */
			if (source && strcmp(root, "/") != 0)
				line_setf(ln, i, "%s[%s]", source, root);
			else
				line_set(ln, i, source);
			break;
		case COL_FSTYPE:
			line_set(ln, i, nsd_mount_get_fstype(mnt));
			break;
		case COL_OPTIONS:
			line_set(ln, i, nsd_mount_get_options(mnt));
			break;
		case COL_VFS_OPTIONS:
			line_set(ln, i, nsd_mount_get_vfs_options(mnt));
			break;
		case COL_FS_OPTIONS:
			line_set(ln, i, nsd_mount_get_fs_options(mnt));
			break;
		case COL_FSROOT:
			line_set(ln, i, root);
			break;
		case COL_ID:
			line_setf(ln, i, "%d", nsd_mount_get_id(mnt));
			break;
		case COL_PARENT:
			line_setf(ln, i, "%d", nsd_mount_get_parent_id(mnt));
			break;
		case COL_MAJMIN:
			line_setf(ln, i, "%u:%u", major(dev), minor(dev));
			break;
		case COL_PROPAGATION:
			line_set(ln, i, propagation(nsd_mount_get_propagation(mnt)));
			break;
		case COL_UUID:
			line_set(ln, i, nsd_mount_get_tag(mnt, NSD_MOUNT_TAG_UUID));
			break;
		case COL_LABEL:
			line_set(ln, i, nsd_mount_get_tag(mnt, NSD_MOUNT_TAG_LABEL));
			break;
		case COL_PARTUUID:
			line_set(ln, i, nsd_mount_get_tag(mnt, NSD_MOUNT_TAG_PARTUUID));
			break;
		case COL_HOST_PATH:
			line_set(ln, i, nsd_mount_get_host_path(mnt));
			break;
		case COL_EXPOSED:
			line_set(ln, i, nsd_mount_get_exposure(mnt));
			break;
		case COL_ONLY_IN:
			line_set(ln, i, only_in);
			break;
		}
	}
}

static bool is_wanted(const struct mounts_ctl *ctl, const struct nsd_mount *mnt)
{
	if (ctl->types && !nsd_mount_match_fstype(mnt, ctl->types))
		return false;
	if (ctl->exposed && !nsd_mount_get_exposure(mnt))
		return false;
	if (ctl->diff && nsd_mount_get_counterpart(mnt))
		return false;
	return true;
}

/* One row per wanted mount of @s, in file order. */
static void add_rows(const struct mounts_ctl *ctl, struct libscols_table *tb, struct side *s)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_mount *mnt;

	if (!itr)
		errx(EXIT_RUNTIME, "out of memory");
	while (nsd_mounts_next_mount(s->mounts, itr, &mnt) == 0)
		if (is_wanted(ctl, mnt))
			fill_row(ctl, table_new_line(tb, NULL), mnt, ctl->diff ? s->name : NULL);
}

/* The tree, breadth first so that every parent's line exists before its
 * children's, without recursion: a forged file may nest 20,000 deep. */
static void add_tree(const struct mounts_ctl *ctl, struct libscols_table *tb, struct side *s)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	_cleanup_free_ struct nsd_mount **queue = NULL;
	size_t head = 0, tail = 0;
	struct nsd_mount *mnt, *child;

	queue = calloc(nsd_mounts_get_nmounts(s->mounts), sizeof(*queue));
	if (!itr || !queue)
		errx(EXIT_RUNTIME, "out of memory");
	while (nsd_mounts_next_root(s->mounts, itr, &mnt) == 0)
		queue[tail++] = mnt;
	while (head < tail) {
		struct nsd_mount *parent;
		struct libscols_line *ln;

		mnt = queue[head++];
		parent = nsd_mount_get_parent(mnt);
		ln = table_new_line(tb, parent ? nsd_mount_get_userdata(parent) : NULL);
		fill_row(ctl, ln, mnt, NULL);
		nsd_mount_set_userdata(mnt, ln);
		nsd_iter_reset(itr);
		while (nsd_mount_next_child(mnt, itr, &child) == 0)
			queue[tail++] = child;
	}
}

static int show(struct mounts_ctl *ctl)
{
	_cleanup_(scols_unref_tablep) struct libscols_table *tb = table_new(&ctl->out,
									      "filesystems");
	/* findmnt draws no tree in raw output nor for a filtered selection;
	 * the tree is drawn in TARGET, without it the rows are a list. */
	bool tree = !ctl->out.list && !ctl->out.raw && !ctl->types && !ctl->exposed &&
		    !ctl->diff && has_column(ctl, COL_TARGET);
	int r;

	for (size_t i = 0; i < ctl->ncols; i++)
		table_add_column(tb, &infos[ctl->cols[i]], &ctl->out,
				 tree && ctl->cols[i] == COL_TARGET);
	if (tree) {
		add_tree(ctl, tb, &ctl->target);
	} else {
		add_rows(ctl, tb, &ctl->target);
		if (ctl->diff)
			add_rows(ctl, tb, &ctl->other);
	}
	r = scols_print_table(tb);
	if (r < 0)
		errx(EXIT_RUNTIME, "cannot print the table: %s", strerror(-r));
	return EXIT_SUCCESS;
}

/* Finds the host origin of the mounts of @s in @host. */
static void resolve_host(struct side *s, struct nsd_mounts *host)
{
	if (s->mounts && nsd_mounts_resolve_host(s->mounts, host) < 0)
		errx(EXIT_RUNTIME, "out of memory");
}

static void read_tags(struct side *s)
{
	if (s->mounts && nsd_mounts_read_tags(s->mounts) < 0)
		errx(EXIT_RUNTIME, "out of memory");
}

/* Columns from -o, the defaults of the mode, and the column a mode is about. */
static void parse_columns(struct mounts_ctl *ctl)
{
	const int *defaults = default_cols;
	size_t ndefaults = ELEMENTSOF(default_cols);
	int must = -1;

	if (ctl->diff) {
		defaults = diff_cols;
		ndefaults = ELEMENTSOF(diff_cols);
		must = COL_ONLY_IN;
	} else if (ctl->exposed) {
		defaults = exposed_cols;
		ndefaults = ELEMENTSOF(exposed_cols);
		must = COL_EXPOSED;
	}
	ctl->ncols = columns_parse("mounts", &ctl->out, infos, ELEMENTSOF(infos), defaults,
				   ndefaults, ctl->cols, ELEMENTSOF(ctl->cols));
	if (must < 0 || has_column(ctl, must))
		return;
	if (ctl->ncols >= ELEMENTSOF(ctl->cols))
		usage_fail("mounts", "too many columns");
	/* ONLY-IN leads, as a diff's sign does; EXPOSED ends the row. */
	if (must == COL_ONLY_IN) {
		memmove(ctl->cols + 1, ctl->cols, ctl->ncols * sizeof(ctl->cols[0]));
		ctl->cols[0] = must;
	} else {
		ctl->cols[ctl->ncols] = must;
	}
	ctl->ncols++;
}

static void parse_options(struct mounts_ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		OUTOPTS_LONGOPTS,
		{"types", required_argument, NULL, 't'},
		{"exposed", no_argument, NULL, OPT_EXPOSED},
		{"diff", required_argument, NULL, OPT_DIFF},
		{"mountinfo", required_argument, NULL, OPT_MOUNTINFO},
		{"diff-mountinfo", required_argument, NULL, OPT_DIFF_MOUNTINFO},
		{"host-mountinfo", required_argument, NULL, OPT_HOST_MOUNTINFO},
		{"proc", required_argument, NULL, OPT_PROC},
		{"engine-root", required_argument, NULL, OPT_ENGINE_ROOT},
		{"list-columns", no_argument, NULL, 'H'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" OUTOPTS_SHORTOPTS "t:Hh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (!*optarg)
				usage_fail("mounts", "-t: empty list of types");
			ctl->types = optarg;
			break;
		case OPT_EXPOSED:
			ctl->exposed = true;
			break;
		case OPT_DIFF:
		case OPT_DIFF_MOUNTINFO:
			if (ctl->diff)
				usage_fail("mounts", "--diff or --diff-mountinfo given twice");
			ctl->diff = true;
			ctl->other.name = optarg;
			if (c == OPT_DIFF)
				ctl->other.t = target_parse("mounts", optarg);
			break;
		case OPT_MOUNTINFO:
			ctl->target.name = optarg;
			break;
		case OPT_HOST_MOUNTINFO:
			ctl->host_mountinfo = optarg;
			break;
		case OPT_PROC:
			ctl->procfs = optarg;
			break;
		case OPT_ENGINE_ROOT:
			engine_roots_add("mounts", &ctl->roots, optarg);
			break;
		case 'h':
			usage();
			exit(EXIT_SUCCESS);
		default:
			if (!outopts_parse(&ctl->out, c, optarg))
				bad_option("mounts", argv, c);
		}
	}
	columns_list(infos, ELEMENTSOF(infos), &ctl->out);
	if (optind < argc && ctl->target.name)
		usage_fail("mounts", "a target and --mountinfo given; use one");
	if (optind < argc) {
		ctl->target.name = argv[optind];
		ctl->target.t = target_parse("mounts", argv[optind++]);
	}
	if (optind < argc)
		usage_fail("mounts", "unexpected argument '%.64s'", argv[optind]);
	if (!ctl->target.name)
		usage_fail("mounts", "no target given");
	if (ctl->exposed && !ctl->target.t && !ctl->host_mountinfo)
		usage_fail("mounts", "--exposed with --mountinfo needs --host-mountinfo");
	parse_columns(ctl);
}

int cmd_mounts(int argc, char **argv)
{
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *target = NULL, *other = NULL;
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *host = NULL;
	_cleanup_(nsd_containers_unrefp) struct nsd_containers *cs = NULL;
	struct mounts_ctl ctl = {0};
	struct side host_side = {0};
	struct nsd_target *targets[3];
	int r;

	parse_options(&ctl, argc, argv);
	/* The host is PID 1 of the same procfs; a file target has no host
	 * unless one is given. */
	if (wants_host(&ctl) && !ctl.host_mountinfo && ctl.target.t) {
		host_side.name = "1";
		host_side.t = target_parse("mounts", "1");
	}
	targets[0] = ctl.target.t;
	targets[1] = ctl.other.t;
	targets[2] = host_side.t;
	cs = targets_resolve(targets, ELEMENTSOF(targets), ctl.procfs, &ctl.roots);

	load(&ctl, &ctl.target, "mountinfo");
	target = ctl.target.mounts;
	if (ctl.diff) {
		load(&ctl, &ctl.other, "mountinfo");
		other = ctl.other.mounts;
		if (nsd_mounts_compare(target, other) < 0)
			errx(EXIT_RUNTIME, "out of memory");
	}
	if (wants_host(&ctl) && (ctl.host_mountinfo || host_side.t)) {
		if (ctl.host_mountinfo)
			host_side.name = ctl.host_mountinfo;
		load(&ctl, &host_side, "the host's mountinfo");
		host = host_side.mounts;
		resolve_host(&ctl.target, host);
		resolve_host(&ctl.other, host);
	}
	if (wants_tags(&ctl)) {
		read_tags(&ctl.target);
		read_tags(&ctl.other);
	}
	r = show(&ctl);
	for (size_t i = 0; i < ELEMENTSOF(targets); i++)
		nsd_target_unref(targets[i]);
	return r;
}
