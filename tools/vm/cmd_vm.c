/* SPDX-License-Identifier: MIT */
/* igdpt vm: boot QEMU with SeaBIOS or OVMF, the virtual IGD igdpt-device and
 * an OpRegion, let the guest judge what it got, and report every stage from
 * "image validated" to "host image untouched". This file runs the steps in
 * order and owns the exit status; each step is a file of tools/vm/ named
 * after its job (README.md, "Layout"). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "igdpt/file.h"
#include "tool_util.h"
#include "vm_boot.h"
#include "vm_efi_rom.h"
#include "vm_evidence.h"
#include "vm_linux_efi.h"
#include "vm_locate.h"
#include "vm_options.h"
#include "vm_output.h"
#include "vm_setup.h"
#include "vm_signals.h"
#include "vm_stages.h"

#define CMD "vm"
/* 128 + N for a run ended by signal N, as a shell reports it. */
#define VM_EXIT_SIGNAL_BASE 128

/* Everything one run holds, so one cleanup path undoes it. */
struct vm_run {
	struct vm_options o;
	struct vm_programs p;
	struct vm_workdir w;
	struct vm_image img;
	struct vm_boot boot;
	struct vm_report report;
	struct vm_evidence ev;
	bool keep_created; /* --keep-logs DIR made by this run */
	bool logs_kept;
	bool tty;          /* text to a terminal: progress lines */
	bool progress;     /* a progress line is on the screen */
	const char *phase; /* what is running, for an interruption's message */
	char err[PATH_MAX + 512];
};

/* A setup or I/O error: one line, exit 2. */
static int fail(struct vm_run *r)
{
	tool_error(CMD, "%s", r->err);
	return IGDPT_EXIT_USAGE;
}

static void clear_progress(struct vm_run *r)
{
	if (r->progress) {
		vm_output_progress_clear(stdout);
		r->progress = false;
	}
}

/* Called while QEMU runs: what the device has seen so far. */
static void on_tick(void *ctx, double elapsed)
{
	struct vm_run *r = ctx;
	struct vm_device_log dev;
	uint8_t *text;
	size_t len;

	if (!r->tty)
		return;
	if (igdpt_file_read(r->w.device_log, &text, &len, NULL) < 0)
		return;
	vm_device_log_parse((const char *)text, len, &dev);
	free(text);
	vm_output_progress(stdout, elapsed, &dev);
	r->progress = true;
}

static void print_header(const struct vm_run *r)
{
	if (!r->o.json)
		vm_output_header(stdout, &r->o, &r->img);
}

static void print_stages(const struct vm_run *r, enum vm_stage_id from, unsigned to)
{
	if (r->o.json)
		return;
	for (unsigned i = from; i < to; i++)
		vm_output_stage(stdout, &r->report, (enum vm_stage_id)i);
}

/* Copies the logs when asked; a failure is an I/O error (exit 2) even
 * after a good run, so nobody trusts logs that are not there. */
static int keep_logs(struct vm_run *r, int status)
{
	if (!r->o.keep_logs || !r->w.dir[0])
		return status;
	if (vm_keep_logs_copy(&r->w, r->o.keep_logs, r->err, sizeof(r->err)) < 0) {
		tool_error(CMD, "--keep-logs %s: %s", r->o.keep_logs, r->err);
		return IGDPT_EXIT_USAGE;
	}
	r->logs_kept = true;
	return status;
}

/* The run ends with a verdict: the rest of the report, then the status. */
static int finish(struct vm_run *r, int status)
{
	bool passed = status == IGDPT_EXIT_OK;

	status = keep_logs(r, status);
	if (r->o.json) {
		if (vm_output_json(stdout, &r->o, &r->report, &r->img, &r->p, &r->ev, passed) < 0) {
			tool_error(CMD, "out of memory");
			return IGDPT_EXIT_USAGE;
		}
	} else {
		vm_output_footer(stdout, &r->o, &r->report, &r->ev, passed);
	}
	if (fflush(stdout) != 0) {
		tool_error(CMD, "cannot write to standard output: %s", strerror(errno));
		return IGDPT_EXIT_USAGE;
	}
	return status;
}

/* A signal arrived: stop the children in order, keep the logs if asked, and
 * say in one line what was interrupted. The work directory goes in
 * cleanup(). */
static int interrupted(struct vm_run *r, int sig)
{
	char name[32], kept[sizeof(r->err) + 32] = "";
	double booted = r->boot.qemu.running ? vm_now() - r->boot.qemu.t_start : -1;

	clear_progress(r);
	vm_boot_stop(&r->boot);
	if (r->o.keep_logs && r->w.dir[0]) {
		if (vm_keep_logs_copy(&r->w, r->o.keep_logs, r->err, sizeof(r->err)) == 0) {
			r->logs_kept = true;
			snprintf(kept, sizeof(kept), "; logs kept in %s", r->o.keep_logs);
		} else {
			snprintf(kept, sizeof(kept), "; --keep-logs failed: %s", r->err);
		}
	}
	if (booted >= 0)
		tool_error(CMD, "interrupted by %s while %s (%.1f s in): stopped QEMU and "
				"igdpt-device, removed the run's temporary files%s",
			   vm_signal_name(sig, name, sizeof(name)), r->phase, booted, kept);
	else
		tool_error(CMD, "interrupted by %s while %s: stopped what had started, removed "
				"the run's temporary files%s",
			   vm_signal_name(sig, name, sizeof(name)), r->phase, kept);
	return VM_EXIT_SIGNAL_BASE + sig;
}

