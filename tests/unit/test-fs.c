// SPDX-License-Identifier: LGPL-2.1-or-later
/* test-fs.c - root-parameterised file access against fixture trees. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <string.h>
#include <unistd.h>

#include "cgtier/fs.h"
#include "lib/fs-internal.h"
#include "unit.h"

static void test_open_close(void **state)
{
	struct cgt_fs fs;

	assert_int_equal(cgt_fs_open(&fs, fixture("hmat")), 0);
	assert_true(fs.dirfd >= 0);
	/* "/" and "///" are the same root */
	assert_int_equal(cgt_fs_exists(&fs, "/sys/devices/system/node"), 0);
	assert_int_equal(cgt_fs_exists(&fs, "///sys//devices/system/node"), 0);
	assert_int_equal(cgt_fs_exists(&fs, "/"), 0);
	cgt_fs_close(&fs);
	assert_int_equal(fs.dirfd, -1);
	cgt_fs_close(&fs); /* twice is fine */
	assert_int_equal(cgt_fs_exists(&fs, "/sys"), -EINVAL);
	assert_int_equal(cgt_fs_open(&fs, "/no/such/root"), -ENOENT);
	assert_int_equal(cgt_fs_open(&fs, fixture("hmat/sys/devices/system/node/has_cpu")),
			 -ENOTDIR);
	assert_int_equal(cgt_fs_open(NULL, "/"), -EINVAL);
}

static void test_path_must_be_absolute(void **state)
{
	struct cgt_fs fs;
	char buf[16];

	assert_int_equal(cgt_fs_open(&fs, fixture("hmat")), 0);
	assert_int_equal(cgt_fs_read(&fs, "sys/devices/system/node/has_cpu",
				     buf, sizeof(buf)), -EINVAL);
	assert_int_equal(cgt_fs_exists(&fs, ""), -EINVAL);
	assert_int_equal(cgt_fs_write(&fs, NULL, "1"), -EINVAL);
	cgt_fs_close(&fs);
}

