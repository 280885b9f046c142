/* SPDX-License-Identifier: MIT */
/* The VBT igdpt builds: a plausible Kaby Lake-class laptop, from scratch.
 *
 * Board: eDP 1920x1080 panel on DDI A, DP++ on B, HDMI on C, DP++ on D, as
 * Intel's own Kaby Lake reference VBT lays them out. Block sizes are the
 * ones real BDB 221 firmware ships (so neither i915 nor intel_vbt_decode
 * finds a block larger than its struct), bdb_size is exact (no one-short
 * quirk) and the checksum adds up. Field meanings: include/igdpt/abi/vbt_blocks.h.
 */
#include <string.h>

#include "igdpt/abi/vbt.h"
#include "igdpt/abi/vbt_blocks.h"
#include "igdpt/build.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/vbt.h"

#define SIGNATURE "$VBT KABYLAKE"
#define BUILD_NUMBER "0221"
#define SIGNON "igdpt synthetic VBT (no video BIOS)\r\n"
#define PANEL_NAME "IGDPT 1080P\n" /* EDID style: LF-terminated, space padded */
#define VBIOS_DATA_SIZE 64u
#define GENDEF_CHILD_COUNT 4u

/* A 15.6" 1920x1080@60 panel, CEA-861 timing (148.5 MHz). */
static const struct panel_timing {
	uint16_t clock_10khz;
	uint16_t hactive, hblank, hsync_off, hsync_width;
	uint16_t vactive, vblank, vsync_off, vsync_width;
	uint16_t width_mm, height_mm;
} panel = {
	.clock_10khz = 14850,
	.hactive = 1920, .hblank = 280, .hsync_off = 88, .hsync_width = 44,
	.vactive = 1080, .vblank = 45, .vsync_off = 4, .vsync_width = 5,
	.width_mm = 344, .height_mm = 194,
};

/* eDP power sequencing in 100 us units (eDP spec T1+T3 <= 200 ms, T12 >= 500 ms). */
#define EDP_T1_T3 2000u
#define EDP_T8 10u
#define EDP_T9 2000u
#define EDP_T10 500u
#define EDP_T11_T12 5000u
#define BACKLIGHT_PWM_HZ 200u
#define BACKLIGHT_FULL 0xFFu
#define HDMI_IBOOST_LEVEL 2u
#define BOOT_BPP 32u
#define BOOT_REFRESH_HZ 60u
#define PNP_PRODUCT_CODE 0x1080u
#define PNP_MFG_WEEK 1u
#define PNP_MFG_YEAR 36u /* 2026 */
#define EISA_LETTER_BITS 5u

struct child {
	uint16_t handle;
	uint16_t device_type;
	uint8_t dvo_port;
	uint8_t ddc_pin;
	uint8_t aux_channel;
	uint8_t support;
};

/* DDC pins matter only for HDMI-capable ports; eDP talks over AUX. */
static const struct child children[GENDEF_CHILD_COUNT] = {
	{ IGDPT_DEVICE_HANDLE_LFP1, IGDPT_DEVICE_TYPE_EDP, IGDPT_DVO_PORT_DPA,
	  IGDPT_DDC_PIN_NONE, IGDPT_DP_AUX_A, IGDPT_CHILD_SUPPORT_DP },
	{ IGDPT_DEVICE_HANDLE_EFP1, IGDPT_DEVICE_TYPE_DP_DUAL_MODE, IGDPT_DVO_PORT_DPB,
	  IGDPT_GMBUS_PIN_DPB, IGDPT_DP_AUX_B,
	  IGDPT_CHILD_SUPPORT_HDMI | IGDPT_CHILD_SUPPORT_DP | IGDPT_CHILD_SUPPORT_TMDS },
	{ IGDPT_DEVICE_HANDLE_EFP2, IGDPT_DEVICE_TYPE_HDMI, IGDPT_DVO_PORT_HDMIC,
	  IGDPT_GMBUS_PIN_DPC, IGDPT_DP_AUX_NONE,
	  IGDPT_CHILD_SUPPORT_HDMI | IGDPT_CHILD_SUPPORT_TMDS },
	{ IGDPT_DEVICE_HANDLE_EFP3, IGDPT_DEVICE_TYPE_DP_DUAL_MODE, IGDPT_DVO_PORT_DPD,
	  IGDPT_GMBUS_PIN_DPD, IGDPT_DP_AUX_D,
	  IGDPT_CHILD_SUPPORT_HDMI | IGDPT_CHILD_SUPPORT_DP | IGDPT_CHILD_SUPPORT_TMDS },
};

