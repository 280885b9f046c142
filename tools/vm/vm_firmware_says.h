/* SPDX-License-Identifier: MIT */
/* What the firmware of an igdpt vm run said, and its limits per stack, in
 * the words of the stage lines. The texts name the version the run saw and
 * the versions igdpt has seen behave alike (vm_stack.c's table,
 * docs/stacks.md), e.g. "SeaBIOS 1.17.0 places the OpRegion only for class
 * 0x0300 (VGA), like 1.16.2; this device is 0x0380". */
#ifndef IGDPT_TOOLS_VM_FIRMWARE_SAYS_H
#define IGDPT_TOOLS_VM_FIRMWARE_SAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm_evidence.h"

/* Where the firmware says it put the OpRegion, and who said so. */
struct vm_fw_placement {
	bool placed;
	uint64_t addr;
	const char *who; /* "SeaBIOS", "igdpt-efi" */
};

/* " 1.16.2": SeaBIOS's banner ("1.16.2-debian-1.16.2-1": the part before
 * the first '-'), else the stack's package; "" when neither says. */
void vm_fw_seabios_seen(const struct vm_evidence *o, char *buf, size_t size);
/* A driver line without "igdpt-efi: " and the "00:02.0: " it is about. */
const char *vm_fw_driver_says(const char *line);
/* The firmware's limits as stage text, e.g. "SeaBIOS 1.17.0 places the
 * OpRegion only for class 0x0300 (VGA), like 1.16.2; this device is 0x0380". */
void vm_fw_class_limit(const struct vm_evidence *o, char *buf, size_t size);
/* "SeaBIOS 1.16.2 writes the stolen-memory base only to the 32-bit BDSM at
 * 0x5c, ...; this device's BDSM is at 0xc0 (gen 11+)". */
void vm_fw_bdsm_limit(const struct vm_evidence *o, char *buf, size_t size);
/* Why stock OVMF leaves ASLS 0: it never reads etc/igd-opregion. */
void vm_fw_ovmf_limit(const struct vm_evidence *o, char *buf, size_t size);
/* " (option ROM of 00:02.0, OVMF 2025.02)": where igdpt's driver came
 * from and on which OVMF. */
void vm_fw_driver_origin(const struct vm_evidence *o, char *buf, size_t size);
/* SeaBIOS placed stolen memory, but wrote it where this generation has no
 * BDSM: the device saw no BDSM write although the firmware logged one.
 * (igdpt-efi writes the generation's own register.) */
bool vm_fw_bdsm_limitation(const struct vm_evidence *o);
/* SeaBIOS skips a class 0x0380 IGD; igdpt-efi handles both classes. */
bool vm_fw_class_limitation(const struct vm_evidence *o);
/* Where the firmware of the run says it put the OpRegion. */
struct vm_fw_placement vm_fw_where_placed(const struct vm_evidence *o);
/* igdpt-efi's refusal, precisely: the line that refused ("REASON:
 * CONSEQUENCE"), or for a validation failure the validator's reason and
 * offset from the line before it ("fw_cfg etc/igd-opregion is invalid:
 * REASON at 0xOFF; ASLS stays 0"). Empty when the driver refused nothing. */
void vm_fw_driver_refusal(const struct vm_evidence *o, char *buf, size_t size);

#endif
