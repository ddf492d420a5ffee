// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-pageidle.c - pagemap and page_idle bitmap I/O against plain files in
 * a scratch tree (regular files read and write like the kernel's, except
 * that a write stores the mask instead of setting idle bits).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cgtier/pageidle.h"
#include "unit.h"


static void test_pagemap(void **state)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	const uint64_t ent[4] = {
		CGT_PAGEMAP_PRESENT | 0x1234,
		0,
		CGT_PAGEMAP_PRESENT | CGT_PAGEMAP_SWAPPED | 5,
		CGT_PAGEMAP_PRESENT,
	};
	uint64_t got[4] = { 0 }, pfn = 99;
	char dir[4096];
	struct cgt_fs fs;

	tmp_tree(dir);
	tmp_put(dir, "proc/self", NULL);
	tmp_put(dir, "proc/42", NULL);
	/* virtual page 100 of "self", page 7 of pid 42 */
	put_words(dir, "proc/self/pagemap", 100, ent, 4);
	put_words(dir, "proc/42/pagemap", 7, ent, 1);
	assert_int_equal(cgt_fs_open(&fs, dir), 0);
	assert_int_equal(cgt_pagemap_read(&fs, 0, 100 * pg, 4, got), 0);
	assert_memory_equal(got, ent, sizeof(ent));
	assert_int_equal(cgt_pagemap_read(&fs, 42, 7 * pg, 1, got), 0);
	assert_true(got[0] == ent[0]);
	/* past the end of the file, unaligned, no such process */
	assert_int_equal(cgt_pagemap_read(&fs, 0, 103 * pg, 2, got), -EIO);
	assert_int_equal(cgt_pagemap_read(&fs, 0, 100 * pg + 1, 1, got), -EINVAL);
	assert_int_equal(cgt_pagemap_read(&fs, 43, 0, 1, got), -ENOENT);
	cgt_fs_close(&fs);

	assert_int_equal(cgt_pagemap_pfn(ent[0], &pfn), 0);
	assert_int_equal(pfn, 0x1234);
	pfn = 99;
	assert_int_equal(cgt_pagemap_pfn(ent[1], &pfn), -ENOENT);
	assert_int_equal(cgt_pagemap_pfn(ent[2], &pfn), -ENXIO);
	assert_int_equal(cgt_pagemap_pfn(ent[3], &pfn), -EPERM);
	assert_int_equal(pfn, 99);
	tmp_tree_remove(dir);
}

static void test_idle_bitmap(void **state)
{
	/* two PFNs in word 0, one in word 2, listed out of order */
	const uint64_t pfns[] = { 130, 3, 63 };
	const uint64_t zero[3] = { 0, 0, 0 };
	struct cgt_page_idle pi = { .fd = -1 };
	uint64_t w, young;
	char dir[4096];
	struct cgt_fs fs;

	tmp_tree(dir);
	tmp_put(dir, "sys/kernel/mm/page_idle", NULL);
	put_words(dir, "sys/kernel/mm/page_idle/bitmap", 0, zero, 3);
	assert_int_equal(cgt_fs_open(&fs, dir), 0);
	assert_int_equal(cgt_page_idle_open(&fs, pfns, 3, &pi), 0);
	assert_int_equal(pi.nr, 2);
	assert_int_equal(cgt_page_idle_mark(&pi), 0);
	w = get_word(dir, "sys/kernel/mm/page_idle/bitmap", 0);
	assert_true(w == ((UINT64_C(1) << 3) | (UINT64_C(1) << 63)));
	w = get_word(dir, "sys/kernel/mm/page_idle/bitmap", 2);
	assert_true(w == UINT64_C(1) << 2);
	assert_int_equal(cgt_page_idle_read(&pi), 0);
	assert_true(cgt_page_idle_test(&pi, 3));
	assert_true(cgt_page_idle_test(&pi, 63));
	assert_true(cgt_page_idle_test(&pi, 130));
	assert_false(cgt_page_idle_test(&pi, 4));   /* untracked, same word */
	assert_false(cgt_page_idle_test(&pi, 64));  /* untracked word */
	/* the "kernel" clears PFN 63's idle bit: it was accessed */
	young = UINT64_C(1) << 3;
	put_words(dir, "sys/kernel/mm/page_idle/bitmap", 0, &young, 1);
	assert_int_equal(cgt_page_idle_read(&pi), 0);
	assert_true(cgt_page_idle_test(&pi, 3));
	assert_false(cgt_page_idle_test(&pi, 63));
	assert_int_equal(pi.unreadable, 0);
	/*
	 * The word of max_pfn reads short (here: the file ends before word
	 * 2): not an error, its PFNs read idle, counted.
	 */
	{
		char path[8192];

		snprintf(path, sizeof(path), "%s/sys/kernel/mm/page_idle/bitmap", dir);
		assert_int_equal(truncate(path, 16), 0);
	}
	assert_int_equal(cgt_page_idle_read(&pi), 0);
	assert_int_equal(pi.unreadable, 1);
	assert_true(cgt_page_idle_test(&pi, 130));
	assert_false(cgt_page_idle_test(&pi, 63));
	cgt_page_idle_close(&pi);
	assert_int_equal(pi.fd, -1);
	assert_null(pi.words);
	cgt_page_idle_close(&pi);
	assert_int_equal(cgt_page_idle_read(&pi), -EINVAL);
	cgt_fs_close(&fs);
	tmp_tree_remove(dir);
}

