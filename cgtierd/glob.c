// SPDX-License-Identifier: LGPL-2.1-or-later
/* glob.c - component-wise cgroup globs with "**" (see glob.h). */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <string.h>

#include "cgtierd/glob.h"

struct split {
	char buf[CGT_GLOB_MAX + 1];
	const char *c[CGT_GLOB_MAX_COMPONENTS];
	size_t n;
};

/* Split @s at '/' into @sp, skipping leading slashes. -E2BIG over limits. */
static int split(const char *s, struct split *sp)
{
	size_t len;
	char *p;

	while (*s == '/')
		s++;
	len = strnlen(s, CGT_GLOB_MAX + 1);
	if (len > CGT_GLOB_MAX)
		return -E2BIG;
	memcpy(sp->buf, s, len + 1);
	sp->n = 0;
	if (!len)
		return 0;
	for (p = sp->buf;;) {
		char *e = strchr(p, '/');

		if (sp->n == CGT_GLOB_MAX_COMPONENTS)
			return -E2BIG;
		sp->c[sp->n++] = p;
		if (!e)
			break;
		*e = '\0';
		p = e + 1;
	}
	return 0;
}

int cgt_glob_check(const char *glob, const char **why)
{
	struct split sp;
	const char *w = NULL;
	size_t i;

	sp.n = 0;
	if (!glob || !*glob)
		w = "empty glob";
	else if (glob[0] == '/')
		w = "must be relative to the cgroup2 mount (no leading '/')";
	else if (strnlen(glob, CGT_GLOB_MAX + 1) > CGT_GLOB_MAX)
		w = "longer than 4095 bytes";
	else if (split(glob, &sp) < 0)
		w = "more than 128 components";
	for (i = 0; !w && i < sp.n; i++) {
		const char *c = sp.c[i];

		if (!*c)
			w = "empty path component";
		else if (strcmp(c, ".") == 0 || strcmp(c, "..") == 0)
			w = "'.' and '..' are not allowed";
		else if (strstr(c, "**") && strcmp(c, "**") != 0)
			w = "'**' must be a whole path component";
	}
	if (why)
		*why = w;
	return w ? -EINVAL : 0;
}

bool cgt_glob_match(const char *glob, const char *path)
{
	struct split p, s;
	size_t pi = 0, si = 0, star_s = 0;
	size_t star_p = (size_t)-1;

	if (!glob || !path || split(glob, &p) < 0 || split(path, &s) < 0)
		return false;
	/* greedy matching with backtracking to the last "**": O(P * S) */
	while (si < s.n) {
		if (pi < p.n && strcmp(p.c[pi], "**") == 0) {
			star_p = pi++;
			star_s = si;
		} else if (pi < p.n && fnmatch(p.c[pi], s.c[si], 0) == 0) {
			pi++;
			si++;
		} else if (star_p != (size_t)-1) {
			pi = star_p + 1;
			si = ++star_s;
		} else {
			return false;
		}
	}
	while (pi < p.n && strcmp(p.c[pi], "**") == 0)
		pi++;
	return pi == p.n;
}