/* Did the run lose log lines to a full file system? Then its stages say
 * nothing about the OpRegion; the file system is the problem (exit 2). */
static bool out_of_space(const struct vm_run *r)
{
	const char *enospc = strerror(ENOSPC);

	return vm_workdir_full(&r->w) || strstr(r->ev.device_stderr_tail, enospc) ||
	       strstr(r->ev.qemu_stderr_tail, enospc);
}

/* igdpt-device must never fail: say so loudly besides the stage line. */
static void report_device_failure(const struct vm_run *r)
{
	const struct vm_proc *d = &r->ev.device;
	char status[96];

	if (d->killed_by_us || (d->exited && !d->exit_code))
		return;
	vm_proc_status_text(d, status, sizeof(status));
	tool_error(CMD, "igdpt-device %s with %s: %s", d->exited ? "FAILED" : "CRASHED", status,
		   r->ev.device_stderr_tail);
}

/* A fetched stack's QEMU opens files inside its root only: igdpt's own
 * (the guest, the EFI volume, an OVMF given by environment) go into the
 * run's directory there. */
static int stage_into_root(struct vm_run *r)
{
	struct {
		char *path;
		const char *name;
	} files[] = {
		{ r->p.kernel, "guest-kernel" },
		{ r->p.initrd, "guest-initrd" },
		{ r->p.esp, "efi-volume.img" },
		{ r->p.ovmf_code, "OVMF_CODE.fd" },
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char staged[PATH_MAX];

		if (!files[i].path[0] || vm_stack_qemu_view(&r->p.stack, files[i].path))
			continue;
		if (vm_workdir_stage(&r->w, files[i].path, files[i].name, staged, sizeof(staged),
				     r->err, sizeof(r->err)) < 0)
			return -EIO;
		snprintf(files[i].path, PATH_MAX, "%s", staged);
	}
	return 0;
}

/* The ROM the IGD serves (vm_rom_write()): --rom's copy, then igdpt's
 * driver for this run's device id with --efi-delivery rom. Without an id (a
 * generation igdpt-device has no default for) there is no driver ROM: the
 * device refuses the run before QEMU starts. */
static int write_rom(struct vm_run *r)
{
	return vm_rom_write(&r->o, r->p.efi_driver, &r->img.rom, r->w.rom, r->err,
			    sizeof(r->err));
}

static int create_workdir(struct vm_run *r)
{
	char where[PATH_MAX + 64];

	if (!r->p.stack.desc->fetched)
		return vm_workdir_create(&r->w, r->err, sizeof(r->err));
	snprintf(where, sizeof(where), "the %s stack's run directory %s", r->p.stack.desc->name,
		 r->p.stack.run_parent);
	return vm_workdir_create_in(&r->w, r->p.stack.run_parent, where, r->err, sizeof(r->err));
}

static int prepare(struct vm_run *r)
{
	uint64_t need;
	int ret;

	r->phase = "preparing the run";
	if (vm_locate(&r->o, &r->p, r->err, sizeof(r->err)) < 0)
		return fail(r);
	r->phase = "asking QEMU its version";
	ret = vm_locate_transport(&r->o, &r->p, r->err, sizeof(r->err));
	if (ret == -EINTR)
		return interrupted(r, vm_signals_caught());
	if (ret < 0)
		return fail(r);
	r->o.transport = r->p.transport;
	r->phase = "preparing the run";
	if (vm_image_load(&r->o, &r->img, r->err, sizeof(r->err)) < 0)
		return fail(r);
	need = r->img.host_len +
	       (r->o.guest == VM_GUEST_LINUX ? VM_LOG_BUDGET_LINUX : VM_LOG_BUDGET);
	if (r->o.keep_logs &&
	    vm_keep_logs_check(r->o.keep_logs, need, &r->keep_created, r->err, sizeof(r->err)) < 0)
		return fail(r);
	if (create_workdir(r) < 0)
		return fail(r);
	if (r->o.firmware == VM_FIRMWARE_OVMF) {
		struct stat st;

		/* OVMF gets a private copy of its vars flash. */
		if (stat(r->p.ovmf_vars, &st) == 0)
			need += (uint64_t)st.st_size;
	}
	if (vm_workdir_check_space(&r->w, need, r->err, sizeof(r->err)) < 0)
		return fail(r);
	if (r->o.firmware == VM_FIRMWARE_OVMF &&
	    vm_workdir_copy_ovmf_vars(&r->w, r->p.ovmf_vars, r->err, sizeof(r->err)) < 0)
		return fail(r);
	if (r->p.stack.desc->fetched && stage_into_root(r) < 0)
		return fail(r);
	return IGDPT_EXIT_OK;
}

