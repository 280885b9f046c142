/* SPDX-License-Identifier: MIT */
/* Where igdpt vm finds the programs and images a run needs: QEMU in PATH
 * (or --qemu), SeaBIOS or OVMF from their Debian packages, igdpt-device,
 * the guest (the multiboot probe, or the Linux kernel and initramfs) and
 * igdpt's EFI volume beside this executable's build tree or installed; an
 * environment variable overrides each of igdpt's own. */
#ifndef IGDPT_TOOLS_VM_LOCATE_H
#define IGDPT_TOOLS_VM_LOCATE_H

#include <limits.h>
#include <stddef.h>

#include "vm_options.h"

#define VM_SEABIOS_IMAGE "/usr/share/seabios/bios-256k.bin"
#define VM_QEMU_NAME "qemu-system-x86_64"
/* igdpt's EFI driver, for the IGD's option ROM (firmware/efi/meson.build). */
#define VM_EFI_DRIVER_NAME "igdpt-efi-driver.efi"

struct vm_programs {
	char qemu[PATH_MAX];
	char device[PATH_MAX];
	char seabios[PATH_MAX];       /* "" with ovmf */
	char kernel[PATH_MAX];        /* the multiboot probe or Linux; "" with ovmf */
	char initrd[PATH_MAX];        /* --guest linux only */
	char ovmf_code[PATH_MAX];     /* ovmf only */
	char ovmf_vars[PATH_MAX];     /* the template; each run copies it */
	char esp[PATH_MAX];           /* igdpt's EFI volume, ovmf only (not with linux) */
	char efi_driver[PATH_MAX];    /* ovmf + linux: the driver the IGD's ROM is built of */
};

/* Finds everything o needs. 0, or -ENOENT with err saying what is missing
 * where, and how to get it (the Debian package, the build step). */
int vm_locate(const struct vm_options *o, struct vm_programs *p, char *err, size_t err_size);

#endif
