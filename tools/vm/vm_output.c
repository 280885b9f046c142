/* SPDX-License-Identifier: MIT */
/* igdpt vm's text and JSON output (see vm_output.h). */
#include "vm_output.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "igdpt/abi/events.h"
#include "igdpt/abi/guest.h"
#include "json_out.h"
#include "tool_util.h"
#include "vm_log_probe.h"
#include "vm_transport.h"

#define STAGE_NAME_WIDTH 21
#define INDENT "       "

void vm_output_header(FILE *out, const struct vm_options *o, const struct vm_image *img)
{
	const struct vm_linux_kernel *k = o->kernel ? vm_linux_kernel_find(o->kernel) : NULL;

	fprintf(out, "igdpt vm: %s%s%s, %s, generation %u, class 0x%04x, strategy %s, %u MiB RAM, "
		     "%s%s; stack %s%s%s\n",
		o->firmware != VM_FIRMWARE_OVMF		      ? "seabios"
		: o->efi_delivery == VM_EFI_DELIVERY_ROM ? "ovmf + igdpt-efi (option ROM)"
							 : "ovmf + igdpt-efi (boot volume)",
		o->guest == VM_GUEST_LINUX && k ? " + " : "",
		o->guest == VM_GUEST_LINUX && k ? k->what : "", o->machine, o->generation,
		o->pci_class, igdpt_vmm_strategy_name(o->strategy), o->memory_mib,
		o->source == VM_SOURCE_NONE ? "no OpRegion" : img->source,
		o->stolen_size ? ", stolen memory requested" : "",
		o->stack ? o->stack : VM_STACK_DEFAULT,
		o->transport != VM_TRANSPORT_AUTO ? ", igdpt-device over " : "",
		o->transport != VM_TRANSPORT_AUTO ? vm_transport_name(o->transport) : "");
}

static const char *state_tag(enum vm_stage_state s)
{
	switch (s) {
	case VM_STATE_OK:
		return "[ ok ]";
	case VM_STATE_FAIL:
		return "[FAIL]";
	case VM_STATE_SKIPPED:
		return "[skip]";
	default:
		return "[ -- ]";
	}
}

static const char *stage_detail(const struct vm_stage *s)
{
	return s->detail[0] ? s->detail : "not run";
}

void vm_output_stage(FILE *out, const struct vm_report *r, enum vm_stage_id id)
{
	fprintf(out, "%s %-*s %s\n", state_tag(r->stages[id].state), STAGE_NAME_WIDTH,
		vm_stage_name(id), stage_detail(&r->stages[id]));
}

void vm_output_progress(FILE *out, double elapsed, const struct vm_device_log *dev)
{
	char what[96];

	if (dev->asls_writes)
		snprintf(what, sizeof(what), "the firmware wrote ASLS 0x%08" PRIx64, dev->asls_value);
	else if (dev->sysmem)
		snprintf(what, sizeof(what), "the device sees guest RAM; waiting for the firmware");
	else
		snprintf(what, sizeof(what), "waiting for QEMU to map guest RAM");
	/* \r and erase-line: the line is rewritten in place. */
	fprintf(out, "\r\033[K" INDENT "QEMU running, %.0f s: %s", elapsed, what);
	fflush(out);
}

void vm_output_progress_clear(FILE *out)
{
	fputs("\r\033[K", out);
	fflush(out);
}

void vm_output_footer(FILE *out, const struct vm_options *o, const struct vm_report *r,
		      const struct vm_evidence *ev, bool passed)
{
	if (r->note[0])
		fprintf(out, INDENT "%s\n", r->note);
	if (!passed && ev->qemu_stderr_tail[0] &&
	    r->stages[VM_STAGE_VERDICT].state == VM_STATE_FAIL)
		fprintf(out, INDENT "QEMU stderr: %s\n", ev->qemu_stderr_tail);
	if (o->keep_logs)
		fprintf(out, INDENT "logs kept in %s\n", o->keep_logs);
	fprintf(out, "verdict: %s\n", passed ? "pass" : "fail");
}

/* ---- JSON ----------------------------------------------------------------- */

static void add(struct json_object *obj, const char *key, struct json_object *value)
{
	json_object_object_add(obj, key, value);
}

static void add_string(struct json_object *obj, const char *key, const char *value)
{
	add(obj, key, json_object_new_string(value));
}

static void add_bool(struct json_object *obj, const char *key, bool value)
{
	add(obj, key, json_object_new_boolean(value));
}

/* A value the device logged as "0x..." in the dialect's spelling. */
static void add_hex16_text(struct json_object *obj, const char *key, const char *text)
{
	uint64_t v;

	if (tool_parse_u64(text, UINT16_MAX, &v) == 0)
		add(obj, key, igdpt_json_hex16((uint16_t)v));
}

