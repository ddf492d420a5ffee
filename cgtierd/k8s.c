// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * k8s.c - Kubernetes identity from kubelet's cgroup paths (see k8s.h).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "cgtier/parse.h"
#include "cgtierd/k8s.h"

/* Longer paths and deeper trees are not parsed (kind NONE). */
#define MAX_PATH 4096
#define MAX_COMPONENTS 256

struct comp {
	const char *s;
	size_t len;
};

/* Should match enum cgt_k8s_kind */
static const char *const kind_names[] = {
	"none", "kubepods root", "qos class", "pod", "container", "conmon", "pod (other)",
};
/* Should match enum cgt_k8s_qos */
static const char *const qos_names[] = { "unknown", "guaranteed", "burstable", "besteffort" };
/* Should match enum cgt_k8s_runtime */
static const char *const runtime_names[] = { "unknown", "containerd", "crio", "docker" };
/* Should match enum cgt_k8s_driver */
static const char *const driver_names[] = { "none", "systemd", "cgroupfs" };

const char *cgt_k8s_kind_name(enum cgt_k8s_kind k)
{
	return (unsigned)k < _CGT_K8S_KIND_MAX ? kind_names[k] : "invalid";
}

const char *cgt_k8s_qos_name(enum cgt_k8s_qos q)
{
	return (unsigned)q < _CGT_K8S_QOS_MAX ? qos_names[q] : "invalid";
}

const char *cgt_k8s_runtime_name(enum cgt_k8s_runtime r)
{
	return (unsigned)r < _CGT_K8S_RUNTIME_MAX ? runtime_names[r] : "invalid";
}

const char *cgt_k8s_driver_name(enum cgt_k8s_driver d)
{
	return (unsigned)d < _CGT_K8S_DRIVER_MAX ? driver_names[d] : "invalid";
}

int cgt_k8s_qos_from_name(const char *s)
{
	int q;

	if (!s)
		return -EINVAL;
	for (q = CGT_K8S_QOS_GUARANTEED; q < _CGT_K8S_QOS_MAX; q++)
		if (strcmp(s, qos_names[q]) == 0)
			return q;
	return -EINVAL;
}

int cgt_k8s_normalize_uid(const char *s, size_t len, char *buf)
{
	size_t i;

	if (!s || !buf)
		return -EINVAL;
	if (len == 32) {
		for (i = 0; i < len; i++)
			if (cgt_hex_digit(s[i]) < 0)
				return -EINVAL;
	} else if (len == 36) {
		for (i = 0; i < len; i++) {
			bool sep = i == 8 || i == 13 || i == 18 || i == 23;

			if (sep ? (s[i] != '-' && s[i] != '_') : cgt_hex_digit(s[i]) < 0)
				return -EINVAL;
		}
	} else {
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '_')
			c = '-';
		else if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		buf[i] = c;
	}
	buf[len] = '\0';
	return 0;
}

static bool comp_eq(const struct comp *c, const char *s)
{
	return c->len == strlen(s) && memcmp(c->s, s, c->len) == 0;
}

/* If @c starts with @prefix, return the rest in *@rest. */
static bool comp_strip(const struct comp *c, const char *prefix, struct comp *rest)
{
	size_t l = strlen(prefix);

	if (c->len < l || memcmp(c->s, prefix, l) != 0)
		return false;
	rest->s = c->s + l;
	rest->len = c->len - l;
	return true;
}

static bool comp_strip_suffix(const struct comp *c, const char *suffix, struct comp *rest)
{
	size_t l = strlen(suffix);

	if (c->len < l || memcmp(c->s + c->len - l, suffix, l) != 0)
		return false;
	rest->s = c->s;
	rest->len = c->len - l;
	return true;
}

/* @c is "<base>-<rest>" for a base given as a component: return <rest>. */
static bool comp_strip_base(const struct comp *c, const struct comp *base, struct comp *rest)
{
	if (c->len <= base->len + 1 || memcmp(c->s, base->s, base->len) != 0 ||
	    c->s[base->len] != '-')
		return false;
	rest->s = c->s + base->len + 1;
	rest->len = c->len - base->len - 1;
	return true;
}

static bool is_container_id(const struct comp *c)
{
	size_t i;

	if (c->len != CGT_K8S_ID_LEN)
		return false;
	for (i = 0; i < c->len; i++)
		if (!((c->s[i] >= '0' && c->s[i] <= '9') || (c->s[i] >= 'a' && c->s[i] <= 'f')))
			return false;
	return true;
}

/* "pod<UID>" -> the normalised UID. */
static bool parse_pod(const struct comp *c, char *uid)
{
	struct comp rest;

	return comp_strip(c, "pod", &rest) && cgt_k8s_normalize_uid(rest.s, rest.len, uid) == 0;
}

static bool parse_qos(const struct comp *c, enum cgt_k8s_qos *qos)
{
	if (comp_eq(c, "burstable"))
		*qos = CGT_K8S_QOS_BURSTABLE;
	else if (comp_eq(c, "besteffort"))
		*qos = CGT_K8S_QOS_BESTEFFORT;
	else
		return false;
	return true;
}

