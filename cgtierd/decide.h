/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * decide.h - the second stage of the control loop: a pure function from a
 * snapshot (snapshot.h), the policies (conf.h) and what the previous period
 * decided to this period's plan.  No I/O, no clock, no global state: the
 * same inputs give the same plan, so it is tested on struct literals.
 *
 * Only the fastest tier (tiers[0]) is divided; memory not granted there is
 * left to the slower tiers.  A snapshot with fewer than two tiers has
 * nothing to divide and gives an empty plan.
 *
 * Units.  Each cgroup of the snapshot gets its policy from
 * cgt_config_match() (first match wins).  Not covered: no action, left
 * alone.  Covered, with a covered ancestor: no action either, since the
 * ancestor's numbers and its memory.tier.max already include it (the
 * outermost covered cgroup is the unit: a pod-level policy takes the pod,
 * and crun's "container" child counts as its container).
 *
 * Amounts.  C = tiers[0].total; R = global.reserve of C; a percentage is of
 * C.  The budget the units share is
 *     A = min(C - R, tiers[0].free + F - R)        (0 if negative)
 * where F is the units' own top-tier usage: what they hold plus what is
 * free, minus the reserve, so that R stays free whatever the cgroups not
 * covered use.  Per unit: quota Q = fast_quota (max: A), minimum
 * M = min(fast_min, Q), want W = min(resident on all tiers, Q), hot set
 * H = min(hot_in_fast x hot bytes on all tiers, W) when the snapshot knows
 * hot bytes (CGT_SNAP_HOT_KNOWN), else 0: without hotness every byte
 * counts as cold.
 *
 * Division, in four rounds over the budget, each round by priority (higher
 * first; a priority level is served in full if it fits, else the rest of
 * the budget is split in proportion to what its units ask, and lower
 * levels get nothing in that round):
 *     1. minimums:  M;
 *     2. hot sets:  H beyond what round 1 gave;
 *     3. cold:      W beyond what rounds 1-2 gave (a unit's own cold
 *                   pages, after everyone's hot sets);
 *     4. headroom:  Q beyond that, so that units can grow into a tier no
 *                   one else wants.
 * So guaranteed minimums come first, every hot set (by priority) before
 * anyone's cold pages, no unit gets more than its quota, and the sum of
 * grants never exceeds A.
 *
 * Hysteresis.  A unit whose previous target T' (same path, same directory
 * inode, counters not gone back: reliability D2) is within
 * max(CGT_DECIDE_HYST_MIN, T' / 2^CGT_DECIDE_HYST_SHIFT) of its new grant
 * keeps T', if T' is still within [M, Q].  Held targets above their grants
 * are given up again, lowest priority first, until the targets fit in A.
 * So small changes of hot or resident bytes do not move the limit back
 * and forth, while quotas, minimums and the reserve still hold.
 *
 * Rates.  Per period a unit may demote at most D = demote_rate x period
 * and promote at most P = promote_rate x period bytes.  Lowering
 * memory.tier.max below the usage demotes the excess at once, so the limit
 * steps down: limit = max(target, fast - D).  While it steps down, the
 * limit may be above the target (never above the usage: the unit does not
 * grow); the target itself never exceeds the quota.  Promotion is asked
 * for only when hot bytes are known: min(target - fast, hot bytes on the
 * slower tiers, P).
 *
 * Swap.  A unit at its target whose hot bytes in tier 0 fall short of
 * H (the policy's share) by at least CGT_DECIDE_SWAP_MIN beyond what that
 * promotes exchanges: swap = min(the shortfall, hot bytes still on the
 * slower tiers, its cold bytes in tier 0, P left, D left) cold bytes leave
 * tier 0 (coldest first: memory.tier.demote on our kernel, the page mover
 * on stock) and as many hot bytes come in -- if that is at least
 * CGT_DECIDE_SWAP_MIN too, not worth two migrations otherwise -- so a hot
 * set that moves gets
 * the unit's own fast-tier share without the unit growing.  The swap is
 * counted in both demote and promote; the limit does not change for it.
 *
 * Actions.  Every unit gets one, in snapshot order.  With memory.tier.max
 * in the snapshot (CGT_SNAP_TIERMAX) the act stage writes the limit when it
 * differs from the current one (CGT_ACT_SET_LIMIT) and the kernel does the
 * demotion.  If the limit is already in place and tier 0 still holds more
 * than CGT_DECIDE_SWAP_MIN above it (the kernel's demotion failed: the
 * slower tiers were full), the act stage asks again for the excess through
 * memory.tier.demote (CGT_ACT_REDEMOTE), once per period within the demote
 * rate, so the quota holds again once there is room; without it (stock kernel, CGT_ACT_MOVE) the act stage moves
 * the demote and promote bytes itself, never more down in all than the
 * slower tiers have free (tiers[1..].free, in plan order; the swap is cut
 * first).  Units of observe-mode policies
 * get the same action marked CGT_ACT_DRY: to be reported, not done (D13).
 */
#ifndef CGTIERD_DECIDE_H
#define CGTIERD_DECIDE_H

#include <stddef.h>
#include <stdint.h>

#include "cgtierd/conf.h"
#include "cgtierd/snapshot.h"

/* Hysteresis band: max(16 MiB, 1/32 of the previous target). */
#define CGT_DECIDE_HYST_MIN (16ULL << 20)
#define CGT_DECIDE_HYST_SHIFT 5

/* flags of struct cgt_action */
#define CGT_ACT_DRY       (1u << 0) /* observe mode: report, do not act */
#define CGT_ACT_SET_LIMIT (1u << 1) /* write memory.tier.max of tier 0 */
#define CGT_ACT_MOVE      (1u << 2) /* no memory.tier.max: move pages */
#define CGT_ACT_HELD      (1u << 3) /* hysteresis kept the previous target */
#define CGT_ACT_NEW       (1u << 4) /* no previous state (new or recreated) */
#define CGT_ACT_RATE      (1u << 5) /* the demote rate bounded this period */
#define CGT_ACT_SWAP      (1u << 6) /* cold out of tier 0 for hot in (swap) */
#define CGT_ACT_REDEMOTE  (1u << 7) /* over an unchanged limit: demote again */

/* Least hot-share shortfall worth a swap (hysteresis against ping-pong). */
#define CGT_DECIDE_SWAP_MIN (2ULL << 20)

struct cgt_action {
	const char *path;               /* the snapshot's string */
	const struct cgt_policy *policy; /* the config's policy */
	uint64_t fast;                  /* bytes in tier 0 now */
	uint64_t target;                /* bytes granted in tier 0 (<= quota) */
	uint64_t limit;                 /* memory.tier.max of tier 0 to have */
	uint64_t demote;                /* bytes out of tier 0 this period */
	uint64_t promote;               /* bytes into tier 0 this period */
	uint64_t swap;                  /* of which a swap (also demoted) */
	unsigned flags;                 /* CGT_ACT_* */
};

/* What a period remembers of a unit for the next one. */
struct cgt_decide_entry {
	char *path;      /* owned */
	uint64_t ino;    /* identity: directory inode */
	uint64_t mono;   /* counters that only grow (snapshot.h) */
	uint64_t target; /* the target decided */
};

/* Sorted by cgt_snap_path_cmp(); the zeroed struct is the empty state. */
struct cgt_decide_state {
	struct cgt_decide_entry *entries;
	size_t n;
};

struct cgt_plan {
	struct cgt_action *actions; /* one per unit, in snapshot order */
	size_t n;
	uint64_t capacity;   /* C */
	uint64_t reserve;    /* R */
	uint64_t budget;     /* A */
	uint64_t granted;    /* sum of the targets, <= A */
	size_t uncovered;    /* cgroups no policy covers */
	size_t nested;       /* covered cgroups below a covered one */
	struct cgt_decide_state state; /* pass as @prev next period */
};

/*
 * Decide this period's plan into *@out (the caller cgt_plan_clear()s it).
 * @prev may be NULL or the state of the previous plan.  The plan points
 * into @snap and @cfg: it is valid while they are.  Returns 0, -EINVAL for
 * NULL arguments, -ENOMEM; *@out is written only on success.
 */
int cgt_decide(const struct cgt_snapshot *snap, const struct cgt_config *cfg,
	       const struct cgt_decide_state *prev, struct cgt_plan *out);

/*
 * Called for each cgroup @i of a snapshot in order, with the index of its
 * unit (@i itself for a unit, the covered ancestor's for a cgroup nested
 * in one, SIZE_MAX if not covered) and the unit's policy (NULL if not
 * covered).  A negative return stops the walk and is returned.
 */
typedef int (*cgt_unit_fn)(void *arg, size_t i, size_t unit,
			   const struct cgt_policy *pol);

/* Walk the units of @snap under @cfg ("Units" above); 0, -EINVAL or fn's. */
int cgt_for_each_unit(const struct cgt_snapshot *snap, const struct cgt_config *cfg,
		      cgt_unit_fn fn, void *arg);

/* Free the actions and the state of @p and zero it; NULL is fine. */
void cgt_plan_clear(struct cgt_plan *p);

/* Free @s's entries and zero it; NULL is fine. */
void cgt_decide_state_clear(struct cgt_decide_state *s);

/* Move @p's state into *@ret (freeing what *@ret held). */
void cgt_plan_take_state(struct cgt_plan *p, struct cgt_decide_state *ret);

/* An amount of the tier of @capacity bytes in bytes (max: UINT64_MAX). */
uint64_t cgt_amount_bytes(const struct cgt_amount *a, uint64_t capacity);

/* Bytes a rate (bytes/s, CGT_UNLIMITED) allows in @period_usec. */
uint64_t cgt_rate_bytes(uint64_t rate, uint64_t period_usec);

#endif /* CGTIERD_DECIDE_H */
