// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * t_topology - print the memory tiers and check the testbed's shape.
 *
 * Expected: exactly two memory tiers; the upper one holds node 0, the only
 * node with CPUs; the lower one holds node 1 alone.  Without HMAT both nodes
 * share one tier and the kernel has no demotion target.
 *
 * Usage: t_topology [--print]   (--print: only print, for the demo)
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cgtier/nodemask.h"
#include "cgtier/topology.h"
#include "guest-util.h"

#define FAST_NODE 0
#define SLOW_NODE 1

static void format_nodes(const struct cgt_nodemask *m, char *buf, size_t len)
{
	if (cgt_nodemask_format(m, buf, len))
		snprintf(buf, len, "?");
}

static void print_node(const struct cgt_topology *t, int node)
{
	uint64_t bytes = 0, kb;
	int err;

	err = cgt_node_meminfo(gt_fs(), node, "MemTotal", &bytes);
	kb = bytes / 1024;
	if (err)
		gt_msg("  node %d: MemTotal unknown (%s)%s", node,
		       strerror(-err),
		       cgt_nodemask_test(&t->cpu_nodes, node) ? ", CPUs" : "");
	else
		gt_msg("  node %d: MemTotal %" PRIu64 " kB (%" PRIu64 " MiB)%s",
		       node, kb, kb / 1024,
		       cgt_nodemask_test(&t->cpu_nodes, node) ? ", CPUs" : "");
}

static void print_topology(const struct cgt_topology *t)
{
	char nodes[256];
	int i, node;

	format_nodes(&t->mem_nodes, nodes, sizeof(nodes));
	gt_msg("memory nodes: %s", nodes);
	format_nodes(&t->cpu_nodes, nodes, sizeof(nodes));
	gt_msg("CPU nodes: %s", nodes);
	gt_msg("memory tiers (fastest first)%s: %d", t->from_kernel ?
	       "" : " [no memory_tiering in sysfs: synthesised]", t->nr_tiers);
	for (i = 0; i < t->nr_tiers; i++) {
		format_nodes(&t->tiers[i].nodes, nodes, sizeof(nodes));
		gt_msg("tier %d: memory_tier%d, nodes %s", i, t->tiers[i].id,
		       nodes);
		cgt_nodemask_for_each(node, &t->tiers[i].nodes)
			print_node(t, node);
	}
}

/* Is @m exactly { @node }? */
static bool only_node(const struct cgt_nodemask *m, int node)
{
	return cgt_nodemask_weight(m) == 1 && cgt_nodemask_test(m, node);
}

static int check_topology(const struct cgt_topology *t)
{
	char nodes[256];

	if (!t->from_kernel)
		return gt_fail("no /sys/devices/virtual/memory_tiering: kernel without memory tiers");
	if (t->nr_tiers == 1 && cgt_nodemask_test(&t->tiers[0].nodes, FAST_NODE) &&
	    cgt_nodemask_test(&t->tiers[0].nodes, SLOW_NODE))
		return gt_fail("HMAT did not take: both nodes in memory_tier%d",
			       t->tiers[0].id);
	if (t->nr_tiers != 2)
		return gt_fail("expected exactly 2 memory tiers, found %d",
			       t->nr_tiers);
	if (!only_node(&t->cpu_nodes, FAST_NODE)) {
		format_nodes(&t->cpu_nodes, nodes, sizeof(nodes));
		return gt_fail("expected CPUs on node %d only, CPU nodes are %s",
			       FAST_NODE, nodes);
	}
	if (!only_node(&t->tiers[0].nodes, FAST_NODE)) {
		format_nodes(&t->tiers[0].nodes, nodes, sizeof(nodes));
		return gt_fail("expected the upper tier memory_tier%d to hold node %d only, it holds %s",
			       t->tiers[0].id, FAST_NODE, nodes);
	}
	if (!only_node(&t->tiers[1].nodes, SLOW_NODE)) {
		format_nodes(&t->tiers[1].nodes, nodes, sizeof(nodes));
		return gt_fail("expected the lower tier memory_tier%d to hold node %d only, it holds %s",
			       t->tiers[1].id, SLOW_NODE, nodes);
	}
	gt_msg("ok: node %d (CPUs) in memory_tier%d above node %d in memory_tier%d",
	       FAST_NODE, t->tiers[0].id, SLOW_NODE, t->tiers[1].id);
	return 0;
}

int main(int argc, char **argv)
{
	struct cgt_topology topo;
	bool print_only = false;
	int err;

	gt_init();
	if (argc == 2 && !strcmp(argv[1], "--print"))
		print_only = true;
	else if (argc != 1)
		gt_fatal("usage: t_topology [--print]");

	err = cgt_topology_load(gt_fs(), &topo);
	if (err)
		gt_fatal("cannot load the tier topology: %s", strerror(-err));
	print_topology(&topo);
	if (print_only)
		return GT_PASS;
	return gt_exit_status(check_topology(&topo));
}
