// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-report.c - the report stage on plans made by cgt_decide() from
 * hand-written snapshots: the rows' numbers and states, the table (golden),
 * JSON (parsed back by a strict checker, with a path holding quotes, a
 * backslash, a newline, a control byte and invalid UTF-8), the Prometheus
 * text (every line checked, label escaping, unknown values left out), the
 * topology formatter, and bad arguments.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "cgtier/parse.h"
#include "cgtierd/decide.h"
#include "cgtierd/report.h"
#include "unit.h"
#include "unit-plan.h"

#define MiB (1024ULL * 1024)

/* quote, backslash, newline, \x01, an invalid byte, then a valid "é" */
#define NASTY "k/we\"ird\\na\nme\x01x\xff\xc3\xa9"

static const struct cgt_report_row *row(const struct cgt_report *r, const char *path)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->rows[i].path, path))
			return &r->rows[i];
	print_message("# no row for %s\n", path);
	fail();
	return NULL;
}

/* The output of @fmt on @r, NUL-terminated; free() it. */
static char *render(int (*fmt)(const struct cgt_report *, FILE *), const struct cgt_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fmt(r, f), 0);
	assert_int_equal(fclose(f), 0);
	if (getenv("CGTIER_DUMP")) /* to look at, or to renew a golden */
		print_message("%s", buf);
	return buf;
}

static void expect_text(const char *got, const char *want)
{
	if (strcmp(got, want)) {
		print_message("# got:\n%s# want:\n%s", got, want);
		fail();
	}
}

/* --- a strict JSON checker (RFC 8259, UTF-8) ------------------------------ */

static const char *j_value(const char *p, int depth);

static const char *j_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* One UTF-8 sequence at @p (strict); NULL if invalid. */
static const char *j_utf8(const char *p)
{
	const unsigned char *s = (const unsigned char *)p;
	unsigned cp, n, i;

	if (s[0] < 0x80)
		return p + 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 1, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 2, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 3, cp = s[0] & 0x07;
	else
		return NULL;
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return NULL;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return NULL;
	return p + n + 1;
}

static const char *j_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL; /* raw control bytes, NUL included */
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (cgt_hex_digit(p[i]) < 0)
						return NULL;
				p += 5;
			} else if (*p && strchr("\"\\/bfnrt", *p)) {
				p++;
			} else {
				return NULL;
			}
			continue;
		}
		p = j_utf8(p);
		if (!p)
			return NULL;
	}
	return p + 1;
}

static const char *j_number(const char *p)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return p;
}

