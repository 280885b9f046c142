/* SPDX-License-Identifier: MIT */
/* igdpt-device's event log as igdpt vm reads it: one JSON object per line,
 * with the names of include/igdpt/abi/events.h. The input is whatever the
 * device wrote, possibly cut short by a crash: never trusted for lengths. */
#ifndef IGDPT_TOOLS_VM_LOG_DEVICE_H
#define IGDPT_TOOLS_VM_LOG_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VM_TEXT_SMALL 32
#define VM_TEXT_REASON 256
#define VM_EVENT_KINDS 24

/* One event name and how often the device logged it. */
struct vm_event_count {
	char name[VM_TEXT_SMALL];
	unsigned count;
};

struct vm_device_log {
	unsigned lines;     /* non-empty lines */
	unsigned bad_lines; /* not a JSON object with a string event name */
	struct vm_event_count kinds[VM_EVENT_KINDS];
	unsigned nkinds;

	bool started; /* IGDPT_EV_START for the IGD function */
	char device_id[VM_TEXT_SMALL];
	int generation;
	char pci_class[VM_TEXT_SMALL];
	char strategy[VM_TEXT_SMALL];
	long long image_size; /* -1 when the event had none (no image) */
	char bdsm_register_at_start[VM_TEXT_SMALL]; /* "0x5c" or "0xc0": where BDSM lives */

	bool sysmem;
	unsigned sysmem_regions;

	unsigned asls_writes;
	uint64_t asls_value; /* the last write */
	char asls_guest_copy[VM_TEXT_SMALL]; /* an IGDPT_EV_COPY_* name */
	bool asls_has_differs_at;
	uint64_t asls_differs_at;

	unsigned bdsm_writes;
	char bdsm_register[VM_TEXT_SMALL];
	uint64_t bdsm_value;
	unsigned ggc_writes, swsci_writes;

	unsigned protocol_errors;
	char protocol_error[VM_TEXT_REASON]; /* the first one */

	bool closed;
	char closed_reason[VM_TEXT_REASON];

	bool final;
	uint64_t final_asls;
	char final_guest_copy[VM_TEXT_SMALL];
	bool final_has_unchanged;
	bool final_host_image_unchanged;
};

/* Parses the whole log text (need not be NUL-terminated). Unknown events
 * are counted, malformed lines counted in bad_lines; never fails. */
void vm_device_log_parse(const char *text, size_t len, struct vm_device_log *log);

#endif
