/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * guest-util.h - helpers shared by the in-guest test programs.
 *
 * Each guest program is one TAP test (see tests/guest/lib.sh): exit status
 * 0 = pass, GT_SKIP = skip (the last output line is the reason), anything
 * else = fail.  Everything goes to stdout, line-buffered, and becomes TAP
 * diagnostics, so helpers print what they measured and, on failure, what
 * was expected and what was seen.
 *
 * Helpers that can fail return 0 or a negative errno and have already
 * printed a "FAIL: ..." line; callers only propagate the error and clean up.
 * These programs run only inside the testbed guest: gt_thp_disable() and the
 * cgroup helpers write to the guest's /sys.
 */
#ifndef CGTIER_GUEST_UTIL_H
#define CGTIER_GUEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>
#include <sys/types.h>

#include "cgtier/cgroup.h"
#include "cgtier/fs.h"

#define GT_PASS 0
#define GT_FAIL 1
#define GT_SKIP 77

/* The knobs of upstream tiering that tests set and restore. */
#define GT_NUMA_BALANCING "/proc/sys/kernel/numa_balancing"
#define GT_DEMOTION_ENABLED "/sys/kernel/mm/numa/demotion_enabled"

/* Nodes a per-node count keeps; the testbed has 2, leave room for more. */
#define GT_MAX_NODES 64

#define GT_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* ---- reporting ------------------------------------------------------- */

/* Line-buffer stdout, so output stays in order across fork(). */
void gt_init(void);

/* Print one diagnostic line. */
void gt_msg(const char *fmt, ...) GT_PRINTF(1, 2);

/* Print "FAIL: <msg>" and return -EINVAL, for `return gt_fail(...)`. */
int gt_fail(const char *fmt, ...) GT_PRINTF(1, 2);

/* Print "FAIL: <msg>" and exit(GT_FAIL): only where nothing needs undoing. */
noreturn void gt_fatal(const char *fmt, ...) GT_PRINTF(1, 2);

/* Print the skip reason as the last line and exit(GT_SKIP). */
noreturn void gt_skip(const char *fmt, ...) GT_PRINTF(1, 2);

/* Map a helper's return value (0 or negative) to an exit status. */
static inline int gt_exit_status(int err)
{
	return err ? GT_FAIL : GT_PASS;
}

/* ---- files ----------------------------------------------------------- */

/* The live file system root ("/") for the cgt_fs_* functions. */
const struct cgt_fs *gt_fs(void);

/* cgt_fs_read/read_u64/write that print a FAIL line naming the file. */
int gt_read(const char *path, char *buf, size_t len);
int gt_read_u64(const char *path, uint64_t *ret);
int gt_write(const char *path, const char *val);

/* Read counter @key of /proc/vmstat. */
int gt_vmstat(const char *key, uint64_t *ret);

/* ---- memory ---------------------------------------------------------- */

/* The base page size. */
size_t gt_page_size(void);

/*
 * Set /sys/kernel/mm/transparent_hugepage/enabled to "never" and check it
 * took, so every page of a test buffer is a 4 KiB page.  A kernel without
 * THP (no such file) is fine.
 */
int gt_thp_disable(void);

/* mmap @npages anonymous private pages (not yet touched); NULL on failure. */
void *gt_buf_alloc(size_t npages);
void gt_buf_free(void *buf, size_t npages);

/* Write a pattern derived from (@seed, page index, word) to every word. */
void gt_buf_fill(void *buf, size_t npages, uint64_t seed);

/*
 * Check the pattern of gt_buf_fill(); returns the number of bad pages and
 * prints the first bad word.
 */
size_t gt_buf_verify(const void *buf, size_t npages, uint64_t seed);

/*
 * Drain every CPU's LRU add cache, so freshly faulted pages are on the LRU
 * (page_idle skips pages that are not).  move_pages() with a target does
 * lru_cache_disable(); this moves one scratch page to its own node.
 */
int gt_lru_drain(void);

/*
 * Move the pages of @buf to @node with cgt_move_range() (chunked).
 * @status (may be NULL) receives each page's node or negative errno.
 * Fails if the call fails or any page did not end up on @node.
 */
int gt_move_pages(void *buf, size_t npages, int node, int *status);

/* Where the pages of @buf are (move_pages with nodes = NULL). */
int gt_query_pages(void *buf, size_t npages, int *status);

