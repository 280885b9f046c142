/* SPDX-License-Identifier: MIT */
/* Field offsets inside the VBT data blocks that igdpt's VBT builder writes.
 *
 * Follows Linux i915 display/intel_vbt_defs.h (struct layouts, constants)
 * and what intel_vbt_decode (igt) accepts, checked against real BDB 211-221
 * Kaby Lake / Whiskey Lake VBTs. Offsets are from the
 * start of a block's payload (after its 3-byte id/size header) unless the
 * name says otherwise; all multi-byte fields are little-endian.
 */
#ifndef IGDPT_ABI_VBT_BLOCKS_H
#define IGDPT_ABI_VBT_BLOCKS_H

#include "igdpt/core/api.h"

/* VBT header version every real VBT carries ("1.0"). */
#define IGDPT_VBT_HEADER_VERSION 100u

/* Block 254 (BIOS data, "skip" block). Firmware puts a 4-digit VBIOS build
 * number here; coreboot copies it into the OpRegion VVER. */
#define IGDPT_VBIOS_BUILD_NUMBER_OFFSET 6u
#define IGDPT_VBIOS_BUILD_NUMBER_SIZE 4u
#define IGDPT_VBIOS_SIGNON_OFFSET 10u

/* Block 1: general features (5 bytes). */
#define IGDPT_GENFEAT_BITS1_OFFSET 0u
#define IGDPT_GENFEAT_PANEL_FITTING_TEXT_GFX 0x3u /* bits 1:0 */
#define IGDPT_GENFEAT_BITS2_OFFSET 1u
#define IGDPT_GENFEAT_DISPLAY_CLOCK_MODE (1u << 6) /* dynamic CD clock */
#define IGDPT_GENFEAT_BITS3_OFFSET 2u
#define IGDPT_GENFEAT_LEGACY_MONITOR_DETECT_OFFSET 3u
#define IGDPT_GENFEAT_BITS5_OFFSET 4u
#define IGDPT_GENFEAT_SIZE 5u

/* Child device entry inside block 2 (offsets within one entry). */
#define IGDPT_CHILD_HANDLE_OFFSET 0u      /* u16 */
#define IGDPT_CHILD_DEVICE_TYPE_OFFSET 2u /* u16 */
#define IGDPT_CHILD_I2C_SPEED_OFFSET 4u
#define IGDPT_CHILD_ADDIN_OFFSET_OFFSET 14u /* u16 */
#define IGDPT_CHILD_DVO_PORT_OFFSET 16u
#define IGDPT_CHILD_I2C_PIN_OFFSET 17u
#define IGDPT_CHILD_SLAVE_ADDR_OFFSET 18u
#define IGDPT_CHILD_DDC_PIN_OFFSET 19u
#define IGDPT_CHILD_EDID_PTR_OFFSET 20u /* u16 */
#define IGDPT_CHILD_DVO_CFG_OFFSET 22u
#define IGDPT_CHILD_FLAGS0_OFFSET 23u  /* efp_routed, lane_reversal, ... */
#define IGDPT_CHILD_SUPPORT_OFFSET 24u /* BDB 158+ */
#define IGDPT_CHILD_SUPPORT_HDMI (1u << 0)
#define IGDPT_CHILD_SUPPORT_DP (1u << 1)
#define IGDPT_CHILD_SUPPORT_TMDS (1u << 2)
#define IGDPT_CHILD_AUX_CHANNEL_OFFSET 25u
#define IGDPT_CHILD_DONGLE_DETECT_OFFSET 26u
#define IGDPT_CHILD_CAPABILITIES_OFFSET 27u
#define IGDPT_CHILD_INTEGRATED_ENCODER (1u << 5)
#define IGDPT_CHILD_DVO_WIRING_OFFSET 28u
#define IGDPT_CHILD_IBOOST_LEVEL_OFFSET 37u /* dp bits 3:0, hdmi bits 7:4 */
#define IGDPT_CHILD_HDMI_IBOOST_SHIFT 4u
#define IGDPT_CHILD_DP_MAX_LINK_RATE_OFFSET 38u /* BDB 216+ */
/* Entry size that holds every field above (BDB 216-255, Linux's table). */
#define IGDPT_CHILD_SIZE_BDB_216 39u

/* Device handles (which display the entry describes). */
#define IGDPT_DEVICE_HANDLE_EFP1 0x0004u
#define IGDPT_DEVICE_HANDLE_LFP1 0x0008u
#define IGDPT_DEVICE_HANDLE_EFP4 0x0010u
#define IGDPT_DEVICE_HANDLE_EFP3 0x0020u
#define IGDPT_DEVICE_HANDLE_EFP2 0x0040u
#define IGDPT_DEVICE_HANDLE_LFP2 0x0080u

