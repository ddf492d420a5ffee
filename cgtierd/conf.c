// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * conf.c - cgtierd.yaml loader: libyaml events checked against a schema
 * table as they come, with limits on every input-controlled resource.
 *
 * Events, not libyaml's document loader: aliases and anchors are refused
 * before anything is expanded, depth and node counts are checked per event,
 * and nothing but the final struct is built.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "cgtierd/conf.h"
#include "cgtierd/glob.h"
#include "cgtierd/k8s.h"
#include "cgtierd/netaddr.h"

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

/* Should match enum cgt_mode */
static const char *const mode_names[] = { "enforce", "observe", NULL };
/* Should match enum cgt_backend */
static const char *const backend_names[] = { "auto", "memory.tier", "stock", NULL };
/* Should match enum cgt_match_level */
static const char *const level_names[] = { "container", "pod", NULL };
/* Indexed by syslog priority; NULL where cgtierd has no level */
static const char *const log_level_names[] = {
	NULL, NULL, NULL, "err", "warning", "notice", "info", "debug", NULL,
};

const char *cgt_mode_name(enum cgt_mode m)
{
	return (unsigned)m < _CGT_MODE_MAX ? mode_names[m] : "invalid";
}

const char *cgt_backend_name(enum cgt_backend b)
{
	return (unsigned)b < _CGT_BACKEND_MAX ? backend_names[b] : "invalid";
}

const char *cgt_level_name(enum cgt_match_level l)
{
	return (unsigned)l < _CGT_LEVEL_MAX ? level_names[l] : "invalid";
}

const char *cgt_log_level_name(enum cgt_log_level l)
{
	if ((unsigned)l < ELEMENTSOF(log_level_names) && log_level_names[l])
		return log_level_names[l];
	return "invalid";
}

const char *cgt_format_amount(const struct cgt_amount *a, char *buf, size_t len)
{
	switch (a->kind) {
	case CGT_AMOUNT_PERCENT:
		return cgt_format_percent((uint32_t)a->value, buf, len);
	case CGT_AMOUNT_MAX:
		snprintf(buf, len, "max");
		return buf;
	case CGT_AMOUNT_BYTES:
	default:
		return cgt_format_size(a->value, buf, len);
	}
}

void cgt_global_defaults(struct cgt_global *g)
{
	memset(g, 0, sizeof(*g));
	g->period_usec = CGT_DEFAULT_PERIOD_USEC;
	snprintf(g->cgroup_root, sizeof(g->cgroup_root), "%s", CGT_DEFAULT_CGROUP_ROOT);
	g->reserve.kind = CGT_AMOUNT_PERCENT;
	g->reserve.value = CGT_DEFAULT_RESERVE_PERMYRIAD;
	g->backend = CGT_BACKEND_AUTO;
	g->metrics[0] = '\0';
	snprintf(g->socket, sizeof(g->socket), "%s", CGT_DEFAULT_SOCKET);
	g->log_level = CGT_LOG_INFO;
}

void cgt_policy_defaults(struct cgt_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->hot_age_usec = CGT_DEFAULT_HOT_AGE_USEC;
	p->hot_hits = 1;
	p->hot_in_fast = CGT_DEFAULT_HOT_IN_FAST;
	p->fast_quota.kind = CGT_AMOUNT_MAX;
	p->fast_min.kind = CGT_AMOUNT_BYTES;
	p->priority = CGT_DEFAULT_PRIORITY;
	p->promote_rate = CGT_DEFAULT_RATE;
	p->demote_rate = CGT_DEFAULT_RATE;
	p->mode = CGT_MODE_ENFORCE;
	p->match.level = CGT_LEVEL_CONTAINER;
}

struct cgt_config *cgt_config_new(void)
{
	struct cgt_config *c = calloc(1, sizeof(*c));

	if (c)
		cgt_global_defaults(&c->global);
	return c;
}

static void strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void match_free(struct cgt_match *m)
{
	strv_free(m->cgroups, m->n_cgroups);
	strv_free(m->pod_uids, m->n_pod_uids);
	strv_free(m->container_ids, m->n_container_ids);
}

struct cgt_config *cgt_config_free(struct cgt_config *c)
{
	size_t i;

	if (!c)
		return NULL;
	for (i = 0; i < c->n_policies; i++)
		match_free(&c->policies[i].match);
	free(c->policies);
	strv_free(c->files, c->n_files);
	free(c);
	return NULL;
}

static int strv_push(char ***v, size_t *n, const char *s)
{
	char **nv;
	char *d = strdup(s);

	if (!d)
		return -ENOMEM;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv) {
		free(d);
		return -ENOMEM;
	}
	nv[(*n)++] = d;
	*v = nv;
	return 0;
}

/* ---- the event reader ---------------------------------------------------- */

struct parse {
	yaml_parser_t yp;
	yaml_event_t ev;
	bool have_ev;
	struct cgt_config *cfg;
	const char *file;
	const char *buf;
	size_t len;
	struct cgt_diag *diag;
	bool is_main;
	unsigned depth;
	size_t nodes;
	size_t first_policy; /* this file's first index in cfg->policies */
	bool stop;           /* a syntax error or a limit: read no further */
	int err;             /* first error */
	char key[512];       /* key path of the current node */
	size_t keylen;
};

/* @s quoted for a message: printable ASCII kept, the rest escaped, cut at 48. */
static const char *quote(const char *s, char *buf, size_t len)
{
	size_t o = 0, i;

	for (i = 0; s[i] && o + 8 < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == 48) {
			o += (size_t)snprintf(buf + o, len - o, "...");
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
	}
	buf[o] = '\0';
	return buf;
}

static void fail(struct parse *p, int err)
{
	if (!p->err)
		p->err = err;
	if (err == -ENOMEM)
		p->stop = true;
}

