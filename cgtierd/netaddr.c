// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * netaddr.c - "IP:PORT" listen addresses (netaddr.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cgtierd/netaddr.h"
#include "cgtierd/units.h"

static int parse_port(const char *s, uint16_t *ret, const char **why)
{
	uint64_t v;
	int r;

	if (!*s) {
		*why = "no port after ':'";
		return -EINVAL;
	}
	/* digits only, no leading zero, as every number of cgtierd.yaml */
	r = cgt_conf_parse_u64(s, &v);
	if (r == -EINVAL) {
		*why = "the port is not a decimal number (no sign, no leading zeros)";
		return -EINVAL;
	}
	/* -ERANGE: more digits than a uint64_t holds */
	if (r < 0 || v > 65535) {
		*why = "the port is above 65535";
		return -EINVAL;
	}
	if (v == 0) {
		*why = "port 0 is not allowed (a port the kernel picks could not be scraped)";
		return -EINVAL;
	}
	*ret = (uint16_t)v;
	return 0;
}

/* "[IPV6]:PORT": the host between the brackets, the rest after "]:". */
static int parse_v6(const char *s, struct cgt_netaddr *a, const char **why)
{
	const char *end = strchr(s, ']');
	char host[INET6_ADDRSTRLEN];
	size_t hl;
	uint16_t port;

	if (!end) {
		*why = "no ']' after the IPv6 address";
		return -EINVAL;
	}
	if (end[1] != ':') {
		*why = "no ':' and port after ']'";
		return -EINVAL;
	}
	hl = (size_t)(end - s - 1);
	if (hl >= sizeof(host) || memchr(s + 1, '%', hl)) {
		*why = hl >= sizeof(host) ? "not an IPv6 address" :
		       "an IPv6 zone ('%' and an interface) is not allowed";
		return -EINVAL;
	}
	memcpy(host, s + 1, hl);
	host[hl] = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET6, host, &a->in6.sin6_addr) != 1) {
		*why = "not an IPv6 address";
		return -EINVAL;
	}
	if (parse_port(end + 2, &port, why) < 0)
		return -EINVAL;
	a->in6.sin6_family = AF_INET6;
	a->in6.sin6_port = htons(port);
	a->len = sizeof(a->in6);
	return 0;
}

/* "IPV4:PORT" */
static int parse_v4(const char *s, struct cgt_netaddr *a, const char **why)
{
	const char *colon = strchr(s, ':');
	char host[INET_ADDRSTRLEN];
	size_t hl;
	uint16_t port;

	if (!colon) {
		*why = "no ':' and port";
		return -EINVAL;
	}
	hl = (size_t)(colon - s);
	if (hl >= sizeof(host)) {
		*why = "not an IPv4 address (host names are not resolved; IPv6 goes in brackets)";
		return -EINVAL;
	}
	memcpy(host, s, hl);
	host[hl] = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, host, &a->in.sin_addr) != 1) {
		*why = "not an IPv4 address (host names are not resolved; IPv6 goes in brackets)";
		return -EINVAL;
	}
	if (parse_port(colon + 1, &port, why) < 0)
		return -EINVAL;
	a->in.sin_family = AF_INET;
	a->in.sin_port = htons(port);
	a->len = sizeof(a->in);
	return 0;
}

int cgt_netaddr_parse(const char *s, struct cgt_netaddr *ret, const char **why)
{
	struct cgt_netaddr a;
	const char *dummy;
	int r;

	if (!why)
		why = &dummy;
	if (!s || !ret) {
		*why = "no address";
		return -EINVAL;
	}
	if (!*s) {
		*why = "empty";
		return -EINVAL;
	}
	if (strlen(s) > CGT_NETADDR_MAX) {
		*why = "longer than 63 bytes";
		return -EINVAL;
	}
	r = s[0] == '[' ? parse_v6(s, &a, why) : parse_v4(s, &a, why);
	if (r < 0)
		return r;
	*ret = a;
	return 0;
}

const char *cgt_netaddr_format(const struct cgt_netaddr *a, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (a->sa.sa_family == AF_INET &&
	    inet_ntop(AF_INET, &a->in.sin_addr, host, sizeof(host)))
		snprintf(buf, len, "%s:%u", host, cgt_netaddr_port(a));
	else if (a->sa.sa_family == AF_INET6 &&
		 inet_ntop(AF_INET6, &a->in6.sin6_addr, host, sizeof(host)))
		snprintf(buf, len, "[%s]:%u", host, cgt_netaddr_port(a));
	else
		snprintf(buf, len, "?");
	return buf;
}

unsigned cgt_netaddr_port(const struct cgt_netaddr *a)
{
	if (a->sa.sa_family == AF_INET)
		return ntohs(a->in.sin_port);
	if (a->sa.sa_family == AF_INET6)
		return ntohs(a->in6.sin6_port);
	return 0;
}
