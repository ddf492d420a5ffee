// SPDX-License-Identifier: LGPL-2.1-or-later
/* test-nodemask.c - node list parsing and formatting. */
#include "config.h"

#include <errno.h>

#include "cgtier/nodemask.h"
#include "unit.h"

static void roundtrip(const char *in, const char *out, int weight)
{
	struct cgt_nodemask m;
	char buf[256];

	assert_int_equal(cgt_nodemask_parse(in, &m), 0);
	assert_int_equal(cgt_nodemask_weight(&m), weight);
	assert_int_equal(cgt_nodemask_format(&m, buf, sizeof(buf)), 0);
	assert_string_equal(buf, out);
}

static void test_parse_format(void **state)
{
	roundtrip("", "", 0);
	roundtrip("\n", "", 0);
	roundtrip("0", "0", 1);
	roundtrip("0-1\n", "0-1", 2);
	roundtrip("0,2-3,5", "0,2-3,5", 4);
	roundtrip("3,0,1", "0-1,3", 3);
	roundtrip("63-64", "63-64", 2);
	roundtrip("1023", "1023", 1);
	roundtrip("0-1023", "0-1023", 1024);
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"x", "1-", "-1", "1,", ",1", "2-1", "1 2", "1-2-3", "0-1\nx", "1;2",
	};
	struct cgt_nodemask m;

	cgt_nodemask_clear(&m);
	cgt_nodemask_set(&m, 9);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = cgt_nodemask_parse(bad[i], &m);

		if (r != -EINVAL)
			fail_msg("\"%s\" gave %d, not -EINVAL", bad[i], r);
	}
	assert_int_equal(cgt_nodemask_parse("1024", &m), -ERANGE);
	assert_int_equal(cgt_nodemask_parse("0-99999999999", &m), -ERANGE);
	/* untouched on failure */
	assert_int_equal(cgt_nodemask_weight(&m), 1);
	assert_true(cgt_nodemask_test(&m, 9));
}

static void test_iterate(void **state)
{
	struct cgt_nodemask m;
	int node, seen[4], n = 0;

	assert_int_equal(cgt_nodemask_parse("1,64,65,1000", &m), 0);
	cgt_nodemask_for_each(node, &m) {
		if (n < 4)
			seen[n] = node;
		n++;
	}
	assert_int_equal(n, 4);
	assert_int_equal(seen[0], 1);
	assert_int_equal(seen[1], 64);
	assert_int_equal(seen[2], 65);
	assert_int_equal(seen[3], 1000);
	assert_false(cgt_nodemask_test(&m, -1));
	assert_false(cgt_nodemask_test(&m, CGT_MAX_NODES));
	assert_int_equal(cgt_nodemask_set(&m, CGT_MAX_NODES), -ERANGE);
	cgt_nodemask_clear(&m);
	assert_true(cgt_nodemask_empty(&m));
}

static void test_format_nospace(void **state)
{
	struct cgt_nodemask m;
	char buf[4];

	assert_int_equal(cgt_nodemask_parse("0,2,4", &m), 0);
	assert_int_equal(cgt_nodemask_format(&m, buf, sizeof(buf)), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_format),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_iterate),
		cmocka_unit_test(test_format_nospace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
