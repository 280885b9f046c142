/* SPDX-License-Identifier: MIT */
/* igdpt vm --firmware ovmf: the QEMU arguments that replace SeaBIOS and the
 * multiboot probe with OVMF, igdpt's EFI driver and the UEFI check.
 *
 * OVMF_CODE read-only on pflash unit 0, a private copy of OVMF_VARS on
 * unit 1 (OVMF writes its boot options there), and the FAT volume
 * igdpt-efi-test.img (\EFI\BOOT\BOOTX64.EFI = igdpt-efi.efi, which places
 * the OpRegion and then starts \EFI\igdpt\next.efi = igdpt-efi-check.efi) on
 * a read-only virtio-blk disk at a fixed slot, so it never takes 00:02.0
 * from the IGD. The rest of the command line stays (vm_qemu.h); only -bios
 * and -kernel/-append go. The verdict arrives as with the multiboot probe:
 * one IGDPT_PROBE_LINE_PREFIX line on COM1 ("probe":"uefi") and QEMU's
 * isa-debug-exit status; the driver's own lines are on the debug port
 * (vm_log_firmware.h). */
#ifndef IGDPT_TOOLS_VM_OVMF_H
#define IGDPT_TOOLS_VM_OVMF_H

#include "vm_argv.h"

/* Debian's ovmf package: 4 MiB flash images (QEMU 7.2 pc and q35). */
#define VM_OVMF_CODE_DEFAULT "/usr/share/OVMF/OVMF_CODE_4M.fd"
#define VM_OVMF_VARS_DEFAULT "/usr/share/OVMF/OVMF_VARS_4M.fd"
/* The ESP image in the build tree and installed (firmware/efi/meson.build). */
#define VM_OVMF_ESP_BUILD_PATH "firmware/efi/igdpt-efi-test.img"
#define VM_OVMF_ESP_NAME "igdpt-efi-test.img"
/* The ESP's virtio-blk slot: clear of 00:02.0 (IGD) and 00:1f.0 (LPC). */
#define VM_OVMF_ESP_SLOT 5u
/* OVMF under TCG needs ~15 s to reach the check (SeaBIOS: 0.3 s). */
#define VM_OVMF_BOOT_SECONDS 180.0


struct vm_ovmf_config {
	const char *code;      /* OVMF_CODE*.fd, read-only */
	const char *vars;      /* a private, writable copy of OVMF_VARS*.fd */
	const char *esp_image; /* the FAT volume with the driver and the check, or NULL
				* (a UEFI Linux guest: the driver is the IGD's ROM) */
};

/* Appends the firmware pieces to a:
 *   -drive if=pflash,format=raw,unit=0,readonly=on,file=CODE
 *   -drive if=pflash,format=raw,unit=1,file=VARS
 *   -drive if=none,id=esp,format=raw,readonly=on,file=ESP     (with an ESP)
 *   -device virtio-blk-pci,drive=esp,addr=05.0                (with an ESP)
 * (paths escaped with qemu_opt_escape()). 0, -EINVAL (a path missing) or
 * -ENOMEM. */
int vm_ovmf_add_args(struct vm_argv *a, const struct vm_ovmf_config *c);

#endif
