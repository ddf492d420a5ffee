// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * tlb.c - flush the calling process's TLB (see tlb.h for why).
 */
#include "config.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tlb.h"

#define SCRATCH_PAGES 64

int wl_tlb_flush(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t len;
	char *scratch;

	if (pg <= 0)
		return -EINVAL;
	len = SCRATCH_PAGES * (size_t)pg;
	scratch = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED)
		return -errno;
	/* Fault in both ends, so the unmap really spans 64 mapped pages. */
	((volatile char *)scratch)[0] = 1;
	((volatile char *)scratch)[len - (size_t)pg] = 1;
	if (munmap(scratch, len))
		return -errno;
	return 0;
}
