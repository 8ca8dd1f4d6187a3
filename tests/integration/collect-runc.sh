#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsdebug collect on a runc container whose /etc/passwd is a symlink to
# /etc/shadow (and another link climbs out with ..): the bundle holds the
# container's own shadow, never the host's; the manifest's hashes match the
# members (sha256sum -c); the container's files (with their times) and its
# mount table are the same after as before.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1
make_tmpdir
tmp=$tmpdir
name=nsdebug-it-collect-$$
secret="container-shadow-$$"

bundle_hook() {
	echo "$secret" >"$1/rootfs/etc/shadow"
	ln -s /etc/shadow "$1/rootfs/etc/passwd"
	ln -s ../../../../../../../../etc/shadow "$1/rootfs/etc/climb"
	echo "app log" >"$1/rootfs/etc/app.conf"
	# A writable root: reading a file could change its access time.
	jq '.root.readonly = false' "$1/config.json" >"$1/config.json.new"
	mv "$1/config.json.new" "$1/config.json"
}
runc_start "$name" sleep 1000
rootfs=$(runc state "$name" | jq -r .rootfs)
pid=$container_pid

# Access times are left out: find itself changes those of directories and links.
listing() { find "$rootfs" -printf '%p %y %m %U %G %s %T@ %C@ %l\n' | sort; }
listing >"$tmp/before.list"
cat "/proc/$pid/mountinfo" >"$tmp/before.mountinfo"

"$NSDEBUG" collect "$name" -o "$tmp/bundle.tar" --file /etc/passwd --file /etc/climb \
	--file /etc/app.conf --file /etc/missing 2>"$tmp/err" || fail "collect failed: $(cat "$tmp/err")"
grep -q "/etc/missing: not collected: No such file or directory" "$tmp/err" ||
	fail "no line for the missing file: $(cat "$tmp/err")"

mkdir "$tmp/x"
tar -C "$tmp/x" -xf "$tmp/bundle.tar"
(cd "$tmp/x" && sha256sum -c SHA256SUMS) || fail "the members do not match SHA256SUMS"
# manifest.json says the same hashes, and every member is in it.
for member in inspect.json processes.json mountinfo root/etc/passwd root/etc/climb root/etc/app.conf; do
	want=$(sha256sum "$tmp/x/$member" | cut -d' ' -f1)
	got=$(jq -r --arg n "$member" '.members[] | select(.name == $n) | .sha256' "$tmp/x/manifest.json")
	[ "$want" = "$got" ] || fail "$member: manifest.json says $got, the member hashes to $want"
done
for link in passwd climb; do
	[ "$(cat "$tmp/x/root/etc/$link")" = "$secret" ] ||
		fail "/etc/$link in the bundle is not the container's /etc/shadow: $(head -c 100 "$tmp/x/root/etc/$link")"
	if [ -r /etc/shadow ] && cmp -s /etc/shadow "$tmp/x/root/etc/$link"; then
		fail "/etc/$link in the bundle is the host's /etc/shadow"
	fi
done
jq -e '.members[] | select(.path == "/etc/passwd" and .symlink == "/etc/shadow")' \
	"$tmp/x/manifest.json" >/dev/null || fail "the manifest does not say /etc/passwd was a symlink"
jq -e '.members[] | select(.path == "/etc/missing" and .error == "No such file or directory")' \
	"$tmp/x/manifest.json" >/dev/null || fail "the manifest does not list the missing file"
jq -e '.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")' "$tmp/x/manifest.json" >/dev/null ||
	fail "no time of collection in the manifest"
jq -e --arg n "runc" '.identity.engine == $n' "$tmp/x/inspect.json" >/dev/null ||
	fail "inspect.json is not the container's report"
cmp -s "$tmp/x/mountinfo" "$tmp/before.mountinfo" || fail "the bundle's mountinfo is not the container's"

# Nothing changed in the container: files, modes, owners, sizes, modification and
# change times, links; mounts.
listing >"$tmp/after.list"
diff -u "$tmp/before.list" "$tmp/after.list" || fail "the container's files changed"
diff -u "$tmp/before.mountinfo" "/proc/$pid/mountinfo" || fail "the container's mount table changed"
echo ok
