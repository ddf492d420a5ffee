/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pageidle.h - /proc/PID/pagemap and the idle page tracking bitmap.
 *
 * The stock-kernel way to see which of a process's pages were accessed:
 * translate virtual pages to PFNs with /proc/PID/pagemap (PFNs are zero
 * without CAP_SYS_ADMIN), mark those PFNs idle in
 * /sys/kernel/mm/page_idle/bitmap, and read the bitmap later: a page that
 * was accessed meanwhile is no longer idle.  Both files are opened below a
 * struct cgt_fs root, so unit tests use plain files in a fixture tree.
 *
 * PFNs are sensitive (security requirement 9): never log them.
 */
#ifndef CGTIER_PAGEIDLE_H
#define CGTIER_PAGEIDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgtier/fs.h"

#define CGT_PAGE_IDLE_BITMAP "/sys/kernel/mm/page_idle/bitmap"

/* Bits of a pagemap entry (Documentation/admin-guide/mm/pagemap.rst). */
#define CGT_PAGEMAP_PRESENT (UINT64_C(1) << 63)
#define CGT_PAGEMAP_SWAPPED (UINT64_C(1) << 62)
#define CGT_PAGEMAP_PFN_MASK ((UINT64_C(1) << 55) - 1)

/*
 * Read the pagemap entries of the @npages pages from virtual address @addr
 * (page-aligned) of process @pid (0: the caller) into @ret.  -EIO if the
 * file ends early.
 */
int cgt_pagemap_read(const struct cgt_fs *fs, int pid, uintptr_t addr,
		     size_t npages, uint64_t *ret);

/*
 * The PFN of pagemap entry @ent: -ENOENT if the page is not present,
 * -ENXIO if it is swapped out, -EPERM if the PFN reads 0 (hidden from a
 * caller without CAP_SYS_ADMIN).
 */
int cgt_pagemap_pfn(uint64_t ent, uint64_t *ret);

/* One 64-bit word of the bitmap: PFNs [index * 64, index * 64 + 63]. */
struct cgt_idle_word {
	uint64_t index;
	uint64_t mask; /* the tracked PFNs in this word */
	uint64_t idle; /* last read: which of them are idle */
};

/* A set of PFNs and the bitmap file to track them in. */
struct cgt_page_idle {
	int fd;                     /* the bitmap, O_RDWR; -1 when closed */
	struct cgt_idle_word *words; /* sorted by index */
	size_t nr;                  /* words in use */
	size_t unreadable;          /* words the last mark or read could not move */
};

/*
 * Open the bitmap below @fs and group the @n PFNs of @pfns by word.
 * -EEXIST if a PFN appears twice (two pages cannot share a frame), -ENOENT
 * if the kernel has no idle page tracking.  Release with
 * cgt_page_idle_close().
 */
int cgt_page_idle_open(const struct cgt_fs *fs, const uint64_t *pfns,
		       size_t n, struct cgt_page_idle *ret);

/* Close the bitmap and free the words; safe on a closed one. */
void cgt_page_idle_close(struct cgt_page_idle *pi);

/*
 * Mark every tracked PFN idle (write each word's mask).
 *
 * The kernel transfers the bitmap in whole 64-PFN words below max_pfn
 * only: the word holding max_pfn, when max_pfn is not a multiple of 64,
 * reads and writes short (0 bytes).  Such a word is not an error: it is
 * counted in .unreadable, and its PFNs read as idle (never seen accessed)
 * -- up to 63 pages at the very end of physical memory are invisible to
 * idle page tracking.
 */
int cgt_page_idle_mark(struct cgt_page_idle *pi);

/*
 * Mark every tracked PFN idle and read the bits back @window_usec later,
 * run by run: each run of words is read as soon as its own window has
 * passed, while later runs are still being marked, so every page is
 * watched for about @window_usec however long a pass over all of them
 * takes (marking all, then reading all, would watch each page for the
 * window plus a whole pass).  Blocks for about the window plus the two
 * passes.  The results are in .idle as after cgt_page_idle_read().
 */
int cgt_page_idle_sample(struct cgt_page_idle *pi, uint64_t window_usec);

/*
 * cgt_page_idle_sample() over @n trackers at once, one queue of runs for
 * all of them: the whole call takes about one window plus the passes, not
 * @n windows.  errs[k] gets 0 or the negative errno of @pis[k] (a failed
 * tracker is left out from then on; the others go on).  Returns 0, or
 * -EINVAL (NULL arrays) or -ENOMEM (every errs[] then holds an error).
 */
int cgt_page_idle_sample_many(struct cgt_page_idle *const *pis, size_t n,
			      uint64_t window_usec, int *errs);

/* Read the idle bits of every tracked word into its .idle (see above). */
int cgt_page_idle_read(struct cgt_page_idle *pi);

/* Whether @pfn was idle at the last cgt_page_idle_read() (false if untracked). */
bool cgt_page_idle_test(const struct cgt_page_idle *pi, uint64_t pfn);

#endif /* CGTIER_PAGEIDLE_H */
