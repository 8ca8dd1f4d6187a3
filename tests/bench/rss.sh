#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Peak memory of nsdebug on a host with 10,000 processes: the maximum resident
# set size (GNU time's %M) of `nsdebug list -J`, `nsdebug containers -J` and
# `nsdebug graph -J`, next to that of lsns -J (and lsns -J -o +PNS,ONS, what
# the graph's hierarchy compares with), and whether each stays under the
# limit of 32 MiB. The processes are groups of 4 sleeping processes, each
# group in its own pid, net, uts, ipc and mnt namespaces (tests/bench/groups.sh),
# so the host has about 1.25 namespaces per process.
#
# It never fails on the figures: a person reads them. It exits non-zero only
# when setup fails, 77 (skip) when it cannot run here. Needs root, util-linux
# (lsns, unshare, setpriv), GNU time (/usr/bin/time, Debian package "time"),
# cgroup v2 with cgroup.kill (Linux 5.14) and a kernel.pid_max with room for
# the processes.
set -euo pipefail

prog=${0##*/}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/bench/lib.sh
. "$repo/tests/bench/lib.sh"
# shellcheck source=tests/bench/groups.sh
. "$repo/tests/bench/groups.sh"
nsdebug=$repo/build/cmd/nsdebug
procs=10000
runs=3
limit_mib=32
gnu_time=/usr/bin/time

usage() {
	cat <<-EOF
	Usage: $prog [--nsdebug PATH] [--procs N] [--runs N]

	Measures the peak RSS of nsdebug list -J, containers -J and graph -J, and of
	lsns -J, with N more processes on the host in groups of 4, each group in
	its own pid, net, uts, ipc and mnt namespaces; the limit is $limit_mib MiB.

	  --nsdebug PATH   nsdebug binary (default: $nsdebug)
	  --procs N        processes to start, rounded down to a multiple of 4
	                   (default: $procs)
	  --runs N         runs of each command; the largest RSS counts (default: $runs)
	  -h, --help       show this help
	EOF
}

parse_options "nsdebug procs runs" "$@"
is_uint "$runs" && ((runs >= 1)) || bad_usage "--runs: not a positive number: '$runs'"
is_uint "$procs" && ((procs >= 4)) || bad_usage "--procs: not a process count >= 4: '$procs'"

((EUID == 0)) || skip "must run as root: it creates namespaces and a cgroup"
for tool in lsns unshare setpriv; do
	command -v "$tool" >/dev/null || skip "$tool not found"
done
[[ -x $gnu_time ]] || skip "$gnu_time not found (Debian package 'time')"
[[ -x $nsdebug ]] || die "$nsdebug: not found (build with 'meson setup build && ninja -C build')"
# Every process takes a PID: leave room for the rest of the host too.
pid_max=$(cat /proc/sys/kernel/pid_max)
threads_max=$(cat /proc/sys/kernel/threads-max)
in_use=$(count_host_procs)
if ((in_use + procs + 1000 > pid_max || in_use + procs + 1000 > threads_max)); then
	skip "kernel.pid_max $pid_max, kernel.threads-max $threads_max: no room for $procs" \
		"more processes beside $in_use (raise them with sysctl)"
fi

groups_init

# peak NAME CMD...: runs CMD $runs times and sets rss[NAME] to the largest
# maximum RSS, in KiB; its stderr goes to $tmp/NAME.stderr.
declare -A rss
peak() {
	local name=$1 kib rc i
	shift

	for ((i = 0; i < runs; i++)); do
		rc=0
		"$gnu_time" -f %M -o "$tmp/rss" -- "$@" >"$tmp/out" 2>>"$tmp/$name.stderr" || rc=$?
		((rc == 0)) || die "$*: exit status $rc: $(head -c 300 "$tmp/$name.stderr")"
		kib=$(tail -n 1 "$tmp/rss")
		is_uint "$kib" || die "$*: GNU time said '$kib'"
		((kib > ${rss[$name]:-0})) && rss[$name]=$kib
	done
	return 0
}

mib() {
	calc "$1 / 1024"
}

groups=$((procs / 4))
t0=$SECONDS
echo "setting up $((groups * 4)) processes in $groups groups..." >&2
spawn_groups "$groups"
wait_settled $((groups * 4))
echo "  ready after $((SECONDS - t0))s" >&2

host=$(count_host_procs)
namespaces=$("$nsdebug" list -J 2>/dev/null | jq '.namespaces | length')
peak list "$nsdebug" list -J
peak containers "$nsdebug" containers -J
peak graph "$nsdebug" graph -J
peak lsns lsns -J
peak lsns+hier lsns -J -o +PNS,ONS

echo "nsdebug: $nsdebug"
echo "lsns:    $(command -v lsns) ($(lsns --version))"
echo "kernel:  $(uname -r), $(nproc) CPUs"
echo "$host processes on the host, $((groups * 4)) of them in $groups groups; $namespaces" \
	"namespaces; the largest maximum RSS of $runs runs each"
printf '  %-22s %8s MiB   (limit %s MiB: %s; lsns -J %s MiB, %sx)\n' \
	"nsdebug list -J" "$(mib "${rss[list]}")" "$limit_mib" \
	"$(verdict "${rss[list]} < $limit_mib * 1024")" "$(mib "${rss[lsns]}")" \
	"$(calc "${rss[list]} / ${rss[lsns]}")"
printf '  %-22s %8s MiB   (limit %s MiB: %s; lsns -J %s MiB, %sx)\n' \
	"nsdebug containers -J" "$(mib "${rss[containers]}")" "$limit_mib" \
	"$(verdict "${rss[containers]} < $limit_mib * 1024")" "$(mib "${rss[lsns]}")" \
	"$(calc "${rss[containers]} / ${rss[lsns]}")"
printf '  %-22s %8s MiB   (limit %s MiB: %s; lsns -J -o +PNS,ONS %s MiB, %sx)\n' \
	"nsdebug graph -J" "$(mib "${rss[graph]}")" "$limit_mib" \
	"$(verdict "${rss[graph]} < $limit_mib * 1024")" "$(mib "${rss[lsns+hier]}")" \
	"$(calc "${rss[graph]} / ${rss[lsns+hier]}")"
for name in list containers graph lsns lsns+hier; do
	if [[ -s $tmp/$name.stderr ]]; then
		echo "  $name stderr (distinct lines, with counts):"
		sort "$tmp/$name.stderr" | uniq -c | sort -rn | head -n 3 | sed 's/^/    /'
	fi
done
