/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * report.h - the last stage of the control loop: what a period saw and
 * decided, as a plain struct (cgt_report_build()) and in three formats
 * (a human table, one JSON object, the Prometheus text format).  Pure
 * functions: no clock, no global state, and no I/O besides writing into the
 * caller's FILE (a socket FILE, or open_memstream() in tests).
 *
 * A report is a copy: it owns its strings and does not point into the
 * snapshot, the plan or the config, so the daemon can keep the last one for
 * the control socket (ctl.h) after the period's snapshot is freed.
 *
 * One row per unit of the plan (decide.h), in the plan's order:
 *
 *   fast, slow     bytes in tier 0 and in all slower tiers together
 *                  (memory.tier.stat or memory.numa_stat, snapshot.h);
 *   hot, hot_fast  hot bytes on all tiers and in tier 0, known only when
 *                  the snapshot has CGT_SNAP_HOT_KNOWN (hot_known);
 *   hot_in_fast    hot_fast / hot in hundredths of a percent, rounded down;
 *                  known (hot_in_fast_known) only when hot bytes are known
 *                  and not 0;
 *   target_pct     the policy's hot_in_fast, hundredths of a percent;
 *   target         the bytes of tier 0 granted (cgt_action.target);
 *   limit          the memory.tier.max of tier 0 the plan asks for
 *                  (UINT64_MAX: "max");
 *   demote,        this period's planned moves (cgt_action);
 *   promote
 *   demoted,       cumulative bytes moved for this cgroup, the daemon's own
 *   promoted       counters, given in struct cgt_report_extra (0 if not);
 *   state          one word, from the action's flags and numbers (below).
 *
 * States, the first that applies:
 *
 *   observe        the policy is in observe mode (CGT_ACT_DRY): the row is
 *                  what would be done; nothing is written or moved;
 *   rate-limited   the demote rate bounded this period's step
 *                  (CGT_ACT_RATE): the limit is above the target and steps
 *                  down over the next periods;
 *   over-quota     the unit holds more of tier 0 than its target
 *                  (fast > target: over its quota or its share); the excess
 *                  is demoted this period;
 *   new            no previous state: a new or recreated cgroup, or the
 *                  daemon's first period (CGT_ACT_NEW);
 *   held           hysteresis kept the previous target (CGT_ACT_HELD);
 *   ok             none of these: at or below its target.
 *
 * Strings in the output.  Cgroup paths may hold any byte but NUL and '/'.
 *   - table: printable ASCII and valid UTF-8 as they are; a backslash as
 *     "\\"; control bytes (C0, DEL, and the C1 controls U+0080-U+009F,
 *     which terminals may act on) and bytes that are not valid UTF-8 as
 *     "\xNN".  So a cgroup name cannot move the cursor or fake a row.
 *   - JSON: RFC 8259 escapes ("\"", "\\", "\n", ..., "\u00NN" for other
 *     control bytes and DEL); a byte that does not start or continue a
 *     valid UTF-8 sequence (overlong forms, surrogates, beyond U+10FFFF
 *     included) becomes U+FFFD, one per byte.  The JSON is always valid
 *     UTF-8; such a path does not read back byte for byte (the table shows
 *     the bytes).
 *   - Prometheus: label values escaped as the format requires ("\\",
 *     "\"", "\n"), invalid UTF-8 as U+FFFD as in JSON.
 */
#ifndef CGTIERD_REPORT_H
#define CGTIERD_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cgtier/topology.h"
#include "cgtierd/conf.h"
#include "cgtierd/decide.h"
#include "cgtierd/snapshot.h"

#define CGT_REPORT_NAME_MAX 31 /* backend and version strings, bytes */

enum cgt_report_state {
	CGT_STATE_OK,
	CGT_STATE_OVER_QUOTA,
	CGT_STATE_HELD,
	CGT_STATE_RATE_LIMITED,
	CGT_STATE_NEW,
	CGT_STATE_OBSERVE,
	_CGT_STATE_MAX,
	_CGT_STATE_INVALID = -EINVAL,
};

struct cgt_report_row {
	char *path;                           /* owned copy */
	char policy[CGT_POLICY_NAME_MAX + 1];
	enum cgt_mode mode;
	uint64_t fast;            /* bytes in tier 0 */
	uint64_t slow;            /* bytes in tiers 1.. */
	bool hot_known;           /* hot, hot_fast valid */
	uint64_t hot;             /* hot bytes, all tiers */
	uint64_t hot_fast;        /* hot bytes in tier 0 */
	bool hot_in_fast_known;   /* hot_known and hot > 0 */
	uint32_t hot_in_fast;     /* hot_fast / hot, permyriad */
	uint32_t target_pct;      /* the policy's hot_in_fast, permyriad */
	uint64_t target;          /* tier-0 bytes granted */
	uint64_t limit;           /* memory.tier.max of tier 0; UINT64_MAX: max */
	uint64_t demote;          /* planned this period */
	uint64_t promote;
	uint64_t demoted;         /* cumulative (struct cgt_report_extra) */
	uint64_t promoted;
	unsigned flags;           /* CGT_ACT_* of the action */
	enum cgt_report_state state;
};

