/* SPDX-License-Identifier: MIT */
/* igdpt qemu-args: the QEMU options, as lines or as a JSON document, and the
 * explanations all three forms share. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "igdpt/abi/guest.h"
#include "json_out.h"
#include "qa.h"
#include "tool_util.h"

#define MIB (1024ull * 1024ull)
/* Debian's OVMF, one image with its variables, in bookworm and trixie. */
#define OVMF_IMAGE "/usr/share/ovmf/OVMF.fd"

static void say(qa_comment_fn fn, void *opaque, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(qa_comment_fn fn, void *opaque, const char *fmt, ...)
{
	char text[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fn(opaque, text);
}

void qa_explain(const struct qa_plan *p, qa_comment_fn fn, void *opaque)
{
	const struct igdpt_host_device *d = p->dev;
	char messages[2048];

	say(fn, opaque, "IGD %s %04x:%04x (%s, gen %d), %s, QEMU %d.%d, %s", d->bdf, d->vendor,
	    d->device, d->platform ? d->platform : "unknown platform", d->gen,
	    p->legacy ? (p->legacy_prop == QA_LEGACY_AUTO ? "legacy mode if possible" : "legacy mode")
		      : "UPT mode",
	    p->req.qemu / 100, p->req.qemu % 100,
	    p->req.firmware == QA_FIRMWARE_OVMF ? "OVMF (UEFI)" : "SeaBIOS");
	say(fn, opaque, "%s", p->legacy_why);
	for (int c = 0; c < QA_CHECK_COUNT; c++)
		say(fn, opaque, "  legacy-mode check %s: %s: %s", qa_check_name((enum qa_check)c),
		    qa_fact_name(p->checks[c].fact), p->checks[c].detail);
	if (p->legacy)
		say(fn, opaque, "the IGD is the guest's VGA at 00:02.0; QEMU copies the host's LPC "
				"bridge ids to 00:1f.0 (i440fx only: q35 has its ICH9 LPC there)");
	else if (p->addr_02)
		say(fn, opaque, "UPT: the IGD beside an emulated display, at guest 00:02.0 on bus 0, "
				"where the Windows driver looks for it%s",
		    p->move_vga ? "; the emulated VGA moves to 00:03.0" : "");
	else
		say(fn, opaque, "UPT on i440fx: the IGD is not at 00:02.0 (%s); --machine q35 has it "
				"there", p->not_02_why);
	if (p->legacy_prop == QA_LEGACY_ON)
		say(fn, opaque, "x-igd-legacy-mode=on: every condition is verified, so a failure at "
				"start is an error, not a silent fall-back to UPT");
	else if (p->legacy_prop == QA_LEGACY_AUTO)
		say(fn, opaque, "x-igd-legacy-mode=auto: QEMU checks what igdpt could not and falls "
				"back to UPT if one fails");
	else if (p->legacy_prop == QA_LEGACY_OFF)
		say(fn, opaque, "x-igd-legacy-mode=off: UPT, even where legacy mode would start");
	if (p->legacy && p->req.qemu < QA_QEMU_IGD_REWORK)
		say(fn, opaque, "QEMU %d.%d attempts legacy mode by itself for a VGA IGD at 02.0 of "
				"an i440fx machine; it publishes the host OpRegion as %s and creates "
				"the LPC bridge",
		    p->req.qemu / 100, p->req.qemu % 100, IGDPT_FW_CFG_OPREGION_FILE);
	if (p->opregion_on)
		say(fn, opaque, "x-igd-opregion=on: QEMU copies the OpRegion from the VFIO region into "
				"fw_cfg %s and emulates ASLS (0xFC) from 0 for the firmware to fill%s",
		    IGDPT_FW_CFG_OPREGION_FILE,
		    p->req.qemu >= QA_QEMU_OPREGION_DEFAULT ? " (the default since QEMU 10.1)" : "");
	if (p->opregion_off)
		say(fn, opaque, "x-igd-opregion=off: the image below is %s; QEMU's own copy would be "
				"a second file of that name", IGDPT_FW_CFG_OPREGION_FILE);
	if (p->lpc_on)
		say(fn, opaque, "x-igd-lpc=on: an ISA bridge at 00:1f.0 with the host's LPC ids (and "
				"host bridge ids), which the IGD's GOP and the Windows driver check");
	if (p->gms)
		say(fn, opaque, "x-igd-gms=%u: %u MiB stolen memory (32 MiB units, at most 0x10); "
				"QEMU %d.%d shows 0 otherwise and the Windows driver fails (Code 43); "
				"host: %llu MiB", p->gms, p->gms * 32, p->req.qemu / 100,
		    p->req.qemu % 100, (unsigned long long)(d->stolen_size / MIB));
	if (p->req.qemu >= QA_QEMU_IGD_REWORK)
		say(fn, opaque, "stolen memory: QEMU 10 passes GGC through; the guest's firmware "
				"reserves the host's %llu MiB", (unsigned long long)(d->stolen_size / MIB));
	if (p->romfile_is_igdpt_efi)
		say(fn, opaque, "romfile: igdpt's EFI driver (igdpt-efi.rom), which places the "
				"OpRegion and stolen memory in OVMF (stock OVMF does neither)");
	else if (p->romfile)
		say(fn, opaque, "romfile: the ROM the guest's firmware runs instead of the device's "
				"(%s)", p->checks[QA_CHECK_ROM].detail);
	if (p->image)
		say(fn, opaque, "the prepared OpRegion, checked: the firmware copies it to reserved "
				"memory below 4 GiB and writes ASLS (QEMU warns about the etc/ prefix: "
				"harmless)%s",
		    p->image_announces_swsci ? "; it announces SWSCI: igdpt prepare clears that" : "");
	if ((d->class_code >> IGDPT_PCI_CLASS_CODE_SHIFT) == IGDPT_PCI_CLASS_DISPLAY_OTHER && !p->image)
		say(fn, opaque, "class 0x0380: Linux gives such an IGD its VFIO OpRegion region only "
				"from 6.15; on older kernels use igdpt dump and --image");
	qa_expected_messages(p, messages, sizeof(messages));
	say(fn, opaque, "%s", messages);
	if (p->req.firmware == QA_FIRMWARE_OVMF)
		say(fn, opaque, "OVMF: starts igdpt's driver from the IGD's option ROM; it reads "
				"%s, copies it below 4 GiB and writes ASLS", IGDPT_FW_CFG_OPREGION_FILE);
	else
		say(fn, opaque, "SeaBIOS (QEMU's default firmware) places %s and writes ASLS",
		    IGDPT_FW_CFG_OPREGION_FILE);
}

/* ---- QEMU command-line form ---- */

/* Lines of text ("# why", then "-option value"), or a JSON document's
 * "args" (the argv) and "comments". */
struct emit {
	const struct qa_plan *p;
	struct json_object *args, *comments;
};

static void comment(void *opaque, const char *text)
{
	const struct emit *e = opaque;

	if (e->p->req.quiet)
		return;
	if (e->comments)
		json_object_array_add(e->comments, json_object_new_string(text));
	else
		printf("# %s\n", text);
}

static void option(const struct emit *e, const char *name, const char *value)
{
	if (e->args) {
		json_object_array_add(e->args, json_object_new_string(name));
		json_object_array_add(e->args, json_object_new_string(value));
	} else {
		printf("%s %s\n", name, value);
	}
}

static void emit_qemu(const struct emit *e)
{
	const struct qa_plan *p = e->p;
	char value[PATH_MAX * 2 + 512], props[256];

	qa_explain(p, comment, (void *)e);
	if (p->addr_02)
		comment((void *)e, "-nic none: QEMU creates its default NIC at machine start in the "
				   "first free slot, 00:02.0 (q35, or i440fx without its VGA); add "
				   "yours after these options or at an address of its own");
	option(e, "-machine", p->i440fx ? "pc" : "q35");
	if (p->addr_02)
		option(e, "-nic", "none");
	if (p->req.firmware == QA_FIRMWARE_OVMF)
		option(e, "-bios", OVMF_IMAGE);
	if (p->legacy) {
		option(e, "-vga", "none");
	} else if (p->move_vga) {
		option(e, "-vga", "none");
		option(e, "-device", "VGA,addr=03.0");
	}
	qa_device_properties(p, props, sizeof(props));
	snprintf(value, sizeof(value), "vfio-pci,host=%s%s%s%s%s%s", p->dev->bdf,
		 p->addr_02 ? ",addr=02.0" : "", props[0] ? "," : "", props,
		 p->romfile ? ",romfile=" : "", p->romfile ? p->romfile_opt : "");
	option(e, "-device", value);
	if (p->image) {
		snprintf(value, sizeof(value), "name=%s,file=%s", IGDPT_FW_CFG_OPREGION_FILE,
			 p->image_opt);
		option(e, "-fw_cfg", value);
	}
}

void qa_print_qemu(const struct qa_plan *p)
{
	struct emit e = { .p = p };

	emit_qemu(&e);
}

/* The QEMU form as a document (docs/schema/qemu-args.schema.json). */
int qa_print_qemu_json(const struct qa_plan *p)
{
	struct json_object *doc = igdpt_json_document("qemu-args"), *dev, *legacy, *checks;
	struct emit e = { .p = p };
	char version[16];
	const char *prop = qa_legacy_prop_name(p->legacy_prop);

	if (!doc)
		return -ENOMEM;
	dev = json_object_new_object();
	json_object_object_add(dev, "bdf", json_object_new_string(p->dev->bdf));
	json_object_object_add(dev, "vendor", igdpt_json_hex16(p->dev->vendor));
	json_object_object_add(dev, "device", igdpt_json_hex16(p->dev->device));
	json_object_object_add(dev, "generation", p->dev->gen ? json_object_new_int(p->dev->gen) : NULL);
	json_object_object_add(dev, "platform",
			       p->dev->platform ? json_object_new_string(p->dev->platform) : NULL);
	json_object_object_add(doc, "device", dev);
	json_object_object_add(doc, "mode", json_object_new_string(p->legacy ? "legacy" : "upt"));
	snprintf(version, sizeof(version), "%d.%d", p->req.qemu / 100, p->req.qemu % 100);
	json_object_object_add(doc, "qemu_version", json_object_new_string(version));
	json_object_object_add(doc, "machine", json_object_new_string(p->i440fx ? "pc" : "q35"));
	json_object_object_add(doc, "firmware",
			       json_object_new_string(p->req.firmware == QA_FIRMWARE_OVMF ? "ovmf"
											  : "seabios"));
	json_object_object_add(doc, "image", p->image ? json_object_new_string(p->image) : NULL);
	json_object_object_add(doc, "romfile",
			       p->romfile ? json_object_new_string(p->romfile) : NULL);
	legacy = json_object_new_object();
	json_object_object_add(legacy, "property", prop ? json_object_new_string(prop) : NULL);
	json_object_object_add(legacy, "reason", json_object_new_string(p->legacy_why));
	checks = json_object_new_array();
	for (int c = 0; c < QA_CHECK_COUNT; c++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "check",
				       json_object_new_string(qa_check_name((enum qa_check)c)));
		json_object_object_add(o, "state",
				       json_object_new_string(qa_fact_name(p->checks[c].fact)));
		json_object_object_add(o, "detail", json_object_new_string(p->checks[c].detail));
		json_object_array_add(checks, o);
	}
	json_object_object_add(legacy, "checks", checks);
	json_object_object_add(doc, "legacy", legacy);
	e.args = json_object_new_array();
	e.comments = json_object_new_array();
	json_object_object_add(doc, "args", e.args);
	json_object_object_add(doc, "comments", e.comments);
	emit_qemu(&e);
	tool_print_json(stdout, doc);
	json_object_put(doc);
	return 0;
}
