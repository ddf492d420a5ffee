// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * units.c - sizes, percentages, durations and rates for cgtierd.yaml.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cgtierd/units.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Parse the decimal digits at *p into *ret, advancing *p.  At least one
 * digit; no leading zero unless the number is 0.
 */
static int parse_digits(const char **p, uint64_t *ret)
{
	const char *s = *p;
	uint64_t v = 0;

	if (!is_digit(*s))
		return -EINVAL;
	if (s[0] == '0' && is_digit(s[1]))
		return -EINVAL;
	while (is_digit(*s)) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
		s++;
	}
	*p = s;
	*ret = v;
	return 0;
}

int cgt_conf_parse_u64(const char *s, uint64_t *ret)
{
	uint64_t v;
	int r;

	if (!s || !ret)
		return -EINVAL;
	r = parse_digits(&s, &v);
	if (r < 0)
		return r;
	if (*s)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* Should match the shifts below. */
static const struct {
	const char *suffix;
	unsigned shift;
} size_suffixes[] = {
	{ "", 0 },   { "B", 0 },   { "K", 10 },  { "Ki", 10 }, { "M", 20 },
	{ "Mi", 20 }, { "G", 30 }, { "Gi", 30 }, { "T", 40 },  { "Ti", 40 },
};

/* Parse a size at *p up to @end (exclusive), which must be consumed. */
static int parse_size_n(const char *s, size_t n, uint64_t *ret)
{
	const char *p = s;
	uint64_t v;
	size_t i, rest;
	int r;

	r = parse_digits(&p, &v);
	if (r < 0)
		return r;
	if ((size_t)(p - s) > n)
		return -EINVAL;
	rest = n - (size_t)(p - s);
	for (i = 0; i < sizeof(size_suffixes) / sizeof(size_suffixes[0]); i++) {
		unsigned shift = size_suffixes[i].shift;

		if (strlen(size_suffixes[i].suffix) != rest ||
		    strncmp(p, size_suffixes[i].suffix, rest) != 0)
			continue;
		if (shift && v > (UINT64_MAX >> shift))
			return -ERANGE;
		/* "max" is spelt out; a number never means unlimited */
		if ((v << shift) == CGT_UNLIMITED)
			return -ERANGE;
		*ret = v << shift;
		return 0;
	}
	return -EINVAL;
}

int cgt_parse_size(const char *s, uint64_t *ret)
{
	if (!s || !ret)
		return -EINVAL;
	return parse_size_n(s, strlen(s), ret);
}

int cgt_parse_rate(const char *s, uint64_t *ret)
{
	size_t n;

	if (!s || !ret)
		return -EINVAL;
	if (strcmp(s, "max") == 0) {
		*ret = CGT_UNLIMITED;
		return 0;
	}
	n = strlen(s);
	if (n >= 2 && strcmp(s + n - 2, "/s") == 0)
		n -= 2;
	return parse_size_n(s, n, ret);
}

int cgt_parse_percent(const char *s, uint32_t *ret_permyriad)
{
	uint64_t whole, frac = 0;
	int r, decimals = 0;

	if (!s || !ret_permyriad)
		return -EINVAL;
	r = parse_digits(&s, &whole);
	if (r < 0)
		return r;
	if (*s == '.') {
		s++;
		if (!is_digit(*s))
			return -EINVAL;
		while (is_digit(*s)) {
			if (++decimals > 2)
				return -EINVAL;
			frac = frac * 10 + (uint64_t)(*s - '0');
			s++;
		}
		if (decimals == 1)
			frac *= 10;
	}
	if (strcmp(s, "%") != 0)
		return -EINVAL;
	if (whole > 100 || whole * 100 + frac > CGT_PERMYRIAD_MAX)
		return -ERANGE;
	*ret_permyriad = (uint32_t)(whole * 100 + frac);
	return 0;
}

/* Longest suffix first, so "ms" is not read as "m" + garbage. */
static const struct {
	const char *suffix;
	uint64_t usec;
} duration_units[] = {
	{ "us", 1 },
	{ "ms", CGT_USEC_PER_MSEC },
	{ "s", CGT_USEC_PER_SEC },
	{ "m", 60 * CGT_USEC_PER_SEC },
	{ "h", 3600 * CGT_USEC_PER_SEC },
};

int cgt_parse_duration(const char *s, uint64_t *ret_usec)
{
	uint64_t total = 0;
	size_t i;

	if (!s || !ret_usec)
		return -EINVAL;
	if (!*s)
		return -EINVAL;
	while (*s) {
		uint64_t v, mult = 0;
		int r = parse_digits(&s, &v);

		if (r < 0)
			return r;
		for (i = 0; i < sizeof(duration_units) / sizeof(duration_units[0]); i++) {
			size_t l = strlen(duration_units[i].suffix);

			if (strncmp(s, duration_units[i].suffix, l) == 0 &&
			    (s[l] == '\0' || is_digit(s[l]))) {
				mult = duration_units[i].usec;
				s += l;
				break;
			}
		}
		if (!mult)
			return -EINVAL;
		if (v > (UINT64_MAX - total) / mult)
			return -ERANGE;
		total += v * mult;
	}
	*ret_usec = total;
	return 0;
}

const char *cgt_format_size(uint64_t v, char *buf, size_t len)
{
	static const char *const sfx[] = { "", "Ki", "Mi", "Gi", "Ti" };
	unsigned i = 0;

	if (v == CGT_UNLIMITED) {
		snprintf(buf, len, "max");
		return buf;
	}
	while (i < 4 && v && (v & 1023) == 0) {
		v >>= 10;
		i++;
	}
	snprintf(buf, len, "%" PRIu64 "%s", v, sfx[i]);
	return buf;
}

const char *cgt_format_percent(uint32_t p, char *buf, size_t len)
{
	if (p % 100 == 0)
		snprintf(buf, len, "%u%%", p / 100);
	else if (p % 10 == 0)
		snprintf(buf, len, "%u.%u%%", p / 100, (p % 100) / 10);
	else
		snprintf(buf, len, "%u.%02u%%", p / 100, p % 100);
	return buf;
}

const char *cgt_format_duration(uint64_t usec, char *buf, size_t len)
{
	size_t i, off = 0;

	if (len)
		buf[0] = '\0';
	if (usec == 0) {
		snprintf(buf, len, "0s");
		return buf;
	}
	for (i = sizeof(duration_units) / sizeof(duration_units[0]); i-- > 0 && off < len;) {
		uint64_t u = duration_units[i].usec, q = usec / u;
		int n;

		if (!q)
			continue;
		n = snprintf(buf + off, len - off, "%" PRIu64 "%s", q, duration_units[i].suffix);
		if (n < 0)
			break;
		off += (size_t)n;
		usec -= q * u;
	}
	return buf;
}
