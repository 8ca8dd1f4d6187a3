#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# mkproc.sh SPEC DIR: builds a fake procfs in DIR from SPEC, for tests that
# read processes with --proc DIR. One process per line of SPEC, fields split by ';':
#   PID;PPID;STATE;COMM;CMDLINE;LINKS[;STAT[;CGROUP]]
# CMDLINE: arguments split by '|' (written NUL-separated), empty for none.
# LINKS: space-separated TYPE:INODE (mnt:4026531841 ...), written as symlinks
#   ns/TYPE -> TYPE:[INODE] as the kernel shows them; pid_for_children:INODE
#   writes ns/pid_for_children -> pid:[INODE]. A missing type is a missing link.
# STAT: when present, written as stat verbatim (to test malformed files).
# CGROUP: the cgroup v2 path, written as cgroup "0::CGROUP"; "0::/" when empty.
# Lines starting with '#' and empty lines are skipped.
set -eu
spec=$1
dir=$2
mkdir -p "$dir"
grep -v '^#' "$spec" | grep -v '^$' | while IFS=';' read -r pid ppid state comm cmdline links stat cgroup; do
	p="$dir/$pid"
	mkdir -p "$p/ns"
	if [ -n "$stat" ]; then
		printf '%s\n' "$stat" >"$p/stat"
	else
		# Fields 5..21 are zero; field 22, the start time, is PID*100.
		printf '%s (%s) %s %s 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 %s 0 0\n' \
			"$pid" "$comm" "$state" "$ppid" "$((pid * 100))" >"$p/stat"
	fi
	if [ -n "$cmdline" ]; then
		printf '%s\0' "$cmdline" | tr '|' '\0' >"$p/cmdline"
	else
		: >"$p/cmdline"
	fi
	printf '0::%s\n' "${cgroup:-/}" >"$p/cgroup"
	for l in $links; do
		type=${l%%:*}
		ino=${l#*:}
		case $type in
		pid_for_children) target="pid:[$ino]" ;;
		time_for_children) target="time:[$ino]" ;;
		*) target="$type:[$ino]" ;;
		esac
		ln -s "$target" "$p/ns/$type"
	done
done
