// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * t_move_pages - move a 64 MiB anonymous buffer node 0 -> node 1 -> node 0.
 *
 * THP off, so the buffer is 16384 base pages.  After each move every page
 * must still hold its pattern and a status query must find every page on
 * the target node (exact count).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "guest-util.h"

#define BUF_MIB 64
#define SEED 0x6d6f7665ULL /* "move" */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every page of @buf must be on @node and hold its pattern. */
static int check_placement(void *buf, size_t npages, int node)
{
	size_t bad;
	int err;

	err = gt_expect_on_node(buf, npages, node, "status query");
	if (err)
		return err;
	bad = gt_buf_verify(buf, npages, SEED);
	if (bad)
		return gt_fail("%zu of %zu pages lost their contents after the move to node %d",
			       bad, npages, node);
	gt_msg("contents: all %zu pages intact", npages);
	return 0;
}

static int move_and_check(void *buf, size_t npages, int from, int to)
{
	double t0, secs;
	int err;

	t0 = now();
	err = gt_move_pages(buf, npages, to, NULL);
	if (err)
		return err;
	secs = now() - t0;
	gt_msg("moved %zu pages node %d -> node %d in %.3f s (%.0f MB/s, TCG)",
	       npages, from, to, secs,
	       secs > 0 ? (double)npages * gt_page_size() / 1e6 / secs : 0.0);
	return check_placement(buf, npages, to);
}

static int run(void *buf, size_t npages)
{
	struct gt_node_count c;
	int err;

	gt_buf_fill(buf, npages, SEED);
	err = gt_count_pages(buf, npages, &c);
	if (err)
		return err;
	gt_count_print("after fill", &c, 2);
	if (c.errors)
		return gt_fail("expected all %zu pages present after the fill, %zu are not",
			       npages, c.errors);

	/* Start from node 0 even if the allocator put a page elsewhere. */
	if (c.on_node[0] != npages) {
		err = gt_move_pages(buf, npages, 0, NULL);
		if (err)
			return err;
	}
	err = move_and_check(buf, npages, 0, 1);
	if (err)
		return err;
	return move_and_check(buf, npages, 1, 0);
}

int main(void)
{
	size_t npages = (size_t)BUF_MIB * 1024 * 1024 / gt_page_size();
	void *buf;
	int err;

	gt_init();
	if (gt_require_nodes(1))
		return GT_FAIL;
	err = gt_thp_disable();
	if (err)
		return GT_FAIL;
	buf = gt_buf_alloc(npages);
	if (!buf)
		return GT_FAIL;
	err = run(buf, npages);
	gt_buf_free(buf, npages);
	return gt_exit_status(err);
}
