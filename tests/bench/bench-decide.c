// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench-decide.c - the cost of one control cycle (make bench-decide).
 *
 *   bench-decide --generate DIR N   write a fixture tree of N cgroups below
 *                                   DIR: a kubepods tree of our kernel (two
 *                                   tiers), pods of four containers
 *   bench-decide DIR                run one acquire + decide cycle on it, in
 *                                   bench_cycle() (what callgrind
 *                                   --toggle-collect counts)
 *   bench-decide --loop DIR         run the daemon's whole period
 *                                   (cgt_loop_period(): topology, acquire,
 *                                   backend, hotness, decide, act) twice,
 *                                   then the report the control socket and
 *                                   /metrics serve; the second period and
 *                                   the report in bench_period(): the steady
 *                                   state, where the first one wrote every
 *                                   unit's memory.tier.max
 *
 * Writes only below DIR; reads only below DIR.
 *
 * valgrind before 3.20 does not know openat2(2), which libcgtier uses for
 * every open: this program (and only it) answers ENOSYS from openat2 with
 * openat(2) and O_NOFOLLOW, which is enough on the generated tree (it has
 * no symlinks).  Callgrind counts user-space instructions only, so the
 * number is the same either way up to the few instructions of the shim.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgtier/topology.h"
#include "cgtierd/acquire.h"
#include "cgtierd/decide.h"
#include "cgtierd/loop.h"
#include "cgtierd/report.h"

static const char cfg_yaml[] =
	"global: {reserve: 2%}\n"
	"policies:\n"
	"  - name: guaranteed\n"
	"    match: {kubernetes: {qos: guaranteed}}\n"
	"    fast_min: 1%\n"
	"    priority: 900\n"
	"  - name: burstable\n"
	"    match: {kubernetes: {qos: burstable}}\n"
	"    fast_quota: 10%\n"
	"    priority: 500\n"
	"  - name: rest\n"
	"    match: {cgroups: ['system.slice/**']}\n"
	"    mode: observe\n";

/* The benchmark's configuration, or NULL (the reason on stderr). */
static struct cgt_config *bench_config(void)
{
	struct cgt_config *cfg = cgt_config_new();
	struct cgt_diag d;

	cgt_diag_init(&d);
	if (!cfg || cgt_config_parse(cfg, "bench.yaml", cfg_yaml, strlen(cfg_yaml), true, &d) ||
	    cgt_config_finish(cfg, &d)) {
		fprintf(stderr, "bench-decide: config: %s\n", d.n ? d.msg[0] : "no memory");
		cgt_config_free(cfg);
		cfg = NULL;
	}
	cgt_diag_clear(&d);
	return cfg;
}

/* libc's syscall(2) with openat2 emulated when the kernel (valgrind) lacks it. */
long syscall(long nr, ...)
{
	long (*real)(long, ...) = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	long a[6], r;
	va_list ap;

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	r = real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r < 0 && errno == ENOSYS && nr == SYS_openat2) {
		const struct open_how *how = (const struct open_how *)a[2];
		int flags = (int)how->flags;

		if (how->resolve & RESOLVE_NO_SYMLINKS)
			flags |= O_NOFOLLOW;
		r = openat((int)a[0], (const char *)a[1], flags, (mode_t)how->mode);
	}
	return r;
}

static int put(const char *dir, const char *rel, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (!text)
		return mkdir(path, 0755) < 0 && errno != EEXIST ? -errno : 0;
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 0;
}

static int put_cgroup(const char *dir, const char *rel, unsigned i)
{
	static const char *const files[] = {
		"memory.current", "memory.tier.stat", "memory.tier.max", "memory.numa_stat",
	};
	unsigned long long fast = (i % 97 + 1) << 20, slow = (i % 53) << 20;
	char text[4][512], path[PATH_MAX];
	int r;

	snprintf(text[0], sizeof(text[0]), "%llu\n", fast + slow + 65536);
	snprintf(text[1], sizeof(text[1]),
		 "tier4 charged=%llu anon=%llu file=0 promoted=%u demoted=%u demoted_reclaim=0 "
		 "demoted_request=0 demote_failed=0 demoted_quota=0 redirected=0\n"
		 "tier22 charged=%llu anon=%llu file=0 promoted=0 demoted=0 demoted_reclaim=0 "
		 "demoted_request=0 demote_failed=0 demoted_quota=0 redirected=0\n",
		 fast, fast, i, i, slow, slow);
	snprintf(text[2], sizeof(text[2]), "tier4 max\ntier22 max\n");
	snprintf(text[3], sizeof(text[3]), "anon N0=%llu N1=%llu\nfile N0=0 N1=0\n", fast, slow);
	r = put(dir, rel, NULL);
	for (int f = 0; r == 0 && f < 4; f++) {
		snprintf(path, sizeof(path), "%s/%s", rel, files[f]);
		r = put(dir, path, text[f]);
	}
	return r;
}

