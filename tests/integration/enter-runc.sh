#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsdebug enter and netns on a runc container (checks in enter-lib.sh): the
# host's tools see the container's network, processes, hostname, IPC and
# files; the container's own tools are never run by mistake; the entered
# command cannot be traced from the container and gets no stray fds; exit
# statuses; ip netns exec through a linked name.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/enter-lib.sh"
require_root
NSDEBUG=$1
for tool in tcpdump ping cc ipcmk; do
	command -v "$tool" >/dev/null || { echo "skip: $tool not installed (./run.sh installs it)"; exit 77; }
done
trap 'cleanup_netns; cleanup' EXIT
make_tmpdir
tmp=$tmpdir

name=nsdebug-it-enter-$$
hostname=nsd-runc-$$
etc_hostname=nsdebug-test
bundle_hook() {
	add_container_files "$1/rootfs"
	jq --arg h "$hostname" '.hostname = $h' "$1/config.json" >"$1/config.json.new"
	mv "$1/config.json.new" "$1/config.json"
}
runc_start "$name" sleep 600
target=$container_pid
in_container() {
	runc exec "$name" "$@"
}
connect_container
check_everything
echo ok
