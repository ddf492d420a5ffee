// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-netaddr.c - global.metrics' listen addresses: what is accepted
 * (family, address bytes and port checked, then the canonical text), what
 * is refused and the reason given, the length limit, and the loader's
 * file:line:column message carrying the reason.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "cgtierd/conf.h"
#include "cgtierd/netaddr.h"
#include "unit.h"

static void test_good(void **state)
{
	static const struct {
		const char *in;
		int family;
		const char *host; /* inet_ntop() of the bytes */
		unsigned port;
		const char *canon;
	} good[] = {
		{ "127.0.0.1:9464", AF_INET, "127.0.0.1", 9464, "127.0.0.1:9464" },
		{ "0.0.0.0:1", AF_INET, "0.0.0.0", 1, "0.0.0.0:1" },
		{ "10.1.2.3:65535", AF_INET, "10.1.2.3", 65535, "10.1.2.3:65535" },
		{ "[::1]:9464", AF_INET6, "::1", 9464, "[::1]:9464" },
		{ "[::]:9100", AF_INET6, "::", 9100, "[::]:9100" },
		{ "[0:0:0:0:0:0:0:1]:80", AF_INET6, "::1", 80, "[::1]:80" },
		{ "[fd00::2]:9464", AF_INET6, "fd00::2", 9464, "[fd00::2]:9464" },
		{ "[::ffff:127.0.0.1]:9464", AF_INET6, "::ffff:127.0.0.1", 9464,
		  "[::ffff:127.0.0.1]:9464" },
	};
	char buf[CGT_NETADDR_MAX + 1], host[INET6_ADDRSTRLEN];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct cgt_netaddr a;
		const char *why = NULL;
		const void *bytes;

		if (cgt_netaddr_parse(good[i].in, &a, &why) != 0)
			fail_msg("'%s' refused: %s", good[i].in, why);
		assert_int_equal(a.sa.sa_family, good[i].family);
		assert_int_equal(a.len, good[i].family == AF_INET ? sizeof(struct sockaddr_in) :
				 sizeof(struct sockaddr_in6));
		bytes = good[i].family == AF_INET ? (const void *)&a.in.sin_addr :
			(const void *)&a.in6.sin6_addr;
		assert_non_null(inet_ntop(good[i].family, bytes, host, sizeof(host)));
		assert_string_equal(host, good[i].host);
		assert_int_equal(cgt_netaddr_port(&a), good[i].port);
		/* network byte order in the sockaddr */
		assert_int_equal(good[i].family == AF_INET ? a.in.sin_port : a.in6.sin6_port,
				 htons((uint16_t)good[i].port));
		assert_string_equal(cgt_netaddr_format(&a, buf, sizeof(buf)), good[i].canon);
	}
}

static void test_bad(void **state)
{
	static const struct {
		const char *in;
		const char *why; /* a substring of the reason */
	} bad[] = {
		{ "", "empty" },
		{ "127.0.0.1", "no ':' and port" },
		{ "127.0.0.1:", "no port" },
		{ "127.0.0.1:0", "port 0 is not allowed" },
		{ "127.0.0.1:65536", "above 65535" },
		{ "127.0.0.1:99999999999999999999999", "above 65535" },
		{ "127.0.0.1:09464", "not a decimal number" },
		{ "127.0.0.1:+80", "not a decimal number" },
		{ "127.0.0.1:-1", "not a decimal number" },
		{ "127.0.0.1:80 ", "not a decimal number" },
		{ "127.0.0.1:0x50", "not a decimal number" },
		{ "127.0.0.1:80:81", "not a decimal number" },
		{ "localhost:9464", "not an IPv4 address" },
		{ "127.1:9464", "not an IPv4 address" },
		{ "256.0.0.1:9464", "not an IPv4 address" },
		{ " 127.0.0.1:9464", "not an IPv4 address" },
		{ ":9464", "not an IPv4 address" },
		{ "::1:9464", "not an IPv4 address" },
		{ "127.0.0.1.127.0.0.1.127.0.0.1:9464", "not an IPv4 address" },
		{ "[::1]9464", "no ':' and port after ']'" },
		{ "[::1]", "no ':' and port after ']'" },
		{ "[::1:9464", "no ']'" },
		{ "[::1]:", "no port" },
		{ "[::1]:0", "port 0 is not allowed" },
		{ "[::1]:70000", "above 65535" },
		{ "[127.0.0.1]:9464", "not an IPv6 address" },
		{ "[]:9464", "not an IPv6 address" },
		{ "[::g]:9464", "not an IPv6 address" },
		{ "[fe80::1%eth0]:9464", "zone" },
		{ "[1111:2222:3333:4444:5555:6666:7777:8888:9999]:9464", "not an IPv6 address" },
		{ "off:9464", "not an IPv4 address" },
	};
	struct cgt_netaddr a, untouched;

	memset(&untouched, 0x5a, sizeof(untouched));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;

		a = untouched;
		if (cgt_netaddr_parse(bad[i].in, &a, &why) != -EINVAL)
			fail_msg("'%s' accepted", bad[i].in);
		assert_non_null(why);
		if (!strstr(why, bad[i].why))
			fail_msg("'%s': reason '%s', expected '%s'", bad[i].in, why, bad[i].why);
		assert_memory_equal(&a, &untouched, sizeof(a)); /* written only on success */
	}
	assert_int_equal(cgt_netaddr_parse(NULL, &a, NULL), -EINVAL);
	assert_int_equal(cgt_netaddr_parse("127.0.0.1:1", NULL, NULL), -EINVAL);
}

