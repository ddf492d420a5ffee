# faults - cgtierd under the daemon issue's D and M fault rows, in the
# guest: 500 cgroups appearing and vanishing while it runs (fds and memory
# bounded, no error), cgroups removed and processes killed while their
# pages are scanned, a PID reused by a process outside every policy, a
# full slow node, a canary process outside every policy whose pages
# are never moved, kill -9 mid-run and a restart (the limits are what the
# configuration says, nothing half-applied), and, on a machine with one
# memory tier (the flat topology), a clean degraded mode: it runs, says
# so, writes nothing, and stops cleanly.
# Run by `cgtier-testbed run faults` (hmat) and `--topology flat faults`.

cg=/sys/fs/cgroup
sock=/tmp/cgtierd/cgtierd.sock
conf=/tmp/faults.yaml
log=/tmp/cgtierd.log
tiers=$(ls -d /sys/devices/virtual/memory_tiering/memory_tier* 2>/dev/null | wc -l)
echo 0 >/proc/sys/kernel/numa_balancing

cat >"$conf" <<CONF
global: {period: 1s, socket: $sock, log_level: debug}
policies:
  - name: scanned
    match: {cgroups: ["scan.slice/*", "reuse.slice/*"]}
    hot_age: 2s
    hot_hits: 1
    hot_in_fast: 95%
    promote_rate: max
  - name: churn
    match: {cgroups: ["churn.slice/*"]}
    fast_quota: 16Mi
    demote_rate: max
  - name: pods
    match: {cgroups: ["pods.slice/*"]}
    fast_quota: 32Mi
    demote_rate: max
CONF

