// SPDX-License-Identifier: LGPL-2.1-or-later
/* test-fs.c - root-parameterised file access against fixture trees. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "cgtier/fs.h"
#include "unit.h"

static void test_init_strips_trailing_slashes(void **state)
{
	struct cgt_fs fs;
	char path[PATH_MAX];

	assert_int_equal(cgt_fs_init(&fs, "/tmp/x///"), 0);
	assert_string_equal(fs.root, "/tmp/x");
	assert_int_equal(cgt_fs_path(&fs, "/sys/a", path, sizeof(path)), 0);
	assert_string_equal(path, "/tmp/x/sys/a");
	assert_int_equal(cgt_fs_init(&fs, NULL), 0);
	assert_string_equal(fs.root, "");
	assert_int_equal(cgt_fs_path(&fs, "/proc/vmstat", path, sizeof(path)), 0);
	assert_string_equal(path, "/proc/vmstat");
}

static void test_path_errors(void **state)
{
	struct cgt_fs fs;
	char small[8];
	char *longroot = malloc(PATH_MAX + 2);

	assert_non_null(longroot);
	memset(longroot, 'a', PATH_MAX + 1);
	longroot[PATH_MAX + 1] = '\0';
	assert_int_equal(cgt_fs_init(&fs, longroot), -ENAMETOOLONG);
	free(longroot);
	assert_int_equal(cgt_fs_init(&fs, "/r"), 0);
	assert_int_equal(cgt_fs_path(&fs, "relative", small, sizeof(small)), -EINVAL);
	assert_int_equal(cgt_fs_path(&fs, "/sys/too/long", small, sizeof(small)),
			 -ENAMETOOLONG);
}

static void test_read_strips_newline(void **state)
{
	struct cgt_fs fs;
	char buf[64];

	assert_int_equal(cgt_fs_init(&fs, fixture("hmat")), 0);
	assert_int_equal(cgt_fs_read(&fs, "/sys/devices/system/node/has_memory",
				     buf, sizeof(buf)), 3);
	assert_string_equal(buf, "0-1");
}

static void test_read_too_big(void **state)
{
	struct cgt_fs fs;
	char buf[4], exact[5];

	assert_int_equal(cgt_fs_init(&fs, fixture("hmat")), 0);
	/* "0-1\n" is 4 bytes: does not fit in 3 + NUL, fits in 4 + NUL */
	assert_int_equal(cgt_fs_read(&fs, "/sys/devices/system/node/has_memory",
				     buf, sizeof(buf)), -EFBIG);
	assert_int_equal(cgt_fs_read(&fs, "/sys/devices/system/node/has_memory",
				     exact, sizeof(exact)), 3);
}

static void test_read_missing(void **state)
{
	struct cgt_fs fs;
	char buf[16];
	uint64_t v = 42;

	assert_int_equal(cgt_fs_init(&fs, fixture("hmat")), 0);
	assert_int_equal(cgt_fs_read(&fs, "/no/such/file", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(cgt_fs_read_u64(&fs, "/no/such/file", &v), -ENOENT);
	assert_int_equal(v, 42);
	assert_int_equal(cgt_fs_exists(&fs, "/no/such/file"), -ENOENT);
	assert_int_equal(cgt_fs_exists(&fs, "/sys/devices/system/node"), 0);
}

static void test_read_u64(void **state)
{
	struct cgt_fs fs;
	uint64_t v = 0;

	assert_int_equal(cgt_fs_init(&fs, fixture("cgroup")), 0);
	assert_int_equal(cgt_fs_read_u64(&fs, "/sys/fs/cgroup/test/memory.current", &v), 0);
	assert_int_equal(v, 68055040);
	assert_int_equal(cgt_fs_read_u64(&fs, "/sys/fs/cgroup/test/memory.max", &v), 0);
	assert_true(v == UINT64_MAX);
	v = 7;
	/* "0-1" is not a number, and the out-param is left alone */
	assert_int_equal(cgt_fs_init(&fs, fixture("hmat")), 0);
	assert_int_equal(cgt_fs_read_u64(&fs, "/sys/devices/system/node/has_memory", &v),
			 -EINVAL);
	assert_int_equal(v, 7);
}

static void test_write_roundtrip(void **state)
{
	char dir[] = "/tmp/cgtier-test-fs.XXXXXX";
	char path[PATH_MAX], buf[32];
	struct cgt_fs fs;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/knob", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(cgt_fs_init(&fs, dir), 0);
	assert_int_equal(cgt_fs_write(&fs, "/knob", "123\n"), 0);
	assert_int_equal(cgt_fs_read(&fs, "/knob", buf, sizeof(buf)), 3);
	assert_string_equal(buf, "123");
	assert_int_equal(cgt_fs_write(&fs, "/missing/knob", "1"), -ENOENT);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_strips_trailing_slashes),
		cmocka_unit_test(test_path_errors),
		cmocka_unit_test(test_read_strips_newline),
		cmocka_unit_test(test_read_too_big),
		cmocka_unit_test(test_read_missing),
		cmocka_unit_test(test_read_u64),
		cmocka_unit_test(test_write_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
