/* SPDX-License-Identifier: MIT */
/* The Intel IGD table (core: pure, freestanding): which device ids are IGDs,
 * their graphics generation and platform, a PCH LPC bridge that ships with
 * them, and what a generation means for the config-space registers (where
 * BDSM is). The host inspector, the device model, the EFI driver and the
 * guest probes all ask this one table.
 *
 * Device ids and generations follow Linux include/drm/i915_pciids.h and
 * i915's device info (Haswell and Valley View count as gen 7, as in QEMU's
 * igd_gen()). Unknown ids give generation 0, never a guess: the OpRegion
 * path does not depend on the generation, and a wrong guess would program
 * the wrong BDSM register or mis-size stolen memory.
 */
#ifndef IGDPT_CORE_IGD_H
#define IGDPT_CORE_IGD_H

#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"

IGDPT_BEGIN_DECLS

/* Generations where the config-space layout changes (the GGC field layout
 * changes at IGDPT_GGC_GEN8_FROM and IGDPT_GGC_GMS_SMALL_FROM, igdpt/core/ggc.h). */
#define IGDPT_IGD_GEN_FIRST 6u  /* Sandy Bridge: the oldest generation in the table */
#define IGDPT_IGD_GEN_BDSM64 11u /* BDSM becomes 64-bit at 0xC0 (0x5C before) */
#define IGDPT_IGD_GEN_XE_LPG 13u /* Meteor Lake: no BDSM in config space (DSM via MMIO) */

/* What the table knows about one device id. */
struct igdpt_igd_info {
	uint16_t device_id;
	uint8_t generation;     /* i915's numbering: Haswell 7, Alder Lake 12, MTL 13 */
	uint16_t lpc_device_id; /* an LPC bridge of a PCH this IGD ships with; 0 unknown */
	uint16_t host_bridge_device_id; /* the reference devices' host bridge; 0 unknown */
	const char *platform;   /* "Kaby Lake" */
	const char *variant;    /* "GT2 ULT" for the reference devices, "" otherwise */
};

/* The entry for device_id: 0, or -ENOENT (info untouched) when the id is
 * not an IGD the table knows. info may be NULL. */
int igdpt_igd_lookup(uint16_t device_id, struct igdpt_igd_info *info);

/* The reference devices: a few real ids per generation with a variant name
 * and the LPC id of their board's PCH, the first of a generation being its
 * default (what igdpt-device and igdpt vm emulate for --generation N).
 * igdpt_igd_reference() fills the default of a generation, -ENOENT if none;
 * igdpt_igd_reference_at() the index-th of all, -ENOENT past the end. */
int igdpt_igd_reference(unsigned generation, struct igdpt_igd_info *info);
int igdpt_igd_reference_at(size_t index, struct igdpt_igd_info *info);

/* Generation of a device id, 0 when unknown. */
int igdpt_igd_generation(uint16_t device_id);
/* Platform name ("Kaby Lake"), NULL when unknown. */
const char *igdpt_igd_platform(uint16_t device_id);
/* Every device id of the table, in table order (Sandy Bridge first), into
 * ids (up to cap; ids may be NULL). Returns how many there are, which may
 * exceed cap. */
size_t igdpt_igd_device_ids(uint16_t *ids, size_t cap);

/* The BDSM register of a generation: 0x5C (4 bytes) before
 * IGDPT_IGD_GEN_BDSM64, 0xC0 (8 bytes) from it. 0, or -ENOENT for
 * generation 0 (unknown: a guess could write the wrong register) and from
 * IGDPT_IGD_GEN_XE_LPG (no BDSM in config space); outputs untouched then. */
int igdpt_igd_bdsm_register(unsigned generation, uint16_t *offset, unsigned *bytes);

/* The same for a device id (its generation from the table). */
int igdpt_igd_bdsm_register_for_id(uint16_t device_id, uint16_t *offset, unsigned *bytes);

/* The BDSM register layout of a generation with no range check, for a
 * device model that emulates any generation it is given (0 and older
 * generations: 0x5C; IGDPT_IGD_GEN_BDSM64 and later: 0xC0). */
void igdpt_ggc_bdsm_register(unsigned gen, uint16_t *offset, unsigned *bytes);

/* Host inspection's view of GGC: the GMS field and the stolen size it
 * announces for a generation from igdpt_igd_generation(); 0 for an unknown
 * generation (0 or negative), whose layout igdpt does not guess. */
unsigned igdpt_igd_gms(int gen, uint16_t ggc);
uint64_t igdpt_igd_stolen_size(int gen, uint16_t ggc);

IGDPT_END_DECLS

#endif
