// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * t_page_idle - idle page tracking reports exactly the pages we touched.
 *
 * THP off, 16384 base pages, PFNs from /proc/self/pagemap.  Each round
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

#include "guest-util.h"

#define NPAGES 16384
#define BITMAP "/sys/kernel/mm/page_idle/bitmap"
#define SEED 0x69646c65ULL /* "idle" */

/* One 64-bit word of the bitmap: PFNs [index * 64, index * 64 + 63]. */
struct idle_word {
	uint64_t index;
	uint64_t mask; /* our PFNs in this word */
	uint64_t idle; /* last read: which of them are idle */
};

struct idle_map {
	int fd;
	struct idle_word *words; /* sorted by index */
	size_t nr;
};

enum touch { TOUCH_READ, TOUCH_WRITE };

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Group @pfns into bitmap words; @sorted is scratch of @n entries. */
static int map_build(struct idle_map *m, const uint64_t *pfns, size_t n,
		     uint64_t *sorted)
{
	size_t i;

	memcpy(sorted, pfns, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	m->words = calloc(n, sizeof(*m->words));
	if (!m->words)
		return gt_fail("no memory for %zu bitmap words", n);
	m->nr = 0;
	for (i = 0; i < n; i++) {
		if (i && sorted[i] == sorted[i - 1])
			return gt_fail("PFN %#llx appears twice in pagemap",
				       (unsigned long long)sorted[i]);
		if (!m->nr || m->words[m->nr - 1].index != sorted[i] / 64)
			m->words[m->nr++].index = sorted[i] / 64;
		m->words[m->nr - 1].mask |= 1ULL << (sorted[i] % 64);
	}
	return 0;
}

static int map_io(struct idle_map *m, bool write)
{
	struct idle_word *w;
	ssize_t n;
	size_t i;

	for (i = 0; i < m->nr; i++) {
		w = &m->words[i];
		if (write)
			n = pwrite(m->fd, &w->mask, sizeof(w->mask),
				   (off_t)(w->index * sizeof(uint64_t)));
		else
			n = pread(m->fd, &w->idle, sizeof(w->idle),
				  (off_t)(w->index * sizeof(uint64_t)));
		if (n != (ssize_t)sizeof(uint64_t))
			return gt_fail("%s %s at word %llu: %s", write ?
				       "pwrite" : "pread", BITMAP,
				       (unsigned long long)w->index,
				       n < 0 ? strerror(errno) : "short");
	}
	return 0;
}

static bool map_is_idle(const struct idle_map *m, uint64_t pfn)
{
	size_t lo = 0, hi = m->nr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->words[mid].index < pfn / 64)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nr && m->words[lo].index == pfn / 64 &&
	       (m->words[lo].idle >> (pfn % 64) & 1);
}

/* Read the bitmap; count idle pages among pfns [@from, @to). */
static size_t count_idle(const uint64_t *pfns, size_t from, size_t to,
			 const struct idle_map *m)
{
	size_t i, idle = 0;

	for (i = from; i < to; i++)
		idle += map_is_idle(m, pfns[i]);
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

static int mark_all_idle(struct idle_map *m, const uint64_t *pfns)
{
	size_t idle;
	int err;

	err = map_io(m, true);
	if (!err)
		err = map_io(m, false);
	if (err)
		return err;
	idle = count_idle(pfns, 0, NPAGES, m);
	gt_msg("  marked idle: %zu of %d pages read back idle", idle, NPAGES);
	if (idle != NPAGES)
		return gt_fail("expected all %d pages idle right after marking, %zu are",
			       NPAGES, idle);
	return 0;
}

static int round_trip(char *buf, const uint64_t *pfns, struct idle_map *m,
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
	err = map_io(m, false);
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

static int run(char *buf, uint64_t *pfns, uint64_t *scratch)
{
	struct idle_map m = { .fd = -1 };
	int err;

	gt_buf_fill(buf, NPAGES, SEED);
	err = gt_lru_drain();
	if (!err)
		err = gt_pagemap_pfns(buf, NPAGES, pfns);
	if (!err)
		err = map_build(&m, pfns, NPAGES, scratch);
	if (err)
		goto out;
	gt_msg("%d pages, PFNs %#llx..%#llx, %zu bitmap words", NPAGES,
	       (unsigned long long)scratch[0],
	       (unsigned long long)scratch[NPAGES - 1], m.nr);
	m.fd = open(BITMAP, O_RDWR | O_CLOEXEC);
	if (m.fd < 0) {
		err = gt_fail("cannot open %s: %s (CONFIG_IDLE_PAGE_TRACKING?)",
			      BITMAP, strerror(errno));
		goto out;
	}
	err = round_trip(buf, pfns, &m, TOUCH_READ);
	if (!err)
		err = round_trip(buf, pfns, &m, TOUCH_WRITE);
out:
	if (m.fd >= 0)
		close(m.fd);
	free(m.words);
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
