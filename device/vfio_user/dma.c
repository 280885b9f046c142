/* SPDX-License-Identifier: MIT */
/* The client's DMA maps and the guest RAM behind them (dma.h). */
#include "dma.h"

#include <errno.h>
#include <string.h>

#include "protocol.h"

void igdpt_vfu_dma_init(struct igdpt_vfu_dma *dma)
{
	memset(dma, 0, sizeof(*dma));
}

static int fail(const char **reason, const char *why, int err)
{
	*reason = why;
	return err;
}

static bool overlaps(const struct igdpt_vfu_dma_map *m, uint64_t address, uint64_t size)
{
	return address < m->address + m->size && m->address < address + size;
}

int igdpt_vfu_dma_map(struct igdpt_vfu_dma *dma, struct igdpt_device *dev, uint64_t address,
		      uint64_t size, uint32_t flags, int fd, uint64_t offset, const char **reason)
{
	const uint32_t rw = IGDPT_VFU_DMA_MAP_FLAG_READ | IGDPT_VFU_DMA_MAP_FLAG_WRITE;
	struct igdpt_vfu_dma_map *m;

	if (!flags || (flags & ~rw))
		return fail(reason, "DMA map flags are not read and/or write", -EINVAL);
	if (!size)
		return fail(reason, "DMA map of size 0", -EINVAL);
	if ((address | size) % IGDPT_VFU_DMA_ALIGN || (fd >= 0 && offset % IGDPT_VFU_DMA_ALIGN))
		return fail(reason, "DMA map not aligned to 4 KiB pages", -EINVAL);
	if (address + size < address || (fd >= 0 && offset + size < offset))
		return fail(reason, "DMA map wraps around the address space", -EINVAL);
	for (unsigned i = 0; i < dma->count; i++)
		if (overlaps(&dma->maps[i], address, size))
			return fail(reason, "DMA map overlaps an earlier map", -EEXIST);
	if (dma->count >= IGDPT_VFU_MAX_DMA_MAPS)
		return fail(reason, "more DMA maps than max_dma_maps", -ENOSPC);
	if (fd >= 0) {
		struct igdpt_guest_region r = {
			.gpa = address,
			.size = size,
			.fd = fd,
			.offset = offset,
			.read_only = !(flags & IGDPT_VFU_DMA_MAP_FLAG_WRITE),
		};
		int ret = igdpt_device_memory_add(dev, &r, reason);

		if (ret < 0)
			return ret == -ENOSPC ? ret : -EINVAL;
	}
	m = &dma->maps[dma->count++];
	m->address = address;
	m->size = size;
	m->flags = flags;
	m->has_fd = fd >= 0;
	return 0;
}

static void remove_at(struct igdpt_vfu_dma *dma, struct igdpt_device *dev, unsigned i)
{
	const char *ignored;

	/* The model has the region exactly when the map came with a file. */
	if (dma->maps[i].has_fd)
		igdpt_device_memory_remove(dev, dma->maps[i].address, dma->maps[i].size, &ignored);
	memmove(&dma->maps[i], &dma->maps[i + 1], (dma->count - i - 1) * sizeof(dma->maps[0]));
	dma->count--;
}

int igdpt_vfu_dma_unmap(struct igdpt_vfu_dma *dma, struct igdpt_device *dev, uint64_t address,
			uint64_t size, bool all, const char **reason)
{
	if (all) {
		while (dma->count)
			remove_at(dma, dev, dma->count - 1);
		return 0;
	}
	for (unsigned i = 0; i < dma->count; i++) {
		if (dma->maps[i].address == address && dma->maps[i].size == size) {
			remove_at(dma, dev, i);
			return 0;
		}
	}
	return fail(reason, "DMA unmap names no earlier map (address and size must match one)",
		    -ENOENT);
}
