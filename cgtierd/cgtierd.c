// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cgtierd.c - the cgtier daemon's entry point.  This build has only the
 * configuration checker:
 *
 *   cgtierd --check-config [FILE...] [-- CGROUP-PATH...]
 *
 * validates the configuration (exit 0 or 1) and prints, for each cgroup
 * path, the Kubernetes identity read from it and the policy that applies.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgtierd/conf.h"
#include "cgtierd/k8s.h"
#include "cgtierd/match.h"

#ifndef CGT_SYSCONFDIR
#define CGT_SYSCONFDIR "/etc"
#endif
#define DEFAULT_MAIN CGT_SYSCONFDIR "/cgtierd/cgtierd.yaml"
#define DEFAULT_DROPINS CGT_SYSCONFDIR "/cgtierd/policies.d"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cgtierd --check-config [FILE...] [-- CGROUP-PATH...]\n"
		"       cgtierd --help | --version\n"
		"\n"
		"  --check-config  validate the configuration without running: the first\n"
		"                  FILE is the main file, the others drop-ins (a directory\n"
		"                  stands for its *.yaml files); without FILE, " DEFAULT_MAIN "\n"
		"                  and " DEFAULT_DROPINS ".  For each CGROUP-PATH (relative to\n"
		"                  the cgroup2 mount, absolute below it, or a line of\n"
		"                  /proc/PID/cgroup) print its Kubernetes identity and the\n"
		"                  policy that applies.  Exit status 0 if valid, 1 if not.\n"
		"  --help          show this help\n"
		"  --version       show the version\n"
		"\n"
		"This build has no daemon mode yet: only the options above.\n"
		"See cgtierd.yaml(5).\n");
}

static void print_policy(const struct cgt_policy *p)
{
	char q[32], m[32], pr[32], dr[32], h[32], hf[32];

	printf("policy %s (%s:%u:%u): mode=%s hot_age=%s hot_in_fast=%s fast_quota=%s fast_min=%s priority=%u promote_rate=%s%s demote_rate=%s%s\n",
	       p->name, p->file, p->line, p->column, cgt_mode_name(p->mode),
	       cgt_format_duration(p->hot_age_usec, h, sizeof(h)),
	       cgt_format_percent(p->hot_in_fast, hf, sizeof(hf)),
	       cgt_format_amount(&p->fast_quota, q, sizeof(q)),
	       cgt_format_amount(&p->fast_min, m, sizeof(m)), p->priority,
	       cgt_format_size(p->promote_rate, pr, sizeof(pr)),
	       p->promote_rate == CGT_UNLIMITED ? "" : "/s",
	       cgt_format_size(p->demote_rate, dr, sizeof(dr)),
	       p->demote_rate == CGT_UNLIMITED ? "" : "/s");
}

static void print_identity(const char *rel, const struct cgt_k8s_id *id)
{
	printf("  identity: %s", cgt_k8s_kind_name(id->kind));
	if (id->kind == CGT_K8S_NONE) {
		printf(" (not a Kubernetes cgroup)\n");
		return;
	}
	if (id->prefix_len)
		printf(" prefix=%.*s", (int)(id->prefix_len - 1), rel);
	printf(" driver=%s", cgt_k8s_driver_name(id->driver));
	if (id->kind != CGT_K8S_ROOT)
		printf(" qos=%s", cgt_k8s_qos_name(id->qos));
	if (id->pod_uid[0])
		printf(" pod_uid=%s", id->pod_uid);
	if (id->container_id[0])
		printf(" container_id=%s runtime=%s", id->container_id,
		       cgt_k8s_runtime_name(id->runtime));
	if (id->sub_off)
		printf(" below=%s", rel + id->sub_off);
	if (id->kind == CGT_K8S_CONTAINER)
		printf(" sandbox=unknown");
	else if (id->kind == CGT_K8S_CONMON)
		printf(" (pod infrastructure, not a container)");
	printf("\n");
}

static int check_cgroup(const struct cgt_config *c, const char *arg)
{
	char rel[CGT_CONF_PATH_MAX];
	struct cgt_k8s_id id;
	const struct cgt_policy *p;

	if (cgt_cgroup_relpath(arg, c->global.cgroup_root, rel, sizeof(rel)) < 0) {
		fprintf(stderr, "cgtierd: %s: cgroup path too long\n", arg);
		return -ENAMETOOLONG;
	}
	cgt_k8s_parse(rel, &id);
	printf("cgroup /%s\n", rel);
	print_identity(rel, &id);
	p = cgt_config_match(c, rel, &id);
	if (p)
		printf("  policy: %s (%s:%u:%u) mode=%s\n", p->name, p->file, p->line, p->column,
		       cgt_mode_name(p->mode));
	else
		printf("  policy: none (no policy matches)\n");
	if (!p && id.kind == CGT_K8S_CONMON)
		printf("  note: conmon scopes are pod infrastructure: kubernetes selectors never match them\n");
	else if (!p && (id.kind == CGT_K8S_POD || id.kind == CGT_K8S_QOS || id.kind == CGT_K8S_ROOT))
		printf("  note: kubernetes selectors match containers, or pods with level: pod\n");
	else if (!p && id.kind == CGT_K8S_POD_OTHER)
		printf("  note: not a container cgroup kubelet or a runtime would create\n");
	return 0;
}

static int check_config(int argc, char **argv)
{
	const char *defaults[] = { DEFAULT_MAIN, DEFAULT_DROPINS };
	const char **files = NULL;
	struct cgt_config *c = NULL;
	struct cgt_diag diag;
	int nfiles = 0, i, r, rc = 0, sep = argc;
	size_t k;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	}
	nfiles = sep;
	cgt_diag_init(&diag);
	if (nfiles == 0)
		r = cgt_config_load_paths(defaults, 2, true, geteuid(), &c, &diag);
	else {
		files = calloc((size_t)nfiles, sizeof(*files));
		if (!files) {
			fprintf(stderr, "cgtierd: out of memory\n");
			return 1;
		}
		for (i = 0; i < nfiles; i++)
			files[i] = argv[i];
		r = cgt_config_load_paths(files, (size_t)nfiles, false, geteuid(), &c, &diag);
		free(files);
	}
	for (k = 0; k < diag.n; k++)
		fprintf(stderr, "%s\n", diag.msg[k]);
	if (diag.dropped)
		fprintf(stderr, "cgtierd: %zu more errors not shown\n", diag.dropped);
	cgt_diag_clear(&diag);
	if (r < 0) {
		if (r == -ENOMEM)
			fprintf(stderr, "cgtierd: out of memory\n");
		return 1;
	}
	printf("configuration ok: %zu %s from %zu %s\n", c->n_policies,
	       c->n_policies == 1 ? "policy" : "policies", c->n_files,
	       c->n_files == 1 ? "file" : "files");
	for (k = 0; k < c->n_policies; k++)
		print_policy(&c->policies[k]);
	for (i = sep + 1; i < argc; i++)
		if (check_cgroup(c, argv[i]) < 0)
			rc = 1;
	cgt_config_free(c);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--check-config") == 0)
		return check_config(argc - 2, argv + 2);
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("cgtierd (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	if (argc < 2)
		fprintf(stderr, "cgtierd: this build has no daemon mode yet: use --check-config\n");
	else
		fprintf(stderr, "cgtierd: unsupported arguments starting at '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
