/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * acquire.h - the first stage of the control loop: read the machine into a
 * struct cgt_snapshot (snapshot.h).  Reads only; writes nothing anywhere.
 *
 * The walk.  From the cgroup @start (relative to the cgroup2 mount below
 * @fs, "" for the mount itself) every directory below it is visited, depth
 * first, each opened with cgt_cgroup_open_at() from its parent's O_PATH
 * handle: one name at a time, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_XDEV, so a planted symlink ("kubepods.slice/x -> /etc") or a
 * bind mount is refused, never followed, and the walk cannot leave the
 * cgroup tree (D15).  Directory entries that are symlinks are not even
 * opened.  The walk is bounded:
 *
 *   - depth: subtrees more than @max_depth levels below @start are not
 *     entered (counted in stats.too_deep);
 *   - count: after @max_cgroups entries the walk stops, stats.truncated
 *     is set and the snapshot holds what was read (the cgroups not in it
 *     are left alone by decide);
 *   - open fds: two per level of the current path (handle + directory
 *     stream), so at most 2 * @max_depth + a few;
 *   - memory: one read buffer (CGT_FS_MAX_FILE) per call, and per cgroup
 *     sizeof(struct cgt_cg_snap) + its path (<= CGT_SNAP_PATH_MAX).
 *
 * The mount's root cgroup itself is never in the snapshot (it has no
 * memory.tier.* files and cannot be limited); @start is, when it is not "".
 *
 * Per cgroup, read:
 *   - its directory's inode (identity, D2);
 *   - memory.current (missing: no memory controller, skipped quietly);
 *   - memory.tier.stat (our kernel): resident[t] = "charged" of the tier
 *     whose id is tiers[t].id, and mono = promoted + demoted summed;
 *     else memory.numa_stat (stock kernel): resident[t] = anon + file of
 *     the tier's nodes (cgt_topology_tier_of());
 *   - memory.tier.max when present, per tier; UINT64_MAX otherwise;
 *   - hot[] is left 0 without CGT_SNAP_HOT_KNOWN for a later stage.
 *
 * Failures per cgroup never fail the call:
 *   - ENOENT / ENODEV (the cgroup went away mid-walk, D1): dropped quietly,
 *     stats.gone;
 *   - a malformed file (-EINVAL, -ERANGE, -E2BIG, -EFBIG), or a tier or
 *     node the topology does not know (-ESTALE: reload it): the cgroup is
 *     skipped, stats.errors, and the first CGT_SNAP_MAX_ERRORS are kept in
 *     errors[] for a rate-limited warning by the caller (D4);
 *   - symlinks, mount points (-ELOOP, -EXDEV) and paths longer than
 *     CGT_SNAP_PATH_MAX: stats.refused.
 * The call fails (negative errno, @ret untouched) only if @start cannot be
 * opened, the tier capacities cannot be read, the topology has more than
 * CGT_SNAP_MAX_TIERS tiers (-E2BIG), or memory runs out (-ENOMEM).
 */
#ifndef CGTIERD_ACQUIRE_H
#define CGTIERD_ACQUIRE_H

#include <stddef.h>

#include "cgtier/fs.h"
#include "cgtier/topology.h"
#include "cgtierd/snapshot.h"

#define CGT_ACQUIRE_MAX_DEPTH 16       /* kubepods nests 4-6 deep */
#define CGT_ACQUIRE_MAX_CGROUPS 16384  /* ~5 MiB of snapshot */

struct cgt_acquire_params {
	const char *start;    /* cgroup to walk from; NULL or "" for all */
	unsigned max_depth;   /* 0: CGT_ACQUIRE_MAX_DEPTH */
	size_t max_cgroups;   /* 0: CGT_ACQUIRE_MAX_CGROUPS */
	/*
	 * Tests only: called with each cgroup's path before it is read, to
	 * make it vanish or change mid-walk.  NULL in the daemon.
	 */
	void (*hook)(void *arg, const char *path);
	void *hook_arg;
};

/*
 * Read the tiers of @topo and the cgroups below @fs into *@ret (which the
 * caller cgt_snapshot_clear()s).  @p may be NULL for the defaults.
 */
int cgt_acquire(const struct cgt_fs *fs, const struct cgt_topology *topo,
		const struct cgt_acquire_params *p, struct cgt_snapshot *ret);

#endif /* CGTIERD_ACQUIRE_H */
