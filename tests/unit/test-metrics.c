// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-metrics.c - unit tests for tests/workload/metrics.c and include/cgtier/rng.h.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "metrics.h"
#include "cgtier/rng.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* cmocka 1.1.0 has no assert_float_equal. */
#define assert_double_near(a, b, eps) assert_true(fabs((a) - (b)) <= (eps))
#define assert_double_exact(a, b) assert_true((a) == (b))

#define SENTINEL UINT64_C(0xdeadbeefcafef00d)

static struct cgt_nodemask mask_of(const char *list)
{
	struct cgt_nodemask m;

	assert_int_equal(cgt_nodemask_parse(list, &m), 0);
	return m;
}

/* --- wl_metrics_hits ------------------------------------------------------ */

static void test_hits_basic(void **state)
{
	const uint64_t counts[] = { 5, 1, 3, 7, 2, 4 };
	const int nodes[] = { 0, 1, -2, 1, 2, 5000 };
	struct cgt_nodemask fast;
	uint64_t hits, total;

	(void)state;
	fast = mask_of("0,2");
	assert_int_equal(wl_metrics_hits(counts, nodes, ARRAY_SIZE(counts),
					  &fast, &hits, &total), 0);
	assert_int_equal(hits, 7);
	assert_int_equal(total, 22);

	fast = mask_of("1");
	assert_int_equal(wl_metrics_hits(counts, nodes, ARRAY_SIZE(counts),
					  &fast, &hits, &total), 0);
	assert_int_equal(hits, 8);
	assert_int_equal(total, 22);

	/* Every present page fast: only the absent page (3) and the
	 * out-of-range node (4) miss. */
	fast = mask_of("0-2");
	assert_int_equal(wl_metrics_hits(counts, nodes, ARRAY_SIZE(counts),
					  &fast, &hits, &total), 0);
	assert_int_equal(hits, 15);

	fast = mask_of("");
	assert_int_equal(wl_metrics_hits(counts, nodes, ARRAY_SIZE(counts),
					  &fast, &hits, &total), 0);
	assert_int_equal(hits, 0);
	assert_int_equal(total, 22);
}

static void test_hits_empty(void **state)
{
	struct cgt_nodemask fast = mask_of("0");
	uint64_t hits = SENTINEL, total = SENTINEL;

	(void)state;
	assert_int_equal(wl_metrics_hits(NULL, NULL, 0, &fast, &hits, &total), 0);
	assert_int_equal(hits, 0);
	assert_int_equal(total, 0);
}

static void test_hits_einval(void **state)
{
	const uint64_t counts[] = { 1, 2 };
	const int nodes[] = { 0, 0 };
	struct cgt_nodemask fast = mask_of("0");
	uint64_t hits = SENTINEL, total = SENTINEL;

	(void)state;
	assert_int_equal(wl_metrics_hits(NULL, nodes, 2, &fast, &hits, &total), -EINVAL);
	assert_int_equal(wl_metrics_hits(counts, NULL, 2, &fast, &hits, &total), -EINVAL);
	assert_int_equal(wl_metrics_hits(counts, nodes, 2, NULL, &hits, &total), -EINVAL);
	assert_int_equal(wl_metrics_hits(counts, nodes, 2, &fast, NULL, &total), -EINVAL);
	assert_int_equal(wl_metrics_hits(counts, nodes, 2, &fast, &hits, NULL), -EINVAL);
	assert_int_equal(hits, SENTINEL);
	assert_int_equal(total, SENTINEL);
}

static void test_hits_overflow(void **state)
{
	const uint64_t counts[] = { UINT64_MAX, 1 };
	const int nodes[] = { 0, 1 };
	struct cgt_nodemask fast = mask_of("0");
	uint64_t hits = SENTINEL, total = SENTINEL;

	(void)state;
	assert_int_equal(wl_metrics_hits(counts, nodes, 2, &fast, &hits, &total),
			 -EOVERFLOW);
	assert_int_equal(hits, SENTINEL);
	assert_int_equal(total, SENTINEL);
}

/* --- selection and the oracle ---------------------------------------------- */

