#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsdebug graph on the real host, with a container, an ip netns, an fd
# holder and nested user namespaces with a ghost: the DOT renders with
# Graphviz, and the JSON follows the schema of nsdebug-graph(1); -p and -t
# select what they say.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1
command -v dot >/dev/null || { echo "skip: graphviz (dot) is not installed"; exit 77; }
make_tmpdir
tmp=$tmpdir

runc_start nsdebug-it-graph-$$ sleep 600
cpid=$container_pid
netns_add nsdebug-it-graph-$$
bash -c "exec 3</run/netns/nsdebug-it-graph-$$; exec sleep 600" </dev/null >/dev/null 2>&1 &
track_pid $!
wait_for 5 test -e "/proc/$!/fd/3"
unshare -U -r --fork --kill-child sh -c 'unshare -U -r unshare -U -r --pid --fork --kill-child sleep 600' \
	</dev/null >/dev/null 2>&1 &
track_pid $!
nested=$!
has_sleep() { pgrep -x sleep -P "$(pgrep -P "$(pgrep -P "$nested")")"; }
wait_for 5 has_sleep
track_tree "$nested"

"$NSDEBUG" graph >"$tmp/graph.dot" 2>/dev/null
dot -Tsvg "$tmp/graph.dot" >"$tmp/graph.svg" || fail "dot -Tsvg failed on: $(head -c 2000 "$tmp/graph.dot")"
grep -q '<svg' "$tmp/graph.svg" || fail "dot did not write an SVG"
grep -q "cluster_user" "$tmp/graph.dot" || fail "no user namespace cluster"
grep -q 'dashed' "$tmp/graph.dot" || fail "no ghost drawn dashed"

"$NSDEBUG" graph -J >"$tmp/graph.json" 2>/dev/null
# The schema of nsdebug-graph(1), JSON OUTPUT.
jq -e '
	def is_holder:
		(.kind | IN("for-children", "thread", "fd", "mount", "ghost"))
		and (if .kind == "ghost" then has("pid") | not else .pid | type == "number" end)
		and (if .kind == "thread" then .tid | type == "number" else has("tid") | not end)
		and (if .kind == "fd" then .fd | type == "number" else has("fd") | not end)
		and (if .kind == "mount" then (.mntns | type == "number") and (.path | type == "string")
		     else (has("mntns") or has("path")) | not end);
	(keys == ["edges", "nodes", "processes"])
	and all(.nodes[];
		(.id == "ns:\(.inode)")
		and (.type | IN("mnt", "net", "ipc", "user", "pid", "uts", "cgroup", "time"))
		and (.nprocs | type == "number")
		and all(.holder_kinds[]; IN("process", "for-children", "thread", "fd", "mount", "ghost"))
		and all(.holders[]; is_holder)
		and (.container == null or ((.container | keys) == ["engine", "id", "name"]
			and (.container.engine | type == "string") and (.container.id | type == "string")
			and (.container.name | type | IN("string", "null"))))
		and (if .type == "user" then (.owner_uid | type | IN("number", "null"))
		     else has("owner_uid") | not end)
		and ((keys - ["owner_uid"]) == ["container", "holder_kinds", "holders", "id", "inode", "nprocs", "type"]))
	and all(.processes[]; .id == "pid:\(.pid)" and keys == ["comm", "id", "pid", "ppid", "uid"])
	and (([.nodes[].id] + [.processes[].id]) as $ids
		| all(.edges[]; (.type | IN("member", "parent", "owner"))
			and (.from | IN($ids[])) and (.to | IN($ids[]))
			and (if .type == "member" then (.from | startswith("pid:")) else (.from | startswith("ns:")) end)))
' "$tmp/graph.json" >/dev/null || fail "nsdebug graph -J does not follow its schema"
# What the test made is there: the ip netns held by a mount and an fd, a ghost.
ino=$(stat -L -c %i "/run/netns/nsdebug-it-graph-$$")
jq -e ".nodes[] | select(.inode == $ino) | .holder_kinds == [\"fd\", \"mount\"]" "$tmp/graph.json" >/dev/null ||
	fail "ip netns $ino: not held by an fd and a mount"
jq -e '[.nodes[] | select(.holder_kinds == ["ghost"])] | length >= 1' "$tmp/graph.json" >/dev/null ||
	fail "no ghost in the graph"

# The runc container's namespaces carry it; the host's carry none.
jq -e ".nodes[] | select(.inode == $(ns_of "$cpid" net)) | .container
	| .engine == \"runc\" and .id == \"nsdebug-it-graph-$$\"" "$tmp/graph.json" >/dev/null ||
	fail "the container's net namespace does not name runc:nsdebug-it-graph-$$"
jq -e ".nodes[] | select(.inode == $(ns_of $$ net)) | .container == null" "$tmp/graph.json" \
	>/dev/null || fail "the host's net namespace names a container"
grep -q "label=\"runc:nsdebug-it-graph-$$\"" "$tmp/graph.dot" || fail "no DOT cluster for the container"

# -p: the container's init reaches its own namespaces and their owners, and
# is the only process; -t keeps only that type.
"$NSDEBUG" graph -J -p "$cpid" >"$tmp/task.json" 2>/dev/null
for type in mnt net pid uts ipc; do
	jq -e ".nodes[] | select(.inode == $(ns_of "$cpid" "$type"))" "$tmp/task.json" >/dev/null ||
		fail "-p $cpid: its $type namespace is missing"
done
[ "$(jq -c '[.processes[].pid]' "$tmp/task.json")" = "[$cpid]" ] || fail "-p $cpid: other processes shown"
[ "$(jq '[.nodes[] | select(.inode == '"$ino"')] | length' "$tmp/task.json")" = 0 ] ||
	fail "-p $cpid: reaches the host's ip netns"
[ "$("$NSDEBUG" graph -J -t net 2>/dev/null | jq -c '[.nodes[].type] | unique')" = '["net"]' ] ||
	fail "-t net shows other types"
echo "ok: $(jq '.nodes | length' "$tmp/graph.json") namespaces, $(jq '.edges | length' "$tmp/graph.json") edges; DOT renders"
