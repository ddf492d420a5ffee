/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stat.h - parsers for "key value" files (memory.stat, /proc/vmstat) and
 * "key N0=v N1=v" files (memory.numa_stat).  Pure functions over text.
 */
#ifndef CGTIER_STAT_H
#define CGTIER_STAT_H

#include <stdint.h>

#include "cgtier/nodemask.h"

/* Find @key in flat-keyed @text ("key value\n"...). -ENOENT, -EINVAL. */
int cgt_stat_get(const char *text, const char *key, uint64_t *ret);

/*
 * Find @key in nested-keyed @text ("key N0=v N1=v\n"...) and store each
 * node's value in @ret[node] for node < @nr (nodes not listed read 0).
 * -ENOENT if @key is absent, -EINVAL on a malformed line, -ERANGE if a node
 * id is >= @nr.
 */
int cgt_numa_stat_get(const char *text, const char *key, uint64_t *ret, int nr);

#endif /* CGTIER_STAT_H */
