// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * hotness.c - hot bytes per unit and tier from idle page tracking, and the
 * page mover over the same scans (hotness.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgtier/cgroup.h"
#include "cgtier/pageidle.h"
#include "cgtierd/decide.h"
#include "cgtierd/hotness.h"

size_t cgt_hotness_sample(struct cgt_hotness *h, uint64_t window_usec)
{
	struct cgt_pagescan **ps;
	size_t failed;

	if (!h || !h->n)
		return 0;
	ps = calloc(h->n, sizeof(*ps));
	if (!ps)
		return h->n;
	for (size_t i = 0; i < h->n; i++)
		ps[i] = &h->e[i].ps;
	/* all cgroups in one window: the period does not grow with them */
	failed = cgt_pagescan_sample_many(ps, h->n, window_usec);
	free(ps);
	return failed;
}

unsigned cgt_hotness_age_periods(uint64_t hot_age_usec, uint64_t period_usec)
{
	uint64_t n;

	if (!period_usec)
		return 1;
	n = hot_age_usec / period_usec + !!(hot_age_usec % period_usec);
	return n < 1 ? 1 : n > 255 ? 255 : (unsigned)n;
}

static void entry_free(struct cgt_hotness_entry *e)
{
	cgt_pagescan_clear(&e->ps);
	free(e->path);
	e->path = NULL;
	free(e->unit);
	e->unit = NULL;
}

void cgt_hotness_clear(struct cgt_hotness *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		entry_free(&h->e[i]);
	free(h->e);
	memset(h, 0, sizeof(*h));
}

/* Index of @path in h->e, or where it would go (*@found false). */
static size_t lookup(const struct cgt_hotness *h, const char *path, bool *found)
{
	size_t lo = 0, hi = h->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cgt_snap_path_cmp(h->e[mid].path, path);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

/* The entry of @path for unit @unit, added if new; NULL: cap or no memory. */
static struct cgt_hotness_entry *entry_get(struct cgt_hotness *h, const char *path,
					   const char *unit, int *err)
{
	struct cgt_hotness_entry *e;
	bool found;
	size_t i = lookup(h, path, &found);

	*err = 0;
	if (!found) {
		if (h->n >= CGT_HOTNESS_MAX_CGROUPS)
			return NULL;
		if (h->n == h->cap) {
			size_t cap = h->cap ? 2 * h->cap : 16;

			e = realloc(h->e, cap * sizeof(*e));
			if (!e)
				goto nomem;
			h->e = e;
			h->cap = cap;
		}
		memmove(&h->e[i + 1], &h->e[i], (h->n - i) * sizeof(*h->e));
		memset(&h->e[i], 0, sizeof(h->e[i]));
		h->n++;
		h->e[i].path = strdup(path);
		if (!h->e[i].path) {
			memmove(&h->e[i], &h->e[i + 1], (h->n - i - 1) * sizeof(*h->e));
			h->n--;
			goto nomem;
		}
	}
	e = &h->e[i];
	if (!e->unit || strcmp(e->unit, unit) != 0) {
		char *u = strdup(unit);

		if (!u)
			goto nomem;
		free(e->unit);
		e->unit = u;
	}
	e->seen = true;
	return e;
nomem:
	*err = -ENOMEM;
	return NULL;
}

/* Drop the entries of cgroups no longer in the snapshot. */
static void sweep(struct cgt_hotness *h)
{
	size_t j = 0;

	for (size_t i = 0; i < h->n; i++) {
		if (!h->e[i].seen) {
			entry_free(&h->e[i]);
			continue;
		}
		h->e[i].seen = false;
		h->e[j++] = h->e[i];
	}
	h->n = j;
}

struct update {
	struct cgt_hotness *h;
	const struct cgt_fs *fs;
	const struct cgt_topology *topo;
	const struct cgt_config *cfg;
	struct cgt_snapshot *snap;
	unsigned char *flags; /* per cgroup index: U_* */
	int err;       /* fatal: -ENOMEM, or hotness off */
};

static int scan(struct update *u, const struct cgt_cg_snap *c,
		struct cgt_cg_snap *unit, const struct cgt_policy *pol)
{
	struct cgt_pagescan_params p = {
		.path = c->path,
		/* a sample window: the daemon marks just before the next update */
		.no_mark = u->cfg->global.sample_usec < u->cfg->global.period_usec,
	};
	uint64_t hot[CGT_SNAP_MAX_TIERS], res[CGT_SNAP_MAX_TIERS];
	struct cgt_hotness_entry *e;
	struct cgt_cgroup cg;
	int r;

	e = entry_get(u->h, c->path, unit->path, &r);
	if (!e) {
		if (r == 0)
			u->h->stats.over_cap++;
		return r ? r : -E2BIG;
	}
	r = cgt_cgroup_open(u->fs, c->path, &cg);
	if (r < 0)
		return r;
	r = cgt_pagescan_update(&e->ps, u->fs, &cg, u->topo, &p);
	cgt_cgroup_close(&cg);
	if (r < 0)
		return r;
	u->h->stats.cgroups++;
	u->h->stats.pages += e->ps.nr_pages;
	u->h->stats.procs += e->ps.stats.procs;
	u->h->totals.procs_gone += e->ps.stats.procs_gone;
	u->h->totals.procs_reused += e->ps.stats.procs_reused;
	cgt_pagescan_hot_hits(&e->ps, u->topo,
			      cgt_hotness_age_periods(pol->hot_age_usec,
						      u->cfg->global.period_usec),
			      pol->hot_hits, hot, res);
	for (int t = 0; t < u->snap->nr_tiers && t < CGT_SNAP_MAX_TIERS; t++)
		unit->hot[t] += hot[t];
	return 0;
}

/* flags of struct update's per-cgroup array */
#define U_UNIT    1 /* the cgroup is a unit */
#define U_UNKNOWN 2 /* a cgroup of this unit could not be scanned */

static int update_one(void *arg, size_t i, size_t unit, const struct cgt_policy *pol)
{
	struct update *u = arg;
	struct cgt_cg_snap *c = &u->snap->cgroups[i];
	int r;

	if (unit == SIZE_MAX)
		return 0;
	if (unit == i) {
		u->flags[i] |= U_UNIT;
		memset(c->hot, 0, sizeof(c->hot));
	}
	r = scan(u, c, &u->snap->cgroups[unit], pol);
	if (r == -ENOMEM || r == -EPERM)
		return r; /* -EPERM: no PFNs for anyone, hotness is off */
	if (r < 0) {
		u->flags[unit] |= U_UNKNOWN;
		if (r != -ENOENT && r != -ENODEV) { /* gone: D1, not a failure */
			u->h->stats.failed++;
			u->h->stats.last_err = r;
		} else {
			u->h->totals.cgroups_gone++;
		}
	}
	return 0;
}

static void drop_all(struct cgt_hotness *h)
{
	for (size_t i = 0; i < h->n; i++)
		h->e[i].seen = false;
	sweep(h);
}

int cgt_hotness_update(struct cgt_hotness *h, const struct cgt_fs *fs,
		       const struct cgt_topology *topo,
		       const struct cgt_config *cfg, struct cgt_snapshot *snap)
{
	struct update u = { .h = h, .fs = fs, .topo = topo, .cfg = cfg, .snap = snap };
	int r;

	if (!h || !fs || !topo || !cfg || !snap)
		return -EINVAL;
	memset(&h->stats, 0, sizeof(h->stats));
	/* Capabilities do not come back; the bitmap may (a module, a mount). */
	if (h->disabled != -EPERM) {
		r = cgt_fs_exists(fs, CGT_PAGE_IDLE_BITMAP);
		h->disabled = r < 0 ? r : 0;
	}
	if (h->disabled || snap->nr_tiers < 2) {
		drop_all(h);
		return 0;
	}
	u.flags = calloc(snap->n_cgroups ? snap->n_cgroups : 1, sizeof(*u.flags));
	if (!u.flags)
		return -ENOMEM;
	r = cgt_for_each_unit(snap, cfg, update_one, &u);
	if (r == -EPERM) {
		h->disabled = -EPERM;
		for (size_t i = 0; i < snap->n_cgroups; i++)
			memset(snap->cgroups[i].hot, 0, sizeof(snap->cgroups[i].hot));
		drop_all(h);
		r = 0;
	} else if (r == 0) {
		for (size_t i = 0; i < snap->n_cgroups; i++)
			if (u.flags[i] == U_UNIT)
				snap->cgroups[i].flags |= CGT_SNAP_HOT_KNOWN;
		sweep(h);
	}
	free(u.flags);
	return r;
}

int64_t cgt_hotness_move(struct cgt_hotness *h, const struct cgt_fs *fs,
			 const struct cgt_topology *topo, const char *unit,
			 bool promote, uint64_t bytes, unsigned hot_age,
			 unsigned hot_hits)
{
	struct cgt_pagescan_move_req req = {
		.dir = promote ? CGT_PAGESCAN_PROMOTE : CGT_PAGESCAN_DEMOTE,
		.hot_age = hot_age,
		.hot_hits = hot_hits,
		.node = -1,
		.fs = fs,
	};
	uint64_t moved = 0;
	bool any = false, found;
	size_t i;

	if (!h || !fs || !topo || !unit)
		return -EINVAL;
	/* A unit's cgroups are contiguous: the unit, then those below it. */
	for (i = lookup(h, unit, &found); i < h->n && moved < bytes; i++) {
		struct cgt_pagescan_move_res res;
		int r;

		if (!cgt_snap_path_within(h->e[i].path, unit))
			break;
		if (strcmp(h->e[i].unit, unit) != 0)
			continue;
		any = true;
		req.bytes = bytes - moved;
		r = cgt_pagescan_move(&h->e[i].ps, topo, &req, &res);
		if (r < 0)
			return moved ? (int64_t)moved : r;
		moved += res.bytes_moved;
		h->totals.procs_gone += res.procs_gone;
		h->totals.procs_foreign += res.procs_foreign;
		h->totals.procs_raced += res.procs_raced;
	}
	return any ? (int64_t)moved : -ENOENT;
}
