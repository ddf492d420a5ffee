/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fs.h - the one place where cgtier touches /sys, /proc and cgroupfs.
 *
 * A struct cgt_fs holds an O_PATH handle on a root directory: "/" on a live
 * system, a fixture tree in unit tests.  Every path argument is relative to
 * that root, written absolute ("/sys/kernel/mm/..."), and is resolved with
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) from the root handle: no
 * string building per access, and no path ("..", an absolute symlink, a
 * /proc magic link) can reach outside the root.  Relative symlinks that
 * stay below it (sysfs's, /proc/self) work.  cgroup.h adds stricter,
 * per-cgroup handles on top.
 *
 * All functions return 0 (or a byte count) on success and a negative errno
 * on failure; they never log, and write out-parameters only on success.
 */
#ifndef CGTIER_FS_H
#define CGTIER_FS_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Largest attribute file we read (memory.stat, numa_stat, vmstat fit). */
#define CGT_FS_MAX_FILE (64 * 1024)

struct cgt_fs {
	int dirfd; /* O_PATH|O_DIRECTORY handle of the root; -1 when closed */
};

/*
 * Open the root @root (NULL means "/").  @root must be an absolute path to
 * a directory: a relative one is -EINVAL (it would depend on the working
 * directory).  Release with cgt_fs_close().
 */
int cgt_fs_open(struct cgt_fs *fs, const char *root);

/* Close the root handle; safe on a closed or zeroed-then-failed @fs. */
void cgt_fs_close(struct cgt_fs *fs);

/*
 * openat2() @rel below the root with @flags (O_CLOEXEC, and O_NOCTTY
 * unless @flags has O_PATH, are added).  Returns the new fd or a negative errno: -EXDEV if @rel leaves
 * the root, -EINVAL if @rel is not absolute.
 */
int cgt_fs_openat(const struct cgt_fs *fs, const char *rel, int flags);

/*
 * Read the whole file @rel into @buf (NUL-terminated, trailing newlines
 * stripped).  Returns the length, -EFBIG if the file has more than @len - 1
 * bytes, or the errno of open/read.
 */
int cgt_fs_read(const struct cgt_fs *fs, const char *rel, char *buf, size_t len);

/*
 * Read a file holding one unsigned decimal number (cgt_parse_u64(), after
 * the trailing newline is stripped); "max" gives UINT64_MAX.
 */
int cgt_fs_read_u64(const struct cgt_fs *fs, const char *rel, uint64_t *ret);

/*
 * Replace the contents of @rel with @val: open O_WRONLY|O_TRUNC (which
 * sysfs, procfs and cgroupfs accept and ignore) and a single write(2);
 * -EIO on a short write.  The file must exist.
 */
int cgt_fs_write(const struct cgt_fs *fs, const char *rel, const char *val);

/* cgt_fs_write() of @val in decimal. */
int cgt_fs_write_u64(const struct cgt_fs *fs, const char *rel, uint64_t val);

/*
 * Open @rel for reading line by line (files too large for cgt_fs_read(),
 * such as /proc/zoneinfo or /proc/iomem); *@ret (fclose() it) is set only
 * on success.
 */
int cgt_fs_fopen(const struct cgt_fs *fs, const char *rel, FILE **ret);

/* Open directory @rel; *@ret (closedir() it) is set only on success. */
int cgt_fs_opendir(const struct cgt_fs *fs, const char *rel, DIR **ret);

/* Test whether @rel exists (0) or not (-ENOENT, or another errno). */
int cgt_fs_exists(const struct cgt_fs *fs, const char *rel);

#endif /* CGTIER_FS_H */
