// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * report.c - the report stage (report.h): a copy of what a period saw and
 * decided, and its table, JSON and Prometheus formatters; the topology
 * formatter.  Pure: writes only into the caller's FILE.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cgtier/nodemask.h"
#include "cgtierd/report.h"
#include "cgtierd/units.h"

/* Should match enum cgt_report_state. */
static const char *const state_names[_CGT_STATE_MAX] = {
	[CGT_STATE_OK] = "ok",
	[CGT_STATE_OVER_QUOTA] = "over-quota",
	[CGT_STATE_HELD] = "held",
	[CGT_STATE_RATE_LIMITED] = "rate-limited",
	[CGT_STATE_NEW] = "new",
	[CGT_STATE_OBSERVE] = "observe",
};

/* Names of the CGT_ACT_* flags, bit by bit, for JSON. */
static const char *const flag_names[] = {
	"dry", "set-limit", "move", "held", "new", "rate",
};

const char *cgt_report_state_name(enum cgt_report_state s)
{
	if (s < 0 || s >= _CGT_STATE_MAX)
		return NULL;
	return state_names[s];
}

void cgt_report_init(struct cgt_report *r)
{
	memset(r, 0, sizeof(*r));
}

void cgt_report_clear(struct cgt_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->rows[i].path);
	free(r->rows);
	cgt_report_init(r);
}

/* --- building --------------------------------------------------------- */

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* @part / @whole in hundredths of a percent, rounded down; @whole > 0. */
static uint32_t permyriad(uint64_t part, uint64_t whole)
{
	while (whole > UINT64_MAX / CGT_PERMYRIAD_MAX) {
		part >>= 1;
		whole >>= 1;
	}
	if (part >= whole)
		return CGT_PERMYRIAD_MAX;
	return (uint32_t)(part * CGT_PERMYRIAD_MAX / whole);
}

static enum cgt_report_state state_of(const struct cgt_action *a)
{
	if (a->flags & CGT_ACT_DRY)
		return CGT_STATE_OBSERVE;
	if (a->flags & CGT_ACT_RATE)
		return CGT_STATE_RATE_LIMITED;
	if (a->fast > a->target)
		return CGT_STATE_OVER_QUOTA;
	if (a->flags & CGT_ACT_NEW)
		return CGT_STATE_NEW;
	if (a->flags & CGT_ACT_HELD)
		return CGT_STATE_HELD;
	return CGT_STATE_OK;
}

static int counter_cmp(const void *key, const void *elem)
{
	const struct cgt_report_counter *c = elem;

	return cgt_snap_path_cmp(key, c->path);
}

static bool counters_sorted(const struct cgt_report_extra *x)
{
	for (size_t i = 0; i < x->n_counters; i++) {
		if (!x->counters[i].path)
			return false;
		if (i && cgt_snap_path_cmp(x->counters[i - 1].path, x->counters[i].path) >= 0)
			return false;
	}
	return true;
}

static const struct cgt_report_counter *counter_of(const struct cgt_report_extra *x,
						   const char *path)
{
	if (!x || !x->n_counters)
		return NULL;
	return bsearch(path, x->counters, x->n_counters, sizeof(*x->counters), counter_cmp);
}

/* The snapshot entry of @a at or after *@pos (actions are in snapshot order). */
static const struct cgt_cg_snap *cg_of(const struct cgt_snapshot *s, size_t *pos,
				       const struct cgt_action *a)
{
	for (size_t k = *pos; k < s->n_cgroups; k++) {
		if (s->cgroups[k].path == a->path || !strcmp(s->cgroups[k].path, a->path)) {
			*pos = k + 1;
			return &s->cgroups[k];
		}
	}
	return NULL;
}

static int fill_row(const struct cgt_snapshot *s, const struct cgt_cg_snap *c,
		    const struct cgt_action *a, const struct cgt_report_extra *x,
		    struct cgt_report_row *row)
{
	const struct cgt_report_counter *k = counter_of(x, a->path);