/* Device type bits (child device_type) and the combinations i915 names. */
#define IGDPT_DEVICE_TYPE_POWER_MANAGEMENT (1u << 14)
#define IGDPT_DEVICE_TYPE_HOTPLUG_SIGNALING (1u << 13)
#define IGDPT_DEVICE_TYPE_INTERNAL_CONNECTOR (1u << 12)
#define IGDPT_DEVICE_TYPE_NOT_HDMI_OUTPUT (1u << 11)
#define IGDPT_DEVICE_TYPE_MIPI_OUTPUT (1u << 10)
#define IGDPT_DEVICE_TYPE_CONTENT_PROTECTION (1u << 7)
#define IGDPT_DEVICE_TYPE_HIGH_SPEED_LINK (1u << 6)
#define IGDPT_DEVICE_TYPE_LVDS_SIGNALING (1u << 5)
#define IGDPT_DEVICE_TYPE_TMDS_DVI_SIGNALING (1u << 4)
#define IGDPT_DEVICE_TYPE_DISPLAYPORT_OUTPUT (1u << 2)
#define IGDPT_DEVICE_TYPE_DIGITAL_OUTPUT (1u << 1)
#define IGDPT_DEVICE_TYPE_ANALOG_OUTPUT (1u << 0)
#define IGDPT_DEVICE_TYPE_HDMI                                                          \
	(IGDPT_DEVICE_TYPE_POWER_MANAGEMENT | IGDPT_DEVICE_TYPE_HOTPLUG_SIGNALING |      \
	 IGDPT_DEVICE_TYPE_CONTENT_PROTECTION | IGDPT_DEVICE_TYPE_HIGH_SPEED_LINK |      \
	 IGDPT_DEVICE_TYPE_TMDS_DVI_SIGNALING | IGDPT_DEVICE_TYPE_DIGITAL_OUTPUT)
#define IGDPT_DEVICE_TYPE_DP_DUAL_MODE \
	(IGDPT_DEVICE_TYPE_HDMI | IGDPT_DEVICE_TYPE_DISPLAYPORT_OUTPUT)
#define IGDPT_DEVICE_TYPE_DP                                                            \
	(IGDPT_DEVICE_TYPE_POWER_MANAGEMENT | IGDPT_DEVICE_TYPE_HOTPLUG_SIGNALING |      \
	 IGDPT_DEVICE_TYPE_NOT_HDMI_OUTPUT | IGDPT_DEVICE_TYPE_CONTENT_PROTECTION |      \
	 IGDPT_DEVICE_TYPE_HIGH_SPEED_LINK | IGDPT_DEVICE_TYPE_DISPLAYPORT_OUTPUT |      \
	 IGDPT_DEVICE_TYPE_DIGITAL_OUTPUT)
#define IGDPT_DEVICE_TYPE_EDP (IGDPT_DEVICE_TYPE_DP | IGDPT_DEVICE_TYPE_INTERNAL_CONNECTOR)
IGDPT_STATIC_ASSERT(IGDPT_DEVICE_TYPE_HDMI == 0x60D2u, "DEVICE_TYPE_HDMI as in i915");
IGDPT_STATIC_ASSERT(IGDPT_DEVICE_TYPE_DP_DUAL_MODE == 0x60D6u, "DEVICE_TYPE_DP_DUAL_MODE as in i915");
IGDPT_STATIC_ASSERT(IGDPT_DEVICE_TYPE_DP == 0x68C6u, "DEVICE_TYPE_DP as in i915");
IGDPT_STATIC_ASSERT(IGDPT_DEVICE_TYPE_EDP == 0x78C6u, "DEVICE_TYPE_eDP as in i915");

/* dvo_port values (BDB 155+). */
#define IGDPT_DVO_PORT_HDMIB 1u
#define IGDPT_DVO_PORT_HDMIC 2u
#define IGDPT_DVO_PORT_HDMID 3u
#define IGDPT_DVO_PORT_DPB 7u
#define IGDPT_DVO_PORT_DPC 8u
#define IGDPT_DVO_PORT_DPD 9u
#define IGDPT_DVO_PORT_DPA 10u

/* aux_channel values. */
#define IGDPT_DP_AUX_NONE 0x00u
#define IGDPT_DP_AUX_A 0x40u
#define IGDPT_DP_AUX_B 0x10u
#define IGDPT_DP_AUX_C 0x20u
#define IGDPT_DP_AUX_D 0x30u

