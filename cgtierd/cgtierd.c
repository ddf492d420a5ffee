// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cgtierd.c - the cgtier daemon: options, the event loop (sd-event), the
 * systemd protocol, and the configuration checker.
 *
 *   cgtierd [--config FILE] [--policies DIR] [--dry-run] [--periods N]
 *   cgtierd --check-config [FILE...] [-- CGROUP-PATH...]
 *
 * The loop: a period timer runs cgt_loop_period() (loop.h) every
 * global.period; SIGHUP reloads the configuration (the old one stays if
 * the new one is bad); SIGTERM and SIGINT stop.  Under systemd
 * (Type=notify) it sends READY=1 after the first period, STATUS= with a
 * one-line summary after every period, RELOADING=1 with MONOTONIC_USEC
 * around a reload, and WATCHDOG=1 from sd-event's watchdog support, which
 * pings only while the loop keeps turning.  The control socket (ctl.h)
 * and the HTTP /metrics endpoint (metrics.h, global.metrics) are served
 * from the same loop, between periods.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

#include "cgtier/cgroup.h"
#include "cgtier/parse.h"
#include "cgtierd/conf.h"
#include "cgtierd/ctl.h"
#include "cgtierd/k8s.h"
#include "cgtierd/log.h"
#include "cgtierd/loop.h"
#include "cgtierd/match.h"
#include "cgtierd/metrics.h"
#include "cgtierd/report.h"

#ifndef CGT_SYSCONFDIR
#define CGT_SYSCONFDIR "/etc"
#endif
#define DEFAULT_MAIN CGT_SYSCONFDIR "/cgtierd/cgtierd.yaml"
#define DEFAULT_DROPINS CGT_SYSCONFDIR "/cgtierd/policies.d"

/* Every option of the daemon mode. */
struct cgt_options {
	const char *config;   /* main file */
	const char *policies; /* drop-in directory */
	const char *root;     /* file-system root: "/" (tests: a fixture tree) */
	bool dry_run;         /* decide and report, write nothing */
	uint64_t periods;     /* stop after this many periods; 0: run on */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: cgtierd [OPTION...]\n"
		"       cgtierd --check-config [FILE...] [-- CGROUP-PATH...]\n"
		"       cgtierd --help | --version\n"
		"\n"
		"  -c, --config FILE    main configuration file (default " DEFAULT_MAIN ")\n"
		"  -p, --policies DIR   drop-in directory (default " DEFAULT_DROPINS ")\n"
		"  -n, --dry-run        measure, decide and report; write nothing\n"
		"      --periods N      stop after N control periods (default: run until\n"
		"                       SIGTERM)\n"
		"      --root DIR       read /sys and /proc below DIR (for tests)\n"
		"  --check-config       validate the configuration without running: the first\n"
		"                       FILE is the main file, the others drop-ins (a directory\n"
		"                       stands for its *.yaml files); without FILE, the default\n"
		"                       files.  For each CGROUP-PATH (relative to the cgroup2\n"
		"                       mount, absolute below it, or a line of /proc/PID/cgroup)\n"
		"                       print its Kubernetes identity and the policy that\n"
		"                       applies.  Exit status 0 if valid, 1 if not.\n"
		"  -h, --help           show this help\n"
		"  -V, --version        show the version\n"
		"\n"
		"Signals: SIGHUP reloads the configuration, SIGTERM stops.\n"
		"See cgtierd(8) and cgtierd.yaml(5).\n");
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

/* Load the configuration the options name; log its errors (and to @out). */
static int load_config(const struct cgt_options *o, struct cgt_config **ret,
		       FILE *out)
{
	struct cgt_diag diag;
	int r;

	cgt_diag_init(&diag);
	r = cgt_config_load(o->config, o->policies, geteuid(), ret, &diag);
	for (size_t k = 0; k < diag.n; k++) {
		cgt_err("%s", diag.msg[k]);
		if (out)
			fprintf(out, "%s\n", diag.msg[k]);
	}
	if (diag.dropped) {
		cgt_err("%zu more configuration errors not shown", diag.dropped);
		if (out)
			fprintf(out, "%zu more errors not shown\n", diag.dropped);
	}
	cgt_diag_clear(&diag);
	return r;
}

