#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsdebug list and lsns(8) describe the same namespaces with the same counts:
# namespaces of all 8 types made with unshare, a process joined into one of
# them, and a runc container with a second process exec'd into it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1

# Both tools read the whole of /proc. In a pid namespace of its own with its
# own procfs, the test sees only what it starts, however busy the machine is.
if [ -z "${NSDEBUG_TEST_ISOLATED:-}" ]; then
	exec unshare --pid --fork --kill-child --mount-proc \
		env NSDEBUG_TEST_ISOLATED=1 "$0" "$@"
fi

# Background processes get /dev/null for stdio: meson waits for whoever holds
# its output pipe. --kill-child: the sleep goes when unshare is killed.
unshare --mount --net --pid --fork --kill-child --uts --ipc --user --map-root-user --cgroup \
	--time sleep 600 </dev/null >/dev/null 2>&1 &
unshare_pid=$!
track_pid "$unshare_pid"
wait_for 5 pgrep -P "$unshare_pid"
child=$(pgrep -P "$unshare_pid")
nsenter --target "$child" --net sleep 600 </dev/null >/dev/null 2>&1 &
track_pid $!

runc_start nsdebug-it-list-$$ sleep 600
init=$container_pid
runc exec --detach nsdebug-it-list-$$ sleep 500 </dev/null >/dev/null 2>&1

# The namespaces this test made, to check them one by one below.
made=""
for type in mnt net pid uts ipc user cgroup time; do
	made="$made $(ns_of "$child" "$type")"
done
for type in mnt net pid uts ipc; do
	made="$made $(ns_of "$init" "$type")"
done

flat='[.namespaces[] | {ns, type, nprocs, pid}] | sort_by(.ns)'
# Each tool counts itself in the namespaces it runs in, and nothing else
# comes or goes in this pid namespace: the tables must be equal. Each runs
# alone (no pipe: a jq started beside one and not the other is counted).
make_tmpdir
"$NSDEBUG" list -J -l -o NS,TYPE,NPROCS,PID >"$tmpdir/ours"
lsns -J -l -o NS,TYPE,NPROCS,PID >"$tmpdir/theirs"
ours=$(jq -c "$flat" "$tmpdir/ours")
theirs=$(jq -c "$flat" "$tmpdir/theirs")
if [ "$ours" != "$theirs" ]; then
	diff <(jq . <<<"$ours") <(jq . <<<"$theirs") || true
	fail "nsdebug list and lsns disagree"
fi

for ns in $made; do
	entry=$(jq -c ".[] | select(.ns == $ns)" <<<"$ours")
	[ -n "$entry" ] || fail "namespace $ns made by the test is missing"
	echo "$entry"
done
# Spot checks of counts the test knows: unshare, its child and the nsenter'd
# sleep share the new net namespace, but only the child is in the new pid
# namespace; the container's has its init and the exec'd sleep.
check() {
	got=$(jq -r ".[] | select(.ns == $1) | .nprocs" <<<"$ours")
	[ "$got" = "$2" ] || fail "namespace $1: $got processes, expected $2"
}
check "$(ns_of "$child" net)" 3
check "$(ns_of "$child" pid)" 1
check "$(ns_of "$init" net)" 2
echo "nsdebug list and lsns agree on $(jq length <<<"$ours") namespaces"
