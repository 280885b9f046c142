/* SPDX-License-Identifier: MIT */
/* The guest contract of IGD OpRegion assignment: the PCI config registers,
 * fw_cfg files, alignments and memory types that the VMM, the guest firmware
 * and the guest driver agree on.
 *
 * Follows QEMU docs/igd-assign.txt and hw/vfio/igd.c (fw_cfg names, ASLS and
 * BDSM emulation), SeaBIOS src/fw/pciinit.c (placement), edk2
 * OvmfPkg/Include/IndustryStandard/AssignedIgd.h (alignment, memory types)
 * and Linux i915 (register meanings).
 */
#ifndef IGDPT_ABI_GUEST_H
#define IGDPT_ABI_GUEST_H

/* PCI identity */
#define IGDPT_PCI_VENDOR_INTEL 0x8086u
#define IGDPT_PCI_CLASS_DISPLAY_VGA 0x0300u   /* primary: SeaBIOS handles it */
#define IGDPT_PCI_CLASS_DISPLAY_OTHER 0x0380u /* non-primary */
#define IGDPT_PCI_CLASS_BRIDGE_ISA 0x0601u
#define IGDPT_PCI_CLASS_BRIDGE_HOST 0x0600u
#define IGDPT_IGD_DEVFN_DEVICE 2u /* the IGD lives at 00:02.0 */
#define IGDPT_LPC_DEVFN_DEVICE 0x1Fu /* the LPC bridge at 00:1f.0 */

/* IGD PCI config registers */
#define IGDPT_PCI_GGC_OFFSET 0x50u       /* u16 graphics control (GMCH) */
#define IGDPT_PCI_BDSM_OFFSET 0x5Cu      /* u32 stolen base, up to gen 10 */
#define IGDPT_PCI_BDSM64_OFFSET 0xC0u    /* u64 stolen base, from gen 11 (igdpt/core/igd.h) */
#define IGDPT_PCI_SWSMISCI_OFFSET 0xE0u  /* Atom software SMI/SCI */
#define IGDPT_PCI_SWSCI_OFFSET 0xE8u     /* software SCI, 16-bit */
#define IGDPT_PCI_ASLS_OFFSET 0xFCu      /* u32 OpRegion physical address */

/* SWSCI bits */
#define IGDPT_SWSCI_GSSCIE (1u << 0)  /* write 1 to raise the event */
#define IGDPT_SWSCI_SCISEL (1u << 15) /* 1 = SCI, 0 = SMI */

/* GGC (GMCH graphics control) fields: the layout changed at gen 8. */
#define IGDPT_GGC_GEN6_GMS_SHIFT 3u
#define IGDPT_GGC_GEN6_GMS_MASK 0x1Fu
#define IGDPT_GGC_GEN6_GGMS_SHIFT 8u
#define IGDPT_GGC_GEN6_GGMS_MASK 0x3u
#define IGDPT_GGC_GEN8_GMS_SHIFT 8u
#define IGDPT_GGC_GEN8_GMS_MASK 0xFFu
#define IGDPT_GGC_GEN8_GGMS_SHIFT 6u
#define IGDPT_GGC_GEN8_GGMS_MASK 0x3u
#define IGDPT_GGC_GMS_UNIT (32u << 20)        /* GMS values below 0xF0 */
#define IGDPT_GGC_GMS_SMALL_FIRST 0xF0u       /* gen 9+: 0xF0.. = 4 MiB steps */
#define IGDPT_GGC_GMS_SMALL_UNIT (4u << 20)
#define IGDPT_GGC_LOCK (1u << 0)
/* IVD, IGD VGA Disable: the IGD decodes no legacy VGA cycles (QEMU 10.1's
 * legacy mode requires it clear, hw/vfio/igd.c IGD_GMCH_VGA_DISABLE). */
#define IGDPT_GGC_IVD (1u << 1)

/* BDSM fields */
#define IGDPT_BDSM_ADDRESS_MASK 0xFFF00000u /* 1 MiB aligned base */
#define IGDPT_BDSM_LOCK (1u << 0)

/* MMIO mirrors of GGC and BDSM in BAR0 (gen 6+). */
#define IGDPT_MMIO_GGC_MIRROR_OFFSET 0x108040u
#define IGDPT_MMIO_BDSM_MIRROR_OFFSET 0x1080C0u

/* fw_cfg files published by the VMM (QEMU names them with the etc/ prefix). */
#define IGDPT_FW_CFG_OPREGION_FILE "etc/igd-opregion"
#define IGDPT_FW_CFG_BDSM_SIZE_FILE "etc/igd-bdsm-size"
/* etc/igd-bdsm-size's format: the stolen size in bytes, one u64 little-endian. */
#define IGDPT_FW_CFG_BDSM_SIZE_FILE_SIZE 8u

/* Placement rules the firmware follows. */
#define IGDPT_OPREGION_GUEST_ALIGN 0x1000u  /* 4 KiB, below 4 GiB */
#define IGDPT_STOLEN_GUEST_ALIGN 0x100000u  /* 1 MiB, below 4 GiB */
#define IGDPT_GUEST_PLACEMENT_LIMIT 0x100000000ull

/* Firmware memory map types (e820 / multiboot numbering). */
#define IGDPT_E820_RAM 1u
#define IGDPT_E820_RESERVED 2u
#define IGDPT_E820_ACPI 3u
#define IGDPT_E820_NVS 4u

/* QEMU's fw_cfg interface on x86. */
#define IGDPT_FW_CFG_PORT_SELECTOR 0x510u
#define IGDPT_FW_CFG_PORT_DATA 0x511u
#define IGDPT_FW_CFG_PORT_DMA 0x514u
#define IGDPT_FW_CFG_SIGNATURE_KEY 0x0000u
#define IGDPT_FW_CFG_ID_KEY 0x0001u
#define IGDPT_FW_CFG_FILE_DIR_KEY 0x0019u
#define IGDPT_FW_CFG_ID_DMA (1u << 1)
#define IGDPT_FW_CFG_FILE_NAME_SIZE 56u

#endif
