// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * decide.c - divide the fast tier among the covered cgroups (decide.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgtierd/decide.h"
#include "cgtierd/k8s.h"
#include "cgtierd/match.h"
#include "cgtierd/units.h"

typedef unsigned __int128 u128;

/* One covered cgroup being decided. */
struct unit {
	const struct cgt_cg_snap *c;
	const struct cgt_policy *pol;
	const struct cgt_decide_entry *prev; /* NULL: new (or recreated) */
	uint64_t quota, min, want, hot, hot_slow;
	uint64_t grant;  /* of the division */
	uint64_t target; /* after hysteresis */
	bool held;
};

struct ctx {
	const struct cgt_snapshot *snap;
	const struct cgt_config *cfg;
	struct unit *u;
	size_t n;
	size_t *order; /* unit indices, priority high to low, then path */
	struct cgt_plan plan;
};

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t cgt_amount_bytes(const struct cgt_amount *a, uint64_t capacity)
{
	switch (a->kind) {
	case CGT_AMOUNT_BYTES:
		return a->value;
	case CGT_AMOUNT_PERCENT:
		return (uint64_t)((u128)capacity * min64(a->value, CGT_PERMYRIAD_MAX) /
				  CGT_PERMYRIAD_MAX);
	case CGT_AMOUNT_MAX:
	default:
		return UINT64_MAX;
	}
}

uint64_t cgt_rate_bytes(uint64_t rate, uint64_t period_usec)
{
	u128 v;

	if (rate == CGT_UNLIMITED)
		return UINT64_MAX;
	v = (u128)rate * period_usec / CGT_USEC_PER_SEC;
	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

void cgt_decide_state_clear(struct cgt_decide_state *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->entries[i].path);
	free(s->entries);
	s->entries = NULL;
	s->n = 0;
}

void cgt_plan_clear(struct cgt_plan *p)
{
	if (!p)
		return;
	free(p->actions);
	cgt_decide_state_clear(&p->state);
	memset(p, 0, sizeof(*p));
}

void cgt_plan_take_state(struct cgt_plan *p, struct cgt_decide_state *ret)
{
	cgt_decide_state_clear(ret);
	*ret = p->state;
	p->state.entries = NULL;
	p->state.n = 0;
}

/*
 * The previous entry of @c, if it is the same cgroup (D2): same directory
 * inode, and counters that only grow have not gone back.  *@pos walks
 * @prev in step with the snapshot.
 */
static const struct cgt_decide_entry *
prev_of(const struct cgt_decide_state *prev, size_t *pos, const struct cgt_cg_snap *c)
{
	const struct cgt_decide_entry *e;
	int cmp = 1;

	if (!prev)
		return NULL;
	while (*pos < prev->n &&
	       (cmp = cgt_snap_path_cmp(prev->entries[*pos].path, c->path)) < 0)
		(*pos)++;
	if (*pos >= prev->n || cmp != 0)
		return NULL;
	e = &prev->entries[*pos];
	if (e->ino != c->ino || c->mono < e->mono)
		return NULL;
	return e;
}

/* Hot bytes of @c per the policy's hot_in_fast share, and those not in tier 0. */
static void unit_hot(struct unit *u, int nr_tiers)
{
	const struct cgt_cg_snap *c = u->c;
	uint64_t all = 0, slow = 0;

	if (!(c->flags & CGT_SNAP_HOT_KNOWN))
		return;
	for (int t = 0; t < nr_tiers; t++) {
		all = sat_add(all, c->hot[t]);
		if (t > 0)
			slow = sat_add(slow, c->hot[t]);
	}
	u->hot = (uint64_t)((u128)all * u->pol->hot_in_fast / CGT_PERMYRIAD_MAX);
	u->hot = min64(u->hot, u->want);
	u->hot_slow = slow;
}

static void unit_amounts(struct ctx *x, struct unit *u)
{
	uint64_t cap = x->plan.capacity;

	u->quota = cgt_amount_bytes(&u->pol->fast_quota, cap);
	u->min = min64(cgt_amount_bytes(&u->pol->fast_min, cap), u->quota);
	u->want = min64(cgt_cg_snap_total(u->c, x->snap->nr_tiers), u->quota);
	unit_hot(u, x->snap->nr_tiers);
}

