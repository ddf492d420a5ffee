// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * t_demote - the upstream tiering baseline: demotion by reclaim.
 *
 * With /sys/kernel/mm/numa/demotion_enabled=1, reclaim on a node that has a
 * demotion target migrates cold anonymous pages there instead of failing to
 * reclaim them (the guest has no swap).
 *
 * This process joins cgroup COLD_CG and writes a 128 MiB buffer on node 0,
 * then leaves it cold.  A child in the root cgroup, bound to node 0 with
 * MPOL_BIND, writes node 0's free memory plus PRESSURE_EXTRA and keeps
 * reading what it wrote, so kswapd and direct reclaim on node 0 must make
 * room and the child's pages stay referenced: the cold buffer is what
 * reclaim finds to demote.  (A child that writes its pages only once is
 * aged exactly like the cold buffer: reclaim then demotes the child's own
 * pages, scanning each memcg in proportion to its size, and measured 0 of
 * the 32768 cold pages demoted.)
 *
 * Expected: pgdemote_kswapd + pgdemote_direct grown by at least the cold
 * pages found on node 1, at least COLD_MIN_PCT% of the cold pages on node
 * 1, their contents intact, and COLD_CG's memory.stat and memory.numa_stat
 * telling the same story.  NUMA balancing is off during the test, so
 * nothing promotes the pages back.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgtier/mempolicy.h"
#include "guest-util.h"

#define FAST_NODE 0
#define SLOW_NODE 1
#define NR_NODES 2

#define COLD_CG "t_demote"
#define COLD_PAGES 32768		/* 128 MiB */
#define SEED 0x64656d6fULL

/* The child allocates node 0's free memory plus this much. */
#define PRESSURE_EXTRA (192ULL << 20)
#define PRESSURE_CHUNK (8ULL << 20)
#define PRESSURE_WALL_CAP_S 240.0

/*
 * Pass: at least this share of the cold pages demoted.  Measured 32768 of
 * 32768 in 8 of 8 runs, with about 49000 pages demoted in all; the margin
 * covers cold pages reclaim skips (isolated, locked) when the pressure ends.
 */
#define COLD_MIN_PCT 90


static const char *const counters[] = {
	"pgdemote_kswapd",
	"pgdemote_direct",
	"pgdemote_khugepaged",
	"pgsteal_kswapd",
	"pgsteal_direct",
	"pgscan_kswapd",
	"pgscan_direct",
	"pgmigrate_success",
	"pgmigrate_fail",
	"pgpromote_success",
};
#define NR_COUNTERS (sizeof(counters) / sizeof(counters[0]))
/* indexes in counters[] */
#define PGDEMOTE_KSWAPD 0
#define PGDEMOTE_DIRECT 1

/* ---- the pressure child ----------------------------------------------- */

static volatile unsigned long child_sink;

/* read(2) exactly @len bytes; 0 at a clean EOF before any byte. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, p + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : (ssize_t)got;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/*
 * The child: wait for the number of bytes to allocate on @fd (EOF: exit
 * without doing anything), then bind to the fast node, write that much
 * memory page by page and exit.  Runs in the root cgroup.
 */
static int pressure_child(int fd)
{
	unsigned long mask = 1UL << FAST_NODE;
	uint64_t bytes, done, end, off, page = gt_page_size();
	unsigned long sum = 0;
	ssize_t n;
	char *mem;
	int err;

	n = read_full(fd, &bytes, sizeof(bytes));
	if (n == 0)
		return 0;
	if (n != (ssize_t)sizeof(bytes)) {
		gt_fail("pressure child: cannot read its size: %s",
			n < 0 ? strerror(errno) : "short read");
		return GT_FAIL;
	}
	if (gt_cg_enter("", 0))
		return GT_FAIL;
	err = cgt_set_mempolicy(MPOL_BIND, &mask, sizeof(mask) * 8);
	if (err) {
		gt_fail("pressure child: set_mempolicy(MPOL_BIND, node %d): %s",
			FAST_NODE, strerror(-err));
		return GT_FAIL;
	}
	mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		gt_fail("pressure child: mmap of %" PRIu64 " bytes: %s", bytes,
			strerror(errno));
		return GT_FAIL;
	}
	/*
	 * A workload whose memory stays in use: after each chunk it writes,
	 * it reads everything written so far again.
	 */
	for (done = 0; done < bytes; done = end) {
		end = done + PRESSURE_CHUNK < bytes ? done + PRESSURE_CHUNK : bytes;
		for (off = done; off < end; off += page)
			mem[off] = (char)(off / page);
		for (off = 0; off < end; off += page)
			sum += (unsigned char)mem[off];
	}
	child_sink = sum;
	gt_msg("pressure child: wrote %" PRIu64 " MiB bound to node %d",
	       bytes >> 20, FAST_NODE);
	if (munmap(mem, bytes))
		gt_msg("pressure child: munmap: %s", strerror(errno));
	return 0;
}

