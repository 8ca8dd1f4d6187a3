#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsdebug audit on Docker: a container started with the host's pid, net and
# ipc namespaces, the engine's socket, the host's /etc and --privileged has
# each finding those give; a default container has none of them (only
# ROOT-NO-USERNS, which is what Docker does by default); --fail-on exits 3.
#
# Both run only sleep. A private dockerd (its own data, exec root, socket,
# pidfile, cgroup parent; no bridge, no iptables) is stopped by its PID.
# Skips (77) without root or without dockerd.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1
for tool in dockerd docker; do
	command -v "$tool" >/dev/null || { echo "skip: $tool not installed"; exit 77; }
done

# Short paths: dockerd and containerd put unix sockets under the exec root (108 bytes at most).
base=/tmp/nsd-au.$$
# ".../docker/<ID>" is a cgroup nsdebug knows as Docker's, as the default one is:
# without it, a container is not proven to be the process its state names.
cgparent=nsdebug-audit-$$
mkdir -p "$base/data" "$base/exec"
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
	findmnt -rn -o TARGET | grep "^$base/" | sort -r | xargs -r -n 1 umount -l 2>/dev/null || true
	rm -rf "$base"
	for d in /sys/fs/cgroup/*/"$cgparent"/docker /sys/fs/cgroup/"$cgparent"/docker \
		/sys/fs/cgroup/*/"$cgparent" /sys/fs/cgroup/"$cgparent"; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null || true
	done
}
trap 'stop_dockerd; cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

dockerd --data-root "$base/data" --exec-root "$base/exec" --pidfile "$base/docker.pid" \
	-H "unix://$sock" --cgroup-parent "/$cgparent/docker" \
	--iptables=false --ip6tables=false --ip-forward=false --bridge=none \
	--storage-driver=overlay2 </dev/null >"$base/dockerd.log" 2>&1 &
dockerd_pid=$!
if ! wait_for 30 docker info; then
	tail -n 20 "$base/dockerd.log" >&2
	fail "dockerd did not start"
fi
make_tmpdir
tmp=$tmpdir
make_bundle "$tmpdir/image" true
tar -C "$tmpdir/image/rootfs" -c . | docker import - nsdebug-busybox:$$ >/dev/null

# --privileged asks for every capability of the kernel; where the host's root
# lacks one (a host that is itself a container: no CAP_SYS_RESOURCE), runc
# cannot give it and Docker 20.10 drops none of a privileged container's. There
# the same is asked for piece by piece: every capability this root has, no
# seccomp, unmasked /proc, and a writable /sys.
cap_drop=
for cap in $(capsh --decode="$(awk '/^CapBnd/ { print $2 }' /proc/2/status)" | cut -d= -f2 | tr ',' ' '); do
	capsh --has-b="$cap" 2>/dev/null || cap_drop="$cap_drop --cap-drop ${cap#cap_}"
done
if [ -z "$cap_drop" ]; then
	privileged=--privileged
else
	privileged="--cap-add ALL $cap_drop --security-opt seccomp=unconfined
		--security-opt systempaths=unconfined -v /sys:/sys"
fi
# The private dockerd's socket is where containers expect Docker's.
bad=$(docker run -d --name nsd-bad-$$ --pid host --net host --ipc host $privileged \
	-v "$sock:/var/run/docker.sock" -v /etc:/hostetc nsdebug-busybox:$$ sleep 600)
good=$(docker run -d --name nsd-good-$$ --network none nsdebug-busybox:$$ sleep 600)

"$NSDEBUG" audit --engine-root "docker=$base/data" -J --output-all >"$tmp/audit.json"
findings() { # the finding IDs of container $1, sorted
	jq -r --arg id "$1" '[.findings[] | select(.["container-id"] == $id) | .finding] | unique | .[]' \
		"$tmp/audit.json" | tr '\n' ' '
}
"$NSDEBUG" audit --engine-root "docker=$base/data" -o CONTAINER,SEVERITY,FINDING,REASON |
	grep -E "nsd-(bad|good)-$$|CONTAINER"
got=$(findings "$bad")
for id in ALL-CAPS RUNTIME-SOCKET HOST-ETC-WRITABLE HOST-PID-NS HOST-NET-NS HOST-IPC-NS \
	PROC-SYS-WRITABLE SYS-WRITABLE ROOT-NO-USERNS NO-SECCOMP; do
	case " $got" in *" $id "*) ;; *) fail "the privileged container lacks $id: $got" ;; esac
done
# every capability says more than CAP_SYS_ADMIN, which it includes
case " $got" in *" CAP-SYS-ADMIN "*) fail "CAP-SYS-ADMIN beside ALL-CAPS: $got" ;; esac
jq -e --arg id "$bad" --arg s "$sock" '.findings[] | select(.["container-id"] == $id and
	.finding == "RUNTIME-SOCKET") | .reason | contains("/var/run/docker.sock") and contains($s)' \
	"$tmp/audit.json" >/dev/null || fail "RUNTIME-SOCKET does not name the socket"
got=$(findings "$good")
[ "$got" = "ROOT-NO-USERNS " ] || fail "the default container has findings: $got"
jq -e --arg id "$good" '.findings[] | select(.["container-id"] == $id) | .severity == "medium"' \
	"$tmp/audit.json" >/dev/null || fail "ROOT-NO-USERNS is not medium"

# --fail-on: critical findings fail the run with 3; none above critical exist.
status=0
"$NSDEBUG" audit --engine-root "docker=$base/data" --fail-on critical >/dev/null || status=$?
[ "$status" = 3 ] || fail "--fail-on critical: exit $status, expected 3"
docker rm -f "$bad" >/dev/null
status=0
"$NSDEBUG" audit --engine-root "docker=$base/data" --fail-on high -J >"$tmp/after.json" || status=$?
# Other containers on the machine may fail it; this run's must not.
if [ "$status" = 3 ]; then
	jq -e --arg id "$good" '[.findings[] | select(.["container-id"] == $id and
		(.severity == "high" or .severity == "critical"))] | length == 0' "$tmp/after.json" >/dev/null ||
		fail "--fail-on high fails on the default container"
fi
echo ok
