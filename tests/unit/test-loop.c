// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-loop.c - whole control periods (acquire -> decide -> act) over
 * scratch trees: the memory.tier.max a quota leads to, written once and
 * not again in a steady state; dry run, observe mode and the memory.tier
 * backend forced on a stock kernel write nothing; a reload changes the limit; one tier is
 * a quiet, empty period; a cgroup that vanished is an outcome, not an
 * error.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cgtierd/loop.h"
#include "unit.h"
#include "unit-plan.h"

#define MiB (1024ULL * 1024)

/* A patched kernel: tiers 4 (node 0) and 67 (node 1), cgroup "web". */
static void make_tree(char *dir, bool two_tiers)
{
	tmp_tree(dir);
	tmp_put(dir, "sys/devices/system/node/has_memory", two_tiers ? "0-1\n" : "0\n");
	tmp_put(dir, "sys/devices/system/node/has_cpu", "0\n");
	tmp_put(dir, "sys/devices/system/node/node0/meminfo",
		"Node 0 MemTotal:         524288 kB\nNode 0 MemFree:          262144 kB\n");
	if (two_tiers) {
		tmp_put(dir, "sys/devices/system/node/node1/meminfo",
			"Node 1 MemTotal:        1048576 kB\nNode 1 MemFree:         524288 kB\n");
		tmp_put(dir, "sys/devices/virtual/memory_tiering/memory_tier4/nodelist", "0\n");
		tmp_put(dir, "sys/devices/virtual/memory_tiering/memory_tier67/nodelist", "1\n");
	}
	tmp_put(dir, "sys/fs/cgroup/cgroup.procs", "1\n");
	tmp_put(dir, "sys/fs/cgroup/web/memory.current", "104857600\n");
	tmp_put(dir, "sys/fs/cgroup/web/memory.numa_stat",
		two_tiers ? "anon N0=83886080 N1=20971520\nfile N0=0 N1=0\n" :
			    "anon N0=104857600\nfile N0=0\n");
	if (two_tiers) {
		tmp_put(dir, "sys/fs/cgroup/web/memory.tier.stat",
			"tier4 charged=83886080 anon=83886080 file=0 promoted=0 demoted=0\n"
			"tier67 charged=20971520 anon=20971520 file=0 promoted=0 demoted=0\n");
		tmp_put(dir, "sys/fs/cgroup/web/memory.tier.max", "tier4 max\ntier67 max\n");
	}
}

static const char quota64[] =
	"policies:\n"
	"  - name: web\n"
	"    match: {cgroups: [web]}\n"
	"    fast_quota: 64Mi\n"
	"    demote_rate: max\n";

