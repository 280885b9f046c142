/* SPDX-License-Identifier: MIT */
/* Where guest firmware puts the OpRegion and stolen memory (core: pure).
 *
 * The rules of the guest contract (igdpt/abi/guest.h) as arithmetic that a
 * firmware driver applies to what its allocator returned, so the EFI driver
 * and host tests share them: page-granular OpRegion below 4 GiB with the
 * tail of its last page zeroed; stolen memory 1 MiB aligned below 4 GiB,
 * carved out of an over-allocation; the BDSM register a generation uses;
 * and a stolen size consistent with the (read-only) GGC.
 * Return contract: >= 0 success, -errno failure with diag filled.
 */
#ifndef IGDPT_PLACEMENT_H
#define IGDPT_PLACEMENT_H

#include <stdint.h>

#include "igdpt/core/api.h"
#include "igdpt/core/diag.h"

IGDPT_BEGIN_DECLS

/* UEFI and x86 page size: the unit of AllocatePages. */
#define IGDPT_PLACEMENT_PAGE_SIZE 0x1000u
/* Largest fw_cfg etc/igd-opregion a firmware accepts: the 8 KiB base region
 * plus the largest extended VBT (u16 vbt_size), rounded up to 1 MiB. */
#define IGDPT_PLACEMENT_OPREGION_MAX 0x100000u

/* An aligned window inside an over-allocation, and what to give back. */
struct igdpt_placement_window {
	uint64_t base, pages;           /* the kept, aligned range */
	uint64_t head_base, head_pages; /* free before it (0 pages: nothing) */
	uint64_t tail_base, tail_pages; /* free after it */
};

/* Pages covering len bytes. */
uint64_t igdpt_placement_pages(uint64_t len);
/* Bytes from len to the end of its last page: what must be zero-filled
 * after a copied image so the guest never sees stale memory there. */
uint64_t igdpt_placement_tail(uint64_t len);

/* Checks a placement: base non-zero and a multiple of align (a power of
 * two), len non-zero, and [base, base + len) entirely below 4 GiB. */
int igdpt_placement_check(uint64_t base, uint64_t len, uint64_t align, struct igdpt_diag *diag);

/* Pages to allocate anywhere (page aligned) so that an align-aligned window
 * of size bytes fits inside; 0 when size or align is invalid. */
uint64_t igdpt_placement_overalloc_pages(uint64_t size, uint64_t align);
/* Carves the lowest align-aligned window of size bytes out of
 * [alloc_base, alloc_base + alloc_pages pages). -EINVAL when alloc_base is
 * not page aligned or the window does not fit. */
int igdpt_placement_carve(uint64_t alloc_base, uint64_t alloc_pages, uint64_t size,
			  uint64_t align, struct igdpt_placement_window *w, struct igdpt_diag *diag);

/* The BDSM register of a graphics generation: igdpt_igd_bdsm_register()
 * (igdpt/core/igd.h), with -ENOENT for a negative generation as well. */
int igdpt_placement_bdsm_register(int gen, uint16_t *offset, unsigned *bytes);
/* The value to write: the 1 MiB aligned base in the address bits, the old
 * low bits kept except the lock bit (firmware never locks a virtual IGD). */
uint64_t igdpt_placement_bdsm_value(uint64_t old, uint64_t base);

/* Stolen size to reserve given the VMM's request (etc/igd-bdsm-size, 0 when
 * absent) and the size GGC's GMS field implies (0 when unknown): the larger
 * of the two rounded up to 1 MiB, because the guest driver sizes stolen
 * memory from GGC, which firmware cannot change on a virtual IGD, while the
 * VMM sized the request. Returns 0 when they agree, 1 when they differ (the
 * caller says so), -EINVAL when both are 0 or the size reaches 4 GiB. */
int igdpt_placement_stolen_size(uint64_t requested, uint64_t ggc_size, uint64_t *size,
				struct igdpt_diag *diag);

IGDPT_END_DECLS

#endif