struct gt_node_count {
	size_t pages;                 /* pages asked about */
	size_t on_node[GT_MAX_NODES]; /* pages per node */
	size_t other;                 /* on a node >= GT_MAX_NODES */
	size_t errors;                /* negative status (-ENOENT, ...) */
	int first_error;              /* the first negative status, or 0 */
};

/* Query @buf and count its pages per node. */
int gt_count_pages(void *buf, size_t npages, struct gt_node_count *ret);

/* Print "<label>: N0=a N1=b errors=c (first -ENOENT)" for nodes < @nr. */
void gt_count_print(const char *label, const struct gt_node_count *c, int nr);

/*
 * Count @buf's pages per node, print the counts under @label and fail
 * (reported) unless all @npages are on @node.
 */
int gt_expect_on_node(void *buf, size_t npages, int node, const char *label);

/* Read the PFN of every page of @buf from /proc/self/pagemap; all must be
 * present, not swapped, and have a non-zero PFN (needs CAP_SYS_ADMIN). */
int gt_pagemap_pfns(const void *buf, size_t npages, uint64_t *pfns);

/*
 * ---- cgroups (cgroup2 at /sys/fs/cgroup, through cgtier/cgroup.h) -----
 * @name is relative to the cgroup root ("" = the root).
 */

#define GT_CGROUP_ROOT CGT_CGROUP_ROOT

/* Create cgroup @name; a leftover from an earlier test is removed. */
int gt_cg_create(const char *name);

/* Move @pid (0 = the caller) into cgroup @name ("" = the root). */
int gt_cg_enter(const char *name, pid_t pid);

/* Remove cgroup @name, retrying while it is still busy (dying tasks). */
int gt_cg_destroy(const char *name);

/* 0 if cgroup @name has @file, else a negative errno (not reported). */
int gt_cg_has_file(const char *name, const char *file);

/* Read the number in cgroup @name's @file ("max" = UINT64_MAX). */
int gt_cg_read_u64(const char *name, const char *file, uint64_t *ret);

/* Read flat-keyed @key of cgroup @name's @file (memory.stat, ...). */
int gt_cg_stat(const char *name, const char *file, const char *key,
	       uint64_t *ret);

/* Read @key of cgroup @name's memory.numa_stat into @ret[0..@nr-1]. */
int gt_cg_numa_stat(const char *name, const char *key, uint64_t *ret, int nr);

/* Check that nodes 0..@max_node all have memory; 0 or -ENODEV (reported). */
int gt_require_nodes(int max_node);

/*
 * ---- end of the basic-suite helpers ------------------------------------
 * Helpers for t_promote, t_demote and t_damon go below this line.
 */

/* --- tiering and DAMON helpers --- */

/* Sleep @ms milliseconds (restarted after signals). */
void gt_sleep_ms(long ms);

/* Seconds of CLOCK_MONOTONIC, and of the calling process's CPU time. */
double gt_now(void);
double gt_cpu_time(void);

/*
 * A sysctl or sysfs knob that a test sets and must put back: gt_knob_set()
 * saves the old value (once) and writes @val; gt_knob_restore() writes the
 * saved value back, if any, and is safe to call on a knob never set.
 */
struct gt_knob {
	const char *path; /* NULL until saved */
	char old[64];
};

int gt_knob_set(struct gt_knob *k, const char *path, const char *val);
void gt_knob_restore(struct gt_knob *k);

/*
 * Check that node @slow sits in a lower memory tier than node @fast (so the
 * kernel can demote from @fast to @slow) and print both tiers.  Returns 0,
 * GT_SKIP if the topology has no such tiers (reason printed last), or a
 * negative errno if the topology cannot be read.
 */
int gt_check_tiers(int fast, int slow);

/*
 * gt_check_tiers() for the start of main(): skip the test (saying it needs
 * @why) or fail it on the spot.  Only before anything needs undoing.
 */
void gt_require_tiers(int fast, int slow, const char *why);

/*
 * Fold every CPU's pending vmstat deltas into the global counters (write
 * /proc/sys/vm/stat_refresh), so node counters such as pgpromote_success and
 * pgdemote_* read exactly.  Call it before reading /proc/vmstat.
 */
int gt_vmstat_refresh(void);

/* Refresh the counters, then read @n /proc/vmstat keys into @val. */
int gt_vmstat_read(const char *const *keys, size_t n, uint64_t *val);

/* "MemFree" of /sys/devices/system/node/node<node>/meminfo, in bytes. */
int gt_node_free(int node, uint64_t *ret);

#endif /* CGTIER_GUEST_UTIL_H */
