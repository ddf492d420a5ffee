// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * stat.c - flat-keyed ("key value") and nested-keyed ("key N0=v N1=v")
 * statistics files, as found in memory.stat, memory.numa_stat, /proc/vmstat.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgtier/parse.h"
#include "cgtier/stat.h"

/* Return the start of the line whose first word is @key, or NULL. */
static const char *find_key(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *line = text;

	while (line && *line) {
		if (strncmp(line, key, klen) == 0 &&
		    (line[klen] == ' ' || line[klen] == '\t'))
			return line + klen;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return NULL;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

int cgt_stat_get(const char *text, const char *key, uint64_t *ret)
{
	const char *p;
	uint64_t v;
	int r;

	if (!text || !key || !*key || !ret)
		return -EINVAL;
	p = find_key(text, key);
	if (!p)
		return -ENOENT;
	p = skip_blanks(p);
	r = cgt_parse_u64_prefix(&p, &v);
	if (r < 0)
		return r;
	p = skip_blanks(p);
	if (*p && *p != '\n')
		return -EINVAL;
	*ret = v;
	return 0;
}

int cgt_numa_stat_get(const char *text, const char *key, uint64_t *ret, int nr)
{
	const char *p;
	uint64_t *vals;
	int r = 0;

	if (!text || !key || !*key || !ret || nr <= 0)
		return -EINVAL;
	p = find_key(text, key);
	if (!p)
		return -ENOENT;
	vals = calloc((size_t)nr, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (;;) {
		uint64_t node, v;

		p = skip_blanks(p);
		if (!*p || *p == '\n')
			break;
		if (*p++ != 'N') {
			r = -EINVAL;
			break;
		}
		r = cgt_parse_u64_prefix(&p, &node);
		if (r < 0)
			break;
		if (*p++ != '=') {
			r = -EINVAL;
			break;
		}
		r = cgt_parse_u64_prefix(&p, &v);
		if (r < 0)
			break;
		if (node >= (uint64_t)nr) {
			r = -ERANGE;
			break;
		}
		vals[node] = v;
		if (*p && *p != ' ' && *p != '\t' && *p != '\n') {
			r = -EINVAL;
			break;
		}
	}
	if (r == 0)
		memcpy(ret, vals, (size_t)nr * sizeof(*vals));
	free(vals);
	return r;
}
