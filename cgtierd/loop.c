// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * loop.c - one control period and the state kept between periods (loop.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgtier/pageidle.h"
#include "cgtierd/acquire.h"
#include "cgtierd/log.h"
#include "cgtierd/loop.h"
#include "cgtierd/units.h"

static int64_t loop_move(void *arg, const struct cgt_action *a, bool promote,
			 uint64_t bytes)
{
	struct cgt_loop *l = arg;

	return cgt_hotness_move(&l->hot, &l->fs, &l->topo, a->path, promote, bytes,
				cgt_hotness_age_periods(a->policy->hot_age_usec,
							l->cfg->global.period_usec),
				a->policy->hot_hits);
}

int cgt_loop_init(struct cgt_loop *l, const char *root, struct cgt_config *cfg,
		  bool dry_run)
{
	memset(l, 0, sizeof(*l));
	l->fs.dirfd = -1;
	l->cfg = cfg;
	l->dry_run = dry_run;
	l->backend = cfg ? cfg->global.backend : CGT_BACKEND_AUTO;
	l->mover.move = loop_move;
	l->mover.arg = l;
	cgt_snapshot_init(&l->snap);
	return cgt_fs_open(&l->fs, root);
}

static void counters_free(struct cgt_report_counter *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)c[i].path);
	free(c);
}

/*
 * Carry the per-unit move counters over to this period's units (a unit
 * that is new or recreated starts at 0); units that left are dropped.
 */
