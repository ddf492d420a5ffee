// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-acquire.c - the acquire stage over fixture trees (a stock kernel, our
 * kernel, kubepods, malformed files) and scratch trees (symlinks out of the
 * tree, cgroups vanishing mid-walk, caps, identity).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>

#include "cgtier/topology.h"
#include "cgtierd/acquire.h"
#include "cgtierd/k8s.h"
#include "unit.h"

#define MiB (1024ULL * 1024)

struct tree {
	struct cgt_fs fs;
	struct cgt_topology topo;
	struct cgt_snapshot snap;
};

static int load_root(struct tree *t, const char *root, const struct cgt_acquire_params *p)
{
	assert_int_equal(cgt_fs_open(&t->fs, root), 0);
	assert_int_equal(cgt_topology_load(&t->fs, &t->topo), 0);
	cgt_snapshot_init(&t->snap);
	return cgt_acquire(&t->fs, &t->topo, p, &t->snap);
}

static void load(struct tree *t, const char *name, const struct cgt_acquire_params *p)
{
	assert_int_equal(load_root(t, fixture(name), p), 0);
}

static void unload(struct tree *t)
{
	cgt_snapshot_clear(&t->snap);
	cgt_fs_close(&t->fs);
}

static const struct cgt_cg_snap *find(const struct cgt_snapshot *s, const char *path)
{
	for (size_t i = 0; i < s->n_cgroups; i++)
		if (!strcmp(s->cgroups[i].path, path))
			return &s->cgroups[i];
	return NULL;
}

static void dump(const struct cgt_snapshot *s)
{
	for (size_t i = 0; i < s->n_cgroups; i++)
		print_message("# %s\n", s->cgroups[i].path);
	for (size_t i = 0; i < s->n_errors; i++)
		print_message("# error %s %s %d\n", s->errors[i].path, s->errors[i].file,
			      s->errors[i].err);
}