/*
 * A container's cgroup name without the driver's decoration (".scope" is
 * already stripped for systemd).  CRI-O's "crio-conmon-" must be tried
 * before "crio-".
 */
static bool parse_container(const struct comp *c, bool bare_ok, struct cgt_k8s_id *id)
{
	static const struct {
		const char *prefix;
		enum cgt_k8s_runtime runtime;
		enum cgt_k8s_kind kind;
	} scopes[] = {
		{ "cri-containerd-", CGT_K8S_RUNTIME_CONTAINERD, CGT_K8S_CONTAINER },
		{ "crio-conmon-", CGT_K8S_RUNTIME_CRIO, CGT_K8S_CONMON },
		{ "crio-", CGT_K8S_RUNTIME_CRIO, CGT_K8S_CONTAINER },
		{ "docker-", CGT_K8S_RUNTIME_DOCKER, CGT_K8S_CONTAINER },
	};
	struct comp rest;
	size_t i;

	for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		if (comp_strip(c, scopes[i].prefix, &rest) && is_container_id(&rest)) {
			id->runtime = scopes[i].runtime;
			id->kind = scopes[i].kind;
			id->infra = id->kind == CGT_K8S_CONMON ? CGT_K8S_INFRA_YES
							       : CGT_K8S_INFRA_UNKNOWN;
			memcpy(id->container_id, rest.s, rest.len);
			id->container_id[rest.len] = '\0';
			return true;
		}
	}
	if (bare_ok && is_container_id(c)) {
		id->runtime = CGT_K8S_RUNTIME_UNKNOWN;
		id->kind = CGT_K8S_CONTAINER;
		id->infra = CGT_K8S_INFRA_UNKNOWN;
		memcpy(id->container_id, c->s, c->len);
		id->container_id[c->len] = '\0';
		return true;
	}
	return false;
}

/*
 * Parse the components from the kubepods root @r on.  Returns false if they
 * are not kubelet's layout.  @id is scratch until then.
 */
static bool parse_from(const struct comp *cs, size_t n, size_t r, const char *path,
		       struct cgt_k8s_id *id)
{
	bool systemd = !comp_eq(&cs[r], "kubepods");
	struct comp base = cs[r], rest, name;
	size_t i = r + 1;

	memset(id, 0, sizeof(*id));
	id->driver = systemd ? CGT_K8S_DRIVER_SYSTEMD : CGT_K8S_DRIVER_CGROUPFS;
	id->prefix_len = (size_t)(cs[r].s - path);
	id->kind = CGT_K8S_ROOT;
	if (systemd)
		comp_strip_suffix(&cs[r], ".slice", &base);
	if (i == n)
		return true;

	/* QoS level, or a Guaranteed pod right below the root */
	if (systemd) {
		if (!comp_strip_suffix(&cs[i], ".slice", &name) ||
		    !comp_strip_base(&name, &base, &rest))
			return false;
	} else {
		rest = cs[i];
	}
	if (parse_qos(&rest, &id->qos)) {
		id->kind = CGT_K8S_QOS;
		if (++i == n)
			return true;
		if (systemd) {
			base = name; /* "kubepods-burstable" */
			if (!comp_strip_suffix(&cs[i], ".slice", &name) ||
			    !comp_strip_base(&name, &base, &rest))
				return false;
		} else {
			rest = cs[i];
		}
	} else {
		id->qos = CGT_K8S_QOS_GUARANTEED;
	}
	if (!parse_pod(&rest, id->pod_uid))
		return false;
	id->kind = CGT_K8S_POD;
	if (++i == n)
		return true;

	/* the container */
	name = cs[i];
	if (systemd && !comp_strip_suffix(&cs[i], ".scope", &name))
		name.len = 0;
	if (!name.len || !parse_container(&name, !systemd, id)) {
		id->kind = CGT_K8S_POD_OTHER;
		return true;
	}
	if (++i < n)
		id->sub_off = (size_t)(cs[i].s - path);
	return true;
}

static bool is_root_candidate(const struct comp *c)
{
	struct comp base;

	if (comp_eq(c, "kubepods"))
		return true;
	if (!comp_strip_suffix(c, ".slice", &base))
		return false;
	if (base.len == 8)
		return memcmp(base.s, "kubepods", 8) == 0;
	return base.len > 9 && memcmp(base.s + base.len - 9, "-kubepods", 9) == 0;
}

int cgt_k8s_parse(const char *path, struct cgt_k8s_id *ret)
{
	struct comp cs[MAX_COMPONENTS];
	struct cgt_k8s_id id;
	size_t n = 0, i;
	const char *p;

	if (!path || !ret)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	if (strnlen(path, MAX_PATH + 1) > MAX_PATH)
		return 0;
	for (p = path; *p;) {
		const char *e;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		e = strchr(p, '/');
		if (!e)
			e = p + strlen(p);
		if (n == MAX_COMPONENTS)
			return 0;
		cs[n].s = p;
		cs[n].len = (size_t)(e - p);
		n++;
		p = e;
	}
	/* innermost kubepods root first: kind runs kubelet inside a container */
	for (i = n; i-- > 0;) {
		if (is_root_candidate(&cs[i]) && parse_from(cs, n, i, path, &id)) {
			*ret = id;
			return 0;
		}
	}
	return 0;
}
