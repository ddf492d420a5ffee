// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * guest-util.c - helpers shared by the in-guest test programs.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgtier/cgroup.h"
#include "cgtier/fs.h"
#include "cgtier/mempolicy.h"
#include "cgtier/pageidle.h"
#include "cgtier/stat.h"
#include "cgtier/topology.h"
#include "guest-util.h"

#define THP_ENABLED "/sys/kernel/mm/transparent_hugepage/enabled"

/* ---- reporting ------------------------------------------------------- */

void gt_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

static void vprint(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stdout);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

void gt_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint("", fmt, ap);
	va_end(ap);
}

int gt_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint("FAIL: ", fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void gt_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint("FAIL: ", fmt, ap);
	va_end(ap);
	exit(GT_FAIL);
}

void gt_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint("", fmt, ap);
	va_end(ap);
	exit(GT_SKIP);
}

/* Print "FAIL: <what>: <strerror>" and return @err (a negative errno). */
static int fail_errno(int err, const char *what, const char *obj)
{
	printf("FAIL: %s %s: %s\n", what, obj, strerror(-err));
	fflush(stdout);
	return err;
}

/* ---- files ----------------------------------------------------------- */

const struct cgt_fs *gt_fs(void)
{
	static struct cgt_fs fs;
	static bool ready;

	if (!ready) {
		int err = cgt_fs_open(&fs, "/");

		if (err)
			gt_fatal("cgt_fs_open(\"/\"): %s", strerror(-err));
		ready = true;
	}
	return &fs;
}

int gt_read(const char *path, char *buf, size_t len)
{
	int ret = cgt_fs_read(gt_fs(), path, buf, len);

	return ret < 0 ? fail_errno(ret, "cannot read", path) : ret;
}

int gt_read_u64(const char *path, uint64_t *ret)
{
	int err = cgt_fs_read_u64(gt_fs(), path, ret);

	return err ? fail_errno(err, "cannot read a number from", path) : 0;
}

int gt_write(const char *path, const char *val)
{
	int err = cgt_fs_write(gt_fs(), path, val);

	if (err) {
		printf("FAIL: cannot write \"%s\" to %s: %s\n", val, path,
		       strerror(-err));
		fflush(stdout);
	}
	return err;
}

/* Read the flat-keyed file @path and find @key in it. */
/* Read flat-keyed @path once and look up @n @keys in it. */
static int read_stats(const char *path, const char *const *keys, size_t n,
		      uint64_t *val)
{
	char *text;
	int err;

	text = malloc(CGT_FS_MAX_FILE);
	if (!text)
		return fail_errno(-ENOMEM, "no memory to read", path);
	err = gt_read(path, text, CGT_FS_MAX_FILE);
	for (size_t i = 0; err >= 0 && i < n; i++) {
		err = cgt_stat_get(text, keys[i], &val[i]);
		if (err)
			gt_fail("no valid \"%s\" in %s (%s)", keys[i], path,
				strerror(-err));
	}
	free(text);
	return err < 0 ? err : 0;
}

static int read_stat(const char *path, const char *key, uint64_t *ret)
{
	return read_stats(path, &key, 1, ret);
}

int gt_vmstat(const char *key, uint64_t *ret)
{
	return read_stat("/proc/vmstat", key, ret);
}

/* ---- memory ---------------------------------------------------------- */

size_t gt_page_size(void)
{
	static size_t size;

	if (!size) {
		long sz = sysconf(_SC_PAGESIZE);

		size = sz > 0 ? (size_t)sz : 4096;
	}
	return size;
}

int gt_thp_disable(void)
{
	char buf[256];
	int err;

	err = cgt_fs_exists(gt_fs(), THP_ENABLED);
	if (err == -ENOENT) {
		gt_msg("THP: not configured");
		return 0;
	}
	err = gt_write(THP_ENABLED, "never");
	if (err)
		return err;
	err = gt_read(THP_ENABLED, buf, sizeof(buf));
	if (err < 0)
		return err;
	if (!strstr(buf, "[never]"))
		return gt_fail("THP: wrote \"never\" to %s, it reads \"%s\"",
			       THP_ENABLED, buf);
	gt_msg("THP: %s", buf);
	return 0;
}

void *gt_buf_alloc(size_t npages)
{
	void *buf;

	buf = mmap(NULL, npages * gt_page_size(), PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		gt_fail("mmap of %zu pages: %s", npages, strerror(errno));
		return NULL;
	}
	return buf;
}

void gt_buf_free(void *buf, size_t npages)
{
	if (buf && munmap(buf, npages * gt_page_size()))
		gt_msg("warning: munmap of %zu pages: %s", npages,
		       strerror(errno));
}

static inline uint64_t pattern(uint64_t seed, size_t page, size_t word)
{
	return (seed * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)page << 20) ^ word;
}

