# cgselftests - upstream's cgroup kselftests test_memcontrol and test_core,
# their results as diagnostics ("# ksft <program>: <KTAP line>"), for
# tests/guest/kselftest-compare.test, which runs this suite on the stock and
# on the patched kernel and requires the same result for every case.
echo 0 >/proc/sys/kernel/numa_balancing
echo never >/sys/kernel/mm/transparent_hugepage/enabled
echo 256M >/sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null && swapon /dev/zram0
for prog in test_memcontrol test_core; do
	(cd /tmp && timeout 300 $prog) >/tmp/ksft.out 2>&1
	rc=$?
	# the results, then the rest of the output
	sed -n "s/^\(not \)\{0,1\}ok [0-9]* .*/ksft $prog: &/p" /tmp/ksft.out | sed 's/^/# /'
	grep -v '^\(not \)\{0,1\}ok [0-9]' /tmp/ksft.out | sed "s/^/# $prog: /"
	if grep -q '^\(not \)\{0,1\}ok [0-9]' /tmp/ksft.out; then
		echo "ok - $prog ran (exit status $rc)"
	else
		sed 's/^/# /' /tmp/ksft.out
		echo "not ok - $prog ran (exit status $rc)"
	fi
done
