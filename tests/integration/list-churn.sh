#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Processes that vanish during the walk are normal: while short-lived
# processes in new namespaces are created and killed around it, 50 runs of
# nsdebug list -J all exit 0 with valid JSON and nothing new on stderr.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1
make_tmpdir
tmp=$tmpdir

# Anything the machine itself makes nsdebug say (processes it may not read,
# such as a PID 1 with capabilities outside our bounding set) is the baseline.
"$NSDEBUG" list -J >"$tmp/out" 2>"$tmp/baseline"
baseline_count=$(jq '[.. | objects | select(has("ns"))] | length' "$tmp/out")

churn() {
	while :; do
		pids=""
		for _ in 1 2 3 4 5 6; do
			unshare --net --uts --ipc --mount --pid --fork \
				sleep "0.0$((RANDOM % 10))" &
			pids="$pids $!"
		done
		sleep "0.0$((RANDOM % 5))"
		# Kill half of them mid-life, let the others exit by themselves.
		kill -KILL $(echo "$pids" | tr ' ' '\n' | sed -n '2~2p') 2>/dev/null || true
		wait
	done
}
churn </dev/null >/dev/null 2>&1 &
track_pid $!

max=0
for run in $(seq 1 50); do
	status=0
	"$NSDEBUG" list -J >"$tmp/out" 2>"$tmp/err" || status=$?
	[ "$status" = 0 ] || fail "run $run exited $status: $(cat "$tmp/err")"
	jq -e .namespaces "$tmp/out" >/dev/null || fail "run $run: output is not valid JSON"
	cmp -s "$tmp/err" "$tmp/baseline" || fail "run $run wrote to stderr: $(cat "$tmp/err")"
	count=$(jq '[.. | objects | select(has("ns"))] | length' "$tmp/out")
	[ "$count" -gt "$max" ] && max=$count
done
# The churn was seen: some run found namespaces beyond the quiet machine's.
[ "$max" -gt "$baseline_count" ] || fail "no run saw the churning namespaces"
echo "50 runs under churn: all exit 0 with valid JSON; up to $max namespaces (quiet: $baseline_count)"