static void add_hex8_text(struct json_object *obj, const char *key, const char *text)
{
	uint64_t v;

	if (tool_parse_u64(text, UINT8_MAX, &v) == 0)
		add(obj, key, igdpt_json_hex8((uint8_t)v));
}

static struct json_object *stages_json(const struct vm_report *r)
{
	struct json_object *arr = json_object_new_array();

	for (unsigned i = 0; i < r->count; i++) {
		struct json_object *s = json_object_new_object();
		enum vm_stage_state st = r->stages[i].state;

		add_string(s, "name", vm_stage_name((enum vm_stage_id)i));
		add_bool(s, "ok", vm_stage_holds(st));
		add_string(s, "state", vm_stage_state_name(st));
		add_string(s, "detail", stage_detail(&r->stages[i]));
		json_object_array_add(arr, s);
	}
	return arr;
}

static struct json_object *device_log_json(const struct vm_device_log *log)
{
	struct json_object *obj = json_object_new_object();
	struct json_object *events = json_object_new_object();

	for (unsigned i = 0; i < log->nkinds; i++)
		add(events, log->kinds[i].name, json_object_new_int((int)log->kinds[i].count));
	add(obj, "events", events);
	add(obj, "lines", json_object_new_int((int)log->lines));
	add(obj, "bad_lines", json_object_new_int((int)log->bad_lines));
	if (log->started) {
		struct json_object *start = json_object_new_object();

		add_hex16_text(start, IGDPT_EV_DEVICE_ID, log->device_id);
		add(start, IGDPT_EV_GENERATION, json_object_new_int(log->generation));
		add_hex16_text(start, IGDPT_EV_CLASS, log->pci_class);
		add_string(start, IGDPT_EV_STRATEGY, log->strategy);
		add_hex8_text(start, IGDPT_EV_BDSM_REGISTER, log->bdsm_register_at_start);
		if (log->image_size >= 0)
			add(start, IGDPT_EV_IMAGE_SIZE, json_object_new_int64(log->image_size));
		add(obj, IGDPT_EV_START, start);
	}
	if (log->asls_writes) {
		struct json_object *w = json_object_new_object();

		add(w, "count", json_object_new_int((int)log->asls_writes));
		add(w, IGDPT_EV_VALUE, igdpt_json_hex32((uint32_t)log->asls_value));
		add_string(w, IGDPT_EV_GUEST_COPY, log->asls_guest_copy);
		/* An offset into the image: a number, as every offset is. */
		if (log->asls_has_differs_at)
			add(w, IGDPT_EV_DIFFERS_AT, json_object_new_int64((int64_t)log->asls_differs_at));
		add(obj, IGDPT_EV_ASLS_WRITE, w);
	}
	if (log->bdsm_writes) {
		struct json_object *w = json_object_new_object();
		uint64_t reg = 0;

		add(w, "count", json_object_new_int((int)log->bdsm_writes));
		add_hex8_text(w, IGDPT_EV_REGISTER, log->bdsm_register);
		/* A register's value has the register's width (docs/json.md). */
		tool_parse_u64(log->bdsm_register, UINT8_MAX, &reg);
		add(w, IGDPT_EV_VALUE, reg == IGDPT_PCI_BDSM64_OFFSET
					       ? igdpt_json_hex64(log->bdsm_value)
					       : igdpt_json_hex32((uint32_t)log->bdsm_value));
		add(obj, IGDPT_EV_BDSM_WRITE, w);
	}
	if (log->protocol_errors)
		add_string(obj, IGDPT_EV_PROTOCOL_ERROR, log->protocol_error);
	if (log->final) {
		struct json_object *f = json_object_new_object();

		add(f, IGDPT_EV_ASLS, igdpt_json_hex32((uint32_t)log->final_asls));
		add_string(f, IGDPT_EV_GUEST_COPY, log->final_guest_copy);
		if (log->final_has_unchanged)
			add_bool(f, IGDPT_EV_HOST_IMAGE_UNCHANGED, log->final_host_image_unchanged);
		add(obj, IGDPT_EV_FINAL, f);
	}
	return obj;
}

struct json_object *vm_output_i915_json(const struct vm_i915_log *log)
{
	struct json_object *o = json_object_new_object();
	struct json_object *mb = json_object_new_object();
	struct json_object *ports = json_object_new_array();
	struct json_object *problems = json_object_new_array();
	struct json_object *explained = json_object_new_array();
	struct json_object *tries = json_object_new_array();
	char buf[40];

