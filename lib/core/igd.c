/* SPDX-License-Identifier: MIT */
/* The IGD table: device ids by platform (Linux include/drm/i915_pciids.h,
 * Sandy Bridge to Meteor Lake), the reference devices igdpt emulates, and
 * the BDSM register by generation.
 *
 * LPC ids are real PCH parts of the platform; what a guest driver looks at
 * is the PCH family, which i915's intel_detect_pch() takes from
 * (id & 0xFF80): CPT 0x1C00, PPT 0x1E00, LPT 0x8C00, WPT-LP 0x9C80,
 * SPT 0xA100, SPT-LP 0x9D00, KBP 0xA280, CNP 0xA300, CNP-LP 0x9D80,
 * ICP 0x3480, TGP 0xA080, TGP-H 0x4380, ADP 0x7A80, ADP-P 0x5180,
 * ADP (RPL-S) 0x7A00. A platform whose PCH igdpt does not know has 0. */
#include "igdpt/core/igd.h"

#include "igdpt/abi/guest.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/ggc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BDSM32_BYTES 4u
#define BDSM64_BYTES 8u

struct family {
	uint8_t gen;
	const char *platform;
	uint16_t lpc;          /* the platform's usual PCH; 0 unknown */
	const uint16_t *ids;
	size_t count;
};

#define FAMILY(gen_, name_, lpc_, ...)                                               \
	{ gen_, name_, lpc_, (const uint16_t[]){ __VA_ARGS__ },                        \
	  sizeof((const uint16_t[]){ __VA_ARGS__ }) / sizeof(uint16_t) }

