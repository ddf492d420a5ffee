/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mempolicy.h - the NUMA memory-policy system calls, returning -errno.
 *
 * Thin wrappers over move_pages(2), mbind(2) and set_mempolicy(2).  They
 * exist so that statically linked programs (the testbed's guest binaries)
 * need not link libnuma.a, whose affinity code drags in getaddrinfo().
 * The MPOL_* constants come from <numaif.h>.
 */
#ifndef CGTIER_MEMPOLICY_H
#define CGTIER_MEMPOLICY_H

#include <limits.h>
#include <numaif.h>
#include <stddef.h>

/*
 * move_pages(2): returns the number of pages that could not be moved (>= 0)
 * or -errno.  With @nodes NULL, @status receives each page's node.
 */
long cgt_move_pages(int pid, unsigned long count, void **pages,
		    const int *nodes, int *status, int flags);

/* Pages per move_pages(2) call of the chunked helpers (reliability M9). */
#define CGT_MOVE_CHUNK 1024

/* The status of a page the kernel did not report on (a failed chunk). */
#define CGT_MOVE_STATUS_UNKNOWN INT_MIN

/*
 * move_pages(2) over @count pages in calls of at most CGT_MOVE_CHUNK, so
 * each call's time stays bounded.  @nodes NULL queries.  Every @status
 * entry is set to CGT_MOVE_STATUS_UNKNOWN before its chunk's call, so a
 * page the kernel did not report on never reads as a node (M5).  Returns
 * the total of the calls' positive results (pages not migrated) or the
 * first call's -errno, after which the rest of @status stays unknown.
 */
long cgt_move_pages_chunked(int pid, size_t count, void **pages,
			    const int *nodes, int *status, int flags);

/*
 * cgt_move_pages_chunked() over the @npages consecutive base pages from
 * @start (page-aligned) of process @pid: to @node with @flags, or, with
 * @node < 0, a query (@flags ignored).  Builds the address array chunk by
 * chunk, so it needs no allocation.
 */
long cgt_move_range(int pid, void *start, size_t npages, int node,
		    int *status, int flags);

/* mbind(2); 0 or -errno. */
int cgt_mbind(void *addr, unsigned long len, int mode,
	      const unsigned long *nodemask, unsigned long maxnode,
	      unsigned int flags);

/* set_mempolicy(2); 0 or -errno. */
int cgt_set_mempolicy(int mode, const unsigned long *nodemask,
		      unsigned long maxnode);

#endif /* CGTIER_MEMPOLICY_H */