static void perr(struct parse *p, yaml_mark_t m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void perr(struct parse *p, yaml_mark_t m, const char *fmt, ...)
{
	char msg[CGT_DIAG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->keylen)
		cgt_diag_add(p->diag, "%s:%zu:%zu: %s (%s)", p->file, m.line + 1, m.column + 1,
			     msg, p->key);
	else
		cgt_diag_add(p->diag, "%s:%zu:%zu: %s", p->file, m.line + 1, m.column + 1, msg);
	fail(p, -EINVAL);
	/* the list is full: nothing more would be shown */
	if (cgt_diag_count(p->diag) >= CGT_DIAG_MAX)
		p->stop = true;
}

static void oom(struct parse *p)
{
	cgt_diag_add(p->diag, "%s: out of memory", p->file);
	fail(p, -ENOMEM);
}

static size_t key_push(struct parse *p, const char *k)
{
	size_t old = p->keylen;
	int n = snprintf(p->key + old, sizeof(p->key) - old, "%s%s", old ? "." : "", k);

	if (n > 0)
		p->keylen = old + (size_t)n < sizeof(p->key) ? old + (size_t)n : sizeof(p->key) - 1;
	return old;
}

static size_t key_push_index(struct parse *p, size_t i)
{
	size_t old = p->keylen;
	int n = snprintf(p->key + old, sizeof(p->key) - old, "[%zu]", i);

	if (n > 0)
		p->keylen = old + (size_t)n < sizeof(p->key) ? old + (size_t)n : sizeof(p->key) - 1;
	return old;
}

static void key_pop(struct parse *p, size_t old)
{
	p->keylen = old;
	p->key[old] = '\0';
}

/* Line and column (0-based, as libyaml counts them) of byte @off. */
static yaml_mark_t mark_at(const char *buf, size_t len, size_t off)
{
	yaml_mark_t m = { 0, 0, 0 };
	size_t i;

	for (i = 0; i < off && i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '\n' || (c == '\r' && (i + 1 >= len || buf[i + 1] != '\n'))) {
			m.line++;
			m.column = 0;
		} else if ((c & 0xc0) != 0x80 && c != '\r') {
			m.column++;
		}
	}
	m.index = off;
	return m;
}

static void syntax_error(struct parse *p)
{
	yaml_parser_t *y = &p->yp;
	yaml_mark_t m = y->problem_mark;
	const char *problem = y->problem ? y->problem : "syntax error";

	if (y->error == YAML_MEMORY_ERROR) {
		oom(p);
		return;
	}
	if (y->error == YAML_READER_ERROR)
		m = mark_at(p->buf, p->len, y->problem_offset);
	if (y->context)
		cgt_diag_add(p->diag, "%s:%zu:%zu: %s (%s at %zu:%zu)", p->file, m.line + 1,
			     m.column + 1, problem, y->context, y->context_mark.line + 1,
			     y->context_mark.column + 1);
	else
		cgt_diag_add(p->diag, "%s:%zu:%zu: %s", p->file, m.line + 1, m.column + 1,
			     problem);
	fail(p, -EINVAL);
}

static const char *node_kind(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_MAPPING_START_EVENT:
		return "a mapping";
	case YAML_SEQUENCE_START_EVENT:
		return "a list";
	case YAML_SCALAR_EVENT:
		return "a scalar";
	default:
		return "something else";
	}
}

/* Check a node's anchor and tag, and count it. */
static void check_node(struct parse *p, const yaml_char_t *anchor, const yaml_char_t *tag)
{
	yaml_mark_t m = p->ev.start_mark;

	if (anchor) {
		perr(p, m, "anchors and aliases are not allowed");
		p->stop = true;
	} else if (tag) {
		perr(p, m, "tags are not allowed");
		p->stop = true;
	} else if (++p->nodes > CGT_CONF_MAX_NODES) {
		perr(p, m, "more than %d nodes in one file", CGT_CONF_MAX_NODES);
		p->stop = true;
	}
}

/* Advance to the next event. -EINVAL when reading must stop. */
static int next(struct parse *p)
{
	yaml_event_t *ev = &p->ev;

	if (p->have_ev) {
		yaml_event_delete(ev);
		p->have_ev = false;
	}
	if (p->stop)
		return -EINVAL;
	if (!yaml_parser_parse(&p->yp, ev)) {
		syntax_error(p);
		p->stop = true;
		return -EINVAL;
	}
	p->have_ev = true;
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		perr(p, ev->start_mark, "anchors and aliases are not allowed");
		p->stop = true;
		break;
	case YAML_SCALAR_EVENT:
		check_node(p, ev->data.scalar.anchor, ev->data.scalar.tag);
		if (!p->stop && ev->data.scalar.length > CGT_CONF_MAX_SCALAR) {
			perr(p, ev->start_mark, "value longer than %d bytes", CGT_CONF_MAX_SCALAR);
			p->stop = true;
		}
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (ev->type == YAML_SEQUENCE_START_EVENT)
			check_node(p, ev->data.sequence_start.anchor, ev->data.sequence_start.tag);
		else
			check_node(p, ev->data.mapping_start.anchor, ev->data.mapping_start.tag);
		if (!p->stop && ++p->depth > CGT_CONF_MAX_DEPTH) {
			perr(p, ev->start_mark, "nested deeper than %d levels", CGT_CONF_MAX_DEPTH);
			p->stop = true;
		}
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		p->depth--;
		break;
	default:
		break;
	}
	return p->stop ? -EINVAL : 0;
}

/* The current event starts a node: consume the rest of it. */
static void skip_node(struct parse *p)
{
	unsigned d = p->depth;

	if (p->ev.type != YAML_SEQUENCE_START_EVENT && p->ev.type != YAML_MAPPING_START_EVENT)
		return;
	while (next(p) == 0) {
		if ((p->ev.type == YAML_SEQUENCE_END_EVENT || p->ev.type == YAML_MAPPING_END_EVENT) &&
		    p->depth < d)
			return;
	}
}

static bool is_null(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;

	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	       strcmp(s, "NULL") == 0;
}

/* The current node as a scalar's text, or NULL after reporting and skipping it. */
static const char *scalar(struct parse *p, const char *what)
{
	if (p->ev.type != YAML_SCALAR_EVENT) {
		perr(p, p->ev.start_mark, "expected %s, got %s", what, node_kind(&p->ev));
		skip_node(p);
		return NULL;
	}
	if (is_null(&p->ev)) {
		perr(p, p->ev.start_mark, "missing value: expected %s", what);
		return NULL;
	}
	return (const char *)p->ev.data.scalar.value;
}

/* ---- the schema ----------------------------------------------------------- */

struct field;
typedef void (*field_fn)(struct parse *p, const struct field *f, void *obj);

struct field {
	const char *name;
	field_fn parse;
	size_t offset;
	uint64_t min, max;
	const char *const *names; /* enum values, NULL-terminated */
};

