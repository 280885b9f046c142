/* SPDX-License-Identifier: MIT */
/* Booting a run: the device, then QEMU, then both stopped in order (see
 * vm_boot.h).
 *
 * Why a separate device process: the IGD is served through QEMU's
 * x-pci-proxy-dev over a socketpair or its vfio-user client over a UNIX
 * socket, so QEMU stays stock; the device reads guest RAM (memfd,
 * share=on) and checks the firmware's copy itself, which gives a witness
 * independent of the guest. */
#include "vm_boot.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "igdpt/file.h"
#include "vm_efi_rom.h"
#include "vm_linux.h"
#include "vm_linux_efi.h"
#include "vm_qemu.h"
#include "vm_signals.h"
#include "vm_transport.h"

/* igdpt-device checks its configuration and logs its start event within
 * milliseconds; this bound is for a machine under heavy load. */
#define VM_DEVICE_START_SECONDS 30.0
#define VM_DEVICE_START_POLL 0.01
/* After QEMU ends, the device sees its socket close and exits at once. */
#define VM_DEVICE_GRACE 10.0
/* How long QEMU and the device get to end on SIGTERM before SIGKILL. */
#define VM_STOP_GRACE 3.0

void vm_boot_init(struct vm_boot *b)
{
	memset(b, 0, sizeof(*b));
	b->igd_sv[0] = b->igd_sv[1] = -1;
	b->device.name = "igdpt-device";
	b->qemu.name = "qemu";
}

/* The run's option ROM, when it has one (vm_efi_rom.h). */
static const char *run_rom(const struct vm_options *o, const struct vm_workdir *w)
{
	return vm_rom_served(o) ? w->rom : NULL;
}

static int device_argv(struct vm_boot *b, const struct vm_options *o, const char *device,
		       const struct vm_workdir *w)
{
	struct vm_argv *a = &b->device_argv;
	const char *rom = run_rom(o, w);

	if (vm_argv_add(a, "%s", device))
		return -ENOMEM;
	if (b->transport == VM_TRANSPORT_VFIO_USER
		    ? vm_argv_add(a, "--vfio-user") || vm_argv_add(a, "%s", b->socket)
		    : vm_argv_add(a, "--igd-fd") || vm_argv_add(a, "%d", b->igd_sv[1]))
		return -ENOMEM;
	if (rom && (vm_argv_add(a, "--rom") || vm_argv_add(a, "%s", rom)))
		return -ENOMEM;
	if (vm_argv_add(a, "--generation") ||
	    vm_argv_add(a, "%u", o->generation) || vm_argv_add(a, "--class") ||
	    vm_argv_add(a, "%s", vm_class_option(o->pci_class)) || vm_argv_add(a, "--strategy") ||
	    vm_argv_add(a, "%s", igdpt_vmm_strategy_name(o->strategy)) ||
	    vm_argv_add(a, "--log") || vm_argv_add(a, "%s", w->device_log))
		return -ENOMEM;
	if (o->stolen_size && (vm_argv_add(a, "--stolen-size") ||
			       vm_argv_add(a, "%" PRIu64, o->stolen_size)))
		return -ENOMEM;
	if (o->source != VM_SOURCE_NONE &&
	    (vm_argv_add(a, "--image") || vm_argv_add(a, "%s", w->published)))
		return -ENOMEM;
	if (o->device_id_given &&
	    (vm_argv_add(a, "--device-id") || vm_argv_add(a, "0x%04x", o->device_id)))
		return -ENOMEM;
	return 0;
}

/* The path QEMU opens for a host path ("": none); the file must be inside a fetched
 * stack's root (cmd_vm.c puts igdpt's own files into the run's directory
 * there). *bad collects the first that is not. */
static const char *view(const struct vm_programs *p, const char *path, const char **bad)
{
	const char *v;

	if (!path || !path[0])
		return NULL;
	v = vm_stack_qemu_view(&p->stack, path);
	if (!v && !*bad)
		*bad = path;
	return v;
}

