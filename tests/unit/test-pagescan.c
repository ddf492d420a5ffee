// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-pagescan.c - the stock backend's page scanner and mover over scratch
 * trees: fake /proc/PID/{maps,pagemap,stat,cgroup}, cgroup.procs, a plain
 * file as the page_idle bitmap (a write stores the mask, the test clears a
 * bit to "access" a page).  The PIDs are real children sleeping in pause(),
 * so pidfds are real; only the node queries and the moves are scripted.
 * One test scans this process itself through the real /proc.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgtier/mempolicy.h"
#include "cgtierd/pagescan.h"
#include "unit.h"

#define TEXT 0x400000ULL  /* 4 pages, r-xp, a file */
#define HEAP 0x600000ULL  /* 8 pages, rw-p [heap]: 6 present, 1 absent, 1 swapped */
#define NTEXT 4
#define NHEAP 8
#define BITMAP "sys/kernel/mm/page_idle/bitmap"

/* Scripted statuses of the fake mover */
#define MV_OK    (INT_MAX - 1) /* move it: status = target */
#define MV_LEAVE (INT_MAX - 2) /* write nothing: stays unknown */
#define MV_LIE   (INT_MAX - 3) /* report the target, do not move */

struct fake {
	int text_node, heap_node;     /* where the pages are */
	struct { uint64_t vaddr; int node; } where[32];
	size_t n_where;
	struct { uint64_t vaddr; int status; } script[32];
	size_t n_script;
	long move_ret;                /* a whole-call result to return */
	long query_ret;
	int queries, moves;
	int moved_pid[32];
	uint64_t moved[64];           /* vaddrs asked to move */
	size_t n_moved;
};

struct env {
	char dir[4096];
	uint64_t pg;
	struct cgt_fs fs;
	struct cgt_cgroup cg;
	struct cgt_topology topo;
	struct fake fake;
	struct cgt_pagescan_params p;
	struct cgt_pagescan ps;
	pid_t kids[4];
	int nkids;
};

static int node_of(struct fake *f, uint64_t vaddr)
{
	for (size_t i = 0; i < f->n_where; i++)
		if (f->where[i].vaddr == vaddr)
			return f->where[i].node;
	return vaddr >= HEAP ? f->heap_node : f->text_node;
}

static void set_node(struct fake *f, uint64_t vaddr, int node)
{
	for (size_t i = 0; i < f->n_where; i++) {
		if (f->where[i].vaddr == vaddr) {
			f->where[i].node = node;
			return;
		}
	}
	assert_true(f->n_where < 32);
	f->where[f->n_where].vaddr = vaddr;
	f->where[f->n_where++].node = node;
}

static void script(struct fake *f, uint64_t vaddr, int status)
{
	assert_true(f->n_script < 32);
	f->script[f->n_script].vaddr = vaddr;
	f->script[f->n_script++].status = status;
}

static long fake_query(void *arg, int pid, size_t count, void **pages,
		       const int *nodes, int *status, int flags)
{
	struct fake *f = arg;

	assert_null(nodes);
	f->queries++;
	if (f->query_ret)
		return f->query_ret;
	for (size_t i = 0; i < count; i++) {
		assert_int_equal(status[i], CGT_MOVE_STATUS_UNKNOWN);
		status[i] = node_of(f, (uint64_t)(uintptr_t)pages[i]);
	}
	return 0;
}

static long fake_move(void *arg, int pid, size_t count, void **pages,
		      const int *nodes, int *status, int flags)
{
	struct fake *f = arg;
	long ret = 0;

	if (!nodes)
		return fake_query(arg, pid, count, pages, nodes, status, flags);
	assert_int_equal(flags, MPOL_MF_MOVE); /* never MOVE_ALL */
	assert_true(count <= CGT_MOVE_CHUNK);
	assert_true(f->moves < 32);
	f->moved_pid[f->moves++] = pid;
	if (f->move_ret < 0)
		return f->move_ret;
	for (size_t i = 0; i < count; i++) {
		uint64_t va = (uint64_t)(uintptr_t)pages[i];
		int s = MV_OK;

		assert_int_equal(status[i], CGT_MOVE_STATUS_UNKNOWN);
		if (f->n_moved < 64)
			f->moved[f->n_moved++] = va;
		for (size_t k = 0; k < f->n_script; k++)
			if (f->script[k].vaddr == va)
				s = f->script[k].status;
		if (s == MV_OK) {
			set_node(f, va, nodes[i]);
			status[i] = nodes[i];
		} else if (s == MV_LIE) {
			status[i] = nodes[i];
			ret++;
		} else if (s != MV_LEAVE) {
			status[i] = s;
		}
	}
	return f->move_ret > 0 ? f->move_ret : ret;
}


/* The "kernel" saw @pfn accessed: its idle bit is cleared. */
static void access_pfn(struct env *e, uint64_t pfn)
{
	uint64_t w = get_word(e->dir, BITMAP, pfn / 64);

	assert_true(w & (UINT64_C(1) << (pfn % 64))); /* it was marked */
	w &= ~(UINT64_C(1) << (pfn % 64));
	put_words(e->dir, BITMAP, pfn / 64, &w, 1);
}

static bool marked(struct env *e, uint64_t pfn)
{
	return get_word(e->dir, BITMAP, pfn / 64) >> (pfn % 64) & 1;
}

static pid_t spawn(struct env *e)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	assert_true(e->nkids < 4);
	e->kids[e->nkids++] = pid;
	return pid;
}

static void reap(struct env *e, pid_t pid)
{
	for (int i = 0; i < e->nkids; i++) {
		if (e->kids[i] == pid) {
			kill(pid, SIGKILL);
			assert_int_equal(waitpid(pid, NULL, 0), pid);
			e->kids[i] = 0;
		}
	}
}

static void put_file(struct env *e, int pid, const char *file, const char *text)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "proc/%d/%s", pid, file);
	tmp_put(e->dir, rel, text);
}

