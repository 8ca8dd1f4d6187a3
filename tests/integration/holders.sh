#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Namespaces that no process is in are found by what holds them:
# - ip netns add: HOLDERS mount, NSFS /run/netns/NAME, NETNSID as ip says;
# - an fd of a live process, after the namespace's processes exited: HOLDERS fd;
# - a bind mount made inside the private mount namespace of a runc
#   container: HOLDERS mount, NSFS through /proc/PID/root of the container.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1
make_tmpdir
tmp=$tmpdir

# The row of namespace $1 in 'nsdebug list --persistent' with the columns $2.
persistent_row() {
	"$NSDEBUG" list --persistent -J -l -o "$2" 2>/dev/null | jq -c ".namespaces[] | select(.ns == $1)"
}

# 1. ip netns add, with an id assigned in our net namespace.
name=nsdebug-it-holders-$$
netns_add "$name"
ip netns set "$name" auto
ino=$(stat -L -c %i "/run/netns/$name")
id=$(ip -j netns list | jq -r ".[] | select(.name == \"$name\") | .id")
row=$(persistent_row "$ino" NS,TYPE,NPROCS,PID,HOLDERS,NSFS,NETNSID)
expect="{\"ns\":$ino,\"type\":\"net\",\"nprocs\":0,\"pid\":null,\"holders\":[\"mount\"],\"nsfs\":\"/run/netns/$name\",\"netnsid\":\"$id\"}"
[ "$row" = "$expect" ] || fail "ip netns: $row, expected $expect"
# Without --persistent or a holder column nsdebug reads what lsns reads, and
# neither lists it.
if "$NSDEBUG" list -J -l -o NS 2>/dev/null | jq -e ".namespaces[] | select(.ns == $ino)" >/dev/null; then
	fail "ip netns: listed without reading mounts"
fi
echo "ok: ip netns $name ($ino): $row"

# 2. Held by an fd only: a sleep inherits fd 3 of the net namespace of a
# process that then exits.
unshare --net sleep 600 </dev/null >/dev/null 2>&1 &
member=$!
track_pid "$member"
own_net() { [ "$(ns_of "$member" net)" != "$(ns_of $$ net)" ]; }
wait_for 5 own_net
ino=$(ns_of "$member" net)
bash -c "exec 3</proc/$member/ns/net; exec sleep 600" </dev/null >/dev/null 2>&1 &
holder=$!
track_pid "$holder"
wait_for 5 test -e "/proc/$holder/fd/3"
kill -KILL "$member"
wait "$member" 2>/dev/null || true
row=$(persistent_row "$ino" NS,NPROCS,PID,PATH,HOLDERS)
expect="{\"ns\":$ino,\"nprocs\":0,\"pid\":$holder,\"path\":\"/proc/$holder/fd/3\",\"holders\":[\"fd\"]}"
[ "$row" = "$expect" ] || fail "fd: $row, expected $expect"
echo "ok: fd 3 of $holder holds $ino"

# 3. A bind mount inside a container's private mount namespace, of a net
# namespace whose process then exits. The container's root is read-only;
# /dev/shm is its tmpfs. A procfs mounted there by a process of the host's
# PID namespace shows the host's PIDs, so the namespace file can be named.
runc_start nsdebug-it-holders-$$ sleep 600
cpid=$container_pid
unshare --net sleep 600 </dev/null >/dev/null 2>&1 &
member=$!
track_pid "$member"
wait_for 5 own_net
ino=$(ns_of "$member" net)
nsenter --target "$cpid" --mount -- /bin/sh -c \
	"mkdir /dev/shm/hostproc && mount -t proc proc /dev/shm/hostproc &&
	 touch /dev/shm/netns && mount --bind /dev/shm/hostproc/$member/ns/net /dev/shm/netns &&
	 umount /dev/shm/hostproc" || fail "cannot bind-mount inside the container"
kill -KILL "$member"
wait "$member" 2>/dev/null || true
# Not visible in our mount namespace: only the container's mountinfo has it.
grep -q " /dev/shm/netns " /proc/self/mountinfo && fail "the container's mount leaked to the host"
row=$(persistent_row "$ino" NS,NPROCS,HOLDERS,NSFS)
expect="{\"ns\":$ino,\"nprocs\":0,\"holders\":[\"mount\"],\"nsfs\":\"/proc/$cpid/root/dev/shm/netns\"}"
[ "$row" = "$expect" ] || fail "container mount: $row, expected $expect"
# The path nsdebug gives opens that namespace from the host.
[ "$(stat -L -c %i "/proc/$cpid/root/dev/shm/netns")" = "$ino" ] || fail "NSFS path does not open $ino"
echo "ok: mounted only in container nsdebug-it-holders-$$: $row"
