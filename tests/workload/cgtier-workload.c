// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cgtier-workload - a memory workload that knows its own ground truth.
 *
 * It allocates a buffer, fills every page with a pattern derived from
 * (seed, page, word), and accesses it with a chosen pattern while counting
 * the accesses of every page itself.  At the end of each window it asks the
 * kernel where every page is (move_pages(2) without target nodes) and prints
 * the access-weighted fast-tier hit ratio next to the best any placement of
 * the same fast-tier budget could have achieved.  The page contents are
 * verified at the end, so migration bugs that lose or mix up data show.
 *
 * See man/cgtier-workload.1 for the options and the output format.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "cgtier/fs.h"
#include "cgtier/mempolicy.h"
#include "metrics.h"
#include "cgtier/nodemask.h"
#include "cgtier/parse.h"
#include "cgtier/rng.h"
#include "tlb.h"
#include "cgtier/topology.h"

#define PROG "cgtier-workload"

#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

#define MIB (UINT64_C(1) << 20)
#define MAX_SIZE_MIB (UINT64_C(1) << 20)   /* 1 TiB */
#define MAX_WINDOWS UINT64_C(1000000000)
#define MIN_SECONDS 0.001
#define MAX_WINDOW_SECONDS 86400.0
#define MAX_MOVE_SECONDS 1e6

#define CLOCK_EVERY 4096    /* accesses between clock reads */
#define MAX_BAD_REPORTS 5   /* corrupt pages described on stderr */

#ifndef PR_SET_THP_DISABLE
#define PR_SET_THP_DISABLE 41
#endif

enum pattern {
	PAT_HOTSET,
	PAT_ZIPF,
	PAT_MOVING,
	PAT_STREAM,
};

static const char *const pattern_names[] = {
	[PAT_HOTSET] = "hotset",
	[PAT_ZIPF] = "zipf",
	[PAT_MOVING] = "moving",
	[PAT_STREAM] = "stream",
};

struct options {
	uint64_t size_mib;
	enum pattern pattern;
	uint64_t hot_mib;         /* 0: W/8 */
	double hot_share;         /* percent */
	double zipf_skew;
	double move_every;        /* seconds */
	double window;            /* seconds */
	uint64_t windows;         /* 0: until a signal */
	struct cgt_nodemask fast;
	bool fast_given;
	uint64_t fast_mib;
	bool fast_mib_given;
	int place;                /* -1: none */
	double write_share;       /* percent */
	uint64_t seed;
	bool thp;
	double tlb_flush_ms;      /* 0: never */
	bool quiet;
	/* which pattern-specific options were given, to reject misuse */
	bool hot_given, share_given, skew_given, move_given;
};

struct workload {
	struct options opt;
	struct cgt_topology topo;

	size_t page_size;
	size_t words_per_page;    /* a power of two */
	size_t nr_pages;
	char *mem;                /* the buffer; NULL until mapped */
	size_t mem_len;

	uint64_t *counts;         /* accesses per page, this window */
	uint64_t *prev;           /* accesses per page, previous window */
	uint64_t *scratch;
	int *status;              /* node per page, or -errno */
	uint32_t *perm;           /* zipf: rank -> page */
	struct wl_zipf zipf;

	struct cgt_rng rng;
	uint64_t fill_key;

	/* hotset / moving */
	size_t hot_pages;
	size_t hot_first;         /* first page of the current hot region */
	uint64_t hot_epoch;       /* moving: how many times it has moved */
	size_t nr_regions;        /* disjoint hot regions (moving) */
	uint64_t hot_thresh;      /* hot if 32 random bits < this */
	uint64_t write_thresh;    /* write if 32 random bits < this */
	size_t stream_next;

	uint64_t budget_pages;    /* -K, capped at nr_pages */
	double start;             /* monotonic time the access phase began */
	double next_tlb_flush;    /* --tlb-flush-ms: when to flush next */
	uint64_t tlb_flushes;
	uint64_t sink;
	bool filled;              /* the buffer holds the pattern */

