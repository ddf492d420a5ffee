# tenants - the daemon issue's benchmark: two pods made as kubelet makes
# them, node 0 too small for both.  B, a 600 MiB streaming hog, starts
# first and has a 64 MiB fast-tier quota; then A, hot_in_fast 95%, runs
# cgtier-workload over 400 MiB placed on node 1 at start, with a 48 MiB hot
# set that moves every 30 s.  Measured per run: how long A's hot set takes
# to be >= 95% on node 0 after its start and after each move (the
# workload's ground truth, hot_fast=), whether it stays there, bytes
# promoted per byte of hot set per move, B's fast-tier bytes, cgtierd's
# own hot-in-fast figure against the ground truth, OOM kills, contents.
#
# On our kernel: cgtierd with the memory.tier backend (the promotion
# ratio, the hog's quota and settling within 10 periods asserted; the
# lowest share after settling and the figures' agreement reported, see
# below).  On the stock kernel: cgtierd with the stock backend, then
# upstream tiering alone (NUMA balancing mode 2 + demotion, no daemon),
# reported side by side (no thresholds: they may do worse).
# Run by `cgtier-testbed run tenants` and `cgtier-testbed run --stock tenants`.

cg=/sys/fs/cgroup
fast=$(fast_tier)
period=2
b_uid=0b9f4c2e-5d6a-4e1b-9a7c-3f2d1e0c9b8a
b_pod=kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$(echo "$b_uid" | tr - _).slice
b=$b_pod/cri-containerd-3f5a9c1b2d4e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8.scope
a_uid=7c1e0b2a-3d4f-4a5b-8c6d-9e0f1a2b3c4d
a_pod=kubepods.slice/kubepods-pod$(echo "$a_uid" | tr - _).slice
a=$a_pod/cri-containerd-9d8c7b6a5f4e3d2c1b0a9d8c7b6a5f4e3d2c1b0a9d8c7b6a5f4e3d2c1b0a9d8c.scope
# tenants_daemon=systemd (set by the systemd suite): cgtierd runs as the
# installed unit, with this configuration as /etc/cgtierd/cgtierd.yaml
tenants_daemon=${tenants_daemon:-direct}
if [ "$tenants_daemon" = systemd ]; then
	sock=/run/cgtierd/cgtierd.sock
	conf=/etc/cgtierd/cgtierd.yaml
else
	sock=/tmp/cgtierd/cgtierd.sock
	conf=/tmp/tenants.yaml
fi
moves=3     # hot sets: at start, after 30 s, after 60 s
# A's workload flushes its own TLB every 100 ms, as a hardware TLB (1-2k
# entries) would drop a 48 MiB hot set's entries anyway: TCG's software
# TLB keeps them, so a hot page whose accessed bit was cleared may never
# set it again and looks idle (README, "The testbed").
tlb="--tlb-flush-ms 100"
hot_mib=48
# The sample window: under TCG a page's accessed bit is set again only
# after a TLB flush (the workload's, or one of TCG's own), so the window
# decides how many of the hot pages a period sees, and of the cold ones.
# One run each: 20 ms settled within 7.4, 9.2 and 4.7 periods with 1.04
# promoted per hot byte at worst; 100 ms within about 8, 3 and 3 periods
# (a coarser count) but promoted 1.99 per hot byte (cold pages seen in 3
# of 4 windows); 50 ms within 3.6, 8.2, 3.1 and 4.6, 2.7, 3.9 periods
# with 1.21 and 1.26.
sample=50ms

cat >"$conf" <<EOF
global:
  period: ${period}s
  sample: $sample
  socket: $sock
  log_level: debug
policies:
  - name: hog
    match:
      kubernetes: {pod_uid: $b_uid, level: pod}
    fast_quota: 64Mi
    demote_rate: max
  - name: tenant
    match:
      kubernetes: {qos: guaranteed, level: pod}
    hot_age: 8s
    hot_hits: 3
    hot_in_fast: 95%
    promote_rate: max
