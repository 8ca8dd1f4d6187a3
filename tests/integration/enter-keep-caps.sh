#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --keep-caps: a command that does not run as root keeps the capabilities of
# the entering process, and without it has none; with a limit as well (what
# attach does), it keeps those within the limit. The entering process is
# tests/helpers/enter-pinned given file capabilities and run as nobody, the
# case --keep-caps is for (a non-root user with a capable nsdebug).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
PINNED=$2
command -v setcap >/dev/null || { echo "skip: setcap (libcap2-bin) not installed"; exit 77; }
make_tmpdir
tmp=$tmpdir
chmod 755 "$tmp"
cp "$PINNED" "$tmp/enter-pinned"
# cap_setpcap lets a limit drop capabilities from the bounding set.
caps=cap_sys_admin,cap_sys_ptrace,cap_kill,cap_net_admin,cap_setpcap
setcap "$caps+ep" "$tmp/enter-pinned"
# The same set as a mask, as /proc/PID/status shows it.
want=$(printf '%016x' $(((1 << 21) | (1 << 19) | (1 << 5) | (1 << 12) | (1 << 8))))

unshare --net sleep 600 </dev/null >/dev/null 2>&1 &
target=$!
track_pid "$target"
has_own_net() { [ "$(ns_of "$target" net)" != "$(ns_of $$ net)" ]; }
wait_for 5 has_own_net

# enter_as_nobody [--keep-caps] [--limit-caps=MASK]: runs "ip link set lo up" in the target's net
# namespace as nobody; leaves the command's CapEff, CapAmb and the output in $tmp/out.
enter_as_nobody() {
	# Not the last run's "pinned": SIGUSR1 before it is blocked would kill.
	rm -f "$tmp/out"
	setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		"$tmp/enter-pinned" "$@" "$target" net \
		sh -c 'grep -E "^Cap(Eff|Amb)" /proc/self/status; ip link set lo up && echo up' >"$tmp/out" 2>&1 &
	entering=$!
	wait_for 5 grep -q pinned "$tmp/out"
	kill -USR1 "$entering"
	status=0
	wait "$entering" || status=$?
}

enter_as_nobody
[ "$status" != 0 ] || fail "without --keep-caps nobody could set up lo: $(cat "$tmp/out")"
grep -q "^CapEff:[[:space:]]*0000000000000000$" "$tmp/out" || fail "without --keep-caps: $(cat "$tmp/out")"

enter_as_nobody --keep-caps
[ "$status" = 0 ] || fail "with --keep-caps: exit $status: $(cat "$tmp/out")"
grep -q "^CapEff:[[:space:]]*$want$" "$tmp/out" || fail "with --keep-caps, not CapEff $want: $(cat "$tmp/out")"
grep -q "^CapAmb:[[:space:]]*$want$" "$tmp/out" || fail "with --keep-caps, not CapAmb $want: $(cat "$tmp/out")"
grep -qx up "$tmp/out" || fail "with --keep-caps: $(cat "$tmp/out")"
nsenter -t "$target" -n ip -o link show lo | grep -q '<LOOPBACK,UP' ||
	fail "lo of the target is still down"

# Kept and limited to CAP_NET_ADMIN: that one is left, in the ambient set
# too, and the other kept ones are gone from both.
enter_as_nobody --keep-caps --limit-caps=1000
[ "$status" = 0 ] || fail "kept, limited: exit $status: $(cat "$tmp/out")"
grep -q "^CapEff:[[:space:]]*0000000000001000$" "$tmp/out" || fail "kept, limited: $(cat "$tmp/out")"
grep -q "^CapAmb:[[:space:]]*0000000000001000$" "$tmp/out" || fail "kept, limited: $(cat "$tmp/out")"
echo ok
