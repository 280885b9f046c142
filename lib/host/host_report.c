/* SPDX-License-Identifier: MIT */
/* The readiness report as text and JSON; stable field names, no host paths
 * other than the logical ones, so golden files compare byte for byte. */
#include "host_priv.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igdpt/abi/guest.h"
#include "igdpt/abi/opregion.h"

#define MIB (1024u * 1024u)
/* VBT child device_type bits (Linux intel_vbt_defs.h DEVICE_TYPE_*). */
#define DEVICE_TYPE_INTERNAL_CONNECTOR (1u << 12)
#define DEVICE_TYPE_MIPI_OUTPUT (1u << 10)
#define DEVICE_TYPE_LVDS_SIGNALING (1u << 5)
#define DEVICE_TYPE_TMDS_DVI_SIGNALING (1u << 4)
#define DEVICE_TYPE_DISPLAYPORT_OUTPUT (1u << 2)
#define DEVICE_TYPE_ANALOG_OUTPUT (1u << 0)

static const char *port_kind(uint16_t type)
{
	if (type & DEVICE_TYPE_MIPI_OUTPUT)
		return "MIPI";
	if (type & DEVICE_TYPE_DISPLAYPORT_OUTPUT)
		return (type & DEVICE_TYPE_INTERNAL_CONNECTOR) ? "eDP" : "DP";
	if (type & DEVICE_TYPE_LVDS_SIGNALING)
		return "LVDS";
	if (type & DEVICE_TYPE_TMDS_DVI_SIGNALING)
		return "HDMI/DVI";
	if (type & DEVICE_TYPE_ANALOG_OUTPUT)
		return "VGA";
	return "other";
}

static const char *class_text(uint32_t class_code)
{
	switch (class_code >> IGDPT_PCI_CLASS_CODE_SHIFT) {
	case IGDPT_PCI_CLASS_DISPLAY_VGA:
		return "VGA, primary display";
	case IGDPT_PCI_CLASS_DISPLAY_OTHER:
		return "display, not primary";
	default:
		return "not a display";
	}
}

/* The VBT signature without its space padding. */
static void signature_text(const struct igdpt_opregion *op, char *out, size_t size)
{
	size_t n = strlen(op->vbt.signature);

	while (n && op->vbt.signature[n - 1] == ' ')
		n--;
	snprintf(out, size, "%.*s", (int)n, op->vbt.signature);
}

static const char *vbt_source_name(enum igdpt_vbt_source s)
{
	return s == IGDPT_VBT_SOURCE_RVDA ? "extended (RVDA)"
	       : s == IGDPT_VBT_SOURCE_MAILBOX4 ? "mailbox 4"
	       : "none";
}

/* A growing string; on allocation failure it goes NULL and stays NULL. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static void put(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!b->s && b->cap)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (b->s && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = (b->cap ? b->cap : 1024) + (size_t)n + 1024;
		char *s = realloc(b->s, cap);

		if (!s) {
			free(b->s);
			b->s = NULL;
			b->cap = 1;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

static void put_bridge(struct sbuf *b, const char *label, const char *where,
		       const struct igdpt_host_bridge *br)
{
	if (br->present)
		put(b, "%-14s%s %04x:%04x class 0x%06x\n", label, where, br->vendor, br->device,
		    br->class_code);
	else
		put(b, "%-14s%s absent\n", label, where);
}

/* "name, name" of the warning bits set. */
static void quirk_names(uint32_t warnings, char *out, size_t size)
{
	out[0] = 0;
	for (unsigned i = 0; i < IGDPT_WARNING_COUNT; i++) {
		size_t used = strlen(out);

		if (warnings & (1u << i))
			snprintf(out + used, size - used, "%s%s", used ? ", " : "",
				 igdpt_warning_name(1u << i));
	}
}

/* Only when the device has a "rom" attribute. */
static void put_rom(struct sbuf *b, const struct igdpt_host_rom *rom)
{
	char warn[256];

	if (!rom->present)
		return;
	if (rom->ret < 0) {
		put(b, "%-14snot read: %s\n", "ROM:", rom->error);
		return;
	}
	put(b, "%-14s%zu bytes (sysfs rom)\n", "ROM:", rom->size);
	if (rom->vbt_ret < 0) {
		put(b, "  %-12snone: %s\n", "VBT:", rom->vbt_error);
		return;
	}
	put(b, "  %-12s%s, BDB %u, %u bytes, at 0x%zx (i915's PCI ROM fallback)\n", "VBT:",
	    rom->signature, rom->bdb_version, rom->vbt_size, rom->vbt_offset);
	quirk_names(rom->warnings, warn, sizeof(warn));
	if (warn[0])
		put(b, "  %-12s%s\n", "quirks:", warn);
}

