#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# As an unprivileged user nsdebug list shows what that user may see, says in
# one line how many processes it could not read, and exits 0.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1
make_tmpdir
tmp=$tmpdir
chmod 755 "$tmp"

# A root process in a namespace of its own, which nobody may not look into.
unshare --net sleep 600 </dev/null >/dev/null 2>&1 &
private=$!
track_pid "$private"
has_own_net() { [ "$(ns_of "$private" net)" != "$(ns_of $$ net)" ]; }
wait_for 5 has_own_net
hidden=$(ns_of "$private" net)

status=0
setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
	"$NSDEBUG" list -J -l -o NS,TYPE,NPROCS,PID >"$tmp/out" 2>"$tmp/err" || status=$?
[ "$status" = 0 ] || fail "exit status $status: $(cat "$tmp/err")"
jq -e .namespaces "$tmp/out" >/dev/null || fail "output is not valid JSON"
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "expected one line on stderr, got: $(cat "$tmp/err")"
grep -Eq '^nsdebug: namespaces of [0-9]+ process(es)? could not be read \(permission denied\)' "$tmp/err" ||
	fail "unexpected message: $(cat "$tmp/err")"
# nobody sees its own namespaces (the host's), not root's private one.
jq -e ".namespaces[] | select(.ns == $(ns_of $$ net))" "$tmp/out" >/dev/null ||
	fail "the host net namespace is missing"
if jq -e ".namespaces[] | select(.ns == $hidden)" "$tmp/out" >/dev/null; then
	fail "nobody saw root's private net namespace"
fi

# -p of a process nobody may not read is an error, not an empty table.
status=0
setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
	"$NSDEBUG" list -p "$private" >"$tmp/out" 2>"$tmp/err" || status=$?
[ "$status" = 1 ] || fail "-p $private as nobody: exit $status"
[ ! -s "$tmp/out" ] || fail "-p $private as nobody wrote to stdout"
[ "$(cat "$tmp/err")" = "nsdebug: $private: cannot read its namespaces: Permission denied" ] ||
	fail "-p $private as nobody: $(cat "$tmp/err")"
echo ok
