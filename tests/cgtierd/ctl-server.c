// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ctl-server.c - a stand-in for cgtierd's control socket, for
 * cgtierctl.test: listens on SOCKET, answers N connections with canned
 * replies through cgt_ctl_handle() (status, status json, metrics; reload
 * fails with details; no topology), and exits; an optional third argument
 * caps the replies (struct cgt_ctl_ops.reply_max).  It leaves the socket in
 * place, so N = 0 makes a stale socket.  Exit 1 if no client came within
 * 10 s.
 */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgtierd/ctl.h"

static int status(void *arg, bool json, FILE *out, char *err, size_t errlen)
{
	fputs(json ? "{\"units\":[]}\n" : "cgtierd stand-in\nno cgroup is covered by a policy\n", out);
	return 0;
}

static int metrics(void *arg, FILE *out, char *err, size_t errlen)
{
	fputs("# HELP cgtierd_units Units.\n# TYPE cgtierd_units gauge\ncgtierd_units 0\n", out);
	return 0;
}

static int reload(void *arg, FILE *out, char *err, size_t errlen)
{
	fputs("cgtierd.yaml:3:5: unknown key 'hot_in_fats'\n", out);
	snprintf(err, errlen, "configuration not loaded: 1 problem");
	return -22;
}

int main(int argc, char **argv)
{
	struct cgt_ctl_ops ops = { .status = status, .metrics = metrics, .reload = reload };
	int fd, r, n;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: ctl-server SOCKET N [REPLY-MAX]\n");
		return 2;
	}
	if (argc == 4)
		ops.reply_max = strtoul(argv[3], NULL, 10);
	signal(SIGPIPE, SIG_IGN);
	r = cgt_ctl_listen(argv[1], 0600, &fd);
	if (r < 0) {
		fprintf(stderr, "ctl-server: %s: %s\n", argv[1], strerror(-r));
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (n = atoi(argv[2]); n > 0; n--) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 10000) != 1) {
			fprintf(stderr, "ctl-server: no client\n");
			return 1;
		}
		r = cgt_ctl_handle(fd, &ops, NULL);
		if (r < 0)
			fprintf(stderr, "ctl-server: %s\n", strerror(-r));
		if (r == 0)
			n++; /* nothing was waiting after all */
	}
	return 0;
}
