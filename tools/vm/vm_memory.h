/* SPDX-License-Identifier: MIT */
/* igdpt vm's guest RAM (QEMU's -m): --memory SIZE, or by default what the
 * firmware and the guest need for themselves plus the stolen memory the
 * firmware reserves out of it. Stolen memory must lie below 4 GiB (BDSM is
 * a 32-bit register up to gen 10, and both firmwares reserve it there), and
 * QEMU puts only part of the RAM below 4 GiB, under its PCI hole: a request
 * that cannot fit is refused before boot, with what would. */
#ifndef IGDPT_TOOLS_VM_MEMORY_H
#define IGDPT_TOOLS_VM_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "vm_options.h"

#define VM_MIB (1ull << 20)
/* RAM the firmware and the guest need beside stolen memory, measured
 * (README.md, "Guest RAM"): SeaBIOS and the multiboot probe, OVMF and
 * igdpt's EFI check, and a Debian kernel with i915 and the initramfs. */
#define VM_MEMORY_OWN_PROBE_MIB 128u
#define VM_MEMORY_OWN_OVMF_MIB 128u
#define VM_MEMORY_OWN_LINUX_MIB 256u
/* QEMU's pc machine keeps RAM below 4 GiB up to 0xE0000000 when the guest
 * has less; with that much or more, 3 GiB there and the rest above 4 GiB
 * (hw/i386/pc_piix.c). q35: 0xB0000000, else 2 GiB (hw/i386/pc_q35.c). */
#define VM_MEMORY_PC_SPLIT_MIB 3584u
#define VM_MEMORY_PC_LOW_MIB 3072u
#define VM_MEMORY_Q35_SPLIT_MIB 2816u
#define VM_MEMORY_Q35_LOW_MIB 2048u
/* The largest --memory: QEMU's memfd backing is sparse, but the device maps
 * it whole; 64 GiB is far beyond any test. */
#define VM_MEMORY_MAX_MIB (64u << 10)

/* RAM the firmware and guest of o need for themselves, MiB. */
unsigned vm_memory_own_mib(const struct vm_options *o);
/* RAM QEMU's machine puts below 4 GiB for a guest of memory_mib. */
unsigned vm_memory_below_4g_mib(const char *machine, unsigned memory_mib);
/* Sets o->memory_mib: --memory (o->memory, bytes) or the default, own +
 * stolen. -EINVAL with err ("--memory 128M: ...", "--stolen-size 4G: ...")
 * when the guest's own RAM and the stolen memory do not fit below 4 GiB. */
int vm_memory_resolve(struct vm_options *o, char *err, size_t err_size);

#endif
