/* SPDX-License-Identifier: MIT */
/* Real IGD device ids, generation 6 (Sandy Bridge) to 12 (Alder/Raptor Lake).
 *
 * Ids and generations follow Linux i915's i915_pciids.h / intel_device_info.c
 * (Haswell and Valleyview count as gen 7 there, as in QEMU's igd_gen()).
 * The LPC ids are real PCH parts of the matching platform; what matters to a
 * guest driver is the family, which i915's intel_detect_pch() takes from
 * (id & 0xFF80): CPT 0x1C00, PPT 0x1E00, LPT 0x8C00, WPT-LP 0x9C80,
 * SPT 0xA100, SPT-LP 0x9D00, CNP 0xA300, CNP-LP 0x9D80, ICP 0x3480,
 * TGP 0xA080, ADP 0x7A80, ADP-P 0x5180, ADP (RPL-S) 0x7A00. The host
 * bridge ids are the processor's DRAM controller of a matching SKU (as
 * coreboot's systemagent tables and Linux's EDAC drivers name them); a VMM
 * copies them into its guest's host bridge, no driver depends on them. */
#include "ids.h"

static const struct igdpt_igd_id ids[] = {
	/* The first entry of each generation is its default. */
	{0x0102, 6, 0x1C44, 0x0100, "Sandy Bridge GT1 desktop"},
	{0x0112, 6, 0x1C44, 0x0100, "Sandy Bridge GT2 desktop"},
	{0x0126, 6, 0x1C49, 0x0104, "Sandy Bridge GT2 mobile"},
	{0x0162, 7, 0x1E44, 0x0150, "Ivy Bridge GT2 desktop"},
	{0x0166, 7, 0x1E59, 0x0154, "Ivy Bridge GT2 mobile"},
	{0x0412, 7, 0x8C44, 0x0C00, "Haswell GT2 desktop"},
	{0x0416, 7, 0x8C49, 0x0C04, "Haswell GT2 mobile"},
	{0x1616, 8, 0x9CC3, 0x1604, "Broadwell GT2 ULT"},
	{0x1612, 8, 0x9CC3, 0x1604, "Broadwell GT2 halo"},
	{0x5916, 9, 0x9D58, 0x5904, "Kaby Lake GT2 ULT"},
	{0x1912, 9, 0xA145, 0x191F, "Skylake GT2 desktop"},
	{0x1916, 9, 0x9D48, 0x1904, "Skylake GT2 ULT"},
	{0x5912, 9, 0xA2C5, 0x591F, "Kaby Lake GT2 desktop"},
	{0x3E92, 9, 0xA305, 0x3EC2, "Coffee Lake GT2 desktop"},
	{0x3E9B, 9, 0xA30D, 0x3EC4, "Coffee Lake GT2 halo"},
	{0x5A52, 10, 0x9D84, 0x5A04, "Cannon Lake GT2 ULT"},
	{0x8A52, 11, 0x3482, 0x8A12, "Ice Lake GT2 ULT"},
	{0x9A49, 12, 0xA082, 0x9A14, "Tiger Lake GT2 ULT"},
	{0x9A60, 12, 0x43A4, 0x9A36, "Tiger Lake GT1 halo"},
	{0x4680, 12, 0x7A84, 0x4660, "Alder Lake-S GT1"},
	{0x46A6, 12, 0x5182, 0x4641, "Alder Lake-P GT2"},
	{0xA780, 12, 0x7A04, 0xA700, "Raptor Lake-S GT1"},
};

const struct igdpt_igd_id *igdpt_ids_lookup(uint16_t device_id)
{
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (ids[i].device_id == device_id)
			return &ids[i];
	return NULL;
}

const struct igdpt_igd_id *igdpt_ids_default_for_generation(unsigned generation)
{
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (ids[i].generation == generation)
			return &ids[i];
	return NULL;
}

const struct igdpt_igd_id *igdpt_ids_table(size_t *count)
{
	*count = sizeof(ids) / sizeof(ids[0]);
	return ids;
}
