# cgtierd - the daemon on the guest, as an admin runs it: Kubernetes-style
# cgroups (kubelet's systemd driver, containerd scopes), a configuration
# with a per-pod fast-tier quota, the memory.tier backend on our kernel.
# Checks the quota is enforced through memory.tier.max within a few
# periods, that a broken reload keeps the old configuration, that a
# cgroup removed and recreated at the same path is handled, and that
# SIGTERM stops the daemon cleanly.  Run by `cgtier-testbed run cgtierd`.

cg=/sys/fs/cgroup
fast=$(fast_tier)
qos=kubepods.slice/kubepods-burstable.slice
hog_uid=0b9f4c2e-5d6a-4e1b-9a7c-3f2d1e0c9b8a
hog_pod=$qos/kubepods-burstable-pod$(echo "$hog_uid" | tr - _).slice
hog=$hog_pod/cri-containerd-3f5a9c1b2d4e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8.scope
tenant_uid=7c1e0b2a-3d4f-4a5b-8c6d-9e0f1a2b3c4d
tenant_pod=kubepods.slice/kubepods-pod$(echo "$tenant_uid" | tr - _).slice
tenant=$tenant_pod/cri-containerd-9d8c7b6a5f4e3d2c1b0a9d8c7b6a5f4e3d2c1b0a9d8c7b6a5f4e3d2c1b0a9d8c.scope
conf=/tmp/cgtierd.yaml
log=/tmp/cgtierd.log


write_config() {
	cat >"$conf" <<EOF
global:
  period: 1s
  socket: off
  log_level: info
policies:
  - name: hog
    match:
      kubernetes:
        pod_uid: $hog_uid
        level: pod
    fast_quota: $1
    demote_rate: max
  - name: tenant
    match:
      kubernetes:
        qos: guaranteed
        level: pod
    hot_age: 2s
    hot_in_fast: 95%
    promote_rate: max
EOF
}

# charged CGROUP: bytes of CGROUP in the fast tier (memory.tier.stat)
charged() {
	awk -v t="$fast" '$1 == t { for (i = 2; i <= NF; i++) if ($i ~ /^charged=/) { sub(/^charged=/, "", $i); print $i } }' \
		"$cg/$1/memory.tier.stat"
}

# wait_for N COMMAND...: up to N seconds (about N periods) for COMMAND
wait_for() {
	_n=$1
	shift
	while [ "$_n" -gt 0 ]; do
		"$@" && return 0
		sleep 1
		_n=$((_n - 1))
	done
	"$@"
}

limit_is() {
	grep -qx "$fast $1" "$cg/$hog_pod/memory.tier.max"
}

within_quota() {
	_c=$(charged "$hog_pod")
	echo "hog pod fast tier: $_c bytes"
	[ "$_c" -le $((64 * 1048576 + 2 * 1048576)) ]
}

start_hog() {
	mkcg "$hog"
	(echo 0 >"$cg/$hog/cgroup.procs" &&
		exec cgtier-workload -s 256 -p stream -w 1 -n 100000 -q >/tmp/hog.out 2>&1) &
	hog_pid=$!
}

stop_hog() {
	kill "$hog_pid" 2>/dev/null
	wait "$hog_pid" 2>/dev/null
	rmdir "$cg/$hog" "$cg/$hog_pod"
}

alive() {
	kill -0 "$daemon"
}

write_config 64Mi
t "cgtierd: the configuration checks" cgtierd --check-config "$conf" -- "$hog"
cgtierd --config "$conf" --policies /tmp/no-dropins >"$log" 2>&1 &
daemon=$!
start_hog
t "cgtierd: picks the memory.tier backend" wait_for 10 grep -q "backend: memory.tier" "$log"
t "cgtierd: sets the hog pod's fast-tier limit to its quota" wait_for 10 limit_is 67108864
t "cgtierd: the hog pod stays within its quota + 2 MiB" wait_for 10 within_quota
note "hog memory.tier.stat: $(grep "^$fast " "$cg/$hog_pod/memory.tier.stat")"

# A tenant whose pages all start on the slow tier: its hot set comes up.
mkcg "$tenant"
(echo 0 >"$cg/$tenant/cgroup.procs" &&
	exec cgtier-workload -s 200 --place 1 -p hotset -H 48 -f 100 -w 2 -n 12 >/tmp/tenant.out 2>&1)
t "cgtierd: the tenant's workload ran and verified its pages" grep -q "^verify=ok" /tmp/tenant.out
grep -v '^window=' /tmp/tenant.out | sed 's/^/# tenant: /'
grep '^window=' /tmp/tenant.out | sed 's/^/# tenant: /'
# hit = share of the accesses (all to the 48 MiB hot set) on the fast tier
t "cgtierd: the tenant's hot set is >= 95% in the fast tier by the end" \
	awk '/^window=/ { for (i = 1; i <= NF; i++) if ($i ~ /^hit=/) { sub(/^hit=/, "", $i); h = $i } }
	     END { print "last window hit " h; exit !(h >= 0.95) }' /tmp/tenant.out
t "cgtierd: logged the tenant's promotion" grep -q "$tenant_pod: moved" "$log"
rmdir "$cg/$tenant" "$cg/$tenant_pod"

# A bad reload keeps the old configuration (and the limit).
echo "policies: [ {name: hog, fast_quota: lots} ]" >"$conf"
kill -HUP "$daemon"
t "cgtierd: a broken reload is refused" wait_for 10 grep -q "reload failed" "$log"
t "cgtierd: still running after the broken reload" alive
t "cgtierd: the limit is unchanged" limit_is 67108864

# A good reload applies the new quota.
write_config 32Mi
kill -HUP "$daemon"
t "cgtierd: a reload with a new quota applies it" wait_for 10 limit_is 33554432

# The pod goes away and comes back at the same path: a new cgroup.
stop_hog
sleep 2
t "cgtierd: survives its pod going away" alive
start_hog
t "cgtierd: limits the recreated pod" wait_for 10 limit_is 33554432
stop_hog

kill -TERM "$daemon"
wait "$daemon"
rc=$?
t "cgtierd: SIGTERM stops it with status 0" test "$rc" -eq 0
t "cgtierd: logged no error" sh -c "! grep -v 'reload failed\|err: /tmp/cgtierd.yaml' '$log' | grep -q ': err:'"
sed 's/^/# cgtierd: /' "$log"