struct daemon {
	struct cgt_options opt;
	struct cgt_loop loop;
	sd_event *event;
	sd_event_source *timer;
	bool ready;
	uint64_t last_usec;        /* CLOCK_MONOTONIC at the last period's end */
	int ctl_fd;                /* the control socket, -1 if off */
	char ctl_path[CGT_CONF_SOCKET_MAX + 1];
	sd_event_source *ctl;
	struct cgt_ctl_stats ctl_stats;
	struct cgt_metrics metrics; /* global.metrics, off when the address is "" */
};

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void notify_status(struct daemon *d)
{
	char s[256];

	cgt_loop_summary(&d->loop, s, sizeof(s));
	sd_notifyf(0, "%sSTATUS=%s", d->ready ? "" : "READY=1\n", s);
	d->ready = true;
}

static void run_period(struct daemon *d)
{
	uint64_t t0 = now_usec();
	char s[256];
	int r;

	r = cgt_loop_period(&d->loop);
	if (r < 0) {
		cgt_err("period %llu: cannot read the machine: %s",
			(unsigned long long)(d->loop.stats.periods +
					     d->loop.stats.failed),
			strerror(-r));
	} else {
		cgt_debug("%s; period took %llu ms, %llu pages tracked",
			  cgt_loop_summary(&d->loop, s, sizeof(s)),
			  (unsigned long long)(now_usec() - t0) / 1000,
			  (unsigned long long)d->loop.hot.stats.pages);
		d->last_usec = now_usec();
	}
	notify_status(d);
	if (d->opt.periods &&
	    d->loop.stats.periods + d->loop.stats.failed >= d->opt.periods)
		sd_event_exit(d->event, 0);
}

static int on_timer(sd_event_source *s, uint64_t usec, void *arg)
{
	struct daemon *d = arg;

	run_period(d);
	return sd_event_source_set_time(s, usec + d->loop.cfg->global.period_usec);
}

/*
 * Serve global.metrics where the configuration says.  A reload that moves
 * it and cannot bind the new address keeps the old listener (the rest of
 * the new configuration is in force): logged, and told to @out.
 */
static int update_metrics(struct daemon *d, FILE *out)
{
	const char *want = d->loop.cfg->global.metrics;
	const struct cgt_netaddr *at = cgt_metrics_address(&d->metrics);
	char was[CGT_NETADDR_MAX + 1] = "off", now[CGT_NETADDR_MAX + 1] = "off", msg[256];
	int r;

	if (at)
		cgt_netaddr_format(at, was, sizeof(was));
	r = cgt_metrics_set_text(&d->metrics, want);
	at = cgt_metrics_address(&d->metrics);
	if (at)
		cgt_netaddr_format(at, now, sizeof(now));
	if (r == 0) {
		if (strcmp(was, now) != 0)
			cgt_notice("metrics: %s%s%s", at ? "serving http://" : "", now,
				   at ? CGT_METRICS_PATH : "");
		return 0;
	}
	snprintf(msg, sizeof(msg), "metrics: cannot listen on %s: %s; %s%s", want, strerror(-r),
		 at ? "still serving on " : "not serving", at ? now : "");
	cgt_err("%s", msg);
	if (out)
		fprintf(out, "%s\n", msg);
	return r;
}

/*
 * Reload: the new configuration replaces the old one only if it is valid.
 * Its messages also go to @out (the control socket's reply) if not NULL.
 */
static int reload(struct daemon *d, FILE *out)
{
	struct cgt_config *c = NULL;
	int r;

	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
		   (unsigned long long)now_usec());
	r = load_config(&d->opt, &c, out);
	if (r < 0) {
		cgt_err("reload failed: the configuration in force is unchanged");
		sd_notify(0, "READY=1\nSTATUS=reload failed: configuration unchanged");
		return r;
	}
	cgt_loop_set_config(&d->loop, c);
	cgt_log_set_level(c->global.log_level);
	cgt_notice("configuration reloaded: %zu policies", c->n_policies);
	(void)update_metrics(d, out);
	sd_notify(0, "READY=1");
	run_period(d);
	return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si,
		     void *arg)
{
	struct daemon *d = arg;

	(void)s;
	if (si->ssi_signo == SIGHUP) {
		reload(d, NULL);
		return 0;
	}
	cgt_notice("signal %u: stopping", si->ssi_signo);
	sd_notify(0, "STOPPING=1");
	return sd_event_exit(d->event, 0);
}

/* --- the control socket (ctl.h): status, topology, metrics, reload --- */

/*
 * The last period as a report, written by @fmt into @out.  Built when asked
 * for, from what the loop keeps anyway, not after every period.
 */
