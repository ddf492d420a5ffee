// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-damon.c - the DAMON sysfs writer against a scratch tree laid out as
 * DAMON's (the directories the kernel would create on nr_* writes exist
 * already), and the System RAM range of /proc/iomem.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cgtier/damon.h"
#include "unit.h"

#define A "sys/kernel/mm/damon/admin/kdamonds"
#define C A "/0/contexts/0"
#define S C "/schemes/0"

static const char *const damon_files[] = {
	A "/nr_kdamonds", A "/0/state", A "/0/contexts/nr_contexts",
	C "/operations",
	C "/monitoring_attrs/intervals/sample_us",
	C "/monitoring_attrs/intervals/aggr_us",
	C "/monitoring_attrs/intervals/update_us",
	C "/monitoring_attrs/nr_regions/min", C "/monitoring_attrs/nr_regions/max",
	C "/targets/nr_targets", C "/targets/0/regions/nr_regions",
	C "/targets/0/regions/0/start", C "/targets/0/regions/0/end",
	C "/schemes/nr_schemes", S "/action", S "/target_nid",
	S "/access_pattern/sz/min", S "/access_pattern/sz/max",
	S "/access_pattern/nr_accesses/min", S "/access_pattern/nr_accesses/max",
	S "/access_pattern/age/min", S "/access_pattern/age/max",
	S "/filters/nr_filters", S "/filters/0/type", S "/filters/0/memcg_path",
	S "/filters/0/matching",
};

struct tree {
	char dir[4096];
	struct cgt_fs fs;
	struct cgt_damon d;
};

static int setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	tmp_tree(t->dir);
	for (size_t i = 0; i < sizeof(damon_files) / sizeof(damon_files[0]); i++)
		tmp_put(t->dir, damon_files[i], "0\n");
	tmp_put(t->dir, A "/0/state", "off\n");
	tmp_put(t->dir, S "/stats/nr_tried", "12\n");
	tmp_put(t->dir, S "/stats/sz_tried", "49152\n");
	tmp_put(t->dir, S "/stats/nr_applied", "10\n");
	tmp_put(t->dir, S "/stats/sz_applied", "40960\n");
	tmp_put(t->dir, S "/stats/qt_exceeds", "0\n");
	assert_int_equal(cgt_fs_open(&t->fs, t->dir), 0);
	cgt_damon_init(&t->d, &t->fs);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tree *t = *state;

	cgt_fs_close(&t->fs);
	tmp_tree_remove(t->dir);
	free(t);
	return 0;
}

static void expect(struct tree *t, const char *rel, const char *want)
{
	char buf[64];

	assert_true(cgt_fs_read(&t->fs, rel, buf, sizeof(buf)) >= 0);
	print_message("%s: %s\n", rel, buf);
	assert_string_equal(buf, want);
}

static void test_setup_and_scheme(void **state)
{
	const struct cgt_damon_setup s = {
		.operations = "paddr",
		.intervals = { 5000, 100000, 1000000 },
		.min_nr_regions = 10, .max_nr_regions = 1000,
		.start = 0x100000, .end = 0x60000000,
	};
	const struct cgt_damos_scheme sc = {
		.action = "migrate_cold", .target_nid = 1,
		.min_sz = 0, .max_sz = UINT64_MAX,
		.min_nr_accesses = 0, .max_nr_accesses = 0,
		.min_age = 20, .max_age = UINT64_MAX,
		.memcg_path = "/t_damon", .memcg_matching = false,
	};
	struct tree *t = *state;

	assert_int_equal(cgt_damon_available(&t->d), 0);
	assert_int_equal(cgt_damon_setup(&t->d, &s), 0);
	expect(t, "/" A "/nr_kdamonds", "1");
	expect(t, "/" A "/0/contexts/nr_contexts", "1");
	expect(t, "/" C "/operations", "paddr");
	expect(t, "/" C "/monitoring_attrs/intervals/aggr_us", "100000");
	expect(t, "/" C "/monitoring_attrs/nr_regions/max", "1000");
	expect(t, "/" C "/targets/0/regions/0/start", "1048576");
	expect(t, "/" C "/targets/0/regions/0/end", "1610612736");
	expect(t, "/" C "/schemes/nr_schemes", "1");
	assert_int_equal(cgt_damon_set_scheme(&t->d, &sc), 0);
	expect(t, "/" S "/action", "migrate_cold");
	expect(t, "/" S "/target_nid", "1");
	expect(t, "/" S "/access_pattern/sz/max", "18446744073709551615");
	expect(t, "/" S "/access_pattern/age/min", "20");
	expect(t, "/" S "/filters/nr_filters", "1");
	expect(t, "/" S "/filters/0/type", "memcg");
	expect(t, "/" S "/filters/0/memcg_path", "/t_damon");
	expect(t, "/" S "/filters/0/matching", "N");
	assert_string_equal(t->d.failed, "");
}

