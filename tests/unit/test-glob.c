// SPDX-License-Identifier: LGPL-2.1-or-later
/* test-glob.c - cgroup path globs with "**". */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cgtierd/glob.h"
#include "unit.h"

static void test_check(void **state)
{
	static const char *const good[] = {
		"**", "system.slice/*.service", "kubepods.slice/**", "**/docker-*.scope",
		"a/**/b/**", "user.slice/user-[0-9]*.slice", "x?y",
	};
	static const char *const bad[] = {
		"", "/system.slice", "a//b", "a/", "./a", "a/../b", "a/.", "a**", "**b/c", "a/b**/c",
	};
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (cgt_glob_check(good[i], &why) != 0)
			fail_msg("'%s' refused: %s", good[i], why);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (cgt_glob_check(bad[i], &why) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
		assert_non_null(why);
	}
}

static void test_limits(void **state)
{
	char *g = malloc(CGT_GLOB_MAX + 2);
	size_t i;

	assert_non_null(g);
	memset(g, 'a', CGT_GLOB_MAX + 1);
	g[CGT_GLOB_MAX + 1] = '\0';
	assert_int_equal(cgt_glob_check(g, NULL), -EINVAL);
	g[CGT_GLOB_MAX] = '\0';
	assert_int_equal(cgt_glob_check(g, NULL), 0);
	/* 129 components */
	for (i = 0; i < 129; i++) {
		g[2 * i] = 'a';
		g[2 * i + 1] = '/';
	}
	g[2 * 129 - 1] = '\0';
	assert_int_equal(cgt_glob_check(g, NULL), -EINVAL);
	assert_false(cgt_glob_match("**", g));
	free(g);
}

static void test_match(void **state)
{
	static const struct {
		const char *glob, *path;
		bool m;
	} t[] = {
		{ "system.slice/*.service", "system.slice/nginx.service", true },
		{ "system.slice/*.service", "/system.slice/nginx.service", true },
		{ "system.slice/*.service", "system.slice/a/nginx.service", false },
		{ "system.slice/*.service", "system.slice", false },
		{ "system.slice/*", "system.slice/x.service/child", false },
		{ "kubepods.slice/**", "kubepods.slice", true },
		{ "kubepods.slice/**", "kubepods.slice/a/b/c", true },
		{ "kubepods.slice/**", "kubepods.slicex/a", false },
		{ "**", "", true },
		{ "**", "a/b", true },
		{ "**/docker-*.scope", "docker-1.scope", true },
		{ "**/docker-*.scope", "system.slice/docker-1.scope", true },
		{ "**/docker-*.scope", "system.slice/docker-1.scope/x", false },
		{ "a/**/b/**/c", "a/b/c", true },
		{ "a/**/b/**/c", "a/x/y/b/z/c", true },
		{ "a/**/b/**/c", "a/x/y/c", false },
		{ "a/**/b", "a/b/b/b", true },
		{ "**/**/x", "x", true },
		{ "x?y", "xzy", true },
		{ "x?y", "x/y", false },
		{ "user-[0-9]*.slice", "user-1000.slice", true },
		{ "user-[0-9]*.slice", "user-x.slice", false },
		{ "a/b", "a/b/", false },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (cgt_glob_match(t[i].glob, t[i].path) != t[i].m)
			fail_msg("'%s' vs '%s': want %d", t[i].glob, t[i].path, t[i].m);
}

/* The matcher is O(globs x path): many "**" against a deep path stays fast. */
static void test_no_blowup(void **state)
{
	char glob[512] = "", path[512] = "";
	size_t i;

	for (i = 0; i < 60; i++)
		strcat(glob, "**/a/");
	strcat(glob, "b");
	for (i = 0; i < 120; i++)
		strcat(path, "a/");
	strcat(path, "c");
	assert_false(cgt_glob_match(glob, path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_no_blowup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
