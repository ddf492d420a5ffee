// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * t_memcg_numa - memory.numa_stat accounts a cgroup's memory per node.
 *
 * A child enters a fresh cgroup, binds a 64 MiB anonymous buffer to node 1
 * (mbind MPOL_BIND before the first touch) and fills it.  While the child
 * holds the memory, the parent reads the cgroup's memory.numa_stat and
 * expects "anon" N1 within 95%..105% of 64 MiB (the slack covers memcg's
 * lazily flushed per-CPU counters and the child's own few anon pages) and
 * N0 at most 2 MiB.  The cgroup is removed on every path.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgtier/mempolicy.h"
#include "guest-util.h"

#define CGROUP "cgtier-t-memcg-numa"
#define BUF_BYTES (64ULL << 20)
#define SLOW_NODE 1
#define FAST_NODE 0
#define N0_MAX_BYTES (2ULL << 20)
#define SEED 0x6d656d63ULL /* "memc" */

struct sync {
	int ready[2]; /* child -> parent: one byte once the buffer is placed */
	int done[2];  /* parent -> child: EOF once the stats are read */
};

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int bind_to_node(void *buf, size_t len, int node)
{
	unsigned long mask = 1UL << node;

	int err = cgt_mbind(buf, len, MPOL_BIND, &mask, sizeof(mask) * 8, 0);

	if (err)
		return gt_fail("child: mbind(MPOL_BIND, node %d): %s", node,
			       strerror(-err));
	return 0;
}

/* The child, in the cgroup: place the buffer on node 1 and check it. */
static int child_place(void *buf, size_t npages)
{
	int err;

	err = bind_to_node(buf, npages * gt_page_size(), SLOW_NODE);
	if (err)
		return err;
	gt_buf_fill(buf, npages, SEED);
	err = gt_expect_on_node(buf, npages, SLOW_NODE, "child: buffer placement");
	if (err)
		return err;
	gt_msg("child: holding %zu pages on node %d", npages, SLOW_NODE);
	return 0;
}

/* Enter the cgroup, place the buffer, hold it until the parent is done. */
static noreturn void child_main(struct sync *s)
{
	size_t npages = BUF_BYTES / gt_page_size();
	void *buf = NULL;
	int err;
	char c;

	close_fd(&s->ready[0]);
	close_fd(&s->done[1]);
	err = gt_cg_enter(CGROUP, 0);
	if (!err) {
		buf = gt_buf_alloc(npages);
		err = buf ? child_place(buf, npages) : -ENOMEM;
	}
	if (!err && write(s->ready[1], "r", 1) != 1)
		err = gt_fail("child: write to the parent: %s", strerror(errno));
	while (!err && read(s->done[0], &c, 1) < 0 && errno == EINTR)
		;
	gt_buf_free(buf, npages);
	_exit(gt_exit_status(err));
}

static int check_stats(void)
{
	uint64_t anon[GT_MAX_NODES] = { 0 }, current, lo, hi;
	int err;

	err = gt_cg_numa_stat(CGROUP, "anon", anon, GT_MAX_NODES);
	if (!err)
		err = gt_cg_read_u64(CGROUP, "memory.current", &current);
	if (err)
		return err;
	gt_msg("memory.numa_stat anon: N0=%" PRIu64 " N1=%" PRIu64
	       " bytes (N1 = %.1f MiB); memory.current %" PRIu64 " bytes",
	       anon[FAST_NODE], anon[SLOW_NODE],
	       (double)anon[SLOW_NODE] / (1 << 20), current);
	lo = BUF_BYTES * 95 / 100;
	hi = BUF_BYTES * 105 / 100;
	if (anon[SLOW_NODE] < lo || anon[SLOW_NODE] > hi)
		return gt_fail("expected anon N1 within 95%%..105%% of %llu (%" PRIu64
			       "..%" PRIu64 "), got %" PRIu64,
			       BUF_BYTES, lo, hi, anon[SLOW_NODE]);
	if (anon[FAST_NODE] > N0_MAX_BYTES)
		return gt_fail("expected anon N0 <= %llu, got %" PRIu64,
			       N0_MAX_BYTES, anon[FAST_NODE]);
	return 0;
}

/* Wait for the child's "ready", check the stats, release and reap it. */
static int parent_main(struct sync *s, pid_t child)
{
	int err = 0, status;
	ssize_t n;
	char c;

	close_fd(&s->ready[1]);
	close_fd(&s->done[0]);
	do
		n = read(s->ready[0], &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		err = gt_fail("the child failed before placing its buffer");
	else
		err = check_stats();
	close_fd(&s->done[1]);
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR)
			return gt_fail("waitpid: %s", strerror(errno));
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return err ? err : gt_fail("the child failed (status %#x)",
					   status);
	return err;
}

static int run(void)
{
	struct sync s = { { -1, -1 }, { -1, -1 } };
	pid_t child;
	int err;

	if (pipe(s.ready) || pipe(s.done)) {
		err = gt_fail("pipe: %s", strerror(errno));
		goto out;
	}
	fflush(stdout);
	child = fork();
	if (child < 0) {
		err = gt_fail("fork: %s", strerror(errno));
		goto out;
	}
	if (!child)
		child_main(&s);
	err = parent_main(&s, child);
out:
	close_fd(&s.ready[0]);
	close_fd(&s.ready[1]);
	close_fd(&s.done[0]);
	close_fd(&s.done[1]);
	return err;
}

int main(void)
{
	int err, err2;

	gt_init();
	if (gt_require_nodes(SLOW_NODE))
		return GT_FAIL;
	if (gt_thp_disable())
		return GT_FAIL;
	if (gt_cg_create(CGROUP))
		return GT_FAIL;
	gt_msg("cgroup %s/%s created", GT_CGROUP_ROOT, CGROUP);
	err = gt_cg_has_file(CGROUP, "memory.numa_stat");
	if (err)
		err = gt_fail("no memory.numa_stat in the new cgroup (%s): is +memory in the root's cgroup.subtree_control?",
			      strerror(-err));
	else
		err = run();
	err2 = gt_cg_destroy(CGROUP);
	if (!err2)
		gt_msg("cgroup %s/%s removed", GT_CGROUP_ROOT, CGROUP);
	return gt_exit_status(err ? err : err2);
}
