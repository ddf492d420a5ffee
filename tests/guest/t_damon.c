// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * t_damon - DAMON-based tiering in the guest: migrate_cold, then migrate_hot.
 *
 * One kdamond with the physical-address operations monitors all guest
 * System RAM; its single scheme carries a memcg filter on cgroup DAMON_CG
 * with `matching` N (6.12 filters exclude what they match, see
 * __damos_pa_filter_out() in mm/damon/paddr.c, so N keeps only that memcg's
 * pages).
 *
 * Phase 1: this process, in DAMON_CG, leaves a 64 MiB buffer idle on node
 * 0 under `migrate_cold` (target node 1, nr_accesses 0..0, age >= COLD_AGE
 * aggregation intervals).  Expected: at least COLD_MIN_PCT% of it on node 1
 * within COLD_WAIT_S, while a 16 MiB control buffer charged to the root
 * cgroup stays on node 0 (the filter works).
 *
 * Phase 2: the scheme becomes `migrate_hot` (target node 0, accessed in at
 * least HOT_MIN_NR_ACCESSES of the 20 samples of an aggregation interval,
 * for at least HOT_AGE intervals) and the process reads the first quarter
 * of the buffer continuously.  Expected: at least HOT_MIN_PCT% of those
 * pages back on node 0 within HOT_WAIT_S, and at most IDLE_BACK_MAX_PCT% of
 * the untouched three quarters dragged along (DAMON's region granularity:
 * the age requirement gives it time to split regions at the hot set's edge).
 * Each pass over the hot set ends with wl_tlb_flush(): under TCG the hot set
 * would otherwise stay TLB-resident and its accessed bits, once DAMON clears
 * them, would not be set again (see tests/workload/tlb.h).
 *
 * What makes a region "hot" here is a rate per sampling interval, so the
 * reader must touch every hot page at least once per sampling interval, and
 * do so without gaps: a sample sees page P accessed only if the reader
 * touched P (a TLB miss after the last flush, which sets the accessed bit)
 * between DAMON's mkold and its check, i.e. only if the pass time stays below
 * the sampling interval.  And age counts aggregation intervals in which
 * nr_accesses did not move by more than max_nr_accesses / 10 (2 of 20,
 * damon_merge_regions_of()): one interval with a stalled reader resets it.
 * Two things broke both on the debug kernel (KASAN, lockdep) when the reader
 * was this thread and checked placement every CHECK_EVERY_S itself:
 *  - a placement check (move_pages query of 4096 pages) took ~90 ms there
 *    (3-7 ms on the normal kernel), so every 5th aggregation interval lost
 *    most of its 20 samples to a stalled reader, which reset the age before
 *    it reached HOT_AGE: nothing was ever tried (nr_tried 0, 0 of 4096
 *    pages back in 120 s);
 *  - a pass took 4-5 ms (0.7 touch + 3.3 TLB flush: mmap, faults and munmap
 *    are slow under KASAN), about the 5 ms sampling interval, so even
 *    without stalls nr_accesses of the hot region jumped between 1 and 19.
 * So the reader runs in its own thread and never stops for a check, and
 * phase 2 measures it before DAMON starts (with the checks running, as they
 * will) and samples every READER_MARGIN x its p99 pass time, at least
 * SAMPLE_US, with SAMPLES_PER_AGGR samples per aggregation interval: the
 * access threshold keeps its meaning (half the samples) on any kernel.
 * Normal kernel: p99 1.1-1.8 ms, so 5 ms as before; debug kernel: p99 16-20
 * ms (the concurrent checks slow it), so 32-40 ms samples, 0.64-0.8 s
 * aggregation intervals.
 *
 * Both phases check the scheme's statistics (after update_schemes_stats):
 * nr_tried >= nr_applied > 0 and sz_applied covering the pages that moved.
 * The kdamond is turned off and removed on every path.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgtier/damon.h"
#include "guest-util.h"
#include "tlb.h"

#define FAST_NODE 0
#define SLOW_NODE 1
#define NR_NODES 2

#define DAMON_CG "t_damon"
#define BUF_PAGES 16384			/* 64 MiB, in DAMON_CG */
#define HOT_PAGES (BUF_PAGES / 4)
#define CTL_PAGES 4096			/* 16 MiB, in the root cgroup */
#define SEED 0x64616d6fULL
#define CTL_SEED 0x6374726cULL

/*
 * Monitoring: 5 ms samples, 100 ms aggregation, 10..1000 regions; phase 2
 * may sample more slowly (hot_sample_us()), always 20 samples per interval.
 */
#define SAMPLE_US 5000
#define SAMPLES_PER_AGGR 20
#define AGGR_US (SAMPLE_US * SAMPLES_PER_AGGR)
#define UPDATE_US 1000000
#define MIN_REGIONS 10
#define MAX_REGIONS 1000

/*
 * Phase 1: idle for 2 s (20 aggregation intervals) is cold.  Measured:
 * 16384 of 16384 pages on node 1 after 2.6-3.1 s, in every run.
 */
#define COLD_AGE 20
#define COLD_WAIT_S 120.0
#define COLD_STOP_PCT 99
#define COLD_MIN_PCT 90

/*
 * Phase 2: accessed in half the samples of an interval, for 10 intervals,
 * is hot.  Measured (5 ms samples, normal kernel): 96.6-100% of the hot
 * pages back after 2.5-7 s, 0-46 idle pages along (6 runs); debug kernel
 * (32-40 ms samples): 99.9-100% back after 23-30 s, 0-6 idle pages along.  With
 * nr_accesses >= 2 and no age, the first coarse region (~100 MiB) to see a
 * sample of the hot set came back whole: 83-99% of the idle pages along.
 */
#define HOT_MIN_NR_ACCESSES 10
#define HOT_AGE 10
#define HOT_WAIT_S 120.0
#define HOT_STOP_PCT 95
#define HOT_MIN_PCT 90
/*
 * Phase 2 samples every READER_MARGIN x the reader's p99 pass (at least
 * SAMPLE_US), measured for CALIB_S after CALIB_WARMUP_MS.
 */
#define READER_MARGIN 2
#define CALIB_WARMUP_MS 200
#define CALIB_S 2.0
#define IDLE_BACK_MAX_PCT 10

#define CHECK_EVERY_S 0.5

#define DAMON_ADMIN CGT_DAMON_ADMIN

/* ---- DAMON sysfs, through libcgtier's damon.h ---------------------------- */

static struct cgt_damon damon;

/* Report a failed DAMON call (the library names the file) and return @err. */
static int damon_err(int err, const char *what)
{
	if (err)
		gt_fail("DAMON %s: %s: %s", what,
			damon.failed[0] ? damon.failed : "(no file)",
			strerror(-err));
	return err;
}

/* Write @cmd to the kdamond's state file. */
static int damon_state(const char *cmd)
{
	return damon_err(cgt_damon_state(&damon, cmd), cmd);
}

/* Turn the kdamond off (if it runs) and remove it; safe on any path. */
static int damon_teardown(void)
{
	return damon_err(cgt_damon_teardown(&damon), "teardown");
}

/*
 * The System RAM of /proc/iomem (cgt_damon_ram_range()), or 1 MiB..4 GiB
 * if it cannot be read.
 */
static void ram_range(uint64_t *start, uint64_t *end)
{
	int err = cgt_damon_ram_range(gt_fs(), start, end);

	if (err) {
		gt_msg("no System RAM in /proc/iomem (%s): monitoring 1 MiB..4 GiB",
		       strerror(-err));
		*start = 1ULL << 20;
		*end = 4ULL << 30;
	}
}

/*
 * Sample every @sample_us, aggregate every SAMPLES_PER_AGGR samples (the
 * kdamond must be off).
 */
static int damon_intervals(unsigned long sample_us)
{
	const struct cgt_damon_intervals iv = {
		.sample_us = sample_us,
		.aggr_us = (uint64_t)sample_us * SAMPLES_PER_AGGR,
		.update_us = UPDATE_US,
	};
	int err;

	err = damon_err(cgt_damon_set_intervals(&damon, &iv), "intervals");
	if (!err && sample_us != SAMPLE_US)
		gt_msg("DAMON: sample %lu us, aggr %lu us", sample_us,
		       sample_us * SAMPLES_PER_AGGR);
	return err;
}

/* One kdamond, one paddr context, one target region over all RAM. */
static int damon_setup(void)
{
	struct cgt_damon_setup s = {
		.operations = "paddr",
		.intervals = { SAMPLE_US, AGGR_US, UPDATE_US },
		.min_nr_regions = MIN_REGIONS,
		.max_nr_regions = MAX_REGIONS,
	};

	ram_range(&s.start, &s.end);
	gt_msg("DAMON: paddr target %#" PRIx64 "-%#" PRIx64 " (%" PRIu64
	       " MiB), sample %d us, aggr %d us, regions %d..%d", s.start, s.end,
	       (s.end - s.start) >> 20, SAMPLE_US, AGGR_US, MIN_REGIONS,
	       MAX_REGIONS);
	return damon_err(cgt_damon_setup(&damon, &s), "setup");
}

/*
 * Set scheme 0 (the kdamond must be off): @action to node @nid for regions
 * with @min_acc..@max_acc accesses per aggregation interval and an age of at
 * least @min_age intervals, any size, DAMON_CG's pages only, no quota.
 */
static int damon_scheme(const char *action, int nid, uint64_t min_acc,
			uint64_t max_acc, uint64_t min_age)
{
	const struct cgt_damos_scheme sc = {
		.action = action,
		.target_nid = nid,
		.min_sz = 0, .max_sz = UINT64_MAX,
		.min_nr_accesses = min_acc, .max_nr_accesses = max_acc,
		.min_age = min_age, .max_age = UINT64_MAX,
		.memcg_path = "/" DAMON_CG,
		.memcg_matching = false,
	};

	gt_msg("DAMON: scheme %s to node %d: nr_accesses %" PRIu64 "..%" PRIu64
	       ", age >= %" PRIu64 ", memcg /%s only", action, nid, min_acc,
	       max_acc, min_age, DAMON_CG);
	return damon_err(cgt_damon_set_scheme(&damon, &sc), "scheme");
}

static int damon_stats(struct cgt_damos_stats *st)
{
	int err = damon_err(cgt_damon_scheme_stats(&damon, st), "stats");

	if (!err)
		gt_msg("DAMON scheme stats: nr_tried %" PRIu64 " sz_tried %" PRIu64
		       " nr_applied %" PRIu64 " sz_applied %" PRIu64
		       " (%" PRIu64 " pages) qt_exceeds %" PRIu64, st->nr_tried,
		       st->sz_tried, st->nr_applied, st->sz_applied,
		       st->sz_applied / gt_page_size(), st->qt_exceeds);
	return err;
}

/* The scheme must have applied to at least the @moved pages we saw move. */
static int check_stats(const struct cgt_damos_stats *st, size_t moved)
{
	int err = 0;

	if (!st->nr_applied)
		err = gt_fail("scheme stats: nr_applied is 0");
	if (st->nr_tried < st->nr_applied)
		err = gt_fail("scheme stats: nr_tried %" PRIu64
			      " < nr_applied %" PRIu64, st->nr_tried,
			      st->nr_applied);
	if (st->sz_applied < (uint64_t)moved * gt_page_size())
		err = gt_fail("scheme stats: sz_applied %" PRIu64
			      " bytes, but %zu pages (%zu bytes) moved",
			      st->sz_applied, moved, moved * gt_page_size());
	return err;
}

/* ---- the test ----------------------------------------------------------- */

static volatile uint64_t sink;

/* Read one word of each of the @npages pages of @buf. */
static void touch_pages(const char *buf, size_t npages)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < npages; i++)
		sum += *(const volatile uint64_t *)(buf + i * gt_page_size());
	sink += sum;
}

