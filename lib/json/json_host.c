/* SPDX-License-Identifier: MIT */
/* The readiness report as JSON: the same facts as the text report
 * (lib/host/host_report.c), in the dialect's spellings. */
#include "json_host.h"

#include <stdio.h>

#include "igdpt/abi/guest.h"
#include "json_image.h"
#include "json_out.h"

/* A 24-bit sysfs class code as the dialect's 16-bit class id (0x0300). */
static struct json_object *class_id(uint32_t class_code)
{
	return igdpt_json_hex16((uint16_t)(class_code >> IGDPT_PCI_CLASS_CODE_SHIFT));
}

static struct json_object *bridge_json(const struct igdpt_host_bridge *br)
{
	struct json_object *o;

	if (!br->present)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "vendor", igdpt_json_hex16(br->vendor));
	json_object_object_add(o, "device", igdpt_json_hex16(br->device));
	json_object_object_add(o, "class", class_id(br->class_code));
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
	struct json_object *o = json_object_new_object(), *ports;

	json_object_object_add(o, "readable", json_object_new_boolean(r->opregion_ret >= 0));
	if (r->opregion_ret < 0) {
		json_object_object_add(o, "error", json_object_new_string(r->opregion_error));
		return o;
	}
	json_object_object_add(o, "valid", json_object_new_boolean(1));
	json_object_object_add(o, "source",
			       json_object_new_string(igdpt_host_source_name(r->image.source)));
	json_object_object_add(o, "note", json_object_new_string(r->image.note));
	json_object_object_add(o, "relocated", json_object_new_boolean(r->image.relocated));
	json_object_object_add(o, "extended_vbt", json_object_new_boolean(op->rvda != 0));
	igdpt_json_opregion_facts(o, op, r->image.len);
	ports = json_object_new_array();
	for (size_t i = 0; i < r->port_count; i++) {
		struct json_object *p = json_object_new_object();

		json_object_object_add(p, "port", json_object_new_string(r->ports[i].name));
		json_object_object_add(p, "kind", json_object_new_string(r->ports[i].kind));
		json_object_object_add(p, "handle", igdpt_json_hex16(r->ports[i].handle));
		json_object_object_add(p, "device_type", igdpt_json_hex16(r->ports[i].device_type));
		json_object_array_add(ports, p);
	}
	json_object_object_add(o, "ports", ports);
	return o;
}

/* The device's PCI ROM (lib/host/host_rom.c); null when the device has no
 * "rom" attribute. */
static struct json_object *rom_json(const struct igdpt_host_rom *rom)
{
	struct json_object *o, *vbt;
	bool found = rom->ret >= 0 && rom->vbt_ret >= 0;

	if (!rom->present)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "read", json_object_new_boolean(rom->ret >= 0));
	json_object_object_add(o, "error", rom->ret < 0 ? json_object_new_string(rom->error) : NULL);
	json_object_object_add(o, "size",
			       rom->ret >= 0 ? json_object_new_int64((int64_t)rom->size) : NULL);
	if (rom->ret < 0)
		return o;
	vbt = json_object_new_object();
	json_object_object_add(vbt, "valid", json_object_new_boolean(found));
	json_object_object_add(vbt, "reason", found ? NULL : json_object_new_string(rom->vbt_error));
	json_object_object_add(vbt, "vbt_offset",
			       found ? json_object_new_int64((int64_t)rom->vbt_offset) : NULL);
	json_object_object_add(vbt, "vbt_signature",
			       found ? json_object_new_string(rom->signature) : NULL);
	json_object_object_add(vbt, "bdb_version",
			       found ? json_object_new_int(rom->bdb_version) : NULL);
	json_object_object_add(vbt, "vbt_size", found ? json_object_new_int(rom->vbt_size) : NULL);
	json_object_object_add(vbt, IGDPT_JSON_KEY_WARNINGS, igdpt_json_warnings(rom->warnings));
	json_object_object_add(o, "vbt", vbt);
	return o;
}