/* /proc/PID/stat with a hostile comm (D5) and starttime @start. */
static void put_stat(struct env *e, int pid, unsigned long long start)
{
	char text[512];

	snprintf(text, sizeof(text),
		 "%d (x) 1 2 3 (y) S 1 1 1 0 -1 4194560 10 0 0 0 1 1 0 0 20 0 1 0 %llu "
		 "12345 67 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0\n",
		 pid, start);
	put_file(e, pid, "stat", text);
}

static void put_cgroup(struct env *e, int pid, const char *text)
{
	put_file(e, pid, "cgroup", text);
}

static void put_pagemap(struct env *e, int pid, uint64_t vaddr,
			const uint64_t *ents, size_t n)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "proc/%d/pagemap", pid);
	put_words(e->dir, rel, vaddr / e->pg, ents, n);
}

static uint64_t text_pfn(uint64_t base, int i)
{
	return base + (uint64_t)i;
}

static uint64_t heap_pfn(uint64_t base, int i)
{
	return base + 0x100 + (uint64_t)i;
}

/* Present page @i of the heap gets PFN @pfn (0: not present). */
static void set_heap(struct env *e, int pid, int i, uint64_t pfn)
{
	uint64_t ent = pfn ? CGT_PAGEMAP_PRESENT | pfn : 0;

	put_pagemap(e, pid, HEAP + (uint64_t)i * e->pg, &ent, 1);
}

static void put_std_maps(struct env *e, int pid)
{
	char maps[1024];

	snprintf(maps, sizeof(maps),
		 "%08llx-%08llx r-xp 00000000 08:01 1234 /usr/bin/app\n"
		 "%08llx-%08llx rw-p 00000000 00:00 0          [heap]\n"
		 "00700000-00701000 rw-s 00000000 00:05 99 /dev/zero (deleted)\n"
		 "00800000-00801000 ---p 00000000 00:00 0\n"
		 "00900000-00902000 r--p 00000000 00:00 0 [vvar]\n"
		 "00a00000-00a01000 r--p 00000000 00:06 5 /dev/dri/card0\n"
		 "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n",
		 TEXT, TEXT + NTEXT * e->pg, HEAP, HEAP + NHEAP * e->pg);
	put_file(e, pid, "maps", maps);
}

/* The standard process: 10 tracked pages, PFNs from @base. */
static void put_std_proc(struct env *e, int pid, uint64_t base,
			 unsigned long long start)
{
	uint64_t text[NTEXT], heap[NHEAP];

	for (int i = 0; i < NTEXT; i++)
		text[i] = CGT_PAGEMAP_PRESENT | text_pfn(base, i);
	for (int i = 0; i < NHEAP; i++)
		heap[i] = CGT_PAGEMAP_PRESENT | heap_pfn(base, i);
	heap[6] = 0;                                          /* not present */
	heap[7] = CGT_PAGEMAP_PRESENT | CGT_PAGEMAP_SWAPPED | 3; /* swapped */
	put_std_maps(e, pid);
	put_pagemap(e, pid, TEXT, text, NTEXT);
	put_pagemap(e, pid, HEAP, heap, NHEAP);
	put_stat(e, pid, start);
	put_cgroup(e, pid, "0::/app\n");
}

static pid_t std_proc(struct env *e, uint64_t base)
{
	pid_t pid = spawn(e);

	put_std_proc(e, pid, base, 1000 + (unsigned long long)pid);
	return pid;
}

static void set_procs(struct env *e, const char *text)
{
	tmp_put(e->dir, "sys/fs/cgroup/app/cgroup.procs", text);
}

static void set_procs_pids(struct env *e, const pid_t *pids, int n)
{
	char text[256] = "";

	for (int i = 0; i < n; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%d\n",
			 (int)pids[i]);
	set_procs(e, text);
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->pg = (uint64_t)sysconf(_SC_PAGESIZE);
	tmp_tree(e->dir);
	tmp_put(e->dir, "sys/devices/system/node/has_memory", "0-1\n");
	tmp_put(e->dir, "sys/devices/system/node/has_cpu", "0\n");
	tmp_put(e->dir, "sys/devices/virtual/memory_tiering/memory_tier4/nodelist", "0\n");
	tmp_put(e->dir, "sys/devices/virtual/memory_tiering/memory_tier22/nodelist", "1\n");
	tmp_put(e->dir, BITMAP, "");
	tmp_put(e->dir, "proc", NULL);
	set_procs(e, "");
	assert_int_equal(cgt_fs_open(&e->fs, e->dir), 0);
	assert_int_equal(cgt_topology_load(&e->fs, &e->topo), 0);
	assert_int_equal(e->topo.nr_tiers, 2);
	assert_int_equal(cgt_cgroup_open(&e->fs, "app", &e->cg), 0);
	e->fake.heap_node = 0;
	e->fake.text_node = 0;
	e->p.path = "app";
	e->p.query_nodes = fake_query;
	e->p.query_arg = &e->fake;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	cgt_pagescan_clear(&e->ps);
	cgt_cgroup_close(&e->cg);
	cgt_fs_close(&e->fs);
	for (int i = 0; i < e->nkids; i++)
		if (e->kids[i])
			reap(e, e->kids[i]);
	tmp_tree_remove(e->dir);
	free(e);
	return 0;
}

static int update(struct env *e)
{
	return cgt_pagescan_update(&e->ps, &e->fs, &e->cg, &e->topo, &e->p);
}

static const struct cgt_pagescan_page *page_at(const struct cgt_pagescan *ps,
					       int pid, uint64_t vaddr)
{
	for (size_t i = 0; i < ps->nr_pages; i++)
		if (ps->procs[ps->pages[i].proc].pid == pid &&
		    ps->pages[i].vaddr == vaddr)
			return &ps->pages[i];
	return NULL;
}

static int age_at(struct env *e, int pid, uint64_t vaddr)
{
	const struct cgt_pagescan_page *p = page_at(&e->ps, pid, vaddr);

	assert_non_null(p);
	return p->age;
}

static uint64_t th(struct env *e, int i)
{
	return TEXT + (uint64_t)i * e->pg;
}

