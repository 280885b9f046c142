/* SPDX-License-Identifier: MIT */
/* The vfio-user region table and its routing to the device model. */
#include "regions.h"

#include <errno.h>
#include <string.h>

#include "igdpt/abi/pci_rom.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/pci_rom.h"
#include "model/vga.h"
#include "protocol.h"

#define RW (IGDPT_VFU_REGION_INFO_FLAG_READ | IGDPT_VFU_REGION_INFO_FLAG_WRITE)
#define RO IGDPT_VFU_REGION_INFO_FLAG_READ

static void add_device_specific(struct igdpt_vfu_regions *t, enum igdpt_vfu_region_kind kind,
				uint64_t size, uint32_t subtype)
{
	struct igdpt_vfu_region *r = &t->region[t->count++];

	r->kind = kind;
	r->size = size;
	r->flags = RO;
	r->subtype = subtype;
}

void igdpt_vfu_regions_build(struct igdpt_vfu_regions *t, const struct igdpt_device *dev)
{
	struct igdpt_device_bar bar;
	uint64_t rom = igdpt_device_rom_size(dev, IGDPT_FUNCTION_IGD);
	size_t opregion = igdpt_device_opregion_size(dev);

	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < IGDPT_PCI_BAR_COUNT; i++) {
		if (igdpt_device_bar_info(dev, IGDPT_FUNCTION_IGD, i, &bar) < 0)
			continue;
		t->region[i] = (struct igdpt_vfu_region){
			.kind = IGDPT_VFU_REGION_KIND_BAR, .bar = i, .size = bar.size, .flags = RW};
	}
	if (rom)
		t->region[IGDPT_VFU_REGION_ROM] = (struct igdpt_vfu_region){
			.kind = IGDPT_VFU_REGION_KIND_ROM, .size = rom, .flags = RO};
	t->region[IGDPT_VFU_REGION_CONFIG] = (struct igdpt_vfu_region){
		.kind = IGDPT_VFU_REGION_KIND_CONFIG, .size = IGDPT_PCI_CONFIG_SPACE_SIZE, .flags = RW};
	if (igdpt_device_has_vga(dev))
		t->region[IGDPT_VFU_REGION_VGA] = (struct igdpt_vfu_region){
			.kind = IGDPT_VFU_REGION_KIND_VGA, .size = IGDPT_VGA_REGION_SIZE, .flags = RW};
	t->count = IGDPT_VFU_REGION_FIRST_DEVICE_SPECIFIC;
	/* Linux registers the OpRegion first, then the bridges
	 * (vfio_pci_igd_init()); without an OpRegion there is no region. */
	if (opregion)
		add_device_specific(t, IGDPT_VFU_REGION_KIND_OPREGION, opregion,
				    IGDPT_VFU_REGION_SUBTYPE_IGD_OPREGION);
	if (igdpt_device_has_function(dev, IGDPT_FUNCTION_HOST_BRIDGE))
		add_device_specific(t, IGDPT_VFU_REGION_KIND_HOST_CFG, IGDPT_VFU_BRIDGE_CONFIG_SIZE,
				    IGDPT_VFU_REGION_SUBTYPE_IGD_HOST_CFG);
	if (igdpt_device_has_function(dev, IGDPT_FUNCTION_LPC))
		add_device_specific(t, IGDPT_VFU_REGION_KIND_LPC_CFG, IGDPT_VFU_BRIDGE_CONFIG_SIZE,
				    IGDPT_VFU_REGION_SUBTYPE_IGD_LPC_CFG);
}

size_t igdpt_vfu_region_info(const struct igdpt_vfu_regions *t, unsigned index, uint32_t argsz,
			     uint8_t *out)
{
	const struct igdpt_vfu_region *r = &t->region[index];
	uint32_t full = IGDPT_VFU_REGION_INFO_SIZE, flags = r->flags, cap_offset = 0;
	size_t len = IGDPT_VFU_REGION_INFO_SIZE;

	memset(out, 0, IGDPT_VFU_REGION_INFO_MAX);
	if (r->subtype) {
		full += IGDPT_VFU_CAP_TYPE_SIZE;
		flags |= IGDPT_VFU_REGION_INFO_FLAG_CAPS;
		cap_offset = IGDPT_VFU_REGION_INFO_SIZE;
		if (argsz >= full) {
			uint8_t *cap = out + cap_offset;

			igdpt_put_le16(cap + IGDPT_VFU_CAP_ID_OFFSET, IGDPT_VFU_CAP_TYPE_ID);
			igdpt_put_le16(cap + IGDPT_VFU_CAP_VERSION_OFFSET, IGDPT_VFU_CAP_TYPE_VERSION);
			igdpt_put_le32(cap + IGDPT_VFU_CAP_NEXT_OFFSET, 0);
			igdpt_put_le32(cap + IGDPT_VFU_CAP_TYPE_TYPE_OFFSET,
				       IGDPT_VFU_REGION_TYPE_INTEL);
			igdpt_put_le32(cap + IGDPT_VFU_CAP_TYPE_SUBTYPE_OFFSET, r->subtype);
			len = full;
		}
	}
	igdpt_put_le32(out + IGDPT_VFU_REGION_INFO_ARGSZ_OFFSET, full);
	igdpt_put_le32(out + IGDPT_VFU_REGION_INFO_FLAGS_OFFSET, flags);
	igdpt_put_le32(out + IGDPT_VFU_REGION_INFO_INDEX_OFFSET, index);
	igdpt_put_le32(out + IGDPT_VFU_REGION_INFO_CAP_OFFSET_OFFSET, cap_offset);
	igdpt_put_le64(out + IGDPT_VFU_REGION_INFO_SIZE_OFFSET, r->size);
	/* No region is mappable, so there is no mmap offset to give. */
	igdpt_put_le64(out + IGDPT_VFU_REGION_INFO_OFFSET_OFFSET, 0);
	return len;
}

