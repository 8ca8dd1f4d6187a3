#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Quick start on a fresh Debian 12 / Ubuntu machine, as root:
#   ./run.sh        install what is missing, build into build/, show nsdebug on a
#                   throwaway runc container named nsdebug-demo, remove it
#   ./run.sh test   the same, then the whole test suite; static analysis
#                   (cppcheck, clang-tidy); the command-line tests under
#                   valgrind; the suite built with ASan+UBSan (build-asan/);
#                   each fuzz harness for 20 s (build-fuzz/). Any finding fails.
set -euo pipefail
cd "$(dirname "$0")"

packages=(
	gcc meson ninja-build pkg-config scdoc
	libmount-dev libsmartcols-dev libblkid-dev libjson-c-dev libarchive-dev nettle-dev
	util-linux iproute2 jq runc busybox-static graphviz
	libcap2-bin tcpdump iputils-ping tmux lsof strace
	cppcheck clang clang-tidy libclang-rt-dev valgrind
	# GNU time: peak RSS in tests/bench/rss.sh
	time
	# the engines tests/integration/containers-engines.sh starts (containerd
	# comes with docker.io); policy-rc.d below keeps their daemons stopped
	docker.io podman lxc systemd-container
)

usage() {
	sed -n '3,7s/^# \{0,1\}//p' "$0"
}

install_packages() {
	local missing=() p

	for p in "${packages[@]}"; do
		dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return
	echo "==> installing ${missing[*]}"
	# Packages must not start daemons with their default (network-changing)
	# settings: policy-rc.d exiting 101 tells invoke-rc.d not to.
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
	fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
	local dir=$1
	shift
	echo "==> building into $dir/"
	[ -f "$dir/build.ninja" ] || meson setup "$dir" "$@"
	ninja -C "$dir"
}

# Prints and runs one nsdebug command of the demo.
show() {
	local word line="\$ nsdebug"

	for word; do
		case $word in
		*[[:space:]\$\;\"]*) line+=" '$word'" ;;
		*) line+=" $word" ;;
		esac
	done
	echo
	echo "$line"
	./build/cmd/nsdebug "$@"
}

demo() {
	. tests/integration/lib.sh
	echo "==> starting the demo container nsdebug-demo (runc, busybox)"
	runc_start nsdebug-demo sleep 1000
	pid=$container_pid
	echo
	echo "\$ nsdebug list -p $pid        # the namespaces of the container's init"
	./build/cmd/nsdebug list -p "$pid"
	echo
	echo "\$ nsdebug list -t net -t pid  # every net and pid namespace on the host"
	./build/cmd/nsdebug list -t net -t pid
	show containers
	show ps nsdebug-demo
	show mounts nsdebug-demo
	show enter nsdebug-demo --net ip -br addr
	show attach nsdebug-demo -- sh -c 'hostname; ps -o pid,comm; cat "$NSDEBUG_ROOT/etc/hostname"'
	show inspect nsdebug-demo
	show audit -o CONTAINER,SEVERITY,FINDING
	echo
	echo "==> removing nsdebug-demo"
	cleanup
}

run_tests() {
	echo "==> test suite"
	meson test -C build --print-errorlogs
	echo "==> static analysis: cppcheck (lib/, cmd/), clang-tidy (lib/, checks in .clang-tidy)"
	# Suppressed, with the reason: redundantInitialization: _cleanup_ variables
	# are initialised on purpose, so that an early return never cleans up
	# garbage; unreadVariable, redundantAssignment: TAKE_FD()/TAKE_PTR() empty
	# a variable for its _cleanup_ handler, which cppcheck does not see. Inline
	# suppressions name their reason where they are.
	cppcheck -q --error-exitcode=1 --enable=warning,style,performance,portability \
		--suppress=redundantInitialization --suppress=unreadVariable \
		--suppress=redundantAssignment --inline-suppr -D_GNU_SOURCE --std=c11 -I lib lib cmd
	clang-tidy -p build --quiet lib/*.c lib/engines/*.c
	echo "==> command-line tests under valgrind"
	meson test -C build --setup valgrind --suite cli --print-errorlogs
	build build-asan -Db_sanitize=address,undefined -Db_lundef=false
	echo "==> test suite under ASan+UBSan"
	ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1 \
		UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
		meson test -C build-asan --print-errorlogs
	echo "==> fuzzing, 20 s per harness (CI has 20 minutes in all)"
	tests/fuzz/run.sh 20
}

case "${1:-}" in
"" | test) ;;
-h | --help)
	usage
	exit 0
	;;
*)
	echo "run.sh: unknown argument '$1'; try './run.sh --help'" >&2
	exit 2
	;;
esac
if [ "$(id -u)" != 0 ]; then
	echo "run.sh: run as root: it installs packages and starts a container" >&2
	exit 1
fi

install_packages
build build
demo
[ "${1:-}" = test ] && run_tests
exit 0