	row->path = strdup(a->path);
	if (!row->path)
		return -ENOMEM;
	if (a->policy) {
		snprintf(row->policy, sizeof(row->policy), "%s", a->policy->name);
		row->mode = a->policy->mode;
		row->target_pct = a->policy->hot_in_fast;
	}
	if (a->flags & CGT_ACT_DRY)
		row->mode = CGT_MODE_OBSERVE;
	row->fast = a->fast;
	for (int t = 1; t < s->nr_tiers && t < CGT_SNAP_MAX_TIERS; t++)
		row->slow = sat_add(row->slow, c->resident[t]);
	if (c->flags & CGT_SNAP_HOT_KNOWN) {
		row->hot_known = true;
		for (int t = 0; t < s->nr_tiers && t < CGT_SNAP_MAX_TIERS; t++)
			row->hot = sat_add(row->hot, c->hot[t]);
		row->hot_fast = c->hot[0];
		if (row->hot) {
			row->hot_in_fast_known = true;
			row->hot_in_fast = permyriad(row->hot_fast, row->hot);
		}
	}
	row->target = a->target;
	row->limit = a->limit;
	row->demote = a->demote;
	row->promote = a->promote;
	if (k) {
		row->demoted = k->demoted;
		row->promoted = k->promoted;
	}
	row->flags = a->flags;
	row->state = state_of(a);
	return 0;
}

static void fill_header(const struct cgt_snapshot *s, const struct cgt_plan *p,
			const struct cgt_report_extra *x, struct cgt_report *r)
{
	snprintf(r->backend, sizeof(r->backend), "%s",
		 x && x->backend ? x->backend : "unknown");
	snprintf(r->version, sizeof(r->version), "%s",
		 x && x->version ? x->version : PACKAGE_VERSION);
	if (x) {
		r->period_usec = x->period_usec;
		r->last_period_usec = x->last_period_usec;
		r->periods = x->periods;
		r->act_errors = x->act_errors;
	}
	r->nr_tiers = s->nr_tiers < 0 ? 0 :
		      s->nr_tiers > CGT_SNAP_MAX_TIERS ? CGT_SNAP_MAX_TIERS : s->nr_tiers;
	memcpy(r->tiers, s->tiers, sizeof(r->tiers));
	r->capacity = p->capacity;
	r->reserve = p->reserve;
	r->budget = p->budget;
	r->granted = p->granted;
	r->cgroups = s->n_cgroups;
	r->walked = s->stats.walked;
	r->uncovered = p->uncovered;
	r->nested = p->nested;
	r->errors = s->stats.errors;
	r->truncated = s->stats.truncated;
}

int cgt_report_build(const struct cgt_snapshot *snap, const struct cgt_plan *plan,
		     const struct cgt_report_extra *extra, struct cgt_report *out)
{
	struct cgt_report r;
	size_t pos = 0;
	int ret = -EINVAL;

	if (!snap || !plan || !out || (plan->n && !plan->actions))
		return -EINVAL;
	if (extra && extra->n_counters && (!extra->counters || !counters_sorted(extra)))
		return -EINVAL;
	cgt_report_init(&r);
	if (plan->n) {
		r.rows = calloc(plan->n, sizeof(*r.rows));
		if (!r.rows)
			return -ENOMEM;
	}
	for (size_t i = 0; i < plan->n; i++) {
		const struct cgt_action *a = &plan->actions[i];
		const struct cgt_cg_snap *c = a->path ? cg_of(snap, &pos, a) : NULL;

		if (!c) {
			ret = -EINVAL;
			goto fail;
		}
		ret = fill_row(snap, c, a, extra, &r.rows[i]);
		r.n = i + 1; /* so that cgt_report_clear() frees its path */
		if (ret < 0)
			goto fail;
	}
	fill_header(snap, plan, extra, &r);
	*out = r;
	return 0;
fail:
	cgt_report_clear(&r);
	return ret;
}

/* --- strings ------------------------------------------------------------ */

static bool cont(unsigned char c)
{
	return c >= 0x80 && c <= 0xbf;
}

/*
 * Length of the valid UTF-8 sequence at @s (NUL-terminated), or 0 if the
 * byte does not start one: no overlong forms, no surrogates, nothing above
 * U+10FFFF.  Never reads past a NUL (which is not a continuation byte).
 */
