#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsdebug inspect and audit on runc containers: a listener and a connection
# on the container's loopback are listed with the processes that hold them;
# a process whose program was deleted is flagged (inspect and audit); its
# interfaces are read in its net namespace. A container with a user
# namespace (uid/gid mappings in config.json) shows its maps and is not
# said to run as the host's root.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_root
NSDEBUG=$1
make_tmpdir
tmp=$tmpdir

# --- a container that serves and talks on its loopback
name=nsdebug-it-inspect-$$
bundle_hook() {
	mkdir -p "$1/rootfs/scratch"
	jq '.mounts += [{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs",
		"options": ["nosuid", "nodev", "mode=1777"]}]' "$1/config.json" >"$1/config.json.new"
	mv "$1/config.json.new" "$1/config.json"
}
# One line: make_bundle passes each line as an argument.
runc_start "$name" sh -c 'nc -ll -p 8080 -e /bin/cat & sleep 0.3; sleep 1000 | nc 127.0.0.1 8080 & cp /bin/busybox /scratch/busybox; /scratch/busybox sleep 900 & sleep 0.3; rm /scratch/busybox; exec sleep 1000'
init=$container_pid
# The program is gone before the report is taken: a report from before the
# rm would rightly show it not deleted. The init execs sleep after the rm,
# when every other process has started (before the cp, /scratch/busybox
# does not exist either).
established() {
	[ "$(tr '\0' ' ' <"/proc/$init/cmdline")" = "sleep 1000 " ] &&
		"$NSDEBUG" inspect "$name" -J >"$tmp/report.json" &&
		jq -e '[.network.connections[] | select(.protocol | startswith("tcp"))] | length == 2' \
			"$tmp/report.json"
}
wait_for 10 established
jq -c '.network' "$tmp/report.json"

pid_of() { # the host PID of the container's process whose command is $1
	jq -r --arg c "$1" '.processes[] | select(.command == $c) | .pid' "$tmp/report.json"
}
listener=$(pid_of 'nc -ll -p 8080 -e /bin/cat')
client=$(pid_of 'nc 127.0.0.1 8080')
server=$(pid_of '/bin/cat')
deleted=$(pid_of '/scratch/busybox sleep 900')
[ -n "$listener" ] && [ -n "$client" ] && [ -n "$server" ] && [ -n "$deleted" ] ||
	fail "processes missing: $(jq -c '.processes' "$tmp/report.json")"
# The kernel's own view of who holds what, from the host.
sockets_of() { find "/proc/$1/fd" -lname 'socket:*' -printf '%l\n' | tr -dc '0-9\n' | sort; }

jq -e --argjson p "$listener" '.network.listening[] | select(.local | endswith(":8080")) |
	select(.pid == $p and .state == "LISTEN")' "$tmp/report.json" >/dev/null ||
	fail "no listener on 8080 held by PID $listener"
jq -e --argjson p "$client" '.network.connections[] | select(.remote | endswith(":8080")) |
	select(.pid == $p and .state == "ESTAB")' "$tmp/report.json" >/dev/null ||
	fail "no connection to 8080 held by the client, PID $client"
jq -e --argjson p "$server" '.network.connections[] | select(.local | endswith(":8080")) |
	select(.pid == $p)' "$tmp/report.json" >/dev/null ||
	fail "no accepted connection held by the server's cat, PID $server"
inode=$(jq -r --argjson p "$client" '.network.connections[] | select(.pid == $p) | .inode' "$tmp/report.json")
sockets_of "$client" | grep -qx "$inode" || fail "socket $inode is not among PID $client's fds"
echo "listener $listener, client $client, server $server: as the kernel says"

# Its loopback, read in its own net namespace; not the host's namespace.
jq -e '.network.interfaces[] | select(.name == "lo" and .up) | .addresses | index("127.0.0.1/8")' \
	"$tmp/report.json" >/dev/null || fail "no lo with 127.0.0.1/8: $(jq -c .network.interfaces "$tmp/report.json")"
jq -e '.namespaces[] | select(.type == "net" and .host == false)' "$tmp/report.json" >/dev/null ||
	fail "its net namespace is said to be the host's"

# The deleted program, in inspect and in audit.
jq -e --argjson p "$deleted" '.processes[] | select(.pid == $p) | select(.exe_deleted and .host_root)' \
	"$tmp/report.json" >/dev/null || fail "PID $deleted is not flagged: $(jq -c .processes "$tmp/report.json")"
"$NSDEBUG" inspect "$name" | grep -E "^ +$deleted +[0-9]+ +[^ ]+ +HD " >/dev/null ||
	fail "the text report does not flag PID $deleted"
"$NSDEBUG" audit -J -o CONTAINER,PID,FINDING >"$tmp/audit.json"
jq -e --arg c "runc:$name" --argjson p "$deleted" '.findings[] |
	select(.container == $c and .pid == $p and .finding == "DELETED-EXE")' "$tmp/audit.json" >/dev/null ||
	fail "audit has no DELETED-EXE for PID $deleted: $(cat "$tmp/audit.json")"
jq -e --arg c "runc:$name" --argjson p "$init" '.findings[] |
	select(.container == $c and .pid == $p and .finding == "ROOT-NO-USERNS")' "$tmp/audit.json" >/dev/null ||
	fail "audit has no ROOT-NO-USERNS for the container without a user namespace"
"$NSDEBUG" inspect "$name" | grep -q "none: root here is root on the host" ||
	fail "inspect does not say that root in $name is the host's root"

# --- a rootless-style container: a user namespace mapping root to 100000
uname=nsdebug-it-userns-$$
bundle_hook() {
	jq '.linux.namespaces += [{"type": "user"}] |
		.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}] |
		.linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}] |
		.mounts |= map(if .destination == "/dev/pts" then .options -= ["gid=5"] else . end)' \
		"$1/config.json" >"$1/config.json.new"
	mv "$1/config.json.new" "$1/config.json"
	# The container's root (host UID 100000) must reach its rootfs; mktemp made 0700.
	chmod 755 "$1"
}
runc_start "$uname" sleep 1000
"$NSDEBUG" inspect "$uname" -J >"$tmp/userns.json"
jq -c '.privileges' "$tmp/userns.json"
jq -e '.privileges | .user_namespace and (.root_is_host_root | not) and .host_uid == 100000 and
	.uid_map == [{"inside": 0, "outside": 100000, "count": 65536}] and
	.gid_map == [{"inside": 0, "outside": 100000, "count": 65536}]' "$tmp/userns.json" >/dev/null ||
	fail "the user namespace container's privileges: $(jq -c .privileges "$tmp/userns.json")"
jq -e '[.processes[] | select(.host_root)] | length == 0' "$tmp/userns.json" >/dev/null ||
	fail "a process of $uname is said to run as host root"
"$NSDEBUG" inspect "$uname" >"$tmp/userns.txt"
grep -q "root here is root on the host" "$tmp/userns.txt" &&
	fail "inspect claims root in $uname is the host's root"
grep -q "0-65535 -> 100000 (65536 IDs)" "$tmp/userns.txt" || fail "no uid map in: $(cat "$tmp/userns.txt")"
"$NSDEBUG" audit -J -o CONTAINER,FINDING | jq -e --arg c "runc:$uname" \
	'[.findings[] | select(.container == $c and .finding == "ROOT-NO-USERNS")] | length == 0' >/dev/null ||
	fail "audit says $uname runs as root without a user namespace"
echo ok