/* Block payload sizes, in the order they are written. */
static unsigned gendef_size(void)
{
	return IGDPT_GENDEF_CHILD_DEVS_OFFSET +
	       GENDEF_CHILD_COUNT * igdpt_vbt_child_dev_size(IGDPT_BUILD_REFERENCE_BDB_VERSION);
}

static const struct {
	uint8_t id;
	uint16_t size; /* 0: computed (block 2) */
} layout[] = {
	{ IGDPT_BDB_SKIP, VBIOS_DATA_SIZE },
	{ IGDPT_BDB_GENERAL_FEATURES, IGDPT_GENFEAT_SIZE },
	{ IGDPT_BDB_GENERAL_DEFINITIONS, 0 },
	{ IGDPT_BDB_DRIVER_FEATURES, IGDPT_DRVFEAT_SIZE },
	{ IGDPT_BDB_EDP, IGDPT_EDP_SIZE_BDB_203 },
	{ IGDPT_BDB_LFP_OPTIONS, IGDPT_LFPOPT_SIZE },
	{ IGDPT_BDB_LFP_DATA_PTRS, IGDPT_LFPPTR_SIZE },
	{ IGDPT_BDB_LFP_DATA, IGDPT_LFP_DATA_SIZE },
	{ IGDPT_BDB_LFP_BACKLIGHT, IGDPT_BLC_SIZE_BDB_191 },
	{ IGDPT_BDB_LFP_POWER, IGDPT_LFPPWR_SIZE },
};
#define LAYOUT_COUNT (sizeof(layout) / sizeof(layout[0]))

_Static_assert(IGDPT_CHILD_DP_MAX_LINK_RATE_OFFSET < IGDPT_CHILD_SIZE_BDB_216,
	       "every child field igdpt writes fits the BDB 221 entry");

static uint16_t block_size(unsigned i)
{
	return layout[i].size ? layout[i].size : (uint16_t)gendef_size();
}

static size_t vbt_total_size(void)
{
	size_t total = IGDPT_VBT_HEADER_SIZE + IGDPT_BDB_HEADER_SIZE;

	for (unsigned i = 0; i < LAYOUT_COUNT; i++)
		total += IGDPT_BDB_BLOCK_HEADER_SIZE + block_size(i);
	return total;
}

static void put_string(uint8_t *dst, const char *s, size_t field, uint8_t pad)
{
	size_t n = strlen(s);

	if (n > field)
		n = field;
	memcpy(dst, s, n);
	memset(dst + n, pad, field - n);
}

static void write_vbios_data(uint8_t *p)
{
	put_string(p + IGDPT_VBIOS_BUILD_NUMBER_OFFSET, BUILD_NUMBER,
		   IGDPT_VBIOS_BUILD_NUMBER_SIZE, 0);
	put_string(p + IGDPT_VBIOS_SIGNON_OFFSET, SIGNON,
		   VBIOS_DATA_SIZE - IGDPT_VBIOS_SIGNON_OFFSET, 0);
}

static void write_general_features(uint8_t *p)
{
	p[IGDPT_GENFEAT_BITS1_OFFSET] = IGDPT_GENFEAT_PANEL_FITTING_TEXT_GFX;
	p[IGDPT_GENFEAT_BITS2_OFFSET] = IGDPT_GENFEAT_DISPLAY_CLOCK_MODE;
	p[IGDPT_GENFEAT_LEGACY_MONITOR_DETECT_OFFSET] = 1;
	/* No integrated CRT or TV encoder on Kaby Lake: bits 5 stay 0. */
}