#define DST(f, obj, type) ((type *)(void *)((char *)(obj) + (f)->offset))

/*
 * The current event is a mapping start: parse its keys with @fields into
 * @obj.  *@seen gets a bit per key found; @marks (ELEMENTSOF(fields)
 * entries) where each was.
 */
static void parse_map(struct parse *p, const struct field *fields, size_t nf, void *obj,
		      uint64_t *seen, yaml_mark_t *marks)
{
	char kbuf[64], qbuf[128];

	if (p->ev.type != YAML_MAPPING_START_EVENT) {
		perr(p, p->ev.start_mark, "expected a mapping, got %s", node_kind(&p->ev));
		skip_node(p);
		return;
	}
	while (next(p) == 0 && p->ev.type != YAML_MAPPING_END_EVENT) {
		yaml_mark_t m = p->ev.start_mark;
		const char *k;
		size_t i, old;

		if (p->ev.type != YAML_SCALAR_EVENT || is_null(&p->ev)) {
			perr(p, m, "keys must be non-empty scalars");
			skip_node(p);
			if (next(p) < 0)
				return;
			skip_node(p);
			continue;
		}
		k = (const char *)p->ev.data.scalar.value;
		for (i = 0; i < nf; i++)
			if (strcmp(k, fields[i].name) == 0)
				break;
		quote(k, kbuf, sizeof(kbuf));
		old = key_push(p, kbuf);
		if (i == nf) {
			char valid[512];
			size_t j, o = 0;

			for (j = 0; j < nf && o < sizeof(valid); j++)
				o += (size_t)snprintf(valid + o, sizeof(valid) - o, "%s%s",
						      j ? ", " : "", fields[j].name);
			perr(p, m, "unknown key '%s'; valid keys: %s", quote(k, qbuf, sizeof(qbuf)),
			     valid);
		} else if (*seen & (1ULL << i)) {
			perr(p, m, "duplicate key '%s', first at %zu:%zu", fields[i].name,
			     marks[i].line + 1, marks[i].column + 1);
		}
		if (i == nf || (*seen & (1ULL << i))) {
			if (next(p) == 0)
				skip_node(p);
			key_pop(p, old);
			continue;
		}
		*seen |= 1ULL << i;
		marks[i] = m;
		if (next(p) == 0)
			fields[i].parse(p, &fields[i], obj);
		key_pop(p, old);
	}
}

/*
 * A list: a sequence of scalars, or one scalar for a one-entry list.  @item
 * is called for each entry with its text.
 */
typedef void (*item_fn)(struct parse *p, const char *s, void *obj);

static void parse_list(struct parse *p, const char *what, item_fn item, void *obj)
{
	yaml_mark_t start = p->ev.start_mark;
	size_t i = 0;

	if (p->ev.type == YAML_SCALAR_EVENT) {
		const char *s = scalar(p, what);

		if (s)
			item(p, s, obj);
		return;
	}
	if (p->ev.type != YAML_SEQUENCE_START_EVENT) {
		perr(p, start, "expected a list of %s, got %s", what, node_kind(&p->ev));
		skip_node(p);
		return;
	}
	while (next(p) == 0 && p->ev.type != YAML_SEQUENCE_END_EVENT) {
		size_t old = key_push_index(p, i);

		if (i == CGT_CONF_MAX_LIST) {
			perr(p, p->ev.start_mark, "more than %d entries", CGT_CONF_MAX_LIST);
			skip_node(p);
			key_pop(p, old);
			i++;
			continue;
		}
		if (i < CGT_CONF_MAX_LIST) {
			const char *s = scalar(p, what);

			if (s)
				item(p, s, obj);
		} else {
			skip_node(p);
		}
		key_pop(p, old);
		i++;
	}
	if (i == 0 && !p->stop)
		perr(p, start, "empty list: expected at least one %s", what);
}

static void f_duration(struct parse *p, const struct field *f, void *obj)
{
	const char *s = scalar(p, "a duration such as 500ms, 10s or 2m");
	char a[32], b[32], q[128];
	uint64_t v;
	int r;

	if (!s)
		return;
	r = cgt_parse_duration(s, &v);
	if (r == -EINVAL) {
		perr(p, p->ev.start_mark, "expected a duration such as 500ms, 10s or 2m, got '%s'",
		     quote(s, q, sizeof(q)));
	} else if (r < 0 || v < f->min || v > f->max) {
		perr(p, p->ev.start_mark, "%s must be between %s and %s, got '%s'", f->name,
		     cgt_format_duration(f->min, a, sizeof(a)),
		     cgt_format_duration(f->max, b, sizeof(b)), quote(s, q, sizeof(q)));
	} else {
		*DST(f, obj, uint64_t) = v;
	}
}

static void f_percent(struct parse *p, const struct field *f, void *obj)
{
	const char *s = scalar(p, "a percentage such as 95%");
	char q[128];
	uint32_t v;
	int r;

	if (!s)
		return;
	r = cgt_parse_percent(s, &v);
	if (r == -EINVAL)
		perr(p, p->ev.start_mark,
		     "expected a percentage with at most two decimals such as 95%% or 12.5%%, got '%s'",
		     quote(s, q, sizeof(q)));
	else if (r < 0)
		perr(p, p->ev.start_mark, "%s must be between 0%% and 100%%, got '%s'", f->name,
		     quote(s, q, sizeof(q)));
	else
		*DST(f, obj, uint32_t) = v;
}