/* ddc_pin values on a Sunrise Point PCH (Skylake/Kaby Lake): i915 uses them
 * as GMBUS pins directly (no PCH remap table before Cannon Point). */
#define IGDPT_DDC_PIN_NONE 0u
#define IGDPT_GMBUS_PIN_DPC 4u
#define IGDPT_GMBUS_PIN_DPB 5u
#define IGDPT_GMBUS_PIN_DPD 6u

/* Block 12: driver features (19 bytes). */
#define IGDPT_DRVFEAT_BITS1_OFFSET 0u
#define IGDPT_DRVFEAT_BOOT_MODE_X_OFFSET 1u /* u16 */
#define IGDPT_DRVFEAT_BOOT_MODE_Y_OFFSET 3u /* u16 */
#define IGDPT_DRVFEAT_BOOT_MODE_BPP_OFFSET 5u
#define IGDPT_DRVFEAT_BOOT_MODE_REFRESH_OFFSET 6u
#define IGDPT_DRVFEAT_FLAGS_OFFSET 7u /* u16 */
#define IGDPT_DRVFEAT_LVDS_CONFIG_SHIFT 11u
#define IGDPT_DRVFEAT_LVDS_CONFIG_MASK 0x3u
/* "internal SDVO LVDS": what real eDP-era VBTs write and i915 reads as eDP. */
#define IGDPT_DRVFEAT_LVDS_CONFIG_EDP 3u
#define IGDPT_DRVFEAT_HDMI_TERMINATION_OFFSET 15u
#define IGDPT_DRVFEAT_FEATURES2_OFFSET 17u /* u16 */
#define IGDPT_DRVFEAT_PC_FEATURE_VALID (1u << 15)
#define IGDPT_DRVFEAT_SIZE 19u

/* Block 27: eDP. 16 entries per table, one per panel type. */
#define IGDPT_EDP_PANEL_COUNT 16u
#define IGDPT_EDP_POWER_SEQS_OFFSET 0u
#define IGDPT_EDP_POWER_SEQ_SIZE 10u /* u16 t1_t3, t8, t9, t10, t11_t12, 100 us units */
#define IGDPT_EDP_PS_T1_T3_OFFSET 0u
#define IGDPT_EDP_PS_T8_OFFSET 2u
#define IGDPT_EDP_PS_T9_OFFSET 4u
#define IGDPT_EDP_PS_T10_OFFSET 6u
#define IGDPT_EDP_PS_T11_T12_OFFSET 8u
#define IGDPT_EDP_COLOR_DEPTH_OFFSET 160u /* u32, 2 bits per panel */
#define IGDPT_EDP_COLOR_DEPTH_BITS 2u
#define IGDPT_EDP_24BPP 1u
#define IGDPT_EDP_FAST_LINK_PARAMS_OFFSET 164u /* 2 bytes per panel */
#define IGDPT_EDP_FAST_LINK_PARAMS_SIZE 2u
#define IGDPT_EDP_LINK_LANES_SHIFT 4u /* rate bits 3:0, lanes bits 7:4 */
#define IGDPT_EDP_RATE_2_7 1u
#define IGDPT_EDP_LANE_4 3u
#define IGDPT_EDP_PWM_DELAYS_OFFSET 216u
#define IGDPT_EDP_FULL_LINK_PARAMS_OFFSET 282u
#define IGDPT_EDP_APICAL_ENABLE_OFFSET 298u /* BDB 203+ */
#define IGDPT_EDP_APICAL_PARAMS_OFFSET 300u /* 16 x 28 bytes */
#define IGDPT_EDP_SIZE_BDB_203 748u        /* through the apical parameters */

/* Block 40: LFP options (26 bytes through BDB 227). */
#define IGDPT_LFPOPT_PANEL_TYPE_OFFSET 0u
#define IGDPT_LFPOPT_PANEL_TYPE2_OFFSET 1u
#define IGDPT_LFPOPT_CAPS_OFFSET 2u
#define IGDPT_LFPOPT_PANEL_CHANNEL_BITS_OFFSET 4u /* u32 */
#define IGDPT_LFPOPT_SSC_BITS_OFFSET 8u            /* u16 */
#define IGDPT_LFPOPT_PANEL_COLOR_DEPTH_OFFSET 14u  /* u16, 1 bit per panel */
#define IGDPT_LFPOPT_COLOR_DEPTH_24BPP 1u
#define IGDPT_LFPOPT_DPS_PANEL_TYPE_BITS_OFFSET 16u /* u32 */
#define IGDPT_LFPOPT_BLT_CONTROL_TYPE_BITS_OFFSET 20u /* u32, 2 bits per panel */
#define IGDPT_LFPOPT_BLT_CONTROL_BITS 2u
#define IGDPT_LFPOPT_BLT_CONTROL_PWM 2u
#define IGDPT_LFPOPT_LCDVCC_S0_ENABLE_OFFSET 24u /* u16, BDB 200+ */
#define IGDPT_LFPOPT_SIZE 26u