char *igdpt_host_report_text(const struct igdpt_host_report *r)
{
	const struct igdpt_host_device *d = &r->dev;
	struct sbuf b = { 0 };
	char warn[512];

	put(&b, "%-14s%s %04x:%04x", "device:", d->bdf, d->vendor, d->device);
	if (d->gen)
		put(&b, " (%s, gen %d)\n", d->platform, d->gen);
	else
		put(&b, " (unknown generation)\n");
	put(&b, "%-14s%04x:%04x\n", "subsystem:", d->subsystem_vendor, d->subsystem_device);
	put(&b, "%-14s0x%06x (%s)\n", "class:", d->class_code, class_text(d->class_code));
	put(&b, "%-14s%s\n", "driver:", d->driver[0] ? d->driver : "none");
	if (d->iommu_group >= 0) {
		put(&b, "%-14s%d:", "IOMMU group:", d->iommu_group);
		for (size_t i = 0; i < d->group_count; i++)
			put(&b, " %s%s%s%s", d->group[i].bdf, d->group[i].driver[0] ? " (" : "",
			    d->group[i].driver, d->group[i].driver[0] ? ")" : "");
		put(&b, "\n");
	} else {
		put(&b, "%-14s%s\n", "IOMMU group:", r->iommu ? "none for this device" : "none (no IOMMU)");
	}
	if (d->config_read) {
		put(&b, "%-14s0x%08x\n", "ASLS:", d->asls);
		put(&b, "%-14s0x%04x (GMS 0x%02x, stolen memory %llu MiB)\n", "GGC:", d->ggc,
		    igdpt_igd_gms(d->gen, d->ggc), (unsigned long long)(d->stolen_size / MIB));
	} else {
		put(&b, "%-14sunreadable (run as root)\n", "ASLS:");
	}
	put_bridge(&b, "host bridge:", "00:00.0", &r->host_bridge);
	put_bridge(&b, "LPC bridge:", "00:1f.0", &r->lpc_bridge);
	put(&b, "%-14s%s\n", "kernel:", r->kernel[0] ? r->kernel : "unknown");
	if (r->legacy_possible)
		put(&b, "%-14spossible (gen %d, 00:02.0, VGA class)\n", "legacy mode:", d->gen);
	else
		put(&b, "%-14snot possible: %s\n", "legacy mode:", r->legacy_reason);

	if (r->opregion_ret >= 0) {
		const struct igdpt_opregion *op = &r->op;

		put(&b, "%-14svalid, from %s (%s)\n", "OpRegion:",
		    igdpt_host_source_name(r->image.source), r->image.note);
		put(&b, "  %-12s%u.%u.%u\n", "version:", op->major, op->minor, op->revision);
		put(&b, "  %-12s%zu bytes (SIZE field %u KiB)\n", "size:", r->image.len,
		    op->size_kib);
		put(&b, "  %-12s0x%08x\n", "MBOX:", op->mbox);
		if (op->rvda)
			put(&b, "  %-12syes, %u bytes at 0x%llx%s\n", "ext. VBT:", op->rvds,
			    (unsigned long long)op->rvda, r->image.relocated ? " (relocated)" : "");
		else
			put(&b, "  %-12sno\n", "ext. VBT:");
		if (op->vbt_source != IGDPT_VBT_SOURCE_NONE) {
			char sig[sizeof(op->vbt.signature)];

			signature_text(op, sig, sizeof(sig));
			put(&b, "  %-12s%s, BDB %u, %u bytes, in %s\n", "VBT:", sig,
			    op->vbt.bdb_version, op->vbt.vbt_size, vbt_source_name(op->vbt_source));
			put(&b, "  %-12s", "ports:");
			for (size_t i = 0; i < r->port_count; i++)
				put(&b, "%s%s %s", i ? ", " : "",
				    igdpt_host_dvo_port_name(r->ports[i].dvo_port),
				    port_kind(r->ports[i].device_type));
			put(&b, "%s\n", r->port_count ? "" : "none");
		} else {
			put(&b, "  %-12snone\n", "VBT:");
		}
		quirk_names(op->warnings, warn, sizeof(warn));
		if (warn[0])
			put(&b, "  %-12s%s\n", "quirks:", warn);
	} else {
		put(&b, "%-14snot read: %s\n", "OpRegion:", r->opregion_error);
	}
	put_rom(&b, &r->rom);

	put(&b, "%-14s%s\n", "verdict:", igdpt_host_report_ready(r) ? "READY" : "NOT READY");
	for (size_t i = 0; i < r->blocker_count; i++)
		put(&b, "  blocker: %s\n", r->blockers[i]);
	for (size_t i = 0; i < r->warning_count; i++)
		put(&b, "  warning: %s\n", r->warnings[i]);
	return b.s;
}