static const char *j_members(const char *p, int depth, char close, bool keys)
{
	p = j_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (keys) {
			p = j_string(j_ws(p));
			if (!p)
				return NULL;
			p = j_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = j_value(p, depth + 1);
		if (!p)
			return NULL;
		p = j_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *j_value(const char *p, int depth)
{
	p = j_ws(p);
	if (depth > 32)
		return NULL;
	switch (*p) {
	case '{':
		return j_members(p, depth, '}', true);
	case '[':
		return j_members(p, depth, ']', false);
	case '"':
		return j_string(p);
	case 't':
		return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f':
		return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n':
		return strncmp(p, "null", 4) ? NULL : p + 4;
	default:
		return j_number(p);
	}
}

/* @s is one JSON object followed by a newline and nothing else. */
static void assert_json(const char *s)
{
	const char *end = j_value(s, 0);

	if (!end || s[0] != '{' || strcmp(end, "\n")) {
		print_message("# invalid JSON near: %.60s\n", end ? end : "(parse error)");
		print_message("# %s", s);
		fail();
	}
}

/* --- a Prometheus text format 0.0.4 checker ------------------------------- */

static bool metric_name(const char **p)
{
	const char *s = *p;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' || *s == ':'))
		return false;
	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
	       *s == '_' || *s == ':')
		s++;
	*p = s;
	return true;
}

/* label="value" pairs up to '}'; values only with \\ \" \n escapes. */
static bool labels(const char **p)
{
	const char *s = *p + 1;

	while (*s != '}') {
		if (!metric_name(&s) || *s++ != '=' || *s++ != '"')
			return false;
		while (*s != '"') {
			if (!*s || *s == '\n')
				return false;
			if (*s == '\\') {
				s++;
				if (*s != '\\' && *s != '"' && *s != 'n')
					return false;
			}
			s++;
		}
		s++;
		if (*s == ',')
			s++;
		else if (*s != '}')
			return false;
	}
	*p = s + 1;
	return true;
}

static bool prom_value(const char *s)
{
	char *end;

	if (!strcmp(s, "+Inf"))
		return true;
	strtod(s, &end);
	return end != s && *end == '\0';
}

/*
 * Every line is "# HELP name text", "# TYPE name gauge|counter" or a sample
 * of a family whose TYPE came before it; names start with cgtierd_; a
 * counter's samples end in _total.  Returns the number of samples.
 */
static size_t assert_prometheus(const char *text)
{
	char *copy = strdup(text), *save = NULL, *line;
	char type_name[128] = "", type[16] = "";
	size_t samples = 0;

	assert_non_null(copy);
	assert_true(text[0] && text[strlen(text) - 1] == '\n');
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *p = line;

		if (!strncmp(line, "# HELP ", 7)) {
			p += 7;
			assert_true(metric_name(&p) && *p == ' ');
			continue;
		}
		if (!strncmp(line, "# TYPE ", 7)) {
			p += 7;
			assert_true(metric_name(&p));
			assert_true(p - line - 7 < (long)sizeof(type_name));
			snprintf(type_name, sizeof(type_name), "%.*s", (int)(p - line - 7), line + 7);
			assert_true(!strcmp(p, " gauge") || !strcmp(p, " counter"));
			snprintf(type, sizeof(type), "%s", p + 1);
			assert_int_equal(strncmp(type_name, "cgtierd_", 8), 0);
			continue;
		}
		if (!metric_name(&p)) {
			print_message("# bad line: %s\n", line);
			fail();
		}
		if (strlen(type_name) != (size_t)(p - line) || strncmp(line, type_name, strlen(type_name))) {
			print_message("# sample without its TYPE: %s\n", line);
			fail();
		}
		if (!strcmp(type, "counter"))
			assert_non_null(strstr(type_name, "_total"));
		if (*p == '{' && !labels(&p)) {
			print_message("# bad labels: %s\n", line);
			fail();
		}
		assert_true(*p == ' ');
		assert_true(prom_value(p + 1));
		samples++;
	}
	free(copy);
	return samples;
}

/* --- the cases ------------------------------------------------------------ */

#define GLOBAL "global: {reserve: 0, period: 1s}\n"

/* The rows' numbers: sizes, hot bytes known and not, shares, counters. */
static void test_rows(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n"
		"  - {name: all, match: {cgroups: '*'}, fast_quota: 400Mi, hot_in_fast: 90%}\n");
	struct cgt_report_counter counters[] = {
		{ .path = "a", .promoted = 5 * MiB, .demoted = 7 * MiB },
		{ .path = "zz", .promoted = 1, .demoted = 1 },
	};
	struct cgt_report_extra x = {
		.backend = "memory.tier", .version = "test", .period_usec = 1000000,
		.last_period_usec = 12345678, .act_errors = 2,
		.counters = counters, .n_counters = 2,
	};
	struct cgt_snapshot s;
	struct cgt_plan p;
	struct cgt_report r;
	const struct cgt_report_row *w;

	snap_init(&s, 1024, 524);
	hot(cg(&s, "a", 200, 100), 100, 50);
	cg(&s, "b", 300, 100);
	s.stats.walked = 7;
	s.stats.errors = 1;
	assert_int_equal(cgt_decide(&s, cfg, NULL, &p), 0);
	assert_int_equal(cgt_report_build(&s, &p, &x, &r), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.backend, "memory.tier");
	assert_string_equal(r.version, "test");
	assert_true(r.capacity == 1024 * MiB && r.budget == p.budget && r.granted == p.granted);
	assert_int_equal(r.walked, 7);
	assert_int_equal(r.errors, 1);
	assert_int_equal(r.act_errors, 2);
	assert_int_equal(r.cgroups, 2);
	assert_int_equal(r.nr_tiers, 2);
	assert_int_equal(r.tiers[1].id, 67);

	w = row(&r, "a");
	assert_string_equal(w->policy, "all");
	assert_int_equal(w->mode, CGT_MODE_ENFORCE);
	assert_true(w->fast == 200 * MiB && w->slow == 100 * MiB);
	assert_true(w->hot_known && w->hot == 150 * MiB && w->hot_fast == 100 * MiB);
	assert_true(w->hot_in_fast_known);
	assert_int_equal(w->hot_in_fast, 6666); /* 100 of 150, rounded down */
	assert_int_equal(w->target_pct, 9000);
	assert_true(w->target == 400 * MiB && w->limit == 400 * MiB);
	assert_true(w->promote == 50 * MiB && w->demote == 0);
	assert_true(w->promoted == 5 * MiB && w->demoted == 7 * MiB);
	assert_int_equal(w->state, CGT_STATE_NEW);

	w = row(&r, "b");
	assert_false(w->hot_known);
	assert_false(w->hot_in_fast_known);
	assert_true(w->promoted == 0 && w->demoted == 0);
	assert_int_equal(w->flags, CGT_ACT_SET_LIMIT | CGT_ACT_NEW);

	/* a copy: valid after the plan and the snapshot are gone */
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	assert_string_equal(r.rows[1].path, "b");
	cgt_report_clear(&r);
	assert_int_equal(r.n, 0);
	cgt_report_clear(&r);
	cgt_report_clear(NULL);
	cgt_config_free(cfg);
}

