#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# DESIGN.md, security rule 1 (no PID races): a target pinned, then gone and
# its PID given to another process before the namespaces are joined, is
# refused with a clear error, and the command never runs. Deterministic: the
# test runs in a pid namespace of its own and sets ns_last_pid there.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
PINNED=$2
make_tmpdir
tmp=$tmpdir

# Inside: the target has a net namespace of its own; enter-pinned pins it and
# waits; the target is killed and reaped, its PID handed to a new process;
# then enter-pinned is let go. Prints "<target> <reused> <status>".
inner='
	set -u
	unshare --net sleep 600 & target=$!
	"$PINNED" "$target" net sh -c "echo ran >$TMP/ran" >"$TMP/pinned" 2>"$TMP/err" & entering=$!
	for i in $(seq 100); do grep -q pinned "$TMP/pinned" && break; sleep 0.1; done
	kill -KILL "$target"; wait "$target" 2>/dev/null
	echo $((target - 1)) >/proc/sys/kernel/ns_last_pid
	sleep 600 & reused=$!
	kill -USR1 "$entering"
	status=0; wait "$entering" || status=$?
	echo "$target $reused $status"
	kill "$reused"
'
PINNED=$PINNED TMP=$tmp timeout 60 unshare --pid --fork --mount-proc bash -c "$inner" >"$tmp/result" ||
	fail "the pid namespace of the test failed: $(cat "$tmp/result" "$tmp/err")"
read -r target reused status <"$tmp/result"
grep -q pinned "$tmp/pinned" || fail "enter-pinned did not pin: $(cat "$tmp/err")"
[ "$target" = "$reused" ] || fail "PID $target was not reused (got $reused)"
[ ! -e "$tmp/ran" ] || fail "the command ran after the target's PID was reused"
[ "$status" = 125 ] || fail "exit status $status, expected 125: $(cat "$tmp/err")"
[ "$(cat "$tmp/err")" = "enter-pinned: $target: cannot join the target (it exited): No such process" ] ||
	fail "unexpected error: $(cat "$tmp/err")"
echo ok