static size_t utf8_seq(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return cont(s[1]) ? 2 : 0;
	if (c == 0xe0)
		return s[1] >= 0xa0 && s[1] <= 0xbf && cont(s[2]) ? 3 : 0;
	if (c == 0xed)
		return s[1] >= 0x80 && s[1] <= 0x9f && cont(s[2]) ? 3 : 0;
	if (c >= 0xe1 && c <= 0xef)
		return cont(s[1]) && cont(s[2]) ? 3 : 0;
	if (c == 0xf0)
		return s[1] >= 0x90 && s[1] <= 0xbf && cont(s[2]) && cont(s[3]) ? 4 : 0;
	if (c >= 0xf1 && c <= 0xf3)
		return cont(s[1]) && cont(s[2]) && cont(s[3]) ? 4 : 0;
	if (c == 0xf4)
		return s[1] >= 0x80 && s[1] <= 0x8f && cont(s[2]) && cont(s[3]) ? 4 : 0;
	return 0;
}

/* A JSON string, quotes included (report.h: invalid UTF-8 as U+FFFD). */
static void put_json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n = utf8_seq(s);

		if (!n) {
			fputs("\\ufffd", f);
			s++;
			continue;
		}
		if (n > 1) {
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f)
				fprintf(f, "\\u%04x", *s);
			else
				fputc(*s, f);
		}
		s++;
	}
	fputc('"', f);
}

/* A Prometheus label value, quotes included. */
static void put_label(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n = utf8_seq(s);

		if (!n) {
			fputs("\xef\xbf\xbd", f); /* U+FFFD */
			s++;
		} else if (*s == '\\' || *s == '"') {
			fputc('\\', f);
			fputc(*s++, f);
		} else if (*s == '\n') {
			fputs("\\n", f);
			s++;
		} else {
			fwrite(s, 1, n, f);
			s += n;
		}
	}
	fputc('"', f);
}

/* A path for a terminal (report.h): no control bytes, invalid bytes as \xNN. */
static void put_display(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t n = utf8_seq(s);

		if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0) { /* C1 control */
			fprintf(f, "\\x%02x\\x%02x", s[0], s[1]);
		} else if (n > 1) {
			fwrite(s, 1, n, f);
		} else if (n == 1 && *s == '\\') {
			fputs("\\\\", f);
		} else if (n == 1 && *s >= 0x20 && *s != 0x7f) {
			fputc(*s, f);
		} else {
			fprintf(f, "\\x%02x", *s);
			n = 1;
		}
		s += n;
	}
}

/* --- the table ------------------------------------------------------------ */

/* Sizes for reading: exact when short ("400Mi"), else one decimal ("1.5Gi"). */
static const char *human_size(uint64_t v, char *buf, size_t len)
{
	static const char *const sfx[] = { "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
	unsigned i = 0;
	uint64_t unit = 1024;

	if (v == UINT64_MAX || v < 1024)
		return cgt_format_size(v, buf, len);
	while (i + 1 < 6 && v / 1024 >= unit) {
		unit <<= 10;
		i++;
	}
	if (v % unit == 0 && i < 4)
		return cgt_format_size(v, buf, len);
	snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "%s", v / unit, (v % unit) / (unit / 10),
		 sfx[i]);
	return buf;
}

/* A permyriad share as "97.2%". */
static const char *human_pct(uint32_t p, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u%%", p / 100, (p % 100) / 10);
	return buf;
}

enum {
	COL_POLICY, COL_MODE, COL_FAST, COL_SLOW, COL_HOT, COL_HOTPCT, COL_TGTPCT,
	COL_TARGET, COL_LIMIT, COL_PROMOTED, COL_DEMOTED, COL_STATE, _COL_MAX,
};

#define CELL_MAX (CGT_POLICY_NAME_MAX + 1)

static const char *const col_names[_COL_MAX] = {
	"POLICY", "MODE", "FAST", "SLOW", "HOT", "HOT-FAST", "TARGET%",
	"TARGET", "LIMIT", "PROMOTED", "DEMOTED", "STATE",
};

/* Left-aligned columns; the others are numbers, right-aligned. */
static bool col_left(int c)
{
	return c == COL_POLICY || c == COL_MODE || c == COL_STATE;
}

