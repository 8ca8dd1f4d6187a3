#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad-input matrix: every command, with a bad value where it takes a target
# or a PID, exits with the status its man page documents; a failure writes
# exactly one line of at most 400 bytes on stderr, starting with "nsdebug: ",
# and nothing on stdout in table mode; a success at most one such line (what
# it left out); no run dumps core or dies of a signal; with -J stdout is
# empty or valid JSON (and not empty for a success). The table below is the
# whole matrix: a row per input, a column per place a value goes, each cell
# the documented status ("-": does not apply); each cell runs in table and,
# where the command has it, JSON mode.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$(realpath "$1")
make_tmpdir
tmp=$tmpdir
chmod 755 "$tmp"
# Where commands run (core files land in the working directory) and
# collect writes its bundles: writable for nobody too.
work=$tmp/work
mkdir -m 1777 "$work"
# A crash leaves a core file there (kernel.core_pattern "core"; a pipe to
# systemd-coredump leaves none, but the status still tells a signal).
ulimit -c unlimited
# netns link of a valid target succeeds: removed after each cell, and by
# cleanup if the test dies in between.
_netns="nsdbad-$$ $_netns"

# The columns: where the value goes. @ is the value; enter and attach run
# true; netns link names the namespace nsdbad-$$ (unlinked after a success);
# mounts --diff compares the test's own process with the value; containers
# and audit take no target or PID: the value is an extra argument there.
slots=(list-p list-container graph-p mounts mounts-diff ps inspect collect netns-link enter
	attach containers audit)
declare -A argv=(
	[list-p]='list -p @'
	[list-container]='list --container @'
	[graph-p]='graph -p @'
	[mounts]='mounts @'
	[mounts-diff]="mounts $$ --diff @"
	[ps]='ps @'
	[inspect]='inspect @'
	[collect]="collect @ -o $work/bundle.tar"
	[netns-link]="netns link @ nsdbad-$$"
	[enter]='enter @ true'
	[attach]='attach @ true'
	[containers]='containers @'
	[audit]='audit @'
)
# The commands with -J.
declare -A json=([list-p]=1 [list-container]=1 [graph-p]=1 [mounts]=1 [mounts-diff]=1 [ps]=1
	[inspect]=1 [containers]=1 [audit]=1)

# The inputs: 0, -1, 2^63, "0x1f" (not a number: a container name to a
# target), a PID just reaped, a kernel thread (a valid target: its
# namespaces are the host's, so only list --container, "not in a
# container", fails), a name no container has, an ID prefix two runc
# containers share, a regular file, "", and a name of 128 KiB - 1
# characters: the kernel refuses one argument longer than MAX_ARG_STRLEN
# (128 KiB), so a 1 MiB one cannot be passed. The two nobody rows run as
# nobody: "nobody-denied" against root's process in a net namespace of its
# own (nobody may not read its namespaces, so list -p, graph -p, ps,
# inspect and collect fail; its mountinfo is readable by all, so mounts
# works), "nobody-proc" with --proc of a directory nobody may not read
# (enter, attach and netns take no --proc: their value is that process).
#
# input          list-p l-cont graph-p mounts diff  ps inspect collect link enter attach cont audit
matrix="
zero             2      2      2       2      2     2  2       2       2    125   125    2    2
negative         2      2      2       2      2     2  2       2       2    125   125    2    2
huge             2      2      2       2      2     2  2       2       2    125   125    2    2
text             2      1      2       1      1     1  1       1       1    125   125    2    2
exited           1      1      1       1      1     1  1       1       1    125   125    2    2
kthread          0      1      0       0      0     0  0       0       0    0     0      2    2
unknown          2      1      2       1      1     1  1       1       1    125   125    2    2
ambiguous        2      1      2       1      1     1  1       1       1    125   125    2    2
notns            2      1      2       1      1     1  1       1       1    125   125    2    2
empty            2      2      2       2      2     2  2       2       2    125   125    2    2
big              2      1      2       1      1     1  1       1       1    125   125    2    2
nobody-denied    1      1      1       0      0     1  1       1       1    125   125    -    -
nobody-proc      1      1      1       1      1     1  1       1       1    125   125    1    1
"

# A root process in a net namespace of its own, for the nobody rows.
unshare --net sleep 600 </dev/null >/dev/null 2>&1 &
private=$!
track_pid "$private"
has_own_net() { [ "$(ns_of "$private" net)" != "$(ns_of $$ net)" ]; }
wait_for 5 has_own_net
mkdir -m 700 "$tmp/noproc"

# Two runc containers whose IDs share a prefix no other ID has.
prefix=nsdbad$$
runc_start "${prefix}a" sleep 600
runc_start "${prefix}b" sleep 600

# A kernel thread: PF_KTHREAD (0x00200000) in the flags of its stat, and no exe.
kthread=""
for stat in /proc/[0-9]*/stat; do
	flags=$(sed 's/.*) //' "$stat" 2>/dev/null | awk '{ print $7 }') || continue
	if [ -n "$flags" ] && [ $((flags & 0x00200000)) != 0 ]; then
		kthread=$(basename "$(dirname "$stat")")
		break
	fi