static int run(struct vm_run *r)
{
	struct vm_device_log at_start = { 0 };
	int ret, sig;

	ret = prepare(r);
	if (ret)
		return ret;
	if ((sig = vm_signals_caught()))
		return interrupted(r, sig);

	/* Stage 1: the host's own check, before anything is published. Its
	 * line waits for igdpt-device to accept the configuration, so that a
	 * refusal (exit 2) comes before any stage line. */
	vm_report_init(&r->report, r->o.guest == VM_GUEST_LINUX);
	vm_evidence_init(&r->ev, &r->o, &r->img);
	vm_evidence_set_stack(&r->ev, &r->p);
	vm_judge_validated(&r->report, &r->o, &r->img);
	if (r->report.stages[VM_STAGE_VALIDATED].state == VM_STATE_FAIL) {
		print_header(r);
		print_stages(r, VM_STAGE_VALIDATED, VM_STAGE_PUBLISHED);
		return finish(r, IGDPT_EXIT_INVALID);
	}

	/* Stage 2: published, and loaded by the device exactly as published. */
	r->phase = "publishing the OpRegion";
	ret = vm_image_publish(&r->o, &r->img, &r->w, r->err, sizeof(r->err));
	if (ret == -EINVAL) {
		vm_judge_published(&r->report, &r->o, &r->img, NULL);
		print_header(r);
		print_stages(r, VM_STAGE_VALIDATED, VM_STAGE_PLACED);
		return finish(r, IGDPT_EXIT_INVALID);
	}
	if (ret < 0)
		return fail(r);
	if (write_rom(r) < 0)
		return fail(r);
	vm_evidence_init(&r->ev, &r->o, &r->img);
	vm_evidence_set_stack(&r->ev, &r->p);
	if (vm_boot_prepare(&r->boot, &r->o, &r->p, &r->w, r->err, sizeof(r->err)) < 0)
		return fail(r);
	r->phase = "starting igdpt-device";
	ret = vm_boot_start_device(&r->boot, &r->w, &at_start, r->err, sizeof(r->err));
	if (ret == -EINTR)
		return interrupted(r, vm_signals_caught());
	if (ret < 0)
		return fail(r);
	vm_judge_published(&r->report, &r->o, &r->img, &at_start);
	print_header(r);
	print_stages(r, VM_STAGE_VALIDATED, VM_STAGE_PLACED);
	if (r->report.stages[VM_STAGE_PUBLISHED].state == VM_STATE_FAIL) {
		vm_boot_stop(&r->boot);
		return finish(r, IGDPT_EXIT_INVALID);
	}

	/* The boot; the guest's verdict arrives when QEMU ends. */
	r->phase = "QEMU was running";
	ret = vm_boot_run_qemu(&r->boot, &r->o, &r->w, on_tick, r, r->err, sizeof(r->err));
	clear_progress(r);
	if (ret == -EINTR)
		return interrupted(r, vm_signals_caught());
	if (ret < 0)
		return fail(r);
	r->phase = "stopping igdpt-device";
	vm_boot_stop(&r->boot);
	if ((sig = vm_signals_caught()))
		return interrupted(r, sig);

	/* Stages 3 on, from what every party said. */
	vm_evidence_collect(&r->ev, &r->o, &r->img, &r->w, &r->boot.qemu, &r->boot.device,
			    r->boot.timed_out);
	vm_judge_run(&r->report, &r->ev);
	if (!vm_report_passed(&r->report) && out_of_space(r)) {
		snprintf(r->err, sizeof(r->err), "%s: %s: the run's logs may be cut short, so its "
						 "stages cannot be judged (%s)",
			 r->w.where, strerror(ENOSPC),
			 strncmp(r->w.where, "TMPDIR ", 7) ? "free some space there"
							   : "set TMPDIR to a roomier place");
		return fail(r);
	}
	report_device_failure(r);
	print_stages(r, VM_STAGE_PLACED, r->report.count);
	return finish(r, vm_report_passed(&r->report) ? IGDPT_EXIT_OK : IGDPT_EXIT_INVALID);
}

static void cleanup(struct vm_run *r)
{
	clear_progress(r);
	vm_boot_free(&r->boot);
	vm_workdir_remove(&r->w);
	if (!r->logs_kept)
		vm_keep_logs_abandon(r->o.keep_logs, r->keep_created);
	vm_evidence_free(&r->ev);
	vm_image_free(&r->img);
}

int cmd_vm(int argc, char **argv)
{
	struct vm_run *r;
	int ret;

	/* Each stage line reaches a pipe as soon as it is printed. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	r = calloc(1, sizeof(*r));
	if (!r) {
		tool_error(CMD, "out of memory");
		return IGDPT_EXIT_USAGE;
	}
	ret = vm_options_parse(argc, argv, &r->o);
	if (ret) {
		free(r);
		return ret > 0 ? IGDPT_EXIT_OK : IGDPT_EXIT_USAGE;
	}
	vm_signals_install();
	vm_boot_init(&r->boot);
	r->tty = !r->o.json && isatty(STDOUT_FILENO);
	ret = run(r);
	cleanup(r);
	free(r);
	return ret;
}
