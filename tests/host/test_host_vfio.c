/* SPDX-License-Identifier: MIT */
/* Tiger Lake bound to vfio-pci: the OpRegion read through a fake VFIO device.
 *
 * The fake implements the ioctls the group path makes and serves a region
 * list like Linux vfio_pci_igd.c registers (host cfg, OpRegion, LPC cfg,
 * each with a capability chain). The OpRegion it serves is the kernel's view
 * of a real dump: the rikka0w0 8 KiB base with the real Tiger Lake VBT from
 * the corpus as its extended VBT at 0x2000. The sysfs tree is built in a
 * temporary directory; the report is compared with
 * tests/host/golden/tgl-vfio.txt (IGDPT_UPDATE_GOLDEN=1 rewrites it).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "igdpt/abi/opregion.h"
#include "igdpt/core/bytes.h"
#include "igdpt/file.h"
#include "igdpt/host.h"
#include "json_host.h"
#include "igdpt/core/relocate.h"

#define FD_CONTAINER 100
#define FD_GROUP 101
#define FD_DEVICE 102
#define FD_IOMMU 103
#define FD_CDEV 104
/* The VFIO device cdev's bind (Linux 6.6 include/uapi/linux/vfio.h). */
#define UAPI_VFIO_DEVICE_BIND_IOMMUFD _IO(VFIO_TYPE, VFIO_BASE + 18)
#define UAPI_BIND_ARGSZ 16u
#define GROUP 7
#define BDF "0000:00:02.0"
#define REGION_HOST_CFG VFIO_PCI_NUM_REGIONS
#define REGION_OPREGION (VFIO_PCI_NUM_REGIONS + 1)
#define REGION_LPC_CFG (VFIO_PCI_NUM_REGIONS + 2)
#define REGION_OFFSET(i) ((uint64_t)(i) << 40)

struct fake {
	const uint8_t *image;
	size_t image_len;
	bool viable, busy, no_opregion, loop_chain, sparse_cap_first;
	bool cdev_missing, bound;
	int open_fds, group_opens;
	bool container_set;
};

static int fake_open(void *opaque, const char *path, int flags)
{
	struct fake *f = opaque;

	(void)flags;
	if (strstr(path, "/dev/vfio/vfio")) {
		f->open_fds++;
		return FD_CONTAINER;
	}
	if (strstr(path, "/dev/vfio/7")) {
		f->open_fds++;
		f->group_opens++;
		return FD_GROUP;
	}
	if (strstr(path, "/dev/iommu")) {
		f->open_fds++;
		return FD_IOMMU;
	}
	if (strstr(path, "/dev/vfio/devices/vfio0") && !f->cdev_missing) {
		f->open_fds++;
		return FD_CDEV;
	}
	return -ENOENT;
}

/* Writes one region info with a type capability (and optionally a sparse
 * mmap capability first, so the walk must follow next). */
static int region_info(struct fake *f, struct vfio_region_info *info, uint32_t subtype)
{
	size_t first = sizeof(*info);
	size_t type_at = first;
	struct vfio_region_info_cap_type type = { 0 };
	uint8_t *base = (uint8_t *)info;

	info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_CAPS;
	info->offset = REGION_OFFSET(info->index);
	info->size = subtype == VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION ? f->image_len : 256;
	if (f->sparse_cap_first) {
		struct vfio_info_cap_header sparse = { .id = VFIO_REGION_INFO_CAP_SPARSE_MMAP,
						       .version = 1 };
		struct vfio_region_info_cap_sparse_mmap mm = { 0 };

		type_at = first + sizeof(mm);
		sparse.next = (uint32_t)type_at;
		mm.header = sparse;
		memcpy(base + first, &mm, sizeof(mm));
	}
	type.header.id = VFIO_REGION_INFO_CAP_TYPE;
	type.header.version = 1;
	/* loop_chain: the first region's (not the OpRegion) cap points at itself. */
	type.header.next = f->loop_chain ? (uint32_t)type_at : 0;
	type.type = (1u << 31) | 0x8086; /* the uapi's (1 << 31) overflows int */
	type.subtype = subtype;
	memcpy(base + type_at, &type, sizeof(type));
	info->cap_offset = (uint32_t)first;
	info->argsz = (uint32_t)(type_at + sizeof(type));
	return 0;
}

