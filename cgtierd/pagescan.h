/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pagescan.h - the stock backend's page scanner and mover for ONE cgroup.
 *
 * On a stock kernel (no memory.tier.* files) hotness comes from idle page
 * tracking and placement from move_pages(2).  A struct cgt_pagescan is the
 * state the daemon keeps per cgroup from period to period: the cgroup's
 * processes (each with a pidfd) and their tracked pages, each with its
 * virtual address, PFN, node and idle age in periods.
 *
 * One period (cgt_pagescan_update()):
 *   1. read the page_idle bitmap words of last period's PFNs;
 *   2. read the cgroup's cgroup.procs through its handle (lib/cgroup.c),
 *      deduplicated (D3).  A tracked process is dropped with its pages when
 *      it is no longer listed, when its pidfd says it exited, or when the
 *      start time in /proc/PID/stat (parsed from the last ')', D5) changed:
 *      the PID was reused (M4).  A listed PID is tracked anew with a pidfd
 *      from pidfd_open(2); one that vanished meanwhile (ESRCH, ENOENT) is
 *      skipped quietly (D1, M3);
 *   3. per process, stream /proc/PID/maps and keep the mappings worth
 *      tracking: readable and private, anonymous ([heap], [stack],
 *      [anon:...] or no name) or file-backed; shared, unreadable, /dev/ and
 *      special ([vdso], [vvar], [vsyscall], ...) mappings are skipped, and
 *      so are malformed lines and lines that overlap or go back (counted,
 *      D4).  Their pagemap entries are read CGT_PAGESCAN_PAGEMAP_CHUNK at a
 *      time (cgt_pagemap_read()); a present page whose PFN reads 0 means no
 *      CAP_SYS_ADMIN: the call fails with -EPERM;
 *   4. a page seen last period at the same address with the same PFN was
 *      accessed if its PFN is no longer idle (age 0), else its age grows by
 *      one (saturating at CGT_PAGESCAN_AGE_MAX); any other page is new, age
 *      0 -- except a page this module moved last period (its PFN changes
 *      with the move), which keeps its age so that a demoted cold page does
 *      not come back looking hot.  A new page is flagged CGT_PAGESCAN_NEW
 *      until it is first seen accessed (a page is only seen accessed
 *      between two updates): it counts as resident but not hot, and is not
 *      promoted -- otherwise a buffer filled once, or pages someone else
 *      just migrated (new frames), would all look hot and be promoted
 *      wholesale.  Its age counts periods as for any page;
 *   5. the node of every new (or moved) page is asked with move_pages(2) in
 *      query mode, CGT_MOVE_CHUNK pages per call, the status pre-filled
 *      with CGT_MOVE_STATUS_UNKNOWN: a page without a node in its status is
 *      dropped (M5).  A kept page's node is carried over: a PFN never
 *      changes node;
 *   6. the current PFNs, deduplicated (a PFN mapped twice -- a shared file
 *      page, a CoW page of a fork -- is tracked at each address but counted
 *      once, CGT_PAGESCAN_SHARED), are marked idle in the bitmap.
 * Accesses between the read of step 1 and the marking of step 6 (the scan
 * itself) are not seen.
 *
 * Moves (cgt_pagescan_move()).  Promotion takes the hottest pages (smallest
 * age, only age < hot_age) on tiers > 0 to a node of tier 0; demotion the
 * coldest (largest age first) on tier 0 to a node of tier 1; both at most
 * req->bytes.  Per process, in this order (M4, security requirement 3):
 * the pidfd must be live and /proc/PID/cgroup must still name the cgroup,
 * else the process is not touched (counted); then move_pages(2) with
 * MPOL_MF_MOVE (never MOVE_ALL) in calls of at most CGT_MOVE_CHUNK pages
 * (M9); then the pidfd again: a process that exited during the calls is a
 * possible PID-reuse incident (res->procs_raced, for the caller's log).
 * Each page's status is read: its node (the page's node is updated), or a
 * cause counted in res->failed[] with the page kept as it was; a status
 * the kernel did not write is never read as a node (M5).  A call that
 * returns N > 0 (pages not migrated, statuses not reliable) is followed by
 * a query of the same pages.  ESRCH: the process is gone, dropped (M3).
 * ENODEV (target node without memory, M1) or EINVAL stops the whole move;
 * any other errno of a call (EPERM M6, EACCES M2, ENOMEM M8) stops that
 * process; the first is kept in res->call_err, never retried in a loop.
 *
 * Bounds.  At most max_procs processes and max_pages pages (the ones past
 * a cap are counted, not tracked, and the scan goes on); at most
 * max_vpages virtual pages of pagemap read per period.  Open fds: one
 * pidfd per tracked process, the bitmap, and one file at a time.  Memory:
 * 24 bytes per tracked page (struct cgt_pagescan_page) and up to 24 bytes
 * per tracked 64-PFN bitmap word; during an update about 64 bytes more per
 * page (the new page array, two sorted PFN copies, a bit per page).
 *
 * Cost per period.  Per process: a poll(2) of the pidfd, /proc/PID/stat
 * and /proc/PID/maps read (open, reads, close); per 4 KiB page of tracked
 * mappings 8 bytes of pagemap, in one open + pread + close per
 * CGT_PAGESCAN_PAGEMAP_CHUNK pages; one move_pages(2) query per
 * CGT_MOVE_CHUNK new pages; per tracked bitmap word one pread(2) and one
 * pwrite(2) -- up to two syscalls per page when the PFNs are scattered.
 *
 * No global state, no output: every function returns a negative errno or
 * fills stats for the caller to log.  PFNs are sensitive (security
 * requirement 9): they are kept in memory only and never in a message.
 * Needs CAP_SYS_ADMIN (PFNs, the bitmap) and, for other users' processes,
 * CAP_SYS_PTRACE (pagemap, move_pages).
 */
