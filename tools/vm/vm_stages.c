/* SPDX-License-Identifier: MIT */
/* igdpt vm's stages and their judging (see vm_stages.h): every verdict on a
 * stage, from the host's image check to what the guest driver wrote, is
 * made here from the run's evidence. */
#include "vm_stages.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "igdpt/abi/events.h"
#include "igdpt/abi/guest.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/abi/probe_report.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/probe.h"
#include "tool_util.h"
#include "vm_firmware_says.h"
#include "vm_judge_linux.h"
#include "vm_log_probe.h"
#include "vm_qemu.h"
#include "vm_stack.h"

/* ---- the stages ---------------------------------------------------------- */

static const char *const stage_names[VM_STAGE_COUNT] = {
	[VM_STAGE_VALIDATED] = "image validated",
	[VM_STAGE_PUBLISHED] = "published",
	[VM_STAGE_PLACED] = "placed by firmware",
	[VM_STAGE_ASLS] = "ASLS programmed",
	[VM_STAGE_VERDICT] = "guest verdict",
	[VM_STAGE_COPY] = "guest copy identical",
	[VM_STAGE_HOST] = "host image untouched",
	[VM_STAGE_I915_AGREES] = "i915 agrees with igdpt probe",
	[VM_STAGE_DRIVER_WRITES] = "guest driver writes",
};

void vm_report_init(struct vm_report *r, bool linux_guest)
{
	memset(r, 0, sizeof(*r));
	r->count = linux_guest ? VM_STAGE_COUNT : VM_STAGE_COUNT_PROBE;
}

const char *vm_stage_name(enum vm_stage_id id)
{
	return id < VM_STAGE_COUNT ? stage_names[id] : "?";
}

const char *vm_stage_state_name(enum vm_stage_state s)
{
	switch (s) {
	case VM_STATE_OK:
		return "ok";
	case VM_STATE_FAIL:
		return "fail";
	case VM_STATE_SKIPPED:
		return "skipped";
	default:
		return "not-run";
	}
}

bool vm_stage_holds(enum vm_stage_state s)
{
	return s == VM_STATE_OK || s == VM_STATE_SKIPPED;
}

void vm_report_set(struct vm_report *r, enum vm_stage_id id, enum vm_stage_state state,
		   const char *fmt, ...)
{
	va_list ap;

	r->stages[id].state = state;
	va_start(ap, fmt);
	vsnprintf(r->stages[id].detail, sizeof(r->stages[id].detail), fmt, ap);
	va_end(ap);
}

bool vm_report_passed(const struct vm_report *r)
{
	for (unsigned i = 0; i < r->count; i++)
		if (!vm_stage_holds(r->stages[i].state))
			return false;
	return true;
}

/* ---- before boot: the image --------------------------------------------- */

void vm_judge_validated(struct vm_report *r, const struct vm_options *o,
			const struct vm_image *img)
{
	const struct igdpt_opregion *op = &img->op;
	char warnings[256], what[200], rom[PATH_MAX + 200] = "";

	if (o->source == VM_SOURCE_NONE) {
		vm_report_set(r, VM_STAGE_VALIDATED, VM_STATE_SKIPPED, "no image (--no-opregion)");
		return;
	}
	if (img->parse_ret < 0) {
		vm_report_set(r, VM_STAGE_VALIDATED,
			      o->no_host_check ? VM_STATE_SKIPPED : VM_STATE_FAIL, "%s%s: %s at 0x%zx",
			      o->no_host_check ? "not enforced (--no-host-check); " : "", img->source,
			      img->parse_diag.reason, img->parse_diag.offset);
		return;
	}
	tool_warnings_text(img->parse_diag.warnings, warnings, sizeof(warnings));
	snprintf(what, sizeof(what), "%s",
		 op->vbt_source == IGDPT_VBT_SOURCE_RVDA	   ? "VBT in RVDA (extended)"
		 : op->vbt_source == IGDPT_VBT_SOURCE_MAILBOX4 ? "VBT in mailbox 4"
							       : "no VBT");
	/* Without one, the PCI ROM is where i915 looks next. */
	if (op->vbt_source == IGDPT_VBT_SOURCE_NONE || img->rom.given) {
		vm_rom_describe(&img->rom, rom + 2, sizeof(rom) - 2);
		memcpy(rom, "; ", 2);
	}
	if (op->vbt_source != IGDPT_VBT_SOURCE_NONE) {
		size_t n = strlen(what);

		snprintf(what + n, sizeof(what) - n, ", BDB %u", op->vbt.bdb_version);
	}
	vm_report_set(r, VM_STAGE_VALIDATED, VM_STATE_OK, "%s: OpRegion %u.%u.%u, %zu bytes, %s%s%s%s%s",
		      img->source, op->major, op->minor, op->revision, img->host_len, what,
		      warnings[0] ? " (tolerated: " : "", warnings, warnings[0] ? ")" : "", rom);
}

