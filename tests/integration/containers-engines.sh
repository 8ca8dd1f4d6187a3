#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Real engines: for runc, Docker, Podman, containerd (ctr), LXC and
# systemd-nspawn (without machined), start a busybox container by name, then
# nsdebug containers lists it with its init's PID and its name, nsdebug
# list --container shows its namespaces and nsdebug attach its processes. Each engine keeps its state in a
# directory of this test ($$ in every name), read with --engine-root, and
# everything started is stopped in a trap. An engine that is not installed
# is skipped with a line; the test fails if none ran.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1
make_tmpdir
T=$tmpdir
chmod 755 "$T"
ran=""
daemons=""

stop_engines() {
	# ctr tasks and LXC containers first, then the daemons, by their PIDs.
	[ -n "${CTR:-}" ] && { $CTR task kill -s KILL "nsd-ctr-$$" >/dev/null 2>&1 || true; sleep 0.3;
		$CTR task delete -f "nsd-ctr-$$" >/dev/null 2>&1 || true; $CTR container delete "nsd-ctr-$$" >/dev/null 2>&1 || true; }
	[ -n "${LXCP:-}" ] && { lxc-stop -P "$LXCP" -n "nsd-lxc-$$" -k >/dev/null 2>&1 || true; }
	[ -n "${DOCKER:-}" ] && { $DOCKER rm -f "nsd-web-$$" >/dev/null 2>&1 || true; }
	[ -n "${PODMAN:-}" ] && { $PODMAN rm -f -t 0 "nsd-web-$$" >/dev/null 2>&1 || true; }
	# nspawn's init outlives a SIGKILLed nspawn: kill it, then nspawn
	[ -n "${nspawn_init:-}" ] && { kill -KILL "$nspawn_init" 2>/dev/null || true; }
	for p in $daemons; do kill -TERM "$p" 2>/dev/null || true; done
	for p in $daemons; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null || true
	done
	# Empty cgroups the engines leave; rmdir fails on one still in use.
	for c in docker libpod_parent payload "nsd$$" lxc.payload."nsd-lxc-$$" lxc.monitor."nsd-lxc-$$" lxc.pivot; do
		find /sys/fs/cgroup/*/"$c" -depth -type d -exec rmdir {} + 2>/dev/null || true
	done
	# Mounts the engines left under the test's directory (Podman's storage), deepest first.
	awk -v t="$T/" 'index($5, t) == 1 {print $5}' /proc/self/mountinfo | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null || true; done
}
trap 'stop_engines; cleanup' EXIT
trap 'stop_engines; cleanup; exit 130' INT
trap 'stop_engines; cleanup; exit 143' TERM HUP

# busybox rootfs as a tarball, for the engines that import images
make_bundle "$T/bundle" true
mkdir -p "$T/bundle/rootfs/usr"
tar -C "$T/bundle/rootfs" -cf "$T/rootfs.tar" .

# check ENGINE NAME PID ROOTS...: nsdebug containers lists ENGINE:NAME with
# PID running, list --container ENGINE:NAME has its net namespace, and
# attach ENGINE:NAME sees its init as PID 1 and its hostname.
check() {
	local engine=$1 name=$2 pid=$3 row net want got
	shift 3
	row=$("$NSDEBUG" containers "$@" -J -o ENGINE,NAME,PID,STATUS 2>/dev/null |
		jq -c ".containers[] | select(.engine == \"$engine\" and .name == \"$name\")")
	[ "$row" = "{\"engine\":\"$engine\",\"name\":\"$name\",\"pid\":$pid,\"status\":\"running\"}" ] ||
		fail "$engine: containers shows '$row' for $name (PID $pid)"
	net=$(ns_of "$pid" net)
	"$NSDEBUG" list --container "$engine:$name" "$@" -J -l -o NS,TYPE,CONTAINER 2>/dev/null |
		jq -e ".namespaces[] | select(.ns == $net and .container == \"$engine:$name\")" >/dev/null ||
		fail "$engine: list --container $engine:$name lacks its net namespace $net"
	# attach: the host's ps and hostname with the container's view.
	want="1 $(cat "/proc/$pid/comm") $(nsenter -t "$pid" -u hostname)"
	got=$("$NSDEBUG" attach "$engine:$name" "$@" -- sh -c 'echo "$(ps -eo pid=,comm= | awk "\$1 == 1") $(hostname)"' |
		tr -s ' ' | sed 's/^ //')
	[ "$got" = "$want" ] || fail "$engine: attach $engine:$name shows '$got', expected '$want'"
	echo "ok: $engine container $name, PID $pid"
	ran="$ran $engine"
}

t0=$(date +%s)
# runc
runc_start "nsd-runc-$$" sleep 600
check runc "nsd-runc-$$" "$container_pid"

# Docker, with every path of its own
if command -v dockerd >/dev/null; then
	D=$T/docker
	mkdir -p "$D"
	DOCKER="docker -H unix://$D/sock"
	dockerd --data-root "$D/data" --exec-root "$D/exec" --pidfile "$D/pid" -H "unix://$D/sock" \
		--iptables=false --ip6tables=false --ip-forward=false --bridge=none \
		--storage-driver=overlay2 </dev/null >"$D/log" 2>&1 &
	daemons="$daemons $!"
	wait_for 30 $DOCKER info
	$DOCKER import "$T/rootfs.tar" "nsd-img-$$" >/dev/null
	$DOCKER run -d --name "nsd-web-$$" --network none "nsd-img-$$" sleep 600 >/dev/null
	pid=$($DOCKER inspect -f '{{.State.Pid}}' "nsd-web-$$")
	check docker "nsd-web-$$" "$pid" --engine-root docker="$D/data"

	# State that names a live, unrelated process: stale, never entered.
	mkdir -p "$T/fake/containers/x"
	sleep 600 </dev/null >/dev/null 2>&1 &
	track_pid $!
	printf '{"ID":"x","Name":"/nsd-fake-%s","State":{"Running":true,"Pid":%s}}' $$ $! \
		>"$T/fake/containers/x/config.v2.json"
	status=0
	"$NSDEBUG" list --container "nsd-fake-$$" --engine-root docker="$T/fake" >/dev/null 2>"$T/err" || status=$?
	[ "$status" = 1 ] && grep -q "is not running" "$T/err" || fail "stale docker state: $status $(cat "$T/err")"
	echo "ok: docker state naming an unrelated PID is stale"
else
	echo "skip: docker is not installed"
fi

# Podman with runc, cgroupfs and file events, in roots of its own
if command -v podman >/dev/null; then
	P=$T/podman
	PODMAN="podman --root $P/storage --runroot $P/run --tmpdir $P/tmp --runtime runc --cgroup-manager cgroupfs --events-backend file"
	$PODMAN import "$T/rootfs.tar" "nsd-img-$$" >/dev/null 2>&1
	$PODMAN run -d --name "nsd-web-$$" --network none --ulimit nofile=20000:20000 \
		--ulimit nproc=32768:32768 "nsd-img-$$" sleep 600 >/dev/null
	pid=$($PODMAN inspect -f '{{.State.Pid}}' "nsd-web-$$")
	check podman "nsd-web-$$" "$pid" --engine-root podman="$P/storage"
	# The same name in Docker and Podman: ambiguous unless ENGINE: is given.
	if [ -n "${DOCKER:-}" ]; then
		status=0
		"$NSDEBUG" list --container "nsd-web-$$" --engine-root docker="$D/data" \
			--engine-root podman="$P/storage" >/dev/null 2>"$T/err" || status=$?
		[ "$status" = 1 ] && grep -q "ambiguous.*docker:nsd-web-$$.*podman:nsd-web-$$" "$T/err" ||
			fail "docker and podman web: $status $(cat "$T/err")"
		echo "ok: a name in two engines is ambiguous"
	fi
else
	echo "skip: podman is not installed"
fi

# containerd and ctr, with a rootfs and no image
if command -v containerd >/dev/null && command -v ctr >/dev/null; then
	C=$T/containerd
	mkdir -p "$C"
	containerd --root "$C/root" --state "$C/state" --address "$C/sock" </dev/null >"$C/log" 2>&1 &
	daemons="$daemons $!"
	CTR="ctr -a $C/sock -n nsd$$"
	wait_for 30 $CTR version
	$CTR run -d --rootfs "$T/bundle/rootfs" "nsd-ctr-$$" /bin/sleep 600 >/dev/null </dev/null
	pid=$($CTR task ls | awk -v id="nsd-ctr-$$" '$1 == id {print $2}')
	check containerd "nsd-ctr-$$" "$pid" --engine-root containerd="$C/state"
else
	echo "skip: containerd is not installed"
fi

# LXC with an empty network, unconfined
if command -v lxc-start >/dev/null; then
	LXCP=$T/lxc
	mkdir -p "$LXCP"
	printf 'lxc.net.0.type = empty\nlxc.apparmor.profile = unconfined\n' >"$T/lxc.conf"
	lxc-create -P "$LXCP" -n "nsd-lxc-$$" -t busybox -f "$T/lxc.conf" >/dev/null 2>&1
	lxc-start -P "$LXCP" -n "nsd-lxc-$$" -d
	wait_for 10 lxc-info -P "$LXCP" -n "nsd-lxc-$$" -p
	pid=$(lxc-info -P "$LXCP" -n "nsd-lxc-$$" -pH)
	check lxc "nsd-lxc-$$" "$pid" --engine-root lxc="$LXCP"
else
	echo "skip: lxc is not installed"
fi

# systemd-nspawn without machined: the child of the nspawn process
if command -v systemd-nspawn >/dev/null; then
	systemd-nspawn -q -D "$T/bundle/rootfs" -M "nsd-sp-$$" --register=no --keep-unit \
		--private-network --console=pipe /bin/sleep 600 </dev/null >/dev/null 2>&1 &
	nspawn=$!
	track_pid "$nspawn"
	has_child() { pgrep -P "$nspawn" >/dev/null; }
	wait_for 10 has_child
	nspawn_init=$(pgrep -P "$nspawn")
	check nspawn "nsd-sp-$$" "$nspawn_init"
else
	echo "skip: systemd-nspawn is not installed"
fi

[ -n "$ran" ] || fail "no engine ran"
echo "engines checked:$ran in $(($(date +%s) - t0)) s"