static void test_kth_largest(void **state)
{
	const uint64_t counts[] = { 4, 9, 1, 9, 3, 0, 7 };
	const uint64_t expect[] = { 9, 9, 7, 4, 3, 1, 0 };
	uint64_t scratch[ARRAY_SIZE(counts)], v = SENTINEL;

	(void)state;
	for (size_t k = 1; k <= ARRAY_SIZE(counts); k++) {
		assert_int_equal(wl_metrics_kth_largest(counts, ARRAY_SIZE(counts),
							 k, scratch, &v), 0);
		assert_int_equal(v, expect[k - 1]);
	}
	v = SENTINEL;
	assert_int_equal(wl_metrics_kth_largest(counts, 7, 0, scratch, &v), -EINVAL);
	assert_int_equal(wl_metrics_kth_largest(counts, 7, 8, scratch, &v), -EINVAL);
	assert_int_equal(wl_metrics_kth_largest(counts, 7, 1, NULL, &v), -EINVAL);
	assert_int_equal(wl_metrics_kth_largest(counts, 7, 1, scratch, NULL), -EINVAL);
	assert_int_equal(wl_metrics_kth_largest(NULL, 7, 1, scratch, &v), -EINVAL);
	assert_int_equal(wl_metrics_kth_largest(NULL, 0, 1, NULL, &v), -EINVAL);
	assert_int_equal(v, SENTINEL);
}

static void test_topk_exact(void **state)
{
	const uint64_t counts[] = { 4, 9, 1, 9, 3, 0, 7 };
	/* Sorted: 9 9 7 4 3 1 0; prefix sums: */
	const uint64_t expect[] = { 0, 9, 18, 25, 29, 32, 33, 33 };
	uint64_t copy[ARRAY_SIZE(counts)], scratch[ARRAY_SIZE(counts)], s;

	(void)state;
	memcpy(copy, counts, sizeof(copy));
	for (size_t k = 0; k < ARRAY_SIZE(expect); k++) {
		s = SENTINEL;
		assert_int_equal(wl_metrics_topk_sum(counts, ARRAY_SIZE(counts), k,
						      scratch, &s), 0);
		assert_int_equal(s, expect[k]);
	}
	/* K >= n sums everything. */
	assert_int_equal(wl_metrics_topk_sum(counts, 7, 1000, scratch, &s), 0);
	assert_int_equal(s, 33);
	/* The input is left alone. */
	assert_memory_equal(copy, counts, sizeof(copy));
}

static void test_topk_ties(void **state)
{
	const uint64_t tied[] = { 5, 1, 5, 5, 5 };
	const uint64_t zeros[6] = { 0 };
	const uint64_t expect[] = { 0, 5, 10, 15, 20, 21 };
	uint64_t scratch[8], s;

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(expect); k++) {
		assert_int_equal(wl_metrics_topk_sum(tied, ARRAY_SIZE(tied), k,
						      scratch, &s), 0);
		assert_int_equal(s, expect[k]);
	}
	for (size_t k = 0; k <= ARRAY_SIZE(zeros); k++) {
		s = SENTINEL;
		assert_int_equal(wl_metrics_topk_sum(zeros, ARRAY_SIZE(zeros), k,
						      scratch, &s), 0);
		assert_int_equal(s, 0);
	}
	/* n = 0: the empty sum. */
	s = SENTINEL;
	assert_int_equal(wl_metrics_topk_sum(NULL, 0, 3, NULL, &s), 0);
	assert_int_equal(s, 0);
}

static void test_topk_einval(void **state)
{
	uint64_t counts[] = { 3, 2, 1 };
	uint64_t scratch[3], s = SENTINEL;

	(void)state;
	assert_int_equal(wl_metrics_topk_sum(counts, 3, 2, counts, &s), -EINVAL);
	assert_int_equal(wl_metrics_topk_sum(counts, 3, 2, NULL, &s), -EINVAL);
	assert_int_equal(wl_metrics_topk_sum(NULL, 3, 2, scratch, &s), -EINVAL);
	assert_int_equal(wl_metrics_topk_sum(counts, 3, 2, scratch, NULL), -EINVAL);
	/* Bad arguments are rejected whatever K is. */
	assert_int_equal(wl_metrics_topk_sum(counts, 3, 0, NULL, &s), -EINVAL);
	assert_int_equal(wl_metrics_topk_sum(counts, 3, 9, counts, &s), -EINVAL);
	assert_int_equal(s, SENTINEL);
}

