// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ctl.c - the control socket (ctl.h): listen, and serve one connection per
 * call: peer credentials, one bounded request line read within a deadline,
 * a reply built in a capped buffer and written within a deadline.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cgtierd/ctl.h"

#define CGT_CTL_BACKLOG 16

/* --- listening ------------------------------------------------------------ */

/* Remove a socket at @sa's path that no one listens on; leave anything else. */
static int remove_stale(const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, r;

	if (lstat(sa->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	if (r == 0 || errno == EAGAIN)
		r = -EADDRINUSE; /* a live listener (or one with a full backlog) */
	else if (errno == ECONNREFUSED)
		r = unlink(sa->sun_path) < 0 && errno != ENOENT ? -errno : 0;
	else
		r = -errno;
	close(fd);
	return r;
}

int cgt_ctl_listen(const char *path, mode_t mode, int *ret_fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len;
	mode_t old;
	int fd, r;

	if (!path || !*path || !ret_fd || (mode & ~(mode_t)0777))
		return -EINVAL;
	len = strlen(path);
	if (len >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, len + 1);
	if (!mode)
		mode = CGT_CTL_MODE;
	r = remove_stale(&sa);
	if (r < 0)
		return r;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	old = umask(~mode & 0777);
	r = bind(fd, (const struct sockaddr *)&sa, sizeof(sa));
	if (r < 0)
		r = -errno;
	umask(old);
	if (r < 0)
		goto fail;
	if (listen(fd, CGT_CTL_BACKLOG) < 0) {
		r = -errno;
		unlink(path);
		goto fail;
	}
	*ret_fd = fd;
	return 0;
fail:
	close(fd);
	return r;
}

/* --- deadlines ------------------------------------------------------------ */

static int64_t now_msec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for @events on @fd until @deadline: 0, -ETIMEDOUT or -errno. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	int64_t left;
	int r;

	for (;;) {
		left = deadline - now_msec();
		if (left <= 0)
			return -ETIMEDOUT;
		r = poll(&p, 1, (int)(left > 60000 ? 60000 : left));
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

/* Write all of @buf before @deadline. */
static int send_all(int fd, const char *buf, size_t len, int64_t deadline)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		int r;

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN)
			return -errno;
		r = wait_fd(fd, POLLOUT, deadline);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Read one request line into @buf (CGT_CTL_REQUEST_MAX + 1 bytes) before
 * @deadline, without its line end.  -EMSGSIZE, -ENODATA, -ETIMEDOUT.
 */
static int recv_line(int fd, char *buf, int64_t deadline)
{
	size_t len = 0;
	char *nl;

	for (;;) {
		ssize_t n = recv(fd, buf + len, CGT_CTL_REQUEST_MAX - len, MSG_DONTWAIT);
		int r;

		if (n > 0) {
			nl = memchr(buf + len, '\n', (size_t)n);
			len += (size_t)n;
			if (nl) {
				*nl = '\0';
				break;
			}
			if (len == CGT_CTL_REQUEST_MAX)
				return -EMSGSIZE;
			continue;
		}
		if (n == 0) {
			if (!len)
				return -ENODATA;
			buf[len] = '\0'; /* the end of the stream ends the line */
			break;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -errno;
		r = wait_fd(fd, POLLIN, deadline);
		if (r < 0)
			return r;
	}
	len = strlen(buf);
	if (len && buf[len - 1] == '\r')
		buf[len - 1] = '\0';
	return 0;
}

/* --- the capped reply buffer ---------------------------------------------- */

struct capbuf {
	char *buf;
	size_t len, size, max;
	bool truncated;
};

static ssize_t cap_write(void *cookie, const char *data, size_t n)
{
	struct capbuf *b = cookie;
	size_t take = n;

	if (take > b->max - b->len) {
		take = b->max - b->len;
		b->truncated = true;
	}
	if (b->len + take > b->size) {
		size_t size = b->size ? b->size : 4096;
		char *p;

		while (size < b->len + take)
			size *= 2;
		if (size > b->max)
			size = b->max;
		p = realloc(b->buf, size);
		if (!p)
			return -1;
		b->buf = p;
		b->size = size;
	}
	memcpy(b->buf + b->len, data, take);
	b->len += take;
	return (ssize_t)n; /* dropped bytes are consumed: no error */
}

static FILE *cap_open(struct capbuf *b)
{
	cookie_io_functions_t io = { .write = cap_write };

	return fopencookie(b, "w", io);
}

/* --- requests ------------------------------------------------------------- */

/* Whether @s is printable ASCII. */
static bool printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

/* Make @err one line without control bytes. */
static void one_line(char *err)
{
	for (unsigned char *p = (unsigned char *)err; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = ' ';
}

static int cmd_version(FILE *out)
{
	fprintf(out, "cgtierd %s\nprotocol %d\n", PACKAGE_VERSION, CGT_CTL_PROTOCOL);
	return 0;
}

/*
 * Answer @line into @out; 0, or a negative errno with @err set.  Only
 * status and topology (the first two commands) take an argument: "json".
 */
static int dispatch(const char *line, const struct cgt_ctl_ops *ops, void *arg, FILE *out,
		    char *err, size_t errlen)
{
	static const char *const cmds[] = {
		"status", "topology", "metrics", "reload", "version",
	};
	const char *sp = strchr(line, ' ');
	size_t wlen = sp ? (size_t)(sp - line) : strlen(line);
	const char *rest = sp ? sp + 1 : NULL;
	bool json = rest && !strcmp(rest, "json");
	size_t c;

	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
		if (strlen(cmds[c]) == wlen && !strncmp(line, cmds[c], wlen))
			break;
	if (c == sizeof(cmds) / sizeof(cmds[0])) {
		snprintf(err, errlen, "unknown command '%.*s'", (int)(wlen > 64 ? 64 : wlen), line);
		return -EINVAL;
	}
	if (rest && !(json && c < 2)) {
		snprintf(err, errlen, "usage: %s%s", cmds[c], c < 2 ? " [json]" : "");
		return -EINVAL;
	}
	switch (c) {
	case 0:
		if (ops->status)
			return ops->status(arg, json, out, err, errlen);
		break;
	case 1:
		if (ops->topology)
			return ops->topology(arg, json, out, err, errlen);
		break;
	case 2:
		if (ops->metrics)
			return ops->metrics(arg, out, err, errlen);
		break;
	case 3:
		if (ops->reload)
			return ops->reload(arg, out, err, errlen);
		break;
	default:
		return cmd_version(out);
	}
	snprintf(err, errlen, "not supported");
	return -EOPNOTSUPP;
}

/* A one-line error reply, sent as far as it goes (best effort). */
static void send_error(int fd, const char *msg, int64_t deadline)
{
	char line[CGT_CTL_ERR_MAX + 16];

	snprintf(line, sizeof(line), "error: %s\n", msg);
	(void)send_all(fd, line, strlen(line), deadline);
}

/* Cut a truncated payload at its last line end and say so. */
static void mark_truncated(struct capbuf *b, char *tail, size_t len)
{
	char *nl = b->len ? memrchr(b->buf, '\n', b->len) : NULL;

	b->len = nl ? (size_t)(nl - b->buf) + 1 : 0;
	snprintf(tail, len, CGT_CTL_TRUNCATED " at %zu bytes\n", b->max);
}

/* Answer the request @line on @fd. */
static int answer(int fd, const char *line, const struct cgt_ctl_ops *ops, void *arg,
		  int64_t deadline)
{
	struct capbuf b = { .max = ops->reply_max ? ops->reply_max : CGT_CTL_REPLY_MAX };
	char err[CGT_CTL_ERR_MAX] = "", head[CGT_CTL_ERR_MAX + 16], tail[64] = "";
	FILE *out = cap_open(&b);
	int r, rc;

	if (!out)
		return -ENOMEM;
	rc = dispatch(line, ops, arg, out, err, sizeof(err));
	if (fclose(out) != 0 && rc == 0) {
		rc = -ENOMEM;
		snprintf(err, sizeof(err), "out of memory");
	}
	if (rc < 0) {
		if (!err[0])
			snprintf(err, sizeof(err), "%s", strerror(-rc));
		one_line(err);
		snprintf(head, sizeof(head), "error: %s\n", err);
	} else {
		snprintf(head, sizeof(head), "ok\n");
	}
	if (b.truncated)
		mark_truncated(&b, tail, sizeof(tail));
	r = send_all(fd, head, strlen(head), deadline);
	if (r == 0 && b.len)
		r = send_all(fd, b.buf, b.len, deadline);
	if (r == 0 && tail[0])
		r = send_all(fd, tail, strlen(tail), deadline);
	free(b.buf);
	return r;
}

/* Whether the peer on @fd may talk to us: root or our own effective uid. */
static int check_peer(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -errno;
	if (cred.uid != 0 && cred.uid != geteuid())
		return -EACCES;
	return 0;
}

static void count(const struct cgt_ctl_ops *ops, int r)
{
	if (!ops->stats)
		return;
	if (r == 1)
		ops->stats->served++;
	else if (r == -EACCES)
		ops->stats->denied++;
	else if (r == -EMSGSIZE || r == -EBADMSG || r == -ETIMEDOUT || r == -ENODATA)
		ops->stats->bad++;
}

static int serve(int fd, const struct cgt_ctl_ops *ops, void *arg)
{
	unsigned tmo = ops->timeout_msec ? ops->timeout_msec : CGT_CTL_TIMEOUT_MSEC;
	int64_t deadline = now_msec() + tmo;
	char line[CGT_CTL_REQUEST_MAX + 1];
	int r;

	r = check_peer(fd);
	if (r == -EACCES)
		send_error(fd, "permission denied", deadline);
	if (r < 0)
		return r;
	r = recv_line(fd, line, deadline);
	if (r == -EMSGSIZE)
		send_error(fd, "request too long", deadline);
	else if (r == -ETIMEDOUT)
		send_error(fd, "timed out", now_msec() + 1);
	if (r < 0)
		return r;
	if (!printable(line)) {
		send_error(fd, "malformed request", deadline);
		return -EBADMSG;
	}
	r = answer(fd, line, ops, arg, now_msec() + tmo);
	return r < 0 ? r : 1;
}

int cgt_ctl_handle(int listen_fd, const struct cgt_ctl_ops *ops, void *arg)
{
	int fd, r;

	if (listen_fd < 0 || !ops)
		return -EINVAL;
	fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
		    errno == ECONNABORTED)
			return 0;
		return -errno;
	}
	r = serve(fd, ops, arg);
	close(fd);
	count(ops, r);
	return r;
}