/* A size, a percentage of the fast tier, or (if f->names) "max". f->max: largest percentage. */
static void f_amount(struct parse *p, const struct field *f, void *obj)
{
	bool max_ok = f->names != NULL;
	const char *what = max_ok ? "a size such as 8Gi, a percentage such as 30%, or max"
				  : "a size such as 8Gi or a percentage such as 30%";
	const char *s = scalar(p, what);
	struct cgt_amount a;
	char q[128], b[32];
	uint32_t pm;
	int r;

	if (!s)
		return;
	if (max_ok && strcmp(s, "max") == 0) {
		a.kind = CGT_AMOUNT_MAX;
		a.value = 0;
	} else if (strchr(s, '%')) {
		r = cgt_parse_percent(s, &pm);
		if (r == -ERANGE || (r == 0 && pm > f->max)) {
			perr(p, p->ev.start_mark, "%s must be between 0%% and %s, got '%s'", f->name,
			     cgt_format_percent((uint32_t)f->max, b, sizeof(b)),
			     quote(s, q, sizeof(q)));
			return;
		}
		if (r < 0)
			goto bad;
		a.kind = CGT_AMOUNT_PERCENT;
		a.value = pm;
	} else {
		r = cgt_parse_size(s, &a.value);
		if (r == -ERANGE) {
			perr(p, p->ev.start_mark, "%s: size '%s' is too large", f->name,
			     quote(s, q, sizeof(q)));
			return;
		}
		if (r < 0)
			goto bad;
		a.kind = CGT_AMOUNT_BYTES;
	}
	*DST(f, obj, struct cgt_amount) = a;
	return;
bad:
	perr(p, p->ev.start_mark, "expected %s, got '%s'", what, quote(s, q, sizeof(q)));
}

static void f_rate(struct parse *p, const struct field *f, void *obj)
{
	const char *s = scalar(p, "a rate such as 256Mi/s, or max");
	char q[128];
	uint64_t v;
	int r;

	if (!s)
		return;
	r = cgt_parse_rate(s, &v);
	if (r == -ERANGE)
		perr(p, p->ev.start_mark, "%s: rate '%s' is too large (use max for no limit)",
		     f->name, quote(s, q, sizeof(q)));
	else if (r < 0)
		perr(p, p->ev.start_mark, "expected a rate such as 256Mi/s, or max, got '%s'",
		     quote(s, q, sizeof(q)));
	else
		*DST(f, obj, uint64_t) = v;
}

static void f_u32(struct parse *p, const struct field *f, void *obj)
{
	const char *s = scalar(p, "an integer");
	char q[128];
	uint64_t v;
	int r;

	if (!s)
		return;
	r = cgt_conf_parse_u64(s, &v);
	if (r == -EINVAL)
		perr(p, p->ev.start_mark, "expected an integer from %" PRIu64 " to %" PRIu64
		     ", got '%s'", f->min, f->max, quote(s, q, sizeof(q)));
	else if (r < 0 || v < f->min || v > f->max)
		perr(p, p->ev.start_mark, "%s must be between %" PRIu64 " and %" PRIu64
		     ", got '%s'", f->name, f->min, f->max, quote(s, q, sizeof(q)));
	else
		*DST(f, obj, uint32_t) = (uint32_t)v;
}

static void f_enum(struct parse *p, const struct field *f, void *obj)
{
	char valid[256], q[128];
	const char *s;
	size_t i, o = 0;

	for (i = 0; f->names[i] && o < sizeof(valid); i++)
		o += (size_t)snprintf(valid + o, sizeof(valid) - o, "%s%s", i ? ", " : "",
				      f->names[i]);
	s = scalar(p, "a keyword");
	if (!s)
		return;
	for (i = 0; f->names[i]; i++) {
		if (f->names[i][0] && strcmp(s, f->names[i]) == 0) {
			*DST(f, obj, int) = (int)i + (int)f->min;
			return;
		}
	}
	perr(p, p->ev.start_mark, "expected one of %s; got '%s'", valid, quote(s, q, sizeof(q)));
}

/* Absolute path without ".", ".." or empty components; f->max is the buffer size. */
static bool check_abs_path(struct parse *p, const char *s, size_t size, const char *what)
{
	const char *c;
	char q[128];

	if (s[0] != '/') {
		perr(p, p->ev.start_mark, "%s must be an absolute path, got '%s'", what,
		     quote(s, q, sizeof(q)));
		return false;
	}
	if (strlen(s) >= size) {
		perr(p, p->ev.start_mark, "%s is longer than %zu bytes", what, size - 1);
		return false;
	}
	for (c = s + 1; *c;) {
		size_t l = strcspn(c, "/");

		if ((l == 0 && c[l]) || (l == 1 && c[0] == '.') ||
		    (l == 2 && c[0] == '.' && c[1] == '.')) {
			perr(p, p->ev.start_mark,
			     "%s must not have '.', '..' or empty components, got '%s'", what,
			     quote(s, q, sizeof(q)));
			return false;
		}
		c += l;
		if (*c)
			c++;
	}
	return true;
}

static void f_path(struct parse *p, const struct field *f, void *obj)
{
	const char *s = scalar(p, "an absolute path");
	char *dst = DST(f, obj, char);
	size_t l;

	if (!s || !check_abs_path(p, s, (size_t)f->max, f->name))
		return;
	l = strlen(s);
	while (l > 1 && s[l - 1] == '/')
		l--;
	memcpy(dst, s, l);
	dst[l] = '\0';
}

static void f_socket(struct parse *p, const struct field *f, void *obj)
{
	const char *s = scalar(p, "an absolute path, or off");

	if (!s)
		return;
	if (strcmp(s, "off") == 0) {
		DST(f, obj, char)[0] = '\0';
		return;
	}
	f_path(p, f, obj);
}

static void f_metrics(struct parse *p, const struct field *f, void *obj)
{
	const char *s = scalar(p, "off, or IP:PORT");
	struct cgt_netaddr a;
	const char *why;
	char q[128];

	if (!s)
		return;
	if (strcmp(s, "off") == 0) {
		DST(f, obj, char)[0] = '\0';
		return;
	}
	if (cgt_netaddr_parse(s, &a, &why) < 0) {
		perr(p, p->ev.start_mark,
		     "expected off, or an IP address and port such as 127.0.0.1:9464 or [::1]:9464, got '%s': %s",
		     quote(s, q, sizeof(q)), why);
		return;
	}
	snprintf(DST(f, obj, char), (size_t)f->max, "%s", s);
}

/* ---- global ---------------------------------------------------------------- */

static const char *const log_level_values[] = { "err", "warning", "notice", "info", "debug", NULL };

