// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-conf.c - the cgtierd.yaml loader: every key, the compiled-in
 * defaults against policies/cgtierd.yaml, every bad-input row C1-C9 of the
 * reliability matrix, drop-in order and all-or-nothing loading.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgtierd/conf.h"
#include "unit.h"

/* Parse @yaml as one file (main or drop-in), then the cross-file checks. */
static int parse_str(const char *yaml, size_t len, bool is_main, struct cgt_config **ret,
		     struct cgt_diag *d)
{
	struct cgt_config *c = cgt_config_new();
	int r;

	assert_non_null(c);
	r = cgt_config_parse(c, "t.yaml", yaml, len, is_main, d);
	if (r == 0)
		r = cgt_config_finish(c, d);
	if (r < 0 || !ret)
		cgt_config_free(c);
	else
		*ret = c;
	return r;
}

static void dump(const struct cgt_diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		print_message("# %s\n", d->msg[i]);
}

/* Expect @yaml to be refused with -EINVAL and a message containing @want. */
static void expect_bad(const char *yaml, size_t len, const char *want)
{
	struct cgt_diag d;
	size_t i;
	int r;

	cgt_diag_init(&d);
	r = parse_str(yaml, len, true, NULL, &d);
	if (r != -EINVAL) {
		dump(&d);
		fail_msg("accepted (%d): %.60s", r, yaml);
	}
	for (i = 0; i < d.n; i++)
		if (strstr(d.msg[i], want))
			break;
	if (i == d.n) {
		dump(&d);
		fail_msg("no message with \"%s\"", want);
	}
	cgt_diag_clear(&d);
}

#define BAD(yaml, want) expect_bad(yaml, strlen(yaml), want)

static void assert_amount_equal(const struct cgt_amount *a, const struct cgt_amount *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_true(a->value == b->value);
}

/* Field by field: struct padding is not part of the value. */
static void assert_global_equal(const struct cgt_global *a, const struct cgt_global *b)
{
	assert_true(a->period_usec == b->period_usec);
	assert_string_equal(a->cgroup_root, b->cgroup_root);
	assert_amount_equal(&a->reserve, &b->reserve);
	assert_int_equal(a->backend, b->backend);
	assert_string_equal(a->metrics, b->metrics);
	assert_string_equal(a->socket, b->socket);
	assert_int_equal(a->log_level, b->log_level);
}

static void test_defaults(void **state)
{
	struct cgt_config *c = cgt_config_new();
	struct cgt_policy p;

	assert_non_null(c);
	assert_true(c->global.period_usec == 10 * CGT_USEC_PER_SEC);
	assert_string_equal(c->global.cgroup_root, "/sys/fs/cgroup");
	assert_int_equal(c->global.reserve.kind, CGT_AMOUNT_PERCENT);
	assert_int_equal(c->global.reserve.value, 200);
	assert_int_equal(c->global.backend, CGT_BACKEND_AUTO);
	assert_string_equal(c->global.metrics, "");
	assert_string_equal(c->global.socket, "/run/cgtierd/cgtierd.sock");
	assert_int_equal(c->global.log_level, CGT_LOG_INFO);
	assert_int_equal(c->n_policies, 0);
	cgt_config_free(c);
	cgt_policy_defaults(&p);
	assert_true(p.hot_age_usec == 120 * CGT_USEC_PER_SEC);
	assert_int_equal(p.hot_in_fast, 9500);
	assert_int_equal(p.fast_quota.kind, CGT_AMOUNT_MAX);
	assert_int_equal(p.fast_min.kind, CGT_AMOUNT_BYTES);
	assert_int_equal(p.fast_min.value, 0);
	assert_int_equal(p.priority, 100);
	assert_true(p.promote_rate == 256ULL << 20 && p.demote_rate == 256ULL << 20);
	assert_int_equal(p.mode, CGT_MODE_ENFORCE);
	assert_null(cgt_config_free(NULL));
}

static char *read_source(const char *rel, size_t *len)
{
	const char *src = getenv("CGTIER_SRCDIR");
	char path[4096];
	FILE *f;
	char *buf;

	snprintf(path, sizeof(path), "%s/%s", src ? src : ".", rel);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	buf = calloc(1, CGT_CONF_MAX_FILE + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, CGT_CONF_MAX_FILE, f);
	fclose(f);
	return buf;
}

/*
 * policies/cgtierd.yaml: as shipped it has no policies and the defaults;
 * with its commented YAML uncommented ('#' then a non-blank or two blanks)
 * it sets every key to the value the loader would use anyway.
 */