void vm_judge_published(struct vm_report *r, const struct vm_options *o,
			const struct vm_image *img, const struct vm_device_log *dev)
{
	char policy[160], stolen[64] = "";

	if (o->stolen_size)
		snprintf(stolen, sizeof(stolen), "; %s %" PRIu64 " MiB", IGDPT_FW_CFG_BDSM_SIZE_FILE,
			 o->stolen_size >> 20);
	if (o->source == VM_SOURCE_NONE) {
		vm_report_set(r, VM_STAGE_PUBLISHED, VM_STATE_OK, "nothing as %s (--no-opregion)%s",
			      IGDPT_FW_CFG_OPREGION_FILE, stolen);
		return;
	}
	if (img->policy_ret < 0 && !img->published_as_given) {
		vm_report_set(r, VM_STAGE_PUBLISHED, VM_STATE_FAIL,
			      "guest-image policy refused the image: %s at 0x%zx",
			      img->policy_diag.reason ? img->policy_diag.reason
						      : strerror(-img->policy_ret),
			      img->policy_diag.offset);
		return;
	}
	if (img->published_as_given) {
		snprintf(policy, sizeof(policy), "published as given (policy not applied: %s at 0x%zx)",
			 img->policy_diag.reason, img->policy_diag.offset);
	} else {
		uint32_t before = igdpt_le32(img->host + IGDPT_OPREGION_MBOX_OFFSET);
		uint32_t after = igdpt_le32(img->published + IGDPT_OPREGION_MBOX_OFFSET);

		if (img->policy_ret > 0)
			snprintf(policy, sizeof(policy), "SWSCI cleared (MBOX 0x%02x -> 0x%02x)",
				 before, after);
		else
			snprintf(policy, sizeof(policy), "SWSCI already clear (MBOX 0x%02x)", after);
	}
	/* The device must have loaded exactly what fw_cfg carries. */
	if (!dev || !dev->started)
		vm_report_set(r, VM_STAGE_PUBLISHED, VM_STATE_FAIL,
			      "fw_cfg %s, %zu bytes, %s%s; but the device logged no start event",
			      IGDPT_FW_CFG_OPREGION_FILE, img->published_len, policy, stolen);
	else if (dev->image_size != (long long)img->published_len)
		vm_report_set(r, VM_STAGE_PUBLISHED, VM_STATE_FAIL,
			      "fw_cfg %s, %zu bytes, %s%s; but the device loaded %lld bytes",
			      IGDPT_FW_CFG_OPREGION_FILE, img->published_len, policy, stolen,
			      dev->image_size);
	else
		vm_report_set(r, VM_STAGE_PUBLISHED, VM_STATE_OK, "fw_cfg %s, %zu bytes, %s%s",
			      IGDPT_FW_CFG_OPREGION_FILE, img->published_len, policy, stolen);
}

/* ---- after the run: what the firmware, the guest and the device said ---- */

/* Did QEMU end the way a probe ends: a verdict line, then isa-debug-exit?
 * QEMU's own errors also exit with status 1, so the status alone is not
 * proof. */
static bool qemu_debug_exited(const struct vm_evidence *o)
{
	const struct vm_proc *q = &o->qemu;

	return o->probe && o->ran && !q->running && q->exited && !q->killed_by_us &&
	       (q->exit_code == VM_DEBUG_EXIT_PASS || q->exit_code == VM_DEBUG_EXIT_FAIL ||
		q->exit_code == VM_DEBUG_EXIT_NO_OPREGION);
}

static int expected_exit(const char *verdict)
{
	if (!strcmp(verdict, IGDPT_PROBE_VERDICT_PASS))
		return VM_DEBUG_EXIT_PASS;
	if (!strcmp(verdict, IGDPT_PROBE_VERDICT_FAIL))
		return VM_DEBUG_EXIT_FAIL;
	if (!strcmp(verdict, IGDPT_PROBE_VERDICT_NO_OPREGION))
		return VM_DEBUG_EXIT_NO_OPREGION;
	return -1;
}

/* Why the guest side produced nothing usable, in one phrase. */
static void qemu_problem(const struct vm_evidence *o, char *buf, size_t size)
{
	char status[96];

	if (o->timed_out) {
		snprintf(buf, size, "timeout: no verdict after %g s (QEMU and the device killed)",
			 o->timeout);
		return;
	}
	if (!o->ran) {
		snprintf(buf, size, "QEMU did not run");
		return;
	}
	vm_proc_status_text(&o->qemu, status, sizeof(status));
	/* The tail is bounded so the reason fits a stage line. */
	snprintf(buf, size, "QEMU ended with %s%s%s%.240s", status,
		 o->probe ? ", not through isa-debug-exit" : "",
		 o->qemu_stderr_tail[0] ? ": " : "", o->qemu_stderr_tail);
}

/* Nothing placed although an OpRegion was published: why, per firmware. */
static void judge_not_placed(struct vm_report *r, const struct vm_evidence *o)
{
	char problem[400], refusal[440];

	char limit[320];

	if (vm_fw_class_limitation(o)) {
		vm_fw_class_limit(o, limit, sizeof(limit));
		vm_report_set(r, VM_STAGE_PLACED, VM_STATE_FAIL, "%s", limit);
		return;
	}
	problem[0] = 0;
	if (!qemu_debug_exited(o))
		qemu_problem(o, problem, sizeof(problem));
	if (o->firmware == VM_FIRMWARE_OVMF) {
		vm_fw_driver_refusal(o, refusal, sizeof(refusal));
		vm_fw_ovmf_limit(o, limit, sizeof(limit));
		if (!o->ovmf.driver_ran)
			vm_report_set(r, VM_STAGE_PLACED, VM_STATE_FAIL,
				      "OVMF did not run igdpt-efi %s (no \"igdpt-efi\" line in the "
				      "firmware log): %s%s%s",
				      o->efi_delivery == VM_EFI_DELIVERY_ROM
					      ? "from the IGD's option ROM"
					      : "from the boot volume",
				      limit, problem[0] ? "; " : "", problem);
		else if (refusal[0])
			vm_report_set(r, VM_STAGE_PLACED, VM_STATE_FAIL, "igdpt-efi refused: %s",
				      refusal);
		else
			vm_report_set(r, VM_STAGE_PLACED, VM_STATE_FAIL,
				      "igdpt-efi logged no placement (no \"placed at ... in ACPI "
				      "NVS\" line) and no reason%s%s",
				      problem[0] ? "; " : "", problem);
		return;
	}
	if (o->seabios.noalloc)
		vm_report_set(r, VM_STAGE_PLACED, VM_STATE_FAIL,
			      "SeaBIOS could not allocate memory for it "
			      "(\"Unable to allocate resource\" in the firmware log)");
	else if (problem[0])
		vm_report_set(r, VM_STAGE_PLACED, VM_STATE_FAIL,
			      "no \"Intel IGD OpRegion enabled\" line in the firmware log; %s",
			      problem);
	else
		vm_report_set(r, VM_STAGE_PLACED, VM_STATE_FAIL,
			      "SeaBIOS placed nothing: no \"Intel IGD OpRegion enabled\" "
			      "line in the firmware log");
}