/* Hot bytes known but 0: the share is unknown, not 0% or 100%. */
static void test_no_hot_bytes(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n  - {name: p, match: {cgroups: '*'}}\n");
	struct cgt_snapshot s;
	struct cgt_plan p;
	struct cgt_report r;

	snap_init(&s, 1024, 512);
	hot(cg(&s, "a", 10, 10), 0, 0);
	assert_int_equal(cgt_decide(&s, cfg, NULL, &p), 0);
	assert_int_equal(cgt_report_build(&s, &p, NULL, &r), 0);
	assert_true(r.rows[0].hot_known);
	assert_false(r.rows[0].hot_in_fast_known);
	assert_string_equal(r.backend, "unknown");
	assert_string_equal(r.version, PACKAGE_VERSION);
	cgt_report_clear(&r);
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

static enum cgt_report_state state_of(const struct cgt_snapshot *s,
				      const struct cgt_config *cfg,
				      const struct cgt_decide_state *prev, const char *path,
				      struct cgt_decide_state *next)
{
	struct cgt_plan p;
	struct cgt_report r;
	enum cgt_report_state st;

	assert_int_equal(cgt_decide(s, cfg, prev, &p), 0);
	assert_int_equal(cgt_report_build(s, &p, NULL, &r), 0);
	st = row(&r, path)->state;
	if (next)
		cgt_plan_take_state(&p, next);
	cgt_report_clear(&r);
	cgt_plan_clear(&p);
	return st;
}

/* Every state word, from real plans. */
static void test_states(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n"
		"  - {name: obs, match: {cgroups: 'obs'}, mode: observe, fast_quota: 10Mi}\n"
		"  - {name: slow, match: {cgroups: 'slow'}, fast_quota: 100Mi, demote_rate: 50Mi/s}\n"
		"  - {name: cut, match: {cgroups: 'cut'}, fast_quota: 100Mi, demote_rate: max}\n"
		"  - {name: all, match: {cgroups: '*'}, demote_rate: max}\n");
	struct cgt_decide_state st = { 0 }, st2 = { 0 };
	struct cgt_snapshot s;

	snap_init(&s, 2000, 0);
	cg(&s, "a", 500, 500);
	cg(&s, "b", 500, 500);
	cg(&s, "cut", 300, 0);
	cg(&s, "obs", 300, 0);
	cg(&s, "slow", 300, 0);
	assert_int_equal(state_of(&s, cfg, NULL, "obs", NULL), CGT_STATE_OBSERVE);
	assert_int_equal(state_of(&s, cfg, NULL, "slow", NULL), CGT_STATE_RATE_LIMITED);
	assert_int_equal(state_of(&s, cfg, NULL, "cut", NULL), CGT_STATE_OVER_QUOTA);
	assert_int_equal(state_of(&s, cfg, NULL, "a", &st), CGT_STATE_NEW);
	/* the same numbers again: ok */
	assert_int_equal(state_of(&s, cfg, &st, "a", NULL), CGT_STATE_OK);
	cgt_decide_state_clear(&st);
	cgt_snapshot_clear(&s);

	/* held: test-decide's identity case */
	snap_init(&s, 1000, 0);
	cg(&s, "a", 500, 500)->mono = 1000;
	cg(&s, "b", 500, 500);
	assert_int_equal(state_of(&s, cfg, NULL, "a", &st2), CGT_STATE_NEW);
	s.cgroups[1].resident[1] = 510 * MiB;
	assert_int_equal(state_of(&s, cfg, &st2, "a", NULL), CGT_STATE_HELD);
	cgt_decide_state_clear(&st2);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);

	for (int i = 0; i < _CGT_STATE_MAX; i++)
		assert_non_null(cgt_report_state_name((enum cgt_report_state)i));
	assert_null(cgt_report_state_name(_CGT_STATE_MAX));
	assert_null(cgt_report_state_name(_CGT_STATE_INVALID));
}