static void test_shipped_defaults(void **state)
{
	struct cgt_config *c = NULL, *d = cgt_config_new();
	struct cgt_policy def;
	struct cgt_diag diag;
	size_t len, i, o = 0;
	char *buf = read_source("policies/cgtierd.yaml", &len), *out;
	const struct cgt_policy *p;

	cgt_diag_init(&diag);
	assert_int_equal(parse_str(buf, len, true, &c, &diag), 0);
	assert_int_equal(c->n_policies, 0);
	assert_global_equal(&c->global, &d->global);
	cgt_config_free(c);

	out = calloc(1, len + 1);
	assert_non_null(out);
	for (i = 0; i < len; i++) {
		bool bol = i == 0 || buf[i - 1] == '\n';

		if (bol && buf[i] == '#' && i + 1 < len &&
		    ((buf[i + 1] != ' ' && buf[i + 1] != '\n' && buf[i + 1] != '#') ||
		     (i + 2 < len && buf[i + 1] == ' ' && buf[i + 2] == ' ')))
			continue;
		out[o++] = buf[i];
	}
	/* the uncommented example policy replaces the shipped empty list */
	{
		char *e = strstr(out, "\npolicies: []");

		assert_non_null(e);
		e[1] = '#';
	}
	c = NULL;
	if (parse_str(out, o, true, &c, &diag) != 0) {
		dump(&diag);
		fail_msg("uncommented policies/cgtierd.yaml does not load");
	}
	assert_global_equal(&c->global, &d->global);
	assert_int_equal(c->n_policies, 1);
	p = &c->policies[0];
	cgt_policy_defaults(&def);
	assert_string_equal(p->name, "example");
	assert_int_equal(p->match.n_cgroups, 1);
	assert_string_equal(p->match.cgroups[0], "**");
	assert_true(p->hot_age_usec == def.hot_age_usec);
	assert_int_equal(p->hot_in_fast, def.hot_in_fast);
	assert_amount_equal(&p->fast_quota, &def.fast_quota);
	assert_amount_equal(&p->fast_min, &def.fast_min);
	assert_int_equal(p->priority, def.priority);
	assert_true(p->promote_rate == def.promote_rate && p->demote_rate == def.demote_rate);
	assert_int_equal(p->mode, def.mode);
	cgt_config_free(c);
	cgt_config_free(d);
	free(out);
	free(buf);
	cgt_diag_clear(&diag);
}

static const char every_key[] =
	"global:\n"
	"  period: 500ms\n"
	"  cgroup_root: /mnt/cgroup2/\n"
	"  reserve: 1Gi\n"
	"  backend: memory.tier\n"
	"  metrics: \"[::1]:9464\"\n"
	"  socket: off\n"
	"  log_level: debug\n"
	"policies:\n"
	"  - name: web.front-1\n"
	"    match:\n"
	"      cgroups: [\"system.slice/nginx.service\", \"kubepods.slice/**\"]\n"
	"      kubernetes:\n"
	"        qos: [guaranteed, besteffort]\n"
	"        pod_uid: 0B9F4C2E_5D6A_4E1B_9A7C_3F2D1E0C9B8A\n"
	"        container_id: [\"containerd://3F5A9C1B2D4E\", cri-o://0123456789ab]\n"
	"    hot_age: 1m30s\n"
	"    hot_in_fast: 99.5%\n"
	"    fast_quota: 30%\n"
	"    fast_min: 12.25%\n"
	"    priority: 1000\n"
	"    promote_rate: 64Mi/s\n"
	"    demote_rate: max\n"
	"    mode: observe\n"
	"  - name: pods\n"
	"    match: {kubernetes: {pod_uid: [e0ad2fd9a6ff1a0c1b0d0a4d1d6d9e1b], level: pod}}\n"
	"    fast_quota: 8G\n"
	"    fast_min: 0\n"
	"    promote_rate: 0\n"
	"  - {name: '0', match: {cgroups: '**'}, fast_quota: max, priority: 0}\n";

