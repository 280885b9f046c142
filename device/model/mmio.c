/* SPDX-License-Identifier: MIT */
/* BAR accesses of the virtual IGD.
 *
 * BAR0 (GTTMMADR, 16 MiB) is a register file: enough for firmware and for
 * drivers that read back what they programmed. Two windows read the VMM
 * context's registers instead, as QEMU's vfio-igd mirrors do: GGC at
 * 0x108040 (2 bytes) and BDSM at 0x1080C0 (4 bytes, 8 from gen 11), which
 * the Windows driver reads; writes to them are dropped (read-only mirrors).
 * A few registers a guest i915 waits on behave like hardware (i915_regs.c)
 * when accessed as aligned dwords, as i915 does. From gen 11 (a 64-bit
 * BDSM), GEN6_STOLEN_RESERVED (0x1082C0, 8 bytes) reads where the reserved
 * top of stolen memory lies, from BDSM and GGC as the firmware left them:
 * gen 11+ i915 (i915_gem_stolen.c, icl_get_stolen_reserved) takes its base
 * from this register, which has no enable bit there, and a base of 0 is
 * "*ERROR* inconsistent reservation 0x0 + 0x100000; ignoring". Real
 * firmware reserves the top 1 MiB; so does the model (size field 0: 1 MiB).
 * BAR2 (GMADR, the 256 MiB aperture) reads 0 and drops writes: there is no
 * stolen memory or GGTT behind it, and backing it would let a guest make the
 * device allocate 256 MiB.
 * BAR4 (I/O, 64 bytes) holds an index at +0 and a data port at +4 that
 * accesses the BAR0 dword at the index (MMIO_INDEX/MMIO_DATA). */
#include "mmio.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "i915_regs.h"
#include "igdpt/abi/guest.h"
#include "igdpt/core/ggc.h"

#define MIRROR_GGC_SIZE 2u
#define STOLEN_RESERVED_OFFSET 0x1082C0u
#define STOLEN_RESERVED_SIZE 8u
#define STOLEN_RESERVED_TOP (1ull << 20) /* size field 0 (bits 8:7): 1 MiB */
#define STOLEN_ADDR_MASK (~0xFFFFFull)   /* BDSM and the reserved base: 1 MiB units */
#define BDSM64_WIDTH 8u
/* Every generation with a 64-bit BDSM decodes GGC like gen 11. */
#define GEN_BDSM64_GGC 11u
#define IO_DATA_SIZE 4u