/*
 * Wait for *@child for at most PRESSURE_WALL_CAP_S, killing it after that;
 * *@child is -1 once it is reaped.
 */
static int wait_child(pid_t *child)
{
	double start = gt_now();
	pid_t ret, pid = *child;
	int status;

	for (;;) {
		ret = waitpid(pid, &status, WNOHANG);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			return gt_fail("waitpid(%d): %s", (int)pid,
				       strerror(errno));
		if (ret == pid) {
			*child = -1;
			break;
		}
		if (gt_now() - start > PRESSURE_WALL_CAP_S) {
			if (kill(pid, SIGKILL))
				gt_msg("kill(%d): %s", (int)pid, strerror(errno));
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			*child = -1;
			return gt_fail("pressure child still running after %.0f s: killed",
				       PRESSURE_WALL_CAP_S);
		}
		gt_sleep_ms(100);
	}
	gt_msg("pressure child done after %.1f s", gt_now() - start);
	if (WIFSIGNALED(status))
		return gt_fail("pressure child killed by signal %d%s",
			       WTERMSIG(status),
			       WTERMSIG(status) == SIGKILL ? " (OOM?)" : "");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return gt_fail("pressure child failed (status %#x)", status);
	return 0;
}

/* ---- the test ----------------------------------------------------------- */

static void print_cg(const char *when)
{
	uint64_t kswapd = 0, direct = 0, anon[NR_NODES] = { 0 };

	if (gt_cg_stat(COLD_CG, "memory.stat", "pgdemote_kswapd", &kswapd) ||
	    gt_cg_stat(COLD_CG, "memory.stat", "pgdemote_direct", &direct) ||
	    gt_cg_numa_stat(COLD_CG, "anon", anon, NR_NODES))
		return;
	gt_msg("%s: %s memory.stat pgdemote_kswapd %" PRIu64
	       " pgdemote_direct %" PRIu64 ", memory.numa_stat anon N0=%" PRIu64
	       " MiB N1=%" PRIu64 " MiB", when, COLD_CG, kswapd, direct,
	       anon[0] >> 20, anon[1] >> 20);
}

/* Check COLD_CG's own view: demotions charged to it, anon bytes on node 1. */
static int check_cg(size_t cold_slow)
{
	uint64_t kswapd, direct, anon[NR_NODES];
	uint64_t want = (uint64_t)cold_slow * gt_page_size();
	int err;

	err = gt_cg_stat(COLD_CG, "memory.stat", "pgdemote_kswapd", &kswapd);
	if (!err)
		err = gt_cg_stat(COLD_CG, "memory.stat", "pgdemote_direct",
				 &direct);
	if (!err)
		err = gt_cg_numa_stat(COLD_CG, "anon", anon, NR_NODES);
	if (err)
		return err;
	/* memcg statistics are flushed in batches: allow 1% */
	if ((kswapd + direct) * 100 < (uint64_t)cold_slow * 99)
		err = gt_fail("%s: memory.stat pgdemote_kswapd + pgdemote_direct = %" PRIu64
			      ", expected about the %zu demoted cold pages",
			      COLD_CG, kswapd + direct, cold_slow);
	if (anon[SLOW_NODE] * 100 < want * 99)
		err = gt_fail("%s: memory.numa_stat anon N%d=%" PRIu64
			      ", expected about %" PRIu64 " (the demoted pages)",
			      COLD_CG, SLOW_NODE, anon[SLOW_NODE], want);
	return err;
}

