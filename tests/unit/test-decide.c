// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-decide.c - the decide stage on hand-written snapshots: hot sets that
 * fit and that do not, priorities and minimums, quotas, hysteresis, rates,
 * observe mode, the reserve, identity; and one acquire + decide cycle on
 * the kubepods fixture.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cgtier/topology.h"
#include "cgtierd/acquire.h"
#include "cgtierd/decide.h"
#include "unit.h"
#include "unit-plan.h"

#define MiB (1024ULL * 1024)
#define UNLIM UINT64_MAX

static const struct cgt_action *action(const struct cgt_plan *p, const char *path)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->actions[i].path, path))
			return &p->actions[i];
	print_message("# no action for %s\n", path);
	fail();
	return NULL;
}

static void dump(const struct cgt_plan *p)
{
	print_message("# C=%llu R=%llu A=%llu granted=%llu\n",
		      (unsigned long long)(p->capacity / MiB),
		      (unsigned long long)(p->reserve / MiB),
		      (unsigned long long)(p->budget / MiB),
		      (unsigned long long)(p->granted / MiB));
	for (size_t i = 0; i < p->n; i++) {
		const struct cgt_action *a = &p->actions[i];

		print_message("# %-12s fast=%llu target=%.2f limit=%.2f demote=%.2f "
			      "promote=%.2f flags=%#x\n", a->path,
			      (unsigned long long)(a->fast / MiB), (double)a->target / MiB,
			      (double)a->limit / MiB, (double)a->demote / MiB,
			      (double)a->promote / MiB, a->flags);
	}
}

static void decide(const struct cgt_snapshot *s, const struct cgt_config *c,
		   const struct cgt_decide_state *prev, struct cgt_plan *p)
{
	assert_int_equal(cgt_decide(s, c, prev, p), 0);
	dump(p);
	assert_true(p->granted <= p->budget);
}

#define GLOBAL "global: {reserve: 0, period: 1s}\n"

/* Hot sets that fit: everyone gets its quota; promotion of hot pages only. */
static void test_fits(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n"
		"  - {name: all, match: {cgroups: '*'}, fast_quota: 400Mi, hot_in_fast: 100%}\n");
	struct cgt_snapshot s;
	struct cgt_plan p;
	const struct cgt_action *a;

	snap_init(&s, 1024, 524);
	hot(cg(&s, "a", 200, 100), 100, 50);
	hot(cg(&s, "b", 300, 100), 200, 0);
	decide(&s, cfg, NULL, &p);
	assert_int_equal(p.n, 2);
	assert_true(p.budget == 1024 * MiB);
	a = action(&p, "a");
	assert_true(a->target == 400 * MiB);
	assert_true(a->limit == 400 * MiB);
	assert_true(a->promote == 50 * MiB); /* its hot slow pages, no more */
	assert_int_equal(a->demote, 0);
	assert_int_equal(a->flags, CGT_ACT_SET_LIMIT | CGT_ACT_NEW);
	a = action(&p, "b");
	assert_true(a->target == 400 * MiB);
	assert_int_equal(a->promote, 0);
	assert_int_equal(p.state.n, 2);
	assert_string_equal(p.state.entries[0].path, "a");
	assert_true(p.state.entries[1].target == 400 * MiB);
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

/* Hot sets before cold pages: b's cold memory does not displace a's hot set. */
static void test_hot_before_cold(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n"
		"  - {name: all, match: {cgroups: '*'}, hot_in_fast: 100%,\n"
		"     demote_rate: max, promote_rate: max}\n");
	struct cgt_snapshot s;
	struct cgt_plan p;
	const struct cgt_action *a, *b;

	snap_init(&s, 1024, 0);
	hot(cg(&s, "a", 400, 500), 100, 700); /* hot 800 of 900 */
	hot(cg(&s, "b", 624, 276), 100, 0);   /* hot 100 of 900 */
	decide(&s, cfg, NULL, &p);
	a = action(&p, "a");
	b = action(&p, "b");
	assert_true(a->target >= 800 * MiB);
	assert_true(b->target >= 100 * MiB);
	/* the 124 MiB left for cold pages go in proportion to cold bytes */
	assert_true(a->target - 800 * MiB < b->target - 100 * MiB);
	assert_true(a->target + b->target >= 1024 * MiB - 2);
	/* b gives up fast memory, within its 256Mi/s demote rate */
	assert_true(b->limit == b->target);
	assert_true(b->demote == 624 * MiB - b->target);
	/* a's hot bytes all come in: into its room, the rest by a swap */
	assert_true(a->promote == 700 * MiB);
	assert_true(a->swap == a->promote - (a->target - 400 * MiB));
	assert_true(a->flags & CGT_ACT_SWAP);
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