static const struct field global_fields[] = {
	{ "period", f_duration, offsetof(struct cgt_global, period_usec), CGT_PERIOD_MIN_USEC,
	  CGT_PERIOD_MAX_USEC, NULL },
	{ "sample", f_duration, offsetof(struct cgt_global, sample_usec), 0,
	  CGT_PERIOD_MAX_USEC, NULL },
	{ "cgroup_root", f_path, offsetof(struct cgt_global, cgroup_root), 0,
	  sizeof(((struct cgt_global *)0)->cgroup_root), NULL },
	{ "reserve", f_amount, offsetof(struct cgt_global, reserve), 0, CGT_RESERVE_MAX_PERMYRIAD,
	  NULL },
	{ "backend", f_enum, offsetof(struct cgt_global, backend), 0, 0, backend_names },
	{ "metrics", f_metrics, offsetof(struct cgt_global, metrics), 0,
	  sizeof(((struct cgt_global *)0)->metrics), NULL },
	{ "socket", f_socket, offsetof(struct cgt_global, socket), 0,
	  sizeof(((struct cgt_global *)0)->socket), NULL },
	/* min: the enum value of the first name */
	{ "log_level", f_enum, offsetof(struct cgt_global, log_level), CGT_LOG_ERR, 0,
	  log_level_values },
};

static void f_global(struct parse *p, const struct field *f, void *obj)
{
	yaml_mark_t marks[ELEMENTSOF(global_fields)];
	uint64_t seen = 0;

	if (!p->is_main) {
		perr(p, p->ev.start_mark,
		     "global settings are only allowed in the main file, not in a drop-in");
		skip_node(p);
		return;
	}
	parse_map(p, global_fields, ELEMENTSOF(global_fields), &p->cfg->global, &seen, marks);
	/* index 1: "sample", within the period it watches */
	if ((seen & 2) && p->cfg->global.sample_usec > p->cfg->global.period_usec) {
		char a[32], b[32];

		perr(p, marks[1],
		     "sample %s is longer than period %s: at most the whole period can be watched",
		     cgt_format_duration(p->cfg->global.sample_usec, a, sizeof(a)),
		     cgt_format_duration(p->cfg->global.period_usec, b, sizeof(b)));
	}
}

/* ---- policies -------------------------------------------------------------- */

static struct cgt_policy *cur_policy(struct parse *p)
{
	return &p->cfg->policies[p->cfg->n_policies - 1];
}

static void push_or_oom(struct parse *p, char ***v, size_t *n, const char *s)
{
	if (strv_push(v, n, s) < 0)
		oom(p);
}

static void i_glob(struct parse *p, const char *s, void *obj)
{
	struct cgt_match *m = obj;
	const char *why;
	char q[128];

	if (cgt_glob_check(s, &why) < 0)
		perr(p, p->ev.start_mark, "bad cgroup glob '%s': %s", quote(s, q, sizeof(q)), why);
	else
		push_or_oom(p, &m->cgroups, &m->n_cgroups, s);
}

static void i_qos(struct parse *p, const char *s, void *obj)
{
	struct cgt_match *m = obj;
	int q = cgt_k8s_qos_from_name(s);
	char b[128];

	if (q < 0)
		perr(p, p->ev.start_mark,
		     "expected a QoS class: guaranteed, burstable or besteffort; got '%s'",
		     quote(s, b, sizeof(b)));
	else
		m->qos_mask |= 1u << q;
}

static void i_pod_uid(struct parse *p, const char *s, void *obj)
{
	struct cgt_match *m = obj;
	char uid[CGT_K8S_UID_MAX + 1], q[128];

	if (cgt_k8s_normalize_uid(s, strlen(s), uid) < 0)
		perr(p, p->ev.start_mark,
		     "expected a pod UID (8-4-4-4-12 hex digits, or 32 for a static pod), got '%s'",
		     quote(s, q, sizeof(q)));
	else
		push_or_oom(p, &m->pod_uids, &m->n_pod_uids, uid);
}

static void i_container_id(struct parse *p, const char *s, void *obj)
{
	static const char *const schemes[] = { "containerd://", "cri-o://", "docker://" };
	struct cgt_match *m = obj;
	char id[CGT_K8S_ID_LEN + 1], q[128];
	const char *v = s;
	size_t i, l;

	/* as kubectl shows it in .status.containerStatuses[].containerID */
	for (i = 0; i < ELEMENTSOF(schemes); i++)
		if (strncmp(v, schemes[i], strlen(schemes[i])) == 0)
			v += strlen(schemes[i]);
	l = strlen(v);
	if (l < CGT_CONF_MIN_ID_PREFIX || l > CGT_K8S_ID_LEN)
		goto bad;
	for (i = 0; i < l; i++) {
		char c = v[i];

		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			goto bad;
		id[i] = c;
	}
	id[l] = '\0';
	push_or_oom(p, &m->container_ids, &m->n_container_ids, id);
	return;
bad:
	perr(p, p->ev.start_mark,
	     "expected a container id (%d to %d hex digits, optionally after containerd://, cri-o:// or docker://), got '%s'",
	     CGT_CONF_MIN_ID_PREFIX, CGT_K8S_ID_LEN, quote(s, q, sizeof(q)));
}

static void f_globs(struct parse *p, const struct field *f, void *obj)
{
	parse_list(p, "cgroup glob", i_glob, obj);
}

static void f_qos(struct parse *p, const struct field *f, void *obj)
{
	parse_list(p, "QoS class", i_qos, obj);
}

static void f_pod_uids(struct parse *p, const struct field *f, void *obj)
{
	parse_list(p, "pod UID", i_pod_uid, obj);
}

static void f_container_ids(struct parse *p, const struct field *f, void *obj)
{
	parse_list(p, "container id", i_container_id, obj);
}

static const struct field k8s_fields[] = {
	{ "qos", f_qos, 0, 0, 0, NULL },
	{ "pod_uid", f_pod_uids, 0, 0, 0, NULL },
	{ "container_id", f_container_ids, 0, 0, 0, NULL },
	{ "level", f_enum, offsetof(struct cgt_match, level), 0, 0, level_names },
};

static void f_kubernetes(struct parse *p, const struct field *f, void *obj)
{
	yaml_mark_t marks[ELEMENTSOF(k8s_fields)], start = p->ev.start_mark;
	struct cgt_match *m = obj;
	uint64_t seen = 0;

	if (p->ev.type != YAML_MAPPING_START_EVENT) {
		perr(p, start, "expected a mapping with qos, pod_uid, container_id or level, got %s",
		     node_kind(&p->ev));
		skip_node(p);
		return;
	}
	m->kubernetes = true;
	parse_map(p, k8s_fields, ELEMENTSOF(k8s_fields), m, &seen, marks);
	if (p->stop)
		return;
	if (!(seen & 7))
		perr(p, start,
		     "empty kubernetes selector: give qos, pod_uid or container_id (all three QoS classes select every pod)");
	else if ((seen & 4) && m->level == CGT_LEVEL_POD)
		perr(p, marks[2], "container_id selects containers; it cannot be used with level: pod");
}

