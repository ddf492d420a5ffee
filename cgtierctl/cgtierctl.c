// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cgtierctl.c - the client of cgtierd's control socket (cgtierctl(8)):
 *
 *   cgtierctl [--socket PATH] [--json] status|topology|metrics|reload|version
 *
 * sends one request line (protocol in cgtierd/ctl.h), reads the whole
 * reply into memory before printing anything (so a slow reader such as a
 * pager never holds the daemon, whose write deadline is short), and exits
 * 0 on "ok", 1 on "error:" (the message on stderr), 2 on usage errors and
 * 3 when the daemon is not running.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "cgtierd/ctl.h"

#ifndef CGT_RUNSTATEDIR
#define CGT_RUNSTATEDIR "/run"
#endif
#define DEFAULT_SOCKET CGT_RUNSTATEDIR "/cgtierd/cgtierd.sock"

enum {
	EXIT_OK = 0,
	EXIT_ERROR = 1,
	EXIT_USAGE = 2,
	EXIT_NOT_RUNNING = 3,
};

/* How long to wait for the daemon (it answers between control periods). */
#define CLIENT_TIMEOUT_SEC 30
/* A reply is its first line, the payload and the truncation line. */
#define REPLY_MAX ((size_t)CGT_CTL_REPLY_MAX + 2 * CGT_CTL_ERR_MAX)

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cgtierctl [--socket PATH] [--json] COMMAND\n"
		"       cgtierctl --help | --version\n"
		"\n"
		"Commands:\n"
		"  status     the last control period: one line per cgroup a policy covers\n"
		"  topology   memory tiers and NUMA nodes\n"
		"  metrics    the Prometheus text cgtierd exposes\n"
		"  reload     reload the configuration (kept if the new one is invalid)\n"
		"  version    the daemon's version and protocol\n"
		"\n"
		"Options:\n"
		"  --socket PATH  the control socket (default " DEFAULT_SOCKET ")\n"
		"  --json         status and topology as one JSON object\n"
		"  --help         show this help\n"
		"  --version      show cgtierctl's version\n"
		"\n"
		"Exit status: 0 ok, 1 error, 2 usage error, 3 cgtierd not running.\n"
		"See cgtierctl(8).\n");
}

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "cgtierctl: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	usage(stderr);
	return EXIT_USAGE;
}

/* Connect to @path; an exit status on failure (message printed), or fd. */
static int connect_daemon(const char *path, int *ret_fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = CLIENT_TIMEOUT_SEC };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return usage_error("socket path too long", path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "cgtierctl: socket: %s\n", strerror(errno));
		return EXIT_ERROR;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		if (e == ENOENT || e == ECONNREFUSED) {
			fprintf(stderr, "cgtierctl: cgtierd is not running (socket %s)\n", path);
			return EXIT_NOT_RUNNING;
		}
		fprintf(stderr, "cgtierctl: %s: %s%s\n", path, strerror(e),
			e == EACCES ? " (the control socket is for root)" : "");
		return EXIT_ERROR;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	*ret_fd = fd;
	return EXIT_OK;
}

/* Read until the daemon closes; the whole reply in *@ret_buf. */
static int read_reply(int fd, char **ret_buf, size_t *ret_len)
{
	size_t len = 0, size = 65536;
	char *buf = malloc(size), *p;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == size) {
			if (size >= REPLY_MAX) {
				free(buf);
				return -EMSGSIZE;
			}
			size = size * 2 > REPLY_MAX ? REPLY_MAX : size * 2;
			p = realloc(buf, size);
			if (!p) {
				free(buf);
				return -ENOMEM;
			}
			buf = p;
		}
		n = read(fd, buf + len, size - len);
		if (n > 0) {
			len += (size_t)n;
			continue;
		}
		if (n == 0)
			break;
		if (errno == EINTR)
			continue;
		/* the daemon closed with our request unread: what it sent counts */
		if (errno == ECONNRESET && len)
			break;
		n = -errno;
		free(buf);
		return (int)(n == -EAGAIN ? -ETIMEDOUT : n);
	}
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}