static void print_cg(void)
{
	uint64_t anon[NR_NODES];

	if (!gt_cg_numa_stat(DAMON_CG, "anon", anon, NR_NODES))
		gt_msg("%s memory.numa_stat anon: N0=%" PRIu64 " MiB N1=%" PRIu64
		       " MiB", DAMON_CG, anon[0] >> 20, anon[1] >> 20);
}

/*
 * Phase 1: wait (idle) until COLD_STOP_PCT% of @buf is on the slow node or
 * COLD_WAIT_S passed.
 */
static int phase_cold(char *buf, char *ctl)
{
	struct gt_node_count c, cc;
	struct cgt_damos_stats st;
	size_t stop = (size_t)BUF_PAGES * COLD_STOP_PCT / 100, moved;
	double start;
	int err;

	err = damon_scheme("migrate_cold", SLOW_NODE, 0, 0, COLD_AGE);
	if (!err)
		err = damon_state("on");
	if (err)
		return err;
	start = gt_now();
	do {
		gt_sleep_ms((long)(CHECK_EVERY_S * 1000));
		err = gt_count_pages(buf, BUF_PAGES, &c);
		if (err)
			return err;
	} while (c.on_node[SLOW_NODE] < stop && gt_now() - start < COLD_WAIT_S);
	gt_msg("phase 1 (idle buffer, migrate_cold) ran %.1f s",
	       gt_now() - start);
	err = damon_stats(&st);
	if (!err)
		err = damon_state("off");
	if (!err)
		err = gt_count_pages(buf, BUF_PAGES, &c);
	if (!err)
		err = gt_count_pages(ctl, CTL_PAGES, &cc);
	if (err)
		return err;
	gt_count_print("idle buffer (memcg " DAMON_CG ")", &c, NR_NODES);
	gt_count_print("control buffer (root memcg)", &cc, NR_NODES);
	print_cg();

	moved = c.on_node[SLOW_NODE];
	err = check_stats(&st, moved);
	if (moved * 100 < (size_t)BUF_PAGES * COLD_MIN_PCT)
		err = gt_fail("expected >= %d%% of the %d idle pages on node %d after %.0f s, found %zu",
			      COLD_MIN_PCT, BUF_PAGES, SLOW_NODE, COLD_WAIT_S,
			      moved);
	if (cc.on_node[FAST_NODE] != CTL_PAGES)
		err = gt_fail("the memcg filter leaked: %zu of %d pages of the root cgroup left node %d",
			      CTL_PAGES - cc.on_node[FAST_NODE], CTL_PAGES,
			      FAST_NODE);
	if (!err)
		gt_msg("phase 1: %zu of %d idle pages (%.1f%%) moved to node %d",
		       moved, BUF_PAGES, 100.0 * (double)moved / BUF_PAGES,
		       SLOW_NODE);
	return err;
}

