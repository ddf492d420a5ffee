# cgtier-root: debian
# demo.sh - the quick-start demo (make demo), in the Debian guest with
# systemd: the guest's memory tiers, the cgtierd package installed with apt
# and its unit started, then cgtierd keeping a tenant's hot set in the fast
# tier while a hog with a fast-tier quota streams through memory, two pods
# made as kubelet makes them (the tenants suite's scenario, shorter), with
# `systemctl status` and cgtierctl's table while they run.  Not a test suite.

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
		printf "# %6s %7s %8s %7s %9s %9s %9s\n", "window", "t(s)", "Maccess",
		       "hit", "hot_fast", "N0(MiB)", "N1(MiB)"
	}
	/^window=/ {
		printf "# %6s %7.1f %8.1f %7s %9s %9.1f %9.1f\n", v("window"), v("t"),
		       v("accesses") / 1e6, v("hit"), v("hot_fast"),
		       v("node0_bytes") / 1048576, v("node1_bytes") / 1048576
	}
	/^verify=/ { print "# " $0 }' "$1"
}

note "== memory tiers =="
t_topology --print | sed 's/^/# /'

note ""
note "== cgtierd: two pods, node 0 (512 MiB) too small for both =="
cg=/sys/fs/cgroup
b_pod=kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0b9f4c2e_5d6a_4e1b_9a7c_3f2d1e0c9b8a.slice
b=$b_pod/cri-containerd-3f5a9c1b2d4e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8.scope
a_pod=kubepods.slice/kubepods-pod7c1e0b2a_3d4f_4a5b_8c6d_9e0f1a2b3c4d.slice
a=$a_pod/cri-containerd-9d8c7b6a5f4e3d2c1b0a9d8c7b6a5f4e3d2c1b0a9d8c7b6a5f4e3d2c1b0a9d8c.scope
sock=/run/cgtierd/cgtierd.sock
# cgtierd places pages; NUMA balancing (on by default) would move them too
echo 0 >/proc/sys/kernel/numa_balancing
note "apt install ./cgtierd_*.deb"
(cd /cgtier/deb && DEBIAN_FRONTEND=noninteractive apt install -y -q ./cgtierd_*.deb) 2>&1 |
	tail -n 3 | sed 's/^/# /'
cat >/etc/cgtierd/cgtierd.yaml <<CONF
global: {period: 2s, sample: 20ms}
policies:
  - name: hog                       # the batch pod: 64 MiB of the fast tier
    match: {kubernetes: {pod_uid: 0b9f4c2e-5d6a-4e1b-9a7c-3f2d1e0c9b8a, level: pod}}
    fast_quota: 64Mi
    demote_rate: max
  - name: tenant                    # guaranteed pods: their hot set in DRAM
    match: {kubernetes: {qos: guaranteed, level: pod}}
    hot_age: 8s
    hot_hits: 3
    hot_in_fast: 95%
    promote_rate: max
CONF
note "/etc/cgtierd/cgtierd.yaml:"
sed 's/^/#   /' /etc/cgtierd/cgtierd.yaml
mkcg "$b"
mkcg "$a"
systemctl restart cgtierd.service
note "systemctl status cgtierd:"
systemctl status --no-pager cgtierd.service 2>&1 | head -n 12 | sed 's/^/#   /'
since=$(date '+%Y-%m-%d %H:%M:%S')
note "B (the hog): cgtier-workload, 600 MiB, streaming; A (the tenant) starts 10 s later:"
note "400 MiB, all of it placed on node 1 first, a 48 MiB hot set that moves after 30 s"
(echo 0 >"$cg/$b/cgroup.procs" && exec cgtier-workload -s 600 -p stream -w 1 -n 100000 -q >/dev/null 2>&1) &
hog=$!
sleep 10
(echo 0 >"$cg/$a/cgroup.procs" &&
	exec cgtier-workload -s 400 --place 1 -p moving -H 48 -m 30 -w 2 -n 25 --tlb-flush-ms 100 \
		>/tmp/workload.out 2>&1) &
tenant=$!
for at in 15 30 45; do
	sleep 15
	note ""
	note "-- cgtierctl status, ~$at s after A started --"
	cgtierctl --socket "$sock" status 2>&1 | sed 's/^/# /'
done
wait $tenant
rc=$?
note ""
note "A's windows: hit = its accesses on the fast tier; hot_fast = its hot set's share there"
table /tmp/workload.out
kill $hog
wait $hog 2>/dev/null
note ""
note "systemctl status cgtierd:"
systemctl status --no-pager cgtierd.service 2>&1 | head -n 6 | sed 's/^/#   /'
systemctl stop cgtierd.service
drc=0
[ "$(systemctl show -P Result cgtierd.service)" = success ] || drc=1
note "journalctl -u cgtierd (without the per-period moves):"
journalctl -q -u cgtierd.service --since "$since" --no-pager |
	grep -v 'fast-tier limit\|: moved ' | tail -n 20 | sed 's/^/#   /'
if [ $rc -eq 0 ] && [ $drc -eq 0 ]; then
	echo "ok - two pods under cgtierd"
else
	sed 's/^/# /' /tmp/workload.out
	echo "not ok - two pods under cgtierd (workload $rc, cgtierd $drc)"
fi