/* A unit's cumulative counters, kept by the daemon across periods. */
struct cgt_report_counter {
	const char *path;  /* as in the snapshot */
	uint64_t promoted; /* bytes moved into tier 0 so far */
	uint64_t demoted;  /* bytes moved out of tier 0 so far */
};

/* What the report needs beyond the snapshot and the plan. */
struct cgt_report_extra {
	const char *backend;     /* "memory.tier", "stock"; NULL: "unknown" */
	const char *version;     /* NULL: this build's PACKAGE_VERSION */
	uint64_t period_usec;    /* the control period */
	uint64_t last_period_usec; /* CLOCK_MONOTONIC at the period's end; 0: none */
	uint64_t periods;        /* periods run since start */
	size_t act_errors;       /* failed writes or moves of the last period */
	/* sorted by cgt_snap_path_cmp(), unique; paths missing count as 0 */
	const struct cgt_report_counter *counters;
	size_t n_counters;
};

struct cgt_report {
	struct cgt_report_row *rows; /* one per action, in plan order */
	size_t n;
	char backend[CGT_REPORT_NAME_MAX + 1];
	char version[CGT_REPORT_NAME_MAX + 1];
	uint64_t period_usec;
	uint64_t last_period_usec;
	uint64_t periods;            /* periods run since start */
	int nr_tiers;                /* of the snapshot */
	struct cgt_snap_tier tiers[CGT_SNAP_MAX_TIERS];
	uint64_t capacity;           /* the plan's C, R, A and sum of targets */
	uint64_t reserve;
	uint64_t budget;
	uint64_t granted;
	size_t cgroups;              /* in the snapshot */
	size_t walked;               /* directories the walk looked at */
	size_t uncovered;            /* cgroups no policy covers */
	size_t nested;               /* covered below a covered one */
	size_t errors;               /* cgroups skipped for a bad file */
	size_t act_errors;
	bool truncated;              /* the walk hit its cgroup cap */
};

/* An empty report (no allocation). */
void cgt_report_init(struct cgt_report *r);

/* Free what @r owns and make it empty again; NULL is fine. */
void cgt_report_clear(struct cgt_report *r);

/*
 * Build the report of @plan, decided from @snap, into *@out (which the
 * caller cgt_report_clear()s).  @extra may be NULL.  Every action must be
 * for a cgroup of @snap, in snapshot order (as cgt_decide() makes them).
 * Returns 0, -EINVAL (NULL arguments, an action not in @snap, counters
 * not sorted), -ENOMEM; *@out is written only on success.
 */
int cgt_report_build(const struct cgt_snapshot *snap, const struct cgt_plan *plan,
		     const struct cgt_report_extra *extra, struct cgt_report *out);

/* Name of a state ("ok", "over-quota", ...); matches enum cgt_report_state. */
const char *cgt_report_state_name(enum cgt_report_state s);

/*
 * The formatters.  They return 0, or -EIO if writing to @f failed
 * (ferror()); what was written stays written.
 *
 * cgt_report_table(): three header lines, then one line per row with
 * aligned columns (sizes rounded for reading: --json or the metrics give
 * exact bytes), the cgroup path last, as described in cgtierctl(8).
 */
int cgt_report_table(const struct cgt_report *r, FILE *f);

/* One JSON object and a newline; fields in cgtierctl(8). */
int cgt_report_json(const struct cgt_report *r, FILE *f);

/*
 * The Prometheus text exposition format 0.0.4: HELP and TYPE per metric,
 * names cgtierd_*, per-unit metrics labelled cgroup and policy.  Unknown
 * values (hot bytes without CGT_SNAP_HOT_KNOWN) are left out, not 0.
 */
int cgt_report_prometheus(const struct cgt_report *r, FILE *f);

/*
 * The tiers and nodes of @t: per tier its memory_tierN id and nodes, per
 * node its tier, whether it has memory and CPUs.  struct cgt_topology has
 * neither capacities (see the status report's tiers) nor demotion targets,
 * so neither is shown.  @json: one JSON object instead of text.
 */
int cgt_topology_report(const struct cgt_topology *t, FILE *f, bool json);

#endif /* CGTIERD_REPORT_H */
