#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# How nsdebug enter runs its command, on a target in namespaces of its own
# (user, mnt, net, pid, uts, ipc, time) made with unshare: SIGINT, SIGTERM and
# SIGHUP sent to nsdebug reach the command once, Ctrl-C on a terminal too;
# the terminal's settings are restored; the user namespace is joined (as root
# in it); the time namespace without a fork; -F, -w, -e; scripts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1
command -v script >/dev/null || { echo "skip: script (bsdutils) not installed"; exit 77; }
make_tmpdir
tmp=$tmpdir

expect_out() {
	[ "$(cat "$tmp/out")" = "$1" ] || fail "$2: got '$(cat "$tmp/out")', expected '$1'"
}

env -i NSDT_VAR=target-$$ PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	unshare --user --map-root-user --mount --net --pid --uts --ipc --time --boottime 1000000 \
	--fork --kill-child --mount-proc sh -c \
	'mount -t tmpfs none /mnt && echo inside >/mnt/file &&
	 printf "#!/bin/sh\necho script \$1\n" >/mnt/script && chmod 755 /mnt/script && exec sleep 600' \
	</dev/null >/dev/null 2>&1 &
unshare_pid=$!
track_pid "$unshare_pid"
target_ready() {
	target=$(pgrep -P "$unshare_pid") && [ "$(cat "/proc/$target/comm")" = sleep ]
}
wait_for 5 target_ready
target=$(pgrep -P "$unshare_pid")

