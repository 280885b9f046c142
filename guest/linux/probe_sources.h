/* SPDX-License-Identifier: MIT */
/* What `igdpt probe` reads in a Linux guest: the IGD's config space from
 * sysfs, the firmware memory map (/sys/firmware/memmap, else /proc/iomem),
 * the fw_cfg files and guest physical memory through /dev/mem. Every path
 * is taken under a root directory so tests run against a fake tree.
 * Functions return 0 or -errno with a message (logical path, no root) in err.
 */
#ifndef IGDPT_TOOLS_PROBE_SOURCES_H
#define IGDPT_TOOLS_PROBE_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/probe.h"

#define PROBE_SYSFS_PCI "/sys/bus/pci/devices"
#define PROBE_SYSFS_MEMMAP "/sys/firmware/memmap"
#define PROBE_PROC_IOMEM "/proc/iomem"
#define PROBE_DEV_MEM "/dev/mem"
#define PROBE_FW_CFG_BY_NAME "/sys/firmware/qemu_fw_cfg/by_name"

/* Joins root and a logical path into buf. */
void probe_path(const char *root, const char *path, char *buf, size_t size);

/* Finds the Intel display device (vendor 8086, class 03xx), preferring
 * 00:02.0, and fills the IGD fields of in (igd_found stays false when there
 * is none). bdf receives its sysfs name. */
int probe_find_igd(const char *root, struct igdpt_probe_input *in, char *bdf, size_t bdf_size,
		   char *err, size_t err_size);

/* Reads the memory map; *map is malloc()ed. source names the one used. */
int probe_read_memmap(const char *root, struct igdpt_probe_memmap_entry **map, size_t *count,
		      const char **source, char *err, size_t err_size);

/* Reads fw_cfg etc/igd-opregion (*image malloc()ed) and etc/igd-bdsm-size
 * into in when present; absent files are not an error. */
int probe_read_fw_cfg(const char *root, struct igdpt_probe_input *in, uint8_t **image,
		      char *err, size_t err_size);

/* The IGD's PCI ROM as Linux maps it for i915 (sysfs "rom" goes through the
 * same pci_map_rom(): the shadow at 0xC0000 for the boot VGA device, else
 * the ROM BAR): read whole, enabled first by writing "1" (and disabled
 * again) when the kernel refuses the read with EINVAL. Sets
 * in->rom_read, in->rom (*rom, malloc()ed) and in->rom_size: no "rom" file,
 * or a read that fails with EIO (Linux maps no valid ROM), is no ROM. Other
 * failures leave in->rom_read false and return -errno with err. */
#define PROBE_SYSFS_ROM_FROM "sysfs rom"
int probe_read_rom(const char *root, const char *bdf, struct igdpt_probe_input *in,
		   uint8_t **rom, char *err, size_t err_size);

/* /dev/mem reader for igdpt_probe_input.read: opens lazily, remembers the
 * first failure for the caller to report. */
struct probe_devmem {
	char path[4096];
	int fd;
	int error;      /* -errno of the first failed read, 0 if none */
	uint64_t error_gpa;
};
void probe_devmem_init(struct probe_devmem *m, const char *root);
int probe_devmem_read(void *ctx, uint64_t gpa, uint8_t *buf, size_t len);
void probe_devmem_close(struct probe_devmem *m);

#endif
