// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pagescan.c - one cgroup's pages: idle page tracking over the processes of
 * cgroup.procs, and move_pages(2) of the hottest or coldest (pagescan.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgtier/mempolicy.h"
#include "cgtier/parse.h"
#include "cgtierd/pagescan.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

_Static_assert(sizeof(struct cgt_pagescan_page) == 24,
	       "a tracked page is 24 bytes");

/* flags of struct cgt_pagescan_proc, valid during one call */
#define PROC_FRESH (1u << 0) /* tracked since this update: old pages are not its */
#define PROC_DEAD  (1u << 1) /* dropped: its pages go */

#define PROCS_READ_MAX (8u << 20) /* cgroup.procs: about a million PIDs */
#define MAPS_LINE_MAX 8192        /* a path is at most PATH_MAX */
#define STAT_MAX 4096
#define CGROUP_FILE_MAX 8192

/* The default node query and mover: the real system call. */
static long real_move(void *arg, int pid, size_t count, void **pages,
		      const int *nodes, int *status, int flags)
{
	return cgt_move_pages_chunked(pid, count, pages, nodes, status, flags);
}

static bool is_gone(int r)
{
	return r == -ENOENT || r == -ESRCH;
}

static int pidfd_open_pid(int pid)
{
	long fd = syscall(SYS_pidfd_open, pid, 0);

	return fd < 0 ? -errno : (int)fd;
}

/* Whether the process behind @pidfd has not exited (it polls readable then). */
static bool pidfd_live(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int r;

	if (pidfd < 0)
		return false;
	do {
		r = poll(&pfd, 1, 0);
	} while (r < 0 && errno == EINTR);
	return r == 0;
}

/*
 * Field 22 (starttime) of /proc/@pid/stat, counted from the last ')' so
 * that no comm ("a) b c", newlines) can shift the fields (D5).
 */
static int read_start(const struct cgt_fs *fs, int pid, uint64_t *ret)
{
	char rel[64], buf[STAT_MAX];
	const char *p;
	uint64_t v;
	int r;

	snprintf(rel, sizeof(rel), "/proc/%d/stat", pid);
	r = cgt_fs_read(fs, rel, buf, sizeof(buf));
	if (r < 0)
		return r;
	p = strrchr(buf, ')');
	if (!p)
		return -EINVAL;
	p++;
	for (int field = 3; field < 22; field++) {
		if (*p++ != ' ' || *p == ' ' || !*p)
			return -EINVAL;
		p += strcspn(p, " ");
	}
	if (*p++ != ' ')
		return -EINVAL;
	r = cgt_parse_u64_prefix(&p, &v);
	if (r < 0)
		return r;
	if (*p != ' ' && *p)
		return -EINVAL;
	*ret = v;
	return 0;
}

/*
 * Whether /proc/@pid/cgroup puts the process in cgroup @path: its cgroup2
 * line ("0::/path") names exactly "/" + @path.  1, 0, or a negative errno.
 */
static int in_cgroup(const struct cgt_fs *fs, int pid, const char *path)
{
	char rel[64], buf[CGROUP_FILE_MAX];
	size_t len = strlen(path);
	char *line, *next;
	int r;

	snprintf(rel, sizeof(rel), "/proc/%d/cgroup", pid);
	r = cgt_fs_read(fs, rel, buf, sizeof(buf));
	if (r < 0)
		return r;
	for (line = buf; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, "0::/", 4))
			continue;
		line += 4;
		return strlen(line) == len && !memcmp(line, path, len);
	}
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/* cgroup.procs of @cg, sorted, without duplicates (D3), into *@ret. */
static int read_procs(const struct cgt_cgroup *cg, int **ret, size_t *nr,
		      size_t *dups)
{
	size_t len = CGT_FS_MAX_FILE, n = 0, i, u;
	char *buf = NULL, *s, *e, *nbuf;
	int *pids = NULL, r;

	for (;;) {
		nbuf = realloc(buf, len);
		r = -ENOMEM;
		if (!nbuf)
			goto out;
		buf = nbuf;
		r = cgt_cgroup_read(cg, "cgroup.procs", buf, len);
		if (r != -EFBIG || len >= PROCS_READ_MAX)
			break;
		len *= 4;
	}
	if (r < 0)
		goto out;
	pids = malloc(((size_t)r / 2 + 1) * sizeof(*pids));
	r = -ENOMEM;
	if (!pids)
		goto out;
	for (s = buf; *s; s = e) {
		uint64_t v;

		e = s + strcspn(s, "\n");
		if (*e)
			*e++ = '\0';
		r = cgt_parse_u64_range(s, 1, INT_MAX, &v);
		if (r < 0)
			goto out;
		pids[n++] = (int)v;
	}
	qsort(pids, n, sizeof(*pids), cmp_int);
	for (i = 0, u = 0; i < n; i++)
		if (!u || pids[i] != pids[u - 1])
			pids[u++] = pids[i];
	*dups = n - u;
	*nr = u;
	*ret = pids;
	pids = NULL;
	r = 0;
out:
	free(buf);
	free(pids);
	return r;
}

static long find_pid(const int *pids, size_t n, int pid)
{
	const int *p = bsearch(&pid, pids, n, sizeof(*pids), cmp_int);

	return p ? p - pids : -1;
}