static int fake_ioctl(void *opaque, int fd, unsigned long request, void *arg)
{
	struct fake *f = opaque;

	switch (request) {
	case VFIO_GET_API_VERSION:
		assert_int_equal(fd, FD_CONTAINER);
		return VFIO_API_VERSION;
	case VFIO_CHECK_EXTENSION:
		return (uintptr_t)arg == VFIO_TYPE1v2_IOMMU;
	case VFIO_SET_IOMMU:
		assert_true(f->container_set);
		assert_int_equal((uintptr_t)arg, VFIO_TYPE1v2_IOMMU);
		return 0;
	case VFIO_GROUP_GET_STATUS: {
		struct vfio_group_status *s = arg;

		assert_int_equal(fd, FD_GROUP);
		s->flags = f->viable ? VFIO_GROUP_FLAGS_VIABLE : 0;
		return 0;
	}
	case VFIO_GROUP_SET_CONTAINER:
		assert_int_equal(*(int *)arg, FD_CONTAINER);
		f->container_set = true;
		return 0;
	case VFIO_GROUP_GET_DEVICE_FD:
		assert_string_equal((const char *)arg, BDF);
		if (f->busy)
			return -EBUSY;
		f->open_fds++;
		return FD_DEVICE;
	case UAPI_VFIO_DEVICE_BIND_IOMMUFD: {
		const uint32_t *bind = arg; /* argsz, flags, iommufd, out_devid */

		assert_int_equal(fd, FD_CDEV);
		assert_int_equal(bind[0], UAPI_BIND_ARGSZ);
		assert_int_equal(bind[1], 0);
		assert_int_equal((int32_t)bind[2], FD_IOMMU);
		if (f->busy)
			return -EBUSY;
		f->bound = true;
		return 0;
	}
	case VFIO_DEVICE_GET_INFO: {
		struct vfio_device_info *info = arg;

		/* A cdev answers only once bound (vfio_main.c: access_granted). */
		assert_true(fd == FD_DEVICE || (fd == FD_CDEV && f->bound));
		info->flags = VFIO_DEVICE_FLAGS_PCI;
		info->num_regions = REGION_LPC_CFG + 1;
		return 0;
	}
	case VFIO_DEVICE_GET_REGION_INFO: {
		struct vfio_region_info *info = arg;

		assert_true(info->argsz >= sizeof(*info) + 64);
		if (info->index == REGION_HOST_CFG)
			return region_info(f, info, VFIO_REGION_SUBTYPE_INTEL_IGD_HOST_CFG);
		if (info->index == REGION_OPREGION)
			return region_info(f, info, f->no_opregion
							    ? VFIO_REGION_SUBTYPE_INTEL_IGD_HOST_CFG
							    : VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION);
		if (info->index == REGION_LPC_CFG)
			return region_info(f, info, VFIO_REGION_SUBTYPE_INTEL_IGD_LPC_CFG);
		return -EINVAL;
	}
	default:
		fail_msg("unexpected ioctl 0x%lx", request);
		return -ENOTTY;
	}
}

static ssize_t fake_pread(void *opaque, int fd, void *buf, size_t len, uint64_t offset)
{
	struct fake *f = opaque;
	uint64_t at = offset - REGION_OFFSET(REGION_OPREGION);

	assert_true(fd == FD_DEVICE || (fd == FD_CDEV && f->bound));
	if (offset < REGION_OFFSET(REGION_OPREGION) || at >= f->image_len)
		return -EINVAL;
	if (len > f->image_len - at)
		len = f->image_len - at;
	memcpy(buf, f->image + at, len);
	return (ssize_t)len;
}

static void fake_close(void *opaque, int fd)
{
	struct fake *f = opaque;

	assert_true(fd == FD_CONTAINER || fd == FD_GROUP || fd == FD_DEVICE || fd == FD_IOMMU ||
		    fd == FD_CDEV);
	f->open_fds--;
}

/* ---- the sysfs tree ---- */

static char root[256];
static uint8_t *image;
static size_t image_len;

static void make_parents(const char *path)
{
	char dir[512], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = dir + strlen(root) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = 0;
		mkdir(dir, 0755);
		*slash = '/';
	}
}

static void put_file(const char *rel, const void *data, size_t len)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	make_parents(path);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

static void put_text(const char *rel, const char *text)
{
	put_file(rel, text, strlen(text));
}