	add_string(o, "driver", "i915");
	add_string(o, "verdict", igdpt_probe_i915_name(vm_i915_verdict(log)));
	add_bool(o, "loaded", log->loaded);
	if (log->has_opregion_addr)
		add(o, "opregion_addr", igdpt_json_address(log->opregion_addr));
	if (log->has_version) {
		snprintf(buf, sizeof(buf), "%u.%u.%u", log->major, log->minor, log->revision);
		add_string(o, "version", buf);
	}
	add_bool(mb, "public_acpi", log->public_acpi);
	add_bool(mb, "swsci", log->swsci);
	add_bool(mb, "swsci_timeout", log->swsci_timeout);
	add_bool(mb, "swsci_ignored", log->swsci_ignored);
	add_bool(mb, "backlight", log->backlight_mbox);
	add_bool(mb, "asle", log->asle);
	add_bool(mb, "asle_ext", log->asle_ext);
	add(o, "mailboxes", mb);
	add_string(o, "vbt_source", vm_i915_vbt_source_name(log->vbt_source));
	for (unsigned i = 0; i < log->ntries; i++) {
		struct json_object *t = json_object_new_object();

		add_string(t, "source", vm_i915_vbt_source_name(log->tries[i].source));
		add_string(t, "result", vm_i915_vbt_result_name(log->tries[i].result));
		if (log->tries[i].reason[0])
			add_string(t, "reason", log->tries[i].reason);
		json_object_array_add(tries, t);
	}
	add(o, "vbt_sources", tries);
	if (!vm_i915_vbt_in_opregion(log->vbt_source)) {
		char story[VM_I915_TRIES * (VM_I915_REASON + 40)];

		vm_i915_vbt_story(log, story, sizeof(story));
		add_string(o, "vbt_reason", story);
	}
	if (log->vbt_signature[0])
		add_string(o, "vbt_signature", log->vbt_signature);
	if (log->bdb_version >= 0)
		add(o, "bdb_version", json_object_new_int(log->bdb_version));
	for (unsigned i = 0; i < log->nports; i++) {
		snprintf(buf, sizeof(buf), "%c", log->ports[i]);
		json_object_array_add(ports, json_object_new_string(buf));
	}
	add(o, "vbt_ports", ports);
	add(o, "outputs", json_object_new_int(log->outputs));
	add(o, "warnings", json_object_new_int((int)log->warnings));
	add(o, "errors", json_object_new_int((int)log->errors));
	add(o, "unexplained", json_object_new_int((int)vm_i915_unexplained(log)));
	for (unsigned i = 0; i < log->nproblems; i++) {
		const struct vm_i915_problem *pr = &log->problems[i];

		json_object_array_add(problems, json_object_new_string(pr->line));
		if (pr->because[0]) {
			struct json_object *e = json_object_new_object();

			add_string(e, "line", pr->line);
			add_string(e, "because", pr->because);
			json_object_array_add(explained, e);
		}
	}
	add(o, "problems", problems);
	add(o, "explained", explained);
	return o;
}

/* --guest linux: what i915 logged and what it wrote into its copy. */
static struct json_object *guest_driver_json(const struct vm_linux_result *lr)
{
	struct json_object *o = vm_output_i915_json(&lr->i915);

	add(o, IGDPT_EV_OPREGION_WRITES,
	    lr->writes ? json_object_get(lr->writes) : json_object_new_array());
	return o;
}

/* --firmware ovmf: the files booted and what igdpt-efi said. */
static struct json_object *ovmf_json(const struct vm_programs *p, const struct vm_ovmf_log *l)
{
	struct json_object *obj = json_object_new_object();
	struct json_object *driver = json_object_new_object();

	add_string(obj, "code", p->ovmf_code);
	add_string(obj, "esp_image", p->esp);
	if (p->stack.ovmf_version[0])
		add_string(obj, "version", p->stack.ovmf_version);
	add_bool(driver, "ran", l->driver_ran);
	add_bool(driver, "opregion_placed", l->opregion_placed);
	if (l->opregion_placed)
		add(driver, "asls", igdpt_json_hex32((uint32_t)l->asls));
	add_bool(driver, "stolen_placed", l->stolen_placed);
	if (l->stolen_placed)
		add(driver, "bdsm", igdpt_json_address(l->bdsm));
	if (l->refusal[0])
		add_string(driver, "refusal", l->refusal);
	if (l->invalid[0])
		add_string(driver, "invalid", l->invalid);
	add_bool(driver, "next_stage_started", l->next_stage_started);
	add_bool(driver, "from_rom", l->from_rom);
	if (l->from_rom)
		add_string(driver, "rom_of", l->rom_bdf);
	add(obj, "driver", driver);
	return obj;
}

static struct json_object *proc_json(const struct vm_proc *p)
{
	struct json_object *obj = json_object_new_object();
	char status[96];

