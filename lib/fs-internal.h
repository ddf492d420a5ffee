/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fs-internal.h - fd-level helpers shared by fs.c and cgroup.c (not public).
 */
#ifndef CGTIER_FS_INTERNAL_H
#define CGTIER_FS_INTERNAL_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>

/*
 * openat2(@dirfd, @rel, @flags | O_CLOEXEC | O_NOCTTY) with @resolve
 * (RESOLVE_* flags); O_NOCTTY is left out with O_PATH, which openat2()
 * accepts only with O_CLOEXEC, O_DIRECTORY and O_NOFOLLOW.  The fd or
 * -errno.
 */
int cgt__openat(int dirfd, const char *rel, int flags, uint64_t resolve);

/*
 * What cgt__openat() does when openat2() answers ENOSYS: @rel resolved one
 * component at a time with openat(O_NOFOLLOW), stricter than any @resolve
 * it stands in for: no absolute path and no ".." (-EXDEV), no symlink of
 * any kind (-ELOOP), and with RESOLVE_NO_XDEV no mount crossed (-EXDEV,
 * by statx's mount id; -ENOSYS if the kernel does not give it).
 */
int cgt__openat_walk(int dirfd, const char *rel, int flags, uint64_t resolve);

/* Read all of @fd into @buf as cgt_fs_read() does; closes nothing. */
int cgt__read_fd(int fd, char *buf, size_t len);

/* One write(2) of @val to @fd; -EIO on a short write. */
int cgt__write_fd(int fd, const char *val);

/* Open @rel below @dirfd with @resolve, read it, close it. */
int cgt__read_at(int dirfd, const char *rel, uint64_t resolve, char *buf,
		 size_t len);

/* Open @rel below @dirfd O_WRONLY|O_TRUNC with @resolve, write, close. */
int cgt__write_at(int dirfd, const char *rel, uint64_t resolve,
		  const char *val);

/*
 * A directory stream on @fd, which it takes over (closed on failure too):
 * 0 with *@ret set, or -errno.
 */
int cgt__fdopendir(int fd, DIR **ret);

/* A number file's text: an unsigned decimal, or "max" for UINT64_MAX. */
int cgt__parse_u64_or_max(const char *text, uint64_t *ret);

#endif /* CGTIER_FS_INTERNAL_H */
