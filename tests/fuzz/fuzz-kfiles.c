// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz-kfiles.c - libFuzzer target for the parsers of kernel files the
 * daemon reads: the input is given, as text, to the memory.tier.stat,
 * memory.tier.max and memory.tier.events parsers, the flat- and
 * nested-keyed stat parsers (memory.stat, memory.numa_stat), the number
 * and node-list parsers; and, as a file below a scratch root, to the
 * /proc/zoneinfo and node meminfo readers.  Where a parser accepts, what
 * it formats back must parse to the same value (memory.tier.max rows,
 * node lists), else the target aborts.
 *
 * Build: configure finds clang (see Makefile.am); run by
 * tests/fuzz/fuzz-kfiles.test.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgtier/fs.h"
#include "cgtier/nodemask.h"
#include "cgtier/parse.h"
#include "cgtier/stat.h"
#include "cgtier/tierstat.h"
#include "cgtier/topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void tiermax_roundtrip(const char *text)
{
	struct cgt_tiermax m, back;
	char line[64];

	if (cgt_tiermax_parse(text, &m) < 0)
		return;
	for (int i = 0; i < m.nr; i++) {
		if (cgt_tiermax_format(m.rows[i].tier, m.rows[i].max, line, sizeof(line)) < 0)
			abort(); /* a row the parser took must format */
		if (cgt_tiermax_parse(line, &back) < 0 || back.nr != 1 ||
		    back.rows[0].tier != m.rows[i].tier || back.rows[0].max != m.rows[i].max)
			abort();
	}
}

static void nodemask_roundtrip(const char *text)
{
	struct cgt_nodemask m, back;
	char buf[4096];

	if (cgt_nodemask_parse(text, &m) < 0)
		return;
	if (cgt_nodemask_format(&m, buf, sizeof(buf)) < 0)
		return; /* too long to format: not a round-trip question */
	if (cgt_nodemask_parse(buf, &back) < 0 || memcmp(&m, &back, sizeof(m)) != 0)
		abort();
}

static void numbers(const char *text)
{
	const char *p = text;
	uint64_t v;

	(void)cgt_parse_u64(text, &v);
	(void)cgt_parse_u64_range(text, 1, 1000, &v);
	while (*p && cgt_parse_u64_prefix(&p, &v) == 0 && *p)
		p++;
	p = text;
	while (*p && cgt_parse_x64_prefix(&p, &v) == 0 && *p)
		p++;
}

static char dir[] = "/tmp/fuzz-kfiles.XXXXXX";

/* The scratch tree's directories, parents first; its files. */
static const char *const dirs[] = {
	"proc", "sys", "sys/devices", "sys/devices/system", "sys/devices/system/node",
	"sys/devices/system/node/node0",
};
static const char *const scratch_files[] = {
	"proc/zoneinfo", "sys/devices/system/node/node0/meminfo",
};

static void scratch_remove(void)
{
	char path[sizeof(dir) + 64];

	for (size_t i = 0; i < sizeof(scratch_files) / sizeof(scratch_files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, scratch_files[i]);
		unlink(path);
	}
	for (size_t i = sizeof(dirs) / sizeof(dirs[0]); i-- > 0;) {
		snprintf(path, sizeof(path), "%s/%s", dir, dirs[i]);
		rmdir(path);
	}
	rmdir(dir);
}

/* The scratch root for /proc/zoneinfo and node0's meminfo, made once. */
static const char *scratch(void)
{
	static bool made;
	char path[sizeof(dir) + 64];

	if (made)
		return dir;
	if (!mkdtemp(dir))
		return NULL;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, dirs[i]);
		mkdir(path, 0700);
	}
	atexit(scratch_remove);
	made = true;
	return dir;
}

static void put(const char *root, const char *rel, const uint8_t *data, size_t size)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return;
	if (write(fd, data, size) < 0) {
		/* nothing to do: the readers then see a short file */
	}
	close(fd);
}

static void files(const uint8_t *data, size_t size)
{
	const char *root = scratch();
	struct cgt_fs fs;
	uint64_t v;

	if (!root || cgt_fs_open(&fs, root) < 0)
		return;
	put(root, "proc/zoneinfo", data, size);
	put(root, "sys/devices/system/node/node0/meminfo", data, size);
	for (int node = 0; node < 3; node++)
		(void)cgt_node_high_wmark(&fs, node, &v);
	(void)cgt_node_meminfo(&fs, 0, "MemTotal", &v);
	(void)cgt_node_meminfo(&fs, 0, "MemFree", &v);
	cgt_fs_close(&fs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cgt_tierstat ts;
	struct cgt_tierevents te;
	uint64_t v, nodes[64];
	char *text;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	(void)cgt_tierstat_parse(text, &ts);
	(void)cgt_tierevents_parse(text, &te);
	tiermax_roundtrip(text);
	(void)cgt_stat_get(text, "anon", &v);
	(void)cgt_stat_get(text, "oom_kill", &v);
	(void)cgt_numa_stat_get(text, "anon", nodes, 64);
	(void)cgt_numa_stat_get(text, "file", nodes, 1);
	nodemask_roundtrip(text);
	numbers(text);
	free(text);
	files(data, size);
	return 0;
}
