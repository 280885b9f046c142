/* SPDX-License-Identifier: MIT */
/* Writing an output file: atomically for a regular file, through for a stream.
 *
 * A regular target is replaced by rename() of a complete, fsync'ed copy, so
 * it is always either the old or the new content. The copy is first an
 * anonymous O_TMPFILE inode: a process killed while writing (SIGKILL
 * included) leaves nothing behind. It gets a name beside the target only
 * for the link-and-rename at the end, with the catchable signals blocked
 * so that SIGINT, SIGTERM or SIGHUP arrive after the rename, not between;
 * only a SIGKILL in those two system calls can leave the named copy (which
 * is then complete). Where O_TMPFILE is unavailable the copy is named from
 * the start, with the signals blocked from creation to rename.
 *
 * A character device or FIFO (/dev/null, a terminal, "-o /dev/stdout") is
 * written through: replacing it would turn a device node into a regular
 * file. Directories, block devices and sockets are refused. An existing
 * file keeps its mode (and, for root, its owner); a new one gets 0666 less
 * the umask. A symlink to a regular file stays a symlink: its target is
 * replaced.
 */
#include "igdpt/file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag_message.h"
#include "io_open.h"

/* ".XXXXXX" after the target's name, as mkstemp() spells it. */
#define TEMP_SUFFIX_LEN 7
#define TEMP_ATTEMPTS 100
#define NEW_FILE_MODE 0666

static int fail(int err, struct igdpt_diag *diag, const char *path, const char *what)
{
	return diag_failf(diag, -err, what, "%s: %s: %s", path, what, strerror(err));
}

/* A path that names a stream by file descriptor ("/dev/stdout",
 * "/dev/fd/3", "/proc/self/fd/1"): whatever it resolves to, the caller
 * means the open file behind it, not a file to replace. */
static bool names_an_fd(const char *path)
{
	char target[32];
	ssize_t n;

	if (!strncmp(path, "/proc/", 6) || !strncmp(path, "/dev/fd/", 8))
		return true;
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	return !strncmp(target, "/proc/", 6) || !strncmp(target, "/dev/fd/", 8);
}

static int write_through(const char *path, bool truncate, const uint8_t *data, size_t len,
			 struct igdpt_diag *diag)
{
	int fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (truncate ? O_TRUNC : 0));
	int fl, ret;

	if (fd < 0 && errno == ENXIO)
		return diag_failf(diag, -ENXIO, "cannot open",
				  "%s: cannot open: no process reads from it", path);
	if (fd < 0)
		return fail(errno, diag, path, "cannot open");
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		ret = fail(errno, diag, path, "cannot write");
		close(fd);
		return ret;
	}
	ret = io_write_all(fd, data, len);
	if (ret < 0) {
		close(fd);
		return fail(-ret, diag, path, "cannot write");
	}
	if (close(fd) < 0)
		return fail(errno, diag, path, "cannot write");
	return 0;
}

/* The directory part of path ("." for a bare name). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	dir = strndup(path, (size_t)(slash - path));
	return dir;
}

/* TARGET.XXXXXX with six random letters and digits. */
static void temp_name(const char *target, char *out, size_t size)
{
	static const char alnum[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[TEMP_SUFFIX_LEN - 1];
	size_t n = (size_t)snprintf(out, size, "%s.", target);

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		for (size_t i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)((ts.tv_nsec >> (i * 5)) ^ (getpid() >> i));
	}
	for (size_t i = 0; i < sizeof(r) && n + 1 < size; i++)
		out[n++] = alnum[r[i] % (sizeof(alnum) - 1)];
	out[n] = '\0';
}

/* Gives the anonymous fd a name beside the target: linkat() with
 * AT_EMPTY_PATH (needs CAP_DAC_READ_SEARCH) or through /proc/self/fd. */