static void write_general_definitions(uint8_t *p)
{
	unsigned size = igdpt_vbt_child_dev_size(IGDPT_BUILD_REFERENCE_BDB_VERSION);

	p[IGDPT_GENDEF_CHILD_DEV_SIZE_OFFSET] = (uint8_t)size;
	for (unsigned i = 0; i < GENDEF_CHILD_COUNT; i++) {
		uint8_t *c = p + IGDPT_GENDEF_CHILD_DEVS_OFFSET + i * size;
		const struct child *d = &children[i];

		igdpt_put_le16(c + IGDPT_CHILD_HANDLE_OFFSET, d->handle);
		igdpt_put_le16(c + IGDPT_CHILD_DEVICE_TYPE_OFFSET, d->device_type);
		c[IGDPT_CHILD_DVO_PORT_OFFSET] = d->dvo_port;
		c[IGDPT_CHILD_DDC_PIN_OFFSET] = d->ddc_pin;
		c[IGDPT_CHILD_SUPPORT_OFFSET] = d->support;
		c[IGDPT_CHILD_AUX_CHANNEL_OFFSET] = d->aux_channel;
		c[IGDPT_CHILD_CAPABILITIES_OFFSET] = IGDPT_CHILD_INTEGRATED_ENCODER;
		if (d->support & IGDPT_CHILD_SUPPORT_HDMI)
			c[IGDPT_CHILD_IBOOST_LEVEL_OFFSET] =
				(uint8_t)(HDMI_IBOOST_LEVEL << IGDPT_CHILD_HDMI_IBOOST_SHIFT);
	}
}

static void write_driver_features(uint8_t *p)
{
	igdpt_put_le16(p + IGDPT_DRVFEAT_BOOT_MODE_X_OFFSET, panel.hactive);
	igdpt_put_le16(p + IGDPT_DRVFEAT_BOOT_MODE_Y_OFFSET, panel.vactive);
	p[IGDPT_DRVFEAT_BOOT_MODE_BPP_OFFSET] = BOOT_BPP;
	p[IGDPT_DRVFEAT_BOOT_MODE_REFRESH_OFFSET] = BOOT_REFRESH_HZ;
	igdpt_put_le16(p + IGDPT_DRVFEAT_FLAGS_OFFSET,
		       (uint16_t)(IGDPT_DRVFEAT_LVDS_CONFIG_EDP << IGDPT_DRVFEAT_LVDS_CONFIG_SHIFT));
	igdpt_put_le16(p + IGDPT_DRVFEAT_FEATURES2_OFFSET, IGDPT_DRVFEAT_PC_FEATURE_VALID);
}

static void write_edp(uint8_t *p)
{
	uint32_t depth = 0;

	for (unsigned i = 0; i < IGDPT_EDP_PANEL_COUNT; i++) {
		uint8_t *ps = p + IGDPT_EDP_POWER_SEQS_OFFSET + i * IGDPT_EDP_POWER_SEQ_SIZE;
		uint8_t *link = p + IGDPT_EDP_FAST_LINK_PARAMS_OFFSET +
				i * IGDPT_EDP_FAST_LINK_PARAMS_SIZE;

		igdpt_put_le16(ps + IGDPT_EDP_PS_T1_T3_OFFSET, EDP_T1_T3);
		igdpt_put_le16(ps + IGDPT_EDP_PS_T8_OFFSET, EDP_T8);
		igdpt_put_le16(ps + IGDPT_EDP_PS_T9_OFFSET, EDP_T9);
		igdpt_put_le16(ps + IGDPT_EDP_PS_T10_OFFSET, EDP_T10);
		igdpt_put_le16(ps + IGDPT_EDP_PS_T11_T12_OFFSET, EDP_T11_T12);
		link[0] = (uint8_t)(IGDPT_EDP_RATE_2_7 | IGDPT_EDP_LANE_4 << IGDPT_EDP_LINK_LANES_SHIFT);
		depth |= IGDPT_EDP_24BPP << (i * IGDPT_EDP_COLOR_DEPTH_BITS);
	}
	igdpt_put_le32(p + IGDPT_EDP_COLOR_DEPTH_OFFSET, depth);
}

static void write_lfp_options(uint8_t *p)
{
	uint32_t blt = 0;
	uint16_t depth = 0;

	p[IGDPT_LFPOPT_PANEL_TYPE_OFFSET] = 0;
	p[IGDPT_LFPOPT_PANEL_TYPE2_OFFSET] = 0;
	for (unsigned i = 0; i < IGDPT_LFP_PANEL_COUNT; i++) {
		blt |= IGDPT_LFPOPT_BLT_CONTROL_PWM << (i * IGDPT_LFPOPT_BLT_CONTROL_BITS);
		depth |= (uint16_t)(IGDPT_LFPOPT_COLOR_DEPTH_24BPP << i);
	}
	igdpt_put_le16(p + IGDPT_LFPOPT_PANEL_COLOR_DEPTH_OFFSET, depth);
	igdpt_put_le32(p + IGDPT_LFPOPT_BLT_CONTROL_TYPE_BITS_OFFSET, blt);
}