static void judge_placed(struct vm_report *r, const struct vm_evidence *o, const char *memmap)
{
	struct vm_fw_placement p = vm_fw_where_placed(o);
	bool ovmf = o->firmware == VM_FIRMWARE_OVMF;
	char stolen[96] = "", origin[96], igd[16];

	if (!o->expect_opregion) {
		if (p.placed)
			vm_report_set(r, VM_STAGE_PLACED, VM_STATE_FAIL,
				      "%s placed an OpRegion at 0x%08" PRIx64
				      " although none was published",
				      p.who, p.addr);
		else if (ovmf && o->ovmf.refusal[0])
			vm_report_set(r, VM_STAGE_PLACED, VM_STATE_OK,
				      "nothing placed (none published, as asked; igdpt-efi: %s)",
				      vm_fw_driver_says(o->ovmf.refusal));
		else
			vm_report_set(r, VM_STAGE_PLACED, VM_STATE_OK,
				      "nothing placed (none published, as asked)");
		return;
	}
	if (!p.placed) {
		judge_not_placed(r, o);
		return;
	}
	if (p.addr % IGDPT_OPREGION_GUEST_ALIGN ||
	    p.addr + o->published_size > IGDPT_GUEST_PLACEMENT_LIMIT) {
		vm_report_set(r, VM_STAGE_PLACED, VM_STATE_FAIL,
			      "0x%08" PRIx64 " is not 4 KiB aligned below 4 GiB", p.addr);
		return;
	}
	if (!memmap) {
		vm_report_set(r, VM_STAGE_PLACED, VM_STATE_FAIL,
			      "0x%08" PRIx64 " by %s, but its memory type is unknown "
			      "(no memmap in the probe's verdict)",
			      p.addr, p.who);
		return;
	}
	if (strcmp(memmap, igdpt_probe_memmap_type_name(IGDPT_E820_RESERVED, true)) &&
	    strcmp(memmap, igdpt_probe_memmap_type_name(IGDPT_E820_NVS, true))) {
		vm_report_set(r, VM_STAGE_PLACED, VM_STATE_FAIL,
			      "0x%08" PRIx64 " is %s in the guest's memory map, not reserved or "
			      "ACPI NVS",
			      p.addr, memmap);
		return;
	}
	if (!ovmf) {
		char seen[40];

		vm_fw_seabios_seen(o, seen, sizeof(seen));
		vm_report_set(r, VM_STAGE_PLACED, VM_STATE_OK,
			      "0x%08" PRIx64 " (%s, e820), %u KiB, by SeaBIOS%s", p.addr, memmap,
			      o->seabios.opregion_kib, seen);
		return;
	}
	/* The option ROM was asked for: the driver must say it came from
	 * the IGD's ROM, not from anywhere else. */
	snprintf(igd, sizeof(igd), "00:%02x.0", IGDPT_IGD_DEVFN_DEVICE);
	if (o->efi_delivery == VM_EFI_DELIVERY_ROM &&
	    (!o->ovmf.from_rom || strcmp(o->ovmf.rom_bdf, igd))) {
		vm_report_set(r, VM_STAGE_PLACED, VM_STATE_FAIL,
			      "igdpt-efi placed it at 0x%08" PRIx64 ", but not from the IGD's "
			      "option ROM (%s%s)",
			      p.addr, o->ovmf.from_rom ? "it came from the ROM of " : "no \"",
			      o->ovmf.from_rom ? o->ovmf.rom_bdf
					       : "started from the option ROM\" line");
		return;
	}
	if (o->ovmf.stolen_placed)
		snprintf(stolen, sizeof(stolen), "; stolen memory at 0x%08" PRIx64, o->ovmf.bdsm);
	vm_fw_driver_origin(o, origin, sizeof(origin));
	vm_report_set(r, VM_STAGE_PLACED, VM_STATE_OK,
		      "0x%08" PRIx64 " (%s, UEFI memory map) by igdpt-efi%s, %" PRIu64 " KiB%s",
		      p.addr, memmap, origin, o->published_size >> 10, stolen);
}

static void judge_asls(struct vm_report *r, const struct vm_evidence *o, bool guest_has_asls,
		       uint64_t guest_asls)
{
	const struct vm_device_log *dev = &o->dev;
	struct vm_fw_placement p = vm_fw_where_placed(o);
	char refusal[440];

	if (!o->expect_opregion) {
		if (dev->asls_writes && dev->asls_value)
			vm_report_set(r, VM_STAGE_ASLS, VM_STATE_FAIL,
				      "the device saw ASLS written with 0x%08" PRIx64
				      " although nothing was published",
				      dev->asls_value);
		else if (guest_has_asls && guest_asls)
			vm_report_set(r, VM_STAGE_ASLS, VM_STATE_FAIL,
				      "the guest reads ASLS 0x%08" PRIx64 ", expected 0", guest_asls);
		else if (!guest_has_asls)
			vm_report_set(r, VM_STAGE_ASLS, VM_STATE_FAIL,
				      "the guest's view of ASLS is unknown (no probe verdict)");
		else
			vm_report_set(r, VM_STAGE_ASLS, VM_STATE_OK,
				      "stays 0, as expected (no write seen by the device)");
		return;
	}
	vm_fw_driver_refusal(o, refusal, sizeof(refusal));
	if (!dev->asls_writes) {
		char limit[320];

		vm_fw_class_limit(o, limit, sizeof(limit));
		if (vm_fw_class_limitation(o))
			vm_report_set(r, VM_STAGE_ASLS, VM_STATE_FAIL, "ASLS stays 0: %s", limit);
		else if (refusal[0])
			vm_report_set(r, VM_STAGE_ASLS, VM_STATE_FAIL,
				      "ASLS stays 0: igdpt-efi refused the OpRegion");
		else
			vm_report_set(r, VM_STAGE_ASLS, VM_STATE_FAIL,
				      "the device saw no write to ASLS (config 0x%02x)",
				      IGDPT_PCI_ASLS_OFFSET);
		return;
	}
	if (p.placed && p.addr != dev->asls_value) {
		vm_report_set(r, VM_STAGE_ASLS, VM_STATE_FAIL,
			      "the device saw 0x%08" PRIx64 " but %s placed it at 0x%08" PRIx64,
			      dev->asls_value, p.who, p.addr);
		return;
	}
	if (!guest_has_asls) {
		vm_report_set(r, VM_STAGE_ASLS, VM_STATE_FAIL,
			      "the device saw 0x%08" PRIx64 ", but what the guest reads is unknown "
			      "(no probe verdict)",
			      dev->asls_value);
		return;
	}
	if (guest_asls != dev->asls_value) {
		vm_report_set(r, VM_STAGE_ASLS, VM_STATE_FAIL,
			      "the device saw 0x%08" PRIx64 " but the guest reads 0x%08" PRIx64,
			      dev->asls_value, guest_asls);
		return;
	}
	vm_report_set(r, VM_STAGE_ASLS, VM_STATE_OK,
		      "0x%08" PRIx64 " (the device saw the write%s; the guest reads it back)",
		      dev->asls_value, dev->asls_writes > 1 ? "s" : "");
}

static void guest_summary(struct json_object *probe, char *buf, size_t size)
{
	const char *version = vm_json_string(probe, VM_PROBE_KEY_OPREGION_VERSION);
	const char *source = vm_json_string(probe, VM_PROBE_KEY_OPREGION_VBT_SOURCE);
	const char *i915 = vm_json_string(probe, VM_PROBE_KEY_I915_VERDICT);
	const char *i915_source = vm_json_string(probe, VM_PROBE_KEY_I915_VBT_SOURCE);
	struct json_object *bdb = NULL;

	if (source && !strcmp(source, "none"))
		snprintf(buf, size, "OpRegion %s, no VBT", version ? version : "?");
	else
		snprintf(buf, size, "OpRegion %s, VBT %s", version ? version : "?",
			 source ? source : "?");
	if (json_object_object_get_ex(probe, VM_PROBE_KEY_OPREGION, &bdb) &&
	    json_object_object_get_ex(bdb, VM_PROBE_KEY_BDB_VERSION, &bdb)) {
		size_t n = strlen(buf);

		snprintf(buf + n, size - n, " (BDB %d)", json_object_get_int(bdb));
	}
	if (i915) {
		size_t n = strlen(buf);

		snprintf(buf + n, size - n, ", i915 would say %s", i915);
	}
	/* Its fallback, named when it is where i915 gets the VBT. */
	if (i915_source && !strcmp(i915_source, "pci-rom")) {
		size_t n = strlen(buf);

		snprintf(buf + n, size - n, " and take the VBT from the PCI ROM");
	}
}

