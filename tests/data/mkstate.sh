#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# mkstate.sh DIR: builds the on-disk state of every container engine nsdebug
# reads under DIR/<engine>/, laid out as each engine writes it, for the
# processes of proc-containers.spec. Beside the good containers: stale state
# (a dead PID, a PID that is another process now) and state files that must
# be skipped with a warning: malformed, truncated, too large, a FIFO, a
# symlink out of the root, values of the wrong type.
set -eu
d=$1
z=000000000000000000000000000000000000000000000000000000000000
D1=aa11$z D2=aa22$z D3=bb33$z D4=cc44$z D5=aa33$z P1=dd55$z C1=dd66$z K1=ff77$z

# docker: containers/<id>/config.v2.json
docker() { # ID NAME RUNNING PID
	mkdir -p "$d/docker/containers/$1"
	printf '{"ID":"%s","Name":"/%s","State":{"Running":%s,"Pid":%s,"StartedAt":"2024-01-01T00:00:00Z"},"Config":{"Labels":{}}}\n' \
		"$1" "$2" "$3" "$4" >"$d/docker/containers/$1/config.v2.json"
}
docker "$D1" web true 11
docker "$D2" db true 21   # PID 21 is cron now, in no container's cgroup
docker "$D3" old false 0
docker "$D4" gone true 9999
mkdir -p "$d/docker/containers/$D5"
printf '{"ID":"%s","Name":"/half","State":{"Running":tr' "$D5" >"$d/docker/containers/$D5/config.v2.json"

# podman: overlay-containers/containers.json; a CRI-O entry is left to crio
mkdir -p "$d/podman/overlay-containers"
cat >"$d/podman/overlay-containers/containers.json" <<JSON
[{"id":"$P1","names":["web"],"metadata":"{\"image-name\":\"nginx\",\"name\":\"web\"}"},
 {"id":"$C1","names":["k8s_nginx_frontend"],"metadata":"{\"pod-name\":\"frontend\",\"pod-id\":\"p1\"}"},
 {"names":["no-id"]}]
JSON

# crio: overlay-containers/<id>/userdata/{config.json,pidfile}
mkdir -p "$d/crio/overlay-containers/$C1/userdata"
cat >"$d/crio/overlay-containers/$C1/userdata/config.json" <<JSON
{"ociVersion":"1.0.2","annotations":{"io.kubernetes.cri-o.ContainerType":"container",
 "io.kubernetes.container.name":"nginx","io.kubernetes.pod.name":"frontend",
 "io.kubernetes.pod.namespace":"prod"}}
JSON
echo 41 >"$d/crio/overlay-containers/$C1/userdata/pidfile"

# containerd: io.containerd.runtime.v2.task/<ns>/<id>/{init.pid,config.json}, runc/<ns>/<id>/state.json
task() { # NS ID PID ANNOTATIONS
	mkdir -p "$d/containerd/io.containerd.runtime.v2.task/$1/$2"
	echo "$3" >"$d/containerd/io.containerd.runtime.v2.task/$1/$2/init.pid"
	printf '{"annotations":{%s}}\n' "$4" >"$d/containerd/io.containerd.runtime.v2.task/$1/$2/config.json"
}
task k8s.io "$K1" 51 '"io.kubernetes.cri.container-type":"container","io.kubernetes.cri.container-name":"app","io.kubernetes.cri.sandbox-name":"backend","io.kubernetes.cri.sandbox-namespace":"dev"'
task default ctr1 55 ''
mkdir -p "$d/containerd/runc/default/ctr1"
echo '{"id":"ctr1","init_process_pid":55,"init_process_start":5500}' >"$d/containerd/runc/default/ctr1/state.json"
task default badpid x ''

# lxc: <name>/config; a directory without config is not a container
mkdir -p "$d/lxc/box" "$d/lxc/stopped-box" "$d/lxc/not-a-container"
echo "lxc.uts.name = box" >"$d/lxc/box/config"
echo "lxc.uts.name = stopped-box" >"$d/lxc/stopped-box/config"

# nspawn: machined's <name> files and unit: links
mkdir -p "$d/nspawn"
printf 'NAME=vm-1\nSCOPE=machine-vm\\x2d1.scope\nCLASS=container\nLEADER=71\n' >"$d/nspawn/vm-1"
printf 'NAME=qemu\nCLASS=vm\nLEADER=1\n' >"$d/nspawn/qemu"
ln -s vm-1 "$d/nspawn/unit:machine-vm\\x2d1.scope"

# runc: <id>/state.json
runc() { # ID PID START
	mkdir -p "$d/runc/$1"
	printf '{"id":"%s","init_process_pid":%s,"init_process_start":%s}\n' "$1" "$2" "$3" >"$d/runc/$1/state.json"
}
runc solo 90 9000
runc reused 92 1     # PID 92 started at 9200: another process
runc dead 9998 5
mkdir -p "$d/runc/bad-json" "$d/runc/truncated" "$d/runc/huge" "$d/runc/fifo" \
	"$d/runc/escape" "$d/runc/wrong-type" "$d/runc/trailing"
echo '{"id": "bad-json", init_process_pid: 1}' >"$d/runc/bad-json/state.json"
printf '{"id":"truncated","init_process_pid":90,"init_pro' >"$d/runc/truncated/state.json"
{
	printf '{"id":"huge","init_process_pid":90,"init_process_start":9000,"pad":"'
	head -c 1100000 /dev/zero | tr '\0' x
	printf '"}'
} >"$d/runc/huge/state.json"
mkfifo "$d/runc/fifo/state.json"
ln -s /etc/passwd "$d/runc/escape/state.json"
ln -s ../../../.. "$d/runc/escape-dir"
echo '{"id":"wrong-type","init_process_pid":"90","init_process_start":9000}' >"$d/runc/wrong-type/state.json"
echo '{"id":"trailing","init_process_pid":90,"init_process_start":9000} {}' >"$d/runc/trailing/state.json"

# crun: <id>/status
mkdir -p "$d/crun/cr1"
echo '{"pid":93,"process-start-time":9300,"cgroup-path":""}' >"$d/crun/cr1/status"
