/* SPDX-License-Identifier: MIT */
/* igdpt vm --firmware ovmf: the QEMU pieces that replace SeaBIOS + the
 * multiboot probe with OVMF + igdpt's EFI driver + the UEFI check.
 *
 * The firmware half: OVMF_CODE read-only on pflash unit 0, a private copy
 * of OVMF_VARS on unit 1 (OVMF writes its boot options there), and the FAT
 * volume igdpt-efi-test.img (\EFI\BOOT\BOOTX64.EFI = igdpt-efi.efi, which
 * places the OpRegion and then starts \EFI\igdpt\next.efi =
 * igdpt-efi-check.efi) on a read-only virtio-blk disk at a fixed slot, so it
 * never takes 00:02.0 from the IGD. Everything else of the contract's
 * command line stays (machine, memfd RAM, proxy device, -fw_cfg files,
 * debugcon 0x402, COM1 file, isa-debug-exit 0xf4, -no-reboot); only -bios and
 * -kernel/-append go. The verdict arrives exactly as with the multiboot
 * probe: one `IGDPT-PROBE {json}` line on COM1 ("probe":"uefi", memmap type
 * "acpi-nvs") and QEMU exit status 1/3/5; the driver's own lines
 * ("igdpt-efi: 00:02.0: ...") are on the debug port (vm_ovmf_log_parse). */
#ifndef IGDPT_VM_OVMF_H
#define IGDPT_VM_OVMF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm.h"

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
	const char *esp_image; /* the FAT volume with the driver and the check */
};

/* Finds the files: env IGDPT_OVMF_CODE / IGDPT_OVMF_VARS / IGDPT_EFI_IMAGE
 * win; else the Debian defaults, and for the ESP <build_root>/firmware/efi/
 * igdpt-efi-test.img when build_root is given, else <install_dir>/
 * igdpt-efi-test.img. Copies the vars template to <work_dir>/OVMF_VARS.fd.
 * Paths are written into caller buffers of path_size bytes. 0, or -errno
 * with a message in err (what, where, why). */
int vm_ovmf_prepare(const char *work_dir, const char *build_root, const char *install_dir,
		    char *code, char *vars, char *esp, size_t path_size, char *err,
		    size_t err_size);

/* Appends the firmware pieces to a:
 *   -drive if=pflash,format=raw,unit=0,readonly=on,file=CODE
 *   -drive if=pflash,format=raw,unit=1,file=VARS
 *   -drive if=none,id=esp,format=raw,readonly=on,file=ESP
 *   -device virtio-blk-pci,drive=esp,addr=05.0
 * (commas in paths doubled, as QEMU's option syntax needs).
 * 0, -EINVAL (a path missing) or -ENOMEM. */
int vm_ovmf_add_args(struct vm_argv *a, const struct vm_ovmf_config *c);

/* What the EFI driver said on the debug port. */
struct vm_ovmf_log {
	bool driver_ran;        /* "igdpt-efi <version>: ..." banner seen */
	bool opregion_placed;
	uint64_t asls;          /* from "... placed at 0x... in ACPI NVS" */
	bool stolen_placed;
	uint64_t bdsm;          /* from "stolen memory ... placed at 0x..." */
	char refusal[192];      /* the first line saying why not ("" if none) */
	char invalid[192];      /* the line before a validation refusal, with the
				 * validator's reason and offset: "igdpt-efi: 00:02.0:
				 * fw_cfg etc/igd-opregion is invalid: REASON at 0xOFF" */
	bool next_stage_started;
};
void vm_ovmf_log_parse(const char *text, size_t len, struct vm_ovmf_log *log);

#endif
