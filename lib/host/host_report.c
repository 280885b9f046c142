/* SPDX-License-Identifier: MIT */
/* The readiness report as text (lib/json/json_host.c renders it as JSON):
 * stable labels, no host paths other than the logical ones, so golden files
 * compare byte for byte. */
#include "host_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igdpt/abi/guest.h"
#include "igdpt/abi/opregion.h"

#define MIB (1024u * 1024u)

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
	if (igdpt_warning_list(rom->warnings, warn, sizeof(warn)))
		put(b, "  %-12s%s\n", "warnings:", warn);
}

/* What users trip on: boot framebuffers, the binding at boot, a VF, the
 * address bits, the VFIO interfaces. */
static void put_pitfalls(struct sbuf *b, const struct igdpt_host_report *r)
{
	const struct igdpt_host_device *d = &r->dev;

	for (size_t i = 0; i < r->framebuffer_count; i++)
		put(b, "%-14s%s at 0x%llx-0x%llx, inside BAR%d\n", "framebuffer:",
		    r->framebuffers[i].name, (unsigned long long)r->framebuffers[i].start,
		    (unsigned long long)r->framebuffers[i].end, r->framebuffers[i].bar);
	for (size_t i = 0; i < r->fb_driver_count; i++)
		put(b, "%-14s%s bound%s\n", "fb driver:", r->fb_drivers[i],
		    r->iomem_hidden ? " (/proc/iomem hidden: not root)" : "");
	put(b, "%-14s", "boot binding:");
	if (r->persistent_binding[0])
		put(b, "vfio-pci ids in %s", r->persistent_binding);
	else
		put(b, "none");
	if (r->driver_override[0])
		put(b, "; driver_override %s", r->driver_override);
	put(b, "\n");
	if (r->is_vf)
		put(b, "%-14svirtual function of %s\n", "SR-IOV:", r->physfn);
	if (r->cpu_phys_bits || r->iommu_addr_bits) {
		put(b, "%-14s", "address bits:");
		if (r->cpu_phys_bits)
			put(b, "CPU %d", r->cpu_phys_bits);
		if (r->iommu_addr_bits)
			put(b, "%sIOMMU %d", r->cpu_phys_bits ? ", " : "", r->iommu_addr_bits);
		put(b, "\n");
	}
	put(b, "%-14s", "VFIO:");
	if (r->vfio_group_node)
		put(b, "group /dev/vfio/%d", d->iommu_group);
	if (r->vfio_cdev[0])
		put(b, "%scdev /dev/vfio/devices/%s%s", r->vfio_group_node ? ", " : "", r->vfio_cdev,
		    r->vfio_cdev_node ? "" : " (no node)");
	if (r->iommufd)
		put(b, "%s/dev/iommu", r->vfio_group_node || r->vfio_cdev[0] ? ", " : "");
	put(b, "%s\n", r->vfio_group_node || r->vfio_cdev[0] || r->iommufd ? "" : "no device node");
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
				put(&b, "%s%s %s", i ? ", " : "", r->ports[i].name, r->ports[i].kind);
			put(&b, "%s\n", r->port_count ? "" : "none");
		} else {
			put(&b, "  %-12snone\n", "VBT:");
		}
		if (igdpt_warning_list(op->warnings, warn, sizeof(warn)))
			put(&b, "  %-12s%s\n", "warnings:", warn);
	} else {
		put(&b, "%-14snot read: %s\n", "OpRegion:", r->opregion_error);
	}
	put_rom(&b, &r->rom);
	put_pitfalls(&b, r);

	put(&b, "%-14s%s\n", "verdict:", igdpt_host_report_ready(r) ? "READY" : "NOT READY");
	for (size_t i = 0; i < r->blocker_count; i++)
		put(&b, "  blocker: %s\n", r->blockers[i]);
	for (size_t i = 0; i < r->caution_count; i++)
		put(&b, "  caution: %s\n", r->cautions[i]);
	return b.s;
}
