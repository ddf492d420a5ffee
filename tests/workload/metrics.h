/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * metrics.h - ground-truth placement metrics for the workload.
 *
 * Workload-only code: built into tests/workload/libworkload.a for
 * cgtier-workload and its unit tests, not into libcgtier (the daemon's
 * library).
 * Pure functions over arrays the caller owns: no I/O, no globals.  Every
 * function returns 0 on success or a negative errno, and writes its
 * out-parameters only on success.  Array arguments may be NULL only when the
 * element count is 0.
 */
#ifndef CGTIER_WORKLOAD_METRICS_H
#define CGTIER_WORKLOAD_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgtier/nodemask.h"

/**
 * wl_metrics_hits() - access-weighted fast-tier hits.
 * @counts: accesses per page in the window.
 * @nodes: node id per page; a negative value means the page is not present
 *         (or its status query failed) and never counts as a hit.
 * @n: number of pages.
 * @fast: the fast-tier node set.
 * @hits: out: sum of @counts over pages whose node is in @fast.
 * @total: out: sum of all @counts.
 *
 * The hit ratio is @hits / @total (undefined when @total is 0).
 *
 * Return: 0, -EINVAL on a NULL argument, -EOVERFLOW if the sum does not fit
 * in 64 bits.
 */
int wl_metrics_hits(const uint64_t *counts, const int *nodes, size_t n,
		     const struct cgt_nodemask *fast, uint64_t *hits,
		     uint64_t *total);

/**
 * wl_metrics_kth_largest() - the @k-th largest value of @counts.
 * @counts: values, not modified.
 * @n: number of values.
 * @k: rank, 1-based (1 is the maximum); 1 <= @k <= @n.
 * @scratch: @n elements of caller-owned scratch space, must not be @counts;
 *           its contents are unspecified afterwards.
 * @ret: out: the value.
 *
 * Expected O(n) (quickselect with a three-way partition, so runs of equal
 * values, which page counts are full of, cost nothing extra).
 *
 * Return: 0 or -EINVAL.
 */
int wl_metrics_kth_largest(const uint64_t *counts, size_t n, size_t k,
			    uint64_t *scratch, uint64_t *ret);

/**
 * wl_metrics_topk_sum() - the oracle: sum of the @k largest @counts.
 * @counts: accesses per page in the window, not modified.
 * @n: number of pages.
 * @k: pages the fast tier can hold; 0 gives 0, @k >= @n sums everything.
 * @scratch: @n elements of scratch space, must not be @counts.
 * @ret: out: the best hit count any placement of @k pages could achieve.
 *
 * Ties do not matter: the sum is the same whichever tied pages are chosen.
 *
 * Return: 0, -EINVAL, or -EOVERFLOW.
 */
int wl_metrics_topk_sum(const uint64_t *counts, size_t n, size_t k,
			 uint64_t *scratch, uint64_t *ret);

/**
 * wl_metrics_lagged_oracle() - hits of a placement chosen one window late.
 * @prev: accesses per page in the previous window (selects the pages).
 * @cur: accesses per page in this window (scores them).
 * @n: number of pages.
 * @k: pages the fast tier can hold.
 * @scratch: @n elements of scratch space, must be neither @prev nor @cur.
 * @ret: out: the accesses of @cur that land on the @k pages with the most
 *       accesses in @prev.
 *
 * This is what a perfect policy that can only look at history would get.
 * Pages tied at the selection boundary (for instance all the pages never
 * touched in @prev) are chosen uniformly at random, and @ret is the expected
 * value of that choice, which is why it is a double: with g pages above the
 * boundary value and e pages equal to it, the tied pages contribute
 * (@k - g) / e of their @cur sum.  With all-zero @prev this is @k / @n of
 * the total, the hit count of a placement that knows nothing.
 *
 * Return: 0, -EINVAL, or -EOVERFLOW.
 */
int wl_metrics_lagged_oracle(const uint64_t *prev, const uint64_t *cur,
			      size_t n, size_t k, uint64_t *scratch,
			      double *ret);

/* Largest table wl_zipf_init() accepts (1 TiB of 4 KiB pages). */
#define WL_ZIPF_MAX_N ((size_t)1 << 28)
/* Largest skew accepted; beyond this every sample is rank 0 anyway. */
#define WL_ZIPF_MAX_SKEW 100.0

/*
 * A Zipf distribution over ranks 0..n-1, P(rank i) proportional to
 * 1 / (i + 1)^skew, as a cumulative table: cdf[i] = P(rank <= i),
 * non-decreasing, cdf[n - 1] == 1.0 exactly.
 */
struct wl_zipf {
	size_t n;
	double skew;
	double *cdf;
	bool owned; /* cdf was malloc'd by wl_zipf_init() */
};

/**
 * wl_zipf_init() - build the CDF table of a Zipf distribution.
 * @z: out: the distribution; release with wl_zipf_free().
 * @n: number of ranks, 1 <= @n <= WL_ZIPF_MAX_N.
 * @skew: exponent, finite, 0 <= @skew <= WL_ZIPF_MAX_SKEW; 0 is uniform.
 * @table: @n doubles of caller-owned storage for the table, or NULL to
 *         have it allocated.
 *
 * Return: 0, -EINVAL on a bad argument, -ENOMEM.
 */
int wl_zipf_init(struct wl_zipf *z, size_t n, double skew, double *table);

/**
 * wl_zipf_free() - release what wl_zipf_init() allocated.
 * @z: a distribution, or one zero-initialised; reset to empty.  NULL is a
 *     no-op.  A caller-owned table is not freed.
 */
void wl_zipf_free(struct wl_zipf *z);

/**
 * wl_zipf_sample() - map a uniform variate to a rank.
 * @z: an initialised distribution.
 * @u: uniform in [0, 1); values below 0 (and NaN) act as 0, values >= 1 as
 *     the largest double below 1.
 *
 * O(log n) binary search for the smallest i with cdf[i] > @u.
 *
 * Return: the rank, 0 (most popular) to n - 1.
 */
size_t wl_zipf_sample(const struct wl_zipf *z, double u);

#endif /* CGTIER_WORKLOAD_METRICS_H */
