#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsdebug list on real processes: -p of a container's init, of a kernel
# thread and of a process that has exited; -t on a real namespace.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1

make_tmpdir
tmp=$tmpdir
runc_start nsdebug-it-real-$$ sleep 600
init=$container_pid

# -p shows one row per namespace type of that process, its own where it has them.
rows=$("$NSDEBUG" list -p "$init" -J -l -o NS,TYPE 2>/dev/null)
for type in mnt net pid uts ipc; do
	got=$(jq -r ".namespaces[] | select(.type == \"$type\") | .ns" <<<"$rows")
	[ "$got" = "$(ns_of "$init" "$type")" ] || fail "-p $init: $type is $got"
done
[ "$(jq '.namespaces | length' <<<"$rows")" = "$(ls /proc/"$init"/ns | grep -vc _for_children)" ] ||
	fail "-p $init: not one row per type"

# A kernel thread has namespaces too (the host's) and no command line.
kthreadd=$("$NSDEBUG" list -p 2 -t net -J -o NS,PID,COMMAND 2>/dev/null)
[ "$(jq -r '.namespaces[0].ns' <<<"$kthreadd")" = "$(ns_of 2 net)" ] || fail "-p 2: $kthreadd"

# -t with a real container: its net namespace has exactly its init.
net=$("$NSDEBUG" list -t net -J -l -o NS,NPROCS,PID,COMMAND 2>/dev/null |
	jq -c ".namespaces[] | select(.ns == $(ns_of "$init" net))")
[ "$(jq -r '"\(.nprocs) \(.pid) \(.command)"' <<<"$net")" = "1 $init sleep 600" ] ||
	fail "-t net: container row is $net"

# A PID that has exited: one line, exit 1, nothing on stdout.
sleep 0 &
gone=$!
wait "$gone"
status=0
"$NSDEBUG" list -p "$gone" >"$tmp/out" 2>"$tmp/err" || status=$?
[ "$status" = 1 ] || fail "-p $gone (exited): exit $status"
[ ! -s "$tmp/out" ] || fail "-p $gone (exited) wrote to stdout"
[ "$(cat "$tmp/err")" = "nsdebug: $gone: no such process" ] || fail "-p $gone: $(cat "$tmp/err")"
echo "ok"