/* Block 41: LFP data table pointers. Offsets in it count from the BDB
 * header; i915 and igt check the tables are uniform and in block 42. */
#define IGDPT_LFP_PANEL_COUNT 16u
#define IGDPT_LFPPTR_ENTRIES_OFFSET 0u
#define IGDPT_LFPPTR_ENTRIES_VALUE 3u /* fp timing + DTD + PnP id */
#define IGDPT_LFPPTR_PTRS_OFFSET 1u
#define IGDPT_LFPPTR_PTR_SIZE 9u
#define IGDPT_LFPPTR_FP_OFFSET 0u   /* u16 */
#define IGDPT_LFPPTR_FP_SIZE 2u
#define IGDPT_LFPPTR_DVO_OFFSET 3u  /* u16 */
#define IGDPT_LFPPTR_DVO_SIZE 5u
#define IGDPT_LFPPTR_PNP_OFFSET 6u  /* u16 */
#define IGDPT_LFPPTR_PNP_SIZE 8u
#define IGDPT_LFPPTR_PANEL_NAME_OFFSET 145u      /* u16 */
#define IGDPT_LFPPTR_PANEL_NAME_SIZE_OFFSET 147u /* u8 */
#define IGDPT_LFPPTR_SIZE 148u

/* Block 42: LFP data. Each of 16 entries: fp timing, DTD, PnP id. */
#define IGDPT_LFP_FP_TIMING_SIZE 38u /* incl. the 0xFFFF terminator */
/* Real firmware declares 32 in block 41 and keeps 6 more bytes, ending in
 * the terminator; i915 and igt accept exactly that (+6) or the full 38. */
#define IGDPT_LFP_FP_TIMING_DECLARED_SIZE 32u
#define IGDPT_LFP_FP_X_RES_OFFSET 0u /* u16 */
#define IGDPT_LFP_FP_Y_RES_OFFSET 2u /* u16 */
#define IGDPT_LFP_FP_TERMINATOR_OFFSET 36u /* u16 */
#define IGDPT_LFP_FP_TERMINATOR 0xFFFFu
#define IGDPT_LFP_DTD_SIZE 18u
#define IGDPT_LFP_PNP_ID_SIZE 10u
#define IGDPT_LFP_ENTRY_SIZE \
	(IGDPT_LFP_FP_TIMING_SIZE + IGDPT_LFP_DTD_SIZE + IGDPT_LFP_PNP_ID_SIZE)
#define IGDPT_LFP_DTD_IN_ENTRY IGDPT_LFP_FP_TIMING_SIZE
#define IGDPT_LFP_PNP_IN_ENTRY (IGDPT_LFP_FP_TIMING_SIZE + IGDPT_LFP_DTD_SIZE)
#define IGDPT_LFP_PANEL_NAMES_OFFSET (IGDPT_LFP_PANEL_COUNT * IGDPT_LFP_ENTRY_SIZE)
#define IGDPT_LFP_PANEL_NAME_SIZE 13u
#define IGDPT_LFP_TAIL_OFFSET \
	(IGDPT_LFP_PANEL_NAMES_OFFSET + IGDPT_LFP_PANEL_COUNT * IGDPT_LFP_PANEL_NAME_SIZE)
/* scaling_enable u16, seamless DRRS min refresh [16], pixel overlap [16]. */
#define IGDPT_LFP_TAIL_SIZE 34u
#define IGDPT_LFP_DATA_SIZE (IGDPT_LFP_TAIL_OFFSET + IGDPT_LFP_TAIL_SIZE)
IGDPT_STATIC_ASSERT(IGDPT_LFP_DATA_SIZE == 1298u, "block 42 as real BDB 221 firmware ships it");