int cgt_for_each_unit(const struct cgt_snapshot *s, const struct cgt_config *cfg,
		      cgt_unit_fn fn, void *arg)
{
	const struct cgt_policy *pol = NULL;
	size_t outer = SIZE_MAX;
	int r;

	if (!s || !cfg || !fn)
		return -EINVAL;
	for (size_t i = 0; i < s->n_cgroups; i++) {
		const struct cgt_cg_snap *c = &s->cgroups[i];
		struct cgt_k8s_id id;

		if (outer != SIZE_MAX &&
		    cgt_snap_path_within(c->path, s->cgroups[outer].path)) {
			r = fn(arg, i, outer, pol);
			if (r < 0)
				return r;
			continue;
		}
		cgt_k8s_parse(c->path, &id);
		pol = cgt_config_match(cfg, c->path, &id);
		outer = pol ? i : SIZE_MAX;
		r = fn(arg, i, outer, pol);
		if (r < 0)
			return r;
	}
	return 0;
}

struct collect_arg {
	struct ctx *x;
	const struct cgt_decide_state *prev;
	size_t pos;
};

static int collect_one(void *arg, size_t i, size_t unit, const struct cgt_policy *pol)
{
	struct collect_arg *a = arg;
	struct ctx *x = a->x;
	const struct cgt_cg_snap *c = &x->snap->cgroups[i];

	if (unit == SIZE_MAX) {
		x->plan.uncovered++;
	} else if (unit != i) {
		x->plan.nested++;
	} else {
		x->u[x->n].c = c;
		x->u[x->n].pol = pol;
		x->u[x->n].prev = prev_of(a->prev, &a->pos, c);
		x->n++;
	}
	return 0;
}

/* The units: outermost covered cgroups, with their policy and past. */
static int collect(struct ctx *x, const struct cgt_decide_state *prev)
{
	const struct cgt_snapshot *s = x->snap;
	struct collect_arg a = { .x = x, .prev = prev };

	x->u = calloc(s->n_cgroups ? s->n_cgroups : 1, sizeof(*x->u));
	if (!x->u)
		return -ENOMEM;
	return cgt_for_each_unit(s, x->cfg, collect_one, &a);
}

/* C, R and A of decide.h. */
static void budget(struct ctx *x)
{
	const struct cgt_snap_tier *t0 = &x->snap->tiers[0];
	uint64_t used = 0, r, avail;

	x->plan.capacity = t0->total;
	r = min64(cgt_amount_bytes(&x->cfg->global.reserve, t0->total), t0->total);
	x->plan.reserve = r;
	for (size_t i = 0; i < x->n; i++)
		used = sat_add(used, x->u[i].c->resident[0]);
	avail = sat_add(t0->free, used);
	avail = avail > r ? avail - r : 0;
	x->plan.budget = min64(avail, t0->total - r);
}

/* Priority high to low, then snapshot order. */
static int order_cmp(const void *a, const void *b, void *arg)
{
	const struct unit *u = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (u[i].pol->priority != u[j].pol->priority)
		return u[i].pol->priority > u[j].pol->priority ? -1 : 1;
	return i < j ? -1 : i > j;
}

static int sort_units(struct ctx *x)
{
	x->order = malloc((x->n ? x->n : 1) * sizeof(*x->order));
	if (!x->order)
		return -ENOMEM;
	for (size_t i = 0; i < x->n; i++)
		x->order[i] = i;
	qsort_r(x->order, x->n, sizeof(*x->order), order_cmp, x->u);
	return 0;
}

/* What unit @u asks for in @round, beyond its grant so far. */
static uint64_t demand(const struct ctx *x, const struct unit *u, int round)
{
	uint64_t goal;

	switch (round) {
	case 0:
		goal = u->min;
		break;
	case 1:
		goal = u->hot;
		break;
	case 2:
		goal = u->want;
		break;
	default: /* headroom: a quota of max is the whole budget */
		goal = min64(u->quota, x->plan.budget);
		break;
	}
	return goal > u->grant ? goal - u->grant : 0;
}

/*
 * Serve the priority level order[@lo..@hi) from *@left: in full if it
 * fits, else in proportion to the demands.
 */
