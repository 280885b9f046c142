/* SPDX-License-Identifier: MIT */
/* Where igdpt vm finds the programs and images a run needs: QEMU in PATH
 * (or --qemu), SeaBIOS or OVMF from their Debian packages, or all three
 * from a fetched stack's root (--stack, vm_stack.h); igdpt-device, the
 * guest (the multiboot probe, or the Linux kernel and initramfs), igdpt's
 * EFI volume or, for the option ROM, its EFI driver and the check's volume
 * beside this executable's build tree or installed; an environment
 * variable overrides each of igdpt's own. */
#ifndef IGDPT_TOOLS_VM_LOCATE_H
#define IGDPT_TOOLS_VM_LOCATE_H

#include <limits.h>
#include <stddef.h>

#include "vm_options.h"
#include "vm_stack.h"

#define VM_SEABIOS_IMAGE "/usr/share/seabios/bios-256k.bin"
#define VM_QEMU_NAME "qemu-system-x86_64"
/* coreutils' chroot, for a fetched stack; where root's PATH has it. */
#define VM_CHROOT_NAME "chroot"
#define VM_CHROOT_FALLBACK "/usr/sbin/chroot"
/* igdpt's EFI driver for the option ROM and the check-only volume
 * (firmware/efi/meson.build). */
#define VM_EFI_DRIVER_NAME "igdpt-efi-driver.efi"
#define VM_EFI_CHECK_NAME "igdpt-efi-check.img"

struct vm_programs {
	struct vm_stack stack; /* the stack's root, firmware and versions */
	char chroot[PATH_MAX]; /* a fetched stack: the chroot program; else "" */
	char qemu[PATH_MAX];   /* host path (a fetched stack's is inside its root) */
	char device[PATH_MAX];
	char seabios[PATH_MAX];       /* "" with ovmf */
	char kernel[PATH_MAX];        /* the multiboot probe or Linux; "" with ovmf */
	char initrd[PATH_MAX];        /* --guest linux only */
	char ovmf_code[PATH_MAX];     /* ovmf only */
	char ovmf_vars[PATH_MAX];     /* the template; each run copies it */
	char esp[PATH_MAX];           /* the volume on the virtio disk, ovmf only but not
				       * with linux: the driver + check (disk) or the
				       * check alone (rom) */
	char efi_driver[PATH_MAX];    /* the option ROM's driver: --efi-delivery rom, linux */
	/* The transport chosen from QEMU's version (vm_transport.h), and the
	 * version; set by vm_locate_transport(). */
	enum vm_transport transport;
	char qemu_version[32];
};

/* Finds everything o needs. 0, or -ENOENT with err saying what is missing
 * where, and how to get it (the Debian package, the build step). */
int vm_locate(const struct vm_options *o, struct vm_programs *p, char *err, size_t err_size);
/* Asks the located QEMU its version (once) and chooses the transport
 * (o->transport, or the version's). 0; -EINVAL with err when that QEMU
 * cannot do it or tells no version; -EINTR when a signal arrived. */
int vm_locate_transport(const struct vm_options *o, struct vm_programs *p, char *err,
			size_t err_size);

#endif