void gt_buf_fill(void *buf, size_t npages, uint64_t seed)
{
	size_t words = gt_page_size() / sizeof(uint64_t);
	uint64_t *w = buf;
	size_t p, i;

	for (p = 0; p < npages; p++)
		for (i = 0; i < words; i++)
			*w++ = pattern(seed, p, i);
}

size_t gt_buf_verify(const void *buf, size_t npages, uint64_t seed)
{
	size_t words = gt_page_size() / sizeof(uint64_t);
	const uint64_t *w = buf;
	size_t p, i, bad = 0;
	bool page_bad;

	for (p = 0; p < npages; p++) {
		page_bad = false;
		for (i = 0; i < words; i++, w++) {
			if (*w == pattern(seed, p, i) || page_bad)
				continue;
			page_bad = true;
			if (!bad)
				gt_msg("first bad page %zu word %zu: expected %#llx, got %#llx",
				       p, i,
				       (unsigned long long)pattern(seed, p, i),
				       (unsigned long long)*w);
		}
		bad += page_bad;
	}
	return bad;
}

int gt_lru_drain(void)
{
	void *page;
	int status, err;

	page = gt_buf_alloc(1);
	if (!page)
		return -ENOMEM;
	memset(page, 1, gt_page_size());
	err = gt_query_pages(page, 1, &status);
	if (!err && status < 0)
		err = gt_fail("scratch page for the LRU drain: status %d (%s)",
			      status, strerror(-status));
	if (!err)
		err = gt_move_pages(page, 1, status, NULL);
	gt_buf_free(page, 1);
	return err;
}

/*
 * cgt_move_range() over all of @buf, filling @status for every page; @node
 * < 0 queries.  Returns 0, or a negative errno (already reported).
 */
static int move_all(void *buf, size_t npages, int node, int *status)
{
	/* > 0: pages the kernel could not migrate; status says which */
	long ret = cgt_move_range(0, buf, npages, node, status, MPOL_MF_MOVE);

	if (ret < 0)
		return fail_errno((int)ret, "move_pages",
				  node < 0 ? "(query)" : "(move)");
	return 0;
}

int gt_move_pages(void *buf, size_t npages, int node, int *status)
{
	int *st = status;
	size_t i, wrong = 0, first_wrong = 0;
	int err;

	if (!st) {
		st = calloc(npages, sizeof(*st));
		if (!st)
			return fail_errno(-ENOMEM, "no memory for", "status");
	}
	err = move_all(buf, npages, node, st);
	for (i = 0; !err && i < npages; i++) {
		if (st[i] == node)
			continue;
		if (!wrong++)
			first_wrong = i;
	}
	if (wrong)
		err = gt_fail("move_pages to node %d: %zu of %zu pages not moved (first: page %zu, status %d)",
			      node, wrong, npages, first_wrong,
			      st[first_wrong]);
	if (st != status)
		free(st);
	return err;
}

int gt_query_pages(void *buf, size_t npages, int *status)
{
	return move_all(buf, npages, -1, status);
}

int gt_count_pages(void *buf, size_t npages, struct gt_node_count *ret)
{
	int *status;
	size_t i;
	int err;

	memset(ret, 0, sizeof(*ret));
	ret->pages = npages;
	status = calloc(npages, sizeof(*status));
	if (!status)
		return fail_errno(-ENOMEM, "no memory for", "status");
	err = gt_query_pages(buf, npages, status);
	for (i = 0; !err && i < npages; i++) {
		if (status[i] < 0) {
			if (!ret->errors++)
				ret->first_error = status[i];
		} else if (status[i] < GT_MAX_NODES) {
			ret->on_node[status[i]]++;
		} else {
			ret->other++;
		}
	}
	free(status);
	return err;
}

void gt_count_print(const char *label, const struct gt_node_count *c, int nr)
{
	char line[512];
	size_t len;
	int n;

	len = (size_t)snprintf(line, sizeof(line), "%s: %zu pages:", label,
			       c->pages);
	for (n = 0; n < nr && n < GT_MAX_NODES && len < sizeof(line); n++)
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					" N%d=%zu", n, c->on_node[n]);
	if (len < sizeof(line) && c->other)
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					" other=%zu", c->other);
	if (len < sizeof(line) && c->errors)
		snprintf(line + len, sizeof(line) - len,
			 " not-present/error=%zu (first: %s)", c->errors,
			 strerror(-c->first_error));
	gt_msg("%s", line);
}

int gt_expect_on_node(void *buf, size_t npages, int node, const char *label)
{
	struct gt_node_count c;
	int err;

	err = gt_count_pages(buf, npages, &c);
	if (err)
		return err;
	gt_count_print(label, &c, 2);
	if (c.on_node[node] != npages)
		return gt_fail("%s: expected all %zu pages on node %d, found %zu",
			       label, npages, node, c.on_node[node]);
	return 0;
}

