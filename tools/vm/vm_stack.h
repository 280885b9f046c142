/* SPDX-License-Identifier: MIT */
/* The stacks igdpt vm runs on: one QEMU with its SeaBIOS and OVMF
 * (docs/stacks.md). bookworm is this machine's own Debian 12 packages;
 * trixie is a root filesystem scripts/fetch-stack builds, whose manifest
 * (ROOT/stack.env) names the versions and the firmware paths, and where
 * QEMU runs under `chroot ROOT`, so every file it opens must be inside the
 * root (the run's directory is ROOT/run/igdpt-vm.XXXXXX).
 *
 * Adding a stack: a row in vm_stack.c's table, a branch in
 * scripts/fetch-stack, and its observations in docs/stacks.md. */
#ifndef IGDPT_TOOLS_VM_STACK_H
#define IGDPT_TOOLS_VM_STACK_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* One row of the table: what igdpt knows about a stack before it looks. */
struct vm_stack_desc {
	const char *name;    /* "bookworm", as --stack spells it */
	bool fetched;        /* a root from scripts/fetch-stack; else the host's packages */
	/* The versions whose behaviour docs/stacks.md records (the firmware
	 * limits the stages name were observed on these). */
	const char *qemu_seen, *seabios_seen, *ovmf_seen;
};

/* The default: this machine's packages. */
#define VM_STACK_DEFAULT "bookworm"
/* Where scripts/fetch-stack puts a root, below $HOME (or
 * $IGDPT_STACK_CACHE instead of the whole path). */
#define VM_STACK_CACHE_REL ".cache/igdpt/stack"
#define VM_STACK_MANIFEST "stack.env"
#define VM_STACK_COMPLETE ".complete"
#define VM_STACK_FETCH_HINT "scripts/fetch-stack (from igdpt's source tree, as root)"

/* The stack named name, or NULL. */
const struct vm_stack_desc *vm_stack_find(const char *name);
/* "bookworm|trixie" for the usage and messages. */
void vm_stack_names(char *buf, size_t size);
/* "1.16.2 and 1.17.0": every version of a firmware ("seabios", "ovmf") the
 * table records other than except (NULL: all), "" when none. */
void vm_stack_seen_versions(const char *firmware, const char *except, char *buf, size_t size);

/* A stack as found on this machine. Paths are host paths (a fetched
 * stack's are inside root); vm_stack_qemu_view() gives QEMU's. */
struct vm_stack {
	const struct vm_stack_desc *desc;
	char root[PATH_MAX];        /* "" for the host's packages */
	char run_parent[PATH_MAX];  /* where the run's directory goes; "" = $TMPDIR */
	char qemu[PATH_MAX];        /* the manifest's QEMU (host view), "" for the host: PATH */
	char seabios[PATH_MAX];
	char ovmf_code[PATH_MAX], ovmf_vars[PATH_MAX];
	/* Upstream versions of the packages ("7.2.22", "1.16.2", "2022.11"),
	 * "" when unknown (not a Debian package, no manifest entry). */
	char qemu_version[32], seabios_version[32], ovmf_version[32];
};

/* Finds the stack o names: bookworm is always there (its files are
 * checked by vm_locate); a fetched stack is $IGDPT_STACK_DIR, else
 * $IGDPT_STACK_CACHE/NAME, else ~/.cache/igdpt/stack/NAME, and must be
 * complete with a readable manifest whose files exist. 0, or -ENOENT with
 * err saying which directory lacks what and the command that fetches it;
 * -EPERM when a fetched stack cannot run here (chroot needs root). */
int vm_stack_open(const char *name, struct vm_stack *s, char *err, size_t err_size);

/* The path QEMU opens for a host path: itself on the host's stack; for a
 * fetched stack, the part below the root (NULL when path is outside it:
 * such a file must be put into the run's directory first). */
const char *vm_stack_qemu_view(const struct vm_stack *s, const char *path);

/* The upstream version of a Debian package as the dpkg database under
 * root ("" = /) records it installed: "1:7.2+dfsg-7+deb12u18+b3" ->
 * "7.2", "2022.11-6+deb12u2" -> "2022.11". 0, or -ENOENT (buf ""). */
int vm_dpkg_upstream_version(const char *root, const char *package, char *buf, size_t size);

#endif
