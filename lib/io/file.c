/* SPDX-License-Identifier: MIT */
/* Whole-file reads for the hosted tools: regular files only, bounded. */
#include "igdpt/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag_message.h"
#include "io_open.h"

/* "PATH: WHAT: errno text" in the caller's message, or WHAT alone. */
static int fail(int err, struct igdpt_diag *diag, const char *path, const char *what)
{
	return diag_failf(diag, -err, what, "%s: %s: %s", path, what, strerror(err));
}

int io_read_all(int fd, size_t max, uint8_t **data, size_t *len)
{
	uint8_t *buf = NULL;
	size_t have = 0, cap = 0;

	for (;;) {
		ssize_t n;

		/* Grow only when full, and by doubling: a read near the limit
		 * stays linear, not quadratic. One byte past max tells "too
		 * large" from "exactly max". */
		if (have == cap) {
			size_t want = cap ? cap * 2 : 8192;
			uint8_t *grown;

			if (want > max + 1)
				want = max + 1;
			grown = realloc(buf, want);
			if (!grown) {
				free(buf);
				return -ENOMEM;
			}
			buf = grown;
			cap = want;
		}
		n = read(fd, buf + have, cap - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			free(buf);
			return -err;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		if (have > max) {
			free(buf);
			return -EFBIG;
		}
	}
	*data = buf;
	*len = have;
	return 0;
}

int igdpt_file_read(const char *path, uint8_t **data, size_t *len, struct igdpt_diag *diag)
{
	struct stat st = { 0 };
	int fd, ret;

	/* Never blocks (a FIFO opens at once, non-blocking, and is refused
	 * by its kind); only a regular file is read. */
	fd = io_open(NULL, path, O_RDONLY, IO_REGULAR, &st);
	if (fd == -EISDIR)
		return fail(EISDIR, diag, path, "not a file");
	if (fd == -EINVAL)
		return diag_failf(diag, -EINVAL, "not a file",
				  "%s: not a file: %s (igdpt reads regular files only)", path,
				  io_kind_name(&st));
	if (fd < 0)
		return fail(-fd, diag, path, "cannot open");
	if (st.st_size > (off_t)IGDPT_FILE_MAX_SIZE) {
		ret = fail(EFBIG, diag, path, "too large for an OpRegion or VBT");
		goto close_fd;
	}
	ret = io_read_all(fd, IGDPT_FILE_MAX_SIZE, data, len);
	if (ret == -EFBIG)
		ret = fail(EFBIG, diag, path, "too large for an OpRegion or VBT");
	else if (ret < 0)
		ret = fail(-ret, diag, path, "cannot read");
close_fd:
	close(fd);
	return ret;
}
