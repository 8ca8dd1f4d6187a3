#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# man-options.sh NSDEBUG MANDIR: every option that 'nsdebug SUB --help' shows
# is in man/nsdebug-SUB.1.scd, and every option the page documents as an
# item (a line "*-x*, *--long*") is in --help; the same for nsdebug itself.
set -eu
nsdebug=$1
mandir=$2
status=0

# Long options of a --help text, one per line, sorted.
help_options() {
	"$nsdebug" "$@" --help | grep -oE '^ +(-[A-Za-z], )?--[a-z][a-z-]*' |
		grep -oE -- '--[a-z][a-z-]*' | sort -u
}

# Long options that a man page documents as items: a line of its own such as
# "*-o*, *--output* _list_", "*--proc* _dir_" or "*-T*, *--tree*[=_rel_]".
man_options() {
	grep -E '^\*-[A-Za-z-]+\*(, \*--[a-z-]+\*)?( _[a-z]+_|\[=_[a-z]+_\])?$' "$1" |
		grep -oE -- '\*--[a-z][a-z-]*\*' | tr -d '*' | sort -u
}

compare() {
	page=$1
	shift
	if ! diff -u --label "--help of nsdebug $*" --label "$page" \
		<(help_options "$@") <(man_options "$mandir/$page"); then
		echo "FAIL: options of 'nsdebug $* --help' and $page differ" >&2
		status=1
	fi
}

compare nsdebug.1.scd
for sub in attach audit collect containers enter graph inspect list mounts netns ps; do
	compare "nsdebug-$sub.1.scd" "$sub"
done
exit $status