#ifndef CGTIERD_PAGESCAN_H
#define CGTIERD_PAGESCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgtier/cgroup.h"
#include "cgtier/fs.h"
#include "cgtier/pageidle.h"
#include "cgtier/topology.h"
#include "cgtierd/snapshot.h"

#define CGT_PAGESCAN_MAX_PAGES (1u << 20)  /* 4 GiB of base pages */
#define CGT_PAGESCAN_MAX_PROCS 1024
#define CGT_PAGESCAN_PROCS_LIMIT 65535     /* max_procs is clamped to this */
#define CGT_PAGESCAN_HIST 8                /* periods of access history */
#define CGT_PAGESCAN_MAX_VPAGES (1u << 24) /* 64 GiB of readable VA */
#define CGT_PAGESCAN_PAGEMAP_CHUNK 4096    /* entries per pagemap read */
#define CGT_PAGESCAN_AGE_MAX 255

/*
 * move_pages(2) as the module calls it: cgt_move_pages_chunked() with an
 * argument for tests.  @status is pre-filled with CGT_MOVE_STATUS_UNKNOWN.
 */
typedef long (*cgt_pagescan_move_fn)(void *arg, int pid, size_t count,
				     void **pages, const int *nodes,
				     int *status, int flags);

struct cgt_pagescan_params {
	/* The cgroup's path below the cgroup2 mount, as in the snapshot. */
	const char *path;
	size_t max_pages;  /* 0: CGT_PAGESCAN_MAX_PAGES */
	size_t max_procs;  /* 0: CGT_PAGESCAN_MAX_PROCS */
	size_t max_vpages; /* 0: CGT_PAGESCAN_MAX_VPAGES */
	/*
	 * The root the page_idle bitmap is opened below; NULL: the update's
	 * @fs.  (A separate sysfs root, as --sysfs-root would give.)
	 */
	const struct cgt_fs *sys_fs;
	/*
	 * Do not mark the PFNs idle at the end of the update: the caller
	 * calls cgt_pagescan_sample() before the next one (global.sample),
	 * which marks them itself, so this mark would be a wasted pass.
	 */
	bool no_mark;
	/* Node queries; NULL: cgt_move_pages_chunked().  Tests only. */
	cgt_pagescan_move_fn query_nodes;
	void *query_arg;
};

/* flags of struct cgt_pagescan_page */
#define CGT_PAGESCAN_SHARED (1u << 0) /* PFN tracked at an earlier entry */
#define CGT_PAGESCAN_MOVED  (1u << 1) /* moved by cgt_pagescan_move() */
#define CGT_PAGESCAN_DROP   (1u << 2) /* internal: to be removed */
#define CGT_PAGESCAN_NEW    (1u << 3) /* never seen accessed: not hot */

