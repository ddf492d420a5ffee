# cgtier-root: debian
# systemd - cgtierd as an admin runs it: Debian 12 with systemd as PID 1,
# the cgtierd package installed with apt from the .deb `make deb` built,
# its unit used as shipped.  Checks that the unit starts and shows the
# backend, that `systemctl reload` with a broken configuration fails and
# keeps the old one, that a stopped main loop gets the daemon killed by the
# watchdog and restarted, the journal's priorities, the unit's exposure
# score next to systemd-oomd's and earlyoom's (measured the same way), the
# daemon issue's benchmark (the tenants suite) with cgtierd running under
# the hardened unit, and that a broken configuration at start-up leaves
# the unit failed instead of restarting it.  Runs on our kernel
# (memory.tier backend) and on stock 6.12 (stock backend).
# Run by `cgtier-testbed run systemd` and `cgtier-testbed run --stock systemd`.

unit=cgtierd.service

# wait_for N COMMAND...: up to N seconds for COMMAND to succeed
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

prop() {
	systemctl show -P "$1" "$unit"
}

is_active() {
	[ "$(systemctl is-active "$unit")" = active ]
}

note "booted: $(systemctl is-system-running 2>&1); $(grep -c . /proc/self/mountinfo) mounts"
systemctl --failed --no-legend --plain | sed 's/^/# failed unit: /'

t "the system booted with systemd as PID 1" sh -c 'test "$(cat /proc/1/comm)" = systemd'
# (no network in the guest: the dependencies are in the image already)
t "the package's dependencies resolve offline: apt install ./cgtierd_*.deb" \
	sh -c 'cd /cgtier/deb && ls cgtierd_*.deb && DEBIAN_FRONTEND=noninteractive apt install -y -q ./cgtierd_*.deb'
if ! dpkg -s cgtierd >/dev/null 2>&1; then
	echo "not ok - the rest of the suite: cgtierd is not installed"
	return 0
fi
t "the package installed the unit, the daemon, its client and the configuration" \
	sh -c 'dpkg -L cgtierd | grep -E "/cgtierd.service$|/sbin/cgtierd$|/sbin/cgtierctl$|^/etc/cgtierd/cgtierd.yaml$" && test -x /usr/sbin/cgtierd'
systemctl cat "$unit" | sed 's/^/# unit: /'
# As Debian daemons are, the package enabled and started it (with the
# packaged configuration: no policy, nothing done); the admin then writes
# a policy and starts it anew.
t "the package enabled and started the unit" \
	sh -c "systemctl is-enabled $unit && systemctl is-active $unit"
systemctl stop "$unit"

# cgtierd moves pages; NUMA balancing would move them too
echo 0 >/proc/sys/kernel/numa_balancing
# A policy as an admin writes one: a drop-in for a batch pod's quota.
cat >/etc/cgtierd/policies.d/batch.yaml <<'EOF'
policies:
  - name: batch
    match:
      kubernetes: {qos: besteffort, level: pod}
    fast_quota: 64Mi
EOF
t "cgtierd --check-config accepts the configuration" cgtierd --check-config

t "systemctl start cgtierd: active" sh -c "systemctl start $unit && systemctl is-active $unit"
t "systemctl status shows the backend" wait_for 20 sh -c "systemctl status $unit | grep -q 'Status: \".*backend'"
systemctl status --no-pager "$unit" 2>&1 | sed 's/^/# status: /'
is_active || journalctl -q -u "$unit" --no-pager | tail -n 30 | sed 's/^/# journal: /'
backend=$(prop StatusText | sed -n 's/.*backend \([a-z.]*\).*/\1/p')
note "backend: $backend"
if [ -e /sys/fs/cgroup/system.slice/memory.tier.stat ]; then want=memory.tier; else want=stock; fi
t "the backend is the one the kernel offers ($want)" test "$backend" = "$want"
t "cgtierctl status answers over the unit's socket" cgtierctl status

# The hardened unit still lets the daemon do its work: a BestEffort pod
# over the batch policy's 64 MiB quota is brought within it (our kernel:
# memory.tier.max; stock: the daemon's own move_pages(2) over pagemap,
# which needs the unit's capabilities and system calls).
be_pod=kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod5d1c2b3a_4e5f_4a6b_8c7d_9e0f1a2b3c4d.slice
be=$be_pod/cri-containerd-1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809.scope
mkcg "$be"
(echo 0 >"/sys/fs/cgroup/$be/cgroup.procs" &&
	exec cgtier-workload -s 160 -p stream -w 1 -n 0 -q >/dev/null 2>&1) &
be_pid=$!
be_fast() {
	awk '$1 == "anon" || $1 == "file" { for (i = 2; i <= NF; i++) if ($i ~ /^N0=/) { sub(/^N0=/, "", $i); s += $i } }
	     END { printf "%d", s }' "/sys/fs/cgroup/$be_pod/memory.numa_stat"
}
be_within() { [ "$(be_fast)" -gt 0 ] && [ "$(be_fast)" -le $((66 * 1048576)) ]; }
sleep 5
t "under the unit: a BestEffort pod is brought within its 64 MiB quota + 2 MiB" wait_for 60 be_within
note "the BestEffort pod: $(be_fast) bytes on node 0; $(cgtierctl status | grep -c besteffort) status line(s)"
kill "$be_pid"
wait "$be_pid" 2>/dev/null
rmdir "/sys/fs/cgroup/$be" "/sys/fs/cgroup/$be_pod"
t "the journal has the daemon's lines with their priorities" \
	sh -c "journalctl -q -u $unit -o json | grep -q '\"PRIORITY\":\"5\"'"

