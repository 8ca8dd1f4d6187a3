# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared by the benchmarks that need many processes (list.sh, rss.sh): groups
# of 4 sleeping processes, each group in its own pid, net, uts, ipc and mnt
# namespaces, in a cgroup of their own that cleanup() empties. Source it
# after lib.sh, then call groups_init (it sets the EXIT trap and $tmp, a
# temporary directory removed on exit).

# A group outlives a SIGKILLed script by at most this many seconds, a last
# safety net for when both the parent-death signal and cgroup.kill miss it.
lifetime=3600
# Seconds without a new process before setup is declared stuck.
stall_limit=60
cg=
tmp=
ngroups=0

cleanup() {
	local rc=$? i
	trap - EXIT INT TERM HUP
	set +e
	# The groups were disowned (bash would print a "Killed" line for each),
	# so wait for the cgroup to empty instead of for the jobs. Kill until
	# rmdir succeeds: a fork of spawn_groups() may still be on its way in,
	# and once the cgroup is gone it can no longer enter and exits.
	for ((i = 0; i < 300; i++)); do
		[[ -d $cg ]] || break
		echo 1 >"$cg/cgroup.kill"
		grep -qx 'populated 0' "$cg/cgroup.events" && rmdir "$cg" 2>/dev/null && break
		sleep 0.1
	done
	[[ -d $cg ]] && echo "$prog: $cg: processes left, could not remove" >&2
	[[ -n $tmp ]] && rm -rf "$tmp"
	exit "$rc"
}

# The groups go into a cgroup of their own: counting them is one read of
# cgroup.procs however busy the host is, and cgroup.kill ends them all at once,
# including processes forked while it runs. Nothing else is ever killed.
groups_init() {
	local cgroot

	cgroot=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	[[ -n $cgroot ]] || skip "no cgroup v2 mount"
	cg=$cgroot/nsdebug-bench.$$
	trap cleanup EXIT
	# Exit through cleanup with the usual 128+signal status.
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM

	# A read-only cgroup tree (a container) means this host cannot run it: skip.
	mkdir "$cg" || skip "$cg: cannot create cgroup"
	[[ -e $cg/cgroup.kill ]] || skip "$cg: no cgroup.kill (needs Linux 5.14)"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsdebug-bench.XXXXXX")
}

# Group leader: unshare itself takes the new net, uts, ipc and mnt namespaces
# and forks sh as PID 1 of the new pid namespace; sh starts two sleeps and
# waits. That is 4 processes, all sleeping. --kill-child makes the death of
# unshare take PID 1 and with it the whole pid namespace.
payload="sleep $lifetime & sleep $lifetime & wait"

# Starts groups in the background until there are $1. Creating a net
# namespace takes the kernel milliseconds, so the groups are started without
# waiting for each other and wait_settled() polls for the result.
spawn_groups() {
	local want=$1

	while ((ngroups < want)); do
		# The brace group is a fork of this shell: it moves itself into the
		# cgroup, then execs. setpriv's parent-death signal ends unshare if
		# this shell is SIGKILLed and cannot run cleanup().
		{
			echo "$BASHPID" >"$cg/cgroup.procs" || exit 1
			exec setpriv --pdeathsig KILL -- \
				unshare --pid --net --uts --ipc --mount --kill-child -- \
				sh -c "$payload"
		} &
		disown
		ngroups=$((ngroups + 1))
	done
}

# True when every PID given is sleeping (state S). A process that is still
# being set up (forked, not yet exec'd sleep) would make the first run slower.
all_sleeping() {
	local pid line

	for pid; do
		{ read -r line <"/proc/$pid/stat"; } 2>/dev/null || return 1
		line=${line##*) }
		[[ ${line:0:1} == S ]] || return 1
	done
}

# Waits until the cgroup holds exactly $1 processes, all sleeping: timing
# while groups are still being created would time setup, not the listers.
wait_settled() {
	local want=$1 have last=-1 since=$SECONDS report=$SECONDS
	local -a pids

	while :; do
		mapfile -t pids <"$cg/cgroup.procs"
		have=${#pids[@]}
		if ((have == want)) && all_sleeping "${pids[@]}"; then
			return 0
		fi
		if ((have != last)); then
			last=$have
			since=$SECONDS
		elif ((SECONDS - since > stall_limit)); then
			die "setup stuck at $have of $want processes for ${stall_limit}s"
		fi
		if ((SECONDS - report >= 10)); then
			echo "  ... $have of $want processes" >&2
			report=$SECONDS
		fi
		sleep 0.2
	done
}

count_host_procs() {
	local -a p

	shopt -s nullglob
	p=(/proc/[1-9]*)
	shopt -u nullglob
	echo "${#p[@]}"
}

# Tasks (threads) of all processes on the host, main threads included.
count_host_tasks() {
	local -a t

	shopt -s nullglob
	t=(/proc/[1-9]*/task/[1-9]*)
	shopt -u nullglob
	echo "${#t[@]}"
}
