/* SPDX-License-Identifier: MIT */
/* igdpt vm's command line: the options, their help, and every check that
 * can be made on them before anything starts. What needs a file or a
 * program is checked next (vm_locate.h, vm_setup.h), still before boot. */
#ifndef IGDPT_TOOLS_VM_OPTIONS_H
#define IGDPT_TOOLS_VM_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "igdpt/vmm.h"

/* Without --timeout, with SeaBIOS and the multiboot probe (0.3 s a boot). */
#define VM_DEFAULT_TIMEOUT 60.0
/* The largest --timeout: a day. */
#define VM_TIMEOUT_MAX 86400.0

/* Who places the OpRegion in the guest. */
enum vm_firmware {
	VM_FIRMWARE_SEABIOS = 0, /* SeaBIOS itself */
	VM_FIRMWARE_OVMF,        /* igdpt-efi on OVMF */
};

/* Who judges it inside the guest. */
enum vm_guest {
	VM_GUEST_PROBE = 0, /* igdpt's multiboot probe (or the UEFI check with OVMF) */
	VM_GUEST_LINUX,     /* Debian's kernel, i915, then igdpt probe */
};

/* Where the published OpRegion comes from. */
enum vm_source {
	VM_SOURCE_REFERENCE = 0, /* igdpt's reference image, built in memory */
	VM_SOURCE_FILE,          /* --image */
	VM_SOURCE_NONE,          /* --no-opregion */
};

/* How igdpt-device is attached to QEMU (vm_transport.h). */
enum vm_transport {
	VM_TRANSPORT_AUTO = 0,  /* from QEMU's version: >= 10.1 vfio-user, else proxy */
	VM_TRANSPORT_PROXY,     /* x-pci-proxy-dev, a socketpair */
	VM_TRANSPORT_VFIO_USER, /* vfio-user-pci, a UNIX socket in the run's directory */
};

/* How igdpt's EFI driver reaches OVMF. */
enum vm_efi_delivery {
	VM_EFI_DELIVERY_DISK = 0, /* BOOTX64.EFI on a FAT volume (igdpt-efi-test.img) */
	VM_EFI_DELIVERY_ROM,      /* the IGD's option ROM (igdpt-efi-driver.efi); the
				   * check comes from igdpt-efi-check.img */
};

struct vm_options {
	enum vm_firmware firmware;
	enum vm_guest guest;
	const char *kernel;  /* --guest linux: vm_linux_kernel_find()'s name; else NULL */
	const char *machine; /* "pc" or "q35" */
	enum vm_source source;
	const char *image; /* VM_SOURCE_FILE */
	bool no_host_check, json;
	unsigned generation;   /* given, from --device-id, or the default */
	bool device_id_given;
	uint16_t device_id;
	uint64_t stolen_size;  /* bytes; 0: no etc/igd-bdsm-size */
	uint64_t memory;       /* --memory, bytes; 0: the default (vm_memory.h) */
	unsigned memory_mib;   /* guest RAM (QEMU's -m) as resolved by vm_memory_resolve() */
	unsigned pci_class;    /* IGDPT_PCI_CLASS_DISPLAY_VGA or _OTHER */
	enum igdpt_vmm_strategy strategy; /* 4b or 1b */
	double timeout;        /* seconds, the default for the firmware and guest */
	const char *keep_logs; /* NULL: none */
	const char *qemu;      /* --qemu, or NULL for qemu-system-x86_64 in PATH */
	const char *rom;       /* --rom: the IGD's PCI option ROM, or NULL */
	const char *stack;     /* --stack: a name vm_stack_find() knows (vm_stack.h) */
	/* --transport; VM_TRANSPORT_AUTO until the run has asked QEMU its
	 * version (cmd_vm.c then stores the one chosen) */
	enum vm_transport transport;
	enum vm_efi_delivery efi_delivery; /* --firmware ovmf: ROM unless --efi-delivery disk */
};

/* Parses and checks argv. 0: run; 1: --help was printed; -EINVAL: the
 * reason was printed on stderr ("igdpt vm: --opt VALUE: why"), exit 2. */
int vm_options_parse(int argc, char **argv, struct vm_options *o);

const char *vm_firmware_name(enum vm_firmware f); /* "seabios", "ovmf" */
const char *vm_guest_name(enum vm_guest g);       /* "probe", "linux" */
/* "vga" or "display", as --class and igdpt-device's --class spell it. */
const char *vm_class_option(unsigned pci_class);
const char *vm_efi_delivery_name(enum vm_efi_delivery d); /* "rom", "disk" */

#endif
