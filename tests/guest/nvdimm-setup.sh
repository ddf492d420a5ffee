#!/bin/sh
# nvdimm-setup.sh - turn the emulated NVDIMM into system RAM on node 1.
#
# The upstream form of the 2018 "PMEM as volatile NUMA memory" idea: a
# devdax namespace handed to the dax/kmem driver with daxctl, which hot-adds
# it as memory of the NVDIMM's NUMA node (CPU-less, in a lower memory tier).
set -eu

fail() {
	echo "$*"
	exit 1
}

ndctl disable-region all
ndctl init-labels -f all
ndctl enable-region all
# Labels allow sub-dividing the region; 2 MiB alignment is what devdax needs.
ndctl create-namespace -m devdax -a 2M
dev=$(daxctl list | sed -n 's/.*"chardev":"\(dax[0-9]*\.[0-9]*\)".*/\1/p' | head -n 1)
[ -n "$dev" ] || fail "no dax device after create-namespace: $(daxctl list)"
daxctl reconfigure-device --mode=system-ram "$dev"
daxctl list
grep -q kmem /proc/modules || fail "daxctl did not load the kmem module"
total=$(sed -n 's/^Node 1 MemTotal: *\([0-9]*\) kB/\1/p' /sys/devices/system/node/node1/meminfo)
echo "node 1 MemTotal: ${total:-0} kB"
[ "${total:-0}" -ge $((512 * 1024)) ] || fail "node 1 has ${total:-0} kB, expected at least 512 MiB of system RAM"