/* Hot sets that do not fit: split in proportion, nothing for cold pages. */
static void test_hot_not_fit(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n"
		"  - {name: all, match: {cgroups: '*'}, hot_in_fast: 100%, demote_rate: max}\n");
	struct cgt_snapshot s;
	struct cgt_plan p;
	const struct cgt_action *a, *b;

	snap_init(&s, 1200, 0);
	hot(cg(&s, "a", 600, 600), 400, 400); /* hot 800 */
	hot(cg(&s, "b", 600, 600), 400, 0);   /* hot 400 */
	cg(&s, "c", 0, 100);                  /* hot unknown: all cold */
	decide(&s, cfg, NULL, &p);
	a = action(&p, "a");
	b = action(&p, "b");
	assert_true(a->target == 800 * MiB);
	assert_true(b->target == 400 * MiB);
	assert_int_equal(action(&p, "c")->target, 0);
	assert_true(b->limit == 400 * MiB && b->demote == 200 * MiB);
	cgt_plan_clear(&p);

	s.tiers[0].total = 600 * MiB; /* now 1200 MiB of hot for 600 */
	decide(&s, cfg, NULL, &p);
	assert_true(action(&p, "a")->target == 400 * MiB);
	assert_true(action(&p, "b")->target == 200 * MiB);
	assert_true(p.granted == 600 * MiB);
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

/* Only hot_in_fast of the hot bytes count as the hot set. */
static void test_hot_share(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n"
		"  - {name: half, match: {cgroups: 'a'}, hot_in_fast: 50%}\n"
		"  - {name: all, match: {cgroups: '*'}, hot_in_fast: 100%}\n");
	struct cgt_snapshot s;
	struct cgt_plan p;

	snap_init(&s, 600, 0);
	hot(cg(&s, "a", 300, 300), 200, 200);
	hot(cg(&s, "b", 300, 300), 200, 200);
	decide(&s, cfg, NULL, &p);
	assert_true(action(&p, "a")->target == 200 * MiB);
	assert_true(action(&p, "b")->target == 400 * MiB);
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

/* Competing containers: minimums first, then hot sets by priority. */
static void test_priority_min(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n"
		"  - {name: gold, match: {cgroups: 'gold'}, priority: 500, fast_min: 100Mi,\n"
		"     hot_in_fast: 100%}\n"
		"  - {name: bronze, match: {cgroups: 'bronze'}, fast_min: 200Mi}\n"
		"  - {name: silver, match: {cgroups: '*'}, hot_in_fast: 100%}\n");
	struct cgt_snapshot s;
	struct cgt_plan p;

	snap_init(&s, 1024, 0);
	hot(cg(&s, "bronze", 400, 0), 0, 0);
	hot(cg(&s, "gold", 300, 500), 300, 300);
	hot(cg(&s, "silver", 324, 500), 300, 300);
	decide(&s, cfg, NULL, &p);
	assert_true(action(&p, "gold")->target == 600 * MiB);   /* min + hot */
	assert_true(action(&p, "bronze")->target == 200 * MiB); /* its minimum */
	assert_true(action(&p, "silver")->target == 224 * MiB); /* what is left */
	assert_true(p.granted == 1024 * MiB);
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