/* D15: nothing below the root reaches outside it. */
static void test_stays_below_root(void **state)
{
	char dir[4096], path[8192], buf[64];
	struct cgt_fs fs;

	tmp_tree(dir);
	tmp_put(dir, "sys/knob", "1\n");
	snprintf(path, sizeof(path), "%s/sys/etc", dir);
	assert_int_equal(symlink("/etc", path), 0);
	snprintf(path, sizeof(path), "%s/sys/up", dir);
	assert_int_equal(symlink("../..", path), 0);
	snprintf(path, sizeof(path), "%s/sys/same", dir);
	assert_int_equal(symlink("knob", path), 0);
	assert_int_equal(cgt_fs_open(&fs, dir), 0);
	assert_int_equal(cgt_fs_read(&fs, "/sys/etc/passwd", buf, sizeof(buf)), -EXDEV);
	assert_int_equal(cgt_fs_read(&fs, "/../etc/passwd", buf, sizeof(buf)), -EXDEV);
	assert_int_equal(cgt_fs_exists(&fs, "/sys/up/etc"), -EXDEV);
	/* a relative link that stays below the root is followed */
	assert_int_equal(cgt_fs_read(&fs, "/sys/same", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "1");
	cgt_fs_close(&fs);
	tmp_tree_remove(dir);
}

/*
 * The fallback for openat2() answering ENOSYS (systemd's RestrictSUIDSGID=,
 * container seccomp profiles): at least as strict as RESOLVE_BENEATH with
 * no symlinks at all.
 */
static void test_openat_walk(void **state)
{
	char dir[4096], path[8192], buf[64];
	int root, fd, r;

	(void)state;
	tmp_tree(dir);
	tmp_put(dir, "sys/fs/knob", "7\n");
	snprintf(path, sizeof(path), "%s/sys/etc", dir);
	assert_int_equal(symlink("/etc", path), 0);
	snprintf(path, sizeof(path), "%s/sys/same", dir);
	assert_int_equal(symlink("fs/knob", path), 0);
	snprintf(path, sizeof(path), "%s/sys/fsl", dir);
	assert_int_equal(symlink("fs", path), 0);
	root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(root >= 0);
	fd = cgt__openat_walk(root, "sys/fs/knob", O_RDONLY, RESOLVE_BENEATH);
	assert_true(fd >= 0);
	r = cgt__read_fd(fd, buf, sizeof(buf));
	close(fd);
	assert_int_equal(r, 1); /* the newline stripped, as cgt_fs_read() does */
	assert_string_equal(buf, "7");
	/* ".", repeated slashes, a directory as O_PATH */
	fd = cgt__openat_walk(root, "./sys//fs", O_PATH | O_DIRECTORY, RESOLVE_BENEATH);
	assert_true(fd >= 0);
	close(fd);
	fd = cgt__openat_walk(root, ".", O_RDONLY | O_DIRECTORY, RESOLVE_BENEATH);
	assert_true(fd >= 0);
	close(fd);
	/* no way out, no symlink followed, last or intermediate, O_PATH or not */
	assert_int_equal(cgt__openat_walk(root, "/etc/passwd", O_RDONLY, 0), -EXDEV);
	assert_int_equal(cgt__openat_walk(root, "sys/../../etc", O_RDONLY, 0), -EXDEV);
	assert_int_equal(cgt__openat_walk(root, "sys/etc/passwd", O_RDONLY, 0), -ELOOP);
	assert_int_equal(cgt__openat_walk(root, "sys/same", O_RDONLY, 0), -ELOOP);
	assert_int_equal(cgt__openat_walk(root, "sys/same", O_PATH, 0), -ELOOP);
	assert_int_equal(cgt__openat_walk(root, "sys/fsl/knob", O_RDONLY, 0), -ELOOP);
	assert_int_equal(cgt__openat_walk(root, "sys/fs/knob/x", O_RDONLY, 0), -ENOTDIR);
	assert_int_equal(cgt__openat_walk(root, "sys/none", O_RDONLY, 0), -ENOENT);
	assert_int_equal(cgt__openat_walk(root, "", O_RDONLY, 0), -ENOENT);
	/* one file system here: RESOLVE_NO_XDEV passes */
	fd = cgt__openat_walk(root, "sys/fs/knob", O_RDONLY, RESOLVE_NO_XDEV);
	assert_true(fd >= 0);
	close(fd);
	close(root);
	tmp_tree_remove(dir);
}

static void test_read_strips_newline(void **state)
{
	struct cgt_fs fs;
	char buf[64];

	assert_int_equal(cgt_fs_open(&fs, fixture("hmat")), 0);
	assert_int_equal(cgt_fs_read(&fs, "/sys/devices/system/node/has_memory",
				     buf, sizeof(buf)), 3);
	assert_string_equal(buf, "0-1");
	cgt_fs_close(&fs);
}

static void test_read_too_big(void **state)
{
	struct cgt_fs fs;
	char buf[4], exact[5];

	assert_int_equal(cgt_fs_open(&fs, fixture("hmat")), 0);
	/* "0-1\n" is 4 bytes: does not fit in 3 + NUL, fits in 4 + NUL */
	assert_int_equal(cgt_fs_read(&fs, "/sys/devices/system/node/has_memory",
				     buf, sizeof(buf)), -EFBIG);
	assert_int_equal(cgt_fs_read(&fs, "/sys/devices/system/node/has_memory",
				     exact, sizeof(exact)), 3);
	assert_int_equal(cgt_fs_read(&fs, "/sys/devices/system/node/has_memory",
				     buf, 0), -EINVAL);
	cgt_fs_close(&fs);
}

static void test_read_missing(void **state)
{
	struct cgt_fs fs;
	char buf[16];
	uint64_t v = 42;

	assert_int_equal(cgt_fs_open(&fs, fixture("hmat")), 0);
	assert_int_equal(cgt_fs_read(&fs, "/no/such/file", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(cgt_fs_read_u64(&fs, "/no/such/file", &v), -ENOENT);
	assert_int_equal(v, 42);
	assert_int_equal(cgt_fs_exists(&fs, "/no/such/file"), -ENOENT);
	assert_int_equal(cgt_fs_exists(&fs, "/sys/devices/system/node"), 0);
	cgt_fs_close(&fs);
}

static void test_read_u64(void **state)
{
	struct cgt_fs fs;
	uint64_t v = 0;

	assert_int_equal(cgt_fs_open(&fs, fixture("cgroup")), 0);
	assert_int_equal(cgt_fs_read_u64(&fs, "/sys/fs/cgroup/test/memory.current", &v), 0);
	assert_int_equal(v, 68055040);
	assert_int_equal(cgt_fs_read_u64(&fs, "/sys/fs/cgroup/test/memory.max", &v), 0);
	assert_true(v == UINT64_MAX);
	cgt_fs_close(&fs);
	v = 7;
	/* "0-1" is not a number, and the out-param is left alone */
	assert_int_equal(cgt_fs_open(&fs, fixture("hmat")), 0);
	assert_int_equal(cgt_fs_read_u64(&fs, "/sys/devices/system/node/has_memory", &v),
			 -EINVAL);
	assert_int_equal(v, 7);
	cgt_fs_close(&fs);
}

/* cgt_fs_read_u64() uses the shared parser: no sign, no blanks, no overflow. */
static void test_read_u64_strict(void **state)
{
	char dir[4096];
	struct cgt_fs fs;
	uint64_t v = 7;

	tmp_tree(dir);
	tmp_put(dir, "neg", "-5\n");
	tmp_put(dir, "plus", "+5\n");
	tmp_put(dir, "blank", " 5\n");
	tmp_put(dir, "big", "18446744073709551616\n");
	tmp_put(dir, "top", "18446744073709551615\n");
	tmp_put(dir, "empty", "\n");
	assert_int_equal(cgt_fs_open(&fs, dir), 0);
	assert_int_equal(cgt_fs_read_u64(&fs, "/neg", &v), -EINVAL);
	assert_int_equal(cgt_fs_read_u64(&fs, "/plus", &v), -EINVAL);
	assert_int_equal(cgt_fs_read_u64(&fs, "/blank", &v), -EINVAL);
	assert_int_equal(cgt_fs_read_u64(&fs, "/big", &v), -ERANGE);
	assert_int_equal(cgt_fs_read_u64(&fs, "/empty", &v), -EINVAL);
	assert_int_equal(v, 7);
	assert_int_equal(cgt_fs_read_u64(&fs, "/top", &v), 0);
	assert_true(v == UINT64_MAX);
	cgt_fs_close(&fs);
	tmp_tree_remove(dir);
}

static void test_write_roundtrip(void **state)
{
	char dir[4096], buf[32];
	struct cgt_fs fs;

	tmp_tree(dir);
	tmp_put(dir, "knob", "");
	assert_int_equal(cgt_fs_open(&fs, dir), 0);
	assert_int_equal(cgt_fs_write(&fs, "/knob", "123\n"), 0);
	assert_int_equal(cgt_fs_read(&fs, "/knob", buf, sizeof(buf)), 3);
	assert_string_equal(buf, "123");
	assert_int_equal(cgt_fs_write_u64(&fs, "/knob", UINT64_MAX), 0);
	assert_int_equal(cgt_fs_read(&fs, "/knob", buf, sizeof(buf)), 20);
	assert_string_equal(buf, "18446744073709551615");
	/* the file must exist: nothing is created */
	assert_int_equal(cgt_fs_write(&fs, "/missing", "1"), -ENOENT);
	assert_int_equal(cgt_fs_write(&fs, "/missing/knob", "1"), -ENOENT);
	cgt_fs_close(&fs);
	tmp_tree_remove(dir);
}

static void test_opendir(void **state)
{
	struct cgt_fs fs;
	struct dirent *de;
	int tiers = 0;
	DIR *d = NULL;

	assert_int_equal(cgt_fs_open(&fs, fixture("hmat")), 0);
	assert_int_equal(cgt_fs_opendir(&fs, "/sys/devices/virtual/memory_tiering", &d), 0);
	while ((de = readdir(d)))
		tiers += strncmp(de->d_name, "memory_tier", 11) == 0;
	closedir(d);
	assert_int_equal(tiers, 2);
	d = NULL;
	assert_int_equal(cgt_fs_opendir(&fs, "/nope", &d), -ENOENT);
	assert_int_equal(cgt_fs_opendir(&fs, "/sys/devices/system/node/has_cpu", &d),
			 -ENOTDIR);
	assert_null(d);
	cgt_fs_close(&fs);
}

static void test_fopen(void **state)
{
	char line[64];
	struct cgt_fs fs;
	FILE *f = NULL;

	assert_int_equal(cgt_fs_open(&fs, fixture("hmat")), 0);
	assert_int_equal(cgt_fs_fopen(&fs, "/sys/devices/system/node/has_cpu", &f), 0);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "0\n");
	fclose(f);
	f = NULL;
	assert_int_equal(cgt_fs_fopen(&fs, "/nope", &f), -ENOENT);
	assert_int_equal(cgt_fs_fopen(&fs, "/../etc/passwd", &f), -EXDEV);
	assert_int_equal(cgt_fs_fopen(&fs, "/sys", NULL), -EINVAL);
	assert_null(f);
	cgt_fs_close(&fs);
}

/* Regression: a 1-byte buffer (room for the NUL only) read every file as "". */
static void test_read_one_byte_buffer(void **state)
{
	char dir[4096], one[1] = { 'x' };
	struct cgt_fs fs;

	tmp_tree(dir);
	tmp_put(dir, "full", "7");
	tmp_put(dir, "empty", "");
	tmp_put(dir, "newline", "\n");
	assert_int_equal(cgt_fs_open(&fs, dir), 0);
	assert_int_equal(cgt_fs_read(&fs, "/full", one, sizeof(one)), -EFBIG);
	assert_int_equal(cgt_fs_read(&fs, "/empty", one, sizeof(one)), 0);
	assert_int_equal(one[0], '\0');
	/* "\n" strips to "" but needs 2 bytes to be read at all */
	assert_int_equal(cgt_fs_read(&fs, "/newline", one, sizeof(one)), -EFBIG);
	cgt_fs_close(&fs);
	tmp_tree_remove(dir);
}

/* Regression: writing "5" over "max" left "5ax" (no O_TRUNC). */
static void test_write_truncates(void **state)
{
	char dir[4096], buf[16];
	struct cgt_fs fs;

	tmp_tree(dir);
	tmp_put(dir, "sys/fs/cgroup/a/memory.max", "max\n");
	assert_int_equal(cgt_fs_open(&fs, dir), 0);
	assert_int_equal(cgt_fs_write(&fs, "/sys/fs/cgroup/a/memory.max", "5"), 0);
	assert_int_equal(cgt_fs_read(&fs, "/sys/fs/cgroup/a/memory.max", buf,
				     sizeof(buf)), 1);
	assert_string_equal(buf, "5");
	cgt_fs_close(&fs);
	tmp_tree_remove(dir);
}

/* Regression: a relative root was accepted and resolved against the cwd. */
static void test_relative_root_refused(void **state)
{
	struct cgt_fs fs = { .dirfd = -1 };

	assert_int_equal(cgt_fs_open(&fs, "tests/fixtures/hmat"), -EINVAL);
	assert_int_equal(cgt_fs_open(&fs, ""), -EINVAL);
	assert_int_equal(cgt_fs_open(&fs, "./x"), -EINVAL);
	assert_int_equal(fs.dirfd, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_close),
		cmocka_unit_test(test_path_must_be_absolute),
		cmocka_unit_test(test_stays_below_root),
		cmocka_unit_test(test_openat_walk),
		cmocka_unit_test(test_read_strips_newline),
		cmocka_unit_test(test_read_too_big),
		cmocka_unit_test(test_read_missing),
		cmocka_unit_test(test_read_u64),
		cmocka_unit_test(test_read_u64_strict),
		cmocka_unit_test(test_write_roundtrip),
		cmocka_unit_test(test_opendir),
		cmocka_unit_test(test_fopen),
		cmocka_unit_test(test_read_one_byte_buffer),
		cmocka_unit_test(test_write_truncates),
		cmocka_unit_test(test_relative_root_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