/*
 * Two trackers sampled in one window: both marked and read back; a third
 * that is not open fails alone, and -EINVAL for NULL arrays.
 */
static void test_sample_many(void **state)
{
	const uint64_t a_pfns[] = { 3, 63 }, b_pfns[] = { 130 };
	const uint64_t zero[3] = { 0, 0, 0 };
	struct cgt_page_idle a = { .fd = -1 }, b = { .fd = -1 }, closed = { .fd = -1 };
	struct cgt_page_idle *pis[] = { &a, &closed, &b };
	int errs[3] = { 1, 1, 1 };
	char dir[4096];
	struct cgt_fs fs;

	(void)state;
	tmp_tree(dir);
	tmp_put(dir, "sys/kernel/mm/page_idle", NULL);
	put_words(dir, "sys/kernel/mm/page_idle/bitmap", 0, zero, 3);
	assert_int_equal(cgt_fs_open(&fs, dir), 0);
	assert_int_equal(cgt_page_idle_open(&fs, a_pfns, 2, &a), 0);
	assert_int_equal(cgt_page_idle_open(&fs, b_pfns, 1, &b), 0);
	assert_int_equal(cgt_page_idle_sample_many(pis, 3, 1000, errs), 0);
	assert_int_equal(errs[0], 0);
	assert_int_equal(errs[1], -EINVAL);
	assert_int_equal(errs[2], 0);
	/* marked (the fixture keeps what was written) and read back idle */
	assert_true(get_word(dir, "sys/kernel/mm/page_idle/bitmap", 0) ==
		    ((UINT64_C(1) << 3) | (UINT64_C(1) << 63)));
	assert_true(get_word(dir, "sys/kernel/mm/page_idle/bitmap", 2) == UINT64_C(1) << 2);
	assert_true(cgt_page_idle_test(&a, 3) && cgt_page_idle_test(&a, 63));
	assert_true(cgt_page_idle_test(&b, 130));
	assert_false(cgt_page_idle_test(&b, 3)); /* not b's */
	assert_int_equal(cgt_page_idle_sample_many(NULL, 1, 0, errs), -EINVAL);
	assert_int_equal(cgt_page_idle_sample_many(pis, 0, 0, NULL), 0);
	cgt_page_idle_close(&a);
	cgt_page_idle_close(&b);
	cgt_fs_close(&fs);
	tmp_tree_remove(dir);
}

static void test_idle_errors(void **state)
{
	const uint64_t dup[] = { 5, 9, 5 };
	struct cgt_page_idle pi = { .fd = -1 };
	struct cgt_fs fs;

	/* no page_idle in this tree */
	assert_int_equal(cgt_fs_open(&fs, fixture("hmat")), 0);
	assert_int_equal(cgt_page_idle_open(&fs, dup, 2, &pi), -ENOENT);
	assert_int_equal(cgt_page_idle_open(&fs, dup, 3, &pi), -EEXIST);
	assert_int_equal(pi.fd, -1);
	cgt_fs_close(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pagemap),
		cmocka_unit_test(test_idle_bitmap),
		cmocka_unit_test(test_sample_many),
		cmocka_unit_test(test_idle_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