/* The report of test_table and the others: three units, one of each kind. */
static void sample(struct cgt_report *r)
{
	struct cgt_config *cfg = config("global: {reserve: 2%, period: 10s}\n"
		"policies:\n"
		"  - {name: web, match: {cgroups: 'k/**'}, hot_in_fast: 95%, fast_quota: 300Mi}\n"
		"  - {name: batch, match: {cgroups: '*'}, mode: observe, fast_quota: 100Mi}\n");
	struct cgt_report_counter counters[] = {
		{ .path = "k/" "a", .promoted = 3 * 1024 * MiB + 512 * MiB, .demoted = 1536 },
		{ .path = NASTY, .promoted = 4096, .demoted = 0 },
	};
	struct cgt_report_extra x = {
		.backend = "memory.tier", .version = "0.1.0", .period_usec = 10000000,
		.last_period_usec = 98765432101ULL, .periods = 42, .counters = counters, .n_counters = 2,
	};
	struct cgt_snapshot s;
	struct cgt_plan p;

	snap_init(&s, 1024, 200);
	hot(cg(&s, "k/a", 250, 1000), 200, 12);
	cg(&s, NASTY, 123, 4);
	cg(&s, "batch", 300, 0);
	cgt_snapshot_sort(&s);
	assert_true(cgt_snap_path_cmp(counters[0].path, counters[1].path) < 0);
	assert_int_equal(cgt_decide(&s, cfg, NULL, &p), 0);
	assert_int_equal(p.n, 3);
	assert_int_equal(cgt_report_build(&s, &p, &x, r), 0);
	/* a limit of "max" (the kernel's default, before the first write) */
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->rows[i].path, "k/a"))
			r->rows[i].limit = UINT64_MAX;
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

static void test_table(void **state)
{
	struct cgt_report r;
	char *out;

	sample(&r);
	out = render(cgt_report_table, &r);
	expect_text(out,
		"cgtierd 0.1.0, backend memory.tier, period 10s, last period at 98765.432s (monotonic)\n"
		"fast tier: capacity 1Gi, reserve 20.4Mi, budget 852.5Mi, granted 700Mi\n"
		"cgroups: 0 walked, 3 units, 0 uncovered, 0 nested, 0 errors\n"
		"\n"
		"POLICY  MODE      FAST    SLOW    HOT  HOT-FAST  TARGET%  TARGET  LIMIT  PROMOTED  DEMOTED  STATE    CGROUP\n"
		"batch   observe  300Mi       0      -         -    95.0%   100Mi  100Mi         0        0  observe  /batch\n"
		"web     enforce  250Mi  1000Mi  212Mi     94.3%    95.0%   300Mi    max     3.5Gi    1.5Ki  new      /k/a\n"
		"web     enforce  123Mi     4Mi      -         -    95.0%   300Mi  300Mi       4Ki        0  new      "
		"/k/we\"ird\\\\na\\x0ame\\x01x\\xff\xc3\xa9\n");
	free(out);
	cgt_report_clear(&r);
}

/* JSON: valid, strings escaped, unknowns null, "max" as a string. */
static void test_json(void **state)
{
	struct cgt_report r;
	char *out;

	sample(&r);
	out = render(cgt_report_json, &r);
	assert_json(out);
	assert_non_null(strstr(out, "\"cgroup\":\"k/we\\\"ird\\\\na\\nme\\u0001x\\ufffd\xc3\xa9\""));
	assert_non_null(strstr(out, "\"hot\":null,\"hot_fast\":null,\"hot_in_fast_pct\":null"));
	assert_non_null(strstr(out, "\"hot\":222298112,\"hot_fast\":209715200,"
				    "\"hot_in_fast_pct\":94.33,\"target_pct\":95.00"));
	assert_non_null(strstr(out, "\"limit\":\"max\""));
	assert_non_null(strstr(out, "\"state\":\"observe\",\"flags\":[\"dry\","));
	assert_non_null(strstr(out, "\"version\":\"0.1.0\",\"backend\":\"memory.tier\","
				    "\"period_usec\":10000000,\"last_period_usec\":98765432101,"
				    "\"periods\":42,"));
	free(out);
	cgt_report_clear(&r);
}