static const struct field match_fields[] = {
	{ "cgroups", f_globs, 0, 0, 0, NULL },
	{ "kubernetes", f_kubernetes, 0, 0, 0, NULL },
};

static void f_match(struct parse *p, const struct field *f, void *obj)
{
	yaml_mark_t marks[ELEMENTSOF(match_fields)], start = p->ev.start_mark;
	struct cgt_policy *pol = obj;
	uint64_t seen = 0;

	if (p->ev.type != YAML_MAPPING_START_EVENT) {
		perr(p, start, "expected a mapping with cgroups or kubernetes, got %s",
		     node_kind(&p->ev));
		skip_node(p);
		return;
	}
	parse_map(p, match_fields, ELEMENTSOF(match_fields), &pol->match, &seen, marks);
	if (!p->stop && !seen)
		perr(p, start, "empty selector: give cgroups, kubernetes or both");
}

static bool valid_name(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (i == CGT_POLICY_NAME_MAX || !(alnum || (i && (c == '_' || c == '.' || c == '-'))))
			return false;
	}
	return i > 0;
}

static void f_name(struct parse *p, const struct field *f, void *obj)
{
	struct cgt_policy *pol = obj;
	const char *s = scalar(p, "a policy name");
	char q[128];
	size_t i;

	if (!s)
		return;
	if (!valid_name(s)) {
		perr(p, p->ev.start_mark,
		     "policy names have 1 to %d characters from A-Z a-z 0-9 _ . - and start with a letter or digit, got '%s'",
		     CGT_POLICY_NAME_MAX, quote(s, q, sizeof(q)));
		return;
	}
	for (i = 0; i + 1 < p->cfg->n_policies; i++) {
		const struct cgt_policy *o = &p->cfg->policies[i];

		if (strcmp(o->name, s) == 0) {
			perr(p, p->ev.start_mark, "duplicate policy name '%s', first defined at %s:%u:%u",
			     s, o->file, o->line, o->column);
			return;
		}
	}
	snprintf(pol->name, sizeof(pol->name), "%s", s);
}

/* f->names non-NULL: "max" allowed; f->max: largest percentage. */
static const char *const max_ok[] = { "max", NULL };

static const struct field policy_fields[] = {
	{ "name", f_name, 0, 0, 0, NULL },
	{ "match", f_match, 0, 0, 0, NULL },
	{ "hot_age", f_duration, offsetof(struct cgt_policy, hot_age_usec), CGT_HOT_AGE_MIN_USEC,
	  CGT_HOT_AGE_MAX_USEC, NULL },
	{ "hot_in_fast", f_percent, offsetof(struct cgt_policy, hot_in_fast), 0, 0, NULL },
	{ "fast_quota", f_amount, offsetof(struct cgt_policy, fast_quota), 0, CGT_PERMYRIAD_MAX,
	  max_ok },
	{ "fast_min", f_amount, offsetof(struct cgt_policy, fast_min), 0, CGT_PERMYRIAD_MAX, NULL },
	{ "priority", f_u32, offsetof(struct cgt_policy, priority), 0, CGT_PRIORITY_MAX, NULL },
	{ "promote_rate", f_rate, offsetof(struct cgt_policy, promote_rate), 0, 0, NULL },
	{ "demote_rate", f_rate, offsetof(struct cgt_policy, demote_rate), 0, 0, NULL },
	{ "mode", f_enum, offsetof(struct cgt_policy, mode), 0, 0, mode_names },
	{ "hot_hits", f_u32, offsetof(struct cgt_policy, hot_hits), 1, CGT_HOT_HITS_MAX, NULL },
};

static void parse_policy(struct parse *p)
{
	yaml_mark_t marks[ELEMENTSOF(policy_fields)], start = p->ev.start_mark;
	struct cgt_config *c = p->cfg;
	struct cgt_policy *pol, *np;
	uint64_t seen = 0;

	if (p->ev.type != YAML_MAPPING_START_EVENT) {
		perr(p, start, "expected a policy (a mapping with name, match, ...), got %s",
		     node_kind(&p->ev));
		skip_node(p);
		return;
	}
	if (c->n_policies == CGT_CONF_MAX_POLICIES) {
		perr(p, start, "more than %d policies", CGT_CONF_MAX_POLICIES);
		p->stop = true;
		return;
	}
	np = realloc(c->policies, (c->n_policies + 1) * sizeof(*np));
	if (!np) {
		oom(p);
		return;
	}
	c->policies = np;
	pol = &c->policies[c->n_policies++];
	cgt_policy_defaults(pol);
	pol->file = c->files[c->n_files - 1];
	pol->line = (unsigned)start.line + 1;
	pol->column = (unsigned)start.column + 1;
	parse_map(p, policy_fields, ELEMENTSOF(policy_fields), pol, &seen, marks);
	if (p->stop)
		return;
	pol = cur_policy(p);
	if (!(seen & 1))
		perr(p, start, "missing key 'name'");
	if (!(seen & 2))
		perr(p, start, "missing key 'match'");
	if (pol->fast_min.kind == pol->fast_quota.kind && pol->fast_min.value > pol->fast_quota.value) {
		char a[32], b[32];
		size_t old = key_push(p, "fast_min");

		perr(p, marks[5], "fast_min %s is larger than fast_quota %s",
		     cgt_format_amount(&pol->fast_min, a, sizeof(a)),
		     cgt_format_amount(&pol->fast_quota, b, sizeof(b)));
		key_pop(p, old);
	}
}

static void f_policies(struct parse *p, const struct field *f, void *obj)
{
	size_t i = 0;

	if (p->ev.type != YAML_SEQUENCE_START_EVENT) {
		perr(p, p->ev.start_mark, "expected a list of policies, got %s", node_kind(&p->ev));
		skip_node(p);
		return;
	}
	while (next(p) == 0 && p->ev.type != YAML_SEQUENCE_END_EVENT) {
		size_t old = key_push_index(p, i);

		parse_policy(p);
		i++;
		key_pop(p, old);
	}
}