static void test_every_key(void **state)
{
	struct cgt_config *c = NULL;
	struct cgt_diag d;
	const struct cgt_policy *p;

	cgt_diag_init(&d);
	if (parse_str(every_key, strlen(every_key), true, &c, &d) != 0) {
		dump(&d);
		fail();
	}
	assert_true(c->global.period_usec == 500 * CGT_USEC_PER_MSEC);
	assert_string_equal(c->global.cgroup_root, "/mnt/cgroup2");
	assert_int_equal(c->global.reserve.kind, CGT_AMOUNT_BYTES);
	assert_true(c->global.reserve.value == 1ULL << 30);
	assert_int_equal(c->global.backend, CGT_BACKEND_MEMORY_TIER);
	assert_string_equal(c->global.metrics, "[::1]:9464");
	assert_string_equal(c->global.socket, "");
	assert_int_equal(c->global.log_level, CGT_LOG_DEBUG);
	assert_int_equal(c->n_policies, 3);
	assert_int_equal(c->n_files, 1);

	p = &c->policies[0];
	assert_string_equal(p->name, "web.front-1");
	assert_string_equal(p->file, "t.yaml");
	assert_int_equal(p->line, 10);
	assert_int_equal(p->column, 5);
	assert_int_equal(p->match.n_cgroups, 2);
	assert_string_equal(p->match.cgroups[1], "kubepods.slice/**");
	assert_true(p->match.kubernetes);
	assert_int_equal(p->match.qos_mask, (1u << 1) | (1u << 3));
	assert_int_equal(p->match.n_pod_uids, 1);
	assert_string_equal(p->match.pod_uids[0], "0b9f4c2e-5d6a-4e1b-9a7c-3f2d1e0c9b8a");
	assert_int_equal(p->match.n_container_ids, 2);
	assert_string_equal(p->match.container_ids[0], "3f5a9c1b2d4e");
	assert_string_equal(p->match.container_ids[1], "0123456789ab");
	assert_int_equal(p->match.level, CGT_LEVEL_CONTAINER);
	assert_true(p->hot_age_usec == 90 * CGT_USEC_PER_SEC);
	assert_int_equal(p->hot_in_fast, 9950);
	assert_int_equal(p->fast_quota.kind, CGT_AMOUNT_PERCENT);
	assert_int_equal(p->fast_quota.value, 3000);
	assert_int_equal(p->fast_min.value, 1225);
	assert_int_equal(p->priority, 1000);
	assert_true(p->promote_rate == 64ULL << 20);
	assert_true(p->demote_rate == CGT_UNLIMITED);
	assert_int_equal(p->mode, CGT_MODE_OBSERVE);

	p = &c->policies[1];
	assert_int_equal(p->match.level, CGT_LEVEL_POD);
	assert_int_equal(p->match.qos_mask, 0);
	assert_int_equal(p->fast_quota.kind, CGT_AMOUNT_BYTES);
	assert_true(p->fast_quota.value == 8ULL << 30);
	assert_int_equal(p->promote_rate, 0);

	p = &c->policies[2];
	assert_string_equal(p->name, "0");
	assert_false(p->match.kubernetes);
	assert_int_equal(p->fast_quota.kind, CGT_AMOUNT_MAX);
	assert_int_equal(p->priority, 0);
	assert_int_equal(d.n, 0);
	cgt_config_free(c);
}

/* C1: syntax errors, with libyaml's 0-based marks shown 1-based. */
static void test_c1_syntax(void **state)
{
	BAD("policies:\n  - name: a\n\tmatch: {}\n",
	    "t.yaml:3:1: found a tab character that violates indentation (while scanning a plain scalar at 2:11)");
	BAD("policies: [a, b\n", "t.yaml:2:1: did not find expected ',' or ']' (while parsing a flow sequence at 1:11)");
	BAD("global:\n  period: 10s\n bad: 1\n", "t.yaml:3:2:");
	BAD("policies: {\n", "t.yaml:2:1:");
	BAD("\"unterminated\n", "t.yaml:2:1: found unexpected end of stream (while scanning a quoted scalar at 1:1)");
}

/* C2: unknown or misspelt keys, with key path and line:col. */
static void test_c2_unknown_keys(void **state)
{
	BAD("global:\n  dram_maxx: 1\n", "t.yaml:2:3: unknown key 'dram_maxx'; valid keys: period,");
	BAD("global:\n  dram_maxx: 1\n", "(global.dram_maxx)");
	BAD("polices: []\n", "t.yaml:1:1: unknown key 'polices'");
	BAD("policies:\n  - name: a\n    match: {cgroups: '**', pods: x}\n",
	    "unknown key 'pods'; valid keys: cgroups, kubernetes (policies[0].match.pods)");
	BAD("policies:\n  - {name: a, match: {kubernetes: {namespace: default}}}\n",
	    "(policies[0].match.kubernetes.namespace)");
	BAD("? [a, b]\n: c\n", "keys must be non-empty scalars");
	BAD("~: 1\n", "keys must be non-empty scalars");
}

