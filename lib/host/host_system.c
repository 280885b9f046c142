/* SPDX-License-Identifier: MIT */
/* The machine around the IGD: an SR-IOV virtual function instead of the IGD
 * itself, the physical address bits a guest may use, the VFIO interfaces.
 *
 * - A VF (sysfs "physfn") has no OpRegion of its own: Linux vfio-pci gives
 *   the IGD OpRegion region for the device whose ASLS the firmware set,
 *   which is the physical function, and a VF reads ASLS 0; QEMU then sets
 *   up no OpRegion. The guest can still get the board's VBT: the parent's,
 *   wrapped by igdpt build --vbt and published with -fw_cfg.
 * - OVMF puts the 64-bit PCI window at the top of the guest's physical
 *   address space (QEMU: 40 bits by default, the host's with -cpu host).
 *   QEMU maps that window for device-to-device DMA too, and where it lies
 *   above what the IOMMU translates (VT-d MGAW: 39 bits on many client
 *   parts) VFIO_MAP_DMA fails with EINVAL.
 * - Linux 6.6 added a per-device VFIO cdev (/dev/vfio/devices/vfioN, used
 *   with /dev/iommu); without CONFIG_VFIO_GROUP there is no /dev/vfio/N and
 *   QEMU needs its iommufd backend.
 */
#include "host_priv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* QEMU's guest physical address bits unless -cpu host passes the host's. */
#define QEMU_DEFAULT_PHYS_BITS 40
/* VT-d capability register: MGAW, maximum guest address width - 1. */
#define VTD_CAP_MGAW_SHIFT 16
#define VTD_CAP_MGAW_MASK 0x3Fu
#define CPUINFO_MAX (4u << 20)

static int cpu_phys_bits(const struct igdpt_host_ctx *ctx)
{
	uint8_t *data;
	char *text, *at;
	size_t len;
	int bits = 0;

	if (host_read_file(ctx, "/proc/cpuinfo", CPUINFO_MAX, &data, &len) < 0)
		return 0;
	text = realloc(data, len + 1);
	if (!text) {
		free(data);
		return 0;
	}
	text[len] = '\0';
	at = strstr(text, "address sizes");
	if (!at || sscanf(at, "address sizes : %d bits physical", &bits) != 1) {
		at = at ? strchr(at, ':') : NULL;
		if (!at || sscanf(at, ": %d bits physical", &bits) != 1)
			bits = 0;
	}
	free(text);
	return bits;
}

/* The narrowest VT-d unit's guest address width. */
static int iommu_addr_bits(const struct igdpt_host_ctx *ctx)
{
	char **names, cap[64];
	int n = host_list_dir(ctx, "/sys/class/iommu", &names), bits = 0;

	for (int i = 0; i < n; i++) {
		unsigned long long value;
		char *end;
		int mgaw;

		if (host_read_text(ctx, cap, sizeof(cap), "/sys/class/iommu/%s/intel-iommu/cap",
				   names[i]) < 0)
			continue;
		value = strtoull(cap, &end, 16);
		if (end == cap || *end)
			continue;
		mgaw = (int)((value >> VTD_CAP_MGAW_SHIFT) & VTD_CAP_MGAW_MASK) + 1;
		if (!bits || mgaw < bits)
			bits = mgaw;
	}
	if (n > 0)
		host_names_free(names, n);
	return bits;
}

void host_system_facts(const struct igdpt_host_ctx *ctx, struct igdpt_host_report *r)
{
	const struct igdpt_host_device *d = &r->dev;

	if (host_read_link_base(ctx, r->physfn, sizeof(r->physfn), "/sys/bus/pci/devices/%s/physfn",
				d->bdf) == 0)
		r->is_vf = true;
	else
		r->physfn[0] = '\0';
	r->cpu_phys_bits = cpu_phys_bits(ctx);
	r->iommu_addr_bits = iommu_addr_bits(ctx);
	r->vfio_group_node = d->iommu_group >= 0 &&
			     host_exists(ctx, "/dev/vfio/%d", d->iommu_group);
	if (host_vfio_cdev_name(ctx, d->bdf, r->vfio_cdev, sizeof(r->vfio_cdev)) == 0)
		r->vfio_cdev_node = host_exists(ctx, "/dev/vfio/devices/%s", r->vfio_cdev);
	else
		r->vfio_cdev[0] = '\0';
	r->iommufd = host_exists(ctx, "/dev/iommu");
}