/* The largest naturally aligned power of two up to max that fits. */
static uint32_t chunk(uint64_t offset, uint32_t left, uint32_t max)
{
	uint32_t n = max;

	while (n > 1 && (offset % n || n > left))
		n >>= 1;
	return n;
}

static enum igdpt_function config_function(enum igdpt_vfu_region_kind kind)
{
	switch (kind) {
	case IGDPT_VFU_REGION_KIND_HOST_CFG:
		return IGDPT_FUNCTION_HOST_BRIDGE;
	case IGDPT_VFU_REGION_KIND_LPC_CFG:
		return IGDPT_FUNCTION_LPC;
	default:
		return IGDPT_FUNCTION_IGD;
	}
}

static uint64_t get_le(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void put_le(uint8_t *p, uint64_t v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Config and BAR accesses, split into what the model takes. */
static int split_access(struct igdpt_device *dev, const struct igdpt_vfu_region *r,
			uint64_t offset, uint32_t count, uint8_t *buf, bool write,
			const char **reason)
{
	bool config = r->kind != IGDPT_VFU_REGION_KIND_BAR;
	enum igdpt_function fn = config_function(r->kind);

	while (count) {
		uint32_t n = chunk(offset, count, config ? 4 : 8);
		int ret;

		if (config) {
			uint32_t v = 0;

			if (write) {
				ret = igdpt_device_cfg_write(dev, fn, (uint32_t)offset, n,
							     (uint32_t)get_le(buf, n), reason);
			} else {
				ret = igdpt_device_cfg_read(dev, fn, (uint32_t)offset, n, &v, reason);
				put_le(buf, v, n);
			}
		} else {
			uint64_t v = 0;

			if (write) {
				ret = igdpt_device_bar_write(dev, IGDPT_FUNCTION_IGD, r->bar, offset, n,
							     get_le(buf, n), reason);
			} else {
				ret = igdpt_device_bar_read(dev, IGDPT_FUNCTION_IGD, r->bar, offset, n,
							    &v, reason);
				put_le(buf, v, n);
			}
		}
		if (ret < 0)
			return -EINVAL;
		offset += n;
		count -= n;
		buf += n;
	}
	return 0;
}

int igdpt_vfu_region_read(struct igdpt_device *dev, const struct igdpt_vfu_region *r,
			  uint64_t offset, uint32_t count, uint8_t *out, const char **reason)
{
	switch (r->kind) {
	case IGDPT_VFU_REGION_KIND_ROM:
		if (igdpt_device_rom_read(dev, IGDPT_FUNCTION_IGD, offset, out, count) < 0)
			break;
		return 0;
	case IGDPT_VFU_REGION_KIND_OPREGION:
		if (igdpt_device_opregion_read(dev, offset, out, count) < 0)
			break;
		return 0;
	case IGDPT_VFU_REGION_KIND_VGA:
		return igdpt_device_vga_read(dev, offset, out, count, reason) < 0 ? -EINVAL : 0;
	case IGDPT_VFU_REGION_KIND_BAR:
	case IGDPT_VFU_REGION_KIND_CONFIG:
	case IGDPT_VFU_REGION_KIND_HOST_CFG:
	case IGDPT_VFU_REGION_KIND_LPC_CFG:
		return split_access(dev, r, offset, count, out, false, reason);
	default:
		break;
	}
	*reason = "read outside the region";
	return -EINVAL;
}

int igdpt_vfu_region_write(struct igdpt_device *dev, const struct igdpt_vfu_region *r,
			   uint64_t offset, uint32_t count, const uint8_t *data, const char **reason)
{
	switch (r->kind) {
	case IGDPT_VFU_REGION_KIND_VGA:
		return igdpt_device_vga_write(dev, offset, data, count, reason) < 0 ? -EINVAL : 0;
	case IGDPT_VFU_REGION_KIND_BAR:
	case IGDPT_VFU_REGION_KIND_CONFIG:
		return split_access(dev, r, offset, count, (uint8_t *)data, true, reason);
	default:
		*reason = "write to a read-only region";
		return -EINVAL;
	}
}

int igdpt_vfu_rom_check(const uint8_t *rom, size_t len, uint16_t vendor, uint16_t device,
			const char **reason)
{
	struct igdpt_pci_rom_image image;
	struct igdpt_diag diag = {0};

	if (igdpt_pci_rom_image_at(rom, len, 0, &image, &diag) < 0)
		return 0; /* not QEMU's case; the ROM parser judges the ROM */
	if (image.code_type == IGDPT_ROM_CODE_EFI && image.vendor == vendor &&
	    image.device != device) {
		*reason = "its first image is an EFI image for another device id of the same vendor; "
			  "QEMU's vfio code then rewrites byte 6, inside the EFI signature, and OVMF "
			  "skips the image";
		return -EINVAL;
	}
	return 0;
}
