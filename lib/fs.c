// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fs.c - access to /sys, /proc and cgroupfs below a root directory handle.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x00001000U
#endif

#include "cgtier/fs.h"
#include "cgtier/parse.h"
#include "fs-internal.h"

/* What every access below the root obeys. */
#define FS_RESOLVE (RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)

/* The mount of @fd (statx STATX_MNT_ID), or 0 if the kernel does not say. */
static uint64_t mount_id(int fd)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_MNT_ID, &stx) < 0 ||
	    !(stx.stx_mask & STATX_MNT_ID))
		return 0;
	return stx.stx_mnt_id;
}

int cgt__openat_walk(int dirfd, const char *rel, int flags, uint64_t resolve)
{
	int extra = flags & O_PATH ? O_CLOEXEC : O_CLOEXEC | O_NOCTTY;
	char buf[PATH_MAX], *save = NULL, *c, *next;
	int cur = dirfd, fd = -EINVAL;
	uint64_t mnt = 0;

	if (!rel || strlen(rel) >= sizeof(buf))
		return rel ? -ENAMETOOLONG : -EINVAL;
	if (rel[0] == '/')
		return -EXDEV; /* as RESOLVE_BENEATH: no absolute path */
	strcpy(buf, rel);
	if ((resolve & RESOLVE_NO_XDEV) && !(mnt = mount_id(dirfd)))
		return -ENOSYS; /* cannot check: refuse rather than cross */
	c = strtok_r(buf, "/", &save);
	if (!c) /* "" */
		return -ENOENT;
	for (; c; c = next) {
		struct stat st;

		next = strtok_r(NULL, "/", &save);
		if (!strcmp(c, "..")) {
			fd = -EXDEV; /* never above @dirfd; no caller needs ".." */
			break;
		}
		/*
		 * Every component with O_NOFOLLOW: a symlink (a magic link
		 * included) is refused, as RESOLVE_NO_SYMLINKS does; an
		 * intermediate one must be a directory.
		 */
		if (next)
			fd = openat(cur, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		else
			fd = openat(cur, c, flags | extra | O_NOFOLLOW);
		if (fd < 0) {
			fd = -errno;
			if ((fd == -ENOTDIR || fd == -ELOOP) &&
			    fstatat(cur, c, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
				fd = -ELOOP;
		}
		if (fd >= 0 && !next && (flags & O_PATH) &&
		    (fstat(fd, &st) < 0 || S_ISLNK(st.st_mode))) {
			close(fd); /* O_PATH|O_NOFOLLOW opens the link itself */
			fd = -ELOOP;
		}
		if (fd >= 0 && mnt && mount_id(fd) != mnt) {
			close(fd);
			fd = -EXDEV;
		}
		if (cur != dirfd)
			close(cur);
		cur = fd;
		if (fd < 0)
			break;
	}
	if (fd < 0 && cur >= 0 && cur != dirfd)
		close(cur);
	return fd;
}

/* openat2() is not there, or a seccomp filter answers ENOSYS for it */
static bool no_openat2;

int cgt__openat(int dirfd, const char *rel, int flags, uint64_t resolve)
{
	/* openat2() refuses O_PATH with anything but these */
	int extra = flags & O_PATH ? O_CLOEXEC : O_CLOEXEC | O_NOCTTY;
	struct open_how how = {
		.flags = (uint64_t)(flags | extra),
		.resolve = resolve,
	};
	int tries = 0;
	long fd;

	if (no_openat2)
		return cgt__openat_walk(dirfd, rel, flags, resolve);
	/* EAGAIN: a concurrent rename raced the BENEATH check; try again */
	do {
		fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
	} while (fd < 0 && (errno == EINTR || errno == EAGAIN) && ++tries < 16);
	if (fd < 0 && errno == ENOSYS) {
		/*
		 * systemd's RestrictSUIDSGID= (it cannot look into struct
		 * open_how) and some container runtimes' seccomp profiles
		 * answer ENOSYS: resolve component by component instead, with
		 * at least the same refusals.
		 */
		no_openat2 = true;
		return cgt__openat_walk(dirfd, rel, flags, resolve);
	}
	return fd < 0 ? -errno : (int)fd;
}

int cgt__read_fd(int fd, char *buf, size_t len)
{
	size_t total = 0;
	ssize_t n;
	char extra;

	if (!buf || len == 0)
		return -EINVAL;
	for (;;) {
		if (total == len - 1) {
			/* Full buffer: only fine if this is exactly the end. */
			n = read(fd, &extra, 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -errno;
			if (n > 0)
				return -EFBIG;
			break;
		}
		n = read(fd, buf + total, len - 1 - total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		total += (size_t)n;
	}
	while (total > 0 && buf[total - 1] == '\n')
		total--;
	buf[total] = '\0';
	return total > INT32_MAX ? -EFBIG : (int)total;
}

int cgt__write_fd(int fd, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;

	do {
		n = write(fd, val, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int cgt__read_at(int dirfd, const char *rel, uint64_t resolve, char *buf,
		 size_t len)
{
	int fd, r;

	if (!buf || len == 0)
		return -EINVAL;
	fd = cgt__openat(dirfd, rel, O_RDONLY, resolve);
	if (fd < 0)
		return fd;
	r = cgt__read_fd(fd, buf, len);
	close(fd);
	return r;
}

int cgt__write_at(int dirfd, const char *rel, uint64_t resolve,
		  const char *val)
{
	int fd, r;

	if (!val)
		return -EINVAL;
	fd = cgt__openat(dirfd, rel, O_WRONLY | O_TRUNC, resolve);
	if (fd < 0)
		return fd;
	r = cgt__write_fd(fd, val);
	/* sysfs and cgroupfs report some errors only at close */
	if (close(fd) < 0 && r == 0 && errno != EINTR)
		r = -errno;
	return r;
}

int cgt__fdopendir(int fd, DIR **ret)
{
	DIR *d = fdopendir(fd);

	if (!d) {
		int r = -errno;

		close(fd);
		return r;
	}
	*ret = d;
	return 0;
}

int cgt__parse_u64_or_max(const char *text, uint64_t *ret)
{
	if (strcmp(text, "max") == 0) {
		*ret = UINT64_MAX;
		return 0;
	}
	return cgt_parse_u64(text, ret);
}

int cgt_fs_open(struct cgt_fs *fs, const char *root)
{
	int fd;

	if (!fs)
		return -EINVAL;
	if (!root)
		root = "/";
	if (root[0] != '/')
		return -EINVAL;
	fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	fs->dirfd = fd;
	return 0;
}

void cgt_fs_close(struct cgt_fs *fs)
{
	if (fs && fs->dirfd >= 0) {
		close(fs->dirfd);
		fs->dirfd = -1;
	}
}

/* "/sys/x" -> "sys/x", "/" -> "."; NULL if @rel is not absolute. */
static const char *below_root(const struct cgt_fs *fs, const char *rel)
{
	if (!fs || fs->dirfd < 0 || !rel || rel[0] != '/')
		return NULL;
	while (*rel == '/')
		rel++;
	return *rel ? rel : ".";
}

int cgt_fs_openat(const struct cgt_fs *fs, const char *rel, int flags)
{
	const char *p = below_root(fs, rel);

	if (!p)
		return -EINVAL;
	return cgt__openat(fs->dirfd, p, flags, FS_RESOLVE);
}

int cgt_fs_fopen(const struct cgt_fs *fs, const char *rel, FILE **ret)
{
	FILE *f;
	int fd, r;

	if (!ret)
		return -EINVAL;
	fd = cgt_fs_openat(fs, rel, O_RDONLY);
	if (fd < 0)
		return fd;
	f = fdopen(fd, "r");
	if (!f) {
		r = -errno;
		close(fd);
		return r;
	}
	*ret = f;
	return 0;
}

int cgt_fs_read(const struct cgt_fs *fs, const char *rel, char *buf, size_t len)
{
	const char *p = below_root(fs, rel);

	if (!p)
		return -EINVAL;
	return cgt__read_at(fs->dirfd, p, FS_RESOLVE, buf, len);
}

int cgt_fs_read_u64(const struct cgt_fs *fs, const char *rel, uint64_t *ret)
{
	char buf[64];
	int r;

	if (!ret)
		return -EINVAL;
	r = cgt_fs_read(fs, rel, buf, sizeof(buf));
	if (r < 0)
		return r;
	return cgt__parse_u64_or_max(buf, ret);
}

int cgt_fs_write(const struct cgt_fs *fs, const char *rel, const char *val)
{
	const char *p = below_root(fs, rel);

	if (!p)
		return -EINVAL;
	return cgt__write_at(fs->dirfd, p, FS_RESOLVE, val);
}

int cgt_fs_write_u64(const struct cgt_fs *fs, const char *rel, uint64_t val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	return cgt_fs_write(fs, rel, buf);
}

int cgt_fs_exists(const struct cgt_fs *fs, const char *rel)
{
	int fd = cgt_fs_openat(fs, rel, O_PATH);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

int cgt_fs_opendir(const struct cgt_fs *fs, const char *rel, DIR **ret)
{
	int fd;

	if (!ret)
		return -EINVAL;
	fd = cgt_fs_openat(fs, rel, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	return cgt__fdopendir(fd, ret);
}
