/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * match.h - which policy covers a cgroup: the first, in configuration
 * order (conf.h), whose every selector matches.
 *
 *   cgroups     the path relative to the cgroup2 mount matches one glob;
 *   kubernetes  the path parses as a Kubernetes container (level:
 *               container; a cgroup below a container's, such as crun's
 *               "container" child, counts as that container) or a pod
 *               (level: pod), of one of the qos classes (any if none are
 *               given), one of the pod UIDs, one of the container ids
 *               (full or a prefix).  CRI-O's conmon scopes and cgroups in a
 *               pod that are not containers never match a kubernetes
 *               selector.  A pod sandbox container cannot be told from the
 *               path and does match (k8s.h).
 */
#ifndef CGTIERD_MATCH_H
#define CGTIERD_MATCH_H

#include <stdbool.h>

#include "cgtierd/conf.h"
#include "cgtierd/k8s.h"

/*
 * Normalise a cgroup path as an admin may paste it into @buf: "0::/x" (a
 * line of /proc/PID/cgroup) and "/x" become "x"; a path below @cgroup_root
 * (e.g. /sys/fs/cgroup/x) is made relative to it.  -ENAMETOOLONG.
 */
int cgt_cgroup_relpath(const char *path, const char *cgroup_root, char *buf, size_t len);

/* Whether @pol covers the cgroup @relpath, whose identity is @id. */
bool cgt_policy_matches(const struct cgt_policy *pol, const char *relpath,
			const struct cgt_k8s_id *id);

/* The first policy of @c that covers @relpath (identity @id), or NULL. */
const struct cgt_policy *cgt_config_match(const struct cgt_config *c, const char *relpath,
					  const struct cgt_k8s_id *id);

#endif /* CGTIERD_MATCH_H */
