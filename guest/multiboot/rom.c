/* SPDX-License-Identifier: MIT */
/* The IGD's PCI ROM for the multiboot probe (see rom.h). Linux on x86 gives
 * i915 the shadow at 0xC0000 for the boot VGA device, where SeaBIOS copied
 * the video BIOS it ran (igdpt_probe_rom_is_shadow() owns that rule);
 * otherwise i915 reads the ROM BAR. */
#include "rom.h"

#include <stdint.h>

#include "igdpt/abi/pci.h"
#include "igdpt/core/bytes.h"

/* What the probe copies from a ROM BAR: as much as Linux's shadow window. */
#define ROM_COPY_MAX IGDPT_PROBE_ROM_SHADOW_SIZE
#define COMMAND_MASK 0xFFFFu /* the dword's upper half is STATUS (write 1 to clear) */

static uint8_t rom_copy[ROM_COPY_MAX];

void probe_read_rom(struct igdpt_probe_input *in, const struct probe_pci_fn *f)
{
	uint32_t command = pci_read32(f->bus, f->dev, f->fn, IGDPT_PCI_COMMAND_OFFSET) & COMMAND_MASK;
	uint32_t bar, sizing, size;

	if (igdpt_probe_rom_is_shadow(f->class_code, (uint16_t)command)) {
		in->rom_read = true;
		in->rom = (const uint8_t *)(uintptr_t)IGDPT_PROBE_ROM_SHADOW_BASE;
		in->rom_size = IGDPT_PROBE_ROM_SHADOW_SIZE;
		in->rom_from = "shadow at 0xc0000";
		return;
	}
	in->rom_from = "ROM BAR";
	bar = pci_read32(f->bus, f->dev, f->fn, IGDPT_PCI_ROM_ADDRESS_OFFSET);
	pci_write32(f->bus, f->dev, f->fn, IGDPT_PCI_ROM_ADDRESS_OFFSET, IGDPT_PCI_ROM_ADDRESS_MASK);
	sizing = pci_read32(f->bus, f->dev, f->fn, IGDPT_PCI_ROM_ADDRESS_OFFSET) &
		 IGDPT_PCI_ROM_ADDRESS_MASK;
	pci_write32(f->bus, f->dev, f->fn, IGDPT_PCI_ROM_ADDRESS_OFFSET, bar);
	if (!sizing) {
		in->rom_read = true; /* no ROM BAR: Linux maps no ROM */
		return;
	}
	if (!(bar & IGDPT_PCI_ROM_ADDRESS_MASK))
		return; /* Linux would assign an address; the probe cannot */
	size = ~sizing + 1u;
	if (size > ROM_COPY_MAX)
		size = ROM_COPY_MAX;
	pci_write32(f->bus, f->dev, f->fn, IGDPT_PCI_COMMAND_OFFSET,
		    command | IGDPT_PCI_COMMAND_MEMORY);
	pci_write32(f->bus, f->dev, f->fn, IGDPT_PCI_ROM_ADDRESS_OFFSET,
		    (bar & IGDPT_PCI_ROM_ADDRESS_MASK) | IGDPT_PCI_ROM_ADDRESS_ENABLE);
	igdpt_bytes_copy(rom_copy, (const uint8_t *)(uintptr_t)(bar & IGDPT_PCI_ROM_ADDRESS_MASK),
			 size);
	pci_write32(f->bus, f->dev, f->fn, IGDPT_PCI_ROM_ADDRESS_OFFSET, bar);
	pci_write32(f->bus, f->dev, f->fn, IGDPT_PCI_COMMAND_OFFSET, command);
	in->rom_read = true;
	in->rom = rom_copy;
	in->rom_size = size;
}