static uint64_t hp(struct env *e, int i)
{
	return HEAP + (uint64_t)i * e->pg;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n++;
	closedir(d);
	return n;
}

/* Accessed, idle, re-accessed over three updates; bitmap marking; hot(). */
static void test_ages(void **state)
{
	struct env *e = *state;
	uint64_t hot[CGT_SNAP_MAX_TIERS], res[CGT_SNAP_MAX_TIERS];
	const uint64_t base = 0x10000;
	pid_t pid = std_proc(e, base);

	set_procs_pids(e, &pid, 1);
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.procs, 1);
	assert_int_equal(e->ps.stats.procs_new, 1);
	assert_int_equal(e->ps.stats.pages, NTEXT + 6);
	assert_int_equal(e->ps.stats.pages_new, NTEXT + 6);
	assert_int_equal(e->ps.stats.pages_swapped, 1);
	assert_int_equal(e->ps.stats.maps_skipped, 5);
	assert_int_equal(e->ps.stats.maps_bad, 0);
	assert_int_equal(e->fake.queries, 1);
	for (int i = 0; i < NTEXT; i++) {
		assert_int_equal(age_at(e, pid, th(e, i)), 0);
		assert_true(marked(e, text_pfn(base, i)));
		assert_int_equal(page_at(&e->ps, pid, th(e, i))->node, 0);
	}
	for (int i = 0; i < 6; i++)
		assert_true(marked(e, heap_pfn(base, i)));
	assert_null(page_at(&e->ps, pid, hp(e, 6)));
	assert_null(page_at(&e->ps, pid, hp(e, 7)));

	/* period 2: text page 0 was accessed */
	access_pfn(e, text_pfn(base, 0));
	assert_int_equal(update(e), 0);
	assert_int_equal(e->fake.queries, 1); /* nodes carried over */
	assert_int_equal(e->ps.stats.pages_new, 0);
	assert_int_equal(e->ps.stats.pages_accessed, 1);
	assert_int_equal(age_at(e, pid, th(e, 0)), 0);
	for (int i = 1; i < NTEXT; i++)
		assert_int_equal(age_at(e, pid, th(e, i)), 1);
	for (int i = 0; i < 6; i++)
		assert_int_equal(age_at(e, pid, hp(e, i)), 1);
	assert_true(marked(e, text_pfn(base, 0))); /* marked idle again */

	/*
	 * period 3: heap page 0 accessed (re-accessed after an idle period);
	 * heap page 3 got a new frame; heap page 5's frame moved to page 6.
	 */
	access_pfn(e, heap_pfn(base, 0));
	set_heap(e, pid, 3, 0x9999);
	set_heap(e, pid, 5, 0);
	set_heap(e, pid, 6, heap_pfn(base, 5));
	assert_int_equal(update(e), 0);
	assert_int_equal(e->fake.queries, 2); /* for the two new pages */
	assert_int_equal(e->ps.stats.pages_new, 2);
	assert_int_equal(age_at(e, pid, th(e, 0)), 1);
	assert_int_equal(age_at(e, pid, th(e, 1)), 2);
	assert_int_equal(age_at(e, pid, hp(e, 0)), 0);
	assert_int_equal(age_at(e, pid, hp(e, 1)), 2);
	assert_int_equal(age_at(e, pid, hp(e, 3)), 0);
	assert_int_equal(age_at(e, pid, hp(e, 6)), 0);
	assert_null(page_at(&e->ps, pid, hp(e, 5)));
	assert_true(marked(e, 0x9999));

	/* heap 3 and 6 are new frames: resident, not yet hot */
	cgt_pagescan_hot(&e->ps, &e->topo, 1, hot, res);
	assert_true(res[0] == 10 * e->pg && res[1] == 0);
	assert_true(hot[0] == 1 * e->pg); /* heap 0 */
	cgt_pagescan_hot(&e->ps, &e->topo, 2, hot, res);
	assert_true(hot[0] == 2 * e->pg); /* and text 0 */
	cgt_pagescan_hot(&e->ps, &e->topo, 3, hot, res);
	assert_true(hot[0] == 2 * e->pg); /* the others were never seen accessed */
	assert_true(page_at(&e->ps, pid, th(e, 1))->flags & CGT_PAGESCAN_NEW);
	assert_false(page_at(&e->ps, pid, th(e, 0))->flags & CGT_PAGESCAN_NEW);
	cgt_pagescan_hot(&e->ps, &e->topo, 0, hot, res);
	assert_true(hot[0] == 0 && res[0] == 10 * e->pg);
	/* saturating age */
	for (int i = 0; i < CGT_PAGESCAN_AGE_MAX + 5; i++)
		assert_int_equal(update(e), 0);
	assert_int_equal(age_at(e, pid, th(e, 1)), CGT_PAGESCAN_AGE_MAX);
}

/*
 * The sample window (global.sample): an access before it is overwritten by
 * its marking, one after it is not seen by the update, which uses the
 * sampled bits; no_mark leaves the marking to the sample.
 */
static void test_mark(void **state)
{
	struct env *e = *state;
	const uint64_t base = 0x10000;
	pid_t pid = std_proc(e, base);
	struct cgt_pagescan empty = { 0 };

	assert_int_equal(cgt_pagescan_sample(&empty, 0), 0); /* before any update */
	assert_int_equal(cgt_pagescan_sample(NULL, 0), -EINVAL);
	set_procs_pids(e, &pid, 1);
	e->p.no_mark = true; /* the sample marks */
	assert_int_equal(update(e), 0);
	assert_false(marked(e, heap_pfn(base, 0))); /* no_mark: not marked */
	/* an access before the window is overwritten by its marking */
	put_words(e->dir, BITMAP, heap_pfn(base, 0) / 64, &(uint64_t){ 0 }, 1);
	assert_int_equal(cgt_pagescan_sample(&e->ps, 1000), 0);
	assert_true(marked(e, heap_pfn(base, 0)));
	/* an access after the window: the update uses the sampled bits */
	access_pfn(e, heap_pfn(base, 1));
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.pages_accessed, 0);
	assert_int_equal(age_at(e, pid, hp(e, 0)), 1);
	assert_int_equal(age_at(e, pid, hp(e, 1)), 1);
	assert_true(page_at(&e->ps, pid, hp(e, 1))->flags & CGT_PAGESCAN_NEW);
	/* without a sample, the update reads the bitmap itself, as before */
	e->p.no_mark = false;
	assert_int_equal(update(e), 0); /* marks at its end */
	access_pfn(e, heap_pfn(base, 2));
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.pages_accessed, 1);
	assert_int_equal(age_at(e, pid, hp(e, 2)), 0);
}

