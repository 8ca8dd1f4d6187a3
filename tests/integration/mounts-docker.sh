#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsdebug mounts on Docker containers: the same mounts as findmnt for one
# with a bind mount and a volume; HOST-PATH of Docker's own files, the bind
# and the volume; --exposed flags the Docker socket and the host's /etc
# given to one container, and nothing in another.
#
# It runs a dockerd of its own with private paths (data, exec root, socket,
# pidfile, cgroup parent), so it never meets another dockerd on the machine,
# and stops it by PID. Skips (77) without root or without dockerd.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1
for tool in dockerd docker findmnt; do
	command -v "$tool" >/dev/null || { echo "skip: $tool not installed"; exit 77; }
done

# Short paths: dockerd and containerd put unix sockets under the exec root (108 bytes at most).
base=/tmp/nsd-dk.$$
cgparent=nsdebug-mounts-$$
mkdir -p "$base/data" "$base/exec" "$base/bind"
sock=$base/docker.sock
export DOCKER_HOST=unix://$sock
dockerd_pid=

stop_dockerd() {
	local d

	if [ -n "$dockerd_pid" ]; then
		docker ps -aq 2>/dev/null | xargs -r docker rm -f >/dev/null 2>&1 || true
		kill -TERM "$dockerd_pid" 2>/dev/null || true
		for _ in $(seq 100); do
			kill -0 "$dockerd_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$dockerd_pid" 2>/dev/null || true
		wait "$dockerd_pid" 2>/dev/null || true
	fi
	# What dockerd mounted under its data root (its overlay2 home) goes
	# before the directory does; only mounts below $base are touched.
	findmnt -rn -o TARGET | grep "^$base/" | sort -r | xargs -r -n 1 umount -l 2>/dev/null || true
	rm -rf "$base"
	for d in /sys/fs/cgroup/*/"$cgparent" /sys/fs/cgroup/"$cgparent"; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null || true
	done
}
trap 'stop_dockerd; cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

dockerd --data-root "$base/data" --exec-root "$base/exec" --pidfile "$base/docker.pid" \
	-H "unix://$sock" --cgroup-parent "$cgparent" \
	--iptables=false --ip6tables=false --ip-forward=false --bridge=none \
	--storage-driver=overlay2 </dev/null >"$base/dockerd.log" 2>&1 &
dockerd_pid=$!
if ! wait_for 30 docker info; then
	tail -n 20 "$base/dockerd.log" >&2
	fail "dockerd did not start"
fi

# The image: the busybox-static rootfs of the runc tests.
make_tmpdir
make_bundle "$tmpdir" true
tar -C "$tmpdir/rootfs" -c . | docker import - nsdebug-busybox:$$ >/dev/null

echo "secret" >"$base/bind/file"
docker volume create nsdvol$$ >/dev/null
exposed=$(docker run -d --network none -v "$sock:/var/run/docker.sock" -v /etc:/hostetc:ro \
	-v "$base/bind:/bind" -v nsdvol$$:/data nsdebug-busybox:$$ sleep 600)
plain=$(docker run -d --network none -v "$base/bind:/bind" -v nsdvol$$:/data \
	nsdebug-busybox:$$ sleep 600)
pid_of() {
	docker inspect -f '{{.State.Pid}}' "$1"
}
exposed_pid=$(pid_of "$exposed")
plain_pid=$(pid_of "$plain")

# Same mounts as findmnt, for both.
same_mounts_as_findmnt "$NSDEBUG" "$exposed_pid" "container with the socket and /etc"
same_mounts_as_findmnt "$NSDEBUG" "$plain_pid" "container without"

# Where the container's files come from on the host.
host_path() {
	"$NSDEBUG" mounts "$1" -J -l -o TARGET,HOST-PATH |
		jq -r --arg t "$2" '.filesystems[] | select(.target == $t) | .["host-path"]'
}
check_host_path() {
	local got

	got=$(host_path "$1" "$2")
	[ "$got" = "$3" ] || fail "container $1: $2 comes from '$got', expected $3"
	echo "container $1: $2 <- $got"
}
check_host_path "$plain_pid" /etc/hosts "$base/data/containers/$plain/hosts"
check_host_path "$plain_pid" /etc/resolv.conf "$base/data/containers/$plain/resolv.conf"
check_host_path "$plain_pid" /bind "$base/bind"
check_host_path "$plain_pid" /data "$base/data/volumes/nsdvol$$/_data"
check_host_path "$exposed_pid" /var/run/docker.sock "$sock"
check_host_path "$exposed_pid" /hostetc /etc
# The overlay root shows its layers, under Docker's overlay2 directory.
case $(host_path "$plain_pid" /) in
upperdir=$base/data/overlay2/*/diff,lowerdir=*) ;;
*) fail "container $plain_pid: / comes from '$(host_path "$plain_pid" /)'" ;;
esac

# --exposed: exactly the socket and /etc, with their host paths and reasons.
got=$("$NSDEBUG" mounts "$exposed_pid" --exposed -J |
	jq -c '[.filesystems[] | [.target, .["host-path"], .exposed]] | sort')
want=$(jq -nc --arg sock "$sock" '[["/hostetc", "/etc", "host configuration (/etc)"],
	["/var/run/docker.sock", $sock, "Docker API socket: root on the host"]]')
[ "$got" = "$want" ] || fail "--exposed of $exposed_pid: $got, expected $want"
"$NSDEBUG" mounts "$exposed_pid" --exposed
[ "$("$NSDEBUG" mounts "$plain_pid" --exposed -J | jq '.filesystems | length')" = 0 ] ||
	fail "--exposed of $plain_pid: $("$NSDEBUG" mounts "$plain_pid" --exposed)"

# The two containers differ by the socket and /etc only: the rest are the
# same binds and volumes (Docker's own files and the cgroup directories
# differ in FSROOT: they are each container's own).
only=$("$NSDEBUG" mounts "$exposed_pid" --diff "$plain_pid" -J -o ONLY-IN,TARGET |
	jq -c --arg p "$exposed_pid" '[.filesystems[] | select(.["only-in"] == $p) | .target] |
		map(select(startswith("/etc/") or startswith("/sys/fs/cgroup") | not)) | sort')
[ "$only" = '["/hostetc","/var/run/docker.sock"]' ] || fail "--diff: $only"
echo ok
