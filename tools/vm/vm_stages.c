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

/* The firmware's limits, per stack: each text names the version the run
 * saw and the versions igdpt has seen behave alike (vm_stack.c's table,
 * docs/stacks.md), e.g. "SeaBIOS 1.17.0 places the OpRegion only for class
 * 0x0300 (VGA), like 1.16.2; this device is 0x0380". */

/* " 1.16.2": SeaBIOS's banner ("1.16.2-debian-1.16.2-1": the part before
 * the first '-'), else the stack's package; "" when neither says. */
static void seabios_seen(const struct vm_evidence *o, char *buf, size_t size)
{
	const char *v = o->seabios.version;

	if (v[0])
		snprintf(buf, size, " %.*s", (int)strcspn(v, "-"), v);
	else if (o->seabios_version[0])
		snprintf(buf, size, " %s", o->seabios_version);
	else
		buf[0] = 0;
}

/* ", like 1.16.2" (or "... and ..."): the other versions of firmware
 * ("seabios", "ovmf") igdpt has seen; seen as " X.Y" or "". */
static void like(const char *firmware, const char *seen, char *buf, size_t size)
{
	char others[96];

	vm_stack_seen_versions(firmware, seen[0] ? seen + 1 : NULL, others, sizeof(others));
	snprintf(buf, size, "%s%s", others[0] ? ", like " : "", others);
}

static void class_limit(const struct vm_evidence *o, char *buf, size_t size)
{
	char seen[40], alike[120];

	seabios_seen(o, seen, sizeof(seen));
	like("seabios", seen, alike, sizeof(alike));
	snprintf(buf, size, "SeaBIOS%s places the OpRegion only for class 0x0300 (VGA)%s; this "
			    "device is 0x%04x",
		 seen, alike, o->pci_class);
}

static void bdsm_limit(const struct vm_evidence *o, char *buf, size_t size)
{
	char seen[40], alike[120];

	seabios_seen(o, seen, sizeof(seen));
	like("seabios", seen, alike, sizeof(alike));
	snprintf(buf, size, "SeaBIOS%s writes the stolen-memory base only to the 32-bit BDSM at "
			    "0x5c%s; this device's BDSM is at %s (gen 11+)",
		 seen, alike, o->dev.bdsm_register_at_start);
}

/* Why stock OVMF leaves ASLS 0: it never reads etc/igd-opregion. */
static void ovmf_limit(const struct vm_evidence *o, char *buf, size_t size)
{
	char seen[40], alike[120];

	snprintf(seen, sizeof(seen), "%s%s", o->ovmf_version[0] ? " " : "", o->ovmf_version);
	like("ovmf", seen, alike, sizeof(alike));
	snprintf(buf, size, "OVMF%s itself ignores %s%s, so without igdpt's driver ASLS stays 0",
		 seen, IGDPT_FW_CFG_OPREGION_FILE, alike);
}

/* " (option ROM of 00:02.0, OVMF 2025.02)": where igdpt's driver came
 * from and on which OVMF. */
static void driver_origin(const struct vm_evidence *o, char *buf, size_t size)
{
	char ovmf[48] = "";

	if (o->ovmf_version[0])
		snprintf(ovmf, sizeof(ovmf), ", OVMF %s", o->ovmf_version);
	if (o->ovmf.from_rom)
		snprintf(buf, size, " (option ROM of %s%s)", o->ovmf.rom_bdf, ovmf);
	else
		snprintf(buf, size, " (BOOTX64.EFI on the boot volume%s)", ovmf);
}

/* SeaBIOS placed stolen memory, but wrote it where this generation has no
 * BDSM: the device saw no BDSM write although the firmware logged one.
 * (igdpt-efi writes the generation's own register.) */
static bool bdsm_limitation(const struct vm_evidence *o)
{
	const char *reg = o->dev.bdsm_register_at_start;

	uint64_t offset;

	return o->firmware == VM_FIRMWARE_SEABIOS && o->stolen_size && o->seabios.bdsm &&
	       !o->dev.bdsm_writes && tool_parse_u64(reg, UINT16_MAX, &offset) == 0 &&
	       offset != IGDPT_PCI_BDSM_OFFSET;
}

/* SeaBIOS skips a class 0x0380 IGD; igdpt-efi handles both classes. */
static bool class_limitation(const struct vm_evidence *o)
{
	return o->firmware == VM_FIRMWARE_SEABIOS && o->pci_class != IGDPT_PCI_CLASS_DISPLAY_VGA;
}

/* Where the firmware says it put the OpRegion, and who said so. */
struct placement {
	bool placed;
	uint64_t addr;
	const char *who; /* "SeaBIOS", "igdpt-efi" */
};

static struct placement firmware_placement(const struct vm_evidence *o)
{
	struct placement p = { .who = "SeaBIOS" };

	if (o->firmware == VM_FIRMWARE_OVMF) {
		p.who = "igdpt-efi";
		p.placed = o->ovmf.opregion_placed;
		p.addr = o->ovmf.asls;
	} else {
		p.placed = o->seabios.opregion;
		p.addr = o->seabios.opregion_addr;
	}
	return p;
}

/* A driver line without "igdpt-efi: " and the "00:02.0: " it is about. */
static const char *driver_says(const char *line)
{
	static const char prefix[] = "igdpt-efi: ";
	static const char bdf[] = "00:00.0: ";

	if (!strncmp(line, prefix, sizeof(prefix) - 1))
		line += sizeof(prefix) - 1;
	if (strlen(line) >= sizeof(bdf) - 1 && line[2] == ':' && line[5] == '.' &&
	    line[7] == ':' && line[8] == ' ')
		line += sizeof(bdf) - 1;
	return line;
}