/* Pointers count from the BDB header; lfp_data is block 42's payload offset. */
static void write_lfp_data_ptrs(uint8_t *p, size_t lfp_data)
{
	p[IGDPT_LFPPTR_ENTRIES_OFFSET] = IGDPT_LFPPTR_ENTRIES_VALUE;
	for (unsigned i = 0; i < IGDPT_LFP_PANEL_COUNT; i++) {
		uint8_t *ptr = p + IGDPT_LFPPTR_PTRS_OFFSET + i * IGDPT_LFPPTR_PTR_SIZE;
		size_t entry = lfp_data + i * IGDPT_LFP_ENTRY_SIZE;

		igdpt_put_le16(ptr + IGDPT_LFPPTR_FP_OFFSET, (uint16_t)entry);
		ptr[IGDPT_LFPPTR_FP_SIZE] = IGDPT_LFP_FP_TIMING_DECLARED_SIZE;
		igdpt_put_le16(ptr + IGDPT_LFPPTR_DVO_OFFSET,
			       (uint16_t)(entry + IGDPT_LFP_DTD_IN_ENTRY));
		ptr[IGDPT_LFPPTR_DVO_SIZE] = IGDPT_LFP_DTD_SIZE;
		igdpt_put_le16(ptr + IGDPT_LFPPTR_PNP_OFFSET,
			       (uint16_t)(entry + IGDPT_LFP_PNP_IN_ENTRY));
		ptr[IGDPT_LFPPTR_PNP_SIZE] = IGDPT_LFP_PNP_ID_SIZE;
	}
	igdpt_put_le16(p + IGDPT_LFPPTR_PANEL_NAME_OFFSET,
		       (uint16_t)(lfp_data + IGDPT_LFP_PANEL_NAMES_OFFSET));
	p[IGDPT_LFPPTR_PANEL_NAME_SIZE_OFFSET] = IGDPT_LFP_PANEL_NAME_SIZE;
}

static uint8_t lo8(unsigned v)
{
	return (uint8_t)(v & IGDPT_DTD_LO_MASK);
}

/* The bits of v above its low `lo_bits`, masked to `hi_mask`. */
static unsigned hi(unsigned v, unsigned lo_bits, unsigned hi_mask)
{
	return (v >> lo_bits) & hi_mask;
}

static uint8_t nibbles(unsigned low, unsigned high)
{
	return (uint8_t)((low & IGDPT_DTD_NIBBLE_MASK) |
			 (high & IGDPT_DTD_NIBBLE_MASK) << IGDPT_DTD_NIBBLE_BITS);
}

static void write_dtd(uint8_t *d)
{
	const struct panel_timing *t = &panel;
	const unsigned byte = IGDPT_DTD_LO_BITS, nib = IGDPT_DTD_NIBBLE_BITS;
	const unsigned m2 = IGDPT_DTD_HI2_MASK;

	igdpt_put_le16(d + IGDPT_DTD_CLOCK_OFFSET, t->clock_10khz);
	d[IGDPT_DTD_HACTIVE_LO_OFFSET] = lo8(t->hactive);
	d[IGDPT_DTD_HBLANK_LO_OFFSET] = lo8(t->hblank);
	d[IGDPT_DTD_H_HI_OFFSET] = nibbles(t->hblank >> byte, t->hactive >> byte);
	d[IGDPT_DTD_VACTIVE_LO_OFFSET] = lo8(t->vactive);
	d[IGDPT_DTD_VBLANK_LO_OFFSET] = lo8(t->vblank);
	d[IGDPT_DTD_V_HI_OFFSET] = nibbles(t->vblank >> byte, t->vactive >> byte);
	d[IGDPT_DTD_HSYNC_OFF_LO_OFFSET] = lo8(t->hsync_off);
	d[IGDPT_DTD_HSYNC_WIDTH_LO_OFFSET] = lo8(t->hsync_width);
	/* Vertical sync fields: 4 low bits here, 2 high bits below. */
	d[IGDPT_DTD_VSYNC_LO_OFFSET] = nibbles(t->vsync_width, t->vsync_off);
	d[IGDPT_DTD_SYNC_HI_OFFSET] =
		(uint8_t)(hi(t->vsync_width, nib, m2) << IGDPT_DTD_VSYNC_WIDTH_HI_SHIFT |
			  hi(t->vsync_off, nib, m2) << IGDPT_DTD_VSYNC_OFF_HI_SHIFT |
			  hi(t->hsync_width, byte, m2) << IGDPT_DTD_HSYNC_WIDTH_HI_SHIFT |
			  hi(t->hsync_off, byte, m2) << IGDPT_DTD_HSYNC_OFF_HI_SHIFT);
	d[IGDPT_DTD_HIMAGE_LO_OFFSET] = lo8(t->width_mm);
	d[IGDPT_DTD_VIMAGE_LO_OFFSET] = lo8(t->height_mm);
	d[IGDPT_DTD_IMAGE_HI_OFFSET] = nibbles(t->height_mm >> byte, t->width_mm >> byte);
	d[IGDPT_DTD_FLAGS_OFFSET] =
		IGDPT_DTD_DIGITAL_SEPARATE | IGDPT_DTD_VSYNC_POSITIVE | IGDPT_DTD_HSYNC_POSITIVE;
}

