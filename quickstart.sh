#!/bin/bash
# quickstart.sh - install what is missing, build everything (guest kernel
# included) and run the demo or the whole test suite.
#
#   ./quickstart.sh demo    boot the two-tier Debian guest, install the
#                           cgtierd package, run it under systemd on two pods
#   ./quickstart.sh test    unit tests, in-guest suites, install and package
#                           tests, make distcheck
#   ./quickstart.sh deps    only install the Debian packages
#   ./quickstart.sh build   only configure and build (in ./build)
set -euo pipefail
cd "$(dirname "$0")"
TOP=$PWD

kernel_pkg="$(sed -n 's/^package=//p' kernel/base)=$(sed -n 's/^version=//p' kernel/base)"
PACKAGES=(
	# build
	build-essential autoconf automake pkg-config git
	# the project's libraries
	libcgroup-dev libnuma-dev libsystemd-dev libyaml-dev libcmocka-dev libmicrohttpd-dev
	# the /metrics endpoint's test (tests/cgtierd/metrics.test)
	curl
	# the libFuzzer targets (clang with ASan/UBSan runtimes)
	clang libclang-rt-14-dev
	# the guest kernel
	"$kernel_pkg" bc bison flex libelf-dev libssl-dev kmod xz-utils cpio
	# the testbed
	qemu-system-x86 busybox-static ndctl daxctl e2fsprogs
	# the Debian guest of the systemd suites and the demo
	debootstrap
	# checkpatch's SPDX check (tests/testbed/cgtier-testbed check-series)
	python3-ply
	# the Kubernetes manifests' test (tests/deploy/kubernetes.test)
	python3-yaml
	# the systemd unit and the Debian packages (tests/deploy, make deb):
	# systemd-analyze and systemd's pkg-config file, strace for the unit's
	# system call filter, the package build and its checks
	systemd strace debhelper dpkg-dev fakeroot lintian
)

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		echo "quickstart: need root to run: $*" >&2
		exit 1
	fi
}

deps() {
	local missing=() p name want have
	for p in "${PACKAGES[@]}"; do
		name=${p%%=*}
		want=${p#*=}
		have=$(dpkg-query -W -f='${db:Status-Status} ${Version}' "$name" 2>/dev/null || true)
		case $have in
		"installed "*) [ "$p" = "$name" ] || [ "${have#installed }" = "$want" ] || missing+=("$p") ;;
		*) missing+=("$p") ;;
		esac
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	echo "quickstart: installing ${missing[*]}"
	as_root apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build() {
	[ -x configure ] || ./autogen.sh
	mkdir -p build
	[ -f build/Makefile ] || (cd build && ../configure --enable-werror)
	make -C build -j"$(nproc)"
	# the static in-guest programs
	make -C build -j"$(nproc)" check-programs
}

demo() {
	deps
	build
	make -C build demo
}

check() {
	local rc=0
	deps
	build
	make -C build check || rc=$?
	if [ $rc -ne 0 ]; then
		cat build/test-suite.log
		exit $rc
	fi
	make -C build distcheck
	echo "quickstart: all tests passed"
}

case ${1:-} in
deps) deps ;;
build) deps; build ;;
demo) demo ;;
test) check ;;
*)
	sed -n '2,11s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac
