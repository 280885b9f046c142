/* SPDX-License-Identifier: MIT */
/* Finding Intel IGDs through PCI sysfs, under a replaceable root.
 *
 * Reads only what any user may read: vendor/device/class/subsystem ids, the
 * driver and iommu_group links, and config space (the first 64 bytes for
 * everyone, all 256 for root: ASLS and GGC lie past 64, so a short read is
 * reported, not guessed around).
 */
#include "host_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igdpt/abi/guest.h"
#include "igdpt/core/bytes.h"

#include "../io/io_open.h"

#define PCI_DEVICES "/sys/bus/pci/devices"
/* Standard config header size: ASLS (0xFC) is its last dword. */
#define PCI_CONFIG_HEADER_SIZE 0x100u

int igdpt_pci_addr_parse(const char *text, struct igdpt_pci_addr *addr)
{
	unsigned domain = 0, bus, dev, fn;
	char tail;

	/* sscanf's %x would take "0x" prefixes and signs: digits only. */
	if (!text[0] || text[strspn(text, "0123456789abcdefABCDEF:.")])
		return -EINVAL;
	if (sscanf(text, "%x:%x:%x.%x%c", &domain, &bus, &dev, &fn, &tail) == 4) {
		/* full form */
	} else if (sscanf(text, "%x:%x.%x%c", &bus, &dev, &fn, &tail) == 3) {
		domain = 0;
	} else {
		return -EINVAL;
	}
	if (domain > 0xFFFF || bus > 0xFF || dev > 0x1F || fn > 7)
		return -EINVAL;
	addr->domain = domain;
	addr->bus = bus;
	addr->dev = dev;
	addr->fn = fn;
	return 0;
}

void igdpt_pci_addr_format(const struct igdpt_pci_addr *addr, char *buf, size_t size)
{
	snprintf(buf, size, "%04x:%02x:%02x.%x", addr->domain, addr->bus, addr->dev, addr->fn);
}

bool igdpt_host_is_igd_class(uint32_t class_code)
{
	uint32_t cls = class_code >> IGDPT_PCI_CLASS_CODE_SHIFT;

	return cls == IGDPT_PCI_CLASS_DISPLAY_VGA || cls == IGDPT_PCI_CLASS_DISPLAY_OTHER;
}

static void read_group(const struct igdpt_host_ctx *ctx, struct igdpt_host_device *dev)
{
	char path[HOST_PATH_SIZE], name[32];
	unsigned long value;
	char **list;
	int n;

	dev->group_count = 0;
	if (host_read_link_base(ctx, name, sizeof(name), PCI_DEVICES "/%s/iommu_group", dev->bdf) < 0)
		return;
	dev->iommu_group = atoi(name);
	if (host_path(path, sizeof(path), "/sys/kernel/iommu_groups/%d/devices",
		      dev->iommu_group) < 0)
		return;
	n = host_list_dir(ctx, path, &list);
	for (int i = 0; i < n; i++) {
		struct igdpt_host_group_member *m;

		if (strlen(list[i]) < sizeof(m->bdf) && dev->group_count < IGDPT_HOST_GROUP_MAX) {
			m = &dev->group[dev->group_count++];
			memset(m, 0, sizeof(*m));
			memcpy(m->bdf, list[i], strlen(list[i]) + 1);
			host_read_link_base(ctx, m->driver, sizeof(m->driver),
					    PCI_DEVICES "/%s/driver", m->bdf);
			if (host_read_number(ctx, &value, PCI_DEVICES "/%s/class", m->bdf) == 0)
				m->class_code = (uint32_t)value;
		}
	}
	if (n > 0)
		host_names_free(list, n);
}

static void read_config(const struct igdpt_host_ctx *ctx, struct igdpt_host_device *dev)
{
	uint8_t cfg[PCI_CONFIG_HEADER_SIZE];
	char path[HOST_PATH_SIZE];
	ssize_t n;
	int fd;

	dev->config_read = false;
	if (host_path(path, sizeof(path), PCI_DEVICES "/%s/config", dev->bdf) < 0)
		return;
	fd = host_open(ctx, path, O_RDONLY, IO_REGULAR, NULL);
	if (fd < 0)
		return;
	n = pread(fd, cfg, sizeof(cfg), 0);
	close(fd);
	/* Unprivileged readers get 64 bytes: ASLS and GGC are beyond. */
	if (n < (ssize_t)sizeof(cfg))
		return;
	dev->config_read = true;
	dev->asls = igdpt_le32(cfg + IGDPT_PCI_ASLS_OFFSET);
	dev->ggc = igdpt_le16(cfg + IGDPT_PCI_GGC_OFFSET);
	dev->stolen_size = igdpt_igd_stolen_size(dev->gen, dev->ggc);
}

int host_probe(const struct igdpt_host_ctx *ctx, const char *bdf,
		     struct igdpt_host_device *dev, char *err, size_t err_size)
{
	unsigned long value;
	int ret;

	memset(dev, 0, sizeof(*dev));
	dev->iommu_group = -1;
	if (igdpt_pci_addr_parse(bdf, &dev->addr) < 0)
		return host_fail(err, err_size, -EINVAL,
				 "'%s' is not a PCI address (expected 0000:00:02.0 or 00:02.0)", bdf);
	igdpt_pci_addr_format(&dev->addr, dev->bdf, sizeof(dev->bdf));

