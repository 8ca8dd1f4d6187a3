#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsdebug attach on a runc container: the host's ps, ip, hostname, ss and
# tcpdump with the container's view, its root at $NSDEBUG_ROOT; nothing of
# the container changes; the default capabilities, and --privileged; the
# container cannot reach into the attached shell; a target with its own user
# namespace; an interactive session on
# a terminal (tmux): prompt, Ctrl-C, window size, exit status.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/enter-lib.sh"
require_root
NSDEBUG=$1
for tool in tcpdump ping cc tmux ss lsof strace; do
	command -v "$tool" >/dev/null || { echo "skip: $tool not installed (./run.sh installs it)"; exit 77; }
done
tmux_socket=nsdebug-attach-$$
trap 'tmux -L "$tmux_socket" kill-server 2>/dev/null || true; cleanup_netns; cleanup' EXIT
make_tmpdir
tmp=$tmpdir

name=nsdebug-it-attach-$$
hostname=nsd-attach-$$
etc_hostname=nsdebug-test
# A file of the host's that the container's /etc/passwd points at.
printf 'hostleak:x:0:0:the host:/root:/bin/sh\n' >"$tmp/host-passwd"
bundle_hook() {
	add_container_files "$1/rootfs"
	ln -sf "$tmp/host-passwd" "$1/rootfs/etc/passwd"
	jq --arg h "$hostname" '.hostname = $h' "$1/config.json" >"$1/config.json.new"
	mv "$1/config.json.new" "$1/config.json"
}
runc_start "$name" sleep 600
rootfs=$bundle/rootfs
target=$container_pid
in_container() {
	runc exec "$name" "$@"
}
connect_container
runc exec --detach "$name" nc -l -p 8080 </dev/null >/dev/null 2>&1
listening() { nsenter -t "$target" -n ss -tln | grep -q ':8080 '; }
wait_for 5 listening
cc -O2 -D_GNU_SOURCE -o "$tmp/probe" "$(dirname "$0")/../helpers/probe.c" ||
	fail "cannot build tests/helpers/probe.c"

# What the container is made of, to compare after the sessions: its files
# with their times, and its mount table.
snapshot() {
	find "$rootfs" -printf '%p %y %m %U:%G %s %T@ %C@ %l\n' | sort
	cut -d' ' -f1-10 "/proc/$target/mountinfo"
}
snapshot >"$tmp/before"

# The host's ps sees the container's processes, and nsdebug ps the same ones.
expect_status 0 "$NSDEBUG" attach "$name" -- ps -eo pid=,comm=
no_marker "attach ps"
awk '$1 == 1 && $2 == "sleep" { init = 1 } END { exit !init }' "$tmp/out" || fail "attach ps: no init: $(cat "$tmp/out")"
attached=$(awk '$2 != "ps" { print $1 }' "$tmp/out" | sort -n | tr '\n' ' ')
theirs=$(in_container busybox ps -o pid=,comm= | awk '$2 != "busybox" { print $1 }' | sort -n | tr '\n' ' ')
ours=$("$NSDEBUG" ps "$name" -n -r -o NSPID | sort -n | tr '\n' ' ')
[ "$attached" = "$theirs" ] || fail "attach ps: $attached, the container's ps: $theirs"
[ "$ours" = "$theirs" ] || fail "nsdebug ps: $ours, the container's ps: $theirs"

# Its network, hostname and sockets.
expect_status 0 "$NSDEBUG" attach "$name" -- ip -j addr
no_marker "attach ip"
[ "$(jq -c '[.[].ifname] | sort' "$tmp/out")" = '["eth0","lo"]' ] || fail "attach ip -j addr: $(cat "$tmp/out")"
jq -e '.[] | select(.ifname == "eth0") | .addr_info[] | select(.local == "10.213.61.2")' "$tmp/out" >/dev/null ||
	fail "attach ip -j addr: no 10.213.61.2 on eth0"
expect_status 0 "$NSDEBUG" attach "$name" -- hostname
[ "$(cat "$tmp/out")" = "$hostname" ] || fail "attach hostname: $(cat "$tmp/out")"
expect_status 0 "$NSDEBUG" attach "$name" -- ss -tlnp
grep -q ':8080 .*users:(("nc",pid=[0-9]*,' "$tmp/out" || fail "attach ss -tlnp: $(cat "$tmp/out")"
[ "$(grep -c LISTEN "$tmp/out")" = 1 ] || fail "attach ss -tlnp: not only the container's listener: $(cat "$tmp/out")"