static int qemu_argv(struct vm_boot *b, const struct vm_options *o, const struct vm_programs *p,
		     const struct vm_workdir *w, char *err, size_t err_size)
{
	bool ovmf = o->firmware == VM_FIRMWARE_OVMF, linux_guest = o->guest == VM_GUEST_LINUX;
	bool linux_efi = vm_linux_efi(o);
	bool proxy = b->transport != VM_TRANSPORT_VFIO_USER;
	const char *bad = NULL, *rom = run_rom(o, w);
	struct vm_ovmf_config ovmf_config = {
		.code = view(p, p->ovmf_code, &bad),
		.vars = view(p, w->ovmf_vars, &bad),
		.esp_image = view(p, p->esp, &bad),
	};
	struct vm_qemu_config qc = {
		.chroot = p->chroot[0] ? p->chroot : NULL,
		.root = p->chroot[0] ? p->stack.root : NULL,
		.qemu = view(p, p->qemu, &bad),
		.machine = o->machine,
		.bios = ovmf ? NULL : view(p, p->seabios, &bad),
		.kernel = ovmf && !linux_efi ? NULL : view(p, p->kernel, &bad),
		.append = linux_guest ? VM_LINUX_APPEND : NULL,
		.serial_vport = linux_guest ? VM_SERIAL_VPORT_NAME : NULL,
		.initrd = linux_guest ? view(p, p->initrd, &bad) : NULL,
		.ovmf = ovmf ? &ovmf_config : NULL,
		.mem_mib = o->memory_mib,
		.igd_fd = proxy ? b->igd_sv[0] : -1,
		.vfio_user_socket = proxy ? NULL : view(p, b->socket, &bad),
		/* QEMU 7.2's proxy maps the ROM only from its own romfile=;
		 * over vfio-user QEMU reads the device's ROM region. */
		.romfile = proxy && rom ? view(p, rom, &bad) : NULL,
		.lpc_fd = -1,
		.opregion = o->source == VM_SOURCE_NONE ? NULL : view(p, w->published, &bad),
		.stolen_size_file = o->stolen_size ? view(p, w->stolen_size, &bad) : NULL,
		/* i915 uses BAR0 and BAR2: they must end up where the proxy
		 * maps them, below 4 GiB. */
		.no_pci_hole64 = linux_efi,
		.fw_log = view(p, w->fw_log, &bad),
		.serial_log = view(p, w->serial, &bad),
	};
	int ret;

	if (bad) {
		snprintf(err, err_size, "%s is outside the %s stack's root %s, where QEMU runs", bad,
			 p->stack.desc->name, p->stack.root);
		return -EINVAL;
	}
	ret = vm_qemu_argv(&qc, &b->qemu_argv);
	if (ret < 0)
		snprintf(err, err_size, "%s", strerror(-ret));
	return ret;
}

int vm_boot_prepare(struct vm_boot *b, const struct vm_options *o, const struct vm_programs *p,
		    const struct vm_workdir *w, char *err, size_t err_size)
{
	FILE *cmd;
	int ret;

	b->transport = p->transport;
	b->rom_given = o->rom;
	snprintf(b->socket, sizeof(b->socket), "%s", w->socket);
	if (b->transport != VM_TRANSPORT_VFIO_USER &&
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, b->igd_sv) < 0) {
		ret = -errno;
		b->igd_sv[0] = b->igd_sv[1] = -1;
		snprintf(err, err_size, "socketpair: %s", strerror(-ret));
		return ret;
	}
	ret = device_argv(b, o, p->device, w);
	if (ret < 0) {
		snprintf(err, err_size, "%s", strerror(-ret));
		return ret;
	}
	ret = qemu_argv(b, o, p, w, err, err_size);
	if (ret < 0)
		return ret;
	cmd = fopen(w->cmdlines, "we");
	if (!cmd) {
		ret = -errno;
		snprintf(err, err_size, "%s: %s", w->cmdlines, strerror(-ret));
		return ret;
	}
	fputs("# igdpt-device\n", cmd);
	vm_argv_print(cmd, &b->device_argv);
	fputs("# qemu\n", cmd);
	vm_argv_print(cmd, &b->qemu_argv);
	if (fclose(cmd) != 0) {
		ret = -errno;
		snprintf(err, err_size, "%s: %s", w->cmdlines, strerror(-ret));
		return ret;
	}
	return 0;
}

/* The device's reason for refusing: the first line of its stderr, without
 * its "igdpt-device: " prefix, and the user's --rom where it names the
 * run's copy of it. */
static void device_refusal(const struct vm_boot *b, const struct vm_workdir *w,
			   const struct vm_proc *d, char *err, size_t err_size)
{
	const char *copy;
	static const char prefix[] = "igdpt-device: ";
	char status[96];
	uint8_t *text = NULL;
	size_t len = 0, n;
	const char *line;

	vm_proc_status_text(d, status, sizeof(status));
	if (igdpt_file_read(w->device_err, &text, &len, NULL) < 0 || !len) {
		snprintf(err, err_size, "igdpt-device ended (%s) before serving the IGD, and said "
					"nothing", status);
		free(text);
		return;
	}
	line = (const char *)text;
	n = strcspn(line, "\n");
	if (n > len)
		n = len;
	if (n >= sizeof(prefix) - 1 && !memcmp(line, prefix, sizeof(prefix) - 1)) {
		line += sizeof(prefix) - 1;
		n -= sizeof(prefix) - 1;
	}
	copy = b->rom_given && w->rom[0] ? memmem(line, n, w->rom, strlen(w->rom)) : NULL;
	if (copy) {
		size_t before = (size_t)(copy - line), after = before + strlen(w->rom);

		snprintf(err, err_size, "igdpt-device did not start: %.*s%s%.*s", (int)before, line,
			 b->rom_given, (int)(n - after), line + after);
	} else {
		snprintf(err, err_size, "igdpt-device did not start: %.*s", (int)n, line);
	}
	free(text);
}