/* The frequency rule: seen accessed in at least hot_hits of hot_age periods. */
static void test_hot_hits(void **state)
{
	struct env *e = *state;
	uint64_t hot[CGT_SNAP_MAX_TIERS], res[CGT_SNAP_MAX_TIERS];
	const uint64_t base = 0x10000;
	pid_t pid = std_proc(e, base);

	set_procs_pids(e, &pid, 1);
	assert_int_equal(update(e), 0);
	/* heap 0 in all three periods, heap 1 in two, heap 2 in the last */
	for (int k = 0; k < 3; k++) {
		access_pfn(e, heap_pfn(base, 0));
		if (k != 1)
			access_pfn(e, heap_pfn(base, 1));
		if (k == 2)
			access_pfn(e, heap_pfn(base, 2));
		assert_int_equal(update(e), 0);
	}
	assert_int_equal(page_at(&e->ps, pid, hp(e, 0))->hist, 7);
	assert_int_equal(page_at(&e->ps, pid, hp(e, 1))->hist, 5);
	assert_int_equal(page_at(&e->ps, pid, hp(e, 2))->hist, 1);
	cgt_pagescan_hot_hits(&e->ps, &e->topo, 3, 1, hot, res);
	assert_true(hot[0] == 3 * e->pg); /* recency: all three */
	cgt_pagescan_hot_hits(&e->ps, &e->topo, 3, 2, hot, res);
	assert_true(hot[0] == 2 * e->pg); /* heap 0 and 1 */
	cgt_pagescan_hot_hits(&e->ps, &e->topo, 3, 3, hot, res);
	assert_true(hot[0] == 1 * e->pg); /* heap 0 */
	cgt_pagescan_hot_hits(&e->ps, &e->topo, 2, 2, hot, res);
	assert_true(hot[0] == 1 * e->pg); /* the last two periods: heap 0 */
	cgt_pagescan_hot_hits(&e->ps, &e->topo, 200, 4, hot, res);
	assert_true(hot[0] == 0); /* 8 periods of history, none seen 4 times */
}

/* Bytes per tier, a PFN shared by two processes counted once. */
static void test_hot_tiers(void **state)
{
	struct env *e = *state;
	uint64_t hot[CGT_SNAP_MAX_TIERS], res[CGT_SNAP_MAX_TIERS];
	pid_t pids[2];
	uint64_t text[NTEXT];

	e->fake.heap_node = 1;
	pids[0] = std_proc(e, 0x10000);
	pids[1] = std_proc(e, 0x20000);
	/* the second maps the same file pages as the first (page cache) */
	for (int i = 0; i < NTEXT; i++)
		text[i] = CGT_PAGEMAP_PRESENT | text_pfn(0x10000, i);
	put_pagemap(e, pids[1], TEXT, text, NTEXT);
	set_procs_pids(e, pids, 2);
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.procs, 2);
	assert_int_equal(e->ps.stats.pages, 20);
	assert_int_equal(e->ps.stats.pages_shared, NTEXT);
	cgt_pagescan_hot(&e->ps, &e->topo, 1, hot, res);
	assert_true(res[0] == NTEXT * e->pg);  /* once, not twice */
	assert_true(res[1] == 12 * e->pg);     /* 6 heap pages each */
	assert_true(hot[0] == 0 && hot[1] == 0); /* all new: not yet seen hot */
	cgt_pagescan_hot(&e->ps, &e->topo, 1, hot, res);

	access_pfn(e, heap_pfn(0x20000, 2));
	assert_int_equal(update(e), 0);
	cgt_pagescan_hot(&e->ps, &e->topo, 1, hot, res);
	assert_true(hot[0] == 0);
	assert_true(hot[1] == e->pg);
	assert_true(res[1] == 12 * e->pg);
	/* a node outside the topology counts nowhere */
	cgt_pagescan_hot(NULL, &e->topo, 1, hot, res);
	assert_true(hot[1] == 0 && res[0] == 0);
}

/* D1, M3: processes leaving, exiting in place, PIDs that never were. */
static void test_vanish(void **state)
{
	struct env *e = *state;
	int fds = count_fds();
	char rel[8192], procs[128];
	pid_t a, b, ghost;

	a = std_proc(e, 0x10000);
	b = std_proc(e, 0x20000);
	ghost = spawn(e);
	reap(e, ghost); /* a PID with no process (nor /proc files) */
	snprintf(procs, sizeof(procs), "%d\n%d\n%d\n%d\n", (int)b, (int)a, (int)b,
		 (int)ghost);
	set_procs(e, procs);
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.dup_pids, 1);
	assert_int_equal(e->ps.stats.procs, 2);
	assert_int_equal(e->ps.stats.procs_gone, 1); /* the ghost, quietly */
	assert_int_equal(e->ps.stats.procs_error, 0);
	assert_int_equal(e->ps.stats.pages, 20);

	/* a exits and is gone from cgroup.procs and /proc */
	reap(e, a);
	snprintf(rel, sizeof(rel), "%s/proc/%d", e->dir, (int)a);
	tmp_tree_remove(rel);
	set_procs_pids(e, &b, 1);
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.procs_gone, 1);
	assert_int_equal(e->ps.stats.procs, 1);
	assert_int_equal(e->ps.stats.pages, 10);
	assert_null(page_at(&e->ps, a, th(e, 0)));
	assert_int_equal(age_at(e, b, th(e, 0)), 1);

	/* b exits but is still listed and its files are still there: the pidfd says so */
	reap(e, b);
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.procs_gone, 1);
	assert_int_equal(e->ps.stats.procs, 0);
	assert_int_equal(e->ps.stats.pages, 0);
	assert_int_equal(e->ps.stats.procs_new, 0);

	/* an empty cgroup is a no-op (D3) */
	set_procs(e, "");
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.procs, 0);

	/* the cgroup itself vanishes: an error, and the state is gone */
	snprintf(rel, sizeof(rel), "%s/sys/fs/cgroup/app/cgroup.procs", e->dir);
	assert_int_equal(unlink(rel), 0);
	assert_int_equal(update(e), -ENOENT);
	assert_null(e->ps.procs);
	cgt_pagescan_clear(&e->ps);
	assert_int_equal(count_fds(), fds); /* D14: no fd left behind */
}

