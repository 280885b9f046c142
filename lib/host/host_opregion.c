/* SPDX-License-Identifier: MIT */
/* Reading the host OpRegion from i915 debugfs or /dev/mem, and choosing a source.
 *
 * Whatever the source, the result is the guest-safe image that Linux
 * vfio-pci would present: the 8 KiB base, then the extended VBT at 0x2000
 * with a relative RVDA (igdpt_relocate()). For a 2.0 OpRegion the raw RVDA
 * is a host physical address; writing that out would leak it into a guest
 * and make the file useless to every consumer that validates, so the dump is
 * always the relocated image (decision recorded in docs/igdpt.1).
 */
#include "host_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igdpt/abi/opregion.h"
#include "igdpt/core/bytes.h"
#include "igdpt/file.h"
#include "igdpt/core/relocate.h"

#include "../io/io_open.h"

#define DEBUGFS_DRI "/sys/kernel/debug/dri"

static const char *const source_names[] = {
	[IGDPT_HOST_SOURCE_AUTO] = "auto",
	[IGDPT_HOST_SOURCE_VFIO] = "vfio",
	[IGDPT_HOST_SOURCE_DEBUGFS] = "debugfs",
	[IGDPT_HOST_SOURCE_DEVMEM] = "devmem",
};

const char *igdpt_host_source_name(enum igdpt_host_source source)
{
	if ((size_t)source < sizeof(source_names) / sizeof(source_names[0]))
		return source_names[source];
	return "?";
}

int igdpt_host_source_parse(const char *name, enum igdpt_host_source *source)
{
	for (size_t i = 0; i < sizeof(source_names) / sizeof(source_names[0]); i++) {
		if (!strcmp(name, source_names[i])) {
			*source = (enum igdpt_host_source)i;
			return 0;
		}
	}
	return -EINVAL;
}

void igdpt_host_image_free(struct igdpt_host_image *image)
{
	free(image->data);
	image->data = NULL;
	image->len = 0;
}

/* The signature as printable text for an error message. */
static void printable(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (p[i] >= ' ' && p[i] < 0x7F) ? (char)p[i] : '.';
	out[n] = 0;
}

static bool has_extended_vbt(const uint8_t *base)
{
	return base[IGDPT_OPREGION_OVER_MAJOR_OFFSET] >= 2 &&
	       igdpt_le64(base + IGDPT_MBOX3_RVDA_OFFSET) &&
	       igdpt_le32(base + IGDPT_MBOX3_RVDS_OFFSET);
}

static bool rvda_is_offset(const uint8_t *base)
{
	uint8_t major = base[IGDPT_OPREGION_OVER_MAJOR_OFFSET];

	return major > 2 || (major == 2 && base[IGDPT_OPREGION_OVER_MINOR_OFFSET] >= 1);
}

int host_image_assemble(const uint8_t *base, size_t base_len, const uint8_t *ext,
			size_t ext_len, enum igdpt_host_source source,
			struct igdpt_host_image *image, char *err, size_t err_size)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	char sig[IGDPT_OPREGION_SIGN_SIZE + 1];
	uint8_t *out;
	size_t out_len;
	int ret;

	memset(image, 0, sizeof(*image));
	if (base_len < IGDPT_OPREGION_BASE_SIZE)
		return host_fail(err, err_size, -EINVAL,
				 "only %zu bytes: an OpRegion has an 8192-byte base region", base_len);
	if (igdpt_bytes_differ(base, (const uint8_t *)IGDPT_OPREGION_SIGNATURE,
			       IGDPT_OPREGION_SIGN_SIZE)) {
		printable(base, IGDPT_OPREGION_SIGN_SIZE, sig);
		return host_fail(err, err_size, -EINVAL,
				 "signature mismatch: \"%s\" instead of \"" IGDPT_OPREGION_SIGNATURE
				 "\" (not an OpRegion)", sig);
	}
	if (ext) {
		size_t cap = IGDPT_OPREGION_BASE_SIZE + ext_len + IGDPT_OPREGION_RVDS_ALIGN;

		out = malloc(cap);
		if (!out)
			return host_fail(err, err_size, -ENOMEM, "out of memory");
		ret = igdpt_relocate(base, IGDPT_OPREGION_BASE_SIZE, ext, ext_len, out, cap,
				     &out_len, &diag);
		if (ret < 0) {
			free(out);
			return host_fail(err, err_size, ret, "extended VBT: %s at 0x%zx",
					 diag.reason, diag.offset);
		}
		image->relocated = true;
	} else {
		out = malloc(base_len);
		if (!out)
			return host_fail(err, err_size, -ENOMEM, "out of memory");
		memcpy(out, base, base_len);
		out_len = base_len;
	}
	ret = igdpt_opregion_parse(out, out_len, &op, &diag);
	if (ret < 0) {
		free(out);
		return host_fail(err, err_size, ret, "invalid OpRegion: %s at 0x%zx", diag.reason,
				 diag.offset);
	}
	image->source = source;
	image->data = out;
	image->len = out_len;
	return 0;
}

