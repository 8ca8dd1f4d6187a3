# SPDX-License-Identifier: GPL-2.0-or-later
# The checks of nsdebug enter and netns that every engine's test runs on its
# container (enter-runc.sh, enter-docker.sh). Source after lib.sh. A test:
#   1. builds a root filesystem with add_container_files ROOTFS (busybox from
#      make_bundle, fake tools, /probe, /etc/shadow) and starts a container
#      on it with no network of its own but its own net namespace;
#   2. sets $NSDEBUG, $tmp, $target (host PID of the container's init),
#      $hostname (the container's), $etc_hostname (its /etc/hostname), and
#      defines in_container CMD... (runc exec / docker exec);
#   3. calls connect_container, then the check_* functions.
# Network: a veth pair between the container and a net namespace the test
# makes ($peer); the host's namespaces are never touched.

marker=FAKE-TOOL-FROM-THE-CONTAINER

# The tools a container could plant for a careless debugger: each prints the
# marker. Where the host resolves ip, ps and tcpdump, and the usual others.
add_container_files() {
	local root=$1 tool dir

	mkdir -p "$root/usr/bin" "$root/usr/sbin" "$root/sbin"
	for tool in ip ps tcpdump; do
		for dir in /bin /sbin /usr/bin /usr/sbin "$(dirname "$(command -v "$tool")")"; do
			rm -f "$root$dir/$tool"
			printf '#!/bin/sh\necho %s\n' "$marker" >"$root$dir/$tool"
			chmod 755 "$root$dir/$tool"
		done
	done
	echo "root:container-secret:19000:0:99999:7:::" >"$root/etc/shadow"
	chmod 600 "$root/etc/shadow"
	cc -static -O2 -D_GNU_SOURCE -o "$root/probe" "$(dirname "${BASH_SOURCE[0]}")/../helpers/probe.c" ||
		fail "cannot build tests/helpers/probe.c statically (libc6-dev)"
}

# Puts eth0 (10.213.61.2/24, default route via .1) into the container, its peer
# veth0 (10.213.61.1/24) into a net namespace of the test's own, held by $peer.
connect_container() {
	unshare --net sleep 600 </dev/null >/dev/null 2>&1 &
	peer=$!
	track_pid "$peer"
	peer_has_own_net() { [ "$(ns_of "$peer" net)" != "$(ns_of $$ net)" ]; }
	wait_for 5 peer_has_own_net
	nsenter -t "$peer" -n ip link add veth0 type veth peer name eth0 netns "$target"
	nsenter -t "$peer" -n ip addr add 10.213.61.1/24 dev veth0
	nsenter -t "$peer" -n ip link set veth0 up
	nsenter -t "$target" -n ip addr add 10.213.61.2/24 dev eth0
	nsenter -t "$target" -n ip link set eth0 up
	nsenter -t "$target" -n ip link set lo up
	nsenter -t "$target" -n ip route add default via 10.213.61.1
}

no_marker() {
	! grep -q "$marker" "$tmp/out" "$tmp/err" || fail "$1: ran the container's fake tool"
}

