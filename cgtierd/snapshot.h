/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * snapshot.h - what one control period knows about the machine: the tiers
 * and, per cgroup, its memory per tier.  Plain structs, filled by the
 * acquire stage (acquire.h), read by the decide stage (decide.h), and
 * written by hand in tests.
 *
 * Tiers are indexed as in struct cgt_topology: 0 is the fastest.  A
 * snapshot holds at most CGT_SNAP_MAX_TIERS tiers (acquire refuses a
 * topology with more, -E2BIG), which keeps a cgroup's entry small.
 *
 * Cgroups are sorted by cgt_snap_path_cmp(), an order in which every
 * cgroup comes right before its descendants (a depth-first pre-order), so
 * that "the covered ancestor of this cgroup" is found in one pass and two
 * snapshots (or a snapshot and a decide state) are merged in one pass.
 */
#ifndef CGTIERD_SNAPSHOT_H
#define CGTIERD_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CGT_SNAP_MAX_TIERS 8
/* Longest cgroup path kept (bytes, without the NUL); longer ones are skipped. */
#define CGT_SNAP_PATH_MAX 1023
/* Per-cgroup errors kept for the caller's (rate-limited) log. */
#define CGT_SNAP_MAX_ERRORS 16

/* What an entry's numbers come from (flags of struct cgt_cg_snap). */
#define CGT_SNAP_TIERSTAT  (1u << 0) /* resident[] from memory.tier.stat */
#define CGT_SNAP_NUMASTAT  (1u << 1) /* resident[] from memory.numa_stat */
#define CGT_SNAP_TIERMAX   (1u << 2) /* tier_max[] from memory.tier.max */
#define CGT_SNAP_HOT_KNOWN (1u << 3) /* hot[] filled by a hotness stage */

struct cgt_snap_tier {
	int id;          /* N of memory_tierN; -1 if synthesised */
	uint64_t total;  /* MemTotal of the tier's nodes, bytes */
	uint64_t free;   /* MemFree of the tier's nodes, bytes */
};

struct cgt_cg_snap {
	char *path;      /* relative to the cgroup2 mount; owned */
	uint64_t ino;    /* inode of the cgroup directory (identity, D2) */
	uint64_t mono;   /* sum of counters that only grow while the cgroup
			    lives (promoted + demoted of memory.tier.stat);
			    going back means a new cgroup (D2); 0 if unknown */
	unsigned flags;  /* CGT_SNAP_* */
	unsigned depth;  /* 1 for a child of the walk's start */
	uint64_t current;                        /* memory.current */
	uint64_t resident[CGT_SNAP_MAX_TIERS];   /* bytes per tier */
	uint64_t tier_max[CGT_SNAP_MAX_TIERS];   /* UINT64_MAX: max or unknown */
	uint64_t hot[CGT_SNAP_MAX_TIERS];        /* with CGT_SNAP_HOT_KNOWN */
};

/* A cgroup skipped because of a bad kernel file (D4), for the log. */
struct cgt_snap_error {
	char path[CGT_SNAP_PATH_MAX + 1];
	const char *file; /* the file, a string constant */
	int err;          /* negative errno */
};

struct cgt_snap_stats {
	size_t walked;      /* directories looked at */
	size_t gone;        /* vanished mid-walk (ENOENT, ENODEV; D1) */
	size_t no_memory;   /* no memory controller (memory.current missing) */
	size_t refused;     /* symlinks, mount points, over-long paths (D15) */
	size_t errors;      /* skipped for a malformed file (D4) */
	size_t too_deep;    /* subtrees not entered: depth cap */
	bool truncated;     /* the cgroup cap was reached: walk stopped */
};

struct cgt_snapshot {
	int nr_tiers;
	struct cgt_snap_tier tiers[CGT_SNAP_MAX_TIERS];
	struct cgt_cg_snap *cgroups; /* sorted by cgt_snap_path_cmp() */
	size_t n_cgroups;
	size_t cap_cgroups;          /* allocated entries */
	struct cgt_snap_stats stats;
	struct cgt_snap_error errors[CGT_SNAP_MAX_ERRORS]; /* the first ones */
	size_t n_errors;             /* kept in errors[] */
};

/* An empty snapshot (no allocation). */
void cgt_snapshot_init(struct cgt_snapshot *s);

/* Free what @s owns and make it empty again; NULL is fine. */
void cgt_snapshot_clear(struct cgt_snapshot *s);

/*
 * Append an entry for @path (copied) with everything zero and tier_max[]
 * UINT64_MAX; *@ret points at it until the next append.  -ENAMETOOLONG,
 * -ENOMEM.  Call cgt_snapshot_sort() after the last one.
 */
int cgt_snapshot_add(struct cgt_snapshot *s, const char *path,
		     struct cgt_cg_snap **ret);

/* Sort the cgroups by cgt_snap_path_cmp(). */
void cgt_snapshot_sort(struct cgt_snapshot *s);

/*
 * strcmp() in which '/' sorts before every other byte: a cgroup comes
 * before its descendants and they come before its next sibling.
 */
int cgt_snap_path_cmp(const char *a, const char *b);

/* Whether @path is @anc or below it ("a/b" is below "a", not "ab"). */
bool cgt_snap_path_within(const char *path, const char *anc);

/* Total of @c's resident[] over @nr tiers. */
uint64_t cgt_cg_snap_total(const struct cgt_cg_snap *c, int nr);

#endif /* CGTIERD_SNAPSHOT_H */
