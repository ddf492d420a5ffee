// SPDX-License-Identifier: LGPL-2.1-or-later
/* test-units.c - sizes, percentages, durations and rates of cgtierd.yaml. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cgtierd/units.h"
#include "unit.h"

static void test_size(void **state)
{
	static const struct {
		const char *s;
		int r;
		uint64_t v;
	} t[] = {
		{ "0", 0, 0 },
		{ "4096", 0, 4096 },
		{ "4096B", 0, 4096 },
		{ "512K", 0, 512 << 10 },
		{ "512Ki", 0, 512 << 10 },
		{ "8G", 0, 8ULL << 30 },
		{ "8Gi", 0, 8ULL << 30 },
		{ "3Mi", 0, 3ULL << 20 },
		{ "2T", 0, 2ULL << 40 },
		{ "16777215Ti", 0, 16777215ULL << 40 },
		{ "16777216Ti", -ERANGE, 0 }, /* 2^64 */
		{ "18446744073709551615", -ERANGE, 0 }, /* would read as max */
		{ "18446744073709551614", 0, UINT64_MAX - 1 },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "99999999999999999999999", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "010", -EINVAL, 0 },
		{ "1.5G", -EINVAL, 0 },
		{ "8GB", -EINVAL, 0 },
		{ "8gi", -EINVAL, 0 },
		{ "8Ei", -EINVAL, 0 },
		{ "G", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },
		{ "max", -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t v = 12345;
		int r = cgt_parse_size(t[i].s, &v);

		if (r != t[i].r)
			fail_msg("'%s': %d, want %d", t[i].s, r, t[i].r);
		assert_int_equal(v, t[i].r ? 12345 : t[i].v); /* untouched on error */
	}
}

static void test_percent(void **state)
{
	static const struct {
		const char *s;
		int r;
		uint32_t v;
	} t[] = {
		{ "0%", 0, 0 },       { "95%", 0, 9500 },     { "100%", 0, 10000 },
		{ "12.5%", 0, 1250 }, { "12.05%", 0, 1205 },  { "0.01%", 0, 1 },
		{ "100.00%", 0, 10000 },
		{ "100.01%", -ERANGE, 0 }, { "110%", -ERANGE, 0 }, { "1000000000000%", -ERANGE, 0 },
		{ "12.345%", -EINVAL, 0 }, { "95", -EINVAL, 0 },  { "%", -EINVAL, 0 },
		{ "-5%", -EINVAL, 0 },     { "5.%", -EINVAL, 0 }, { ".5%", -EINVAL, 0 },
		{ "5 %", -EINVAL, 0 },     { "5%%", -EINVAL, 0 }, { "05%", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint32_t v = 7;
		int r = cgt_parse_percent(t[i].s, &v);

		if (r != t[i].r)
			fail_msg("'%s': %d, want %d", t[i].s, r, t[i].r);
		assert_int_equal(v, t[i].r ? 7 : t[i].v);
	}
}

static void test_duration(void **state)
{
	static const struct {
		const char *s;
		int r;
		uint64_t v;
	} t[] = {
		{ "500ms", 0, 500000 },
		{ "10s", 0, 10000000 },
		{ "2m", 0, 120000000 },
		{ "1h", 0, 3600000000ULL },
		{ "1h30m", 0, 5400000000ULL },
		{ "1m30s", 0, 90000000 },
		{ "250us", 0, 250 },
		{ "0s", 0, 0 },
		{ "10", -EINVAL, 0 },
		{ "10 s", -EINVAL, 0 },
		{ "10S", -EINVAL, 0 },
		{ "-1s", -EINVAL, 0 },
		{ "1.5s", -EINVAL, 0 },
		{ "s", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "1d", -EINVAL, 0 },
		{ "10sx", -EINVAL, 0 },
		{ "5124095576h", 0, 5124095576ULL * 3600000000ULL },
		{ "5124095577h", -ERANGE, 0 },
		{ "18446744073709551615us1us", -ERANGE, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t v = 7;
		int r = cgt_parse_duration(t[i].s, &v);

		if (r != t[i].r)
			fail_msg("'%s': %d, want %d", t[i].s, r, t[i].r);
		assert_int_equal(v, t[i].r ? 7 : t[i].v);
	}
}

static void test_rate(void **state)
{
	uint64_t v;

	assert_int_equal(cgt_parse_rate("256Mi/s", &v), 0);
	assert_int_equal(v, 256ULL << 20);
	assert_int_equal(cgt_parse_rate("1G", &v), 0);
	assert_int_equal(v, 1ULL << 30);
	assert_int_equal(cgt_parse_rate("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cgt_parse_rate("max", &v), 0);
	assert_true(v == CGT_UNLIMITED);
	assert_int_equal(cgt_parse_rate("max/s", &v), -EINVAL);
	assert_int_equal(cgt_parse_rate("/s", &v), -EINVAL);
	assert_int_equal(cgt_parse_rate("1G/m", &v), -EINVAL);
	assert_int_equal(cgt_parse_rate("16777216Ti/s", &v), -ERANGE);
	assert_int_equal(cgt_conf_parse_u64("123", &v), 0);
	assert_int_equal(v, 123);
	assert_int_equal(cgt_conf_parse_u64("12a", &v), -EINVAL);
}

static void test_format_roundtrip(void **state)
{
	static const uint64_t sizes[] = { 0, 1, 1023, 1024, 3 << 20, 8ULL << 30, 5ULL << 40,
					  (1ULL << 50), 1536 };
	static const uint32_t pcts[] = { 0, 1, 10, 99, 1250, 9500, 10000 };
	static const uint64_t durs[] = { 0, 1, 999, 500000, 10000000, 90000000, 5400000001ULL };
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t v;

		assert_int_equal(cgt_parse_size(cgt_format_size(sizes[i], buf, sizeof(buf)), &v), 0);
		assert_true(v == sizes[i]);
	}
	assert_string_equal(cgt_format_size(8ULL << 30, buf, sizeof(buf)), "8Gi");
	assert_string_equal(cgt_format_size(CGT_UNLIMITED, buf, sizeof(buf)), "max");
	for (i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++) {
		uint32_t v;

		assert_int_equal(cgt_parse_percent(cgt_format_percent(pcts[i], buf, sizeof(buf)), &v), 0);
		assert_int_equal(v, pcts[i]);
	}
	assert_string_equal(cgt_format_percent(1250, buf, sizeof(buf)), "12.5%");
	assert_string_equal(cgt_format_percent(1, buf, sizeof(buf)), "0.01%");
	for (i = 0; i < sizeof(durs) / sizeof(durs[0]); i++) {
		uint64_t v;

		assert_int_equal(cgt_parse_duration(cgt_format_duration(durs[i], buf, sizeof(buf)), &v), 0);
		assert_true(v == durs[i]);
	}
	assert_string_equal(cgt_format_duration(90000000, buf, sizeof(buf)), "1m30s");
	assert_string_equal(cgt_format_duration(500000, buf, sizeof(buf)), "500ms");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_format_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
