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
#include <time.h>
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
	for (size_t i = 1; i < n; i++) {
		if (sorted[i - 1] > sorted[i]) { /* not sorted already */
			qsort(sorted, n, sizeof(*sorted), cmp_u64);
			break;
		}
	}
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

/*
 * The bitmap is read and written in whole, aligned 8-byte words, and in
 * runs: tracked words at most RUN_GAP apart (the words between written as
 * 0, which marks nothing, or read and ignored) go in one pread/pwrite of
 * at most RUN_WORDS words.  A process's pages sit in few physical ranges,
 * so this turns one system call per 64 pages into a handful per scan,
 * which keeps the time between the first and the last word marked -- the
 * blur of a short sample window -- and the daemon's cost small.
 */
#define RUN_GAP 4
#define RUN_WORDS 64

/* The end (exclusive) of the run of pi->words starting at @i. */
static size_t run_end(const struct cgt_page_idle *pi, size_t i)
{
	size_t j = i + 1;

	while (j < pi->nr && pi->words[j].index - pi->words[j - 1].index <= RUN_GAP &&
	       pi->words[j].index - pi->words[i].index < RUN_WORDS)
		j++;
	return j;
}

/*
 * One run [@i, @j): write the masks, or read into .idle.  The kernel moves
 * only whole words below max_pfn, so a run may come back short: the words
 * past what it moved are unreadable (pageidle.h), read as idle.
 */
static int run_io(struct cgt_page_idle *pi, size_t i, size_t j, bool write)
{
	uint64_t buf[RUN_WORDS], first = pi->words[i].index;
	size_t words = (size_t)(pi->words[j - 1].index - first + 1), done;
	off_t off = (off_t)(first * sizeof(uint64_t));
	ssize_t n;

	if (write) {
		memset(buf, 0, words * sizeof(*buf));
		for (size_t k = i; k < j; k++)
			buf[pi->words[k].index - first] = pi->words[k].mask;
	}
	do {
		n = write ? pwrite(pi->fd, buf, words * sizeof(*buf), off) :
			    pread(pi->fd, buf, words * sizeof(*buf), off);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	done = (size_t)n / sizeof(*buf);
	for (size_t k = i; k < j; k++) {
		size_t w = (size_t)(pi->words[k].index - first);

		if (w >= done) {
			pi->unreadable++;
			if (!write) /* never seen accessed: idle */
				pi->words[k].idle = pi->words[k].mask;
		} else if (!write) {
			pi->words[k].idle = buf[w];
		}
	}
	return 0;
}

static int all_runs(struct cgt_page_idle *pi, bool write)
{
	int r;

	if (!pi || pi->fd < 0)
		return -EINVAL;
	pi->unreadable = 0;
	for (size_t i = 0, j; i < pi->nr; i = j) {
		j = run_end(pi, i);
		r = run_io(pi, i, j, write);
		if (r < 0)
			return r;
	}
	return 0;
}

int cgt_page_idle_mark(struct cgt_page_idle *pi)
{
	return all_runs(pi, true);
}

static uint64_t mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void sleep_until(uint64_t usec)
{
	uint64_t now = mono_usec();
	struct timespec ts;

	if (now >= usec)
		return;
	ts.tv_sec = (time_t)((usec - now) / 1000000);
	ts.tv_nsec = (long)((usec - now) % 1000000) * 1000;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int cgt_page_idle_sample_many(struct cgt_page_idle *const *pis, size_t n,
			      uint64_t window_usec, int *errs)
{
	struct run {
		size_t k, i, j;
		uint64_t marked;
	} *runs = NULL;
	size_t nr = 0, cap = 0, next = 0;

	if ((n && (!pis || !errs)))
		return -EINVAL;
	for (size_t k = 0; k < n; k++) {
		errs[k] = pis[k] && pis[k]->fd >= 0 ? 0 : -EINVAL;
		if (!errs[k])
			pis[k]->unreadable = 0;
	}
	/* one queue of runs over all the bitmaps, in marking order */
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0, j; !errs[k] && i < pis[k]->nr; i = j) {
			j = run_end(pis[k], i);
			if (nr == cap) {
				struct run *nw;

				cap = cap ? 2 * cap : 64;
				nw = realloc(runs, cap * sizeof(*nw));
				if (!nw) {
					free(runs);
					for (size_t m = 0; m < n; m++)
						errs[m] = errs[m] ? errs[m] : -ENOMEM;
					return -ENOMEM;
				}
				runs = nw;
			}
			errs[k] = run_io(pis[k], i, j, true);
			if (errs[k])
				break;
			runs[nr++] = (struct run){ .k = k, .i = i, .j = j, .marked = mono_usec() };
			/* read every run whose window has passed, oldest first */
			while (next < nr && runs[next].marked + window_usec <= mono_usec()) {
				struct run *q = &runs[next++];

				if (!errs[q->k])
					errs[q->k] = run_io(pis[q->k], q->i, q->j, false);
			}
		}
	}
	for (; next < nr; next++) {
		struct run *q = &runs[next];

		if (errs[q->k])
			continue;
		sleep_until(q->marked + window_usec);
		errs[q->k] = run_io(pis[q->k], q->i, q->j, false);
	}
	free(runs);
	return 0;
}

int cgt_page_idle_sample(struct cgt_page_idle *pi, uint64_t window_usec)
{
	int err, r;

	if (!pi || pi->fd < 0)
		return -EINVAL;
	r = cgt_page_idle_sample_many(&pi, 1, window_usec, &err);
	return r < 0 ? r : err;
}

int cgt_page_idle_read(struct cgt_page_idle *pi)
{
	return all_runs(pi, false);
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