static struct json_object *hex(unsigned width, unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%0*llx", (int)width, v);
	return json_object_new_string(buf);
}

static struct json_object *bridge_json(const struct igdpt_host_bridge *br)
{
	struct json_object *o;

	if (!br->present)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "vendor", hex(4, br->vendor));
	json_object_object_add(o, "device", hex(4, br->device));
	json_object_object_add(o, "class", hex(6, br->class_code));
	return o;
}

static struct json_object *strings(const char (*list)[IGDPT_HOST_ISSUE_SIZE], size_t n)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(list[i]));
	return a;
}

static struct json_object *opregion_json(const struct igdpt_host_report *r)
{
	const struct igdpt_opregion *op = &r->op;
	struct json_object *o = json_object_new_object(), *ports, *quirks;
	char version[16];

	json_object_object_add(o, "readable", json_object_new_boolean(r->opregion_ret >= 0));
	if (r->opregion_ret < 0) {
		json_object_object_add(o, "error", json_object_new_string(r->opregion_error));
		return o;
	}
	json_object_object_add(o, "valid", json_object_new_boolean(1));
	json_object_object_add(o, "source",
			       json_object_new_string(igdpt_host_source_name(r->image.source)));
	json_object_object_add(o, "note", json_object_new_string(r->image.note));
	snprintf(version, sizeof(version), "%u.%u.%u", op->major, op->minor, op->revision);
	json_object_object_add(o, "version", json_object_new_string(version));
	json_object_object_add(o, "size", json_object_new_int64((int64_t)r->image.len));
	json_object_object_add(o, "size_field_kib", json_object_new_int64(op->size_kib));
	json_object_object_add(o, "mbox", hex(8, op->mbox));
	json_object_object_add(o, "extended_vbt", json_object_new_boolean(op->rvda != 0));
	json_object_object_add(o, "rvda", hex(0, op->rvda));
	json_object_object_add(o, "rvds", json_object_new_int64(op->rvds));
	json_object_object_add(o, "relocated", json_object_new_boolean(r->image.relocated));
	json_object_object_add(o, "vbt_source",
			       json_object_new_string(op->vbt_source == IGDPT_VBT_SOURCE_RVDA ? "rvda"
						      : op->vbt_source == IGDPT_VBT_SOURCE_MAILBOX4
							      ? "mailbox4"
							      : "none"));
	if (op->vbt_source != IGDPT_VBT_SOURCE_NONE) {
		char sig[sizeof(op->vbt.signature)];

		signature_text(op, sig, sizeof(sig));
		json_object_object_add(o, "vbt_signature", json_object_new_string(sig));
		json_object_object_add(o, "bdb_version", json_object_new_int(op->vbt.bdb_version));
		json_object_object_add(o, "vbt_size", json_object_new_int(op->vbt.vbt_size));
	}
	ports = json_object_new_array();
	for (size_t i = 0; i < r->port_count; i++) {
		struct json_object *p = json_object_new_object();

		json_object_object_add(p, "port",
				       json_object_new_string(igdpt_host_dvo_port_name(r->ports[i].dvo_port)));
		json_object_object_add(p, "kind",
				       json_object_new_string(port_kind(r->ports[i].device_type)));
		json_object_object_add(p, "handle", hex(4, r->ports[i].handle));
		json_object_object_add(p, "device_type", hex(4, r->ports[i].device_type));
		json_object_array_add(ports, p);
	}
	json_object_object_add(o, "ports", ports);
	quirks = json_object_new_array();
	for (unsigned i = 0; i < IGDPT_WARNING_COUNT; i++)
		if (op->warnings & (1u << i))
			json_object_array_add(quirks, json_object_new_string(igdpt_warning_name(1u << i)));
	json_object_object_add(o, "quirks", quirks);
	return o;
}

/* null when the device has no "rom" attribute. */
static struct json_object *rom_json(const struct igdpt_host_rom *rom)
{
	struct json_object *o, *vbt, *quirks;
	bool found = rom->ret >= 0 && rom->vbt_ret >= 0;

