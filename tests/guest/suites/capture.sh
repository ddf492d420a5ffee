# capture.sh - print the sysfs and cgroupfs files the unit-test fixtures in
# tests/fixtures/{hmat,cgroup} are made from (not a test; run by hand:
# tests/testbed/cgtier-testbed run capture).
dump() {
	for f in "$@"; do
		echo "# FILE $f"
		sed 's/^/# | /' "$f"
	done
}
echo never >/sys/kernel/mm/transparent_hugepage/enabled
echo 0 >/proc/sys/kernel/numa_balancing
dump /sys/devices/system/node/has_memory /sys/devices/system/node/has_cpu \
	/sys/devices/virtual/memory_tiering/memory_tier*/nodelist \
	/sys/devices/system/node/node0/meminfo /sys/devices/system/node/node1/meminfo
note "$(ls /sys/devices/virtual/memory_tiering)"
mkdir /sys/fs/cgroup/test
t hold64m-on-node1 sh -c 'echo $$ >/sys/fs/cgroup/test/cgroup.procs &&
	exec cgtier-workload -s 64 -n 1 -w 0.2 --place 1 -q'
# The workload has exited; hold memory with a child that sleeps instead.
sh -c 'echo $$ >/sys/fs/cgroup/test/cgroup.procs && exec cgtier-workload -s 64 -n 0 --place 1 -q' &
sleep 8
dump /sys/fs/cgroup/test/memory.current /sys/fs/cgroup/test/memory.max \
	/sys/fs/cgroup/test/memory.stat /sys/fs/cgroup/test/memory.numa_stat /proc/vmstat
kill %1
wait
