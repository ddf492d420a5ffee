// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-metrics-http.c - the /metrics endpoint (metrics.h) on real TCP
 * sockets on the loopback, driven by its own sd-event loop the way the
 * daemon drives it: the test is the client and turns the loop while it
 * waits.  GET and HEAD (status, Content-Type, Content-Length, the
 * callback's bytes), a query string, 404, 405 with Allow, 503 and 500
 * from the callback, keep-alive, the connection limit, the idle timeout,
 * a rebind to a new port, a bind failure keeping the old listener, the
 * same port moved to the wildcard, off, IPv6, and no descriptor left
 * behind.  Addresses use port 0 (the kernel picks a free one), which only
 * the config loader refuses.  Time bounds are deadlines for what must
 * happen; "nothing happens" is checked over a short wait.
 */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cgtierd/metrics.h"
#include "cgtierd/netaddr.h"
#include "unit.h"

#define DEADLINE_MSEC 5000 /* for what must happen */
#define QUIET_MSEC 300     /* for what must not */

struct fake {
	int calls;
	int err;         /* returned by the callback; 0: the text */
	const char *msg; /* its message when err */
};

static const char body_text[] =
	"# HELP cgtierd_units Cgroups a policy covers, outermost.\n"
	"# TYPE cgtierd_units gauge\n"
	"cgtierd_units 2\n";

static int fake_render(void *arg, FILE *out, char *err, size_t errlen)
{
	struct fake *f = arg;

	f->calls++;
	if (f->err) {
		if (f->msg)
			snprintf(err, errlen, "%s", f->msg);
		return f->err;
	}
	fputs(body_text, out);
	return 0;
}

struct env {
	sd_event *ev;
	struct cgt_metrics m;
	struct fake fake;
	int fds; /* open at setup */
};

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own */
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->fds = count_fds();
	assert_int_equal(sd_event_new(&e->ev), 0);
	cgt_metrics_init(&e->m, e->ev, fake_render, &e->fake);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	cgt_metrics_clear(&e->m);
	assert_null(cgt_metrics_address(&e->m));
	sd_event_unref(e->ev);
	/* every socket, epoll fd and connection closed */
	assert_int_equal(count_fds(), e->fds);
	free(e);
	return 0;
}

static struct cgt_netaddr addr(const char *s)
{
	struct cgt_netaddr a;
	const char *why = "";

	/* port 0 is the loader's refusal: patch it in after parsing */
	if (cgt_netaddr_parse(s, &a, &why) < 0)
		fail_msg("%s: %s", s, why);
	return a;
}

static struct cgt_netaddr any_port(const char *host_port1)
{
	struct cgt_netaddr a = addr(host_port1);

	if (a.sa.sa_family == AF_INET)
		a.in.sin_port = 0;
	else
		a.in6.sin6_port = 0;
	return a;
}

static unsigned port_of(struct env *e)
{
	const struct cgt_netaddr *a = cgt_metrics_address(&e->m);

	assert_non_null(a);
	assert_int_not_equal(cgt_netaddr_port(a), 0);
	return cgt_netaddr_port(a);
}

static uint64_t now_msec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Turn the endpoint's loop for about @msec. */
static void pump(struct env *e, unsigned msec)
{
	uint64_t end = now_msec() + msec;

	while (now_msec() < end)
		assert_true(sd_event_run(e->ev, 10000) >= 0);
}

