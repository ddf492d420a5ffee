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

long cgt_move_pages_chunked(int pid, size_t count, void **pages,
			    const int *nodes, int *status, int flags)
{
	long r, failed = 0;
	size_t off, n, i;

	if (count && (!pages || !status))
		return -EINVAL;
	for (off = 0; off < count; off += n) {
		n = count - off < CGT_MOVE_CHUNK ? count - off : CGT_MOVE_CHUNK;
		for (i = 0; i < n; i++)
			status[off + i] = CGT_MOVE_STATUS_UNKNOWN;
		r = cgt_move_pages(pid, n, pages + off, nodes ? nodes + off : NULL,
				   status + off, flags);
		if (r < 0)
			return r;
		failed += r;
	}
	return failed;
}

long cgt_move_range(int pid, void *start, size_t npages, int node,
		    int *status, int flags)
{
	void *pages[CGT_MOVE_CHUNK];
	int nodes[CGT_MOVE_CHUNK];
	long pg = sysconf(_SC_PAGESIZE), r, failed = 0;
	size_t off, n, i;

	if (pg <= 0 || (npages && (!start || !status)))
		return -EINVAL;
	for (i = 0; i < CGT_MOVE_CHUNK; i++)
		nodes[i] = node;
	for (off = 0; off < npages; off += n) {
		n = npages - off < CGT_MOVE_CHUNK ? npages - off : CGT_MOVE_CHUNK;
		for (i = 0; i < n; i++)
			pages[i] = (char *)start + (off + i) * (size_t)pg;
		r = cgt_move_pages_chunked(pid, n, pages,
					   node < 0 ? NULL : nodes,
					   status + off, node < 0 ? 0 : flags);
		if (r < 0)
			return r;
		failed += r;
	}
	return failed;
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