static void proc_drop(struct cgt_pagescan_proc *pr)
{
	if (pr->pid && pr->pidfd >= 0)
		close(pr->pidfd);
	pr->pid = 0;
	pr->pidfd = -1;
	pr->flags = PROC_DEAD;
}

static size_t live_procs(const struct cgt_pagescan *ps)
{
	size_t n = 0;

	for (size_t i = 0; i < ps->nr_procs; i++)
		n += ps->procs[i].pid != 0;
	return n;
}

/* A slot for a new process: a free one, or a new one at the end. */
static int proc_slot(struct cgt_pagescan *ps, size_t *ret)
{
	struct cgt_pagescan_proc *n;
	size_t cap;

	for (size_t i = 0; i < ps->nr_procs; i++) {
		if (!ps->procs[i].pid) {
			*ret = i;
			return 0;
		}
	}
	if (ps->nr_procs >= CGT_PAGESCAN_PROCS_LIMIT)
		return -E2BIG; /* a page's proc index is 16 bits */
	if (ps->nr_procs == ps->cap_procs) {
		cap = ps->cap_procs ? 2 * ps->cap_procs : 16;
		n = realloc(ps->procs, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		ps->procs = n;
		ps->cap_procs = cap;
	}
	*ret = ps->nr_procs++;
	return 0;
}

/* Track listed PID @pid anew.  0, or a fatal errno. */
static int proc_add(struct cgt_pagescan *ps, const struct cgt_fs *fs, int pid,
		    bool quiet)
{
	struct cgt_pagescan_stats *st = &ps->stats;
	uint64_t start;
	size_t slot;
	int fd, r;

	fd = pidfd_open_pid(pid);
	if (fd == -ENOSYS)
		return fd; /* no PID-reuse guard: do not scan at all */
	if (fd < 0) {
		if (fd == -ESRCH)
			st->procs_gone += !quiet;
		else {
			st->procs_error++;
			st->last_error = fd;
		}
		return 0;
	}
	r = read_start(fs, pid, &start);
	/* (pidfd, start) describe one process only if it is still there */
	if (r == 0 && !pidfd_live(fd))
		r = -ESRCH;
	if (r < 0) {
		close(fd);
		if (is_gone(r)) {
			st->procs_gone += !quiet;
		} else {
			st->procs_error++;
			st->last_error = r;
		}
		return 0;
	}
	r = proc_slot(ps, &slot);
	if (r < 0) {
		close(fd);
		if (r != -E2BIG)
			return r;
		st->procs_over_cap++;
		return 0;
	}
	ps->procs[slot] = (struct cgt_pagescan_proc){
		.pid = pid, .pidfd = fd, .start = start, .flags = PROC_FRESH,
	};
	st->procs_new++;
	return 0;
}

/* What a listed PID turned out to be while checking the tracked ones. */
enum { PID_UNSEEN, PID_KEPT, PID_GONE, PID_ANEW };

/* Drop the processes that left, exited or were replaced; add new ones. */
static int update_procs(struct cgt_pagescan *ps, const struct cgt_fs *fs,
			const int *pids, size_t n, size_t max_procs)
{
	struct cgt_pagescan_stats *st = &ps->stats;
	uint8_t *seen;
	int r = 0;

	seen = calloc(n ? n : 1, 1);
	if (!seen)
		return -ENOMEM;
	for (size_t i = 0; i < ps->nr_procs; i++) {
		struct cgt_pagescan_proc *pr = &ps->procs[i];
		long k;
		uint64_t start;

		pr->flags = 0;
		if (!pr->pid)
			continue;
		k = find_pid(pids, n, pr->pid);
		if (k < 0) {
			proc_drop(pr);
			st->procs_gone++;
			continue;
		}
		if (!pidfd_live(pr->pidfd)) {
			/* exited; the PID listed again is someone else */
			proc_drop(pr);
			st->procs_gone++;
			seen[k] = PID_ANEW;
			continue;
		}
		r = read_start(fs, pr->pid, &start);
		if (r == 0 && start != pr->start) {
			proc_drop(pr);
			st->procs_reused++;
			seen[k] = PID_ANEW;
			continue;
		}
		if (r < 0) {
			proc_drop(pr);
			if (is_gone(r)) {
				st->procs_gone++;
			} else {
				st->procs_error++;
				st->last_error = r;
			}
			seen[k] = PID_GONE;
			r = 0;
			continue;
		}
		seen[k] = PID_KEPT;
	}
	for (size_t k = 0; k < n && r == 0; k++) {
		if (seen[k] == PID_KEPT || seen[k] == PID_GONE)
			continue;
		if (live_procs(ps) >= max_procs) {
			st->procs_over_cap++;
			continue;
		}
		r = proc_add(ps, fs, pids[k], seen[k] == PID_ANEW);
	}
	free(seen);
	return r;
}

/* A line reader over an fd with a fixed buffer; over-long lines are bad. */
struct lines {
	int fd;
	size_t len, off;
	bool eof, skipping;
	char buf[MAPS_LINE_MAX];
};

/* 1 with *@line (and *@bad for an over-long one), 0 at the end, or -errno. */
static int lines_next(struct lines *l, char **line, bool *bad)
{
	char *nl;
	ssize_t n;

	for (;;) {
		nl = memchr(l->buf + l->off, '\n', l->len - l->off);
		if (nl || (l->eof && l->off < l->len)) {
			char *s = l->buf + l->off;

			if (nl) {
				*nl = '\0';
				l->off = (size_t)(nl - l->buf) + 1;
			} else {
				l->buf[l->len] = '\0';
				l->off = l->len;
			}
			*line = s;
			*bad = l->skipping;
			l->skipping = false;
			return 1;
		}
		if (l->eof)
			return 0;
		memmove(l->buf, l->buf + l->off, l->len - l->off);
		l->len -= l->off;
		l->off = 0;
		if (l->len == sizeof(l->buf) - 1) {
			l->skipping = true; /* keep only the tail: it is bad anyway */
			l->len = 0;
		}
		n = read(l->fd, l->buf + l->len, sizeof(l->buf) - 1 - l->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			l->eof = true;
		l->len += (size_t)n;
	}
}

struct range {
	uint64_t start, end;
	char perms[4];
	const char *name;
};

static int expect(const char **p, char c)
{
	if (**p != c)
		return -EINVAL;
	(*p)++;
	return 0;
}

/* "start-end perms offset major:minor inode [name]" (proc_pid_maps(5)). */
static int parse_maps_line(const char *line, uint64_t pg, struct range *ret)
{
	static const char allowed[4][3] = { "r-", "w-", "x-", "ps" };
	const char *p = line;
	uint64_t v;
	struct range m;

	if (cgt_parse_x64_prefix(&p, &m.start) || expect(&p, '-') ||
	    cgt_parse_x64_prefix(&p, &m.end) || expect(&p, ' '))
		return -EINVAL;
	for (int i = 0; i < 4; i++) {
		if (!*p || !memchr(allowed[i], *p, 2))
			return -EINVAL;
		m.perms[i] = *p++;
	}
	if (expect(&p, ' ') || cgt_parse_x64_prefix(&p, &v) || expect(&p, ' ') ||
	    cgt_parse_x64_prefix(&p, &v) || expect(&p, ':') ||
	    cgt_parse_x64_prefix(&p, &v) || expect(&p, ' ') ||
	    cgt_parse_u64_prefix(&p, &v))
		return -EINVAL;
	if (*p && *p != ' ')
		return -EINVAL;
	p += strspn(p, " ");
	m.name = p;
	if (m.start >= m.end || m.start % pg || m.end % pg)
		return -EINVAL;
	*ret = m;
	return 0;
}

/* Readable private anonymous or file mappings; nothing special or shared. */
static bool worth_tracking(const struct range *m)
{
	const char *n = m->name;

	if (m->perms[0] != 'r' || m->perms[3] != 'p')
		return false;
	if (!*n || !strcmp(n, "[heap]") || !strcmp(n, "[stack]") ||
	    !strncmp(n, "[anon:", 6))
		return true;
	if (n[0] == '[')
		return false; /* [vdso], [vvar], [vsyscall], [uprobes], ... */
	if (!strncmp(n, "/dev/", 5))
		return false; /* device memory, not the page allocator's */
	return n[0] == '/';
}

/* One update's work: the new page array and the scan's buffers. */
struct scan {
	struct cgt_pagescan *ps;
	const struct cgt_fs *fs;
	size_t max_pages, max_vpages, vpages;
	uint64_t pg;
	struct cgt_pagescan_page *pages;
	size_t nr, cap;
	uint64_t *ents;  /* CGT_PAGESCAN_PAGEMAP_CHUNK */
	bool no_pfn;     /* a present page without its PFN: no CAP_SYS_ADMIN */
};

static int scan_add(struct scan *s, uint32_t proc, uint64_t vaddr, uint64_t pfn)
{
	struct cgt_pagescan_page *n;
	size_t cap;

	if (s->nr == s->max_pages) {
		s->ps->stats.pages_over_cap++;
		return 0;
	}
	if (s->nr == s->cap) {
		cap = s->cap ? 2 * s->cap : 4096;
		if (cap > s->max_pages)
			cap = s->max_pages;
		n = realloc(s->pages, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		s->pages = n;
		s->cap = cap;
	}
	s->pages[s->nr++] = (struct cgt_pagescan_page){
		.vaddr = vaddr, .pfn = pfn, .proc = (uint16_t)proc, .node = -1,
	};
	return 0;
}

/* The present pages of [m->start, m->end) of process @slot. */
static int scan_range(struct scan *s, uint32_t slot, int pid,
		      const struct range *m)
{
	uint64_t npages = (m->end - m->start) / s->pg, left, off, n, pfn;
	int r;

	left = s->max_vpages - s->vpages;
	if (npages > left) {
		s->ps->stats.vpages_over_cap += npages - left;
		npages = left;
	}
	for (off = 0; off < npages; off += n) {
		n = npages - off;
		if (n > CGT_PAGESCAN_PAGEMAP_CHUNK)
			n = CGT_PAGESCAN_PAGEMAP_CHUNK;
		r = cgt_pagemap_read(s->fs, pid, m->start + off * s->pg, n, s->ents);
		if (r < 0)
			return r;
		s->vpages += n;
		for (uint64_t i = 0; i < n; i++) {
			r = cgt_pagemap_pfn(s->ents[i], &pfn);
			if (r == -ENOENT)
				continue;
			if (r == -ENXIO) {
				s->ps->stats.pages_swapped++;
				continue;
			}
			if (r == -EPERM) {
				s->no_pfn = true;
				return r;
			}
			if (r < 0)
				return r;
			r = scan_add(s, slot, m->start + (off + i) * s->pg, pfn);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* Every tracked mapping of process @slot, in address order. */
static int scan_maps(struct scan *s, uint32_t slot, int pid)
{
	struct cgt_pagescan_stats *st = &s->ps->stats;
	uint64_t prev_end = 0;
	struct lines *l;
	char rel[64], *line = NULL;
	bool bad = false;
	int r;

	l = malloc(sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->len = l->off = 0;
	l->eof = l->skipping = false;
	snprintf(rel, sizeof(rel), "/proc/%d/maps", pid);
	l->fd = cgt_fs_openat(s->fs, rel, O_RDONLY);
	if (l->fd < 0) {
		r = l->fd;
		free(l);
		return r;
	}
	while ((r = lines_next(l, &line, &bad)) > 0) {
		struct range m;

		/* overlapping or backwards lines would break the (proc, vaddr) order */
		if (bad || parse_maps_line(line, s->pg, &m) || m.start < prev_end) {
			st->maps_bad++;
			continue;
		}
		prev_end = m.end;
		if (!worth_tracking(&m)) {
			st->maps_skipped++;
			continue;
		}
		if (s->vpages == s->max_vpages) {
			st->vpages_over_cap += (m.end - m.start) / s->pg;
			continue;
		}
		r = scan_range(s, slot, pid, &m);
		if (r < 0)
			break;
	}
	close(l->fd);
	free(l);
	return r;
}

/* Scan every tracked process, in slot order (so pages come by (proc, vaddr)). */
static int scan_procs(struct scan *s)
{
	struct cgt_pagescan *ps = s->ps;
	struct cgt_pagescan_stats *st = &ps->stats;
	int r;

	for (size_t i = 0; i < ps->nr_procs; i++) {
		struct cgt_pagescan_proc *pr = &ps->procs[i];
		size_t mark = s->nr;

		if (!pr->pid)
			continue;
		r = scan_maps(s, (uint32_t)i, pr->pid);
		if (r == 0)
			continue;
		if (s->no_pfn || r == -ENOMEM)
			return r;
		s->nr = mark; /* none of its pages this period */
		if (is_gone(r) || !pidfd_live(pr->pidfd)) {
			proc_drop(pr);
			st->procs_gone++;
		} else {
			st->procs_error++;
			st->last_error = r;
		}
	}
	return 0;
}

static bool page_before(const struct cgt_pagescan_page *a,
			const struct cgt_pagescan_page *b)
{
	return a->proc < b->proc || (a->proc == b->proc && a->vaddr < b->vaddr);
}

/* Ages and nodes of the new pages from last period's (one merge pass). */
static void merge_ages(struct cgt_pagescan *ps, struct scan *s)
{
	struct cgt_pagescan_stats *st = &ps->stats;
	size_t i = 0;

	for (size_t j = 0; j < s->nr; j++) {
		struct cgt_pagescan_page *n = &s->pages[j];
		const struct cgt_pagescan_page *o;

		while (i < ps->nr_pages && page_before(&ps->pages[i], n))
			i++;
		o = i < ps->nr_pages ? &ps->pages[i] : NULL;
		if (!o || o->proc != n->proc || o->vaddr != n->vaddr ||
		    ps->procs[o->proc].flags & (PROC_FRESH | PROC_DEAD)) {
			n->flags |= CGT_PAGESCAN_NEW;
			st->pages_new++;
			continue;
		}
		if (o->pfn == n->pfn) {
			n->node = o->node;
			if (ps->idle_open && cgt_page_idle_test(&ps->idle, n->pfn)) {
				n->age = o->age < CGT_PAGESCAN_AGE_MAX ? o->age + 1 : o->age;
				n->hist = (uint8_t)(o->hist << 1);
				n->flags |= o->flags & CGT_PAGESCAN_NEW;
			} else {
				n->age = 0;
				n->hist = (uint8_t)(o->hist << 1 | 1);
				st->pages_accessed++;
			}
		} else if (o->flags & CGT_PAGESCAN_MOVED) {
			/* our move gave it a new frame */
			n->age = o->age;
			n->hist = o->hist;
			n->flags |= o->flags & CGT_PAGESCAN_NEW;
		} else {
			n->flags |= CGT_PAGESCAN_NEW;
			st->pages_new++;
		}
	}
}

/* Chunk buffers for move_pages(2). */
struct chunk {
	void *addrs[CGT_MOVE_CHUNK];
	int nodes[CGT_MOVE_CHUNK];
	int status[CGT_MOVE_CHUNK];
};

static void chunk_unknown(struct chunk *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		c->status[i] = CGT_MOVE_STATUS_UNKNOWN;
}

static bool is_node(int status)
{
	return status >= 0 && status < CGT_MAX_NODES;
}

/* Ask the node of every page of @s without one; drop those that have none. */
static int query_nodes(struct cgt_pagescan *ps, struct scan *s,
		       const struct cgt_pagescan_params *p)
{
	cgt_pagescan_move_fn fn = p->query_nodes ? p->query_nodes : real_move;
	struct cgt_pagescan_stats *st = &ps->stats;
	size_t idx[CGT_MOVE_CHUNK];
	struct chunk *c;
	size_t j = 0;

	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	while (j < s->nr) {
		uint32_t proc = s->pages[j].proc;
		struct cgt_pagescan_proc *pr = &ps->procs[proc];
		size_t n = 0;
		long r;

		/* up to a chunk of this process's pages without a node */
		for (; j < s->nr && s->pages[j].proc == proc && n < CGT_MOVE_CHUNK; j++)
			if (s->pages[j].node < 0)
				idx[n++] = j;
		if (!n || !pr->pid)
			continue;
		for (size_t i = 0; i < n; i++)
			c->addrs[i] = (void *)(uintptr_t)s->pages[idx[i]].vaddr;
		chunk_unknown(c, n);
		r = fn(p->query_arg, pr->pid, n, c->addrs, NULL, c->status, 0);
		if (r == -ESRCH) {
			proc_drop(pr);
			st->procs_gone++;
			continue;
		}
		if (r < 0) {
			st->procs_error++;
			st->last_error = (int)r;
			chunk_unknown(c, n);
		}
		for (size_t i = 0; i < n; i++) {
			struct cgt_pagescan_page *pg = &s->pages[idx[i]];

			if (is_node(c->status[i])) {
				pg->node = (int16_t)c->status[i];
			} else {
				pg->flags |= CGT_PAGESCAN_DROP;
				st->pages_no_node++;
			}
		}
	}
	free(c);
	return 0;
}

/* Remove the pages marked DROP and those of dropped processes. */
static size_t compact(struct cgt_pagescan_page *pages, size_t n,
		      const struct cgt_pagescan_proc *procs)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (pages[i].flags & CGT_PAGESCAN_DROP ||
		    procs[pages[i].proc].flags & PROC_DEAD)
			continue;
		pages[k++] = pages[i];
	}
	return k;
}

/*
 * Open the bitmap for the distinct PFNs of @s, mark them idle, and flag
 * the second and later entries of a PFN CGT_PAGESCAN_SHARED.
 */
struct pfn_at {
	uint64_t pfn;
	size_t idx; /* in s->pages */
};

static int cmp_pfn_at(const void *a, const void *b)
{
	const struct pfn_at *x = a, *y = b;

	if (x->pfn != y->pfn)
		return x->pfn < y->pfn ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * The idle set of this period's PFNs into *@ret, marked idle unless @mark
 * is false (the caller marks before the next update: global.sample).  A
 * PFN at several addresses is tracked at each but flagged SHARED at all
 * but its first page (counted once).  One sort of (PFN, page) pairs.
 */
static int mark_idle(struct cgt_pagescan *ps, struct scan *s,
		     const struct cgt_fs *sys_fs, bool mark,
		     struct cgt_page_idle *ret)
{
	struct pfn_at *at;
	uint64_t *pfns = NULL;
	size_t u = 0;
	int r = -ENOMEM;

	at = malloc((s->nr ? s->nr : 1) * sizeof(*at));
	pfns = malloc((s->nr ? s->nr : 1) * sizeof(*pfns));
	if (!at || !pfns)
		goto out;
	for (size_t i = 0; i < s->nr; i++)
		at[i] = (struct pfn_at){ .pfn = s->pages[i].pfn, .idx = i };
	qsort(at, s->nr, sizeof(*at), cmp_pfn_at);
	for (size_t i = 0; i < s->nr; i++) {
		if (u && at[i].pfn == pfns[u - 1]) {
			s->pages[at[i].idx].flags |= CGT_PAGESCAN_SHARED;
			ps->stats.pages_shared++;
			continue;
		}
		pfns[u++] = at[i].pfn;
	}
	r = cgt_page_idle_open(sys_fs, pfns, u, ret);
	if (r < 0)
		goto out;
	if (mark) {
		r = cgt_page_idle_mark(ret);
		if (r < 0)
			cgt_page_idle_close(ret);
	}
out:
	free(at);
	free(pfns);
	return r;
}

/* A different cgroup (path) or the same path recreated (D2): start afresh. */
static int check_identity(struct cgt_pagescan *ps, const struct cgt_cgroup *cg,
			  const char *path)
{
	uint64_t ino;
	int r;

	r = cgt_cgroup_ino(cg, &ino);
	if (r < 0)
		return r;
	if (ps->path && (strcmp(ps->path, path) || ps->ino != ino))
		cgt_pagescan_clear(ps);
	if (!ps->path) {
		ps->path = strdup(path);
		if (!ps->path)
			return -ENOMEM;
	}
	ps->ino = ino;
	return 0;
}

int cgt_pagescan_update(struct cgt_pagescan *ps, const struct cgt_fs *fs,
			const struct cgt_cgroup *cg,
			const struct cgt_topology *topo,
			const struct cgt_pagescan_params *p)
{
	struct cgt_page_idle idle = { .fd = -1 };
	struct scan s = { .ps = ps, .fs = fs };
	size_t nr_pids = 0, dups = 0;
	int *pids = NULL;
	long pg = sysconf(_SC_PAGESIZE);
	int r;

	if (!ps || !fs || !cg || !topo || !p || !p->path || pg <= 0)
		return -EINVAL;
	r = check_identity(ps, cg, p->path);
	if (r < 0)
		goto fail;
	memset(&ps->stats, 0, sizeof(ps->stats));
	ps->page_size = (size_t)pg;
	s.pg = (uint64_t)pg;
	s.max_pages = p->max_pages ? p->max_pages : CGT_PAGESCAN_MAX_PAGES;
	s.max_vpages = p->max_vpages ? p->max_vpages : CGT_PAGESCAN_MAX_VPAGES;
	if (s.max_pages > UINT32_MAX)
		s.max_pages = UINT32_MAX;
	s.ents = malloc(CGT_PAGESCAN_PAGEMAP_CHUNK * sizeof(*s.ents));
	r = -ENOMEM;
	if (!s.ents)
		goto fail;
	/* what was accessed since the last period marked its pages idle */
	if (ps->idle_open && !ps->harvested) {
		r = cgt_page_idle_read(&ps->idle);
		if (r < 0)
			goto fail;
	}
	ps->harvested = false;
	r = read_procs(cg, &pids, &nr_pids, &dups);
	if (r < 0)
		goto fail;
	ps->stats.dup_pids = dups;
	r = update_procs(ps, fs, pids, nr_pids,
			 !p->max_procs ? CGT_PAGESCAN_MAX_PROCS :
			 p->max_procs > CGT_PAGESCAN_PROCS_LIMIT ?
			 CGT_PAGESCAN_PROCS_LIMIT : p->max_procs);
	if (r < 0)
		goto fail;
	r = scan_procs(&s);
	if (r < 0)
		goto fail;
	merge_ages(ps, &s);
	r = query_nodes(ps, &s, p);
	if (r < 0)
		goto fail;
	s.nr = compact(s.pages, s.nr, ps->procs);
	r = mark_idle(ps, &s, p->sys_fs ? p->sys_fs : fs, !p->no_mark, &idle);
	if (r < 0)
		goto fail;
	if (ps->idle_open)
		cgt_page_idle_close(&ps->idle);
	ps->idle = idle;
	ps->idle_open = true;
	free(ps->pages);
	ps->pages = s.pages;
	ps->nr_pages = s.nr;
	ps->cap_pages = s.cap;
	for (size_t i = 0; i < ps->nr_procs; i++)
		ps->procs[i].flags = 0;
	ps->stats.procs = live_procs(ps);
	ps->stats.pages = s.nr;
	ps->periods++;
	free(s.ents);
	free(pids);
	return 0;
fail:
	free(s.pages);
	free(s.ents);
	free(pids);
	cgt_pagescan_clear(ps);
	return r;
}

int cgt_pagescan_sample(struct cgt_pagescan *ps, uint64_t window_usec)
{
	int r;

	if (!ps)
		return -EINVAL;
	if (!ps->idle_open)
		return 0;
	r = cgt_page_idle_sample(&ps->idle, window_usec);
	ps->harvested = r == 0;
	return r;
}

size_t cgt_pagescan_sample_many(struct cgt_pagescan *const *ps, size_t n,
				uint64_t window_usec)
{
	struct cgt_page_idle **pis;
	size_t m = 0, failed = 0;
	int *errs;

	pis = calloc(n ? n : 1, sizeof(*pis));
	errs = calloc(n ? n : 1, sizeof(*errs));
	if (!pis || !errs) {
		free(pis);
		free(errs);
		for (size_t k = 0; k < n; k++) {
			if (ps[k] && ps[k]->idle_open) {
				ps[k]->harvested = false;
				failed++;
			}
		}
		return failed;
	}
	for (size_t k = 0; k < n; k++)
		if (ps[k] && ps[k]->idle_open)
			pis[m++] = &ps[k]->idle;
	cgt_page_idle_sample_many(pis, m, window_usec, errs);
	m = 0;
	for (size_t k = 0; k < n; k++) {
		if (!ps[k] || !ps[k]->idle_open)
			continue;
		ps[k]->harvested = errs[m] == 0;
		failed += errs[m++] != 0;
	}
	free(pis);
	free(errs);
	return failed;
}

/* The hot rule of cgt_pagescan_hot_hits(). */
static bool is_hot(const struct cgt_pagescan_page *pg, unsigned hot_age,
		   unsigned hot_hits)
{
	unsigned window = hot_age < CGT_PAGESCAN_HIST ? hot_age : CGT_PAGESCAN_HIST;

	if (pg->flags & CGT_PAGESCAN_NEW)
		return false;
	if (hot_hits <= 1)
		return pg->age < hot_age;
	return (unsigned)__builtin_popcount(pg->hist & ((1u << window) - 1)) >= hot_hits;
}

void cgt_pagescan_hot(const struct cgt_pagescan *ps,
		      const struct cgt_topology *topo, unsigned hot_age,
		      uint64_t hot[CGT_SNAP_MAX_TIERS],
		      uint64_t resident[CGT_SNAP_MAX_TIERS])
{
	cgt_pagescan_hot_hits(ps, topo, hot_age, 1, hot, resident);
}

void cgt_pagescan_hot_hits(const struct cgt_pagescan *ps,
			   const struct cgt_topology *topo, unsigned hot_age,
			   unsigned hot_hits, uint64_t hot[CGT_SNAP_MAX_TIERS],
			   uint64_t resident[CGT_SNAP_MAX_TIERS])
{
	memset(hot, 0, CGT_SNAP_MAX_TIERS * sizeof(*hot));
	memset(resident, 0, CGT_SNAP_MAX_TIERS * sizeof(*resident));
	if (!ps || !topo)
		return;
	for (size_t i = 0; i < ps->nr_pages; i++) {
		const struct cgt_pagescan_page *pg = &ps->pages[i];
		int t;

		if (pg->flags & CGT_PAGESCAN_SHARED)
			continue;
		t = cgt_topology_tier_of(topo, pg->node);
		if (t < 0 || t >= CGT_SNAP_MAX_TIERS)
			continue;
		resident[t] += ps->page_size;
		if (is_hot(pg, hot_age, hot_hits))
			hot[t] += ps->page_size;
	}
}

/* One move: the request, its target and the result being filled. */
struct mover {
	struct cgt_pagescan *ps;
	const struct cgt_topology *topo;
	const struct cgt_pagescan_move_req *req;
	struct cgt_pagescan_move_res *res;
	cgt_pagescan_move_fn fn;
	int tier;     /* target tier */
	bool abort;   /* a failure every further call would repeat */
	struct chunk *c;
};

/* Whether page @pg is a candidate for the move (and its tier in *@tier). */
static bool candidate(const struct mover *mv, const struct cgt_pagescan_page *pg)
{
	int t;

	if (pg->flags & CGT_PAGESCAN_SHARED || pg->node < 0 ||
	    !mv->ps->procs[pg->proc].pid)
		return false;
	t = cgt_topology_tier_of(mv->topo, pg->node);
	if (t < 0)
		return false;
	if (mv->req->dir == CGT_PAGESCAN_PROMOTE)
		return t > 0 && is_hot(pg, mv->req->hot_age, mv->req->hot_hits);
	return t == 0;
}

/*
 * Pick at most @want candidates, hottest (promotion) or coldest (demotion)
 * first, by a counting pass over the ages; their indexes, in page order,
 * into @sel.  Returns how many.
 */
static size_t select_pages(const struct mover *mv, uint64_t want, size_t *sel)
{
	const struct cgt_pagescan *ps = mv->ps;
	bool up = mv->req->dir == CGT_PAGESCAN_PROMOTE;
	uint64_t count[CGT_PAGESCAN_AGE_MAX + 1] = { 0 }, taken = 0, rem = 0;
	int thr = up ? CGT_PAGESCAN_AGE_MAX + 1 : -1;
	size_t n = 0;

	for (size_t i = 0; i < ps->nr_pages; i++)
		if (candidate(mv, &ps->pages[i]))
			count[ps->pages[i].age]++;
	for (int k = 0; k <= CGT_PAGESCAN_AGE_MAX; k++) {
		int a = up ? k : CGT_PAGESCAN_AGE_MAX - k;

		if (taken + count[a] >= want) {
			thr = a;
			rem = want - taken;
			break;
		}
		taken += count[a];
	}
	for (size_t i = 0; i < ps->nr_pages; i++) {
		const struct cgt_pagescan_page *pg = &ps->pages[i];
		bool take;

		if (!candidate(mv, pg))
			continue;
		take = up ? pg->age < thr : pg->age > thr;
		if (!take && pg->age == thr && rem) {
			take = true;
			rem--;
		}
		if (take)
			sel[n++] = i;
	}
	return n;
}

static void count_failed(struct mover *mv, enum cgt_pagescan_fail why, uint64_t n)
{
	mv->res->failed[why] += n;
	mv->res->pages_failed += n;
	mv->res->bytes_failed += n * mv->ps->page_size;
}

static enum cgt_pagescan_fail fail_cause(int status)
{
	switch (status) {
	case -EBUSY:
		return CGT_PAGESCAN_FAIL_BUSY;
	case -EFAULT:
		return CGT_PAGESCAN_FAIL_FAULT;
	case -ENOENT:
		return CGT_PAGESCAN_FAIL_NOENT;
	case -ENOMEM:
		return CGT_PAGESCAN_FAIL_NOMEM;
	case -EACCES:
		return CGT_PAGESCAN_FAIL_ACCES;
	default:
		return CGT_PAGESCAN_FAIL_UNKNOWN;
	}
}

/* Read the statuses of one chunk of @n pages (@idx into ps->pages). */
static void chunk_result(struct mover *mv, const size_t *idx, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct cgt_pagescan_page *pg = &mv->ps->pages[idx[i]];
		int s = mv->c->status[i];

		if (!is_node(s)) {
			count_failed(mv, fail_cause(s), 1); /* kept as it was (M5) */
			continue;
		}
		pg->node = (int16_t)s;
		if (s == mv->res->node) {
			pg->flags |= CGT_PAGESCAN_MOVED;
			mv->res->pages_moved++;
			mv->res->bytes_moved += mv->ps->page_size;
		} else {
			count_failed(mv, CGT_PAGESCAN_FAIL_STAYED, 1);
		}
	}
}

/* Move the @n selected pages @idx of process @pr.  -ESRCH if it is gone. */
static int move_proc(struct mover *mv, struct cgt_pagescan_proc *pr,
		     const size_t *idx, size_t n)
{
	const struct cgt_pagescan_move_req *req = mv->req;
	struct chunk *c = mv->c;
	size_t off, k;
	long r;

	for (off = 0; off < n; off += k) {
		k = n - off < CGT_MOVE_CHUNK ? n - off : CGT_MOVE_CHUNK;
		for (size_t i = 0; i < k; i++) {
			c->addrs[i] = (void *)(uintptr_t)mv->ps->pages[idx[off + i]].vaddr;
			c->nodes[i] = mv->res->node;
		}
		chunk_unknown(c, k);
		r = mv->fn(req->move_arg, pr->pid, k, c->addrs, c->nodes,
			   c->status, MPOL_MF_MOVE);
		if (r > 0) {
			/* N pages not migrated: the statuses are not reliable (M5) */
			chunk_unknown(c, k);
			r = mv->fn(req->move_arg, pr->pid, k, c->addrs, NULL,
				   c->status, 0);
			if (r < 0 && r != -ESRCH) {
				chunk_unknown(c, k);
				r = 0;
			}
		}
		if (r == -ESRCH)
			return -ESRCH;
		if (r < 0) {
			count_failed(mv, CGT_PAGESCAN_FAIL_CALL, n - off);
			if (!mv->res->call_err)
				mv->res->call_err = (int)r;
			if (r == -ENODEV || r == -EINVAL)
				mv->abort = true;
			return 0;
		}
		chunk_result(mv, idx + off, k);
	}
	return 0;
}

/* The checks of M4 around the moves of one process's selected pages. */
static int move_one(struct mover *mv, struct cgt_pagescan_proc *pr,
		    const size_t *idx, size_t n)
{
	struct cgt_pagescan_move_res *res = mv->res;
	int r;

	if (!pidfd_live(pr->pidfd)) {
		proc_drop(pr);
		res->procs_gone++;
		return 0;
	}
	r = in_cgroup(mv->req->fs, pr->pid, mv->ps->path);
	if (is_gone(r)) {
		proc_drop(pr);
		res->procs_gone++;
		return 0;
	}
	if (r != 1) {
		/* moved elsewhere (or unreadable): never touched (canary) */
		res->procs_foreign++;
		res->pages_foreign += n;
		return 0;
	}
	r = move_proc(mv, pr, idx, n);
	if (r == -ESRCH) {
		proc_drop(pr);
		res->procs_gone++;
		return 0;
	}
	if (!pidfd_live(pr->pidfd)) {
		/* it exited while we moved: the PID may have been reused */
		res->procs_raced++;
		proc_drop(pr);
	}
	return r;
}

static int target_node(const struct cgt_topology *topo, int tier, int node)
{
	if (tier >= topo->nr_tiers)
		return -ENODEV;
	if (node >= 0)
		return cgt_nodemask_test(&topo->tiers[tier].nodes, node) ? node : -ENODEV;
	node = cgt_nodemask_next(&topo->tiers[tier].nodes, 0);
	return node < 0 ? -ENODEV : node;
}

int cgt_pagescan_move(struct cgt_pagescan *ps, const struct cgt_topology *topo,
		      const struct cgt_pagescan_move_req *req,
		      struct cgt_pagescan_move_res *res)
{
	struct cgt_pagescan_move_res out;
	struct mover mv = { .ps = ps, .topo = topo, .req = req, .res = &out };
	size_t *sel = NULL, n, i, j;
	int node, r = 0;

	if (!ps || !topo || !req || !res || (!req->dry && !req->fs) ||
	    (req->dir != CGT_PAGESCAN_PROMOTE && req->dir != CGT_PAGESCAN_DEMOTE))
		return -EINVAL;
	memset(&out, 0, sizeof(out));
	mv.tier = req->dir == CGT_PAGESCAN_PROMOTE ? 0 : 1;
	if (topo->nr_tiers < 2)
		return -ENODEV;
	node = target_node(topo, mv.tier, req->node);
	if (node < 0)
		return node;
	out.node = node;
	mv.fn = req->move_pages ? req->move_pages : real_move;
	if (!ps->nr_pages || !ps->page_size || req->bytes < ps->page_size)
		goto done;
	sel = malloc(ps->nr_pages * sizeof(*sel));
	mv.c = malloc(sizeof(*mv.c));
	r = -ENOMEM;
	if (!sel || !mv.c)
		goto out;
	r = 0;
	n = select_pages(&mv, req->bytes / ps->page_size, sel);
	out.pages_selected = n;
	out.bytes_selected = n * ps->page_size;
	if (req->dry)
		goto done;
	for (i = 0; i < n && !mv.abort; i = j) {
		uint32_t proc = ps->pages[sel[i]].proc;

		for (j = i; j < n && ps->pages[sel[j]].proc == proc; j++)
			;
		r = move_one(&mv, &ps->procs[proc], sel + i, j - i);
		if (r < 0)
			goto out;
	}
	if (mv.abort && i < n)
		count_failed(&mv, CGT_PAGESCAN_FAIL_CALL, n - i);
	ps->nr_pages = compact(ps->pages, ps->nr_pages, ps->procs);
	for (i = 0; i < ps->nr_procs; i++)
		ps->procs[i].flags = 0;
done:
	*res = out;
out:
	free(sel);
	free(mv.c);
	return r;
}

void cgt_pagescan_clear(struct cgt_pagescan *ps)
{
	if (!ps)
		return;
	for (size_t i = 0; i < ps->nr_procs; i++)
		if (ps->procs[i].pid)
			close(ps->procs[i].pidfd);
	if (ps->idle_open)
		cgt_page_idle_close(&ps->idle);
	free(ps->procs);
	free(ps->pages);
	free(ps->path);
	memset(ps, 0, sizeof(*ps));
}
