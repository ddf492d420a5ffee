# faultbench - page-fault cost in a non-root cgroup, for comparing the stock
# and the patched kernel in alternating boots (a benchmark, not a test):
#   for k in --stock "" --stock "" --stock ""; do cgtier-testbed run $k faultbench; done
# On the patched kernel it runs a second time with a finite memory.tier.max
# on another cgroup, so that the limit checks are on too.
echo 0 >/proc/sys/kernel/numa_balancing
mkdir -p /sys/fs/cgroup/bench
echo $$ >/sys/fs/cgroup/bench/cgroup.procs
for i in 1 2 3; do
	t "faultbench run $i" t_faultbench
	grep '^faultbench' /tmp/t.out | sed "s/^/# defaults: /"
done
if [ -e /sys/fs/cgroup/bench/memory.tier.max ]; then
	mkdir -p /sys/fs/cgroup/other
	tier=$(sed -n '1s/ .*//p' /sys/fs/cgroup/other/memory.tier.max)
	echo "$tier 1G" >/sys/fs/cgroup/other/memory.tier.max
	for i in 1 2 3; do
		t "faultbench run $i, limits on" t_faultbench
		grep '^faultbench' /tmp/t.out | sed "s/^/# limits on: /"
	done
fi
echo $$ >/sys/fs/cgroup/cgroup.procs
