/* SPDX-License-Identifier: MIT */
/* What a real Linux i915 said about the OpRegion it was given: the kernel
 * log of `igdpt vm --guest linux`, parsed for the lines Linux 6.1's
 * intel_opregion.c and intel_bios.c print (with drm.debug=0x1e). */
#ifndef IGDPT_TOOLS_VM_LOG_I915_H
#define IGDPT_TOOLS_VM_LOG_I915_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/opregion.h"
#include "igdpt/core/probe.h"

/* The guest's /init prints every kernel log line with this prefix. */
#define VM_KMSG_PREFIX "IGDPT-KMSG "

#define VM_I915_PORTS 9     /* ports A..I */
#define VM_I915_PROBLEMS 8  /* WARNING / *ERROR* lines kept verbatim */
#define VM_I915_LINE 240

struct vm_i915_log {
	unsigned lines; /* kernel log lines read */
	bool kernel_started; /* "Linux version" */
	bool loaded;    /* "[drm] Initialized i915" */

	bool has_opregion_addr; /* "graphic opregion physical addr: 0x..." */
	uint64_t opregion_addr;
	bool not_supported;      /* "ACPI OpRegion not supported!" */
	bool signature_mismatch; /* "opregion signature mismatch" */
	bool has_version;        /* "ACPI OpRegion version X.Y.Z" */
	unsigned major, minor, revision;

	/* Mailbox lines */
	bool public_acpi;    /* "Public ACPI methods supported" */
	bool swsci_mailbox;  /* "SWSCI Mailbox #2 present for opregion v2.x" */
	bool swsci_ignored;  /* "... present for opregion v3.x, ignoring" */
	bool swsci;          /* "SWSCI supported" */
	bool swsci_timeout;  /* "SWSCI request timed out" */
	bool backlight_mbox; /* "Mailbox #2 for backlight present" */
	bool asle;           /* "ASLE supported" */
	bool asle_ext;       /* "ASLE extension supported" */

	/* VBT */
	enum igdpt_vbt_source vbt_source; /* "Found valid VBT in ACPI OpRegion (...)" */
	bool invalid_mailbox4;  /* "Invalid VBT in ACPI OpRegion (Mailbox #4)" */
	bool invalid_rvda;      /* "Invalid VBT in ACPI OpRegion (RVDA)" */
	bool vbt_bad_signature; /* "VBT invalid signature" */
	bool vbt_incomplete;    /* "VBT incomplete", "VBT header incomplete", "BDB ..." */
	bool vbt_not_found;     /* "Failed to find VBIOS tables (VBT)" */
	char vbt_signature[32]; /* from `VBT signature "$VBT ...", BDB version N` */
	int bdb_version;        /* -1 when not logged */
	unsigned nports;
	char ports[VM_I915_PORTS]; /* letters of "Port X VBT info" lines, in order */
	int outputs;               /* "N outputs detected", -1 when not logged */

	unsigned warnings, errors; /* "WARNING:" and "*ERROR*" lines */
	unsigned nproblems;
	char problems[VM_I915_PROBLEMS][VM_I915_LINE];
};

/* Parses a serial log (or plain kernel log text; need not be NUL-terminated).
 * When any line carries VM_KMSG_PREFIX only those lines are read (the rest is
 * console noise that would count lines twice). Never fails. */
void vm_i915_log_parse(const char *text, size_t len, struct vm_i915_log *log);

/* i915's verdict in the probe's terms (igdpt_probe_i915_name() names it):
 * OK (a valid VBT found in the OpRegion), NO_OPREGION, SIGNATURE_MISMATCH,
 * INVALID_VBT (the OpRegion was taken but no VBT in it), or NOT_RUN (no
 * OpRegion lines: the driver never got that far). */
enum igdpt_probe_i915 vm_i915_verdict(const struct vm_i915_log *log);

#endif
