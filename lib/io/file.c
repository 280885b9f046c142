/* SPDX-License-Identifier: MIT */
/* Whole-file reads and atomic writes for the hosted tools. */
#include "igdpt/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag_message.h"

/* "PATH: WHAT: errno text" in the caller's message, or WHAT alone. */
static int fail(int err, struct igdpt_diag *diag, const char *path, const char *what)
{
	return diag_failf(diag, -err, what, "%s: %s: %s", path, what, strerror(err));
}

int igdpt_file_read(const char *path, uint8_t **data, size_t *len, struct igdpt_diag *diag)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t have = 0, cap = 0;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(errno, diag, path, "cannot open");
	if (fstat(fd, &st) < 0) {
		ret = fail(errno, diag, path, "cannot stat");
		goto close_fd;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = fail(EISDIR, diag, path, "not a file");
		goto close_fd;
	}
	if (st.st_size > (off_t)IGDPT_FILE_MAX_SIZE) {
		ret = fail(EFBIG, diag, path, "too large for an OpRegion or VBT");
		goto close_fd;
	}
	/* Read to EOF rather than trusting st_size: debugfs and sysfs files
	 * report 0 or a page size. */
	for (;;) {
		ssize_t n;

		/* Grow only when full, and by doubling: a read near the limit
		 * stays linear, not quadratic. */
		if (have == cap) {
			size_t want = cap ? cap * 2 : 8192;
			uint8_t *grown;

			if (want > IGDPT_FILE_MAX_SIZE + 1)
				want = IGDPT_FILE_MAX_SIZE + 1;
			grown = realloc(buf, want);
			if (!grown) {
				ret = fail(ENOMEM, diag, path, "cannot read");
				goto free_buf;
			}
			buf = grown;
			cap = want;
		}
		n = read(fd, buf + have, cap - have);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = fail(errno, diag, path, "cannot read");
			goto free_buf;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		if (have > IGDPT_FILE_MAX_SIZE) {
			ret = fail(EFBIG, diag, path, "too large for an OpRegion or VBT");
			goto free_buf;
		}
	}
	close(fd);
	*data = buf;
	*len = have;
	return 0;

free_buf:
	free(buf);
close_fd:
	close(fd);
	return ret;
}

int igdpt_file_write(const char *path, const uint8_t *data, size_t len,
		     struct igdpt_diag *diag)
{
	size_t path_len = strlen(path);
	char *tmp = malloc(path_len + sizeof(".XXXXXX"));
	size_t done = 0;
	int fd, ret;

	if (!tmp)
		return fail(ENOMEM, diag, path, "cannot write");
	memcpy(tmp, path, path_len);
	memcpy(tmp + path_len, ".XXXXXX", sizeof(".XXXXXX"));
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = fail(errno, diag, path, "cannot create");
		goto free_tmp;
	}
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = fail(errno, diag, path, "cannot write");
			goto unlink_tmp;
		}
		done += (size_t)n;
	}
	if (fchmod(fd, 0644) < 0 || fsync(fd) < 0) {
		ret = fail(errno, diag, path, "cannot write");
		goto unlink_tmp;
	}
	if (close(fd) < 0) {
		fd = -1;
		ret = fail(errno, diag, path, "cannot write");
		goto unlink_tmp;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		ret = fail(errno, diag, path, "cannot replace");
		goto unlink_tmp;
	}
	free(tmp);
	return 0;

unlink_tmp:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
free_tmp:
	free(tmp);
	return ret;
}