/* ---- the reader of phase 2 ------------------------------------------------ */

/* Pass durations are counted in buckets of PASS_BUCKET_US, up to 200 ms. */
#define PASS_BUCKET_US 100
#define PASS_BUCKETS 2000

struct reader {
	const char *buf;
	size_t npages;
	atomic_bool stop;		/* set by the main thread */
	atomic_bool done;		/* set by the reader when it exits */
	int err;			/* valid once done */
	atomic_ulong hist[PASS_BUCKETS];	/* pass durations */
};

struct pass_stats {
	unsigned long n;		/* passes */
	double mean_ms, p99_ms, max_ms;
	unsigned long over;		/* passes longer than over_us */
	unsigned long over_us;
};

/*
 * Read the hot set until told to stop: one word of each page, then a TLB
 * flush, and count the duration of the pass.  A pass runs from one flush to
 * the next, so it is also the time between two touches of any one page, and
 * each touch comes after a flush: a TLB miss that sets the accessed bit.
 */
static void *reader_main(void *arg)
{
	struct reader *r = arg;
	double t0 = gt_now(), t;
	size_t b;

	while (!atomic_load_explicit(&r->stop, memory_order_relaxed)) {
		touch_pages(r->buf, r->npages);
		r->err = wl_tlb_flush();
		if (r->err)
			break;
		t = gt_now();
		b = (size_t)((t - t0) * 1e6 / PASS_BUCKET_US);
		atomic_fetch_add_explicit(&r->hist[b < PASS_BUCKETS ? b :
						   PASS_BUCKETS - 1], 1,
					  memory_order_relaxed);
		t0 = t;
	}
	atomic_store(&r->done, true);
	return NULL;
}

