// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * nodemask.c - node sets and the kernel's node list format.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cgtier/nodemask.h"
#include "cgtier/parse.h"

void cgt_nodemask_clear(struct cgt_nodemask *m)
{
	memset(m, 0, sizeof(*m));
}

int cgt_nodemask_set(struct cgt_nodemask *m, int node)
{
	if (node < 0 || node >= CGT_MAX_NODES)
		return -ERANGE;
	m->bits[node / 64] |= UINT64_C(1) << (node % 64);
	return 0;
}

bool cgt_nodemask_test(const struct cgt_nodemask *m, int node)
{
	if (node < 0 || node >= CGT_MAX_NODES)
		return false;
	return m->bits[node / 64] & (UINT64_C(1) << (node % 64));
}

int cgt_nodemask_weight(const struct cgt_nodemask *m)
{
	int w = 0;

	for (size_t i = 0; i < CGT_MAX_NODES / 64; i++)
		w += __builtin_popcountll(m->bits[i]);
	return w;
}

int cgt_nodemask_next(const struct cgt_nodemask *m, int from)
{
	if (from < 0)
		from = 0;
	while (from < CGT_MAX_NODES) {
		uint64_t word = m->bits[from / 64] >> (from % 64);

		if (word)
			return from + __builtin_ctzll(word);
		from = (from / 64 + 1) * 64;
	}
	return -1;
}

bool cgt_nodemask_empty(const struct cgt_nodemask *m)
{
	return cgt_nodemask_next(m, 0) < 0;
}

/* Parse a decimal node id at *s; advance *s. */
static int parse_node(const char **s, int *ret)
{
	uint64_t v;
	int r;

	r = cgt_parse_u64_prefix(s, &v);
	if (r < 0)
		return r;
	if (v >= CGT_MAX_NODES)
		return -ERANGE;
	*ret = (int)v;
	return 0;
}

int cgt_nodemask_parse(const char *s, struct cgt_nodemask *ret)
{
	struct cgt_nodemask m;
	int r;

	if (!s || !ret)
		return -EINVAL;
	cgt_nodemask_clear(&m);
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s && *s != '\n') {
		for (;;) {
			int lo, hi;

			r = parse_node(&s, &lo);
			if (r < 0)
				return r;
			hi = lo;
			if (*s == '-') {
				s++;
				r = parse_node(&s, &hi);
				if (r < 0)
					return r;
				if (hi < lo)
					return -EINVAL;
			}
			for (int n = lo; n <= hi; n++)
				cgt_nodemask_set(&m, n);
			if (*s != ',')
				break;
			s++;
		}
	}
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*ret = m;
	return 0;
}

int cgt_nodemask_format(const struct cgt_nodemask *m, char *buf, size_t len)
{
	size_t off = 0;
	int node;

	if (!buf || len == 0)
		return -EINVAL;
	buf[0] = '\0';
	for (node = cgt_nodemask_next(m, 0); node >= 0;) {
		int end = node, n;

		while (cgt_nodemask_test(m, end + 1))
			end++;
		if (end == node)
			n = snprintf(buf + off, len - off, "%s%d", off ? "," : "", node);
		else
			n = snprintf(buf + off, len - off, "%s%d-%d", off ? "," : "",
				     node, end);
		if (n < 0 || (size_t)n >= len - off)
			return -ENOSPC;
		off += (size_t)n;
		node = cgt_nodemask_next(m, end + 1);
	}
	return 0;
}