static const struct family families[] = {
	FAMILY(6, "Sandy Bridge", 0x1C44, 0x0102, 0x010A, 0x0112, 0x0122, 0x0106, 0x0116, 0x0126),
	FAMILY(7, "Ivy Bridge", 0x1E44, 0x0152, 0x015A, 0x0162, 0x016A, 0x0156, 0x0166),
	FAMILY(7, "Valley View", 0, 0x0F30, 0x0F31, 0x0F32, 0x0F33),
	FAMILY(7, "Haswell", 0x8C44, 0x0402, 0x0406, 0x040A, 0x040B, 0x040E, 0x0412, 0x0416,
	       0x041A, 0x041B, 0x041E, 0x0422, 0x0426, 0x042A, 0x042B, 0x042E, 0x0A02, 0x0A06,
	       0x0A0A, 0x0A0B, 0x0A0E, 0x0A12, 0x0A16, 0x0A1A, 0x0A1B, 0x0A1E, 0x0A22, 0x0A26,
	       0x0A2A, 0x0A2B, 0x0A2E, 0x0C02, 0x0C06, 0x0C0A, 0x0C0B, 0x0C0E, 0x0C12, 0x0C16,
	       0x0C1A, 0x0C1B, 0x0C1E, 0x0C22, 0x0C26, 0x0C2A, 0x0C2B, 0x0C2E, 0x0D02, 0x0D06,
	       0x0D0A, 0x0D0B, 0x0D0E, 0x0D12, 0x0D16, 0x0D1A, 0x0D1B, 0x0D1E, 0x0D22, 0x0D26,
	       0x0D2A, 0x0D2B, 0x0D2E),
	FAMILY(8, "Broadwell", 0x9CC3, 0x1602, 0x1606, 0x160A, 0x160B, 0x160D, 0x160E, 0x1612,
	       0x1616, 0x161A, 0x161B, 0x161D, 0x161E, 0x1622, 0x1626, 0x162A, 0x162B, 0x162D,
	       0x162E, 0x1632, 0x1636, 0x163A, 0x163B, 0x163D, 0x163E),
	FAMILY(9, "Skylake", 0xA145, 0x1902, 0x1906, 0x190A, 0x190B, 0x190E, 0x1912, 0x1913,
	       0x1915, 0x1916, 0x1917, 0x191A, 0x191B, 0x191D, 0x191E, 0x1921, 0x1923, 0x1926,
	       0x1927, 0x192A, 0x192B, 0x192D, 0x1932, 0x193A, 0x193B, 0x193D),
	FAMILY(9, "Broxton", 0, 0x0A84, 0x1A84, 0x1A85, 0x5A84, 0x5A85),
	FAMILY(9, "Gemini Lake", 0, 0x3184, 0x3185),
	FAMILY(9, "Kaby Lake", 0xA2C5, 0x5902, 0x5906, 0x5908, 0x590A, 0x590B, 0x590E, 0x5912,
	       0x5913, 0x5915, 0x5916, 0x5917, 0x591A, 0x591B, 0x591C, 0x591D, 0x591E, 0x5921,
	       0x5923, 0x5926, 0x5927, 0x593B, 0x87C0),
	FAMILY(9, "Coffee Lake", 0xA305, 0x3E90, 0x3E91, 0x3E92, 0x3E93, 0x3E94, 0x3E96, 0x3E98,
	       0x3E99, 0x3E9A, 0x3E9B, 0x3E9C, 0x3EA5, 0x3EA6, 0x3EA7, 0x3EA8, 0x3EA9, 0x87CA),
	FAMILY(9, "Whiskey Lake", 0, 0x3EA0, 0x3EA1, 0x3EA2, 0x3EA3, 0x3EA4),
	FAMILY(9, "Comet Lake", 0, 0x9B21, 0x9B41, 0x9BA2, 0x9BA4, 0x9BA5, 0x9BA8, 0x9BAA,
	       0x9BAC, 0x9BC2, 0x9BC4, 0x9BC5, 0x9BC6, 0x9BC8, 0x9BCA, 0x9BCC, 0x9BE6, 0x9BF6),
	FAMILY(10, "Cannon Lake", 0x9D84, 0x5A40, 0x5A41, 0x5A42, 0x5A44, 0x5A49, 0x5A4A, 0x5A4C,
	       0x5A50, 0x5A51, 0x5A52, 0x5A54, 0x5A59, 0x5A5A, 0x5A5C),
	FAMILY(11, "Ice Lake", 0x3482, 0x8A50, 0x8A51, 0x8A52, 0x8A53, 0x8A54, 0x8A56, 0x8A57,
	       0x8A58, 0x8A59, 0x8A5A, 0x8A5B, 0x8A5C, 0x8A5D, 0x8A70, 0x8A71),
	FAMILY(11, "Elkhart Lake", 0, 0x4500, 0x4541, 0x4551, 0x4555, 0x4557, 0x4571),
	FAMILY(11, "Jasper Lake", 0, 0x4E51, 0x4E55, 0x4E57, 0x4E61, 0x4E71),
	FAMILY(12, "Tiger Lake", 0xA082, 0x9A40, 0x9A49, 0x9A59, 0x9A60, 0x9A68, 0x9A70, 0x9A78,
	       0x9AC0, 0x9AC9, 0x9AD9, 0x9AF8),
	FAMILY(12, "Rocket Lake", 0, 0x4C80, 0x4C8A, 0x4C8B, 0x4C8C, 0x4C90, 0x4C9A),
	FAMILY(12, "Alder Lake-S", 0x7A84, 0x4680, 0x4682, 0x4688, 0x468A, 0x468B, 0x4690,
	       0x4692, 0x4693),
	FAMILY(12, "Alder Lake-P", 0x5182, 0x46A0, 0x46A1, 0x46A2, 0x46A3, 0x46A6, 0x46A8,
	       0x46AA, 0x462A, 0x4626, 0x4628, 0x46B0, 0x46B1, 0x46B2, 0x46B3, 0x46C0, 0x46C1,
	       0x46C2, 0x46C3),
	FAMILY(12, "Alder Lake-N", 0, 0x46D0, 0x46D1, 0x46D2, 0x46D3, 0x46D4),
	FAMILY(12, "Raptor Lake-S", 0x7A04, 0xA780, 0xA781, 0xA782, 0xA783, 0xA788, 0xA789,
	       0xA78A, 0xA78B),
	FAMILY(12, "Raptor Lake-P", 0, 0xA720, 0xA721, 0xA7A0, 0xA7A1, 0xA7A8, 0xA7A9, 0xA7AA,
	       0xA7AB, 0xA7AC, 0xA7AD),
	FAMILY(IGDPT_IGD_GEN_XE_LPG, "Meteor Lake", 0, 0x7D40, 0x7D41, 0x7D45, 0x7D51, 0x7D55,
	       0x7D60, 0x7D67, 0x7DD1, 0x7DD5),
};

/* The reference devices: the generation and platform come from the table
 * above; the first of a generation is its default. */
static const struct {
	uint16_t device_id;
	const char *variant;
	uint16_t lpc; /* the board's PCH when it differs from the platform's */
	/* The processor's DRAM controller (host bridge, 00:00.0) of a matching
	 * SKU, as coreboot's systemagent tables and Linux's EDAC drivers name
	 * them: a VMM copies it into its guest's host bridge; no driver
	 * depends on it. */
	uint16_t host_bridge;
} references[] = {
	{ 0x0102, "GT1 desktop", 0, 0x0100 },
	{ 0x0112, "GT2 desktop", 0, 0x0100 },
	{ 0x0126, "GT2 mobile", 0x1C49, 0x0104 },
	{ 0x0162, "GT2 desktop", 0, 0x0150 },
	{ 0x0166, "GT2 mobile", 0x1E59, 0x0154 },
	{ 0x0412, "GT2 desktop", 0, 0x0C00 },
	{ 0x0416, "GT2 mobile", 0x8C49, 0x0C04 },
	{ 0x1616, "GT2 ULT", 0, 0x1604 },
	{ 0x1612, "GT2 halo", 0, 0x1604 },
	{ 0x5916, "GT2 ULT", 0x9D58, 0x5904 },
	{ 0x1912, "GT2 desktop", 0, 0x191F },
	{ 0x1916, "GT2 ULT", 0x9D48, 0x1904 },
	{ 0x5912, "GT2 desktop", 0, 0x591F },
	{ 0x3E92, "GT2 desktop", 0, 0x3EC2 },
	{ 0x3E9B, "GT2 halo", 0xA30D, 0x3EC4 },
	{ 0x5A52, "GT2 ULT", 0, 0x5A04 },
	{ 0x8A52, "GT2 ULT", 0, 0x8A12 },
	{ 0x9A49, "GT2 ULT", 0, 0x9A14 },
	{ 0x9A60, "GT1 halo", 0x43A4, 0x9A36 },
	{ 0x4680, "GT1", 0, 0x4660 },
	{ 0x46A6, "GT2", 0, 0x4641 },
	{ 0xA780, "GT1", 0, 0xA700 },
};