static void put_link(const char *rel, const char *target)
{
	char path[512];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	make_parents(path);
	assert_int_equal(symlink(target, path), 0);
}

static void put_pci(const char *bdf, const char *vendor, const char *device, const char *cls,
		    const uint8_t *config)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/vendor", bdf);
	put_text(rel, vendor);
	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/device", bdf);
	put_text(rel, device);
	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/class", bdf);
	put_text(rel, cls);
	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/subsystem_vendor", bdf);
	put_text(rel, "0x8086\n");
	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/subsystem_device", bdf);
	put_text(rel, "0x2212\n");
	if (config) {
		snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/config", bdf);
		put_file(rel, config, 256);
	}
}

static uint8_t *corpus(const char *rel, size_t *len)
{
	const char *dir = getenv("IGDPT_CORPUS");
	char path[512], err[256];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	uint8_t *data;

	if (!dir)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (igdpt_file_read(path, &data, len, &diag) < 0)
		return NULL;
	return data;
}

static int setup(void **state)
{
	uint8_t cfg[256] = { 0 }, *base, *vbt;
	size_t base_len, vbt_len, cap;
	struct igdpt_diag diag = { 0 };

	(void)state;
	base = corpus("opregion/rikka0w0-qemu-gvt-d-opregion.bin", &base_len);
	vbt = corpus("vbt/fsp-TigerLake-Client-Vbt.vbt", &vbt_len);
	if (!base || !vbt) {
		free(base);
		free(vbt);
		return -1;
	}
	/* The 2.0 host: mailbox 4 empty, the VBT at a physical RVDA. */
	memset(base + IGDPT_MBOX4_OFFSET, 0, IGDPT_MBOX4_SIZE);
	igdpt_put_le64(base + IGDPT_MBOX3_RVDA_OFFSET, 0x7A3B4000u);
	igdpt_put_le32(base + IGDPT_MBOX3_RVDS_OFFSET, (uint32_t)vbt_len);
	/* What vfio-pci shows of it: the relocated image. */
	cap = IGDPT_OPREGION_BASE_SIZE + vbt_len + IGDPT_OPREGION_RVDS_ALIGN;
	image = malloc(cap);
	assert_int_equal(igdpt_relocate(base, base_len, vbt, vbt_len, image, cap, &image_len, &diag), 0);
	free(base);
	free(vbt);

	snprintf(root, sizeof(root), "/tmp/igdpt-host-vfio-XXXXXX");
	assert_non_null(mkdtemp(root));
	igdpt_put_le16(cfg, 0x8086);
	igdpt_put_le16(cfg + 2, 0x9A49);
	igdpt_put_le16(cfg + 0x50, 0x0500);  /* GMS 0x05: 160 MiB */
	igdpt_put_le32(cfg + 0xFC, 0x45F2E018u);
	put_pci(BDF, "0x8086\n", "0x9a49\n", "0x030000\n", cfg);
	put_pci("0000:00:00.0", "0x8086\n", "0x9a14\n", "0x060000\n", NULL);
	put_pci("0000:00:1f.0", "0x8086\n", "0xa082\n", "0x060100\n", NULL);
	put_text("/sys/bus/pci/drivers/vfio-pci/new_id", "");
	put_text("/sys/kernel/iommu_groups/7/type", "DMA\n");
	put_link("/sys/kernel/iommu_groups/7/devices/" BDF, "../../../../bus/pci/devices/" BDF);
	put_link("/sys/bus/pci/devices/" BDF "/driver", "../../drivers/vfio-pci");
	put_link("/sys/bus/pci/devices/" BDF "/iommu_group", "../../../../kernel/iommu_groups/7");
	put_text("/proc/sys/kernel/osrelease", "6.1.0-igdpt-test\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[320];

	(void)state;
	free(image);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void ctx_with(struct igdpt_host_ctx *ctx, struct igdpt_vfio_ops *ops, struct fake *f)
{
	ops->struct_size = sizeof(*ops);
	ops->open = fake_open;
	ops->ioctl = fake_ioctl;
	ops->pread = fake_pread;
	ops->close = fake_close;
	ops->opaque = f;
	ctx->struct_size = sizeof(*ctx);
	ctx->root = root;
	ctx->vfio = ops;
}

static void probe(const struct igdpt_host_ctx *ctx, struct igdpt_host_device *dev)
{
	char err[256];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);

	assert_int_equal(igdpt_host_select(ctx, NULL, dev, &diag), 0);
	assert_string_equal(dev->bdf, BDF);
	assert_int_equal(dev->gen, 12);
	assert_string_equal(dev->platform, "Tiger Lake");
	assert_string_equal(dev->driver, "vfio-pci");
	assert_int_equal(dev->iommu_group, GROUP);
	assert_int_equal(dev->group_count, 1);
	assert_int_equal(dev->stolen_size, 160ull << 20);
}

static void test_vfio_reads_region(void **state)
{
	struct fake f = { .image = image, .image_len = image_len, .viable = true,
			  .sparse_cap_first = true };
	struct igdpt_vfio_ops ops;
	struct igdpt_host_ctx ctx;
	struct igdpt_host_device dev;
	struct igdpt_host_image out;
	char err[512];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);

	(void)state;
	ctx_with(&ctx, &ops, &f);
	probe(&ctx, &dev);
	assert_int_equal(igdpt_host_read_opregion(&ctx, &dev, IGDPT_HOST_SOURCE_AUTO, &out, &diag), 0);
	assert_int_equal(out.source, IGDPT_HOST_SOURCE_VFIO);
	assert_int_equal(out.len, image_len);
	assert_memory_equal(out.data, image, image_len);
	assert_false(out.relocated); /* the kernel already did it */
	assert_int_equal(f.open_fds, 0);
	igdpt_host_image_free(&out);
}

