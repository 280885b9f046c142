/* SPDX-License-Identifier: MIT */
/* `igdpt vm --guest linux`: a real Debian kernel and i915 instead of the
 * multiboot probe. How it boots (kernel command line, where the kernel and
 * initramfs are found, how long it may take) and what it adds to the run's
 * evidence: i915's own log and the OpRegion fields the driver wrote into its
 * copy (from the device's final event). vm_stages.c judges them. */
#ifndef IGDPT_TOOLS_VM_LINUX_H
#define IGDPT_TOOLS_VM_LINUX_H

#include <json-c/json.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "vm_log_i915.h"
#include "vm_qemu.h"

/* Kernel command line: the serial console, i915's debug messages (the
 * OpRegion and VBT lines are drm_dbg_kms), a log buffer that holds them all,
 * no reboot loop on a panic, and no crypto self-tests at boot (a second of
 * TCG time spent on algorithms i915 never uses), and /dev/mem open to the
 * firmware's ranges the kernel marks busy (ACPI NVS, where igdpt-efi puts the
 * OpRegion: igdpt probe reads it there; i915 maps it itself either way), and
 * the virtio serial port and I/O port the guest's /init writes the kernel
 * log to (vm_qemu.h). The guest's /init passes "module.param" entries to
 * insmod itself. */
#define VM_LINUX_APPEND                                                          \
	"console=ttyS0 drm.debug=0x1e log_buf_len=4M loglevel=4 panic=-1 " \
	"cryptomgr.notests=1 iomem=relaxed igdpt.kmsg_port=" VM_SERIAL_PORT_TEXT \
	" igdpt.kmsg_vport=" VM_SERIAL_VPORT_NAME
/* Booting a kernel and loading i915 under TCG takes 5-10 s alone and
 * several times that on a loaded machine. */
#define VM_LINUX_DEFAULT_TIMEOUT 300.0
/* The kernel `igdpt vm --guest linux` boots when --kernel is not given. */
#define VM_LINUX_DEFAULT_KERNEL "bookworm"
/* Where each prepared guest lives beside the build tree: guest-linux/NAME/
 * holds vmlinux (the uncompressed kernel, booted through PVH) and
 * initrd.img (`ninja -C BUILD guest-linux` or the linux tests make them). */
#define VM_LINUX_GUEST_DIR "guest-linux"
#define VM_LINUX_KERNEL_FILE "vmlinux"
/* With OVMF: the package's bzImage, which OVMF's loader starts through its
 * EFI stub (the kernel then has the UEFI memory map and ACPI NVS as igdpt's
 * driver left them). */
#define VM_LINUX_EFI_KERNEL_FILE "vmlinuz"
#define VM_LINUX_INITRD_FILE "initrd.img"
#define VM_LINUX_HINT                                                                    \
	"fetch Debian's kernel and build the initramfs first: ninja -C <builddir> guest-linux " \
	"(scripts/mk-guest-linux)"

/* The Debian kernels a Linux guest can boot: name, and what it is. */
struct vm_linux_kernel {
	const char *name;
	const char *what;
};

/* The kernel called name, or NULL. */
const struct vm_linux_kernel *vm_linux_kernel_find(const char *name);
/* Writes the names, "|"-separated ("bookworm|trixie"), for error messages. */
void vm_linux_kernel_names(char *out, size_t size);
/* Where the guest of one kernel lives: beside the build tree
 * ("guest-linux/NAME/vmlinux", relative to it) and installed (under dir). */
struct vm_linux_paths {
	char kernel_rel[128], initrd_rel[128];
	char kernel_installed[PATH_MAX], initrd_installed[PATH_MAX];
};

/* Fills p for a kernel vm_linux_kernel_find knows (names that fit): the
 * PVH vmlinux for SeaBIOS, the EFI vmlinuz when efi. */
void vm_linux_paths(const char *kernel, const char *installed_dir, bool efi,
		    struct vm_linux_paths *p);

#define VM_LINUX_WRITES_TEXT 400

/* What the Linux guest adds to a run's evidence. */
struct vm_linux_result {
	struct vm_i915_log i915;
	/* The device's final event: what the driver changed in its copy. */
	bool final_seen;
	struct json_object *writes; /* IGDPT_EV_OPREGION_WRITES array, or NULL */
	unsigned nwrites, unnamed;
	char write_names[VM_LINUX_WRITES_TEXT]; /* "ACPI.DRDY, ACPI.DIDL, ..." */
};

/* Reads the serial log (kernel log lines) and the device's event log. */
void vm_linux_collect(struct vm_linux_result *lr, const char *serial, size_t serial_len,
		      const char *device_log, size_t device_log_len);
void vm_linux_result_free(struct vm_linux_result *lr);

#endif
