/* SPDX-License-Identifier: MIT */
/* GGC GMS/GGMS codec (QEMU hw/vfio/igd.c and Linux i915 gem stolen decode
 * the same fields). */
#include "igdpt/core/ggc.h"

#include "igdpt/abi/guest.h"
#include "igdpt/core/errno.h"

/* GGMS codes: gen 6/7 2 MiB of GTT (bits 9:8 = 2), gen 8+ 8 MiB (7:6 = 3). */
#define GEN6_GGMS_2MIB 2u
#define GEN8_GGMS_8MIB 3u
/* Number of 4 MiB codes: 0xF0 (4 MiB) .. 0xFF (64 MiB). */
#define GMS_SMALL_CODES (IGDPT_GGC_GEN8_GMS_MASK - IGDPT_GGC_GMS_SMALL_FIRST + 1u)

int igdpt_ggc_encode(unsigned gen, uint64_t stolen_size, uint16_t *ggc)
{
	uint64_t gms;
	uint16_t v;

	if (gen < IGDPT_GGC_GEN8_FROM) {
		if (stolen_size % IGDPT_GGC_GMS_UNIT ||
		    stolen_size / IGDPT_GGC_GMS_UNIT > IGDPT_GGC_GEN6_GMS_MASK)
			return -IGDPT_EINVAL;
		gms = stolen_size / IGDPT_GGC_GMS_UNIT;
		v = (uint16_t)(gms << IGDPT_GGC_GEN6_GMS_SHIFT |
			       GEN6_GGMS_2MIB << IGDPT_GGC_GEN6_GGMS_SHIFT);
	} else {
		/* 32 MiB codes first, so 32 MiB itself is 0x01, not 0xF7. */
		if (stolen_size % IGDPT_GGC_GMS_UNIT == 0 &&
		    stolen_size / IGDPT_GGC_GMS_UNIT < IGDPT_GGC_GMS_SMALL_FIRST)
			gms = stolen_size / IGDPT_GGC_GMS_UNIT;
		else if (gen >= IGDPT_GGC_GMS_SMALL_FROM &&
			 stolen_size % IGDPT_GGC_GMS_SMALL_UNIT == 0 &&
			 stolen_size / IGDPT_GGC_GMS_SMALL_UNIT <= GMS_SMALL_CODES)
			gms = IGDPT_GGC_GMS_SMALL_FIRST + stolen_size / IGDPT_GGC_GMS_SMALL_UNIT - 1;
		else
			return -IGDPT_EINVAL;
		v = (uint16_t)(gms << IGDPT_GGC_GEN8_GMS_SHIFT |
			       GEN8_GGMS_8MIB << IGDPT_GGC_GEN8_GGMS_SHIFT);
	}
	*ggc = (uint16_t)(v | IGDPT_GGC_LOCK);
	return 0;
}

unsigned igdpt_ggc_gms(unsigned gen, uint16_t ggc)
{
	if (gen < IGDPT_GGC_GEN8_FROM)
		return (ggc >> IGDPT_GGC_GEN6_GMS_SHIFT) & IGDPT_GGC_GEN6_GMS_MASK;
	return (ggc >> IGDPT_GGC_GEN8_GMS_SHIFT) & IGDPT_GGC_GEN8_GMS_MASK;
}

uint64_t igdpt_ggc_stolen_size(unsigned gen, uint16_t ggc)
{
	unsigned gms = igdpt_ggc_gms(gen, ggc);

	if (gen >= IGDPT_GGC_GMS_SMALL_FROM && gms >= IGDPT_GGC_GMS_SMALL_FIRST)
		return (uint64_t)(gms - IGDPT_GGC_GMS_SMALL_FIRST + 1) * IGDPT_GGC_GMS_SMALL_UNIT;
	return (uint64_t)gms * IGDPT_GGC_GMS_UNIT;
}