/* CGT_NETADDR_MAX bytes fit, one more does not, wherever the text is cut. */
static void test_length(void **state)
{
	char s[CGT_NETADDR_MAX + 2], buf[CGT_NETADDR_MAX + 1];
	struct cgt_netaddr a;
	const char *why;

	/* the longest IPv6 text is 45 bytes: with "[", "]:65535" 53 */
	snprintf(s, sizeof(s), "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535");
	assert_int_equal(cgt_netaddr_parse(s, &a, &why), 0);
	assert_string_equal(cgt_netaddr_format(&a, buf, sizeof(buf)),
			    "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
	memset(s, '1', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	assert_int_equal(strlen(s), CGT_NETADDR_MAX + 1);
	assert_int_equal(cgt_netaddr_parse(s, &a, &why), -EINVAL);
	assert_non_null(strstr(why, "longer than 63 bytes"));
	/* an over-long port is refused for its value, not its length */
	snprintf(s, sizeof(s), "1.2.3.4:%0*d", CGT_NETADDR_MAX - 8, 1);
	assert_int_equal(strlen(s), CGT_NETADDR_MAX);
	assert_int_equal(cgt_netaddr_parse(s, &a, &why), -EINVAL);
	assert_non_null(strstr(why, "not a decimal number"));
	a.sa.sa_family = AF_UNIX;
	assert_string_equal(cgt_netaddr_format(&a, buf, sizeof(buf)), "?");
	assert_int_equal(cgt_netaddr_port(&a), 0);
}

/* The loader: the text kept as written, the reason at the value's line:column. */
static void test_loader(void **state)
{
	static const struct {
		const char *yaml;
		const char *msg;
	} bad[] = {
		{ "global:\n  metrics: 127.0.0.1:0\n",
		  "t.yaml:2:12: expected off, or an IP address and port such as 127.0.0.1:9464 or [::1]:9464, got '127.0.0.1:0': port 0 is not allowed" },
		{ "global:\n  period: 1s\n  metrics:   \"[::1]:65536\"\n",
		  "t.yaml:3:14: expected off, or an IP address and port such as 127.0.0.1:9464 or [::1]:9464, got '[::1]:65536': the port is above 65535 (global.metrics)" },
		{ "{global: {metrics: example.org:80}}\n",
		  "t.yaml:1:20: expected off, or an IP address and port such as 127.0.0.1:9464 or [::1]:9464, got 'example.org:80': not an IPv4 address" },
		{ "global:\n  metrics: [127.0.0.1:9464]\n",
		  "t.yaml:2:12: expected off, or IP:PORT, got a list (global.metrics)" },
	};
	static const char *const good[] = { "off", "127.0.0.1:9464", "\"[::1]:9464\"", "0.0.0.0:80" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cgt_config *c = cgt_config_new();
		struct cgt_diag d;

		assert_non_null(c);
		cgt_diag_init(&d);
		assert_int_equal(cgt_config_parse(c, "t.yaml", bad[i].yaml, strlen(bad[i].yaml), true,
						  &d), -EINVAL);
		assert_true(d.n >= 1);
		if (!strstr(d.msg[0], bad[i].msg))
			fail_msg("got '%s', expected '%s'", d.msg[0], bad[i].msg);
		cgt_diag_clear(&d);
		cgt_config_free(c);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct cgt_config *c = cgt_config_new();
		char yaml[128], want[64];
		struct cgt_diag d;

		assert_non_null(c);
		cgt_diag_init(&d);
		snprintf(yaml, sizeof(yaml), "global:\n  metrics: %s\n", good[i]);
		assert_int_equal(cgt_config_parse(c, "t.yaml", yaml, strlen(yaml), true, &d), 0);
		snprintf(want, sizeof(want), "%s", strcmp(good[i], "off") == 0 ? "" : good[i]);
		if (want[0] == '"') {
			memmove(want, want + 1, strlen(want));
			want[strlen(want) - 1] = '\0';
		}
		assert_string_equal(c->global.metrics, want);
		cgt_diag_clear(&d);
		cgt_config_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_loader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
