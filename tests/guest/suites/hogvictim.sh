# hogvictim - the use case of the memory.tier series, measured (not a test):
# a 600 MiB streaming hog starts first and fills the fast tier; a
# latency-critical tenant with a 48 MiB hot set starts later.  Who gets the
# fast tier, under upstream tiering (NUMA balancing mode 2 + demotion), with
# and without `tier4 64M` in the hog's memory.tier.max?
# Run by `cgtier-testbed run hogvictim` (patched kernel).

fast=$(fast_tier)

# n0 CGROUP: MiB of the cgroup's memory on node 0 (memory.numa_stat, anon + file)
n0() {
	awk '$1 == "anon" || $1 == "file" { for (i = 2; i <= NF; i++) if ($i ~ /^N0=/) { sub(/^N0=/, "", $i); s += $i } }
	     END { printf "%.1f", s / 1048576 }' "/sys/fs/cgroup/$1/memory.numa_stat"
}

# last WINDOWS FILE: mean hit and eff of the last WINDOWS windows
last() {
	grep '^window=' "$2" | tail -n "$1" | awk '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "hit") h += kv[2]; if (kv[1] == "eff") e += kv[2] }
		n++ } END { printf "hit=%.3f eff=%.3f", h / n, e / n }'
}

run() {
	label=$1 hog_max=$2
	mkdir -p /sys/fs/cgroup/hog /sys/fs/cgroup/victim
	[ -z "$hog_max" ] || echo "$fast $hog_max" >/sys/fs/cgroup/hog/memory.tier.max
	(echo 0 >/sys/fs/cgroup/hog/cgroup.procs &&
		exec cgtier-workload -s 600 -p stream -w 1 -n 70 >/tmp/hog.out 2>&1) &
	hog=$!
	sleep 10
	(echo 0 >/sys/fs/cgroup/victim/cgroup.procs &&
		exec cgtier-workload -s 400 -p hotset -H 48 -f 90 -K 48 -w 2 -n 25 >/tmp/victim.out 2>&1) &
	victim=$!
	# node 0 use near the end of the victim's run (25 windows of 2 s)
	(sleep 44; echo "hog $(n0 hog), victim $(n0 victim)" >/tmp/n0.out) &
	sampler=$!
	wait $victim
	rc=$?
	wait $sampler
	note "$label: victim $(last 5 /tmp/victim.out) | node 0 MiB at 44 s: $(cat /tmp/n0.out)"
	[ -z "$hog_max" ] || note "$label: hog memory.tier.stat: $(grep "^$fast " /sys/fs/cgroup/hog/memory.tier.stat)"
	[ -z "$hog_max" ] || note "$label: hog memory.tier.events: $(tr '\n' ' ' </sys/fs/cgroup/hog/memory.tier.events)"
	kill $hog 2>/dev/null
	wait $hog 2>/dev/null
	grep '^window=' /tmp/victim.out | sed "s/^/# $label victim: /"
	rmdir /sys/fs/cgroup/hog /sys/fs/cgroup/victim
	[ $rc -eq 0 ] && echo "ok - $label: victim ran" || echo "not ok - $label: victim ran (exit status $rc)"
}

echo 2 >/proc/sys/kernel/numa_balancing
echo 1 >/sys/kernel/mm/numa/demotion_enabled
note "upstream tiering on: numa_balancing=2, demotion_enabled=1; fast tier $fast"
run "without memory.tier.max" ""
run "hog at $fast 64M" 64M