/* A quota cut: the target obeys at once, the limit steps down at the demote rate. */
static void test_quota_change(void **state)
{
	struct cgt_config *big = config(GLOBAL
		"policies:\n"
		"  - {name: q, match: {cgroups: '*'}, fast_quota: 600Mi, demote_rate: 50Mi/s}\n");
	struct cgt_config *small = config("global: {reserve: 0, period: 2s}\n"
		"policies:\n"
		"  - {name: q, match: {cgroups: '*'}, fast_quota: 300Mi, demote_rate: 50Mi/s}\n");
	struct cgt_decide_state st = { 0 };
	struct cgt_snapshot s;
	struct cgt_plan p;
	const struct cgt_action *a;

	snap_init(&s, 2048, 1000);
	cg(&s, "a", 580, 400);
	decide(&s, big, NULL, &p);
	a = action(&p, "a");
	assert_true(a->target == 600 * MiB);
	cgt_plan_take_state(&p, &st);
	cgt_plan_clear(&p);
	decide(&s, small, &st, &p);
	a = action(&p, "a");
	assert_true(a->target == 300 * MiB);
	assert_true(a->limit == 480 * MiB); /* 580 - 50Mi/s x 2s */
	assert_true(a->demote == 100 * MiB);
	assert_true(a->flags & CGT_ACT_RATE);
	assert_false(a->flags & CGT_ACT_HELD);
	cgt_plan_clear(&p);
	/* the kernel demoted; next period, another step */
	s.cgroups[0].resident[0] = 480 * MiB;
	s.cgroups[0].tier_max[0] = 480 * MiB;
	decide(&s, small, &st, &p);
	assert_true(action(&p, "a")->limit == 380 * MiB);
	cgt_plan_clear(&p);
	s.cgroups[0].resident[0] = 350 * MiB;
	decide(&s, small, &st, &p);
	assert_true(action(&p, "a")->limit == 300 * MiB);
	assert_false(action(&p, "a")->flags & CGT_ACT_RATE);
	cgt_plan_clear(&p);
	cgt_decide_state_clear(&st);
	cgt_snapshot_clear(&s);
	cgt_config_free(big);
	cgt_config_free(small);
}

/*
 * One period of the contended two-container case with a's hot set at
 * @hot_a MiB; the kernel is left at the limit written before.
 */
static void hyst_cycle(struct cgt_snapshot *s, const struct cgt_config *cfg,
		       struct cgt_decide_state *st, uint64_t hot_a, uint64_t *ta, unsigned *flags)
{
	struct cgt_plan p;

	hot(&s->cgroups[0], hot_a / 2, hot_a - hot_a / 2);
	decide(s, cfg, st, &p);
	*ta = action(&p, "a")->target;
	*flags = action(&p, "a")->flags;
	for (size_t i = 0; i < p.n; i++)
		s->cgroups[i].tier_max[0] = p.actions[i].limit;
	cgt_plan_take_state(&p, st);
	cgt_plan_clear(&p);
}

/* Hysteresis: a small change of hot bytes does not move the limit. */
static void test_hysteresis(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n"
		"  - {name: all, match: {cgroups: '*'}, hot_in_fast: 100%, demote_rate: max}\n");
	struct cgt_decide_state st = { 0 };
	uint64_t t0, t;
	unsigned flags;
	struct cgt_snapshot s;

	snap_init(&s, 1000, 0);
	cg(&s, "a", 500, 500);
	hot(cg(&s, "b", 500, 500), 300, 300);
	hyst_cycle(&s, cfg, &st, 600, &t0, &flags);
	assert_true(t0 == 500 * MiB);
	assert_true(flags & CGT_ACT_NEW);
	/* +-8 MiB of hot bytes: target, limit and kernel stay put */
	for (int i = 0; i < 6; i++) {
		hyst_cycle(&s, cfg, &st, i % 2 ? 592 : 608, &t, &flags);
		assert_true(t == t0);
		assert_true(flags & CGT_ACT_HELD);
		assert_false(flags & (CGT_ACT_SET_LIMIT | CGT_ACT_NEW));
	}
	/* a real change goes through */
	hyst_cycle(&s, cfg, &st, 700, &t, &flags);
	assert_true(t > t0 + 20 * MiB);
	assert_true(flags & CGT_ACT_SET_LIMIT);
	assert_false(flags & CGT_ACT_HELD);
	cgt_decide_state_clear(&st);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

