#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A thread that unshared its net namespace is the only holder of it: nsdebug
# list finds it by default (HOLDERS thread, PID of its process, PATH through
# task/TID), and with --no-threads it is not listed, as in lsns.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1
THREAD_UNSHARE=$2
make_tmpdir

"$THREAD_UNSHARE" >"$tmpdir/out" </dev/null 2>&1 &
track_pid $!
wait_for 5 test -s "$tmpdir/out"
read -r pid tid ino <"$tmpdir/out"
[ "$pid" = "$!" ] || fail "thread-unshare: $(cat "$tmpdir/out")"
[ "$ino" != "$(ns_of "$pid" net)" ] || fail "the thread did not get a net namespace of its own"

row=$("$NSDEBUG" list -J -l -o NS,TYPE,NPROCS,PID,PATH,HOLDERS 2>/dev/null |
	jq -c ".namespaces[] | select(.ns == $ino)")
[ -n "$row" ] || fail "namespace $ino of thread $tid not found"
expect="{\"ns\":$ino,\"type\":\"net\",\"nprocs\":0,\"pid\":$pid,\"path\":\"/proc/$pid/task/$tid/ns/net\",\"holders\":[\"thread\"]}"
[ "$row" = "$expect" ] || fail "$row, expected $expect"

if "$NSDEBUG" list --no-threads -J -l -o NS 2>/dev/null | jq -e ".namespaces[] | select(.ns == $ino)" >/dev/null; then
	fail "with --no-threads the thread's namespace was listed"
fi
# The graph shows it too, held by that thread.
"$NSDEBUG" graph -J 2>/dev/null |
	jq -e ".nodes[] | select(.inode == $ino) | .holders == [{\"kind\": \"thread\", \"pid\": $pid, \"tid\": $tid}]" >/dev/null ||
	fail "graph: the thread is not the holder of $ino"
echo "ok: thread $tid of $pid holds net namespace $ino"
