/* SPDX-License-Identifier: MIT */
/* Opening inputs without blocking, of the expected kind, inside a root. */
#include "io_open.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Longest path the walk handles, symlink targets spliced in. */
#define WALK_PATH_MAX 8192
/* Deepest directory nesting the walk keeps open. */
#define WALK_DEPTH_MAX 64

const char *io_kind_name(const struct stat *st)
{
	switch (st->st_mode & S_IFMT) {
	case S_IFREG: return "a regular file";
	case S_IFDIR: return "a directory";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFIFO: return "a FIFO";
	case S_IFSOCK: return "a socket";
	case S_IFLNK: return "a symbolic link";
	default: return "a special file";
	}
}

static bool has_root(const char *root)
{
	return root && root[0] && strcmp(root, "/");
}

/* The path relative to the root: leading slashes dropped, "" becomes ".". */
static const char *relative(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

static bool only_slashes(const char *s)
{
	return s[strspn(s, "/")] == '\0';
}

/* RESOLVE_IN_ROOT by hand: one component at a time, O_NOFOLLOW everywhere,
 * each symlink read and spliced into the rest of the path; an absolute
 * target restarts at the root and ".." never climbs above it. */
static int walk(int rootfd, const char *path, int flags)
{
	char *pending = malloc(WALK_PATH_MAX), *target = malloc(WALK_PATH_MAX);
	int dirs[WALK_DEPTH_MAX + 1];
	int depth = 0, links = 0, ret;
	size_t pos = 0;

	dirs[0] = rootfd;
	if (!pending || !target) {
		ret = -ENOMEM;
		goto out;
	}
	if (strlen(path) >= WALK_PATH_MAX) {
		ret = -ENAMETOOLONG;
		goto out;
	}
	strcpy(pending, path);
	for (;;) {
		struct stat st;
		char *name;
		size_t len;
		bool last;
		int fd;

		pos += strspn(pending + pos, "/");
		if (!pending[pos]) {
			/* The path ends at a directory already walked. */
			ret = openat(dirs[depth], ".", flags | O_CLOEXEC);
			ret = ret < 0 ? -errno : ret;
			goto out;
		}
		name = pending + pos;
		len = strcspn(name, "/");
		last = only_slashes(name + len);
		pos += len + (name[len] ? 1 : 0);
		name[len] = '\0';
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			if (depth)
				close(dirs[depth--]);
			continue;
		}
		/* O_PATH first: it opens a symlink itself, whatever the flags. */
		fd = openat(dirs[depth], name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0) {
			ret = -errno;
			if (fd >= 0)
				close(fd);
			goto out;
		}
		if (S_ISDIR(st.st_mode) && !last) {
			if (depth == WALK_DEPTH_MAX) {
				close(fd);
				ret = -ENAMETOOLONG;
				goto out;
			}
			dirs[++depth] = fd;
			continue;
		}
		close(fd);
		if (!S_ISLNK(st.st_mode) && last) {
			/* Still O_NOFOLLOW: swapped for a link since, it fails. */
			ret = openat(dirs[depth], name, flags | O_NOFOLLOW | O_CLOEXEC);
			ret = ret < 0 ? -errno : ret;
			goto out;
		}
		if (!S_ISLNK(st.st_mode)) {
			ret = -ENOTDIR;
			goto out;
		}
		/* A symlink: read it where it is and go on inside its target. */
		ssize_t n = readlinkat(dirs[depth], name, target, WALK_PATH_MAX - 1);

		if (n < 0) {
			ret = -errno;
			goto out;
		}
		if (++links > IO_SYMLINK_MAX) {
			ret = -ELOOP;
			goto out;
		}
		target[n] = '\0';
		if ((size_t)n + 1 + strlen(pending + pos) >= WALK_PATH_MAX) {
			ret = -ENAMETOOLONG;
			goto out;
		}
		if (target[0] == '/')
			while (depth)
				close(dirs[depth--]);
		/* pending = target "/" rest */
		memmove(pending + n + 1, pending + pos, strlen(pending + pos) + 1);
		memcpy(pending, target, (size_t)n);
		pending[n] = '/';
		pos = 0;
	}
out:
	while (depth)
		close(dirs[depth--]);
	free(target);
	free(pending);
	return ret;
}

static int open_root(const char *root)
{
	int fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* openat2(RESOLVE_IN_ROOT), or -ENOSYS where the kernel (or a seccomp
 * filter, which answers EPERM) does not offer it. */
static int open_in_root(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, rootfd, relative(path), &how, sizeof(how));

	if (fd >= 0)
		return (int)fd;
	if (errno == ENOSYS || errno == EPERM || errno == E2BIG)
		return -ENOSYS;
	return -errno;
}

