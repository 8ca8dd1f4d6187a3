#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The checks of enter-lib.sh on a Docker container, and nsdebug attach on it. The test starts its own
# dockerd with private paths, socket, config and cgroup parent (other dockerds
# may run on the machine), imports a busybox root filesystem as an image, and
# stops that dockerd by its PID at the end.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/enter-lib.sh"
require_root
NSDEBUG=$1
for tool in dockerd docker tcpdump ping cc ipcmk; do
	command -v "$tool" >/dev/null || { echo "skip: $tool not installed (./run.sh installs it)"; exit 77; }
done
make_tmpdir
tmp=$tmpdir

id=nsdebug-it-enter-$$
droot=/tmp/$id.docker
sock=/tmp/$id.sock
cgparent=$id
dockerd_pid=

docker_() {
	docker -H "unix://$sock" "$@"
}

cleanup_docker() {
	local i mnt

	[ -n "$dockerd_pid" ] || return 0
	docker_ rm -f "$id" >/dev/null 2>&1 || true
	kill -TERM "$dockerd_pid" 2>/dev/null || true
	for i in $(seq 200); do
		kill -0 "$dockerd_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$dockerd_pid" 2>/dev/null || true
	wait "$dockerd_pid" 2>/dev/null || true
	dockerd_pid=
	# Whatever dockerd left mounted under its own root, innermost first.
	for mnt in $(awk -v r="$droot" 'index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
		umount -l "$mnt" 2>/dev/null || true
	done
	rm -rf "$droot" "$sock"
	find /sys/fs/cgroup -depth -type d -name "$cgparent" -exec rmdir {} \; 2>/dev/null || true
}
trap 'cleanup_netns; cleanup_docker; cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

mkdir -p "$droot"
echo '{}' >"$droot/daemon.json"
# On a line of its own, so that $! is dockerd (ENGINES.md).
dockerd --config-file "$droot/daemon.json" --data-root "$droot/data" --exec-root "$droot/exec" \
	--pidfile "$droot/dockerd.pid" -H "unix://$sock" --cgroup-parent "$cgparent" \
	--iptables=false --ip6tables=false --ip-forward=false --bridge=none \
	--storage-driver=overlay2 </dev/null >"$droot/dockerd.log" 2>&1 &
dockerd_pid=$!
dockerd_up() {
	kill -0 "$dockerd_pid" || fail "dockerd exited: $(tail -5 "$droot/dockerd.log")"
	docker_ info
}
wait_for 60 dockerd_up

make_bundle "$tmp/image" true
add_container_files "$tmp/image/rootfs"
tar -C "$tmp/image/rootfs" -c . | docker_ import - "$id:latest" >/dev/null
hostname=nsd-dock-$$
etc_hostname=$hostname
docker_ run -d --name "$id" --hostname "$hostname" --network none "$id:latest" /bin/sleep 600 >/dev/null
target=$(docker_ inspect -f '{{.State.Pid}}' "$id")
[ "$target" -gt 0 ] || fail "docker inspect: no PID for $id"
in_container() {
	docker_ exec "$id" "$@"
}
connect_container
check_everything
# attach by name: the host's ps with the container's processes, tcpdump,
# and nothing of the session within the container's reach.
expect_status 0 "$NSDEBUG" attach "$id" --engine-root docker="$droot/data" -- ps -eo pid=,comm=
awk '$1 == 1 && $2 == "sleep" { init = 1 } END { exit !init }' "$tmp/out" || fail "attach ps: $(cat "$tmp/out")"
attached=$(awk '$2 != "ps" { print $1 }' "$tmp/out" | sort -n | tr '\n' ' ')
theirs=$(in_container /bin/busybox ps -o pid=,comm= | awk '$2 != "busybox" { print $1 }' | sort -n | tr '\n' ' ')
[ "$attached" = "$theirs" ] || fail "attach ps: $attached, the container's ps: $theirs"
check_tcpdump attach "$id" --engine-root docker="$droot/data" --
check_not_traceable attach "$id" --engine-root docker="$droot/data" --
echo ok