	/* per window, from the status query */
	uint64_t node_pages[CGT_MAX_NODES];
	size_t absent_pages;
	uint64_t fast_pages;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* ---- small helpers --------------------------------------------------------- */

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void note(const struct workload *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A header line ("# ..."), unless --quiet. */
static void note(const struct workload *w, const char *fmt, ...)
{
	va_list ap;

	if (w->opt.quiet)
		return;
	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

static void errmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void errmsg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Percent in [0, 100] -> threshold for 32 random bits, in [0, 2^32]. */
static uint64_t pct_threshold(double pct)
{
	return (uint64_t)llround(pct / 100.0 * 4294967296.0);
}

static uint64_t expected_word(const struct workload *w, size_t page, size_t word)
{
	uint64_t x = w->fill_key ^ ((uint64_t)page * w->words_per_page + word);

	/* splitmix64's output function is a bijection of its state. */
	return cgt_splitmix64(&x);
}

/* ---- option parsing -------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
"Usage: %s [OPTION]...\n"
"Access a buffer with a known pattern and report, per window, how well the\n"
"pages' placement on the fast memory tier matched the accesses.\n"
"\n"
"  -s, --size MIB          footprint W (default 256)\n"
"  -p, --pattern NAME      hotset, zipf, moving or stream (default hotset)\n"
"  -H, --hot MIB           hot set size for hotset/moving (default W/8)\n"
"  -f, --hot-share PCT     share of accesses to the hot set (default 90)\n"
"  -z, --zipf-skew S       Zipf exponent for zipf (default 0.99)\n"
"  -m, --move-every SEC    moving: shift the hot set every SEC seconds (default 10)\n"
"  -w, --window SEC        window length, may be fractional (default 1)\n"
"  -n, --windows N         number of windows; 0 = until SIGINT/SIGTERM (default 10)\n"
"  -F, --fast-nodes LIST   fast-tier nodes, e.g. 0-1,3 (default: fastest tier)\n"
"  -K, --fast-mib MIB      oracle budget (default: the pages on fast nodes)\n"
"      --place NODE        move every page to NODE after filling\n"
"      --write-share PCT   share of accesses that are writes (default 0)\n"
"      --seed N            random seed (default 1)\n"
"      --thp               allow transparent huge pages (default: disabled)\n"
"      --tlb-flush-ms MS   flush own TLB every MS ms (emulated-CPU testbeds)\n"
"  -q, --quiet             print only the verify line\n"
"  -h, --help              show this help\n"
"  -V, --version           show the version\n"
"\n"
"Exit status: 0 verified, 1 corrupt pages or a fatal error, 2 usage error.\n",
		PROG);
}

static int parse_double(const char *s, double min, double max, double *ret)
{
	char *end;
	double v;

	if ((*s < '0' || *s > '9') && *s != '.')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0' || end == s)
		return -EINVAL;
	if (errno == ERANGE || !isfinite(v) || v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

static int bad_value(const char *opt, const char *arg, const char *what)
{
	errmsg("%s: invalid value '%s': expected %s", opt, arg, what);
	return -1;
}

static int opt_u64(const char *opt, const char *arg, uint64_t min,
		   uint64_t max, const char *what, uint64_t *ret)
{
	return cgt_parse_u64_range(arg, min, max, ret) < 0 ?
	       bad_value(opt, arg, what) : 0;
}

static int opt_double(const char *opt, const char *arg, double min,
		      double max, const char *what, double *ret)
{
	return parse_double(arg, min, max, ret) < 0 ? bad_value(opt, arg, what) : 0;
}

static int opt_pattern(const char *arg, enum pattern *ret)
{
	for (size_t i = 0; i < sizeof(pattern_names) / sizeof(pattern_names[0]); i++) {
		if (strcmp(arg, pattern_names[i]) == 0) {
			*ret = (enum pattern)i;
			return 0;
		}
	}
	return bad_value("--pattern", arg, "hotset, zipf, moving or stream");
}

static int opt_nodes(const char *arg, struct cgt_nodemask *ret)
{
	struct cgt_nodemask m;

	if (cgt_nodemask_parse(arg, &m) < 0)
		return bad_value("--fast-nodes", arg,
				 "a node list such as 0 or 0-1,3");
	if (cgt_nodemask_empty(&m))
		return bad_value("--fast-nodes", arg, "at least one node");
	*ret = m;
	return 0;
}

enum {
	OPT_PLACE = 256,
	OPT_WRITE_SHARE,
	OPT_SEED,
	OPT_THP,
	OPT_TLB_FLUSH,
};

static const struct option long_options[] = {
	{ "size", required_argument, NULL, 's' },
	{ "pattern", required_argument, NULL, 'p' },
	{ "hot", required_argument, NULL, 'H' },
	{ "hot-share", required_argument, NULL, 'f' },
	{ "zipf-skew", required_argument, NULL, 'z' },
	{ "move-every", required_argument, NULL, 'm' },
	{ "window", required_argument, NULL, 'w' },
	{ "windows", required_argument, NULL, 'n' },
	{ "fast-nodes", required_argument, NULL, 'F' },
	{ "fast-mib", required_argument, NULL, 'K' },
	{ "place", required_argument, NULL, OPT_PLACE },
	{ "write-share", required_argument, NULL, OPT_WRITE_SHARE },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "thp", no_argument, NULL, OPT_THP },
	{ "tlb-flush-ms", required_argument, NULL, OPT_TLB_FLUSH },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void default_options(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->size_mib = 256;
	o->pattern = PAT_HOTSET;
	o->hot_share = 90.0;
	o->zipf_skew = 0.99;
	o->move_every = 10.0;
	o->window = 1.0;
	o->windows = 10;
	o->place = -1;
	o->seed = 1;
}

/* One option; -1 on a bad value. */
static int handle_option(struct options *o, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case 's':
		return opt_u64("--size", arg, 1, MAX_SIZE_MIB,
			       "MiB from 1 to 1048576", &o->size_mib);
	case 'p':
		return opt_pattern(arg, &o->pattern);
	case 'H':
		o->hot_given = true;
		return opt_u64("--hot", arg, 1, MAX_SIZE_MIB,
			       "MiB from 1 to 1048576", &o->hot_mib);
	case 'f':
		o->share_given = true;
		return opt_double("--hot-share", arg, 0.0, 100.0,
				  "a percentage from 0 to 100", &o->hot_share);
	case 'z':
		o->skew_given = true;
		return opt_double("--zipf-skew", arg, 0.0, WL_ZIPF_MAX_SKEW,
				  "an exponent from 0 to 100", &o->zipf_skew);
	case 'm':
		o->move_given = true;
		return opt_double("--move-every", arg, MIN_SECONDS, MAX_MOVE_SECONDS,
				  "seconds from 0.001 to 1000000", &o->move_every);
	case 'w':
		return opt_double("--window", arg, MIN_SECONDS, MAX_WINDOW_SECONDS,
				  "seconds from 0.001 to 86400", &o->window);
	case 'n':
		return opt_u64("--windows", arg, 0, MAX_WINDOWS,
			       "a count from 0 to 1000000000", &o->windows);
	case 'F':
		o->fast_given = true;
		return opt_nodes(arg, &o->fast);
	case 'K':
		o->fast_mib_given = true;
		return opt_u64("--fast-mib", arg, 0, MAX_SIZE_MIB,
			       "MiB from 0 to 1048576", &o->fast_mib);
	case OPT_PLACE:
		if (opt_u64("--place", arg, 0, CGT_MAX_NODES - 1,
			    "a node id from 0 to 1023", &v) < 0)
			return -1;
		o->place = (int)v;
		return 0;
	case OPT_WRITE_SHARE:
		return opt_double("--write-share", arg, 0.0, 100.0,
				  "a percentage from 0 to 100", &o->write_share);
	case OPT_SEED:
		return opt_u64("--seed", arg, 0, UINT64_MAX,
			       "an unsigned 64-bit decimal number", &o->seed);
	case OPT_THP:
		o->thp = true;
		return 0;
	case OPT_TLB_FLUSH:
		return opt_double("--tlb-flush-ms", arg, 0.0, MAX_WINDOW_SECONDS * 1000,
				  "milliseconds, 0 for never", &o->tlb_flush_ms);
	case 'q':
		o->quiet = true;
		return 0;
	default:
		return -1;
	}
}

/* Combinations that make no sense for the chosen pattern. */
static int check_pattern_options(const struct options *o)
{
	const char *name = pattern_names[o->pattern];
	bool hot = o->pattern == PAT_HOTSET || o->pattern == PAT_MOVING;

	if (!hot && o->hot_given) {
		errmsg("--hot applies to the hotset and moving patterns, not %s", name);
		return -1;
	}
	if (!hot && o->share_given) {
		errmsg("--hot-share applies to the hotset and moving patterns, not %s",
		       name);
		return -1;
	}
	if (o->pattern != PAT_ZIPF && o->skew_given) {
		errmsg("--zipf-skew applies to the zipf pattern, not %s", name);
		return -1;
	}
	if (o->pattern != PAT_MOVING && o->move_given) {
		errmsg("--move-every applies to the moving pattern, not %s", name);
		return -1;
	}
	if (o->hot_given && o->pattern == PAT_HOTSET && o->hot_mib >= o->size_mib) {
		errmsg("--hot %" PRIu64 " must be smaller than --size %" PRIu64,
		       o->hot_mib, o->size_mib);
		return -1;
	}
	if (o->hot_given && o->pattern == PAT_MOVING && o->hot_mib * 2 > o->size_mib) {
		errmsg("--hot %" PRIu64 " must be at most half of --size %" PRIu64
		       " so that the hot set can move to a disjoint region",
		       o->hot_mib, o->size_mib);
		return -1;
	}
	if (o->fast_mib_given && o->fast_mib > o->size_mib) {
		errmsg("--fast-mib %" PRIu64 " must not exceed --size %" PRIu64,
		       o->fast_mib, o->size_mib);
		return -1;
	}
	return 0;
}

/*
 * Returns 0 to run, 1 when --help or --version was handled, -1 on a usage
 * error (already reported).
 */
static int parse_args(int argc, char **argv, struct options *o)
{
	int c;

	default_options(o);
	while ((c = getopt_long(argc, argv, "s:p:H:f:z:m:w:n:F:K:qhV",
				long_options, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 1;
		}
		if (c == 'V') {
			printf("%s %s\n", PROG, PACKAGE_VERSION);
			return 1;
		}
		if (handle_option(o, c, optarg) < 0)
			return -1;
	}
	if (optind < argc) {
		errmsg("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return check_pattern_options(o);
}

/* ---- setup ----------------------------------------------------------------- */

static int load_topology(struct workload *w)
{
	struct cgt_fs fs;
	int r;

	r = cgt_fs_open(&fs, "/");
	if (r == 0) {
		r = cgt_topology_load(&fs, &w->topo);
		cgt_fs_close(&fs);
	}
	if (r < 0) {
		errmsg("cannot read the memory topology below /sys: %s", strerror(-r));
		return -1;
	}
	if (!w->opt.fast_given) {
		w->opt.fast = *cgt_topology_fast_nodes(&w->topo);
		if (cgt_nodemask_empty(&w->opt.fast)) {
			errmsg("the kernel reports no memory tier; use --fast-nodes");
			return -1;
		}
	}
	return 0;
}

/* Checks that need the topology; -1 is a usage error. */
static int check_nodes(const struct workload *w)
{
	int node;

	if (w->opt.place >= 0 && !cgt_nodemask_test(&w->topo.mem_nodes, w->opt.place)) {
		errmsg("--place %d: node %d has no memory", w->opt.place, w->opt.place);
		return -1;
	}
	cgt_nodemask_for_each(node, &w->opt.fast) {
		if (!cgt_nodemask_test(&w->topo.mem_nodes, node))
			errmsg("warning: fast node %d has no memory", node);
	}
	return 0;
}

static void *alloc_array(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

static int setup_layout(struct workload *w)
{
	long ps = sysconf(_SC_PAGESIZE);
	const struct options *o = &w->opt;

	if (ps < (long)sizeof(uint64_t) || (ps & (ps - 1)) != 0) {
		errmsg("unexpected page size %ld", ps);
		return -1;
	}
	w->page_size = (size_t)ps;
	w->words_per_page = w->page_size / sizeof(uint64_t);
	if (o->size_mib > SIZE_MAX / MIB) {
		errmsg("--size %" PRIu64 " MiB does not fit in the address space",
		       o->size_mib);
		return -1;
	}
	w->mem_len = (size_t)(o->size_mib * MIB);
	w->nr_pages = w->mem_len / w->page_size;
	if (w->nr_pages == 0 || w->nr_pages > UINT32_MAX) {
		errmsg("--size %" PRIu64 " MiB gives an unsupported page count",
		       o->size_mib);
		return -1;
	}
	if (o->hot_given)
		w->hot_pages = (size_t)(o->hot_mib * MIB / w->page_size);
	else
		w->hot_pages = w->nr_pages / 8 ? w->nr_pages / 8 : 1;
	w->nr_regions = w->nr_pages / w->hot_pages;
	/* Region 0 is the end of the buffer: filled last, so first-touch
	 * allocation is the most likely to have put it on a slow node. */
	w->hot_first = w->nr_pages - w->hot_pages;
	w->hot_thresh = pct_threshold(o->hot_share);
	w->write_thresh = pct_threshold(o->write_share);
	if (o->fast_mib_given) {
		uint64_t k = o->fast_mib * MIB / w->page_size;

		w->budget_pages = k < w->nr_pages ? k : w->nr_pages;
	}
	return 0;
}

static int setup_memory(struct workload *w)
{
	size_t n = w->nr_pages;
	void *p;

	if (!w->opt.thp && prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) < 0)
		errmsg("warning: cannot disable transparent huge pages: %s",
		       strerror(errno));
	p = mmap(NULL, w->mem_len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		errmsg("cannot map %" PRIu64 " MiB: %s", w->opt.size_mib,
		       strerror(errno));
		return -1;
	}
	w->mem = p;
	/* Best effort: ask for huge pages where the system only gives them
	 * on request (enabled=madvise). */
	if (w->opt.thp)
		(void)madvise(w->mem, w->mem_len, MADV_HUGEPAGE);

	w->counts = alloc_array(n, sizeof(*w->counts));
	w->prev = alloc_array(n, sizeof(*w->prev));
	w->scratch = alloc_array(n, sizeof(*w->scratch));
	w->status = alloc_array(n, sizeof(*w->status));
	if (!w->counts || !w->prev || !w->scratch || !w->status) {
		errmsg("cannot allocate the per-page counters: %s", strerror(ENOMEM));
		return -1;
	}
	return 0;
}

static int setup_pattern(struct workload *w, uint64_t perm_seed)
{
	struct cgt_rng rng;
	size_t n = w->nr_pages;
	int r;

	if (w->opt.pattern != PAT_ZIPF)
		return 0;
	r = wl_zipf_init(&w->zipf, n, w->opt.zipf_skew, NULL);
	if (r < 0) {
		errmsg("cannot build the Zipf table: %s", strerror(-r));
		return -1;
	}
	w->perm = alloc_array(n, sizeof(*w->perm));
	if (!w->perm) {
		errmsg("cannot allocate the Zipf permutation: %s", strerror(ENOMEM));
		return -1;
	}
	/* Fisher-Yates: rank i lives on page perm[i], hot pages scattered. */
	for (size_t i = 0; i < n; i++)
		w->perm[i] = (uint32_t)i;
	cgt_rng_seed(&rng, perm_seed);
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = (size_t)cgt_rng_below(&rng, (uint64_t)i + 1);
		uint32_t t = w->perm[i];

		w->perm[i] = w->perm[j];
		w->perm[j] = t;
	}
	return 0;
}

static void fill_memory(struct workload *w)
{
	for (size_t page = 0; page < w->nr_pages; page++) {
		uint64_t *p = (uint64_t *)(w->mem + page * w->page_size);

		for (size_t i = 0; i < w->words_per_page; i++)
			p[i] = expected_word(w, page, i);
	}
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* ---- the kernel's view: move_pages(2) --------------------------------------- */

/*
 * Move (@node >= 0) or just query (@node < 0) every page, writing each
 * page's resulting node or -errno to w->status.  -errno if a call failed
 * as a whole.
 */
static int move_pages_all(struct workload *w, int node)
{
	long r = cgt_move_range(0, w->mem, w->nr_pages, node, w->status,
				MPOL_MF_MOVE);

	return r < 0 ? (int)r : 0;
}

/* Tally w->status into per-node pages, absent pages and fast pages. */
static void tally_status(struct workload *w)
{
	memset(w->node_pages, 0, sizeof(w->node_pages));
	w->absent_pages = 0;
	w->fast_pages = 0;
	for (size_t i = 0; i < w->nr_pages; i++) {
		int node = w->status[i];

		if (node < 0 || node >= CGT_MAX_NODES) {
			w->absent_pages++;
			continue;
		}
		w->node_pages[node]++;
		if (cgt_nodemask_test(&w->opt.fast, node))
			w->fast_pages++;
	}
}

static int place_memory(struct workload *w)
{
	double t0 = mono_now();
	int node = w->opt.place;
	int r;

	r = move_pages_all(w, node);
	if (r < 0) {
		errmsg("move_pages to node %d: %s", node, strerror(-r));
		return -1;
	}
	tally_status(w);
	note(w, "place node=%d pages=%zu landed=%" PRIu64 " not_landed=%" PRIu64
	     " seconds=%.3f", node, w->nr_pages, w->node_pages[node],
	     (uint64_t)w->nr_pages - w->node_pages[node], mono_now() - t0);
	return 0;
}

/* ---- the access loop --------------------------------------------------------- */

static void update_hot_region(struct workload *w, double now)
{
	uint64_t epoch = (uint64_t)((now - w->start) / w->opt.move_every);
	size_t region = (size_t)(epoch % w->nr_regions);

	w->hot_first = w->nr_pages - (region + 1) * w->hot_pages;
	w->hot_epoch = epoch;
}

static inline size_t pick_hot_or_cold(struct workload *w)
{
	uint64_t r = cgt_rng_next(&w->rng);

	if ((r >> 32) < w->hot_thresh)
		return w->hot_first + (size_t)cgt_rng_below(&w->rng, w->hot_pages);
	/* Uniform over the pages outside the hot region. */
	r = cgt_rng_below(&w->rng, w->nr_pages - w->hot_pages);
	return r < w->hot_first ? (size_t)r : (size_t)r + w->hot_pages;
}

static inline size_t pick_page(struct workload *w)
{
	size_t page;

	switch (w->opt.pattern) {
	case PAT_ZIPF:
		return w->perm[wl_zipf_sample(&w->zipf, cgt_rng_double(&w->rng))];
	case PAT_STREAM:
		page = w->stream_next;
		w->stream_next = page + 1 == w->nr_pages ? 0 : page + 1;
		return page;
	case PAT_HOTSET:
	case PAT_MOVING:
	default:
		return pick_hot_or_cold(w);
	}
}

static void access_batch(struct workload *w, unsigned int nr)
{
	uint64_t sink = w->sink;

	for (unsigned int a = 0; a < nr; a++) {
		size_t page = pick_page(w);
		uint64_t r = cgt_rng_next(&w->rng);
		size_t word = (size_t)(r & (w->words_per_page - 1));
		volatile uint64_t *p =
			(uint64_t *)(w->mem + page * w->page_size) + word;

		if ((r >> 32) < w->write_thresh)
			*p = expected_word(w, page, word);
		else
			sink += *p;
		w->counts[page]++;
	}
	w->sink = sink;
}

/* --tlb-flush-ms: flush our TLB when it is due (see tests/workload/tlb.h). */
static int maybe_flush_tlb(struct workload *w, double now)
{
	int r;

	if (w->opt.tlb_flush_ms <= 0 || now < w->next_tlb_flush)
		return 0;
	r = wl_tlb_flush();
	if (r < 0) {
		errmsg("cannot flush the TLB: %s", strerror(-r));
		return -1;
	}
	w->tlb_flushes++;
	w->next_tlb_flush = now + w->opt.tlb_flush_ms / 1000.0;
	return 0;
}

/*
 * Access until the window's deadline or a signal; *@end is the time it
 * stopped.  -1 on a fatal error.
 */
static int run_window(struct workload *w, double deadline, double *end)
{
	double now;

	do {
		access_batch(w, CLOCK_EVERY);
		now = mono_now();
		if (w->opt.pattern == PAT_MOVING)
			update_hot_region(w, now);
		if (maybe_flush_tlb(w, now) < 0)
			return -1;
	} while (now < deadline && !stop_requested);
	*end = now;
	return 0;
}

/* ---- per-window report ------------------------------------------------------- */

static double ratio(double num, uint64_t den)
{
	return den ? num / (double)den : 0.0;
}

static void print_node_fields(const struct workload *w)
{
	for (int node = 0; node < CGT_MAX_NODES; node++) {
		if (!cgt_nodemask_test(&w->topo.mem_nodes, node) && !w->node_pages[node])
			continue;
		printf(" node%d_bytes=%" PRIu64, node,
		       w->node_pages[node] * (uint64_t)w->page_size);
	}
}

/* Share of the current hot region's pages on the fast tier (ground truth). */
static double hot_fast_share(const struct workload *w)
{
	size_t on = 0;

	for (size_t i = w->hot_first; i < w->hot_first + w->hot_pages; i++)
		if (w->status[i] >= 0 && cgt_nodemask_test(&w->opt.fast, w->status[i]))
			on++;
	return ratio((double)on, w->hot_pages);
}

static int report_window(struct workload *w, uint64_t idx, double t)
{
	uint64_t hits, total, oracle, k;
	double lagged, hit_r, oracle_r;
	size_t n = w->nr_pages;
	uint64_t *tmp;
	int r;

	r = move_pages_all(w, -1);
	if (r < 0) {
		errmsg("move_pages (query): %s", strerror(-r));
		return -1;
	}
	tally_status(w);
	k = w->opt.fast_mib_given ? w->budget_pages : w->fast_pages;
	r = wl_metrics_hits(w->counts, w->status, n, &w->opt.fast, &hits, &total);
	if (r == 0)
		r = wl_metrics_topk_sum(w->counts, n, (size_t)k, w->scratch, &oracle);
	if (r == 0)
		r = wl_metrics_lagged_oracle(w->prev, w->counts, n, (size_t)k,
					      w->scratch, &lagged);
	if (r < 0) {
		errmsg("computing the window's metrics: %s", strerror(-r));
		return -1;
	}
	hit_r = ratio((double)hits, total);
	oracle_r = ratio((double)oracle, total);
	if (!w->opt.quiet) {
		printf("window=%" PRIu64 " t=%.3f accesses=%" PRIu64
		       " hit=%.4f oracle=%.4f eff=%.4f oracle_lag=%.4f"
		       " fast_pages=%" PRIu64 " pages=%zu",
		       idx, t, total, hit_r, oracle_r,
		       oracle ? (double)hits / (double)oracle : 1.0,
		       ratio(lagged, total), w->fast_pages, n);
		print_node_fields(w);
		printf(" absent_pages=%zu", w->absent_pages);
		if (w->opt.pattern == PAT_HOTSET || w->opt.pattern == PAT_MOVING)
			printf(" hot_fast=%.4f", hot_fast_share(w));
		if (w->opt.pattern == PAT_MOVING)
			printf(" hot_epoch=%" PRIu64, w->hot_epoch);
		printf("\n");
		fflush(stdout);
	}
	/* This window becomes the history of the next one. */
	tmp = w->prev;
	w->prev = w->counts;
	w->counts = tmp;
	memset(w->counts, 0, n * sizeof(*w->counts));
	return 0;
}

static int run_windows(struct workload *w)
{
	w->start = mono_now();
	for (uint64_t idx = 1; w->opt.windows == 0 || idx <= w->opt.windows; idx++) {
		double end;

		if (stop_requested)
			break;
		if (run_window(w, mono_now() + w->opt.window, &end) < 0 ||
		    report_window(w, idx, end - w->start) < 0)
			return -1;
	}
	return 0;
}

/* ---- verification ------------------------------------------------------------ */

/* Number of pages whose contents differ from the fill pattern. */
static size_t verify_memory(const struct workload *w)
{
	size_t bad = 0;

	for (size_t page = 0; page < w->nr_pages; page++) {
		const uint64_t *p = (const uint64_t *)(w->mem + page * w->page_size);

		for (size_t i = 0; i < w->words_per_page; i++) {
			uint64_t want = expected_word(w, page, i);

			if (p[i] == want)
				continue;
			if (bad < MAX_BAD_REPORTS)
				errmsg("page %zu word %zu: expected 0x%016" PRIx64
				       " found 0x%016" PRIx64, page, i, want, p[i]);
			bad++;
			break;
		}
	}
	return bad;
}

/* ---- main -------------------------------------------------------------------- */

static void print_header(const struct workload *w, double fill_seconds)
{
	const struct options *o = &w->opt;
	char fast[256], mem[256];

	if (cgt_nodemask_format(&o->fast, fast, sizeof(fast)) < 0)
		snprintf(fast, sizeof(fast), "?");
	if (cgt_nodemask_format(&w->topo.mem_nodes, mem, sizeof(mem)) < 0)
		snprintf(mem, sizeof(mem), "?");
	note(w, "%s %s", PROG, PACKAGE_VERSION);
	note(w, "pattern=%s size_mib=%" PRIu64 " pages=%zu page_size=%zu seed=%" PRIu64
	     " thp=%s window=%.3f windows=%" PRIu64 " write_share=%.2f",
	     pattern_names[o->pattern], o->size_mib, w->nr_pages, w->page_size,
	     o->seed, o->thp ? "on" : "off", o->window, o->windows, o->write_share);
	if (o->pattern == PAT_HOTSET || o->pattern == PAT_MOVING)
		note(w, "hot_pages=%zu hot_share=%.2f hot_first=%zu hot_last=%zu",
		     w->hot_pages, o->hot_share, w->hot_first,
		     w->hot_first + w->hot_pages - 1);
	if (o->pattern == PAT_MOVING)
		note(w, "move_every=%.3f regions=%zu", o->move_every, w->nr_regions);
	if (o->pattern == PAT_ZIPF)
		note(w, "zipf_skew=%.3f", o->zipf_skew);
	note(w, "fast_nodes=%s fast_nodes_from=%s mem_nodes=%s tiers=%d topology=%s",
	     fast, o->fast_given ? "option" : "topology", mem, w->topo.nr_tiers,
	     w->topo.from_kernel ? "kernel" : "synthesised");
	if (o->fast_mib_given)
		note(w, "oracle_budget=fixed oracle_pages=%" PRIu64, w->budget_pages);
	else
		note(w, "oracle_budget=fast_pages");
	if (o->tlb_flush_ms > 0)
		note(w, "tlb_flush_ms=%.3f", o->tlb_flush_ms);
	note(w, "fill_seconds=%.3f", fill_seconds);
}

static void cleanup(struct workload *w)
{
	if (w->mem)
		munmap(w->mem, w->mem_len);
	free(w->counts);
	free(w->prev);
	free(w->scratch);
	free(w->status);
	free(w->perm);
	wl_zipf_free(&w->zipf);
}

/* Set up, fill, place: -1 fatal, -2 usage error. */
static int prepare(struct workload *w)
{
	uint64_t sm = w->opt.seed;
	double t0;

	if (load_topology(w) < 0)
		return -1;
	if (check_nodes(w) < 0)
		return -2;
	if (setup_layout(w) < 0 || setup_memory(w) < 0)
		return -1;
	w->fill_key = cgt_splitmix64(&sm);
	cgt_rng_seed(&w->rng, cgt_splitmix64(&sm));
	if (setup_pattern(w, cgt_splitmix64(&sm)) < 0)
		return -1;
	t0 = mono_now();
	fill_memory(w);
	w->filled = true;
	print_header(w, mono_now() - t0);
	if (w->opt.place >= 0 && place_memory(w) < 0)
		return -1;
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct workload *w;
	int rc = EXIT_OK, r;
	size_t bad;

	w = calloc(1, sizeof(*w));
	if (!w) {
		errmsg("out of memory");
		return EXIT_FAIL;
	}
	r = parse_args(argc, argv, &w->opt);
	if (r != 0) {
		if (r < 0)
			fprintf(stderr, "Try '%s --help' for more information.\n", PROG);
		free(w);
		return r < 0 ? EXIT_USAGE : EXIT_OK;
	}
	install_signals();
	r = prepare(w);
	if (r == -2) {
		cleanup(w);
		free(w);
		return EXIT_USAGE;
	}
	if (r < 0 && !w->filled) {
		cleanup(w);
		free(w);
		return EXIT_FAIL;
	}
	if (r < 0 || run_windows(w) < 0)
		rc = EXIT_FAIL;
	/* Whatever happened after filling, check the data. */
	bad = verify_memory(w);
	if (w->opt.tlb_flush_ms > 0)
		note(w, "tlb_flushes=%" PRIu64, w->tlb_flushes);
	printf("verify=%s pages=%zu bad_pages=%zu\n", bad ? "FAIL" : "ok",
	       w->nr_pages, bad);
	if (bad)
		rc = EXIT_FAIL;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		errmsg("writing the output: %s", strerror(errno));
		rc = EXIT_FAIL;
	}
	cleanup(w);
	free(w);
	return rc;
}
