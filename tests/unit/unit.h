/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* unit.h - cmocka boilerplate and fixture paths shared by the unit tests. */
#ifndef CGTIER_TESTS_UNIT_H
#define CGTIER_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

/*
 * Root of the fixture scenario @name: $CGTIER_FIXTURES/@name (set by
 * make check), or tests/fixtures/@name relative to the working directory.
 */
static inline const char *fixture(const char *name)
{
	static char path[4096];
	const char *base = getenv("CGTIER_FIXTURES");

	snprintf(path, sizeof(path), "%s/%s", base ? base : "tests/fixtures", name);
	return path;
}

#endif
