/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * log.h - the daemon's log lines, to stderr.
 *
 * Under systemd, stderr is a journal stream (JOURNAL_STREAM names its
 * device and inode): each line then starts with the syslog priority in
 * sd-daemon's "<N>" form, so the journal files it at that priority.  On a
 * terminal a line reads "cgtierd: warning: ...".  Lines above the
 * configured level (global.log_level) are dropped.  One process-wide
 * level: the daemon is single-threaded.
 */
#ifndef CGTIERD_LOG_H
#define CGTIERD_LOG_H

#include "cgtierd/conf.h"

/* Decide the line format from the environment, and set the level. */
void cgt_log_setup(enum cgt_log_level level);
void cgt_log_set_level(enum cgt_log_level level);

__attribute__((format(printf, 2, 3)))
void cgt_log(enum cgt_log_level level, const char *fmt, ...);

#define cgt_err(...) cgt_log(CGT_LOG_ERR, __VA_ARGS__)
#define cgt_warn(...) cgt_log(CGT_LOG_WARNING, __VA_ARGS__)
#define cgt_notice(...) cgt_log(CGT_LOG_NOTICE, __VA_ARGS__)
#define cgt_info(...) cgt_log(CGT_LOG_INFO, __VA_ARGS__)
#define cgt_debug(...) cgt_log(CGT_LOG_DEBUG, __VA_ARGS__)

#endif /* CGTIERD_LOG_H */