EOF


# fast_bytes CGROUP: its bytes on node 0 (memory.numa_stat anon + file)
fast_bytes() {
	awk '$1 == "anon" || $1 == "file" { for (i = 2; i <= NF; i++) if ($i ~ /^N0=/) { sub(/^N0=/, "", $i); s += $i } }
	     END { printf "%d", s }' "$cg/$1/memory.numa_stat"
}

# status_field FIELD: FIELD of the tenant's unit in the status JSON in
# $_json (periods: the daemon's period count)
status_field() {
	if [ "$1" = periods ]; then
		printf '%s\n' "$_json" | sed -n 's/.*"periods":\([0-9]*\).*/\1/p'
	else
		printf '%s\n' "$_json" | sed 's/},{/}\n{/g' | grep "\"cgroup\":\"$a_pod\"" |
			sed -n "s/.*\"$1\":\\([^,}]*\\).*/\\1/p"
	fi
}

# sampler: every 2 s, t, B's fast bytes, the daemon's promoted bytes and
# hot-in-fast % for A and its period count, from one status request (the
# daemon answers between periods, so a request can wait for one: t is when
# the answer came), the kernel's promotions
sampler() {
	_t0=$(cut -d' ' -f1 /proc/uptime)
	while :; do
		_json=$(cgtierctl --socket "$sock" --json status 2>/dev/null)
		_now=$(cut -d' ' -f1 /proc/uptime)
		echo "t=$(awk -v a="$_now" -v b="$_t0" 'BEGIN { printf "%.1f", a - b }')" \
			"b_fast=$(fast_bytes "$b_pod")" \
			"promoted=$(status_field promoted)" "hif=$(status_field hot_in_fast_pct)" \
			"periods=$(status_field periods)" \
			"pgpromote=$(awk '$1 == "pgpromote_success" { print $2 }' /proc/vmstat)"
		sleep 2
	done
}

