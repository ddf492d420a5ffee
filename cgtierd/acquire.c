// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * acquire.c - walk the cgroup tree below a root and read each cgroup's
 * memory per tier into a snapshot (acquire.h).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgtier/cgroup.h"
#include "cgtier/parse.h"
#include "cgtier/stat.h"
#include "cgtier/tierstat.h"
#include "cgtierd/acquire.h"

/* A hard ceiling on the recursion, whatever the caller asks. */
#define ACQUIRE_DEPTH_LIMIT 64

struct walk {
	const struct cgt_topology *topo;
	const struct cgt_acquire_params *p;
	struct cgt_snapshot *snap;
	unsigned max_depth;
	size_t max_cgroups;
	int nr_nodes;        /* highest node with memory + 1 */
	char *buf;           /* CGT_FS_MAX_FILE bytes, for every file */
	uint64_t *anon;      /* nr_nodes each */
	uint64_t *file;
	char path[CGT_SNAP_PATH_MAX + 1];
};

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/*
 * Sum MemTotal and MemFree of each tier's nodes; free is what lies above
 * the nodes' high watermarks (what can be allocated there without waking
 * kswapd), when /proc/zoneinfo tells them.
 */
static int read_tiers(const struct cgt_fs *fs, const struct cgt_topology *topo,
		      struct cgt_snapshot *s)
{
	if (topo->nr_tiers > CGT_SNAP_MAX_TIERS)
		return -E2BIG;
	s->nr_tiers = topo->nr_tiers;
	for (int t = 0; t < topo->nr_tiers; t++) {
		struct cgt_snap_tier *st = &s->tiers[t];
		int node, r;

		st->id = topo->tiers[t].id;
		cgt_nodemask_for_each(node, &topo->tiers[t].nodes) {
			uint64_t total, free, wmark;

			r = cgt_node_meminfo(fs, node, "MemTotal", &total);
			if (r < 0)
				return r;
			r = cgt_node_meminfo(fs, node, "MemFree", &free);
			if (r < 0)
				return r;
			if (cgt_node_high_wmark(fs, node, &wmark) == 0)
				free = free > wmark ? free - wmark : 0;
			st->total = sat_add(st->total, total);
			st->free = sat_add(st->free, free);
		}
	}
	return 0;
}

static bool is_gone(int r)
{
	return r == -ENOENT || r == -ENODEV;
}

/* Keep the first errors for the caller's log (D4). */
static void note_error(struct walk *w, const char *file, int err)
{
	struct cgt_snapshot *s = w->snap;

	s->stats.errors++;
	if (s->n_errors < CGT_SNAP_MAX_ERRORS) {
		struct cgt_snap_error *e = &s->errors[s->n_errors++];

		strcpy(e->path, w->path);
		e->file = file;
		e->err = err;
	}
}

/* A per-cgroup failure @r on @file: 0 to carry on, or a fatal errno. */
static int skip_cgroup(struct walk *w, const char *file, int r)
{
	if (r == -ENOMEM)
		return r;
	if (is_gone(r))
		w->snap->stats.gone++;
	else
		note_error(w, file, r);
	return 0;
}

static int tier_index(const struct cgt_snapshot *s, int id)
{
	for (int t = 0; t < s->nr_tiers; t++)
		if (s->tiers[t].id == id)
			return t;
	return -ESTALE;
}

/* memory.tier.stat, already in w->buf, into @c. */
static int use_tierstat(struct walk *w, struct cgt_cg_snap *c)
{
	struct cgt_tierstat ts;
	int r;

	r = cgt_tierstat_parse(w->buf, &ts);
	if (r < 0)
		return r;
	for (int i = 0; i < ts.nr; i++) {
		const struct cgt_tierstat_row *row = &ts.rows[i];
		int t = tier_index(w->snap, row->tier);

		if (t < 0)
			return t;
		c->resident[t] = row->v[CGT_TS_CHARGED];
		c->mono = sat_add(c->mono, sat_add(row->v[CGT_TS_PROMOTED],
						   row->v[CGT_TS_DEMOTED]));
	}
	c->flags |= CGT_SNAP_TIERSTAT;
	return 0;
}

