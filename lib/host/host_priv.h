/* SPDX-License-Identifier: MIT */
/* Internal helpers of the host module: host files inside the root, sysfs reads. */
#ifndef IGDPT_LIB_HOST_PRIV_H
#define IGDPT_LIB_HOST_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "igdpt/host.h"

#define HOST_PATH_SIZE 4096

/* ---- host files, always inside ctx->root (host_files.c) ---- */

/* ctx's root, NULL for the real host. */
const char *host_root(const struct igdpt_host_ctx *ctx);
/* Formats a host path ("/sys/..."; never with the root). -ENAMETOOLONG if cut. */
int host_path(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Opens a host path inside the root without blocking and checks its kind
 * (lib/io/io_open.h: IO_REGULAR, IO_CHARDEV, IO_DIRECTORY). fd or -errno
 * (-EINVAL: a kind not allowed). */
int host_open(const struct igdpt_host_ctx *ctx, const char *path, int flags, unsigned allow,
	      struct stat *st);
/* Reads a regular host file whole, at most max bytes (-EFBIG past). */
int host_read_file(const struct igdpt_host_ctx *ctx, const char *path, size_t max,
		   uint8_t **data, size_t *len);
/* Reads a small text file (one line, newline stripped). -errno. */
int host_read_text(const struct igdpt_host_ctx *ctx, char *out, size_t size, const char *fmt,
		   ...) __attribute__((format(printf, 4, 5)));
/* Reads a sysfs number ("0x8086\n" or "12\n"). -errno, -EINVAL if not one. */
int host_read_number(const struct igdpt_host_ctx *ctx, unsigned long *value, const char *fmt,
		     ...) __attribute__((format(printf, 3, 4)));
/* A symlink's target text, and its last component ("i915" for .../drivers/i915). */
int host_read_link(const struct igdpt_host_ctx *ctx, char *out, size_t size, const char *fmt,
		   ...) __attribute__((format(printf, 4, 5)));
int host_read_link_base(const struct igdpt_host_ctx *ctx, char *out, size_t size,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A directory's entries, sorted (host_names_free()). Count or -errno. */
int host_list_dir(const struct igdpt_host_ctx *ctx, const char *path, char ***names);
void host_names_free(char **names, int count);
/* Whether the host path exists (a dangling link does). */
bool host_exists(const struct igdpt_host_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* snprintf into an optional error buffer, then returns ret. */
int host_fail(char *err, size_t err_size, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- the readiness report (host_inspect.c and one file per check) ---- */

/* Adds a blocker (what stops assignment) or a caution to the report. */
void host_issue(struct igdpt_host_report *r, bool blocker, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define BLOCKER(r, ...) host_issue((r), true, __VA_ARGS__)
#define CAUTION(r, ...) host_issue((r), false, __VA_ARGS__)

/* Each check: gather the facts into the report, then judge them. */
void host_framebuffer_facts(const struct igdpt_host_ctx *ctx, struct igdpt_host_report *r);
void host_framebuffer_judge(struct igdpt_host_report *r);
void host_persist_facts(const struct igdpt_host_ctx *ctx, struct igdpt_host_report *r);
void host_persist_judge(struct igdpt_host_report *r);
void host_system_facts(const struct igdpt_host_ctx *ctx, struct igdpt_host_report *r);
void host_system_judge(const struct igdpt_host_ctx *ctx, struct igdpt_host_report *r);
void host_rom_judge(struct igdpt_host_report *r);

/* The dri/N debugfs directory of the device i915 drives (host_opregion.c). */
int host_find_dri_dir(const struct igdpt_host_ctx *ctx, const char *bdf, char *minor,
		      size_t size);
/* The device's VFIO cdev name ("vfio0") from sysfs vfio-dev, or -ENOENT
 * (host_vfio.c). */
int host_vfio_cdev_name(const struct igdpt_host_ctx *ctx, const char *bdf, char *name,
			size_t size);

/* 0 for a ctx without struct_size (host_api.c): the public entry points
 * refuse it with -EINVAL. */
bool host_ctx_valid(const struct igdpt_host_ctx *ctx);
#define HOST_CTX_REFUSED \
	"struct igdpt_host_ctx: struct_size is not set (start from IGDPT_HOST_CTX_INIT)"

/* The public igdpt_host_* functions of igdpt/host.h that can fail, with the
 * message in a plain (err, err_size) buffer (err_size may be 0), which the
 * host code extends as it goes (several sources tried, several IGDs found);
 * host_api.c wraps them into the API's struct igdpt_diag. */
int host_find_igds(const struct igdpt_host_ctx *ctx, struct igdpt_host_device *devs, size_t cap,
		   size_t *count, char *err, size_t err_size);
int host_find_displays(const struct igdpt_host_ctx *ctx, struct igdpt_host_device *devs,
		       size_t cap, size_t *count, char *err, size_t err_size);
int host_probe(const struct igdpt_host_ctx *ctx, const char *bdf, struct igdpt_host_device *dev,
	       char *err, size_t err_size);
int host_select(const struct igdpt_host_ctx *ctx, const char *bdf, struct igdpt_host_device *dev,
		char *err, size_t err_size);
int host_read_opregion(const struct igdpt_host_ctx *ctx, const struct igdpt_host_device *dev,
		       enum igdpt_host_source source, struct igdpt_host_image *image, char *err,
		       size_t err_size);
int host_read_vfio(const struct igdpt_host_ctx *ctx, const struct igdpt_host_device *dev,
		   struct igdpt_host_image *image, char *err, size_t err_size);
int host_read_debugfs(const struct igdpt_host_ctx *ctx, const struct igdpt_host_device *dev,
		      struct igdpt_host_image *image, char *err, size_t err_size);
int host_read_devmem(const struct igdpt_host_ctx *ctx, const struct igdpt_host_device *dev,
		     struct igdpt_host_image *image, char *err, size_t err_size);

/* Builds the guest-safe image from a base region and an optional extended
 * VBT read separately (host_opregion.c); validates it. Takes ownership of
 * nothing. */
int host_image_assemble(const uint8_t *base, size_t base_len, const uint8_t *ext,
			size_t ext_len, enum igdpt_host_source source,
			struct igdpt_host_image *image, char *err, size_t err_size);

#endif