# The user namespace: joined, and root in it; its owned namespaces with it.
expect_status 0 "$NSDEBUG" enter "$target" --user --net sh -c 'id -u; readlink /proc/self/ns/user; ip -o link | wc -l'
expect_out "0
$(readlink "/proc/$target/ns/user")
1" "--user --net"
# Without --user, host root joins the other namespaces it owns all the same.
expect_status 0 "$NSDEBUG" enter "$target" --net --uts sh -c 'readlink /proc/self/ns/user /proc/self/ns/uts'
expect_out "$(readlink /proc/self/ns/user)
$(readlink "/proc/$target/ns/uts")" "--net --uts"
expect_status 0 "$NSDEBUG" enter "$target" --user --pid ps -eo pid=,comm=
[ "$(awk '{ print ($1 == 1 ? 1 : "N"), $2 }' "$tmp/out")" = "1 sleep
N ps" ] || fail "--user --pid ps: $(cat "$tmp/out")"
expect_status 0 "$NSDEBUG" enter "$target" --all cat /mnt/file
expect_out inside "--all cat /mnt/file"

# The time namespace applies at once: no fork, the command's parent is this
# shell. With --pid nsdebug forks, and the parent is outside the namespace.
expect_status 0 "$NSDEBUG" enter "$target" --time sh -c 'cut -d. -f1 /proc/uptime; echo $PPID'
[ "$(head -n 1 "$tmp/out")" -ge 1000000 ] || fail "--time: uptime $(head -n 1 "$tmp/out")"
[ "$(tail -n 1 "$tmp/out")" = $$ ] || fail "--time forked: parent $(tail -n 1 "$tmp/out"), not $$"
expect_status 0 "$NSDEBUG" enter "$target" --pid sh -c 'echo $PPID'
expect_out 0 "--pid: parent"
# -F: no fork; the command stays in our pid namespace, its children would not.
expect_status 0 "$NSDEBUG" enter "$target" --pid -F sh -c \
	'echo $PPID; readlink /proc/$$/ns/pid /proc/$$/ns/pid_for_children'
expect_out "$$
$(readlink /proc/self/ns/pid)
$(readlink "/proc/$target/ns/pid")" "--pid -F"

# -w: a host directory; with --mnt, one in the target's filesystem.
expect_status 0 "$NSDEBUG" enter "$target" --net -w /usr/share pwd
expect_out /usr/share "--net -w /usr/share"
expect_status 0 "$NSDEBUG" enter "$target" --mnt -w /mnt cat file
expect_out inside "--mnt -w /mnt"
# -e: the target's environment instead of ours.
expect_status 0 "$NSDEBUG" enter "$target" --net sh -c 'echo "${NSDT_VAR:-unset}"'
expect_out unset "without -e"
expect_status 0 "$NSDEBUG" enter "$target" --net -e sh -c 'echo "${NSDT_VAR:-unset}"'
expect_out "target-$$" "-e"

# Scripts run by fd too: from the host, and with --mnt from the target.
printf '#!/bin/sh\necho host script $1\n' >"$tmp/script"
chmod 755 "$tmp/script"
expect_status 0 "$NSDEBUG" enter "$target" --net "$tmp/script" a
expect_out "host script a" "host script, --net"
expect_status 0 "$NSDEBUG" enter "$target" --pid "$tmp/script" b
expect_out "host script b" "host script, --pid"
expect_status 0 "$NSDEBUG" enter "$target" --all /mnt/script c
expect_out "script c" "target's script, --all"

# Signals sent to nsdebug reach the command once. env resets SIGINT, which a
# background job of a shell without job control starts with ignored.
cc -O2 -D_GNU_SOURCE -o "$tmp/probe" "$(dirname "$0")/../helpers/probe.c" || fail "cannot build probe.c"
for sig in INT TERM HUP; do
	rm -f "$tmp/ready" "$tmp/stop" "$tmp/log"
	env --default-signal=INT "$NSDEBUG" enter "$target" --pid "$tmp/probe" signals "$tmp" </dev/null &
	entering=$!
	wait_for 5 test -e "$tmp/ready"
	kill -"$sig" "$entering"
	wait_for 5 test -s "$tmp/log"
	sleep 0.3
	touch "$tmp/stop"
	status=0
	wait "$entering" || status=$?
	[ "$status" = 0 ] || fail "SIG$sig: exit $status"
	[ "$(cat "$tmp/log")" = "$sig" ] || fail "SIG$sig reached the command as: $(cat "$tmp/log")"
done
# Not caught, it ends the command, and nsdebug says so.
env --default-signal=INT "$NSDEBUG" enter "$target" --pid sleep 60 </dev/null &
entering=$!
sleep 0.3
kill -INT "$entering"
status=0
wait "$entering" || status=$?
[ "$status" = 130 ] || fail "SIGINT to nsdebug: exit $status, expected 130"

# On a terminal: Ctrl-C reaches the command once (from the terminal, not
# again from nsdebug), and the settings the command changed are restored.
# exec: script runs $SHELL -c, and a dash left in between would end itself
# on that Ctrl-C, after the command handled it, with status 130.
rm -f "$tmp/ready" "$tmp/stop" "$tmp/log"
mkfifo "$tmp/keys"
env --default-signal=INT script -qec "exec $NSDEBUG enter $target --pid $tmp/probe signals $tmp" /dev/null \
	<"$tmp/keys" >"$tmp/tty" 2>&1 &
entering=$!
exec 3>"$tmp/keys"
wait_for 5 test -e "$tmp/ready"
printf '\003' >&3
wait_for 5 test -s "$tmp/log"
sleep 0.3
touch "$tmp/stop"
exec 3>&-
wait "$entering" || fail "Ctrl-C: $(cat "$tmp/tty")"
[ "$(cat "$tmp/log")" = INT ] || fail "Ctrl-C reached the command as: $(cat "$tmp/log")"

script -qec "stty echo; $NSDEBUG enter $target --pid stty -echo; stty -a" /dev/null </dev/null >"$tmp/tty" 2>&1
grep -qw -- -echo "$tmp/tty" && fail "the terminal was left with -echo: $(cat "$tmp/tty")"
grep -qw echo "$tmp/tty" || fail "stty -a: $(cat "$tmp/tty")"
# The control: without nsdebug in between, -echo stays.
script -qec "stty echo; stty -echo; stty -a" /dev/null </dev/null >"$tmp/tty" 2>&1
grep -qw -- -echo "$tmp/tty" || fail "stty -echo does not show: $(cat "$tmp/tty")"
echo ok
