/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * units.h - strict parsers for the quantities of cgtierd.yaml: sizes,
 * percentages, durations and rates.  Pure functions over a NUL-terminated
 * string; they return 0 or a negative errno and set *ret only on success.
 *
 *   size      "0", "4096", "512K", "8Gi", "1T"   binary units: K = Ki = 1024
 *   percent   "95%", "12.5%", "0.01%"            up to two decimals, <= 100%
 *   duration  "500ms", "10s", "2m", "1h30m"       us, ms, s, m, h; a unit is required
 *   rate      "256Mi/s", "1G", "max"              a size per second
 *
 * No signs, blanks, leading zeros ("010" would be octal to YAML 1.1) or
 * trailing garbage.  -EINVAL for malformed text, -ERANGE for overflow or a
 * value out of the documented range.
 */
#ifndef CGTIERD_UNITS_H
#define CGTIERD_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Percentages are kept in hundredths of a percent: 100% = 10000. */
#define CGT_PERMYRIAD_MAX 10000U

/* Durations are kept in microseconds. */
#define CGT_USEC_PER_MSEC 1000ULL
#define CGT_USEC_PER_SEC 1000000ULL

/* "max" where a size or rate allows it. */
#define CGT_UNLIMITED UINT64_MAX

int cgt_conf_parse_u64(const char *s, uint64_t *ret);
int cgt_parse_size(const char *s, uint64_t *ret);
int cgt_parse_percent(const char *s, uint32_t *ret_permyriad);
int cgt_parse_duration(const char *s, uint64_t *ret_usec);
/* A size, optionally followed by "/s"; "max" gives CGT_UNLIMITED. */
int cgt_parse_rate(const char *s, uint64_t *ret);

/*
 * Format for messages and --check-config output, the way the parsers read
 * it back: "8Gi", "12.5%", "1m30s", "max".  Return @buf.
 */
const char *cgt_format_size(uint64_t v, char *buf, size_t len);
const char *cgt_format_percent(uint32_t permyriad, char *buf, size_t len);
const char *cgt_format_duration(uint64_t usec, char *buf, size_t len);

#endif /* CGTIERD_UNITS_H */
