// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pageidle.c - pagemap and idle page tracking (see pageidle.h).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgtier/pageidle.h"

/* pread exactly @len bytes at @off; -EIO at an early end of file. */
static int pread_full(int fd, void *buf, size_t len, off_t off)
{
	char *p = buf;
	ssize_t n;

	while (len) {
		n = pread(fd, p, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

int cgt_pagemap_read(const struct cgt_fs *fs, int pid, uintptr_t addr,
		     size_t npages, uint64_t *ret)
{
	long pg = sysconf(_SC_PAGESIZE);
	char rel[64];
	int fd, r;

	if (pid < 0 || pg <= 0 || addr % (uintptr_t)pg || (npages && !ret) ||
	    npages > SIZE_MAX / sizeof(*ret))
		return -EINVAL;
	if (pid)
		snprintf(rel, sizeof(rel), "/proc/%d/pagemap", pid);
	else
		snprintf(rel, sizeof(rel), "/proc/self/pagemap");
	fd = cgt_fs_openat(fs, rel, O_RDONLY);
	if (fd < 0)
		return fd;
	r = pread_full(fd, ret, npages * sizeof(*ret),
		       (off_t)(addr / (uintptr_t)pg * sizeof(*ret)));
	close(fd);
	return r;
}

int cgt_pagemap_pfn(uint64_t ent, uint64_t *ret)
{
	if (!ret)
		return -EINVAL;
	if (!(ent & CGT_PAGEMAP_PRESENT))
		return -ENOENT;
	if (ent & CGT_PAGEMAP_SWAPPED)
		return -ENXIO;
	if (!(ent & CGT_PAGEMAP_PFN_MASK))
		return -EPERM;
	*ret = ent & CGT_PAGEMAP_PFN_MASK;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Group the sorted @pfns into @words; -EEXIST on a duplicate. */
static int group_words(const uint64_t *pfns, size_t n,
		       struct cgt_idle_word *words, size_t *nr)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++) {
		if (i && pfns[i] == pfns[i - 1])
			return -EEXIST;
		if (!w || words[w - 1].index != pfns[i] / 64)
			words[w++].index = pfns[i] / 64;
		words[w - 1].mask |= UINT64_C(1) << (pfns[i] % 64);
	}
	*nr = w;
	return 0;
}

int cgt_page_idle_open(const struct cgt_fs *fs, const uint64_t *pfns,
		       size_t n, struct cgt_page_idle *ret)
{
	struct cgt_page_idle pi = { .fd = -1 };
	uint64_t *sorted;
	int r;

	if (!ret || (n && !pfns))
		return -EINVAL;
	sorted = malloc((n ? n : 1) * sizeof(*sorted));
	pi.words = calloc(n ? n : 1, sizeof(*pi.words));
	r = -ENOMEM;
	if (!sorted || !pi.words)
		goto fail;
	if (n)
		memcpy(sorted, pfns, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	r = group_words(sorted, n, pi.words, &pi.nr);
	if (r < 0)
		goto fail;
	pi.fd = cgt_fs_openat(fs, CGT_PAGE_IDLE_BITMAP, O_RDWR);
	if (pi.fd < 0) {
		r = pi.fd;
		goto fail;
	}
	free(sorted);
	*ret = pi;
	return 0;
fail:
	free(sorted);
	free(pi.words);
	return r;
}

void cgt_page_idle_close(struct cgt_page_idle *pi)
{
	if (!pi)
		return;
	if (pi->fd >= 0)
		close(pi->fd);
	free(pi->words);
	pi->fd = -1;
	pi->words = NULL;
	pi->nr = 0;
}

/* The bitmap is read and written in whole, aligned 8-byte words. */
static int word_io(int fd, uint64_t *val, uint64_t index, bool write)
{
	off_t off = (off_t)(index * sizeof(uint64_t));
	ssize_t n;

	do {
		n = write ? pwrite(fd, val, sizeof(*val), off) :
			    pread(fd, val, sizeof(*val), off);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(*val) ? 0 : -EIO;
}

int cgt_page_idle_mark(struct cgt_page_idle *pi)
{
	int r;

	if (!pi || pi->fd < 0)
		return -EINVAL;
	for (size_t i = 0; i < pi->nr; i++) {
		r = word_io(pi->fd, &pi->words[i].mask, pi->words[i].index, true);
		if (r < 0)
			return r;
	}
	return 0;
}

int cgt_page_idle_read(struct cgt_page_idle *pi)
{
	int r;

	if (!pi || pi->fd < 0)
		return -EINVAL;
	for (size_t i = 0; i < pi->nr; i++) {
		r = word_io(pi->fd, &pi->words[i].idle, pi->words[i].index, false);
		if (r < 0)
			return r;
	}
	return 0;
}

bool cgt_page_idle_test(const struct cgt_page_idle *pi, uint64_t pfn)
{
	size_t lo = 0, hi, mid;

	if (!pi)
		return false;
	hi = pi->nr;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (pi->words[mid].index < pfn / 64)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == pi->nr || pi->words[lo].index != pfn / 64)
		return false;
	return (pi->words[lo].mask & pi->words[lo].idle) >> (pfn % 64) & 1;
}
