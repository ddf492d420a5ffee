// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * tierstat.c - memory.tier.stat, memory.tier.max and memory.tier.events
 * (see tierstat.h).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cgtier/parse.h"
#include "cgtier/tierstat.h"

/* Should match enum cgt_tierstat_key */
static const char *const tierstat_keys[_CGT_TS_MAX] = {
	[CGT_TS_CHARGED] = "charged",
	[CGT_TS_ANON] = "anon",
	[CGT_TS_FILE] = "file",
	[CGT_TS_PROMOTED] = "promoted",
	[CGT_TS_DEMOTED] = "demoted",
	[CGT_TS_DEMOTED_RECLAIM] = "demoted_reclaim",
	[CGT_TS_DEMOTED_REQUEST] = "demoted_request",
	[CGT_TS_DEMOTE_FAILED] = "demote_failed",
	[CGT_TS_DEMOTED_QUOTA] = "demoted_quota",
	[CGT_TS_REDIRECTED] = "redirected",
};

/* Should match enum cgt_tierevent */
static const char *const tierevent_keys[_CGT_TE_MAX] = {
	[CGT_TE_MAX] = "max",
	[CGT_TE_DEMOTE_FAILED] = "demote_failed",
	[CGT_TE_PROMOTE_REFUSED] = "promote_refused",
};