/* The passes since the last call (upper bucket edges); @over_us counted. */
static void reader_take(struct reader *r, unsigned long over_us,
			struct pass_stats *ps)
{
	unsigned long cnt[PASS_BUCKETS], acc = 0;
	double sum = 0;
	size_t b;

	memset(ps, 0, sizeof(*ps));
	ps->over_us = over_us;
	for (b = 0; b < PASS_BUCKETS; b++) {
		cnt[b] = atomic_exchange(&r->hist[b], 0);
		ps->n += cnt[b];
		sum += (double)cnt[b] * (double)(b + 1) * PASS_BUCKET_US / 1e3;
		if (cnt[b])
			ps->max_ms = (double)(b + 1) * PASS_BUCKET_US / 1e3;
		if (b * PASS_BUCKET_US >= over_us)
			ps->over += cnt[b];
	}
	if (!ps->n)
		return;
	ps->mean_ms = sum / (double)ps->n;
	for (b = 0; b < PASS_BUCKETS; b++) {
		acc += cnt[b];
		if (acc * 100 >= ps->n * 99)
			break;
	}
	ps->p99_ms = (double)(b + 1) * PASS_BUCKET_US / 1e3;
}

static void pass_print(const char *what, const struct pass_stats *ps)
{
	gt_msg("%s: %lu passes over the hot set, mean %.1f ms, p99 %.1f ms, max %.1f ms; %lu longer than %.1f ms",
	       what, ps->n, ps->mean_ms, ps->p99_ms, ps->max_ms, ps->over,
	       (double)ps->over_us / 1e3);
}

