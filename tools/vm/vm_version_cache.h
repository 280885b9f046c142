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

#include <limits.h>
#include <stdbool.h>

#include "vm_transport.h"

/* An entry: the binary's path and identity lines, then the version line. */
#define VM_VERSION_CACHE_ENTRY_MAX (PATH_MAX + 256)

/* One binary's entry, named by vm_version_cache_get() before QEMU is asked:
 * what vm_version_cache_put() records is the binary as it was then, so a
 * binary replaced while it answered leaves an entry that is already stale. */
struct vm_version_cache_entry {
	bool usable; /* caching is on and the binary and its file have names */
	char dir[PATH_MAX];
	char file[PATH_MAX];
	char identity[VM_VERSION_CACHE_ENTRY_MAX];
};

/* Names binary's (a host path) entry into *e and, if it is current, reads
 * the version: 0 with *v, else -ENOENT. */
int vm_version_cache_get(const char *binary, struct vm_version_cache_entry *e,
			 struct vm_qemu_version *v);
/* Records the version in the entry get named; silent on failure. */
void vm_version_cache_put(const struct vm_version_cache_entry *e,
			  const struct vm_qemu_version *v);

#endif