static void test_vfio_report_golden(void **state)
{
	struct fake f = { .image = image, .image_len = image_len, .viable = true };
	struct igdpt_vfio_ops ops;
	struct igdpt_host_ctx ctx;
	struct igdpt_host_device dev;
	struct igdpt_host_report *r = malloc(sizeof(*r));
	const char *src = getenv("IGDPT_SOURCE_ROOT");
	char golden[512], err[256], *text;
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	uint8_t *want;
	size_t want_len;

	(void)state;
	assert_non_null(src);
	ctx_with(&ctx, &ops, &f);
	probe(&ctx, &dev);
	assert_int_equal(igdpt_host_inspect(&ctx, &dev, IGDPT_HOST_SOURCE_AUTO, r), 0);
	assert_true(igdpt_host_report_ready(r));
	assert_int_equal(r->opregion_ret, 0);
	assert_int_equal(r->op.vbt_source, IGDPT_VBT_SOURCE_RVDA);
	assert_true(r->port_count > 0);
	assert_false(r->legacy_possible); /* gen 12 */
	text = igdpt_host_report_text(r);
	assert_non_null(text);
	snprintf(golden, sizeof(golden), "%s/tests/host/golden/tgl-vfio.txt", src);
	if (getenv("IGDPT_UPDATE_GOLDEN"))
		assert_int_equal(igdpt_file_write(golden, (const uint8_t *)text, strlen(text), &diag), 0);
	assert_int_equal(igdpt_file_read(golden, &want, &want_len, &diag), 0);
	if (want_len != strlen(text) || memcmp(want, text, want_len))
		fail_msg("report differs from %s:\n%s", golden, text);
	free(want);
	free(text);
	json_object_put(igdpt_json_host_report(r));
	igdpt_host_report_free(r);
	free(r);
	assert_int_equal(f.open_fds, 0);
}

static void expect_failure(struct fake *f, int want, const char *needle)
{
	struct igdpt_vfio_ops ops;
	struct igdpt_host_ctx ctx;
	struct igdpt_host_device dev;
	struct igdpt_host_image out;
	char err[512];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);

	ctx_with(&ctx, &ops, f);
	probe(&ctx, &dev);
	assert_int_equal(igdpt_host_read_vfio(&ctx, &dev, &out, &diag), want);
	if (!strstr(err, needle))
		fail_msg("'%s' not in '%s'", needle, err);
	assert_int_equal(f->open_fds, 0);
}

/* The device cdev (Linux 6.6+): sysfs vfio-dev/vfio0 and /dev/iommu. */
static void with_cdev(bool on)
{
	char path[1024];

	if (on) {
		put_text("/sys/bus/pci/devices/" BDF "/vfio-dev/vfio0/dev", "237:0\n");
		put_text("/dev/iommu", "");
	} else {
		snprintf(path, sizeof(path), "rm -rf '%s/sys/bus/pci/devices/" BDF "/vfio-dev' "
			 "'%s/dev/iommu'", root, root);
		assert_int_equal(system(path), 0);
	}
}

