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
# The parsers' KUnit tests (CONFIG_MEMCG_TIER_KUNIT_TEST) ran at boot and
# reported in the kernel log: the suite passed and no case failed.
kunit_parsers() {
	dmesg | grep -E '(ok|Subtest:|pass:|fail:).*memcg_tier|# memcg_tier' | sed 's/^\[[^]]*\] *//'
	dmesg | grep -Eq '\] ok [0-9]+ memcg_tier$' &&
		! dmesg | grep -Eq 'not ok [0-9]+ memcg_tier'
}
t "memtier: KUnit tests of the memory.tier.* parsers" kunit_parsers
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

# Coldest first, with the kernel's own parts only (kernel issue item 2):
# a cgroup at "tierN 64M" runs cgtier-workload over 256 MiB with a 32 MiB
# hot set, which lies at the end of its buffer, so the quota's redirection
# puts the hot set on the slow tier and the first 64 MiB (cold) on the
# fast one.  memory.tier.age scans it every 200 ms and, after each scan,
# a loop asks memory.tier.promote for 32 MiB, the documented path of an
# agent: promotion at the max demotes what has been idle two scans
# longer to make room.  The workload's oracle efficiency with -K 64
# (its own accounting of where its accesses landed, from move_pages(2)
# queries) must reach 0.95, with the cgroup within the quota (numa_stat).
coldest_first() {
	cg=/sys/fs/cgroup/coldest
	fast=$(fast_tier)
	mkdir $cg || return 1
	echo "$fast 64M" >$cg/memory.tier.max &&
		echo "period_ms 200" >$cg/memory.tier.age || return 1
	(echo 0 >$cg/cgroup.procs &&
		exec cgtier-workload -s 256 -p hotset -H 32 -K 64 -w 2 -n 20 >/tmp/coldest.out 2>&1) &
	pid=$!
	seen=0 requests=0 n0=0
	while kill -0 $pid 2>/dev/null; do
		scans=$(awk '$1 == "scans" { print $2 }' $cg/memory.tier.age)
		if [ "$scans" != "$seen" ]; then
			# EAGAIN whenever less than 32 MiB was young below
			echo "$fast 32M" >$cg/memory.tier.promote 2>/dev/null
			seen=$scans requests=$((requests + 1))
		fi
		# the most node 0 held while the workload ran
		b=$(awk '$1 == "anon" { for (i = 2; i <= NF; i++) if ($i ~ /^N0=/) { sub(/^N0=/, "", $i); print $i } }' $cg/memory.numa_stat)
		[ "${b:-0}" -le "$n0" ] || n0=$b
		sleep 0.05
	done
	wait $pid
	rc=$?
	echo "workload exit status $rc, $requests requests, $(awk '$1 == "scans" { print $2 }' $cg/memory.tier.age) scans"
	echo "memory.tier.stat: $(grep "^$fast " $cg/memory.tier.stat)"
	echo "memory.tier.events: $(tr '\n' ' ' <$cg/memory.tier.events)"
	grep -v '^#' /tmp/coldest.out
	eff=$(grep '^window=' /tmp/coldest.out | tail -n 3 | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "eff") e += kv[2] } n++ } END { printf "%.3f", e / n }')
	echo "oracle efficiency, mean of the last 3 windows of 2 s: $eff; node 0 anon at most $n0 bytes (memory.numa_stat)"
	rmdir $cg
	[ $rc -eq 0 ] && [ "$n0" -gt 0 ] && [ "$n0" -le $((66 << 20)) ] &&
		awk -v e="$eff" 'BEGIN { exit !(e >= 0.95) }'
}
# Not on the debug kernel: there the scans' bound of a tenth of a CPU
# stretches the 200 ms period to ~1.3 s (38 scans in 49 s), in which the
# workload touches every cold page too (about four times a second), so
# recency cannot tell hot from cold and nothing on the fast tier is idle
# long enough to be traded (measured: efficiency 0.05, 29 refusals).
if [ -e /sys/kernel/debug/kmemleak ]; then
	note "coldest first at a quota: not on the debug kernel (scan periods too long under KASAN to tell the hot set by recency)"
else
	echo y >/sys/kernel/mm/lru_gen/enabled
	t "memtier: coldest first at a quota, with memory.tier.age and memory.tier.promote (oracle efficiency >= 0.95)" coldest_first
fi