/* M4: a changed start time means another process behind the PID. */
static void test_pid_reuse(void **state)
{
	struct env *e = *state;
	pid_t pid = std_proc(e, 0x10000);

	set_procs_pids(e, &pid, 1);
	assert_int_equal(update(e), 0);
	access_pfn(e, text_pfn(0x10000, 0));
	assert_int_equal(update(e), 0);
	assert_int_equal(age_at(e, pid, th(e, 1)), 1);
	assert_int_equal(e->fake.queries, 1);

	put_stat(e, pid, 777777);
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.procs_reused, 1);
	assert_int_equal(e->ps.stats.procs_new, 1);
	assert_int_equal(e->ps.stats.procs, 1);
	assert_int_equal(e->ps.stats.pages_new, 10); /* nothing carried over */
	assert_int_equal(age_at(e, pid, th(e, 1)), 0);
	assert_int_equal(e->fake.queries, 2);
	/* stable afterwards */
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.procs_reused, 0);
	assert_int_equal(age_at(e, pid, th(e, 1)), 1);

	/* a stat without a ')' or with too few fields: an error, no tracking */
	put_file(e, pid, "stat", "123 (x S 1 2 3");
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.procs_error, 1);
	assert_int_equal(e->ps.stats.last_error, -EINVAL);
	assert_int_equal(e->ps.stats.pages, 0);
	put_file(e, pid, "stat", "123 (x) S 1 2 3\n");
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.procs_error, 1);
}

/* Access the 6 present heap pages of the standard process at @base. */
static void access_heap(struct env *e, uint64_t base)
{
	for (int i = 0; i < 6; i++)
		access_pfn(e, heap_pfn(base, i));
}

static struct cgt_pagescan_move_req promote(struct env *e, uint64_t pages,
					    unsigned hot_age)
{
	return (struct cgt_pagescan_move_req){
		.dir = CGT_PAGESCAN_PROMOTE, .bytes = pages * e->pg,
		.hot_age = hot_age, .node = -1, .fs = &e->fs,
		.move_pages = fake_move, .move_arg = &e->fake,
	};
}

/* Never touch a process that left the cgroup (the canary). */
static void test_move_foreign(void **state)
{
	struct env *e = *state;
	struct cgt_pagescan_move_req req = promote(e, 100, 2);
	struct cgt_pagescan_move_res res;
	pid_t pids[3];

	e->fake.heap_node = 1;
	pids[0] = std_proc(e, 0x10000);
	pids[1] = std_proc(e, 0x20000);
	pids[2] = std_proc(e, 0x30000);
	put_cgroup(e, pids[1], "12:memory:/elsewhere\n1:name=systemd:/x\n0::/app\n");
	set_procs_pids(e, pids, 3);
	assert_int_equal(update(e), 0);
	for (int k = 0; k < 3; k++)
		access_heap(e, 0x10000 * (k + 1));
	assert_int_equal(update(e), 0); /* seen accessed: hot, age 0 */
	assert_int_equal(e->ps.stats.procs, 3);
	/* after the scan, two of them move: to a child, and to "app2" */
	put_cgroup(e, pids[0], "0::/app/sub\n");
	put_cgroup(e, pids[2], "0::/app2\n");
	assert_int_equal(cgt_pagescan_move(&e->ps, &e->topo, &req, &res), 0);
	assert_int_equal(res.node, 0);
	assert_int_equal(res.pages_selected, 18);
	assert_int_equal(res.procs_foreign, 2);
	assert_int_equal(res.pages_foreign, 12);
	assert_int_equal(res.pages_moved, 6);
	assert_true(res.bytes_moved == 6 * e->pg);
	assert_int_equal(res.pages_failed, 0);
	assert_int_equal(e->fake.moves, 1);
	assert_int_equal(e->fake.moved_pid[0], pids[1]);
	assert_int_equal(page_at(&e->ps, pids[1], hp(e, 0))->node, 0);
	assert_int_equal(page_at(&e->ps, pids[0], hp(e, 0))->node, 1);
	/* no cgroup2 line at all: not ours either */
	put_cgroup(e, pids[0], "4:memory:/app\n");
	put_cgroup(e, pids[2], "");
	assert_int_equal(cgt_pagescan_move(&e->ps, &e->topo, &req, &res), 0);
	assert_int_equal(res.procs_foreign, 2);
	assert_int_equal(res.pages_moved, 0);
	assert_int_equal(e->fake.moves, 1);
}