/* The checker itself refuses what it should. */
static void test_json_checker(void **state)
{
	static const char *const bad[] = {
		"{\"a\":\"\x01\"}\n", "{\"a\":\"\xff\"}\n", "{\"a\":\"\xc0\xaf\"}\n",
		"{\"a\":\"\xed\xa0\x80\"}\n", "{\"a\":\"\\x\"}\n", "{\"a\":01}\n", "{\"a\":1,}\n",
		"{\"a\":\"b\n\"}\n",
	};
	const char *end;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		end = j_value(bad[i], 0);
		assert_true(!end || strcmp(end, "\n"));
	}
	end = j_value("{\"a\":[1,2.5,true,null,\"\\u00e9\xc3\xa9\"],\"b\":{}}\n", 0);
	assert_non_null(end);
	assert_string_equal(end, "\n");
}

/* Prometheus: every line well-formed, labels escaped, unknown values left out. */
static void test_prometheus(void **state)
{
	struct cgt_report r;
	char *out;

	sample(&r);
	out = render(cgt_report_prometheus, &r);
	assert_true(assert_prometheus(out) > 30);
	/* the path: backslash, quote and newline escaped; invalid UTF-8 as U+FFFD */
	assert_non_null(strstr(out, "cgtierd_cgroup_fast_bytes{cgroup=\"k/we\\\"ird\\\\na\\nme"
				    "\x01x\xef\xbf\xbd\xc3\xa9\",policy=\"web\"} 128974848\n"));
	/* hot bytes: only k/a's */
	assert_non_null(strstr(out, "cgtierd_cgroup_hot_bytes{cgroup=\"k/a\",policy=\"web\"} "
				    "222298112\n"));
	assert_null(strstr(out, "cgtierd_cgroup_hot_bytes{cgroup=\"batch\""));
	assert_null(strstr(out, "cgtierd_cgroup_hot_in_fast_ratio{cgroup=\"batch\""));
	assert_non_null(strstr(out, "cgtierd_cgroup_hot_in_fast_ratio{cgroup=\"k/a\","
				    "policy=\"web\"} 0.9433\n"));
	assert_non_null(strstr(out, "# TYPE cgtierd_cgroup_promoted_bytes_total counter\n"));
	assert_non_null(strstr(out, "cgtierd_cgroup_promoted_bytes_total{cgroup=\"k/a\","
				    "policy=\"web\"} 3758096384\n"));
	assert_non_null(strstr(out, "# TYPE cgtierd_cgroup_fast_bytes gauge\n"));
	assert_non_null(strstr(out, "cgtierd_cgroup_limit_bytes{cgroup=\"k/a\",policy=\"web\"} +Inf\n"));
	assert_non_null(strstr(out, "cgtierd_cgroup_state{cgroup=\"batch\",policy=\"batch\","
				    "mode=\"observe\",state=\"observe\"} 1\n"));
	assert_non_null(strstr(out, "cgtierd_info{version=\"0.1.0\",backend=\"memory.tier\"} 1\n"));
	assert_non_null(strstr(out, "cgtierd_period_seconds 10\n"));
	assert_non_null(strstr(out, "cgtierd_periods_total 42\n"));
	assert_non_null(strstr(out, "cgtierd_last_period_monotonic_seconds 98765.432101\n"));
	assert_non_null(strstr(out, "cgtierd_tier_total_bytes{index=\"0\",id=\"4\"} 1073741824\n"));
	free(out);
	cgt_report_clear(&r);
}

/* No units: the table says so, the JSON has an empty list, metrics are valid. */
static void test_empty(void **state)
{
	struct cgt_config *cfg = config(GLOBAL "policies: []\n");
	struct cgt_snapshot s;
	struct cgt_plan p;
	struct cgt_report r;
	char *out;

	snap_init(&s, 1024, 512);
	cg(&s, "a", 10, 10);
	assert_int_equal(cgt_decide(&s, cfg, NULL, &p), 0);
	assert_int_equal(cgt_report_build(&s, &p, NULL, &r), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.uncovered, 1);
	out = render(cgt_report_table, &r);
	assert_non_null(strstr(out, "\n\nno cgroup is covered by a policy\n"));
	free(out);
	out = render(cgt_report_json, &r);
	assert_json(out);
	assert_non_null(strstr(out, "\"units\":[]}"));
	free(out);
	out = render(cgt_report_prometheus, &r);
	assert_prometheus(out);
	assert_null(strstr(out, "last_period"));
	free(out);
	cgt_report_clear(&r);
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_config_free(cfg);
}