static void read_max(const char *dir, char *buf, size_t len)
{
	char path[8192];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/sys/fs/cgroup/web/memory.tier.max", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* A quota becomes the limit, written once; the same limit is not rewritten. */
static void test_limit(void **state)
{
	char dir[4096], buf[256], s[256];
	struct cgt_loop l;

	make_tree(dir, true);
	assert_int_equal(cgt_loop_init(&l, dir, config(quota64), false), 0);
	assert_int_equal(cgt_loop_period(&l), 0);
	assert_int_equal(l.backend, CGT_BACKEND_MEMORY_TIER);
	assert_int_equal(l.plan.n, 1);
	assert_true(l.plan.actions[0].limit == 64 * MiB);
	read_max(dir, buf, sizeof(buf));
	assert_string_equal(buf, "tier4 67108864");
	assert_true(l.stats.limits_written == 1);
	cgt_loop_summary(&l, s, sizeof(s));
	print_message("# %s\n", s);
	assert_non_null(strstr(s, "backend memory.tier, 1 cgroups, 1 covered"));
	/* Steady state: the kernel file now says 64 MiB; nothing to write. */
	assert_int_equal(cgt_loop_period(&l), 0);
	assert_true(l.stats.limits_written == 1);
	assert_true(l.stats.periods == 2);
	cgt_loop_clear(&l);
	tmp_tree_remove(dir);
}

/* Dry run, observe mode, a forced backend that is not there: no write. */
static void test_no_write(void **state)
{
	static const char *const yaml[] = {
		NULL, /* quota64 with --dry-run */
		"policies:\n  - {name: web, match: {cgroups: [web]}, fast_quota: 64Mi, mode: observe}\n",
		"global: {backend: memory.tier}\n"
		"policies:\n  - {name: web, match: {cgroups: [web]}, fast_quota: 64Mi}\n",
	};

	for (size_t i = 0; i < sizeof(yaml) / sizeof(yaml[0]); i++) {
		char dir[4096], buf[256], path[8192];
		struct cgt_loop l;

		make_tree(dir, true);
		if (i == 2) { /* a stock kernel: no memory.tier.* files */
			snprintf(path, sizeof(path), "%s/sys/fs/cgroup/web/memory.tier.stat", dir);
			assert_int_equal(unlink(path), 0);
		}
		assert_int_equal(cgt_loop_init(&l, dir, config(yaml[i] ? yaml[i] : quota64),
					       !yaml[i]), 0);
		assert_int_equal(cgt_loop_period(&l), 0);
		assert_int_equal(l.plan.n, 1);
		assert_true(l.act.out[0].flags & CGT_OUT_DRY);
		assert_true(l.stats.limits_written == 0);
		assert_int_equal(l.mismatch, i == 2);
		read_max(dir, buf, sizeof(buf));
		assert_string_equal(buf, "tier4 max\ntier67 max\n");
		cgt_loop_clear(&l);
		tmp_tree_remove(dir);
	}
}

/* A new configuration takes effect in the next period. */
static void test_reload(void **state)
{
	char dir[4096], buf[256];
	struct cgt_loop l;

	make_tree(dir, true);
	assert_int_equal(cgt_loop_init(&l, dir, config(quota64), false), 0);
	assert_int_equal(cgt_loop_period(&l), 0);
	cgt_loop_set_config(&l, config("policies:\n  - {name: web, match: {cgroups: [web]},"
				       " fast_quota: 32Mi, demote_rate: max}\n"));
	assert_false(l.have_plan);
	assert_int_equal(cgt_loop_period(&l), 0);
	read_max(dir, buf, sizeof(buf));
	assert_string_equal(buf, "tier4 33554432");
	assert_true(l.stats.limits_written == 2);
	cgt_loop_clear(&l);
	tmp_tree_remove(dir);
}

/* One tier: an empty plan, said in the summary, and no error. */
static void test_one_tier(void **state)
{
	char dir[4096], s[256];
	struct cgt_loop l;

	make_tree(dir, false);
	assert_int_equal(cgt_loop_init(&l, dir, config(quota64), false), 0);
	assert_int_equal(cgt_loop_period(&l), 0);
	assert_true(l.one_tier);
	assert_int_equal(l.plan.n, 0);
	assert_int_equal(l.backend, CGT_BACKEND_STOCK);
	cgt_loop_summary(&l, s, sizeof(s));
	assert_non_null(strstr(s, "one memory tier"));
	cgt_loop_clear(&l);
	tmp_tree_remove(dir);
}

/* A cgroup removed between the walk and the write: gone, not failed. */
static void test_gone(void **state)
{
	struct cgt_action a = { .path = "web", .limit = 64 * MiB,
				.flags = CGT_ACT_SET_LIMIT };
	struct cgt_plan p = { .actions = &a, .n = 1 };
	struct cgt_act_result r;
	char dir[4096], web[8192];
	struct cgt_fs fs;

	make_tree(dir, true);
	assert_int_equal(cgt_fs_open(&fs, dir), 0);
	snprintf(web, sizeof(web), "%s/sys/fs/cgroup/web", dir);
	tmp_tree_remove(web);
	assert_int_equal(cgt_act(&fs, 4, &p, NULL, false, &r), 0);
	assert_true(r.out[0].flags & CGT_OUT_GONE);
	assert_int_equal(r.out[0].err, 0);
	assert_int_equal(r.gone, 1);
	assert_int_equal(r.failed, 0);
	cgt_act_result_clear(&r);
	cgt_fs_close(&fs);
	tmp_tree_remove(dir);
}

/* A root that is not a directory fails init; clear is still safe. */
static void test_bad_root(void **state)
{
	struct cgt_loop l;

	assert_int_equal(cgt_loop_init(&l, "relative/root", config(quota64), false), -EINVAL);
	cgt_loop_clear(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_no_write),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_one_tier),
		cmocka_unit_test(test_gone),
		cmocka_unit_test(test_bad_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
