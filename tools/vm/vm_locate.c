/* SPDX-License-Identifier: MIT */
/* Finding the programs and images of a run (see vm_locate.h). */
#include "vm_locate.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool_util.h"
#include "vm_linux.h"
#include "vm_ovmf.h"
#include "vm_transport.h"
#include "vm_version_cache.h"

/* A firmware file from a Debian package: $env, else the package's path. */
static int find_packaged(const char *what, const char *env, const char *fallback,
			 const char *package, char *out, size_t size, char *err, size_t err_size)
{
	const char *v = env ? getenv(env) : NULL;
	bool from_env = v && *v;
	const char *path = from_env ? v : fallback;

	if (tool_is_file(path, R_OK) && snprintf(out, size, "%s", path) < (int)size)
		return 0;
	if (from_env)
		snprintf(err, err_size, "%s not found at %s (from $%s)", what, path, env);
	else
		snprintf(err, err_size, "%s not found at %s: install the Debian package %s%s%s", what,
			 path, package, env ? ", or set $" : "", env ? env : "");
	return -ENOENT;
}

static int find_in_path(const char *name, char *out, size_t size)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/')) {
		if (!tool_is_file(name, X_OK) || snprintf(out, size, "%s", name) >= (int)size)
			return -ENOENT;
		return 0;
	}
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		if (n && (int)n < (int)size - 2) {
			snprintf(out, size, "%.*s/%s", (int)n, path, name);
			if (tool_is_file(out, X_OK))
				return 0;
		}
		path += n + (path[n] == ':');
	}
	return -ENOENT;
}

/* The Linux guest: the PVH vmlinux for SeaBIOS, the EFI vmlinuz for OVMF. */
static int locate_linux(const struct vm_options *o, struct vm_programs *p, bool efi, char *err,
			size_t err_size)
{
	struct vm_linux_paths lp;

	vm_linux_paths(o->kernel, IGDPT_PROBE_DIR, efi, &lp);
	return tool_find_helper("the Linux guest kernel", "IGDPT_GUEST_KERNEL", lp.kernel_rel,
				lp.kernel_installed, R_OK, VM_LINUX_HINT, p->kernel,
				sizeof(p->kernel), err, err_size) < 0 ||
		       tool_find_helper("the Linux guest initramfs", "IGDPT_GUEST_INITRD",
					lp.initrd_rel, lp.initrd_installed, R_OK, VM_LINUX_HINT,
					p->initrd, sizeof(p->initrd), err, err_size) < 0
	       ? -ENOENT
	       : 0;
}

/* A firmware file: $env, else the fetched stack's (checked when the stack
 * was opened), else the host package's. */
static int find_firmware(const struct vm_programs *p, const char *what, const char *env,
			 const char *stack_path, const char *package, char *out, size_t size,
			 char *err, size_t err_size)
{
	const char *v = env ? getenv(env) : NULL;

	if (p->stack.desc->fetched && !(v && *v))
		return snprintf(out, size, "%s", stack_path) < (int)size ? 0 : -ENAMETOOLONG;
	return find_packaged(what, env, stack_path, package, out, size, err, err_size);
}

/* igdpt's EFI driver, the option ROM is built of. */
static int find_efi_driver(struct vm_programs *p, char *err, size_t err_size)
{
	return tool_find_helper("igdpt's EFI driver (for the option ROM)", "IGDPT_EFI_DRIVER",
				"firmware/efi/" VM_EFI_DRIVER_NAME,
				IGDPT_EFI_DIR "/" VM_EFI_DRIVER_NAME, R_OK,
				TOOL_BUILD_HINT "; it is built only when gnu-efi is installed",
				p->efi_driver, sizeof(p->efi_driver), err, err_size);
}

/* The EFI side: the driver for the option ROM; the volume on the virtio
 * disk, which a Linux guest (booted by OVMF's loader) has none of. */
static int locate_efi(const struct vm_options *o, struct vm_programs *p, char *err,
		      size_t err_size)
{
	static const char needs[] = "; it is built only when gnu-efi and mtools are installed";
	bool rom = o->efi_delivery == VM_EFI_DELIVERY_ROM;
	const char *env = rom ? "IGDPT_EFI_CHECK_IMAGE" : "IGDPT_EFI_IMAGE";
	const char *v = getenv(env);
	char hint[160];

	if (o->guest == VM_GUEST_LINUX)
		return find_efi_driver(p, err, err_size);
	snprintf(hint, sizeof(hint), "%s%s", TOOL_BUILD_HINT, v && *v ? "" : needs);
	if (rom ? tool_find_helper("the UEFI check's volume", env,
				   "firmware/efi/" VM_EFI_CHECK_NAME, IGDPT_EFI_DIR "/" VM_EFI_CHECK_NAME,
				   R_OK, hint, p->esp, sizeof(p->esp), err, err_size) < 0
		: tool_find_helper("igdpt's EFI volume", env, VM_OVMF_ESP_BUILD_PATH,
				   IGDPT_EFI_DIR "/" VM_OVMF_ESP_NAME, R_OK, hint, p->esp,
				   sizeof(p->esp), err, err_size) < 0)
		return -ENOENT;
	return rom ? find_efi_driver(p, err, err_size) : 0;
}

