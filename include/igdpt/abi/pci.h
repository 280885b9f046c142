/* SPDX-License-Identifier: MIT */
/* The standard PCI header registers that more than the device model reads:
 * the command register and the expansion ROM BAR (PCI Local Bus
 * Specification 3.0, 6.2.2 and 6.2.5.2). The guest probes read the IGD's ROM
 * as Linux maps it for i915; the device model serves it. */
#ifndef IGDPT_ABI_PCI_H
#define IGDPT_ABI_PCI_H

#define IGDPT_PCI_COMMAND_OFFSET 0x04u /* u16 */
#define IGDPT_PCI_COMMAND_IO (1u << 0)
#define IGDPT_PCI_COMMAND_MEMORY (1u << 1)
#define IGDPT_PCI_COMMAND_MASTER (1u << 2)
#define IGDPT_PCI_COMMAND_INTX_DISABLE (1u << 10)

/* Expansion ROM BAR: bit 0 enables decoding, bits 11-31 hold the address;
 * a ROM claims at least 2 KiB. */
#define IGDPT_PCI_ROM_ADDRESS_OFFSET 0x30u
#define IGDPT_PCI_ROM_ADDRESS_ENABLE 0x1u
#define IGDPT_PCI_ROM_ADDRESS_MASK 0xFFFFF800u
#define IGDPT_PCI_ROM_MIN_SIZE 0x800u

#endif
