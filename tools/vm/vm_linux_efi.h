/* SPDX-License-Identifier: MIT */
/* `igdpt vm --guest linux --firmware ovmf`: a UEFI Linux guest. OVMF's
 * -kernel loader starts the Debian kernel through its EFI stub; before that,
 * igdpt's EFI driver, delivered as the IGD's option ROM, places the
 * OpRegion in ACPI NVS and stolen memory in reserved memory, as it does for
 * a real UEFI guest. OVMF starts a ROM's driver while it enumerates PCI
 * (after End of DXE, before the boot manager runs the kernel), so no boot
 * volume is needed. Over QEMU's proxy the ROM is QEMU's romfile= and
 * igdpt-device's --rom alike (docs/device.md, "The option ROM"). */
#ifndef IGDPT_TOOLS_VM_LINUX_EFI_H
#define IGDPT_TOOLS_VM_LINUX_EFI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm_options.h"
#include "vm_rom.h"

/* A UEFI Linux guest: OVMF and --guest linux. */
bool vm_linux_efi(const struct vm_options *o);
/* Does the IGD serve an option ROM in this run (--rom, or a UEFI Linux
 * guest's driver)? */
bool vm_rom_served(const struct vm_options *o);
/* The id the ROM names: --device-id, else the generation's default
 * (igdpt_igd_reference()); 0 when there is none (igdpt-device refuses
 * such a run before QEMU starts). */
uint16_t vm_linux_efi_device_id(const struct vm_options *o);
/* Writes the ROM the IGD serves to out: igdpt's driver (driver, a PE file)
 * built for the device's id, after the images of user's ROM when --rom
 * gave one (i915 then still finds that ROM's VBT first). 0, or -errno with
 * err. */
int vm_linux_efi_rom_write(const struct vm_options *o, const char *driver,
			   const struct vm_rom *user, const char *out, char *err, size_t err_size);

#endif
