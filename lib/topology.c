// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * topology.c - memory tiers from sysfs.
 *
 * Why not libnuma for the topology (its <numaif.h> gives the MPOL_*
 * constants of mempolicy.h): numa_num_configured_nodes(),
 * numa_node_size64() and numa_distance() read /sys/devices/system/node
 * at fixed absolute paths (the node count and the distances once, from a
 * library constructor), so they can neither follow a node coming or going
 * (dax/kmem hot-add; the topology is re-read every period) nor be pointed
 * at a fixture tree; and libnuma
 * knows nothing of memory tiers (/sys/devices/virtual/memory_tiering),
 * which is what the daemon divides.  Its move_pages(2) is the bare system
 * call that mempolicy.c calls itself, chunked.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "cgtier/parse.h"
#include "cgtier/topology.h"

#define NODE_DIR "/sys/devices/system/node"
#define TIER_DIR "/sys/devices/virtual/memory_tiering"

static int read_nodemask(const struct cgt_fs *fs, const char *rel,
			 struct cgt_nodemask *ret)
{
	char buf[4096];
	int r;

	r = cgt_fs_read(fs, rel, buf, sizeof(buf));
	if (r < 0)
		return r;
	return cgt_nodemask_parse(buf, ret);
}

/* "memory_tier12" -> 12; -EINVAL for anything else. */
static int parse_tier_name(const char *name, int *ret)
{
	size_t plen = strlen("memory_tier");
	uint64_t v;
	int r;

	if (strncmp(name, "memory_tier", plen) != 0)
		return -EINVAL;
	r = cgt_parse_u64_range(name + plen, 0, INT_MAX, &v);
	if (r < 0)
		return r;
	*ret = (int)v;
	return 0;
}

static int cmp_tier(const void *a, const void *b)
{
	const struct cgt_tier *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int load_tiers(const struct cgt_fs *fs, struct cgt_topology *t)
{
	struct dirent *de;
	DIR *d;
	int r;

	r = cgt_fs_opendir(fs, TIER_DIR, &d);
	if (r < 0)
		return r;
	while ((de = readdir(d))) {
		char rel[128];
		int id;

		if (parse_tier_name(de->d_name, &id) < 0)
			continue;
		if (t->nr_tiers == CGT_MAX_TIERS) {
			r = -E2BIG;
			break;
		}
		snprintf(rel, sizeof(rel), TIER_DIR "/memory_tier%d/nodelist", id);
		r = read_nodemask(fs, rel, &t->tiers[t->nr_tiers].nodes);
		if (r < 0)
			break;
		t->tiers[t->nr_tiers].id = id;
		t->nr_tiers++;
	}
	closedir(d);
	if (r < 0)
		return r;
	qsort(t->tiers, (size_t)t->nr_tiers, sizeof(t->tiers[0]), cmp_tier);
	return 0;
}

int cgt_topology_load(const struct cgt_fs *fs, struct cgt_topology *ret)
{
	struct cgt_topology *t;
	int r;

	if (!fs || !ret)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	r = read_nodemask(fs, NODE_DIR "/has_memory", &t->mem_nodes);
	if (r == 0)
		r = read_nodemask(fs, NODE_DIR "/has_cpu", &t->cpu_nodes);
	if (r < 0)
		goto out;
	r = load_tiers(fs, t);
	if (r == 0 && t->nr_tiers > 0) {
		t->from_kernel = true;
	} else if (r == -ENOENT || (r == 0 && t->nr_tiers == 0)) {
		/* No memory tiering in this kernel: everything is one tier. */
		t->nr_tiers = 1;
		t->tiers[0].id = -1;
		t->tiers[0].nodes = t->mem_nodes;
		r = 0;
	}
	if (r == 0)
		*ret = *t;
out:
	free(t);
	return r;
}

int cgt_topology_tier_of(const struct cgt_topology *t, int node)
{
	for (int i = 0; i < t->nr_tiers; i++)
		if (cgt_nodemask_test(&t->tiers[i].nodes, node))
			return i;
	return -ENOENT;
}

const struct cgt_nodemask *cgt_topology_fast_nodes(const struct cgt_topology *t)
{
	static const struct cgt_nodemask empty;

	return t->nr_tiers > 0 ? &t->tiers[0].nodes : &empty;
}

/* "   1022376 kB" (what follows "Node N Key:") in bytes. */
static int parse_kb(const char *s, uint64_t *ret)
{
	uint64_t kb;
	int r;

	while (*s == ' ')
		s++;
	r = cgt_parse_u64_prefix(&s, &kb);
	if (r < 0)
		return r;
	if (strncmp(s, " kB", 3) != 0 || (s[3] && s[3] != '\n'))
		return -EINVAL;
	if (kb > UINT64_MAX / 1024)
		return -ERANGE;
	*ret = kb * 1024;
	return 0;
}

int cgt_node_meminfo(const struct cgt_fs *fs, int node, const char *key,
		     uint64_t *ret)
{
	char rel[96], prefix[64], *text;
	const char *line;
	int r, n;

	if (!fs || !key || !*key || !ret || node < 0 || node >= CGT_MAX_NODES)
		return -EINVAL;
	n = snprintf(prefix, sizeof(prefix), "Node %d %s:", node, key);
	if (n < 0 || (size_t)n >= sizeof(prefix))
		return -ENOENT;
	text = malloc(CGT_FS_MAX_FILE);
	if (!text)
		return -ENOMEM;
	snprintf(rel, sizeof(rel), NODE_DIR "/node%d/meminfo", node);
	r = cgt_fs_read(fs, rel, text, CGT_FS_MAX_FILE);
	if (r < 0)
		goto out;
	r = -ENOENT;
	for (line = text; line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (strncmp(line, prefix, (size_t)n) == 0) {
			r = parse_kb(line + n, ret);
			break;
		}
	}
out:
	free(text);
	return r;
}

int cgt_node_high_wmark(const struct cgt_fs *fs, int node, uint64_t *ret)
{
	char *line = NULL, want[32];
	size_t cap = 0, n;
	uint64_t pages = 0, v;
	bool in = false, found = false;
	long pg = sysconf(_SC_PAGESIZE);
	int r = 0;
	FILE *f;

	if (!fs || !ret || node < 0 || node >= CGT_MAX_NODES || pg <= 0)
		return -EINVAL;
	r = cgt_fs_fopen(fs, "/proc/zoneinfo", &f);
	if (r < 0)
		return r;
	n = (size_t)snprintf(want, sizeof(want), "Node %d, zone", node);
	while (getline(&line, &cap, f) > 0) {
		const char *p = line;

		if (strncmp(line, "Node ", 5) == 0) {
			in = strncmp(line, want, n) == 0;
			found |= in;
			continue;
		}
		if (!in)
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		/* "high     N" (the zone's); "high:  N" is a per-cpu pageset's */
		if (strncmp(p, "high", 4) != 0 || (p[4] != ' ' && p[4] != '\t'))
			continue;
		p += 4;
		while (*p == ' ' || *p == '\t')
			p++;
		r = cgt_parse_u64_prefix(&p, &v);
		if (r < 0 || (*p != '\n' && *p != '\0')) {
			r = -EINVAL;
			break;
		}
		pages += v;
		r = 0;
	}
	free(line);
	fclose(f);
	if (r < 0)
		return r;
	if (!found)
		return -ENOENT;
	*ret = pages * (uint64_t)pg;
	return 0;
}
