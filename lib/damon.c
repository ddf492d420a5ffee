// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * damon.c - DAMON's sysfs interface (see damon.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgtier/damon.h"
#include "cgtier/parse.h"

#define KDAMONDS CGT_DAMON_ADMIN "/kdamonds"
#define KDAMOND CGT_DAMON_KDAMOND
#define CTX CGT_DAMON_CTX
#define SCHEME CGT_DAMON_SCHEME
#define BUSY_STEP_MS 20

void cgt_damon_init(struct cgt_damon *d, const struct cgt_fs *fs)
{
	d->fs = fs;
	d->failed[0] = '\0';
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int failed(struct cgt_damon *d, const char *rel, int err)
{
	snprintf(d->failed, sizeof(d->failed), "%s", rel);
	return err;
}

int cgt_damon_write(struct cgt_damon *d, const char *rel, const char *val)
{
	int tries = CGT_DAMON_BUSY_MS / BUSY_STEP_MS, r;

	while ((r = cgt_fs_write(d->fs, rel, val)) == -EBUSY && --tries > 0)
		sleep_ms(BUSY_STEP_MS);
	return r ? failed(d, rel, r) : 0;
}

int cgt_damon_write_u64(struct cgt_damon *d, const char *rel, uint64_t val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	return cgt_damon_write(d, rel, buf);
}

int cgt_damon_read(struct cgt_damon *d, const char *rel, char *buf,
		   size_t len)
{
	int tries = CGT_DAMON_BUSY_MS / BUSY_STEP_MS, r;

	while ((r = cgt_fs_read(d->fs, rel, buf, len)) == -EBUSY && --tries > 0)
		sleep_ms(BUSY_STEP_MS);
	return r < 0 ? failed(d, rel, r) : r;
}

static int read_u64(struct cgt_damon *d, const char *rel, uint64_t *ret)
{
	char buf[32];
	int r;

	r = cgt_damon_read(d, rel, buf, sizeof(buf));
	if (r < 0)
		return r;
	r = cgt_parse_u64(buf, ret);
	return r ? failed(d, rel, r) : 0;
}

int cgt_damon_available(struct cgt_damon *d)
{
	int r = cgt_fs_exists(d->fs, KDAMONDS "/nr_kdamonds");

	return r ? failed(d, KDAMONDS "/nr_kdamonds", r) : 0;
}

/* A list of (file, value) writes, stopping at the first failure. */
struct kv {
	const char *rel;
	const char *str; /* NULL: write num */
	uint64_t num;
};

static int write_all(struct cgt_damon *d, const struct kv *kv, size_t n)
{
	int r = 0;

	for (size_t i = 0; !r && i < n; i++)
		r = kv[i].str ? cgt_damon_write(d, kv[i].rel, kv[i].str) :
				cgt_damon_write_u64(d, kv[i].rel, kv[i].num);
	return r;
}

#define NR(a) (sizeof(a) / sizeof((a)[0]))

int cgt_damon_set_intervals(struct cgt_damon *d,
			    const struct cgt_damon_intervals *iv)
{
	const struct kv kv[] = {
		{ CTX "/monitoring_attrs/intervals/sample_us", NULL, iv->sample_us },
		{ CTX "/monitoring_attrs/intervals/aggr_us", NULL, iv->aggr_us },
		{ CTX "/monitoring_attrs/intervals/update_us", NULL, iv->update_us },
	};

	return write_all(d, kv, NR(kv));
}

int cgt_damon_setup(struct cgt_damon *d, const struct cgt_damon_setup *s)
{
	const struct kv head[] = {
		{ KDAMONDS "/nr_kdamonds", "1", 0 },
		{ KDAMOND "/contexts/nr_contexts", "1", 0 },
		{ CTX "/operations", s->operations, 0 },
	};
	/* ranges are stored as written and checked only at "on" */
	const struct kv tail[] = {
		{ CTX "/monitoring_attrs/nr_regions/max", NULL, s->max_nr_regions },
		{ CTX "/monitoring_attrs/nr_regions/min", NULL, s->min_nr_regions },
		{ CTX "/targets/nr_targets", "1", 0 },
		{ CTX "/targets/0/regions/nr_regions", "1", 0 },
		{ CTX "/targets/0/regions/0/start", NULL, s->start },
		{ CTX "/targets/0/regions/0/end", NULL, s->end },
		{ CTX "/schemes/nr_schemes", "1", 0 },
	};
	int r;

	if (!s->operations)
		return -EINVAL;
	r = write_all(d, head, NR(head));
	if (!r)
		r = cgt_damon_set_intervals(d, &s->intervals);
	if (!r)
		r = write_all(d, tail, NR(tail));
	return r;
}

int cgt_damon_set_scheme(struct cgt_damon *d, const struct cgt_damos_scheme *s)
{
	/* every range of a new scheme is 0..0: max first, so min <= max */
	const struct kv pattern[] = {
		{ SCHEME "/access_pattern/sz/max", NULL, s->max_sz },
		{ SCHEME "/access_pattern/sz/min", NULL, s->min_sz },
		{ SCHEME "/access_pattern/nr_accesses/max", NULL, s->max_nr_accesses },
		{ SCHEME "/access_pattern/nr_accesses/min", NULL, s->min_nr_accesses },
		{ SCHEME "/access_pattern/age/max", NULL, s->max_age },
		{ SCHEME "/access_pattern/age/min", NULL, s->min_age },
	};
	const struct kv filter[] = {
		{ SCHEME "/filters/nr_filters", "1", 0 },
		{ SCHEME "/filters/0/type", "memcg", 0 },
		{ SCHEME "/filters/0/memcg_path", s->memcg_path, 0 },
		{ SCHEME "/filters/0/matching", s->memcg_matching ? "Y" : "N", 0 },
	};
	int r;

	if (!s->action)
		return -EINVAL;
	r = cgt_damon_write(d, SCHEME "/action", s->action);
	if (!r && s->target_nid >= 0)
		r = cgt_damon_write_u64(d, SCHEME "/target_nid",
					(uint64_t)s->target_nid);
	if (!r)
		r = write_all(d, pattern, NR(pattern));
	if (!r && s->memcg_path)
		r = write_all(d, filter, NR(filter));
	else if (!r)
		r = cgt_damon_write(d, SCHEME "/filters/nr_filters", "0");
	return r;
}

int cgt_damon_state(struct cgt_damon *d, const char *cmd)
{
	return cgt_damon_write(d, KDAMOND "/state", cmd);
}

int cgt_damon_running(struct cgt_damon *d, bool *ret)
{
	char state[16];
	uint64_t nr;
	int r;

	r = read_u64(d, KDAMONDS "/nr_kdamonds", &nr);
	if (r)
		return r;
	if (nr == 0) {
		*ret = false;
		return 0;
	}
	r = cgt_damon_read(d, KDAMOND "/state", state, sizeof(state));
	if (r < 0)
		return r;
	*ret = strcmp(state, "on") == 0;
	return 0;
}

int cgt_damon_scheme_stats(struct cgt_damon *d, struct cgt_damos_stats *ret)
{
	static const char *const name[] = {
		"nr_tried", "sz_tried", "nr_applied", "sz_applied", "qt_exceeds",
	};
	struct cgt_damos_stats st;
	uint64_t *val[] = {
		&st.nr_tried, &st.sz_tried, &st.nr_applied, &st.sz_applied,
		&st.qt_exceeds,
	};
	char rel[160];
	int r;

	r = cgt_damon_state(d, "update_schemes_stats");
	for (size_t i = 0; !r && i < NR(name); i++) {
		snprintf(rel, sizeof(rel), SCHEME "/stats/%s", name[i]);
		r = read_u64(d, rel, val[i]);
	}
	if (!r)
		*ret = st;
	return r;
}

int cgt_damon_teardown(struct cgt_damon *d)
{
	char state[16];
	uint64_t nr;
	int r;

	r = read_u64(d, KDAMONDS "/nr_kdamonds", &nr);
	if (r == -ENOENT || (!r && nr == 0)) {
		d->failed[0] = '\0';
		return 0;
	}
	if (!r)
		r = cgt_damon_read(d, KDAMOND "/state", state, sizeof(state));
	if (r >= 0 && strcmp(state, "on") == 0)
		r = cgt_damon_state(d, "off");
	if (r >= 0)
		r = cgt_damon_write(d, KDAMONDS "/nr_kdamonds", "0");
	return r < 0 ? r : 0;
}

/* "<start>-<end> : System RAM" at the top level; 1 if @line is one. */
static int parse_ram_line(const char *line, uint64_t *start, uint64_t *end)
{
	const char *p = line;
	uint64_t s, e;

	if (line[0] == ' ' || !strstr(line, " : System RAM"))
		return 0;
	if (cgt_parse_x64_prefix(&p, &s) || *p++ != '-' ||
	    cgt_parse_x64_prefix(&p, &e) || strncmp(p, " : System RAM", 13))
		return -EINVAL;
	if (e <= s)
		return 0; /* addresses hidden (no CAP_SYS_ADMIN), or empty */
	if (e == UINT64_MAX)
		return -ERANGE;
	*start = s;
	*end = e + 1;
	return 1;
}

int cgt_damon_ram_range(const struct cgt_fs *fs, uint64_t *start,
			uint64_t *end)
{
	uint64_t lo = UINT64_MAX, hi = 0, s = 0, e = 0;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;
	int r = 0;

	if (!start || !end)
		return -EINVAL;
	r = cgt_fs_fopen(fs, "/proc/iomem", &f);
	if (r < 0)
		return r;
	while (r >= 0 && getline(&line, &cap, f) > 0) {
		r = parse_ram_line(line, &s, &e);
		if (r > 0) {
			lo = s < lo ? s : lo;
			hi = e > hi ? e : hi;
		}
	}
	if (r >= 0 && ferror(f))
		r = -EIO;
	free(line);
	fclose(f);
	if (r < 0)
		return r;
	if (lo >= hi)
		return -ENOENT;
	*start = lo;
	*end = hi;
	return 0;
}
