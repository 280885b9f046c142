/* SPDX-License-Identifier: MIT */
/* `igdpt vm --rom FILE`: a PCI option ROM the virtual IGD serves through its
 * ROM BAR (igdpt-device --rom; over QEMU's proxy also QEMU's romfile=, see
 * docs/device.md). What matters to the run is whether it holds a VBT where
 * i915's PCI ROM fallback finds one: when the OpRegion has no VBT, that is
 * the only VBT the guest driver can get. The ROM is read and judged before
 * boot, and the run's copy in the work directory is what the device and
 * QEMU are given, so the file cannot change under them. */
#ifndef IGDPT_TOOLS_VM_ROM_H
#define IGDPT_TOOLS_VM_ROM_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/diag.h"
#include "igdpt/core/pci_rom.h"

/* A ROM BAR is at most 16 MiB on any IGD igdpt knows; refuse larger files
 * before reading them whole. */
#define VM_ROM_MAX (16u << 20)

struct vm_rom {
	bool given;          /* --rom */
	const char *file;    /* as given */
	uint8_t *data;
	size_t len;
	/* igdpt_pci_rom_find_vbt(): 0 with vbt, or < 0 with diag (no VBT) */
	int vbt_ret;
	struct igdpt_pci_rom_vbt vbt;
	struct igdpt_diag diag;
};

/* Reads file and looks for the VBT. 0 (whether or not a VBT is there), or
 * -errno with err ("--rom FILE: why") when it cannot be read or is empty or
 * too large. Whether the device accepts the ROM is igdpt-device's to say. */
int vm_rom_load(const char *file, struct vm_rom *rom, char *err, size_t err_size);
/* Whether i915's fallback finds a VBT there. */
bool vm_rom_has_vbt(const struct vm_rom *rom);
/* One phrase for the stage lines: "PCI ROM (--rom FILE, N bytes): VBT at
 * 0x40, BDB 206" or "...: no VBT for i915 (reason at 0x..)". */
void vm_rom_describe(const struct vm_rom *rom, char *out, size_t size);
void vm_rom_free(struct vm_rom *rom);

/* One ROM of first's images, then second's: first's last image loses its
 * last-image indicator (for a legacy image the conventional checksum byte,
 * the last of its initialization size, compensates, so the image still
 * sums to 0). Both must pass igdpt_pci_rom_parse(); the result does. 0 with
 * *out (malloc()ed) and *out_len, or -errno with err naming what and why. */
int vm_rom_chain(const uint8_t *first, size_t first_len, const uint8_t *second,
		 size_t second_len, uint8_t **out, size_t *out_len, char *err, size_t err_size);

#endif
