/* SPDX-License-Identifier: MIT */
/* GGC (graphics control, config 0x50) GMS/GGMS encoding and decoding: the
 * one codec the device model, the VMM library, the host inspector and the
 * EFI driver share. Freestanding. The BDSM register of a generation is the
 * IGD table's (igdpt/core/igd.h, included here for the callers of both). */
#ifndef IGDPT_GGC_H
#define IGDPT_GGC_H

#include <stdint.h>

#include "igdpt/core/api.h"
#include "igdpt/core/igd.h"

IGDPT_BEGIN_DECLS

/* The GGC layout changed at gen 8 (GMS bits 7:3 -> 15:8, GGMS 9:8 -> 7:6);
 * gen 9 added the 0xF0.. GMS codes in 4 MiB steps (i915 gem stolen). */
#define IGDPT_GGC_GEN8_FROM 8u
#define IGDPT_GGC_GMS_SMALL_FROM 9u

/* GGC for a generation and stolen size, as the firmware of a real machine
 * locks it: GMS (gen < 8, including 0: bits 7:3 in 32 MiB units; gen 8+:
 * bits 15:8 in 32 MiB units below 0xF0, and from gen 9 0xF0.. in 4 MiB
 * units), GGMS (2 MiB of GTT before gen 8, 8 MiB from gen 8, as i915's
 * gen6/gen8_get_total_gtt_size() decode them) and the lock bit. Returns 0,
 * or -EINVAL if the size has no GMS encoding; *ggc is written only on
 * success. */
int igdpt_ggc_encode(unsigned gen, uint64_t stolen_size, uint16_t *ggc);

/* The GMS field of a GGC in the layout of gen (gen < 8, including 0: bits
 * 7:3; gen 8+: bits 15:8). */
unsigned igdpt_ggc_gms(unsigned gen, uint16_t ggc);

/* The data stolen memory size a GGC announces (the decoding i915 does). */
uint64_t igdpt_ggc_stolen_size(unsigned gen, uint16_t ggc);

IGDPT_END_DECLS

#endif
