/* SPDX-License-Identifier: MIT */
/* igdpt vm's QEMU command line: TCG, guest RAM as a shared memfd (so
 * igdpt-device can read what the firmware placed), the IGD at 00:02.0
 * behind x-pci-proxy-dev (a socketpair fd) or vfio-user-pci (a UNIX socket
 * path; QEMU 11.1 takes only the JSON form of -device for it), optionally
 * under `chroot ROOT` (a fetched stack: every path is then as QEMU sees it
 * inside ROOT), the OpRegion and the stolen-memory size as
 * fw_cfg files, the firmware's debug port and COM1 into files, and
 * isa-debug-exit for the guest's verdict; SeaBIOS with a multiboot or Linux
 * kernel, or OVMF with igdpt's EFI volume (vm_ovmf.h). */
#ifndef IGDPT_TOOLS_VM_QEMU_H
#define IGDPT_TOOLS_VM_QEMU_H

#include <stdbool.h>

#include "vm_argv.h"
#include "vm_ovmf.h"

struct vm_qemu_config {
	const char *chroot;   /* non-NULL: run `CHROOT ROOT QEMU ...` */
	const char *root;
	const char *qemu;     /* executable (inside root with chroot) */
	const char *machine;  /* "pc" or "q35" */
	const char *bios;     /* SeaBIOS image (unused with ovmf) */
	const char *kernel;   /* multiboot ELF or Linux kernel (with ovmf: an EFI kernel, or NULL) */
	const char *append;   /* kernel command line or NULL */
	const char *initrd;   /* Linux initramfs or NULL */
	/* Non-NULL: boot OVMF + igdpt's EFI volume instead of -bios/-kernel/
	 * -append (vm_ovmf_add_args); everything else stays. */
	const struct vm_ovmf_config *ovmf;
	unsigned mem_mib;     /* guest RAM, shared memfd so the device can map it */
	int igd_fd;           /* QEMU's end of the IGD socketpair, or -1 for none */
	const char *vfio_user_socket; /* with igd_fd -1: the IGD over vfio-user, or NULL */
	/* The proxy device's romfile=, or NULL: QEMU's proxy maps the ROM BAR
	 * from its own romfile= (the device serves the same file and sizes its
	 * ROM BAR alike; docs/device.md). */
	const char *romfile;
	int lpc_fd;           /* QEMU's end of the LPC socketpair, or -1 */
	const char *opregion; /* file published as etc/igd-opregion, or NULL */
	const char *stolen_size_file; /* etc/igd-bdsm-size's file, or NULL */
	/* No 64-bit PCI window in the ACPI tables (-global HOST.pci-hole64-size=0):
	 * QEMU 7.2's x-pci-proxy-dev maps every BAR at its lower dword only, so
	 * a BAR above 4 GiB never reaches the device. OVMF places 64-bit BARs
	 * above 4 GiB; Linux then finds no window for them there and moves
	 * them below 4 GiB. */
	bool no_pci_hole64;
	const char *fw_log;
	const char *serial_log;
	/* Non-NULL: also a virtio serial port of this name on the serial log. */
	const char *serial_vport;
};

/* Builds the command line into *out (empty on entry). Returns 0 or -ENOMEM
 * / -EINVAL (a required field missing: bios and kernel are required
 * without ovmf). */
int vm_qemu_argv(const struct vm_qemu_config *c, struct vm_argv *out);

/* Two more front ends of the serial log's mux chardev, whose bytes land
 * after what COM1 has sent: an isa-debugcon at VM_SERIAL_PORT (always) and,
 * with vm_qemu_config.serial_vport, a virtio serial port of that name. A
 * Linux guest writes its kernel log to the port in bulk when its kernel has
 * virtio_console built in, else to the debugcon a byte at a time; either
 * beats the UART under TCG (docs/linux-guest.md). VM_SERIAL_PORT_TEXT is
 * the same number for the kernel command line. */
#define VM_SERIAL_PORT 0xe9
#define VM_SERIAL_VPORT_NAME "org.igdpt.kmsg"
/* virtio-serial's port 0 is reserved for a console: port 1 is ours. The
 * device is legacy virtio (an I/O BAR and a 32-bit one): a modern device's
 * 64-bit BAR has Linux under OVMF open a window above 4 GiB and move the
 * IGD's BARs there, where QEMU 7.2's proxy does not reach them. Its slot is
 * fixed: QEMU 11.1 creates it before a JSON -device (vfio-user-pci), so an
 * automatic slot would take 02.0 from the IGD. */
#define VM_SERIAL_VPORT_MAX_PORTS 2
#define VM_SERIAL_VPORT_SLOT 0x03u
#define VM_SERIAL_PORT_TEXT VM_STRINGIFY(VM_SERIAL_PORT)
#define VM_STRINGIFY(x) VM_STRINGIFY_(x)
#define VM_STRINGIFY_(x) #x

/* isa-debug-exit: the guest writes v, QEMU exits with (v << 1) | 1. */
#define VM_DEBUG_EXIT_PASS 1
#define VM_DEBUG_EXIT_FAIL 3
#define VM_DEBUG_EXIT_NO_OPREGION 5

#endif
