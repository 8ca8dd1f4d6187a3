#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The read-only commands as an unprivileged user (nobody): each exits 0,
# shows what nobody may see (its own process and namespaces), and says in
# one line on stderr what it left out (root's processes, the runc state
# under /run/runc), never a line per process or directory; and a process
# nobody may not read, named, is an error.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1
make_tmpdir
tmp=$tmpdir
chmod 755 "$tmp"

nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all)

# Root's: a process in a net namespace of its own and a runc container,
# whose state (/run/runc) nobody may not read.
unshare --net sleep 600 </dev/null >/dev/null 2>&1 &
private=$!
track_pid "$private"
name=nsdebug-it-nonroot-$$
runc_start "$name" sleep 600
[ "$(stat -c %a /run/runc)" = 700 ] || fail "/run/runc is readable by all: nothing to hide"
# nobody's own.
"${nobody[@]}" sleep 600 </dev/null >/dev/null 2>&1 &
own=$!
track_pid "$own"
is_nobodys() { [ "$(stat -c %U "/proc/$own")" = nobody ] && [ "$(ns_of "$private" net)" != "$(ns_of $$ net)" ]; }
wait_for 5 is_nobodys

# run NAME CMD...: runs nsdebug CMD as nobody into $tmp/NAME.{out,err}; it
# must exit 0.
run() {
	local what=$1 status=0
	shift
	"${nobody[@]}" "$NSDEBUG" "$@" >"$tmp/$what.out" 2>"$tmp/$what.err" </dev/null || status=$?
	[ "$status" = 0 ] || fail "$*: exit $status as nobody: $(head -c 500 "$tmp/$what.err")"
}
# says_once NAME PATTERN: stderr of NAME is one line, matching PATTERN.
says_once() {
	[ "$(wc -l <"$tmp/$1.err")" = 1 ] || fail "$1: not one line on stderr: $(head -c 1000 "$tmp/$1.err")"
	grep -Eq "^nsdebug: $2" "$tmp/$1.err" || fail "$1: unexpected message: $(cat "$tmp/$1.err")"
}
hidden_procs='(.*: )?namespaces of [0-9]+ process(es)? '
hidden_runc='.*the containers in [^;]*/run/runc[^;]*'
denied='could not be read \(permission denied\); .* out$'

# containers: root sees the runc container, nobody does not and says why.
"$NSDEBUG" containers -J >"$tmp/root.json"
jq -e --arg n "$name" '.containers[] | select(.name == $n)' "$tmp/root.json" >/dev/null ||
	fail "root does not see container $name"
run containers containers -J
jq -e .containers "$tmp/containers.out" >/dev/null || fail "containers: not valid JSON"
if jq -e --arg n "$name" '.containers[] | select(.name == $n)' "$tmp/containers.out" >/dev/null; then
	fail "nobody saw container $name"
fi
says_once containers "$hidden_runc $denied"

# audit: the same state, the same one line.
run audit audit -J
jq -e .findings "$tmp/audit.out" >/dev/null || fail "audit: not valid JSON"
says_once audit "$hidden_runc $denied"

# list: nobody's namespaces (the host's), not root's private one; root's
# processes left out in one line, with the runc state when containers are read.
run list list -J -o NS,TYPE,NPROCS,PID
jq -e --argjson ns "$(ns_of $$ net)" '.namespaces[] | select(.ns == $ns)' "$tmp/list.out" \
	>/dev/null || fail "list: the host's net namespace is missing"
if jq -e --argjson ns "$(ns_of "$private" net)" '.namespaces[] | select(.ns == $ns)' \
	"$tmp/list.out" >/dev/null; then
	fail "list: nobody saw root's private net namespace"
fi
says_once list "$hidden_procs$denied"
run list-containers list -J -o NS,TYPE,PID,CONTAINER
jq -e --argjson p "$own" '.namespaces[] | select(.type == "net" and .pid <= $p)' \
	"$tmp/list-containers.out" >/dev/null || fail "list: nobody's net namespace is missing"
says_once list-containers "${hidden_procs}and $hidden_runc $denied"

# list -p of a process nobody may not read is an error, not an empty table.
status=0
"${nobody[@]}" "$NSDEBUG" list -p "$private" >"$tmp/list-p.out" 2>"$tmp/list-p.err" || status=$?
[ "$status" = 1 ] || fail "list -p $private as nobody: exit $status"
[ ! -s "$tmp/list-p.out" ] || fail "list -p $private as nobody wrote to stdout"
[ "$(cat "$tmp/list-p.err")" = "nsdebug: $private: cannot read its namespaces: Permission denied" ] ||
	fail "list -p $private as nobody: $(cat "$tmp/list-p.err")"

# graph: nobody's namespaces, not root's private one.
run graph graph -J
jq -e --argjson ns "$(ns_of "$own" net)" '.nodes[] | select(.inode == $ns)' "$tmp/graph.out" \
	>/dev/null || fail "graph: nobody's net namespace is missing"
if jq -e --argjson ns "$(ns_of "$private" net)" '.nodes[] | select(.inode == $ns)' \
	"$tmp/graph.out" >/dev/null; then
	fail "graph: nobody saw root's private net namespace"
fi
says_once graph "${hidden_procs}and $hidden_runc $denied"

# ps of nobody's own process: it is listed, root's are not.
run ps ps "$own" -J -o PID,USER,COMMAND
jq -e --argjson p "$own" '.processes[] | select(.pid == $p and .user == "nobody")' \
	"$tmp/ps.out" >/dev/null || fail "ps: nobody's own process is missing"
if jq -e --argjson p "$private" '.processes[] | select(.pid == $p)' "$tmp/ps.out" >/dev/null; then
	fail "ps: nobody saw root's process"
fi
says_once ps "$hidden_procs$denied"

# mounts of nobody's own process and of root's (mountinfo is readable by
# all): nothing left out, nothing said.
run mounts mounts "$own" -J
jq -e '.filesystems[] | select(.target == "/")' "$tmp/mounts.out" >/dev/null ||
	fail "mounts: no / in nobody's own mount table"
[ ! -s "$tmp/mounts.err" ] || fail "mounts: $(cat "$tmp/mounts.err")"
run mounts-root mounts "$private" -J
jq -e '.filesystems[] | select(.target == "/")' "$tmp/mounts-root.out" >/dev/null ||
	fail "mounts: no / in root's mount table"

# inspect of nobody's own process: the report, with its interfaces (read
# without joining anything), and one warning for what it left out.
run inspect inspect "$own"
grep -q '^  interfaces   lo (up)' "$tmp/inspect.out" || fail "inspect: no interfaces: $(cat "$tmp/inspect.out")"
says_once inspect "$own: ${hidden_procs}and $hidden_runc $denied"
run inspect-json inspect "$own" -J
jq -e --argjson p "$own" '.identity.pid == $p and (.warnings | length) == 1' "$tmp/inspect-json.out" \
	>/dev/null || fail "inspect -J: $(jq -c '{identity, warnings}' "$tmp/inspect-json.out")"
[ ! -s "$tmp/inspect-json.err" ] || fail "inspect -J wrote to stderr: $(cat "$tmp/inspect-json.err")"
echo "as nobody: containers, audit, list, graph, ps, mounts, inspect exit 0 and say once what they left out; list -p of root's process fails"