/* M5: every status classified; only real nodes are read as nodes. */
static void test_move_statuses(void **state)
{
	struct env *e = *state;
	struct cgt_pagescan_move_req req = promote(e, 100, 2);
	struct cgt_pagescan_move_res res;
	const struct cgt_pagescan_page *pg;
	pid_t pid;

	e->fake.heap_node = 1;
	pid = std_proc(e, 0x10000);
	set_procs_pids(e, &pid, 1);
	assert_int_equal(update(e), 0);
	access_heap(e, 0x10000);
	assert_int_equal(update(e), 0); /* seen accessed: hot, age 0 */
	script(&e->fake, hp(e, 1), -EBUSY);
	script(&e->fake, hp(e, 2), -EFAULT);
	script(&e->fake, hp(e, 3), MV_LEAVE);
	script(&e->fake, hp(e, 4), -EACCES);
	script(&e->fake, hp(e, 5), 1); /* a node, not the target */
	assert_int_equal(cgt_pagescan_move(&e->ps, &e->topo, &req, &res), 0);
	assert_int_equal(res.pages_selected, 6);
	assert_int_equal(res.pages_moved, 1);
	assert_int_equal(res.pages_failed, 5);
	assert_true(res.bytes_failed == 5 * e->pg);
	assert_int_equal(res.failed[CGT_PAGESCAN_FAIL_BUSY], 1);
	assert_int_equal(res.failed[CGT_PAGESCAN_FAIL_FAULT], 1);
	assert_int_equal(res.failed[CGT_PAGESCAN_FAIL_UNKNOWN], 1);
	assert_int_equal(res.failed[CGT_PAGESCAN_FAIL_ACCES], 1);
	assert_int_equal(res.failed[CGT_PAGESCAN_FAIL_STAYED], 1);
	assert_int_equal(res.call_err, 0);
	assert_int_equal(page_at(&e->ps, pid, hp(e, 0))->node, 0);
	for (int i = 1; i < 6; i++) {
		pg = page_at(&e->ps, pid, hp(e, i));
		assert_int_equal(pg->node, 1); /* kept as it was */
		assert_false(pg->flags & CGT_PAGESCAN_MOVED);
	}
	assert_true(page_at(&e->ps, pid, hp(e, 0))->flags & CGT_PAGESCAN_MOVED);

	/* the moved page has a new frame next period: it keeps its age */
	set_heap(e, pid, 0, 0x7777);
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.pages_new, 0);
	assert_int_equal(age_at(e, pid, hp(e, 0)), 0);
	assert_int_equal(page_at(&e->ps, pid, hp(e, 0))->node, 0); /* queried */
	assert_int_equal(age_at(e, pid, hp(e, 1)), 1);

	/* a positive return: statuses not trusted, the pages are queried */
	e->fake.n_script = 0;
	script(&e->fake, hp(e, 1), MV_LIE);
	req.hot_age = 3;
	assert_int_equal(cgt_pagescan_move(&e->ps, &e->topo, &req, &res), 0);
	assert_int_equal(res.pages_selected, 5);
	assert_int_equal(res.pages_moved, 4);
	assert_int_equal(res.failed[CGT_PAGESCAN_FAIL_STAYED], 1);
	assert_int_equal(page_at(&e->ps, pid, hp(e, 1))->node, 1);

	/* a failed call (M1): counted, stopped, pages kept */
	e->fake.heap_node = 0;
	set_node(&e->fake, hp(e, 1), 1);
	e->fake.move_ret = -ENODEV;
	assert_int_equal(cgt_pagescan_move(&e->ps, &e->topo, &req, &res), 0);
	assert_int_equal(res.pages_selected, 1);
	assert_int_equal(res.failed[CGT_PAGESCAN_FAIL_CALL], 1);
	assert_int_equal(res.call_err, -ENODEV);
	assert_int_equal(page_at(&e->ps, pid, hp(e, 1))->node, 1);

	/* ESRCH: the process is gone, dropped with its pages */
	e->fake.move_ret = -ESRCH;
	assert_int_equal(cgt_pagescan_move(&e->ps, &e->topo, &req, &res), 0);
	assert_int_equal(res.procs_gone, 1);
	assert_int_equal(res.pages_moved + res.pages_failed, 0);
	assert_int_equal(e->ps.nr_pages, 0);
}

/* Hottest first for promotion, coldest first for demotion; dry runs. */
static void test_move_select(void **state)
{
	struct env *e = *state;
	struct cgt_pagescan_move_req req;
	struct cgt_pagescan_move_res res;
	struct cgt_topology one;
	const uint64_t base = 0x10000;
	pid_t pid;

	e->fake.heap_node = 1;
	pid = std_proc(e, base);
	set_procs_pids(e, &pid, 1);
	assert_int_equal(update(e), 0);
	access_pfn(e, heap_pfn(base, 3));
	access_pfn(e, heap_pfn(base, 4));
	assert_int_equal(update(e), 0);
	access_pfn(e, heap_pfn(base, 4));
	access_pfn(e, text_pfn(base, 0));
	assert_int_equal(update(e), 0);
	/* heap: 4 age 0, 3 age 1, others 2; text: 0 age 0, others 2 */
	assert_int_equal(age_at(e, pid, hp(e, 4)), 0);
	assert_int_equal(age_at(e, pid, hp(e, 3)), 1);
	assert_int_equal(age_at(e, pid, hp(e, 0)), 2);

	req = promote(e, 2, 3);
	req.dry = true;
	req.fs = NULL;
	assert_int_equal(cgt_pagescan_move(&e->ps, &e->topo, &req, &res), 0);
	assert_int_equal(res.pages_selected, 2);
	assert_int_equal(res.pages_moved, 0);
	assert_int_equal(e->fake.moves, 0); /* D13 */

	req = promote(e, 2, 3);
	assert_int_equal(cgt_pagescan_move(&e->ps, &e->topo, &req, &res), 0);
	assert_int_equal(res.pages_moved, 2);
	assert_int_equal(e->fake.n_moved, 2);
	assert_true(e->fake.moved[0] == hp(e, 3) && e->fake.moved[1] == hp(e, 4));

	/* only pages younger than hot_age are promoted, whatever the bytes */
	e->fake.n_moved = 0;
	req = promote(e, 100, 3);
	req.hot_age = 2;
	assert_int_equal(cgt_pagescan_move(&e->ps, &e->topo, &req, &res), 0);
	assert_int_equal(res.pages_selected, 0);
	req.hot_age = 3;
	req.bytes = e->pg - 1; /* less than a page: nothing */
	assert_int_equal(cgt_pagescan_move(&e->ps, &e->topo, &req, &res), 0);
	assert_int_equal(res.pages_selected, 0);

	/* demotion: the coldest of tier 0 (now text 1-3, heap 3-4 hot) */
	e->fake.n_moved = 0;
	req = promote(e, 2, 0);
	req.dir = CGT_PAGESCAN_DEMOTE;
	assert_int_equal(cgt_pagescan_move(&e->ps, &e->topo, &req, &res), 0);
	assert_int_equal(res.node, 1);
	assert_int_equal(res.pages_moved, 2);
	assert_true(e->fake.moved[0] == th(e, 1) && e->fake.moved[1] == th(e, 2));
	assert_int_equal(page_at(&e->ps, pid, th(e, 1))->node, 1);
	/* all of tier 0, coldest first, then the hot ones */
	e->fake.n_moved = 0;
	req.bytes = 100 * e->pg;
	assert_int_equal(cgt_pagescan_move(&e->ps, &e->topo, &req, &res), 0);
	assert_int_equal(res.pages_moved, 4); /* text 0, 3; heap 3, 4 */

	/* targets: a node of the target tier, or none */
	req.node = 0;
	assert_int_equal(cgt_pagescan_move(&e->ps, &e->topo, &req, &res), -ENODEV);
	one = e->topo;
	one.nr_tiers = 1;
	req.node = -1;
	assert_int_equal(cgt_pagescan_move(&e->ps, &one, &req, &res), -ENODEV);
	req.dir = 7;
	assert_int_equal(cgt_pagescan_move(&e->ps, &e->topo, &req, &res), -EINVAL);
}

