/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topology.h - memory tiers as the kernel reports them.
 *
 * Tiers come from /sys/devices/virtual/memory_tiering/memory_tierN/nodelist,
 * where a smaller N (abstract distance / 128) is a faster tier.  Kernels
 * without memory tiering get a single tier holding every node with memory.
 */
#ifndef CGTIER_TOPOLOGY_H
#define CGTIER_TOPOLOGY_H

#include <stdbool.h>
#include <stdint.h>

#include "cgtier/fs.h"
#include "cgtier/nodemask.h"

#define CGT_MAX_TIERS 32

struct cgt_tier {
	int id;                    /* N of memory_tierN; -1 if synthesised */
	struct cgt_nodemask nodes; /* nodes of this tier */
};

struct cgt_topology {
	int nr_tiers;                        /* tiers[] sorted fastest first */
	struct cgt_tier tiers[CGT_MAX_TIERS];
	struct cgt_nodemask mem_nodes;       /* has_memory */
	struct cgt_nodemask cpu_nodes;       /* has_cpu */
	bool from_kernel;                    /* memory_tiering was present */
};

/*
 * Read the topology below @fs.  -ENOENT if /sys/devices/system/node is
 * missing, -E2BIG for more than CGT_MAX_TIERS tiers, -EINVAL on a
 * malformed file.  @ret is written only on success.
 */
int cgt_topology_load(const struct cgt_fs *fs, struct cgt_topology *ret);

/* Index in tiers[] of the tier holding @node, or -ENOENT. */
int cgt_topology_tier_of(const struct cgt_topology *t, int node);

/* Nodes of the fastest tier (empty if there is none). */
const struct cgt_nodemask *cgt_topology_fast_nodes(const struct cgt_topology *t);

/*
 * Read field @key ("MemTotal", "MemFree", ...) of node @node's meminfo
 * ("Node 1 MemFree:  1022376 kB") in bytes.  The value is blanks, an
 * unsigned decimal (cgt_parse_u64_prefix()) and " kB", nothing else.
 * -ENOENT if the node or the field is missing, -EINVAL on a malformed
 * line, -ERANGE if the bytes do not fit in 64 bits.
 */
int cgt_node_meminfo(const struct cgt_fs *fs, int node, const char *key,
		     uint64_t *ret);

/*
 * The high watermarks of node @node's zones, summed, in bytes, from
 * /proc/zoneinfo (read line by line: on a large machine the file is far
 * bigger than CGT_FS_MAX_FILE).  Memory below it is the kernel's: an
 * allocation that takes a node under its watermarks wakes kswapd or fails
 * (a migration with __GFP_THISNODE logs a page allocation failure).
 * -ENOENT if the file or the node is missing, -EINVAL on a malformed line.
 */
int cgt_node_high_wmark(const struct cgt_fs *fs, int node, uint64_t *ret);

#endif /* CGTIER_TOPOLOGY_H */
