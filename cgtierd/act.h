/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * act.h - the third stage of the control loop: carry out a plan
 * (decide.h).  The only stage that writes.
 *
 * Per action, in plan order:
 *   - CGT_ACT_DRY (observe mode), or the whole call in dry-run mode:
 *     nothing is written; the outcome says what would have been done.
 *   - CGT_ACT_SET_LIMIT (memory.tier backend): write "tierN LIMIT" to the
 *     cgroup's memory.tier.max, N being the id of the fastest tier; the
 *     kernel demotes the excess itself, coldest first.  Written only when
 *     the snapshot's value differs (decide.h), so a steady state writes
 *     nothing.
 *   - promote > 0: the mover is asked to bring that many bytes of the
 *     unit's hot pages up into the fastest tier (both backends: the
 *     kernel series has no cgroup-scoped promotion yet).
 *   - CGT_ACT_MOVE with demote > 0 (stock backend): the mover is asked to
 *     demote that many bytes of the unit's coldest pages.
 *   - a swap (CGT_ACT_SWAP) on our kernel: "tierN SWAP" is written to
 *     memory.tier.demote first (the kernel demotes the coldest; -EAGAIN,
 *     some of it, is no error), then the promotion runs.
 * A cgroup that went away since the snapshot (ENOENT, ENODEV: D1) is an
 * outcome, not an error.  A failed write is kept in the action's outcome
 * (negative errno) and counted; it never stops the other actions.
 */
#ifndef CGTIERD_ACT_H
#define CGTIERD_ACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgtier/fs.h"
#include "cgtierd/decide.h"

/*
 * Moves pages of one unit (the stock backend's page scanner, hotness.h):
 * up to @bytes of hot pages into the fastest tier (@promote) or of cold
 * pages out of it.  Returns the bytes moved (>= 0) or a negative errno.
 */
struct cgt_act_mover {
	int64_t (*move)(void *arg, const struct cgt_action *a, bool promote,
			uint64_t bytes);
	void *arg;
};

/* outcome of one action (flags) */
#define CGT_OUT_LIMIT_WRITTEN (1u << 0) /* memory.tier.max was written */
#define CGT_OUT_GONE          (1u << 1) /* the cgroup went away */
#define CGT_OUT_DRY           (1u << 2) /* not done: observe or dry run */

struct cgt_act_outcome {
	unsigned flags;    /* CGT_OUT_* */
	int err;           /* first error (negative errno), 0 if none */
	uint64_t promoted; /* bytes the mover moved up */
	uint64_t demoted;  /* bytes the mover moved down (stock backend) */
};

struct cgt_act_result {
	struct cgt_act_outcome *out; /* one per action of the plan */
	size_t n;
	size_t written;  /* limits written */
	size_t gone;     /* cgroups that went away */
	size_t failed;   /* actions with an error */
	uint64_t promoted, demoted;
};

/*
 * Carry out @plan for the cgroups below @fs (CGT_CGROUP_ROOT) with the
 * fastest tier's id @tier_id.  @mover may be NULL (no promotion, no
 * stock-backend demotion).  With @dry_run nothing is written.  Fills
 * *@ret (the caller cgt_act_result_clear()s it); returns 0, -EINVAL for
 * NULL arguments or -ENOMEM (then *@ret is untouched).
 */
int cgt_act(const struct cgt_fs *fs, int tier_id, const struct cgt_plan *plan,
	    const struct cgt_act_mover *mover, bool dry_run,
	    struct cgt_act_result *ret);

/* Free @r's outcomes and zero it; NULL is fine. */
void cgt_act_result_clear(struct cgt_act_result *r);

#endif /* CGTIERD_ACT_H */
