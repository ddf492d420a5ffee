// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-ctl.c - the control socket on real AF_UNIX sockets in a scratch
 * directory: listen (mode 0600, a stale socket replaced, a live one or a
 * regular file left alone), and per request what the client reads back:
 * status, JSON, version, unknown commands, bad arguments, a failed reload
 * with details, an over-long line, a malformed one, a client that sends
 * nothing or goes away, one that does not read its reply, a capped reply,
 * and a peer of another uid refused (as root only).  Timeouts are short
 * and the asserts are on behaviour, never on elapsed time.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgtierd/ctl.h"
#include "unit.h"

#define TMO 50 /* ms: how long the daemon side waits for a test client */

struct fake {
	int calls;
	bool json;
	size_t big;   /* bytes status writes, in lines of 10; 0: one line */
	int reload_err;
};

static int fake_status(void *arg, bool json, FILE *out, char *err, size_t errlen)
{
	struct fake *f = arg;

	f->calls++;
	f->json = json;
	if (!f->big) {
		fprintf(out, json ? "{\"units\":[]}\n" : "no cgroup is covered by a policy\n");
		return 0;
	}
	for (size_t i = 0; i < f->big / 10; i++)
		fprintf(out, "line %04zu\n", i % 10000);
	return 0;
}

static int fake_metrics(void *arg, FILE *out, char *err, size_t errlen)
{
	fprintf(out, "# TYPE cgtierd_units gauge\ncgtierd_units 0\n");
	return 0;
}

static int fake_reload(void *arg, FILE *out, char *err, size_t errlen)
{
	struct fake *f = arg;

	if (!f->reload_err)
		return 0;
	fprintf(out, "cgtierd.yaml:3:5: unknown key 'hot_in_fats'\n");
	snprintf(err, errlen, "configuration not loaded:\n1 problem");
	return f->reload_err;
}

struct env {
	char dir[4096];
	char path[4200];
	int lfd;
	struct fake fake;
	struct cgt_ctl_stats stats;
	struct cgt_ctl_ops ops;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	tmp_tree(e->dir);
	snprintf(e->path, sizeof(e->path), "%s/ctl.sock", e->dir);
	assert_int_equal(cgt_ctl_listen(e->path, 0, &e->lfd), 0);
	e->ops = (struct cgt_ctl_ops){
		.status = fake_status, .metrics = fake_metrics, .reload = fake_reload,
		.timeout_msec = TMO, .stats = &e->stats,
	};
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	close(e->lfd);
	tmp_tree_remove(e->dir);
	free(e);
	return 0;
}

