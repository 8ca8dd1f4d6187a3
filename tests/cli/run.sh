#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh NSDEBUG CASE: runs one expected-output case of the command line.
# CASE is a shell snippet run with $NSDEBUG (the binary) and $PROC (a fake
# procfs built from tests/data/proc-basic.spec); its stdout, then its stderr
# and exit status, must equal expected/<case name> next to it. A case whose
# first line is "# root" needs the fake procfs owned by root (USER column)
# and is skipped (77) otherwise. UPDATE=1 rewrites the expected file.
# NSDEBUG_WRAPPER, when set, runs nsdebug under it (meson test --setup valgrind).
# Exit 77 (skip) when the wrapper cannot run a system call nsdebug needs.
set -eu
NSDEBUG=$1
case_file=$2
here=$(cd "$(dirname "$0")" && pwd)
expected="$(dirname "$case_file")/expected/$(basename "$case_file")"

if head -n 1 "$case_file" | grep -q '^# root' && [ "$(id -u)" != 0 ]; then
	echo "skip: $case_file needs root (the USER column shows the fixture's owner)"
	exit 77
fi

case $NSDEBUG in /*) ;; *) NSDEBUG="$PWD/$NSDEBUG" ;; esac
NSDEBUG="${NSDEBUG_WRAPPER:+$NSDEBUG_WRAPPER }$NSDEBUG"
case $case_file in /*) ;; *) case_file="$PWD/$case_file" expected="$PWD/$expected" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A relative procfs path keeps the PATH column the same wherever $tmp is.
cd "$tmp"
PROC=proc
"$here/../data/mkproc.sh" "$here/../data/proc-basic.spec" "$PROC"

export NSDEBUG PROC LC_ALL=C
status=0
sh "$case_file" >"$tmp/out" 2>"$tmp/err" || status=$?
{
	cat "$tmp/out"
	if [ -s "$tmp/err" ]; then
		echo "--- stderr"
		cat "$tmp/err"
	fi
	echo "--- exit $status"
} | sed "s|$tmp|TMP|g" >"$tmp/result"

# valgrind before 3.20 cannot run pidfd_open(2) (syscall 434), which nsdebug
# pins targets with: such a case says nothing under it, and is skipped there.
if [ -n "${NSDEBUG_WRAPPER:-}" ] && grep -q 'unhandled amd64-linux syscall: 434$' "$tmp/err"; then
	echo "skip: $case_file: $NSDEBUG_WRAPPER cannot run pidfd_open(2)"
	exit 77
fi

if [ "${UPDATE:-0}" = 1 ]; then
	cp "$tmp/result" "$expected"
	exit 0
fi
diff -u "$expected" "$tmp/result"
