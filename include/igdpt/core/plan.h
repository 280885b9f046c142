/* SPDX-License-Identifier: MIT */
/* Guest address planning for the options where the VMM picks the OpRegion's
 * guest physical address (core: pure, no libc).
 *
 * Option 4a copies the OpRegion into guest RAM: the planner carves a
 * page-aligned range out of RAM below 4 GiB that nothing else claims, and
 * the VMM marks it reserved (igdpt_plan_e820_insert() splits the map).
 * Option 1a (and 2 and 3, which place the same way) maps memory into the
 * guest: the planner finds a page-aligned range below 4 GiB that is neither
 * RAM nor any e820 reservation nor any MMIO window the caller lists (PCI
 * hole, BARs, APICs, flash), and the VMM reports it reserved. ACRN places
 * by fixed rule (DSM - 0x5000); hvmloader allocates from the MMIO hole top
 * down; the planner is the general form: the highest fitting range wins, as
 * SeaBIOS's and hvmloader's allocators do.
 * Nothing is placed below 1 MiB (IVT, EBDA, VGA and BIOS legacy areas).
 * Return contract: >= 0 success, -errno failure with diag filled.
 */
#ifndef IGDPT_PLAN_H
#define IGDPT_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"
#include "igdpt/core/diag.h"

IGDPT_BEGIN_DECLS

/* Lowest address the planner uses: the legacy first megabyte stays alone. */
#define IGDPT_PLAN_FLOOR 0x100000ull

/* An e820 entry (type IGDPT_E820_*) or an MMIO window (type ignored). */
struct igdpt_plan_range {
	uint64_t start;
	uint64_t length;
	uint32_t type;
};

enum igdpt_plan_kind {
	IGDPT_PLAN_IN_RAM,      /* 4a: inside RAM, then reserved */
	IGDPT_PLAN_OUTSIDE_RAM, /* 1a, 2, 3: outside RAM and every window */
};

/* Finds the highest align-aligned range of size bytes (rounded up to
 * pages) that [IGDPT_PLAN_FLOOR, 4 GiB) allows for kind:
 *  - IN_RAM: covered by RAM entries (adjacent ones chain), overlapping no
 *    non-RAM entry (overlapping entries: the reservation wins) and no window;
 *  - OUTSIDE_RAM: overlapping no e820 entry of any type and no window.
 * align is a power of two >= 4 KiB (IGDPT_OPREGION_GUEST_ALIGN for the
 * OpRegion, IGDPT_STOLEN_GUEST_ALIGN for stolen memory). *gpa is written
 * only on success. -EINVAL for bad arguments (size 0 or >= 4 GiB, bad
 * align, NULL map with a count), -ENOSPC when no such range exists. */
int igdpt_plan_place(const struct igdpt_plan_range *e820, size_t e820_count,
		     const struct igdpt_plan_range *windows, size_t window_count, uint64_t size,
		     uint64_t align, enum igdpt_plan_kind kind, uint64_t *gpa,
		     struct igdpt_diag *diag);

/* True if [start, start + len) may hold a placement of kind (the rules
 * above, alignment aside). */
int igdpt_plan_fits(const struct igdpt_plan_range *e820, size_t e820_count,
		    const struct igdpt_plan_range *windows, size_t window_count, uint64_t start,
		    uint64_t len, enum igdpt_plan_kind kind);

/* Gives [start, start + len) the e820 type `type` in map (count entries,
 * room for cap): covered parts of existing entries are cut away, entries
 * split around it, and the new entry inserted in address order (the map
 * must be sorted and non-overlapping, as firmware hands it over).
 * -ENOSPC when the result needs more than cap entries (map unchanged),
 * -EINVAL for len 0 or a wrapping range. */
int igdpt_plan_e820_insert(struct igdpt_plan_range *map, size_t *count, size_t cap,
			   uint64_t start, uint64_t len, uint32_t type, struct igdpt_diag *diag);

IGDPT_END_DECLS

#endif