static int update_counters(struct cgt_loop *l, const struct cgt_plan *plan,
			   const struct cgt_act_result *act)
{
	struct cgt_report_counter *n;
	size_t j = 0;

	n = calloc(plan->n ? plan->n : 1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	for (size_t i = 0; i < plan->n; i++) {
		const struct cgt_action *a = &plan->actions[i];
		int cmp = 1;

		while (j < l->n_counters &&
		       (cmp = cgt_snap_path_cmp(l->counters[j].path, a->path)) < 0)
			j++;
		n[i].path = strdup(a->path);
		if (!n[i].path) {
			counters_free(n, i);
			return -ENOMEM;
		}
		if (j < l->n_counters && cmp == 0 && !(a->flags & CGT_ACT_NEW)) {
			n[i].promoted = l->counters[j].promoted;
			n[i].demoted = l->counters[j].demoted;
		}
		n[i].promoted += act->out[i].promoted;
		n[i].demoted += act->out[i].demoted;
	}
	counters_free(l->counters, l->n_counters);
	l->counters = n;
	l->n_counters = plan->n;
	return 0;
}

int cgt_loop_report(const struct cgt_loop *l, uint64_t last_usec,
		    struct cgt_report *ret)
{
	struct cgt_report_extra x = {
		.backend = l->backend == CGT_BACKEND_AUTO ? NULL :
			   cgt_backend_name(l->backend),
		.period_usec = l->cfg->global.period_usec,
		.last_period_usec = last_usec,
		.periods = l->stats.periods,
		.act_errors = l->act.failed,
		.counters = l->counters,
		.n_counters = l->n_counters,
	};

	if (!l->have_plan)
		return -ENODATA;
	return cgt_report_build(&l->snap, &l->plan, &x, ret);
}

static void drop_plan(struct cgt_loop *l)
{
	cgt_plan_clear(&l->plan);
	cgt_act_result_clear(&l->act);
	l->have_plan = false;
}

void cgt_loop_clear(struct cgt_loop *l)
{
	if (!l)
		return;
	drop_plan(l);
	cgt_snapshot_clear(&l->snap);
	cgt_decide_state_clear(&l->state);
	cgt_hotness_clear(&l->hot);
	counters_free(l->counters, l->n_counters);
	l->counters = NULL;
	l->n_counters = 0;
	cgt_config_free(l->cfg);
	l->cfg = NULL;
	cgt_fs_close(&l->fs);
}

void cgt_loop_set_config(struct cgt_loop *l, struct cgt_config *cfg)
{
	drop_plan(l);
	cgt_config_free(l->cfg);
	l->cfg = cfg;
	if (cfg->global.backend != CGT_BACKEND_AUTO)
		l->backend = cfg->global.backend;
	l->mismatch = false;
}

const char *cgt_loop_backend_name(const struct cgt_loop *l)
{
	if (l->backend == CGT_BACKEND_AUTO)
		return "auto (not yet known)";
	return cgt_backend_name(l->backend);
}

/* The topology, re-read every period: nodes come and go (hotplug, kmem). */
static int load_topology(struct cgt_loop *l)
{
	struct cgt_topology t;
	int r;

	r = cgt_topology_load(&l->fs, &t);
	if (r < 0) {
		if (!l->have_topo)
			return r;
		cgt_warn("cannot read the memory tiers (%s): keeping the last ones",
			 strerror(-r));
		return 0;
	}
	if (t.nr_tiers < 2 && !l->one_tier)
		cgt_notice("one memory tier: nothing to divide, cgtierd only reports");
	else if (t.nr_tiers >= 2 && l->one_tier)
		cgt_notice("%d memory tiers now", t.nr_tiers);
	l->one_tier = t.nr_tiers < 2;
	l->topo = t;
	l->have_topo = true;
	return 0;
}

/* What the kernel has, from the snapshot (see loop.h, "The backend"). */
static void resolve_backend(struct cgt_loop *l, const struct cgt_snapshot *s)
{
	enum cgt_backend seen = CGT_BACKEND_AUTO;

	for (size_t i = 0; i < s->n_cgroups; i++) {
		if (s->cgroups[i].flags & CGT_SNAP_TIERSTAT) {
			seen = CGT_BACKEND_MEMORY_TIER;
			break;
		}
		if (s->cgroups[i].flags & CGT_SNAP_NUMASTAT)
			seen = CGT_BACKEND_STOCK;
	}
	if (seen == CGT_BACKEND_AUTO)
		return;
	if (l->backend == CGT_BACKEND_AUTO) {
		l->backend = seen;
		cgt_notice("backend: %s", cgt_backend_name(seen));
	} else if (l->backend == CGT_BACKEND_MEMORY_TIER && seen != l->backend &&
		   !l->mismatch) {
		/* (stock needs only upstream files: our kernel has them too) */
		l->mismatch = true;
		cgt_err("backend %s is configured but the kernel offers %s: observing only",
			cgt_backend_name(l->backend), cgt_backend_name(seen));
	}
}

/* Snapshot errors, logged when their number changes (D4, rate-limited). */
static void log_snapshot(struct cgt_loop *l, const struct cgt_snapshot *s)
{
	if (s->stats.truncated)
		cgt_warn("more than %d cgroups: the walk stopped, the rest are left alone",
			 CGT_ACQUIRE_MAX_CGROUPS);
	if (s->stats.errors == l->last_errors)
		return;
	l->last_errors = s->stats.errors;
	for (size_t i = 0; i < s->n_errors; i++)
		cgt_warn("%s: %s: %s: cgroup skipped", s->errors[i].path,
			 s->errors[i].file, strerror(-s->errors[i].err));
	if (s->stats.errors > s->n_errors)
		cgt_warn("%zu more cgroups skipped for unreadable files",
			 s->stats.errors - s->n_errors);
}

/* Hotness going off or on, once per change; scan failures at debug. */
static void log_hotness(struct cgt_loop *l)
{
	const struct cgt_hotness *h = &l->hot;

	if (h->disabled != l->hot_logged) {
		if (h->disabled == -EPERM)
			cgt_warn("idle page tracking gives no page frames (CAP_SYS_ADMIN missing): no hotness, nothing promoted");
		else if (h->disabled)
			cgt_warn("no idle page tracking (%s: %s): no hotness, nothing promoted",
				 CGT_PAGE_IDLE_BITMAP, strerror(-h->disabled));
		else
			cgt_notice("idle page tracking available: measuring hotness");
		l->hot_logged = h->disabled;
	}
	if (h->stats.failed)
		cgt_debug("hotness: %zu cgroups not scanned: %s", h->stats.failed,
			  strerror(-h->stats.last_err));
	if (h->stats.cgroups)
		cgt_debug("hotness: %zu cgroups, %zu processes, %llu pages tracked; since start %llu cgroups removed mid-scan, %llu processes gone, %llu PIDs reused, %llu left their cgroup before a move, %llu exited during one",
			  h->stats.cgroups, h->stats.procs,
			  (unsigned long long)h->stats.pages,
			  (unsigned long long)h->totals.cgroups_gone,
			  (unsigned long long)h->totals.procs_gone,
			  (unsigned long long)h->totals.procs_reused,
			  (unsigned long long)h->totals.procs_foreign,
			  (unsigned long long)h->totals.procs_raced);
	if (h->stats.over_cap)
		cgt_warn("hotness: %zu cgroups beyond the %d tracked", h->stats.over_cap,
			 CGT_HOTNESS_MAX_CGROUPS);
}

static void log_actions(const struct cgt_loop *l)
{
	char f[32], t[32], lim[32];

	for (size_t i = 0; i < l->plan.n; i++) {
		const struct cgt_action *a = &l->plan.actions[i];
		const struct cgt_act_outcome *o = &l->act.out[i];

		if (o->err)
			cgt_warn("%s: %s", a->path, strerror(-o->err));
		if (o->promoted || o->demoted)
			cgt_info("%s: moved %s up, %s down (policy %s)", a->path,
				 cgt_format_size(o->promoted, f, sizeof(f)),
				 cgt_format_size(o->demoted, t, sizeof(t)), a->policy->name);
		if (!(o->flags & CGT_OUT_LIMIT_WRITTEN))
			continue;
		cgt_info("%s: fast-tier limit %s (holds %s, target %s, policy %s)",
			 a->path, cgt_format_size(a->limit, lim, sizeof(lim)),
			 cgt_format_size(a->fast, f, sizeof(f)),
			 cgt_format_size(a->target, t, sizeof(t)), a->policy->name);
	}
}

int cgt_loop_period(struct cgt_loop *l)
{
	struct cgt_snapshot snap;
	struct cgt_plan plan;
	struct cgt_act_result act;
	bool dry;
	int r;

	/* first of all, the sample window, for every cgroup tracked */
	if (l->cfg->global.sample_usec < l->cfg->global.period_usec) {
		size_t failed = cgt_hotness_sample(&l->hot, l->cfg->global.sample_usec);

		if (failed)
			cgt_debug("sample window: %zu cgroups not sampled", failed);
	}
	r = load_topology(l);
	if (r < 0)
		goto failed;
	cgt_snapshot_init(&snap);
	r = cgt_acquire(&l->fs, &l->topo, NULL, &snap);
	if (r < 0)
		goto failed;
	log_snapshot(l, &snap);
	resolve_backend(l, &snap);
	r = cgt_hotness_update(&l->hot, &l->fs, &l->topo, l->cfg, &snap);
	if (r < 0) {
		cgt_snapshot_clear(&snap);
		goto failed;
	}
	log_hotness(l);
	r = cgt_decide(&snap, l->cfg, &l->state, &plan);
	if (r < 0) {
		cgt_snapshot_clear(&snap);
		goto failed;
	}
	dry = l->dry_run || l->mismatch;
	r = cgt_act(&l->fs, l->topo.tiers[0].id, &plan, &l->mover, dry, &act);
	if (r < 0) {
		cgt_plan_clear(&plan);
		cgt_snapshot_clear(&snap);
		goto failed;
	}
	r = update_counters(l, &plan, &act);
	if (r < 0) {
		cgt_act_result_clear(&act);
		cgt_plan_clear(&plan);
		cgt_snapshot_clear(&snap);
		goto failed;
	}
	drop_plan(l);
	cgt_snapshot_clear(&l->snap);
	l->snap = snap;
	l->plan = plan;
	l->act = act;
	l->have_plan = true;
	cgt_plan_take_state(&l->plan, &l->state);
	l->stats.periods++;
	l->stats.limits_written += act.written;
	l->stats.act_errors += act.failed;
	l->stats.promoted += act.promoted;
	l->stats.demoted += act.demoted;
	log_actions(l);
	return 0;
failed:
	l->stats.failed++;
	return r;
}

const char *cgt_loop_summary(const struct cgt_loop *l, char *buf, size_t len)
{
	char g[32], b[32];

	if (!l->have_plan)
		snprintf(buf, len, "backend %s, no period yet", cgt_loop_backend_name(l));
	else if (l->one_tier)
		snprintf(buf, len, "backend %s, one memory tier: nothing to divide, %zu cgroups",
			 cgt_loop_backend_name(l), l->snap.n_cgroups);
	else
		snprintf(buf, len, "backend %s%s, %zu cgroups, %zu covered, fast tier %s of %s granted, %zu errors",
			 cgt_loop_backend_name(l),
			 l->mismatch ? " (unavailable: observing)" :
			 l->dry_run ? " (dry run)" : "",
			 l->snap.n_cgroups, l->plan.n,
			 cgt_format_size(l->plan.granted, g, sizeof(g)),
			 cgt_format_size(l->plan.budget, b, sizeof(b)),
			 l->snap.stats.errors + l->act.failed);
	return buf;
}
