// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-mempolicy.c - the chunked move_pages(2) helpers, as queries of this
 * process's own pages (nothing is moved on the build host).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cgtier/mempolicy.h"
#include "unit.h"

/* More than two chunks, and not a multiple of one. */
#define NPAGES (2 * CGT_MOVE_CHUNK + 123)

static void test_query_range(void **state)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE), touched = 0, absent = 0;
	int *status = calloc(NPAGES, sizeof(*status));
	char *buf;

	assert_non_null(status);
	buf = mmap(NULL, NPAGES * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(buf != MAP_FAILED);
	/* touch the even pages only: the odd ones have no page yet */
	for (size_t i = 0; i < NPAGES; i += 2)
		buf[i * pg] = 1;
	assert_int_equal(cgt_move_range(0, buf, NPAGES, -1, status, 0), 0);
	for (size_t i = 0; i < NPAGES; i++) {
		if (i % 2 == 0 && status[i] >= 0)
			touched++;
		if (i % 2 == 1 && status[i] == -ENOENT)
			absent++;
	}
	assert_int_equal(touched, (NPAGES + 1) / 2);
	assert_int_equal(absent, NPAGES / 2);
	munmap(buf, NPAGES * pg);
	free(status);
}

/* A failing chunk leaves the rest of @status at the sentinel (M5). */
static void test_failed_chunk_leaves_unknown(void **state)
{
	void *pages[CGT_MOVE_CHUNK + 2];
	int status[CGT_MOVE_CHUNK + 2];
	char page[64];

	for (size_t i = 0; i < CGT_MOVE_CHUNK + 2; i++) {
		pages[i] = page;
		status[i] = 12345;
	}
	/* a process that cannot exist: the first chunk fails with -ESRCH */
	assert_int_equal(cgt_move_pages_chunked(-2, CGT_MOVE_CHUNK + 2, pages,
						NULL, status, 0), -ESRCH);
	assert_int_equal(status[CGT_MOVE_CHUNK + 1], 12345);
	assert_int_equal(status[0], CGT_MOVE_STATUS_UNKNOWN);
	assert_int_equal(cgt_move_pages_chunked(0, 1, NULL, NULL, status, 0),
			 -EINVAL);
	assert_int_equal(cgt_move_pages_chunked(0, 0, NULL, NULL, NULL, 0), 0);
	assert_int_equal(cgt_move_range(0, NULL, 1, -1, status, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_range),
		cmocka_unit_test(test_failed_chunk_leaves_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
