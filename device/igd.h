/* SPDX-License-Identifier: MIT */
/* The virtual IGD's PCI function: identity, BARs, and the virtualized
 * registers GGC, BDSM, SWSCI and ASLS. */
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
#define IGDPT_IGD_ASLS_SIZE 4u
#define IGDPT_IGD_SWSCI_SIZE 2u
#define IGDPT_IGD_GGC_SIZE 2u

struct igdpt_igd_params {
	unsigned generation;
	uint16_t device_id;
	uint16_t class_code; /* IGDPT_PCI_CLASS_DISPLAY_VGA or _OTHER */
	uint16_t subsys_vendor;
	uint16_t subsys_device;
	uint8_t revision;
	uint64_t bdsm_size; /* stolen memory the GGC GMS field announces */
};

struct igdpt_igd {
	struct igdpt_config_space cfg;
	struct igdpt_igd_params params;
	unsigned bdsm_offset; /* 0x5C or 0xC0 */
	unsigned bdsm_size;   /* register width in bytes: 4 or 8 */
};

/* What a config write did to the virtualized registers. */
struct igdpt_igd_write_effect {
	bool asls;  /* ASLS was written; asls_value is the new value */
	uint32_t asls_value;
	bool bdsm;  /* BDSM was written; bdsm_value is the new value */
	uint64_t bdsm_value;
	bool ggc;   /* a write hit GGC (read-only); ggc_written what was sent */
	uint16_t ggc_written;
	uint16_t ggc_value;
	bool swsci; /* SWSCI was written; swsci_written before GSSCIE completes */
	uint16_t swsci_written;
};

/* GGC for a generation and stolen size: igdpt_ggc_encode() (igdpt/core/ggc.h),
 * an unknown generation (0) taking the gen 6 layout. Returns 0, or -EINVAL
 * if the size has no GMS encoding. */
int igdpt_igd_ggc_encode(unsigned generation, uint64_t stolen_size, uint16_t *ggc);
/* The stolen size a GGC announces: igdpt_ggc_stolen_size(). */
uint64_t igdpt_igd_ggc_stolen_size(unsigned generation, uint16_t ggc);
/* Where BDSM lives and how wide it is: igdpt_ggc_bdsm_register(). */
unsigned igdpt_igd_bdsm_offset(unsigned generation);
unsigned igdpt_igd_bdsm_width(unsigned generation);

/* Builds the config space. Returns 0 or -EINVAL (bad stolen size, class). */
int igdpt_igd_init(struct igdpt_igd *igd, const struct igdpt_igd_params *params);

/* A config write from QEMU/the guest (access already checked). */
void igdpt_igd_cfg_write(struct igdpt_igd *igd, unsigned off, uint32_t value, unsigned len,
			 struct igdpt_igd_write_effect *effect);

uint32_t igdpt_igd_asls(const struct igdpt_igd *igd);
uint64_t igdpt_igd_bdsm(const struct igdpt_igd *igd);
uint16_t igdpt_igd_ggc(const struct igdpt_igd *igd);

/* Platform reset: header reset plus ASLS, BDSM and SWSCI back to 0, since the
 * firmware programs them again on every boot. */
void igdpt_igd_reset(struct igdpt_igd *igd);

#endif