static int run(char *buf, int pipe_fd, pid_t *child)
{
	uint64_t before[NR_COUNTERS], after[NR_COUNTERS];
	uint64_t free0, bytes, demoted;
	struct gt_node_count cold;
	size_t i, bad, cold_slow;
	int err, err2;

	gt_buf_fill(buf, COLD_PAGES, SEED);
	err = gt_move_pages(buf, COLD_PAGES, FAST_NODE, NULL);
	if (err)
		return err;
	err = gt_count_pages(buf, COLD_PAGES, &cold);
	if (err)
		return err;
	gt_count_print("cold buffer before", &cold, NR_NODES);
	print_cg("before");

	err = gt_node_free(FAST_NODE, &free0);
	if (err)
		return err;
	bytes = free0 + PRESSURE_EXTRA;
	gt_msg("node %d MemFree %" PRIu64 " MiB: the child writes %" PRIu64
	       " MiB bound to it", FAST_NODE, free0 >> 20, bytes >> 20);

	err = gt_vmstat_read(counters, NR_COUNTERS, before);
	if (err)
		return err;
	if (write(pipe_fd, &bytes, sizeof(bytes)) != (ssize_t)sizeof(bytes))
		return gt_fail("cannot start the pressure child: %s",
			       strerror(errno));
	err = wait_child(child);
	err2 = gt_vmstat_read(counters, NR_COUNTERS, after);
	if (err || err2)
		return err ? err : err2;

	err = gt_count_pages(buf, COLD_PAGES, &cold);
	if (err)
		return err;
	for (i = 0; i < NR_COUNTERS; i++)
		gt_msg("%s: +%" PRIu64, counters[i], after[i] - before[i]);
	gt_count_print("cold buffer after", &cold, NR_NODES);
	print_cg("after");

	bad = gt_buf_verify(buf, COLD_PAGES, SEED);
	if (bad)
		err = gt_fail("%zu of %d cold pages lost their contents", bad,
			      COLD_PAGES);

	demoted = after[PGDEMOTE_KSWAPD] - before[PGDEMOTE_KSWAPD] +
		  after[PGDEMOTE_DIRECT] - before[PGDEMOTE_DIRECT];
	cold_slow = cold.on_node[SLOW_NODE];
	if (!demoted)
		err = gt_fail("pgdemote_kswapd + pgdemote_direct did not grow");
	else if (demoted < cold_slow)
		err = gt_fail("pgdemote_kswapd + pgdemote_direct grew by %" PRIu64
			      ", less than the %zu cold pages now on node %d",
			      demoted, cold_slow, SLOW_NODE);
	if (cold_slow * 100 < (size_t)COLD_PAGES * COLD_MIN_PCT)
		err = gt_fail("expected >= %d%% of the %d cold pages demoted to node %d, found %zu",
			      COLD_MIN_PCT, COLD_PAGES, SLOW_NODE, cold_slow);
	err2 = check_cg(cold_slow);
	if (!err)
		err = err2;
	if (!err)
		gt_msg("demoted %zu of %d cold pages (%.1f%%); %" PRIu64
		       " pages demoted in all", cold_slow, COLD_PAGES,
		       100.0 * (double)cold_slow / COLD_PAGES, demoted);
	return err;
}

int main(void)
{
	struct gt_knob balancing = { 0 }, demotion = { 0 };
	bool cg_made = false, cg_entered = false;
	int fds[2] = { -1, -1 };
	char *buf = NULL;
	pid_t child = -1;
	int err;

	gt_init();
	gt_require_tiers(FAST_NODE, SLOW_NODE, "no demotion target");
	err = gt_thp_disable();
	if (!err)
		err = gt_knob_set(&demotion, GT_DEMOTION_ENABLED, "1");
	if (!err)
		err = gt_knob_set(&balancing, GT_NUMA_BALANCING, "0");
	if (err)
		goto out;

	/* The child is forked first, so it shares none of the cold pages. */
	if (pipe(fds)) {
		err = gt_fail("pipe: %s", strerror(errno));
		goto out;
	}
	child = fork();
	if (child < 0) {
		err = gt_fail("fork: %s", strerror(errno));
		goto out;
	}
	if (child == 0) {
		close(fds[1]);
		_exit(pressure_child(fds[0]));
	}
	close(fds[0]);
	fds[0] = -1;

	err = gt_cg_create(COLD_CG);
	if (err)
		goto out;
	cg_made = true;
	err = gt_cg_enter(COLD_CG, 0);
	if (err)
		goto out;
	cg_entered = true;
	buf = gt_buf_alloc(COLD_PAGES);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	err = run(buf, fds[1], &child);
out:
	if (fds[1] >= 0)
		close(fds[1]);	/* a child still waiting sees EOF and exits */
	if (child > 0)
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
	gt_buf_free(buf, COLD_PAGES);
	if (cg_entered && gt_cg_enter("", 0))
		err = err ? err : -EIO;
	if (cg_made && gt_cg_destroy(COLD_CG))
		err = err ? err : -EIO;
	gt_knob_restore(&balancing);
	gt_knob_restore(&demotion);
	return gt_exit_status(err);
}
