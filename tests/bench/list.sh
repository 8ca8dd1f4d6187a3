#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Benchmark of `nsdebug list` and `nsdebug graph` on a host with thousands of
# processes in thousands of namespaces, against lsns(8) and against minwalk,
# the floor of the cost model (DESIGN.md, "Discovery: cost model").
#
# For each size it starts groups of 4 sleeping processes, each group in its
# own pid, net, uts, ipc and mnt namespaces, then times the three listers
# alternately and prints medians, ratios and the targets next to them. It
# never fails on timing: the numbers are noisy on shared machines and a
# person reads them. It exits non-zero only when setup fails, 77 (skip) when
# it cannot run here.
#
# Needs root, util-linux (lsns, unshare, setpriv), a C compiler and cgroup v2
# with cgroup.kill (Linux 5.14).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

prog=${0##*/}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/bench/lib.sh
. "$repo/tests/bench/lib.sh"
# shellcheck source=tests/bench/groups.sh
. "$repo/tests/bench/groups.sh"
nsdebug=$repo/build/cmd/nsdebug
sizes="2500 6000"
runs=5

# Targets from the issues, printed next to the numbers: lsns / nsdebug from
# lsns_target_size processes on, without and with the hierarchy columns;
# nsdebug / minwalk; and nsdebug's time ratio between the smallest and
# largest size over their process ratio (2.8x time for 2.5x processes).
lsns_target=10
hier_target=5
lsns_target_size=6000
floor_target=1.5
# Threads are read by default while they cost at most 30% of the walk.
threads_target=1.3
growth_target=1.12

usage() {
	cat <<-EOF
	Usage: $prog [--nsdebug PATH] [--sizes "N..."] [--runs N]

	Times 'nsdebug list', lsns and a minimal /proc walker with N processes in
	groups of 4, each group in its own pid, net, uts, ipc and mnt namespaces.

	  --nsdebug PATH   nsdebug binary (default: $nsdebug)
	  --sizes "N..."   process counts to create, rounded down to a multiple
	                   of 4 (default: "$sizes")
	  --runs N         timed runs of each lister per size (default: $runs)
	  -h, --help       show this help
	EOF
}

parse_options "nsdebug sizes runs" "$@"

if ! is_uint "$runs" || ((runs < 1)); then
	bad_usage "--runs: not a positive number: '$runs'"
fi
# Groups are only ever added, never removed, so the sizes are run in ascending order.
read -r -a sizes <<<"$(tr -s ' \t' '\n' <<<"$sizes" | sed '/^$/d' | sort -n | tr '\n' ' ')"
((${#sizes[@]} >= 1)) || bad_usage "--sizes: empty"
for s in "${sizes[@]}"; do
	if ! is_uint "$s" || ((s < 4)); then
		bad_usage "--sizes: not a process count >= 4: '$s'"
	fi
done

((EUID == 0)) || skip "must run as root: it creates namespaces and a cgroup"
for tool in lsns unshare setpriv "${CC:-cc}"; do
	command -v "$tool" >/dev/null || skip "$tool not found"
done
[[ -x $nsdebug ]] || die "$nsdebug: not found (build with 'meson setup build && ninja -C build')"

groups_init

minwalk=$tmp/minwalk
# _GNU_SOURCE for O_PATH, as the meson build defines it for the whole project.
"${CC:-cc}" -O2 -Wall -D_GNU_SOURCE -o "$minwalk" "$repo/tests/bench/minwalk.c" ||
	die "cannot compile $repo/tests/bench/minwalk.c"

# Rows of output, i.e. namespaces listed; a sanity check that nsdebug walks
# what lsns walks (it could be fast by skipping processes).
count_rows() {
	local n

	n=$("$@" 2>/dev/null | wc -l) || true
	echo $((n > 0 ? n - 1 : 0))
}

# Times one run of "$@" and appends the microseconds of wall time to
# times[$name], of CPU time (all its threads) to cpu[$name].
declare -A times cpu fails
run_timed() {
	local name=$1 out rc=0
	shift

	out=$("$minwalk" --time "$@" 2>>"$tmp/$name.stderr") || rc=$?
	[[ $out == *' '* ]] || die "cannot time $*"
	times[$name]+="${out% *} "
	cpu[$name]+="${out#* } "
	((rc == 0)) || fails[$name]=$((${fails[$name]:-0} + 1))
}

declare -A nsdebug_by_size minwalk_by_size host_procs

bench_size() {
	local size=$1 groups=$(($1 / 4)) t0 name i rows_nsdebug rows_lsns
	# nsdebug+fc: the same with --for-children; nsdebug-threads: without the
	# threads (--no-threads), which nsdebug list reads by default; DESIGN.md
	# asks the benchmark to report what each costs.
	# nsdebug+hier and lsns+hier: with the hierarchy (ioctls per namespace);
	# nsdebug's HOLDERS also reads every fd and one mountinfo per mount
	# namespace. graph: everything nsdebug graph -J reads and writes.
	local -a listers=(nsdebug nsdebug+fc nsdebug-threads nsdebug+hier graph lsns lsns+hier minwalk)
	local -A med

	t0=$SECONDS
	echo "setting up $((groups * 4)) processes in $groups groups..." >&2
	spawn_groups "$groups"
	wait_settled $((groups * 4))
	echo "  ready after $((SECONDS - t0))s" >&2

	# Warm-up: dentries, inodes and libraries cached for all three alike.
	rows_nsdebug=$(count_rows "$nsdebug" list)
	rows_lsns=$(count_rows lsns)
	"$minwalk" >/dev/null
	host_procs[$size]=$(count_host_procs)

	times=()
	cpu=()
	fails=()
	# Alternating spreads the host's noise (other tenants, the kernel tearing
	# down old namespaces) over all three instead of one.
	for ((i = 0; i < runs; i++)); do
		for name in "${listers[@]}"; do
			case $name in
			nsdebug) run_timed nsdebug "$nsdebug" list ;;
			nsdebug+fc) run_timed nsdebug+fc "$nsdebug" list --for-children ;;
			nsdebug-threads) run_timed nsdebug-threads "$nsdebug" list --no-threads ;;
			nsdebug+hier) run_timed nsdebug+hier "$nsdebug" list -o +HOLDERS,PNS,ONS ;;
			graph) run_timed graph "$nsdebug" graph -J ;;
			lsns) run_timed lsns lsns ;;
			lsns+hier) run_timed lsns+hier lsns -o +PNS,ONS ;;
			minwalk) run_timed minwalk "$minwalk" ;;
			esac
		done
	done
	for name in "${listers[@]}"; do
		med[$name]=$(median "${times[$name]}")
	done
	nsdebug_by_size[$size]=${med[nsdebug]}
	minwalk_by_size[$size]=${med[minwalk]}

	local lsns_ratio floor_ratio floor_cpu_ratio lsns_note hier_ratio graph_ratio hier_note threads_ratio
	lsns_ratio=$(calc "${med[lsns]} / ${med[nsdebug]}")
	hier_ratio=$(calc "${med[lsns+hier]} / ${med[nsdebug+hier]}")
	graph_ratio=$(calc "${med[lsns+hier]} / ${med[graph]}")
	floor_ratio=$(calc "${med[nsdebug]} / ${med[minwalk]}")
	# minwalk reads in one thread, nsdebug in a thread per CPU: the overhead
	# above the floor shows in CPU time.
	floor_cpu_ratio=$(calc "$(median "${cpu[nsdebug]}") / $(median "${cpu[minwalk]}")")
	if ((host_procs[$size] >= lsns_target_size)); then
		lsns_note="target >= ${lsns_target}x: $(verdict "$lsns_ratio >= $lsns_target")"
		hier_note="target >= ${hier_target}x: $(verdict "$hier_ratio >= $hier_target")"
	else
		lsns_note="target >= ${lsns_target}x applies at $lsns_target_size processes"
		hier_note="target >= ${hier_target}x applies at $lsns_target_size processes"
	fi

	echo
	echo "size $size: ${host_procs[$size]} processes on the host, $((groups * 4)) of them in" \
		"$groups groups ($((groups * 5)) namespaces); median of $runs runs"
	for name in "${listers[@]}"; do
		printf '  %-16s %9s ms, CPU %9s ms   (runs: %s)%s\n' "$name" "$(ms "${med[$name]}")" \
			"$(ms "$(median "${cpu[$name]}")")" \
			"$(for t in ${times[$name]}; do printf '%s ' "$(ms "$t")"; done | sed 's/ $//')" \
			"${fails[$name]:+   exited non-zero ${fails[$name]} times, see below}"
	done
	printf '  %-30s %6sx   (%s)\n' "lsns / nsdebug" "$lsns_ratio" "$lsns_note"
	printf '  %-30s %6sx   (target <= %sx: %s)\n' "nsdebug / minwalk" "$floor_ratio" \
		"$floor_target" "$(verdict "$floor_ratio <= $floor_target")"
	printf '  %-30s %6sx   (target <= %sx: %s)\n' "nsdebug / minwalk, CPU" \
		"$floor_cpu_ratio" "$floor_target" "$(verdict "$floor_cpu_ratio <= $floor_target")"
	printf '  %-30s %6sx   (%s)\n' "lsns+hier / nsdebug+hier" "$hier_ratio" "$hier_note"
	printf '  %-30s %6sx   (no target)\n' "lsns+hier / graph" "$graph_ratio"
	# What an option costs is work done: CPU time, steadier than wall time.
	printf '  %-30s %6sx   (cost of --for-children, no target)\n' "nsdebug+fc / nsdebug, CPU" \
		"$(calc "$(median "${cpu[nsdebug+fc]}") / $(median "${cpu[nsdebug]}")")"
	threads_ratio=$(calc "$(median "${cpu[nsdebug]}") / $(median "${cpu[nsdebug-threads]}")")
	printf '  %-30s %6sx   (cost of the %s tasks: default below %sx: %s)\n' \
		"nsdebug / nsdebug-threads, CPU" "$threads_ratio" "$(count_host_tasks)" "$threads_target" \
		"$(verdict "$threads_ratio <= $threads_target")"
	echo "  rows: nsdebug $rows_nsdebug, lsns $rows_lsns"
	for name in "${listers[@]}"; do
		if [[ -s $tmp/$name.stderr ]]; then
			echo "  $name stderr (distinct lines, with counts):"
			sort "$tmp/$name.stderr" | uniq -c | sort -rn | head -n 3 | sed 's/^/    /'
			: >"$tmp/$name.stderr"
		fi
	done
}

echo "nsdebug: $nsdebug"
echo "lsns:    $(command -v lsns) ($(lsns --version))"
echo "kernel:  $(uname -r), $(nproc) CPUs"
for size in "${sizes[@]}"; do
	bench_size "$size"
done

if ((${#sizes[@]} >= 2)); then
	first=${sizes[0]}
	last=${sizes[-1]}
	proc_ratio=$(calc "${host_procs[$last]} / ${host_procs[$first]}")
	time_ratio=$(calc "${nsdebug_by_size[$last]} / ${nsdebug_by_size[$first]}")
	floor_growth=$(calc "${minwalk_by_size[$last]} / ${minwalk_by_size[$first]}")
	allowed=$(calc "$proc_ratio * $growth_target")
	echo
	echo "growth $first -> $last: processes ${proc_ratio}x"
	printf '  %-13s %6sx   (target <= %sx, %sx the process ratio: %s)\n' \
		nsdebug "$time_ratio" "$allowed" "$growth_target" \
		"$(verdict "$time_ratio <= $allowed")"
	printf '  %-13s %6sx\n' minwalk "$floor_growth"
fi