static int ctl_report(struct daemon *d, int (*fmt)(const struct cgt_report *, FILE *),
		      FILE *out, char *err, size_t errlen)
{
	struct cgt_report r;
	int ret;

	cgt_report_init(&r);
	ret = cgt_loop_report(&d->loop, d->last_usec, &r);
	if (ret == -ENODATA) {
		snprintf(err, errlen, "no control period has completed yet");
		return -EAGAIN;
	}
	if (ret == 0)
		ret = fmt(&r, out);
	cgt_report_clear(&r);
	return ret;
}

static int ctl_status(void *arg, bool json, FILE *out, char *err, size_t errlen)
{
	return ctl_report(arg, json ? cgt_report_json : cgt_report_table, out, err, errlen);
}

static int ctl_topology(void *arg, bool json, FILE *out, char *err, size_t errlen)
{
	struct daemon *d = arg;

	if (!d->loop.have_topo) {
		snprintf(err, errlen, "the memory tiers have not been read yet");
		return -EAGAIN;
	}
	return cgt_topology_report(&d->loop.topo, out, json);
}

static int ctl_metrics(void *arg, FILE *out, char *err, size_t errlen)
{
	return ctl_report(arg, cgt_report_prometheus, out, err, errlen);
}

static int ctl_reload(void *arg, FILE *out, char *err, size_t errlen)
{
	struct daemon *d = arg;
	int r = reload(d, out);

	if (r < 0)
		snprintf(err, errlen, "the configuration is not valid: the one in force is unchanged");
	else
		fprintf(out, "configuration reloaded: %zu policies\n",
			d->loop.cfg->n_policies);
	return r;
}

static int on_ctl(sd_event_source *s, int fd, uint32_t events, void *arg)
{
	struct daemon *d = arg;
	const struct cgt_ctl_ops ops = {
		.status = ctl_status,
		.topology = ctl_topology,
		.metrics = ctl_metrics,
		.reload = ctl_reload,
		.stats = &d->ctl_stats,
	};

	(void)s;
	(void)events;
	/* A few connections per wakeup, so the timer is never starved. */
	for (int i = 0; i < 8; i++)
		if (cgt_ctl_handle(fd, &ops, d) == 0)
			break;
	return 0;
}

/* The socket of global.socket, its directory made if missing (0700). */
static int setup_ctl(struct daemon *d)
{
	const char *path = d->loop.cfg->global.socket;
	char dir[CGT_CONF_SOCKET_MAX + 1], *slash;
	int r;

	d->ctl_fd = -1;
	if (!path[0])
		return 0;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return -errno;
	}
	r = cgt_ctl_listen(path, CGT_CTL_MODE, &d->ctl_fd);
	if (r < 0)
		return r;
	snprintf(d->ctl_path, sizeof(d->ctl_path), "%s", path);
	return sd_event_add_io(d->event, &d->ctl, d->ctl_fd, EPOLLIN, on_ctl, d);
}

static int setup_events(struct daemon *d)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	sigset_t ss;
	int r;

	r = sd_event_default(&d->event);
	if (r < 0)
		return r;
	sigemptyset(&ss);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&ss, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &ss, NULL) < 0)
		return -errno;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		r = sd_event_add_signal(d->event, NULL, sigs[i], on_signal, d);
		if (r < 0)
			return r;
	}
	/* The first period at once, then every period. */
	/* accuracy 1 us, not the default 250 ms: periods as configured */
	r = sd_event_add_time(d->event, &d->timer, CLOCK_MONOTONIC, now_usec(),
			      1, on_timer, d);
	if (r < 0)
		return r;
	r = sd_event_source_set_enabled(d->timer, SD_EVENT_ON);
	if (r < 0)
		return r;

	return sd_event_set_watchdog(d->event, true);
}

/* NUMA balancing moves pages too: say so once, at start. */
static void warn_numa_balancing(const struct cgt_fs *fs)
{
	uint64_t mode;

	if (cgt_fs_read_u64(fs, "/proc/sys/kernel/numa_balancing", &mode) == 0 && mode)
		cgt_warn("kernel.numa_balancing is %llu: the kernel migrates pages too, against cgtierd's placement; set it to 0 where cgtierd runs",
			 (unsigned long long)mode);
}

/*
 * Exit status of a start-up failure that starting again cannot cure (no
 * valid configuration, no cgroup2 hierarchy): EX_CONFIG, which the unit's
 * RestartPreventExitStatus= names, so that systemd leaves the unit failed
 * instead of restarting it every RestartSec= for ever.
 */
#define CGT_EXIT_PERMANENT EX_CONFIG

