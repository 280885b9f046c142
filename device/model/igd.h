/* SPDX-License-Identifier: MIT */
/* The virtual IGD's PCI function: the plumbing of its configuration space
 * (identity, BARs, write masks, command register). The OpRegion registers
 * GGC, BDSM, SWSCI and ASLS are not here: the VMM context (igdpt/vmm.h)
 * owns them, and the device asks it for every access that touches them. */
#ifndef IGDPT_DEVICE_IGD_H
#define IGDPT_DEVICE_IGD_H

#include <stdbool.h>
#include <stdint.h>

#include "config_space.h"

#define IGDPT_IGD_BAR0_INDEX 0u /* GTTMMADR: MMIO + GGTT */
#define IGDPT_IGD_BAR2_INDEX 2u /* GMADR: aperture */
#define IGDPT_IGD_BAR4_INDEX 4u /* I/O: index/data window into MMIO */
#define IGDPT_IGD_BAR0_SIZE (16ull << 20)
#define IGDPT_IGD_BAR2_SIZE (256ull << 20)
#define IGDPT_IGD_BAR4_SIZE 64u
#define IGDPT_IGD_DEFAULT_REVISION 0x02u

struct igdpt_igd_params {
	uint16_t device_id;
	uint16_t class_code; /* IGDPT_PCI_CLASS_DISPLAY_VGA or _OTHER */
	uint16_t subsys_vendor;
	uint16_t subsys_device;
	uint8_t revision;
};

struct igdpt_igd {
	struct igdpt_config_space cfg;
	struct igdpt_igd_params params;
};

/* Builds the config space. Returns 0 or -EINVAL (a class that is not a
 * display controller). */
int igdpt_igd_init(struct igdpt_igd *igd, const struct igdpt_igd_params *params);

/* Platform reset of the header (igdpt_cfg_reset()). */
void igdpt_igd_reset(struct igdpt_igd *igd);

#endif