static void test_vfio_cdev_reads_region(void **state)
{
	struct fake f = { .image = image, .image_len = image_len, .viable = true };
	struct igdpt_vfio_ops ops;
	struct igdpt_host_ctx ctx;
	struct igdpt_host_device dev;
	struct igdpt_host_image out;
	char err[512];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);

	(void)state;
	with_cdev(true);
	ctx_with(&ctx, &ops, &f);
	probe(&ctx, &dev);
	assert_int_equal(igdpt_host_read_opregion(&ctx, &dev, IGDPT_HOST_SOURCE_VFIO, &out, &diag), 0);
	assert_true(f.bound);
	assert_int_equal(f.group_opens, 0);
	assert_false(f.container_set);
	assert_int_equal(out.len, image_len);
	assert_memory_equal(out.data, image, image_len);
	assert_non_null(strstr(out.note, "VFIO cdev vfio0 (iommufd)"));
	assert_int_equal(f.open_fds, 0);
	igdpt_host_image_free(&out);

	/* The node missing (udev not done): the group path reads it. */
	f = (struct fake){ .image = image, .image_len = image_len, .viable = true,
			   .cdev_missing = true };
	assert_int_equal(igdpt_host_read_opregion(&ctx, &dev, IGDPT_HOST_SOURCE_VFIO, &out, &diag), 0);
	assert_int_equal(f.group_opens, 1);
	assert_non_null(strstr(out.note, "VFIO group 7"));
	assert_int_equal(f.open_fds, 0);
	igdpt_host_image_free(&out);

	/* Bound elsewhere (a VM holds it): said so. */
	f = (struct fake){ .image = image, .image_len = image_len, .viable = true, .busy = true };
	assert_int_equal(igdpt_host_read_opregion(&ctx, &dev, IGDPT_HOST_SOURCE_VFIO, &out, &diag),
			 -EBUSY);
	assert_non_null(strstr(err, "VFIO_DEVICE_BIND_IOMMUFD: Device or resource busy (is a VM "
				    "using the device?)"));
	assert_int_equal(f.open_fds, 0);
	with_cdev(false);
}

static void test_vfio_no_region(void **state)
{
	struct fake f = { .image = image, .image_len = image_len, .viable = true,
			  .no_opregion = true };

	(void)state;
	expect_failure(&f, -ENODEV, "no IGD OpRegion region");
}

static void test_vfio_cap_loop(void **state)
{
	struct fake f = { .image = image, .image_len = image_len, .viable = true,
			  .loop_chain = true };

	(void)state;
	expect_failure(&f, -EINVAL, "malformed capability chain");
}

static void test_vfio_not_viable(void **state)
{
	struct fake f = { .image = image, .image_len = image_len };

	(void)state;
	expect_failure(&f, -EBUSY, "is not viable");
}

static void test_vfio_busy(void **state)
{
	struct fake f = { .image = image, .image_len = image_len, .viable = true, .busy = true };

	(void)state;
	expect_failure(&f, -EBUSY, "is a VM using the device?");
}

static void test_vfio_bad_signature(void **state)
{
	uint8_t *bad = malloc(image_len);
	struct fake f = { .image = bad, .image_len = image_len, .viable = true };

	(void)state;
	memcpy(bad, image, image_len);
	memcpy(bad, "IntelGraphicsMEM", 16);
	expect_failure(&f, -EINVAL, "signature mismatch");
	free(bad);
}

static void test_vfio_short_region(void **state)
{
	struct fake f = { .image = image, .image_len = 4096, .viable = true };

	(void)state;
	expect_failure(&f, -EINVAL, "implausibly sized");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vfio_reads_region),
		cmocka_unit_test(test_vfio_report_golden),
		cmocka_unit_test(test_vfio_cdev_reads_region),
		cmocka_unit_test(test_vfio_no_region),
		cmocka_unit_test(test_vfio_cap_loop),
		cmocka_unit_test(test_vfio_not_viable),
		cmocka_unit_test(test_vfio_busy),
		cmocka_unit_test(test_vfio_bad_signature),
		cmocka_unit_test(test_vfio_short_region),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