# Its sysfs, read-only; for a host process the host's, read-only too.
expect_status 0 "$NSDEBUG" attach "$name" -- ls /sys/class/net
[ "$(cat "$tmp/out")" = $'eth0\nlo' ] || fail "attach ls /sys/class/net: $(cat "$tmp/out")"
expect_status 0 "$NSDEBUG" attach $$ -- ls /sys/class/net
[ "$(cat "$tmp/out")" = "$(ls /sys/class/net)" ] || fail "attach to a host process: /sys/class/net $(cat "$tmp/out")"
for who in "$name" $$; do
	expect_status 1 "$NSDEBUG" attach "$who" -- touch /sys/nsdebug-$$
	grep -q 'Read-only file system' "$tmp/err" || fail "attach $who: touch in /sys: $(cat "$tmp/err")"
	# The host's mounts below /proc and /sys (cgroups) are gone with them:
	# hidden but listed, they made lsof warn of each.
	expect_status 0 "$NSDEBUG" attach "$who" -- sh -c 'grep -E " /(proc|sys)[ /]" /proc/self/mountinfo | cut -d" " -f5,9'
	[ "$(cat "$tmp/out")" = $'/proc proc\n/sys sysfs' ] || fail "attach $who: mounts on /proc and /sys: $(cat "$tmp/out")"
done
expect_status 0 "$NSDEBUG" attach "$name" -- lsof -p 1
[ ! -s "$tmp/err" ] && grep -q '^sleep *1 .* /bin/busybox$' "$tmp/out" ||
	fail "attach lsof -p 1: $(cat "$tmp/out" "$tmp/err")"
# strace -p: the container's init, by its PID there.
expect_status 124 "$NSDEBUG" attach "$name" -- timeout 1 strace -p 1
grep -q '^strace: Process 1 attached' "$tmp/err" || fail "attach strace -p 1: $(cat "$tmp/err")"
# A namespace file without a process has no pid namespace to attach to.
netns_add "nsdt-attach-$$"
expect_status 125 "$NSDEBUG" attach "/run/netns/nsdt-attach-$$" -- true
[ "$(cat "$tmp/err")" = "nsdebug: /run/netns/nsdt-attach-$$: no process has this namespace file: attach needs one (use 'nsdebug enter')" ] ||
	fail "attach to a namespace file: $(cat "$tmp/err")"

# Its root, and the environment that names it.
expect_status 0 "$NSDEBUG" attach "$name" -- sh -c 'cat "$NSDEBUG_ROOT/etc/hostname"; echo "$NSDEBUG_TARGET $NSDEBUG_ROOT"'
[ "$(cat "$tmp/out")" = "$etc_hostname"$'\n'"runc:$name /proc/1/root" ] || fail "attach \$NSDEBUG_ROOT: $(cat "$tmp/out")"
# Its /etc/passwd points at a host file: nsdebug resolves it in the
# container, where there is none, for USER. (The kernel resolves it from the
# session's root, the host's, as nsdebug-attach(1) warns.)
expect_status 0 "$NSDEBUG" ps "$name" -n -r -o NSPID,USER
grep -qx '1 0' "$tmp/out" || fail "nsdebug ps read the host's file through the container's symlink: $(cat "$tmp/out")"

# Capabilities: the default ones cannot mount, --privileged can; in a
# mount namespace of the session's own, so the host does not see it.
mkdir "$tmp/mnt"
expect_status 32 "$NSDEBUG" attach "$name" -- mount -t tmpfs nsdebug-attach "$tmp/mnt"
grep -q 'permission denied' "$tmp/err" || fail "attach mount: $(cat "$tmp/err")"
expect_status 0 "$NSDEBUG" attach "$name" --privileged -- sh -c "mount -t tmpfs nsdebug-attach $tmp/mnt && grep -c nsdebug-attach /proc/self/mountinfo"
[ "$(cat "$tmp/out")" = 1 ] || fail "attach --privileged mount: $(cat "$tmp/out")"
! grep -q nsdebug-attach /proc/self/mountinfo "/proc/$target/mountinfo" || fail "the session's mount is seen outside it"
expect_status 0 "$NSDEBUG" attach "$name" -- grep -E '^Cap(Prm|Eff|Bnd|Amb):' /proc/self/status
[ "$(awk '{ print $2 }' "$tmp/out" | sort -u | tr '\n' ' ')" = "0000000000000000 00000000000830c6 " ] ||
	fail "attach: capabilities $(cat "$tmp/out")"
