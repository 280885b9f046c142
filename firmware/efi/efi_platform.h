/* SPDX-License-Identifier: MIT */
/* UEFI side of the seam: boot services, PciIo and port I/O behind the
 * callbacks setup.c and the check use (gnu-efi, x86_64). */
#ifndef IGDPT_EFI_PLATFORM_H
#define IGDPT_EFI_PLATFORM_H

#include <efi.h>
#include <efilib.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/fw_cfg.h"
#include "igdpt/core/probe.h"
#include "setup.h"

/* The most IGDs handled (QEMU can publish one etc/igd-opregion anyway). */
#define IGDPT_EFI_MAX_IGDS 8u

extern const struct igdpt_efi_platform igdpt_efi_platform;
extern const struct igdpt_fw_cfg_io igdpt_efi_fw_cfg_io;

/* One log line to ConOut and to the QEMU debug port (0x402). */
void igdpt_efi_log(void *ctx, const char *line);
/* Raw text to COM1 (0x3F8) and the debug port, bypassing ConOut's terminal
 * emulation so that a machine-read line arrives byte for byte. */
void igdpt_efi_raw(const char *text);

/* Fills igd from one EFI_PCI_IO_PROTOCOL; true when it is an Intel display
 * controller (class 0x0300 or 0x0380) whose location PciIo gives. */
bool igdpt_efi_igd_from_pci_io(void *pci_io, struct igdpt_efi_igd *igd);
/* Every Intel display controller (PciIo; class 0x0300 or 0x0380), ordered
 * as LocateHandleBuffer returns them. */
size_t igdpt_efi_find_igds(struct igdpt_efi_igd *igds, size_t max);

/* Pages below 4 GiB of boot services data (scratch, DMA area); 0 on failure. */
uint64_t igdpt_efi_scratch_alloc(uint64_t pages);
void igdpt_efi_scratch_free(uint64_t base, uint64_t pages);

/* The UEFI memory map (freed with FreePool by the caller), NULL on failure. */
EFI_MEMORY_DESCRIPTOR *igdpt_efi_memmap_get(UINTN *count, UINTN *desc_size);
/* The UEFI type of the whole range, or -1 when uncovered or mixed. */
int igdpt_efi_memmap_range_type(const EFI_MEMORY_DESCRIPTOR *map, UINTN count, UINTN desc_size,
				uint64_t base, uint64_t len);
/* e820 numbering of a UEFI type, as Linux's EFI stub converts it. */
uint32_t igdpt_efi_e820_type(UINT32 efi_type);

/* Port I/O */
void igdpt_efi_outb(uint16_t port, uint8_t value);

#endif