# --net runs the host's ip: the container's routes and interfaces, not the host's.
check_net() {
	expect_status 0 "$NSDEBUG" enter "$target" --net ip route
	no_marker "--net ip route"
	grep -qx "default via 10.213.61.1 dev eth0 *" "$tmp/out" || fail "--net ip route: $(cat "$tmp/out")"
	[ "$(cat "$tmp/out")" = "$(nsenter -t "$target" -n ip route)" ] || fail "--net ip route differs from nsenter's"
	[ "$(cat "$tmp/out")" != "$(ip route)" ] || fail "--net ip route shows the host's routes"

	expect_status 0 "$NSDEBUG" enter "$target" --net ip -j addr
	no_marker "--net ip -j addr"
	[ "$(jq -c '[.[].ifname] | sort' "$tmp/out")" = '["eth0","lo"]' ] ||
		fail "--net ip -j addr: interfaces $(jq -c '[.[].ifname]' "$tmp/out")"
	[ "$(jq -r '.[] | select(.ifname == "eth0") | .addr_info[] | select(.family == "inet") |
		"\(.local)/\(.prefixlen)"' "$tmp/out")" = 10.213.61.2/24 ] || fail "--net ip -j addr: $(cat "$tmp/out")"
}

# --net tcpdump captures the packets between the container and its peer.
# Arguments: how nsdebug runs it; by default enter TARGET --net.
check_tcpdump() {
	local i how=("$@")

	[ "${#how[@]}" -gt 0 ] || how=(enter "$target" --net)
	"$NSDEBUG" "${how[@]}" tcpdump -l -n -c 3 -i eth0 icmp >"$tmp/tcpdump" 2>"$tmp/tcpdump.err" &
	local dump=$!
	wait_for 10 grep -q "listening on eth0" "$tmp/tcpdump.err"
	for i in $(seq 50); do
		is_running "$dump" || break
		nsenter -t "$peer" -n ping -c 1 -W 1 10.213.61.2 >/dev/null 2>&1 || true
	done
	if is_running "$dump"; then
		kill -TERM "$dump"
		fail "tcpdump captured fewer than 3 packets in 50 pings: $(cat "$tmp/tcpdump" "$tmp/tcpdump.err")"
	fi
	wait "$dump" || fail "${how[*]} tcpdump failed: $(cat "$tmp/tcpdump.err")"
	! grep -q "$marker" "$tmp/tcpdump" || fail "${how[*]} tcpdump ran the container's fake tool"
	[ "$(grep -c 'IP 10.213.61.1 > 10.213.61.2: ICMP echo request' "$tmp/tcpdump")" -ge 1 ] &&
		[ "$(grep -c 'IP 10.213.61.2 > 10.213.61.1: ICMP echo reply' "$tmp/tcpdump")" -ge 1 ] &&
		[ "$(wc -l <"$tmp/tcpdump")" = 3 ] || fail "${how[*]} tcpdump captured: $(cat "$tmp/tcpdump")"
}

# --pid runs the host's ps in the container's pid namespace: its processes
# only, PID 1 its init.
check_pid() {
	expect_status 0 "$NSDEBUG" enter "$target" --pid ps -eo pid=,comm=
	no_marker "--pid ps"
	awk 'NR == 1 && !($1 == 1 && $2 == "sleep") { exit 1 } NR == 2 && $2 != "ps" { exit 1 }
		END { exit NR != 2 }' "$tmp/out" || fail "--pid ps: $(cat "$tmp/out")"
}

# --uts, --ipc, --mnt each show the container's view.
check_views() {
	expect_status 0 "$NSDEBUG" enter "$target" --uts hostname
	[ "$(cat "$tmp/out")" = "$hostname" ] || fail "--uts hostname: $(cat "$tmp/out")"

	nsenter -t "$target" -i ipcmk -Q >/dev/null
	expect_status 0 "$NSDEBUG" enter "$target" --ipc ipcs -q
	[ "$(cat "$tmp/out")" = "$(nsenter -t "$target" -i ipcs -q)" ] || fail "--ipc ipcs -q: $(cat "$tmp/out")"
	[ "$(grep -c '^0x' "$tmp/out")" = 1 ] || fail "--ipc ipcs -q: not the container's one queue"

	expect_status 0 "$NSDEBUG" enter "$target" --mnt cat /etc/hostname
	[ "$(cat "$tmp/out")" = "$etc_hostname" ] || fail "--mnt cat /etc/hostname: $(cat "$tmp/out")"

	# A host tool is not in the container: one line that says what to do.
	expect_status 127 "$NSDEBUG" enter "$target" --mnt tcpdump-not-here
	[ "$(cat "$tmp/err")" = "nsdebug: $target: cannot find 'tcpdump-not-here' in the target: No such file or directory (to run the host's tools in its namespaces, leave out --mnt or use 'nsdebug attach')" ] ||
		fail "--mnt missing command: $(cat "$tmp/err")"
}

# --all: every namespace of the container, and the command from its filesystem
# (so its ps is the fake one: that is what --mnt asks for).
check_all() {
	local t want=""

	for t in mnt net pid uts ipc cgroup; do
		want+="$(readlink "/proc/$target/ns/$t")"$'\n'
	done
	want+=$hostname
	expect_status 0 "$NSDEBUG" enter "$target" --all sh -c \
		'for t in mnt net pid uts ipc cgroup; do readlink /proc/self/ns/$t; done; hostname'
	[ "$(cat "$tmp/out")" = "$want" ] || fail "--all: $(cat "$tmp/out"), expected $want"
	expect_status 0 "$NSDEBUG" enter "$target" --all ps
	[ "$(cat "$tmp/out")" = "$marker" ] || fail "--all ps did not run the container's ps: $(cat "$tmp/out")"
}

# Security rule 2: a root process of the container, with the container's
# capabilities, can neither trace the entered command nor reach the host's
# filesystem through its /proc/PID/root, nor its cwd or fds. --pid puts a host
# binary with a host root into the container's pid namespace, where the
# container sees it. Arguments: how nsdebug runs it; by default enter TARGET --pid.
check_not_traceable() {
	local how=("$@") what

	[ "${#how[@]}" -gt 0 ] || how=(enter "$target" --pid)
	in_container /probe attack-own >"$tmp/own" 2>&1 || fail "probe: $(cat "$tmp/own")"
	[ "$(grep -c ': ok$' "$tmp/own")" = 4 ] || fail "the probe cannot attack its own child: $(cat "$tmp/own")"

	"$NSDEBUG" "${how[@]}" tail -f /dev/null </dev/null >/dev/null 2>&1 &
	local entering=$!
	wait_for 10 in_container /probe attack tail
	in_container /probe attack tail >"$tmp/attack" 2>&1
	kill -TERM "$entering"
	wait "$entering" || true
	grep -q '^ptrace: Operation not permitted$' "$tmp/attack" || fail "${how[*]}: ptrace: $(cat "$tmp/attack")"
	for what in shadow cwd fd; do
		grep -q "^$what: Permission denied$" "$tmp/attack" || fail "${how[*]}: $what: $(cat "$tmp/attack")"
	done
}

# Security rule 2: the command gets fds 0-2 and nothing else nsdebug had open,
# nor what its caller left open (fds 3 and 7 here).
check_fds() {
	local how

	for how in --net --pid; do
		expect_status 0 "$NSDEBUG" enter "$target" "$how" "$tmp/probe" fds 3</dev/null 7</dev/null
		[ "$(sort -n "$tmp/out" | tr '\n' ' ')" = "0 1 2 " ] || fail "$how: the command has fds $(cat "$tmp/out")"
	done
	expect_status 0 "$NSDEBUG" enter "$target" --all /probe fds 3</dev/null 7</dev/null
	[ "$(sort -n "$tmp/out" | tr '\n' ' ')" = "0 1 2 " ] || fail "--all: the command has fds $(cat "$tmp/out")"
}

# The command's status; 128+N for signal N; 127 not found; 126 not
# executable; 125 nsdebug's own failure (DESIGN.md, "Output and exit codes").
check_exit_codes() {
	local how gone

	for how in --net --pid; do
		expect_status 0 "$NSDEBUG" enter "$target" "$how" true
		expect_status 1 "$NSDEBUG" enter "$target" "$how" false
		expect_status 3 "$NSDEBUG" enter "$target" "$how" sh -c 'exit 3'
		expect_status 143 "$NSDEBUG" enter "$target" "$how" sh -c 'kill -TERM $$'
		expect_status 137 "$NSDEBUG" enter "$target" "$how" sh -c 'kill -KILL $$'
		expect_status 127 "$NSDEBUG" enter "$target" "$how" no-such-command-$$
		[ "$(cat "$tmp/err")" = "nsdebug: $target: cannot find 'no-such-command-$$' on the host: No such file or directory" ] ||
			fail "missing command: $(cat "$tmp/err")"
		expect_status 126 "$NSDEBUG" enter "$target" "$how" "$tmp/not-executable"
		[ "$(cat "$tmp/err")" = "nsdebug: $target: cannot execute '$tmp/not-executable': Permission denied" ] ||
			fail "non-executable file: $(cat "$tmp/err")"
		expect_status 126 "$NSDEBUG" enter "$target" "$how" /etc
		expect_status 125 "$NSDEBUG" enter "$target" "$how" -w /no/such/dir true
		[ "$(cat "$tmp/err")" = "nsdebug: $target: cannot change to the working directory: No such file or directory" ] ||
			fail "bad -w: $(cat "$tmp/err")"
	done
	sleep 0 &
	gone=$!
	wait "$gone"
	expect_status 125 "$NSDEBUG" enter "$gone" --net true
	[ "$(cat "$tmp/err")" = "nsdebug: $gone: no such process" ] || fail "exited target: $(cat "$tmp/err")"
	expect_status 125 "$NSDEBUG" enter no-such-container-$$ --net true
}

# netns link names the container's net namespace for ip netns; unlink takes
# the name away and leaves nothing mounted.
check_netns() {
	local name=nsdt$$

	_netns_names="$name ${_netns_names:-}"
	expect_status 0 "$NSDEBUG" netns link "$target" "$name"
	expect_status 0 ip netns exec "$name" ip -j addr
	[ "$(jq -c '[.[].ifname] | sort' "$tmp/out")" = '["eth0","lo"]' ] ||
		fail "ip netns exec $name: $(cat "$tmp/out")"
	jq -e '.[] | select(.ifname == "eth0") | .addr_info[] | select(.local == "10.213.61.2")' "$tmp/out" >/dev/null ||
		fail "ip netns exec $name: no 10.213.61.2 on eth0"
	expect_status 1 "$NSDEBUG" netns link "$target" "$name"
	[ "$(cat "$tmp/err")" = "nsdebug: $name: the name is taken (see 'ip netns list')" ] ||
		fail "link twice: $(cat "$tmp/err")"
	expect_status 0 "$NSDEBUG" netns unlink "$name"
	[ ! -e "/run/netns/$name" ] || fail "/run/netns/$name is still there"
	! grep -q "/run/netns/$name " /proc/self/mountinfo || fail "/run/netns/$name is still mounted"
	! ip netns list | grep -qw "$name" || fail "ip netns still lists $name"
	expect_status 1 "$NSDEBUG" netns unlink "$name"
}

# Names a failed test may have left in /run/netns: only the test's own.
cleanup_netns() {
	local name

	for name in ${_netns_names:-}; do
		[ -e "/run/netns/$name" ] && ip netns delete "$name" 2>/dev/null
	done
	return 0
}

# All of the above, in one go.
check_everything() {
	printf '#!/bin/sh\necho should not run\n' >"$tmp/not-executable"
	cc -O2 -D_GNU_SOURCE -o "$tmp/probe" "$(dirname "${BASH_SOURCE[0]}")/../helpers/probe.c" ||
		fail "cannot build tests/helpers/probe.c"
	check_net
	check_tcpdump
	check_pid
	check_views
	check_all
	check_not_traceable
	check_fds
	check_exit_codes
	check_netns
}
