/* SPDX-License-Identifier: MIT */
/* What a run produced, gathered after QEMU and the device ended: how each
 * process ended, what the device, the firmware and the guest said (their
 * logs, parsed), and whether the image files stayed as they were. The
 * stages (vm_stages.h) are judged from this alone, so tests can build one
 * by hand. */
#ifndef IGDPT_TOOLS_VM_EVIDENCE_H
#define IGDPT_TOOLS_VM_EVIDENCE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "vm_linux.h"
#include "vm_log_device.h"
#include "vm_locate.h"
#include "vm_log_firmware.h"
#include "vm_options.h"
#include "vm_proc.h"
#include "vm_setup.h"

#define VM_TAIL_TEXT 512

struct vm_evidence {
	/* What the run asked for. */
	enum vm_firmware firmware;
	bool linux_guest;
	bool expect_opregion;   /* false with --no-opregion */
	unsigned pci_class;     /* the class the device presents */
	enum igdpt_vmm_strategy strategy; /* 4b or 1b */
	uint64_t published_size;
	uint64_t stolen_size;   /* requested, 0 none */
	double timeout;

	/* Where it ran: the stack, how the device was attached and, with
	 * OVMF, how igdpt's driver reached the firmware; the versions the
	 * stack's packages or manifest name ("" unknown). What the firmware
	 * itself said (SeaBIOS's banner) is in seabios below. */
	const char *stack;                 /* "bookworm", "trixie"; NULL: unknown */
	enum vm_transport transport;
	enum vm_efi_delivery efi_delivery;
	char qemu_version[32], seabios_version[32], ovmf_version[32];

	/* How QEMU and the device ended (ran: they were started at all). */
	bool ran;
	bool timed_out;
	struct vm_proc qemu, device;
	char qemu_stderr_tail[VM_TAIL_TEXT];  /* the last lines, on one line */
	char device_stderr_tail[VM_TAIL_TEXT];

	/* What each party said. */
	struct vm_seabios_log seabios;
	struct vm_ovmf_log ovmf;
	struct vm_device_log dev;
	struct json_object *probe; /* the probe's verdict object, NULL when none */
	char probe_error[256];     /* why there is none */
	struct vm_linux_result linux_evidence; /* with linux_guest */

	/* The image files. */
	bool host_checked; /* --image: a host file existed to re-read */
	bool host_unchanged;
	uint64_t host_hash;
	bool published_unchanged;
	uint64_t published_hash;
};

/* The run's request, from the options and the image (nothing ran yet). */
void vm_evidence_init(struct vm_evidence *ev, const struct vm_options *o,
		      const struct vm_image *img);
/* The versions of the stack the run found (vm_locate). */
void vm_evidence_set_stack(struct vm_evidence *ev, const struct vm_programs *p);
/* Reads every log of the work directory and re-reads the image files;
 * qemu and device are how the processes ended. */
void vm_evidence_collect(struct vm_evidence *ev, const struct vm_options *o,
			 const struct vm_image *img, const struct vm_workdir *w,
			 const struct vm_proc *qemu, const struct vm_proc *device, bool timed_out);
/* The last lines of a child's stderr, on one line (QEMU's expected
 * fw_cfg-name warning dropped). */
void vm_stderr_tail(const char *path, char *buf, size_t size);
void vm_evidence_free(struct vm_evidence *ev);

#endif