struct cgt_pagescan_page {
	uint64_t vaddr;
	uint64_t pfn;  /* sensitive: never printed */
	uint16_t proc; /* index in procs[] (at most CGT_PAGESCAN_PROCS_LIMIT) */
	int16_t node;
	uint8_t age;   /* periods since the last access seen */
	uint8_t hist;  /* accessed in each of the last 8 periods, bit 0 the last */
	uint8_t flags; /* CGT_PAGESCAN_* */
};

struct cgt_pagescan_proc {
	int pid;        /* 0: free slot */
	int pidfd;
	uint64_t start; /* field 22 of /proc/PID/stat */
	unsigned flags; /* internal, per update */
};

/* What the last update saw; reset by each update. */
struct cgt_pagescan_stats {
	size_t procs;           /* tracked now */
	size_t procs_new;       /* tracked since this period */
	size_t procs_gone;      /* exited or vanished (D1, M3): dropped */
	size_t procs_reused;    /* start time changed (M4): dropped, anew */
	size_t procs_over_cap;  /* listed past max_procs: not tracked */
	size_t procs_error;     /* unreadable this period (D6): no pages */
	int last_error;         /* errno of the last procs_error */
	size_t dup_pids;        /* duplicates in cgroup.procs (D3) */
	size_t maps_bad;        /* malformed maps lines skipped (D4) */
	size_t maps_skipped;    /* mappings not worth tracking */
	uint64_t pages;         /* tracked now */
	uint64_t pages_new;     /* new this period (age 0) */
	uint64_t pages_accessed; /* kept, seen accessed */
	uint64_t pages_shared;  /* a PFN at a second address (counted once) */
	uint64_t pages_swapped; /* swapped out: not tracked */
	uint64_t pages_no_node; /* the query gave no node: dropped */
	uint64_t pages_over_cap;  /* present past max_pages: not tracked */
	uint64_t vpages_over_cap; /* virtual pages not read: max_vpages */
};

/* One cgroup's state; the zeroed struct is empty. */
struct cgt_pagescan {
	char *path;     /* the cgroup it scans (owned) */
	uint64_t ino;   /* its directory inode: recreated means anew (D2) */
	struct cgt_pagescan_proc *procs;
	size_t nr_procs, cap_procs;   /* slots in use (some free), allocated */
	struct cgt_pagescan_page *pages; /* by (proc, vaddr) */
	size_t nr_pages, cap_pages;
	struct cgt_page_idle idle;    /* last period's PFNs, marked idle */
	bool idle_open;               /* @idle holds an fd */
	bool harvested;               /* @idle was read by cgt_pagescan_sample() */
	size_t page_size;
	uint64_t periods;             /* successful updates */
	struct cgt_pagescan_stats stats;
};

/*
 * Scan cgroup @cg (path p->path, required) for one period: /proc below @fs,
 * the bitmap below p->sys_fs (or @fs).  Returns 0, or -EINVAL, -EPERM (no
 * PFNs: CAP_SYS_ADMIN missing), -ENOMEM, the errno of cgroup.procs (the
 * cgroup is gone: -ENOENT, -ENODEV) or of the bitmap (-ENOENT: no idle
 * page tracking); on failure the state is cleared (the next update starts
 * afresh).  A new path or directory inode also starts afresh.
 */
int cgt_pagescan_update(struct cgt_pagescan *ps, const struct cgt_fs *fs,
			const struct cgt_cgroup *cg,
			const struct cgt_topology *topo,
			const struct cgt_pagescan_params *p);

/*
 * Bytes of the tracked pages with age < @hot_age (@hot) and of all of them
 * (@resident), per tier index of @topo; a PFN tracked twice counts once.
 */
void cgt_pagescan_hot(const struct cgt_pagescan *ps,
		      const struct cgt_topology *topo, unsigned hot_age,
		      uint64_t hot[CGT_SNAP_MAX_TIERS],
		      uint64_t resident[CGT_SNAP_MAX_TIERS]);

enum cgt_pagescan_dir {
	CGT_PAGESCAN_PROMOTE, /* hottest pages of tiers > 0 to tier 0 */
	CGT_PAGESCAN_DEMOTE,  /* coldest pages of tier 0 to tier 1 */
};

