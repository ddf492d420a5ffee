// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cgroup.c - cgroup v2 directories as O_PATH handles (see cgroup.h).
 *
 * Why not libcgroup here (it is a build requirement, for its headers and
 * for admins' tools next to us, not linked): its API finds controllers
 * from /proc/mounts and builds absolute path strings below the mount it
 * found, follows symlinks, and keeps its state in process-wide globals
 * (cgroup_init()).  This module must do the opposite for the daemon's
 * safety and its tests: every access relative to one root directory
 * handle, below it only (openat2 RESOLVE_BENEATH, no symlinks, no mount
 * crossing: a tenant cannot redirect a write of ours), with the root a
 * fixture tree in the tests.  Reading a cgroup v2 control file is a
 * read(2) of a small text file; libcgroup's value API would add parsing
 * of its own on top of the same read, not replace ours.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cgtier/cgroup.h"
#include "cgtier/stat.h"
#include "fs-internal.h"

#define CG_RESOLVE (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | \
		    RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV)

/* "" or "a/b/c": no leading '/', no empty, "." or ".." component. */
static int check_path(const char *path)
{
	const char *p = path;

	if (!path)
		return -EINVAL;
	if (strlen(path) >= PATH_MAX)
		return -ENAMETOOLONG;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return -EINVAL;
		p += n;
		if (*p == '/' && !*++p)
			return -EINVAL; /* trailing '/' */
	}
	return 0;
}

/* A single file name: non-empty, no '/', not "." or "..". */
static int check_file(const char *file)
{
	if (!file || !*file || strchr(file, '/') || !strcmp(file, ".") ||
	    !strcmp(file, ".."))
		return -EINVAL;
	return 0;
}

static int open_dir_at(int dirfd, const char *path, struct cgt_cgroup *ret)
{
	int fd, r;

	r = check_path(path);
	if (r < 0)
		return r;
	fd = cgt__openat(dirfd, *path ? path : ".", O_PATH | O_DIRECTORY,
			 CG_RESOLVE);
	if (fd < 0)
		return fd;
	ret->fd = fd;
	return 0;
}

int cgt_cgroup_open(const struct cgt_fs *fs, const char *path,
		    struct cgt_cgroup *ret)
{
	struct cgt_cgroup root;
	int fd, r;

	if (!ret)
		return -EINVAL;
	fd = cgt_fs_openat(fs, CGT_CGROUP_ROOT, O_PATH | O_DIRECTORY);
	if (fd < 0)
		return fd;
	root.fd = fd;
	r = cgt_cgroup_open_at(&root, path, ret);
	close(fd);
	return r;
}

int cgt_cgroup_is_unified(const struct cgt_fs *fs)
{
	struct statfs st;
	int fd, r = 0;

	fd = cgt_fs_openat(fs, CGT_CGROUP_ROOT, O_PATH | O_DIRECTORY);
	if (fd < 0)
		return fd;
	if (fstatfs(fd, &st) < 0)
		r = -errno;
	else
		r = st.f_type == CGROUP2_SUPER_MAGIC;
	close(fd);
	return r;
}

int cgt_cgroup_open_at(const struct cgt_cgroup *parent, const char *path,
		       struct cgt_cgroup *ret)
{
	if (!parent || parent->fd < 0 || !ret)
		return -EINVAL;
	return open_dir_at(parent->fd, path, ret);
}

int cgt_cgroup_opendir(const struct cgt_cgroup *cg, DIR **ret)
{
	int fd;

	if (!cg || cg->fd < 0 || !ret)
		return -EINVAL;
	fd = cgt__openat(cg->fd, ".", O_RDONLY | O_DIRECTORY, CG_RESOLVE);
	if (fd < 0)
		return fd;
	return cgt__fdopendir(fd, ret);
}

int cgt_cgroup_ino(const struct cgt_cgroup *cg, uint64_t *ret)
{
	struct stat st;

	if (!cg || cg->fd < 0 || !ret)
		return -EINVAL;
	if (fstat(cg->fd, &st) < 0)
		return -errno;
	*ret = (uint64_t)st.st_ino;
	return 0;
}

void cgt_cgroup_close(struct cgt_cgroup *cg)
{
	if (cg && cg->fd >= 0) {
		close(cg->fd);
		cg->fd = -1;
	}
}

/*
 * Split @path into the directory holding its last component (opened into
 * @dir) and that component (copied to @name, NAME_MAX + 1 bytes).
 */
