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

#include <numaif.h>

/*
 * move_pages(2): returns the number of pages that could not be moved (>= 0)
 * or -errno.  With @nodes NULL, @status receives each page's node.
 */
long cgt_move_pages(int pid, unsigned long count, void **pages,
		    const int *nodes, int *status, int flags);

/* mbind(2); 0 or -errno. */
int cgt_mbind(void *addr, unsigned long len, int mode,
	      const unsigned long *nodemask, unsigned long maxnode,
	      unsigned int flags);

/* set_mempolicy(2); 0 or -errno. */
int cgt_set_mempolicy(int mode, const unsigned long *nodemask,
		      unsigned long maxnode);

#endif /* CGTIER_MEMPOLICY_H */