static int link_temp(int fd, const char *target, char *tmp, size_t size)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	for (int i = 0; i < TEMP_ATTEMPTS; i++) {
		temp_name(target, tmp, size);
		if (linkat(fd, "", AT_FDCWD, tmp, AT_EMPTY_PATH) == 0)
			return 0;
		if (errno == EEXIST)
			continue;
		if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

static int create_named_temp(const char *target, char *tmp, size_t size, mode_t mode)
{
	for (int i = 0; i < TEMP_ATTEMPTS; i++) {
		int fd;

		temp_name(target, tmp, size);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

static void block_signals(sigset_t *old)
{
	sigset_t all;

	/* SIGKILL and SIGSTOP cannot be blocked; the rest wait until the
	 * rename is done (or undone). */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, old);
}

static void restore_signals(const sigset_t *old)
{
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* Replaces the regular file target (existing when st is non-NULL). */
static int replace_regular(const char *target, const struct stat *st, const uint8_t *data,
			   size_t len, struct igdpt_diag *diag)
{
	size_t tmp_size = strlen(target) + TEMP_SUFFIX_LEN + 1;
	char *dir = dir_of(target), *tmp = malloc(tmp_size);
	mode_t mode = st ? st->st_mode & 07777 : NEW_FILE_MODE;
	bool named = false, blocked = false;
	sigset_t old;
	int fd, ret;

	if (!dir || !tmp) {
		ret = fail(ENOMEM, diag, target, "cannot write");
		goto free_names;
	}
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
	if (fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
		ret = fail(errno, diag, target, "cannot create");
		goto free_names;
	}
	if (fd < 0) {
		block_signals(&old);
		blocked = true;
		fd = create_named_temp(target, tmp, tmp_size, mode);
		if (fd < 0) {
			ret = fail(-fd, diag, target, "cannot create");
			goto restore;
		}
		named = true;
	}
	ret = io_write_all(fd, data, len);
	if (ret < 0) {
		ret = fail(-ret, diag, target, "cannot write");
		goto close_fd;
	}
	/* The mode exactly as it was (creation applied the umask to it), and
	 * root keeps the owner too; a failed chown is not worth failing for. */
	if (st) {
		if (fchmod(fd, mode) < 0) {
			ret = fail(errno, diag, target, "cannot write");
			goto close_fd;
		}
		if (geteuid() == 0 && fchown(fd, st->st_uid, st->st_gid) < 0) {
			/* the content matters more than the owner */
		}
	}
	if (fsync(fd) < 0) {
		ret = fail(errno, diag, target, "cannot write");
		goto close_fd;
	}
	if (!blocked) {
		block_signals(&old);
		blocked = true;
	}
	if (!named) {
		ret = link_temp(fd, target, tmp, tmp_size);
		if (ret < 0) {
			ret = fail(-ret, diag, target, "cannot create");
			goto close_fd;
		}
		named = true;
	}
	if (rename(tmp, target) < 0) {
		ret = fail(errno, diag, target, "cannot replace");
		goto close_fd;
	}
	named = false;
	ret = close(fd) < 0 ? fail(errno, diag, target, "cannot write") : 0;
	fd = -1;
close_fd:
	if (fd >= 0)
		close(fd);
	if (named)
		unlink(tmp);
restore:
	if (blocked)
		restore_signals(&old);
free_names:
	free(tmp);
	free(dir);
	return ret;
}

int igdpt_file_write(const char *path, const uint8_t *data, size_t len,
		     struct igdpt_diag *diag)
{
	char resolved[PATH_MAX];
	struct stat st, lst;

	if (names_an_fd(path)) {
		if (stat(path, &st) < 0)
			return fail(errno, diag, path, "cannot open");
		if (S_ISDIR(st.st_mode))
			return fail(EISDIR, diag, path, "cannot write");
		return write_through(path, S_ISREG(st.st_mode), data, len, diag);
	}
	if (stat(path, &st) < 0) {
		if (errno != ENOENT)
			return fail(errno, diag, path, "cannot create");
		if (lstat(path, &lst) == 0)
			return diag_failf(diag, -ENOENT, "cannot create",
					  "%s: cannot create: a symbolic link to nothing", path);
		return replace_regular(path, NULL, data, len, diag);
	}
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
		return write_through(path, false, data, len, diag);
	if (S_ISDIR(st.st_mode))
		return diag_failf(diag, -EISDIR, "cannot write", "%s: cannot write: is a directory",
				  path);
	if (!S_ISREG(st.st_mode))
		return diag_failf(diag, -EINVAL, "cannot write",
				  "%s: cannot write: %s (igdpt writes regular files, character "
				  "devices and FIFOs)", path, io_kind_name(&st));
	/* A symlink stays one: replace the file it points at. */
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		if (!realpath(path, resolved))
			return fail(errno, diag, path, "cannot create");
		return replace_regular(resolved, &st, data, len, diag);
	}
	return replace_regular(path, &st, data, len, diag);
}