static const struct family *find_family(uint16_t device_id)
{
	for (size_t f = 0; f < ARRAY_SIZE(families); f++)
		for (size_t i = 0; i < families[f].count; i++)
			if (families[f].ids[i] == device_id)
				return &families[f];
	return 0;
}

static int fill(uint16_t device_id, const char *variant, uint16_t lpc, uint16_t host_bridge,
		struct igdpt_igd_info *info)
{
	const struct family *family = find_family(device_id);

	if (!family)
		return -IGDPT_ENOENT;
	if (info) {
		info->device_id = device_id;
		info->generation = family->gen;
		info->lpc_device_id = lpc ? lpc : family->lpc;
		info->host_bridge_device_id = host_bridge;
		info->platform = family->platform;
		info->variant = variant;
	}
	return 0;
}

int igdpt_igd_lookup(uint16_t device_id, struct igdpt_igd_info *info)
{
	for (size_t i = 0; i < ARRAY_SIZE(references); i++)
		if (references[i].device_id == device_id)
			return fill(device_id, references[i].variant, references[i].lpc,
				    references[i].host_bridge, info);
	return fill(device_id, "", 0, 0, info);
}

int igdpt_igd_reference_at(size_t index, struct igdpt_igd_info *info)
{
	if (index >= ARRAY_SIZE(references))
		return -IGDPT_ENOENT;
	return fill(references[index].device_id, references[index].variant,
		    references[index].lpc, references[index].host_bridge, info);
}

int igdpt_igd_reference(unsigned generation, struct igdpt_igd_info *info)
{
	for (size_t i = 0; i < ARRAY_SIZE(references); i++)
		if ((unsigned)igdpt_igd_generation(references[i].device_id) == generation)
			return igdpt_igd_reference_at(i, info);
	return -IGDPT_ENOENT;
}

int igdpt_igd_generation(uint16_t device_id)
{
	const struct family *family = find_family(device_id);

	return family ? family->gen : 0;
}

const char *igdpt_igd_platform(uint16_t device_id)
{
	const struct family *family = find_family(device_id);

	return family ? family->platform : 0;
}

size_t igdpt_igd_device_ids(uint16_t *ids, size_t cap)
{
	size_t n = 0;

	for (size_t f = 0; f < ARRAY_SIZE(families); f++)
		for (size_t i = 0; i < families[f].count; i++, n++)
			if (ids && n < cap)
				ids[n] = families[f].ids[i];
	return n;
}

void igdpt_ggc_bdsm_register(unsigned gen, uint16_t *offset, unsigned *bytes)
{
	if (gen >= IGDPT_IGD_GEN_BDSM64) {
		*offset = IGDPT_PCI_BDSM64_OFFSET;
		*bytes = BDSM64_BYTES;
	} else {
		*offset = IGDPT_PCI_BDSM_OFFSET;
		*bytes = BDSM32_BYTES;
	}
}

int igdpt_igd_bdsm_register(unsigned generation, uint16_t *offset, unsigned *bytes)
{
	if (generation == 0 || generation >= IGDPT_IGD_GEN_XE_LPG)
		return -IGDPT_ENOENT;
	igdpt_ggc_bdsm_register(generation, offset, bytes);
	return 0;
}

int igdpt_igd_bdsm_register_for_id(uint16_t device_id, uint16_t *offset, unsigned *bytes)
{
	return igdpt_igd_bdsm_register((unsigned)igdpt_igd_generation(device_id), offset, bytes);
}

unsigned igdpt_igd_gms(int gen, uint16_t ggc)
{
	return gen <= 0 ? 0 : igdpt_ggc_gms((unsigned)gen, ggc);
}

uint64_t igdpt_igd_stolen_size(int gen, uint16_t ggc)
{
	/* An unknown generation has no known layout: no guess. */
	return gen <= 0 ? 0 : igdpt_ggc_stolen_size((unsigned)gen, ggc);
}