static void serve_level(struct ctx *x, size_t lo, size_t hi, int round, uint64_t *left)
{
	uint64_t total = 0, given = 0;

	for (size_t k = lo; k < hi; k++)
		total = sat_add(total, demand(x, &x->u[x->order[k]], round));
	if (total == 0)
		return;
	for (size_t k = lo; k < hi; k++) {
		struct unit *u = &x->u[x->order[k]];
		uint64_t d = demand(x, u, round), g;

		g = total <= *left ? d : (uint64_t)((u128)*left * d / total);
		u->grant += g;
		given += g;
	}
	*left -= given;
}

/* The four rounds of decide.h over the budget. */
static void divide(struct ctx *x)
{
	uint64_t left = x->plan.budget;

	for (int round = 0; round < 4; round++) {
		size_t lo = 0;

		while (lo < x->n && left > 0) {
			uint32_t prio = x->u[x->order[lo]].pol->priority;
			size_t hi = lo;

			while (hi < x->n && x->u[x->order[hi]].pol->priority == prio)
				hi++;
			serve_level(x, lo, hi, round, &left);
			lo = hi;
		}
	}
}

static bool within_band(uint64_t prev, uint64_t now)
{
	uint64_t band = prev >> CGT_DECIDE_HYST_SHIFT;
	uint64_t diff = prev > now ? prev - now : now - prev;

	if (band < CGT_DECIDE_HYST_MIN)
		band = CGT_DECIDE_HYST_MIN;
	return diff < band;
}

/* Keep previous targets near the new grants, within the budget. */
static void hysteresis(struct ctx *x)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < x->n; i++) {
		struct unit *u = &x->u[i];
		uint64_t t = u->prev ? u->prev->target : 0;

		u->target = u->grant;
		if (u->prev && within_band(t, u->grant) && t >= u->min && t <= u->quota) {
			u->target = t;
			u->held = t != u->grant;
		}
		sum = sat_add(sum, u->target);
	}
	/* give up held targets above their grants, lowest priority first */
	for (size_t k = x->n; k-- > 0 && sum > x->plan.budget;) {
		struct unit *u = &x->u[x->order[k]];

		if (u->held && u->target > u->grant) {
			sum -= u->target - u->grant;
			u->target = u->grant;
			u->held = false;
		}
	}
	x->plan.granted = sum;
}

/*
 * Promotion, and the swap of decide.h: into free room under the target
 * first; then, while the hot share in tier 0 is short of the policy's and
 * the deficit is at least CGT_DECIDE_SWAP_MIN, cold bytes of tier 0 out
 * for as many hot ones in.
 */
static void hot_moves(const struct unit *u, struct cgt_action *a, uint64_t dmax,
		      uint64_t pmax)
{
	const struct cgt_cg_snap *c = u->c;
	uint64_t room = u->target > a->fast ? u->target - a->fast : 0;
	uint64_t want = min64(u->hot_slow, pmax);
	uint64_t cold_fast = c->resident[0] > c->hot[0] ? c->resident[0] - c->hot[0] : 0;
	uint64_t deficit = u->hot > c->hot[0] ? u->hot - c->hot[0] : 0;
	uint64_t dleft = dmax > a->demote ? dmax - a->demote : 0;

	a->promote = min64(want, room);
	deficit = deficit > a->promote ? deficit - a->promote : 0;
	if (deficit < CGT_DECIDE_SWAP_MIN || want <= a->promote)
		return;
	a->swap = min64(min64(min64(deficit, want - a->promote), cold_fast), dleft);
	if (a->swap < CGT_DECIDE_SWAP_MIN) /* not worth two migrations */
		a->swap = 0;
	a->promote += a->swap;
	a->demote += a->swap;
	if (a->swap)
		a->flags |= CGT_ACT_SWAP;
}

