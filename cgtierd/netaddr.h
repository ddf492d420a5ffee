/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netaddr.h - the listen address of global.metrics: "IPV4:PORT" or
 * "[IPV6]:PORT", as the config loader checks it and the metrics endpoint
 * (metrics.h) binds it.  Pure functions, no name resolution.
 *
 *   127.0.0.1:9464    0.0.0.0:9464    [::1]:9464    [::]:9464
 *
 * IPv4 is a dotted quad as inet_pton(3) reads it ("127.1" is refused);
 * IPv6 is bracketed, without a zone ("[fe80::1%eth0]" is refused: a zone
 * names an interface, which may be gone at a reload).  The port is
 * decimal, 1 to 65535, without sign or leading zeros: port 0 would let
 * the kernel pick one, which no scraper could be told about.
 */
#ifndef CGTIERD_NETADDR_H
#define CGTIERD_NETADDR_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

/* Longest address text accepted, and what cgt_netaddr_format() writes. */
#define CGT_NETADDR_MAX 63

struct cgt_netaddr {
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	};
	socklen_t len; /* sizeof the family's sockaddr */
};

/*
 * Parse @s into *@ret (written only on success).  0, or -EINVAL with
 * *@why (if not NULL) naming the problem in a few words ("no port",
 * "port 0 is not allowed", ...), a static string.
 */
int cgt_netaddr_parse(const char *s, struct cgt_netaddr *ret, const char **why);

/*
 * @a as the parser reads it, in its canonical form ("[::1]:9464" for
 * "[0::1]:9464"), into @buf of @len bytes (CGT_NETADDR_MAX + 1 is
 * enough); "?" for a family other than AF_INET and AF_INET6.  Returns @buf.
 */
const char *cgt_netaddr_format(const struct cgt_netaddr *a, char *buf, size_t len);

/* The port of @a, host order (0 for an unknown family). */
unsigned cgt_netaddr_port(const struct cgt_netaddr *a);

#endif /* CGTIERD_NETADDR_H */
