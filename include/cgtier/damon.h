/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * damon.h - DAMON's sysfs interface: one kdamond running one scheme.
 *
 * The stock-kernel tiering backend: kdamond 0 with one context (physical
 * or virtual address operations), one target with one region, and scheme
 * 0 (migrate_cold, migrate_hot, ...) optionally filtered to a memcg.  All
 * files live below CGT_DAMON_ADMIN of a struct cgt_fs.  DAMON's sysfs
 * answers -EBUSY while another writer holds its lock; every access here
 * retries that for up to CGT_DAMON_BUSY_MS before giving up.
 *
 * The real interface creates the directories of kdamonds, contexts,
 * targets, regions, schemes and filters when their nr_* file is written;
 * a fixture tree must hold them already.  Functions return 0 or a negative
 * errno; on failure d->failed names the file that failed.
 */
#ifndef CGTIER_DAMON_H
#define CGTIER_DAMON_H

#include <stdbool.h>
#include <stdint.h>

#include "cgtier/fs.h"

#define CGT_DAMON_ADMIN "/sys/kernel/mm/damon/admin"
#define CGT_DAMON_KDAMOND CGT_DAMON_ADMIN "/kdamonds/0"
#define CGT_DAMON_CTX CGT_DAMON_KDAMOND "/contexts/0"
#define CGT_DAMON_SCHEME CGT_DAMON_CTX "/schemes/0"

/* How long a write is retried while DAMON's sysfs lock is busy. */
#define CGT_DAMON_BUSY_MS 2000

struct cgt_damon {
	const struct cgt_fs *fs;
	char failed[160]; /* after a failure: the file, below the root */
};

/* Monitoring intervals (microseconds) of the context. */
struct cgt_damon_intervals {
	uint64_t sample_us, aggr_us, update_us;
};

/* The kdamond: what it monitors and how finely. */
struct cgt_damon_setup {
	const char *operations;              /* "paddr", "vaddr", ... */
	struct cgt_damon_intervals intervals;
	uint64_t min_nr_regions, max_nr_regions;
	uint64_t start, end;                 /* the one target region */
};

/* Scheme 0: apply @action to regions matching the access pattern. */
struct cgt_damos_scheme {
	const char *action;                  /* "migrate_cold", ... */
	int target_nid;                      /* < 0: not written */
	uint64_t min_sz, max_sz;             /* bytes */
	uint64_t min_nr_accesses, max_nr_accesses; /* per aggregation */
	uint64_t min_age, max_age;           /* aggregation intervals */
	const char *memcg_path;              /* NULL: no filter, else "/cg" */
	bool memcg_matching;                 /* the filter's "matching" */
};

/* The scheme's statistics (after update_schemes_stats). */
struct cgt_damos_stats {
	uint64_t nr_tried, sz_tried, nr_applied, sz_applied, qt_exceeds;
};

/* Use DAMON below @fs. */
void cgt_damon_init(struct cgt_damon *d, const struct cgt_fs *fs);

/* 0 if the DAMON sysfs interface exists, else -ENOENT (or another errno). */
int cgt_damon_available(struct cgt_damon *d);

/*
 * Write @val to @rel (below the root, e.g. CGT_DAMON_SCHEME "/action"),
 * retrying -EBUSY.
 */
int cgt_damon_write(struct cgt_damon *d, const char *rel, const char *val);
int cgt_damon_write_u64(struct cgt_damon *d, const char *rel, uint64_t val);

/* Read @rel (cgt_fs_read()), retrying -EBUSY. */
int cgt_damon_read(struct cgt_damon *d, const char *rel, char *buf,
		   size_t len);

/*
 * Create kdamond 0 with one context as @s describes and one (empty)
 * scheme.  Writes nr_kdamonds, so any other kdamond is removed.
 */
int cgt_damon_setup(struct cgt_damon *d, const struct cgt_damon_setup *s);

/* Set the context's intervals (the kdamond must be off). */
int cgt_damon_set_intervals(struct cgt_damon *d,
			    const struct cgt_damon_intervals *iv);

/* Set scheme 0 (the kdamond must be off). */
int cgt_damon_set_scheme(struct cgt_damon *d, const struct cgt_damos_scheme *s);

/* Write @cmd ("on", "off", "update_schemes_stats", ...) to the state file. */
int cgt_damon_state(struct cgt_damon *d, const char *cmd);

/* Whether kdamond 0 exists and runs. */
int cgt_damon_running(struct cgt_damon *d, bool *ret);

/* update_schemes_stats, then read scheme 0's statistics. */
int cgt_damon_scheme_stats(struct cgt_damon *d, struct cgt_damos_stats *ret);

/* Turn kdamond 0 off if it runs and remove all kdamonds; 0 if none. */
int cgt_damon_teardown(struct cgt_damon *d);

/*
 * The lowest start and highest end (exclusive) of the top-level "System
 * RAM" ranges of /proc/iomem: the region a paddr context monitors.
 * -ENOENT if there is none (or the addresses read 0, as they do without
 * CAP_SYS_ADMIN), -EINVAL on a malformed range.
 */
int cgt_damon_ram_range(const struct cgt_fs *fs, uint64_t *start,
			uint64_t *end);

#endif /* CGTIER_DAMON_H */
