#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/fuzz/run.sh [SECONDS]: builds every harness with clang's libFuzzer,
# ASan and UBSan in build-fuzz/, then runs each for SECONDS (default 30),
# starting from its corpus in tests/fuzz/corpus/NAME. Fails on any crash, leak
# or timeout; the input that caused it is left as build-fuzz/crash-NAME-*:
# add it to the corpus as a regression test once fixed. New inputs found go to
# a temporary directory, so the committed corpus changes only by hand.
set -euo pipefail
secs=${1:-30}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build-fuzz

if ! [[ $secs =~ ^[1-9][0-9]*$ ]]; then
	echo "usage: tests/fuzz/run.sh [SECONDS]" >&2
	exit 2
fi
if [ ! -f "$build/build.ninja" ]; then
	# fuzzer-no-link instruments the library for coverage; the harnesses link libFuzzer.
	CC=clang meson setup "$build" "$root" -Dfuzz=true -Dman=disabled \
		-Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link
fi
ninja -C "$build" >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for harness in "$build"/tests/fuzz/fuzz-*; do
	[ -f "$harness" ] && [ -x "$harness" ] || continue
	name=${harness##*/fuzz-}
	mkdir "$work/$name"
	log=$work/$name.log
	if "$harness" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$build/crash-$name-" \
		"$work/$name" "$root/tests/fuzz/corpus/$name" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		printf '%-10s ok: %s executions in %ss, corpus %s seeds + %s new\n' "$name" "$runs" \
			"$secs" "$(ls "$root/tests/fuzz/corpus/$name" | wc -l)" "$(ls "$work/$name" | wc -l)"
	else
		echo "$name: FAILED; the end of its log:"
		tail -n 40 "$log"
		status=1
	fi
done
exit $status
