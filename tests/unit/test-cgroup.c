// SPDX-License-Identifier: LGPL-2.1-or-later
/* test-cgroup.c - cgroup handles against fixture and scratch trees. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "cgtier/cgroup.h"
#include "unit.h"

static void test_captured(void **state)
{
	struct cgt_cgroup cg = { .fd = -1 };
	uint64_t v = 0, n[2] = { 0, 0 };
	struct cgt_fs fs;

	assert_int_equal(cgt_fs_open(&fs, fixture("cgroup")), 0);
	assert_int_equal(cgt_cgroup_open(&fs, "test", &cg), 0);
	assert_int_equal(cgt_cgroup_read_u64(&cg, "memory.current", &v), 0);
	assert_int_equal(v, 68055040);
	assert_int_equal(cgt_cgroup_read_u64(&cg, "memory.max", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(cgt_cgroup_stat(&cg, "memory.stat", "anon", &v), 0);
	assert_true(v >= 64ULL << 20);
	assert_int_equal(cgt_cgroup_stat(&cg, "memory.stat", "nope", &v), -ENOENT);
	assert_int_equal(cgt_cgroup_numa_stat(&cg, "anon", n, 2), 0);
	assert_true(n[1] >= 64ULL << 20);
	assert_int_equal(cgt_cgroup_read_u64(&cg, "no.such.file", &v), -ENOENT);
	cgt_cgroup_close(&cg);
	assert_int_equal(cg.fd, -1);
	assert_int_equal(cgt_cgroup_read_u64(&cg, "memory.current", &v), -EINVAL);
	assert_int_equal(cgt_cgroup_open(&fs, "nope", &cg), -ENOENT);
	cgt_fs_close(&fs);
}

static void test_bad_paths(void **state)
{
	static const char *const bad[] = {
		"/test", "test/", "..", "test/..", "./test", "a//b", ".",
	};
	struct cgt_cgroup cg = { .fd = -1 }, root;
	struct cgt_fs fs;
	char buf[16];

	assert_int_equal(cgt_fs_open(&fs, fixture("cgroup")), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("\"%s\"\n", bad[i]);
		assert_int_equal(cgt_cgroup_open(&fs, bad[i], &cg), -EINVAL);
	}
	assert_int_equal(cg.fd, -1);
	/* file names are single components */
	assert_int_equal(cgt_cgroup_open(&fs, "", &root), 0);
	assert_int_equal(cgt_cgroup_read(&root, "test/memory.max", buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(cgt_cgroup_read(&root, "..", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(cgt_cgroup_mkdir(&root, ""), -EINVAL);
	assert_int_equal(cgt_cgroup_rmdir(&root, "../x"), -EINVAL);
	cgt_cgroup_close(&root);
	cgt_fs_close(&fs);
}

/* D15: a symlink planted in the hierarchy is refused, not followed. */
static void test_symlinks_refused(void **state)
{
	char dir[4096], outside[4096], path[8192];
	struct cgt_cgroup root, cg = { .fd = -1 };
	struct cgt_fs fs;
	uint64_t v = 7;

	tmp_tree(dir);
	tmp_tree(outside);
	tmp_put(outside, "memory.max", "5\n");
	tmp_put(dir, "sys/fs/cgroup/pods/memory.max", "max\n");
	snprintf(path, sizeof(path), "%s/sys/fs/cgroup/pods/evil", dir);
	assert_int_equal(symlink(outside, path), 0);
	snprintf(path, sizeof(path), "%s/sys/fs/cgroup/pods/sibling", dir);
	assert_int_equal(symlink(".", path), 0);
	snprintf(path, sizeof(path), "%s/sys/fs/cgroup/pods/memory.high", dir);
	assert_int_equal(symlink("memory.max", path), 0);

	assert_int_equal(cgt_fs_open(&fs, dir), 0);
	assert_int_equal(cgt_cgroup_open(&fs, "pods/evil", &cg), -ELOOP);
	assert_int_equal(cgt_cgroup_open(&fs, "pods/sibling", &cg), -ELOOP);
	assert_int_equal(cg.fd, -1);
	assert_int_equal(cgt_cgroup_open(&fs, "pods", &cg), 0);
	assert_int_equal(cgt_cgroup_read_u64(&cg, "memory.high", &v), -ELOOP);
	assert_int_equal(cgt_cgroup_write(&cg, "memory.high", "1"), -ELOOP);
	assert_int_equal(v, 7);
	/* rmdir of a symlink in place of a cgroup removes nothing */
	assert_int_equal(cgt_cgroup_rmdir(&cg, "evil"), -ENOTDIR);
	assert_int_equal(access(outside, F_OK), 0);
	cgt_cgroup_close(&cg);
	assert_int_equal(cgt_cgroup_open(&fs, "", &root), 0);
	assert_int_equal(cgt_cgroup_mkdir(&root, "pods/evil/x"), -ELOOP);
	cgt_cgroup_close(&root);
	cgt_fs_close(&fs);
	tmp_tree_remove(dir);
	tmp_tree_remove(outside);
}

static void test_create_attach_destroy(void **state)
{
	char dir[4096], path[8192], buf[32];
	struct cgt_cgroup root, cg;
	struct cgt_fs fs;

	tmp_tree(dir);
	tmp_put(dir, "sys/fs/cgroup", NULL);
	assert_int_equal(cgt_fs_open(&fs, dir), 0);
	assert_int_equal(cgt_cgroup_open(&fs, "", &root), 0);
	assert_int_equal(cgt_cgroup_mkdir(&root, "a"), 0);
	assert_int_equal(cgt_cgroup_mkdir(&root, "a"), -EEXIST);
	assert_int_equal(cgt_cgroup_mkdir(&root, "a/b"), 0);
	assert_int_equal(cgt_cgroup_mkdir(&root, "x/b"), -ENOENT);
	/* a fixture directory has no cgroup.procs: attach needs one */
	assert_int_equal(cgt_cgroup_open_at(&root, "a/b", &cg), 0);
	assert_int_equal(cgt_cgroup_attach(&cg, 0), -ENOENT);
	tmp_put(dir, "sys/fs/cgroup/a/b/cgroup.procs", "");
	assert_int_equal(cgt_cgroup_attach(&cg, 0), 0);
	assert_int_equal(cgt_cgroup_read(&cg, "cgroup.procs", buf, sizeof(buf)),
			 snprintf(NULL, 0, "%d", (int)getpid()));
	assert_int_equal(atoi(buf), (int)getpid());
	assert_int_equal(cgt_cgroup_attach(&cg, 1), 0);
	assert_int_equal(cgt_cgroup_read(&cg, "cgroup.procs", buf, sizeof(buf)), 1);
	assert_int_equal(cgt_cgroup_attach(&cg, -1), -EINVAL);
	cgt_cgroup_close(&cg);
	assert_int_equal(cgt_cgroup_rmdir(&root, "a"), -ENOTEMPTY);
	snprintf(path, sizeof(path), "%s/sys/fs/cgroup/a/b/cgroup.procs", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(cgt_cgroup_rmdir(&root, "a/b"), 0);
	assert_int_equal(cgt_cgroup_rmdir(&root, "a/b"), -ENOENT);
	assert_int_equal(cgt_cgroup_rmdir(&root, "a"), 0);
	cgt_cgroup_close(&root);
	cgt_fs_close(&fs);
	tmp_tree_remove(dir);
}

static void test_opendir_ino(void **state)
{
	struct cgt_cgroup cg = { .fd = -1 };
	struct cgt_fs fs;
	struct dirent *de;
	struct stat st;
	char path[8300];
	uint64_t ino = 0;
	int files = 0;
	DIR *d = NULL;

	assert_int_equal(cgt_fs_open(&fs, fixture("cgroup")), 0);
	assert_int_equal(cgt_cgroup_opendir(&cg, &d), -EINVAL);
	assert_int_equal(cgt_cgroup_ino(&cg, &ino), -EINVAL);
	assert_int_equal(cgt_cgroup_open(&fs, "test", &cg), 0);
	assert_int_equal(cgt_cgroup_opendir(&cg, &d), 0);
	while ((de = readdir(d)))
		files += !strncmp(de->d_name, "memory.", 7);
	closedir(d);
	assert_int_equal(files, 4);
	assert_int_equal(cgt_cgroup_ino(&cg, &ino), 0);
	snprintf(path, sizeof(path), "%s/sys/fs/cgroup/test", fixture("cgroup"));
	assert_int_equal(stat(path, &st), 0);
	assert_true(ino == (uint64_t)st.st_ino);
	cgt_cgroup_close(&cg);
	cgt_fs_close(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captured),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_symlinks_refused),
		cmocka_unit_test(test_create_attach_destroy),
		cmocka_unit_test(test_opendir_ino),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