static void test_state_stats_teardown(void **state)
{
	struct tree *t = *state;
	struct cgt_damos_stats st;
	bool on = true;

	assert_int_equal(cgt_damon_running(&t->d, &on), 0);
	assert_false(on); /* nr_kdamonds is 0 */
	assert_int_equal(cgt_damon_teardown(&t->d), 0);
	tmp_put(t->dir, A "/nr_kdamonds", "1\n");
	assert_int_equal(cgt_damon_state(&t->d, "on"), 0);
	assert_int_equal(cgt_damon_running(&t->d, &on), 0);
	assert_true(on);
	assert_int_equal(cgt_damon_scheme_stats(&t->d, &st), 0);
	expect(t, "/" A "/0/state", "update_schemes_stats");
	assert_int_equal(st.nr_tried, 12);
	assert_int_equal(st.sz_applied, 40960);
	tmp_put(t->dir, A "/0/state", "on\n");
	assert_int_equal(cgt_damon_teardown(&t->d), 0);
	expect(t, "/" A "/0/state", "off");
	expect(t, "/" A "/nr_kdamonds", "0");
}

static void test_failures_name_the_file(void **state)
{
	struct tree *t = *state;
	struct cgt_damos_stats st = { .nr_tried = 99 };
	const struct cgt_damos_scheme sc = { .action = "pageout",
					     .target_nid = -1 };

	tmp_put(t->dir, S "/stats/nr_applied", "-1\n");
	assert_int_equal(cgt_damon_scheme_stats(&t->d, &st), -EINVAL);
	assert_string_equal(t->d.failed, "/" S "/stats/nr_applied");
	assert_int_equal(st.nr_tried, 99);
	/* no memcg filter: nr_filters 0, target_nid untouched */
	tmp_put(t->dir, S "/target_nid", "7\n");
	assert_int_equal(cgt_damon_set_scheme(&t->d, &sc), 0);
	expect(t, "/" S "/filters/nr_filters", "0");
	expect(t, "/" S "/target_nid", "7");
	cgt_fs_close(&t->fs);
	assert_int_equal(cgt_fs_open(&t->fs, fixture("hmat")), 0);
	assert_int_equal(cgt_damon_available(&t->d), -ENOENT);
	assert_int_equal(cgt_damon_teardown(&t->d), 0);
	assert_int_equal(cgt_damon_state(&t->d, "on"), -ENOENT);
	assert_string_equal(t->d.failed, "/" A "/0/state");
}

static void test_ram_range(void **state)
{
	struct tree *t = *state;
	uint64_t s = 1, e = 2;

	tmp_put(t->dir, "proc/iomem",
		"00000000-00000fff : Reserved\n"
		"00001000-0009fbff : System RAM\n"
		"000f0000-000fffff : Reserved\n"
		"00100000-1ffdffff : System RAM\n"
		"  01000000-01ffffff : Kernel code\n"
		"100000000-15fffffff : System RAM\n"
		"fd000000-fdffffff : PCI Bus 0000:00\n");
	assert_int_equal(cgt_damon_ram_range(&t->fs, &s, &e), 0);
	assert_true(s == 0x1000);
	assert_true(e == 0x160000000ULL);
	/* as a non-root reader sees it: all addresses 0 */
	tmp_put(t->dir, "proc/iomem",
		"00000000-00000000 : System RAM\n00000000-00000000 : Reserved\n");
	assert_int_equal(cgt_damon_ram_range(&t->fs, &s, &e), -ENOENT);
	tmp_put(t->dir, "proc/iomem", "-5-100 : System RAM\n");
	assert_int_equal(cgt_damon_ram_range(&t->fs, &s, &e), -EINVAL);
	tmp_put(t->dir, "proc/iomem", "0x5-100 : System RAM\n");
	assert_int_equal(cgt_damon_ram_range(&t->fs, &s, &e), -EINVAL);
	assert_true(s == 0x1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_setup_and_scheme, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_stats_teardown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failures_name_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ram_range, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