static int open_raw(const char *root, const char *path, int flags, bool force_walk)
{
	int rootfd, fd;

	if (!has_root(root)) {
		fd = open(path, flags | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	rootfd = open_root(root);
	if (rootfd < 0)
		return rootfd;
	fd = force_walk ? -ENOSYS : open_in_root(rootfd, path, flags);
	if (fd == -ENOSYS)
		fd = walk(rootfd, relative(path), flags);
	close(rootfd);
	return fd;
}

static int open_checked(const char *root, const char *path, int flags, unsigned allow,
			struct stat *st, bool force_walk)
{
	struct stat local;
	int fd, ret;

	if (!st)
		st = &local;
	fd = open_raw(root, path, flags | O_NONBLOCK | O_NOCTTY, force_walk);
	if (fd == -ENXIO) {
		/* A socket (or a FIFO opened for writing with no reader): say
		 * what it is when that kind is not wanted anyway. */
		int probe = open_raw(root, path, O_PATH, force_walk);

		if (probe >= 0 && fstat(probe, st) == 0 && !S_ISREG(st->st_mode) &&
		    !S_ISCHR(st->st_mode) && !S_ISDIR(st->st_mode))
			fd = -EINVAL;
		if (probe >= 0)
			close(probe);
	}
	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0) {
		ret = -errno;
		goto close_fd;
	}
	if (S_ISREG(st->st_mode) && (allow & IO_REGULAR))
		return fd;
	if (S_ISDIR(st->st_mode) && (allow & IO_DIRECTORY))
		return fd;
	if (S_ISCHR(st->st_mode) && (allow & IO_CHARDEV)) {
		int fl = fcntl(fd, F_GETFL);

		if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
			ret = -errno;
			goto close_fd;
		}
		return fd;
	}
	ret = S_ISDIR(st->st_mode) ? -EISDIR : -EINVAL;
close_fd:
	close(fd);
	return ret;
}

int io_open(const char *root, const char *path, int flags, unsigned allow, struct stat *st)
{
	return open_checked(root, path, flags, allow, st, false);
}

int io_open_walk(const char *root, const char *path, int flags, unsigned allow,
		 struct stat *st)
{
	if (!has_root(root))
		return -EINVAL;
	return open_checked(root, path, flags, allow, st, true);
}

/* The parent directory of path, opened (O_PATH) inside root, and where the
 * last component starts. "/" and names ending in "/" or ".." have no
 * component of their own: -EINVAL. */
static int open_parent(const char *root, const char *path, const char **base)
{
	char dir[WALK_PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t len;
	int fd;

	*base = slash ? slash + 1 : path;
	if (!**base || !strcmp(*base, "..") || !strcmp(*base, "."))
		return -EINVAL;
	len = slash ? (size_t)(slash - path) : 0;
	if (len >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, len);
	dir[len] = '\0';
	if (!len)
		strcpy(dir, slash ? "/" : ".");
	fd = open_raw(root, dir, O_PATH | O_DIRECTORY, false);
	return fd;
}

int io_readlink(const char *root, const char *path, char *buf, size_t size)
{
	const char *base;
	ssize_t n;
	int dirfd;

	if (!size)
		return -EINVAL;
	dirfd = open_parent(root, path, &base);
	if (dirfd < 0)
		return dirfd;
	n = readlinkat(dirfd, base, buf, size);
	if (n < 0)
		n = -errno;
	close(dirfd);
	if (n < 0)
		return (int)n;
	if ((size_t)n >= size) {
		buf[size - 1] = '\0';
		return -ENAMETOOLONG;
	}
	buf[n] = '\0';
	return (int)n;
}

bool io_exists(const char *root, const char *path)
{
	const char *base;
	struct stat st;
	int dirfd = open_parent(root, path, &base);
	bool found;

	if (dirfd < 0)
		return false;
	found = fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0;
	close(dirfd);
	return found;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void io_names_free(char **names, int count)
{
	for (int i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

int io_list_dir(const char *root, const char *path, char ***names)
{
	char **list = NULL;
	struct dirent *e;
	size_t count = 0, cap = 0;
	int fd, ret = 0;
	DIR *dir;

	*names = NULL;
	fd = io_open(root, path, O_RDONLY | O_DIRECTORY, IO_DIRECTORY, NULL);
	if (fd < 0)
		return fd;
	dir = fdopendir(fd);
	if (!dir) {
		ret = -errno;
		close(fd);
		return ret;
	}
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (count == cap) {
			size_t want = cap ? cap * 2 : 16;
			char **grown = want < INT32_MAX ? realloc(list, want * sizeof(*list)) : NULL;

			if (!grown) {
				ret = -ENOMEM;
				break;
			}
			list = grown;
			cap = want;
		}
		list[count] = strdup(e->d_name);
		if (!list[count]) {
			ret = -ENOMEM;
			break;
		}
		count++;
	}
	closedir(dir);
	if (ret < 0) {
		io_names_free(list, (int)count);
		return ret;
	}
	if (count)
		qsort(list, count, sizeof(*list), by_name);
	*names = list;
	return (int)count;
}

int io_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
