/* SPDX-License-Identifier: MIT */
/* Reading the OpRegion through the VFIO device region, as QEMU does.
 *
 * Linux vfio-pci (vfio_pci_igd.c) exposes the OpRegion as a read-only
 * device-specific region (index >= VFIO_PCI_NUM_REGIONS) tagged with a
 * VFIO_REGION_INFO_CAP_TYPE capability: type PCI_VENDOR_TYPE | 0x8086,
 * subtype INTEL_IGD_OPREGION. The kernel already presents the guest layout
 * (extended VBT at 0x2000, RVDA relative), so the bytes are used as read.
 * The group path is the one every kernel has: container, group, IOMMU
 * type, device fd. All calls go through struct igdpt_vfio_ops; the
 * capability chain comes from the kernel (or a fake) and is bounds-checked.
 */
#include "host_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "igdpt/abi/guest.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/file.h"

#include "../io/io_open.h"
#include "../struct_size.h"

/* The uapi spells VFIO_REGION_TYPE_PCI_VENDOR_TYPE as (1 << 31), a signed
 * overflow that UBSan rejects; same bit, unsigned. */
#define VFIO_PCI_VENDOR_TYPE_BIT (1u << 31)
#define VFIO_IGD_REGION_TYPE (VFIO_PCI_VENDOR_TYPE_BIT | IGDPT_PCI_VENDOR_INTEL)

/* A capability chain longer than this is corrupt (the kernel emits 1-3). */
#define VFIO_CAP_CHAIN_MAX 64
/* Region info grows with capabilities; more than this is not plausible. */
#define VFIO_REGION_INFO_MAX 4096u

