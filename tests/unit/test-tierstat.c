// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-tierstat.c - memory.tier.stat, memory.tier.max and memory.tier.events
 * parsers: the files as the patched kernel prints them (fixture tierstat/),
 * and truncated, garbage and huge inputs (reliability D4).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cgtier/fs.h"
#include "cgtier/tierstat.h"
#include "unit.h"

static void read_fixture(const char *file, char *buf, size_t len)
{
	struct cgt_fs fs;
	char rel[256];

	assert_int_equal(cgt_fs_open(&fs, fixture("tierstat")), 0);
	snprintf(rel, sizeof(rel), "/%s", file);
	assert_true(cgt_fs_read(&fs, rel, buf, len) > 0);
	cgt_fs_close(&fs);
}

static void test_stat_fixture(void **state)
{
	struct cgt_tierstat ts;
	char buf[4096];

	read_fixture("memory.tier.stat", buf, sizeof(buf));
	assert_int_equal(cgt_tierstat_parse(buf, &ts), 0);
	assert_int_equal(ts.nr, 2);
	assert_int_equal(ts.rows[0].tier, 4);
	assert_int_equal(ts.rows[1].tier, 67);
	assert_int_equal(ts.rows[0].v[CGT_TS_CHARGED], 8388608);
	assert_int_equal(ts.rows[0].v[CGT_TS_ANON], 4194304);
	assert_int_equal(ts.rows[0].v[CGT_TS_PROMOTED], 1048576);
	assert_int_equal(ts.rows[1].v[CGT_TS_CHARGED], 67108864);
	assert_int_equal(ts.rows[1].v[CGT_TS_DEMOTE_FAILED], 4096);
	assert_int_equal(ts.rows[1].v[CGT_TS_REDIRECTED], 65536);
	assert_int_equal(ts.rows[0].have, (1u << _CGT_TS_MAX) - 1);
	assert_string_equal(cgt_tierstat_key_name(CGT_TS_DEMOTED_QUOTA), "demoted_quota");
	assert_null(cgt_tierstat_key_name(_CGT_TS_MAX));
}

/* The first kernel patch printed fewer keys; a later one may print more. */
static void test_stat_keys(void **state)
{
	struct cgt_tierstat ts;

	assert_int_equal(cgt_tierstat_parse("tier4 charged=1 anon=1 file=0 promoted=0 "
					    "demoted=0 demoted_reclaim=0\n"
					    "tier22 charged=2", &ts), 0);
	assert_int_equal(ts.nr, 2);
	assert_int_equal(ts.rows[1].v[CGT_TS_CHARGED], 2);
	assert_int_equal(ts.rows[1].have, 1u << CGT_TS_CHARGED);
	assert_int_equal(ts.rows[0].v[CGT_TS_REDIRECTED], 0);
	assert_int_equal(cgt_tierstat_parse("tier4 charged=5 future_key=7 x1=0\n", &ts), 0);
	assert_int_equal(ts.rows[0].v[CGT_TS_CHARGED], 5);
	assert_int_equal(cgt_tierstat_parse("tier4\tcharged=5\tanon=1", &ts), 0);
	assert_int_equal(ts.rows[0].v[CGT_TS_ANON], 1);
	assert_int_equal(cgt_tierstat_parse("", &ts), 0);
	assert_int_equal(ts.nr, 0);
}

