#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# User namespaces nested 3 deep with PID namespaces inside:
#   U1 (unshare -U -r --pid: sh is PID 1 of P1)
#   └─U2: a ghost, left by an unshare that replaced itself by another
#     └─U3 (unshare -U -r --pid: sleep in P3, child of P1)
# --tree=owner and --tree=parent show that nesting, U2 as a ghost; and for
# the namespaces both report, PNS and ONS agree with lsns.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1

unshare -U -r --pid --fork --kill-child sh -c \
	'unshare -U -r unshare -U -r --pid --fork --kill-child sleep 600' </dev/null >/dev/null 2>&1 &
top=$!
track_pid "$top"
find_sleep() { sleep_pid=$(pgrep -x sleep -P "$(pgrep -P "$(pgrep -P "$top")")"); }
wait_for 5 find_sleep
track_tree "$top"
sh_pid=$(pgrep -P "$top")
u1=$(ns_of "$sh_pid" user)
p1=$(ns_of "$sh_pid" pid)
u3=$(ns_of "$sleep_pid" user)
p3=$(ns_of "$sleep_pid" pid)
host_user=$(ns_of $$ user)
host_pid=$(ns_of $$ pid)

# The tree's edges as "child parent" lines.
tree_edges() {
	"$NSDEBUG" list -J "$@" -o NS,NPROCS,HOLDERS 2>/dev/null | jq -r '
		.namespaces[] | recurse(.children[]?) | .ns as $up
		| (.children // [])[] | "\(.ns) \($up)"'
}
has_edge() {
	grep -qx "$2 $3" <<<"$1" || fail "$4: $2 is not under $3"
}

owner=$(tree_edges --tree=owner -t user -t pid)
u2=$(awk -v u3="$u3" '$1 == u3 { print $2 }' <<<"$owner")
[ -n "$u2" ] && [ "$u2" != "$u1" ] || fail "--tree=owner: no user namespace between $u1 and $u3"
has_edge "$owner" "$u1" "$host_user" "--tree=owner"
has_edge "$owner" "$u2" "$u1" "--tree=owner"
has_edge "$owner" "$p1" "$u1" "--tree=owner"
has_edge "$owner" "$p3" "$u3" "--tree=owner"

parent=$(tree_edges --tree=parent -t user -t pid)
has_edge "$parent" "$u2" "$u1" "--tree=parent"
has_edge "$parent" "$u3" "$u2" "--tree=parent"
has_edge "$parent" "$p1" "$host_pid" "--tree=parent"
has_edge "$parent" "$p3" "$p1" "--tree=parent"

# The middle one has no process: a ghost, PNS/ONS its parent, owner UID root.
ghost=$("$NSDEBUG" list -J -l -o NS,TYPE,NPROCS,PID,HOLDERS,PNS,ONS 2>/dev/null |
	jq -c ".namespaces[] | select(.ns == $u2)")
expect="{\"ns\":$u2,\"type\":\"user\",\"nprocs\":0,\"pid\":null,\"holders\":[\"ghost\"],\"pns\":$u1,\"ons\":$u1}"
[ "$ghost" = "$expect" ] || fail "ghost: $ghost, expected $expect"
"$NSDEBUG" graph -J -t user 2>/dev/null |
	jq -e ".nodes[] | select(.inode == $u2) | .holder_kinds == [\"ghost\"] and .owner_uid == 0" >/dev/null ||
	fail "graph: $u2 is not a ghost owned by UID 0"
"$NSDEBUG" graph -t user 2>/dev/null | grep -q "^ *ns$u2 \[.*style=\"rounded,dashed\"\];$" ||
	fail "graph --dot: ghost $u2 is not dashed"
echo "ok: $host_user > $u1 > $u2 (ghost) > $u3; $host_pid > $p1 > $p3"

# Differential with lsns: PNS and ONS of every namespace both list (nsdebug
# lists ghosts too; lsns does not, out of its trees). Other processes of
# the machine may come and go between the two runs: retry.
# The listings go through files: on a busy machine they are longer than one
# argument may be.
make_tmpdir
flat='[.namespaces[] | {ns, pns, ons}] | sort_by(.ns)'
# in_other FILE: the entries of stdin whose NS is (or with "| not", is not) in FILE.
in_other() {
	jq -c --slurpfile o "$1" \
		"(\$o[0] | map({key: (.ns | tostring), value: true}) | from_entries) as \$in |
		[.[] | select(\$in[.ns | tostring] == true ${2:-})]"
}
for attempt in 1 2 3 4 5; do
	"$NSDEBUG" list -J -l -o NS,PNS,ONS 2>/dev/null | jq -c "$flat" >"$tmpdir/ours"
	lsns -J -l -o NS,PNS,ONS | jq -c "$flat" >"$tmpdir/theirs"
	both=$(in_other "$tmpdir/theirs" <"$tmpdir/ours")
	only_theirs=$(in_other "$tmpdir/ours" '| not' <"$tmpdir/theirs")
	lsns_both=$(in_other "$tmpdir/ours" <"$tmpdir/theirs")
	[ "$both" = "$lsns_both" ] && [ "$only_theirs" = "[]" ] && break
	echo "attempt $attempt: nsdebug and lsns differ, retrying"
	sleep 0.5
done
[ "$only_theirs" = "[]" ] || fail "lsns lists namespaces nsdebug does not: $only_theirs"
if [ "$both" != "$lsns_both" ]; then
	diff <(jq . <<<"$both") <(jq . <<<"$lsns_both") || true
	fail "PNS/ONS of nsdebug list and lsns disagree"
fi
for ns in $u1 $u3 $p1 $p3; do
	jq -e ".[] | select(.ns == $ns)" <<<"$both" >/dev/null || fail "$ns is not in both listings"
done
echo "ok: PNS and ONS agree with lsns on $(jq length <<<"$both") namespaces"
