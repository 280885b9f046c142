/* SPDX-License-Identifier: MIT */
/* Booting a run: igdpt-device first, until it serves the IGD or refuses its
 * configuration (so a bad generation or device id is refused before QEMU
 * starts), then QEMU until it ends, the timeout passes or a signal arrives;
 * then both stopped in order, QEMU before the device, which writes its
 * final event when QEMU's connection closes. */
#ifndef IGDPT_TOOLS_VM_BOOT_H
#define IGDPT_TOOLS_VM_BOOT_H

#include <stdbool.h>
#include <stddef.h>

#include "vm_argv.h"
#include "vm_locate.h"
#include "vm_log_device.h"
#include "vm_options.h"
#include "vm_proc.h"
#include "vm_setup.h"

/* How often the QEMU wait wakes up to look at signals and progress. */
#define VM_BOOT_TICK 0.25

/* Everything a boot started, so one path can undo it. */
struct vm_boot {
	struct vm_proc device, qemu;
	struct vm_argv device_argv, qemu_argv;
	enum vm_transport transport;
	int igd_sv[2]; /* proxy: QEMU's end, the device's end */
	char socket[PATH_MAX]; /* vfio-user: the device's socket (host path) */
	/* --rom as given: the device's refusal names it, not the run's copy. */
	const char *rom_given;
	bool timed_out;
};

void vm_boot_init(struct vm_boot *b);
/* Builds both command lines for p->transport (and writes them to the work
 * directory's command-lines.txt); every path QEMU gets is as QEMU sees it
 * (vm_stack_qemu_view()). 0, or -errno with err. */
int vm_boot_prepare(struct vm_boot *b, const struct vm_options *o, const struct vm_programs *p,
		    const struct vm_workdir *w, char *err, size_t err_size);
/* Starts igdpt-device and waits for its start event. 0 with *at_start the
 * device log so far; -EINVAL when the device refused or died (err: its own
 * reason); -EINTR when a signal arrived (vm_signals.h); other -errno with
 * err. */
int vm_boot_start_device(struct vm_boot *b, const struct vm_workdir *w,
			 struct vm_device_log *at_start, char *err, size_t err_size);
/* Starts QEMU and waits until it ends or the timeout passes (then it is
 * killed and timed_out set), calling tick(ctx, seconds since QEMU started)
 * every VM_BOOT_TICK. 0; -EINTR when a signal arrived (QEMU still runs);
 * other -errno with err when QEMU cannot start. */
int vm_boot_run_qemu(struct vm_boot *b, const struct vm_options *o, const struct vm_workdir *w,
		     void (*tick)(void *ctx, double elapsed), void *ctx, char *err,
		     size_t err_size);
/* Stops QEMU, then gives the device time to see the connection close and
 * write its final event, then stops it. Safe in any state. */
void vm_boot_stop(struct vm_boot *b);
void vm_boot_free(struct vm_boot *b);

#endif