/* M5 for queries: a page without a node is dropped; a failed query too. */
static void test_query_errors(void **state)
{
	struct env *e = *state;
	pid_t pids[2];

	pids[0] = std_proc(e, 0x10000);
	pids[1] = std_proc(e, 0x20000);
	set_procs_pids(e, pids, 2);
	set_node(&e->fake, hp(e, 2), -EFAULT);
	set_node(&e->fake, hp(e, 3), CGT_MAX_NODES); /* not a node either */
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.pages_no_node, 4);
	assert_int_equal(e->ps.stats.pages, 16);
	assert_null(page_at(&e->ps, pids[0], hp(e, 2)));
	assert_null(page_at(&e->ps, pids[1], hp(e, 3)));

	/* asked again next period (they are new again), now for a gone process */
	e->fake.query_ret = -ESRCH;
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.procs_gone, 2);
	assert_int_equal(e->ps.stats.pages, 0);
	assert_int_equal(e->ps.stats.procs, 0);

	/* any other failure: those pages only, the process stays */
	e->fake.query_ret = -EPERM;
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.procs, 2);
	assert_int_equal(e->ps.stats.pages, 0);
	assert_int_equal(e->ps.stats.pages_no_node, 20);
	assert_int_equal(e->ps.stats.last_error, -EPERM);
}

/* The bounds: pages, processes, virtual pages read. */
static void test_caps(void **state)
{
	struct env *e = *state;
	pid_t pids[2];

	pids[0] = std_proc(e, 0x10000);
	pids[1] = std_proc(e, 0x20000);
	set_procs_pids(e, pids, 2);
	e->p.max_pages = 4;
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.pages, 4);
	assert_int_equal(e->ps.stats.pages_over_cap, 16);
	assert_int_equal(e->ps.stats.procs, 2);

	e->p.max_pages = 0;
	e->p.max_vpages = 5;
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.pages, 5);    /* 4 text + 1 heap of the first */
	assert_int_equal(e->ps.stats.vpages_over_cap, 7 + 12);

	cgt_pagescan_clear(&e->ps);
	e->p.max_vpages = 0;
	e->p.max_procs = 1;
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.procs, 1);
	assert_int_equal(e->ps.stats.procs_over_cap, 1);
	assert_int_equal(e->ps.stats.pages, 10);
	assert_int_equal(update(e), 0); /* the tracked one stays */
	assert_int_equal(e->ps.stats.procs_new, 0);
	assert_int_equal(e->ps.stats.procs_over_cap, 1);
}

/* Present pages without PFNs: no CAP_SYS_ADMIN, said as -EPERM. */
static void test_no_pfn(void **state)
{
	struct env *e = *state;
	uint64_t ent = CGT_PAGEMAP_PRESENT;
	pid_t pid = std_proc(e, 0x10000);

	set_procs_pids(e, &pid, 1);
	assert_int_equal(update(e), 0);
	put_pagemap(e, pid, hp(e, 2), &ent, 1);
	assert_int_equal(update(e), -EPERM);
	assert_null(e->ps.pages);
	assert_null(e->ps.procs);
	assert_null(e->ps.path);
	assert_false(e->ps.idle_open);

	/* and other failures of the call */
	assert_int_equal(cgt_pagescan_update(&e->ps, &e->fs, &e->cg, &e->topo, NULL),
			 -EINVAL);
	e->p.path = NULL;
	assert_int_equal(update(e), -EINVAL);
	e->p.path = "app";
	set_procs(e, "12\nnot-a-pid\n");
	assert_int_equal(update(e), -EINVAL);
	set_procs_pids(e, &pid, 1);
	put_pagemap(e, pid, hp(e, 2), &(uint64_t){ CGT_PAGEMAP_PRESENT | 5 }, 1);
	{
		char rel[8192];

		snprintf(rel, sizeof(rel), "%s/%s", e->dir, BITMAP);
		assert_int_equal(unlink(rel), 0);
	}
	assert_int_equal(update(e), -ENOENT); /* no idle page tracking */
}

