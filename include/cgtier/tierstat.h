/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tierstat.h - parsers for the memory.tier.* files of cgtier's kernel series
 * (cgtier-memory.tier(7)).  Pure functions over text, as in stat.h.
 *
 *   memory.tier.stat    nested keyed, one line per tier, fastest first:
 *                       "tier4 charged=N anon=N file=N promoted=N ..."
 *   memory.tier.max     flat keyed, one line per tier: "tier4 max",
 *                       "tier22 1073741824"
 *   memory.tier.events  flat keyed, keys "tierN.<event>":
 *                       "tier4.max 3", "tier4.demote_failed 0", ...
 *
 * Common rules, strict so that a damaged file is refused rather than
 * half-read (reliability D4): a tier name is "tier" and an unsigned decimal
 * id <= CGT_TIER_ID_MAX; every number goes through cgt_parse_u64_prefix()
 * (parse.h: digits only, -ERANGE beyond 64 bits); keys are 1 to 64 bytes
 * of [a-z0-9_]; fields are separated by blanks (spaces or tabs, at least
 * one); a line ends in '\n' or at the end of the
 * text (the trailing newline is optional, fs.h strips it).  Keys the
 * parser does not know are skipped, their values still checked, since the
 * kernel documents that "new keys may be added at the end of a line".
 * Errors: -EINVAL for anything malformed (also a tier given twice, a known
 * key given twice for one tier, memory.tier.stat without "charged"),
 * -ERANGE for a number or a tier id out of range, -E2BIG for more than
 * CGT_MAX_TIERS tiers.  The out-parameter is written only on success.  An
 * empty text is zero tiers.
 */
#ifndef CGTIER_TIERSTAT_H
#define CGTIER_TIERSTAT_H

#include <stddef.h>
#include <stdint.h>

#include "cgtier/topology.h"

/* Largest N of memory_tierN: adistance / 128 with adistance an int. */
#define CGT_TIER_ID_MAX ((1 << 24) - 1)

/* Keys of memory.tier.stat; bit i of .have is set when key i was read. */
enum cgt_tierstat_key {
	CGT_TS_CHARGED,
	CGT_TS_ANON,
	CGT_TS_FILE,
	CGT_TS_PROMOTED,
	CGT_TS_DEMOTED,
	CGT_TS_DEMOTED_RECLAIM,
	CGT_TS_DEMOTED_REQUEST,
	CGT_TS_DEMOTE_FAILED,
	CGT_TS_DEMOTED_QUOTA,
	CGT_TS_REDIRECTED,
	_CGT_TS_MAX,
};

struct cgt_tierstat_row {
	int tier;                 /* N of tierN */
	unsigned have;            /* 1u << enum cgt_tierstat_key */
	uint64_t v[_CGT_TS_MAX];  /* bytes; 0 when not in the file */
};

struct cgt_tierstat {
	int nr;                   /* rows in file order (fastest first) */
	struct cgt_tierstat_row rows[CGT_MAX_TIERS];
};

/* Parse memory.tier.stat. */
int cgt_tierstat_parse(const char *text, struct cgt_tierstat *ret);

/* Name of @k as in the file ("charged", ...), or NULL. */
const char *cgt_tierstat_key_name(enum cgt_tierstat_key k);

struct cgt_tiermax_row {
	int tier;
	uint64_t max; /* bytes; UINT64_MAX for "max" */
};

struct cgt_tiermax {
	int nr;
	struct cgt_tiermax_row rows[CGT_MAX_TIERS];
};

/* Parse memory.tier.max: "tierN max" or "tierN BYTES" per line. */
int cgt_tiermax_parse(const char *text, struct cgt_tiermax *ret);

/*
 * Format one write to memory.tier.max into @buf: "tier4 1073741824", or
 * "tier4 max" for UINT64_MAX.  The length, -EINVAL for a bad tier id,
 * -ENOSPC if @len is too small.
 */
int cgt_tiermax_format(int tier, uint64_t max, char *buf, size_t len);

/* Events of memory.tier.events ("tierN.<name>"); bits of .have as above. */
enum cgt_tierevent {
	CGT_TE_MAX,             /* over memory.tier.max, demotion started */
	CGT_TE_DEMOTE_FAILED,   /* a demotion could not move all it was asked */
	CGT_TE_PROMOTE_REFUSED, /* promotions refused at the limit */
	_CGT_TE_MAX,
};

struct cgt_tierevents_row {
	int tier;
	unsigned have;
	uint64_t v[_CGT_TE_MAX];
};

struct cgt_tierevents {
	int nr; /* tiers in order of first appearance */
	struct cgt_tierevents_row rows[CGT_MAX_TIERS];
};

/* Parse memory.tier.events. */
int cgt_tierevents_parse(const char *text, struct cgt_tierevents *ret);

#endif /* CGTIER_TIERSTAT_H */
