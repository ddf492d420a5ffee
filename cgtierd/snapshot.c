// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * snapshot.c - the plain-struct snapshot of one control period (snapshot.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgtierd/snapshot.h"

void cgt_snapshot_init(struct cgt_snapshot *s)
{
	memset(s, 0, sizeof(*s));
}

void cgt_snapshot_clear(struct cgt_snapshot *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_cgroups; i++)
		free(s->cgroups[i].path);
	free(s->cgroups);
	cgt_snapshot_init(s);
}

static int grow(struct cgt_snapshot *s)
{
	size_t cap = s->cap_cgroups ? 2 * s->cap_cgroups : 64;
	struct cgt_cg_snap *n;

	if (cap > SIZE_MAX / sizeof(*n))
		return -ENOMEM;
	n = realloc(s->cgroups, cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	s->cgroups = n;
	s->cap_cgroups = cap;
	return 0;
}

int cgt_snapshot_add(struct cgt_snapshot *s, const char *path,
		     struct cgt_cg_snap **ret)
{
	struct cgt_cg_snap *c;
	size_t len = strlen(path);
	int r;

	if (len > CGT_SNAP_PATH_MAX)
		return -ENAMETOOLONG;
	if (s->n_cgroups == s->cap_cgroups) {
		r = grow(s);
		if (r < 0)
			return r;
	}
	c = &s->cgroups[s->n_cgroups];
	memset(c, 0, sizeof(*c));
	c->path = malloc(len + 1);
	if (!c->path)
		return -ENOMEM;
	memcpy(c->path, path, len + 1);
	for (int t = 0; t < CGT_SNAP_MAX_TIERS; t++)
		c->tier_max[t] = UINT64_MAX;
	s->n_cgroups++;
	*ret = c;
	return 0;
}

int cgt_snap_path_cmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	if (*p == *q)
		return 0;
	/* '/' ranks right after the end of the string, before any byte */
	if (!*p || !*q)
		return *p ? 1 : -1;
	if (*p == '/')
		return -1;
	if (*q == '/')
		return 1;
	return *p < *q ? -1 : 1;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct cgt_cg_snap *x = a, *y = b;

	return cgt_snap_path_cmp(x->path, y->path);
}

void cgt_snapshot_sort(struct cgt_snapshot *s)
{
	if (s->n_cgroups > 1)
		qsort(s->cgroups, s->n_cgroups, sizeof(s->cgroups[0]), entry_cmp);
}

bool cgt_snap_path_within(const char *path, const char *anc)
{
	size_t n = strlen(anc);

	if (n == 0)
		return true;
	return strncmp(path, anc, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

uint64_t cgt_cg_snap_total(const struct cgt_cg_snap *c, int nr)
{
	uint64_t sum = 0;

	for (int t = 0; t < nr && t < CGT_SNAP_MAX_TIERS; t++)
		sum = c->resident[t] > UINT64_MAX - sum ? UINT64_MAX : sum + c->resident[t];
	return sum;
}