static void judge_verdict(struct vm_report *r, const struct vm_evidence *o, const char *verdict)
{
	const char *reason = vm_json_string(o->probe, VM_PROBE_KEY_REASON);
	char problem[400], summary[160], refusal[440], limit[320];
	int want;

	if (!o->probe) {
		qemu_problem(o, problem, sizeof(problem));
		vm_report_set(r, VM_STAGE_VERDICT, VM_STATE_FAIL, "%s; %s",
			      o->probe_error[0] ? o->probe_error : "no probe verdict", problem);
		return;
	}
	if (!verdict || (want = expected_exit(verdict)) < 0) {
		vm_report_set(r, VM_STAGE_VERDICT, VM_STATE_FAIL,
			      "the probe's verdict line has no valid \"verdict\" (%s)",
			      verdict ? verdict : "missing");
		return;
	}
	if (!qemu_debug_exited(o)) {
		qemu_problem(o, problem, sizeof(problem));
		vm_report_set(r, VM_STAGE_VERDICT, VM_STATE_FAIL, "probe said %s, but %s", verdict,
			      problem);
		return;
	}
	if (o->qemu.exit_code != want) {
		vm_report_set(r, VM_STAGE_VERDICT, VM_STATE_FAIL,
			      "probe said %s but QEMU's isa-debug-exit status is %d (expected %d)",
			      verdict, o->qemu.exit_code, want);
		return;
	}
	if (!o->expect_opregion) {
		if (!strcmp(verdict, IGDPT_PROBE_VERDICT_NO_OPREGION))
			vm_report_set(r, VM_STAGE_VERDICT, VM_STATE_OK, "no-opregion, as expected: %s",
				      reason ? reason : "(no reason given)");
		else
			vm_report_set(r, VM_STAGE_VERDICT, VM_STATE_FAIL,
				      "%s although nothing was published: %s", verdict,
				      reason ? reason : "(no reason given)");
		return;
	}
	if (!strcmp(verdict, IGDPT_PROBE_VERDICT_PASS)) {
		guest_summary(o->probe, summary, sizeof(summary));
		vm_report_set(r, VM_STAGE_VERDICT, VM_STATE_OK, "pass: %s%s%s", summary,
			      reason && reason[0] ? "; " : "", reason ? reason : "");
		return;
	}
	if (!strcmp(verdict, IGDPT_PROBE_VERDICT_NO_OPREGION) && vm_fw_class_limitation(o)) {
		vm_fw_class_limit(o, limit, sizeof(limit));
		vm_report_set(r, VM_STAGE_VERDICT, VM_STATE_FAIL,
			      "no-opregion: %s (firmware limitation: %s)",
			      reason ? reason : "(no reason given)", limit);
		return;
	}
	if (vm_fw_bdsm_limitation(o)) {
		vm_fw_bdsm_limit(o, limit, sizeof(limit));
		vm_report_set(r, VM_STAGE_VERDICT, VM_STATE_FAIL,
			      "%s: %s (firmware limitation: %s)", verdict,
			      reason ? reason : "(no reason given)", limit);
		return;
	}
	vm_fw_driver_refusal(o, refusal, sizeof(refusal));
	if (refusal[0]) {
		vm_report_set(r, VM_STAGE_VERDICT, VM_STATE_FAIL, "%s: %s (igdpt-efi refused: %s)",
			      verdict, reason ? reason : "(no reason given)", refusal);
		return;
	}
	vm_report_set(r, VM_STAGE_VERDICT, VM_STATE_FAIL, "%s: %s", verdict,
		      reason ? reason : "(no reason given)");
}