/* ---- debugfs ---- */

/* The dri/N directory whose "name" says dev=BDF (i915 writes
 * "i915 dev=0000:00:02.0 unique=0000:00:02.0"). */
int host_find_dri_dir(const struct igdpt_host_ctx *ctx, const char *bdf, char *minor,
		      size_t size)
{
	char name[256], want[64];
	char **list;
	int n, ret = -ENODEV;

	n = host_list_dir(ctx, DEBUGFS_DRI, &list);
	if (n < 0)
		return n;
	snprintf(want, sizeof(want), "dev=%s", bdf);
	for (int i = 0; i < n && ret == -ENODEV; i++) {
		const char *hit;

		if (host_read_text(ctx, name, sizeof(name), DEBUGFS_DRI "/%s/name", list[i]) < 0)
			continue;
		hit = strstr(name, want);
		if (hit && (hit[strlen(want)] == 0 || hit[strlen(want)] == ' ')) {
			snprintf(minor, size, "%s", list[i]);
			ret = 0;
		}
	}
	if (n > 0)
		host_names_free(list, n);
	return ret;
}

int host_read_debugfs(const struct igdpt_host_ctx *ctx,
			    const struct igdpt_host_device *dev,
			    struct igdpt_host_image *image, char *err, size_t err_size)
{
	char minor[256], path[HOST_PATH_SIZE];
	uint8_t *base = NULL, *vbt = NULL;
	size_t base_len, vbt_len = 0;
	int ret;

	ret = host_find_dri_dir(ctx, dev->bdf, minor, sizeof(minor));
	if (ret == -ENOENT)
		return host_fail(err, err_size, ret,
				 DEBUGFS_DRI " does not exist: mount debugfs "
				 "(mount -t debugfs none /sys/kernel/debug) and load i915");
	if (ret == -EACCES || ret == -EPERM)
		return host_fail(err, err_size, -EACCES,
				 DEBUGFS_DRI ": permission denied: run as root");
	if (ret < 0)
		return host_fail(err, err_size, ret,
				 "no " DEBUGFS_DRI "/N/name names dev=%s: is i915 bound to it?",
				 dev->bdf);
	if (host_path(path, sizeof(path), DEBUGFS_DRI "/%s/i915_opregion", minor) < 0)
		return host_fail(err, err_size, -ENAMETOOLONG, "path too long");
	ret = host_read_file(ctx, path, IGDPT_FILE_MAX_SIZE, &base, &base_len);
	if (ret == -EACCES || ret == -EPERM)
		return host_fail(err, err_size, -EACCES,
				 DEBUGFS_DRI "/%s/i915_opregion: permission denied: run as root",
				 minor);
	if (ret == -ENOENT)
		return host_fail(err, err_size, -ENODEV,
				 DEBUGFS_DRI "/%s/i915_opregion is absent: i915 found no OpRegion",
				 minor);
	if (ret == -EINVAL || ret == -EISDIR)
		return host_fail(err, err_size, -EINVAL,
				 DEBUGFS_DRI "/%s/i915_opregion is not a regular file", minor);
	if (ret < 0)
		return host_fail(err, err_size, ret, DEBUGFS_DRI "/%s/i915_opregion: %s", minor,
				 strerror(-ret));
	if (base_len == 0) {
		free(base);
		return host_fail(err, err_size, -ENODEV,
				 DEBUGFS_DRI "/%s/i915_opregion is empty: i915 found no OpRegion",
				 minor);
	}