/* D4: malformed maps lines are skipped and counted, never a crash. */
static void test_malformed_maps(void **state)
{
	struct env *e = *state;
	char *maps, *p;
	pid_t pid = std_proc(e, 0x10000);
	size_t cap = 64 * 1024;

	maps = malloc(cap);
	assert_non_null(maps);
	p = maps;
	p += sprintf(p, "garbage\n");
	p += sprintf(p, "zzzz-00401000 r-xp 00000000 08:01 1 /x\n");
	p += sprintf(p, "00402000-00401000 r-xp 00000000 08:01 1 /x\n");
	p += sprintf(p, "00400000-00401000 rwxq 00000000 08:01 1 /x\n");
	p += sprintf(p, "00400000-00401000 r-xp 00000000 08:01\n");
	p += sprintf(p, "00400001-00401000 r-xp 00000000 08:01 1 /x\n");
	p += sprintf(p, "00400000-00401000 r-xp 00000000 08:01 1x /x\n");
	p += sprintf(p, " r-xp 00000000 08:01 1 /x\n");
	p += sprintf(p, "\n");
	p += sprintf(p, "-\n");
	p += sprintf(p, "00400000-00401000 r-xp 00000000 08:01 99999999999999999999 /x\n");
	p += sprintf(p, "00400000-00401000 r-xp 1ffffffffffffffff 08:01 1 /x\n");
	p += sprintf(p, "00400000-");
	memset(p, 'a', 20000); /* a line longer than any path */
	p += 20000;
	p += sprintf(p, "\n");
	p += sprintf(p, "%08llx-%08llx r-xp 00000000 08:01 1234 /usr/bin/app\n",
		     TEXT, TEXT + NTEXT * e->pg);
	p += sprintf(p, "%08llx-%08llx r--p 00000000 00:00 0\n", /* overlaps */
		     TEXT + e->pg, TEXT + 2 * e->pg);
	p += sprintf(p, "%08llx-%08llx rw-p 00000000 00:00 0 [heap]", /* no newline */
		     HEAP, HEAP + NHEAP * e->pg);
	assert_true((size_t)(p - maps) < cap);
	put_file(e, pid, "maps", maps);
	free(maps);
	set_procs_pids(e, &pid, 1);
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.maps_bad, 14);
	assert_int_equal(e->ps.stats.pages, 10);
	assert_int_equal(e->ps.stats.procs_error, 0);

	/* nothing but an over-long line without a newline */
	maps = calloc(1, 30000);
	assert_non_null(maps);
	memset(maps, '0', 29999);
	put_file(e, pid, "maps", maps);
	free(maps);
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.maps_bad, 1);
	assert_int_equal(e->ps.stats.pages, 0);

	/* a mapping past the end of the pagemap: that process, this period */
	put_file(e, pid, "maps", "10000000-10001000 rw-p 00000000 00:00 0\n");
	assert_int_equal(update(e), 0);
	assert_int_equal(e->ps.stats.procs_error, 1);
	assert_int_equal(e->ps.stats.last_error, -EIO);
	assert_int_equal(e->ps.stats.procs, 1);
}

/* Whether every page of [@start, +@npages) is tracked on node 0. */
static void check_node0(struct env *e, const struct cgt_pagescan *ps,
			uint64_t start, size_t npages)
{
	for (size_t i = 0; i < npages; i++) {
		const struct cgt_pagescan_page *pg =
			page_at(ps, getpid(), start + i * e->pg);

		assert_non_null(pg);
		assert_int_equal(pg->node, 0);
		assert_true(pg->pfn != 0);
	}
}

/*
 * This process through the real /proc and a real move_pages(2) query: a
 * malloc'd buffer, and one mmap'd low (maps are scanned in address order,
 * so the max_vpages bound cannot hide it, even under ASan's terabytes of
 * readable shadow).  The bitmap is the scratch tree's: the host's /sys is
 * never written.
 */
static void test_real_process(void **state)
{
	struct env *e = *state;
	const size_t npages = 64;
	struct cgt_pagescan_params p = { .path = "app", .sys_fs = &e->fs };
	uint64_t hot[CGT_SNAP_MAX_TIERS], res[CGT_SNAP_MAX_TIERS];
	struct cgt_pagescan ps = { 0 };
	struct cgt_topology topo;
	size_t len = npages * e->pg;
	struct cgt_fs root;
	uint64_t start;
	char procs[32], *buf, *low;
	int r;

	buf = malloc(len + e->pg);
	assert_non_null(buf);
	memset(buf, 0x5a, len + e->pg);
	start = ((uint64_t)(uintptr_t)buf + e->pg - 1) / e->pg * e->pg;
	low = mmap((void *)0x10000000, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (low == MAP_FAILED)
		low = mmap(NULL, len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(low != MAP_FAILED);
	memset(low, 0xa5, len);
	snprintf(procs, sizeof(procs), "%d\n", (int)getpid());
	set_procs(e, procs);
	assert_int_equal(cgt_fs_open(&root, "/"), 0);
	assert_int_equal(cgt_topology_load(&root, &topo), 0);
	r = cgt_pagescan_update(&ps, &root, &e->cg, &topo, &p);
	if (r == -EPERM) {
		print_message("# PFNs read as 0 without CAP_SYS_ADMIN: real scan skipped\n");
		cgt_fs_close(&root);
		munmap(low, len);
		free(buf);
		skip();
	}
	assert_int_equal(r, 0);
	assert_int_equal(ps.stats.procs, 1);
	assert_int_equal(ps.stats.procs_error, 0);
	check_node0(e, &ps, (uint64_t)(uintptr_t)low, npages);
	if (ps.stats.vpages_over_cap) {
		print_message("# max_vpages reached: malloc'd buffer not checked\n");
	} else {
		assert_true(ps.stats.pages >= 2 * npages);
		check_node0(e, &ps, start, npages);
	}
	if (topo.nr_tiers == 1 && !ps.stats.vpages_over_cap) {
		cgt_pagescan_hot(&ps, &topo, 1, hot, res);
		assert_true(res[0] >= 2 * npages * e->pg);
		assert_true(hot[0] == 0); /* all new: not yet seen hot */
	}
	/* a second period: the same frames, now a period older */
	assert_int_equal(cgt_pagescan_update(&ps, &root, &e->cg, &topo, &p), 0);
	check_node0(e, &ps, (uint64_t)(uintptr_t)low, npages);
	assert_int_equal(page_at(&ps, getpid(), (uint64_t)(uintptr_t)low)->age, 1);
	cgt_pagescan_clear(&ps);
	cgt_fs_close(&root);
	munmap(low, len);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mark, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hot_hits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hot_tiers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vanish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pid_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_foreign, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_statuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_select, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_pfn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_maps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_process, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
