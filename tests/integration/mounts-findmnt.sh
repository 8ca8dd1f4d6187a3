#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsdebug mounts and findmnt(8) describe the same mounts: of a runc
# container, of a mount namespace with 1,000 tmpfs mounts, and the tags
# (libblkid) of an ext4 image on a loop device mounted in a namespace.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1

same_mounts() {
	local pid=$1 what=$2

	same_mounts_as_findmnt "$NSDEBUG" "$pid" "$what"
	# The tree holds every mount once, as the list does.
	[ "$("$NSDEBUG" mounts "$pid" -J -o TARGET | jq '[.. | objects | select(has("target"))] | length')" = \
		"$("$NSDEBUG" mounts "$pid" -l -n -o TARGET | wc -l)" ] || fail "$what: tree and list differ"
}

runc_start nsdebug-it-mounts-$$ sleep 600
same_mounts "$container_pid" "runc container"
# runc mounts the bundle's rootfs: the container's / comes from there.
root_host=$("$NSDEBUG" mounts "$container_pid" -J -l -o TARGET,HOST-PATH |
	jq -r '.filesystems[] | select(.target == "/") | .["host-path"]')
[ "$root_host" = "$tmpdir/rootfs" ] || fail "runc container: / comes from '$root_host', not $tmpdir/rootfs"
[ -z "$("$NSDEBUG" mounts "$container_pid" --exposed -n)" ] || fail "runc container: exposed mounts"

# 1,000 tmpfs mounts in a private mount namespace of their own; the host
# does not see them (--propagation private).
make_tmpdir
many=$tmpdir
unshare --mount --propagation private sh -c \
	"i=0; while [ \$i -lt 1000 ]; do i=\$((i + 1)); mkdir -p $many/m\$i; mount -t tmpfs -o size=4k t$$ $many/m\$i || exit 1; done; touch $many/ready; exec sleep 600" \
	</dev/null >/dev/null 2>&1 &
track_pid $!
pid=$!
wait_for 60 test -e "$many/ready"
[ "$("$NSDEBUG" mounts "$pid" -t tmpfs -n -o SOURCE | grep -c "^t$$\$")" = 1000 ] ||
	fail "1,000 tmpfs: not all seen"
same_mounts "$pid" "1,000 tmpfs"
# What they have that the host has not: exactly those 1,000.
[ "$("$NSDEBUG" mounts "$pid" --diff 1 -n -o ONLY-IN,SOURCE | grep -c "^$pid *t$$\$")" = 1000 ] ||
	fail "--diff 1: the 1,000 tmpfs mounts are not all only in $pid"

# UUID and LABEL come from libblkid, as findmnt's do. The image is mounted
# only in a namespace of its own; the loop device is this test's alone.
command -v mkfs.ext4 >/dev/null && command -v losetup >/dev/null ||
	{ echo "ok (no mkfs.ext4 or losetup: tags not checked)"; exit 0; }
make_tmpdir
img=$tmpdir
uuid=6e5d1f5c-0b6a-4c1e-9a57-$(printf '%012d' $$)
mkfs.ext4 -q -F -L nsd$$ -U "$uuid" "$img/fs.img" 8M >/dev/null
loop=$(losetup --find --show "$img/fs.img")
trap 'cleanup; losetup -d "$loop" 2>/dev/null || true' EXIT
mkdir "$img/mnt"
unshare --mount --propagation private sh -c \
	"mount $loop $img/mnt && touch $img/ready && exec sleep 600" </dev/null >/dev/null 2>&1 &
track_pid $!
pid=$!
wait_for 10 test -e "$img/ready"
tags='[.. | objects | select(has("target")) | {target, uuid, "label": .label, partuuid}] | sort'
ours=$("$NSDEBUG" mounts "$pid" -J -o TARGET,UUID,LABEL,PARTUUID | jq -c "$tags")
theirs=$(findmnt -N "$pid" -J -o TARGET,UUID,LABEL,PARTUUID | jq -c "$tags")
[ "$ours" = "$theirs" ] || fail "tags: nsdebug $ours, findmnt $theirs"
got=$(jq -r --arg t "$img/mnt" '.[] | select(.target == $t) | "\(.uuid) \(.label)"' <<<"$ours")
[ "$got" = "$uuid nsd$$" ] || fail "tags of $loop: '$got', expected '$uuid nsd$$'"
echo "tags: $img/mnt is $got, as findmnt says"
echo ok