static int run_daemon(const struct cgt_options *o)
{
	struct daemon d;
	struct cgt_config *c = NULL;
	bool permanent = false;
	int r;

	memset(&d, 0, sizeof(d));
	d.opt = *o;
	d.ctl_fd = -1;
	cgt_log_setup(CGT_LOG_INFO);
	if (load_config(o, &c, NULL) < 0) {
		cgt_err("no valid configuration: not starting");
		return CGT_EXIT_PERMANENT;
	}
	cgt_log_set_level(c->global.log_level);
	r = cgt_loop_init(&d.loop, o->root, c, o->dry_run);
	if (r < 0) {
		cgt_err("%s: %s", o->root, strerror(-r));
		goto out;
	}
	if (strcmp(c->global.cgroup_root, CGT_CGROUP_ROOT) != 0) {
		cgt_err("global.cgroup_root %s: only %s is supported by the daemon",
			c->global.cgroup_root, CGT_CGROUP_ROOT);
		r = -EINVAL;
		permanent = true;
		goto out;
	}
	/* A fixture tree (--root) is no mount; the real root must be cgroup2. */
	if (strcmp(o->root, "/") == 0) {
		r = cgt_cgroup_is_unified(&d.loop.fs);
		if (r < 0) {
			cgt_err("%s: %s", CGT_CGROUP_ROOT, strerror(-r));
			goto out;
		}
		if (r != 1) {
			cgt_err("%s is not a cgroup2 mount (cgroup v1 or hybrid): cgtierd needs the unified hierarchy",
				CGT_CGROUP_ROOT);
			r = -EMEDIUMTYPE;
			permanent = true;
			goto out;
		}
	}
	warn_numa_balancing(&d.loop.fs);
	r = setup_events(&d);
	if (r < 0) {
		cgt_err("event loop: %s", strerror(-r));
		goto out;
	}
	r = setup_ctl(&d);
	if (r < 0) {
		cgt_err("control socket %s: %s", c->global.socket, strerror(-r));
		goto out;
	}
	/* the same figures as the control socket's "metrics", over HTTP */
	cgt_metrics_init(&d.metrics, d.event, ctl_metrics, &d);
	r = update_metrics(&d, NULL);
	if (r < 0)
		goto out;
	cgt_notice("started (%s %s)%s, period %llu ms, %zu policies", PACKAGE_NAME,
		   PACKAGE_VERSION, o->dry_run ? ", dry run" : "",
		   (unsigned long long)(c->global.period_usec / 1000),
		   c->n_policies);
	r = sd_event_loop(d.event);
	if (r < 0)
		cgt_err("event loop: %s", strerror(-r));
out:
	cgt_metrics_clear(&d.metrics);
	sd_event_source_unref(d.ctl);
	if (d.ctl_fd >= 0) {
		close(d.ctl_fd);
		unlink(d.ctl_path);
	}
	sd_event_source_unref(d.timer);
	sd_event_unref(d.event);
	cgt_loop_clear(&d.loop);
	if (r >= 0)
		return 0;
	return permanent ? CGT_EXIT_PERMANENT : 1;
}

static int parse_options(int argc, char **argv, struct cgt_options *o)
{
	enum { OPT_PERIODS = 0x100, OPT_ROOT };
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "policies", required_argument, NULL, 'p' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "periods", required_argument, NULL, OPT_PERIODS },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool help = false, version = false;
	int c;

	o->config = DEFAULT_MAIN;
	o->policies = DEFAULT_DROPINS;
	o->root = "/";
	while ((c = getopt_long(argc, argv, "c:p:nhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 'p':
			o->policies = optarg;
			break;
		case 'n':
			o->dry_run = true;
			break;
		case OPT_PERIODS:
			if (cgt_parse_u64(optarg, &o->periods) < 0) {
				fprintf(stderr, "cgtierd: --periods: not a number: %s\n", optarg);
				usage(stderr);
				return 2;
			}
			break;
		case OPT_ROOT:
			o->root = optarg;
			break;
		case 'h':
			help = true;
			break;
		case 'V':
			version = true;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cgtierd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (help) {
		usage(stdout);
		return 0;
	}
	if (version) {
		printf("cgtierd (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct cgt_options o;
	int r;

	if (argc >= 2 && strcmp(argv[1], "--check-config") == 0)
		return check_config(argc - 2, argv + 2);
	memset(&o, 0, sizeof(o));
	r = parse_options(argc, argv, &o);
	if (r >= 0)
		return r;
	return run_daemon(&o);
}
