// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * t_promote - the upstream tiering baseline: NUMA-balancing promotion.
 *
 * With kernel.numa_balancing=2 (NUMA_BALANCING_MEMORY_TIERING) the NUMA
 * scanner makes the pages of a task inaccessible once per scan period; a
 * hint fault on a page of a slow-tier node promotes it to the faulting CPU's
 * node if it was accessed soon enough after the scan.
 *
 * A 64 MiB buffer is moved to node 1 with move_pages() (an MPOL_BIND VMA
 * would be skipped by the scanner), then its first quarter (4096 pages) is
 * read in a tight loop until at least 90% of those pages are on node 0, or
 * the task has used CPU_CAP_S seconds of CPU time.  Expected: the hot pages
 * on node 0, the cold three quarters still on node 1, pgpromote_success
 * grown by at least the number of pages promoted, the contents intact.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guest-util.h"

#define FAST_NODE 0
#define SLOW_NODE 1

#define BUF_PAGES 16384		/* 64 MiB */
#define HOT_PAGES (BUF_PAGES / 4)
#define SEED 0x70726f6dULL

/*
 * Pass: >= HOT_MIN_PCT% of the hot pages and COLD_MIN_PCT% of the cold ones
 * where they belong.  Measured: 4096 of 4096 hot pages promoted after
 * 1.5-2.5 s of CPU time (once the loop stopped at 3705, past 90%), no cold
 * page promoted, pgpromote_success and numa_hint_faults +4096,
 * numa_pte_updates +16384.
 */
#define HOT_MIN_PCT 90
#define COLD_MIN_PCT 90

#define CPU_CAP_S 60.0		/* the scanner runs per second of task CPU time */
#define WALL_CAP_S 240.0	/* in case the task does not get the CPU */
#define CHECK_EVERY_S 0.5


static const char *const counters[] = {
	"numa_pte_updates",
	"numa_hint_faults",
	"numa_hint_faults_local",
	"pgpromote_candidate",
	"pgpromote_success",
	"pgmigrate_success",
	"pgmigrate_fail",
};
#define NR_COUNTERS (sizeof(counters) / sizeof(counters[0]))
#define PGPROMOTE_SUCCESS 4	/* index in counters[] */

static volatile uint64_t sink;

/* Read every word of @npages pages of @buf once. */
static void read_pages(const void *buf, size_t npages)
{
	const uint64_t *w = buf;
	size_t i, n = npages * gt_page_size() / sizeof(*w);
	uint64_t sum = 0;

	for (i = 0; i < n; i++)
		sum += w[i];
	sink += sum;
}

/*
 * Read the hot pages until HOT_MIN_PCT% of them are on the fast node or a
 * cap is reached; @hot gets the last count.
 */
static int read_until_promoted(char *hot_buf, struct gt_node_count *hot)
{
	double cpu0 = gt_cpu_time(), wall0 = gt_now(), next = wall0;
	size_t want = (size_t)HOT_PAGES * HOT_MIN_PCT / 100;
	unsigned long passes = 0;
	int err;

	for (;;) {
		read_pages(hot_buf, HOT_PAGES);
		passes++;
		if (gt_now() < next)
			continue;
		next = gt_now() + CHECK_EVERY_S;
		err = gt_count_pages(hot_buf, HOT_PAGES, hot);
		if (err)
			return err;
		if (hot->on_node[FAST_NODE] >= want ||
		    gt_cpu_time() - cpu0 >= CPU_CAP_S ||
		    gt_now() - wall0 >= WALL_CAP_S)
			break;
	}
	gt_msg("read the hot pages %lu times: %.1f s CPU, %.1f s wall",
	       passes, gt_cpu_time() - cpu0, gt_now() - wall0);
	return 0;
}

