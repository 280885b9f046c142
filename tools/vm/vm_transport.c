/* SPDX-License-Identifier: MIT */
/* The device's transport from QEMU's version (see vm_transport.h). */
#include "vm_transport.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "vm_argv.h"
#include "vm_proc.h"
#include "vm_signals.h"

int vm_qemu_version_parse(const char *text, struct vm_qemu_version *v)
{
	const char *p = strstr(text, VM_QEMU_VERSION_LINE);
	unsigned major, minor, micro = 0;
	int n = 0;

	memset(v, 0, sizeof(*v));
	if (!p)
		return -EINVAL;
	p += strlen(VM_QEMU_VERSION_LINE);
	/* "7.2.22", "11.1.3", also a bare "10.1" or "10.1.50" (a git build). */
	if (sscanf(p, "%u.%u%n", &major, &minor, &n) != 2)
		return -EINVAL;
	if (p[n] == '.' && sscanf(p + n + 1, "%u", &micro) != 1)
		return -EINVAL;
	v->major = major;
	v->minor = minor;
	v->micro = micro;
	snprintf(v->text, sizeof(v->text), "%u.%u.%u", major, minor, micro);
	return 0;
}

int vm_qemu_version_query(char *const argv[], struct vm_qemu_version *v, char *err,
			  size_t err_size)
{
	struct vm_argv a = { 0 };
	char out[512];
	int status = 0, ret = 0;

	for (size_t i = 0; argv[i] && !ret; i++)
		ret = vm_argv_add(&a, "%s", argv[i]);
	if (ret || vm_argv_add(&a, "--version")) {
		vm_argv_free(&a);
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	ret = vm_proc_capture(a.argv, out, sizeof(out), VM_QEMU_VERSION_SECONDS, vm_signals_caught,
			      &status, err, err_size);
	if (ret == 0 && vm_qemu_version_parse(out, v) < 0) {
		out[strcspn(out, "\n")] = 0;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !out[0])
			snprintf(err, err_size, "cannot run `%s --version`", a.argv[a.count - 2]);
		else
			snprintf(err, err_size, "`%s --version` printed no \"%s\" line%s%.80s%s",
				 a.argv[a.count - 2], VM_QEMU_VERSION_LINE "X.Y", out[0] ? " (it said: " : "",
				 out, out[0] ? ")" : "");
		ret = -EINVAL;
	}
	vm_argv_free(&a);
	return ret;
}

const char *vm_transport_name(enum vm_transport t)
{
	switch (t) {
	case VM_TRANSPORT_PROXY:
		return "proxy";
	case VM_TRANSPORT_VFIO_USER:
		return "vfio-user";
	default:
		return "auto";
	}
}

static bool has_vfio_user(const struct vm_qemu_version *v)
{
	return v->major > VM_QEMU_VFIO_USER_MAJOR ||
	       (v->major == VM_QEMU_VFIO_USER_MAJOR && v->minor >= VM_QEMU_VFIO_USER_MINOR);
}

bool vm_transport_works(enum vm_transport t, const struct vm_qemu_version *v, char *why,
			size_t why_size)
{
	if (t == VM_TRANSPORT_PROXY && v->major >= VM_QEMU_PROXY_BROKEN_MAJOR) {
		snprintf(why, why_size, "QEMU %s's x-pci-proxy-dev dies with SIGSEGV as soon as the "
					"proxied device connects (QEMU 10.0 and later); %s",
			 v->text, has_vfio_user(v) ? "use --transport vfio-user"
						   : "use QEMU 10.1 or later with vfio-user, or "
						     "QEMU 9.2 or older with the proxy");
		return false;
	}
	if (t == VM_TRANSPORT_VFIO_USER && !has_vfio_user(v)) {
		snprintf(why, why_size, "QEMU %s has no vfio-user client (vfio-user-pci is in QEMU "
					"10.1 and later); %s",
			 v->text, v->major < VM_QEMU_PROXY_BROKEN_MAJOR
					  ? "use --transport proxy"
					  : "use QEMU 10.1 or later (--stack trixie)");
		return false;
	}
	return true;
}

int vm_transport_choose(enum vm_transport asked, const struct vm_qemu_version *v,
			enum vm_transport *chosen, char *err, size_t err_size)
{
	enum vm_transport t = asked;
	char why[256];

	if (t == VM_TRANSPORT_AUTO)
		t = has_vfio_user(v) ? VM_TRANSPORT_VFIO_USER : VM_TRANSPORT_PROXY;
	if (!vm_transport_works(t, v, why, sizeof(why))) {
		if (asked == VM_TRANSPORT_AUTO)
			snprintf(err, err_size, "QEMU %s can attach igdpt-device over neither "
						"transport: %s",
				 v->text, why);
		else
			snprintf(err, err_size, "--transport %s: %s", vm_transport_name(t), why);
		return -EINVAL;
	}
	*chosen = t;
	return 0;
}