int igdpt_mmio_init(struct igdpt_mmio *mmio)
{
	void *p;

	memset(mmio, 0, sizeof(*mmio));
	p = mmap(NULL, IGDPT_IGD_BAR0_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	mmio->regs = p;
	mmio->size = IGDPT_IGD_BAR0_SIZE;
	igdpt_i915_firmware_state(mmio->regs);
	return 0;
}

void igdpt_mmio_fini(struct igdpt_mmio *mmio)
{
	if (mmio->regs)
		munmap(mmio->regs, mmio->size);
	memset(mmio, 0, sizeof(*mmio));
}

/* If BAR0 byte at is in a config mirror, sets *cfg_off to the config byte
 * it shows. */
static int mirror_byte(const struct igdpt_vmm *vmm, uint64_t at, unsigned *cfg_off)
{
	unsigned bdsm_width = igdpt_vmm_bdsm_width(vmm);

	if (at >= IGDPT_MMIO_GGC_MIRROR_OFFSET &&
	    at < IGDPT_MMIO_GGC_MIRROR_OFFSET + MIRROR_GGC_SIZE) {
		*cfg_off = IGDPT_PCI_GGC_OFFSET + (unsigned)(at - IGDPT_MMIO_GGC_MIRROR_OFFSET);
		return 1;
	}
	if (at >= IGDPT_MMIO_BDSM_MIRROR_OFFSET && at < IGDPT_MMIO_BDSM_MIRROR_OFFSET + bdsm_width) {
		*cfg_off = igdpt_vmm_bdsm_register(vmm) +
			   (unsigned)(at - IGDPT_MMIO_BDSM_MIRROR_OFFSET);
		return 1;
	}
	return 0;
}

/* If BAR0 byte at is in GEN6_STOLEN_RESERVED on a gen 11+ IGD, sets *b to
 * its byte of the top 1 MiB of the stolen memory the firmware placed. */
static int stolen_reserved_byte(const struct igdpt_vmm *vmm, uint64_t at, uint8_t *b)
{
	uint64_t base = igdpt_vmm_bdsm(vmm) & STOLEN_ADDR_MASK, size, value = 0;

	if (igdpt_vmm_bdsm_width(vmm) != BDSM64_WIDTH || at < STOLEN_RESERVED_OFFSET ||
	    at >= STOLEN_RESERVED_OFFSET + STOLEN_RESERVED_SIZE)
		return 0;
	size = igdpt_ggc_stolen_size(GEN_BDSM64_GGC, igdpt_vmm_ggc(vmm));
	if (base && size >= STOLEN_RESERVED_TOP)
		value = base + size - STOLEN_RESERVED_TOP;
	*b = (uint8_t)(value >> (8 * (at - STOLEN_RESERVED_OFFSET)));
	return 1;
}

/* The config byte the context owns at cfg_off. */
static uint8_t mirrored(struct igdpt_vmm *vmm, unsigned cfg_off)
{
	uint32_t v = 0;

	igdpt_vmm_config_read(vmm, cfg_off, 1, &v);
	return (uint8_t)v;
}

static bool dword(uint64_t off, unsigned size)
{
	return size == sizeof(uint32_t) && off % sizeof(uint32_t) == 0;
}

static uint64_t bar0_read(struct igdpt_mmio *mmio, struct igdpt_vmm *vmm, uint64_t off,
			  unsigned size)
{
	uint64_t v = 0;
	uint32_t special;

	if (dword(off, size) && off < mmio->size &&
	    igdpt_i915_read(mmio->regs, (uint32_t)off, &special))
		return special;

	for (unsigned i = 0; i < size && off + i < mmio->size; i++) {
		unsigned cfg_off;
		uint8_t b;

		if (mirror_byte(vmm, off + i, &cfg_off))
			b = mirrored(vmm, cfg_off);
		else if (!stolen_reserved_byte(vmm, off + i, &b))
			b = mmio->regs[off + i];
		v |= (uint64_t)b << (8 * i);
	}
	return v;
}

static void bar0_write(struct igdpt_mmio *mmio, struct igdpt_vmm *vmm, uint64_t off,
		       uint64_t value, unsigned size)
{
	if (dword(off, size) && off < mmio->size &&
	    igdpt_i915_write(mmio->regs, (uint32_t)off, (uint32_t)value))
		return;
	for (unsigned i = 0; i < size && off + i < mmio->size; i++) {
		unsigned cfg_off;

		if (!mirror_byte(vmm, off + i, &cfg_off))
			mmio->regs[off + i] = (uint8_t)(value >> (8 * i));
	}
}

/* The data port reaches the dword at the index, within BAR0. */
static int io_target(const struct igdpt_mmio *mmio, uint64_t offset, unsigned size,
		     uint64_t *mmio_off)
{
	uint64_t index = mmio->io_index;

	if (offset < IGDPT_MMIO_IO_DATA_OFFSET ||
	    offset + size > IGDPT_MMIO_IO_DATA_OFFSET + IO_DATA_SIZE)
		return 0;
	*mmio_off = index + (offset - IGDPT_MMIO_IO_DATA_OFFSET);
	return *mmio_off + size <= mmio->size;
}

uint64_t igdpt_mmio_read(struct igdpt_mmio *mmio, struct igdpt_vmm *vmm, unsigned bar,
			 uint64_t offset, unsigned size)
{
	uint64_t target;

	switch (bar) {
	case IGDPT_IGD_BAR0_INDEX:
		return bar0_read(mmio, vmm, offset, size);
	case IGDPT_IGD_BAR4_INDEX:
		if (offset < IGDPT_MMIO_IO_DATA_OFFSET) {
			uint64_t v = mmio->io_index >> (8 * offset);

			return size < sizeof(uint64_t) ? v & ((1ull << (8 * size)) - 1) : v;
		}
		if (io_target(mmio, offset, size, &target))
			return bar0_read(mmio, vmm, target, size);
		return 0;
	default:
		return 0;
	}
}

void igdpt_mmio_write(struct igdpt_mmio *mmio, struct igdpt_vmm *vmm, unsigned bar,
		      uint64_t offset, uint64_t value, unsigned size)
{
	uint64_t target;

	switch (bar) {
	case IGDPT_IGD_BAR0_INDEX:
		bar0_write(mmio, vmm, offset, value, size);
		break;
	case IGDPT_IGD_BAR4_INDEX:
		if (offset < IGDPT_MMIO_IO_DATA_OFFSET) {
			for (unsigned i = 0; i < size && offset + i < IGDPT_MMIO_IO_DATA_OFFSET; i++) {
				unsigned shift = 8 * (unsigned)(offset + i);

				mmio->io_index = (mmio->io_index & ~((uint32_t)UINT8_MAX << shift)) |
						 (uint32_t)((value >> (8 * i)) & UINT8_MAX) << shift;
			}
		} else if (io_target(mmio, offset, size, &target)) {
			bar0_write(mmio, vmm, target, value, size);
		}
		break;
	default:
		break;
	}
}