static void judge_copy(struct vm_report *r, const struct vm_evidence *o)
{
	const struct vm_device_log *dev = &o->dev;
	const char *copy = dev->final ? dev->final_guest_copy : dev->asls_guest_copy;
	const char *want = o->strategy == IGDPT_VMM_1B ? IGDPT_EV_COPY_PLACED : IGDPT_EV_COPY_IDENTICAL;

	if (!dev->final && !dev->asls_writes) {
		vm_report_set(r, VM_STAGE_COPY, VM_STATE_FAIL,
			      "the device logged neither an ASLS write nor its final check");
		return;
	}
	if (!o->expect_opregion) {
		if (!strcmp(copy, IGDPT_EV_COPY_NO_IMAGE))
			vm_report_set(r, VM_STAGE_COPY, VM_STATE_OK,
				      "no image to compare, as expected (device: no-image)");
		else
			vm_report_set(r, VM_STAGE_COPY, VM_STATE_FAIL,
				      "device says \"%s\" although it had no image", copy);
		return;
	}
	if (!dev->final) {
		vm_report_set(r, VM_STAGE_COPY, VM_STATE_FAIL,
			      "the device wrote no final event (at the ASLS write it said \"%s\")",
			      copy);
		return;
	}
	if (!dev->final_asls && !dev->asls_writes) {
		vm_report_set(r, VM_STAGE_COPY, VM_STATE_FAIL,
			      "nothing to compare: ASLS is 0, no copy in the guest");
		return;
	}
	if (!strcmp(copy, want) ||
	    /* 1b: the firmware's copy may already be what the device would place */
	    (!strcmp(want, IGDPT_EV_COPY_PLACED) && !strcmp(copy, IGDPT_EV_COPY_IDENTICAL))) {
		vm_report_set(r, VM_STAGE_COPY, VM_STATE_OK,
			      "%s: the device compared %" PRIu64 " bytes at 0x%08" PRIx64
			      " with the published image",
			      copy, o->published_size, dev->final_asls);
		return;
	}
	if (!strcmp(copy, IGDPT_EV_COPY_DIFFERS)) {
		if (dev->asls_has_differs_at)
			vm_report_set(r, VM_STAGE_COPY, VM_STATE_FAIL,
				      "differs from the published image at 0x%" PRIx64,
				      dev->asls_differs_at);
		else
			vm_report_set(r, VM_STAGE_COPY, VM_STATE_FAIL,
				      "differs from the published image");
	} else if (!strcmp(copy, IGDPT_EV_COPY_UNMAPPED)) {
		vm_report_set(r, VM_STAGE_COPY, VM_STATE_FAIL,
			      "ASLS 0x%08" PRIx64 " is outside the guest RAM the device mapped",
			      dev->final_asls);
	} else {
		vm_report_set(r, VM_STAGE_COPY, VM_STATE_FAIL, "device says \"%s\"",
			      copy[0] ? copy : "(nothing)");
	}
}