static void judge_vf(const struct igdpt_host_ctx *ctx, struct igdpt_host_report *r)
{
	char minor[64];

	if (host_find_dri_dir(ctx, r->physfn, minor, sizeof(minor)) < 0)
		snprintf(minor, sizeof(minor), "N");
	CAUTION(r,
		"%s is an SR-IOV virtual function of %s: the kernel gives a VF no OpRegion (only "
		"the physical function has one, and QEMU sets up none for the VF), so hand the "
		"guest the parent's VBT: cp /sys/kernel/debug/dri/%s/i915_vbt vbt.bin; igdpt "
		"build --vbt vbt.bin --guest -o vf-opregion.bin; igdpt qemu-args --device %s "
		"--image vf-opregion.bin (published with -fw_cfg name=etc/igd-opregion)",
		r->dev.bdf, r->physfn, minor, r->dev.bdf);
}

static void judge_address_bits(struct igdpt_host_report *r)
{
	int cpu = r->cpu_phys_bits, iommu = r->iommu_addr_bits;
	int limit = cpu && iommu ? (cpu < iommu ? cpu : iommu) : cpu ? cpu : iommu;
	char why[160];

	if (!limit)
		return;
	if (iommu && cpu && iommu < cpu)
		snprintf(why, sizeof(why),
			 "the IOMMU translates %d bits (VT-d MGAW), fewer than the CPU's %d, which "
			 "-cpu host gives the guest", iommu, cpu);
	else if (limit < QEMU_DEFAULT_PHYS_BITS)
		snprintf(why, sizeof(why),
			 "this host has %d physical address bits (%s), QEMU gives a guest %d unless "
			 "-cpu host", limit, iommu && iommu == limit ? "IOMMU" : "CPU",
			 QEMU_DEFAULT_PHYS_BITS);
	else
		return;
	CAUTION(r,
		"%s: OVMF puts the 64-bit PCI window at the top of the guest's address space, "
		"where VFIO cannot map it (QEMU: \"VFIO_MAP_DMA failed: Invalid argument\", "
		"then \"vfio_dma_map(...) = -22\" in 7.2, \"vfio_container_dma_map(...) = -22\" "
		"in 10.x); limit UEFI guests to %d bits: -cpu "
		"host,host-phys-bits=on,host-phys-bits-limit=%d (libvirt: <cpu "
		"mode='host-passthrough'><maxphysaddr mode='passthrough' limit='%d'/></cpu>; "
		"Proxmox: cpu: host,phys-bits=%d)",
		why, limit, limit, limit, limit);
}

void host_system_judge(const struct igdpt_host_ctx *ctx, struct igdpt_host_report *r)
{
	if (r->is_vf)
		judge_vf(ctx, r);
	judge_address_bits(r);
	if (!strcmp(r->dev.driver, "vfio-pci") && !r->vfio_group_node && r->vfio_cdev_node)
		CAUTION(r,
			"only the VFIO device cdev /dev/vfio/devices/%s is there (no /dev/vfio/%d: "
			"the kernel has no VFIO group interface): QEMU needs its iommufd backend "
			"(8.2+): -object iommufd,id=iommufd0 -device vfio-pci,host=%s,iommufd=iommufd0%s",
			r->vfio_cdev, r->dev.iommu_group, r->dev.bdf,
			r->iommufd ? "" : "; and /dev/iommu is missing: modprobe iommufd");
}