# wait_for N COMMAND...: up to N seconds for COMMAND
wait_for() {
	_n=$1
	shift
	while [ "$_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 1
		_n=$((_n - 1))
	done
	"$@"
}

fds() {
	ls "/proc/$daemon/fd" | wc -l
}

# fast_bytes CGROUP: its bytes on node 0 (memory.numa_stat anon + file)
# node_bytes NODE CGROUP: its anon and file bytes on the node
node_bytes() {
	awk -v key="N$1=" '$1 == "anon" || $1 == "file" { for (i = 2; i <= NF; i++) if (index($i, key) == 1) s += substr($i, length(key) + 1) }
	     END { printf "%d", s }' "$cg/$2/memory.numa_stat"
}
fast_bytes() { node_bytes 0 "$1"; }

rss_kib() {
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$daemon/status"
}

start() {
	cgtierd --config "$conf" --policies /tmp/no-dropins >>"$log" 2>&1 &
	daemon=$!
	wait_for 20 cgtierctl --socket "$sock" status
}

# D: one memory tier -- nothing to divide, never a crash loop
one_tier() {
	mkcg pods.slice/a
	sleep 3
	t "one tier: cgtierd says so" grep -q "one memory tier: nothing to divide" "$log"
	t "one tier: still running" kill -0 "$daemon"
	t "one tier: the status says so" sh -c "cgtierctl --socket $sock status | grep -q 'one memory tier\|fast tier'"
	t "one tier: nothing written" test ! -e "$cg/pods.slice/a/memory.tier.max" -o \
		"$(head -n 1 "$cg/pods.slice/a/memory.tier.max" 2>/dev/null | awk '{ print $2 }')" = max
	kill -TERM "$daemon"
	wait "$daemon"
	t "one tier: SIGTERM exit 0" test $? -eq 0
	rmdir "$cg/pods.slice/a" "$cg/pods.slice"
	sed 's/^/# cgtierd: /' "$log"
}

tiered() {
# M: a canary outside every policy; its pages must stay where it put them.
mkcg canary.slice/canary
(echo 0 >"$cg/canary.slice/canary/cgroup.procs" &&
	exec cgtier-workload -s 32 --place 1 -p hotset -H 8 -f 100 -w 2 -n 20 >/tmp/canary.out 2>&1) &
canary=$!

# D1/D2, bounded resources: 500 cgroups appear, some with a process, and
# vanish again, five rounds of 100, a period or two apart.
fd0=$(fds)
rss0=$(rss_kib)
mkcg churn.slice
round=0
while [ $round -lt 5 ]; do
	i=0
	while [ $i -lt 100 ]; do
		mkdir "$cg/churn.slice/c$round-$i"
		i=$((i + 1))
	done
	(echo 0 >"$cg/churn.slice/c$round-0/cgroup.procs" && exec sleep 3) &
	sleeper=$!
	sleep 2
	wait $sleeper
	i=0
	while [ $i -lt 100 ]; do
		rmdir "$cg/churn.slice/c$round-$i"
		i=$((i + 1))
	done
	round=$((round + 1))
done
sleep 2
fd1=$(fds)
rss1=$(rss_kib)
note "fds $fd0 -> $fd1, VmRSS $rss0 -> $rss1 KiB after 500 cgroups came and went"
t "churn: still running" kill -0 "$daemon"
t "churn: fds back where they were (+2)" test "$fd1" -le $((fd0 + 2))
t "churn: memory bounded (VmRSS grew < 4 MiB)" test "$rss1" -le $((rss0 + 4096))
t "churn: no error or warning logged" sh -c "! grep -q ': err:\|: warning:' '$log'"

# Cost (item 4): the daemon's CPU time per period with 200 covered
# cgroups, each with a process (a measurement, not a test).
i=0
while [ $i -lt 200 ]; do
	mkdir "$cg/churn.slice/w$i"
	(echo 0 >"$cg/churn.slice/w$i/cgroup.procs" && exec sleep 40) &
	i=$((i + 1))
done
sleep 3
ticks() {
	awk '{ print $14 + $15 }' "/proc/$daemon/stat"
}
t0=$(ticks)
sleep 20
t1=$(ticks)
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
note "cost: cgtierd used $(( (t1 - t0) * 1000 / hz )) ms of CPU in 20 periods of 1 s with 200 covered cgroups: $(( (t1 - t0) * 1000 / hz / 20 )) ms per period (TCG)"
i=0
while [ $i -lt 200 ]; do
	for p in $(cat "$cg/churn.slice/w$i/cgroup.procs"); do kill "$p"; done
	i=$((i + 1))
done
sleep 1
i=0
while [ $i -lt 200 ]; do
	rmdir "$cg/churn.slice/w$i" 2>/dev/null || { sleep 1; rmdir "$cg/churn.slice/w$i"; }
	i=$((i + 1))
done
t "200 cgroups: still running" kill -0 "$daemon"

# D1: cgroups removed, their processes killed, while the daemon scans and
# moves their pages (a policy with hot_in_fast covers them).
fd0=$(fds)
mkcg scan.slice
i=0
while [ $i -lt 12 ]; do
	mkcg "scan.slice/s$i"
	(echo 0 >"$cg/scan.slice/s$i/cgroup.procs" &&
		exec cgtier-workload -s 48 --place 1 -p hotset -H 16 -f 100 -w 1 -n 0 -q >/dev/null 2>&1) &
	victim=$!
	# 0.5 to 2.5 s: before, during or after its first scans
	sleep "$((i % 3)).$(( (i * 7) % 10 ))"
	kill -9 "$victim"
	wait "$victim" 2>/dev/null
	# every other one: the cgroup stays a period after its process died
	[ $((i % 2)) = 0 ] || sleep 1.5
	rmdir "$cg/scan.slice/s$i" 2>/dev/null || { sleep 1; rmdir "$cg/scan.slice/s$i"; }
	i=$((i + 1))
done
rmdir "$cg/scan.slice"
sleep 2
t "removed mid-scan: still running" kill -0 "$daemon"
t "removed mid-scan: fds back where they were (+2)" test "$(fds)" -le $((fd0 + 2))
t "removed mid-scan: no error or warning logged" sh -c "! grep -q ': err:\|: warning:' '$log'"
gone=$(sed -n 's/.* \([0-9]*\) processes gone.*/\1/p' "$log" | tail -n 1)
note "removed mid-scan: $(grep 'since start' "$log" | tail -n 1)"
t "removed mid-scan: the scans saw processes exit (${gone:-0})" test "${gone:-0}" -gt 0

# M4: a process of a covered cgroup exits and its PID goes to a process
# outside every policy (ns_last_pid picks the PID): that one's pages,
# placed on the slow tier and hot, are never moved.
mkcg reuse.slice/r
(echo 0 >"$cg/reuse.slice/r/cgroup.procs" &&
	exec cgtier-workload -s 32 --place 1 -p hotset -H 16 -f 100 -w 1 -n 0 -q >/dev/null 2>&1) &
tenant=$!
wait_for 20 sh -c "grep -q 'reuse.slice/r: moved' '$log'"
t "PID reuse: the covered process was scanned and promoted" grep -q "reuse.slice/r: moved" "$log"
kill -9 "$tenant"
wait "$tenant" 2>/dev/null
echo $((tenant - 1)) >/proc/sys/kernel/ns_last_pid
(exec cgtier-workload -s 32 --place 1 -p hotset -H 16 -f 100 -w 1 -n 8 >/tmp/reuse.out 2>&1) &
reuser=$!
note "PID reuse: covered process $tenant exited, the new process outside the policies is $reuser"
wait "$reuser"
rrc=$?
t "PID reuse: the new process got the PID" test "$reuser" = "$tenant"
t "PID reuse: it ran and verified its pages" sh -c "test $rrc -eq 0 && grep -q '^verify=ok' /tmp/reuse.out"
t "PID reuse: not one of its pages was moved to the fast tier" \
	awk '/^window=/ { n++; for (i = 1; i <= NF; i++) if ($i ~ /^node0_bytes=/) { sub(/^node0_bytes=/, "", $i); if ($i != 0) bad++ } }
	     END { print n " windows, " bad + 0 " with pages on node 0"; exit !(n > 0 && bad == 0) }' /tmp/reuse.out
rmdir "$cg/reuse.slice/r" "$cg/reuse.slice"

# kill -9 in the middle of the run, then a restart: the limits are the
# configuration's, whatever the killed one was doing.
mkcg pods.slice/p1
(echo 0 >"$cg/pods.slice/p1/cgroup.procs" &&
	exec cgtier-workload -s 96 -p stream -w 1 -n 100000 -q >/dev/null 2>&1) &
pod=$!
fast=$(fast_tier)
wait_for 20 grep -qx "$fast 33554432" "$cg/pods.slice/p1/memory.tier.max"
kill -9 "$daemon"
wait "$daemon" 2>/dev/null
echo "$fast max" >"$cg/pods.slice/p1/memory.tier.max" # as if it died mid-change
start
t "kill -9 and restart: the limit is the configuration's again" \
	wait_for 20 grep -qx "$fast 33554432" "$cg/pods.slice/p1/memory.tier.max"
t "kill -9 and restart: a stale socket did not stop it" cgtierctl --socket "$sock" status
kill "$pod"
wait "$pod" 2>/dev/null
rmdir "$cg/pods.slice/p1" "$cg/pods.slice"

# D: the slow node full.  The quota cannot be met (nothing can be demoted);
# the daemon keeps running and meets it again once there is room.
node1_free_mib() {
	awk '$3 == "MemFree:" { print int($4 / 1024) }' /sys/devices/system/node/node1/meminfo
}
mkcg fill.slice/f
fill_mib=$(( $(node1_free_mib) - 40 ))
(echo 0 >"$cg/fill.slice/f/cgroup.procs" &&
	exec cgtier-workload -s "$fill_mib" --place 1 -p stream -w 1 -n 0 -q >/dev/null 2>&1) &
filler=$!
# 40 MiB are left, and the pod starts only once the filler's own
# move_pages(2) is done: a move_pages(2) to a full node fails, and the
# kernel logs that as a page allocation failure.  The pod's excess is more
# than what is left, so the pod's demotions fail.
filler_placed() { [ "$(node_bytes 1 fill.slice/f)" -ge $(( (fill_mib - 1) * 1048576 )) ]; }
wait_for 60 filler_placed
note "slow node full: node 1 has $(node1_free_mib) MiB free"
mkcg pods.slice/p2
(echo 0 >"$cg/pods.slice/p2/cgroup.procs" &&
	exec cgtier-workload -s 96 -p stream -w 1 -n 0 -q >/dev/null 2>&1) &
pod=$!
sleep 8
over=$(fast_bytes pods.slice/p2)
note "slow node full: the pod holds $over bytes of the fast tier (quota 32 MiB), memory.tier.stat: $(grep "^$fast " "$cg/pods.slice/p2/memory.tier.stat" 2>/dev/null)"
t "slow node full: still running" kill -0 "$daemon"
pod_alive() {
	kill -0 "$pod" && [ "$(awk '$1 == "oom_kill" { print $2 }' "$cg/pods.slice/p2/memory.events")" = 0 ]
}
t "slow node full: the pod was not OOM-killed" pod_alive
t "slow node full: no error logged" sh -c "! grep -q ': err:' '$log'"
if [ -e "$cg/pods.slice/p2/memory.tier.stat" ]; then
	failed=$(sed -n "s/^$fast .*demote_failed=\([0-9]*\).*/\1/p" "$cg/pods.slice/p2/memory.tier.stat")
	t "slow node full: the kernel's demotions failed (${failed:-0} bytes): the node was full" test "${failed:-0}" -gt 0
fi
kill "$filler"
wait "$filler" 2>/dev/null
pod_within_quota() { [ "$(fast_bytes pods.slice/p2)" -le $((34 * 1048576)) ]; }
t "slow node full, then room again: the pod is within its quota + 2 MiB" wait_for 30 pod_within_quota
kill "$pod"
wait "$pod" 2>/dev/null
rmdir "$cg/pods.slice/p2" "$cg/pods.slice" "$cg/fill.slice/f" "$cg/fill.slice"

wait "$canary"
crc=$?
grep '^window=' /tmp/canary.out | sed 's/^/# canary: /'
t "canary: ran, contents verified" sh -c "test $crc -eq 0 && grep -q '^verify=ok' /tmp/canary.out"
t "canary: not one of its pages was moved to the fast tier" \
	awk '/^window=/ { for (i = 1; i <= NF; i++) if ($i ~ /^node0_bytes=/) { sub(/^node0_bytes=/, "", $i); if ($i != 0) bad++ } }
	     END { exit bad != 0 }' /tmp/canary.out
rmdir "$cg/canary.slice/canary" "$cg/canary.slice" "$cg/churn.slice"
kill -TERM "$daemon"
wait "$daemon"
t "faults: SIGTERM exit 0" test $? -eq 0
sed 's/^/# cgtierd: /' "$log" | grep -v 'fast-tier limit' | head -n 40
}

start
t "faults: cgtierd answers" cgtierctl --socket "$sock" status
if [ "$tiers" -lt 2 ]; then
	one_tier
else
	tiered
fi
