/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * unit-plan.h - what the decide, report and loop tests build their inputs
 * with: a configuration from YAML text, and snapshots written by hand.
 * Header-only, like unit.h; include it after unit.h.
 */
#ifndef CGTIER_UNIT_PLAN_H
#define CGTIER_UNIT_PLAN_H

#include <string.h>

#include "cgtierd/conf.h"
#include "cgtierd/snapshot.h"

#ifndef MiB
#define MiB (1024ULL * 1024)
#endif

/* The configuration of @yaml (main file "t.yaml"); the test fails if bad. */
static inline struct cgt_config *config(const char *yaml)
{
	struct cgt_config *c = cgt_config_new();
	struct cgt_diag d;

	assert_non_null(c);
	cgt_diag_init(&d);
	if (cgt_config_parse(c, "t.yaml", yaml, strlen(yaml), true, &d) != 0 ||
	    cgt_config_finish(c, &d) != 0) {
		print_message("# %s\n", d.n ? d.msg[0] : "?");
		fail();
	}
	cgt_diag_clear(&d);
	return c;
}

/* Two tiers; tier 0 of @total MiB with @free MiB free. */
static inline void snap_init(struct cgt_snapshot *s, uint64_t total, uint64_t free)
{
	cgt_snapshot_init(s);
	s->nr_tiers = 2;
	s->tiers[0] = (struct cgt_snap_tier){ .id = 4, .total = total * MiB,
					      .free = free * MiB };
	s->tiers[1] = (struct cgt_snap_tier){ .id = 67, .total = 4 * total * MiB,
					      .free = 4 * total * MiB };
}

/* A cgroup of our kernel with @fast and @slow MiB, memory.tier.max "max". */
static inline struct cgt_cg_snap *cg(struct cgt_snapshot *s, const char *path,
				     uint64_t fast, uint64_t slow)
{
	struct cgt_cg_snap *c;

	assert_int_equal(cgt_snapshot_add(s, path, &c), 0);
	c->ino = 1000 + s->n_cgroups;
	c->flags = CGT_SNAP_TIERSTAT | CGT_SNAP_TIERMAX;
	c->resident[0] = fast * MiB;
	c->resident[1] = slow * MiB;
	c->current = (fast + slow) * MiB;
	c->depth = 1 + (unsigned)(strchr(path, '/') != NULL);
	return c;
}

/* @c's hot MiB in tier 0 and tier 1, known. */
static inline void hot(struct cgt_cg_snap *c, uint64_t fast, uint64_t slow)
{
	c->flags |= CGT_SNAP_HOT_KNOWN;
	c->hot[0] = fast * MiB;
	c->hot[1] = slow * MiB;
}

#endif /* CGTIER_UNIT_PLAN_H */
