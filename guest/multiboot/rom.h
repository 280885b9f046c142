/* SPDX-License-Identifier: MIT */
/* The IGD's PCI ROM as Linux would map it for i915's VBT fallback. */
#ifndef IGDPT_PROBE_ROM_H
#define IGDPT_PROBE_ROM_H

#include "igdpt/core/probe.h"
#include "pci.h"

/* Fills in->rom_read, rom, rom_size and rom_from: the shadow at 0xC0000 for
 * the boot VGA device with decoding on (what Linux maps there), else the
 * bytes behind the ROM BAR at the address the firmware assigned (copied
 * with the BAR enabled for the copy only). A ROM BAR the firmware left
 * unassigned cannot be read: rom_read stays false. */
void probe_read_rom(struct igdpt_probe_input *in, const struct probe_pci_fn *f);

#endif