	/* debugfs dumps the 8 KiB base only. An extended VBT is then taken from
	 * i915_vbt, which holds the VBT i915 validated and uses (from RVDA). */
	if (base_len >= IGDPT_OPREGION_BASE_SIZE && has_extended_vbt(base)) {
		uint32_t rvds = igdpt_le32(base + IGDPT_MBOX3_RVDS_OFFSET);

		if (host_path(path, sizeof(path), DEBUGFS_DRI "/%s/i915_vbt", minor) < 0 ||
		    host_read_file(ctx, path, IGDPT_HOST_RVDS_MAX + 1, &vbt, &vbt_len) < 0) {
			free(base);
			return host_fail(err, err_size, -ENODEV,
					 "debugfs gives the 8 KiB base only and this OpRegion has an "
					 "extended VBT (RVDA/RVDS), but " DEBUGFS_DRI
					 "/%s/i915_vbt is unreadable: use --source vfio or devmem",
					 minor);
		}
		if (vbt_len > rvds) {
			/* i915_vbt is trimmed to vbt_size; more than RVDS means
			 * i915 took its VBT from elsewhere (vbt_firmware=). */
			free(vbt);
			free(base);
			return host_fail(err, err_size, -EINVAL,
					 DEBUGFS_DRI "/%s/i915_vbt (%zu bytes) is larger than RVDS "
					 "(%u): it is not the OpRegion's extended VBT; use --source "
					 "vfio or devmem", minor, vbt_len, rvds);
		}
	}
	ret = host_image_assemble(base, vbt ? IGDPT_OPREGION_BASE_SIZE : base_len, vbt, vbt_len,
				  IGDPT_HOST_SOURCE_DEBUGFS, image, err, err_size);
	if (ret == 0)
		snprintf(image->note, sizeof(image->note),
			 vbt ? "debugfs dri/%s/i915_opregion + i915_vbt as the extended VBT"
			     : "debugfs dri/%s/i915_opregion", minor);
	free(vbt);
	free(base);
	return ret;
}

/* ---- /dev/mem ---- */

static int devmem_read(int fd, uint64_t addr, uint8_t *buf, size_t len, char *err,
		       size_t err_size)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, buf + done, len - done, (off_t)(addr + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EPERM || errno == EACCES))
			return host_fail(err, err_size, -EACCES,
					 "/dev/mem at 0x%llx: %s: the kernel refuses this range "
					 "(CONFIG_STRICT_DEVMEM, lockdown, or not root); use --source "
					 "vfio or debugfs", (unsigned long long)(addr + done),
					 strerror(errno));
		if (n < 0)
			return host_fail(err, err_size, -errno, "/dev/mem at 0x%llx: %s",
					 (unsigned long long)(addr + done), strerror(errno));
		if (n == 0)
			return host_fail(err, err_size, -EIO,
					 "/dev/mem at 0x%llx: short read (%zu of %zu bytes)",
					 (unsigned long long)addr, done, len);
		done += (size_t)n;
	}
	return 0;
}

int host_read_devmem(const struct igdpt_host_ctx *ctx, const struct igdpt_host_device *dev,
			   struct igdpt_host_image *image, char *err, size_t err_size)
{
	uint8_t base[IGDPT_HOST_DEVMEM_BASE_SIZE];
	char sig[IGDPT_OPREGION_SIGN_SIZE + 1];
	struct stat st = { 0 };
	uint8_t *ext = NULL;
	uint64_t ext_addr = 0;
	uint32_t rvds = 0;
	int fd, ret;