static int open_parent(const struct cgt_cgroup *parent, const char *path,
		       struct cgt_cgroup *dir, char *name)
{
	char head[PATH_MAX];
	const char *slash;
	size_t n;
	int r;

	if (!parent || parent->fd < 0)
		return -EINVAL;
	r = check_path(path);
	if (r < 0)
		return r;
	if (!*path)
		return -EINVAL; /* the cgroup itself has no name here */
	slash = strrchr(path, '/');
	n = slash ? (size_t)(slash - path) : 0;
	if (strlen(path + (slash ? n + 1 : 0)) > NAME_MAX)
		return -ENAMETOOLONG;
	strcpy(name, path + (slash ? n + 1 : 0));
	memcpy(head, path, n);
	head[n] = '\0';
	return open_dir_at(parent->fd, head, dir);
}

int cgt_cgroup_mkdir(const struct cgt_cgroup *parent, const char *path)
{
	struct cgt_cgroup dir;
	char name[NAME_MAX + 1];
	int r;

	r = open_parent(parent, path, &dir, name);
	if (r < 0)
		return r;
	r = mkdirat(dir.fd, name, 0755) < 0 ? -errno : 0;
	cgt_cgroup_close(&dir);
	return r;
}

int cgt_cgroup_rmdir(const struct cgt_cgroup *parent, const char *path)
{
	struct cgt_cgroup dir;
	char name[NAME_MAX + 1];
	struct stat st;
	int r;

	r = open_parent(parent, path, &dir, name);
	if (r < 0)
		return r;
	/* never follow a symlink planted in place of the cgroup */
	if (fstatat(dir.fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		r = -errno;
	else if (!S_ISDIR(st.st_mode))
		r = -ENOTDIR;
	else if (unlinkat(dir.fd, name, AT_REMOVEDIR) < 0)
		r = -errno;
	cgt_cgroup_close(&dir);
	return r;
}

int cgt_cgroup_read(const struct cgt_cgroup *cg, const char *file, char *buf,
		    size_t len)
{
	if (!cg || cg->fd < 0 || check_file(file))
		return -EINVAL;
	return cgt__read_at(cg->fd, file, CG_RESOLVE, buf, len);
}

int cgt_cgroup_read_u64(const struct cgt_cgroup *cg, const char *file,
			uint64_t *ret)
{
	char buf[64];
	int r;

	if (!ret)
		return -EINVAL;
	r = cgt_cgroup_read(cg, file, buf, sizeof(buf));
	if (r < 0)
		return r;
	return cgt__parse_u64_or_max(buf, ret);
}

int cgt_cgroup_write(const struct cgt_cgroup *cg, const char *file,
		     const char *val)
{
	if (!cg || cg->fd < 0 || check_file(file))
		return -EINVAL;
	return cgt__write_at(cg->fd, file, CG_RESOLVE, val);
}

int cgt_cgroup_attach(const struct cgt_cgroup *cg, pid_t pid)
{
	char val[32];

	if (pid < 0)
		return -EINVAL;
	snprintf(val, sizeof(val), "%d", pid ? (int)pid : (int)getpid());
	return cgt_cgroup_write(cg, "cgroup.procs", val);
}

/* Read @file of @cg into a fresh CGT_FS_MAX_FILE buffer (*@ret, free it). */
static int read_text(const struct cgt_cgroup *cg, const char *file,
		     char **ret)
{
	char *text;
	int r;

	text = malloc(CGT_FS_MAX_FILE);
	if (!text)
		return -ENOMEM;
	r = cgt_cgroup_read(cg, file, text, CGT_FS_MAX_FILE);
	if (r < 0) {
		free(text);
		return r;
	}
	*ret = text;
	return 0;
}

int cgt_cgroup_stat(const struct cgt_cgroup *cg, const char *file,
		    const char *key, uint64_t *ret)
{
	char *text;
	int r;

	r = read_text(cg, file, &text);
	if (r < 0)
		return r;
	r = cgt_stat_get(text, key, ret);
	free(text);
	return r;
}

int cgt_cgroup_numa_stat(const struct cgt_cgroup *cg, const char *key,
			 uint64_t *ret, int nr)
{
	char *text;
	int r;

	r = read_text(cg, "memory.numa_stat", &text);
	if (r < 0)
		return r;
	r = cgt_numa_stat_get(text, key, ret, nr);
	free(text);
	return r;
}