/* Check pagemap entries and turn them into PFNs in place. */
static int pagemap_to_pfns(uint64_t *ent, size_t npages)
{
	size_t i;
	int err;

	for (i = 0; i < npages; i++) {
		err = cgt_pagemap_pfn(ent[i], &ent[i]);
		if (err == -ENOENT)
			return gt_fail("pagemap: page %zu of %zu is not present (entry %#llx)",
				       i, npages, (unsigned long long)ent[i]);
		if (err == -ENXIO)
			return gt_fail("pagemap: page %zu of %zu is swapped (entry %#llx)",
				       i, npages, (unsigned long long)ent[i]);
		if (err)
			return gt_fail("pagemap: page %zu has PFN 0 (no CAP_SYS_ADMIN?)",
				       i);
	}
	return 0;
}

int gt_pagemap_pfns(const void *buf, size_t npages, uint64_t *pfns)
{
	int err = cgt_pagemap_read(gt_fs(), 0, (uintptr_t)buf, npages, pfns);

	if (err)
		return fail_errno(err, "cannot read", "/proc/self/pagemap");
	return pagemap_to_pfns(pfns, npages);
}

/* ---- cgroups --------------------------------------------------------- */

/* The cgroup root's handle, opened once. */
static const struct cgt_cgroup *cg_root(void)
{
	static struct cgt_cgroup root = { .fd = -1 };
	int err;

	if (root.fd < 0) {
		err = cgt_cgroup_open(gt_fs(), "", &root);
		if (err)
			gt_fatal("cannot open the cgroup root %s: %s",
				 GT_CGROUP_ROOT, strerror(-err));
	}
	return &root;
}

/* Open cgroup @name ("" = the root); reported on failure. */
static int cg_open(const char *name, struct cgt_cgroup *ret)
{
	int err = cgt_cgroup_open_at(cg_root(), name, ret);

	if (err)
		printf("FAIL: cannot open cgroup %s/%s: %s\n", GT_CGROUP_ROOT,
		       name, strerror(-err));
	return err;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Remove cgroup @name, retrying for up to 2 s while it is busy. */
static int rmdir_retry(const char *name)
{
	int tries, err = 0;

	for (tries = 0; tries < 100; tries++) {
		err = cgt_cgroup_rmdir(cg_root(), name);
		if (!err || err == -ENOENT)
			return 0;
		if (err != -EBUSY)
			break;
		sleep_ms(20);
	}
	printf("FAIL: cannot remove cgroup %s/%s: %s\n", GT_CGROUP_ROOT, name,
	       strerror(-err));
	return err;
}

int gt_cg_create(const char *name)
{
	int err;

	err = cgt_cgroup_mkdir(cg_root(), name);
	if (!err)
		return 0;
	if (err != -EEXIST)
		goto fail;
	gt_msg("cgroup %s/%s exists (left over?): removing it", GT_CGROUP_ROOT,
	       name);
	err = rmdir_retry(name);
	if (err)
		return err;
	err = cgt_cgroup_mkdir(cg_root(), name);
	if (!err)
		return 0;
fail:
	printf("FAIL: cannot create cgroup %s/%s: %s\n", GT_CGROUP_ROOT, name,
	       strerror(-err));
	return err;
}

int gt_cg_enter(const char *name, pid_t pid)
{
	struct cgt_cgroup cg;
	int err;

	err = cg_open(name, &cg);
	if (err)
		return err;
	err = cgt_cgroup_attach(&cg, pid);
	if (err)
		printf("FAIL: cannot move pid %d into cgroup %s/%s: %s\n",
		       pid ? (int)pid : (int)getpid(), GT_CGROUP_ROOT, name,
		       strerror(-err));
	cgt_cgroup_close(&cg);
	return err;
}

int gt_cg_destroy(const char *name)
{
	return rmdir_retry(name);
}

int gt_cg_has_file(const char *name, const char *file)
{
	struct cgt_cgroup cg;
	char c[2];
	int err;

	err = cgt_cgroup_open_at(cg_root(), name, &cg);
	if (err)
		return err;
	err = cgt_cgroup_read(&cg, file, c, sizeof(c));
	cgt_cgroup_close(&cg);
	return err == -EFBIG ? 0 : err < 0 ? err : 0;
}

int gt_cg_read_u64(const char *name, const char *file, uint64_t *ret)
{
	struct cgt_cgroup cg;
	int err;

	err = cg_open(name, &cg);
	if (err)
		return err;
	err = cgt_cgroup_read_u64(&cg, file, ret);
	if (err)
		printf("FAIL: cannot read a number from %s/%s/%s: %s\n",
		       GT_CGROUP_ROOT, name, file, strerror(-err));
	cgt_cgroup_close(&cg);
	return err;
}

int gt_cg_stat(const char *name, const char *file, const char *key,
	       uint64_t *ret)
{
	struct cgt_cgroup cg;
	int err;

	err = cg_open(name, &cg);
	if (err)
		return err;
	err = cgt_cgroup_stat(&cg, file, key, ret);
	if (err)
		gt_fail("no valid \"%s\" in %s/%s/%s (%s)", key, GT_CGROUP_ROOT,
			name, file, strerror(-err));
	cgt_cgroup_close(&cg);
	return err;
}

int gt_cg_numa_stat(const char *name, const char *key, uint64_t *ret, int nr)
{
	struct cgt_cgroup cg;
	int err;

	err = cg_open(name, &cg);
	if (err)
		return err;
	err = cgt_cgroup_numa_stat(&cg, key, ret, nr);
	if (err)
		gt_fail("no valid \"%s\" in %s/%s/memory.numa_stat (%s)", key,
			GT_CGROUP_ROOT, name, strerror(-err));
	cgt_cgroup_close(&cg);
	return err;
}

int gt_require_nodes(int max_node)
{
	struct cgt_topology topo;
	char buf[64] = "?";
	int err, node;

	err = cgt_topology_load(gt_fs(), &topo);
	if (err)
		return fail_errno(err, "cannot read the NUMA topology under", "/sys");
	for (node = 0; node <= max_node; node++) {
		if (!cgt_nodemask_test(&topo.mem_nodes, node)) {
			cgt_nodemask_format(&topo.mem_nodes, buf, sizeof(buf));
			gt_fail("expected memory on nodes 0-%d, has_memory is \"%s\"",
				max_node, buf);
			return -ENODEV;
		}
	}
	return 0;
}

/*
 * ---- end of the basic-suite helpers ------------------------------------
 * Helpers for t_promote, t_demote and t_damon go below this line.
 */

/* --- tiering and DAMON helpers --- */

void gt_sleep_ms(long ms)
{
	sleep_ms(ms);
}

static double clock_seconds(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts))
		gt_fatal("clock_gettime(%d): %s", (int)id, strerror(errno));
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double gt_now(void)
{
	return clock_seconds(CLOCK_MONOTONIC);
}

