/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * loop.h - one control period: acquire -> hotness -> decide -> act, and
 * what the daemon keeps between periods.  No event loop here (that is
 * cgtierd.c, on sd-event): cgt_loop_period() is called once per period
 * and by tests, against a fixture tree or the real machine.
 *
 * Hotness.  After acquire, hotness.h scans the units' pages with idle
 * page tracking and fills their hot[]; the act stage moves pages through
 * the same scans (promotion on both backends, demotion on stock).
 *
 * The backend.  global.backend "auto" resolves from what the kernel shows:
 * the first period in which some cgroup has memory.tier.stat settles on
 * the memory.tier backend, one in which cgroups have only
 * memory.numa_stat on stock.  The memory.tier backend forced in the
 * configuration on a kernel without it is reported once and nothing is
 * written (the daemon observes) rather than exiting into a restart loop;
 * stock may be forced anywhere (our kernel has the upstream files too).  A machine
 * with one memory tier has nothing to divide: every period is empty and
 * the status says so.
 *
 * Ownership.  The last snapshot, plan and act result stay in the struct
 * until the next period replaces them, for the status and metrics.  The
 * plan points into the snapshot and the configuration, so replacing the
 * configuration (cgt_loop_set_config) drops the plan; the caller runs a
 * period right after.
 */
#ifndef CGTIERD_LOOP_H
#define CGTIERD_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "cgtier/fs.h"
#include "cgtier/topology.h"
#include "cgtierd/act.h"
#include "cgtierd/conf.h"
#include "cgtierd/decide.h"
#include "cgtierd/hotness.h"
#include "cgtierd/report.h"
#include "cgtierd/snapshot.h"

struct cgt_loop_stats {
	uint64_t periods;        /* periods run */
	uint64_t failed;         /* periods that could not read the machine */
	uint64_t limits_written; /* memory.tier.max writes */
	uint64_t act_errors;     /* actions that failed */
	uint64_t promoted;       /* bytes the mover brought up */
	uint64_t demoted;        /* bytes the mover moved down */
};

struct cgt_loop {
	struct cgt_fs fs;
	struct cgt_config *cfg;    /* owned */
	bool dry_run;              /* --dry-run: write nothing */
	enum cgt_backend backend;  /* CGT_BACKEND_AUTO until resolved */
	bool mismatch;             /* forced backend not there: observe */
	bool one_tier;             /* the last topology had one tier */
	bool have_topo;
	struct cgt_topology topo;
	struct cgt_snapshot snap;  /* the last period's */
	struct cgt_plan plan;      /* the last period's, points into snap, cfg */
	bool have_plan;
	struct cgt_act_result act; /* outcome of the plan's actions */
	struct cgt_decide_state state;
	struct cgt_hotness hot;    /* page scans of the units (hotness.h) */
	int hot_logged;            /* hot.disabled last logged */
	struct cgt_act_mover mover; /* over @hot */
	/* bytes the mover moved per unit so far, sorted like the plan */
	struct cgt_report_counter *counters;
	size_t n_counters;
	struct cgt_loop_stats stats;
	size_t last_errors;        /* snapshot errors last logged */
};

/*
 * Open @root ("/" on the real machine) and take @cfg (owned from now on,
 * also on failure).  0 or a negative errno from cgt_fs_open().
 */
int cgt_loop_init(struct cgt_loop *l, const char *root, struct cgt_config *cfg,
		  bool dry_run);

/* Free everything; safe on a zeroed or failed-init struct. */
void cgt_loop_clear(struct cgt_loop *l);

/* Replace the configuration (owned from now on); drops the plan. */
void cgt_loop_set_config(struct cgt_loop *l, struct cgt_config *cfg);

/*
 * Run one period.  0, or a negative errno if the machine could not be read
 * (the previous period's results are kept, stats.failed counts it).
 */
int cgt_loop_period(struct cgt_loop *l);

/*
 * The last period as a report (report.h) into *@ret (the caller
 * cgt_report_clear()s it): 0, -ENODATA before the first period, -ENOMEM.
 */
int cgt_loop_report(const struct cgt_loop *l, uint64_t last_usec,
		    struct cgt_report *ret);

/* "memory.tier", "stock", or "auto (not yet known)". */
const char *cgt_loop_backend_name(const struct cgt_loop *l);

/* A one-line summary for sd_notify STATUS= and the log, into @buf. */
const char *cgt_loop_summary(const struct cgt_loop *l, char *buf, size_t len);

#endif /* CGTIERD_LOOP_H */