static void judge_host(struct vm_report *r, const struct vm_evidence *o)
{
	const struct vm_device_log *dev = &o->dev;
	const struct vm_proc *d = &o->device;
	char status[96], hashes[160] = "";

	if (!o->ran || d->running) {
		vm_report_set(r, VM_STAGE_HOST, VM_STATE_FAIL, "igdpt-device did not end");
		return;
	}
	vm_proc_status_text(d, status, sizeof(status));
	if (!d->exited || d->exit_code) {
		vm_report_set(r, VM_STAGE_HOST, VM_STATE_FAIL, "igdpt-device %s %s%s%s",
			      d->killed_by_us ? "had to be killed:" : d->exited ? "FAILED:" : "CRASHED:",
			      status,
			      o->device_stderr_tail[0] ? ": " : "", o->device_stderr_tail);
		return;
	}
	if (o->host_checked && !o->host_unchanged) {
		vm_report_set(r, VM_STAGE_HOST, VM_STATE_FAIL, "the host image file CHANGED during the run");
		return;
	}
	if (o->expect_opregion && !o->published_unchanged) {
		vm_report_set(r, VM_STAGE_HOST, VM_STATE_FAIL,
			      "the published image file CHANGED during the run");
		return;
	}
	if (!dev->final) {
		vm_report_set(r, VM_STAGE_HOST, VM_STATE_FAIL,
			      "igdpt-device exited 0 but wrote no final event");
		return;
	}
	if (o->expect_opregion && !dev->final_has_unchanged) {
		vm_report_set(r, VM_STAGE_HOST, VM_STATE_FAIL,
			      "the device's final event lacks host_image_unchanged");
		return;
	}
	if (dev->final_has_unchanged && !dev->final_host_image_unchanged) {
		vm_report_set(r, VM_STAGE_HOST, VM_STATE_FAIL,
			      "the device found its image file changed (host_image_unchanged false)");
		return;
	}
	if (o->host_checked)
		snprintf(hashes, sizeof(hashes), "host image fnv1a64 %016" PRIx64 " before and after, ",
			 o->host_hash);
	if (o->expect_opregion) {
		size_t n = strlen(hashes);

		snprintf(hashes + n, sizeof(hashes) - n, "published %016" PRIx64 " unchanged, ",
			 o->published_hash);
	}
	vm_report_set(r, VM_STAGE_HOST, VM_STATE_OK, "%sdevice: %s, exit 0", hashes,
		      dev->final_has_unchanged ? IGDPT_EV_HOST_IMAGE_UNCHANGED : "final event");
}


/* ---- all of it ------------------------------------------------------------ */

void vm_judge_run(struct vm_report *r, const struct vm_evidence *o)
{
	const char *verdict = vm_json_string(o->probe, IGDPT_PROBE_KEY_VERDICT);
	const char *memmap = vm_json_string(o->probe, VM_PROBE_KEY_MEMMAP_TYPE);
	char refusal[440], limit[320];
	uint64_t guest_asls = 0;
	bool guest_has_asls = vm_json_hex(o->probe, VM_PROBE_KEY_ASLS, &guest_asls);

	/* A probe that found no OpRegion may omit its ASLS: that means 0. */
	if (!guest_has_asls && verdict && !strcmp(verdict, IGDPT_PROBE_VERDICT_NO_OPREGION)) {
		guest_has_asls = true;
		guest_asls = 0;
	}
	judge_placed(r, o, memmap);
	judge_asls(r, o, guest_has_asls, guest_asls);
	judge_verdict(r, o, verdict);
	judge_copy(r, o);
	judge_host(r, o);
	if (o->linux_guest) {
		vm_judge_copy_linux(r, o);
		vm_judge_i915_agrees(r, o);
		vm_judge_driver_writes(r, o);
	}

	r->note[0] = 0;
	vm_fw_driver_refusal(o, refusal, sizeof(refusal));
	if (!o->expect_opregion && vm_report_passed(r)) {
		snprintf(r->note, sizeof(r->note),
			 "expected no OpRegion (--no-opregion): the guest saw ASLS 0 and said so");
	} else if (o->expect_opregion && !vm_fw_where_placed(o).placed && vm_fw_class_limitation(o)) {
		vm_fw_class_limit(o, limit, sizeof(limit));
		snprintf(r->note, sizeof(r->note), "firmware limitation: %s", limit);
	} else if (o->expect_opregion && !vm_fw_where_placed(o).placed && refusal[0]) {
		snprintf(r->note, sizeof(r->note), "igdpt-efi refused the OpRegion: %s", refusal);
	} else if (o->expect_opregion && o->firmware == VM_FIRMWARE_OVMF && !o->ovmf.driver_ran) {
		vm_fw_ovmf_limit(o, limit, sizeof(limit));
		snprintf(r->note, sizeof(r->note), "firmware limitation: %s", limit);
	} else if (r->stages[VM_STAGE_VERDICT].state == VM_STATE_FAIL && vm_fw_bdsm_limitation(o)) {
		vm_fw_bdsm_limit(o, limit, sizeof(limit));
		snprintf(r->note, sizeof(r->note), "firmware limitation: %s", limit);
	}
}