/* Bad arguments: -EINVAL, *out untouched. */
static void test_build_errors(void **state)
{
	struct cgt_config *cfg = config(GLOBAL
		"policies:\n  - {name: p, match: {cgroups: '*'}}\n");
	struct cgt_report_counter unsorted[] = { { .path = "b" }, { .path = "a" } };
	struct cgt_report_extra x = { .counters = unsorted, .n_counters = 2 };
	struct cgt_snapshot s, other;
	struct cgt_plan p;
	struct cgt_report r = { .n = 42 };

	snap_init(&s, 1024, 512);
	cg(&s, "a", 10, 10);
	cg(&s, "b", 10, 10);
	snap_init(&other, 1024, 512);
	cg(&other, "c", 10, 10);
	assert_int_equal(cgt_decide(&s, cfg, NULL, &p), 0);
	assert_int_equal(cgt_report_build(NULL, &p, NULL, &r), -EINVAL);
	assert_int_equal(cgt_report_build(&s, NULL, NULL, &r), -EINVAL);
	assert_int_equal(cgt_report_build(&s, &p, NULL, NULL), -EINVAL);
	assert_int_equal(cgt_report_build(&s, &p, &x, &r), -EINVAL);
	assert_int_equal(cgt_report_build(&other, &p, NULL, &r), -EINVAL);
	assert_int_equal(r.n, 42);
	cgt_plan_clear(&p);
	cgt_snapshot_clear(&s);
	cgt_snapshot_clear(&other);
	cgt_config_free(cfg);
}

static void topo(struct cgt_topology *t)
{
	memset(t, 0, sizeof(*t));
	t->nr_tiers = 2;
	t->from_kernel = true;
	t->tiers[0].id = 4;
	t->tiers[1].id = 67;
	assert_int_equal(cgt_nodemask_parse("0", &t->tiers[0].nodes), 0);
	assert_int_equal(cgt_nodemask_parse("1-2", &t->tiers[1].nodes), 0);
	assert_int_equal(cgt_nodemask_parse("0-2", &t->mem_nodes), 0);
	assert_int_equal(cgt_nodemask_parse("0,3", &t->cpu_nodes), 0);
}

static char *render_topo(const struct cgt_topology *t, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(cgt_topology_report(t, f, json), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_topology(void **state)
{
	struct cgt_topology t;
	char *out;

	topo(&t);
	out = render_topo(&t, false);
	expect_text(out,
		"2 memory tiers, from the kernel's memory_tiering\n"
		"  tier 0  memory_tier4     nodes 0\n"
		"  tier 1  memory_tier67    nodes 1-2\n"
		"nodes:\n"
		"  node 0    memory_tier4     memory cpu\n"
		"  node 1    memory_tier67    memory\n"
		"  node 2    memory_tier67    memory\n"
		"  node 3    -                no-memory cpu\n");
	free(out);
	out = render_topo(&t, true);
	assert_json(out);
	expect_text(out,
		"{\"from_kernel\":true,\"tiers\":[{\"index\":0,\"id\":4,\"name\":\"memory_tier4\","
		"\"nodes\":[0]},{\"index\":1,\"id\":67,\"name\":\"memory_tier67\",\"nodes\":[1,2]}],"
		"\"nodes\":[{\"node\":0,\"tier\":0,\"memory\":true,\"cpu\":true},"
		"{\"node\":1,\"tier\":1,\"memory\":true,\"cpu\":false},"
		"{\"node\":2,\"tier\":1,\"memory\":true,\"cpu\":false},"
		"{\"node\":3,\"tier\":null,\"memory\":false,\"cpu\":true}]}\n");
	free(out);
	/* a kernel without memory tiering: one synthesised tier */
	t.nr_tiers = 1;
	t.from_kernel = false;
	t.tiers[0].id = -1;
	out = render_topo(&t, false);
	assert_non_null(strstr(out, "1 memory tier, synthesised"));
	assert_non_null(strstr(out, "  tier 0  tier0            nodes 0\n"));
	free(out);
	t.nr_tiers = CGT_MAX_TIERS + 1;
	assert_int_equal(cgt_topology_report(&t, stdout, false), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_no_hot_bytes),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_checker),
		cmocka_unit_test(test_prometheus),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_build_errors),
		cmocka_unit_test(test_topology),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