static int locate_guest(const struct vm_options *o, struct vm_programs *p, char *err,
			size_t err_size)
{
	if (o->firmware == VM_FIRMWARE_OVMF) {
		if (find_firmware(p, "OVMF code", "IGDPT_OVMF_CODE", p->stack.ovmf_code, "ovmf",
				  p->ovmf_code, sizeof(p->ovmf_code), err, err_size) < 0 ||
		    find_firmware(p, "OVMF vars template", "IGDPT_OVMF_VARS", p->stack.ovmf_vars,
				  "ovmf", p->ovmf_vars, sizeof(p->ovmf_vars), err, err_size) < 0 ||
		    locate_efi(o, p, err, err_size) < 0)
			return -ENOENT;
		/* Linux boots through OVMF's -kernel loader; the driver comes
		 * from the IGD's option ROM (vm_linux_efi.h). */
		return o->guest == VM_GUEST_LINUX ? locate_linux(o, p, true, err, err_size) : 0;
	}
	if (find_firmware(p, "SeaBIOS", NULL, p->stack.seabios, "seabios", p->seabios,
			  sizeof(p->seabios), err, err_size) < 0)
		return -ENOENT;
	if (o->guest == VM_GUEST_LINUX)
		return locate_linux(o, p, false, err, err_size);
	return tool_find_helper("the guest probe image", "IGDPT_PROBE_IMAGE",
				"guest/multiboot/igdpt-probe.elf", IGDPT_PROBE_DIR "/igdpt-probe.elf",
				R_OK, NULL, p->kernel, sizeof(p->kernel), err, err_size);
}

/* A fetched stack's QEMU (--qemu names a path inside its root) and the
 * chroot that runs it. */
static int locate_stack_qemu(const struct vm_options *o, struct vm_programs *p, char *err,
			     size_t err_size)
{
	const struct vm_stack *s = &p->stack;

	if (find_in_path(VM_CHROOT_NAME, p->chroot, sizeof(p->chroot)) < 0) {
		if (!tool_is_file(VM_CHROOT_FALLBACK, X_OK)) {
			snprintf(err, err_size, "--stack %s: chroot not found in PATH nor at %s: "
						"install the Debian package coreutils",
				 s->desc->name, VM_CHROOT_FALLBACK);
			return -ENOENT;
		}
		snprintf(p->chroot, sizeof(p->chroot), "%s", VM_CHROOT_FALLBACK);
	}
	if (!o->qemu) {
		snprintf(p->qemu, sizeof(p->qemu), "%s", s->qemu);
	} else if (o->qemu[0] != '/' ||
		   snprintf(p->qemu, sizeof(p->qemu), "%s%s", s->root, o->qemu) >=
			   (int)sizeof(p->qemu)) {
		snprintf(err, err_size, "--qemu %s: with --stack %s, an absolute path inside the "
					"stack's root %s",
			 o->qemu, s->desc->name, s->root);
		return -ENOENT;
	}
	if (!tool_is_file(p->qemu, X_OK)) {
		snprintf(err, err_size, "%s%s: not found or not executable in the %s stack's root "
					"%s",
			 o->qemu ? "--qemu " : "", o->qemu ? o->qemu : p->qemu, s->desc->name,
			 s->root);
		return -ENOENT;
	}
	return 0;
}

int vm_locate(const struct vm_options *o, struct vm_programs *p, char *err, size_t err_size)
{
	int ret;

	memset(p, 0, sizeof(*p));
	ret = vm_stack_open(o->stack, &p->stack, err, err_size);
	if (ret < 0)
		return ret;
	if (p->stack.desc->fetched) {
		if (locate_stack_qemu(o, p, err, err_size) < 0)
			return -ENOENT;
	} else if (find_in_path(o->qemu ? o->qemu : VM_QEMU_NAME, p->qemu, sizeof(p->qemu)) < 0) {
		if (o->qemu)
			snprintf(err, err_size, "--qemu %s: not found or not executable", o->qemu);
		else
			snprintf(err, err_size, "%s not found in PATH: install the Debian package "
						"qemu-system-x86", VM_QEMU_NAME);
		return -ENOENT;
	}
	if (tool_find_helper("igdpt-device", "IGDPT_DEVICE", "device/igdpt-device",
			     IGDPT_LIBEXECDIR "/igdpt-device", X_OK, NULL, p->device,
			     sizeof(p->device), err, err_size) < 0)
		return -ENOENT;
	return locate_guest(o, p, err, err_size);
}

int vm_locate_transport(const struct vm_options *o, struct vm_programs *p, char *err,
			size_t err_size)
{
	char *const host[] = { p->qemu, NULL };
	char *const chrooted[] = { p->chroot, p->stack.root,
				   (char *)vm_stack_qemu_view(&p->stack, p->qemu), NULL };
	struct vm_version_cache_entry cached;
	struct vm_qemu_version v;
	char why[PATH_MAX + 256];
	int ret;

	if (vm_version_cache_get(p->qemu, &cached, &v) < 0) {
		ret = vm_qemu_version_query(p->chroot[0] ? chrooted : host, &v, why, sizeof(why));
		if (ret == -EINTR)
			return ret;
		if (ret < 0) {
			snprintf(err, err_size, "cannot tell which transport QEMU can do: %s", why);
			return ret;
		}
		vm_version_cache_put(&cached, &v);
	}
	snprintf(p->qemu_version, sizeof(p->qemu_version), "%s", v.text);
	return vm_transport_choose(o->transport, &v, &p->transport, err, err_size);
}