/*
 * Print the physical span of @buf's pages: DAMON's regions are physical, so
 * it can tell a hot set apart from idle pages only if they are not
 * interleaved (after phase 1 the hot set was one 16 MiB span in every run).
 */
static void print_span(void *buf, size_t npages)
{
	uint64_t *pfns, lo = UINT64_MAX, hi = 0;
	size_t i;

	pfns = calloc(npages, sizeof(*pfns));
	if (!pfns || gt_pagemap_pfns(buf, npages, pfns)) {
		free(pfns);
		return;
	}
	for (i = 0; i < npages; i++) {
		lo = pfns[i] < lo ? pfns[i] : lo;
		hi = pfns[i] + 1 > hi ? pfns[i] + 1 : hi;
	}
	gt_msg("hot set: %zu pages in PFNs %#" PRIx64 "-%#" PRIx64
	       " (%" PRIu64 " KiB)", npages, lo, hi,
	       (hi - lo) * gt_page_size() >> 10);
	free(pfns);
}

static int reader_stop(struct reader *r, pthread_t th)
{
	atomic_store(&r->stop, true);
	pthread_join(th, NULL);
	if (r->err)
		return gt_fail("cannot flush the TLB: %s", strerror(-r->err));
	return 0;
}

/*
 * The sampling interval for phase 2: READER_MARGIN times the reader's p99
 * pass, rounded up to a millisecond, and at least SAMPLE_US.
 */
static unsigned long hot_sample_us(const struct pass_stats *calib)
{
	unsigned long us = (unsigned long)(READER_MARGIN * calib->p99_ms * 1e3);

	us = (us + 999) / 1000 * 1000;
	return us > SAMPLE_US ? us : SAMPLE_US;
}

/*
 * Phase 2: read the hot quarter of @buf (in a thread) until HOT_STOP_PCT%
 * of it is on the fast node or HOT_WAIT_S passed.
 */
