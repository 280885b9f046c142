/* SPDX-License-Identifier: MIT */
/* The client's DMA maps (DMA_MAP, DMA_UNMAP), and the guest RAM they give
 * the device model.
 *
 * QEMU 11.1 maps every RAM section with its memfd and every ROM section
 * (the BIOS, option-ROM windows) without an fd (docs/stacks.md). A map
 * with an fd becomes a guest RAM region of the model (read-only unless the
 * map is writable); one without is recorded but gives the device nothing
 * to read (the device never asks for DMA_READ/DMA_WRITE). Maps may not
 * overlap (EEXIST, as the specification asks); an unmap names exactly one
 * earlier map, or all of them. */
#ifndef IGDPT_DEVICE_VFIO_USER_DMA_H
#define IGDPT_DEVICE_VFIO_USER_DMA_H

#include <stdbool.h>
#include <stdint.h>

#include "model/device.h"

/* Maps kept at once, and the device's max_dma_maps: the model keeps as
 * many guest RAM regions (QEMU 11.1 keeps at most 16 on a pc machine,
 * while SeaBIOS shadows its ROMs). */
#define IGDPT_VFU_MAX_DMA_MAPS IGDPT_GUEST_MEMORY_MAX_REGIONS
/* Maps are page-granular: pgsizes is 4 KiB. */
#define IGDPT_VFU_DMA_ALIGN 4096u

struct igdpt_vfu_dma_map {
	uint64_t address, size;
	uint32_t flags;
	bool has_fd;
};

struct igdpt_vfu_dma {
	struct igdpt_vfu_dma_map maps[IGDPT_VFU_MAX_DMA_MAPS];
	unsigned count;
};

void igdpt_vfu_dma_init(struct igdpt_vfu_dma *dma);

/* Records a map of [address, address + size) with flags (READ and/or
 * WRITE); fd >= 0 is the backing file at offset (the model keeps its own
 * duplicate). 0, or -EINVAL (*reason: size 0, unaligned, wrapping, bad
 * flags, a file the model refuses), -EEXIST (*reason: overlaps a map),
 * -ENOSPC (*reason: too many maps). Nothing changes on failure. */
int igdpt_vfu_dma_map(struct igdpt_vfu_dma *dma, struct igdpt_device *dev, uint64_t address,
		      uint64_t size, uint32_t flags, int fd, uint64_t offset, const char **reason);
/* Removes the map of exactly [address, address + size), or every map
 * (all). 0 or -ENOENT (*reason). */
int igdpt_vfu_dma_unmap(struct igdpt_vfu_dma *dma, struct igdpt_device *dev, uint64_t address,
			uint64_t size, bool all, const char **reason);

#endif