pid0=$(prop MainPID)
cp /etc/cgtierd/cgtierd.yaml /tmp/cgtierd.yaml.good
echo "policies: [ {name: broken, fast_quota: lots} ]" >/etc/cgtierd/policies.d/broken.yaml
t "systemctl reload with a broken configuration fails" \
	sh -c "systemctl is-active $unit && ! systemctl reload $unit"
t "the daemon is still active after the broken reload, same process" \
	sh -c "systemctl is-active $unit && test \"\$(systemctl show -P MainPID $unit)\" = $pid0"
t "the broken reload is logged at priority err with file:line:column" \
	sh -c "journalctl -q -u $unit -p err | grep -E 'broken.yaml:[0-9]+:[0-9]+'"
t "the configuration in force is the old one (the batch policy)" \
	sh -c "cgtierctl --json status >/dev/null && journalctl -q -u $unit | grep -q 'configuration unchanged\|in force is unchanged'"
rm /etc/cgtierd/policies.d/broken.yaml
t "systemctl reload with a good configuration succeeds" systemctl reload "$unit"

# The watchdog: a main loop that stops turning gets the daemon killed and
# restarted (Restart=on-failure).
restarts0=$(prop NRestarts)
note "watchdog: WatchdogUSec=$(prop WatchdogUSec), NRestarts=$restarts0, MainPID=$pid0"
kill -STOP "$pid0"
t "a stopped main loop: the watchdog kills the daemon and systemd restarts it" \
	wait_for 150 sh -c "test \"\$(systemctl show -P NRestarts $unit)\" -gt $restarts0 && systemctl is-active $unit"
pid1=$(prop MainPID)
t "the restarted daemon is a new process" test "$pid1" != "$pid0" -a "$pid1" != 0
t "the journal says why: watchdog timeout" sh -c "journalctl -q -u $unit | grep -i 'watchdog timeout'"
t "after the restart the daemon is ready again" wait_for 30 sh -c "systemctl status $unit | grep -q 'Status: \".*backend'"

# Exposure scores, measured the same way (systemd-analyze security on the
# loaded units) for cgtierd and the two OOM daemons Debian ships.
for u in cgtierd systemd-oomd earlyoom; do
	s=$(systemd-analyze security --no-pager "$u.service" 2>/dev/null |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	eval "score_$(echo "$u" | tr - _)=\${s:-none}"
	note "systemd-analyze security $u.service: ${s:-none}"
done
systemd-analyze security --no-pager "$unit" 2>&1 | grep -v '^  ✓' | sed 's/^/# security: /'
t "cgtierd's exposure score is lower than systemd-oomd's and earlyoom's" \
	awk -v c="$score_cgtierd" -v o="$score_systemd_oomd" -v e="$score_earlyoom" \
	'BEGIN { print "cgtierd " c ", systemd-oomd " o ", earlyoom " e; exit !(c + 0 > 0 && c + 0 < o + 0 && c + 0 < e + 0) }'

# The daemon issue's benchmark with cgtierd under the hardened unit, on
# our kernel (on stock, the pod above showed the stock backend at work
# under the unit; its benchmark is stock-tenants.test, run by hand).
rm -f /etc/cgtierd/policies.d/batch.yaml
if [ "$want" = memory.tier ]; then
	tenants_daemon=systemd
	. /cgtier/suites/tenants.sh
fi

t "systemctl stop cgtierd: inactive, no failure" \
	sh -c "systemctl stop $unit; systemctl is-active $unit; test \"\$(systemctl show -P Result $unit)\" = success"

# What a restart cannot cure: with no valid configuration at start-up the
# daemon exits 78 (EX_CONFIG) and the unit's RestartPreventExitStatus=
# leaves it failed, instead of a restart every RestartSec= (5 s) for ever.
echo "policies: [ {name: broken, fast_quota: lots} ]" >/etc/cgtierd/policies.d/broken.yaml
systemctl start "$unit" 2>/dev/null
sleep 12
note "a broken configuration at start: $(systemctl show -p ActiveState -p Result -p ExecMainStatus -p NRestarts "$unit" | tr '\n' ' ')"
t "a broken configuration at start: exit status 78, the unit failed, not restarted (12 s later)" \
	sh -c "systemctl is-failed -q $unit && test \"\$(systemctl show -P ExecMainStatus $unit)\" = 78 &&
		test \"\$(systemctl show -P NRestarts $unit)\" = 0"
rm /etc/cgtierd/policies.d/broken.yaml
t "the configuration fixed, systemctl start works again" \
	sh -c "systemctl start $unit && systemctl is-active $unit && systemctl stop $unit"
journalctl -q -u "$unit" -p warning --no-pager | tail -n 40 | sed 's/^/# journal warning+: /'
