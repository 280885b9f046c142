/* SPDX-License-Identifier: MIT */
/* PCI expansion ROM layout: image header, PCI data structure, EFI ROM header.
 *
 * Implements the PCI Firmware Specification 3.0 (section 5, "PCI Expansion
 * ROMs") and the UEFI Specification's "PCI Option ROMs" (EFI image header,
 * code type 3), as read by edk2 MdeModulePkg/Bus/Pci/PciBusDxe
 * (PciOptionRomSupport.c), SeaBIOS src/optionroms.c and Linux
 * drivers/pci/rom.c. A ROM is a chain of images; each starts with 0x55AA,
 * points at its PCI data structure ("PCIR"), whose image length (512-byte
 * units) leads to the next image until the last-image indicator. All fields
 * little-endian; offsets are from the image start unless said otherwise.
 */
#ifndef IGDPT_ABI_PCI_ROM_H
#define IGDPT_ABI_PCI_ROM_H

/* Image header common to every code type */
#define IGDPT_ROM_SIGNATURE 0xAA55u          /* bytes 0x55 0xAA */
#define IGDPT_ROM_SIGNATURE_OFFSET 0x00u     /* u16 */
#define IGDPT_ROM_PCIR_POINTER_OFFSET 0x18u  /* u16, from the image start */
#define IGDPT_ROM_HEADER_SIZE 0x1Au
/* edk2 (LoadOpRomImage, ContainEfiImage) stops at a PCIR pointer that is 0
 * or not DWORD aligned; SeaBIOS warns about it. */
#define IGDPT_ROM_PCIR_ALIGN 4u
#define IGDPT_ROM_BLOCK_SIZE 512u            /* unit of every length field */

/* Legacy (x86 PC-AT, code type 0) image header */
#define IGDPT_ROM_LEGACY_SIZE512_OFFSET 0x02u /* u8, initialization size in 512 units */
#define IGDPT_ROM_LEGACY_ENTRY_OFFSET 0x03u   /* the BIOS far-calls this */
#define IGDPT_ROM_LEGACY_SIZE512_MAX 0xFFu
/* The BIOS checks that the initialization size's bytes sum to 0 mod 256. */

/* EFI image header (code type 3), UEFI "EFI PCI Expansion ROM Header" */
#define IGDPT_ROM_EFI_INIT_SIZE_OFFSET 0x02u   /* u16, 512 units, header included */
#define IGDPT_ROM_EFI_SIGNATURE_OFFSET 0x04u   /* u32 */
#define IGDPT_ROM_EFI_SIGNATURE 0x0EF1u
#define IGDPT_ROM_EFI_SUBSYSTEM_OFFSET 0x08u   /* u16, PE subsystem */
#define IGDPT_ROM_EFI_MACHINE_OFFSET 0x0Au     /* u16, PE machine */
#define IGDPT_ROM_EFI_COMPRESSION_OFFSET 0x0Cu /* u16 */
#define IGDPT_ROM_EFI_RESERVED_OFFSET 0x0Eu
#define IGDPT_ROM_EFI_RESERVED_SIZE 8u
#define IGDPT_ROM_EFI_IMAGE_OFFSET_OFFSET 0x16u /* u16, PE image from the image start */
#define IGDPT_ROM_EFI_UNCOMPRESSED 0u
#define IGDPT_ROM_EFI_COMPRESSED 1u            /* EFI compression (edk2 Decompress) */

/* PCI data structure ("PCIR"); offsets from its start */
#define IGDPT_PCIR_SIGNATURE "PCIR"
#define IGDPT_PCIR_SIGNATURE_SIZE 4u
#define IGDPT_PCIR_VENDOR_OFFSET 0x04u          /* u16 */
#define IGDPT_PCIR_DEVICE_OFFSET 0x06u          /* u16 */
#define IGDPT_PCIR_DEVICE_LIST_OFFSET 0x08u     /* u16, from the PCIR start; revision 3 */
#define IGDPT_PCIR_LENGTH_OFFSET 0x0Au          /* u16, bytes of this structure */
#define IGDPT_PCIR_REVISION_OFFSET 0x0Cu        /* u8 */
#define IGDPT_PCIR_CLASS_OFFSET 0x0Du           /* u8[3]: interface, subclass, base */
#define IGDPT_PCIR_CLASS_SIZE 3u
#define IGDPT_PCIR_IMAGE_LENGTH_OFFSET 0x10u    /* u16, 512 units */
#define IGDPT_PCIR_CODE_REVISION_OFFSET 0x12u   /* u16 */
#define IGDPT_PCIR_CODE_TYPE_OFFSET 0x14u       /* u8 */
#define IGDPT_PCIR_INDICATOR_OFFSET 0x15u       /* u8 */
#define IGDPT_PCIR_INDICATOR_LAST 0x80u         /* bit 7: last image of the ROM */
#define IGDPT_PCIR_MAX_RUNTIME_OFFSET 0x16u     /* u16, revision 3 */
#define IGDPT_PCIR_CONFIG_UTILITY_OFFSET 0x18u  /* u16, revision 3 */
#define IGDPT_PCIR_DMTF_CLP_OFFSET 0x1Au        /* u16, revision 3 */
/* What every revision has (2.x: up to the indicator plus a reserved word). */
#define IGDPT_PCIR_MIN_SIZE 0x18u
#define IGDPT_PCIR_REV3_SIZE 0x1Cu
#define IGDPT_PCIR_REVISION_3 3u
/* Revision 3 device list: u16 device ids, terminated by 0x0000. */
#define IGDPT_PCIR_DEVICE_LIST_ENTRY_SIZE 2u
#define IGDPT_PCIR_DEVICE_LIST_END 0x0000u

/* Code types */
#define IGDPT_ROM_CODE_X86 0x00u      /* PC-AT compatible (legacy BIOS) */
#define IGDPT_ROM_CODE_OPEN_FIRMWARE 0x01u
#define IGDPT_ROM_CODE_HP_PA_RISC 0x02u
#define IGDPT_ROM_CODE_EFI 0x03u

/* Class code of a VGA-compatible display controller (base 03, sub 00). */
#define IGDPT_PCIR_CLASS_VGA 0x030000u

#endif