/* EISA 3-letter manufacturer id, stored big-endian as EDID does. */
static void write_pnp(uint8_t *p)
{
	static const char mfg[] = "IGD";
	unsigned id = 0;

	for (unsigned i = 0; i < 3; i++)
		id = id << EISA_LETTER_BITS | (unsigned)(mfg[i] - 'A' + 1);
	p[IGDPT_PNP_MFG_NAME_OFFSET] = (uint8_t)(id >> IGDPT_DTD_LO_BITS);
	p[IGDPT_PNP_MFG_NAME_OFFSET + 1] = lo8(id);
	igdpt_put_le16(p + IGDPT_PNP_PRODUCT_CODE_OFFSET, PNP_PRODUCT_CODE);
	igdpt_put_le32(p + IGDPT_PNP_SERIAL_OFFSET, 0);
	p[IGDPT_PNP_MFG_WEEK_OFFSET] = PNP_MFG_WEEK;
	p[IGDPT_PNP_MFG_YEAR_OFFSET] = PNP_MFG_YEAR;
}

/* Every panel type gets the same panel, so any panel_type a driver picks
 * (0 here, or one from a PnP match) describes it. */
static void write_lfp_data(uint8_t *p)
{
	for (unsigned i = 0; i < IGDPT_LFP_PANEL_COUNT; i++) {
		uint8_t *e = p + i * IGDPT_LFP_ENTRY_SIZE;

		igdpt_put_le16(e + IGDPT_LFP_FP_X_RES_OFFSET, panel.hactive);
		igdpt_put_le16(e + IGDPT_LFP_FP_Y_RES_OFFSET, panel.vactive);
		igdpt_put_le16(e + IGDPT_LFP_FP_TERMINATOR_OFFSET, IGDPT_LFP_FP_TERMINATOR);
		write_dtd(e + IGDPT_LFP_DTD_IN_ENTRY);
		write_pnp(e + IGDPT_LFP_PNP_IN_ENTRY);
		put_string(p + IGDPT_LFP_PANEL_NAMES_OFFSET + i * IGDPT_LFP_PANEL_NAME_SIZE,
			   PANEL_NAME, IGDPT_LFP_PANEL_NAME_SIZE, ' ');
	}
}

static void write_backlight(uint8_t *p)
{
	p[IGDPT_BLC_ENTRY_SIZE_OFFSET] = IGDPT_BLC_ENTRY_SIZE;
	for (unsigned i = 0; i < IGDPT_LFP_PANEL_COUNT; i++) {
		uint8_t *e = p + IGDPT_BLC_DATA_OFFSET + i * IGDPT_BLC_ENTRY_SIZE;

		e[IGDPT_BLC_TYPE_OFFSET] = IGDPT_BLC_TYPE_PWM;
		igdpt_put_le16(e + IGDPT_BLC_PWM_FREQ_OFFSET, BACKLIGHT_PWM_HZ);
		e[IGDPT_BLC_MIN_BRIGHTNESS_OFFSET] = 0;
		p[IGDPT_BLC_LEVEL_OFFSET + i] = BACKLIGHT_FULL;
		p[IGDPT_BLC_CONTROL_OFFSET + i] = IGDPT_BLC_TYPE_PWM; /* PWM, controller 0 */
	}
}

