/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * diag.h - a bounded list of diagnostics ("FILE:LINE:COL: message (key)")
 * collected by the config loader; the caller prints or logs them.
 */
#ifndef CGTIERD_DIAG_H
#define CGTIERD_DIAG_H

#include <stddef.h>

/* At most this many messages are kept; later ones are only counted. */
#define CGT_DIAG_MAX 32
/* Longest message kept (longer ones are truncated). */
#define CGT_DIAG_LINE_MAX 1024

struct cgt_diag {
	char *msg[CGT_DIAG_MAX];
	size_t n;       /* messages in msg[] */
	size_t dropped; /* messages not kept: over CGT_DIAG_MAX, or no memory */
};

void cgt_diag_init(struct cgt_diag *d);
/* Free every message; @d is empty and reusable afterwards. */
void cgt_diag_clear(struct cgt_diag *d);
/* Total number of diagnostics, kept or dropped. */
size_t cgt_diag_count(const struct cgt_diag *d);
/* Append a message (no trailing newline). NULL @d is allowed: nothing happens. */
void cgt_diag_add(struct cgt_diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* CGTIERD_DIAG_H */