static int phase_hot(char *buf)
{
	char *cold_buf = buf + (size_t)HOT_PAGES * gt_page_size();
	size_t stop = (size_t)HOT_PAGES * HOT_STOP_PCT / 100;
	static struct reader rd;	/* zeroed; 16 KiB of histogram */
	struct gt_node_count hot, cold, before;
	struct pass_stats calib, ps;
	struct cgt_damos_stats st;
	unsigned long sample_us;
	double start, t;
	pthread_t th;
	size_t back;
	int err;

	err = gt_count_pages(buf, BUF_PAGES, &before);
	if (err)
		return err;
	rd.buf = buf;
	rd.npages = HOT_PAGES;
	err = pthread_create(&th, NULL, reader_main, &rd);
	if (err)
		return gt_fail("cannot start the reader thread: %s",
			       strerror(err));

	/* Calibrate with DAMON off, while this thread does what it will do. */
	gt_sleep_ms(CALIB_WARMUP_MS);
	reader_take(&rd, SAMPLE_US, &calib);
	start = gt_now();
	do {
		gt_sleep_ms((long)(CHECK_EVERY_S * 1000));
		t = gt_now();
		err = gt_count_pages(buf, HOT_PAGES, &hot);
		t = gt_now() - t;
	} while (!err && gt_now() - start < CALIB_S);
	reader_take(&rd, SAMPLE_US, &calib);
	if (err || atomic_load(&rd.done)) {
		int stop_err = reader_stop(&rd, th);

		return err ? err : stop_err ? stop_err : -EIO;
	}
	pass_print("reader, DAMON off", &calib);
	print_span(buf, HOT_PAGES);
	gt_msg("a placement check of the hot set takes %.1f ms", t * 1e3);
	sample_us = hot_sample_us(&calib);

	err = damon_intervals(sample_us);
	if (!err)
		err = damon_scheme("migrate_hot", FAST_NODE,
				   HOT_MIN_NR_ACCESSES, SAMPLES_PER_AGGR,
				   HOT_AGE);
	if (!err)
		err = damon_state("on");
	if (err) {
		reader_stop(&rd, th);
		return err;
	}
	start = gt_now();
	do {
		gt_sleep_ms((long)(CHECK_EVERY_S * 1000));
		err = gt_count_pages(buf, HOT_PAGES, &hot);
	} while (!err && !atomic_load(&rd.done) &&
		 hot.on_node[FAST_NODE] < stop && gt_now() - start < HOT_WAIT_S);
	t = gt_now() - start;
	if (reader_stop(&rd, th))
		err = err ? err : -EIO;
	reader_take(&rd, sample_us, &ps);
	if (err)
		return err;
	gt_msg("phase 2 (hot quarter read, migrate_hot) ran %.1f s", t);
	pass_print("reader, DAMON on", &ps);
	err = damon_stats(&st);
	if (!err)
		err = damon_state("off");
	if (!err)
		err = gt_count_pages(buf, HOT_PAGES, &hot);
	if (!err)
		err = gt_count_pages(cold_buf, BUF_PAGES - HOT_PAGES, &cold);
	if (err)
		return err;
	gt_count_print("hot quarter (read)", &hot, NR_NODES);
	gt_count_print("rest of the buffer (idle)", &cold, NR_NODES);
	print_cg();

	back = hot.on_node[FAST_NODE] + cold.on_node[FAST_NODE];
	back = back > before.on_node[FAST_NODE] ?
	       back - before.on_node[FAST_NODE] : 0;
	err = check_stats(&st, back);
	if (hot.on_node[FAST_NODE] * 100 < (size_t)HOT_PAGES * HOT_MIN_PCT)
		err = gt_fail("expected >= %d%% of the %d hot pages back on node %d after %.0f s, found %zu",
			      HOT_MIN_PCT, HOT_PAGES, FAST_NODE, HOT_WAIT_S,
			      hot.on_node[FAST_NODE]);
	if (cold.on_node[FAST_NODE] * 100 >
	    (size_t)(BUF_PAGES - HOT_PAGES) * IDLE_BACK_MAX_PCT)
		err = gt_fail("expected <= %d%% of the %d idle pages back on node %d, found %zu: hot and idle not told apart",
			      IDLE_BACK_MAX_PCT, BUF_PAGES - HOT_PAGES,
			      FAST_NODE, cold.on_node[FAST_NODE]);
	gt_msg("phase 2: %zu of %d hot pages (%.1f%%) back on node %d; %zu of %d idle pages came along (%.1f%%)",
	       hot.on_node[FAST_NODE], HOT_PAGES,
	       100.0 * (double)hot.on_node[FAST_NODE] / HOT_PAGES, FAST_NODE,
	       cold.on_node[FAST_NODE], BUF_PAGES - HOT_PAGES,
	       100.0 * (double)cold.on_node[FAST_NODE] / (BUF_PAGES - HOT_PAGES));
	return err;
}