/* Held targets yield, lowest priority first, when the budget shrinks. */
static void test_hysteresis_budget(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n"
		"  - {name: hi, match: {cgroups: 'a'}, priority: 200, demote_rate: max}\n"
		"  - {name: lo, match: {cgroups: 'b'}, demote_rate: max}\n");
	struct cgt_decide_state st = { 0 };
	struct cgt_snapshot s;
	struct cgt_plan p;

	snap_init(&s, 1000, 0);
	cg(&s, "a", 400, 0);
	cg(&s, "b", 600, 600);
	decide(&s, cfg, NULL, &p);
	assert_true(action(&p, "a")->target == 400 * MiB);
	assert_true(action(&p, "b")->target == 600 * MiB);
	cgt_plan_take_state(&p, &st);
	cgt_plan_clear(&p);
	/* 4 MiB of tier 0 taken by someone else: b's grant drops, within the band */
	s.tiers[0].total = 996 * MiB;
	s.cgroups[1].resident[0] = 596 * MiB;
	decide(&s, cfg, &st, &p);
	assert_true(p.budget == 996 * MiB);
	assert_true(action(&p, "a")->target == 400 * MiB);
	assert_true(action(&p, "b")->target == 596 * MiB);
	assert_false(action(&p, "b")->flags & CGT_ACT_HELD);
	cgt_plan_clear(&p);
	cgt_decide_state_clear(&st);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

/* D13: observe mode decides the same, marked dry. */
static void test_observe(void **state)
{
	struct cgt_config *enf = config(GLOBAL
		"policies:\n  - {name: p, match: {cgroups: '*'}, fast_quota: 100Mi}\n");
	struct cgt_config *obs = config(GLOBAL
		"policies:\n  - {name: p, match: {cgroups: '*'}, fast_quota: 100Mi, mode: observe}\n");
	struct cgt_snapshot s;
	struct cgt_plan pe, po;

	snap_init(&s, 1000, 500);
	cg(&s, "a", 300, 0);
	cg(&s, "b", 50, 50);
	decide(&s, enf, NULL, &pe);
	decide(&s, obs, NULL, &po);
	assert_int_equal(pe.n, 2);
	assert_int_equal(po.n, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_false(pe.actions[i].flags & CGT_ACT_DRY);
		assert_true(po.actions[i].flags & CGT_ACT_DRY);
		assert_int_equal(po.actions[i].flags & ~CGT_ACT_DRY, pe.actions[i].flags);
		assert_true(po.actions[i].limit == pe.actions[i].limit);
		assert_true(po.actions[i].demote == pe.actions[i].demote);
	}
	assert_true(action(&po, "a")->demote == 200 * MiB);
	cgt_plan_clear(&pe);
	cgt_plan_clear(&po);
	cgt_snapshot_clear(&s);
	cgt_config_free(enf);
	cgt_config_free(obs);
}

/* The reserve stays free, whatever cgroups outside every policy use. */
static void test_reserve(void **state)
{
	struct cgt_config *cfg = config("global: {reserve: 10%, period: 1s}\n"
		"policies:\n  - {name: p, match: {cgroups: 'k/**'}, demote_rate: max}\n");
	struct cgt_snapshot s;
	struct cgt_plan p;

	snap_init(&s, 1000, 50);
	cg(&s, "k/a", 600, 300);
	cg(&s, "system.slice", 350, 0); /* not covered */
	cgt_snapshot_sort(&s);
	decide(&s, cfg, NULL, &p);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.uncovered, 1);
	assert_true(p.reserve == 100 * MiB);
	assert_true(p.budget == 550 * MiB); /* 50 free + 600 held - 100 reserve */
	assert_true(action(&p, "k/a")->target == 550 * MiB);
	assert_true(action(&p, "k/a")->demote == 50 * MiB);
	cgt_plan_clear(&p);
	/* plenty free: capped at the tier minus the reserve */
	s.tiers[0].free = 900 * MiB;
	decide(&s, cfg, NULL, &p);
	assert_true(p.budget == 900 * MiB);
	assert_true(action(&p, "k/a")->target == 900 * MiB);
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

