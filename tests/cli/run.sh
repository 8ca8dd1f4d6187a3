#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh NSDEBUG CASE: runs one expected-output case of the command line.
# CASE is a shell snippet run with $NSDEBUG (the binary) and $PROC (a fake
# procfs built from tests/data/proc-basic.spec); $CPROC, a fake procfs with
# the containers of tests/data/proc-containers.spec, $STATE, their engines'
# state (tests/data/mkstate.sh), $ROOTS, the --engine-root options that
# point every engine there, and $NOROOTS, those that read no engine's state
# (the host's must not change the output); tests/data is ./data in its
# working directory (mountinfo fixtures: data/mountinfo/NAME); its stdout, then its stderr
# and exit status, must equal expected/<case name> next to it. A case whose
# first line is "# root" needs the fake procfs owned by root (USER column)
# and is skipped (77) otherwise. UPDATE=1 rewrites the expected file.
# NSDEBUG_VALGRIND=1 runs nsdebug under valgrind (meson test --setup valgrind):
# an error or a definite or possible leak makes it exit 99, which changes the
# expected output; valgrind's own messages go to a log printed on failure.
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
case $case_file in /*) ;; *) case_file="$PWD/$case_file" expected="$PWD/$expected" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "${NSDEBUG_VALGRIND:-0}" = 1 ]; then
	NSDEBUG="valgrind -q --leak-check=full --error-exitcode=99 --log-file=$tmp/valgrind.%p $NSDEBUG"
fi
# A relative procfs path keeps the PATH column the same wherever $tmp is.
cd "$tmp"
PROC=proc
"$here/../data/mkproc.sh" "$here/../data/proc-basic.spec" "$PROC"
CPROC=cproc STATE=state ROOTS= NOROOTS=
"$here/../data/mkproc.sh" "$here/../data/proc-containers.spec" "$CPROC"
"$here/../data/mkstate.sh" "$STATE"
for engine in docker podman crio lxc nspawn containerd runc crun; do
	ROOTS="$ROOTS --engine-root $engine=$STATE/$engine"
	NOROOTS="$NOROOTS --engine-root $engine="
done
# Relative, like $PROC, so that file names in messages are the same everywhere.
ln -s "$here/../data" data

export NSDEBUG PROC CPROC STATE ROOTS NOROOTS LC_ALL=C
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

if [ "${UPDATE:-0}" = 1 ]; then
	cp "$tmp/result" "$expected"
	exit 0
fi
if ! diff -u "$expected" "$tmp/result"; then
	cat "$tmp"/valgrind.* 2>/dev/null || true
	exit 1
fi
