/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nodemask.h - sets of NUMA node ids in the kernel's list format ("0-2,5").
 */
#ifndef CGTIER_NODEMASK_H
#define CGTIER_NODEMASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel's MAX_NUMNODES ceiling (NODES_SHIFT 10). */
#define CGT_MAX_NODES 1024

struct cgt_nodemask {
	uint64_t bits[CGT_MAX_NODES / 64];
};

void cgt_nodemask_clear(struct cgt_nodemask *m);
int cgt_nodemask_set(struct cgt_nodemask *m, int node);
bool cgt_nodemask_test(const struct cgt_nodemask *m, int node);
int cgt_nodemask_weight(const struct cgt_nodemask *m);
/* Lowest node in @m at or after @from, or -1. */
int cgt_nodemask_next(const struct cgt_nodemask *m, int from);
bool cgt_nodemask_empty(const struct cgt_nodemask *m);

#define cgt_nodemask_for_each(node, m) \
	for ((node) = cgt_nodemask_next((m), 0); (node) >= 0; \
	     (node) = cgt_nodemask_next((m), (node) + 1))

/*
 * Parse a node list such as "0-1,3" (an empty string is the empty set).
 * @ret is written only on success.  -EINVAL on bad syntax, -ERANGE on a node
 * id >= CGT_MAX_NODES.
 */
int cgt_nodemask_parse(const char *s, struct cgt_nodemask *ret);

/* Format @m as a node list; -ENOSPC if @len is too small. */
int cgt_nodemask_format(const struct cgt_nodemask *m, char *buf, size_t len);

#endif /* CGTIER_NODEMASK_H */