/* The action of unit @u: limit, demote and promote within the rates. */
static void act(struct ctx *x, const struct unit *u, struct cgt_action *a)
{
	uint64_t period = x->cfg->global.period_usec;
	uint64_t dmax = cgt_rate_bytes(u->pol->demote_rate, period);
	uint64_t pmax = cgt_rate_bytes(u->pol->promote_rate, period);
	const struct cgt_cg_snap *c = u->c;

	memset(a, 0, sizeof(*a));
	a->path = c->path;
	a->policy = u->pol;
	a->fast = c->resident[0];
	a->target = u->target;
	a->limit = u->target;
	if (a->fast > u->target && a->fast - u->target > dmax) {
		a->limit = a->fast - dmax;
		a->flags |= CGT_ACT_RATE;
	}
	a->demote = a->fast > a->limit ? a->fast - a->limit : 0;
	if (c->flags & CGT_SNAP_HOT_KNOWN)
		hot_moves(u, a, dmax, pmax);
	if (c->flags & CGT_SNAP_TIERMAX) {
		if (c->tier_max[0] != a->limit)
			a->flags |= CGT_ACT_SET_LIMIT;
		else if (a->demote > a->swap &&
			 a->demote - a->swap >= CGT_DECIDE_SWAP_MIN)
			a->flags |= CGT_ACT_REDEMOTE;
	} else {
		a->flags |= CGT_ACT_MOVE;
	}
	if (u->held)
		a->flags |= CGT_ACT_HELD;
	if (!u->prev)
		a->flags |= CGT_ACT_NEW;
	if (u->pol->mode == CGT_MODE_OBSERVE)
		a->flags |= CGT_ACT_DRY;
}

/*
 * The stock backend moves pages itself: never more down than the slower
 * tiers have free (above their watermarks), in plan order, so a full
 * slow node gets no migrations that can only fail.  The swap is cut
 * first, with its promotion.
 */
static void cap_demotion(struct cgt_action *a, uint64_t *room)
{
	uint64_t cut, swap_cut;

	if (!(a->flags & CGT_ACT_MOVE) || a->demote <= *room) {
		if (a->flags & CGT_ACT_MOVE)
			*room -= a->demote;
		return;
	}
	cut = a->demote - *room;
	swap_cut = min64(cut, a->swap);
	a->swap -= swap_cut;
	a->promote -= swap_cut;
	if (!a->swap)
		a->flags &= ~CGT_ACT_SWAP;
	a->demote = *room;
	*room = 0;
}

static int emit(struct ctx *x)
{
	struct cgt_plan *p = &x->plan;
	uint64_t room = 0;

	for (int t = 1; t < x->snap->nr_tiers; t++)
		room = sat_add(room, x->snap->tiers[t].free);

	p->actions = calloc(x->n ? x->n : 1, sizeof(*p->actions));
	p->state.entries = calloc(x->n ? x->n : 1, sizeof(*p->state.entries));
	if (!p->actions || !p->state.entries)
		return -ENOMEM;
	for (size_t i = 0; i < x->n; i++) {
		const struct unit *u = &x->u[i];
		struct cgt_decide_entry *e = &p->state.entries[i];

		act(x, u, &p->actions[i]);
		cap_demotion(&p->actions[i], &room);
		p->n++;
		e->path = strdup(u->c->path);
		if (!e->path)
			return -ENOMEM;
		e->ino = u->c->ino;
		e->mono = u->c->mono;
		e->target = u->target;
		p->state.n++;
	}
	return 0;
}

static int run(struct ctx *x, const struct cgt_decide_state *prev)
{
	int r;

	if (x->snap->nr_tiers < 2)
		return 0;
	r = collect(x, prev);
	if (r < 0)
		return r;
	budget(x);
	for (size_t i = 0; i < x->n; i++)
		unit_amounts(x, &x->u[i]);
	r = sort_units(x);
	if (r < 0)
		return r;
	divide(x);
	hysteresis(x);
	return emit(x);
}

int cgt_decide(const struct cgt_snapshot *snap, const struct cgt_config *cfg,
	       const struct cgt_decide_state *prev, struct cgt_plan *out)
{
	struct ctx x;
	int r;

	if (!snap || !cfg || !out)
		return -EINVAL;
	memset(&x, 0, sizeof(x));
	x.snap = snap;
	x.cfg = cfg;
	r = run(&x, prev);
	free(x.u);
	free(x.order);
	if (r < 0) {
		cgt_plan_clear(&x.plan);
		return r;
	}
	*out = x.plan;
	return 0;
}