done
[ -n "$kthread" ] || fail "found no kernel thread"
[ -z "$(readlink "/proc/$kthread/exe" 2>/dev/null)" ] || fail "kernel thread $kthread has an exe"

# A PID that was just reaped; made again if another process has it now.
exited_pid() {
	if [ -z "${exited:-}" ] || [ -e "/proc/$exited" ]; then
		sh -c 'exit 0' &
		exited=$!
		wait "$exited"
	fi
}

printf 'regular file\n' >"$tmp/notns"
big=$(head -c 131071 /dev/zero | tr '\0' x)

# value_of ROW: the value of an input row in $value.
value_of() {
	case $1 in
	zero) value=0 ;;
	negative) value=-1 ;;
	huge) value=9223372036854775808 ;;
	text) value=0x1f ;;
	exited) exited_pid && value=$exited ;;
	kthread) value=$kthread ;;
	unknown) value=nsd-no-such-container-$$ ;;
	ambiguous) value=$prefix ;;
	notns) value=$tmp/notns ;;
	empty) value= ;;
	big) value=$big ;;
	nobody-denied | nobody-proc) value=$private ;;
	esac
}

cells=0 failed=0
# bad MESSAGE: a cell that is not as documented; the rest still run.
bad() {
	echo "FAIL: $*" >&2
	failed=$((failed + 1))
	return 1
}

# check ROW SLOT WANT MODE: one cell, in MODE table or json.
check() {
	local row=$1 slot=$2 want=$3 mode=$4 status=0 what args=() word cores
	local -a as_user=()

	value_of "$row"
	for word in ${argv[$slot]}; do
		[ "$word" = @ ] && word=$value
		args+=("$word")
	done
	[ "$mode" = json ] && args+=(-J)
	case $row in
	nobody-*)
		as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all)
		;;
	esac
	if [ "$row" = nobody-proc ]; then
		case $slot in
		enter | attach | netns-link) ;;
		containers | audit) args=("$slot" --proc "$tmp/noproc") ;;
		*) args+=(--proc "$tmp/noproc") ;;
		esac
	fi
	what="$row × ${argv[$slot]}${mode/table/}"
	rm -f "$work/bundle.tar" "$work"/core*
	(cd "$work" && exec "${as_user[@]}" "$NSDEBUG" "${args[@]}") \
		>"$tmp/out" 2>"$tmp/err" </dev/null || status=$?
	cells=$((cells + 1))
	[ "$slot" = netns-link ] && [ "$status" = 0 ] && "$NSDEBUG" netns unlink "nsdbad-$$"
	cores=$(find "$work" -maxdepth 1 -name 'core*' | wc -l)
	[ "$status" -lt 128 ] && [ "$cores" = 0 ] || bad "$what: crashed (exit $status, $cores core files)"
	[ "$status" = "$want" ] || bad "$what: exit $status, documented $want: $(head -c 300 "$tmp/err")"
	if [ "$want" = 0 ]; then
		[ "$(wc -l <"$tmp/err")" -le 1 ] || bad "$what: more than one line on stderr: $(cat "$tmp/err")"
	else
		[ "$(wc -l <"$tmp/err")" = 1 ] || bad "$what: not one line on stderr: $(head -c 300 "$tmp/err")"
	fi
	if [ -s "$tmp/err" ]; then
		grep -q '^nsdebug: ' "$tmp/err" || bad "$what: stderr does not start with 'nsdebug: ': $(head -c 300 "$tmp/err")"
		[ "$(wc -c <"$tmp/err")" -le 400 ] || bad "$what: an error line of $(wc -c <"$tmp/err") bytes"
	fi
	if [ "$mode" = json ] && [ -s "$tmp/out" ]; then
		jq -e . "$tmp/out" >/dev/null 2>&1 || bad "$what: stdout is not valid JSON: $(head -c 300 "$tmp/out")"
	fi
	if [ "$want" != 0 ] && [ "$mode" = table ]; then
		[ ! -s "$tmp/out" ] || bad "$what: wrote to stdout: $(head -c 300 "$tmp/out")"
	fi
	if [ "$want" = 0 ] && [ "$mode" = json ]; then
		[ -s "$tmp/out" ] || bad "$what: succeeded without output"
	fi
	return 0
}

while read -r row wants; do
	[ -n "$row" ] || continue
	# shellcheck disable=SC2206
	wants=($wants)
	for i in "${!slots[@]}"; do
		slot=${slots[$i]} want=${wants[$i]}
		[ "$want" = - ] && continue
		check "$row" "$slot" "$want" table || true
		[ -z "${json[$slot]:-}" ] || check "$row" "$slot" "$want" json || true
	done
done <<<"$matrix"
[ "$failed" = 0 ] || fail "$failed of $cells cells are not as documented"
echo "$cells runs: ${#slots[@]} places × $(grep -c . <<<"$matrix") inputs, in table and JSON mode, each as documented"
