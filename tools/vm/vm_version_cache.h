/* SPDX-License-Identifier: MIT */
/* QEMU's version, remembered per binary. `qemu-system-x86_64 --version`
 * takes 70-100 ms (QEMU maps a hundred shared libraries before it prints),
 * about a tenth of what igdpt vm adds to a Linux guest's boot, and the
 * answer only changes with the binary. As libvirt does with QEMU's
 * capabilities, an entry is keyed by the binary's path and holds its
 * device, inode, size, modification and change times; any difference makes
 * it stale. Entries live in $XDG_CACHE_HOME/igdpt/qemu-version/ (else
 * ~/.cache/...), one file per binary; a cache that cannot be read or
 * written only means asking QEMU. A wrapper script is keyed by the script,
 * not by what it runs: --qemu with a wrapper whose target changes needs
 * IGDPT_QEMU_VERSION_CACHE=off (docs/stacks.md). */
#ifndef IGDPT_TOOLS_VM_VERSION_CACHE_H
#define IGDPT_TOOLS_VM_VERSION_CACHE_H

#include "vm_transport.h"

/* The version recorded for binary (a host path), if its entry is current:
 * 0 with *v, else -ENOENT. */
int vm_version_cache_get(const char *binary, struct vm_qemu_version *v);
/* Records binary's version; silent on failure. */
void vm_version_cache_put(const char *binary, const struct vm_qemu_version *v);

#endif