/* A client connected to @host:@port; -errno if refused. */
static int connect_to(int family, const char *host, unsigned port)
{
	struct cgt_netaddr a;
	int fd, r;

	memset(&a, 0, sizeof(a));
	if (family == AF_INET) {
		a.in.sin_family = AF_INET;
		a.in.sin_port = htons((uint16_t)port);
		assert_int_equal(inet_pton(AF_INET, host, &a.in.sin_addr), 1);
		a.len = sizeof(a.in);
	} else {
		a.in6.sin6_family = AF_INET6;
		a.in6.sin6_port = htons((uint16_t)port);
		assert_int_equal(inet_pton(AF_INET6, host, &a.in6.sin6_addr), 1);
		a.len = sizeof(a.in6);
	}
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	/* a loopback connect completes in the kernel, before any accept() */
	r = connect(fd, &a.sa, a.len);
	if (r < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

static void send_str(int fd, const char *s)
{
	assert_int_equal(send(fd, s, strlen(s), MSG_NOSIGNAL), (ssize_t)strlen(s));
}

struct resp {
	char buf[16384];
	size_t len;
	int status;
	const char *body; /* into buf */
	long content_length; /* -1: none */
	bool closed;      /* the server closed the connection */
};

/* The value of header @name in @r (case-insensitive name), into @out. */
static bool header(const struct resp *r, const char *name, char *out, size_t len)
{
	size_t nl = strlen(name);

	for (const char *p = strstr(r->buf, "\r\n"); p && p + 2 < r->body;
	     p = strstr(p + 2, "\r\n")) {
		if (strncasecmp(p + 2, name, nl) == 0 && p[2 + nl] == ':') {
			const char *v = p + 3 + nl, *end = strstr(v, "\r\n");

			while (*v == ' ')
				v++;
			snprintf(out, len, "%.*s", (int)(end - v), v);
			return true;
		}
	}
	return false;
}

/* Parse what is in @r so far: true once a whole response is there. */
static bool parse(struct resp *r, bool head)
{
	const char *end = strstr(r->buf, "\r\n\r\n");
	char cl[32];

	if (!end)
		return false;
	r->body = end + 4;
	assert_int_equal(sscanf(r->buf, "HTTP/1.1 %d ", &r->status), 1);
	r->content_length = header(r, "Content-Length", cl, sizeof(cl)) ? atol(cl) : -1;
	if (head)
		return true;
	return r->content_length >= 0 &&
	       (size_t)(r->buf + r->len - r->body) >= (size_t)r->content_length;
}

/*
 * Read one response on @fd while turning the loop, until it is whole (and,
 * with @until_close, the server has closed), or @msec pass: false then.
 */
static bool read_resp(struct env *e, int fd, struct resp *r, bool head, bool until_close,
		      unsigned msec)
{
	uint64_t end = now_msec() + msec;

	memset(r, 0, sizeof(*r));
	while (now_msec() < end) {
		ssize_t n = recv(fd, r->buf + r->len, sizeof(r->buf) - 1 - r->len, MSG_DONTWAIT);

		if (n > 0) {
			r->len += (size_t)n;
			r->buf[r->len] = '\0';
		} else if (n == 0 || (n < 0 && errno == ECONNRESET)) {
			r->closed = true;
		} else {
			assert_true(errno == EAGAIN);
		}
		if (parse(r, head) && (!until_close || r->closed))
			return true;
		if (r->closed)
			return false;
		assert_true(sd_event_run(e->ev, 10000) >= 0);
	}
	return false;
}

/* One request on a new connection, "Connection: close"; the response in @r. */
static void request(struct env *e, const char *method, const char *path, struct resp *r)
{
	char req[512];
	int fd = connect_to(AF_INET, "127.0.0.1", port_of(e));

	assert_true(fd >= 0);
	snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n",
		 method, path);
	send_str(fd, req);
	assert_true(read_resp(e, fd, r, strcmp(method, "HEAD") == 0, true, DEADLINE_MSEC));
	close(fd);
}

static void start(struct env *e, const char *a)
{
	struct cgt_netaddr na = any_port(a);

	assert_int_equal(cgt_metrics_set(&e->m, &na), 0);
}

static void test_get_head(void **state)
{
	struct env *e = *state;
	struct resp r;
	char v[128];

	start(e, "127.0.0.1:1");
	request(e, "GET", "/metrics", &r);
	assert_int_equal(r.status, 200);
	assert_true(header(&r, "Content-Type", v, sizeof(v)));
	assert_string_equal(v, "text/plain; version=0.0.4; charset=utf-8");
	assert_int_equal(r.content_length, strlen(body_text));
	assert_string_equal(r.body, body_text);
	assert_int_equal(e->fake.calls, 1);
	assert_int_equal(e->m.stats.ok, 1);

	request(e, "HEAD", "/metrics", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.content_length, strlen(body_text));
	assert_string_equal(r.body, ""); /* headers only */
	assert_true(header(&r, "Content-Type", v, sizeof(v)));
	assert_string_equal(v, CGT_METRICS_CONTENT_TYPE);

	request(e, "GET", "/metrics?name[]=cgtierd_units", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, body_text);
	assert_int_equal(e->fake.calls, 3);
}

static void test_not_found_not_allowed(void **state)
{
	static const char *const paths[] = {
		"/", "/metrics/", "/metricsx", "/Metrics", "/x/metrics", "*",
	};
	static const char *const methods[] = { "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "get" };
	struct env *e = *state;
	struct resp r;
	char v[128];

	start(e, "127.0.0.1:1");
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		request(e, "GET", paths[i], &r);
		if (r.status != 404)
			fail_msg("GET %s: %d", paths[i], r.status);
	}
	/* another path is 404 whatever the method */
	request(e, "POST", "/", &r);
	assert_int_equal(r.status, 404);
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		request(e, methods[i], "/metrics", &r);
		if (r.status != 405)
			fail_msg("%s /metrics: %d", methods[i], r.status);
		assert_true(header(&r, "Allow", v, sizeof(v)));
		assert_string_equal(v, "GET, HEAD");
	}
	assert_int_equal(e->fake.calls, 0);
	assert_int_equal(e->m.stats.not_found, sizeof(paths) / sizeof(paths[0]) + 1);
	assert_int_equal(e->m.stats.bad_method, sizeof(methods) / sizeof(methods[0]));
}

