// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * log.c - log lines with priorities for the journal or a terminal (log.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "cgtierd/log.h"

static enum cgt_log_level threshold = CGT_LOG_INFO;
static bool journal;

/* Whether stderr is the stream JOURNAL_STREAM ("DEV:INO") names. */
static bool stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(2, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev &&
	       (unsigned long long)st.st_ino == ino;
}

void cgt_log_setup(enum cgt_log_level level)
{
	journal = stderr_is_journal();
	threshold = level;
}

void cgt_log_set_level(enum cgt_log_level level)
{
	threshold = level;
}

/*
 * One line, at most LOG_LINE_MAX bytes: control bytes (a newline in a
 * cgroup name a tenant chose) print as '?', so a line is always one line.
 */
#define LOG_LINE_MAX 1024

void cgt_log(enum cgt_log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	if (level > threshold)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	if (journal)
		fprintf(stderr, "<%d>%s\n", (int)level, line);
	else
		fprintf(stderr, "cgtierd: %s: %s\n", cgt_log_level_name(level),
			line);
}
