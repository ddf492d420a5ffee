/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ctl.h - the daemon side of cgtierd's control socket, and its protocol
 * (the client is cgtierctl(8)).  No global state and no logging: results
 * are return values and counters the caller logs (rate-limited).
 *
 * Protocol (version 1), over an AF_UNIX stream socket, one request per
 * connection:
 *
 *   request   one line of printable ASCII, at most CGT_CTL_REQUEST_MAX
 *             bytes with its '\n' (a trailing "\r\n" or the end of the
 *             stream also ends it):
 *                 status | status json | topology | topology json
 *                 metrics | reload | version
 *   reply     a first line, "ok" or "error: MESSAGE" (MESSAGE: one line,
 *             no control bytes), then the payload, then the daemon closes
 *             the connection.  After "ok" the payload is the answer
 *             (cgtierctl(8): the status table or JSON object, the
 *             topology, the Prometheus text, the version lines); after
 *             "error:" it may hold details (the configuration's messages
 *             of a failed reload), or nothing.  A payload over the reply
 *             cap is cut at a line end and followed by the line
 *             CGT_CTL_TRUNCATED " at N bytes".
 *
 * Errors the daemon answers: "permission denied", "request too long",
 * "malformed request", "timed out", "unknown command 'WORD'", "usage:
 * status [json]" (and the like), "not supported", or the message of the
 * callback that failed.
 *
 * Security.  The socket is created with the mode given (0600: root only,
 * when the daemon runs as root); on top of that every connection's peer
 * credentials (SO_PEERCRED, taken at connect()) must be uid 0 or the
 * daemon's own effective uid, else it is answered "error: permission
 * denied" and closed, and counted.  Input is bounded: one line of
 * CGT_CTL_REQUEST_MAX bytes, read within a deadline.  Per-cgroup data
 * (reliability: no information leaks) thus goes only to root.
 *
 * Timeouts.  The accepted socket is non-blocking; reading the request and
 * writing the reply each wait in poll() for what is left of one deadline
 * of timeout_msec.  That is stronger than SO_RCVTIMEO/SO_SNDTIMEO, which
 * bound each call: a client sending a byte at a time, or reading one,
 * could stretch those to hundreds of timeouts.  Writes use MSG_NOSIGNAL.
 * So one cgt_ctl_handle() call takes at most about 2 x timeout_msec plus
 * the callback, whatever the client does.
 */
#ifndef CGTIERD_CTL_H
#define CGTIERD_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define CGT_CTL_PROTOCOL 1
#define CGT_CTL_MODE 0600                 /* default socket mode */
#define CGT_CTL_REQUEST_MAX 256           /* bytes of a request, '\n' included */
#define CGT_CTL_REPLY_MAX (16u << 20)     /* bytes of a reply's payload */
#define CGT_CTL_TIMEOUT_MSEC 1000         /* per phase: request, reply */
#define CGT_CTL_ERR_MAX 256               /* bytes of an error message */
#define CGT_CTL_TRUNCATED "error: reply truncated"

/* What cgt_ctl_handle() saw, for metrics and rate-limited logs. */
struct cgt_ctl_stats {
	uint64_t served;  /* requests answered, "ok" or "error:" */
	uint64_t denied;  /* connections refused by their peer credentials */
	uint64_t bad;     /* too long, malformed, silent, or gone too early */
};

/*
 * The daemon's answers.  Each writes its payload into @out and returns 0,
 * or a negative errno with a one-line message in @err (@errlen bytes; left
 * empty, strerror() is used); what it wrote into @out is then sent as the
 * error's details.  @out is capped at reply_max: writes beyond it are
 * dropped, not failed.  A NULL callback answers "error: not supported".
 */
struct cgt_ctl_ops {
	int (*status)(void *arg, bool json, FILE *out, char *err, size_t errlen);
	int (*topology)(void *arg, bool json, FILE *out, char *err, size_t errlen);
	int (*metrics)(void *arg, FILE *out, char *err, size_t errlen);
	/* reload the configuration: 0 if the new one is in force */
	int (*reload)(void *arg, FILE *out, char *err, size_t errlen);
	unsigned timeout_msec;       /* 0: CGT_CTL_TIMEOUT_MSEC */
	size_t reply_max;            /* 0: CGT_CTL_REPLY_MAX */
	struct cgt_ctl_stats *stats; /* NULL: not counted */
};

/*
 * Listen on @path: an AF_UNIX stream socket, SOCK_NONBLOCK | SOCK_CLOEXEC,
 * created with @mode (0: CGT_CTL_MODE; bits beyond 0777: -EINVAL) by
 * binding under a umask of ~@mode (the umask is per process: call this
 * before starting threads).  A socket left at @path is removed if no one
 * listens on it (-EADDRINUSE if someone does); anything else there is left
 * alone: -EEXIST.  The directory must exist (and, to keep others from
 * swapping what is at @path, be writable only by root).  Returns 0 and
 * *@ret_fd, or -EINVAL, -ENAMETOOLONG (over 107 bytes), -EEXIST,
 * -EADDRINUSE or the errno of socket(), bind() or listen().
 */
int cgt_ctl_listen(const char *path, mode_t mode, int *ret_fd);

/*
 * Serve at most one connection waiting on @listen_fd: accept it, check the
 * peer, read one request, answer it through @ops (with @arg), close it.
 * Call it when poll() finds @listen_fd readable.  Returns
 *   0            no connection was waiting (or it was aborted);
 *   1            a request was answered ("ok" or "error:");
 *   -EACCES      the peer was refused ("error: permission denied");
 *   -EMSGSIZE    the request line was too long (answered);
 *   -EBADMSG     the request was not printable ASCII (answered);
 *   -ETIMEDOUT   no full request, or the reply not taken, in time;
 *   -ENODATA     the peer closed without a request;
 *   -EPIPE, ...  the peer went away during the reply;
 *   -ENOMEM, -EMFILE, ...  accept() or the daemon's own failures.
 * None of them is fatal to the daemon or leaves anything open.
 */
int cgt_ctl_handle(int listen_fd, const struct cgt_ctl_ops *ops, void *arg);

#endif /* CGTIERD_CTL_H */