static const struct field top_fields[] = {
	{ "global", f_global, 0, 0, 0, NULL },
	{ "policies", f_policies, 0, 0, 0, NULL },
};

/* ---- files ------------------------------------------------------------------ */

/* Length of the UTF-8 sequence at @s (at most @n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t l, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		l = 2;
	else if (c >= 0xe0 && c <= 0xef)
		l = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		l = 4;
	else
		return 0;
	if (n < l)
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f; /* no surrogates */
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < l; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return l;
}

/* The bytes before libyaml sees them: size, BOM, NUL, UTF-8. */
static int precheck(struct parse *p)
{
	const unsigned char *b = (const unsigned char *)p->buf;
	size_t i, l;

	if (p->len > CGT_CONF_MAX_FILE) {
		cgt_diag_add(p->diag, "%s: larger than %d bytes", p->file, CGT_CONF_MAX_FILE);
		return -EFBIG;
	}
	if (p->len >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf) {
		perr(p, mark_at(p->buf, p->len, 0),
		     "byte order mark not allowed: save the file as UTF-8 without BOM");
		return -EINVAL;
	}
	for (i = 0; i < p->len; i += l) {
		l = b[i] ? utf8_len(b + i, p->len - i) : 0;
		if (!l) {
			perr(p, mark_at(p->buf, p->len, i),
			     b[i] ? "invalid UTF-8" : "NUL bytes are not allowed");
			return -EINVAL;
		}
	}
	return 0;
}

#define EMPTY_CONFIG "empty config: no settings and no policies (write 'policies: []' for none)"

static void parse_document(struct parse *p)
{
	yaml_mark_t marks[ELEMENTSOF(top_fields)];
	uint64_t seen = 0;

	if (next(p) < 0 || next(p) < 0)
		return;
	if (p->ev.type == YAML_STREAM_END_EVENT) {
		perr(p, p->ev.start_mark, EMPTY_CONFIG);
		return;
	}
	if (next(p) < 0)
		return;
	if (p->ev.type == YAML_SCALAR_EVENT && is_null(&p->ev)) {
		perr(p, p->ev.start_mark, EMPTY_CONFIG);
	} else if (p->ev.type != YAML_MAPPING_START_EVENT) {
		perr(p, p->ev.start_mark, "the top level must be a mapping (global:, policies:), not %s",
		     node_kind(&p->ev));
		skip_node(p);
	} else {
		parse_map(p, top_fields, ELEMENTSOF(top_fields), NULL, &seen, marks);
	}
	if (next(p) < 0) /* document end */
		return;
	if (next(p) < 0)
		return;
	if (p->ev.type != YAML_STREAM_END_EVENT)
		perr(p, p->ev.start_mark, "multiple documents are not allowed");
}

int cgt_config_parse(struct cgt_config *c, const char *name, const char *buf, size_t len,
		     bool is_main, struct cgt_diag *diag)
{
	struct parse p;
	int r;

	if (!c || !name || (!buf && len))
		return -EINVAL;
	memset(&p, 0, sizeof(p));
	p.cfg = c;
	p.buf = buf ? buf : "";
	p.len = len;
	p.diag = diag;
	p.is_main = is_main;
	if (strv_push(&c->files, &c->n_files, name) < 0)
		return -ENOMEM;
	p.file = c->files[c->n_files - 1];
	p.first_policy = c->n_policies;
	r = precheck(&p);
	if (r < 0)
		return r;
	if (!yaml_parser_initialize(&p.yp))
		return -ENOMEM;
	yaml_parser_set_input_string(&p.yp, (const unsigned char *)p.buf, p.len);
	yaml_parser_set_encoding(&p.yp, YAML_UTF8_ENCODING);
	parse_document(&p);
	if (p.have_ev)
		yaml_event_delete(&p.ev);
	yaml_parser_delete(&p.yp);
	return p.err;
}

int cgt_config_finish(struct cgt_config *c, struct cgt_diag *diag)
{
	char a[32], b[32];
	int r = 0;
	size_t i;

	if (!c)
		return -EINVAL;
	/* no sample window: the whole period (longer ones were refused) */
	if (!c->global.sample_usec || c->global.sample_usec > c->global.period_usec)
		c->global.sample_usec = c->global.period_usec;
	for (i = 0; i < c->n_policies; i++) {
		const struct cgt_policy *pol = &c->policies[i];
		size_t first = i;

		/* a file's policies are consecutive: its index in that file */
		while (first > 0 && c->policies[first - 1].file == pol->file)
			first--;
		if (pol->hot_hits > 1 &&
		    pol->hot_hits * c->global.period_usec > pol->hot_age_usec) {
			cgt_diag_add(diag,
				     "%s:%u:%u: hot_hits %u needs a hot_age of at least %u periods of %s, not %s (policies[%zu].hot_hits)",
				     pol->file, pol->line, pol->column, pol->hot_hits,
				     pol->hot_hits,
				     cgt_format_duration(c->global.period_usec, b, sizeof(b)),
				     cgt_format_duration(pol->hot_age_usec, a, sizeof(a)),
				     i - first);
			r = -EINVAL;
		}
		if (pol->hot_age_usec < c->global.period_usec) {
			cgt_diag_add(diag,
				     "%s:%u:%u: hot_age %s is shorter than global.period %s: ages are measured once per period (policies[%zu].hot_age)",
				     pol->file, pol->line, pol->column,
				     cgt_format_duration(pol->hot_age_usec, a, sizeof(a)),
				     cgt_format_duration(c->global.period_usec, b, sizeof(b)),
				     i - first);
			r = -EINVAL;
		}
	}
	return r;
}

