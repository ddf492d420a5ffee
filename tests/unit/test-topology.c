// SPDX-License-Identifier: LGPL-2.1-or-later
/* test-topology.c - memory tiers from fixture sysfs trees. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cgtier/topology.h"
#include "unit.h"

static void load(const char *scenario, struct cgt_topology *t)
{
	struct cgt_fs fs;

	assert_int_equal(cgt_fs_open(&fs, fixture(scenario)), 0);
	assert_int_equal(cgt_topology_load(&fs, t), 0);
	cgt_fs_close(&fs);
}

static void assert_nodes(const struct cgt_nodemask *m, const char *want)
{
	char buf[64];

	assert_int_equal(cgt_nodemask_format(m, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static void test_hmat(void **state)
{
	struct cgt_topology t;

	load("hmat", &t);
	assert_true(t.from_kernel);
	assert_int_equal(t.nr_tiers, 2);
	assert_int_equal(t.tiers[0].id, 4);
	assert_nodes(&t.tiers[0].nodes, "0");
	assert_true(t.tiers[1].id > 4);
	assert_nodes(&t.tiers[1].nodes, "1");
	assert_nodes(&t.mem_nodes, "0-1");
	assert_nodes(&t.cpu_nodes, "0");
	assert_nodes(cgt_topology_fast_nodes(&t), "0");
	assert_int_equal(cgt_topology_tier_of(&t, 0), 0);
	assert_int_equal(cgt_topology_tier_of(&t, 1), 1);
	assert_int_equal(cgt_topology_tier_of(&t, 2), -ENOENT);
}

static void test_nvdimm(void **state)
{
	struct cgt_topology t;

	load("nvdimm", &t);
	assert_int_equal(t.nr_tiers, 2);
	assert_int_equal(t.tiers[0].id, 4);
	assert_int_equal(t.tiers[1].id, 22);
	assert_nodes(&t.tiers[1].nodes, "1");
}

static void test_three_tiers_sorted(void **state)
{
	struct cgt_topology t;

	load("three-tier", &t);
	assert_int_equal(t.nr_tiers, 3);
	/* memory_tier9 sorts between 4 and 22 although "9" > "22" as text */
	assert_int_equal(t.tiers[0].id, 4);
	assert_int_equal(t.tiers[1].id, 9);
	assert_int_equal(t.tiers[2].id, 22);
	assert_nodes(&t.tiers[0].nodes, "0-1");
	assert_nodes(&t.tiers[1].nodes, "2");
	assert_nodes(&t.tiers[2].nodes, "3");
	assert_int_equal(cgt_topology_tier_of(&t, 3), 2);
}

static void test_one_tier(void **state)
{
	struct cgt_topology t;

	load("one-tier", &t);
	assert_true(t.from_kernel);
	assert_int_equal(t.nr_tiers, 1);
	assert_nodes(cgt_topology_fast_nodes(&t), "0-1");
}

static void test_no_tiering_synthesises_one_tier(void **state)
{
	struct cgt_topology t;

	load("no-tiering", &t);
	assert_false(t.from_kernel);
	assert_int_equal(t.nr_tiers, 1);
	assert_int_equal(t.tiers[0].id, -1);
	assert_nodes(&t.tiers[0].nodes, "0");
}

static void test_errors(void **state)
{
	struct cgt_topology t;
	struct cgt_fs fs;

	t.nr_tiers = 99;
	assert_int_equal(cgt_fs_open(&fs, fixture("bad-nodelist")), 0);
	assert_int_equal(cgt_topology_load(&fs, &t), -EINVAL);
	assert_int_equal(t.nr_tiers, 99);
	cgt_fs_close(&fs);
	/* a tree without /sys/devices/system/node */
	assert_int_equal(cgt_fs_open(&fs, fixture("cgroup")), 0);
	assert_int_equal(cgt_topology_load(&fs, &t), -ENOENT);
	cgt_fs_close(&fs);
	assert_int_equal(cgt_topology_load(NULL, &t), -EINVAL);
}

/* Captured from the guest: "Node 1 MemTotal:        1031004 kB". */
static void test_node_meminfo(void **state)
{
	struct cgt_fs fs;
	uint64_t v = 7;

	assert_int_equal(cgt_fs_open(&fs, fixture("hmat")), 0);
	assert_int_equal(cgt_node_meminfo(&fs, 1, "MemTotal", &v), 0);
	assert_int_equal(v, 1031004ULL * 1024);
	assert_int_equal(cgt_node_meminfo(&fs, 0, "MemTotal", &v), 0);
	assert_int_equal(v, 503636ULL * 1024);
	assert_int_equal(cgt_node_meminfo(&fs, 1, "MemFree", &v), 0);
	assert_int_equal(v, 1022376ULL * 1024);
	v = 7;
	/* "Mem" is a prefix of real keys but not a key itself */
	assert_int_equal(cgt_node_meminfo(&fs, 1, "Mem", &v), -ENOENT);
	assert_int_equal(cgt_node_meminfo(&fs, 1, "NoSuchKey", &v), -ENOENT);
	assert_int_equal(cgt_node_meminfo(&fs, 2, "MemTotal", &v), -ENOENT);
	assert_int_equal(cgt_node_meminfo(&fs, -1, "MemTotal", &v), -EINVAL);
	assert_int_equal(v, 7);
	cgt_fs_close(&fs);
}

