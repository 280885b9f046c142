/* SPDX-License-Identifier: MIT */
/* Booting a run: the device, then QEMU, then both stopped in order (see
 * vm_boot.h).
 *
 * Why a separate device process: the IGD is served through QEMU's
 * x-pci-proxy-dev over a socketpair, so QEMU stays stock; the device maps
 * guest RAM (memfd, share=on) and checks the firmware's copy itself, which
 * gives a witness independent of the guest. */
#include "vm_boot.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "igdpt/file.h"
#include "vm_linux.h"
#include "vm_linux_efi.h"
#include "vm_qemu.h"
#include "vm_signals.h"

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

static int device_argv(struct vm_boot *b, const struct vm_options *o, const char *device,
		       const struct vm_workdir *w)
{
	struct vm_argv *a = &b->device_argv;

	if (vm_argv_add(a, "%s", device) || vm_argv_add(a, "--igd-fd") ||
	    vm_argv_add(a, "%d", b->igd_sv[1]) || vm_argv_add(a, "--generation") ||
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
	if (vm_rom_served(o) && (vm_argv_add(a, "--rom") || vm_argv_add(a, "%s", w->rom)))
		return -ENOMEM;
	return 0;
}

static int qemu_argv(struct vm_boot *b, const struct vm_options *o, const struct vm_programs *p,
		     const struct vm_workdir *w)
{
	bool ovmf = o->firmware == VM_FIRMWARE_OVMF, linux_efi = vm_linux_efi(o);
	struct vm_ovmf_config ovmf_config = {
		.code = p->ovmf_code,
		.vars = w->ovmf_vars,
		.esp_image = linux_efi ? NULL : p->esp,
	};
	struct vm_qemu_config qc = {
		.qemu = p->qemu,
		.machine = o->machine,
		.bios = ovmf ? NULL : p->seabios,
		.kernel = ovmf && !linux_efi ? NULL : p->kernel,
		.append = o->guest == VM_GUEST_LINUX ? VM_LINUX_APPEND : NULL,
		.initrd = o->guest == VM_GUEST_LINUX ? p->initrd : NULL,
		.ovmf = ovmf ? &ovmf_config : NULL,
		.mem_mib = o->memory_mib,
		.igd_fd = b->igd_sv[0],
		.lpc_fd = -1,
		.opregion = o->source == VM_SOURCE_NONE ? NULL : w->published,
		.stolen_size_file = o->stolen_size ? w->stolen_size : NULL,
		.romfile = vm_rom_served(o) ? w->rom : NULL,
		/* i915 uses BAR0 and BAR2: they must end up where the proxy
		 * maps them, below 4 GiB. */
		.no_pci_hole64 = linux_efi,
		.fw_log = w->fw_log,
		.serial_log = w->serial,
	};

	return vm_qemu_argv(&qc, &b->qemu_argv);
}

int vm_boot_prepare(struct vm_boot *b, const struct vm_options *o, const struct vm_programs *p,
		    const struct vm_workdir *w, char *err, size_t err_size)
{
	FILE *cmd;
	int ret;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, b->igd_sv) < 0) {
		ret = -errno;
		b->igd_sv[0] = b->igd_sv[1] = -1;
		snprintf(err, err_size, "socketpair: %s", strerror(-ret));
		return ret;
	}
	ret = device_argv(b, o, p->device, w);
	if (!ret)
		ret = qemu_argv(b, o, p, w);
	if (ret < 0) {
		snprintf(err, err_size, "%s", strerror(-ret));
		return ret;
	}
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
 * its "igdpt-device: " prefix. */
static void device_refusal(const struct vm_workdir *w, const struct vm_proc *d, char *err,
			   size_t err_size)
{
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
	snprintf(err, err_size, "igdpt-device did not start: %.*s", (int)n, line);
	free(text);
}

int vm_boot_start_device(struct vm_boot *b, const struct vm_workdir *w,
			 struct vm_device_log *at_start, char *err, size_t err_size)
{
	double deadline;
	int ret;

	ret = vm_proc_spawn(&b->device, "igdpt-device", b->device_argv.argv, &b->igd_sv[1], 1,
			    w->device_out, w->device_err, err, err_size);
	if (ret < 0)
		return ret;
	close(b->igd_sv[1]);
	b->igd_sv[1] = -1;
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
			device_refusal(w, &b->device, err, err_size);
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
	double deadline;
	int ret;

	ret = vm_proc_spawn(&b->qemu, "qemu", b->qemu_argv.argv, &b->igd_sv[0], 1, w->qemu_out,
			    w->qemu_err, err, err_size);
	close(b->igd_sv[0]);
	b->igd_sv[0] = -1;
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