static int generate(const char *dir, unsigned n)
{
	static const char *const dirs[] = {
		"sys", "sys/devices", "sys/devices/system", "sys/devices/system/node",
		"sys/devices/system/node/node0", "sys/devices/system/node/node1",
		"sys/devices/virtual", "sys/devices/virtual/memory_tiering",
		"sys/devices/virtual/memory_tiering/memory_tier4",
		"sys/devices/virtual/memory_tiering/memory_tier22", "sys/fs", "sys/fs/cgroup",
	};
	const char *base = "sys/fs/cgroup/kubepods.slice";
	const char *qos = "kubepods-burstable.slice";
	char pod[512], rel[PATH_MAX];
	unsigned made = 0, p = 0;
	int r = 0;

	for (size_t i = 0; r == 0 && i < sizeof(dirs) / sizeof(dirs[0]); i++)
		r = put(dir, dirs[i], NULL);
	if (r == 0)
		r = put(dir, "sys/devices/system/node/has_memory", "0-1\n");
	if (r == 0)
		r = put(dir, "sys/devices/system/node/has_cpu", "0\n");
	if (r == 0)
		r = put(dir, "sys/devices/system/node/node0/meminfo",
			"Node 0 MemTotal: 67108864 kB\nNode 0 MemFree: 8388608 kB\n");
	if (r == 0)
		r = put(dir, "sys/devices/system/node/node1/meminfo",
			"Node 1 MemTotal: 268435456 kB\nNode 1 MemFree: 134217728 kB\n");
	if (r == 0)
		r = put(dir, "sys/devices/virtual/memory_tiering/memory_tier4/nodelist", "0\n");
	if (r == 0)
		r = put(dir, "sys/devices/virtual/memory_tiering/memory_tier22/nodelist", "1\n");
	if (r == 0 && made++ < n)
		r = put_cgroup(dir, base, made);
	snprintf(rel, sizeof(rel), "%s/%s", base, qos);
	if (r == 0 && made++ < n)
		r = put_cgroup(dir, rel, made);
	while (r == 0 && made < n) {
		snprintf(pod, sizeof(pod), "%s/%s/kubepods-burstable-pod%08x_0000_4000_8000_%012x.slice",
			 base, qos, p, p);
		p++;
		r = put_cgroup(dir, pod, made++);
		for (unsigned c = 0; r == 0 && c < 4 && made < n; c++) {
			snprintf(rel, sizeof(rel), "%s/cri-containerd-%056x%08x.scope", pod, p, c);
			r = put_cgroup(dir, rel, made++);
		}
	}
	return r;
}

/* The measured part: one acquire + decide cycle. */
__attribute__((noinline)) int bench_cycle(const struct cgt_fs *fs, const struct cgt_topology *t,
					  const struct cgt_config *cfg, struct cgt_snapshot *s,
					  struct cgt_plan *p);
__attribute__((noinline)) int bench_cycle(const struct cgt_fs *fs, const struct cgt_topology *t,
					  const struct cgt_config *cfg, struct cgt_snapshot *s,
					  struct cgt_plan *p)
{
	int r = cgt_acquire(fs, t, NULL, s);

	if (r < 0)
		return r;
	return cgt_decide(s, cfg, NULL, p);
}

static int run(const char *dir)
{
	struct cgt_config *cfg = bench_config();
	struct cgt_topology topo;
	struct cgt_snapshot s;
	struct cgt_plan p;
	struct cgt_fs fs = { .dirfd = -1 };
	int r;

	if (!cfg)
		return 1;
	r = cgt_fs_open(&fs, dir);
	if (r == 0)
		r = cgt_topology_load(&fs, &topo);
	if (r == 0)
		r = bench_cycle(&fs, &topo, cfg, &s, &p);
	if (r == 0) {
		printf("cgroups %zu units %zu uncovered %zu nested %zu errors %zu budget %llu MiB\n",
		       s.n_cgroups, p.n, p.uncovered, p.nested, s.stats.errors,
		       (unsigned long long)(p.budget >> 20));
		cgt_plan_clear(&p);
		cgt_snapshot_clear(&s);
	} else {
		fprintf(stderr, "bench-decide: %s: %s\n", dir, strerror(-r));
	}
	cgt_fs_close(&fs);
	cgt_config_free(cfg);
	return r ? 1 : 0;
}

/* The measured part of --loop: a steady-state period and its report. */
__attribute__((noinline)) int bench_period(struct cgt_loop *l, struct cgt_report *rep);
__attribute__((noinline)) int bench_period(struct cgt_loop *l, struct cgt_report *rep)
{
	int r = cgt_loop_period(l);

	return r < 0 ? r : cgt_loop_report(l, 0, rep);
}

static int run_loop(const char *dir)
{
	struct cgt_config *cfg = bench_config();
	struct cgt_report rep = { 0 };
	struct cgt_loop l = { 0 };
	uint64_t first = 0;
	int r;

	if (!cfg)
		return 1;
	r = cgt_loop_init(&l, dir, cfg, false);
	if (r == 0)
		r = cgt_loop_period(&l);
	first = l.stats.limits_written;
	if (r == 0)
		r = bench_period(&l, &rep);
	if (r == 0) {
		printf("cgroups %zu units %zu backend %s limits written %llu then %llu, errors %llu, report rows %zu\n",
		       l.snap.n_cgroups, l.plan.n, cgt_loop_backend_name(&l),
		       (unsigned long long)first,
		       (unsigned long long)(l.stats.limits_written - first),
		       (unsigned long long)l.stats.act_errors, rep.n);
		cgt_report_clear(&rep);
	} else {
		fprintf(stderr, "bench-decide: %s: %s\n", dir, strerror(-r));
	}
	cgt_loop_clear(&l);
	return r ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--generate")) {
		int r = generate(argv[2], (unsigned)strtoul(argv[3], NULL, 10));

		if (r < 0)
			fprintf(stderr, "bench-decide: %s: %s\n", argv[2], strerror(-r));
		return r ? 1 : 0;
	}
	if (argc == 2)
		return run(argv[1]);
	if (argc == 3 && !strcmp(argv[1], "--loop"))
		return run_loop(argv[2]);
	fprintf(stderr, "usage: bench-decide --generate DIR N | bench-decide [--loop] DIR\n");
	return 2;
}