/*
 * Regression: node meminfo was parsed with sscanf(" %llu kB"), which takes
 * a sign ("+5", "-0", and "-18446744073709551611" wraps to 5) and ignores
 * what follows the number ("5 MB" read as 5 kB).
 */
static void test_node_meminfo_malformed(void **state)
{
	static const struct {
		const char *key;
		int err;
	} bad[] = {
		{ "MemTotal", -EINVAL },	/* +5 kB */
		{ "MemFree", -EINVAL },		/* -0 kB */
		{ "MemUsed", -EINVAL },		/* 5 MB */
		{ "Active", -EINVAL },		/* -18446744073709551611 kB */
		{ "Inactive", -ERANGE },	/* 2^54 kB: 2^64 bytes */
		{ "Dirty", -EINVAL },		/* 5kB */
		{ "Writeback", -EINVAL },	/* 0x10 kB */
		{ "Mapped", -EINVAL },		/* nothing */
	};
	struct cgt_fs fs;
	uint64_t v = 7;

	assert_int_equal(cgt_fs_open(&fs, fixture("bad-meminfo")), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("%s\n", bad[i].key);
		assert_int_equal(cgt_node_meminfo(&fs, 0, bad[i].key, &v),
				 bad[i].err);
	}
	assert_int_equal(v, 7);
	assert_int_equal(cgt_node_meminfo(&fs, 0, "FilePages", &v), 0);
	assert_int_equal(v, 7 * 1024);
	cgt_fs_close(&fs);
}

/* /proc/zoneinfo: each zone's "high", not the per-cpu pagesets' "high:". */
static void test_high_wmark(void **state)
{
	static const char zoneinfo[] =
		"Node 0, zone      DMA\n"
		"  pages free     3840\n"
		"        min      64\n"
		"        low      80\n"
		"        high     96\n"
		"  pagesets\n"
		"    cpu: 0\n"
		"              count: 0\n"
		"              high:  378\n"
		"Node 0, zone    DMA32\n"
		"        high     1000\n"
		"Node 1, zone   Normal\n"
		"  pages free     200000\n"
		"        high     2500\n"
		"    cpu: 0\n"
		"              high:  4000\n";
	long pg = sysconf(_SC_PAGESIZE);
	char dir[4096];
	struct cgt_fs fs;
	uint64_t v = 7;

	tmp_tree(dir);
	assert_int_equal(cgt_fs_open(&fs, dir), 0);
	assert_int_equal(cgt_node_high_wmark(&fs, 0, &v), -ENOENT); /* no file */
	tmp_put(dir, "proc/zoneinfo", zoneinfo);
	assert_int_equal(cgt_node_high_wmark(&fs, 0, &v), 0);
	assert_true(v == 1096 * (uint64_t)pg);
	assert_int_equal(cgt_node_high_wmark(&fs, 1, &v), 0);
	assert_true(v == 2500 * (uint64_t)pg);
	v = 7;
	assert_int_equal(cgt_node_high_wmark(&fs, 2, &v), -ENOENT);
	assert_int_equal(cgt_node_high_wmark(&fs, -1, &v), -EINVAL);
	tmp_put(dir, "proc/zoneinfo", "Node 0, zone Normal\n        high     12x\n");
	assert_int_equal(cgt_node_high_wmark(&fs, 0, &v), -EINVAL);
	tmp_put(dir, "proc/zoneinfo", "Node 0, zone Normal\n        high     -5\n");
	assert_int_equal(cgt_node_high_wmark(&fs, 0, &v), -EINVAL);
	assert_int_equal(v, 7);
	cgt_fs_close(&fs);
	tmp_tree_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmat),
		cmocka_unit_test(test_nvdimm),
		cmocka_unit_test(test_three_tiers_sorted),
		cmocka_unit_test(test_one_tier),
		cmocka_unit_test(test_no_tiering_synthesises_one_tier),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_node_meminfo),
		cmocka_unit_test(test_node_meminfo_malformed),
		cmocka_unit_test(test_high_wmark),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