/* Start of the last line of @buf[0..@len) (which ends in '\n'), or NULL. */
static const char *last_line(const char *buf, size_t len)
{
	const char *p;

	if (!len || buf[len - 1] != '\n')
		return NULL;
	for (p = buf + len - 1; p > buf && p[-1] != '\n'; p--)
		;
	return p;
}

/* Print the reply; the exit status. */
static int print_reply(const char *buf, size_t len, const char *path)
{
	const char *nl = memchr(buf, '\n', len), *payload, *last;
	size_t plen;
	bool ok;

	if (!nl) {
		fprintf(stderr, "cgtierctl: %s from cgtierd (socket %s)\n",
			len ? "malformed reply" : "no reply", path);
		return EXIT_ERROR;
	}
	ok = nl - buf == 2 && !memcmp(buf, "ok", 2);
	if (!ok && (nl - buf < 7 || memcmp(buf, "error: ", 7))) {
		fprintf(stderr, "cgtierctl: malformed reply from cgtierd (socket %s)\n", path);
		return EXIT_ERROR;
	}
	if (!ok)
		fprintf(stderr, "cgtierctl: %.*s\n", (int)(nl - buf - 7), buf + 7);
	payload = nl + 1;
	plen = len - (size_t)(payload - buf);
	last = last_line(payload, plen);
	if (last && !strncmp(last, CGT_CTL_TRUNCATED, strlen(CGT_CTL_TRUNCATED))) {
		fwrite(payload, 1, (size_t)(last - payload), ok ? stdout : stderr);
		/* "error: reply truncated at N bytes\n", without "error: " */
		fprintf(stderr, "cgtierctl: %.*s", (int)(payload + plen - last - 7), last + 7);
		ok = false;
	} else {
		fwrite(payload, 1, plen, ok ? stdout : stderr);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "cgtierctl: writing the output: %s\n", strerror(errno));
		return EXIT_ERROR;
	}
	return ok ? EXIT_OK : EXIT_ERROR;
}

static int run(const char *path, const char *request)
{
	char *buf = NULL;
	size_t len = 0;
	int fd = -1, rc, r;

	rc = connect_daemon(path, &fd);
	if (rc != EXIT_OK)
		return rc;
	/* a failed send (the daemon refused us and closed) still has a reply */
	(void)send(fd, request, strlen(request), MSG_NOSIGNAL);
	(void)shutdown(fd, SHUT_WR);
	r = read_reply(fd, &buf, &len);
	close(fd);
	if (r < 0) {
		fprintf(stderr, "cgtierctl: reading the reply (socket %s): %s\n", path,
			r == -EMSGSIZE ? "reply too long" : strerror(-r));
		return EXIT_ERROR;
	}
	rc = print_reply(buf, len, path);
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	static const char *const cmds[] = { "status", "topology", "metrics", "reload", "version" };
	const char *path = DEFAULT_SOCKET, *cmd;
	char request[64];
	bool json = false;
	size_t c;
	int o;

	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("cgtierctl (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return EXIT_OK;
		default:
			return usage_error(optopt == 's' ? "--socket needs a PATH" : "unknown option",
					   optopt == 's' ? NULL : argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("no command", NULL);
	if (optind + 1 < argc)
		return usage_error("unexpected argument", argv[optind + 1]);
	cmd = argv[optind];
	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
		if (!strcmp(cmd, cmds[c]))
			break;
	if (c == sizeof(cmds) / sizeof(cmds[0]))
		return usage_error("unknown command", cmd);
	if (json && c >= 2)
		return usage_error("--json is for status and topology", NULL);
	if (!*path)
		return usage_error("empty socket path", NULL);
	snprintf(request, sizeof(request), "%s%s\n", cmd, json ? " json" : "");
	return run(path, request);
}
