/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* unit.h - cmocka boilerplate and fixture paths shared by the unit tests. */
#ifndef CGTIER_TESTS_UNIT_H
#define CGTIER_TESTS_UNIT_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <fcntl.h>
#include <ftw.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Root of the fixture scenario @name: $CGTIER_FIXTURES/@name (set by
 * make check), or tests/fixtures/@name below the working directory, made
 * absolute (a struct cgt_fs root must be).
 */
static inline const char *fixture(const char *name)
{
	static char path[8192];
	const char *base = getenv("CGTIER_FIXTURES");
	char cwd[4096];

	if (base && base[0] == '/') {
		snprintf(path, sizeof(path), "%s/%s", base, name);
	} else {
		assert_non_null(getcwd(cwd, sizeof(cwd)));
		snprintf(path, sizeof(path), "%s/%s/%s", cwd,
			 base ? base : "tests/fixtures", name);
	}
	return path;
}

/*
 * A scratch fixture tree for tests that write: mkdtemp() a root in $TMPDIR
 * (or /tmp) into @dir (PATH_MAX bytes); fail the test if it cannot.
 */
static inline void tmp_tree(char *dir)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, 4096, "%s/cgtier-unit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
}

/* Create @rel below @root with @text (NULL: a directory), parents included. */
static inline void tmp_put(const char *root, const char *rel, const char *text)
{
	char path[8192];
	FILE *f;

	assert_true(snprintf(path, sizeof(path), "%s/%s", root, rel) <
		    (int)sizeof(path));
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
		*p = '/';
	}
	if (!text) {
		assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
		return;
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Write @n 64-bit words at word @index of @root's @rel (created if needed). */
static inline void put_words(const char *root, const char *rel, uint64_t index,
			     const uint64_t *w, size_t n)
{
	char path[8192];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, w, n * sizeof(*w), (off_t)(index * 8)),
			 (ssize_t)(n * sizeof(*w)));
	close(fd);
}

/* The 64-bit word at word @index of @root's @rel (0 past its end). */
static inline uint64_t get_word(const char *root, const char *rel, uint64_t index)
{
	char path[8192];
	uint64_t w = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_true(pread(fd, &w, sizeof(w), (off_t)(index * 8)) >= 0);
	close(fd);
	return w;
}

static inline int tmp_rm_one(const char *path, const struct stat *st,
			     int flag, struct FTW *ftw)
{
	return remove(path);
}

/* Remove the scratch tree @dir and everything in it. */
static inline void tmp_tree_remove(const char *dir)
{
	assert_int_equal(nftw(dir, tmp_rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

#endif