static void test_topk_overflow(void **state)
{
	const uint64_t counts[] = { UINT64_MAX, 1, 2, UINT64_MAX };
	uint64_t scratch[4], s = SENTINEL;

	(void)state;
	assert_int_equal(wl_metrics_topk_sum(counts, 4, 1, scratch, &s), 0);
	assert_int_equal(s, UINT64_MAX);
	s = SENTINEL;
	assert_int_equal(wl_metrics_topk_sum(counts, 4, 2, scratch, &s), -EOVERFLOW);
	assert_int_equal(wl_metrics_topk_sum(counts, 4, 4, scratch, &s), -EOVERFLOW);
	assert_int_equal(s, SENTINEL);
}

static int cmp_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y) - (x > y);
}

/* Against a sort-based reference, over sizes, K and value ranges. */
static void test_topk_vs_sort(void **state)
{
	enum { MAX_N = 300 };
	static const uint64_t ranges[] = { 1, 2, 3, 10, 1000, UINT64_C(1) << 40 };
	uint64_t *counts, *sorted, *scratch;
	struct cgt_rng rng;

	(void)state;
	counts = malloc(MAX_N * sizeof(*counts));
	sorted = malloc(MAX_N * sizeof(*sorted));
	scratch = malloc(MAX_N * sizeof(*scratch));
	assert_non_null(counts);
	assert_non_null(sorted);
	assert_non_null(scratch);
	cgt_rng_seed(&rng, 42);
	for (size_t n = 1; n <= MAX_N; n += (n < 40 ? 1 : 37)) {
		for (size_t r = 0; r < ARRAY_SIZE(ranges); r++) {
			uint64_t ref = 0;

			for (size_t i = 0; i < n; i++)
				counts[i] = cgt_rng_below(&rng, ranges[r]);
			/* Also sorted and reverse-sorted inputs. */
			if (r == 3)
				qsort(counts, n, sizeof(*counts), cmp_desc);
			memcpy(sorted, counts, n * sizeof(*counts));
			qsort(sorted, n, sizeof(*sorted), cmp_desc);
			if (r == 4)
				for (size_t i = 0; i < n; i++)
					counts[i] = sorted[n - 1 - i];
			for (size_t k = 0; k <= n; k++) {
				uint64_t s, v;

				assert_int_equal(wl_metrics_topk_sum(counts, n, k,
								      scratch, &s), 0);
				assert_int_equal(s, ref);
				if (k < n) {
					assert_int_equal(wl_metrics_kth_largest(
						counts, n, k + 1, scratch, &v), 0);
					assert_int_equal(v, sorted[k]);
					ref += sorted[k];
				}
			}
		}
	}
	free(counts);
	free(sorted);
	free(scratch);
}

/* --- the lagged oracle ----------------------------------------------------- */

static void test_lagged_exact(void **state)
{
	const uint64_t prev[] = { 10, 0, 5, 5, 0, 1 };
	const uint64_t cur[] = { 1, 2, 3, 4, 5, 6 };
	/*
	 * k=1: page 0 -> 1.
	 * k=2: page 0, then one of the tied pages 2,3 (cur 3+4): 1 + 7/2.
	 * k=3: pages 0,2,3 -> 8.  k=4: + page 5 -> 14.
	 * k=5: + one of the zero pages 1,4 (cur 2+5): 14 + 7/2.  k=6: 21.
	 */
	const double expect[] = { 0.0, 1.0, 4.5, 8.0, 14.0, 17.5, 21.0 };
	uint64_t scratch[6];
	double v;

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(expect); k++) {
		v = -1.0;
		assert_int_equal(wl_metrics_lagged_oracle(prev, cur, 6, k, scratch,
							   &v), 0);
		assert_double_exact(v, expect[k]);
	}
	assert_int_equal(wl_metrics_lagged_oracle(prev, cur, 6, 99, scratch, &v), 0);
	assert_double_exact(v, 21.0);
}