	ret = host_read_number(ctx, &value, PCI_DEVICES "/%s/vendor", dev->bdf);
	if (ret < 0)
		return host_fail(err, err_size, ret, "%s/%s/vendor: %s", PCI_DEVICES, dev->bdf,
				 ret == -ENOENT ? "no such PCI device" : strerror(-ret));
	dev->vendor = (uint16_t)value;
	ret = host_read_number(ctx, &value, PCI_DEVICES "/%s/device", dev->bdf);
	if (ret < 0)
		return host_fail(err, err_size, ret, "%s/%s/device: %s", PCI_DEVICES, dev->bdf,
				 strerror(-ret));
	dev->device = (uint16_t)value;
	ret = host_read_number(ctx, &value, PCI_DEVICES "/%s/class", dev->bdf);
	if (ret < 0)
		return host_fail(err, err_size, ret, "%s/%s/class: %s", PCI_DEVICES, dev->bdf,
				 strerror(-ret));
	dev->class_code = (uint32_t)value;
	if (host_read_number(ctx, &value, PCI_DEVICES "/%s/subsystem_vendor", dev->bdf) == 0)
		dev->subsystem_vendor = (uint16_t)value;
	if (host_read_number(ctx, &value, PCI_DEVICES "/%s/subsystem_device", dev->bdf) == 0)
		dev->subsystem_device = (uint16_t)value;
	dev->gen = dev->vendor == IGDPT_PCI_VENDOR_INTEL ? igdpt_igd_generation(dev->device) : 0;
	dev->platform = dev->vendor == IGDPT_PCI_VENDOR_INTEL ? igdpt_igd_platform(dev->device)
							       : NULL;
	host_read_link_base(ctx, dev->driver, sizeof(dev->driver), PCI_DEVICES "/%s/driver",
			    dev->bdf);
	read_group(ctx, dev);
	read_config(ctx, dev);
	return 0;
}

/* Lists the PCI devices whose vendor and class `want` accepts. */
static int find_devices(const struct igdpt_host_ctx *ctx, bool (*want)(unsigned long vendor,
								       uint32_t cls),
			struct igdpt_host_device *devs, size_t cap, size_t *count, char *err,
			size_t err_size)
{
	char **list;
	int n;

	*count = 0;
	n = host_list_dir(ctx, PCI_DEVICES, &list);
	if (n < 0)
		return host_fail(err, err_size, n, "%s: %s", PCI_DEVICES, strerror(-n));
	for (int i = 0; i < n; i++) {
		struct igdpt_host_device probe;
		unsigned long vendor, cls;
		const char *name = list[i];

		if (host_read_number(ctx, &vendor, PCI_DEVICES "/%s/vendor", name) < 0 ||
		    host_read_number(ctx, &cls, PCI_DEVICES "/%s/class", name) < 0 ||
		    !want(vendor, (uint32_t)cls))
			continue;
		if (*count >= cap)
			(*count)++;
		else if (host_probe(ctx, name, &probe, NULL, 0) == 0)
			devs[(*count)++] = probe;
	}
	if (n > 0)
		host_names_free(list, n);
	return 0;
}

static bool is_igd(unsigned long vendor, uint32_t cls)
{
	return vendor == IGDPT_PCI_VENDOR_INTEL && igdpt_host_is_igd_class(cls);
}

static bool is_display(unsigned long vendor, uint32_t cls)
{
	(void)vendor;
	return (cls >> IGDPT_PCI_BASE_CLASS_SHIFT) ==
	       (IGDPT_PCI_CLASS_DISPLAY_VGA >> IGDPT_PCI_CLASS_CODE_SHIFT);
}

int host_find_igds(const struct igdpt_host_ctx *ctx, struct igdpt_host_device *devs,
		   size_t cap, size_t *count, char *err, size_t err_size)
{
	return find_devices(ctx, is_igd, devs, cap, count, err, err_size);
}

int host_find_displays(const struct igdpt_host_ctx *ctx, struct igdpt_host_device *devs,
		       size_t cap, size_t *count, char *err, size_t err_size)
{
	return find_devices(ctx, is_display, devs, cap, count, err, err_size);
}

int host_select(const struct igdpt_host_ctx *ctx, const char *bdf,
		      struct igdpt_host_device *dev, char *err, size_t err_size)
{
	struct igdpt_host_device *all;
	size_t count = 0, used;
	int ret;

	if (bdf) {
		ret = host_probe(ctx, bdf, dev, err, err_size);
		if (ret < 0)
			return ret;
		if (dev->vendor != IGDPT_PCI_VENDOR_INTEL || !igdpt_host_is_igd_class(dev->class_code))
			return host_fail(err, err_size, -EINVAL,
					 "%s is %04x:%04x class 0x%06x, not an Intel IGD", dev->bdf,
					 dev->vendor, dev->device, dev->class_code);
		return 0;
	}
	all = calloc(IGDPT_HOST_GROUP_MAX, sizeof(*all));
	if (!all)
		return host_fail(err, err_size, -ENOMEM, "out of memory");
	ret = host_find_igds(ctx, all, IGDPT_HOST_GROUP_MAX, &count, err, err_size);
	if (ret < 0)
		goto free_all;
	if (count == 0) {
		ret = host_fail(err, err_size, -ENODEV,
				"no Intel IGD (vendor 0x8086, class 0x0300 or 0x0380) in "
				PCI_DEVICES);
	} else if (count > 1) {
		used = (size_t)snprintf(err, err_size, "%zu Intel display devices, choose one with --device:",
					count);
		for (size_t i = 0; i < count && i < IGDPT_HOST_GROUP_MAX && used < err_size; i++)
			used += (size_t)snprintf(err + used, err_size - used, " %s", all[i].bdf);
		ret = -E2BIG;
	} else {
		*dev = all[0];
	}
free_all:
	free(all);
	return ret;
}