	vm_proc_status_text(p, status, sizeof(status));
	add_string(obj, "status", status);
	if (p->exited)
		add(obj, "exit_code", json_object_new_int(p->exit_code));
	if (p->signal)
		add(obj, "signal", json_object_new_int(p->signal));
	add(obj, "cpu_seconds", json_object_new_double(vm_proc_cpu_seconds(p)));
	/* getrusage of this child alone (wait4): its peak resident set. */
	add(obj, "max_rss_kib", json_object_new_int64(p->ru.ru_maxrss));
	add(obj, "wall_seconds", json_object_new_double(p->t_end - p->t_start));
	return obj;
}

int vm_output_json(FILE *out, const struct vm_options *o, const struct vm_report *r,
		   const struct vm_image *img, const struct vm_programs *p,
		   const struct vm_evidence *ev, bool passed)
{
	struct json_object *doc = igdpt_json_document("vm");
	struct json_object *image;
	uint64_t asls = 0;

	if (!doc)
		return -ENOMEM;
	add_string(doc, "verdict", passed ? "pass" : "fail");
	/* What the guest reads; the device's view when the guest said nothing. */
	if (!vm_json_hex(ev->probe, VM_PROBE_KEY_ASLS, &asls) && ev->dev.asls_writes)
		asls = ev->dev.asls_value;
	add(doc, "asls", igdpt_json_hex32((uint32_t)asls));
	add_string(doc, "expected", o->source == VM_SOURCE_NONE ? "no-opregion" : "opregion");
	add_string(doc, "firmware", vm_firmware_name(o->firmware));
	add_string(doc, "guest", vm_guest_name(o->guest));
	add_string(doc, "machine", o->machine);
	add_string(doc, "stack", o->stack ? o->stack : VM_STACK_DEFAULT);
	if (p->qemu_version[0])
		add_string(doc, "qemu_version", p->qemu_version);
	if (o->transport != VM_TRANSPORT_AUTO)
		add_string(doc, "transport", vm_transport_name(o->transport));
	if (o->firmware == VM_FIRMWARE_OVMF)
		add_string(doc, "efi_delivery", vm_efi_delivery_name(o->efi_delivery));
	add(doc, "generation", json_object_new_int((int)o->generation));
	add(doc, "class", igdpt_json_hex16((uint16_t)o->pci_class));
	add_string(doc, "strategy", igdpt_vmm_strategy_name(o->strategy));
	add(doc, "stolen_size", json_object_new_int64((int64_t)o->stolen_size));
	add(doc, "memory_mib", json_object_new_int((int)o->memory_mib));
	image = json_object_new_object();
	add_string(image, "source", o->source == VM_SOURCE_NONE ? "none" : img->source);
	add(image, "size", json_object_new_int64((int64_t)img->published_len));
	add(doc, "image", image);
	if (img->rom.given) {
		struct json_object *rom = json_object_new_object();

		add_string(rom, "file", img->rom.file);
		add(rom, "size", json_object_new_int64((int64_t)img->rom.len));
		add_bool(rom, "vbt", vm_rom_has_vbt(&img->rom));
		if (vm_rom_has_vbt(&img->rom)) {
			add(rom, "vbt_offset", json_object_new_int64((int64_t)img->rom.vbt.offset));
			add(rom, "bdb_version", json_object_new_int(img->rom.vbt.vbt.bdb_version));
		} else {
			add_string(rom, "reason", img->rom.diag.reason ? img->rom.diag.reason : "");
		}
		add(doc, "rom", rom);
	}
	add(doc, "stages", stages_json(r));
	if (r->note[0])
		add_string(doc, "note", r->note);
	add(doc, "probe", ev->probe ? json_object_get(ev->probe) : NULL);
	if (o->guest == VM_GUEST_LINUX) {
		if (o->kernel)
			add_string(doc, "guest_kernel", o->kernel);
		add(doc, "guest_driver", guest_driver_json(&ev->linux_evidence));
	}
	if (o->firmware == VM_FIRMWARE_OVMF) {
		add(doc, "ovmf", ovmf_json(p, &ev->ovmf));
	} else {
		struct json_object *seabios = json_object_new_object();

		add_string(seabios, "version", ev->seabios.version);
		if (p->stack.seabios_version[0])
			add_string(seabios, "package_version", p->stack.seabios_version);
		add(doc, "seabios", seabios);
	}
	add(doc, "device_log", device_log_json(&ev->dev));
	if (ev->ran) {
		add(doc, "qemu", proc_json(&ev->qemu));
		add(doc, "device", proc_json(&ev->device));
	}
	add_bool(doc, "timed_out", ev->timed_out);
	if (o->keep_logs)
		add_string(doc, "logs", o->keep_logs);
	tool_print_json(out, doc);
	json_object_put(doc);
	return 0;
}