struct cgt_pagescan_move_req {
	enum cgt_pagescan_dir dir;
	uint64_t bytes;    /* at most this much (whole pages) */
	unsigned hot_age;  /* promotion: only pages with age < hot_age */
	unsigned hot_hits; /* ... seen accessed in >= this many periods (0: 1) */
	int node;          /* target; -1: the first node of the target tier */
	bool dry;          /* select and check, call nothing (D13) */
	/* /proc for the membership checks (/proc/PID/cgroup) */
	const struct cgt_fs *fs;
	/* NULL: cgt_move_pages_chunked().  Tests only. */
	cgt_pagescan_move_fn move_pages;
	void *move_arg;
};

/* Why a page did not move (indexes of failed[]). */
enum cgt_pagescan_fail {
	CGT_PAGESCAN_FAIL_BUSY,    /* -EBUSY: pinned, under I/O */
	CGT_PAGESCAN_FAIL_FAULT,   /* -EFAULT: zero page, no mapping */
	CGT_PAGESCAN_FAIL_NOENT,   /* -ENOENT: not present any more */
	CGT_PAGESCAN_FAIL_NOMEM,   /* -ENOMEM: target full (M8) */
	CGT_PAGESCAN_FAIL_ACCES,   /* -EACCES: shared with another process */
	CGT_PAGESCAN_FAIL_STAYED,  /* the status names another node */
	CGT_PAGESCAN_FAIL_UNKNOWN, /* no status, or an errno not above (M5) */
	CGT_PAGESCAN_FAIL_CALL,    /* the call failed (res->call_err) */
	CGT_PAGESCAN_FAIL_NR,
};

struct cgt_pagescan_move_res {
	int node;                  /* the target node */
	uint64_t pages_selected, bytes_selected;
	uint64_t pages_moved, bytes_moved;
	uint64_t pages_failed, bytes_failed;
	uint64_t failed[CGT_PAGESCAN_FAIL_NR]; /* pages per cause */
	size_t procs_gone;         /* exited or ESRCH: dropped */
	size_t procs_foreign;      /* no longer in the cgroup: not touched */
	uint64_t pages_foreign;    /* their selected pages */
	size_t procs_raced;        /* exited during the calls (M4): log it */
	int call_err;              /* first errno of a failed call, or 0 */
};

/*
 * Move pages of @ps as @req asks (@ps's nodes and ages are updated; gone
 * processes are dropped).  Returns 0 with *@res filled (also when some or
 * all pages failed), or -EINVAL, -ENODEV (no target node: fewer than two
 * tiers, or req->node not in the target tier), -ENOMEM.
 */
int cgt_pagescan_move(struct cgt_pagescan *ps, const struct cgt_topology *topo,
		      const struct cgt_pagescan_move_req *req,
		      struct cgt_pagescan_move_res *res);

/*
 * cgt_pagescan_hot() with a frequency rule: a page is hot when it was seen
 * accessed in at least @hot_hits of the last min(@hot_age,
 * CGT_PAGESCAN_HIST) periods (@hot_hits <= 1: in any period of the last
 * @hot_age, the plain recency rule).  One accessed bit per period cannot
 * tell a page touched a thousand times from one touched once; a page that
 * keeps being touched is seen in period after period, one touched now and
 * then only here and there.
 */
void cgt_pagescan_hot_hits(const struct cgt_pagescan *ps,
			   const struct cgt_topology *topo, unsigned hot_age,
			   unsigned hot_hits, uint64_t hot[CGT_SNAP_MAX_TIERS],
			   uint64_t resident[CGT_SNAP_MAX_TIERS]);

/*
 * The sample window (global.sample): mark the tracked PFNs idle and read
 * them back @window_usec later (cgt_page_idle_sample()), for the next
 * update to use instead of reading the bits itself.  0 (also before the
 * first update), -EINVAL, or the bitmap's errno.
 */
int cgt_pagescan_sample(struct cgt_pagescan *ps, uint64_t window_usec);

/*
 * cgt_pagescan_sample() for @n scans in one window (their bitmaps'
 * runs in one queue: cgt_page_idle_sample_many()), so a period's sample
 * window costs one window, not one per cgroup.  Returns how many of them
 * could not be sampled (they count as not harvested).
 */
size_t cgt_pagescan_sample_many(struct cgt_pagescan *const *ps, size_t n,
				uint64_t window_usec);

/* Free everything, close every fd, and make @ps empty; NULL is fine. */
void cgt_pagescan_clear(struct cgt_pagescan *ps);

#endif /* CGTIERD_PAGESCAN_H */