/* Stock 6.12: per-tier bytes from memory.numa_stat, no limits. */
static void test_stock(void **state)
{
	static const char *const order[] = {
		"system.slice", "system.slice/db.service", "system.slice/sshd.service",
		"user.slice",
	};
	const struct cgt_cg_snap *c;
	struct tree t;

	load(&t, "acquire-stock", NULL);
	dump(&t.snap);
	assert_int_equal(t.snap.nr_tiers, 2);
	assert_int_equal(t.snap.tiers[0].id, 4);
	assert_int_equal(t.snap.tiers[1].id, 67);
	assert_true(t.snap.tiers[0].total == 512 * MiB);
	assert_true(t.snap.tiers[0].free == 256 * MiB);
	assert_true(t.snap.tiers[1].total == 1024 * MiB);
	assert_int_equal(t.snap.n_cgroups, 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(t.snap.cgroups[i].path, order[i]);
	c = find(&t.snap, "system.slice");
	assert_true(c->resident[0] == 48 * MiB); /* anon + file of node 0 */
	assert_true(c->resident[1] == 32 * MiB);
	assert_true(c->current == 120 * MiB);
	assert_int_equal(c->flags, CGT_SNAP_NUMASTAT);
	assert_true(c->tier_max[0] == UINT64_MAX && c->tier_max[1] == UINT64_MAX);
	assert_int_equal(c->depth, 1);
	assert_int_equal(c->mono, 0);
	assert_true(c->ino != 0);
	c = find(&t.snap, "system.slice/sshd.service");
	assert_true(c->resident[0] == 14 * MiB && c->resident[1] == 5 * MiB);
	assert_int_equal(c->depth, 2);
	assert_true(c->ino != find(&t.snap, "system.slice")->ino);
	assert_int_equal(t.snap.stats.no_memory, 1); /* nomem.scope */
	assert_int_equal(t.snap.stats.errors, 0);
	assert_int_equal(t.snap.stats.gone, 0);
	assert_int_equal(t.snap.stats.walked, 5);
	assert_false(t.snap.stats.truncated);
	unload(&t);
}

/* Our kernel: memory.tier.stat wins over numa_stat; memory.tier.max read. */
static void test_patched(void **state)
{
	static const char *const order[] = {
		"workload.slice", "workload.slice/batch", "workload.slice/batch/job-1",
		"workload.slice/web", "workload.slice-extra",
	};
	const struct cgt_cg_snap *c;
	struct tree t;

	load(&t, "acquire-patched", NULL);
	dump(&t.snap);
	assert_int_equal(t.snap.n_cgroups, 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(t.snap.cgroups[i].path, order[i]);
	c = find(&t.snap, "workload.slice/web");
	assert_int_equal(c->flags, CGT_SNAP_TIERSTAT | CGT_SNAP_TIERMAX);
	assert_true(c->resident[0] == 80 * MiB && c->resident[1] == 20 * MiB);
	assert_true(c->tier_max[0] == 128 * MiB);
	assert_true(c->tier_max[1] == UINT64_MAX);
	assert_int_equal(c->mono, 4096 + 8192);
	assert_true(cgt_cg_snap_total(c, 2) == 100 * MiB);
	c = find(&t.snap, "workload.slice/batch/job-1");
	assert_int_equal(c->depth, 3);
	assert_true(c->tier_max[0] == UINT64_MAX);
	assert_int_equal(t.snap.stats.errors, 0);
	unload(&t);
}

/* A start below the root: itself included, depth counted from it. */
static void test_start(void **state)
{
	struct cgt_acquire_params p = { .start = "workload.slice/batch" };
	struct tree t;

	load(&t, "acquire-patched", &p);
	assert_int_equal(t.snap.n_cgroups, 2);
	assert_string_equal(t.snap.cgroups[0].path, "workload.slice/batch");
	assert_int_equal(t.snap.cgroups[0].depth, 0);
	assert_string_equal(t.snap.cgroups[1].path, "workload.slice/batch/job-1");
	assert_int_equal(t.snap.cgroups[1].depth, 1);
	unload(&t);
	p.start = "nope";
	assert_int_equal(load_root(&t, fixture("acquire-patched"), &p), -ENOENT);
	assert_int_equal(t.snap.n_cgroups, 0);
	unload(&t);
	p.start = "workload.slice/../..";
	assert_int_equal(load_root(&t, fixture("acquire-patched"), &p), -EINVAL);
	unload(&t);
}

static void test_kubepods(void **state)
{
	const char *pod = "kubepods.slice/kubepods-burstable.slice/"
			  "kubepods-burstable-pod7c1e0b2a_3d4f_4a5b_8c6d_9e0f1a2b3c4d.slice";
	struct cgt_k8s_id id;
	size_t containers = 0, pods = 0;
	struct tree t;

	load(&t, "acquire-kubepods", NULL);
	dump(&t.snap);
	assert_int_equal(t.snap.n_cgroups, 7);
	assert_string_equal(t.snap.cgroups[0].path, "kubepods.slice");
	for (size_t i = 0; i < t.snap.n_cgroups; i++) {
		assert_int_equal(cgt_k8s_parse(t.snap.cgroups[i].path, &id), 0);
		containers += id.kind == CGT_K8S_CONTAINER;
		pods += id.kind == CGT_K8S_POD;
		if (i > 0) /* a parent right before its descendants */
			assert_true(cgt_snap_path_cmp(t.snap.cgroups[i - 1].path,
						      t.snap.cgroups[i].path) < 0);
	}
	assert_int_equal(containers, 3); /* crun's "container" child counts */
	assert_int_equal(pods, 2);
	assert_non_null(find(&t.snap, pod));
	assert_true(find(&t.snap, pod)->resident[1] == 100 * MiB);
	unload(&t);
}

/* D4: every malformed file skips its cgroup only, with the reason kept. */
static void test_malformed(void **state)
{
	static const struct {
		const char *path, *file;
		int err;
	} want[] = {
		{ "w/bad-current", "memory.current", -EINVAL },
		{ "w/bad-numa", "memory.numa_stat", -ERANGE },
		{ "w/bad-tiermax", "memory.tier.max", -EINVAL },
		{ "w/bad-tierstat", "memory.tier.stat", -EINVAL },
		{ "w/huge-number", "memory.tier.stat", -ERANGE },
		{ "w/stale-tier", "memory.tier.stat", -ESTALE },
		{ "w/truncated", "memory.tier.stat", -EINVAL },
	};
	const size_t n = sizeof(want) / sizeof(want[0]);
	struct tree t;

	load(&t, "acquire-malformed", NULL);
	dump(&t.snap);
	assert_int_equal(t.snap.n_cgroups, 3);
	assert_non_null(find(&t.snap, "w"));
	assert_non_null(find(&t.snap, "w/good"));
	assert_non_null(find(&t.snap, "w/w-ok"));
	assert_int_equal(t.snap.stats.errors, n);
	assert_int_equal(t.snap.n_errors, n);
	for (size_t i = 0; i < n; i++) {
		bool seen = false;

		for (size_t j = 0; j < t.snap.n_errors; j++) {
			const struct cgt_snap_error *e = &t.snap.errors[j];

			if (strcmp(e->path, want[i].path))
				continue;
			assert_string_equal(e->file, want[i].file);
			assert_int_equal(e->err, want[i].err);
			seen = true;
		}
		print_message("# %s\n", want[i].path);
		assert_true(seen);
	}
	unload(&t);
}

/* A scratch tree: the two-tier topology and the cgroup root. */
static void scratch(char *dir)
{
	tmp_tree(dir);
	tmp_put(dir, "sys/devices/system/node/has_memory", "0-1\n");
	tmp_put(dir, "sys/devices/system/node/has_cpu", "0\n");
	tmp_put(dir, "sys/devices/system/node/node0/meminfo",
		"Node 0 MemTotal: 1024 kB\nNode 0 MemFree: 512 kB\n");
	tmp_put(dir, "sys/devices/system/node/node1/meminfo",
		"Node 1 MemTotal: 2048 kB\nNode 1 MemFree: 2048 kB\n");
	tmp_put(dir, "sys/devices/virtual/memory_tiering/memory_tier4/nodelist", "0\n");
	tmp_put(dir, "sys/devices/virtual/memory_tiering/memory_tier22/nodelist", "1\n");
	tmp_put(dir, "sys/fs/cgroup", NULL);
}

/* A cgroup @rel (below the cgroup root) with our kernel's files. */
static void scratch_cg(const char *dir, const char *rel)
{
	char p[4096];

	snprintf(p, sizeof(p), "sys/fs/cgroup/%s/memory.current", rel);
	tmp_put(dir, p, "4096\n");
	snprintf(p, sizeof(p), "sys/fs/cgroup/%s/memory.tier.stat", rel);
	tmp_put(dir, p, "tier4 charged=4096\ntier22 charged=0\n");
}

static void put_link(const char *dir, const char *rel, const char *target)
{
	char p[8192];

	snprintf(p, sizeof(p), "%s/sys/fs/cgroup/%s", dir, rel);
	assert_int_equal(symlink(target, p), 0);
}

/* D15: cgroup directories that are symlinks are never followed. */
static void test_symlinks(void **state)
{
	char dir[4096], outside[4096];
	struct tree t;

	scratch(dir);
	tmp_tree(outside);
	tmp_put(outside, "memory.current", "1\n");
	tmp_put(outside, "memory.tier.stat", "tier4 charged=1\n");
	tmp_put(outside, "secret/memory.current", "1\n");
	scratch_cg(dir, "kubepods.slice");
	scratch_cg(dir, "kubepods.slice/a");
	put_link(dir, "kubepods.slice/evil", outside);   /* absolute, outside */
	put_link(dir, "kubepods.slice/up", "../../../..");   /* relative, outside */
	put_link(dir, "kubepods.slice/loop", ".");           /* inside: still refused */
	put_link(dir, "kubepods.slice/a/sib", "../a");

	assert_int_equal(load_root(&t, dir, NULL), 0);
	dump(&t.snap);
	assert_int_equal(t.snap.n_cgroups, 2);
	assert_non_null(find(&t.snap, "kubepods.slice"));
	assert_non_null(find(&t.snap, "kubepods.slice/a"));
	assert_int_equal(t.snap.stats.refused, 4);
	assert_int_equal(t.snap.stats.errors, 0);
	unload(&t);
	tmp_tree_remove(dir);
	tmp_tree_remove(outside);
}

struct vanish {
	const char *dir;
	int fired;
};

static void rm_cg(const char *dir, const char *rel)
{
	char p[8192];

	snprintf(p, sizeof(p), "%s/sys/fs/cgroup/%s", dir, rel);
	tmp_tree_remove(p);
}

/*
 * On the first child of "a" visited, remove its siblings (listed already,
 * gone when opened); when "b" is visited (opened), remove it (gone when its
 * files are read).
 */
static void vanish_hook(void *arg, const char *path)
{
	static const char *const kids[] = { "a/x", "a/y", "a/z" };
	struct vanish *v = arg;

	if (!strncmp(path, "a/", 2) && !v->fired++) {
		for (size_t i = 0; i < 3; i++)
			if (strcmp(path, kids[i]))
				rm_cg(v->dir, kids[i]);
	}
	if (!strcmp(path, "b"))
		rm_cg(v->dir, "b");
}

/* D1: cgroups removed mid-walk are dropped quietly. */
static void test_vanish(void **state)
{
	struct cgt_acquire_params p = { .hook = vanish_hook };
	struct vanish v;
	size_t kids = 0;
	char dir[4096];
	struct tree t;

	scratch(dir);
	scratch_cg(dir, "a");
	scratch_cg(dir, "a/x");
	scratch_cg(dir, "a/y");
	scratch_cg(dir, "a/z");
	scratch_cg(dir, "b");
	scratch_cg(dir, "b/child");
	scratch_cg(dir, "c");
	/* memory.current, then nothing: removed between two reads */
	tmp_put(dir, "sys/fs/cgroup/half/memory.current", "4096\n");
	v.dir = dir;
	v.fired = 0;
	p.hook_arg = &v;
	assert_int_equal(load_root(&t, dir, &p), 0);
	dump(&t.snap);
	for (size_t i = 0; i < t.snap.n_cgroups; i++)
		kids += !strncmp(t.snap.cgroups[i].path, "a/", 2);
	assert_int_equal(kids, 1);
	assert_non_null(find(&t.snap, "a"));
	assert_non_null(find(&t.snap, "c"));
	assert_null(find(&t.snap, "b"));
	assert_null(find(&t.snap, "b/child"));
	assert_null(find(&t.snap, "half"));
	assert_int_equal(t.snap.n_cgroups, 3);
	assert_int_equal(t.snap.stats.gone, 3);
	assert_int_equal(t.snap.stats.no_memory, 1); /* b: memory.current gone */
	assert_int_equal(t.snap.stats.errors, 0);
	unload(&t);
	tmp_tree_remove(dir);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* D14: depth and count caps; no fd left open. */
static void test_caps(void **state)
{
	struct cgt_acquire_params p = { .max_depth = 5 };
	char dir[4096], rel[4096] = "d";
	int fds;
	struct tree t;

	scratch(dir);
	for (int i = 0; i < 20; i++) {
		scratch_cg(dir, rel);
		strcat(rel, "/d");
	}
	for (int i = 0; i < 50; i++) {
		snprintf(rel, sizeof(rel), "flat/c%02d", i);
		scratch_cg(dir, rel);
	}
	scratch_cg(dir, "flat");
	fds = count_fds();
	assert_int_equal(load_root(&t, dir, &p), 0);
	assert_int_equal(t.snap.n_cgroups, 5 + 51);
	assert_int_equal(t.snap.stats.too_deep, 1);
	assert_false(t.snap.stats.truncated);
	for (size_t i = 0; i < t.snap.n_cgroups; i++)
		assert_true(t.snap.cgroups[i].depth <= 5);
	unload(&t);
	assert_int_equal(count_fds(), fds);

	p.max_depth = 0;
	p.max_cgroups = 10;
	assert_int_equal(load_root(&t, dir, &p), 0);
	assert_int_equal(t.snap.n_cgroups, 10);
	assert_true(t.snap.stats.truncated);
	unload(&t);
	assert_int_equal(count_fds(), fds);
	tmp_tree_remove(dir);
}

/* D4: a file larger than the read buffer, an empty one. */
static void test_big_files(void **state)
{
	const size_t len = 1 << 20;
	char dir[4096], *big = malloc(len + 1);
	struct tree t;

	assert_non_null(big);
	memset(big, '1', len);
	big[len] = '\0';
	memcpy(big, "tier4 charged=", 14);
	scratch(dir);
	scratch_cg(dir, "big");
	tmp_put(dir, "sys/fs/cgroup/big/memory.tier.stat", big);
	scratch_cg(dir, "empty");
	tmp_put(dir, "sys/fs/cgroup/empty/memory.current", "");
	scratch_cg(dir, "ok");
	assert_int_equal(load_root(&t, dir, NULL), 0);
	dump(&t.snap);
	assert_int_equal(t.snap.n_cgroups, 1);
	assert_int_equal(t.snap.n_errors, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct cgt_snap_error *e = &t.snap.errors[i];

		if (!strcmp(e->path, "big"))
			assert_int_equal(e->err, -EFBIG);
		else
			assert_int_equal(e->err, -EINVAL);
	}
	unload(&t);
	tmp_tree_remove(dir);
	free(big);
}

/* D2: a cgroup replaced at the same path has a new identity. */
static void test_identity(void **state)
{
	char dir[4096], a[8192], n[8192];
	uint64_t ino;
	struct tree t;

	scratch(dir);
	scratch_cg(dir, "a");
	assert_int_equal(load_root(&t, dir, NULL), 0);
	ino = find(&t.snap, "a")->ino;
	unload(&t);
	scratch_cg(dir, "a.new");
	rm_cg(dir, "a");
	snprintf(a, sizeof(a), "%s/sys/fs/cgroup/a", dir);
	snprintf(n, sizeof(n), "%s/sys/fs/cgroup/a.new", dir);
	assert_int_equal(rename(n, a), 0);
	assert_int_equal(load_root(&t, dir, NULL), 0);
	assert_true(find(&t.snap, "a")->ino != ino);
	unload(&t);
	tmp_tree_remove(dir);
}

/* More tiers than a snapshot holds: refused, nothing returned. */
static void test_too_many_tiers(void **state)
{
	struct cgt_snapshot s = { .n_cgroups = 77 };
	struct cgt_topology topo;
	struct cgt_fs fs;

	assert_int_equal(cgt_fs_open(&fs, fixture("acquire-patched")), 0);
	assert_int_equal(cgt_topology_load(&fs, &topo), 0);
	topo.nr_tiers = CGT_SNAP_MAX_TIERS + 1;
	assert_int_equal(cgt_acquire(&fs, &topo, NULL, &s), -E2BIG);
	assert_int_equal(s.n_cgroups, 77);
	assert_int_equal(cgt_acquire(NULL, &topo, NULL, &s), -EINVAL);
	cgt_fs_close(&fs);
}

static void test_path_order(void **state)
{
	assert_true(cgt_snap_path_cmp("a", "a/b") < 0);
	assert_true(cgt_snap_path_cmp("a/b", "a-b") < 0);
	assert_true(cgt_snap_path_cmp("a/z", "a.b") < 0);
	assert_true(cgt_snap_path_cmp("a-b", "a/b") > 0);
	assert_true(cgt_snap_path_cmp("ab", "a") > 0);
	assert_true(cgt_snap_path_cmp("a", "a") == 0);
	assert_true(cgt_snap_path_cmp("b", "a/z") > 0);
	assert_true(cgt_snap_path_within("a/b", "a"));
	assert_true(cgt_snap_path_within("a", "a"));
	assert_false(cgt_snap_path_within("ab", "a"));
	assert_true(cgt_snap_path_within("x", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stock),
		cmocka_unit_test(test_patched),
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_kubepods),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_symlinks),
		cmocka_unit_test(test_vanish),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_big_files),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_too_many_tiers),
		cmocka_unit_test(test_path_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