static void row_cells(const struct cgt_report_row *w, char cell[_COL_MAX][CELL_MAX])
{
	snprintf(cell[COL_POLICY], CELL_MAX, "%s", w->policy);
	snprintf(cell[COL_MODE], CELL_MAX, "%s", cgt_mode_name(w->mode));
	human_size(w->fast, cell[COL_FAST], CELL_MAX);
	human_size(w->slow, cell[COL_SLOW], CELL_MAX);
	if (w->hot_known)
		human_size(w->hot, cell[COL_HOT], CELL_MAX);
	else
		snprintf(cell[COL_HOT], CELL_MAX, "-");
	if (w->hot_in_fast_known)
		human_pct(w->hot_in_fast, cell[COL_HOTPCT], CELL_MAX);
	else
		snprintf(cell[COL_HOTPCT], CELL_MAX, "-");
	human_pct(w->target_pct, cell[COL_TGTPCT], CELL_MAX);
	human_size(w->target, cell[COL_TARGET], CELL_MAX);
	human_size(w->limit, cell[COL_LIMIT], CELL_MAX);
	human_size(w->promoted, cell[COL_PROMOTED], CELL_MAX);
	human_size(w->demoted, cell[COL_DEMOTED], CELL_MAX);
	snprintf(cell[COL_STATE], CELL_MAX, "%s", cgt_report_state_name(w->state));
}

static void put_cells(FILE *f, char cell[_COL_MAX][CELL_MAX], const int *width)
{
	for (int c = 0; c < _COL_MAX; c++)
		fprintf(f, col_left(c) ? "%-*s  " : "%*s  ", width[c], cell[c]);
}

static void table_header(const struct cgt_report *r, FILE *f)
{
	char p[32], c[32], rs[32], b[32], g[32];

	fprintf(f, "cgtierd %s, backend %s, period %s", r->version, r->backend,
		cgt_format_duration(r->period_usec, p, sizeof(p)));
	if (r->last_period_usec)
		fprintf(f, ", last period at %" PRIu64 ".%03" PRIu64 "s (monotonic)\n",
			r->last_period_usec / 1000000, r->last_period_usec % 1000000 / 1000);
	else
		fprintf(f, ", no period yet\n");
	fprintf(f, "fast tier: capacity %s, reserve %s, budget %s, granted %s\n",
		human_size(r->capacity, c, sizeof(c)), human_size(r->reserve, rs, sizeof(rs)),
		human_size(r->budget, b, sizeof(b)), human_size(r->granted, g, sizeof(g)));
	fprintf(f, "cgroups: %zu walked, %zu units, %zu uncovered, %zu nested, %zu errors%s",
		r->walked, r->n, r->uncovered, r->nested, r->errors,
		r->truncated ? " (walk truncated at the cgroup cap)" : "");
	if (r->act_errors)
		fprintf(f, ", %zu failed actions", r->act_errors);
	fputc('\n', f);
}

