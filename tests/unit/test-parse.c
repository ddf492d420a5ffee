// SPDX-License-Identifier: LGPL-2.1-or-later
/* test-parse.c - the shared number parser and its one semantics. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cgtier/parse.h"
#include "unit.h"

static const struct {
	const char *s;
	int err;
	uint64_t v;
} cases[] = {
	{ "0", 0, 0 },
	{ "7", 0, 7 },
	{ "007", 0, 7 },
	{ "18446744073709551615", 0, UINT64_MAX },
	{ "18446744073709551616", -ERANGE, 0 },
	{ "99999999999999999999999", -ERANGE, 0 },
	{ "", -EINVAL, 0 },
	{ "-5", -EINVAL, 0 },
	{ "-0", -EINVAL, 0 },
	{ "+5", -EINVAL, 0 },
	{ " 5", -EINVAL, 0 },
	{ "5 ", -EINVAL, 0 },
	{ "5\n", -EINVAL, 0 },
	{ "0x10", -EINVAL, 0 },
	{ "1e3", -EINVAL, 0 },
	{ "5kB", -EINVAL, 0 },
	{ "max", -EINVAL, 0 },
};

static void test_whole_string(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 42;

		print_message("\"%s\"\n", cases[i].s);
		assert_int_equal(cgt_parse_u64(cases[i].s, &v), cases[i].err);
		assert_true(v == (cases[i].err ? 42 : cases[i].v));
	}
	assert_int_equal(cgt_parse_u64(NULL, NULL), -EINVAL);
}

static void test_range(void **state)
{
	uint64_t v = 42;

	assert_int_equal(cgt_parse_u64_range("5", 1, 10, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(cgt_parse_u64_range("0", 1, 10, &v), -ERANGE);
	assert_int_equal(cgt_parse_u64_range("11", 1, 10, &v), -ERANGE);
	assert_int_equal(cgt_parse_u64_range("-1", 0, 10, &v), -EINVAL);
	assert_int_equal(v, 5);
}

static void test_prefix(void **state)
{
	const char *s = "123=45", *t;
	uint64_t v = 42;

	assert_int_equal(cgt_parse_u64_prefix(&s, &v), 0);
	assert_int_equal(v, 123);
	assert_string_equal(s, "=45");
	t = s;
	assert_int_equal(cgt_parse_u64_prefix(&s, &v), -EINVAL);
	assert_ptr_equal(s, t);
	s = "18446744073709551616 x";
	t = s;
	assert_int_equal(cgt_parse_u64_prefix(&s, &v), -ERANGE);
	assert_ptr_equal(s, t);
	assert_int_equal(v, 123);
}

static void test_hex(void **state)
{
	const char *s = "fffffffffffffffF-1", *t;
	uint64_t v = 0;

	assert_int_equal(cgt_parse_x64_prefix(&s, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_string_equal(s, "-1");
	s = "10000000000000000";
	t = s;
	assert_int_equal(cgt_parse_x64_prefix(&s, &v), -ERANGE);
	assert_ptr_equal(s, t);
	s = "0x10";
	assert_int_equal(cgt_parse_x64_prefix(&s, &v), 0);
	assert_int_equal(v, 0); /* "x" ends the number: no prefix */
	s = "-a";
	assert_int_equal(cgt_parse_x64_prefix(&s, &v), -EINVAL);
	s = "g";
	assert_int_equal(cgt_parse_x64_prefix(&s, &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_string),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
