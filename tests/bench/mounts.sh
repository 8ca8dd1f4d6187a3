#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Benchmark of `nsdebug mounts PID` on mount namespaces of thousands of
# tmpfs mounts, against `findmnt -N PID` (same columns: the defaults of both,
# TARGET SOURCE FSTYPE OPTIONS as a tree) and against mntparse, which only
# parses /proc/PID/mountinfo with libmount: the floor nsdebug builds on.
# `findmnt -N PID -l` is shown too: the same parse and the same libsmartcols
# table without a tree, i.e. the cost of printing the table at all.
#
# For each size it mounts that many tmpfs in a private mount namespace, then
# times the three alternately and prints medians, ratios and the targets
# next to them. It never fails on timing: the numbers are noisy on shared
# machines and a person reads them. It exits non-zero only when setup fails,
# 77 (skip) when it cannot run here.
#
# Needs root, util-linux (findmnt, unshare), a C compiler and libmount's headers.
set -euo pipefail

prog=${0##*/}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/bench/lib.sh
. "$repo/tests/bench/lib.sh"
nsdebug=$repo/build/cmd/nsdebug
sizes="5000 20000"
runs=5

# Targets from the issue: findmnt / nsdebug at the smallest size; nsdebug /
# mntparse; nsdebug's growth over the mount ratio (linear: about 1).
findmnt_target=10
floor_target=2
growth_target=1.25

usage() {
	cat <<-EOF
	Usage: $prog [--nsdebug PATH] [--sizes "N..."] [--runs N]

	Times 'nsdebug mounts PID', 'findmnt -N PID' and a libmount parse of
	/proc/PID/mountinfo on mount namespaces of N tmpfs mounts.

	  --nsdebug PATH   nsdebug binary (default: $nsdebug)
	  --sizes "N..."   mount counts (default: "$sizes")
	  --runs N         timed runs of each per size (default: $runs)
	  -h, --help       show this help
	EOF
}

parse_options "nsdebug sizes runs" "$@"
[[ $runs =~ ^[1-9][0-9]*$ ]] || bad_usage "--runs: not a positive number: '$runs'"
read -r -a sizes <<<"$sizes"
((${#sizes[@]} >= 1)) || bad_usage "--sizes: empty"
for s in "${sizes[@]}"; do
	[[ $s =~ ^[1-9][0-9]*$ ]] || bad_usage "--sizes: not a mount count: '$s'"
done

((EUID == 0)) || skip "must run as root: it makes mount namespaces"
for tool in findmnt unshare pkg-config "${CC:-cc}"; do
	command -v "$tool" >/dev/null || skip "$tool not found"
done
[[ -x $nsdebug ]] || die "$nsdebug: not found (build with 'meson setup build && ninja -C build')"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsdebug-bench-mounts.XXXXXX")
holders=()
cleanup() {
	local rc=$? p
	trap - EXIT INT TERM HUP
	# A holder already killed makes kill fail: that must not stop the rest.
	set +e
	# Each namespace goes with its only process; its mounts with it.
	for p in "${holders[@]}"; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck disable=SC2046 # pkg-config's flags are words
"${CC:-cc}" -O2 -Wall -D_GNU_SOURCE -o "$tmp/mntparse" "$repo/tests/bench/mntparse.c" \
	$(pkg-config --cflags --libs mount) || die "cannot compile mntparse.c"

# Wall and CPU (user + system) time of one run of "$@", stdout to /dev/null,
# appended to times[$name] and cpu[$name] in microseconds. The machines are
# shared: CPU time is the steadier of the two when others run too.
declare -A times cpu
run_timed() {
	local name=$1 real user sys
	shift

	{ read -r real user sys; } < <({
		TIMEFORMAT='%3R %3U %3S'
		time "$@" >/dev/null 2>>"$tmp/$name.stderr"
	} 2>&1) || die "$name failed: $(tail -n 3 "$tmp/$name.stderr")"
	times[$name]+="$(calc "$real * 1000000") "
	cpu[$name]+="$(calc "($user + $sys) * 1000000") "
}

declare -A nsdebug_by_size mounts_by_size

bench_size() {
	local size=$1 dir=$tmp/m$1 pid t0 name i n_nsdebug n_findmnt
	local -a tools=(nsdebug findmnt findmnt-list mntparse)
	local -A med medcpu

	mkdir "$dir"
	t0=$SECONDS
	unshare --mount --propagation private "$tmp/mntparse" --mount "$size" "$dir" \
		</dev/null >/dev/null 2>"$tmp/mount.stderr" &
	pid=$!
	holders+=("$pid")
	while [[ ! -e $dir/ready ]]; do
		kill -0 "$pid" 2>/dev/null || die "mounting failed: $(cat "$tmp/mount.stderr")"
		sleep 0.1
	done
	mounts_by_size[$size]=$(wc -l <"/proc/$pid/mountinfo")
	echo "$size tmpfs mounted in $((SECONDS - t0))s" >&2

	# Warm-up, and a check that both print a row per mount (and a header).
	n_nsdebug=$("$nsdebug" mounts "$pid" | wc -l)
	n_findmnt=$(findmnt -N "$pid" | wc -l)
	times=()
	cpu=()
	for ((i = 0; i < runs; i++)); do
		run_timed nsdebug "$nsdebug" mounts "$pid"
		run_timed findmnt findmnt -N "$pid"
		run_timed findmnt-list findmnt -N "$pid" -l
		run_timed mntparse "$tmp/mntparse" "/proc/$pid/mountinfo"
	done
	for name in "${tools[@]}"; do
		med[$name]=$(median "${times[$name]}")
		medcpu[$name]=$(median "${cpu[$name]}")
	done
	nsdebug_by_size[$size]=${med[nsdebug]}

	echo
	echo "size $size: ${mounts_by_size[$size]} mounts in the namespace; median of $runs runs"
	for name in "${tools[@]}"; do
		printf '  %-20s %9s ms, CPU %9s ms   (runs: %s)\n' "$name" "$(ms "${med[$name]}")" \
			"$(ms "${medcpu[$name]}")" \
			"$(for t in ${times[$name]}; do printf '%s ' "$(ms "$t")"; done | sed 's/ $//')"
	done
	local fratio pratio
	fratio=$(calc "${med[findmnt]} / ${med[nsdebug]}")
	pratio=$(calc "${med[nsdebug]} / ${med[mntparse]}")
	if [[ $size == "${sizes[0]}" ]]; then
		printf '  %-20s %6sx   (target >= %sx: %s)\n' "findmnt / nsdebug" "$fratio" \
			"$findmnt_target" "$(verdict "$fratio >= $findmnt_target")"
	else
		printf '  %-20s %6sx\n' "findmnt / nsdebug" "$fratio"
	fi
	printf '  %-20s %6sx   (target <= %sx: %s)\n' "nsdebug / mntparse" "$pratio" \
		"$floor_target" "$(verdict "$pratio <= $floor_target")"
	printf '  %-20s %6sx   (the tree against findmnt'"'"'s list: no target)\n' \
		"nsdebug / findmnt -l" "$(calc "${med[nsdebug]} / ${med[findmnt-list]}")"
	printf '  CPU time: findmnt / nsdebug %sx, nsdebug / mntparse %sx, nsdebug / findmnt -l %sx\n' \
		"$(calc "${medcpu[findmnt]} / ${medcpu[nsdebug]}")" \
		"$(calc "${medcpu[nsdebug]} / ${medcpu[mntparse]}")" \
		"$(calc "${medcpu[nsdebug]} / ${medcpu[findmnt-list]}")"
	echo "  lines of output: nsdebug $n_nsdebug, findmnt $n_findmnt"

	kill -KILL "$pid"
	wait "$pid" 2>/dev/null || true
}

echo "nsdebug: $nsdebug"
echo "findmnt: $(command -v findmnt) ($(findmnt --version))"
echo "kernel:  $(uname -r), $(nproc) CPUs"
for size in "${sizes[@]}"; do
	bench_size "$size"
done
if ((${#sizes[@]} >= 2)); then
	first=${sizes[0]}
	last=${sizes[-1]}
	mratio=$(calc "${mounts_by_size[$last]} / ${mounts_by_size[$first]}")
	tratio=$(calc "${nsdebug_by_size[$last]} / ${nsdebug_by_size[$first]}")
	echo
	echo "growth $first -> $last: mounts ${mratio}x"
	printf '  %-20s %6sx   (target <= %sx, %sx the mount ratio: %s)\n' nsdebug "$tratio" \
		"$(calc "$mratio * $growth_target")" "$growth_target" \
		"$(verdict "$tratio <= $mratio * $growth_target")"
fi
