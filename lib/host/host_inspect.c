/* SPDX-License-Identifier: MIT */
/* Is this host ready to assign its IGD? Facts, blockers and how to fix them.
 *
 * A blocker is something that stops vfio-pci assignment with the host's
 * OpRegion (the conditions of Linux vfio_pci_igd.c and QEMU hw/vfio/igd.c);
 * a caution is something that works around it or only limits the choice of
 * mode. Each message says
 * what, where and the command that fixes it, in host paths (never the root).
 */
#include "host_priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "igdpt/abi/guest.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/abi/vbt_blocks.h"
#include "igdpt/core/bytes.h"

#include "../io/diag_message.h"

/* Linux gave class 0x0380 IGDs an OpRegion region from 6.15 (41112160ca87). */
#define KERNEL_DISPLAY_CLASS_MAJOR 6
#define KERNEL_DISPLAY_CLASS_MINOR 15

void host_issue(struct igdpt_host_report *r, bool blocker, const char *fmt, ...)
{
	char (*list)[IGDPT_HOST_ISSUE_SIZE] = blocker ? r->blockers : r->cautions;
	size_t *count = blocker ? &r->blocker_count : &r->caution_count;
	va_list ap;

	if (*count >= IGDPT_HOST_ISSUE_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(list[*count], IGDPT_HOST_ISSUE_SIZE, fmt, ap);
	va_end(ap);
	(*count)++;
}

/* What kind of output a child device is, from its device_type bits. */
static const char *port_kind(uint16_t type)
{
	if (type & IGDPT_DEVICE_TYPE_MIPI_OUTPUT)
		return "MIPI";
	if (type & IGDPT_DEVICE_TYPE_DISPLAYPORT_OUTPUT)
		return (type & IGDPT_DEVICE_TYPE_INTERNAL_CONNECTOR) ? "eDP" : "DP";
	if (type & IGDPT_DEVICE_TYPE_LVDS_SIGNALING)
		return "LVDS";
	if (type & IGDPT_DEVICE_TYPE_TMDS_DVI_SIGNALING)
		return "HDMI/DVI";
	if (type & IGDPT_DEVICE_TYPE_ANALOG_OUTPUT)
		return "VGA";
	return "other";
}

static bool has_iommu(const struct igdpt_host_ctx *ctx)
{
	char **names;
	int n = host_list_dir(ctx, "/sys/kernel/iommu_groups", &names);

	if (n > 0)
		host_names_free(names, n);
	return n > 0;
}

static void read_bridge(const struct igdpt_host_ctx *ctx, unsigned domain, unsigned dev,
			struct igdpt_host_bridge *bridge)
{
	unsigned long v;
	char bdf[IGDPT_HOST_BDF_SIZE];

	memset(bridge, 0, sizeof(*bridge));
	snprintf(bdf, sizeof(bdf), "%04x:00:%02x.0", domain, dev);
	if (host_read_number(ctx, &v, "/sys/bus/pci/devices/%s/vendor", bdf) < 0)
		return;
	bridge->present = true;
	bridge->vendor = (uint16_t)v;
	if (host_read_number(ctx, &v, "/sys/bus/pci/devices/%s/device", bdf) == 0)
		bridge->device = (uint16_t)v;
	if (host_read_number(ctx, &v, "/sys/bus/pci/devices/%s/class", bdf) == 0)
		bridge->class_code = (uint32_t)v;
}

static bool kernel_at_least(const char *release, int major, int minor)
{
	int a = 0, b = 0;

	if (sscanf(release, "%d.%d", &a, &b) != 2)
		return true; /* unknown: do not warn on a guess */
	return a > major || (a == major && b >= minor);
}

static bool at_primary_address(const struct igdpt_pci_addr *a)
{
	return a->domain == 0 && a->bus == 0 && a->dev == IGDPT_IGD_DEVFN_DEVICE && a->fn == 0;
}

int igdpt_host_legacy_check(const struct igdpt_host_device *d, struct igdpt_diag *diag)
{
	if (d->gen < IGDPT_IGD_LEGACY_GEN_MIN || d->gen > IGDPT_IGD_LEGACY_GEN_MAX) {
		if (!d->gen)
			return diag_failf(diag, -EINVAL, "legacy mode needs a gen 6-9 IGD",
					  "unknown generation: QEMU allows legacy mode for gen 6-9 only");
		return diag_failf(diag, -EINVAL, "legacy mode needs a gen 6-9 IGD",
				  "gen %d: QEMU allows legacy mode for gen 6-9 only", d->gen);
	}
	if (!at_primary_address(&d->addr))
		return diag_failf(diag, -EINVAL, "legacy mode needs the IGD at 00:02.0",
				  "the IGD is at %s, not 00:02.0", d->bdf);
	if ((d->class_code >> IGDPT_PCI_CLASS_CODE_SHIFT) != IGDPT_PCI_CLASS_DISPLAY_VGA)
		return diag_failf(diag, -EINVAL, "legacy mode needs a VGA-class (0x0300) IGD",
				  "class 0x%04x is not VGA (0x0300): the IGD is not the primary display",
				  d->class_code >> IGDPT_PCI_CLASS_CODE_SHIFT);
	return 0;
}

static void judge_legacy(struct igdpt_host_report *r)
{
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(r->legacy_reason);

	r->legacy_possible = igdpt_host_legacy_check(&r->dev, &diag) == 0;
	if (r->legacy_possible)
		r->legacy_reason[0] = '\0';
}

/* The ports the VBT describes: general definitions (block 2) child devices. */
static void collect_ports(struct igdpt_host_report *r)
{
	struct igdpt_vbt_block blk;
	size_t child_size, count;

	r->port_count = 0;
	if (r->op.vbt_source == IGDPT_VBT_SOURCE_NONE ||
	    igdpt_vbt_find_block(&r->op.vbt, IGDPT_BDB_GENERAL_DEFINITIONS, &blk) != 1 ||
	    blk.size <= IGDPT_GENDEF_CHILD_DEVS_OFFSET)
		return;
	child_size = blk.data[IGDPT_GENDEF_CHILD_DEV_SIZE_OFFSET];
	if (child_size <= IGDPT_CHILD_DVO_PORT_OFFSET)
		return;
	count = (blk.size - IGDPT_GENDEF_CHILD_DEVS_OFFSET) / child_size;
	for (size_t i = 0; i < count && r->port_count < IGDPT_HOST_PORT_MAX; i++) {
		const uint8_t *c = blk.data + IGDPT_GENDEF_CHILD_DEVS_OFFSET + i * child_size;
		uint16_t type = igdpt_le16(c + IGDPT_CHILD_DEVICE_TYPE_OFFSET);

		if (!type)
			continue;
		r->ports[r->port_count].handle = igdpt_le16(c + IGDPT_CHILD_HANDLE_OFFSET);
		r->ports[r->port_count].device_type = type;
		r->ports[r->port_count].dvo_port = c[IGDPT_CHILD_DVO_PORT_OFFSET];
		r->ports[r->port_count].name = igdpt_vbt_dvo_port_name(c[IGDPT_CHILD_DVO_PORT_OFFSET]);
		if (!r->ports[r->port_count].name)
			r->ports[r->port_count].name = "?";
		r->ports[r->port_count].kind = port_kind(type);
		r->port_count++;
	}
}

static bool driver_keeps_group_viable(const char *driver)
{
	/* vfio's allow-list: unbound, vfio-pci, pci-stub, and bridges on pcieport. */
	return !driver[0] || !strcmp(driver, "vfio-pci") || !strcmp(driver, "pci-stub") ||
	       !strcmp(driver, "pcieport");
}

static void judge_binding(struct igdpt_host_report *r)
{
	const struct igdpt_host_device *d = &r->dev;
	const char *b = d->bdf;
	char boot[256] = "";

	if (!strcmp(d->driver, "vfio-pci"))
		return;
	/* driver_override lasts until the next boot (host_persist.c). */
	if (!r->persistent_binding[0])
		snprintf(boot, sizeof(boot),
			 "; to have vfio-pci take it at every boot: vfio-pci.ids=%04x:%04x on the "
			 "kernel command line", d->vendor, d->device);
	if (d->driver[0])
		BLOCKER(r,
			"bound to %s: unbind and bind to vfio-pci (the host loses this display): "
			"modprobe vfio-pci; echo %s > /sys/bus/pci/devices/%s/driver/unbind; "
			"echo vfio-pci > /sys/bus/pci/devices/%s/driver_override; "
			"echo %s > /sys/bus/pci/drivers_probe%s",
			d->driver, b, b, b, b, boot);
	else
		BLOCKER(r,
			"not bound to any driver: bind it to vfio-pci: modprobe vfio-pci; "
			"echo vfio-pci > /sys/bus/pci/devices/%s/driver_override; "
			"echo %s > /sys/bus/pci/drivers_probe%s",
			b, b, boot);
}

static void judge_iommu(struct igdpt_host_report *r)
{
	const struct igdpt_host_device *d = &r->dev;

	if (!r->iommu) {
		BLOCKER(r, "no IOMMU: boot with intel_iommu=on (add it to the kernel command "
			   "line, e.g. GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub "
			   "and reboot) and enable VT-d in the firmware setup");
		return;
	}
	if (d->iommu_group < 0) {
		BLOCKER(r, "%s is in no IOMMU group: the IOMMU does not translate for it; "
			   "enable VT-d for graphics in the firmware setup and check that "
			   "intel_iommu=igfx_off is not on the kernel command line", d->bdf);
		return;
	}
	for (size_t i = 0; i < d->group_count; i++) {
		const struct igdpt_host_group_member *m = &d->group[i];

		if (!strcmp(m->bdf, d->bdf) || driver_keeps_group_viable(m->driver))
			continue;
		BLOCKER(r,
			"IOMMU group %d also holds %s (bound to %s): a group is usable only when "
			"every device in it is bound to vfio-pci; bind it too (echo %s > "
			"/sys/bus/pci/devices/%s/driver/unbind; echo vfio-pci > "
			"/sys/bus/pci/devices/%s/driver_override; echo %s > "
			"/sys/bus/pci/drivers_probe) and assign it to the same VM",
			d->iommu_group, m->bdf, m->driver, m->bdf, m->bdf, m->bdf, m->bdf);
	}
}

static void judge_bridges(struct igdpt_host_report *r)
{
	/* vfio_pci_igd_cfg_init(): present but not Intel host/ISA class makes
	 * open_device fail (-EINVAL); absent is tolerated (-ENODEV). */
	if (r->host_bridge.present &&
	    (r->host_bridge.vendor != IGDPT_PCI_VENDOR_INTEL ||
	     (r->host_bridge.class_code >> IGDPT_PCI_CLASS_CODE_SHIFT) != IGDPT_PCI_CLASS_BRIDGE_HOST))
		BLOCKER(r, "00:00.0 is %04x:%04x class 0x%06x, not an Intel host bridge: "
			   "vfio-pci refuses to open an IGD there",
			r->host_bridge.vendor, r->host_bridge.device, r->host_bridge.class_code);
	if (r->lpc_bridge.present &&
	    (r->lpc_bridge.vendor != IGDPT_PCI_VENDOR_INTEL ||
	     (r->lpc_bridge.class_code >> IGDPT_PCI_CLASS_CODE_SHIFT) != IGDPT_PCI_CLASS_BRIDGE_ISA))
		BLOCKER(r, "00:1f.0 is %04x:%04x class 0x%06x, not an Intel ISA/LPC bridge: "
			   "vfio-pci refuses to open an IGD there",
			r->lpc_bridge.vendor, r->lpc_bridge.device, r->lpc_bridge.class_code);
	else if (!r->lpc_bridge.present)
		CAUTION(r, "no LPC bridge at 00:1f.0: QEMU cannot copy its ids into the guest "
			   "(legacy mode and x-igd-lpc need it)");
}

static void judge_opregion(struct igdpt_host_report *r)
{
	const struct igdpt_host_device *d = &r->dev;

	if (!d->config_read) {
		CAUTION(r, "config space past 64 bytes is unreadable (ASLS, GGC): run as root "
			   "for the full report");
	} else if (r->is_vf) {
		return; /* a VF has no OpRegion: host_system.c says what to do */
	} else if (d->asls == 0 || d->asls == UINT32_MAX) {
		BLOCKER(r, "ASLS (config 0xFC) is 0x%08x: the host firmware published no "
			   "OpRegion, so there is none to hand to the guest (a guest i915 then "
			   "makes up a default VBT; Windows needs the real one)", d->asls);
		return;
	}
	if (r->opregion_ret >= 0)
		return;
	if (r->opregion_ret == -EINVAL && d->config_read && d->asls)
		BLOCKER(r, "OpRegion unusable: %s", r->opregion_error);
	else
		CAUTION(r, "OpRegion not checked: %s", r->opregion_error);
}

static void judge_class(struct igdpt_host_report *r)
{
	const struct igdpt_host_device *d = &r->dev;

	if ((d->class_code >> IGDPT_PCI_CLASS_CODE_SHIFT) == IGDPT_PCI_CLASS_DISPLAY_OTHER) {
		CAUTION(r, "class 0x0380 (not the primary display): SeaBIOS and QEMU legacy mode "
			   "handle class 0x0300 only; use UPT mode with an OVMF IGD driver "
			   "(igdpt's EFI driver or IgdAssignmentDxe)");
		if (r->kernel[0] && !kernel_at_least(r->kernel, KERNEL_DISPLAY_CLASS_MAJOR,
						     KERNEL_DISPLAY_CLASS_MINOR))
			CAUTION(r, "Linux %s gives a class 0x0380 IGD no VFIO OpRegion region "
				   "(added in 6.15): QEMU's x-igd-opregion=on fails; dump the "
				   "OpRegion (igdpt dump --source devmem) and pass it with "
				   "igdpt qemu-args --image", r->kernel);
	}
	if (!d->gen)
		CAUTION(r, "device id %04x:%04x is not in igdpt's table: generation unknown, "
			   "stolen memory not decoded", d->vendor, d->device);
	else if (d->gen == IGDPT_IGD_GEN_XE_LPG)
		CAUTION(r, "%s has no BDSM register: QEMU 10.1 or later is needed",
			d->platform ? d->platform : "this generation");
	if (d->config_read && (d->ggc & IGDPT_GGC_IVD) && r->legacy_possible)
		CAUTION(r, "GGC.IVD is set (the IGD does not decode VGA): QEMU 10.1+ refuses "
			   "legacy mode");
}

int igdpt_host_inspect(const struct igdpt_host_ctx *ctx, const struct igdpt_host_device *dev,
		       enum igdpt_host_source source, struct igdpt_host_report *r)
{
	struct igdpt_diag diag = { 0 };

	if (!dev || !r || !host_ctx_valid(ctx))
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->dev = *dev;
	r->iommu = has_iommu(ctx);
	host_read_text(ctx, r->kernel, sizeof(r->kernel), "/proc/sys/kernel/osrelease");
	read_bridge(ctx, dev->addr.domain, 0, &r->host_bridge);
	read_bridge(ctx, dev->addr.domain, IGDPT_LPC_DEVFN_DEVICE, &r->lpc_bridge);
	judge_legacy(r);

	r->opregion_ret = host_read_opregion(ctx, dev, source, &r->image, r->opregion_error,
						   sizeof(r->opregion_error));
	if (r->opregion_ret >= 0) {
		/* Validated once already; parse again for a view into our copy. */
		if (igdpt_opregion_parse(r->image.data, r->image.len, &r->op, &diag) < 0) {
			snprintf(r->opregion_error, sizeof(r->opregion_error), "%s at 0x%zx",
				 diag.reason, diag.offset);
			igdpt_host_image_free(&r->image);
			r->opregion_ret = -EINVAL;
		} else {
			collect_ports(r);
		}
	}

	igdpt_host_read_rom(ctx, dev, &r->rom);
	host_framebuffer_facts(ctx, r);
	host_persist_facts(ctx, r);
	host_system_facts(ctx, r);

	judge_iommu(r);
	judge_binding(r);
	host_framebuffer_judge(r);
	judge_bridges(r);
	judge_opregion(r);
	judge_class(r);
	host_rom_judge(r);
	host_persist_judge(r);
	host_system_judge(ctx, r);
	return 0;
}

void igdpt_host_report_free(struct igdpt_host_report *r)
{
	igdpt_host_image_free(&r->image);
}