/* The 18-byte detailed timing descriptor (struct lvds_dvo_timing). */
#define IGDPT_DTD_CLOCK_OFFSET 0u /* u16, 10 kHz units */
#define IGDPT_DTD_HACTIVE_LO_OFFSET 2u
#define IGDPT_DTD_HBLANK_LO_OFFSET 3u
#define IGDPT_DTD_H_HI_OFFSET 4u /* hblank_hi bits 3:0, hactive_hi bits 7:4 */
#define IGDPT_DTD_VACTIVE_LO_OFFSET 5u
#define IGDPT_DTD_VBLANK_LO_OFFSET 6u
#define IGDPT_DTD_V_HI_OFFSET 7u /* vblank_hi bits 3:0, vactive_hi bits 7:4 */
#define IGDPT_DTD_HSYNC_OFF_LO_OFFSET 8u
#define IGDPT_DTD_HSYNC_WIDTH_LO_OFFSET 9u
#define IGDPT_DTD_VSYNC_LO_OFFSET 10u /* width bits 3:0, offset bits 7:4 */
#define IGDPT_DTD_SYNC_HI_OFFSET 11u  /* vwidth 1:0, voff 3:2, hwidth 5:4, hoff 7:6 */
#define IGDPT_DTD_HIMAGE_LO_OFFSET 12u
#define IGDPT_DTD_VIMAGE_LO_OFFSET 13u
#define IGDPT_DTD_IMAGE_HI_OFFSET 14u /* vimage_hi bits 3:0, himage_hi bits 7:4 */
#define IGDPT_DTD_H_BORDER_OFFSET 15u
#define IGDPT_DTD_V_BORDER_OFFSET 16u
#define IGDPT_DTD_FLAGS_OFFSET 17u
#define IGDPT_DTD_DIGITAL_SEPARATE (3u << 3)   /* digital:2 */
#define IGDPT_DTD_VSYNC_POSITIVE (1u << 5)     /* as i915's struct reads it */
#define IGDPT_DTD_HSYNC_POSITIVE (1u << 6)
#define IGDPT_DTD_VSYNC_WIDTH_HI_SHIFT 0u
#define IGDPT_DTD_VSYNC_OFF_HI_SHIFT 2u
#define IGDPT_DTD_HSYNC_WIDTH_HI_SHIFT 4u
#define IGDPT_DTD_HSYNC_OFF_HI_SHIFT 6u
#define IGDPT_DTD_HI2_MASK 0x3u
#define IGDPT_DTD_NIBBLE_BITS 4u
#define IGDPT_DTD_NIBBLE_MASK 0xFu
#define IGDPT_DTD_LO_BITS 8u
#define IGDPT_DTD_LO_MASK 0xFFu

/* PnP id (EDID vendor/product bytes). */
#define IGDPT_PNP_MFG_NAME_OFFSET 0u /* EISA id, big-endian as in EDID */
#define IGDPT_PNP_PRODUCT_CODE_OFFSET 2u /* u16 */
#define IGDPT_PNP_SERIAL_OFFSET 4u       /* u32 */
#define IGDPT_PNP_MFG_WEEK_OFFSET 8u
#define IGDPT_PNP_MFG_YEAR_OFFSET 9u /* years since 1990 */

/* Block 43: LFP backlight (129 bytes before BDB 234). */
#define IGDPT_BLC_ENTRY_SIZE_OFFSET 0u
#define IGDPT_BLC_ENTRY_SIZE 6u
#define IGDPT_BLC_DATA_OFFSET 1u /* 16 entries of IGDPT_BLC_ENTRY_SIZE */
#define IGDPT_BLC_TYPE_OFFSET 0u /* type bits 1:0, active_low_pwm bit 2 */
#define IGDPT_BLC_TYPE_PWM 2u
#define IGDPT_BLC_PWM_FREQ_OFFSET 1u /* u16, Hz */
#define IGDPT_BLC_MIN_BRIGHTNESS_OFFSET 3u
#define IGDPT_BLC_LEVEL_OFFSET 97u   /* u8[16] */
#define IGDPT_BLC_CONTROL_OFFSET 113u /* u8[16]: type bits 3:0, controller 7:4 */
#define IGDPT_BLC_SIZE_BDB_191 129u

/* Block 44: LFP power conservation features (22 bytes as BDB 221 ships). */
#define IGDPT_LFPPWR_FEATURE_BITS_OFFSET 0u
#define IGDPT_LFPPWR_ALS_OFFSET 1u /* 5 x {u16 backlight_adjust, u16 lux} */
#define IGDPT_LFPPWR_ALS_COUNT 5u
#define IGDPT_LFPPWR_ALS_ENTRY_SIZE 4u
#define IGDPT_LFPPWR_LACE_PROFILE_OFFSET 21u
#define IGDPT_LFPPWR_SIZE 22u

#endif
