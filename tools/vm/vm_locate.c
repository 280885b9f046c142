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

static int locate_guest(const struct vm_options *o, struct vm_programs *p, char *err,
			size_t err_size)
{
	if (o->firmware == VM_FIRMWARE_OVMF) {
		const char *env = getenv("IGDPT_EFI_IMAGE");
		const char *hint = env && *env ? TOOL_BUILD_HINT
					       : TOOL_BUILD_HINT "; it is built only when gnu-efi "
								 "and mtools are installed";

		if (find_packaged("OVMF code", "IGDPT_OVMF_CODE", VM_OVMF_CODE_DEFAULT, "ovmf",
				  p->ovmf_code, sizeof(p->ovmf_code), err, err_size) < 0 ||
		    find_packaged("OVMF vars template", "IGDPT_OVMF_VARS", VM_OVMF_VARS_DEFAULT,
				  "ovmf", p->ovmf_vars, sizeof(p->ovmf_vars), err, err_size) < 0)
			return -ENOENT;
		/* Linux boots through OVMF's -kernel loader; the driver comes
		 * from the IGD's option ROM (vm_linux_efi.h). */
		if (o->guest == VM_GUEST_LINUX)
			return tool_find_helper("igdpt's EFI driver", "IGDPT_EFI_DRIVER",
						"firmware/efi/" VM_EFI_DRIVER_NAME,
						IGDPT_EFI_DIR "/" VM_EFI_DRIVER_NAME, R_OK,
						TOOL_BUILD_HINT "; it is built only when gnu-efi is "
								"installed",
						p->efi_driver, sizeof(p->efi_driver), err,
						err_size) < 0
				       ? -ENOENT
				       : locate_linux(o, p, true, err, err_size);
		return tool_find_helper("igdpt's EFI volume", "IGDPT_EFI_IMAGE",
					VM_OVMF_ESP_BUILD_PATH, IGDPT_EFI_DIR "/" VM_OVMF_ESP_NAME,
					R_OK, hint, p->esp, sizeof(p->esp), err, err_size) < 0
		       ? -ENOENT
		       : 0;
	}
	if (find_packaged("SeaBIOS", NULL, VM_SEABIOS_IMAGE, "seabios", p->seabios,
			  sizeof(p->seabios), err, err_size) < 0)
		return -ENOENT;
	if (o->guest == VM_GUEST_LINUX)
		return locate_linux(o, p, false, err, err_size);
	return tool_find_helper("the guest probe image", "IGDPT_PROBE_IMAGE",
				"guest/multiboot/igdpt-probe.elf", IGDPT_PROBE_DIR "/igdpt-probe.elf",
				R_OK, NULL, p->kernel, sizeof(p->kernel), err, err_size);
}

int vm_locate(const struct vm_options *o, struct vm_programs *p, char *err, size_t err_size)
{
	memset(p, 0, sizeof(*p));
	if (find_in_path(o->qemu ? o->qemu : VM_QEMU_NAME, p->qemu, sizeof(p->qemu)) < 0) {
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