/* C3: wrong types, out of range, empty selectors, duplicate names. */
static void test_c3_values(void **state)
{
	BAD("global: 5\n", "t.yaml:1:9: expected a mapping, got a scalar (global)");
	BAD("global:\n  period: [1s]\n", "expected a duration such as 500ms, 10s or 2m, got a list (global.period)");
	BAD("global:\n  period: 2h\n", "period must be between 100ms and 1h, got '2h'");
	BAD("global:\n  reserve: 51%\n", "reserve must be between 0% and 50%");
	BAD("global:\n  reserve: max\n", "expected a size such as 8Gi or a percentage such as 30%, got 'max'");
	BAD("global:\n  metrics: 127.0.0.1\n", "expected off, or an IP address and port");
	BAD("global:\n  metrics: 127.0.0.1:0\n", "expected off, or an IP address and port");
	BAD("global:\n  metrics: 127.0.0.1:65536\n", "expected off, or an IP address and port");
	BAD("global:\n  metrics: \"[::1]9464\"\n", "expected off, or an IP address and port");
	BAD("global:\n  socket: run/x.sock\n", "socket must be an absolute path");
	BAD("global:\n  socket: /run/cgtierd/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock\n",
	    "socket is longer than 107 bytes");
	BAD("global:\n  cgroup_root: /sys/fs/cgroup/../..\n", "must not have '.', '..' or empty components");
	BAD("global:\n  log_level: INFO\n", "expected one of err, warning, notice, info, debug; got 'INFO'");
	BAD("global:\n  backend: ''\n", "expected one of auto, memory.tier, stock; got ''");
	BAD("policies: {}\n", "expected a list of policies, got a mapping (policies)");
	BAD("policies:\n  - {name: a, match: {cgroups: '**'}, hot_in_fast: 110%}\n",
	    "hot_in_fast must be between 0% and 100%, got '110%' (policies[0].hot_in_fast)");
	BAD("policies:\n  - {name: a, match: {cgroups: '**'}, fast_quota: -1G}\n",
	    "got '-1G' (policies[0].fast_quota)");
	BAD("policies:\n  - {name: a, match: {cgroups: '**'}, fast_quota: 16777216Ti}\n",
	    "fast_quota: size '16777216Ti' is too large");
	BAD("policies:\n  - {name: a, match: {cgroups: '**'}, priority: -1}\n",
	    "expected an integer from 0 to 1000, got '-1'");
	BAD("policies:\n  - {name: a, match: {cgroups: '**'}, priority: 1e3}\n",
	    "expected an integer from 0 to 1000, got '1e3'");
	BAD("policies:\n  - {name: a, match: {cgroups: '**'}, hot_age: 500ms}\n",
	    "hot_age must be between 1s and 24h, got '500ms'");
	BAD("policies:\n  - {name: a, match: {cgroups: '**'}, hot_age: 5s}\n",
	    "t.yaml:2:5: hot_age 5s is shorter than global.period 10s: ages are measured once per period (policies[0].hot_age)");
	BAD("policies:\n  - {name: a, match: {cgroups: '**'}, hot_age: 20s, hot_hits: 3}\n",
	    "t.yaml:2:5: hot_hits 3 needs a hot_age of at least 3 periods of 10s, not 20s (policies[0].hot_hits)");
	BAD("policies:\n  - {name: a, match: {cgroups: '**'}, hot_hits: 9}\n",
	    "hot_hits must be between 1 and 8, got '9'");
	BAD("global: {sample: 2s, period: 1s}\n",
	    "t.yaml:1:10: sample 2s is longer than period 1s");
	BAD("policies:\n  - {name: a, match: {cgroups: '**'}, fast_quota: 1G, fast_min: 2G}\n",
	    "fast_min 2Gi is larger than fast_quota 1Gi (policies[0].fast_min)");
	BAD("policies:\n  - {name: a, match: {cgroups: '**'}, mode: true}\n",
	    "expected one of enforce, observe; got 'true'");
	BAD("policies:\n  - {name: a, match: {}}\n", "empty selector: give cgroups, kubernetes or both");
	BAD("policies:\n  - {name: a, match: {cgroups: []}}\n", "empty list: expected at least one cgroup glob");
	BAD("policies:\n  - {name: a, match: {kubernetes: {}}}\n", "empty kubernetes selector");
	BAD("policies:\n  - {name: a, match: {kubernetes: {qos: []}}}\n", "empty list: expected at least one QoS class");
	BAD("policies:\n  - {name: a, match: {kubernetes: {qos: gold}}}\n", "expected a QoS class");
	BAD("policies:\n  - {name: a, match: {kubernetes: {qos: [[burstable]]}}}\n",
	    "expected QoS class, got a list (policies[0].match.kubernetes.qos[0])");
	BAD("policies:\n  - {name: a, match: {kubernetes: {container_id: 0123456789a}}}\n", "expected a container id");
	BAD("policies:\n  - {name: a, match: {kubernetes: {container_id: 0123456789ab, level: pod}}}\n",
	    "container_id selects containers; it cannot be used with level: pod");
	BAD("policies:\n  - {name: a, match: {cgroups: /abs}}\n", "must be relative to the cgroup2 mount");
	BAD("policies:\n  - {name: a, match: x}\n", "expected a mapping with cgroups or kubernetes, got a scalar");
	BAD("policies:\n  - {match: {cgroups: '**'}}\n", "t.yaml:2:5: missing key 'name' (policies[0])");
	BAD("policies:\n  - {name: a}\n", "t.yaml:2:5: missing key 'match' (policies[0])");
	BAD("policies:\n  - {name: '', match: {cgroups: '**'}}\n", "policy names have 1 to 63 characters");
	BAD("policies:\n  - {name: a b, match: {cgroups: '**'}}\n", "policy names have 1 to 63 characters");
	BAD("policies:\n  - {name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, match: {cgroups: '**'}}\n",
	    "policy names have 1 to 63 characters");
	BAD("policies:\n  - {name: a, match: {cgroups: '**'}}\n  - {name: b, match: {cgroups: '**'}}\n"
	    "  - {name: a, match: {cgroups: '**'}}\n",
	    "t.yaml:4:12: duplicate policy name 'a', first defined at t.yaml:2:5 (policies[2].name)");
	BAD("policies:\n  - {name: a, match: {cgroups: '**'}, mode: }\n", "missing value: expected a keyword (policies[0].mode)");
	BAD("policies:\n  - {name: a, match: {cgroups: '**'}, priority: null}\n", "missing value: expected an integer");
}

