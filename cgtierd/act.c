// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * act.c - carry out a plan: memory.tier.max writes and the mover's
 * promotions and demotions (act.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgtier/cgroup.h"
#include "cgtier/tierstat.h"
#include "cgtierd/act.h"

static bool gone(int err)
{
	return err == -ENOENT || err == -ENODEV;
}

/* Record @err in @o: a vanished cgroup is an outcome, not a failure. */
static void note_err(struct cgt_act_outcome *o, int err)
{
	if (gone(err))
		o->flags |= CGT_OUT_GONE;
	else if (!o->err)
		o->err = err;
}

/* Write "tierN BYTES" to @file of cgroup @path: 0 or a negative errno. */
static int write_tier(const struct cgt_fs *fs, const char *path, const char *file,
		      int tier_id, uint64_t bytes)
{
	struct cgt_cgroup cg;
	char val[64];
	int r;

	r = cgt_tiermax_format(tier_id, bytes, val, sizeof(val));
	if (r < 0)
		return r;
	r = cgt_cgroup_open(fs, path, &cg);
	if (r < 0)
		return r;
	r = cgt_cgroup_write(&cg, file, val);
	cgt_cgroup_close(&cg);
	return r < 0 ? r : 0;
}

static void move(const struct cgt_act_mover *m, const struct cgt_action *a,
		 bool promote, uint64_t bytes, struct cgt_act_outcome *o)
{
	int64_t r;

	if (!m || !m->move || !bytes || (o->flags & CGT_OUT_GONE))
		return;
	r = m->move(m->arg, a, promote, bytes);
	if (r < 0) {
		note_err(o, (int)r);
		return;
	}
	if (promote)
		o->promoted += (uint64_t)r;
	else
		o->demoted += (uint64_t)r;
}

static void act_one(const struct cgt_fs *fs, int tier_id,
		    const struct cgt_action *a,
		    const struct cgt_act_mover *m, bool dry_run,
		    struct cgt_act_outcome *o)
{
	int r;

	if (dry_run || (a->flags & CGT_ACT_DRY)) {
		o->flags |= CGT_OUT_DRY;
		return;
	}
	if (a->flags & CGT_ACT_SET_LIMIT) {
		r = write_tier(fs, a->path, "memory.tier.max", tier_id, a->limit);
		if (r < 0)
			note_err(o, r);
		else
			o->flags |= CGT_OUT_LIMIT_WRITTEN;
	}
	if (a->flags & CGT_ACT_MOVE) {
		move(m, a, false, a->demote, o);
	} else if (a->swap || (a->flags & CGT_ACT_REDEMOTE)) {
		/* the swap's cold bytes, or the excess the kernel left over the
		 * limit (demote includes the swap); coldest first; -EAGAIN:
		 * some of it moved, how much is unknown */
		uint64_t bytes = (a->flags & CGT_ACT_REDEMOTE) ? a->demote : a->swap;

		r = write_tier(fs, a->path, "memory.tier.demote", tier_id, bytes);
		if (r == 0)
			o->demoted += bytes;
		else if (r != -EAGAIN)
			note_err(o, r);
	}
	move(m, a, true, a->promote, o);
}

int cgt_act(const struct cgt_fs *fs, int tier_id, const struct cgt_plan *plan,
	    const struct cgt_act_mover *mover, bool dry_run,
	    struct cgt_act_result *ret)
{
	struct cgt_act_result r;

	if (!fs || !plan || !ret)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	r.out = calloc(plan->n ? plan->n : 1, sizeof(*r.out));
	if (!r.out)
		return -ENOMEM;
	r.n = plan->n;
	for (size_t i = 0; i < plan->n; i++) {
		struct cgt_act_outcome *o = &r.out[i];

		act_one(fs, tier_id, &plan->actions[i], mover, dry_run, o);
		r.written += !!(o->flags & CGT_OUT_LIMIT_WRITTEN);
		r.gone += !!(o->flags & CGT_OUT_GONE);
		r.failed += o->err != 0;
		r.promoted += o->promoted;
		r.demoted += o->demoted;
	}
	*ret = r;
	return 0;
}

void cgt_act_result_clear(struct cgt_act_result *r)
{
	if (!r)
		return;
	free(r->out);
	memset(r, 0, sizeof(*r));
}
