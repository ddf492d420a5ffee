// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * metrics.c - ground-truth placement metrics: hit ratio, oracle, Zipf.
 *
 * Pure functions: no I/O, no globals, no allocation except the Zipf table
 * when the caller asks for it.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "metrics.h"
#include "cgtier/rng.h"

int wl_metrics_hits(const uint64_t *counts, const int *nodes, size_t n,
		     const struct cgt_nodemask *fast, uint64_t *hits,
		     uint64_t *total)
{
	uint64_t h = 0, t = 0;

	if ((n > 0 && (!counts || !nodes)) || !fast || !hits || !total)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (__builtin_add_overflow(t, counts[i], &t))
			return -EOVERFLOW;
		/* h <= t, so it cannot overflow once t did not. */
		if (nodes[i] >= 0 && cgt_nodemask_test(fast, nodes[i]))
			h += counts[i];
	}
	*hits = h;
	*total = t;
	return 0;
}

static inline void swap_u64(uint64_t *a, uint64_t *b)
{
	uint64_t t = *a;

	*a = *b;
	*b = t;
}

static inline uint64_t median3(uint64_t a, uint64_t b, uint64_t c)
{
	if (a > b)
		swap_u64(&a, &b);
	if (b > c)
		b = c;
	return a > b ? a : b;
}

/*
 * Value at 0-based position @t of @a[0..@n) sorted in descending order,
 * reordering @a.  Quickselect with a three-way partition around the median
 * of three pseudo-randomly chosen elements; the pseudo-random state is local
 * and seeded from @n, so the result and the cost are deterministic.
 */
static uint64_t select_desc(uint64_t *a, size_t n, size_t t)
{
	uint64_t state = n;
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		size_t len = hi - lo, lt = lo, i = lo, gt = hi;
		uint64_t p;

		p = median3(a[lo + cgt_splitmix64(&state) % len],
			    a[lo + cgt_splitmix64(&state) % len],
			    a[lo + cgt_splitmix64(&state) % len]);
		/* [lo, lt) > p, [lt, i) == p, [i, gt) unknown, [gt, hi) < p */
		while (i < gt) {
			if (a[i] > p)
				swap_u64(&a[lt++], &a[i++]);
			else if (a[i] < p)
				swap_u64(&a[i], &a[--gt]);
			else
				i++;
		}
		if (t < lt)
			hi = lt;
		else if (t >= gt)
			lo = gt;
		else
			return p;
	}
	return a[t];
}

static int check_select_args(const uint64_t *counts, size_t n,
			     const uint64_t *scratch)
{
	if (n > 0 && (!counts || !scratch || scratch == counts))
		return -EINVAL;
	return 0;
}

int wl_metrics_kth_largest(const uint64_t *counts, size_t n, size_t k,
			    uint64_t *scratch, uint64_t *ret)
{
	int r;

	r = check_select_args(counts, n, scratch);
	if (r < 0)
		return r;
	if (k == 0 || k > n || !ret)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		scratch[i] = counts[i];
	*ret = select_desc(scratch, n, k - 1);
	return 0;
}

static int sum_u64(const uint64_t *a, size_t n, uint64_t *ret)
{
	uint64_t s = 0;

	for (size_t i = 0; i < n; i++)
		if (__builtin_add_overflow(s, a[i], &s))
			return -EOVERFLOW;
	*ret = s;
	return 0;
}

int wl_metrics_topk_sum(const uint64_t *counts, size_t n, size_t k,
			 uint64_t *scratch, uint64_t *ret)
{
	uint64_t v, s = 0, above = 0, tied;
	int r;

	r = check_select_args(counts, n, scratch);
	if (r < 0)
		return r;
	if (!ret)
		return -EINVAL;
	if (k == 0) {
		*ret = 0;
		return 0;
	}
	if (k >= n)
		return sum_u64(counts, n, ret);
	r = wl_metrics_kth_largest(counts, n, k, scratch, &v);
	if (r < 0)
		return r;
	/* Everything above the k-th value, plus as many copies of it as fit. */
	for (size_t i = 0; i < n; i++) {
		if (counts[i] <= v)
			continue;
		above++;
		if (__builtin_add_overflow(s, counts[i], &s))
			return -EOVERFLOW;
	}
	if (__builtin_mul_overflow((uint64_t)k - above, v, &tied) ||
	    __builtin_add_overflow(s, tied, &s))
		return -EOVERFLOW;
	*ret = s;
	return 0;
}

int wl_metrics_lagged_oracle(const uint64_t *prev, const uint64_t *cur,
			      size_t n, size_t k, uint64_t *scratch,
			      double *ret)
{
	uint64_t v, sum_above = 0, sum_tied = 0, nr_above = 0, nr_tied = 0;
	int r;

	r = check_select_args(prev, n, scratch);
	if (r < 0)
		return r;
	if ((n > 0 && (!cur || scratch == cur)) || !ret)
		return -EINVAL;
	if (k == 0) {
		*ret = 0.0;
		return 0;
	}
	if (k >= n) {
		r = sum_u64(cur, n, &v);
		if (r == 0)
			*ret = (double)v;
		return r;
	}
	r = wl_metrics_kth_largest(prev, n, k, scratch, &v);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		uint64_t *sum = NULL;

		if (prev[i] > v) {
			nr_above++;
			sum = &sum_above;
		} else if (prev[i] == v) {
			nr_tied++;
			sum = &sum_tied;
		}
		if (sum && __builtin_add_overflow(*sum, cur[i], sum))
			return -EOVERFLOW;
	}
	/* v is the k-th largest: nr_above < k <= nr_above + nr_tied. */
	*ret = (double)sum_above +
	       (double)sum_tied * (double)(k - nr_above) / (double)nr_tied;
	return 0;
}

int wl_zipf_init(struct wl_zipf *z, size_t n, double skew, double *table)
{
	struct wl_zipf new = { .n = n, .skew = skew, .cdf = table };
	long double sum = 0.0L;

	if (!z || n == 0 || n > WL_ZIPF_MAX_N || !isfinite(skew) ||
	    skew < 0.0 || skew > WL_ZIPF_MAX_SKEW)
		return -EINVAL;
	if (!new.cdf) {
		new.cdf = malloc(n * sizeof(*new.cdf));
		if (!new.cdf)
			return -ENOMEM;
		new.owned = true;
	}
	/*
	 * Plain prefix sums: adding a non-negative weight never decreases the
	 * sum, and dividing by the same positive total and rounding to double
	 * are monotone too, so the table is non-decreasing by construction.
	 * The wider accumulator keeps long tables accurate.
	 */
	for (size_t i = 0; i < n; i++) {
		sum += skew == 0.0 ? 1.0L : (long double)pow((double)(i + 1), -skew);
		new.cdf[i] = (double)sum;
	}
	for (size_t i = 0; i < n - 1; i++)
		new.cdf[i] = (double)(new.cdf[i] / sum);
	new.cdf[n - 1] = 1.0;
	*z = new;
	return 0;
}

void wl_zipf_free(struct wl_zipf *z)
{
	if (!z)
		return;
	if (z->owned)
		free(z->cdf);
	z->cdf = NULL;
	z->n = 0;
	z->owned = false;
}

size_t wl_zipf_sample(const struct wl_zipf *z, double u)
{
	size_t lo = 0, hi;

	if (!z || z->n == 0 || !z->cdf)
		return 0;
	if (!(u >= 0.0))
		u = 0.0;
	else if (u >= 1.0)
		u = 0x1.fffffffffffffp-1;
	hi = z->n - 1;
	/* Smallest i with cdf[i] > u; cdf[n - 1] == 1.0 > u bounds it. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}
