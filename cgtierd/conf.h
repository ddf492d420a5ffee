/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * conf.h - cgtierd's policy configuration: the one struct the daemon runs
 * from, and the loader that makes it from YAML (schema in cgtierd.yaml(5)).
 *
 * Loading is all or nothing: the loader builds a fresh struct cgt_config
 * from every file and hands it over only if all of them are valid; on any
 * error *ret is left untouched and the messages are in the struct
 * cgt_diag, one per problem, as "FILE:LINE:COL: message (key path)".  A
 * daemon reloading keeps its old config unless the load returns 0, then
 * swaps the pointers and frees the old one.
 *
 * Files are read in this order, which is also the order in which policies
 * are tried ("first match wins"): the main file, then the drop-ins (*.yaml
 * in policies.d, by file name in C-locale byte order), each from top to
 * bottom.  Only the main file may have a `global:` section.
 *
 * No global state; the functions never log.
 */
#ifndef CGTIERD_CONF_H
#define CGTIERD_CONF_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgtierd/diag.h"
#include "cgtierd/netaddr.h"
#include "cgtierd/units.h"

/* Resource limits of the loader (documented in cgtierd.yaml(5)). */
#define CGT_CONF_MAX_FILE (1024 * 1024) /* bytes per file */
#define CGT_CONF_MAX_SCALAR (64 * 1024) /* bytes per scalar */
#define CGT_CONF_MAX_DEPTH 32           /* nested mappings and sequences */
#define CGT_CONF_MAX_NODES 65536        /* scalars + collections per file */
#define CGT_CONF_MAX_DROPINS 256        /* files in policies.d */
#define CGT_CONF_MAX_POLICIES 1024      /* in all files together */
#define CGT_CONF_MAX_LIST 256           /* entries of any list */
#define CGT_POLICY_NAME_MAX 63
#define CGT_CONF_PATH_MAX 4096
#define CGT_CONF_SOCKET_MAX 107 /* sizeof(sun_path) - 1 */
#define CGT_CONF_ADDR_MAX CGT_NETADDR_MAX /* global.metrics, netaddr.h */
/* container_id selectors are full ids or prefixes of at least this length */
#define CGT_CONF_MIN_ID_PREFIX 12

enum cgt_mode {
	CGT_MODE_ENFORCE, /* measure and move pages */
	CGT_MODE_OBSERVE, /* measure and report; write nothing */
	_CGT_MODE_MAX,
	_CGT_MODE_INVALID = -EINVAL,
};

enum cgt_backend {
	CGT_BACKEND_AUTO,        /* memory.tier if the kernel has it, else stock */
	CGT_BACKEND_MEMORY_TIER, /* cgtier's memory.tier.* cgroup files */
	CGT_BACKEND_STOCK,       /* a stock kernel: idle tracking + move_pages */
	_CGT_BACKEND_MAX,
	_CGT_BACKEND_INVALID = -EINVAL,
};

/* syslog(3) priorities */
enum cgt_log_level {
	CGT_LOG_ERR = 3,
	CGT_LOG_WARNING = 4,
	CGT_LOG_NOTICE = 5,
	CGT_LOG_INFO = 6,
	CGT_LOG_DEBUG = 7,
};

/* A share of the fast tier: bytes, a percentage of its capacity, or max. */
enum cgt_amount_kind {
	CGT_AMOUNT_BYTES,
	CGT_AMOUNT_PERCENT, /* value in hundredths of a percent */
	CGT_AMOUNT_MAX,     /* no limit */
};

struct cgt_amount {
	enum cgt_amount_kind kind;
	uint64_t value;
};

/* What a kubernetes selector matches. */
enum cgt_match_level {
	CGT_LEVEL_CONTAINER, /* container cgroups (and cgroups below them) */
	CGT_LEVEL_POD,       /* pod cgroups */
	_CGT_LEVEL_MAX,
};

/*
 * Which cgroups a policy covers.  Every selector given must match (AND);
 * within a list any entry may match (OR).
 */
struct cgt_match {
	char **cgroups; /* globs relative to global.cgroup_root (glob.h) */
	size_t n_cgroups;
	bool kubernetes;   /* a kubernetes: selector is present */
	unsigned qos_mask; /* 1u << enum cgt_k8s_qos; 0: any class */
	char **pod_uids;   /* normalised (k8s.h) */
	size_t n_pod_uids;
	char **container_ids; /* lower-case hex ids or prefixes */
	size_t n_container_ids;
	enum cgt_match_level level;
};

struct cgt_policy {
	char name[CGT_POLICY_NAME_MAX + 1];
	struct cgt_match match;
	uint64_t hot_age_usec;     /* accessed within this: hot */
	uint32_t hot_hits;         /* periods within hot_age seen accessed: hot */
	uint32_t hot_in_fast;      /* target share of hot bytes in the fast tier */
	struct cgt_amount fast_quota; /* per matched cgroup */
	struct cgt_amount fast_min;   /* guaranteed per matched cgroup */
	uint32_t priority;         /* higher wins when the tier is short */
	uint64_t promote_rate;     /* bytes per second, CGT_UNLIMITED for max */
	uint64_t demote_rate;
	enum cgt_mode mode;
	/* where it was defined (file points into struct cgt_config) */
	const char *file;
	unsigned line, column; /* 1-based */
};