static void test_lagged_no_history(void **state)
{
	const uint64_t prev[6] = { 0 };
	const uint64_t cur[] = { 1, 2, 3, 4, 5, 6 };
	uint64_t scratch[6];
	double v = -1.0;

	(void)state;
	/* Nothing to go by: K/n of the accesses. */
	assert_int_equal(wl_metrics_lagged_oracle(prev, cur, 6, 2, scratch, &v), 0);
	assert_double_exact(v, 7.0);
	assert_int_equal(wl_metrics_lagged_oracle(prev, cur, 6, 3, scratch, &v), 0);
	assert_double_exact(v, 10.5);
}

static void test_lagged_same_window(void **state)
{
	/* With prev == cur (distinct values) it is the oracle itself. */
	const uint64_t c[] = { 8, 3, 11, 0, 6, 2 };
	uint64_t scratch[6], s;
	double v;

	(void)state;
	for (size_t k = 0; k <= 6; k++) {
		assert_int_equal(wl_metrics_topk_sum(c, 6, k, scratch, &s), 0);
		assert_int_equal(wl_metrics_lagged_oracle(c, c, 6, k, scratch, &v), 0);
		assert_double_exact(v, (double)s);
	}
}

static void test_lagged_einval(void **state)
{
	uint64_t prev[] = { 1, 2 }, cur[] = { 3, 4 }, scratch[2];
	double v = -1.0;

	(void)state;
	assert_int_equal(wl_metrics_lagged_oracle(NULL, cur, 2, 1, scratch, &v), -EINVAL);
	assert_int_equal(wl_metrics_lagged_oracle(prev, NULL, 2, 1, scratch, &v), -EINVAL);
	assert_int_equal(wl_metrics_lagged_oracle(prev, cur, 2, 1, NULL, &v), -EINVAL);
	assert_int_equal(wl_metrics_lagged_oracle(prev, cur, 2, 1, prev, &v), -EINVAL);
	assert_int_equal(wl_metrics_lagged_oracle(prev, cur, 2, 1, cur, &v), -EINVAL);
	assert_int_equal(wl_metrics_lagged_oracle(prev, cur, 2, 1, scratch, NULL), -EINVAL);
	assert_double_exact(v, -1.0);
	assert_int_equal(wl_metrics_lagged_oracle(NULL, NULL, 0, 1, NULL, &v), 0);
	assert_double_exact(v, 0.0);
}

/* --- Zipf ------------------------------------------------------------------ */

static void assert_cdf_valid(const struct wl_zipf *z)
{
	for (size_t i = 0; i < z->n; i++) {
		assert_true(z->cdf[i] >= 0.0);
		assert_true(z->cdf[i] <= 1.0);
		if (i > 0)
			assert_true(z->cdf[i] >= z->cdf[i - 1]);
	}
	assert_double_exact(z->cdf[z->n - 1], 1.0);
}

static void test_zipf_uniform(void **state)
{
	struct wl_zipf z;

	(void)state;
	assert_int_equal(wl_zipf_init(&z, 4, 0.0, NULL), 0);
	assert_int_equal(z.n, 4);
	assert_true(z.owned);
	assert_double_exact(z.cdf[0], 0.25);
	assert_double_exact(z.cdf[1], 0.5);
	assert_double_exact(z.cdf[2], 0.75);
	assert_double_exact(z.cdf[3], 1.0);
	wl_zipf_free(&z);
	assert_null(z.cdf);
	assert_int_equal(z.n, 0);

	assert_int_equal(wl_zipf_init(&z, 1000, 0.0, NULL), 0);
	assert_cdf_valid(&z);
	for (size_t i = 0; i < 1000; i++)
		assert_double_near(z.cdf[i], (double)(i + 1) / 1000.0, 1e-15);
	wl_zipf_free(&z);
}