/* memory.numa_stat, already in w->buf: anon + file per node, per tier. */
static int use_numastat(struct walk *w, struct cgt_cg_snap *c)
{
	int r;

	r = cgt_numa_stat_get(w->buf, "anon", w->anon, w->nr_nodes);
	if (r < 0)
		return r;
	r = cgt_numa_stat_get(w->buf, "file", w->file, w->nr_nodes);
	if (r < 0)
		return r;
	for (int node = 0; node < w->nr_nodes; node++) {
		uint64_t v = sat_add(w->anon[node], w->file[node]);
		int t;

		if (!v)
			continue;
		t = cgt_topology_tier_of(w->topo, node);
		if (t < 0)
			return -ESTALE;
		c->resident[t] = sat_add(c->resident[t], v);
	}
	c->flags |= CGT_SNAP_NUMASTAT;
	return 0;
}

/* memory.tier.max, already in w->buf, into @c. */
static int use_tiermax(struct walk *w, struct cgt_cg_snap *c)
{
	struct cgt_tiermax tm;
	int r;

	r = cgt_tiermax_parse(w->buf, &tm);
	if (r < 0)
		return r;
	for (int i = 0; i < tm.nr; i++) {
		int t = tier_index(w->snap, tm.rows[i].tier);

		if (t < 0)
			return t;
		c->tier_max[t] = tm.rows[i].max;
	}
	c->flags |= CGT_SNAP_TIERMAX;
	return 0;
}

static int read_file(struct walk *w, const struct cgt_cgroup *cg, const char *file)
{
	int r = cgt_cgroup_read(cg, file, w->buf, CGT_FS_MAX_FILE);

	return r < 0 ? r : 0;
}

/*
 * Read one cgroup into @c.  Returns 0, or the failure and in *@file the
 * file it came from.
 */
static int read_cgroup(struct walk *w, const struct cgt_cgroup *cg,
		       struct cgt_cg_snap *c, const char **file)
{
	int r;

	*file = "memory.current";
	r = cgt_cgroup_ino(cg, &c->ino);
	if (r < 0)
		return r;
	r = cgt_cgroup_read_u64(cg, "memory.current", &c->current);
	if (r < 0)
		return r;
	*file = "memory.tier.stat";
	r = read_file(w, cg, *file);
	if (r == 0) {
		r = use_tierstat(w, c);
	} else if (r == -ENOENT) {
		*file = "memory.numa_stat";
		r = read_file(w, cg, *file);
		if (r == 0)
			r = use_numastat(w, c);
	}
	if (r < 0)
		return r;
	*file = "memory.tier.max";
	r = read_file(w, cg, *file);
	if (r == -ENOENT)
		return 0;
	if (r == 0)
		r = use_tiermax(w, c);
	return r;
}

/* Read cgroup w->path (open as @cg) and append it to the snapshot. */
static int visit(struct walk *w, const struct cgt_cgroup *cg, unsigned depth)
{
	struct cgt_cg_snap c, *e;
	const char *file;
	int r;

	memset(&c, 0, sizeof(c));
	for (int t = 0; t < CGT_SNAP_MAX_TIERS; t++)
		c.tier_max[t] = UINT64_MAX;
	c.depth = depth;
	r = read_cgroup(w, cg, &c, &file);
	if (r == -ENOENT && !strcmp(file, "memory.current")) {
		w->snap->stats.no_memory++;
		return 0;
	}
	if (r < 0)
		return skip_cgroup(w, file, r);
	r = cgt_snapshot_add(w->snap, w->path, &e);
	if (r < 0)
		return r;
	c.path = e->path;
	*e = c;
	return 0;
}

static int walk_children(struct walk *w, const struct cgt_cgroup *cg,
			 size_t len, unsigned depth);