static void test_stat_bad(void **state)
{
	static const struct {
		const char *text;
		int err;
	} bad[] = {
		{ "tier4 charged=", -EINVAL },                 /* truncated */
		{ "tier4 charged", -EINVAL },
		{ "tier4 charg", -EINVAL },
		{ "tier4 ", -EINVAL },                         /* no charged */
		{ "tier4", -EINVAL },
		{ "tier", -EINVAL },
		{ "tier4 anon=1", -EINVAL },                   /* charged missing */
		{ "tier4 charged=-1", -EINVAL },
		{ "tier4 charged=+1", -EINVAL },
		{ "tier4 charged=0x10", -EINVAL },
		{ "tier4 charged=1k", -EINVAL },
		{ "tier4 charged=18446744073709551616", -ERANGE },
		{ "tier4 charged=99999999999999999999999", -ERANGE },
		{ "tier4 charged=1 charged=2", -EINVAL },     /* duplicate key */
		{ "tier4 charged=1\ntier4 charged=2", -EINVAL }, /* duplicate tier */
		{ "tier4 charged=1\n\ntier5 charged=1", -EINVAL },
		{ "tier99999999 charged=1", -ERANGE },
		{ "tier-1 charged=1", -EINVAL },
		{ "Tier4 charged=1", -EINVAL },
		{ " tier4 charged=1", -EINVAL },
		{ "tier4charged=1", -EINVAL },
		{ "tier4 CHARGED=1", -EINVAL },
		{ "tier4 charged=1=2", -EINVAL },
		{ "tier4 =1", -EINVAL },
		{ "tier4 charged=1 anon", -EINVAL },
		{ "tier4 charged=1anon=2", -EINVAL },          /* no blank */
		{ "tier4 charged=1 a123456789a123456789a123456789a123456789"
		  "a123456789a123456789a1234=1", -EINVAL },     /* 65-byte key */
		{ "N0=1 N1=2", -EINVAL },                       /* numa_stat */
		{ "\x01\xff garbage", -EINVAL },
	};
	struct cgt_tierstat ts = { .nr = 42 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("# \"%s\"\n", bad[i].text);
		assert_int_equal(cgt_tierstat_parse(bad[i].text, &ts), bad[i].err);
	}
	assert_int_equal(ts.nr, 42); /* not written on failure */
	assert_int_equal(cgt_tierstat_parse(NULL, &ts), -EINVAL);
}

/* 1 MiB inputs: too many tiers, one endless line, endless digits. */
static void test_huge(void **state)
{
	const size_t len = 1 << 20;
	char *big = malloc(len + 1);
	struct cgt_tierstat ts;
	struct cgt_tiermax tm;
	struct cgt_tierevents te;
	size_t n = 0;

	assert_non_null(big);
	for (int t = 0; n + 32 < len; t++)
		n += (size_t)sprintf(big + n, "tier%d charged=%d\n", t, t);
	assert_int_equal(cgt_tierstat_parse(big, &ts), -E2BIG);
	n = 0;
	for (int t = 0; n + 32 < len; t++)
		n += (size_t)sprintf(big + n, "tier%d max\n", t);
	assert_int_equal(cgt_tiermax_parse(big, &tm), -E2BIG);
	n = 0;
	for (int t = 0; n + 32 < len; t++)
		n += (size_t)sprintf(big + n, "tier%d.max 1\n", t);
	assert_int_equal(cgt_tierevents_parse(big, &te), -E2BIG);
	/* one line of a million keys */
	n = (size_t)sprintf(big, "tier4 charged=1");
	while (n + 8 < len)
		n += (size_t)sprintf(big + n, " zz=1");
	assert_int_equal(cgt_tierstat_parse(big, &ts), 0);
	assert_int_equal(ts.rows[0].v[CGT_TS_CHARGED], 1);
	/* a million digits */
	memcpy(big, "tier4 charged=", 14);
	memset(big + 14, '9', len - 14);
	big[len] = '\0';
	assert_int_equal(cgt_tierstat_parse(big, &ts), -ERANGE);
	memset(big + 14, '0', len - 14);
	assert_int_equal(cgt_tierstat_parse(big, &ts), 0);
	/* a million-letter key */
	memset(big + 6, 'a', len - 6);
	assert_int_equal(cgt_tierstat_parse(big, &ts), -EINVAL);
	free(big);
}

