// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * metrics.c - the Prometheus endpoint (metrics.h): one libmicrohttpd
 * daemon per listening address, driven by sd-event sources.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "cgtierd/log.h"
#include "cgtierd/metrics.h"

/* An idle endpoint's timer is never further away than this (MHD asks for less). */
#define MAX_WAIT_USEC (3600ULL * 1000000)

struct cgt_metrics_listener {
	struct cgt_metrics *m;
	struct MHD_Daemon *mhd;
	sd_event_source *io;    /* MHD's epoll fd */
	sd_event_source *timer; /* MHD_get_timeout() */
	struct cgt_netaddr want;  /* as asked for */
	struct cgt_netaddr bound; /* getsockname(): the port of port 0 */
	bool again;               /* the last run closed connections: run once more */
};

/* --- answers -------------------------------------------------------------- */

/* Queue @body (@mode: whether MHD copies or frees it) with status @code. */
static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type,
			     void *body, size_t len, enum MHD_ResponseMemoryMode mode,
			     bool allow)
{
	struct MHD_Response *resp;
	enum MHD_Result r;

	resp = MHD_create_response_from_buffer(len, body, mode);
	if (!resp) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO; /* MHD closes the connection */
	}
	if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type) != MHD_YES ||
	    (allow &&
	     MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") != MHD_YES)) {
		MHD_destroy_response(resp);
		return MHD_NO;
	}
	r = MHD_queue_response(c, code, resp);
	MHD_destroy_response(resp); /* the connection holds its own reference */
	return r;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned code, const char *text,
				  bool allow)
{
	return reply(c, code, "text/plain; charset=utf-8", (void *)text, strlen(text),
		     MHD_RESPMEM_MUST_COPY, allow);
}

/* The callback's message, or strerror(), as an error body. */
static enum MHD_Result reply_error(struct cgt_metrics *m, struct MHD_Connection *c, int err,
				   const char *msg)
{
	char body[320];

	m->stats.failed++;
	snprintf(body, sizeof(body), "%s\n", msg[0] ? msg : strerror(-err));
	return reply_text(c, err == -EAGAIN ? MHD_HTTP_SERVICE_UNAVAILABLE :
			  MHD_HTTP_INTERNAL_SERVER_ERROR, body, false);
}

/* 200 with the exposition, built now from the loop's current state. */
static enum MHD_Result reply_metrics(struct cgt_metrics *m, struct MHD_Connection *c)
{
	char err[256] = "";
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	f = open_memstream(&buf, &len);
	if (!f)
		return reply_error(m, c, -errno, "");
	r = m->render(m->arg, f, err, sizeof(err));
	if (fclose(f) != 0 && r == 0)
		r = -ENOMEM;
	if (r == 0 && len > CGT_METRICS_BODY_MAX) {
		snprintf(err, sizeof(err), "the metrics are over %u bytes", CGT_METRICS_BODY_MAX);
		r = -EFBIG;
	}
	if (r < 0) {
		free(buf);
		return reply_error(m, c, r, err);
	}
	m->stats.ok++;
	return reply(c, MHD_HTTP_OK, CGT_METRICS_CONTENT_TYPE, buf, len, MHD_RESPMEM_MUST_FREE,
		     false);
}

/*
 * Called by MHD_run(): first when a request's headers are in (*req_cls
 * NULL), then for each piece of its body, then once with none left.  A
 * 404 or 405 is queued at the first call: MHD then reads no body and
 * closes the connection after the answer.  The metrics wait for the last
 * call, so the connection stays open for the next scrape (keep-alive); a
 * GET or HEAD that does come with a body is not read: the connection is
 * closed.
 */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **req_cls)
{
	static int headers_seen;
	struct cgt_metrics *m = cls;

	(void)version;
	(void)upload_data;
	if (strcmp(url, CGT_METRICS_PATH) != 0) {
		m->stats.not_found++;
		return reply_text(c, MHD_HTTP_NOT_FOUND,
				  "not found: the metrics are at " CGT_METRICS_PATH "\n", false);
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		m->stats.bad_method++;
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				  "method not allowed: GET or HEAD\n", true);
	}
	if (!*req_cls) {
		*req_cls = &headers_seen;
		return MHD_YES;
	}
	if (*upload_data_size)
		return MHD_NO;
	return reply_metrics(m, c);
}

