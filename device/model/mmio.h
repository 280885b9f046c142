/* SPDX-License-Identifier: MIT */
/* The IGD's BARs: BAR0 MMIO register file with the GGC/BDSM mirrors, the
 * BAR2 aperture, and the BAR4 I/O index/data window into BAR0. */
#ifndef IGDPT_DEVICE_MMIO_H
#define IGDPT_DEVICE_MMIO_H

#include <stddef.h>
#include <stdint.h>

#include "igd.h"
#include "igdpt/vmm.h"

#define IGDPT_MMIO_IO_INDEX_OFFSET 0u /* BAR4 + 0: MMIO offset to access */
#define IGDPT_MMIO_IO_DATA_OFFSET 4u  /* BAR4 + 4: the MMIO dword at index */

struct igdpt_mmio {
	uint8_t *regs; /* BAR0 register file, zero-filled on demand by the kernel */
	size_t size;
	uint32_t io_index;
};

/* Maps an anonymous, lazily allocated register file of BAR0's size.
 * 0 or -errno. */
int igdpt_mmio_init(struct igdpt_mmio *mmio);
void igdpt_mmio_fini(struct igdpt_mmio *mmio);

/* Accesses of size 1, 2, 4 or 8 bytes at offset into a BAR of the IGD; the
 * caller has checked that the access lies inside the BAR. Reads return what
 * was written (0 initially), except the read-only mirrors of GGC
 * (IGDPT_MMIO_GGC_MIRROR_OFFSET) and BDSM (IGDPT_MMIO_BDSM_MIRROR_OFFSET),
 * which read the VMM context's registers. */
uint64_t igdpt_mmio_read(struct igdpt_mmio *mmio, struct igdpt_vmm *vmm, unsigned bar,
			 uint64_t offset, unsigned size);
void igdpt_mmio_write(struct igdpt_mmio *mmio, struct igdpt_vmm *vmm, unsigned bar,
		      uint64_t offset, uint64_t value, unsigned size);

#endif