static void test_zipf_skewed(void **state)
{
	static const double skews[] = { 0.5, 0.99, 1.0, 2.0, 3.0, 100.0 };
	struct wl_zipf z;

	(void)state;
	/* n = 3, skew 1: weights 1, 1/2, 1/3, total 11/6. */
	assert_int_equal(wl_zipf_init(&z, 3, 1.0, NULL), 0);
	assert_double_near(z.cdf[0], 6.0 / 11.0, 1e-15);
	assert_double_near(z.cdf[1], 9.0 / 11.0, 1e-15);
	assert_double_exact(z.cdf[2], 1.0);
	wl_zipf_free(&z);

	/* n = 2, skew 2: weights 1, 1/4. */
	assert_int_equal(wl_zipf_init(&z, 2, 2.0, NULL), 0);
	assert_double_exact(z.cdf[0], 0.8);
	wl_zipf_free(&z);

	for (size_t s = 0; s < ARRAY_SIZE(skews); s++) {
		assert_int_equal(wl_zipf_init(&z, 5000, skews[s], NULL), 0);
		assert_cdf_valid(&z);
		/* Strictly more mass on rank 0 than on rank 1. */
		assert_true(z.cdf[0] > z.cdf[1] - z.cdf[0]);
		wl_zipf_free(&z);
	}
	/* A single rank. */
	assert_int_equal(wl_zipf_init(&z, 1, 0.99, NULL), 0);
	assert_double_exact(z.cdf[0], 1.0);
	assert_int_equal(wl_zipf_sample(&z, 0.0), 0);
	assert_int_equal(wl_zipf_sample(&z, 0.999), 0);
	wl_zipf_free(&z);
}

static void test_zipf_caller_table(void **state)
{
	double table[4];
	struct wl_zipf z;

	(void)state;
	assert_int_equal(wl_zipf_init(&z, 4, 0.0, table), 0);
	assert_ptr_equal(z.cdf, table);
	assert_false(z.owned);
	assert_double_exact(table[1], 0.5);
	wl_zipf_free(&z); /* must not free the stack array */
	assert_null(z.cdf);
	wl_zipf_free(&z); /* idempotent */
	wl_zipf_free(NULL);
}

static void test_zipf_sample(void **state)
{
	struct wl_zipf z;

	(void)state;
	assert_int_equal(wl_zipf_init(&z, 4, 0.0, NULL), 0);
	assert_int_equal(wl_zipf_sample(&z, 0.0), 0);
	assert_int_equal(wl_zipf_sample(&z, 0.2499), 0);
	assert_int_equal(wl_zipf_sample(&z, 0.25), 1);
	assert_int_equal(wl_zipf_sample(&z, 0.5), 2);
	assert_int_equal(wl_zipf_sample(&z, 0.7499), 2);
	assert_int_equal(wl_zipf_sample(&z, 0.75), 3);
	assert_int_equal(wl_zipf_sample(&z, nextafter(1.0, 0.0)), 3);
	/* Out of range: clamped. */
	assert_int_equal(wl_zipf_sample(&z, 1.0), 3);
	assert_int_equal(wl_zipf_sample(&z, 7.5), 3);
	assert_int_equal(wl_zipf_sample(&z, -0.5), 0);
	assert_int_equal(wl_zipf_sample(&z, NAN), 0);
	wl_zipf_free(&z);

	assert_int_equal(wl_zipf_init(&z, 3, 1.0, NULL), 0);
	assert_int_equal(wl_zipf_sample(&z, 0.5), 0);
	assert_int_equal(wl_zipf_sample(&z, z.cdf[0]), 1);
	assert_int_equal(wl_zipf_sample(&z, 0.8), 1);
	assert_int_equal(wl_zipf_sample(&z, z.cdf[1]), 2);
	wl_zipf_free(&z);

	/* Ranks of zero probability (weights underflow) are never drawn. */
	assert_int_equal(wl_zipf_init(&z, 1000, 100.0, NULL), 0);
	assert_int_equal(wl_zipf_sample(&z, nextafter(1.0, 0.0)), 0);
	wl_zipf_free(&z);

	/* An empty distribution is harmless. */
	memset(&z, 0, sizeof(z));
	assert_int_equal(wl_zipf_sample(&z, 0.5), 0);
	assert_int_equal(wl_zipf_sample(NULL, 0.5), 0);
}