__attribute__((format(printf, 2, 0)))
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct cgt_metrics *m = cls;
	char msg[512];
	size_t l;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	l = strlen(msg);
	while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
		msg[--l] = '\0';
	cgt_log(m->starting ? CGT_LOG_ERR : CGT_LOG_DEBUG, "metrics: libmicrohttpd: %s", msg);
}

/* --- the event loop ------------------------------------------------------- */

/* The timer at MHD's next deadline (connection timeouts, data it holds), or off. */
static void rearm(struct cgt_metrics_listener *l)
{
	MHD_UNSIGNED_LONG_LONG ms;
	uint64_t now, wait;

	if (l->again)
		ms = 0;
	else if (MHD_get_timeout(l->mhd, &ms) != MHD_YES) {
		sd_event_source_set_enabled(l->timer, SD_EVENT_OFF);
		return;
	}
	if (sd_event_now(l->m->event, CLOCK_MONOTONIC, &now) < 0)
		now = 0;
	wait = ms < MAX_WAIT_USEC / 1000 ? (uint64_t)ms * 1000 : MAX_WAIT_USEC;
	sd_event_source_set_time(l->timer, now + wait);
	sd_event_source_set_enabled(l->timer, SD_EVENT_ONESHOT);
}

static unsigned connections(struct cgt_metrics_listener *l)
{
	const union MHD_DaemonInfo *info;

	info = MHD_get_daemon_info(l->mhd, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return info ? info->num_connections : 0;
}

/*
 * MHD puts its listening socket back into its epoll set (taken out at the
 * connection limit) only at the start of a run, so a run that closed
 * connections is followed by another at once: else a client waiting in
 * the backlog would wait for some other event.
 */
static void run(struct cgt_metrics_listener *l)
{
	unsigned before = connections(l);

	if (MHD_run(l->mhd) != MHD_YES)
		cgt_debug("metrics: MHD_run failed");
	l->again = connections(l) < before;
	rearm(l);
}

static int on_io(sd_event_source *s, int fd, uint32_t events, void *arg)
{
	(void)s;
	(void)fd;
	(void)events;
	run(arg);
	return 0;
}

static int on_timer(sd_event_source *s, uint64_t usec, void *arg)
{
	(void)s;
	(void)usec;
	run(arg);
	return 0;
}

/* --- listeners ------------------------------------------------------------ */

static void listener_free(struct cgt_metrics_listener *l)
{
	if (!l)
		return;
	sd_event_source_disable_unref(l->io);
	sd_event_source_disable_unref(l->timer);
	if (l->mhd)
		MHD_stop_daemon(l->mhd); /* closes the listening socket and every connection */
	free(l);
}

/* A listening TCP socket on @a, non-blocking and close-on-exec; its address in *@bound. */
static int open_socket(const struct cgt_netaddr *a, unsigned backlog, struct cgt_netaddr *bound)
{
	int fd, one = 1, r;
	socklen_t len;

	fd = socket(a->sa.sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* a restart binds again while the last run's connections are in TIME_WAIT */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		goto fail;
	/* "[::]" is IPv6 only: 0.0.0.0 is a separate, explicit choice */
	if (a->sa.sa_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
		goto fail;
	if (bind(fd, &a->sa, a->len) < 0 || listen(fd, (int)backlog) < 0)
		goto fail;
	memset(bound, 0, sizeof(*bound));
	len = sizeof(bound->in6);
	if (getsockname(fd, &bound->sa, &len) < 0)
		goto fail;
	bound->len = len;
	return fd;
fail:
	r = -errno;
	close(fd);
	return r;
}

/*
 * libmicrohttpd closes a listening socket it was given on some of its
 * failure paths and not on others: close @fd only if it is still the
 * socket we made (same device and inode; nothing else opens files
 * meanwhile, the daemon is single-threaded).
 */
static void close_if_ours(int fd, const struct stat *st)
{
	struct stat now;

	if (fstat(fd, &now) == 0 && now.st_dev == st->st_dev && now.st_ino == st->st_ino)
		close(fd);
}

static int start_mhd(struct cgt_metrics *m, struct cgt_metrics_listener *l, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	m->starting++;
	l->mhd = MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
				  on_request, m,
				  MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, m,
				  MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
				  MHD_OPTION_CONNECTION_LIMIT, m->connections,
				  MHD_OPTION_CONNECTION_TIMEOUT, m->timeout_sec,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				  (size_t)CGT_METRICS_CONN_MEMORY,
				  MHD_OPTION_END);
	m->starting--;
	if (!l->mhd) {
		close_if_ours(fd, &st);
		return -EIO;
	}
	return 0;
}

static int add_sources(struct cgt_metrics *m, struct cgt_metrics_listener *l)
{
	const union MHD_DaemonInfo *info;
	int r;

	info = MHD_get_daemon_info(l->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (!info || info->epoll_fd < 0)
		return -EIO;
	r = sd_event_add_io(m->event, &l->io, info->epoll_fd, EPOLLIN, on_io, l);
	if (r < 0)
		return r;
	/* accuracy 1 ms: MHD's timeouts are in ms */
	r = sd_event_add_time(m->event, &l->timer, CLOCK_MONOTONIC, 0, 1000, on_timer, l);
	if (r < 0)
		return r;
	rearm(l);
	return 0;
}

static int listener_new(struct cgt_metrics *m, const struct cgt_netaddr *a,
			struct cgt_metrics_listener **ret)
{
	struct cgt_metrics_listener *l = calloc(1, sizeof(*l));
	int fd, r;

	if (!l)
		return -ENOMEM;
	l->m = m;
	l->want = *a;
	fd = open_socket(a, m->connections, &l->bound);
	if (fd < 0) {
		free(l);
		return fd;
	}
	r = start_mhd(m, l, fd);
	if (r == 0)
		r = add_sources(m, l);
	if (r < 0) {
		listener_free(l);
		return r;
	}
	*ret = l;
	return 0;
}

/* --- the endpoint --------------------------------------------------------- */

void cgt_metrics_init(struct cgt_metrics *m, sd_event *event, cgt_metrics_render_fn render,
		      void *arg)
{
	memset(m, 0, sizeof(*m));
	m->event = event;
	m->render = render;
	m->arg = arg;
	m->connections = CGT_METRICS_CONNECTIONS;
	m->timeout_sec = CGT_METRICS_TIMEOUT_SEC;
}

void cgt_metrics_clear(struct cgt_metrics *m)
{
	listener_free(m->cur);
	m->cur = NULL;
}

static bool same_addr(const struct cgt_netaddr *a, const struct cgt_netaddr *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET)
		return a->in.sin_port == b->in.sin_port &&
		       a->in.sin_addr.s_addr == b->in.sin_addr.s_addr;
	return a->in6.sin6_port == b->in6.sin6_port &&
	       memcmp(&a->in6.sin6_addr, &b->in6.sin6_addr, sizeof(a->in6.sin6_addr)) == 0;
}

int cgt_metrics_set(struct cgt_metrics *m, const struct cgt_netaddr *a)
{
	struct cgt_metrics_listener *l = NULL, *old = m->cur;
	struct cgt_netaddr prev;
	int r;

	if (!a) {
		cgt_metrics_clear(m);
		return 0;
	}
	if (a->sa.sa_family != AF_INET && a->sa.sa_family != AF_INET6)
		return -EAFNOSUPPORT;
	if (old && same_addr(&old->want, a))
		return 0;
	r = listener_new(m, a, &l);
	/*
	 * The old socket may hold the port (127.0.0.1:9464 to 0.0.0.0:9464):
	 * then close it first, and open it again if the new one still fails.
	 */
	if (r == -EADDRINUSE && old && cgt_netaddr_port(&old->bound) == cgt_netaddr_port(a)) {
		prev = old->want;
		cgt_metrics_clear(m);
		old = NULL;
		r = listener_new(m, a, &l);
		if (r < 0)
			(void)listener_new(m, &prev, &m->cur); /* m->cur stays NULL on failure */
	}
	if (r < 0)
		return r;
	listener_free(old);
	m->cur = l;
	return 0;
}

int cgt_metrics_set_text(struct cgt_metrics *m, const char *addr)
{
	struct cgt_netaddr a;

	if (!addr || !addr[0] || strcmp(addr, "off") == 0)
		return cgt_metrics_set(m, NULL);
	if (cgt_netaddr_parse(addr, &a, NULL) < 0)
		return -EINVAL;
	return cgt_metrics_set(m, &a);
}

const struct cgt_netaddr *cgt_metrics_address(const struct cgt_metrics *m)
{
	return m->cur ? &m->cur->bound : NULL;
}