int vm_boot_start_device(struct vm_boot *b, const struct vm_workdir *w,
			 struct vm_device_log *at_start, char *err, size_t err_size)
{
	bool proxy = b->transport != VM_TRANSPORT_VFIO_USER;
	double deadline;
	int ret;

	/* Over vfio-user the device listens on its socket before it logs its
	 * start event; QEMU, the client, connects once started. */
	ret = vm_proc_spawn(&b->device, "igdpt-device", b->device_argv.argv, &b->igd_sv[1], proxy,
			    w->device_out, w->device_err, err, err_size);
	if (ret < 0)
		return ret;
	if (proxy) {
		close(b->igd_sv[1]);
		b->igd_sv[1] = -1;
	}
	deadline = b->device.t_start + VM_DEVICE_START_SECONDS;
	for (;;) {
		uint8_t *text = NULL;
		size_t len = 0;

		if (igdpt_file_read(w->device_log, &text, &len, NULL) == 0) {
			vm_device_log_parse((const char *)text, len, at_start);
			free(text);
			if (at_start->started)
				return 0;
		}
		if (vm_signals_caught())
			return -EINTR;
		if (vm_proc_wait(&b->device, vm_now() + VM_DEVICE_START_POLL) == 0) {
			device_refusal(b, w, &b->device, err, err_size);
			return -EINVAL;
		}
		if (vm_now() > deadline) {
			snprintf(err, err_size, "igdpt-device logged no start event within %g s",
				 VM_DEVICE_START_SECONDS);
			return -ETIMEDOUT;
		}
	}
}

int vm_boot_run_qemu(struct vm_boot *b, const struct vm_options *o, const struct vm_workdir *w,
		     void (*tick)(void *ctx, double elapsed), void *ctx, char *err,
		     size_t err_size)
{
	bool proxy = b->transport != VM_TRANSPORT_VFIO_USER;
	double deadline;
	int ret;

	ret = vm_proc_spawn(&b->qemu, "qemu", b->qemu_argv.argv, &b->igd_sv[0], proxy, w->qemu_out,
			    w->qemu_err, err, err_size);
	if (proxy) {
		close(b->igd_sv[0]);
		b->igd_sv[0] = -1;
	}
	if (ret < 0)
		return ret;
	deadline = b->qemu.t_start + o->timeout;
	for (;;) {
		double now = vm_now(), until = now + VM_BOOT_TICK;

		if (vm_signals_caught())
			return -EINTR;
		if (vm_proc_wait(&b->qemu, until < deadline ? until : deadline) == 0)
			return 0;
		if (vm_now() >= deadline) {
			b->timed_out = true;
			vm_proc_kill(&b->qemu);
			return 0;
		}
		if (tick)
			tick(ctx, vm_now() - b->qemu.t_start);
	}
}

void vm_boot_stop(struct vm_boot *b)
{
	/* QEMU first: its end closes the device's connection. */
	vm_proc_stop(&b->qemu, VM_STOP_GRACE);
	if (b->igd_sv[0] >= 0) {
		close(b->igd_sv[0]);
		b->igd_sv[0] = -1;
	}
	/* A vfio-user device whose socket file is still there never had a
	 * client (it removes the file on accept): nothing will close it. */
	if (b->device.running && b->transport == VM_TRANSPORT_VFIO_USER &&
	    access(b->socket, F_OK) == 0)
		vm_proc_stop(&b->device, VM_STOP_GRACE);
	if (b->device.running && vm_proc_wait(&b->device, vm_now() + VM_DEVICE_GRACE) < 0)
		vm_proc_stop(&b->device, VM_STOP_GRACE);
}

void vm_boot_free(struct vm_boot *b)
{
	vm_proc_kill(&b->qemu);
	vm_proc_kill(&b->device);
	for (int i = 0; i < 2; i++)
		if (b->igd_sv[i] >= 0)
			close(b->igd_sv[i]);
	b->igd_sv[0] = b->igd_sv[1] = -1;
	vm_argv_free(&b->device_argv);
	vm_argv_free(&b->qemu_argv);
}
