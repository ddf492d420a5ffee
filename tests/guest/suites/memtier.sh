# memtier - the kernel series' selftest of the memory.tier.* files
# (tools/testing/selftests/cgroup/test_memtier.c), with the classic LRU and
# with MGLRU.  Run by `cgtier-testbed run memtier` on the hmat topology (two
# tiers) and on hmat3 (three tiers), with the guest and the debug kernel.
echo 0 >/proc/sys/kernel/numa_balancing
# Swap on zram, so that "demotion never swaps" is checked with swap there.
echo 256M >/sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null &&
	swapon /dev/zram0 && note "swap on zram0: $(tail -n +2 /proc/swaps)"
# Real page cache: the rootfs is tmpfs, whose pages are shmem.
mkdir -p /mnt/disk && mount -t ext4 /dev/vda /mnt/disk && export MEMTIER_DIR=/mnt/disk
# A debug kernel (KASAN, kmemleak) is ~10x slower: fewer churn cycles there,
# and a longer hot threshold for NUMA balancing's tiering mode, which
# promotes a page only if its hint fault comes within the threshold of the
# scan that armed it (default 1 s: under TCG on the debug kernel, only 71 %
# of the promotion case's hot set got up within its 60 s).  It runs the
# cases once, with MGLRU (both modes took 16.5 min of CI's 90): the
# series' own code (mm/memcontrol-tier.c, its locking) is the same under
# both; its small hooks in each LRU's scan run in both modes on the guest
# kernel (hmat and hmat3), the classic LRU's without KASAN and lockdep.
lru_modes="0 y"
if [ -e /sys/kernel/debug/kmemleak ]; then
	lru_modes=y
	export MEMTIER_CHURN_CYCLES=100
	echo 10000 >/sys/kernel/debug/sched/numa_balancing/hot_threshold_ms &&
		note "numa_balancing hot_threshold_ms: $(cat /sys/kernel/debug/sched/numa_balancing/hot_threshold_ms)"
fi
note "paging: $(grep -q '^flags.* la57' /proc/cpuinfo && echo 5-level || echo 4-level) ($(cat /proc/cmdline | tr ' ' '\n' | grep -x no5lvl || echo 'no no5lvl'))"
note "memory tiers: $(for t in /sys/devices/virtual/memory_tiering/memory_tier*; do
	printf '%s=%s ' "${t##*/}" "$(cat "$t/nodelist")"; done)"
for lru_gen in $lru_modes; do
	echo $lru_gen >/sys/kernel/mm/lru_gen/enabled
	note "lru_gen/enabled: $(cat /sys/kernel/mm/lru_gen/enabled)"
	mode=lru; [ $lru_gen = y ] && mode=mglru
	ksft "memtier[$mode]" test_memtier
	# On three tiers the three-tier case is in the plan; make sure it ran.
	if [ "$(ls -d /sys/devices/virtual/memory_tiering/memory_tier* | wc -l)" -ge 3 ]; then
		t "memtier[$mode]: three-tier case ran" grep -q "^ok [0-9]* test_memtier_three_tiers" /tmp/ksft.out
	fi
done