	if (!dev->config_read)
		return host_fail(err, err_size, -EACCES,
				 "/sys/bus/pci/devices/%s/config: only the first 64 bytes are "
				 "readable, ASLS (0xFC) is not: run as root", dev->bdf);
	if (dev->asls == 0 || dev->asls == UINT32_MAX)
		return host_fail(err, err_size, -ENODEV,
				 "ASLS (config 0xFC) is 0x%08x: the host firmware published no "
				 "OpRegion", dev->asls);
	/* The character device; a regular file stands for it in a copied
	 * tree. Anything else (a FIFO) is refused before a read could block. */
	fd = host_open(ctx, "/dev/mem", O_RDONLY, IO_CHARDEV | IO_REGULAR, &st);
	if (fd < 0) {
		ret = fd;
		if (ret == -EACCES || ret == -EPERM)
			return host_fail(err, err_size, -EACCES,
					 "/dev/mem: permission denied: run as root");
		if (ret == -EINVAL || ret == -EISDIR)
			return host_fail(err, err_size, -EINVAL,
					 "/dev/mem is %s, not the memory device", io_kind_name(&st));
		return host_fail(err, err_size, ret, "/dev/mem: %s", strerror(-ret));
	}
	ret = devmem_read(fd, dev->asls, base, sizeof(base), err, err_size);
	if (ret < 0)
		goto close_fd;
	if (igdpt_bytes_differ(base, (const uint8_t *)IGDPT_OPREGION_SIGNATURE,
			       IGDPT_OPREGION_SIGN_SIZE)) {
		printable(base, IGDPT_OPREGION_SIGN_SIZE, sig);
		ret = host_fail(err, err_size, -EINVAL,
				"/dev/mem at ASLS 0x%08x: signature mismatch: \"%s\" instead of \""
				IGDPT_OPREGION_SIGNATURE "\"", dev->asls, sig);
		goto close_fd;
	}
	if (has_extended_vbt(base)) {
		uint64_t rvda = igdpt_le64(base + IGDPT_MBOX3_RVDA_OFFSET);

		rvds = igdpt_le32(base + IGDPT_MBOX3_RVDS_OFFSET);
		if (rvds > IGDPT_HOST_RVDS_MAX) {
			ret = host_fail(err, err_size, -EINVAL,
					"RVDS %u is larger than any VBT (%u bytes at most)", rvds,
					IGDPT_HOST_RVDS_MAX);
			goto close_fd;
		}
		if (rvda_is_offset(base)) {
			/* 2.1+: an offset from the OpRegion base, past the 8 KiB. */
			if (rvda < IGDPT_OPREGION_BASE_SIZE || rvda > UINT64_MAX - dev->asls) {
				ret = host_fail(err, err_size, -EINVAL,
						"RVDA 0x%llx is not an offset past the 8 KiB base",
						(unsigned long long)rvda);
				goto close_fd;
			}
			ext_addr = dev->asls + rvda;
		} else {
			ext_addr = rvda; /* 2.0: a host physical address */
		}
		ext = malloc(rvds);
		if (!ext) {
			ret = host_fail(err, err_size, -ENOMEM, "out of memory");
			goto close_fd;
		}
		ret = devmem_read(fd, ext_addr, ext, rvds, err, err_size);
		if (ret < 0)
			goto free_ext;
	}
	ret = host_image_assemble(base, sizeof(base), ext, rvds, IGDPT_HOST_SOURCE_DEVMEM, image,
				  err, err_size);
	if (ret == 0 && ext)
		snprintf(image->note, sizeof(image->note),
			 "/dev/mem at ASLS 0x%08x + extended VBT at 0x%llx (%s RVDA), relocated "
			 "to 0x2000", dev->asls, (unsigned long long)ext_addr,
			 rvda_is_offset(base) ? "relative" : "2.0 absolute");
	else if (ret == 0)
		snprintf(image->note, sizeof(image->note), "/dev/mem at ASLS 0x%08x", dev->asls);
free_ext:
	free(ext);
close_fd:
	close(fd);
	return ret;
}

/* ---- choosing ---- */

int host_read_opregion(const struct igdpt_host_ctx *ctx,
			     const struct igdpt_host_device *dev,
			     enum igdpt_host_source source, struct igdpt_host_image *image,
			     char *err, size_t err_size)
{
	static const enum igdpt_host_source order[] = {
		IGDPT_HOST_SOURCE_VFIO, IGDPT_HOST_SOURCE_DEBUGFS, IGDPT_HOST_SOURCE_DEVMEM,
	};
	char one[IGDPT_HOST_ISSUE_SIZE];
	size_t used = 0;
	int ret = -ENODEV, first = 0;

	switch (source) {
	case IGDPT_HOST_SOURCE_VFIO:
		return host_read_vfio(ctx, dev, image, err, err_size);
	case IGDPT_HOST_SOURCE_DEBUGFS:
		return host_read_debugfs(ctx, dev, image, err, err_size);
	case IGDPT_HOST_SOURCE_DEVMEM:
		return host_read_devmem(ctx, dev, image, err, err_size);
	case IGDPT_HOST_SOURCE_AUTO:
		break;
	default:
		return host_fail(err, err_size, -EINVAL, "unknown source");
	}
	if (err_size)
		err[0] = 0;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		/* The driver decides which doors exist: vfio needs vfio-pci,
		 * debugfs needs i915. /dev/mem works with any. */
		if (order[i] == IGDPT_HOST_SOURCE_VFIO && strcmp(dev->driver, "vfio-pci"))
			continue;
		if (order[i] == IGDPT_HOST_SOURCE_DEBUGFS && strcmp(dev->driver, "i915"))
			continue;
		ret = host_read_opregion(ctx, dev, order[i], image, one, sizeof(one));
		if (ret >= 0)
			return ret;
		/* Keep the most telling errno: a permission problem beats "absent". */
		if (!first || ret == -EACCES)
			first = ret;
		if (used < err_size) {
			int n = snprintf(err + used, err_size - used, "%s%s: %s", used ? "; " : "",
					 igdpt_host_source_name(order[i]), one);

			if (n > 0)
				used += (size_t)n;
		}
	}
	return first ? first : ret;
}