/* C4: aliases and anchors, including a billion-laughs fan-out. */
static void test_c4_aliases(void **state)
{
	BAD("policies: &a [*a]\n", "t.yaml:1:11: anchors and aliases are not allowed (policies)");
	BAD("a: &a [lol, lol]\nb: [*a, *a, *a]\n", "anchors and aliases are not allowed");
	BAD("policies:\n  - *x\n", "t.yaml:2:5:");
	BAD("policies:\n  - &p {name: a, match: {cgroups: '**'}}\n  - {<<: *p, name: b}\n",
	    "anchors and aliases are not allowed");
}

/* C5: nesting 10^5 deep is refused at depth 33 without deep recursion. */
static void test_c5_depth(void **state)
{
	size_t n = 100000, i;
	char *buf = malloc(2 * n + 16);

	assert_non_null(buf);
	memcpy(buf, "policies: ", 10);
	for (i = 0; i < n; i++)
		buf[10 + i] = '[';
	for (i = 0; i < n; i++)
		buf[10 + n + i] = ']';
	expect_bad(buf, 10 + 2 * n, "nested deeper than 32 levels");
	for (i = 0; i < n; i++)
		buf[10 + i] = '{';
	buf[10 + n] = '\0';
	expect_bad(buf, 10 + n, "t.yaml:1:42: nested deeper than 32 levels");
	free(buf);
}

/* C6: file, scalar and count limits. */
static void test_c6_limits(void **state)
{
	size_t big = CGT_CONF_MAX_FILE + 1, i, o;
	char *buf = malloc(big + 1024);
	struct cgt_diag d;

	assert_non_null(buf);
	/* > 1 MiB */
	memset(buf, '#', big);
	cgt_diag_init(&d);
	assert_int_equal(parse_str(buf, big, true, NULL, &d), -EFBIG);
	assert_non_null(strstr(d.msg[0], "t.yaml: larger than 1048576 bytes"));
	cgt_diag_clear(&d);
	/* a scalar > 64 KiB */
	o = (size_t)sprintf(buf, "policies:\n  - name: ");
	memset(buf + o, 'a', CGT_CONF_MAX_SCALAR + 1);
	o += CGT_CONF_MAX_SCALAR + 1;
	expect_bad(buf, o, "t.yaml:2:11: value longer than 65536 bytes (policies[0].name)");
	/* as many list entries as fit in 1 MiB: the node limit */
	o = (size_t)sprintf(buf, "x: [");
	while (o + 3 < CGT_CONF_MAX_FILE) {
		buf[o++] = '0';
		buf[o++] = ',';
	}
	buf[o++] = ']';
	expect_bad(buf, o, "more than 65536 nodes in one file");
	/* 257 globs */
	o = (size_t)sprintf(buf, "policies:\n  - name: a\n    match:\n      cgroups:\n");
	for (i = 0; i < 257; i++)
		o += (size_t)sprintf(buf + o, "        - g%zu\n", i);
	expect_bad(buf, o, "more than 256 entries (policies[0].match.cgroups[256])");
	/* 1025 policies */
	o = (size_t)sprintf(buf, "policies:\n");
	for (i = 0; i < 1025; i++)
		o += (size_t)sprintf(buf + o, "  - {name: p%zu, match: {cgroups: x}}\n", i);
	expect_bad(buf, o, "t.yaml:1026:5: more than 1024 policies (policies[1024])");
	/* at most CGT_DIAG_MAX messages are kept, the rest counted */
	o = (size_t)sprintf(buf, "global:\n");
	for (i = 0; i < 100; i++)
		o += (size_t)sprintf(buf + o, "  k%zu: 1\n", i);
	cgt_diag_init(&d);
	assert_int_equal(parse_str(buf, o, true, NULL, &d), -EINVAL);
	assert_int_equal(d.n, CGT_DIAG_MAX);
	assert_int_equal(cgt_diag_count(&d), CGT_DIAG_MAX);
	cgt_diag_clear(&d);
	free(buf);
}