static int run(char *buf, char *ctl)
{
	struct gt_node_count c;
	size_t bad;
	int err;

	gt_buf_fill(buf, BUF_PAGES, SEED);
	err = gt_move_pages(buf, BUF_PAGES, FAST_NODE, NULL);
	if (!err)
		err = gt_count_pages(buf, BUF_PAGES, &c);
	if (err)
		return err;
	gt_count_print("buffer (memcg " DAMON_CG ") before", &c, NR_NODES);
	print_cg();

	err = damon_setup();
	if (!err)
		err = phase_cold(buf, ctl);
	if (!err)
		err = phase_hot(buf);

	bad = gt_buf_verify(buf, BUF_PAGES, SEED);
	if (bad)
		err = gt_fail("%zu of %d pages lost their contents", bad,
			      BUF_PAGES);
	bad = gt_buf_verify(ctl, CTL_PAGES, CTL_SEED);
	if (bad)
		err = gt_fail("%zu of %d control pages lost their contents",
			      bad, CTL_PAGES);
	return err;
}

int main(void)
{
	struct gt_knob balancing = { 0 };
	bool cg_made = false, cg_entered = false;
	char *buf = NULL, *ctl = NULL;
	int err;

	gt_init();
	gt_require_tiers(FAST_NODE, SLOW_NODE, "nowhere to migrate cold pages");
	cgt_damon_init(&damon, gt_fs());
	if (cgt_damon_available(&damon))
		gt_skip("no DAMON sysfs interface (%s)", DAMON_ADMIN);

	err = gt_thp_disable();
	/* NUMA balancing would move the pages too: off */
	if (!err)
		err = gt_knob_set(&balancing, GT_NUMA_BALANCING, "0");
	if (!err)
		err = damon_teardown();	/* a kdamond left by an earlier test */
	if (err)
		goto out;

	/* The control buffer is charged to the root cgroup. */
	ctl = gt_buf_alloc(CTL_PAGES);
	if (!ctl) {
		err = -ENOMEM;
		goto out;
	}
	gt_buf_fill(ctl, CTL_PAGES, CTL_SEED);
	err = gt_move_pages(ctl, CTL_PAGES, FAST_NODE, NULL);
	if (!err)
		err = gt_cg_create(DAMON_CG);
	if (err)
		goto out;
	cg_made = true;
	err = gt_cg_enter(DAMON_CG, 0);
	if (err)
		goto out;
	cg_entered = true;
	buf = gt_buf_alloc(BUF_PAGES);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	err = run(buf, ctl);
out:
	if (damon_teardown())
		err = err ? err : -EIO;
	gt_buf_free(buf, BUF_PAGES);
	gt_buf_free(ctl, CTL_PAGES);
	if (cg_entered && gt_cg_enter("", 0))
		err = err ? err : -EIO;
	if (cg_made && gt_cg_destroy(DAMON_CG))
		err = err ? err : -EIO;
	gt_knob_restore(&balancing);
	return gt_exit_status(err);
}