static void test_max(void **state)
{
	struct cgt_tiermax tm = { .nr = 42 };
	char buf[4096];

	read_fixture("memory.tier.max", buf, sizeof(buf));
	assert_int_equal(cgt_tiermax_parse(buf, &tm), 0);
	assert_int_equal(tm.nr, 2);
	assert_int_equal(tm.rows[0].tier, 4);
	assert_int_equal(tm.rows[0].max, 67108864);
	assert_int_equal(tm.rows[1].tier, 67);
	assert_true(tm.rows[1].max == UINT64_MAX);
	assert_int_equal(cgt_tiermax_parse("tier4 0\n", &tm), 0);
	assert_int_equal(tm.rows[0].max, 0);
	assert_int_equal(cgt_tiermax_parse("tier4 18446744073709551615", &tm), 0);
	assert_true(tm.rows[0].max == UINT64_MAX);

	static const struct {
		const char *text;
		int err;
	} bad[] = {
		{ "tier4", -EINVAL }, { "tier4 ", -EINVAL }, { "tier4 ma", -EINVAL },
		{ "tier4 maxx", -EINVAL }, { "tier4 max 1", -EINVAL },
		{ "tier4 1G", -EINVAL }, { "tier4 -1", -EINVAL },
		{ "tier4 18446744073709551616", -ERANGE }, { "tier4 max\ntier4 1", -EINVAL },
		{ "4 max", -EINVAL }, { "tier4=max", -EINVAL }, { "tier4 max\n\n", -EINVAL },
	};
	tm.nr = 42;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("# \"%s\"\n", bad[i].text);
		assert_int_equal(cgt_tiermax_parse(bad[i].text, &tm), bad[i].err);
	}
	assert_int_equal(tm.nr, 42);
}

static void test_max_format(void **state)
{
	char buf[32];

	assert_int_equal(cgt_tiermax_format(4, 1073741824, buf, sizeof(buf)), 16);
	assert_string_equal(buf, "tier4 1073741824");
	assert_int_equal(cgt_tiermax_format(67, UINT64_MAX, buf, sizeof(buf)), 10);
	assert_string_equal(buf, "tier67 max");
	assert_int_equal(cgt_tiermax_format(4, 1073741824, buf, 16), -ENOSPC);
	assert_int_equal(cgt_tiermax_format(-1, 0, buf, sizeof(buf)), -EINVAL);
}

static void test_events(void **state)
{
	struct cgt_tierevents te = { .nr = 42 };
	char buf[4096];

	read_fixture("memory.tier.events", buf, sizeof(buf));
	assert_int_equal(cgt_tierevents_parse(buf, &te), 0);
	assert_int_equal(te.nr, 2);
	assert_int_equal(te.rows[0].tier, 4);
	assert_int_equal(te.rows[0].v[CGT_TE_MAX], 3);
	assert_int_equal(te.rows[0].v[CGT_TE_DEMOTE_FAILED], 1);
	assert_int_equal(te.rows[0].v[CGT_TE_PROMOTE_REFUSED], 17);
	assert_int_equal(te.rows[1].tier, 67);
	assert_int_equal(te.rows[1].have, (1u << _CGT_TE_MAX) - 1);
	/* older kernels lack promote_refused; newer ones may add events */
	assert_int_equal(cgt_tierevents_parse("tier4.max 1\ntier4.new_thing 5", &te), 0);
	assert_int_equal(te.nr, 1);
	assert_int_equal(te.rows[0].have, 1u << CGT_TE_MAX);

	static const char *const bad[] = {
		"tier4.max", "tier4.max ", "tier4 max 1", "tier4.max=1", "tier4max 1",
		"tier4.max 1 2", "tier4.max x", "tier4.max 1\ntier4.max 2", "tier4. 1",
		".max 1", "tier4.MAX 1",
	};
	te.nr = 42;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("# \"%s\"\n", bad[i]);
		assert_int_equal(cgt_tierevents_parse(bad[i], &te), -EINVAL);
	}
	assert_int_equal(cgt_tierevents_parse("tier4.max 99999999999999999999", &te), -ERANGE);
	assert_int_equal(te.nr, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_fixture),
		cmocka_unit_test(test_stat_keys),
		cmocka_unit_test(test_stat_bad),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_max),
		cmocka_unit_test(test_max_format),
		cmocka_unit_test(test_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