/* igdpt-efi's refusal, precisely: the line that refused ("REASON:
 * CONSEQUENCE"), or for a validation failure the validator's reason and
 * offset from the line before it ("fw_cfg etc/igd-opregion is invalid:
 * REASON at 0xOFF; ASLS stays 0"). Empty when the driver refused nothing. */
static void driver_refusal(const struct vm_evidence *o, char *buf, size_t size)
{
	const struct vm_ovmf_log *l = &o->ovmf;
	const char *consequence;

	buf[0] = 0;
	if (o->firmware != VM_FIRMWARE_OVMF || !l->refusal[0])
		return;
	consequence = strrchr(l->refusal, ':');
	if (l->invalid[0] && consequence)
		snprintf(buf, size, "%s;%s", driver_says(l->invalid), consequence + 1);
	else
		snprintf(buf, size, "%s", driver_says(l->refusal));
}

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

	if (class_limitation(o)) {
		class_limit(o, limit, sizeof(limit));
		vm_report_set(r, VM_STAGE_PLACED, VM_STATE_FAIL, "%s", limit);
		return;
	}
	problem[0] = 0;
	if (!qemu_debug_exited(o))
		qemu_problem(o, problem, sizeof(problem));
	if (o->firmware == VM_FIRMWARE_OVMF) {
		driver_refusal(o, refusal, sizeof(refusal));
		ovmf_limit(o, limit, sizeof(limit));
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
	struct placement p = firmware_placement(o);
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
				      driver_says(o->ovmf.refusal));
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

		seabios_seen(o, seen, sizeof(seen));
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
	driver_origin(o, origin, sizeof(origin));
	vm_report_set(r, VM_STAGE_PLACED, VM_STATE_OK,
		      "0x%08" PRIx64 " (%s, UEFI memory map) by igdpt-efi%s, %" PRIu64 " KiB%s",
		      p.addr, memmap, origin, o->published_size >> 10, stolen);
}

static void judge_asls(struct vm_report *r, const struct vm_evidence *o, bool guest_has_asls,
		       uint64_t guest_asls)
{
	const struct vm_device_log *dev = &o->dev;
	struct placement p = firmware_placement(o);
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
	driver_refusal(o, refusal, sizeof(refusal));
	if (!dev->asls_writes) {
		char limit[320];

		class_limit(o, limit, sizeof(limit));
		if (class_limitation(o))
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
	if (!strcmp(verdict, IGDPT_PROBE_VERDICT_NO_OPREGION) && class_limitation(o)) {
		class_limit(o, limit, sizeof(limit));
		vm_report_set(r, VM_STAGE_VERDICT, VM_STATE_FAIL,
			      "no-opregion: %s (firmware limitation: %s)",
			      reason ? reason : "(no reason given)", limit);
		return;
	}
	if (bdsm_limitation(o)) {
		bdsm_limit(o, limit, sizeof(limit));
		vm_report_set(r, VM_STAGE_VERDICT, VM_STATE_FAIL,
			      "%s: %s (firmware limitation: %s)", verdict,
			      reason ? reason : "(no reason given)", limit);
		return;
	}
	driver_refusal(o, refusal, sizeof(refusal));
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


/* ---- --guest linux: i915 beside igdpt probe -------------------------------
 *
 * Why the copy is judged at the ASLS write: a real i915 sets DRDY, CHPD,
 * the display lists and ARDY in its copy after setup, so the copy at exit
 * differs from the published image by design. What must hold is that the
 * firmware's copy was byte-for-byte the image when the guest got it (the
 * device compares at the ASLS write) and that the driver touched only
 * mailbox fields a driver owns. */
static void judge_copy_linux(struct vm_report *r, const struct vm_evidence *o)
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

static void judge_i915_agrees(struct vm_report *r, const struct vm_evidence *o)
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

static void judge_driver_writes(struct vm_report *r, const struct vm_evidence *o)
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
		judge_copy_linux(r, o);
		judge_i915_agrees(r, o);
		judge_driver_writes(r, o);
	}

	r->note[0] = 0;
	driver_refusal(o, refusal, sizeof(refusal));
	if (!o->expect_opregion && vm_report_passed(r)) {
		snprintf(r->note, sizeof(r->note),
			 "expected no OpRegion (--no-opregion): the guest saw ASLS 0 and said so");
	} else if (o->expect_opregion && !firmware_placement(o).placed && class_limitation(o)) {
		class_limit(o, limit, sizeof(limit));
		snprintf(r->note, sizeof(r->note), "firmware limitation: %s", limit);
	} else if (o->expect_opregion && !firmware_placement(o).placed && refusal[0]) {
		snprintf(r->note, sizeof(r->note), "igdpt-efi refused the OpRegion: %s", refusal);
	} else if (o->expect_opregion && o->firmware == VM_FIRMWARE_OVMF && !o->ovmf.driver_ran) {
		ovmf_limit(o, limit, sizeof(limit));
		snprintf(r->note, sizeof(r->note), "firmware limitation: %s", limit);
	} else if (r->stages[VM_STAGE_VERDICT].state == VM_STATE_FAIL && bdsm_limitation(o)) {
		bdsm_limit(o, limit, sizeof(limit));
		snprintf(r->note, sizeof(r->note), "firmware limitation: %s", limit);
	}
}
