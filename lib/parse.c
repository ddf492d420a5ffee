// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * parse.c - unsigned numbers, one semantics (see parse.h).
 */
#include "config.h"

#include <errno.h>

#include "cgtier/parse.h"

/* Value of digit @c in @base, or -1. */
static int digit(char c, unsigned int base)
{
	int d = -1;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (base == 16 && c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (base == 16 && c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	return d;
}

static int parse_prefix(const char **s, unsigned int base, uint64_t *ret)
{
	const char *p;
	uint64_t v = 0;
	int d;

	if (!s || !*s || !ret)
		return -EINVAL;
	p = *s;
	if (digit(*p, base) < 0)
		return -EINVAL;
	for (; (d = digit(*p, base)) >= 0; p++) {
		if (v > (UINT64_MAX - (unsigned int)d) / base)
			return -ERANGE;
		v = v * base + (unsigned int)d;
	}
	*s = p;
	*ret = v;
	return 0;
}

int cgt_parse_u64_prefix(const char **s, uint64_t *ret)
{
	return parse_prefix(s, 10, ret);
}

int cgt_parse_x64_prefix(const char **s, uint64_t *ret)
{
	return parse_prefix(s, 16, ret);
}

int cgt_parse_u64(const char *s, uint64_t *ret)
{
	const char *p = s;
	uint64_t v;
	int r;

	r = parse_prefix(&p, 10, &v);
	if (r < 0)
		return r;
	if (*p)
		return -EINVAL;
	*ret = v;
	return 0;
}

int cgt_parse_u64_range(const char *s, uint64_t min, uint64_t max,
			uint64_t *ret)
{
	uint64_t v;
	int r;

	r = cgt_parse_u64(s, &v);
	if (r < 0)
		return r;
	if (v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}
