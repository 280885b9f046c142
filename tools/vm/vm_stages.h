/* SPDX-License-Identifier: MIT */
/* The stages of an igdpt vm run and how each is judged: the one place that
 * decides whether a stage holds and says why. A stage holds only on positive
 * evidence: a missing log line is a failure.
 *
 *   image validated        the host's own check (vm_judge_validated)
 *   published              policy applied, files written, the device loaded
 *                          exactly that (vm_judge_published)
 *   placed by firmware .. host image untouched, and with --guest linux
 *   i915 agrees with igdpt probe, guest driver writes   (vm_judge_run) */
#ifndef IGDPT_TOOLS_VM_STAGES_H
#define IGDPT_TOOLS_VM_STAGES_H

#include <stdbool.h>

#include "vm_evidence.h"
#include "vm_log_device.h"
#include "vm_options.h"
#include "vm_setup.h"

enum vm_stage_id {
	VM_STAGE_VALIDATED = 0,
	VM_STAGE_PUBLISHED,
	VM_STAGE_PLACED,
	VM_STAGE_ASLS,
	VM_STAGE_VERDICT,
	VM_STAGE_COPY,
	VM_STAGE_HOST,
	VM_STAGE_I915_AGREES,   /* --guest linux only */
	VM_STAGE_DRIVER_WRITES, /* --guest linux only */
	VM_STAGE_COUNT,
};
/* The stages every run has; a Linux guest adds the last two. */
#define VM_STAGE_COUNT_PROBE (VM_STAGE_HOST + 1)

enum vm_stage_state {
	VM_STATE_NOT_RUN = 0, /* an earlier failure stopped the run */
	VM_STATE_OK,
	VM_STATE_FAIL,
	VM_STATE_SKIPPED, /* deliberately not checked (--no-host-check) */
};

struct vm_stage {
	enum vm_stage_state state;
	char detail[1024]; /* room for i915's whole VBT story (vm_i915_vbt_story()) */
};

struct vm_report {
	unsigned count; /* stages this run has: VM_STAGE_COUNT_PROBE or VM_STAGE_COUNT */
	struct vm_stage stages[VM_STAGE_COUNT];
	char note[512]; /* one extra line for the outcome, e.g. "expected no OpRegion" */
};

void vm_report_init(struct vm_report *r, bool linux_guest);
const char *vm_stage_name(enum vm_stage_id id);
/* "ok", "fail", "skipped", "not-run" */
const char *vm_stage_state_name(enum vm_stage_state s);
/* A stage that holds or was deliberately skipped. */
bool vm_stage_holds(enum vm_stage_state s);
void vm_report_set(struct vm_report *r, enum vm_stage_id id, enum vm_stage_state state,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* True when every stage of the run holds or was skipped. */
bool vm_report_passed(const struct vm_report *r);

/* Stage "image validated" from the validator's verdict on the image. */
void vm_judge_validated(struct vm_report *r, const struct vm_options *o,
			const struct vm_image *img);
/* Stage "published": what the guest-image policy did and, when dev is not
 * NULL, whether igdpt-device loaded exactly the published bytes (its start
 * event). dev NULL: the policy refused the image, the device never ran. */
void vm_judge_published(struct vm_report *r, const struct vm_options *o,
			const struct vm_image *img, const struct vm_device_log *dev);
/* Every stage from "placed by firmware" on, and the note, from a finished
 * run's evidence. */
void vm_judge_run(struct vm_report *r, const struct vm_evidence *ev);

/* Does igdpt probe's verdict object agree with what i915 did? Compares
 * the probe's i915 verdict and VBT source with the log's (stage "i915
 * agrees with igdpt probe"). true when they agree; why says how either
 * way (why_size may be 0). */
bool vm_i915_agrees(const struct vm_i915_log *log, struct json_object *probe, char *why,
		    size_t why_size);

#endif