/* C7: duplicate keys at every level. */
static void test_c7_duplicates(void **state)
{
	BAD("policies: []\npolicies: []\n", "t.yaml:2:1: duplicate key 'policies', first at 1:1 (policies)");
	BAD("global:\n  period: 10s\n  period: 20s\n", "t.yaml:3:3: duplicate key 'period', first at 2:3 (global.period)");
	BAD("policies:\n  - {name: a, name: b, match: {cgroups: '**'}}\n", "duplicate key 'name'");
	BAD("policies:\n  - {name: a, match: {cgroups: '**', cgroups: x}}\n", "duplicate key 'cgroups'");
	BAD("policies:\n  - {name: a, match: {kubernetes: {qos: burstable, qos: besteffort}}}\n",
	    "duplicate key 'qos'");
	/* quoting does not make a different key */
	BAD("global:\n  period: 10s\n  'period': 20s\n", "duplicate key 'period'");
}

/* C8: encodings and document shapes. */
static void test_c8_bytes_and_documents(void **state)
{
	expect_bad("\xef\xbb\xbfpolicies: []\n", 16, "t.yaml:1:1: byte order mark not allowed");
	expect_bad("policies:\n  - name: a\0b\n", 22, "t.yaml:2:12: NUL bytes are not allowed");
	BAD("policies:\n  - name: caf\xe9\n", "t.yaml:2:14: invalid UTF-8");
	BAD("# \xc3\xa9\xc3\xa9\n\xc0\xaf\n", "t.yaml:2:1: invalid UTF-8"); /* overlong */
	BAD("a: \xed\xa0\x80\n", "t.yaml:1:4: invalid UTF-8");              /* surrogate */
	BAD("a: \xf4\x90\x80\x80\n", "t.yaml:1:4: invalid UTF-8");          /* > U+10FFFF */
	BAD("a: \xe2\x82\n", "t.yaml:1:4: invalid UTF-8");                  /* truncated */
	BAD("\xff\xfep\x00", "invalid UTF-8");                            /* UTF-16 */
	BAD("policies: []\n---\npolicies: []\n", "t.yaml:2:1: multiple documents are not allowed");
	BAD("---\n...\n---\n", "empty config");
	BAD("", "t.yaml:1:1: empty config");
	BAD("# only a comment\n", "empty config");
	BAD("---\n", "empty config");
	BAD("[policies]\n", "the top level must be a mapping");
	BAD("policies:\n  - name: !!str a\n", "t.yaml:2:11: tags are not allowed");
	BAD("policies: !custom []\n", "tags are not allowed");
	BAD("policies:\n  - name: \x01" "a\n", "control characters are not allowed");
	/* a UTF-8 name is fine for YAML but not for a policy name */
	BAD("policies:\n  - {name: caf\xc3\xa9, match: {cgroups: '**'}}\n", "policy names have");
}

/* A file inside the C9 test directory. */
static void write_file(const char *dir, const char *name, const char *text, mode_t mode)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

static char tmpdir[] = "/tmp/cgtier-conf-XXXXXX";

static const char good_main[] = "policies:\n  - {name: main, match: {cgroups: 'a/**'}}\n";

static int setup_dir(void **state)
{
	char path[4096];

	if (!mkdtemp(tmpdir))
		return -1;
	write_file(tmpdir, "main.yaml", good_main, 0644);
	snprintf(path, sizeof(path), "%s/policies.d", tmpdir);
	if (mkdir(path, 0755) < 0)
		return -1;
	write_file(path, "20-b.yaml", "policies:\n  - {name: b, match: {cgroups: b}}\n", 0644);
	write_file(path, "10-a.yaml", "policies:\n  - {name: a1, match: {cgroups: a}}\n"
				      "  - {name: a2, match: {cgroups: a}}\n", 0644);
	write_file(path, ".hidden.yaml", "junk: [\n", 0644);
	write_file(path, "notes.txt", "junk: [\n", 0644);
	write_file(path, "z.yaml~", "junk: [\n", 0644);
	write_file(path, "30-c.yml", "junk: [\n", 0644);
	return 0;
}