struct cgt_global {
	uint64_t period_usec;            /* control period */
	uint64_t sample_usec;            /* access window before each read (<= period) */
	char cgroup_root[CGT_CONF_PATH_MAX]; /* the cgroup2 mount */
	struct cgt_amount reserve;       /* fast tier kept out of every quota */
	enum cgt_backend backend;
	char metrics[CGT_CONF_ADDR_MAX + 1]; /* "IP:PORT"; "" when off */
	char socket[CGT_CONF_SOCKET_MAX + 1]; /* control socket; "" when off */
	enum cgt_log_level log_level;
};

struct cgt_config {
	struct cgt_global global;
	struct cgt_policy *policies; /* in "first match wins" order */
	size_t n_policies;
	char **files; /* the files read, as named in messages */
	size_t n_files;
};

/* Compiled-in defaults (the values shown in policies/cgtierd.yaml). */
#define CGT_DEFAULT_PERIOD_USEC (10 * CGT_USEC_PER_SEC)
#define CGT_DEFAULT_CGROUP_ROOT "/sys/fs/cgroup"
#define CGT_DEFAULT_RESERVE_PERMYRIAD 200 /* 2% */
#define CGT_DEFAULT_SOCKET "/run/cgtierd/cgtierd.sock"
#define CGT_DEFAULT_HOT_AGE_USEC (120 * CGT_USEC_PER_SEC)
#define CGT_DEFAULT_HOT_IN_FAST 9500 /* 95% */
#define CGT_DEFAULT_PRIORITY 100
#define CGT_DEFAULT_RATE (256ULL << 20) /* 256Mi/s */

/* Ranges checked by the loader (inclusive). */
#define CGT_PERIOD_MIN_USEC (100 * CGT_USEC_PER_MSEC)
#define CGT_PERIOD_MAX_USEC (3600 * CGT_USEC_PER_SEC)
#define CGT_HOT_AGE_MIN_USEC CGT_USEC_PER_SEC
#define CGT_HOT_AGE_MAX_USEC (24 * 3600 * CGT_USEC_PER_SEC)
#define CGT_PRIORITY_MAX 1000
#define CGT_HOT_HITS_MAX 8 /* periods of access history kept per page */
#define CGT_RESERVE_MAX_PERMYRIAD 5000 /* 50% */

/* Fill @g and @p with the compiled-in defaults (@p gets no name or match). */
void cgt_global_defaults(struct cgt_global *g);
void cgt_policy_defaults(struct cgt_policy *p);

/* A config with the defaults and no policies; NULL without memory. */
struct cgt_config *cgt_config_new(void);
/* Free @c (NULL is fine); returns NULL. */
struct cgt_config *cgt_config_free(struct cgt_config *c);

/*
 * Parse one file's contents into @c: @name is used in messages, @is_main
 * allows `global:`.  The bytes are checked first (UTF-8, no NUL, no BOM,
 * at most CGT_CONF_MAX_FILE).  Returns 0, -EINVAL (messages in @diag) or
 * -ENOMEM.  After an error @c is only fit for cgt_config_free().
 */
int cgt_config_parse(struct cgt_config *c, const char *name, const char *buf, size_t len,
		     bool is_main, struct cgt_diag *diag);

/* Checks across files, once all are parsed (duplicate names, hot_age vs period). */
int cgt_config_finish(struct cgt_config *c, struct cgt_diag *diag);

/*
 * Read @path (relative to @dirfd, or AT_FDCWD) for the loader: opened with
 * O_NOFOLLOW, and refused unless it is a regular file owned by root or by
 * @trusted_uid, not writable by group or others, and at most
 * CGT_CONF_MAX_FILE bytes.  *@ret_buf (free() it) and *@ret_len are set
 * only on success.  Errors: -ELOOP (a symlink), -EPERM (owner or mode),
 * -EFBIG, -EINVAL (not a regular file), or the errno of open/read; each
 * with a message in @diag naming @display.
 */
int cgt_config_read_file(int dirfd, const char *path, const char *display, uid_t trusted_uid,
			 char **ret_buf, size_t *ret_len, struct cgt_diag *diag);

/*
 * Load @paths[0] as the main file and @paths[1..n) as drop-ins: a file, or
 * a directory standing for its *.yaml files (not starting with '.') in
 * byte order; a directory is subject to the same owner and mode checks.
 * If @optional_last_dir, a missing directory @paths[n-1] is not an error.
 * Returns 0 and sets *@ret, or a negative errno with messages in @diag.
 */
int cgt_config_load_paths(const char *const *paths, size_t n, bool optional_last_dir,
			  uid_t trusted_uid, struct cgt_config **ret, struct cgt_diag *diag);

/* The daemon's load: @main_path plus @dropin_dir (which may be missing). */
int cgt_config_load(const char *main_path, const char *dropin_dir, uid_t trusted_uid,
		    struct cgt_config **ret, struct cgt_diag *diag);

/* Names of the enums as written in YAML; each table matches its enum. */
const char *cgt_mode_name(enum cgt_mode m);
const char *cgt_backend_name(enum cgt_backend b);
const char *cgt_log_level_name(enum cgt_log_level l);
const char *cgt_level_name(enum cgt_match_level l);
/* "8Gi", "30%" or "max" */
const char *cgt_format_amount(const struct cgt_amount *a, char *buf, size_t len);

#endif /* CGTIERD_CONF_H */
