/* SPDX-License-Identifier: MIT */
/* The device's vfio-user regions, laid out as Linux vfio-pci lays out a
 * host IGD's (drivers/vfio/pci/vfio_pci_core.c, vfio_pci_igd.c):
 *
 *   0-5  the BARs (BAR0 MMIO, BAR2 aperture, BAR4 I/O; 1, 3, 5 size 0)
 *   6    the option ROM (size 0 without --rom), read-only
 *   7    config space, 4 KiB
 *   8    the legacy VGA ranges, for a VGA-class IGD (else size 0)
 *   9... device-specific, each with a VFIO_REGION_INFO_CAP_TYPE capability
 *        (type Intel, protocol.h): the OpRegion (if there is one), the host
 *        bridge's and the LPC bridge's config spaces (256 bytes), read-only.
 *
 * No region is mappable: every access is a message the model answers. The
 * table only describes and routes; what a byte reads is the model's. */
#ifndef IGDPT_DEVICE_VFIO_USER_REGIONS_H
#define IGDPT_DEVICE_VFIO_USER_REGIONS_H

#include <stddef.h>
#include <stdint.h>

#include "model/device.h"

enum igdpt_vfu_region_kind {
	IGDPT_VFU_REGION_NONE, /* an index with nothing behind it (size 0) */
	IGDPT_VFU_REGION_KIND_BAR,
	IGDPT_VFU_REGION_KIND_ROM,
	IGDPT_VFU_REGION_KIND_CONFIG,
	IGDPT_VFU_REGION_KIND_VGA,
	IGDPT_VFU_REGION_KIND_OPREGION,
	IGDPT_VFU_REGION_KIND_HOST_CFG,
	IGDPT_VFU_REGION_KIND_LPC_CFG,
};

struct igdpt_vfu_region {
	enum igdpt_vfu_region_kind kind;
	unsigned bar;     /* KIND_BAR: the BAR index */
	uint64_t size;
	uint32_t flags;   /* IGDPT_VFU_REGION_INFO_FLAG_READ / _WRITE */
	uint32_t subtype; /* device-specific: IGDPT_VFU_REGION_SUBTYPE_IGD_*, else 0 */
};

/* 9 fixed regions and 3 device-specific ones at most. */
#define IGDPT_VFU_MAX_REGIONS 12u
/* The host and LPC bridges' config regions: 256 bytes, the conventional
 * config space Linux gives a function without PCI Express capability. */
#define IGDPT_VFU_BRIDGE_CONFIG_SIZE 256u

struct igdpt_vfu_regions {
	struct igdpt_vfu_region region[IGDPT_VFU_MAX_REGIONS];
	unsigned count;
};

/* The table for dev (its BARs, ROM, class, OpRegion; the host and LPC
 * bridges must be functions of the model). */
void igdpt_vfu_regions_build(struct igdpt_vfu_regions *t, const struct igdpt_device *dev);

/* The DEVICE_GET_REGION_INFO reply payload for index (< count) into out
 * (room for IGDPT_VFU_REGION_INFO_MAX bytes): struct vfio_region_info and,
 * when argsz leaves room for it, the capability chain. A reply whose chain
 * does not fit says the size it needs in argsz, keeps FLAG_CAPS and points
 * cap_offset where the chain will be; QEMU 11.1 asks again then, and
 * refuses Linux's cap_offset 0 (docs/stacks.md). Returns the payload
 * length: never more than argsz (>= 32). */
#define IGDPT_VFU_REGION_INFO_MAX (IGDPT_VFU_REGION_INFO_SIZE + IGDPT_VFU_CAP_TYPE_SIZE)
size_t igdpt_vfu_region_info(const struct igdpt_vfu_regions *t, unsigned index, uint32_t argsz,
			     uint8_t *out);

/* count bytes at offset of a region, through the model: config-like
 * regions in naturally aligned 1/2/4-byte accesses, BARs in 1/2/4/8-byte
 * ones, the rest as one range. The caller has checked that the region
 * allows the access and holds [offset, offset + count). 0, or -EINVAL with
 * *reason when the model refuses it (e.g. a VGA access between the VGA
 * ranges). */
int igdpt_vfu_region_read(struct igdpt_device *dev, const struct igdpt_vfu_region *r,
			  uint64_t offset, uint32_t count, uint8_t *out, const char **reason);
int igdpt_vfu_region_write(struct igdpt_device *dev, const struct igdpt_vfu_region *r,
			   uint64_t offset, uint32_t count, const uint8_t *data, const char **reason);

/* Whether a VMM that reads the ROM through region 6 can use this option
 * ROM. QEMU's vfio code (hw/vfio/pci.c, vfio_pci_load_rom()) patches a ROM
 * whose first image names the device's vendor but another device id: it
 * writes the device id into the PCI data structure and a checksum into the
 * ROM's byte 6, as a legacy Intel video BIOS wants. In an EFI image byte 6
 * is inside the EFI signature (0x0EF1), so OVMF then skips the image (seen
 * with OVMF 2025.02: igdpt's driver never started). 0, or -EINVAL with
 * *reason when the first image is an EFI image for vendor but not device
 * (build it for the device: igdpt rom --device-id ID). */
int igdpt_vfu_rom_check(const uint8_t *rom, size_t len, uint16_t vendor, uint16_t device,
			const char **reason);

#endif