static int check_owner(const struct stat *st, uid_t trusted_uid, const char *display,
		       struct cgt_diag *diag)
{
	if (st->st_uid != 0 && st->st_uid != trusted_uid) {
		cgt_diag_add(diag, "%s: owned by uid %u, not by root: refusing it", display,
			     (unsigned)st->st_uid);
		return -EPERM;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		cgt_diag_add(diag, "%s: writable by group or others (mode %04o): refusing it",
			     display, (unsigned)(st->st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

int cgt_config_read_file(int dirfd, const char *path, const char *display, uid_t trusted_uid,
			 char **ret_buf, size_t *ret_len, struct cgt_diag *diag)
{
	size_t total = 0;
	struct stat st;
	char *buf = NULL;
	int fd, r;

	if (!path || !display || !ret_buf || !ret_len)
		return -EINVAL;
	fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		r = -errno;
		if (r == -ELOOP)
			cgt_diag_add(diag, "%s: a symbolic link: refusing to follow it", display);
		else
			cgt_diag_add(diag, "%s: cannot open: %s", display, strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		cgt_diag_add(diag, "%s: cannot stat: %s", display, strerror(-r));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		cgt_diag_add(diag, "%s: not a regular file", display);
		r = -EINVAL;
		goto out;
	}
	r = check_owner(&st, trusted_uid, display, diag);
	if (r < 0)
		goto out;
	if (st.st_size > CGT_CONF_MAX_FILE) {
		cgt_diag_add(diag, "%s: larger than %d bytes", display, CGT_CONF_MAX_FILE);
		r = -EFBIG;
		goto out;
	}
	/* one more byte than allowed, to see a file that grew since fstat */
	buf = malloc(CGT_CONF_MAX_FILE + 1);
	if (!buf) {
		r = -ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, buf + total, CGT_CONF_MAX_FILE + 1 - total);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			cgt_diag_add(diag, "%s: cannot read: %s", display, strerror(-r));
			goto out;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > CGT_CONF_MAX_FILE) {
			cgt_diag_add(diag, "%s: larger than %d bytes", display, CGT_CONF_MAX_FILE);
			r = -EFBIG;
			goto out;
		}
	}
	*ret_buf = buf;
	*ret_len = total;
	buf = NULL;
	r = 0;
out:
	free(buf);
	close(fd);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The drop-in names of directory @fd (*.yaml, not hidden), sorted. */
static int list_dropins(int fd, const char *display, char ***ret, size_t *ret_n,
			struct cgt_diag *diag)
{
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *d;
	int dfd, r = 0;

	dfd = dup(fd);
	if (dfd < 0)
		return -errno;
	d = fdopendir(dfd);
	if (!d) {
		r = -errno;
		close(dfd);
		return r;
	}
	while ((errno = 0, de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || l <= 5 || strcmp(de->d_name + l - 5, ".yaml") != 0)
			continue;
		if (n == CGT_CONF_MAX_DROPINS) {
			cgt_diag_add(diag, "%s: more than %d drop-ins", display, CGT_CONF_MAX_DROPINS);
			r = -E2BIG;
			break;
		}
		r = strv_push(&names, &n, de->d_name);
		if (r < 0)
			break;
	}
	if (!r && errno) {
		r = -errno;
		cgt_diag_add(diag, "%s: cannot read the directory: %s", display, strerror(-r));
	}
	closedir(d);
	if (r < 0) {
		strv_free(names, n);
		return r;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	*ret = names;
	*ret_n = n;
	return 0;
}

static int load_one(struct cgt_config *c, int dirfd, const char *path, const char *display,
		    bool is_main, uid_t trusted_uid, struct cgt_diag *diag)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	r = cgt_config_read_file(dirfd, path, display, trusted_uid, &buf, &len, diag);
	if (r < 0)
		return r;
	r = cgt_config_parse(c, display, buf, len, is_main, diag);
	free(buf);
	return r;
}

static int load_dir(struct cgt_config *c, const char *path, bool optional, uid_t trusted_uid,
		    struct cgt_diag *diag)
{
	char **names = NULL, display[CGT_CONF_PATH_MAX + 256];
	size_t n = 0, i, l = strlen(path);
	struct stat st;
	int fd, r, first = 0;

	while (l > 1 && path[l - 1] == '/')
		l--;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		if (r == -ENOENT && optional)
			return 0;
		cgt_diag_add(diag, "%s: cannot open the directory: %s", path,
			     r == -ELOOP ? "a symbolic link" : strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	r = check_owner(&st, trusted_uid, path, diag);
	if (r < 0)
		goto out;
	r = list_dropins(fd, path, &names, &n, diag);
	if (r < 0)
		goto out;
	for (i = 0; i < n; i++) {
		snprintf(display, sizeof(display), "%.*s/%s", (int)l, path, names[i]);
		r = load_one(c, fd, names[i], display, false, trusted_uid, diag);
		if (r < 0 && !first)
			first = r;
		if (r == -ENOMEM || cgt_diag_count(diag) >= CGT_DIAG_MAX)
			break;
	}
	r = first;
out:
	strv_free(names, n);
	close(fd);
	return r;
}

int cgt_config_load_paths(const char *const *paths, size_t n, bool optional_last_dir,
			  uid_t trusted_uid, struct cgt_config **ret, struct cgt_diag *diag)
{
	struct cgt_config *c;
	int r = 0, q;
	size_t i;

	if (!paths || n == 0 || !ret)
		return -EINVAL;
	c = cgt_config_new();
	if (!c)
		return -ENOMEM;
	for (i = 0; i < n && r != -ENOMEM; i++) {
		struct stat st;

		if (i > 0 && (fstatat(AT_FDCWD, paths[i], &st, AT_SYMLINK_NOFOLLOW) == 0 ?
				      S_ISDIR(st.st_mode) :
				      (errno == ENOENT && optional_last_dir && i == n - 1)))
			q = load_dir(c, paths[i], optional_last_dir && i == n - 1, trusted_uid, diag);
		else
			q = load_one(c, AT_FDCWD, paths[i], paths[i], i == 0, trusted_uid, diag);
		if (q < 0 && !r)
			r = q;
		if (cgt_diag_count(diag) >= CGT_DIAG_MAX)
			break;
	}
	/* cross-file checks report too, unless reading stopped early */
	if ((r == 0 || r == -EINVAL) && cgt_diag_count(diag) < CGT_DIAG_MAX) {
		q = cgt_config_finish(c, diag);
		if (q < 0 && !r)
			r = q;
	}
	if (r < 0) {
		cgt_config_free(c);
		return r;
	}
	*ret = c;
	return 0;
}

int cgt_config_load(const char *main_path, const char *dropin_dir, uid_t trusted_uid,
		    struct cgt_config **ret, struct cgt_diag *diag)
{
	const char *paths[2] = { main_path, dropin_dir };

	if (!main_path)
		return -EINVAL;
	return cgt_config_load_paths(paths, dropin_dir ? 2 : 1, dropin_dir != NULL, trusted_uid,
				     ret, diag);
}
