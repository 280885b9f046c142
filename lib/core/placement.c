/* SPDX-License-Identifier: MIT */
/* OpRegion and stolen memory placement rules (SeaBIOS pciinit.c and edk2's
 * IgdAssignmentDxe place the same way; the numbers are igdpt/abi/guest.h's). */
#include "igdpt/core/placement.h"

#include "igdpt/abi/guest.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/igd.h"

uint64_t igdpt_placement_pages(uint64_t len)
{
	return len / IGDPT_PLACEMENT_PAGE_SIZE + (len % IGDPT_PLACEMENT_PAGE_SIZE != 0);
}

uint64_t igdpt_placement_tail(uint64_t len)
{
	return igdpt_placement_pages(len) * IGDPT_PLACEMENT_PAGE_SIZE - len;
}

static int is_power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

int igdpt_placement_check(uint64_t base, uint64_t len, uint64_t align, struct igdpt_diag *diag)
{
	if (!is_power_of_two(align))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0, "placement alignment is not a power of two");
	if (!len)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0, "placement of zero bytes");
	if (!base)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0, "placement at address 0");
	if (base & (align - 1))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, base, "placement not aligned");
	if (base >= IGDPT_GUEST_PLACEMENT_LIMIT || len > IGDPT_GUEST_PLACEMENT_LIMIT - base)
		return igdpt_diag_fail(diag, -IGDPT_ERANGE, base, "placement reaches past 4 GiB");
	return 0;
}

uint64_t igdpt_placement_overalloc_pages(uint64_t size, uint64_t align)
{
	uint64_t pages = igdpt_placement_pages(size);

	if (!size || !is_power_of_two(align) || size >= IGDPT_GUEST_PLACEMENT_LIMIT)
		return 0;
	/* A page-aligned allocation is at most align - 1 page short of the
	 * next aligned address. */
	if (align > IGDPT_PLACEMENT_PAGE_SIZE)
		pages += align / IGDPT_PLACEMENT_PAGE_SIZE - 1;
	return pages;
}

int igdpt_placement_carve(uint64_t alloc_base, uint64_t alloc_pages, uint64_t size,
			  uint64_t align, struct igdpt_placement_window *w, struct igdpt_diag *diag)
{
	uint64_t alloc_end, base, pages;

	if (!w || !is_power_of_two(align) || align < IGDPT_PLACEMENT_PAGE_SIZE || !size)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0, "carve: bad size or alignment");
	if (alloc_base % IGDPT_PLACEMENT_PAGE_SIZE)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, alloc_base, "carve: allocation not page aligned");
	if (alloc_pages > (UINT64_MAX - alloc_base) / IGDPT_PLACEMENT_PAGE_SIZE)
		return igdpt_diag_fail(diag, -IGDPT_ERANGE, alloc_base, "carve: allocation wraps");
	alloc_end = alloc_base + alloc_pages * IGDPT_PLACEMENT_PAGE_SIZE;
	if (alloc_base > UINT64_MAX - (align - 1))
		return igdpt_diag_fail(diag, -IGDPT_ERANGE, alloc_base, "carve: allocation wraps");
	base = (alloc_base + align - 1) & ~(align - 1);
	pages = igdpt_placement_pages(size);
	if (base > alloc_end || pages > (alloc_end - base) / IGDPT_PLACEMENT_PAGE_SIZE)
		return igdpt_diag_fail(diag, -IGDPT_ENOSPC, alloc_base,
				       "carve: aligned window does not fit the allocation");
	w->base = base;
	w->pages = pages;
	w->head_base = alloc_base;
	w->head_pages = (base - alloc_base) / IGDPT_PLACEMENT_PAGE_SIZE;
	w->tail_base = base + pages * IGDPT_PLACEMENT_PAGE_SIZE;
	w->tail_pages = (alloc_end - w->tail_base) / IGDPT_PLACEMENT_PAGE_SIZE;
	return 0;
}

int igdpt_placement_bdsm_register(int gen, uint16_t *offset, unsigned *bytes)
{
	return gen <= 0 ? -IGDPT_ENOENT : igdpt_igd_bdsm_register((unsigned)gen, offset, bytes);
}

uint64_t igdpt_placement_bdsm_value(uint64_t old, uint64_t base)
{
	uint64_t low = IGDPT_STOLEN_GUEST_ALIGN - 1;

	return (base & ~low) | (old & low & ~(uint64_t)IGDPT_BDSM_LOCK);
}

int igdpt_placement_stolen_size(uint64_t requested, uint64_t ggc_size, uint64_t *size,
				struct igdpt_diag *diag)
{
	uint64_t want = requested > ggc_size ? requested : ggc_size;
	uint64_t align = IGDPT_STOLEN_GUEST_ALIGN;

	if (!want)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0,
				       "no stolen memory requested and GGC GMS is 0");
	if (want >= IGDPT_GUEST_PLACEMENT_LIMIT)
		return igdpt_diag_fail(diag, -IGDPT_ERANGE, 0, "stolen memory size reaches 4 GiB");
	*size = (want + align - 1) & ~(align - 1);
	return requested && ggc_size && requested != ggc_size;
}