# run MODE: daemon or upstream; prints the run's table row and checks
run() {
	mode=$1
	label=$2
	mkcg "$b"
	mkcg "$a"
	if [ "$mode" = upstream ]; then
		echo 2 >/proc/sys/kernel/numa_balancing
		echo 1 >/sys/kernel/mm/numa/demotion_enabled
	else
		echo 0 >/proc/sys/kernel/numa_balancing
		if [ "$tenants_daemon" = systemd ]; then
			_since=$(date '+%Y-%m-%d %H:%M:%S')
			systemctl restart cgtierd.service
		else
			cgtierd --config "$conf" --policies /tmp/no-dropins >/tmp/cgtierd.log 2>&1 &
			daemon=$!
		fi
	fi
	(echo 0 >"$cg/$b/cgroup.procs" &&
		exec cgtier-workload -s 600 -p stream -w 1 -n 100000 -q >/tmp/b.out 2>&1) &
	bpid=$!
	sleep 10
	(echo 0 >"$cg/$a/cgroup.procs" &&
		exec cgtier-workload -s 400 --place 1 -p moving -H $hot_mib -m 30 -w 2 -n 40 $tlb \
			>/tmp/a.out 2>&1) &
	apid=$!
	# t=0 of the sampler: A's windows start (its pages are placed)
	while ! grep -q '^# place' /tmp/a.out 2>/dev/null && kill -0 $apid 2>/dev/null; do
		sleep 1
	done
	sampler >/tmp/samples.out &
	spid=$!
	wait $apid
	arc=$?
	kill $spid
	wait $spid 2>/dev/null
	kill $bpid
	wait $bpid 2>/dev/null
	if [ "$mode" = daemon ] && [ "$tenants_daemon" = systemd ]; then
		systemctl stop cgtierd.service
		drc=0
		[ "$(systemctl show -P Result cgtierd.service)" = success ] || drc=1
		journalctl -q -o cat -u cgtierd.service --since "$_since" >/tmp/cgtierd.log
		backend=$(sed -n 's/^backend: //p' /tmp/cgtierd.log | head -n 1)
		label="$label under systemd ($backend backend)"
	elif [ "$mode" = daemon ]; then
		kill -TERM $daemon
		wait $daemon
		drc=$?
		backend=$(sed -n 's/.*notice: backend: //p' /tmp/cgtierd.log | head -n 1)
		label="$label ($backend backend)"
	fi
	ooms=$(cat "$cg/$a_pod/memory.events" "$cg/$b_pod/memory.events" |
		awk '$1 == "oom_kill" { s += $2 } END { print s + 0 }')
	grep '^window=' /tmp/a.out | sed "s/^/# $mode A: /"
	sed "s/^/# $mode sample: /" /tmp/samples.out
	[ "$mode" = daemon ] && sed "s/^/# $mode cgtierd: /" /tmp/cgtierd.log | grep -v 'fast-tier limit' | head -n 150
	# The figures, from the windows (2 s each; the hot set moves at 30 s,
	# 60 s) and the samples.
	awk -v moves=$moves -v hot=$hot_mib -v mode="$mode" -v label="$label" \
	    -v ooms="$ooms" -v verify="$(grep -c '^verify=ok' /tmp/a.out)" '
		FILENAME ~ /a.out/ && /^window=/ {
			for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
			# the hot set the window measured, as the workload counts
			# them (a window that ends past the last move measures a
			# hot set outside the benchmark: left out)
			e = f["hot_epoch"] + 0; if (e >= moves) next
			if (!(e in settle) && f["hot_fast"] >= 0.95) settle[e] = f["t"] - 30 * e
			if ((e in settle) && (!(e in low) || f["hot_fast"] < low[e])) low[e] = f["hot_fast"]
			last_hf = f["hot_fast"]; last_t = f["t"]
		}
		FILENAME ~ /samples/ {
			for (i = 1; i <= NF; i++) { split($i, kv, "="); s[kv[1]] = kv[2] }
			if (s["t"] >= 2 * 1 && s["b_fast"] > bmax) bmax = s["b_fast"]
			se = int(s["t"] / 30); if (se >= moves) se = moves - 1
			if (s["promoted"] != "" && s["promoted"] != "null") { if (!(se in p0)) p0[se] = prev_p; p1[se] = s["promoted"]; prev_p = s["promoted"] }
			if (s["pgpromote"] != "") { if (!(se in k0)) k0[se] = (prev_k == "" ? s["pgpromote"] : prev_k); k1[se] = s["pgpromote"]; prev_k = s["pgpromote"] }
			hif = s["hif"]
			if (s["periods"] != "") { ns++; st_t[ns] = s["t"]; st_p[ns] = s["periods"] }
		}
		# periods(T): the daemon periods run by time T, interpolated
		# between the samples around it (a sample is 2-8 s apart under
		# TCG, a period 2-4.5 s)
		function periods(T,   i) {
			if (!ns) return -1
			if (T <= st_t[1]) return st_p[1]
			for (i = 2; i <= ns; i++)
				if (st_t[i] >= T)
					return st_p[i - 1] + (st_p[i] - st_p[i - 1]) * (T - st_t[i - 1]) / (st_t[i] - st_t[i - 1])
			return st_p[ns]
		}
		END {
			row = sprintf("%-34s", label); worst = 0; ratio_max = 0; pworst = 0
			for (e = 0; e < moves; e++) {
				np = (e in settle && ns) ? periods(30 * e + settle[e]) - periods(30 * e) : -1
				st = (e in settle) ? sprintf("%3.0fs/%sp", settle[e], np < 0 ? "?" : sprintf("%.1f", np)) : "never"
				row = row sprintf(" %8s", st)
				if (!(e in settle)) worst = 999; else if (settle[e] > worst) worst = settle[e]
				if (!(e in settle) || np < 0) pworst = 999; else if (np > pworst) pworst = np
				if ((e in low) && (min_low == "" || low[e] < min_low)) min_low = low[e]
				if (mode == "daemon") moved = p1[e] - p0[e]; else moved = (k1[e] - k0[e]) * 4096
				r = moved / (hot * 1048576); if (r > ratio_max) ratio_max = r
				row = row sprintf(" %5.2f", r)
			}
			row = row sprintf(" | low %.3f | B max %6.1f MiB | cgtierd %s%% vs %.1f%% | verify %s | oom %d",
				min_low, bmax / 1048576, hif == "" ? "-" : hif, last_hf * 100, verify ? "ok" : "FAIL", ooms)
			print "# table: " row
			printf "settle_max=%s settle_periods_max=%s low=%s ratio_max=%.3f bmax=%d hif=%s last_hf=%s verify=%d ooms=%d\n",
				worst, pworst, min_low == "" ? 0 : min_low, ratio_max, bmax, (hif == "" || hif == "null") ? -1 : hif, last_hf, verify, ooms > "/tmp/figures"
		}' /tmp/a.out /tmp/samples.out
	figures=$(cat /tmp/figures)
	note "$mode figures: $figures"
	t "$label: the tenant ran and its contents verified" test "$arc" -eq 0 -a "$(grep -c '^verify=ok' /tmp/a.out)" = 1
	t "$label: no OOM kill" test "$ooms" = 0
	[ "$mode" = daemon ] && t "$label: cgtierd stopped cleanly" test "$drc" -eq 0
	echo 0 >/proc/sys/kernel/numa_balancing
	rmdir "$cg/$a" "$cg/$a_pod" "$cg/$b" "$cg/$b_pod" 2>/dev/null
}

