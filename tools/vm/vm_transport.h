/* SPDX-License-Identifier: MIT */
/* How igdpt-device is attached to QEMU, chosen from QEMU's version
 * (docs/device.md, docs/stacks.md): QEMU's multi-process proxy
 * (x-pci-proxy-dev over a socketpair) works up to 9.x and dies with SIGSEGV
 * as soon as the proxied device connects from 10.0 on; the vfio-user client
 * (vfio-user-pci over a UNIX socket) exists from 10.1 on. So QEMU >= 10.1
 * gets vfio-user, older QEMU the proxy, and QEMU 10.0 neither. */
#ifndef IGDPT_TOOLS_VM_TRANSPORT_H
#define IGDPT_TOOLS_VM_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "vm_options.h"

/* The QEMU versions that decide (major, minor). */
#define VM_QEMU_PROXY_BROKEN_MAJOR 10u /* x-pci-proxy-dev segfaults from 10.0 */
#define VM_QEMU_VFIO_USER_MAJOR 10u    /* vfio-user-pci from 10.1 */
#define VM_QEMU_VFIO_USER_MINOR 1u
/* `qemu-system-x86_64 --version` prints its line at once; this bounds a
 * wrapper that hangs. */
#define VM_QEMU_VERSION_SECONDS 30.0

/* What `--version` prints before the version. */
#define VM_QEMU_VERSION_LINE "QEMU emulator version "

struct vm_qemu_version {
	unsigned major, minor, micro;
	char text[32]; /* "7.2.22" */
};

/* Parses `--version` output ("QEMU emulator version 7.2.22 (Debian
 * ...)"). 0, or -EINVAL when there is no such line. */
int vm_qemu_version_parse(const char *text, struct vm_qemu_version *v);

/* Runs argv (QEMU, or chroot ROOT QEMU) with --version appended and parses
 * what it prints. 0; -EINTR when a signal arrived (vm_signals.h); other
 * -errno with err naming the program and why. */
int vm_qemu_version_query(char *const argv[], struct vm_qemu_version *v, char *err,
			  size_t err_size);

/* "proxy", "vfio-user" (as --transport spells them and igdpt-device's log
 * names them). */
const char *vm_transport_name(enum vm_transport t);
/* Whether this QEMU can attach the device over t; when not, why (one
 * phrase naming the version and what to use instead). */
bool vm_transport_works(enum vm_transport t, const struct vm_qemu_version *v, char *why,
			size_t why_size);
/* asked, or for VM_TRANSPORT_AUTO the one the version calls for; then
 * checked with vm_transport_works(). 0 with *chosen, or -EINVAL with err
 * ("--transport proxy: QEMU 11.1.3 ..."), exit 2. */
int vm_transport_choose(enum vm_transport asked, const struct vm_qemu_version *v,
			enum vm_transport *chosen, char *err, size_t err_size);

#endif
