#!/bin/sh
# t_workload.sh - cgtier-workload's hit ratio against placements we know:
# with NUMA balancing off nothing moves, so every page placed on node 0
# must read hit=1 and every page placed on node 1 hit=0, with all bytes on
# that node in every window.
set -u
old=$(cat /proc/sys/kernel/numa_balancing)
echo 0 >/proc/sys/kernel/numa_balancing
rc=0
for node in 0 1; do
	want_hit=1.0000
	[ "$node" = 0 ] || want_hit=0.0000
	out=$(cgtier-workload -s 32 -p zipf -w 0.5 -n 2 --place "$node" 2>&1) || rc=1
	echo "$out"
	bad=$(echo "$out" | awk -v hit="$want_hit" -v key="node${node}_bytes=33554432" '
		/^window=/ {
			n++
			if (index($0, " hit=" hit " ") == 0 || index($0, " " key " ") == 0)
				print "FAIL: window " n ": expected hit=" hit " and " key
		}
		END { if (n != 2) print "FAIL: " n " window lines, expected 2" }')
	if [ -n "$bad" ]; then
		echo "$bad"
		rc=1
	fi
done
echo "$old" >/proc/sys/kernel/numa_balancing
exit $rc
