/* SPDX-License-Identifier: MIT */
/* Building PCI option ROMs (hosted library, pure functions): igdpt's EFI
 * driver and the user's own EFI drivers as a ROM OVMF loads from a ROM BAR
 * or QEMU's romfile=, and a legacy video BIOS that carries a VBT (what
 * i915's PCI ROM fallback reads; test material for guests).
 *
 * Every ROM built passes igdpt_pci_rom_parse() (igdpt/pci_rom.h): 0x55AA,
 * a revision 3 PCI data structure for vendor 8086 and class 0x030000,
 * lengths in 512-byte units, the last-image indicator on the last image,
 * and each image's bytes summing to 0 (required for legacy images; done for
 * EFI images too, for firmware that checks every image).
 *
 * Return contract of every int function: 0 on success; -EINVAL with diag
 * set (static reason, byte offset into the offending input) when an input
 * is unusable; -ENOSPC with *out_len set to the size needed when cap is
 * too small (out may then be NULL). Nothing is written to out on failure.
 */
#ifndef IGDPT_BUILD_ROM_H
#define IGDPT_BUILD_ROM_H

#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"
#include "igdpt/core/diag.h"
#include "igdpt/core/pe.h"

IGDPT_BEGIN_DECLS

/* Images in one ROM: igdpt's driver plus the user's own. */
#define IGDPT_ROM_BUILD_MAX_EFI_IMAGES 16u
/* Where the PE image starts inside an EFI image (after header, PCIR, device
 * list and the checksum byte), rounded up to this. */
#define IGDPT_ROM_BUILD_EFI_IMAGE_ALIGN 16u
/* Where the VBT starts inside a built video BIOS: i915 looks for "$VBT" at
 * 4-byte aligned offsets only. */
#define IGDPT_ROM_BUILD_VBT_ALIGN 16u

/* Checks that a PE file can be an image of an option ROM that OVMF starts:
 * PE32+, machine x64, subsystem EFI boot-services or runtime driver (edk2's
 * PCI bus driver skips applications). pe may be NULL. */
int igdpt_rom_check_efi_driver(const uint8_t *file, size_t len, struct igdpt_pe *pe,
			       struct igdpt_diag *diag);

struct igdpt_rom_efi_input {
	const uint8_t *data; /* a PE32+ file */
	size_t len;
};

/* An option ROM of count EFI images (1..IGDPT_ROM_BUILD_MAX_EFI_IMAGES) in
 * the order given, each checked with igdpt_rom_check_efi_driver(), stored
 * uncompressed with an EFI ROM header (subsystem and machine from the PE
 * file). device_id 0: each PCI data structure names the first id of
 * igdpt's IGD table (lib/core/igd.c) and carries the whole table as its
 * device list; otherwise it names device_id alone. On -EINVAL, *failed
 * (may be NULL) is the index of the input that was refused. */
int igdpt_rom_build_efi(const struct igdpt_rom_efi_input *inputs, size_t count,
			uint16_t device_id, uint8_t *out, size_t cap, size_t *out_len,
			size_t *failed, struct igdpt_diag *diag);

/* A legacy (x86) video BIOS image for device_id (non-zero: SeaBIOS runs a
 * legacy image only on the device its PCI data structure names) holding
 * the first vbt_size bytes of vbt, which must pass igdpt_vbt_parse(). Its
 * entry point only returns (a far return), so a BIOS that runs it loses
 * nothing; Linux and igdpt find the VBT in it with
 * igdpt_pci_rom_find_vbt(). */
int igdpt_rom_build_vbios(const uint8_t *vbt, size_t vbt_len, uint16_t device_id,
			  uint8_t *out, size_t cap, size_t *out_len, struct igdpt_diag *diag);

IGDPT_END_DECLS

#endif
