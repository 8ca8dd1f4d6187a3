#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Load: while at least 5,000 short-lived processes are created and killed
# around them (one in five in new pid, mount, uts and ipc namespaces made
# by unshare, some with a net namespace too), 100 runs each of nsdebug
# list -J and nsdebug containers -J all exit 0 with valid JSON, and say
# nothing on stderr but what the machine itself makes them say (processes
# they may not read, state files skipped).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1
make_tmpdir
tmp=$tmpdir
total=5000
runs=100

"$NSDEBUG" list -J >"$tmp/out" 2>/dev/null
baseline=$(jq '.namespaces | length' "$tmp/out")

# Batches of 40: 32 sleeps and 8 unshare --fork (two processes each, one
# in three with a net namespace), each living up to 90 ms; then SIGKILL to
# all that still live. Goes on until $total processes were made and the
# runs are done, so the churn lasts as long as they do.
churn() {
	local made=0 pids i

	while [ "$made" -lt "$total" ] || [ ! -e "$tmp/done" ]; do
		pids=""
		for i in $(seq 1 40); do
			if [ $((i % 5)) = 0 ]; then
				net=$([ $((i % 15)) = 0 ] && echo --net || true)
				unshare --pid --mount --uts --ipc $net --fork --kill-child \
					sleep "0.0$((RANDOM % 10))" &
				made=$((made + 2))
			else
				sleep "0.0$((RANDOM % 10))" &
				made=$((made + 1))
			fi
			pids="$pids $!"
		done
		sleep "0.0$((RANDOM % 5))"
		# shellcheck disable=SC2086
		kill -KILL $pids 2>/dev/null || true
		wait
		echo "$made" >"$tmp/made"
	done
}
start=$(date +%s)
churn </dev/null >/dev/null 2>&1 &
churner=$!
track_pid "$churner"

# check RUN CMD KEY: one run of nsdebug CMD -J; its JSON must have the array KEY.
check() {
	local status=0

	"$NSDEBUG" "$2" -J >"$tmp/out" 2>"$tmp/err" || status=$?
	[ "$status" = 0 ] || fail "$2 run $1 exited $status: $(head -c 500 "$tmp/err")"
	jq -e ".$3 | type == \"array\"" "$tmp/out" >/dev/null 2>&1 ||
		fail "$2 run $1: not valid JSON with an array '$3': $(head -c 300 "$tmp/out")"
	if grep -Ev '^nsdebug: (.*could not be read \(permission denied\)|.*: skipped: )' "$tmp/err"; then
		fail "$2 run $1 wrote to stderr: $(head -c 500 "$tmp/err")"
	fi
}

max=0
for run in $(seq 1 "$runs"); do
	check "$run" list namespaces
	count=$(jq '.namespaces | length' "$tmp/out")
	[ "$count" -gt "$max" ] && max=$count
	check "$run" containers containers
done
during=$(cat "$tmp/made" 2>/dev/null || echo 0)
touch "$tmp/done"
wait "$churner" || fail "the churn failed"
made=$(cat "$tmp/made")
[ "$made" -ge "$total" ] || fail "only $made processes were made"
# The churn was seen: some run found namespaces beyond the quiet machine's.
[ "$max" -gt "$baseline" ] || fail "no run saw the churning namespaces"
echo "$runs runs each of list -J and containers -J exit 0 with valid JSON while $during" \
	"processes were made and killed ($made in all, $(($(date +%s) - start)) s); up to $max" \
	"namespaces (quiet: $baseline)"
