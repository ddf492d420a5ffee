// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * t_faultbench - the cost of a page fault, for comparing kernels.
 *
 * Maps 64 MiB of anonymous memory without THP, writes one byte per page,
 * unmaps it, ROUNDS times, and prints the task's CPU time per fault.  Run
 * in a non-root cgroup (so that the patched kernel's per-node counters are
 * updated on every fault) on the stock and on the patched kernel, booted
 * alternately: the ratio of the figures is what to compare, since TCG times
 * are not hardware times.  A benchmark, not a test: it fails only when the
 * system calls do.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "guest-util.h"

#define SIZE (64UL << 20)
#define ROUNDS 16

static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	size_t page = gt_page_size(), i;
	unsigned long faults = 0;
	double t0, t;
	int r;

	gt_init();
	t0 = cpu_seconds();
	for (r = 0; r < ROUNDS; r++) {
		char *buf = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (buf == MAP_FAILED)
			return gt_exit_status(gt_fail("mmap: %s", strerror(errno)));
		if (madvise(buf, SIZE, MADV_NOHUGEPAGE))
			return gt_exit_status(gt_fail("madvise: %s", strerror(errno)));
		for (i = 0; i < SIZE; i += page)
			buf[i] = 1;
		faults += SIZE / page;
		munmap(buf, SIZE);
	}
	t = cpu_seconds() - t0;
	printf("faultbench faults=%lu cpu_s=%.3f ns_per_fault=%.0f\n", faults,
	       t, t * 1e9 / faults);
	return 0;
}