const char *cgt_tierstat_key_name(enum cgt_tierstat_key k)
{
	if ((unsigned)k >= _CGT_TS_MAX)
		return NULL;
	return tierstat_keys[k];
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_eol(char c)
{
	return c == '\0' || c == '\n';
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* At least one blank; *@p moves past them. */
static int skip_blanks1(const char **p)
{
	if (!is_blank(**p))
		return -EINVAL;
	while (is_blank(**p))
		(*p)++;
	return 0;
}

/* "tierN" at *@p; *@p moves past it. */
static int parse_tier(const char **p, int *ret)
{
	const char *s = *p;
	uint64_t id;
	int r;

	if (strncmp(s, "tier", 4) != 0)
		return -EINVAL;
	s += 4;
	r = cgt_parse_u64_prefix(&s, &id);
	if (r < 0)
		return r;
	if (id > CGT_TIER_ID_MAX)
		return -ERANGE;
	*ret = (int)id;
	*p = s;
	return 0;
}

#define KEY_MAX 64

/* A key of [a-z0-9_]{1,KEY_MAX} at @p; its length, or -EINVAL. */
static int key_len(const char *p)
{
	int n = 0;

	while (n <= KEY_MAX && is_key_char(p[n]))
		n++;
	if (n == 0 || n > KEY_MAX)
		return -EINVAL;
	return n;
}

/* Index of the @n-byte key at @p in @names[0..@nr), or -1. */
static int key_index(const char *const *names, int nr, const char *p, int n)
{
	for (int i = 0; i < nr; i++)
		if ((int)strlen(names[i]) == n && !memcmp(names[i], p, (size_t)n))
			return i;
	return -1;
}

/* Move *@p to the start of the next line; -EINVAL unless at its end. */
static int end_line(const char **p)
{
	while (is_blank(**p))
		(*p)++;
	if (!is_eol(**p))
		return -EINVAL;
	if (**p == '\n')
		(*p)++;
	return 0;
}

/* " key=value ..." of one memory.tier.stat line into @row. */
static int parse_stat_fields(const char **p, struct cgt_tierstat_row *row)
{
	for (;;) {
		uint64_t v;
		int n, k, r;

		while (is_blank(**p))
			(*p)++;
		if (is_eol(**p))
			return 0;
		n = key_len(*p);
		if (n < 0)
			return n;
		if ((*p)[n] != '=')
			return -EINVAL;
		k = key_index(tierstat_keys, _CGT_TS_MAX, *p, n);
		*p += n + 1;
		r = cgt_parse_u64_prefix(p, &v);
		if (r < 0)
			return r;
		if (!is_blank(**p) && !is_eol(**p))
			return -EINVAL;
		if (k < 0)
			continue; /* a key added by a newer kernel */
		if (row->have & (1u << k))
			return -EINVAL;
		row->have |= 1u << k;
		row->v[k] = v;
	}
}

int cgt_tierstat_parse(const char *text, struct cgt_tierstat *ret)
{
	struct cgt_tierstat ts;
	const char *p = text;
	int r;

	if (!text || !ret)
		return -EINVAL;
	memset(&ts, 0, sizeof(ts));
	while (*p) {
		struct cgt_tierstat_row *row;
		int tier;

		if (ts.nr == CGT_MAX_TIERS)
			return -E2BIG;
		r = parse_tier(&p, &tier);
		if (r < 0)
			return r;
		for (int i = 0; i < ts.nr; i++)
			if (ts.rows[i].tier == tier)
				return -EINVAL;
		row = &ts.rows[ts.nr];
		row->tier = tier;
		r = skip_blanks1(&p);
		if (r < 0)
			return r;
		r = parse_stat_fields(&p, row);
		if (r < 0)
			return r;
		if (!(row->have & (1u << CGT_TS_CHARGED)))
			return -EINVAL;
		if (*p == '\n')
			p++;
		ts.nr++;
	}
	*ret = ts;
	return 0;
}

/* "max" or a decimal at *@p. */
static int parse_max_value(const char **p, uint64_t *ret)
{
	if (strncmp(*p, "max", 3) == 0) {
		*p += 3;
		*ret = UINT64_MAX;
		return 0;
	}
	return cgt_parse_u64_prefix(p, ret);
}

int cgt_tiermax_parse(const char *text, struct cgt_tiermax *ret)
{
	struct cgt_tiermax tm;
	const char *p = text;
	int r;

	if (!text || !ret)
		return -EINVAL;
	memset(&tm, 0, sizeof(tm));
	while (*p) {
		struct cgt_tiermax_row *row;

		if (tm.nr == CGT_MAX_TIERS)
			return -E2BIG;
		row = &tm.rows[tm.nr];
		r = parse_tier(&p, &row->tier);
		if (r < 0)
			return r;
		for (int i = 0; i < tm.nr; i++)
			if (tm.rows[i].tier == row->tier)
				return -EINVAL;
		r = skip_blanks1(&p);
		if (r < 0)
			return r;
		r = parse_max_value(&p, &row->max);
		if (r < 0)
			return r;
		r = end_line(&p);
		if (r < 0)
			return r;
		tm.nr++;
	}
	*ret = tm;
	return 0;
}

int cgt_tiermax_format(int tier, uint64_t max, char *buf, size_t len)
{
	int n;

	if (tier < 0 || tier > CGT_TIER_ID_MAX || !buf)
		return -EINVAL;
	if (max == UINT64_MAX)
		n = snprintf(buf, len, "tier%d max", tier);
	else
		n = snprintf(buf, len, "tier%d %" PRIu64, tier, max);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return n;
}

/* The row of @tier in @te, appended if new; NULL if there is no room. */
static struct cgt_tierevents_row *events_row(struct cgt_tierevents *te, int tier)
{
	for (int i = 0; i < te->nr; i++)
		if (te->rows[i].tier == tier)
			return &te->rows[i];
	if (te->nr == CGT_MAX_TIERS)
		return NULL;
	te->rows[te->nr].tier = tier;
	return &te->rows[te->nr++];
}

/* One "tierN.key value" line at *@p into @te. */
static int parse_event_line(const char **p, struct cgt_tierevents *te)
{
	struct cgt_tierevents_row *row;
	int tier, n, k, r;
	uint64_t v;

	r = parse_tier(p, &tier);
	if (r < 0)
		return r;
	if (**p != '.')
		return -EINVAL;
	(*p)++;
	n = key_len(*p);
	if (n < 0)
		return n;
	k = key_index(tierevent_keys, _CGT_TE_MAX, *p, n);
	*p += n;
	r = skip_blanks1(p);
	if (r < 0)
		return r;
	r = cgt_parse_u64_prefix(p, &v);
	if (r < 0)
		return r;
	r = end_line(p);
	if (r < 0)
		return r;
	row = events_row(te, tier);
	if (!row)
		return -E2BIG;
	if (k < 0)
		return 0;
	if (row->have & (1u << k))
		return -EINVAL;
	row->have |= 1u << k;
	row->v[k] = v;
	return 0;
}

int cgt_tierevents_parse(const char *text, struct cgt_tierevents *ret)
{
	struct cgt_tierevents te;
	const char *p = text;
	int r;

	if (!text || !ret)
		return -EINVAL;
	memset(&te, 0, sizeof(te));
	while (*p) {
		r = parse_event_line(&p, &te);
		if (r < 0)
			return r;
	}
	*ret = te;
	return 0;
}