static int run(char *buf)
{
	struct gt_node_count hot, cold;
	uint64_t before[NR_COUNTERS], after[NR_COUNTERS], promoted;
	size_t bad, hot_fast, cold_slow;
	size_t i;
	int err;

	gt_buf_fill(buf, BUF_PAGES, SEED);
	err = gt_move_pages(buf, BUF_PAGES, SLOW_NODE, NULL);
	if (err)
		return err;
	err = gt_expect_on_node(buf, BUF_PAGES, SLOW_NODE, "buffer after move_pages");
	if (err)
		return err;

	err = gt_vmstat_read(counters, NR_COUNTERS, before);
	if (err)
		return err;
	err = read_until_promoted(buf, &hot);
	if (err)
		return err;
	err = gt_vmstat_read(counters, NR_COUNTERS, after);
	if (err)
		return err;
	err = gt_count_pages(buf, HOT_PAGES, &hot);
	if (!err)
		err = gt_count_pages(buf + (size_t)HOT_PAGES * gt_page_size(),
				     BUF_PAGES - HOT_PAGES, &cold);
	if (err)
		return err;

	for (i = 0; i < NR_COUNTERS; i++)
		gt_msg("%s: +%" PRIu64, counters[i], after[i] - before[i]);
	gt_count_print("hot pages (read)", &hot, 2);
	gt_count_print("cold pages (untouched)", &cold, 2);

	bad = gt_buf_verify(buf, BUF_PAGES, SEED);
	if (bad)
		err = gt_fail("%zu of %d pages lost their contents", bad,
			      BUF_PAGES);

	promoted = after[PGPROMOTE_SUCCESS] - before[PGPROMOTE_SUCCESS];
	hot_fast = hot.on_node[FAST_NODE];
	cold_slow = cold.on_node[SLOW_NODE];
	if (!promoted)
		err = gt_fail("pgpromote_success did not grow");
	else if (promoted < hot_fast + cold.on_node[FAST_NODE])
		err = gt_fail("pgpromote_success grew by %" PRIu64
			      ", less than the %zu pages now on node %d",
			      promoted, hot_fast + cold.on_node[FAST_NODE],
			      FAST_NODE);
	if (hot_fast * 100 < (size_t)HOT_PAGES * HOT_MIN_PCT)
		err = gt_fail("expected >= %d%% of the %d hot pages on node %d, found %zu",
			      HOT_MIN_PCT, HOT_PAGES, FAST_NODE, hot_fast);
	if (cold_slow * 100 < (size_t)(BUF_PAGES - HOT_PAGES) * COLD_MIN_PCT)
		err = gt_fail("expected >= %d%% of the %d cold pages to stay on node %d, found %zu",
			      COLD_MIN_PCT, BUF_PAGES - HOT_PAGES, SLOW_NODE,
			      cold_slow);
	if (!err)
		gt_msg("promoted %zu of %d hot pages (%.1f%%), %zu of %d cold pages stayed on node %d",
		       hot_fast, HOT_PAGES, 100.0 * (double)hot_fast / HOT_PAGES,
		       cold_slow, BUF_PAGES - HOT_PAGES, SLOW_NODE);
	return err;
}

int main(void)
{
	struct gt_knob balancing = { 0 }, demotion = { 0 };
	char *buf = NULL;
	int err;

	gt_init();
	gt_require_tiers(FAST_NODE, SLOW_NODE, "nothing to promote from");
	err = gt_thp_disable();
	if (!err)
		err = gt_knob_set(&demotion, GT_DEMOTION_ENABLED, "1");
	if (!err)
		err = gt_knob_set(&balancing, GT_NUMA_BALANCING, "2");
	if (!err) {
		buf = gt_buf_alloc(BUF_PAGES);
		if (!buf)
			err = -ENOMEM;
	}
	if (!err)
		err = run(buf);

	gt_buf_free(buf, BUF_PAGES);
	gt_knob_restore(&balancing);
	gt_knob_restore(&demotion);
	return gt_exit_status(err);
}