int cgt_report_table(const struct cgt_report *r, FILE *f)
{
	char cell[_COL_MAX][CELL_MAX];
	int width[_COL_MAX];

	table_header(r, f);
	fputc('\n', f);
	if (!r->n) {
		fprintf(f, "no cgroup is covered by a policy\n");
		return ferror(f) ? -EIO : 0;
	}
	for (int c = 0; c < _COL_MAX; c++)
		width[c] = (int)strlen(col_names[c]);
	for (size_t i = 0; i < r->n; i++) {
		row_cells(&r->rows[i], cell);
		for (int c = 0; c < _COL_MAX; c++)
			if ((int)strlen(cell[c]) > width[c])
				width[c] = (int)strlen(cell[c]);
	}
	for (int c = 0; c < _COL_MAX; c++)
		snprintf(cell[c], CELL_MAX, "%s", col_names[c]);
	put_cells(f, cell, width);
	fputs("CGROUP\n", f);
	for (size_t i = 0; i < r->n; i++) {
		row_cells(&r->rows[i], cell);
		put_cells(f, cell, width);
		fputc('/', f);
		put_display(f, r->rows[i].path);
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}

/* --- JSON --------------------------------------------------------------- */

static void json_u64_or_null(FILE *f, const char *key, bool known, uint64_t v)
{
	if (known)
		fprintf(f, ",\"%s\":%" PRIu64, key, v);
	else
		fprintf(f, ",\"%s\":null", key);
}

static void json_pct(FILE *f, const char *key, bool known, uint32_t p)
{
	if (known)
		fprintf(f, ",\"%s\":%u.%02u", key, p / 100, p % 100);
	else
		fprintf(f, ",\"%s\":null", key);
}

static void json_row(FILE *f, const struct cgt_report_row *w)
{
	bool first = true;

	fputs("{\"cgroup\":", f);
	put_json_string(f, w->path);
	fputs(",\"policy\":", f);
	put_json_string(f, w->policy);
	fprintf(f, ",\"mode\":\"%s\",\"state\":\"%s\",\"flags\":[", cgt_mode_name(w->mode),
		cgt_report_state_name(w->state));
	for (size_t b = 0; b < sizeof(flag_names) / sizeof(flag_names[0]); b++) {
		if (!(w->flags & (1u << b)))
			continue;
		fprintf(f, "%s\"%s\"", first ? "" : ",", flag_names[b]);
		first = false;
	}
	fprintf(f, "],\"fast\":%" PRIu64 ",\"slow\":%" PRIu64, w->fast, w->slow);
	json_u64_or_null(f, "hot", w->hot_known, w->hot);
	json_u64_or_null(f, "hot_fast", w->hot_known, w->hot_fast);
	json_pct(f, "hot_in_fast_pct", w->hot_in_fast_known, w->hot_in_fast);
	json_pct(f, "target_pct", true, w->target_pct);
	fprintf(f, ",\"target\":%" PRIu64, w->target);
	if (w->limit == UINT64_MAX)
		fputs(",\"limit\":\"max\"", f);
	else
		fprintf(f, ",\"limit\":%" PRIu64, w->limit);
	fprintf(f, ",\"demote\":%" PRIu64 ",\"promote\":%" PRIu64 ",\"demoted\":%" PRIu64
		",\"promoted\":%" PRIu64 "}", w->demote, w->promote, w->demoted, w->promoted);
}

int cgt_report_json(const struct cgt_report *r, FILE *f)
{
	fputs("{\"version\":", f);
	put_json_string(f, r->version);
	fputs(",\"backend\":", f);
	put_json_string(f, r->backend);
	fprintf(f, ",\"period_usec\":%" PRIu64 ",\"last_period_usec\":%" PRIu64
		",\"periods\":%" PRIu64 ",\"tiers\":[",
		r->period_usec, r->last_period_usec, r->periods);
	for (int t = 0; t < r->nr_tiers; t++)
		fprintf(f, "%s{\"index\":%d,\"id\":%d,\"total\":%" PRIu64 ",\"free\":%" PRIu64 "}",
			t ? "," : "", t, r->tiers[t].id, r->tiers[t].total, r->tiers[t].free);
	fprintf(f, "],\"fast_tier\":{\"capacity\":%" PRIu64 ",\"reserve\":%" PRIu64
		",\"budget\":%" PRIu64 ",\"granted\":%" PRIu64 "}",
		r->capacity, r->reserve, r->budget, r->granted);
	fprintf(f, ",\"cgroups\":{\"walked\":%zu,\"in_snapshot\":%zu,\"units\":%zu,"
		"\"uncovered\":%zu,\"nested\":%zu,\"errors\":%zu,\"truncated\":%s}",
		r->walked, r->cgroups, r->n, r->uncovered, r->nested, r->errors,
		r->truncated ? "true" : "false");
	fprintf(f, ",\"act_errors\":%zu,\"units\":[", r->act_errors);
	for (size_t i = 0; i < r->n; i++) {
		if (i)
			fputc(',', f);
		json_row(f, &r->rows[i]);
	}
	fputs("]}\n", f);
	return ferror(f) ? -EIO : 0;
}

/* --- Prometheus ----------------------------------------------------------- */

static void prom_family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void prom_gauge(FILE *f, const char *name, const char *help, uint64_t v)
{
	prom_family(f, name, "gauge", help);
	fprintf(f, "%s %" PRIu64 "\n", name, v);
}

/* usec as seconds, without trailing zeros beyond what is needed */
static void prom_seconds(FILE *f, uint64_t usec)
{
	if (usec % 1000000)
		fprintf(f, "%" PRIu64 ".%06" PRIu64 "\n", usec / 1000000, usec % 1000000);
	else
		fprintf(f, "%" PRIu64 "\n", usec / 1000000);
}

/* NAME{cgroup="...",policy="..."}, and ,mode=,state= with @state */
static void prom_labels_state(FILE *f, const char *name, const struct cgt_report_row *w,
			      bool state)
{
	fprintf(f, "%s{cgroup=", name);
	put_label(f, w->path);
	fputs(",policy=", f);
	put_label(f, w->policy);
	if (state)
		fprintf(f, ",mode=\"%s\",state=\"%s\"", cgt_mode_name(w->mode),
			cgt_report_state_name(w->state));
	fputc('}', f);
}

static void prom_labels(FILE *f, const char *name, const struct cgt_report_row *w)
{
	prom_labels_state(f, name, w, false);
}

/* Per-unit values; which one is picked by an offset into the row. */
enum row_value {
	V_FAST, V_SLOW, V_HOT, V_HOT_FAST, V_HOT_RATIO, V_TARGET_RATIO, V_TARGET,
	V_LIMIT, V_DEMOTE, V_PROMOTE, V_DEMOTED, V_PROMOTED,
};

static const struct {
	const char *name;
	const char *type;
	const char *help;
} row_metrics[] = {
	[V_FAST] = { "cgtierd_cgroup_fast_bytes", "gauge", "Bytes of the unit in the fastest tier." },
	[V_SLOW] = { "cgtierd_cgroup_slow_bytes", "gauge", "Bytes of the unit in the slower tiers." },
	[V_HOT] = { "cgtierd_cgroup_hot_bytes", "gauge",
		    "Hot bytes of the unit on all tiers (absent when not measured)." },
	[V_HOT_FAST] = { "cgtierd_cgroup_hot_fast_bytes", "gauge",
			 "Hot bytes of the unit in the fastest tier (absent when not measured)." },
	[V_HOT_RATIO] = { "cgtierd_cgroup_hot_in_fast_ratio", "gauge",
			  "Share of the unit's hot bytes in the fastest tier (absent when unknown)." },
	[V_TARGET_RATIO] = { "cgtierd_cgroup_target_hot_in_fast_ratio", "gauge",
			     "The policy's hot_in_fast target share." },
	[V_TARGET] = { "cgtierd_cgroup_target_bytes", "gauge",
		       "Bytes of the fastest tier granted to the unit." },
	[V_LIMIT] = { "cgtierd_cgroup_limit_bytes", "gauge",
		      "memory.tier.max of the fastest tier planned for the unit (+Inf: max)." },
	[V_DEMOTE] = { "cgtierd_cgroup_demote_bytes", "gauge",
		       "Bytes planned out of the fastest tier in the last period." },
	[V_PROMOTE] = { "cgtierd_cgroup_promote_bytes", "gauge",
			"Bytes planned into the fastest tier in the last period." },
	[V_DEMOTED] = { "cgtierd_cgroup_demoted_bytes_total", "counter",
			"Bytes moved out of the fastest tier for the unit." },
	[V_PROMOTED] = { "cgtierd_cgroup_promoted_bytes_total", "counter",
			 "Bytes moved into the fastest tier for the unit." },
};

static void prom_row_value(FILE *f, const struct cgt_report_row *w, enum row_value v)
{
	uint64_t x;

	switch (v) {
	case V_HOT:
	case V_HOT_FAST:
		if (!w->hot_known)
			return;
		x = v == V_HOT ? w->hot : w->hot_fast;
		break;
	case V_HOT_RATIO:
	case V_TARGET_RATIO:
		if (v == V_HOT_RATIO && !w->hot_in_fast_known)
			return;
		x = v == V_HOT_RATIO ? w->hot_in_fast : w->target_pct;
		prom_labels(f, row_metrics[v].name, w);
		fprintf(f, " %" PRIu64 ".%04" PRIu64 "\n", x / 10000, x % 10000);
		return;
	case V_LIMIT:
		prom_labels(f, row_metrics[v].name, w);
		if (w->limit == UINT64_MAX)
			fputs(" +Inf\n", f);
		else
			fprintf(f, " %" PRIu64 "\n", w->limit);
		return;
	case V_FAST: x = w->fast; break;
	case V_SLOW: x = w->slow; break;
	case V_TARGET: x = w->target; break;
	case V_DEMOTE: x = w->demote; break;
	case V_PROMOTE: x = w->promote; break;
	case V_DEMOTED: x = w->demoted; break;
	case V_PROMOTED: x = w->promoted; break;
	default: return;
	}
	prom_labels(f, row_metrics[v].name, w);
	fprintf(f, " %" PRIu64 "\n", x);
}

static void prom_header(const struct cgt_report *r, FILE *f)
{
	prom_family(f, "cgtierd_info", "gauge", "The daemon's version and backend.");
	fputs("cgtierd_info{version=", f);
	put_label(f, r->version);
	fputs(",backend=", f);
	put_label(f, r->backend);
	fputs("} 1\n", f);
	prom_family(f, "cgtierd_period_seconds", "gauge", "The control period.");
	fputs("cgtierd_period_seconds ", f);
	prom_seconds(f, r->period_usec);
	if (r->last_period_usec) {
		prom_family(f, "cgtierd_last_period_monotonic_seconds", "gauge",
			    "CLOCK_MONOTONIC at the end of the last period.");
		fputs("cgtierd_last_period_monotonic_seconds ", f);
		prom_seconds(f, r->last_period_usec);
	}
	prom_family(f, "cgtierd_periods_total", "counter", "Control periods run since start.");
	fprintf(f, "cgtierd_periods_total %" PRIu64 "\n", r->periods);
	prom_family(f, "cgtierd_tier_total_bytes", "gauge", "Memory of each tier's nodes.");
	for (int t = 0; t < r->nr_tiers; t++)
		fprintf(f, "cgtierd_tier_total_bytes{index=\"%d\",id=\"%d\"} %" PRIu64 "\n",
			t, r->tiers[t].id, r->tiers[t].total);
	prom_family(f, "cgtierd_tier_free_bytes", "gauge", "Free memory of each tier's nodes.");
	for (int t = 0; t < r->nr_tiers; t++)
		fprintf(f, "cgtierd_tier_free_bytes{index=\"%d\",id=\"%d\"} %" PRIu64 "\n",
			t, r->tiers[t].id, r->tiers[t].free);
	prom_gauge(f, "cgtierd_fast_capacity_bytes", "Capacity of the fastest tier.", r->capacity);
	prom_gauge(f, "cgtierd_fast_reserve_bytes", "Fastest-tier memory kept out of every quota.",
		   r->reserve);
	prom_gauge(f, "cgtierd_fast_budget_bytes", "Fastest-tier memory the units share.",
		   r->budget);
	prom_gauge(f, "cgtierd_fast_granted_bytes", "Sum of the units' targets.", r->granted);
	prom_gauge(f, "cgtierd_cgroups_walked", "Cgroup directories the last walk looked at.",
		   r->walked);
	prom_gauge(f, "cgtierd_cgroups_uncovered", "Cgroups no policy covers.", r->uncovered);
	prom_gauge(f, "cgtierd_cgroups_nested", "Covered cgroups below a covered one.",
		   r->nested);
	prom_gauge(f, "cgtierd_units", "Cgroups a policy covers, outermost.", r->n);
	prom_gauge(f, "cgtierd_cgroup_errors", "Cgroups skipped for a bad file in the last period.",
		   r->errors);
	prom_gauge(f, "cgtierd_act_errors", "Failed writes or moves in the last period.",
		   r->act_errors);
	prom_gauge(f, "cgtierd_walk_truncated", "1 if the last walk stopped at the cgroup cap.",
		   r->truncated);
}

int cgt_report_prometheus(const struct cgt_report *r, FILE *f)
{
	prom_header(r, f);
	for (size_t v = 0; v < sizeof(row_metrics) / sizeof(row_metrics[0]); v++) {
		prom_family(f, row_metrics[v].name, row_metrics[v].type, row_metrics[v].help);
		for (size_t i = 0; i < r->n; i++)
			prom_row_value(f, &r->rows[i], (enum row_value)v);
	}
	prom_family(f, "cgtierd_cgroup_state", "gauge",
		    "1 for the unit's state and mode (see cgtierctl(8)).");
	for (size_t i = 0; i < r->n; i++) {
		prom_labels_state(f, "cgtierd_cgroup_state", &r->rows[i], true);
		fputs(" 1\n", f);
	}
	return ferror(f) ? -EIO : 0;
}

/* --- topology ------------------------------------------------------------- */

static const char *tier_name(const struct cgt_topology *t, int i, char *buf, size_t len)
{
	if (i < 0)
		snprintf(buf, len, "-");
	else if (t->tiers[i].id >= 0)
		snprintf(buf, len, "memory_tier%d", t->tiers[i].id);
	else
		snprintf(buf, len, "tier%d", i);
	return buf;
}

/* Every node a tier, has_memory or has_cpu names. */
static void topo_nodes(const struct cgt_topology *t, struct cgt_nodemask *all)
{
	int n;

	*all = t->mem_nodes;
	cgt_nodemask_for_each(n, &t->cpu_nodes)
		cgt_nodemask_set(all, n);
	for (int i = 0; i < t->nr_tiers; i++)
		cgt_nodemask_for_each(n, &t->tiers[i].nodes)
			cgt_nodemask_set(all, n);
}

static void topo_text(const struct cgt_topology *t, const struct cgt_nodemask *all, FILE *f)
{
	char list[8192], name[32];
	int n;

	fprintf(f, "%d memory %s%s\n", t->nr_tiers, t->nr_tiers == 1 ? "tier" : "tiers",
		t->from_kernel ? ", from the kernel's memory_tiering" :
		", synthesised (the kernel has no memory_tiering)");
	for (int i = 0; i < t->nr_tiers; i++) {
		if (cgt_nodemask_format(&t->tiers[i].nodes, list, sizeof(list)) < 0)
			snprintf(list, sizeof(list), "?");
		fprintf(f, "  tier %d  %-16s nodes %s\n", i, tier_name(t, i, name, sizeof(name)),
			list);
	}
	fprintf(f, "nodes:\n");
	cgt_nodemask_for_each(n, all) {
		int ti = cgt_topology_tier_of(t, n);

		fprintf(f, "  node %-4d %-16s %s%s\n", n, tier_name(t, ti < 0 ? -1 : ti, name,
								  sizeof(name)),
			cgt_nodemask_test(&t->mem_nodes, n) ? "memory" : "no-memory",
			cgt_nodemask_test(&t->cpu_nodes, n) ? " cpu" : "");
	}
}

static void topo_json(const struct cgt_topology *t, const struct cgt_nodemask *all, FILE *f)
{
	char name[32];
	bool first;
	int n;

	fprintf(f, "{\"from_kernel\":%s,\"tiers\":[", t->from_kernel ? "true" : "false");
	for (int i = 0; i < t->nr_tiers; i++) {
		fprintf(f, "%s{\"index\":%d,\"id\":%d,\"name\":\"%s\",\"nodes\":[", i ? "," : "",
			i, t->tiers[i].id, tier_name(t, i, name, sizeof(name)));
		first = true;
		cgt_nodemask_for_each(n, &t->tiers[i].nodes) {
			fprintf(f, "%s%d", first ? "" : ",", n);
			first = false;
		}
		fputs("]}", f);
	}
	fputs("],\"nodes\":[", f);
	first = true;
	cgt_nodemask_for_each(n, all) {
		int ti = cgt_topology_tier_of(t, n);

		fprintf(f, "%s{\"node\":%d,\"tier\":", first ? "" : ",", n);
		if (ti >= 0)
			fprintf(f, "%d", ti);
		else
			fputs("null", f);
		fprintf(f, ",\"memory\":%s,\"cpu\":%s}",
			cgt_nodemask_test(&t->mem_nodes, n) ? "true" : "false",
			cgt_nodemask_test(&t->cpu_nodes, n) ? "true" : "false");
		first = false;
	}
	fputs("]}\n", f);
}

int cgt_topology_report(const struct cgt_topology *t, FILE *f, bool json)
{
	struct cgt_nodemask all;

	if (!t || t->nr_tiers < 0 || t->nr_tiers > CGT_MAX_TIERS)
		return -EINVAL;
	topo_nodes(t, &all);
	if (json)
		topo_json(t, &all, f);
	else
		topo_text(t, &all, f);
	return ferror(f) ? -EIO : 0;
}
