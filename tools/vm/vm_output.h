/* SPDX-License-Identifier: MIT */
/* What igdpt vm prints: as text, a header, one line per stage as it
 * completes, a progress line while QEMU runs (on a terminal only), and the
 * verdict; or, with --json, one document at the end in igdpt's JSON dialect
 * (docs/json.md; schema docs/schema/vm.schema.json). */
#ifndef IGDPT_TOOLS_VM_OUTPUT_H
#define IGDPT_TOOLS_VM_OUTPUT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "vm_evidence.h"
#include "vm_locate.h"
#include "vm_log_device.h"
#include "vm_options.h"
#include "vm_setup.h"
#include "vm_stages.h"

/* "igdpt vm: seabios, pc, generation 9, class 0x0300, strategy 4b, reference" */
void vm_output_header(FILE *out, const struct vm_options *o, const struct vm_image *img);
/* "[ ok ] placed by firmware    0x07ffe000 (reserved, e820), 8 KiB" */
void vm_output_stage(FILE *out, const struct vm_report *r, enum vm_stage_id id);
/* One line rewritten in place: how long QEMU has run and what the device
 * saw so far. Only for a terminal; vm_output_progress_clear erases it. */
void vm_output_progress(FILE *out, double elapsed, const struct vm_device_log *dev);
void vm_output_progress_clear(FILE *out);
/* The note, QEMU's last words when the guest said nothing, where the logs
 * went, and "verdict: pass" or "verdict: fail". */
void vm_output_footer(FILE *out, const struct vm_options *o, const struct vm_report *r,
		      const struct vm_evidence *ev, bool passed);
/* The --json document. 0, or -ENOMEM. */
int vm_output_json(FILE *out, const struct vm_options *o, const struct vm_report *r,
		   const struct vm_image *img, const struct vm_programs *p,
		   const struct vm_evidence *ev, bool passed);
/* What a Linux guest's i915 logged, as the document's `guest_driver`
 * shows it (without the driver's writes): verdict, mailboxes, every VBT
 * source tried (vbt_sources) and, when the VBT is not the OpRegion's, why
 * (vbt_reason), ports, the WARNING and *ERROR* counts, the lines the OpRegion
 * explains. A new object. */
struct json_object *vm_output_i915_json(const struct vm_i915_log *log);

#endif
