// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * parse.c - unsigned numbers, one semantics (see parse.h).
 */
#include "config.h"

#include <errno.h>

#include "cgtier/parse.h"

int cgt_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Value of digit @c in @base (10 or 16), or -1. */
static int digit(char c, unsigned int base)
{
	int d = cgt_hex_digit(c);

	return base == 16 || d < 10 ? d : -1;
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
