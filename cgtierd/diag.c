// SPDX-License-Identifier: LGPL-2.1-or-later
/* diag.c - bounded diagnostics list. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgtierd/diag.h"

void cgt_diag_init(struct cgt_diag *d)
{
	memset(d, 0, sizeof(*d));
}

void cgt_diag_clear(struct cgt_diag *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++)
		free(d->msg[i]);
	cgt_diag_init(d);
}

size_t cgt_diag_count(const struct cgt_diag *d)
{
	return d ? d->n + d->dropped : 0;
}

void cgt_diag_add(struct cgt_diag *d, const char *fmt, ...)
{
	char line[CGT_DIAG_LINE_MAX];
	va_list ap;

	if (!d)
		return;
	if (d->n >= CGT_DIAG_MAX) {
		d->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	d->msg[d->n] = strdup(line);
	if (d->msg[d->n])
		d->n++;
	else
		d->dropped++;
}
