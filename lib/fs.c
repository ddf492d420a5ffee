// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fs.c - root-parameterised access to /sys, /proc and cgroupfs.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgtier/fs.h"

int cgt_fs_init(struct cgt_fs *fs, const char *root)
{
	size_t len;

	if (!fs)
		return -EINVAL;
	if (!root)
		root = "/";
	len = strlen(root);
	while (len > 0 && root[len - 1] == '/')
		len--;
	if (len >= sizeof(fs->root))
		return -ENAMETOOLONG;
	memcpy(fs->root, root, len);
	fs->root[len] = '\0';
	return 0;
}

int cgt_fs_path(const struct cgt_fs *fs, const char *rel, char *buf, size_t len)
{
	int n;

	if (!fs || !rel || rel[0] != '/' || !buf)
		return -EINVAL;
	n = snprintf(buf, len, "%s%s", fs->root, rel);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

static int open_rel(const struct cgt_fs *fs, const char *rel, int flags)
{
	char path[PATH_MAX];
	int r, fd;

	r = cgt_fs_path(fs, rel, path, sizeof(path));
	if (r < 0)
		return r;
	fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
	return fd < 0 ? -errno : fd;
}

int cgt_fs_read(const struct cgt_fs *fs, const char *rel, char *buf, size_t len)
{
	size_t total = 0;
	int fd, r = 0;

	if (!buf || len == 0)
		return -EINVAL;
	fd = open_rel(fs, rel, O_RDONLY);
	if (fd < 0)
		return fd;
	for (;;) {
		ssize_t n = read(fd, buf + total, len - 1 - total);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total == len - 1) {
			char extra;

			/* Full buffer: only fine if this was exactly the end. */
			n = read(fd, &extra, 1);
			if (n != 0)
				r = n < 0 ? -errno : -EFBIG;
			break;
		}
	}
	close(fd);
	if (r < 0)
		return r;
	while (total > 0 && buf[total - 1] == '\n')
		total--;
	buf[total] = '\0';
	return (int)total;
}

int cgt_fs_read_u64(const struct cgt_fs *fs, const char *rel, uint64_t *ret)
{
	char buf[64], *end;
	unsigned long long v;
	int r;

	if (!ret)
		return -EINVAL;
	r = cgt_fs_read(fs, rel, buf, sizeof(buf));
	if (r < 0)
		return r;
	if (strcmp(buf, "max") == 0) {
		*ret = UINT64_MAX;
		return 0;
	}
	if (buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno)
		return -errno;
	if (*end != '\0')
		return -EINVAL;
	*ret = v;
	return 0;
}

int cgt_fs_write(const struct cgt_fs *fs, const char *rel, const char *val)
{
	size_t len;
	ssize_t n;
	int fd, r = 0;

	if (!val)
		return -EINVAL;
	fd = open_rel(fs, rel, O_WRONLY);
	if (fd < 0)
		return fd;
	len = strlen(val);
	do {
		n = write(fd, val, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		r = -errno;
	else if ((size_t)n != len)
		r = -EIO;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

int cgt_fs_exists(const struct cgt_fs *fs, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;
	int r;

	r = cgt_fs_path(fs, rel, path, sizeof(path));
	if (r < 0)
		return r;
	return stat(path, &st) < 0 ? -errno : 0;
}

int cgt_fs_opendir(const struct cgt_fs *fs, const char *rel, DIR **ret)
{
	char path[PATH_MAX];
	DIR *d;
	int r;

	if (!ret)
		return -EINVAL;
	r = cgt_fs_path(fs, rel, path, sizeof(path));
	if (r < 0)
		return r;
	d = opendir(path);
	if (!d)
		return -errno;
	*ret = d;
	return 0;
}
