/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup.h - cgroup v2 directories as O_PATH handles.
 *
 * A struct cgt_cgroup is an O_PATH handle on one cgroup directory below
 * CGT_CGROUP_ROOT of a struct cgt_fs.  Cgroup paths are relative to the
 * cgroup root ("kubepods.slice/pod1", "" for the root itself) and may not
 * contain empty, "." or ".." components or start with '/'; they are
 * resolved with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_XDEV), so a planted symlink or a bind mount inside the
 * hierarchy is refused (-ELOOP, -EXDEV) instead of followed (reliability
 * D15).  Files of a cgroup are opened from its handle the same way, by a
 * single file name ("memory.stat").
 *
 * Return values as in fs.h: 0 or a byte count, or a negative errno; out
 * parameters are written only on success.  A cgroup removed while its
 * handle is open reads -ENOENT or -ENODEV.
 */
#ifndef CGTIER_CGROUP_H
#define CGTIER_CGROUP_H

#include <dirent.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgtier/fs.h"

#define CGT_CGROUP_ROOT "/sys/fs/cgroup"

struct cgt_cgroup {
	int fd; /* O_PATH|O_DIRECTORY handle; -1 when closed */
};

/* Open cgroup @path below @fs's CGT_CGROUP_ROOT into @ret. */
int cgt_cgroup_open(const struct cgt_fs *fs, const char *path,
		    struct cgt_cgroup *ret);

/*
 * Whether CGT_CGROUP_ROOT below @fs is a cgroup2 mount (1) or something
 * else (0: cgroup v1's tmpfs of a hybrid setup, or a plain directory of a
 * fixture tree), or -errno if it cannot be opened.
 */
int cgt_cgroup_is_unified(const struct cgt_fs *fs);

/* Open cgroup @path below the cgroup @parent (a descendant of it). */
int cgt_cgroup_open_at(const struct cgt_cgroup *parent, const char *path,
		       struct cgt_cgroup *ret);

/*
 * List @cg's directory (its child cgroups and its files): *@ret, to be
 * closedir()ed, is set only on success.  The entries are names to pass to
 * cgt_cgroup_open_at(), which refuses the symlinks among them.
 */
int cgt_cgroup_opendir(const struct cgt_cgroup *cg, DIR **ret);

/* The inode number of @cg's directory (the cgroup id on cgroupfs). */
int cgt_cgroup_ino(const struct cgt_cgroup *cg, uint64_t *ret);

/* Close the handle; safe on a closed one. */
void cgt_cgroup_close(struct cgt_cgroup *cg);

/*
 * Create the cgroup @path below @parent (its parent directory must exist):
 * -EEXIST if it does.
 */
int cgt_cgroup_mkdir(const struct cgt_cgroup *parent, const char *path);

/*
 * Remove the cgroup @path below @parent: -EBUSY while it has tasks or
 * children (dying tasks leave it busy for a moment: the caller decides
 * whether to retry), -ENOENT if it is gone.
 */
int cgt_cgroup_rmdir(const struct cgt_cgroup *parent, const char *path);

/* Move process @pid (0: the caller) into @cg: write cgroup.procs. */
int cgt_cgroup_attach(const struct cgt_cgroup *cg, pid_t pid);

/* cgt_fs_read(), cgt_fs_read_u64() and cgt_fs_write() on @cg's @file. */
int cgt_cgroup_read(const struct cgt_cgroup *cg, const char *file, char *buf,
		    size_t len);
int cgt_cgroup_read_u64(const struct cgt_cgroup *cg, const char *file,
			uint64_t *ret);
int cgt_cgroup_write(const struct cgt_cgroup *cg, const char *file,
		     const char *val);

/* Flat-keyed @key of @cg's @file (memory.stat, memory.events, ...). */
int cgt_cgroup_stat(const struct cgt_cgroup *cg, const char *file,
		    const char *key, uint64_t *ret);

/* @key of @cg's memory.numa_stat into @ret[0..@nr-1] (cgt_numa_stat_get). */
int cgt_cgroup_numa_stat(const struct cgt_cgroup *cg, const char *key,
			 uint64_t *ret, int nr);

#endif /* CGTIER_CGROUP_H */
