/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hotness.h - the stage between acquire and decide: which bytes of each
 * unit are hot, per tier, and the page mover the act stage uses for
 * promotion (both backends) and for demotion (stock backend).
 *
 * The kernel series has no cgroup-scoped idle-age histogram yet, so on
 * either backend hotness comes from idle page tracking over the processes
 * of the unit's cgroups (pagescan.h): one struct cgt_pagescan per cgroup of
 * a unit (the unit and every cgroup nested in it: cgroup v2 keeps
 * processes in leaves, so a pod's come from its containers).  A page is
 * hot when it was accessed within the policy's hot_age, counted in whole
 * periods: ceil(hot_age / period), at least 1 -- and, with hot_hits above
 * 1, seen accessed in at least that many of those periods (the last 8 at
 * most: cgt_pagescan_hot_hits()).  With global.sample
 * shorter than the period, the daemon calls cgt_hotness_mark() that long
 * before each update, so "accessed" means accessed in that window: a
 * short window tells pages touched often from pages touched now and then,
 * which one bit per page over a whole period cannot.  A unit gets
 * CGT_SNAP_HOT_KNOWN and hot[] when every one of its cgroups was scanned.
 *
 * When the kernel has no idle page tracking (no page_idle bitmap) or the
 * daemon lacks CAP_SYS_ADMIN (PFNs read as 0), hotness is off: no unit
 * gets hot bytes, decide counts every byte as cold, and nothing is
 * promoted; hotness.disabled says why, once.
 *
 * Bounds: at most CGT_HOTNESS_MAX_CGROUPS cgroups are tracked (beyond,
 * their units' hotness is unknown); each cgroup's pagescan has its own
 * page and process caps.  Cgroups that left the snapshot are dropped, with
 * their fds and memory, at the next update.
 */
#ifndef CGTIERD_HOTNESS_H
#define CGTIERD_HOTNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgtier/fs.h"
#include "cgtier/topology.h"
#include "cgtierd/conf.h"
#include "cgtierd/pagescan.h"
#include "cgtierd/snapshot.h"

#define CGT_HOTNESS_MAX_CGROUPS 4096

struct cgt_hotness_entry {
	char *path;             /* the cgroup (owned; the sort key) */
	char *unit;             /* the unit it belongs to (owned) */
	struct cgt_pagescan ps;
	bool seen;              /* in this update's snapshot */
};

struct cgt_hotness_stats {
	size_t cgroups;     /* scanned this update */
	size_t failed;      /* whose scan failed (their units: unknown) */
	size_t over_cap;    /* not tracked: CGT_HOTNESS_MAX_CGROUPS */
	uint64_t pages;     /* tracked now, all cgroups */
	int last_err;       /* errno of the last failed scan */
	size_t procs;       /* processes tracked now, all cgroups */
};

/* Since start: the process events the scans and moves guarded against. */
struct cgt_hotness_totals {
	uint64_t procs_gone;    /* exited or vanished mid-scan (D1, M3) */
	uint64_t procs_reused;  /* PID reused by another process (M4) */
	uint64_t procs_foreign; /* left the cgroup before a move: untouched */
	uint64_t procs_raced;   /* exited during a move */
	uint64_t cgroups_gone;  /* removed before or during their scan (D1) */
};

struct cgt_hotness {
	struct cgt_hotness_entry *e; /* sorted by cgt_snap_path_cmp(path) */
	size_t n, cap;
	int disabled;       /* 0, or why hotness is off (-ENOENT, -EPERM) */
	struct cgt_hotness_stats stats;
	struct cgt_hotness_totals totals;
};

/*
 * Scan the cgroups of @snap's units under @cfg and fill the units' hot[]
 * (setting CGT_SNAP_HOT_KNOWN).  @fs holds /proc and /sys.  Returns 0 (also
 * when hotness is off or single scans failed: see stats) or -ENOMEM.
 */
int cgt_hotness_update(struct cgt_hotness *h, const struct cgt_fs *fs,
		       const struct cgt_topology *topo,
		       const struct cgt_config *cfg, struct cgt_snapshot *snap);

/*
 * Move up to @bytes of unit @unit's pages: hot ones (@hot_age, @hot_hits) from
 * the slower tiers into the fastest (@promote), or the coldest out of it.
 * Returns the bytes moved or a negative errno (-ENOENT: unit not tracked).
 */
int64_t cgt_hotness_move(struct cgt_hotness *h, const struct cgt_fs *fs,
			 const struct cgt_topology *topo, const char *unit,
			 bool promote, uint64_t bytes, unsigned hot_age,
			 unsigned hot_hits);

/*
 * The sample window of global.sample, for every tracked cgroup: its pages
 * marked idle and read back @window_usec later (cgt_pagescan_sample()),
 * for the next update.  Returns how many cgroups could not be sampled
 * (their update reads the bits itself).
 */
size_t cgt_hotness_sample(struct cgt_hotness *h, uint64_t window_usec);

/* ceil(@hot_age_usec / @period_usec), at least 1, at most 255. */
unsigned cgt_hotness_age_periods(uint64_t hot_age_usec, uint64_t period_usec);

/* Free everything and close every fd; NULL is fine. */
void cgt_hotness_clear(struct cgt_hotness *h);

#endif /* CGTIERD_HOTNESS_H */
