// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * t_page_idle - idle page tracking reports exactly the pages we touched.
 *
 * THP off, 16384 base pages, PFNs from /proc/self/pagemap (both files
 * through libcgtier's pageidle.h, the stock backend's code).  Each round
 * marks every page idle through /sys/kernel/mm/page_idle/bitmap, checks
 * that all of them read back idle, touches the first half (reads in round
 * one, writes in round two) and expects exactly 8192 young pages in the
 * first half and 8192 idle ones in the second.
 *
 * Two precautions keep the exact count from depending on timing (the test
 * passed without them in the testbed, but nothing there guarantees it):
 * fresh pages can sit in per-CPU LRU caches, where page_idle ignores them,
 * so the caches are drained first; and page_idle clears the accessed bits
 * without flushing the TLB, so an mprotect() round trip flushes it before
 * the touch (an access through a cached translation does not set the bit).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cgtier/pageidle.h"
#include "guest-util.h"

#define NPAGES 16384
#define BITMAP CGT_PAGE_IDLE_BITMAP
#define SEED 0x69646c65ULL /* "idle" */

enum touch { TOUCH_READ, TOUCH_WRITE };

/* Read the bitmap with cgt_page_idle_read(), then report any error. */
static int map_read(struct cgt_page_idle *m)
{
	int err = cgt_page_idle_read(m);

	if (err)
		return gt_fail("pread %s: %s", BITMAP, strerror(-err));
	return 0;
}

/* Count idle pages among pfns [@from, @to) at the last read. */
static size_t count_idle(const uint64_t *pfns, size_t from, size_t to,
			 const struct cgt_page_idle *m)
{
	size_t i, idle = 0;

	for (i = from; i < to; i++)
		idle += cgt_page_idle_test(m, pfns[i]);
	return idle;
}

/* Flush the TLB entries of @buf: page_idle cleared the accessed bits. */
static int flush_tlb(void *buf, size_t len)
{
	if (mprotect(buf, len, PROT_READ))
		return gt_fail("mprotect(PROT_READ): %s", strerror(errno));
	if (mprotect(buf, len, PROT_READ | PROT_WRITE))
		return gt_fail("mprotect(PROT_READ|PROT_WRITE): %s",
			       strerror(errno));
	return 0;
}

static void touch(char *buf, size_t npages, enum touch how)
{
	volatile char *p = buf;
	size_t i, ps = gt_page_size();
	char sum = 0;

	for (i = 0; i < npages; i++) {
		if (how == TOUCH_READ)
			sum += p[i * ps];
		else
			p[i * ps] = (char)i;
	}
	(void)sum;
}

static int mark_all_idle(struct cgt_page_idle *m, const uint64_t *pfns)
{
	size_t idle;
	int err;

	err = cgt_page_idle_mark(m);
	if (err)
		return gt_fail("pwrite %s: %s", BITMAP, strerror(-err));
	err = map_read(m);
	if (err)
		return err;
	idle = count_idle(pfns, 0, NPAGES, m);
	gt_msg("  marked idle: %zu of %d pages read back idle", idle, NPAGES);
	if (idle != NPAGES)
		return gt_fail("expected all %d pages idle right after marking, %zu are",
			       NPAGES, idle);
	return 0;
}

static int round_trip(char *buf, const uint64_t *pfns, struct cgt_page_idle *m,
		      enum touch how)
{
	const char *what = how == TOUCH_READ ? "read" : "write";
	size_t half = NPAGES / 2, young_first, idle_second;
	int err;

	gt_msg("round: %s-touch the first half", what);
	err = mark_all_idle(m, pfns);
	if (!err)
		err = flush_tlb(buf, NPAGES * gt_page_size());
	if (err)
		return err;
	touch(buf, half, how);
	err = map_read(m);
	if (err)
		return err;
	young_first = half - count_idle(pfns, 0, half, m);
	idle_second = count_idle(pfns, half, NPAGES, m);
	gt_msg("  first half (%s): %zu/%zu young; second half (untouched): %zu/%zu idle",
	       what, young_first, half, idle_second, half);
	if (young_first != half || idle_second != half)
		return gt_fail("after the %s touch expected %zu/%zu young and %zu/%zu idle, got %zu young and %zu idle",
			       what, half, half, half, half, young_first,
			       idle_second);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int run(char *buf, uint64_t *pfns, uint64_t *scratch)
{
	struct cgt_page_idle m = { .fd = -1 };
	int err;

	gt_buf_fill(buf, NPAGES, SEED);
	err = gt_lru_drain();
	if (!err)
		err = gt_pagemap_pfns(buf, NPAGES, pfns);
	if (err)
		goto out;
	memcpy(scratch, pfns, NPAGES * sizeof(*scratch));
	qsort(scratch, NPAGES, sizeof(*scratch), cmp_u64);
	err = cgt_page_idle_open(gt_fs(), pfns, NPAGES, &m);
	if (err == -EEXIST) {
		err = gt_fail("a PFN appears twice in pagemap");
		goto out;
	}
	if (err) {
		err = gt_fail("cannot open %s: %s (CONFIG_IDLE_PAGE_TRACKING?)",
			      BITMAP, strerror(-err));
		goto out;
	}
	gt_msg("%d pages, PFNs %#llx..%#llx, %zu bitmap words", NPAGES,
	       (unsigned long long)scratch[0],
	       (unsigned long long)scratch[NPAGES - 1], m.nr);
	err = round_trip(buf, pfns, &m, TOUCH_READ);
	if (!err)
		err = round_trip(buf, pfns, &m, TOUCH_WRITE);
out:
	cgt_page_idle_close(&m);
	return err;
}

int main(void)
{
	uint64_t *pfns, *scratch;
	char *buf = NULL;
	int err = -ENOMEM;

	gt_init();
	if (gt_thp_disable())
		return GT_FAIL;
	pfns = calloc(NPAGES, sizeof(*pfns));
	scratch = calloc(NPAGES, sizeof(*scratch));
	if (!pfns || !scratch)
		gt_fail("no memory for %d PFNs", NPAGES);
	else
		buf = gt_buf_alloc(NPAGES);
	if (buf)
		err = run(buf, pfns, scratch);
	gt_buf_free(buf, NPAGES);
	free(scratch);
	free(pfns);
	return gt_exit_status(err);
}