/* Not covered: no action; covered below covered: the outer one only. */
static void test_coverage(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n  - {name: p, match: {cgroups: ['k/**', 'k']}}\n");
	struct cgt_snapshot s;
	struct cgt_plan p;

	snap_init(&s, 1000, 500);
	cg(&s, "k/pod/c1", 10, 0);
	cg(&s, "k/pod", 10, 0);
	cg(&s, "k-other", 10, 0);
	cg(&s, "k/pod2", 10, 0);
	cg(&s, "other", 10, 0);
	cgt_snapshot_sort(&s);
	decide(&s, cfg, NULL, &p);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.actions[0].path, "k/pod");
	assert_string_equal(p.actions[1].path, "k/pod2");
	assert_int_equal(p.nested, 1);
	assert_int_equal(p.uncovered, 2);
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

/* Stock kernel: no memory.tier.max, so pages are moved, within the rates. */
static void test_stock_moves(void **state)
{
	struct cgt_config *cfg = config("global: {reserve: 0, period: 2s}\n"
		"policies:\n  - {name: p, match: {cgroups: '*'}, fast_quota: 100Mi,\n"
		"     demote_rate: 10Mi/s, promote_rate: 5Mi/s, hot_in_fast: 100%}\n");
	struct cgt_snapshot s;
	struct cgt_plan p;
	const struct cgt_action *a;

	snap_init(&s, 1000, 500);
	cg(&s, "a", 300, 0)->flags = CGT_SNAP_NUMASTAT;
	hot(cg(&s, "b", 10, 200), 10, 200);
	s.cgroups[1].flags &= ~CGT_SNAP_TIERMAX;
	decide(&s, cfg, NULL, &p);
	a = action(&p, "a");
	assert_int_equal(a->flags, CGT_ACT_MOVE | CGT_ACT_NEW | CGT_ACT_RATE);
	assert_true(a->demote == 20 * MiB);
	a = action(&p, "b");
	assert_int_equal(a->flags, CGT_ACT_MOVE | CGT_ACT_NEW);
	assert_true(a->promote == 10 * MiB);
	cgt_plan_clear(&p);
	/* the slow tier has 8 MiB free: no more goes down */
	s.tiers[1].free = 8 * MiB;
	decide(&s, cfg, NULL, &p);
	assert_true(action(&p, "a")->demote == 8 * MiB);
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

/*
 * Swap: a unit at its quota with its hot set mostly on the slow tier trades
 * cold fast-tier bytes for hot ones; within the rates; not below the
 * hysteresis minimum; never more than its cold bytes in tier 0.
 */
static void test_swap(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n  - {name: p, match: {cgroups: '*'}, fast_quota: 100Mi,\n"
		"     hot_in_fast: 100%, demote_rate: 30Mi/s, promote_rate: max}\n");
	struct cgt_snapshot s;
	struct cgt_plan p;
	const struct cgt_action *a;

	snap_init(&s, 1000, 500);
	hot(cg(&s, "a", 100, 100), 20, 50);   /* 50 hot on slow, 80 cold on fast */
	hot(cg(&s, "b", 100, 100), 99, 1);    /* 1 short: below the minimum */
	hot(cg(&s, "c", 100, 100), 95, 50);   /* only 5 cold on fast */
	hot(cg(&s, "d", 60, 100), 10, 50);    /* room for 40, then a swap */
	hot(cg(&s, "e", 100, 100), 99, 10);   /* 9 short, only 1 cold on fast */
	decide(&s, cfg, NULL, &p);
	a = action(&p, "a");
	assert_true(a->target == 100 * MiB && a->limit == 100 * MiB);
	assert_true(a->swap == 30 * MiB); /* the demote rate: 30Mi in 1s */
	assert_true(a->promote == 30 * MiB && a->demote == 30 * MiB);
	assert_true(a->flags & CGT_ACT_SWAP);
	a = action(&p, "b");
	assert_true(a->swap == 0 && a->promote == 0 && a->demote == 0);
	assert_false(a->flags & CGT_ACT_SWAP);
	a = action(&p, "c");
	assert_true(a->swap == 5 * MiB && a->promote == 5 * MiB);
	a = action(&p, "e");
	assert_true(a->swap == 0 && a->promote == 0); /* 1 MiB: not worth it */
	a = action(&p, "d");
	assert_true(a->target == 100 * MiB);
	assert_true(a->promote == 50 * MiB); /* 40 into room, 10 swapped */
	assert_true(a->swap == 10 * MiB && a->demote == 10 * MiB);
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

/* D2: a recreated cgroup (new inode, counters back) starts afresh. */
static void test_identity(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n  - {name: p, match: {cgroups: '*'}, demote_rate: max}\n");
	struct cgt_decide_state st = { 0 };
	struct cgt_snapshot s;
	struct cgt_plan p;

	snap_init(&s, 1000, 0);
	cg(&s, "a", 500, 500)->mono = 1000;
	cg(&s, "b", 500, 500);
	decide(&s, cfg, NULL, &p);
	cgt_plan_take_state(&p, &st);
	cgt_plan_clear(&p);
	s.cgroups[1].resident[1] = 510 * MiB; /* small change: held */
	decide(&s, cfg, &st, &p);
	assert_true(action(&p, "a")->flags & CGT_ACT_HELD);
	assert_false(action(&p, "a")->flags & CGT_ACT_NEW);
	cgt_plan_clear(&p);
	s.cgroups[0].mono = 999; /* counters went back */
	decide(&s, cfg, &st, &p);
	assert_int_equal(action(&p, "a")->flags & (CGT_ACT_HELD | CGT_ACT_NEW), CGT_ACT_NEW);
	assert_false(action(&p, "b")->flags & CGT_ACT_NEW);
	cgt_plan_clear(&p);
	s.cgroups[0].mono = 1000;
	s.cgroups[0].ino = 1;  /* another directory */
	decide(&s, cfg, &st, &p);
	assert_int_equal(action(&p, "a")->flags & (CGT_ACT_HELD | CGT_ACT_NEW), CGT_ACT_NEW);
	cgt_plan_clear(&p);
	cgt_decide_state_clear(&st);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

/* Idempotent: the limit the kernel already has is not written again. */
static void test_idempotent(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n  - {name: p, match: {cgroups: '*'}, fast_quota: 100Mi}\n");
	struct cgt_snapshot s;
	struct cgt_plan p;

	snap_init(&s, 1000, 500);
	cg(&s, "a", 100, 0)->tier_max[0] = 100 * MiB;
	decide(&s, cfg, NULL, &p);
	assert_int_equal(action(&p, "a")->flags, CGT_ACT_NEW);
	assert_int_equal(action(&p, "a")->demote, 0);
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

/*
 * The kernel left an excess over a limit already in place (its demotion
 * failed, the slow tier was full): demote it again, not for a few pages.
 */
static void test_redemote(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n  - {name: p, match: {cgroups: '*'}, fast_quota: 32Mi}\n");
	struct cgt_snapshot s;
	struct cgt_plan p;
	const struct cgt_action *a;

	snap_init(&s, 1000, 500);
	cg(&s, "a", 80, 0)->tier_max[0] = 32 * MiB;
	cg(&s, "b", 33, 0)->tier_max[0] = 32 * MiB;
	decide(&s, cfg, NULL, &p);
	a = action(&p, "a");
	assert_int_equal(a->limit, 32 * MiB);
	assert_false(a->flags & CGT_ACT_SET_LIMIT);
	assert_true(a->flags & CGT_ACT_REDEMOTE);
	assert_int_equal(a->demote, 48 * MiB);
	a = action(&p, "b"); /* 1 MiB over: not worth asking again */
	assert_false(a->flags & (CGT_ACT_REDEMOTE | CGT_ACT_SET_LIMIT));
	cgt_plan_clear(&p);
	/* a new limit is written instead: the write demotes */
	s.cgroups[0].tier_max[0] = 64 * MiB;
	decide(&s, cfg, NULL, &p);
	a = action(&p, "a");
	assert_true(a->flags & CGT_ACT_SET_LIMIT);
	assert_false(a->flags & CGT_ACT_REDEMOTE);
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

/* One tier: nothing to divide.  Bad arguments. */
static void test_edges(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n  - {name: p, match: {cgroups: '*'}}\n");
	struct cgt_snapshot s;
	struct cgt_plan p = { .n = 42 };

	snap_init(&s, 1000, 500);
	cg(&s, "a", 100, 0);
	s.nr_tiers = 1;
	assert_int_equal(cgt_decide(NULL, cfg, NULL, &p), -EINVAL);
	assert_int_equal(cgt_decide(&s, NULL, NULL, &p), -EINVAL);
	assert_int_equal(p.n, 42);
	decide(&s, cfg, NULL, &p);
	assert_int_equal(p.n, 0);
	cgt_plan_clear(&p);
	cgt_plan_clear(NULL);
	cgt_decide_state_clear(NULL);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
	assert_true(cgt_rate_bytes(CGT_UNLIMITED, 1) == UINT64_MAX);
	assert_true(cgt_rate_bytes(1ULL << 40, 3600ULL * 1000000) == (1ULL << 40) * 3600);
	assert_true(cgt_rate_bytes(UINT64_MAX - 1, 3600ULL * 1000000) == UINT64_MAX);
}

/* One acquire + decide cycle on the kubepods fixture. */
static void test_kubepods_cycle(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n"
		"  - {name: guaranteed, match: {kubernetes: {qos: guaranteed}}, priority: 900,\n"
		"     fast_min: 200Mi}\n"
		"  - {name: burstable, match: {kubernetes: {qos: burstable}}, fast_quota: 64Mi,\n"
		"     mode: observe}\n");
	struct cgt_topology topo;
	struct cgt_snapshot s;
	struct cgt_plan p;
	struct cgt_fs fs;
	const struct cgt_action *a;

	assert_int_equal(cgt_fs_open(&fs, fixture("acquire-kubepods")), 0);
	assert_int_equal(cgt_topology_load(&fs, &topo), 0);
	assert_int_equal(cgt_acquire(&fs, &topo, NULL, &s), 0);
	decide(&s, cfg, NULL, &p);
	assert_int_equal(p.n, 2); /* the two containers; crun's child is nested */
	assert_int_equal(p.nested, 1);
	assert_int_equal(p.uncovered, 4);
	a = &p.actions[0];
	assert_non_null(strstr(a->path, "burstable"));
	assert_true(a->target == 64 * MiB);
	assert_true(a->demote == 36 * MiB);
	assert_int_equal(a->flags, CGT_ACT_DRY | CGT_ACT_SET_LIMIT | CGT_ACT_NEW);
	a = &p.actions[1];
	assert_true(a->target >= 200 * MiB);
	assert_false(a->flags & CGT_ACT_DRY);
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_fs_close(&fs);
	cgt_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fits),
		cmocka_unit_test(test_hot_before_cold),
		cmocka_unit_test(test_hot_not_fit),
		cmocka_unit_test(test_hot_share),
		cmocka_unit_test(test_priority_min),
		cmocka_unit_test(test_quota_change),
		cmocka_unit_test(test_hysteresis),
		cmocka_unit_test(test_hysteresis_budget),
		cmocka_unit_test(test_observe),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_stock_moves),
		cmocka_unit_test(test_swap),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_redemote),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_kubepods_cycle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