/* Open child @name of @parent (w->path[0..@len) is the parent's path). */
static int walk_child(struct walk *w, const struct cgt_cgroup *parent,
		      const char *name, size_t len, unsigned depth)
{
	struct cgt_snap_stats *st = &w->snap->stats;
	size_t n = strlen(name), at = len ? len + 1 : 0;
	struct cgt_cgroup cg;
	int r;

	if (depth > w->max_depth) {
		st->too_deep++;
		return 0;
	}
	if (at + n > CGT_SNAP_PATH_MAX) {
		st->refused++;
		return 0;
	}
	r = cgt_cgroup_open_at(parent, name, &cg);
	if (r == -ENOTDIR)
		return 0; /* a file whose type readdir did not tell */
	if (r < 0) {
		if (is_gone(r))
			st->gone++;
		else
			st->refused++;
		return r == -ENOMEM ? r : 0;
	}
	if (len)
		w->path[len] = '/';
	memcpy(w->path + at, name, n + 1);
	st->walked++;
	if (w->p && w->p->hook)
		w->p->hook(w->p->hook_arg, w->path);
	r = visit(w, &cg, depth);
	if (r == 0)
		r = walk_children(w, &cg, at + n, depth);
	cgt_cgroup_close(&cg);
	w->path[len] = '\0';
	return r;
}

static bool full(struct walk *w)
{
	if (w->snap->n_cgroups < w->max_cgroups)
		return false;
	w->snap->stats.truncated = true;
	return true;
}

static int walk_children(struct walk *w, const struct cgt_cgroup *cg,
			 size_t len, unsigned depth)
{
	struct dirent *de;
	DIR *d;
	int r = 0;

	r = cgt_cgroup_opendir(cg, &d);
	if (is_gone(r))
		return 0; /* went away under us: its entry is stale, D1 */
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	while (r == 0 && !full(w) && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (de->d_type == DT_LNK) {
			w->snap->stats.refused++; /* never followed (D15) */
			continue;
		}
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		r = walk_child(w, cg, de->d_name, len, depth + 1);
	}
	closedir(d);
	return r;
}

static int walk_init(struct walk *w, const struct cgt_topology *topo,
		     const struct cgt_acquire_params *p, struct cgt_snapshot *s)
{
	int node, last = 0;

	memset(w, 0, sizeof(*w));
	w->topo = topo;
	w->p = p;
	w->snap = s;
	w->max_depth = p && p->max_depth ? p->max_depth : CGT_ACQUIRE_MAX_DEPTH;
	if (w->max_depth > ACQUIRE_DEPTH_LIMIT)
		w->max_depth = ACQUIRE_DEPTH_LIMIT;
	w->max_cgroups = p && p->max_cgroups ? p->max_cgroups : CGT_ACQUIRE_MAX_CGROUPS;
	cgt_nodemask_for_each(node, &topo->mem_nodes)
		last = node;
	w->nr_nodes = last + 1;
	w->buf = malloc(CGT_FS_MAX_FILE);
	w->anon = calloc((size_t)w->nr_nodes, sizeof(uint64_t));
	w->file = calloc((size_t)w->nr_nodes, sizeof(uint64_t));
	if (!w->buf || !w->anon || !w->file)
		return -ENOMEM;
	return 0;
}

static void walk_fini(struct walk *w)
{
	free(w->buf);
	free(w->anon);
	free(w->file);
}

/* Visit @start itself (unless it is the mount's root), then below it. */
static int walk_start(struct walk *w, const struct cgt_fs *fs, const char *start)
{
	struct cgt_cgroup cg;
	size_t len = strlen(start);
	int r;

	if (len > CGT_SNAP_PATH_MAX)
		return -ENAMETOOLONG;
	r = cgt_cgroup_open(fs, start, &cg);
	if (r < 0)
		return r;
	memcpy(w->path, start, len + 1);
	if (len) {
		w->snap->stats.walked++;
		r = visit(w, &cg, 0);
	}
	if (r == 0)
		r = walk_children(w, &cg, len, 0);
	cgt_cgroup_close(&cg);
	return r;
}

int cgt_acquire(const struct cgt_fs *fs, const struct cgt_topology *topo,
		const struct cgt_acquire_params *p, struct cgt_snapshot *ret)
{
	const char *start = p && p->start ? p->start : "";
	struct cgt_snapshot s;
	struct walk w;
	int r;

	if (!fs || !topo || !ret)
		return -EINVAL;
	cgt_snapshot_init(&s);
	r = read_tiers(fs, topo, &s);
	if (r < 0)
		return r;
	r = walk_init(&w, topo, p, &s);
	if (r == 0)
		r = walk_start(&w, fs, start);
	walk_fini(&w);
	if (r < 0) {
		cgt_snapshot_clear(&s);
		return r;
	}
	cgt_snapshot_sort(&s);
	*ret = s;
	return 0;
}
