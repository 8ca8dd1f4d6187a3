/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The inspect report of one target (nsdebug-inspect(1) documents its
 * schema): built once as a JSON tree, which inspect prints as JSON or as
 * text and collect stores in its bundle.
 */
#ifndef NSDEBUG_CMD_REPORT_H
#define NSDEBUG_CMD_REPORT_H

#include <json-c/json.h>

#include "common.h"

DEFINE_CLEANUP_FUNC(struct json_object, json_object_put)

struct report_input {
	struct nsd_target *target;     /* resolved, with a process */
	struct nsd_containers *cs;     /* scanned, its graph with NSD_SCAN_HIERARCHY */
	struct nsd_proc *proc;         /* the target's process in that graph */
	const char *host_mountinfo;    /* a file, or NULL for PID 1's of the procfs */
	time_t now;
};

/* The report; exits 1 on ENOMEM. What could not be read is in its "warnings". */
struct json_object *report_build(const struct report_input *in);

/* Finds the target's process in @g: exits 1 with one line when it has none
 * or it exited. */
struct nsd_proc *report_target_proc(struct nsd_target *t, struct nsd_graph *g);

/* Parses the target @arg of command @sub, walks @procfs, reads the
 * containers and builds the report; the containers and the target are
 * returned for the caller to unref. Exits 1 or 2 with one line on failure. */
struct json_object *report_open(const char *sub, const char *arg, const char *procfs,
				const struct engine_roots *roots, const char *host_mountinfo,
				struct nsd_containers **ret_cs, struct nsd_target **ret_t);

/* JSON text of @obj, pretty-printed, with a final newline; exits 1 on ENOMEM. */
char *report_to_json(struct json_object *obj);

#endif