static int client(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void send_str(int fd, const char *s, size_t len)
{
	assert_int_equal(send(fd, s, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* Everything the daemon sent, up to its close (or a reset after it). */
static char *read_all(int fd)
{
	size_t len = 0, size = 4096;
	char *buf = malloc(size);

	assert_non_null(buf);
	for (;;) {
		ssize_t n;

		if (len + 1 == size) {
			size *= 2;
			buf = realloc(buf, size);
			assert_non_null(buf);
		}
		n = read(fd, buf + len, size - len - 1);
		if (n > 0) {
			len += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		assert_true(n == 0 || errno == ECONNRESET);
		break;
	}
	buf[len] = '\0';
	close(fd);
	return buf;
}

/* Send @req, let the daemon side handle it, return the reply. */
static char *ask(struct env *e, const char *req, int want_rc)
{
	int fd = client(e->path);

	send_str(fd, req, strlen(req));
	assert_int_equal(cgt_ctl_handle(e->lfd, &e->ops, &e->fake), want_rc);
	return read_all(fd);
}

static void expect_reply(struct env *e, const char *req, int want_rc, const char *want)
{
	char *got = ask(e, req, want_rc);

	if (strcmp(got, want)) {
		print_message("# request %s# got:\n%s# want:\n%s", req, got, want);
		fail();
	}
	free(got);
}

static void test_listen_mode(void **state)
{
	struct env *e = *state;
	struct stat st;

	assert_int_equal(lstat(e->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	/* nothing waiting: nothing done */
	assert_int_equal(cgt_ctl_handle(e->lfd, &e->ops, &e->fake), 0);
	assert_int_equal(e->stats.served + e->stats.bad + e->stats.denied, 0);
}

static void test_status(void **state)
{
	struct env *e = *state;

	expect_reply(e, "status\n", 1, "ok\nno cgroup is covered by a policy\n");
	assert_false(e->fake.json);
	expect_reply(e, "status json\n", 1, "ok\n{\"units\":[]}\n");
	assert_true(e->fake.json);
	expect_reply(e, "status\r\n", 1, "ok\nno cgroup is covered by a policy\n");
	assert_int_equal(e->fake.calls, 3);
	expect_reply(e, "metrics\n", 1, "ok\n# TYPE cgtierd_units gauge\ncgtierd_units 0\n");
	expect_reply(e, "version\n", 1, "ok\ncgtierd " PACKAGE_VERSION "\nprotocol 1\n");
	expect_reply(e, "reload\n", 1, "ok\n");
	assert_int_equal(e->stats.served, 6);
}

/* The end of the stream ends a request too (printf 'status' | socat ...). */
static void test_no_newline(void **state)
{
	struct env *e = *state;
	int fd = client(e->path);
	char *got;

	send_str(fd, "version", 7);
	shutdown(fd, SHUT_WR);
	assert_int_equal(cgt_ctl_handle(e->lfd, &e->ops, &e->fake), 1);
	got = read_all(fd);
	assert_string_equal(got, "ok\ncgtierd " PACKAGE_VERSION "\nprotocol 1\n");
	free(got);
}

static void test_errors(void **state)
{
	struct env *e = *state;

	expect_reply(e, "frobnicate all\n", 1, "error: unknown command 'frobnicate'\n");
	expect_reply(e, "\n", 1, "error: unknown command ''\n");
	expect_reply(e, "status yaml\n", 1, "error: usage: status [json]\n");
	expect_reply(e, "status json \n", 1, "error: usage: status [json]\n");
	expect_reply(e, "metrics json\n", 1, "error: usage: metrics\n");
	expect_reply(e, "version 2\n", 1, "error: usage: version\n");
	/* no topology callback */
	expect_reply(e, "topology\n", 1, "error: not supported\n");
	/* a failed reload: its message on one line, the details after it */
	e->fake.reload_err = -EINVAL;
	expect_reply(e, "reload\n", 1, "error: configuration not loaded: 1 problem\n"
		     "cgtierd.yaml:3:5: unknown key 'hot_in_fats'\n");
	assert_int_equal(e->fake.calls, 0);
	assert_int_equal(e->stats.served, 8);
	assert_int_equal(e->stats.bad, 0);
}

static void test_malformed(void **state)
{
	struct env *e = *state;

	expect_reply(e, "sta\x01tus\n", -EBADMSG, "error: malformed request\n");
	expect_reply(e, "status \xc3\xa9\n", -EBADMSG, "error: malformed request\n");
	assert_int_equal(e->stats.bad, 2);
	assert_int_equal(e->fake.calls, 0);
}

/* 255 bytes and a newline is a request; 256 without one is too long. */
static void test_long_line(void **state)
{
	struct env *e = *state;
	char req[1024], want[128];

	memset(req, 'x', sizeof(req));
	req[CGT_CTL_REQUEST_MAX - 1] = '\n';
	req[CGT_CTL_REQUEST_MAX] = '\0';
	snprintf(want, sizeof(want), "error: unknown command '%.64s'\n", req);
	expect_reply(e, req, 1, want);

	req[CGT_CTL_REQUEST_MAX - 1] = 'x';
	req[sizeof(req) - 1] = '\0';
	expect_reply(e, req, -EMSGSIZE, "error: request too long\n");
	assert_int_equal(e->stats.bad, 1);
	/* the daemon is fine */
	expect_reply(e, "status\n", 1, "ok\nno cgroup is covered by a policy\n");
}

/* A client that connects and sends nothing: the call returns, timed out. */
static void test_silent_client(void **state)
{
	struct env *e = *state;
	int fd = client(e->path);
	char *got;

	assert_int_equal(cgt_ctl_handle(e->lfd, &e->ops, &e->fake), -ETIMEDOUT);
	got = read_all(fd);
	assert_true(!strcmp(got, "error: timed out\n") || !*got);
	free(got);
	/* half a line, then silence */
	fd = client(e->path);
	send_str(fd, "stat", 4);
	assert_int_equal(cgt_ctl_handle(e->lfd, &e->ops, &e->fake), -ETIMEDOUT);
	close(fd);
	/* connects and goes away */
	fd = client(e->path);
	close(fd);
	assert_int_equal(cgt_ctl_handle(e->lfd, &e->ops, &e->fake), -ENODATA);
	assert_int_equal(e->stats.bad, 3);
	assert_int_equal(e->fake.calls, 0);
	expect_reply(e, "status\n", 1, "ok\nno cgroup is covered by a policy\n");
}

/* In a child (no cmocka): read the reply on @fd, expect @want bytes. */
static int reading_client(int fd, size_t want)
{
	char buf[65536], head[13];
	size_t len = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (len < sizeof(head))
			memcpy(head + len, buf, (size_t)n < sizeof(head) - len ? (size_t)n :
			       sizeof(head) - len);
		len += (size_t)n;
	}
	return len == want && !memcmp(head, "ok\nline 0000\n", 13) ? 0 : 1;
}

/* A client that asks for a big reply and never reads it does not hold us. */
static void test_client_not_reading(void **state)
{
	struct env *e = *state;
	int fd = client(e->path);
	int r;

	e->fake.big = 8u << 20; /* far more than a socket buffer */
	send_str(fd, "status\n", 7);
	r = cgt_ctl_handle(e->lfd, &e->ops, &e->fake);
	assert_int_equal(r, -ETIMEDOUT);
	close(fd);
	/* one that reads gets all of it */
	fd = client(e->path);
	e->fake.big = 1u << 20;
	send_str(fd, "status\n", 7);
	/* the reply is larger than the socket buffer: read it in a child */
	{
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0)
			_exit(reading_client(fd, 3 + (1u << 20) / 10 * 10));
		close(fd);
		e->ops.timeout_msec = 10000; /* the child must be scheduled */
		assert_int_equal(cgt_ctl_handle(e->lfd, &e->ops, &e->fake), 1);
		assert_int_equal(waitpid(pid, &r, 0), pid);
		assert_true(WIFEXITED(r) && WEXITSTATUS(r) == 0);
	}
}

/* A reply over the cap is cut at a line end and says so. */
static void test_truncated(void **state)
{
	struct env *e = *state;
	char *got;

	e->ops.reply_max = 105;
	e->fake.big = 1000;
	got = ask(e, "status\n", 1);
	/* ten whole lines of 10 bytes fit in 105 */
	assert_string_equal(got, "ok\nline 0000\nline 0001\nline 0002\nline 0003\nline 0004\n"
			    "line 0005\nline 0006\nline 0007\nline 0008\nline 0009\n"
			    CGT_CTL_TRUNCATED " at 105 bytes\n");
	free(got);
}

/* A leftover socket no one listens on is replaced. */
static void test_stale_socket(void **state)
{
	struct env *e = *state;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[4200];
	int fd, lfd;

	snprintf(path, sizeof(path), "%s/stale.sock", e->dir);
	assert_true(strlen(path) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd); /* the path stays, no one listens */
	assert_int_equal(cgt_ctl_listen(path, 0600, &lfd), 0);
	fd = client(path);
	send_str(fd, "version\n", 8);
	assert_int_equal(cgt_ctl_handle(lfd, &e->ops, &e->fake), 1);
	free(read_all(fd));
	/* but one someone listens on is not taken over */
	assert_int_equal(cgt_ctl_listen(path, 0600, &fd), -EADDRINUSE);
	close(lfd);
}

/* A regular file (or a directory) at the path is never removed. */
static void test_not_a_socket(void **state)
{
	struct env *e = *state;
	char path[4200];
	struct stat st;
	int fd = -1;

	snprintf(path, sizeof(path), "%s/file", e->dir);
	tmp_put(e->dir, "file", "precious\n");
	assert_int_equal(cgt_ctl_listen(path, 0600, &fd), -EEXIST);
	assert_int_equal(fd, -1);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode) && st.st_size == 9);
	snprintf(path, sizeof(path), "%s/dir", e->dir);
	tmp_put(e->dir, "dir", NULL);
	assert_int_equal(cgt_ctl_listen(path, 0600, &fd), -EEXIST);
	/* and a symlink to a socket is not a socket */
	snprintf(path, sizeof(path), "%s/link", e->dir);
	assert_int_equal(symlink(e->path, path), 0);
	assert_int_equal(cgt_ctl_listen(path, 0600, &fd), -EEXIST);
	assert_int_equal(lstat(e->path, &st), 0);
}

static void test_listen_args(void **state)
{
	struct env *e = *state;
	char path[4200];
	struct stat st;
	int fd = -1;

	memset(path, 'a', 200);
	path[200] = '\0';
	assert_int_equal(cgt_ctl_listen(path, 0600, &fd), -ENAMETOOLONG);
	assert_int_equal(cgt_ctl_listen("", 0600, &fd), -EINVAL);
	assert_int_equal(cgt_ctl_listen(NULL, 0600, &fd), -EINVAL);
	assert_int_equal(cgt_ctl_listen(e->path, 04600, &fd), -EINVAL);
	assert_int_equal(fd, -1);
	assert_int_equal(cgt_ctl_handle(-1, &e->ops, NULL), -EINVAL);
	/* another mode on request, whatever the process's umask */
	snprintf(path, sizeof(path), "%.4000s/g.sock", e->dir);
	umask(0077);
	assert_int_equal(cgt_ctl_listen(path, 0660, &fd), 0);
	umask(0022);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0660);
	close(fd);
}

/*
 * In a child: connect to @path as nobody and expect the refusal.  No
 * cmocka here (a failed assert would run the parent's teardown): the exit
 * status says what went wrong.
 */
static int other_uid_client(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[256];
	size_t len = 0;
	ssize_t n;
	int fd;

	if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
		return 10;
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (strlen(path) >= sizeof(sa.sun_path))
		return 12;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return 20 + (errno & 63);
	(void)send(fd, "status\n", 7, MSG_NOSIGNAL);
	while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	return strcmp(buf, "error: permission denied\n") ? 11 : 0;
}

/* A peer that is neither root nor us is refused (needs root to test). */
static void test_peer_refused(void **state)
{
	struct env *e = *state;
	char path[4200];
	int lfd, status;
	struct pollfd p;
	pid_t pid;

	if (geteuid() != 0)
		skip();
	/* world-connectable, so only the peer check stands in the way */
	snprintf(path, sizeof(path), "%s/open.sock", e->dir);
	assert_int_equal(cgt_ctl_listen(path, 0666, &lfd), 0);
	assert_int_equal(chmod(e->dir, 0711), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(other_uid_client(path));
	p = (struct pollfd){ .fd = lfd, .events = POLLIN };
	assert_int_equal(poll(&p, 1, 10000), 1);
	assert_int_equal(cgt_ctl_handle(lfd, &e->ops, &e->fake), -EACCES);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(e->stats.denied, 1);
	assert_int_equal(e->fake.calls, 0);
	close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_listen_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_newline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_silent_client, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_not_reading, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_socket, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_socket, setup, teardown),
		cmocka_unit_test_setup_teardown(test_listen_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_refused, setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
