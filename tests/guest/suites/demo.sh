# demo.sh - the quick-start demo (make demo): the guest's memory tiers, then
# cgtier-workload under upstream tiering.  Not a test suite.

# table FILE: cgtier-workload's window lines as an aligned table
table() {
	awk '
	function v(key,   i, kv) {
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] == key)
				return kv[2]
		}
		return ""
	}
	BEGIN {
		printf "# %6s %7s %8s %7s %7s %6s %9s %9s\n", "window", "t(s)", "Maccess",
		       "hit", "oracle", "eff", "N0(MiB)", "N1(MiB)"
	}
	/^window=/ {
		printf "# %6s %7.1f %8.1f %7s %7s %6s %9.1f %9.1f\n", v("window"), v("t"),
		       v("accesses") / 1e6, v("hit"), v("oracle"), v("eff"),
		       v("node0_bytes") / 1048576, v("node1_bytes") / 1048576
	}
	/^verify=/ { print "# " $0 }' "$1"
}

note "== memory tiers =="
t_topology --print | sed 's/^/# /'

note ""
note "== upstream tiering: kernel.numa_balancing=2 (promotion), demotion_enabled=1 =="
echo 2 >/proc/sys/kernel/numa_balancing
echo 1 >/sys/kernel/mm/numa/demotion_enabled
note "cgtier-workload: 768 MiB (more than node 0 holds), a 64 MiB hot set takes 90%"
note "of the accesses, every page starts on node 1 (slow tier); hit = access-weighted"
note "fast-tier hit ratio, oracle = best placement of the same fast-tier bytes, eff = hit/oracle"
before=$(awk '$1 == "pgpromote_success" { print $2 }' /proc/vmstat)
cgtier-workload -s 768 -p hotset -H 64 -f 90 --place 1 -w 2 -n 20 >/tmp/workload.out 2>&1
rc=$?
table /tmp/workload.out
after=$(awk '$1 == "pgpromote_success" { print $2 }' /proc/vmstat)
note "pgpromote_success: $((after - before)) pages promoted during the run"
if [ $rc -eq 0 ]; then
	echo "ok - workload under upstream tiering"
else
	sed 's/^/# /' /tmp/workload.out
	echo "not ok - workload under upstream tiering (exit status $rc)"
fi
