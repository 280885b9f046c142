/* SPDX-License-Identifier: MIT */
/* Host files read through the root: every /sys, /proc and /dev path of the
 * host module is resolved inside ctx->root (lib/io/io_open.c), opened
 * without blocking, checked for its kind and read with a bound. */
#include "host_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../io/io_open.h"

const char *host_root(const struct igdpt_host_ctx *ctx)
{
	return ctx && ctx->root && ctx->root[0] ? ctx->root : NULL;
}

static int vformat(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static int vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int host_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vformat(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}

int host_open(const struct igdpt_host_ctx *ctx, const char *path, int flags, unsigned allow,
	      struct stat *st)
{
	return io_open(host_root(ctx), path, flags, allow, st);
}

int host_read_file(const struct igdpt_host_ctx *ctx, const char *path, size_t max,
		   uint8_t **data, size_t *len)
{
	int fd = host_open(ctx, path, O_RDONLY, IO_REGULAR, NULL), ret;

	if (fd < 0)
		return fd;
	ret = io_read_all(fd, max, data, len);
	close(fd);
	return ret;
}

/* One read of a small sysfs or procfs attribute (they answer in one). */
static int read_small(const struct igdpt_host_ctx *ctx, const char *path, char *out,
		      size_t size)
{
	int fd = host_open(ctx, path, O_RDONLY, IO_REGULAR, NULL);
	ssize_t n;

	if (fd < 0)
		return fd;
	do
		n = read(fd, out, size - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	close(fd);
	out[n] = 0;
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = 0;
	return 0;
}

int host_read_text(const struct igdpt_host_ctx *ctx, char *out, size_t size, const char *fmt,
		   ...)
{
	char path[HOST_PATH_SIZE];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vformat(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (ret < 0)
		return ret;
	return read_small(ctx, path, out, size);
}

int host_read_number(const struct igdpt_host_ctx *ctx, unsigned long *value, const char *fmt,
		     ...)
{
	char path[HOST_PATH_SIZE], text[64], *end;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vformat(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (ret < 0)
		return ret;
	ret = read_small(ctx, path, text, sizeof(text));
	if (ret < 0)
		return ret;
	errno = 0;
	*value = strtoul(text, &end, 0);
	if (errno || end == text || *end)
		return -EINVAL;
	return 0;
}

int host_read_link(const struct igdpt_host_ctx *ctx, char *out, size_t size, const char *fmt,
		   ...)
{
	char path[HOST_PATH_SIZE];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vformat(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (ret < 0)
		return ret;
	ret = io_readlink(host_root(ctx), path, out, size);
	return ret < 0 ? ret : 0;
}

int host_read_link_base(const struct igdpt_host_ctx *ctx, char *out, size_t size,
			const char *fmt, ...)
{
	char path[HOST_PATH_SIZE], target[HOST_PATH_SIZE];
	const char *base;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vformat(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (ret < 0)
		return ret;
	ret = io_readlink(host_root(ctx), path, target, sizeof(target));
	if (ret < 0)
		return ret;
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (snprintf(out, size, "%s", base) >= (int)size)
		return -ENAMETOOLONG;
	return 0;
}

int host_list_dir(const struct igdpt_host_ctx *ctx, const char *path, char ***names)
{
	return io_list_dir(host_root(ctx), path, names);
}

void host_names_free(char **names, int count)
{
	io_names_free(names, count);
}

bool host_exists(const struct igdpt_host_ctx *ctx, const char *fmt, ...)
{
	char path[HOST_PATH_SIZE];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vformat(path, sizeof(path), fmt, ap);
	va_end(ap);
	return ret == 0 && io_exists(host_root(ctx), path);
}

int host_fail(char *err, size_t err_size, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err_size) {
		va_start(ap, fmt);
		vsnprintf(err, err_size, fmt, ap);
		va_end(ap);
	}
	return ret;
}
