/* SPDX-License-Identifier: MIT */
/* igdpt vm --firmware ovmf --efi-delivery rom: igdpt's EFI driver as the
 * IGD's option ROM, built for the run as `igdpt rom --device-id ID` builds
 * it. The ROM names the device's own id alone: QEMU's vfio code rewrites
 * byte 6 of a ROM whose PCI data structure names another id of the vendor
 * (for legacy video BIOSes), which breaks an EFI image, and igdpt-device
 * refuses such a ROM over vfio-user (docs/device.md, "The option ROM").
 * Over QEMU 7.2's proxy the same file goes to QEMU's romfile= and to the
 * device's --rom, which must size the ROM BAR alike. */
#ifndef IGDPT_TOOLS_VM_EFI_ROM_H
#define IGDPT_TOOLS_VM_EFI_ROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm_options.h"
#include "vm_rom.h"

/* The id igdpt-device presents for o: --device-id, else the generation's
 * default (igdpt/core/igd.h). 0 when the generation has none (the device
 * then refuses the run before QEMU starts). */
uint16_t vm_efi_rom_device_id(const struct vm_options *o);

/* Does igdpt's driver go into the IGD's option ROM in this run (OVMF,
 * --efi-delivery rom, a device id to name)? */
bool vm_efi_rom_built(const struct vm_options *o);
/* Does the IGD serve an option ROM in this run (--rom, or igdpt's driver)? */
bool vm_rom_served(const struct vm_options *o);

/* Builds the ROM of the driver at driver_path for device_id and writes it
 * to out, after the images of the user's ROM when --rom gave one (i915
 * then still finds that ROM's VBT first; vm_rom_chain()). 0, or -errno
 * with err saying what and why (a driver that cannot go into a ROM: the
 * reason and the offset). */
int vm_efi_rom_write(const char *driver_path, uint16_t device_id, const struct vm_rom *user,
		     const char *out, char *err, size_t err_size);
/* Writes the ROM the IGD serves in this run to out, once: igdpt's driver
 * after --rom's images when vm_efi_rom_built(), else --rom's copy, else
 * nothing. 0, or -errno with err. */
int vm_rom_write(const struct vm_options *o, const char *driver_path, const struct vm_rom *user,
		 const char *out, char *err, size_t err_size);

#endif
