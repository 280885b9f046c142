/* SPDX-License-Identifier: MIT */
/* Finding the programs and images of a run (see vm_locate.h). */
#include "vm_locate.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm_linux.h"
#include "vm_ovmf.h"

#ifndef IGDPT_LIBEXECDIR
#define IGDPT_LIBEXECDIR "/usr/local/libexec/igdpt"
#endif
#ifndef IGDPT_PROBE_DIR
#define IGDPT_PROBE_DIR "/usr/local/lib/igdpt"
#endif
#ifndef IGDPT_EFI_DIR
#define IGDPT_EFI_DIR "/usr/local/lib/igdpt"
#endif

static bool is_file(const char *path, int mode)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, mode);
}

/* Finds one of igdpt's own files: $env, else <builddir>/<rel> beside this
 * executable, else the installed path. 0, or -ENOENT with err naming every
 * place tried (hint: what to do about it). */
static int find_own(const char *what, const char *env, const char *rel, const char *installed,
		    int mode, const char *hint, char *out, size_t size, char *err, size_t err_size)
{
	const char *from_env = getenv(env);
	char self[PATH_MAX], built[PATH_MAX * 2] = "";
	ssize_t n;

	if (from_env && *from_env) {
		if (is_file(from_env, mode) && snprintf(out, size, "%s", from_env) < (int)size)
			return 0;
		snprintf(err, err_size, "%s not found at %s (from $%s)", what, from_env, env);
		return -ENOENT;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;

		self[n] = 0;
		/* <builddir>/tools/igdpt -> <builddir> */
		for (int up = 0; up < 2 && (slash = strrchr(self, '/')); up++)
			*slash = 0;
		snprintf(built, sizeof(built), "%s/%s", self, rel);
		if (is_file(built, mode) && snprintf(out, size, "%s", built) < (int)size)
			return 0;
	}
	if (is_file(installed, mode) && snprintf(out, size, "%s", installed) < (int)size)
		return 0;
	snprintf(err, err_size, "%s not found at %s%s%s: %s", what, built, built[0] ? " nor " : "",
		 installed, hint);
	return -ENOENT;
}

/* A firmware file from a Debian package: $env, else the package's path. */
static int find_packaged(const char *what, const char *env, const char *fallback,
			 const char *package, char *out, size_t size, char *err, size_t err_size)
{
	const char *v = env ? getenv(env) : NULL;
	bool from_env = v && *v;
	const char *path = from_env ? v : fallback;

	if (is_file(path, R_OK) && snprintf(out, size, "%s", path) < (int)size)
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
		if (!is_file(name, X_OK) || snprintf(out, size, "%s", name) >= (int)size)
			return -ENOENT;
		return 0;
	}
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		if (n && (int)n < (int)size - 2) {
			snprintf(out, size, "%.*s/%s", (int)n, path, name);
			if (is_file(out, X_OK))
				return 0;
		}
		path += n + (path[n] == ':');
	}
	return -ENOENT;
}

#define BUILD_HINT "build igdpt first (ninja -C <builddir>)"

static int locate_guest(const struct vm_options *o, struct vm_programs *p, char *err,
			size_t err_size)
{
	if (o->firmware == VM_FIRMWARE_OVMF) {
		const char *env = getenv("IGDPT_EFI_IMAGE");

		return find_packaged("OVMF code", "IGDPT_OVMF_CODE", VM_OVMF_CODE_DEFAULT, "ovmf",
				     p->ovmf_code, sizeof(p->ovmf_code), err, err_size) < 0 ||
			       find_packaged("OVMF vars template", "IGDPT_OVMF_VARS",
					     VM_OVMF_VARS_DEFAULT, "ovmf", p->ovmf_vars,
					     sizeof(p->ovmf_vars), err, err_size) < 0 ||
			       find_own("igdpt's EFI volume", "IGDPT_EFI_IMAGE",
					VM_OVMF_ESP_BUILD_PATH, IGDPT_EFI_DIR "/" VM_OVMF_ESP_NAME,
					R_OK,
					env && *env ? BUILD_HINT
						    : BUILD_HINT "; it is built only when gnu-efi and "
								 "mtools are installed",
					p->esp, sizeof(p->esp), err, err_size) < 0
			       ? -ENOENT
			       : 0;
	}
	if (find_packaged("SeaBIOS", NULL, VM_SEABIOS_IMAGE, "seabios", p->seabios,
			  sizeof(p->seabios), err, err_size) < 0)
		return -ENOENT;
	if (o->guest == VM_GUEST_LINUX)
		return find_own("the Linux guest kernel", "IGDPT_GUEST_KERNEL", VM_LINUX_KERNEL_REL,
				IGDPT_PROBE_DIR "/" VM_LINUX_KERNEL_REL, R_OK, VM_LINUX_HINT,
				p->kernel, sizeof(p->kernel), err, err_size) < 0 ||
			       find_own("the Linux guest initramfs", "IGDPT_GUEST_INITRD",
					VM_LINUX_INITRD_REL, IGDPT_PROBE_DIR "/" VM_LINUX_INITRD_REL,
					R_OK, VM_LINUX_HINT, p->initrd, sizeof(p->initrd), err,
					err_size) < 0
		       ? -ENOENT
		       : 0;
	return find_own("the guest probe image", "IGDPT_PROBE_IMAGE",
			"guest/multiboot/igdpt-probe.elf", IGDPT_PROBE_DIR "/igdpt-probe.elf", R_OK,
			BUILD_HINT, p->kernel, sizeof(p->kernel), err, err_size);
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
	if (find_own("igdpt-device", "IGDPT_DEVICE", "device/igdpt-device",
		     IGDPT_LIBEXECDIR "/igdpt-device", X_OK, BUILD_HINT, p->device,
		     sizeof(p->device), err, err_size) < 0)
		return -ENOENT;
	return locate_guest(o, p, err, err_size);
}
