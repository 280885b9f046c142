/* SPDX-License-Identifier: MIT */
/* Standard PCI type-0 configuration header offsets and bits the device model
 * uses (PCI Local Bus Specification 3.0, chapter 6). */
#ifndef IGDPT_DEVICE_PCI_REGS_H
#define IGDPT_DEVICE_PCI_REGS_H

/* The command register and the ROM BAR: igdpt/abi/pci.h (the guests read
 * them too). */
#include "igdpt/abi/pci.h"

#define IGDPT_PCI_VENDOR_ID_OFFSET 0x00u
#define IGDPT_PCI_DEVICE_ID_OFFSET 0x02u
#define IGDPT_PCI_STATUS_OFFSET 0x06u
#define IGDPT_PCI_REVISION_OFFSET 0x08u
#define IGDPT_PCI_PROG_IF_OFFSET 0x09u
#define IGDPT_PCI_CLASS_DEVICE_OFFSET 0x0Au /* u16: base class << 8 | subclass */
#define IGDPT_PCI_CACHE_LINE_OFFSET 0x0Cu
#define IGDPT_PCI_LATENCY_OFFSET 0x0Du
#define IGDPT_PCI_HEADER_TYPE_OFFSET 0x0Eu
#define IGDPT_PCI_BAR0_OFFSET 0x10u
#define IGDPT_PCI_SUBSYS_VENDOR_OFFSET 0x2Cu
#define IGDPT_PCI_SUBSYS_ID_OFFSET 0x2Eu
#define IGDPT_PCI_INTERRUPT_LINE_OFFSET 0x3Cu
#define IGDPT_PCI_INTERRUPT_PIN_OFFSET 0x3Du

#define IGDPT_PCI_HEADER_TYPE_NORMAL 0x00u
#define IGDPT_PCI_INTERRUPT_PIN_INTA 0x01u

/* BAR low bits (read-only flags). */
#define IGDPT_PCI_BAR_SPACE_IO 0x1u
#define IGDPT_PCI_BAR_MEM_TYPE_64 0x4u
#define IGDPT_PCI_BAR_MEM_PREFETCH 0x8u
#define IGDPT_PCI_BAR_MEM_FLAGS_MASK 0xFu
#define IGDPT_PCI_BAR_IO_FLAGS_MASK 0x3u
#define IGDPT_PCI_BAR_COUNT 6u
#define IGDPT_PCI_BAR_STRIDE 4u

/* Index 6 names the expansion ROM BAR among the BARs, as QEMU's PCI_ROM_SLOT
 * and vfio's ROM region index do. */
#define IGDPT_PCI_ROM_SLOT 6u

/* Type-0 header size; everything above is device-specific or extended. */
#define IGDPT_PCI_HEADER_SIZE 0x40u
/* PCI Express extended configuration space: what the model stores. */
#define IGDPT_PCI_CONFIG_SPACE_SIZE 4096u

#endif
