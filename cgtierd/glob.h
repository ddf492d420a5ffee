/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * glob.h - cgroup path globs, relative to the cgroup2 mount.
 *
 * A glob is a '/'-separated list of components.  Within a component, '*',
 * '?' and '[...]' work as in fnmatch(3) and never match '/'; a component
 * that is exactly "**" matches zero or more whole components.  Examples
 * (written with spaces around '/' only because this is a C comment):
 *   system.slice / *.service    a service's own cgroup
 *   kubepods.slice / **         the kubepods root and everything below it
 *   ** / docker-*.scope         any docker scope at any depth
 */
#ifndef CGTIERD_GLOB_H
#define CGTIERD_GLOB_H

#include <stdbool.h>

/* Longest glob and longest cgroup path matched, in bytes. */
#define CGT_GLOB_MAX 4095
/* Most components in a glob or a matched path. */
#define CGT_GLOB_MAX_COMPONENTS 128

/*
 * Check that @glob is acceptable: not empty, relative, no empty, "." or ".."
 * components, "**" only as a whole component, at most CGT_GLOB_MAX bytes and
 * CGT_GLOB_MAX_COMPONENTS components.  0 or -EINVAL; *@why (if not NULL)
 * names the problem.
 */
int cgt_glob_check(const char *glob, const char **why);

/*
 * Whether @path (relative; leading slashes ignored; "" is the root cgroup)
 * matches the checked @glob.  A path over the limits never matches.
 */
bool cgt_glob_match(const char *glob, const char *path);

#endif /* CGTIERD_GLOB_H */
