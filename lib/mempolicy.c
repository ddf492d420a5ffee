// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mempolicy.c - NUMA memory-policy system calls with -errno returns.
 */
#include "config.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgtier/mempolicy.h"

long cgt_move_pages(int pid, unsigned long count, void **pages,
		    const int *nodes, int *status, int flags)
{
	long r = syscall(SYS_move_pages, pid, count, pages, nodes, status, flags);

	return r < 0 ? -errno : r;
}

int cgt_mbind(void *addr, unsigned long len, int mode,
	      const unsigned long *nodemask, unsigned long maxnode,
	      unsigned int flags)
{
	long r = syscall(SYS_mbind, addr, len, mode, nodemask, maxnode, flags);

	return r < 0 ? -errno : 0;
}

int cgt_set_mempolicy(int mode, const unsigned long *nodemask,
		      unsigned long maxnode)
{
	long r = syscall(SYS_set_mempolicy, mode, nodemask, maxnode);

	return r < 0 ? -errno : 0;
}
