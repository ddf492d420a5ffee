/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fs.h - the one place where cgtier touches /sys, /proc and cgroupfs.
 *
 * Every path is relative to a root directory, "/" on a live system and a
 * fixture tree in unit tests.  All functions return 0 (or a byte count) on
 * success and a negative errno on failure; they never log.
 */
#ifndef CGTIER_FS_H
#define CGTIER_FS_H

#include <dirent.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

/* Largest attribute file we read (memory.stat, numa_stat, vmstat fit). */
#define CGT_FS_MAX_FILE (64 * 1024)

struct cgt_fs {
	char root[PATH_MAX]; /* no trailing slash; "" means the real "/" */
};

/* Set @fs to @root ("/" or NULL for the live system). -ENAMETOOLONG, -EINVAL. */
int cgt_fs_init(struct cgt_fs *fs, const char *root);

/* Build "<root>/<rel>" into @buf. @rel must be absolute ("/sys/..."). */
int cgt_fs_path(const struct cgt_fs *fs, const char *rel, char *buf, size_t len);

/*
 * Read the whole file @rel into @buf (NUL-terminated, trailing newlines
 * stripped).  Returns the length, -EFBIG if it does not fit in @len - 1
 * bytes, or the errno of open/read.
 */
int cgt_fs_read(const struct cgt_fs *fs, const char *rel, char *buf, size_t len);

/* Read a file holding one unsigned decimal number; "max" gives UINT64_MAX. */
int cgt_fs_read_u64(const struct cgt_fs *fs, const char *rel, uint64_t *ret);

/* Write @val to @rel with a single write(2); -EIO on a short write. */
int cgt_fs_write(const struct cgt_fs *fs, const char *rel, const char *val);

/* Open directory @rel; *@ret (closedir() it) is set only on success. */
int cgt_fs_opendir(const struct cgt_fs *fs, const char *rel, DIR **ret);

/* Test whether @rel exists (0) or not (-ENOENT, or another errno). */
int cgt_fs_exists(const struct cgt_fs *fs, const char *rel);

#endif /* CGTIER_FS_H */
