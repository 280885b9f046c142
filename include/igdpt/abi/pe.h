/* SPDX-License-Identifier: MIT */
/* PE/COFF header fields an EFI image is judged by (Microsoft PE/COFF
 * Specification; UEFI Specification "UEFI Image" for the subsystems).
 * Offsets of the COFF and optional headers are from the "PE\0\0" signature,
 * whose position the DOS header gives at 0x3C. All fields little-endian. */
#ifndef IGDPT_ABI_PE_H
#define IGDPT_ABI_PE_H

/* DOS (MZ) header */
#define IGDPT_PE_DOS_MAGIC 0x5A4Du         /* "MZ" */
#define IGDPT_PE_DOS_MAGIC_OFFSET 0x00u
#define IGDPT_PE_DOS_LFANEW_OFFSET 0x3Cu   /* u32: offset of "PE\0\0" */
#define IGDPT_PE_DOS_HEADER_SIZE 0x40u

/* "PE\0\0", then the COFF file header */
#define IGDPT_PE_SIGNATURE 0x00004550u
#define IGDPT_PE_SIGNATURE_SIZE 4u
#define IGDPT_PE_COFF_MACHINE_OFFSET 0x04u      /* u16 */
#define IGDPT_PE_COFF_SECTIONS_OFFSET 0x06u     /* u16 */
#define IGDPT_PE_COFF_OPT_SIZE_OFFSET 0x14u     /* u16, optional header bytes */
#define IGDPT_PE_COFF_HEADER_END 0x18u          /* the optional header starts here */

/* Optional header, offsets from its start (PE32 and PE32+ alike up to here) */
#define IGDPT_PE_OPT_MAGIC_OFFSET 0x00u         /* u16 */
#define IGDPT_PE_OPT_MAGIC_PE32 0x010Bu
#define IGDPT_PE_OPT_MAGIC_PE32_PLUS 0x020Bu
#define IGDPT_PE_OPT_SIZE_OF_IMAGE_OFFSET 0x38u /* u32 */
#define IGDPT_PE_OPT_SUBSYSTEM_OFFSET 0x44u     /* u16 */
#define IGDPT_PE_OPT_MIN_SIZE 0x46u             /* through the subsystem */

/* Machine types */
#define IGDPT_PE_MACHINE_I386 0x014Cu
#define IGDPT_PE_MACHINE_X64 0x8664u
#define IGDPT_PE_MACHINE_EBC 0x0EBCu
#define IGDPT_PE_MACHINE_ARM64 0xAA64u
#define IGDPT_PE_MACHINE_RISCV64 0x5064u

/* Subsystems */
#define IGDPT_PE_SUBSYSTEM_EFI_APPLICATION 10u
#define IGDPT_PE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER 11u
#define IGDPT_PE_SUBSYSTEM_EFI_RUNTIME_DRIVER 12u
#define IGDPT_PE_SUBSYSTEM_EFI_ROM 13u

#endif