static void write_lfp_power(uint8_t *p)
{
	/* No DPST/ALS features: a VM has no ambient light sensor. */
	p[IGDPT_LFPPWR_FEATURE_BITS_OFFSET] = 0;
}

int igdpt_build_reference_vbt(uint8_t *out, size_t cap, size_t *out_len)
{
	size_t total = vbt_total_size();
	size_t pos, bdb = IGDPT_VBT_HEADER_SIZE, lfp_data = 0;

	*out_len = total;
	if (cap < total)
		return -IGDPT_ENOSPC;
	memset(out, 0, total);

	put_string(out + IGDPT_VBT_SIGNATURE_OFFSET, SIGNATURE, IGDPT_VBT_SIGNATURE_SIZE, ' ');
	igdpt_put_le16(out + IGDPT_VBT_VERSION_OFFSET, IGDPT_VBT_HEADER_VERSION);
	igdpt_put_le16(out + IGDPT_VBT_HEADER_SIZE_OFFSET, IGDPT_VBT_HEADER_SIZE);
	igdpt_put_le16(out + IGDPT_VBT_VBT_SIZE_OFFSET, (uint16_t)total);
	igdpt_put_le32(out + IGDPT_VBT_BDB_OFFSET_OFFSET, (uint32_t)bdb);

	memcpy(out + bdb, IGDPT_BDB_SIGNATURE, IGDPT_BDB_SIGNATURE_SIZE);
	igdpt_put_le16(out + bdb + IGDPT_BDB_VERSION_OFFSET, IGDPT_BUILD_REFERENCE_BDB_VERSION);
	igdpt_put_le16(out + bdb + IGDPT_BDB_HEADER_SIZE_OFFSET, IGDPT_BDB_HEADER_SIZE);
	/* Exact: header plus every block, unlike firmware's one-short value. */
	igdpt_put_le16(out + bdb + IGDPT_BDB_BDB_SIZE_OFFSET, (uint16_t)(total - bdb));

	/* Block 41 needs block 42's place: find it first. */
	pos = bdb + IGDPT_BDB_HEADER_SIZE;
	for (unsigned i = 0; i < LAYOUT_COUNT; i++) {
		if (layout[i].id == IGDPT_BDB_LFP_DATA)
			lfp_data = pos + IGDPT_BDB_BLOCK_HEADER_SIZE - bdb;
		pos += IGDPT_BDB_BLOCK_HEADER_SIZE + block_size(i);
	}

	pos = bdb + IGDPT_BDB_HEADER_SIZE;
	for (unsigned i = 0; i < LAYOUT_COUNT; i++) {
		uint8_t *blk = out + pos + IGDPT_BDB_BLOCK_HEADER_SIZE;

		out[pos + IGDPT_BDB_BLOCK_ID_OFFSET] = layout[i].id;
		igdpt_put_le16(out + pos + IGDPT_BDB_BLOCK_SIZE_OFFSET, block_size(i));
		switch (layout[i].id) {
		case IGDPT_BDB_SKIP:
			write_vbios_data(blk);
			break;
		case IGDPT_BDB_GENERAL_FEATURES:
			write_general_features(blk);
			break;
		case IGDPT_BDB_GENERAL_DEFINITIONS:
			write_general_definitions(blk);
			break;
		case IGDPT_BDB_DRIVER_FEATURES:
			write_driver_features(blk);
			break;
		case IGDPT_BDB_EDP:
			write_edp(blk);
			break;
		case IGDPT_BDB_LFP_OPTIONS:
			write_lfp_options(blk);
			break;
		case IGDPT_BDB_LFP_DATA_PTRS:
			write_lfp_data_ptrs(blk, lfp_data);
			break;
		case IGDPT_BDB_LFP_DATA:
			write_lfp_data(blk);
			break;
		case IGDPT_BDB_LFP_BACKLIGHT:
			write_backlight(blk);
			break;
		case IGDPT_BDB_LFP_POWER:
			write_lfp_power(blk);
			break;
		default:
			break;
		}
		pos += IGDPT_BDB_BLOCK_HEADER_SIZE + block_size(i);
	}

	/* The byte sum of vbt_size bytes must be 0 mod 256 (the VBT header's checksum). */
	out[IGDPT_VBT_CHECKSUM_OFFSET] = (uint8_t)(0u - igdpt_bytes_sum8(out, total));
	return 0;
}