static struct json_object *string_or_null(const char *s)
{
	return s[0] ? json_object_new_string(s) : NULL;
}

/* What users trip on (lib/host/host_framebuffer.c, host_persist.c,
 * host_system.c). */
static void pitfalls_json(struct json_object *o, const struct igdpt_host_report *r)
{
	struct json_object *fbs = json_object_new_array(), *drivers = json_object_new_array();
	struct json_object *bits = json_object_new_object(), *vfio = json_object_new_object();
	char node[64];

	for (size_t i = 0; i < r->framebuffer_count; i++) {
		struct json_object *fb = json_object_new_object();

		json_object_object_add(fb, "name", json_object_new_string(r->framebuffers[i].name));
		json_object_object_add(fb, "start", igdpt_json_address(r->framebuffers[i].start));
		json_object_object_add(fb, "end", igdpt_json_address(r->framebuffers[i].end));
		json_object_object_add(fb, "bar", json_object_new_int(r->framebuffers[i].bar));
		json_object_array_add(fbs, fb);
	}
	for (size_t i = 0; i < r->fb_driver_count; i++)
		json_object_array_add(drivers, json_object_new_string(r->fb_drivers[i]));
	json_object_object_add(o, "framebuffers", fbs);
	json_object_object_add(o, "framebuffer_drivers", drivers);
	json_object_object_add(o, "iomem_hidden", json_object_new_boolean(r->iomem_hidden));
	json_object_object_add(o, "driver_override", string_or_null(r->driver_override));
	json_object_object_add(o, "boot_binding", string_or_null(r->persistent_binding));
	json_object_object_add(o, "sriov_physfn", r->is_vf ? json_object_new_string(r->physfn) : NULL);
	json_object_object_add(bits, "cpu", r->cpu_phys_bits ? json_object_new_int(r->cpu_phys_bits)
							      : NULL);
	json_object_object_add(bits, "iommu", r->iommu_addr_bits
						      ? json_object_new_int(r->iommu_addr_bits) : NULL);
	json_object_object_add(o, "address_bits", bits);
	snprintf(node, sizeof(node), "/dev/vfio/%d", r->dev.iommu_group);
	json_object_object_add(vfio, "group", r->vfio_group_node ? json_object_new_string(node) : NULL);
	snprintf(node, sizeof(node), "/dev/vfio/devices/%s", r->vfio_cdev);
	json_object_object_add(vfio, "cdev", r->vfio_cdev[0] ? json_object_new_string(node) : NULL);
	json_object_object_add(vfio, "cdev_node", json_object_new_boolean(r->vfio_cdev_node));
	json_object_object_add(vfio, "iommufd", json_object_new_boolean(r->iommufd));
	json_object_object_add(o, "vfio", vfio);
}

struct json_object *igdpt_json_host_report(const struct igdpt_host_report *r)
{
	const struct igdpt_host_device *d = &r->dev;
	struct json_object *o = json_object_new_object(), *group;

	if (!o)
		return NULL;
	json_object_object_add(o, "bdf", json_object_new_string(d->bdf));
	json_object_object_add(o, "vendor", igdpt_json_hex16(d->vendor));
	json_object_object_add(o, "device", igdpt_json_hex16(d->device));
	json_object_object_add(o, "subsystem_vendor", igdpt_json_hex16(d->subsystem_vendor));
	json_object_object_add(o, "subsystem_device", igdpt_json_hex16(d->subsystem_device));
	json_object_object_add(o, "class", class_id(d->class_code));
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
	json_object_object_add(o, "asls", d->config_read ? igdpt_json_address(d->asls) : NULL);
	json_object_object_add(o, "ggc", d->config_read ? igdpt_json_hex16(d->ggc) : NULL);
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
	pitfalls_json(o, r);
	json_object_object_add(o, "ready", json_object_new_boolean(igdpt_host_report_ready(r)));
	json_object_object_add(o, "blockers", strings(r->blockers, r->blocker_count));
	json_object_object_add(o, "cautions", strings(r->cautions, r->caution_count));
	return o;
}
