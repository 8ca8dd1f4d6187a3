#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsdebug ps on a runc container: the same processes and PIDs as ps inside
# it and as ps run there with nsdebug enter --pid; users named by its own
# /etc/passwd; an executable that was deleted and one run from a memfd are
# marked; a process nsenter'd in from the host is counted in.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1
command -v cc >/dev/null || { echo "skip: cc not installed (./run.sh installs it)"; exit 77; }
make_tmpdir
tmp=$tmpdir

name=nsdebug-it-ps-$$
bundle_hook() {
	printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/:/bin/sh\n' >"$1/rootfs/etc/passwd"
	# A tmpfs to run a program from: the root is read-only, /dev/shm noexec.
	mkdir -p "$1/rootfs/scratch"
	jq '.mounts += [{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs",
		"options": ["nosuid", "nodev", "mode=1777"]}]' "$1/config.json" >"$1/config.json.new"
	mv "$1/config.json.new" "$1/config.json"
	cc -static -O2 -o "$1/rootfs/bin/memfd-exec" "$(dirname "$0")/../helpers/memfd-exec.c" ||
		fail "cannot build tests/helpers/memfd-exec.c statically (libc6-dev)"
}
runc_start "$name" sleep 600
init=$container_pid
# As the app user; a deleted program; a program run from a memfd.
runc exec --detach --user 1000:1000 "$name" sleep 500 </dev/null >/dev/null 2>&1
runc exec --detach "$name" sh -c 'cp /bin/busybox /scratch/busybox;
	/scratch/busybox sleep 400 & sleep 0.2; rm /scratch/busybox; wait' </dev/null >/dev/null 2>&1
runc exec --detach "$name" /bin/memfd-exec /bin/busybox sleep 300 </dev/null >/dev/null 2>&1
# And one the host put into its namespaces.
nsenter -t "$init" -p -m sleep 200 </dev/null >/dev/null 2>&1 &
track_pid $!
# Every one of them started, and the deleted program's file removed.
has_all() {
	local seen

	seen=$(runc exec "$name" ps -o args=)
	for cmd in 'sleep 500' 'sleep 400' 'sleep 300' 'sleep 200'; do
		grep -q "$cmd\$" <<<"$seen" || return 1
	done
	! runc exec "$name" test -e /scratch/busybox
}
wait_for 5 has_all

"$NSDEBUG" ps "$name" -J -o PID,NSPID,USER,UID,HOST-UID,EXE,COMMAND >"$tmp/ps.json"
jq -c '.processes[]' "$tmp/ps.json"

# The same PIDs as the container's own ps (less that ps) and as the host's
# ps run in its pid namespace by nsdebug enter (less that ps).
ours=$(jq -r '[.processes[].nspid] | sort | join(" ")' "$tmp/ps.json")
theirs=$(runc exec "$name" ps -o pid=,comm= | awk '$2 != "ps" { print $1 }' | sort -n | tr '\n' ' ' | sed 's/ $//')
[ "$ours" = "$theirs" ] || fail "NSPIDs $ours, the container's ps says $theirs"
entered=$("$NSDEBUG" enter "$init" --pid ps -eo pid=,comm= | awk '$2 != "ps" { print $1 }' |
	sort -n | tr '\n' ' ' | sed 's/ $//')
[ "$ours" = "$entered" ] || fail "NSPIDs $ours, ps through nsdebug enter says $entered"

row() { jq -c ".processes[] | select(.command == \"$1\")" "$tmp/ps.json"; }
[ "$(row 'sleep 600' | jq -r '"\(.nspid) \(.pid) \(.user)"')" = "1 $init root" ] ||
	fail "the init: $(row 'sleep 600')"
[ "$(row 'sleep 500' | jq -r '"\(.user) \(.uid) \(.["host-uid"])"')" = "app 1000 1000" ] ||
	fail "the app user's process: $(row 'sleep 500')"
[ "$(row '/scratch/busybox sleep 400' | jq -r .exe)" = "/scratch/busybox (deleted)" ] ||
	fail "the deleted program: $(row '/scratch/busybox sleep 400')"
row 'sleep 300' | jq -e '.exe | startswith("/memfd:payload")' >/dev/null ||
	fail "the memfd program: $(row 'sleep 300')"
row 'sleep 200' | jq -e '.nspid > 1' >/dev/null || fail "the nsenter'd process: $(row 'sleep 200')"

# --tree: the exec'd processes are children of nothing in the container
# (runc's parent is outside), the deleted one is a child of its shell.
"$NSDEBUG" ps "$name" --tree -J -o NSPID,COMMAND |
	jq -e '[.processes[] | recurse(.children[]?) | select(.command == "/scratch/busybox sleep 400")] | length == 1' \
	>/dev/null || fail "--tree lost the deleted program's process"
echo ok
