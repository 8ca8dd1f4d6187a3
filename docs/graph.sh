#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Makes docs/graph.svg, the picture in the README, from a real run (root;
# needs runc, busybox-static, ip, graphviz and a build in build/):
#   unshare --pid --fork --mount-proc docs/graph.sh
# In a new PID namespace only what this script starts is seen: a runc
# container with a net namespace bind-mounted only inside it, an ip netns
# held open by a process, and user namespaces nested 3 deep whose middle one
# no process is in.
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/integration/lib.sh
require_root
[ "$$" = 1 ] || fail "run it as: unshare --pid --fork --mount-proc $0"

runc_start nsdebug-docs-$$ sleep 600
cpid=$container_pid
unshare --net sleep 600 </dev/null >/dev/null 2>&1 &
member=$!
track_pid "$member"
own_net() { [ "$(ns_of "$member" net)" != "$(ns_of $$ net)" ]; }
wait_for 5 own_net
nsenter --target "$cpid" --mount -- /bin/sh -c \
	"mkdir /dev/shm/p && mount -t proc proc /dev/shm/p && touch /dev/shm/netns &&
	 mount --bind /dev/shm/p/$member/ns/net /dev/shm/netns && umount /dev/shm/p"
kill -KILL "$member"

netns_add web-$$
bash -c "exec 3</run/netns/web-$$; exec sleep 600" </dev/null >/dev/null 2>&1 &
track_pid $!
unshare -U -r --fork --kill-child sh -c 'unshare -U -r unshare -U -r --pid --fork --kill-child sleep 600' \
	</dev/null >/dev/null 2>&1 &
track_pid $!
sleep 1

./build/cmd/nsdebug graph | dot -Tsvg >docs/graph.svg
echo "docs/graph.svg written"