double gt_cpu_time(void)
{
	return clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
}

int gt_knob_set(struct gt_knob *k, const char *path, const char *val)
{
	int ret;

	if (!k->path) {
		ret = gt_read(path, k->old, sizeof(k->old));
		if (ret < 0)
			return ret;
		k->path = path;
	}
	ret = gt_write(path, val);
	if (!ret)
		gt_msg("%s: %s (was %s)", path, val, k->old);
	return ret;
}

void gt_knob_restore(struct gt_knob *k)
{
	if (!k->path)
		return;
	if (gt_write(k->path, k->old))
		gt_msg("warning: %s not restored to %s", k->path, k->old);
	k->path = NULL;
}

int gt_check_tiers(int fast, int slow)
{
	struct cgt_topology *topo;
	int tf, ts, err = 0;

	topo = malloc(sizeof(*topo));
	if (!topo)
		return fail_errno(-ENOMEM, "no memory for", "the topology");
	err = cgt_topology_load(gt_fs(), topo);
	if (err) {
		fail_errno(err, "cannot load", "the memory tier topology");
		goto out;
	}
	tf = cgt_topology_tier_of(topo, fast);
	ts = cgt_topology_tier_of(topo, slow);
	if (tf < 0 || ts < 0 || !topo->from_kernel) {
		gt_msg("node %d or node %d has no memory tier", fast, slow);
		err = GT_SKIP;
		goto out;
	}
	gt_msg("node %d: memory_tier%d, node %d: memory_tier%d", fast,
	       topo->tiers[tf].id, slow, topo->tiers[ts].id);
	if (ts <= tf) {
		gt_msg("node %d is not in a lower tier than node %d: no demotion target",
		       slow, fast);
		err = GT_SKIP;
	}
out:
	free(topo);
	return err;
}

int gt_node_free(int node, uint64_t *ret)
{
	int err = cgt_node_meminfo(gt_fs(), node, "MemFree", ret);

	if (err)
		gt_fail("cannot read MemFree of node %d: %s", node, strerror(-err));
	return err;
}

void gt_require_tiers(int fast, int slow, const char *why)
{
	int err = gt_check_tiers(fast, slow);

	if (err == GT_SKIP)
		gt_skip("no slow tier below node %d: %s", fast, why);
	if (err)
		exit(GT_FAIL);
}

int gt_vmstat_refresh(void)
{
	return gt_write("/proc/sys/vm/stat_refresh", "1");
}

int gt_vmstat_read(const char *const *keys, size_t n, uint64_t *val)
{
	int err = gt_vmstat_refresh();

	return err ? err : read_stats("/proc/vmstat", keys, n, val);
}