static int teardown_dir(void **state)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void path_in(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

/* Order: the main file, then *.yaml drop-ins by name; hidden and other files ignored. */
static void test_dropin_order(void **state)
{
	char mainp[4096], dir[4096];
	struct cgt_config *c = NULL;
	struct cgt_diag d;

	path_in(mainp, sizeof(mainp), "main.yaml");
	path_in(dir, sizeof(dir), "policies.d/");
	cgt_diag_init(&d);
	if (cgt_config_load(mainp, dir, geteuid(), &c, &d) != 0) {
		dump(&d);
		fail();
	}
	assert_int_equal(c->n_policies, 4);
	assert_string_equal(c->policies[0].name, "main");
	assert_string_equal(c->policies[1].name, "a1");
	assert_string_equal(c->policies[2].name, "a2");
	assert_string_equal(c->policies[3].name, "b");
	assert_int_equal(c->n_files, 3);
	assert_non_null(strstr(c->policies[3].file, "/policies.d/20-b.yaml"));
	assert_null(strstr(c->policies[3].file, "//"));
	cgt_config_free(c);
	/* a missing drop-in directory is fine for the daemon's load */
	path_in(dir, sizeof(dir), "nonexistent.d");
	c = NULL;
	assert_int_equal(cgt_config_load(mainp, dir, geteuid(), &c, &d), 0);
	assert_int_equal(c->n_policies, 1);
	cgt_config_free(c);
	/* but not when named explicitly */
	{
		const char *paths[] = { mainp, dir };

		c = NULL;
		assert_int_equal(cgt_config_load_paths(paths, 2, false, geteuid(), &c, &d), -ENOENT);
		assert_null(c);
	}
	cgt_diag_clear(&d);
}

/* All or nothing: one bad drop-in and the caller's config stays as it was. */
static void test_all_or_nothing(void **state)
{
	char mainp[4096], dir[4096], bad[4200];
	struct cgt_config *old = NULL, *c;
	struct cgt_diag d;

	path_in(mainp, sizeof(mainp), "main.yaml");
	path_in(dir, sizeof(dir), "policies.d");
	cgt_diag_init(&d);
	assert_int_equal(cgt_config_load(mainp, dir, geteuid(), &old, &d), 0);
	write_file(dir, "15-bad.yaml", "policies:\n  - {name: x, match: {cgroups: x}, mode: maybe}\n",
		   0644);
	c = old;
	assert_int_equal(cgt_config_load(mainp, dir, geteuid(), &c, &d), -EINVAL);
	assert_ptr_equal(c, old); /* the daemon keeps running with @old */
	if (d.n != 1 || !strstr(d.msg[0], "policies.d/15-bad.yaml:2:42"))
		dump(&d);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.msg[0], "policies.d/15-bad.yaml:2:42: expected one of enforce, observe"));
	assert_int_equal(old->n_policies, 4);
	snprintf(bad, sizeof(bad), "%s/15-bad.yaml", dir);
	assert_int_equal(unlink(bad), 0);
	cgt_config_free(old);
	cgt_diag_clear(&d);
}

