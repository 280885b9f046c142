/* SPDX-License-Identifier: MIT */
/* What a real Linux i915 said about the OpRegion it was given: the kernel
 * log of `igdpt vm --guest linux`, parsed for the lines intel_opregion.c and
 * intel_bios.c print (with drm.debug=0x1e) in Linux 6.1 (Debian bookworm)
 * and 6.12 (Debian trixie), which word them alike. */
#ifndef IGDPT_TOOLS_VM_LOG_I915_H
#define IGDPT_TOOLS_VM_LOG_I915_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/probe.h"

/* The guest's /init prints every kernel log line with this prefix. */
#define VM_KMSG_PREFIX "IGDPT-KMSG "

#define VM_I915_PORTS 9     /* ports A..I */
#define VM_I915_PROBLEMS 8  /* WARNING / *ERROR* lines kept verbatim */
#define VM_I915_LINE 240
#define VM_I915_TRIES 8     /* VBT sources tried, in order */
#define VM_I915_REASON 160
#define VM_I915_BECAUSE 96

/* Where i915 looks for its VBT, in the order it looks (intel_opregion.c,
 * then intel_bios.c's intel_bios_init): a file named by i915.vbt_firmware,
 * the OpRegion (RVDA first when set, then mailbox 4), a discrete card's SPI
 * flash, the device's PCI ROM; when none holds a valid VBT it generates a
 * default one. */
enum vm_i915_vbt_source {
	VM_I915_VBT_NONE = 0,
	VM_I915_VBT_MAILBOX4,
	VM_I915_VBT_RVDA,
	VM_I915_VBT_FIRMWARE,
	VM_I915_VBT_SPI,
	VM_I915_VBT_PCI_ROM,
	VM_I915_VBT_DEFAULT,
};

enum vm_i915_vbt_result {
	VM_I915_TRY_VALID,     /* "Found valid VBT in ..." */
	VM_I915_TRY_INVALID,   /* "Invalid VBT in ..." */
	VM_I915_TRY_NONE,      /* nothing usable there (PCI ROM: no line, or the PCI core's) */
	VM_I915_TRY_GENERATED, /* "Failed to find VBIOS tables (VBT)": defaults */
};

/* One source i915 tried, with its reason in full when it logged one, e.g.
 * "VBT incomplete (vbt_size overflows)" (intel_bios_is_valid_vbt) before
 * "Invalid VBT in ACPI OpRegion (Mailbox #4)". */
struct vm_i915_vbt_try {
	enum vm_i915_vbt_source source;
	enum vm_i915_vbt_result result;
	char reason[VM_I915_REASON]; /* "" when i915 gave none */
};

/* A WARNING or *ERROR* line, and why, when the OpRegion itself explains it
 * (because is "" otherwise). */
struct vm_i915_problem {
	char line[VM_I915_LINE];
	char because[VM_I915_BECAUSE];
};

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
	bool swsci_ignored;  /* "*ERROR* SWSCI Mailbox #2 present for opregion v3.x, ignoring" */
	bool swsci;          /* "SWSCI supported" */
	bool swsci_timeout;  /* "SWSCI request timed out" */
	bool backlight_mbox; /* "Mailbox #2 for backlight present" */
	bool asle;           /* "ASLE supported" */
	bool asle_ext;       /* "ASLE extension supported" */

	/* VBT */
	enum vm_i915_vbt_source vbt_source; /* where a valid VBT was found, or NONE */
	unsigned ntries;
	struct vm_i915_vbt_try tries[VM_I915_TRIES]; /* every source tried, in order */
	char vbt_signature[32]; /* from `VBT signature "$VBT ...", BDB version N` */
	int bdb_version;        /* -1 when not logged */
	unsigned nports;
	char ports[VM_I915_PORTS]; /* letters of "Port X VBT info" lines, in order */
	int outputs;               /* "N outputs detected", -1 when not logged */

	unsigned warnings, errors; /* "WARNING:" and "*ERROR*" lines */
	unsigned explained;        /* of them, explained by the OpRegion */
	unsigned nproblems;
	struct vm_i915_problem problems[VM_I915_PROBLEMS]; /* the first ones, in order */
};

/* Parses a serial log (or plain kernel log text; need not be NUL-terminated).
 * When any line carries VM_KMSG_PREFIX only those lines are read (the rest is
 * console noise that would count lines twice). Never fails. */
void vm_i915_log_parse(const char *text, size_t len, struct vm_i915_log *log);

/* i915's verdict in the probe's terms (igdpt_probe_i915_name() names it):
 * OK (a valid VBT found in the OpRegion: mailbox 4 or RVDA), NO_OPREGION,
 * SIGNATURE_MISMATCH, INVALID_VBT (the OpRegion was taken but held no valid
 * VBT), or NOT_RUN (no OpRegion lines: the driver never got that far). */
enum igdpt_probe_i915 vm_i915_verdict(const struct vm_i915_log *log);
/* Whether i915 took its VBT from the OpRegion (mailbox 4 or RVDA). */
bool vm_i915_vbt_in_opregion(enum vm_i915_vbt_source s);
/* "mailbox4", "rvda", "firmware", "spi", "pci-rom", "default" or "none"
 * (the first two as igdpt_probe_vbt_source_name() spells them). */
const char *vm_i915_vbt_source_name(enum vm_i915_vbt_source s);
/* "valid", "invalid", "none" or "generated". */
const char *vm_i915_vbt_result_name(enum vm_i915_vbt_result r);
/* WARNING and *ERROR* lines the OpRegion does not explain. */
unsigned vm_i915_unexplained(const struct vm_i915_log *log);
/* The first of them, or NULL. */
const char *vm_i915_first_unexplained(const struct vm_i915_log *log);
/* The VBT sources i915 tried, in order, as one line: "RVDA invalid (VBT
 * invalid signature), then Mailbox #4 invalid (...), then PCI ROM none
 * (...), then default VBT (Failed to find VBIOS tables (VBT))", preceded by
 * the OpRegion's own rejection when there was one. Truncated to size. */
void vm_i915_vbt_story(const struct vm_i915_log *log, char *out, size_t size);

/* (The `guest_driver` object of `igdpt vm --json` is vm_output.c's; whether
 * i915 agrees with igdpt probe is judged in vm_stages.c.) */

#endif