static void test_zipf_einval(void **state)
{
	struct wl_zipf z, orig;

	(void)state;
	memset(&z, 0x5a, sizeof(z));
	orig = z;
	assert_int_equal(wl_zipf_init(&z, 0, 1.0, NULL), -EINVAL);
	assert_int_equal(wl_zipf_init(&z, WL_ZIPF_MAX_N + 1, 1.0, NULL), -EINVAL);
	assert_int_equal(wl_zipf_init(&z, 10, -0.1, NULL), -EINVAL);
	assert_int_equal(wl_zipf_init(&z, 10, NAN, NULL), -EINVAL);
	assert_int_equal(wl_zipf_init(&z, 10, INFINITY, NULL), -EINVAL);
	assert_int_equal(wl_zipf_init(&z, 10, WL_ZIPF_MAX_SKEW * 2, NULL), -EINVAL);
	assert_int_equal(wl_zipf_init(NULL, 10, 1.0, NULL), -EINVAL);
	assert_memory_equal(&z, &orig, sizeof(z));
}

/* --- rng ------------------------------------------------------------------- */

static void test_rng(void **state)
{
	struct cgt_rng a, b;
	uint64_t sm = 0;

	(void)state;
	/* splitmix64's well-known first output from state 0. */
	assert_int_equal(cgt_splitmix64(&sm), UINT64_C(0xe220a8397b1dcdaf));
	cgt_rng_seed(&a, 7);
	cgt_rng_seed(&b, 7);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(cgt_rng_next(&a), cgt_rng_next(&b));
	cgt_rng_seed(&b, 8);
	assert_int_not_equal(cgt_rng_next(&a), cgt_rng_next(&b));
	for (int i = 0; i < 10000; i++) {
		double d = cgt_rng_double(&a);

		assert_true(d >= 0.0 && d < 1.0);
		assert_true(cgt_rng_below(&a, 7) < 7);
		assert_int_equal(cgt_rng_below(&a, 1), 0);
		assert_int_equal(cgt_rng_below(&a, 0), 0);
		assert_true(cgt_rng_below(&a, UINT64_MAX) < UINT64_MAX);
	}
}

static void test_rng_below_uniform(void **state)
{
	enum { BUCKETS = 10, DRAWS = 100000 };
	unsigned hist[BUCKETS] = { 0 };
	struct cgt_rng r;

	(void)state;
	cgt_rng_seed(&r, 1);
	for (int i = 0; i < DRAWS; i++)
		hist[cgt_rng_below(&r, BUCKETS)]++;
	/* Expected 10000 each, sd ~95: 10 sd is a deterministic-seed sanity check. */
	for (int i = 0; i < BUCKETS; i++)
		assert_in_range(hist[i], 9050, 10950);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hits_basic),
		cmocka_unit_test(test_hits_empty),
		cmocka_unit_test(test_hits_einval),
		cmocka_unit_test(test_hits_overflow),
		cmocka_unit_test(test_kth_largest),
		cmocka_unit_test(test_topk_exact),
		cmocka_unit_test(test_topk_ties),
		cmocka_unit_test(test_topk_einval),
		cmocka_unit_test(test_topk_overflow),
		cmocka_unit_test(test_topk_vs_sort),
		cmocka_unit_test(test_lagged_exact),
		cmocka_unit_test(test_lagged_no_history),
		cmocka_unit_test(test_lagged_same_window),
		cmocka_unit_test(test_lagged_einval),
		cmocka_unit_test(test_zipf_uniform),
		cmocka_unit_test(test_zipf_skewed),
		cmocka_unit_test(test_zipf_caller_table),
		cmocka_unit_test(test_zipf_sample),
		cmocka_unit_test(test_zipf_einval),
		cmocka_unit_test(test_rng),
		cmocka_unit_test(test_rng_below_uniform),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