# fig NAME: a figure of the last run
fig() {
	sed -n "s/^/ /; s/.* $1=\\([^ ]*\\).*/\\1/p" /tmp/figures
}

note "table: run                                settle e0 r0     e1 r1     e2 r2 (s/periods; promoted/hot per move) | lowest hot_fast after settling | B's fast tier | cgtierd's hot-in-fast vs ground truth"
mkdir -p "$cg/probe.tmp"
if [ -e "$cg/probe.tmp/memory.tier.stat" ]; then
	rmdir "$cg/probe.tmp"
	run daemon "cgtierd"
	t "cgtierd: bytes promoted per byte of hot set, per move, <= 1.5" \
		awk -v r="$(fig ratio_max)" 'BEGIN { print "worst " r; exit !(r <= 1.5) }'
	t "cgtierd: B never above its quota + 2 MiB after the first period" \
		awk -v b="$(fig bmax)" 'BEGIN { print "B max " b; exit !(b <= 66 * 1048576) }'
	# Settling is counted in the daemon's periods, which stretch with the
	# host's load as the workload slows with it (seconds do not: 8-24 s
	# seen); the count is interpolated between the status samples.
	t "cgtierd: the hot set is >= 95 % in the fast tier within 10 periods of A's start and of each move" \
		awk -v p="$(fig settle_periods_max)" 'BEGIN { print "slowest " p " periods"; exit !(p >= 0 && p <= 10) }'
	# Printed, not asserted: the lowest share after settling (0.955-0.977
	# seen) and the two figures' agreement (cgtierd's at its last period,
	# the workload's at its last window).
	note "cgtierd: slowest settling $(fig settle_max) s, $(fig settle_periods_max) periods of the daemon (item 2: within 10 periods; a period is ${period} s or the time its work takes, 2.5-4.5 s under TCG); lowest hot_fast after settling $(fig low) (item 2: >= 0.95)"
	note "cgtierd: hot-in-fast $(fig hif) % by cgtierd, $(awk -v g="$(fig last_hf)" 'BEGIN { print 100 * g }') % by the ground truth (item 2: within 3 points)"
else
	rmdir "$cg/probe.tmp"
	run daemon "cgtierd"
	[ "$tenants_daemon" = systemd ] || run upstream "upstream tiering (numa_balancing=2)"
fi
