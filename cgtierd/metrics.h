/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * metrics.h - cgtierd's Prometheus endpoint (global.metrics): GET or HEAD
 * of /metrics over HTTP/1.1, served by libmicrohttpd from the daemon's
 * sd-event loop.
 *
 * No threads.  libmicrohttpd runs in its "external polling" mode with
 * epoll: its epoll fd is an sd-event io source and MHD_get_timeout() arms
 * an sd-event timer, and both call MHD_run(), so every request, and the
 * callback that renders the figures, runs in the loop's own thread,
 * between periods, reading the loop's state as the control socket does.
 * A request waits while a period runs; a period never waits for a client
 * (every socket is non-blocking).
 *
 * Answers:
 *   GET|HEAD /metrics   200, Content-Type CGT_METRICS_CONTENT_TYPE, the
 *                       callback's text (HEAD: its headers only);
 *                       503 if the callback says -EAGAIN (no period yet),
 *                       500 for its other errors or a text over
 *                       CGT_METRICS_BODY_MAX, with its message as body;
 *   other method        405 with "Allow: GET, HEAD";
 *   other path          404 (a query string is ignored: "/metrics?x").
 *
 * Bounds: at most `connections` at once (while at the limit the listening
 * socket is not polled: more wait in its backlog, of the same size, for
 * one to close; beyond that the kernel drops them), each closed after
 * `timeout_sec` without activity, CGT_METRICS_CONN_MEMORY bytes of
 * request and buffers per connection (longer headers: 431).  No
 * authentication and no TLS: keep it on a loopback address, or behind a
 * proxy or a firewall.
 *
 * Sockets.  Nothing is opened while the address is off; when on, one
 * AF_INET or AF_INET6 listening socket of the address's family (IPv6
 * with IPV6_V6ONLY: "[::]" is not also 0.0.0.0), so a unit restricting
 * address families to AF_UNIX AF_INET AF_INET6 is enough.
 *
 * Logging: libmicrohttpd's messages go to log.h, at err while a listener
 * starts and at debug afterwards (they are about single clients then).
 */
#ifndef CGTIERD_METRICS_H
#define CGTIERD_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <systemd/sd-event.h>

#include "cgtierd/netaddr.h"

#define CGT_METRICS_PATH "/metrics"
#define CGT_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define CGT_METRICS_CONNECTIONS 16         /* default connection limit */
#define CGT_METRICS_TIMEOUT_SEC 10         /* default idle timeout */
#define CGT_METRICS_CONN_MEMORY (32u << 10) /* per connection */
#define CGT_METRICS_BODY_MAX (16u << 20)   /* as the control socket's reply cap */

/*
 * Write the exposition into @out: 0, or a negative errno with a one-line
 * message in @err (-EAGAIN: not yet, answered 503).  The control socket's
 * metrics callback (ctl.h) has this type, so both serve the same text.
 */
typedef int (*cgt_metrics_render_fn)(void *arg, FILE *out, char *err, size_t errlen);

struct cgt_metrics_stats {
	uint64_t ok;         /* 200 */
	uint64_t not_found;  /* 404 */
	uint64_t bad_method; /* 405 */
	uint64_t failed;     /* 500, 503 */
};

struct cgt_metrics_listener;

struct cgt_metrics {
	sd_event *event;
	cgt_metrics_render_fn render;
	void *arg;
	unsigned connections;       /* limits of the next listener started */
	unsigned timeout_sec;
	struct cgt_metrics_listener *cur; /* NULL: off */
	struct cgt_metrics_stats stats;
	int starting;               /* a listener is starting: its log is err */
};

/* Off, with the default limits; @render(@arg) answers GET /metrics. */
void cgt_metrics_init(struct cgt_metrics *m, sd_event *event, cgt_metrics_render_fn render,
		      void *arg);

/* Stop listening and free everything; safe on an initialised or zeroed struct. */
void cgt_metrics_clear(struct cgt_metrics *m);

/*
 * Serve on @a (NULL: off).  If it is the address served already, nothing
 * changes.  Otherwise the new socket is bound and the old one closed
 * after it; if that fails because the old one holds the port (the same
 * port on a wildcard, say), the old one is closed first and, if the new
 * one still fails, opened again.  Returns 0, or a negative errno of
 * socket(), bind(), listen() (-EADDRINUSE, -EADDRNOTAVAIL, -EACCES,
 * ...), -EIO if libmicrohttpd refused to start (its message logged),
 * -ENOMEM; on failure the endpoint serves as before, if it can
 * (cgt_metrics_address() says where).
 */
int cgt_metrics_set(struct cgt_metrics *m, const struct cgt_netaddr *a);

/* cgt_metrics_set() of global.metrics' text ("" or "off": off; else netaddr.h). */
int cgt_metrics_set_text(struct cgt_metrics *m, const char *addr);

/* Where it listens (the bound address: a real port for port 0), NULL when off. */
const struct cgt_netaddr *cgt_metrics_address(const struct cgt_metrics *m);

#endif /* CGTIERD_METRICS_H */