static int sys_open(void *opaque, const char *path, int flags)
{
	(void)opaque;
	int fd = open(path, flags | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int sys_ioctl(void *opaque, int fd, unsigned long request, void *arg)
{
	(void)opaque;
	int ret = ioctl(fd, request, arg);

	return ret < 0 ? -errno : ret;
}

static ssize_t sys_pread(void *opaque, int fd, void *buf, size_t len, uint64_t offset)
{
	(void)opaque;
	ssize_t n;

	do
		n = pread(fd, buf, len, (off_t)offset);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

static void sys_close(void *opaque, int fd)
{
	(void)opaque;
	close(fd);
}

const struct igdpt_vfio_ops igdpt_vfio_system_ops = {
	.struct_size = sizeof(struct igdpt_vfio_ops),
	.open = sys_open,
	.ioctl = sys_ioctl,
	.pread = sys_pread,
	.close = sys_close,
	.opaque = NULL,
};

/* Walks the capability chain of one region info; 1 if it is the OpRegion. */
static int region_is_opregion(const uint8_t *buf, size_t len, uint32_t cap_offset)
{
	size_t off = cap_offset;

	for (unsigned hops = 0; off && hops < VFIO_CAP_CHAIN_MAX; hops++) {
		struct vfio_info_cap_header hdr;
		struct vfio_region_info_cap_type type;

		if (off < sizeof(struct vfio_region_info) || off > len ||
		    len - off < sizeof(hdr))
			return -EINVAL;
		memcpy(&hdr, buf + off, sizeof(hdr));
		if (hdr.id == VFIO_REGION_INFO_CAP_TYPE) {
			if (len - off < sizeof(type))
				return -EINVAL;
			memcpy(&type, buf + off, sizeof(type));
			if (type.type == VFIO_IGD_REGION_TYPE &&
			    type.subtype == VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION)
				return 1;
		}
		/* The chain must move forward, or a fake/corrupt one loops. */
		if (hdr.next && hdr.next <= off)
			return -EINVAL;
		off = hdr.next;
	}
	return off ? -EINVAL : 0;
}

/* Finds the OpRegion region: its size and file offset in the device fd. */
static int find_opregion_region(const struct igdpt_vfio_ops *ops, int device, uint32_t regions,
				uint64_t *size, uint64_t *offset, uint32_t *flags, char *err,
				size_t err_size)
{
	uint8_t *buf = malloc(VFIO_REGION_INFO_MAX);
	int ret = 0;

	if (!buf)
		return host_fail(err, err_size, -ENOMEM, "out of memory");
	for (uint32_t index = VFIO_PCI_NUM_REGIONS; index < regions; index++) {
		struct vfio_region_info info;

		memset(buf, 0, VFIO_REGION_INFO_MAX);
		memset(&info, 0, sizeof(info));
		info.argsz = VFIO_REGION_INFO_MAX;
		info.index = index;
		memcpy(buf, &info, sizeof(info));
		ret = ops->ioctl(ops->opaque, device, VFIO_DEVICE_GET_REGION_INFO, buf);
		if (ret < 0) {
			ret = host_fail(err, err_size, ret, "VFIO_DEVICE_GET_REGION_INFO(%u): %s", index,
					strerror(-ret));
			goto free_buf;
		}
		memcpy(&info, buf, sizeof(info));
		if (!(info.flags & VFIO_REGION_INFO_FLAG_CAPS) || !info.cap_offset)
			continue;
		/* argsz tells how much the kernel wanted; what it wrote is ours. */
		ret = region_is_opregion(buf, info.argsz < VFIO_REGION_INFO_MAX ? info.argsz
									 : VFIO_REGION_INFO_MAX,
					 info.cap_offset);
		if (ret < 0) {
			ret = host_fail(err, err_size, ret,
					"region %u: malformed capability chain", index);
			goto free_buf;
		}
		if (ret == 1) {
			*size = info.size;
			*offset = info.offset;
			*flags = info.flags;
			ret = 0;
			goto free_buf;
		}
	}
	ret = host_fail(err, err_size, -ENODEV,
			"the device has no IGD OpRegion region (%u regions): the host ASLS is 0, the "
			"kernel is older than 4.6, or (class 0x0380) older than 6.15", regions);
free_buf:
	free(buf);
	return ret;
}

/* The system calls open inside the root (never blocking, a device node or,
 * in a copied tree, a plain file); a substituted ops table gets the path
 * with the root prepended, as its contract says. */
static int open_node(const struct igdpt_host_ctx *ctx, const struct igdpt_vfio_ops *ops,
		     const char *host_path_text, int flags, char *err, size_t err_size)
{
	char path[HOST_PATH_SIZE];
	struct stat st = { 0 };
	int fd;

	if (ops == &igdpt_vfio_system_ops) {
		fd = host_open(ctx, host_path_text, flags, IO_CHARDEV | IO_REGULAR, &st);
		if (fd == -EINVAL || fd == -EISDIR)
			return host_fail(err, err_size, -EINVAL, "%s is %s, not a VFIO device node",
					 host_path_text, io_kind_name(&st));
	} else {
		if (snprintf(path, sizeof(path), "%s%s", host_root(ctx) ? host_root(ctx) : "",
			     host_path_text) >= (int)sizeof(path))
			return host_fail(err, err_size, -ENAMETOOLONG, "root path too long");
		fd = ops->open(ops->opaque, path, flags);
	}
	if (fd == -EACCES || fd == -EPERM)
		return host_fail(err, err_size, -EACCES,
				 "%s: permission denied: run as root (or give this user the VFIO "
				 "group device)", host_path_text);
	if (fd == -ENOENT)
		return host_fail(err, err_size, -ENODEV,
				 "%s does not exist: load vfio-pci (modprobe vfio-pci) and bind the "
				 "device to it", host_path_text);
	if (fd < 0)
		return host_fail(err, err_size, fd, "%s: %s", host_path_text, strerror(-fd));
	return fd;
}

/* The uapi of the VFIO device cdev (Linux 6.6, include/uapi/linux/vfio.h),
 * which Debian 12's headers (6.1) predate: binding a device fd to an
 * iommufd opens the device; until then every other ioctl fails. The kernel
 * takes argsz up to out_devid (later kernels add fields behind a flag). */
struct vfio_bind_iommufd {
	uint32_t argsz;
	uint32_t flags;
	int32_t iommufd;
	uint32_t out_devid;
};
#define VFIO_DEVICE_BIND_IOMMUFD_IOCTL _IO(VFIO_TYPE, VFIO_BASE + 18)

int host_vfio_cdev_name(const struct igdpt_host_ctx *ctx, const char *bdf, char *name,
			size_t size)
{
	char path[HOST_PATH_SIZE], **names;
	int n, ret = -ENOENT;

	if (host_path(path, sizeof(path), "/sys/bus/pci/devices/%s/vfio-dev", bdf) < 0)
		return -ENAMETOOLONG;
	n = host_list_dir(ctx, path, &names);
	for (int i = 0; i < n && ret; i++)
		if (!strncmp(names[i], "vfio", 4) && snprintf(name, size, "%s", names[i]) < (int)size)
			ret = 0;
	if (n > 0)
		host_names_free(names, n);
	return ret;
}

/* Finds the OpRegion region of an open device fd and reads it. */
static int read_region(const struct igdpt_vfio_ops *ops,
		       int device, const struct igdpt_host_device *dev,
		       struct igdpt_host_image *image, char *err, size_t err_size);

/* The group path every kernel with CONFIG_VFIO_GROUP has: container,
 * group, IOMMU type, device fd. fds[] gets what to close. */
static int open_group(const struct igdpt_host_ctx *ctx, const struct igdpt_vfio_ops *ops,
		      const struct igdpt_host_device *dev, int fds[3], char *err, size_t err_size)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char group_path[64];
	int container, group, device, ret;

	container = open_node(ctx, ops, "/dev/vfio/vfio", O_RDWR, err, err_size);
	if (container < 0)
		return container;
	fds[0] = container;
	snprintf(group_path, sizeof(group_path), "/dev/vfio/%d", dev->iommu_group);
	group = open_node(ctx, ops, group_path, O_RDWR, err, err_size);
	if (group < 0)
		return group;
	fds[1] = group;
	ret = ops->ioctl(ops->opaque, container, VFIO_GET_API_VERSION, NULL);
	if (ret != VFIO_API_VERSION)
		return host_fail(err, err_size, ret < 0 ? ret : -EINVAL,
				 "/dev/vfio/vfio: not a VFIO container (VFIO_GET_API_VERSION: %s)",
				 ret < 0 ? strerror(-ret) : "unexpected version");
	ret = ops->ioctl(ops->opaque, group, VFIO_GROUP_GET_STATUS, &status);
	if (ret < 0)
		return host_fail(err, err_size, ret, "%s: VFIO_GROUP_GET_STATUS: %s", group_path,
				 strerror(-ret));
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return host_fail(err, err_size, -EBUSY,
				 "IOMMU group %d is not viable: every device in it must be bound to "
				 "vfio-pci (or no driver)", dev->iommu_group);
	if (!(status.flags & VFIO_GROUP_FLAGS_CONTAINER_SET)) {
		ret = ops->ioctl(ops->opaque, group, VFIO_GROUP_SET_CONTAINER, &container);
		if (ret < 0)
			return host_fail(err, err_size, ret, "%s: VFIO_GROUP_SET_CONTAINER: %s",
					 group_path, strerror(-ret));
		ret = ops->ioctl(ops->opaque, container, VFIO_CHECK_EXTENSION,
				 (void *)(uintptr_t)VFIO_TYPE1v2_IOMMU);
		ret = ops->ioctl(ops->opaque, container, VFIO_SET_IOMMU,
				 (void *)(uintptr_t)(ret > 0 ? VFIO_TYPE1v2_IOMMU : VFIO_TYPE1_IOMMU));
		if (ret < 0)
			return host_fail(err, err_size, ret, "/dev/vfio/vfio: VFIO_SET_IOMMU: %s",
					 strerror(-ret));
	}
	device = ops->ioctl(ops->opaque, group, VFIO_GROUP_GET_DEVICE_FD, (void *)dev->bdf);
	if (device < 0)
		return host_fail(err, err_size, device, "%s: VFIO_GROUP_GET_DEVICE_FD(%s): %s%s",
				 group_path, dev->bdf, strerror(-device),
				 device == -EBUSY ? " (is a VM using the device?)" : "");
	fds[2] = device;
	return device;
}

/* The cdev path (Linux 6.6+): /dev/iommu, the device's own node, bound to
 * the iommufd. Reading a region needs no I/O address space, so nothing is
 * attached (VFIO_DEVICE_ATTACH_IOMMUFD_PT is for DMA). */
static int open_cdev(const struct igdpt_host_ctx *ctx, const struct igdpt_vfio_ops *ops,
		     const struct igdpt_host_device *dev, const char *name, int fds[3], char *err,
		     size_t err_size)
{
	struct vfio_bind_iommufd bind = { .argsz = sizeof(bind) };
	char node[64];
	int iommufd, device, ret;

	iommufd = open_node(ctx, ops, "/dev/iommu", O_RDWR, err, err_size);
	if (iommufd < 0)
		return iommufd;
	fds[0] = iommufd;
	snprintf(node, sizeof(node), "/dev/vfio/devices/%s", name);
	device = open_node(ctx, ops, node, O_RDWR, err, err_size);
	if (device < 0)
		return device;
	fds[2] = device;
	bind.iommufd = iommufd;
	ret = ops->ioctl(ops->opaque, device, VFIO_DEVICE_BIND_IOMMUFD_IOCTL, &bind);
	if (ret < 0)
		return host_fail(err, err_size, ret, "%s: VFIO_DEVICE_BIND_IOMMUFD: %s%s", node,
				 strerror(-ret),
				 ret == -EBUSY ? " (is a VM using the device?)"
				 : ret == -ENOTTY ? " (not a VFIO device cdev)" : "");
	(void)dev;
	return device;
}

int host_read_vfio(const struct igdpt_host_ctx *ctx, const struct igdpt_host_device *dev,
		   struct igdpt_host_image *image, char *err, size_t err_size)
{
	const struct igdpt_vfio_ops *ops = ctx && ctx->vfio ? ctx->vfio : &igdpt_vfio_system_ops;
	char cdev[32], via[64];
	int fds[3] = { -1, -1, -1 };
	int device, ret;

	if (!STRUCT_HAS(ops, struct igdpt_vfio_ops, opaque))
		return host_fail(err, err_size, -EINVAL,
				 "struct igdpt_vfio_ops: struct_size does not cover the four calls");
	if (strcmp(dev->driver, "vfio-pci"))
		return host_fail(err, err_size, -EINVAL,
				 "%s is bound to %s, not vfio-pci: bind it to vfio-pci first", dev->bdf,
				 dev->driver[0] ? dev->driver : "no driver");
	if (dev->iommu_group < 0)
		return host_fail(err, err_size, -ENODEV,
				 "%s has no IOMMU group: no IOMMU (boot with intel_iommu=on)", dev->bdf);

	/* The device cdev where the kernel has one and /dev/iommu is there;
	 * the group otherwise, and when the cdev node is missing. */
	ret = -ENODEV;
	if (host_vfio_cdev_name(ctx, dev->bdf, cdev, sizeof(cdev)) == 0 &&
	    host_exists(ctx, "/dev/iommu")) {
		device = ret = open_cdev(ctx, ops, dev, cdev, fds, err, err_size);
		snprintf(via, sizeof(via), "VFIO cdev %s (iommufd)", cdev);
	}
	if (ret == -ENODEV) {
		for (int i = 0; i < 3; i++)
			if (fds[i] >= 0)
				ops->close(ops->opaque, fds[i]);
		fds[0] = fds[1] = fds[2] = -1;
		device = ret = open_group(ctx, ops, dev, fds, err, err_size);
		snprintf(via, sizeof(via), "VFIO group %d", dev->iommu_group);
	}
	if (ret >= 0)
		ret = read_region(ops, device, dev, image, err, err_size);
	if (ret == 0)
		snprintf(image->note, sizeof(image->note), "%s region of %s", via, dev->bdf);
	for (int i = 2; i >= 0; i--)
		if (fds[i] >= 0)
			ops->close(ops->opaque, fds[i]);
	return ret;
}

static int read_region(const struct igdpt_vfio_ops *ops,
		       int device, const struct igdpt_host_device *dev,
		       struct igdpt_host_image *image, char *err, size_t err_size)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	uint64_t size = 0, offset = 0;
	uint32_t flags = 0;
	uint8_t *buf;
	ssize_t n;
	int ret;

	ret = ops->ioctl(ops->opaque, device, VFIO_DEVICE_GET_INFO, &info);
	if (ret < 0)
		return host_fail(err, err_size, ret, "VFIO_DEVICE_GET_INFO: %s", strerror(-ret));
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI))
		return host_fail(err, err_size, -EINVAL, "%s: the VFIO device is not PCI", dev->bdf);
	ret = find_opregion_region(ops, device, info.num_regions, &size, &offset, &flags, err,
				   err_size);
	if (ret < 0)
		return ret;
	if (!(flags & VFIO_REGION_INFO_FLAG_READ) || size < IGDPT_OPREGION_BASE_SIZE ||
	    size > IGDPT_FILE_MAX_SIZE)
		return host_fail(err, err_size, -EINVAL, "the OpRegion region is %s (%llu bytes)",
				 (flags & VFIO_REGION_INFO_FLAG_READ) ? "implausibly sized"
								      : "not readable",
				 (unsigned long long)size);
	buf = malloc(size);
	if (!buf)
		return host_fail(err, err_size, -ENOMEM, "out of memory");
	n = ops->pread(ops->opaque, device, buf, size, offset);
	if (n < 0 || (uint64_t)n != size)
		ret = host_fail(err, err_size, n < 0 ? (int)n : -EIO,
				"reading the OpRegion region: %s",
				n < 0 ? strerror((int)-n) : "short read");
	else
		ret = host_image_assemble(buf, size, NULL, 0, IGDPT_HOST_SOURCE_VFIO, image, err,
					  err_size);
	free(buf);
	return ret;
}