/* A POST with a body is answered 405 without its body being read. */
static void test_post_body(void **state)
{
	struct env *e = *state;
	struct resp r;
	int fd;

	start(e, "127.0.0.1:1");
	fd = connect_to(AF_INET, "127.0.0.1", port_of(e));
	assert_true(fd >= 0);
	send_str(fd, "POST /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\nabc");
	assert_true(read_resp(e, fd, &r, false, true, DEADLINE_MSEC));
	assert_int_equal(r.status, 405);
	close(fd);
}

static void test_callback_errors(void **state)
{
	struct env *e = *state;
	struct resp r;

	start(e, "127.0.0.1:1");
	e->fake.err = -EAGAIN;
	e->fake.msg = "no control period has completed yet";
	request(e, "GET", "/metrics", &r);
	assert_int_equal(r.status, 503);
	assert_string_equal(r.body, "no control period has completed yet\n");
	e->fake.err = -EIO;
	e->fake.msg = NULL;
	request(e, "GET", "/metrics", &r);
	assert_int_equal(r.status, 500);
	assert_string_equal(r.body, "Input/output error\n");
	assert_int_equal(e->m.stats.failed, 2);
	e->fake.err = 0;
	request(e, "GET", "/metrics", &r);
	assert_int_equal(r.status, 200);
}

/* HTTP/1.1 keep-alive: a scraper's next request on the same connection. */
static void test_keep_alive(void **state)
{
	struct env *e = *state;
	struct resp r;
	int fd;

	start(e, "127.0.0.1:1");
	fd = connect_to(AF_INET, "127.0.0.1", port_of(e));
	assert_true(fd >= 0);
	for (int i = 0; i < 3; i++) {
		send_str(fd, "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n");
		assert_true(read_resp(e, fd, &r, false, false, DEADLINE_MSEC));
		assert_int_equal(r.status, 200);
		assert_false(r.closed);
		assert_string_equal(r.body, body_text);
	}
	close(fd);
	assert_int_equal(e->fake.calls, 3);
}

/* At the limit, a new client waits in the backlog until one closes. */
static void test_connection_limit(void **state)
{
	struct env *e = *state;
	struct resp r;
	int idle[2], fd;

	e->m.connections = 2;
	start(e, "127.0.0.1:1");
	for (int i = 0; i < 2; i++) {
		idle[i] = connect_to(AF_INET, "127.0.0.1", port_of(e));
		assert_true(idle[i] >= 0);
		pump(e, 50); /* accepted */
	}
	fd = connect_to(AF_INET, "127.0.0.1", port_of(e));
	assert_true(fd >= 0);
	send_str(fd, "GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
	assert_false(read_resp(e, fd, &r, false, false, QUIET_MSEC));
	assert_int_equal(e->fake.calls, 0);
	close(idle[0]);
	assert_true(read_resp(e, fd, &r, false, true, DEADLINE_MSEC));
	assert_int_equal(r.status, 200);
	close(fd);
	close(idle[1]);
}

/* A client that sends nothing is closed after the idle timeout. */
static void test_idle_timeout(void **state)
{
	struct env *e = *state;
	struct resp r;
	int fd;

	e->m.timeout_sec = 1;
	start(e, "127.0.0.1:1");
	fd = connect_to(AF_INET, "127.0.0.1", port_of(e));
	assert_true(fd >= 0);
	/* half a request: the timer, not the socket, must end it */
	send_str(fd, "GET /metr");
	assert_false(read_resp(e, fd, &r, false, false, QUIET_MSEC));
	assert_false(r.closed);
	assert_false(read_resp(e, fd, &r, false, false, DEADLINE_MSEC));
	assert_true(r.closed);
	assert_int_equal(r.len, 0);
	close(fd);
}

/* A new address: the new port serves, the old one is closed. */
static void test_rebind(void **state)
{
	struct env *e = *state;
	struct cgt_netaddr same;
	unsigned p1, p2;
	struct resp r;

	start(e, "127.0.0.1:1");
	p1 = port_of(e);
	/* the same address again: the same listener */
	same = *cgt_metrics_address(&e->m);
	assert_int_equal(cgt_metrics_set(&e->m, &same), 0);
	assert_int_equal(port_of(e), p1);
	start(e, "127.0.0.1:1"); /* port 0 again: a new socket, a new port */
	p2 = port_of(e);
	assert_int_not_equal(p1, p2);
	assert_int_equal(connect_to(AF_INET, "127.0.0.1", p1), -ECONNREFUSED);
	request(e, "GET", "/metrics", &r);
	assert_int_equal(r.status, 200);
	/* the text form, as the daemon sets it from the configuration */
	assert_int_equal(cgt_metrics_set_text(&e->m, "off"), 0);
	assert_null(cgt_metrics_address(&e->m));
	assert_int_equal(connect_to(AF_INET, "127.0.0.1", p2), -ECONNREFUSED);
	assert_int_equal(cgt_metrics_set_text(&e->m, "localhost:80"), -EINVAL);
	assert_null(cgt_metrics_address(&e->m));
}

/* Someone else's socket listening on IPv4 @host:*@port (0: any); the port in *@port. */
static int squat(const char *host, unsigned *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)*port) };
	socklen_t len = sizeof(sa);
	int fd, one = 1;

	assert_int_equal(inet_pton(AF_INET, host, &sa.sin_addr), 1);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

