/* SPDX-License-Identifier: MIT */
/* The stages of a Linux guest: i915 beside igdpt probe (see
 * vm_judge_linux.h). */
#include "vm_judge_linux.h"

#include <stdio.h>
#include <string.h>

#include "igdpt/abi/events.h"
#include "igdpt/abi/probe_report.h"
#include "vm_log_probe.h"

/* Why the copy is judged at the ASLS write: a real i915 sets DRDY, CHPD,
 * the display lists and ARDY in its copy after setup, so the copy at exit
 * differs from the published image by design. What must hold is that the
 * firmware's copy was byte-for-byte the image when the guest got it (the
 * device compares at the ASLS write) and that the driver touched only
 * mailbox fields a driver owns. */
void vm_judge_copy_linux(struct vm_report *r, const struct vm_evidence *o)
{
	const struct vm_linux_result *lr = &o->linux_evidence;
	const struct vm_device_log *dev = &o->dev;

	if (!o->expect_opregion || !dev->final ||
	    strcmp(dev->final_guest_copy, IGDPT_EV_COPY_DIFFERS))
		return; /* judge_copy's verdict stands */
	if (!dev->asls_writes || strcmp(dev->asls_guest_copy, IGDPT_EV_COPY_IDENTICAL)) {
		vm_report_set(r, VM_STAGE_COPY, VM_STATE_FAIL,
			      "at the ASLS write the device found the guest copy %s%s",
			      dev->asls_guest_copy[0] ? dev->asls_guest_copy : "unchecked",
			      dev->asls_has_differs_at ? " (see differs_at)" : "");
		return;
	}
	if (lr->unnamed) {
		vm_report_set(r, VM_STAGE_COPY, VM_STATE_FAIL,
			      "identical at the ASLS write, but at exit %u byte range%s outside the "
			      "driver's mailbox fields changed: %s",
			      lr->unnamed, lr->unnamed == 1 ? "" : "s", lr->write_names);
		return;
	}
	vm_report_set(r, VM_STAGE_COPY, VM_STATE_OK,
		      "identical at the ASLS write (0x%08" PRIx64 "); at exit the driver's writes "
		      "only (%s)",
		      dev->asls_value, lr->nwrites ? lr->write_names : "not decoded");
}

bool vm_i915_agrees(const struct vm_i915_log *log, struct json_object *probe, char *why,
		    size_t why_size)
{
	enum igdpt_probe_i915 verdict = vm_i915_verdict(log);
	const char *mine = igdpt_probe_i915_name(verdict);
	const char *src = vm_i915_vbt_source_name(log->vbt_source);
	const char *pv = vm_json_string(probe, VM_PROBE_KEY_I915_VERDICT);
	const char *ps = vm_json_string(probe, VM_PROBE_KEY_I915_VBT_SOURCE);
	/* A VBT found anywhere, the PCI ROM included, or predicted there. */
	bool found = log->vbt_source != VM_I915_VBT_NONE || (ps && strcmp(ps, "none"));

	if (!why_size)
		why = NULL;
	if (verdict == IGDPT_PROBE_I915_NOT_RUN) {
		if (why)
			snprintf(why, why_size, "i915 logged no OpRegion setup (driver not loaded?)");
		return false;
	}
	if (!pv) {
		if (why)
			snprintf(why, why_size, "igdpt probe gave no i915 verdict");
		return false;
	}
	if (strcmp(pv, mine)) {
		if (why)
			snprintf(why, why_size, "igdpt probe predicts i915 \"%s\", i915 did \"%s\"",
				 pv, mine);
		return false;
	}
	/* The VBT source matters only when a VBT was found. */
	if (found && (!ps || strcmp(ps, src))) {
		if (why)
			snprintf(why, why_size, "igdpt probe predicts the VBT from %s, i915 took %s",
				 ps ? ps : "(none given)", src);
		return false;
	}
	if (why)
		snprintf(why, why_size, "both \"%s\"%s%s", mine, found ? ", VBT from " : "",
			 found ? src : "");
	return true;
}

/* The first line the OpRegion explains, with the reason. */
static const char *explained_first(const struct vm_i915_log *log)
{
	for (unsigned i = 0; i < log->nproblems; i++)
		if (log->problems[i].because[0])
			return log->problems[i].because;
	return "(beyond the lines kept)";
}

void vm_judge_i915_agrees(struct vm_report *r, const struct vm_evidence *o)
{
	const struct vm_i915_log *log = &o->linux_evidence.i915;
	enum igdpt_probe_i915 verdict = vm_i915_verdict(log);
	const char *explains = log->explained ? "; the OpRegion explains what i915 logged: " : "";
	const char *first = log->explained ? explained_first(log) : "";
	char why[320];

	if (!log->kernel_started) {
		vm_report_set(r, VM_STAGE_I915_AGREES, VM_STATE_FAIL,
			      "no kernel log on the serial console");
	} else if (!o->probe) {
		vm_report_set(r, VM_STAGE_I915_AGREES, VM_STATE_FAIL,
			      "igdpt probe printed no verdict; i915 said %s",
			      igdpt_probe_i915_name(verdict));
	} else if (!vm_i915_agrees(log, o->probe, why, sizeof(why))) {
		vm_report_set(r, VM_STAGE_I915_AGREES, VM_STATE_FAIL, "%s", why);
	} else if (vm_i915_unexplained(log)) {
		const char *line = vm_i915_first_unexplained(log);

		vm_report_set(r, VM_STAGE_I915_AGREES, VM_STATE_FAIL,
			      "%s, but i915 logged %u WARNING / *ERROR* line(s) the OpRegion does "
			      "not explain, first: %s",
			      why, vm_i915_unexplained(log), line ? line : "(beyond the lines kept)");
	} else if (verdict == IGDPT_PROBE_I915_OK) {
		vm_report_set(r, VM_STAGE_I915_AGREES, VM_STATE_OK,
			      "%s (OpRegion %u.%u.%u at 0x%08" PRIx64 ", BDB %d, %u VBT port(s), %d "
			      "output(s))%s%s",
			      why, log->major, log->minor, log->revision, log->opregion_addr,
			      log->bdb_version, log->nports, log->outputs, explains, first);
	} else {
		char story[VM_I915_TRIES * (VM_I915_REASON + 40)];

		vm_i915_vbt_story(log, story, sizeof(story));
		vm_report_set(r, VM_STAGE_I915_AGREES, VM_STATE_OK, "%s: %s%s%s", why, story,
			      explains, first);
	}
}

void vm_judge_driver_writes(struct vm_report *r, const struct vm_evidence *o)
{
	const struct vm_linux_result *lr = &o->linux_evidence;

	if (!o->expect_opregion)
		vm_report_set(r, VM_STAGE_DRIVER_WRITES, VM_STATE_SKIPPED, "no OpRegion published");
	else if (!lr->final_seen)
		vm_report_set(r, VM_STAGE_DRIVER_WRITES, VM_STATE_FAIL,
			      "the device wrote no final event");
	else if (lr->unnamed)
		vm_report_set(r, VM_STAGE_DRIVER_WRITES, VM_STATE_FAIL,
			      "outside the driver's fields: %s", lr->write_names);
	else if (lr->nwrites)
		vm_report_set(r, VM_STAGE_DRIVER_WRITES, VM_STATE_OK,
			      "%s (guest copy private, host image untouched)", lr->write_names);
	else
		vm_report_set(r, VM_STAGE_DRIVER_WRITES, VM_STATE_OK,
			      "none: the guest copy at exit is the published image");
}
