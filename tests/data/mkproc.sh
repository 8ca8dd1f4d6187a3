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
# Lines starting with '@' add to processes made by the lines above, fields split by ';':
#   @task;PID;TID;LINKS   a thread TID of PID other than its leader: task/TID/ns/ as LINKS
#   @fd;PID;FD;TARGET     fd/FD -> TARGET, as the kernel shows it (net:[4026532600], /dev/null)
#   @mountinfo;PID;LINE   LINE appended to PID/mountinfo (mount ID, parent ID, ... as in proc(5))
#   @self;PID             self -> PID, as a procfs shows the process reading it
#   @status;PID;NSPIDS;UID  status with Uid UID (all four) and NSpid NSPIDS (space-separated)
#   @exe;PID;TARGET       exe -> TARGET
#   @uid_map;PID;LINE     LINE ("inside outside count") appended to uid_map
#   @file;PID;PATH;TEXT   TEXT ('|' for newlines) in the root directory of PID, at PATH
#   @status-line;PID;LINE LINE appended to status (after @status: CapEff, Seccomp...)
#   @gid_map;PID;LINE     LINE appended to gid_map
#   @net;PID;FILE;LINE    LINE appended to net/FILE (tcp, tcp6, udp, udp6, unix)
#   @symlink;PID;PATH;TARGET  a symlink PATH -> TARGET in the root directory of PID
set -eu
spec=$1
dir=$2
mkdir -p "$dir"
# ns_links DIR LINKS: the ns/ links of LINKS in DIR.
ns_links() {
	mkdir -p "$1/ns"
	for l in $2; do
		type=${l%%:*}
		ino=${l#*:}
		case $type in
		pid_for_children) target="pid:[$ino]" ;;
		time_for_children) target="time:[$ino]" ;;
		*) target="$type:[$ino]" ;;
		esac
		ln -s "$target" "$1/ns/$type"
	done
}

grep -v '^[#@]' "$spec" | grep -v '^$' | while IFS=';' read -r pid ppid state comm cmdline links stat cgroup; do
	p="$dir/$pid"
	mkdir -p "$p/ns"
	if [ -n "$stat" ]; then
		printf '%s\n' "$stat" >"$p/stat"
	else
		# Fields 5..21 are zero but for field 20, the number of threads (one
		# and the @task lines of this process); field 22, the start time, is PID*100.
		threads=$((1 + $(grep -c "^@task;$pid;" "$spec" || true)))
		printf '%s (%s) %s %s 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 %s 0 %s 0 0\n' \
			"$pid" "$comm" "$state" "$ppid" "$threads" "$((pid * 100))" >"$p/stat"
	fi
	if [ -n "$cmdline" ]; then
		printf '%s\0' "$cmdline" | tr '|' '\0' >"$p/cmdline"
	else
		: >"$p/cmdline"
	fi
	printf '0::%s\n' "${cgroup:-/}" >"$p/cgroup"
	ns_links "$p" "$links"
done
grep '^@' "$spec" | while IFS=';' read -r what pid arg rest; do
	case $what in
	@task) ns_links "$dir/$pid/task/$arg" "$rest" ;;
	@fd)
		mkdir -p "$dir/$pid/fd"
		ln -s "$rest" "$dir/$pid/fd/$arg"
		;;
	@mountinfo) printf '%s\n' "$arg${rest:+;$rest}" >>"$dir/$pid/mountinfo" ;;
	@self) ln -s "$pid" "$dir/self" ;;
	@status)
		printf 'Name:\tx\nUid:\t%s\t%s\t%s\t%s\nGid:\t0\t0\t0\t0\nNSpid:\t%s\n' \
			"$rest" "$rest" "$rest" "$rest" "$(echo "$arg" | tr ' ' '\t')" >"$dir/$pid/status"
		;;
	@exe) ln -s "$arg" "$dir/$pid/exe" ;;
	@uid_map) printf '%s\n' "$arg" >>"$dir/$pid/uid_map" ;;
	@file)
		mkdir -p "$dir/$pid/root/$(dirname "$arg")"
		printf '%s\n' "$rest" | tr '|' '\n' >"$dir/$pid/root/$arg"
		;;
	@status-line) printf '%s\n' "$arg${rest:+;$rest}" >>"$dir/$pid/status" ;;
	@gid_map) printf '%s\n' "$arg" >>"$dir/$pid/gid_map" ;;
	@net)
		mkdir -p "$dir/$pid/net"
		printf '%s\n' "$rest" >>"$dir/$pid/net/$arg"
		;;
	@symlink)
		mkdir -p "$dir/$pid/root/$(dirname "$arg")"
		ln -s "$rest" "$dir/$pid/root/$arg"
		;;
	*)
		echo "mkproc.sh: unknown directive '$what'" >&2
		exit 1
		;;
	esac
done