/* C9: symlinks, owner and mode, file type, size. */
static void test_c9_file_checks(void **state)
{
	char p[4096], q[4096], *buf = NULL;
	struct cgt_diag d;
	size_t len = 0;
	int r;

	cgt_diag_init(&d);
	path_in(p, sizeof(p), "main.yaml");
	assert_int_equal(cgt_config_read_file(AT_FDCWD, p, "main.yaml", geteuid(), &buf, &len, &d), 0);
	assert_int_equal(len, strlen(good_main));
	free(buf);
	buf = NULL;

	/* a symbolic link, even to a good file */
	path_in(q, sizeof(q), "link.yaml");
	assert_int_equal(symlink(p, q), 0);
	assert_int_equal(cgt_config_read_file(AT_FDCWD, q, "link.yaml", geteuid(), &buf, &len, &d), -ELOOP);
	assert_null(buf);
	assert_string_equal(d.msg[d.n - 1], "link.yaml: a symbolic link: refusing to follow it");

	/* group- or world-writable */
	write_file(tmpdir, "ww.yaml", good_main, 0666);
	path_in(q, sizeof(q), "ww.yaml");
	assert_int_equal(cgt_config_read_file(AT_FDCWD, q, "ww.yaml", geteuid(), &buf, &len, &d), -EPERM);
	assert_string_equal(d.msg[d.n - 1], "ww.yaml: writable by group or others (mode 0666): refusing it");
	write_file(tmpdir, "gw.yaml", good_main, 0620);
	path_in(q, sizeof(q), "gw.yaml");
	assert_int_equal(cgt_config_read_file(AT_FDCWD, q, "gw.yaml", geteuid(), &buf, &len, &d), -EPERM);

	/* not owned by root or the trusted uid */
	write_file(tmpdir, "owned.yaml", good_main, 0644);
	path_in(q, sizeof(q), "owned.yaml");
	if (geteuid() == 0) {
		assert_int_equal(chown(q, 65534, 65534), 0);
		r = cgt_config_read_file(AT_FDCWD, q, "owned.yaml", 0, &buf, &len, &d);
		assert_int_equal(r, -EPERM);
		assert_string_equal(d.msg[d.n - 1], "owned.yaml: owned by uid 65534, not by root: refusing it");
		/* the same file is fine for a daemon running as 65534 */
		assert_int_equal(cgt_config_read_file(AT_FDCWD, q, "owned.yaml", 65534, &buf, &len, &d), 0);
		free(buf);
		buf = NULL;
	} else {
		r = cgt_config_read_file(AT_FDCWD, q, "owned.yaml", geteuid() + 1, &buf, &len, &d);
		assert_int_equal(r, -EPERM);
		assert_non_null(strstr(d.msg[d.n - 1], "not by root: refusing it"));
	}

	/* a FIFO (no writer: must not block), a directory, a missing file */
	path_in(q, sizeof(q), "fifo.yaml");
	assert_int_equal(mkfifo(q, 0644), 0);
	assert_int_equal(cgt_config_read_file(AT_FDCWD, q, "fifo.yaml", geteuid(), &buf, &len, &d), -EINVAL);
	assert_string_equal(d.msg[d.n - 1], "fifo.yaml: not a regular file");
	path_in(q, sizeof(q), "policies.d");
	assert_int_equal(cgt_config_read_file(AT_FDCWD, q, "policies.d", geteuid(), &buf, &len, &d), -EINVAL);
	path_in(q, sizeof(q), "missing.yaml");
	assert_int_equal(cgt_config_read_file(AT_FDCWD, q, "missing.yaml", geteuid(), &buf, &len, &d), -ENOENT);
	assert_string_equal(d.msg[d.n - 1], "missing.yaml: cannot open: No such file or directory");

	/* larger than 1 MiB */
	path_in(q, sizeof(q), "big.yaml");
	{
		int fd = open(q, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		assert_true(fd >= 0);
		assert_int_equal(ftruncate(fd, CGT_CONF_MAX_FILE + 1), 0);
		close(fd);
	}
	assert_int_equal(cgt_config_read_file(AT_FDCWD, q, "big.yaml", geteuid(), &buf, &len, &d), -EFBIG);
	assert_string_equal(d.msg[d.n - 1], "big.yaml: larger than 1048576 bytes");
	assert_null(buf);
	write_file(tmpdir, "main.yaml", good_main, 0644);

	/* a world-writable drop-in directory is refused as a whole */
	path_in(q, sizeof(q), "policies.d");
	assert_int_equal(chmod(q, 0777), 0);
	{
		struct cgt_config *c = NULL;

		assert_int_equal(cgt_config_load(p, q, geteuid(), &c, &d), -EPERM);
		assert_null(c);
		assert_non_null(strstr(d.msg[d.n - 1], "policies.d: writable by group or others (mode 0777)"));
	}
	assert_int_equal(chmod(q, 0755), 0);
	/* a symlink in the drop-in directory */
	path_in(q, sizeof(q), "policies.d/40-link.yaml");
	assert_int_equal(symlink(p, q), 0);
	{
		struct cgt_config *c = NULL;
		char dir[4096];

		path_in(dir, sizeof(dir), "policies.d");
		r = cgt_config_load(p, dir, geteuid(), &c, &d);
		if (r != -ELOOP)
			dump(&d);
		assert_int_equal(r, -ELOOP);
		assert_null(c);
	}
	assert_int_equal(unlink(q), 0);
	cgt_diag_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_shipped_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_c1_syntax),
		cmocka_unit_test(test_c2_unknown_keys),
		cmocka_unit_test(test_c3_values),
		cmocka_unit_test(test_c4_aliases),
		cmocka_unit_test(test_c5_depth),
		cmocka_unit_test(test_c6_limits),
		cmocka_unit_test(test_c7_duplicates),
		cmocka_unit_test(test_c8_bytes_and_documents),
		cmocka_unit_test(test_dropin_order),
		cmocka_unit_test(test_all_or_nothing),
		cmocka_unit_test(test_c9_file_checks),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