/* The new address is taken: the old listener keeps serving. */
static void test_bind_failure_keeps_old(void **state)
{
	struct env *e = *state;
	struct cgt_netaddr taken;
	unsigned p1, other = 0;
	char s[64];
	struct resp r;
	int sq;

	start(e, "127.0.0.1:1");
	p1 = port_of(e);
	sq = squat("127.0.0.1", &other);
	snprintf(s, sizeof(s), "127.0.0.1:%u", other);
	taken = addr(s);
	assert_int_equal(cgt_metrics_set(&e->m, &taken), -EADDRINUSE);
	assert_int_equal(port_of(e), p1);
	request(e, "GET", "/metrics", &r);
	assert_int_equal(r.status, 200);
	/* an address that is not the machine's */
	taken = addr("192.0.2.1:9464");
	assert_int_equal(cgt_metrics_set(&e->m, &taken), -EADDRNOTAVAIL);
	assert_int_equal(port_of(e), p1);
	request(e, "GET", "/metrics", &r);
	assert_int_equal(r.status, 200);
	close(sq);
}

/*
 * The same port on another address of the same family: the old socket
 * holds it, so it goes first; if the new one still cannot bind (someone
 * else has the port on 127.0.0.2), the old one is opened again.
 */
static void test_same_port_moved(void **state)
{
	struct env *e = *state;
	struct cgt_netaddr wild;
	unsigned p1, p;
	char s[64];
	struct resp r;
	int sq;

	start(e, "127.0.0.1:1");
	p1 = port_of(e);
	snprintf(s, sizeof(s), "0.0.0.0:%u", p1);
	wild = addr(s);
	assert_int_equal(cgt_metrics_set(&e->m, &wild), 0);
	assert_int_equal(port_of(e), p1);
	assert_int_equal(cgt_metrics_address(&e->m)->in.sin_addr.s_addr, htonl(INADDR_ANY));
	request(e, "GET", "/metrics", &r);
	assert_int_equal(r.status, 200);

	/* back to 127.0.0.1, then a squatter on 127.0.0.2 blocks the wildcard */
	snprintf(s, sizeof(s), "127.0.0.1:%u", p1);
	wild = addr(s);
	assert_int_equal(cgt_metrics_set(&e->m, &wild), 0);
	p = p1;
	sq = squat("127.0.0.2", &p);
	snprintf(s, sizeof(s), "0.0.0.0:%u", p1);
	wild = addr(s);
	assert_int_equal(cgt_metrics_set(&e->m, &wild), -EADDRINUSE);
	assert_non_null(cgt_metrics_address(&e->m));
	assert_int_equal(port_of(e), p1);
	assert_int_equal(cgt_metrics_address(&e->m)->in.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	request(e, "GET", "/metrics", &r);
	assert_int_equal(r.status, 200);
	close(sq);
}

static bool have_ipv6_loopback(void)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	ok = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

/* [::1]: IPv6 only, so 127.0.0.1 on the same port is refused. */
static void test_ipv6(void **state)
{
	struct env *e = *state;
	struct resp r;
	unsigned p;
	int fd;

	if (!have_ipv6_loopback()) {
		print_message("no IPv6 loopback on this machine: skipped\n");
		skip();
	}
	start(e, "[::1]:1");
	p = port_of(e);
	assert_int_equal(cgt_metrics_address(&e->m)->sa.sa_family, AF_INET6);
	fd = connect_to(AF_INET6, "::1", p);
	assert_true(fd >= 0);
	send_str(fd, "GET /metrics HTTP/1.1\r\nHost: [::1]\r\nConnection: close\r\n\r\n");
	assert_true(read_resp(e, fd, &r, false, true, DEADLINE_MSEC));
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, body_text);
	close(fd);
	assert_int_equal(connect_to(AF_INET, "127.0.0.1", p), -ECONNREFUSED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_get_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_found_not_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_post_body, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_alive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connection_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_failure_keeps_old, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_port_moved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