	if (!rom->present)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "read", json_object_new_boolean(rom->ret >= 0));
	json_object_object_add(o, "error", rom->ret < 0 ? json_object_new_string(rom->error) : NULL);
	json_object_object_add(o, "size", rom->ret >= 0 ? json_object_new_int64((int64_t)rom->size)
						       : NULL);
	if (rom->ret < 0)
		return o;
	vbt = json_object_new_object();
	json_object_object_add(vbt, "valid", json_object_new_boolean(found));
	json_object_object_add(vbt, "reason", found ? NULL : json_object_new_string(rom->vbt_error));
	json_object_object_add(vbt, "offset", found ? json_object_new_int64((int64_t)rom->vbt_offset)
						    : NULL);
	json_object_object_add(vbt, "signature", found ? json_object_new_string(rom->signature) : NULL);
	json_object_object_add(vbt, "bdb_version", found ? json_object_new_int(rom->bdb_version) : NULL);
	json_object_object_add(vbt, "vbt_size", found ? json_object_new_int(rom->vbt_size) : NULL);
	quirks = json_object_new_array();
	for (unsigned i = 0; i < IGDPT_WARNING_COUNT; i++)
		if (rom->warnings & (1u << i))
			json_object_array_add(quirks, json_object_new_string(igdpt_warning_name(1u << i)));
	json_object_object_add(vbt, "quirks", quirks);
	json_object_object_add(o, "vbt", vbt);
	return o;
}

struct json_object *igdpt_host_report_json(const struct igdpt_host_report *r)
{
	const struct igdpt_host_device *d = &r->dev;
	struct json_object *o = json_object_new_object(), *group;

	json_object_object_add(o, "bdf", json_object_new_string(d->bdf));
	json_object_object_add(o, "vendor", hex(4, d->vendor));
	json_object_object_add(o, "device", hex(4, d->device));
	json_object_object_add(o, "subsystem_vendor", hex(4, d->subsystem_vendor));
	json_object_object_add(o, "subsystem_device", hex(4, d->subsystem_device));
	json_object_object_add(o, "class", hex(6, d->class_code));
	json_object_object_add(o, "generation", d->gen ? json_object_new_int(d->gen) : NULL);
	json_object_object_add(o, "platform", d->platform ? json_object_new_string(d->platform) : NULL);
	json_object_object_add(o, "driver", d->driver[0] ? json_object_new_string(d->driver) : NULL);
	json_object_object_add(o, "iommu", json_object_new_boolean(r->iommu));
	json_object_object_add(o, "iommu_group",
			       d->iommu_group >= 0 ? json_object_new_int(d->iommu_group) : NULL);
	group = json_object_new_array();
	for (size_t i = 0; i < d->group_count; i++) {
		struct json_object *m = json_object_new_object();

		json_object_object_add(m, "bdf", json_object_new_string(d->group[i].bdf));
		json_object_object_add(m, "driver", d->group[i].driver[0]
							    ? json_object_new_string(d->group[i].driver)
							    : NULL);
		json_object_array_add(group, m);
	}
	json_object_object_add(o, "iommu_group_members", group);
	json_object_object_add(o, "config_readable", json_object_new_boolean(d->config_read));
	json_object_object_add(o, "asls", d->config_read ? hex(8, d->asls) : NULL);
	json_object_object_add(o, "ggc", d->config_read ? hex(4, d->ggc) : NULL);
	json_object_object_add(o, "stolen_size",
			       d->config_read ? json_object_new_int64((int64_t)d->stolen_size) : NULL);
	json_object_object_add(o, "host_bridge", bridge_json(&r->host_bridge));
	json_object_object_add(o, "lpc_bridge", bridge_json(&r->lpc_bridge));
	json_object_object_add(o, "kernel", r->kernel[0] ? json_object_new_string(r->kernel) : NULL);
	json_object_object_add(o, "legacy_possible", json_object_new_boolean(r->legacy_possible));
	json_object_object_add(o, "legacy_reason", r->legacy_possible
							    ? NULL
							    : json_object_new_string(r->legacy_reason));
	json_object_object_add(o, "opregion", opregion_json(r));
	json_object_object_add(o, "rom", rom_json(&r->rom));
	json_object_object_add(o, "ready", json_object_new_boolean(igdpt_host_report_ready(r)));
	json_object_object_add(o, "blockers", strings(r->blockers, r->blocker_count));
	json_object_object_add(o, "warnings", strings(r->warnings, r->warning_count));
	return o;
}
