/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * parse.h - the one number parser of libcgtier.
 *
 * Every integer cgtier reads from the kernel or a command line goes through
 * these functions, so there is one semantics everywhere:
 *
 *  - one or more ASCII digits, nothing else: no sign (neither '-' nor '+'),
 *    no leading or trailing white space, no "0x" prefix, no suffix;
 *  - -EINVAL if there is no digit where the number should start, or (for
 *    the whole-string form) anything follows the digits;
 *  - -ERANGE if the value does not fit in 64 bits (or in the given range);
 *  - the out-parameter is written only on success.
 *
 * Leading zeros are accepted ("007" is 7), as the kernel's kstrtou64 does.
 * Decimal is the rule; the hexadecimal form exists only for the few kernel
 * files that print addresses in hex (/proc/iomem) and follows the same rules
 * with the digits 0-9a-fA-F.
 */
#ifndef CGTIER_PARSE_H
#define CGTIER_PARSE_H

#include <stdint.h>

/* The value of hexadecimal digit @c (0-9a-fA-F), or -1. */
int cgt_hex_digit(char c);

/* Parse all of @s as an unsigned decimal. */
int cgt_parse_u64(const char *s, uint64_t *ret);

/* cgt_parse_u64(), then -ERANGE unless @min <= value <= @max. */
int cgt_parse_u64_range(const char *s, uint64_t min, uint64_t max,
			uint64_t *ret);

/*
 * Parse the unsigned decimal that starts at *@s and stop at the first
 * non-digit, which the caller checks; on success *@s points at it.  On
 * failure *@s is unchanged.
 */
int cgt_parse_u64_prefix(const char **s, uint64_t *ret);

/* cgt_parse_u64_prefix() in hexadecimal (no "0x"). */
int cgt_parse_x64_prefix(const char **s, uint64_t *ret);

#endif /* CGTIER_PARSE_H */
