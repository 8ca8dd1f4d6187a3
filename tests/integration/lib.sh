# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the integration tests and ./run.sh: root check, a busybox-static
# runc container, and clean-up of everything a test started. Source it; it
# sets a trap on EXIT/INT/TERM/HUP that runs cleanup(). Functions that make
# something return it in a variable, not on stdout: a $(...) subshell would
# lose what cleanup() has to undo.

# Things to undo, newest first: runc containers and PIDs to kill, dirs to remove,
# named net namespaces (ip netns) to delete.
_containers=""
_pids=""
_dirs=""
_netns=""

require_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "skip: $(basename "$0") needs root (real namespaces and containers)"
		exit 77
	fi
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

cleanup() {
	for c in $_containers; do
		runc kill "$c" KILL 2>/dev/null || true
		runc delete --force "$c" 2>/dev/null || true
	done
	for p in $_pids; do
		kill -KILL "$p" 2>/dev/null || true
	done
	for p in $_pids; do
		wait "$p" 2>/dev/null || true
	done
	for d in $_dirs; do
		rm -rf "$d"
	done
	for n in $_netns; do
		ip netns delete "$n" 2>/dev/null || true
	done
	_containers="" _pids="" _dirs="" _netns=""
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM HUP

# True while PID runs: kill -0 also succeeds for a zombie not yet waited for.
is_running() {
	state=$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null)
	[ -n "$state" ] && [ "$state" != Z ]
}

# Remember a background PID for cleanup.
track_pid() {
	_pids="$1 $_pids"
}

# Remember PID and all its descendants now: a process that changed its
# credentials (unshare -U -r) loses the parent-death signal of --kill-child,
# so killing the top of a tree does not end it.
track_tree() {
	track_pid "$1"
	for child in $(pgrep -P "$1"); do
		track_tree "$child"
	done
}

# netns_add NAME: ip netns add NAME, deleted by cleanup. Tests add $$ to NAME.
netns_add() {
	_netns="$1 $_netns"
	ip netns add "$1" || fail "ip netns add $1 failed"
}

# Sets $tmpdir to a new temporary directory, removed by cleanup.
make_tmpdir() {
	tmpdir=$(mktemp -d /tmp/nsdebug-test.XXXXXX)
	_dirs="$tmpdir $_dirs"
}

# make_bundle DIR CMD...: an OCI bundle in DIR whose rootfs is busybox-static
# with its applets, running CMD without a terminal. runc's default spec gives
# the container its own pid, net, ipc, uts and mount namespaces.
make_bundle() {
	bundle=$1
	shift
	mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/dev" \
		"$bundle/rootfs/sys" "$bundle/rootfs/tmp" "$bundle/rootfs/etc"
	cp /bin/busybox "$bundle/rootfs/bin/busybox"
	for applet in $(/bin/busybox --list); do
		[ "$applet" = busybox ] || ln -sf busybox "$bundle/rootfs/bin/$applet"
	done
	echo "nsdebug-test" >"$bundle/rootfs/etc/hostname"
	(cd "$bundle" && runc spec)
	args=$(printf '%s\n' "$@" | jq -R . | jq -s .)
	jq --argjson args "$args" '.process.terminal = false | .process.args = $args' \
		"$bundle/config.json" >"$bundle/config.json.new"
	mv "$bundle/config.json.new" "$bundle/config.json"
}

# runc_start NAME CMD...: starts a detached runc container NAME running CMD
# and sets $container_pid to the host PID of its init. Removed by cleanup.
# Tests add $$ to NAME: several runs of the suite may share the machine.
runc_start() {
	name=$1
	shift
	if runc state "$name" >/dev/null 2>&1; then
		fail "a runc container named $name exists already (another run?)"
	fi
	make_tmpdir
	make_bundle "$tmpdir" "$@"
	# A test may change the bundle first: it defines bundle_hook DIR.
	if declare -F bundle_hook >/dev/null; then
		bundle_hook "$tmpdir"
	fi
	_containers="$name $_containers"
	runc run --detach --bundle "$tmpdir" "$name" </dev/null >/dev/null 2>&1 ||
		fail "runc could not start container $name"
	container_pid=$(runc state "$name" | jq -r .pid)
}

# wait_for SECONDS CMD...: runs CMD every 0.1 s until it succeeds; fails after SECONDS.
wait_for() {
	tries=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || fail "timed out waiting for: $*"
		sleep 0.1
	done
}

# expect_status WANT CMD...: runs CMD with its output in $tmp/out and
# $tmp/err; fails unless it exits WANT.
expect_status() {
	local want=$1 status=0
	shift
	"$@" >"$tmp/out" 2>"$tmp/err" || status=$?
	[ "$status" = "$want" ] || fail "$*: exit $status, expected $want: $(cat "$tmp/out" "$tmp/err")"
}

# The namespace inode of TYPE of process PID.
ns_of() {
	stat -L -c %i "/proc/$1/ns/$2"
}

# same_mounts_as_findmnt NSDEBUG PID WHAT: nsdebug mounts and findmnt -N see
# the same mounts of PID's mount namespace. Both are flattened and sorted:
# they nest and order children differently (findmnt sorts them by ID).
same_mounts_as_findmnt() {
	local columns=TARGET,SOURCE,FSTYPE,OPTIONS ours theirs
	local flatten='[.. | objects | select(has("target")) | {target, source, fstype, options}] | sort'

	ours=$("$1" mounts "$2" -J -o "$columns" | jq -c "$flatten")
	theirs=$(findmnt -N "$2" -J -o "$columns" | jq -c "$flatten")
	if [ "$ours" != "$theirs" ]; then
		diff <(jq . <<<"$ours") <(jq . <<<"$theirs") || true
		fail "$3: nsdebug mounts and findmnt -N $2 disagree"
	fi
	echo "$3: nsdebug mounts and findmnt agree on $(jq length <<<"$ours") mounts"
}
