// SPDX-License-Identifier: LGPL-2.1-or-later
/* test-stat.c - memory.stat, memory.numa_stat and /proc/vmstat parsers. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cgtier/fs.h"
#include "cgtier/stat.h"
#include "unit.h"

static char *read_fixture(const char *rel)
{
	static char buf[CGT_FS_MAX_FILE];
	struct cgt_fs fs;

	assert_int_equal(cgt_fs_open(&fs, fixture("cgroup")), 0);
	assert_true(cgt_fs_read(&fs, rel, buf, sizeof(buf)) > 0);
	cgt_fs_close(&fs);
	return buf;
}

/* Captured in the guest: 64 MiB of anon placed on node 1 (tests/fixtures/README.md). */
static void test_numa_stat_captured(void **state)
{
	const char *text = read_fixture("/sys/fs/cgroup/test/memory.numa_stat");
	uint64_t v[2] = { 1, 1 };

	assert_int_equal(cgt_numa_stat_get(text, "anon", v, 2), 0);
	assert_true(v[1] >= 64ULL << 20);
	assert_true(v[0] < 4ULL << 20);
	assert_int_equal(cgt_numa_stat_get(text, "no_such_key", v, 2), -ENOENT);
	assert_int_equal(cgt_numa_stat_get(text, "anon_thp", v, 2), 0);
	assert_int_equal(v[0] + v[1], 0);
}

/*
 * Regression: the prefix check above could not fail, because "anon" comes
 * before "anon_thp" in the captured file and a matcher that took the first
 * line starting with the key found the right line by luck.  Here every key
 * is a prefix of the line before it, so such a matcher finds the wrong one.
 */
static void test_key_is_not_a_prefix_match(void **state)
{
	const char *flat = "anon_thp 7\nanon 5\nfile_mapped 9\nfile 3\n";
	const char *nested = "anon_thp N0=7 N1=8\nanon N0=1 N1=2\n";
	uint64_t v = 0, n[2] = { 0, 0 };

	assert_int_equal(cgt_stat_get(flat, "anon", &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(cgt_stat_get(flat, "file", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(cgt_stat_get(flat, "anon_t", &v), -ENOENT);
	assert_int_equal(cgt_numa_stat_get(nested, "anon", n, 2), 0);
	assert_int_equal(n[0], 1);
	assert_int_equal(n[1], 2);
	/* and a key is a whole word: "anon" is no line of "x anon 5" */
	assert_int_equal(cgt_stat_get("x anon 5\n", "anon", &v), -ENOENT);
}

static void test_memory_stat_captured(void **state)
{
	const char *text = read_fixture("/sys/fs/cgroup/test/memory.stat");
	uint64_t anon = 0, file = 1;

	assert_int_equal(cgt_stat_get(text, "anon", &anon), 0);
	assert_true(anon >= 64ULL << 20);
	assert_int_equal(cgt_stat_get(text, "pgdemote_kswapd", &file), 0);
	assert_int_equal(cgt_stat_get(text, "nope", &file), -ENOENT);
}

static void test_vmstat_captured(void **state)
{
	const char *text = read_fixture("/proc/vmstat");
	uint64_t v;

	assert_int_equal(cgt_stat_get(text, "pgpromote_success", &v), 0);
	assert_int_equal(cgt_stat_get(text, "numa_hint_faults", &v), 0);
	assert_int_equal(cgt_stat_get(text, "pgmigrate_success", &v), 0);
	assert_true(v >= 16384);
}

static void test_flat_edge_cases(void **state)
{
	uint64_t v = 5;

	assert_int_equal(cgt_stat_get("a 1\nab 2\nb 3", "ab", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(cgt_stat_get("a 1\nb 18446744073709551615\n", "b", &v), 0);
	assert_true(v == UINT64_MAX);
	v = 5;
	assert_int_equal(cgt_stat_get("b 18446744073709551616\n", "b", &v), -ERANGE);
	assert_int_equal(cgt_stat_get("b -1\n", "b", &v), -EINVAL);
	assert_int_equal(cgt_stat_get("b 1x\n", "b", &v), -EINVAL);
	assert_int_equal(cgt_stat_get("b\n", "b", &v), -ENOENT);
	assert_int_equal(cgt_stat_get("", "b", &v), -ENOENT);
	assert_int_equal(cgt_stat_get("b 1", "", &v), -EINVAL);
	assert_int_equal(v, 5);
}

static void test_nested_edge_cases(void **state)
{
	uint64_t v[3] = { 9, 9, 9 };

	assert_int_equal(cgt_numa_stat_get("anon N0=1 N2=3\n", "anon", v, 3), 0);
	assert_int_equal(v[0], 1);
	assert_int_equal(v[1], 0);
	assert_int_equal(v[2], 3);
	v[0] = v[1] = v[2] = 9;
	assert_int_equal(cgt_numa_stat_get("anon N3=1\n", "anon", v, 3), -ERANGE);
	assert_int_equal(cgt_numa_stat_get("anon N0=x\n", "anon", v, 3), -EINVAL);
	assert_int_equal(cgt_numa_stat_get("anon 0=1\n", "anon", v, 3), -EINVAL);
	assert_int_equal(cgt_numa_stat_get("anon N0=1x\n", "anon", v, 3), -EINVAL);
	assert_int_equal(cgt_numa_stat_get("anon N0\n", "anon", v, 3), -EINVAL);
	/* nothing written on failure */
	assert_int_equal(v[0], 9);
	assert_int_equal(v[2], 9);
	assert_int_equal(cgt_numa_stat_get("anon N0=1\n", "anon", v, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numa_stat_captured),
		cmocka_unit_test(test_memory_stat_captured),
		cmocka_unit_test(test_key_is_not_a_prefix_match),
		cmocka_unit_test(test_vmstat_captured),
		cmocka_unit_test(test_flat_edge_cases),
		cmocka_unit_test(test_nested_edge_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
