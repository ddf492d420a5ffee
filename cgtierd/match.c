// SPDX-License-Identifier: LGPL-2.1-or-later
/* match.c - first-match policy selection (see match.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cgtierd/glob.h"
#include "cgtierd/match.h"

int cgt_cgroup_relpath(const char *path, const char *cgroup_root, char *buf, size_t len)
{
	size_t rl;
	int n;

	if (!path || !buf || !len)
		return -EINVAL;
	if (strncmp(path, "0::", 3) == 0)
		path += 3;
	if (cgroup_root && cgroup_root[0] == '/') {
		rl = strlen(cgroup_root);
		while (rl > 1 && cgroup_root[rl - 1] == '/')
			rl--;
		if (rl > 1 && strncmp(path, cgroup_root, rl) == 0 &&
		    (path[rl] == '/' || path[rl] == '\0'))
			path += rl;
	}
	while (*path == '/')
		path++;
	n = snprintf(buf, len, "%s", path);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	/* no trailing slashes, as in /proc/PID/cgroup */
	while (n > 0 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return 0;
}

static bool in_list(char *const *v, size_t n, const char *s, bool prefix)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (prefix ? strncmp(s, v[i], strlen(v[i])) == 0 : strcmp(s, v[i]) == 0)
			return true;
	return false;
}

static bool k8s_matches(const struct cgt_match *m, const struct cgt_k8s_id *id)
{
	enum cgt_k8s_kind want = m->level == CGT_LEVEL_POD ? CGT_K8S_POD : CGT_K8S_CONTAINER;

	if (!id || id->kind != want)
		return false;
	if (m->qos_mask && !(m->qos_mask & (1u << id->qos)))
		return false;
	if (m->n_pod_uids && !in_list(m->pod_uids, m->n_pod_uids, id->pod_uid, false))
		return false;
	if (m->n_container_ids &&
	    !in_list(m->container_ids, m->n_container_ids, id->container_id, true))
		return false;
	return true;
}

bool cgt_policy_matches(const struct cgt_policy *pol, const char *relpath,
			const struct cgt_k8s_id *id)
{
	const struct cgt_match *m = &pol->match;

	if (!m->n_cgroups && !m->kubernetes)
		return false;
	if (m->n_cgroups) {
		size_t i;
		bool any = false;

		for (i = 0; i < m->n_cgroups && !any; i++)
			any = cgt_glob_match(m->cgroups[i], relpath);
		if (!any)
			return false;
	}
	return !m->kubernetes || k8s_matches(m, id);
}

const struct cgt_policy *cgt_config_match(const struct cgt_config *c, const char *relpath,
					  const struct cgt_k8s_id *id)
{
	size_t i;

	if (!c || !relpath)
		return NULL;
	for (i = 0; i < c->n_policies; i++)
		if (cgt_policy_matches(&c->policies[i], relpath, id))
			return &c->policies[i];
	return NULL;
}