check_tcpdump attach "$name" --
check_tcpdump attach "$name" --privileged --

# The container cannot trace the session nor open its root, cwd or fds;
# the session has no fd of nsdebug's or of its caller's.
check_not_traceable attach "$name" --
expect_status 0 "$NSDEBUG" attach "$name" -- "$tmp/probe" fds 3</dev/null 7</dev/null
[ "$(sort -n "$tmp/out" | tr '\n' ' ')" = "0 1 2 " ] || fail "attach: the command has fds $(cat "$tmp/out")"

# Exit statuses are the command's; nsdebug's own failures 125.
expect_status 3 "$NSDEBUG" attach "$name" -- sh -c 'exit 3'
expect_status 130 "$NSDEBUG" attach "$name" -- sh -c 'kill -INT $$'
expect_status 127 "$NSDEBUG" attach "$name" -- no-such-command-$$
expect_status 125 "$NSDEBUG" attach no-such-container-$$ -- true
[ "$(cat "$tmp/err")" = "nsdebug: no-such-container-$$: no such container" ] ||
	fail "attach to nothing: $(cat "$tmp/err")"

# A target with a user namespace of its own: the session joins that too.
unshare -U -r --pid --net --uts --fork --mount-proc sh -c 'hostname nsd-userns; exec sleep 600' \
	</dev/null >/dev/null 2>&1 &
owner=$!
track_pid "$owner"
inner_sleeps() { [ "$(cat "/proc/$(pgrep -P "$owner")/comm")" = sleep ]; }
wait_for 5 inner_sleeps
inner=$(pgrep -P "$owner")
track_tree "$owner"
expect_status 0 "$NSDEBUG" attach "$inner" -- sh -c 'readlink /proc/self/ns/user; hostname; ps -eo pid=,comm= | head -1'
[ "$(tr -s ' ' <"$tmp/out" | sed 's/^ //')" = "$(readlink "/proc/$inner/ns/user")"$'\n'"nsd-userns"$'\n'"1 sleep" ] ||
	fail "attach to a process with its own user namespace: $(cat "$tmp/out")"

# Interactive, on a terminal of tmux's: the prompt names the container;
# job control is on; Ctrl-C stops a sleep and not the shell; the shell
# sees the window's size and its changes; exit 3 is the session's status.
tmux() { command tmux -L "$tmux_socket" -f /dev/null "$@"; }
screen_has() { tmux capture-pane -p -t attach | grep -q -- "$1"; }
prompts() { tmux capture-pane -p -t attach | grep -c "^\[nsdebug runc:$name\] #" || true; }
# bash, not the $SHELL tmux would use: a dash ends itself on a Ctrl-C its
# child handled. Its $? is the session's status (tmux's pane_dead_status
# sometimes never comes: the pane's process stays unreaped).
tmux new-session -d -s attach -x 100 -y 30 \
	"bash -c 'SHELL=/bin/bash $NSDEBUG attach $name; echo \$? >$tmp/status'"
wait_for 10 screen_has "^\[nsdebug runc:$name\] #"
tmux send-keys -t attach 'stty size; sleep 1234' Enter
wait_for 5 screen_has '^30 100$'
sleeping() { pgrep -f 'sleep 1234' >/dev/null; }
wait_for 5 sleeping
tmux send-keys -t attach C-c
wait_for 5 eval '! sleeping'
two_prompts() { [ "$(prompts)" -ge 2 ]; }
wait_for 5 two_prompts
tmux resize-window -t attach -x 90 -y 25
tmux send-keys -t attach 'stty size; sleep 567 & jobs' Enter
wait_for 5 screen_has '^25 90$'
wait_for 5 screen_has '^\[1\]+ *Running *sleep 567 &$'
! screen_has 'no job control' || fail "interactive attach: $(tmux capture-pane -p -t attach)"
tmux send-keys -t attach 'kill %1; exit 3' Enter
wait_for 10 test -s "$tmp/status"
[ "$(cat "$tmp/status")" = 3 ] || fail "interactive attach: exit status $(cat "$tmp/status")"

# And after all this the container is as it was.
snapshot >"$tmp/after"
diff "$tmp/before" "$tmp/after" || fail "the attach sessions changed the container"
echo ok
