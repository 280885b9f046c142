/* SPDX-License-Identifier: MIT */
/* `igdpt vm --guest linux --firmware ovmf`: a UEFI Linux guest. OVMF's
 * -kernel loader starts the Debian kernel through its EFI stub; before that,
 * igdpt's EFI driver, delivered as the IGD's option ROM, places the
 * OpRegion in ACPI NVS and stolen memory in reserved memory, as it does for
 * a real UEFI guest. OVMF starts a ROM's driver while it enumerates PCI
 * (after End of DXE, before the boot manager runs the kernel), so no boot
 * volume is needed (vm_efi_rom.h builds the ROM). Over QEMU's proxy the
 * ROM is QEMU's romfile= and igdpt-device's --rom alike (docs/device.md,
 * "The option ROM"). */
#ifndef IGDPT_TOOLS_VM_LINUX_EFI_H
#define IGDPT_TOOLS_VM_LINUX_EFI_H

#include <stdbool.h>

#include "vm_options.h"

/* A UEFI Linux guest: OVMF and --guest linux. */
bool vm_linux_efi(const struct vm_options *o);

#endif
