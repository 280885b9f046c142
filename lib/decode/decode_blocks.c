/* SPDX-License-Identifier: MIT */
/* Contents of the BDB blocks i915 uses, as layout tables per BDB version.
 *
 * Layouts follow Linux display/intel_vbt_defs.h and igt intel_vbt_decode
 * (facts only; the bit numbering is the C little-endian bit-field order those
 * structs rely on). A block shorter than its struct for the BDB version at
 * hand is decoded as far as its bytes go: every table entry is checked
 * against the block size, never against the struct size.
 */
#include <stdio.h>

#include "decode_internal.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/abi/vbt_blocks.h"
#include "igdpt/core/bytes.h"
#include "igdpt/decode.h"

#define PANEL_COUNT DEC_PANEL_COUNT

/* A per-panel table: only ctx->only_panel's entry unless all were asked for;
 * each entry records its index as "panel". */
static void panel_array(const struct dec_vbt_ctx *ctx, dec_node *parent, const char *name,
			const uint8_t *p, size_t len, size_t base, size_t stride, unsigned count,
			const struct dec_field *table, size_t n, unsigned version)
{
	dec_struct_array(ctx->d, parent, name, p, len, base, stride, count, ctx->only_panel,
			 "panel", table, n, version);
}

/* ---- block 1: general features ----------------------------------------- */

static const struct dec_field general_features[] = {
	DBITE("panel_fitting", 0, 1, 0, 2, dec_name_panel_fitting),
	DBIT("flexaim", 0, 1, 2, 1, DEC_BOOL),
	DBIT("msg_enable", 0, 1, 3, 1, DEC_BOOL),
	DBIT("clear_screen", 0, 1, 4, 3, DEC_UINT),
	DBIT("color_flip", 0, 1, 7, 1, DEC_BOOL),
	DBIT("download_ext_vbt", 1, 1, 0, 1, DEC_BOOL),
	DBIT("enable_ssc", 1, 1, 1, 1, DEC_BOOL),
	DBIT("ssc_freq", 1, 1, 2, 1, DEC_UINT),
	DBIT("enable_lfp_on_override", 1, 1, 3, 1, DEC_BOOL),
	DBIT("disable_ssc_ddt", 1, 1, 4, 1, DEC_BOOL),
	DBIT("underscan_vga_timings", 1, 1, 5, 1, DEC_BOOL),
	DBIT("display_clock_mode", 1, 1, 6, 1, DEC_UINT),
	DBIT("vbios_hotplug_support", 1, 1, 7, 1, DEC_BOOL),
	DBIT("disable_smooth_vision", 2, 1, 0, 1, DEC_BOOL),
	DBIT("single_dvi", 2, 1, 1, 1, DEC_BOOL),
	DBITV("rotate_180", 2, 1, 2, 1, DEC_BOOL, 181),
	DBIT("fdi_rx_polarity_inverted", 2, 1, 3, 1, DEC_BOOL),
	DBITV("vbios_extended_mode", 2, 1, 4, 1, DEC_BOOL, 160),
	DBITV("copy_ilfp_dtd_to_sdvo_lvds_dtd", 2, 1, 5, 1, DEC_BOOL, 160),
	DBITV("panel_best_fit_timing", 2, 1, 6, 1, DEC_BOOL, 160),
	DBITV("ignore_strap_state", 2, 1, 7, 1, DEC_BOOL, 160),
	FLD("legacy_monitor_detect", 3, 1, DEC_HEX),
	DBIT("int_crt_support", 4, 1, 0, 1, DEC_BOOL),
	DBIT("int_tv_support", 4, 1, 1, 1, DEC_BOOL),
	DBIT("int_efp_support", 4, 1, 2, 1, DEC_BOOL),
	DBIT("dp_ssc_enable", 4, 1, 3, 1, DEC_BOOL),
	DBIT("dp_ssc_freq", 4, 1, 4, 1, DEC_UINT),
	DBIT("dp_ssc_dongle_supported", 4, 1, 5, 1, DEC_BOOL),
};

/* ---- block 2: general definitions and child devices ------------------- */

static const struct dec_field general_definitions[] = {
	FLD("crt_ddc_gmbus_pin", IGDPT_GENDEF_CRT_DDC_PIN_OFFSET, 1, DEC_HEX),
	DBIT("dpms_acpi", IGDPT_GENDEF_DPMS_OFFSET, 1, 0, 1, DEC_BOOL),
	DBIT("skip_boot_crt_detect", IGDPT_GENDEF_DPMS_OFFSET, 1, 1, 1, DEC_BOOL),
	DBIT("dpms_aim", IGDPT_GENDEF_DPMS_OFFSET, 1, 2, 1, DEC_BOOL),
	FLD("boot_display", IGDPT_GENDEF_BOOT_DISPLAY_OFFSET, 2, DEC_HEX),
	FLD("child_dev_size", IGDPT_GENDEF_CHILD_DEV_SIZE_OFFSET, 1, DEC_UINT),
};

/* Child device config; offsets within one entry (igdpt/abi/vbt_blocks.h).
 * Byte 23..26 changed meaning at BDB 158 (second DVO -> flags, AUX channel). */
#define CHILD_FLAGS_FROM_VERSION 158u
static const struct dec_field child_device[] = {
	FLDE("handle", IGDPT_CHILD_HANDLE_OFFSET, 2, dec_name_child_handle),
	FLDE("device_type", IGDPT_CHILD_DEVICE_TYPE_OFFSET, 2, dec_name_device_type),
	FLDE("i2c_speed", IGDPT_CHILD_I2C_SPEED_OFFSET, 1, dec_name_i2c_speed),
	FLDV("dp_onboard_redriver", 5, 1, DEC_HEX, 158),
	FLDV("dp_ondock_redriver", 6, 1, DEC_HEX, 158),
	DBITV("hdmi_level_shifter_value", 7, 1, 0, 5, DEC_UINT, 158),
	DBITEV("hdmi_max_data_rate", 7, 1, 5, 3, dec_name_hdmi_max_data_rate, 204),
	FLDV("dtd_buf_ptr", 8, 2, DEC_HEX, 161),
	DBITV("edidless_efp", 10, 1, 0, 1, DEC_BOOL, 161),
	DBITV("compression_enable", 10, 1, 1, 1, DEC_BOOL, 198),
	DBITV("compression_method_cps", 10, 1, 2, 1, DEC_BOOL, 198),
	DBITV("ganged_edp", 10, 1, 3, 1, DEC_BOOL, 202),
	DBITV("compression_structure_index", 11, 1, 0, 4, DEC_UINT, 198),
	FLDV("slave_port", 12, 1, DEC_UINT, 202),
	FLD("addin_offset", 14, 2, DEC_HEX),
	FLDE("dvo_port", IGDPT_CHILD_DVO_PORT_OFFSET, 1, dec_name_dvo_port),
	FLD("i2c_pin", 17, 1, DEC_HEX),
	FLD("slave_addr", 18, 1, DEC_HEX),
	FLD("ddc_pin", 19, 1, DEC_HEX),
	FLD("edid_ptr", 20, 2, DEC_HEX),
	FLD("dvo_cfg", 22, 1, DEC_HEX),
	DBITR("dvo2_port", 23, 1, 0, 8, DEC_UINT, 0, CHILD_FLAGS_FROM_VERSION - 1),
	DBITR("i2c2_pin", 24, 1, 0, 8, DEC_HEX, 0, CHILD_FLAGS_FROM_VERSION - 1),
	DBITR("slave2_addr", 25, 1, 0, 8, DEC_HEX, 0, CHILD_FLAGS_FROM_VERSION - 1),
	DBITR("ddc2_pin", 26, 1, 0, 8, DEC_HEX, 0, CHILD_FLAGS_FROM_VERSION - 1),
	DBITV("efp_routed", 23, 1, 0, 1, DEC_BOOL, CHILD_FLAGS_FROM_VERSION),
	DBITV("lane_reversal", 23, 1, 1, 1, DEC_BOOL, 184),
	DBITV("lspcon", 23, 1, 2, 1, DEC_BOOL, 192),
	DBITV("iboost", 23, 1, 3, 1, DEC_BOOL, 196),
	DBITV("hpd_invert", 23, 1, 4, 1, DEC_BOOL, 196),
	DBITV("use_vbt_vswing", 23, 1, 5, 1, DEC_BOOL, 218),
	DBITV("hdmi_support", 24, 1, 0, 1, DEC_BOOL, CHILD_FLAGS_FROM_VERSION),
	DBITV("dp_support", 24, 1, 1, 1, DEC_BOOL, CHILD_FLAGS_FROM_VERSION),
	DBITV("tmds_support", 24, 1, 2, 1, DEC_BOOL, CHILD_FLAGS_FROM_VERSION),
	FLDEV("aux_channel", IGDPT_CHILD_AUX_CHANNEL_OFFSET, 1, dec_name_aux_channel,
	      CHILD_FLAGS_FROM_VERSION),
	FLDV("dongle_detect", 26, 1, DEC_HEX, CHILD_FLAGS_FROM_VERSION),
	DBIT("pipe_cap", 27, 1, 0, 2, DEC_UINT),
	DBITV("sdvo_stall", 27, 1, 2, 1, DEC_BOOL, 158),
	DBIT("hpd_status", 27, 1, 3, 2, DEC_UINT),
	DBIT("integrated_encoder", 27, 1, 5, 1, DEC_BOOL),
	FLD("dvo_wiring", 28, 1, DEC_HEX),
	FLD("dvo2_wiring", 29, 1, DEC_HEX),
	FLD("extended_type", 30, 2, DEC_HEX),
	FLD("dvo_function", 32, 1, DEC_HEX),
	DBITV("dp_usb_type_c", 33, 1, 0, 1, DEC_BOOL, 195),
	DBITV("tbt", 33, 1, 1, 1, DEC_BOOL, 209),
	DBITV("dp_port_trace_length", 33, 1, 4, 4, DEC_UINT, 209),
	FLDV("dp_gpio_index", 34, 1, DEC_UINT, 195),
	FLDV("dp_gpio_pin_num", 35, 2, DEC_UINT, 195),
	DBITV("dp_iboost_level", 37, 1, 0, 4, DEC_UINT, 196),
	DBITV("hdmi_iboost_level", 37, 1, 4, 4, DEC_UINT, 196),
	DBITEV("dp_max_link_rate", IGDPT_CHILD_DP_MAX_LINK_RATE_OFFSET, 1, 0, 3,
	       dec_name_dp_max_link_rate, 216),
};

static void dec_child(dec_node *dev, const struct dec_vbt_ctx *ctx, const uint8_t *p,
		      size_t len)
{
	dec_fields(ctx->d, dev, p, len, child_device, DEC_ARRAY_SIZE(child_device), ctx->version);
	if (len >= IGDPT_CHILD_DEVICE_TYPE_OFFSET + 2)
		dec_bit_names(ctx->d, dev, "device_type_bits",
			      igdpt_le16(p + IGDPT_CHILD_DEVICE_TYPE_OFFSET), dec_device_type_bits,
			      DEC_ARRAY_SIZE(dec_device_type_bits));
}

static void dec_general_definitions(dec_node *f, const struct dec_vbt_ctx *ctx,
				    const struct igdpt_vbt_block *blk)
{
	dec_node *devs;
	unsigned size, expected, count;

	dec_fields(ctx->d, f, blk->data, blk->size, general_definitions,
		   DEC_ARRAY_SIZE(general_definitions), ctx->version);
	if (blk->size <= IGDPT_GENDEF_CHILD_DEV_SIZE_OFFSET)
		return;
	size = blk->data[IGDPT_GENDEF_CHILD_DEV_SIZE_OFFSET];
	expected = igdpt_vbt_child_dev_size((uint16_t)ctx->version);
	if (expected)
		dec_uint(ctx->d, f, "child_dev_size_expected", expected);
	else
		dec_none(ctx->d, f, "child_dev_size_expected");
	if (size == 0) {
		dec_uint(ctx->d, f, "child_device_count", 0);
		return;
	}
	count = blk->size >= IGDPT_GENDEF_CHILD_DEVS_OFFSET
			? (blk->size - IGDPT_GENDEF_CHILD_DEVS_OFFSET) / size
			: 0;
	dec_uint(ctx->d, f, "child_device_count", count);
	/* Like intel_vbt_decode, only the slots that hold a device (a device
	 * type); each says which slot it is. */
	devs = dec_list(ctx->d, f, "child_devices");
	for (unsigned i = 0; i < count; i++) {
		const uint8_t *child = blk->data + IGDPT_GENDEF_CHILD_DEVS_OFFSET + (size_t)i * size;
		dec_node *dev;

		if (size >= IGDPT_CHILD_DEVICE_TYPE_OFFSET + 2 &&
		    !igdpt_le16(child + IGDPT_CHILD_DEVICE_TYPE_OFFSET))
			continue;
		dev = dec_group(ctx->d, devs, NULL);
		dec_uint(ctx->d, dev, "slot", i);
		dec_child(dev, ctx, child, size);
	}
}

/* ---- block 12: driver features ----------------------------------------- */

static const struct dec_field driver_features[] = {
	DBIT("boot_dev_algorithm", 0, 1, 0, 1, DEC_UINT),
	DBIT("block_display_switch", 0, 1, 1, 1, DEC_BOOL),
	DBIT("allow_display_switch", 0, 1, 2, 1, DEC_BOOL),
	DBIT("hotplug_dvo", 0, 1, 3, 1, DEC_BOOL),
	DBIT("dual_view_zoom", 0, 1, 4, 1, DEC_BOOL),
	DBIT("int15h_hook", 0, 1, 5, 1, DEC_BOOL),
	DBIT("sprite_in_clone", 0, 1, 6, 1, DEC_BOOL),
	DBIT("primary_lfp_id", 0, 1, 7, 1, DEC_UINT),
	FLD("boot_mode_x", 1, 2, DEC_UINT),
	FLD("boot_mode_y", 3, 2, DEC_UINT),
	FLD("boot_mode_bpp", 5, 1, DEC_UINT),
	FLD("boot_mode_refresh", 6, 1, DEC_UINT),
	DBIT("enable_lfp_primary", 7, 2, 0, 1, DEC_BOOL),
	DBIT("selective_mode_pruning", 7, 2, 1, 1, DEC_BOOL),
	DBIT("dual_frequency", 7, 2, 2, 1, DEC_BOOL),
	DBIT("render_clock_freq", 7, 2, 3, 1, DEC_UINT),
	DBIT("nt_clone_support", 7, 2, 4, 1, DEC_BOOL),
	DBIT("power_scheme_ui", 7, 2, 5, 1, DEC_UINT),
	DBIT("sprite_display_assign", 7, 2, 6, 1, DEC_UINT),
	DBIT("cui_aspect_scaling", 7, 2, 7, 1, DEC_BOOL),
	DBIT("preserve_aspect_ratio", 7, 2, 8, 1, DEC_BOOL),
	DBIT("sdvo_device_power_down", 7, 2, 9, 1, DEC_BOOL),
	DBIT("crt_hotplug", 7, 2, 10, 1, DEC_BOOL),
	DBIT("lvds_config", 7, 2, 11, 2, DEC_UINT),
	DBIT("tv_hotplug", 7, 2, 13, 1, DEC_BOOL),
	DBIT("hdmi_config", 7, 2, 14, 2, DEC_UINT),
	DBIT("static_display", 9, 1, 0, 1, DEC_BOOL),
	FLD("legacy_crt_max_x", 10, 2, DEC_UINT),
	FLD("legacy_crt_max_y", 12, 2, DEC_UINT),
	FLD("legacy_crt_max_refresh", 14, 1, DEC_UINT),
	FLD("hdmi_termination", 15, 1, DEC_HEX),
	FLD("custom_vbt_version", 16, 1, DEC_UINT),
	DBIT("rmpm_enabled", 17, 2, 0, 1, DEC_BOOL),
	DBIT("s2ddt_enabled", 17, 2, 1, 1, DEC_BOOL),
	DBIT("dpst_enabled", 17, 2, 2, 1, DEC_BOOL),
	DBIT("bltclt_enabled", 17, 2, 3, 1, DEC_BOOL),
	DBIT("adb_enabled", 17, 2, 4, 1, DEC_BOOL),
	DBIT("drrs_enabled", 17, 2, 5, 1, DEC_BOOL),
	DBIT("grs_enabled", 17, 2, 6, 1, DEC_BOOL),
	DBIT("gpmt_enabled", 17, 2, 7, 1, DEC_BOOL),
	DBIT("tbt_enabled", 17, 2, 8, 1, DEC_BOOL),
	DBIT("psr_enabled", 17, 2, 9, 1, DEC_BOOL),
	DBIT("ips_enabled", 17, 2, 10, 1, DEC_BOOL),
	DBIT("pc_feature_valid", 17, 2, 15, 1, DEC_BOOL),
};

/* ---- block 27: eDP ------------------------------------------------------ */

static const struct dec_field edp_power_seq[] = {
	FLD("t1_t3", 0, 2, DEC_UINT),
	FLD("t8", 2, 2, DEC_UINT),
	FLD("t9", 4, 2, DEC_UINT),
	FLD("t10", 6, 2, DEC_UINT),
	FLD("t11_t12", 8, 2, DEC_UINT),
};
#define EDP_POWER_SEQ_OFFSET 0u
#define EDP_POWER_SEQ_SIZE 10u

static const struct dec_field edp_fast_link[] = {
	DBIT("rate", 0, 1, 0, 4, DEC_UINT),
	DBIT("lanes", 0, 1, 4, 4, DEC_UINT),
	DBIT("preemphasis", 1, 1, 0, 4, DEC_UINT),
	DBIT("vswing", 1, 1, 4, 4, DEC_UINT),
};
#define EDP_FAST_LINK_OFFSET 164u
#define EDP_FAST_LINK_SIZE 2u

static const struct dec_field edp_pwm_delays[] = {
	FLD("pwm_on_to_backlight_enable", 0, 2, DEC_UINT),
	FLD("backlight_disable_to_pwm_off", 2, 2, DEC_UINT),
};
#define EDP_PWM_DELAYS_OFFSET 216u
#define EDP_PWM_DELAYS_SIZE 4u
#define EDP_PWM_DELAYS_FROM_VERSION 186u

static const struct dec_field edp_full_link[] = {
	DBIT("preemphasis", 0, 1, 0, 4, DEC_UINT),
	DBIT("vswing", 0, 1, 4, 4, DEC_UINT),
};
#define EDP_FULL_LINK_OFFSET 282u
#define EDP_FULL_LINK_SIZE 1u
#define EDP_FULL_LINK_FROM_VERSION 199u

static const struct dec_field edp_fields[] = {
	FLD("color_depth", 160, 4, DEC_HEX),
	FLD("sdrrs_msa_timing_delay", 196, 4, DEC_HEX),
	FLDV("edp_s3d_feature", 200, 2, DEC_HEX, 162),
	FLDV("edp_t3_optimization", 202, 2, DEC_HEX, 165),
	FLDV("edp_vswing_preemph", 204, 8, DEC_HEX, 173),
	FLDV("fast_link_training", 212, 2, DEC_HEX, 182),
	FLDV("dpcd_600h_write_required", 214, 2, DEC_HEX, 185),
	FLDV("full_link_params_provided", 280, 2, DEC_HEX, 199),
	FLDV("apical_enable", 298, 2, DEC_HEX, 203),
	{ .name = "fast_link_training_rate", .offset = 620, .size = 2, .fmt = DEC_UINT,
	  .count = PANEL_COUNT, .min_version = 224 },
	{ .name = "max_port_link_rate", .offset = 652, .size = 2, .fmt = DEC_UINT,
	  .count = PANEL_COUNT, .min_version = 244 },
};

static void dec_edp(dec_node *f, const struct dec_vbt_ctx *ctx,
		    const struct igdpt_vbt_block *blk)
{
	dec_fields(ctx->d, f, blk->data, blk->size, edp_fields, DEC_ARRAY_SIZE(edp_fields),
		   ctx->version);
	panel_array(ctx, f, "power_seqs", blk->data, blk->size, EDP_POWER_SEQ_OFFSET,
		    EDP_POWER_SEQ_SIZE, PANEL_COUNT, edp_power_seq, DEC_ARRAY_SIZE(edp_power_seq),
		    ctx->version);
	panel_array(ctx, f, "fast_link_params", blk->data, blk->size, EDP_FAST_LINK_OFFSET,
		    EDP_FAST_LINK_SIZE, PANEL_COUNT, edp_fast_link, DEC_ARRAY_SIZE(edp_fast_link),
		    ctx->version);
	if (ctx->version >= EDP_PWM_DELAYS_FROM_VERSION)
		panel_array(ctx, f, "pwm_delays", blk->data, blk->size, EDP_PWM_DELAYS_OFFSET,
			    EDP_PWM_DELAYS_SIZE, PANEL_COUNT, edp_pwm_delays,
			    DEC_ARRAY_SIZE(edp_pwm_delays), ctx->version);
	if (ctx->version >= EDP_FULL_LINK_FROM_VERSION)
		panel_array(ctx, f, "full_link_params", blk->data, blk->size, EDP_FULL_LINK_OFFSET,
			    EDP_FULL_LINK_SIZE, PANEL_COUNT, edp_full_link,
			    DEC_ARRAY_SIZE(edp_full_link), ctx->version);
}

/* ---- block 40: LFP options ---------------------------------------------- */

static const struct dec_field lfp_options[] = {
	FLD("panel_type", 0, 1, DEC_UINT),
	FLDV("panel_type2", 1, 1, DEC_UINT, 212),
	DBIT("pfit_mode", 2, 1, 0, 2, DEC_UINT),
	DBIT("pfit_text_mode_enhanced", 2, 1, 2, 1, DEC_BOOL),
	DBIT("pfit_gfx_mode_enhanced", 2, 1, 3, 1, DEC_BOOL),
	DBIT("pfit_ratio_auto", 2, 1, 4, 1, DEC_BOOL),
	DBIT("pixel_dither", 2, 1, 5, 1, DEC_BOOL),
	DBIT("lvds_edid", 2, 1, 6, 1, DEC_BOOL),
	FLD("lvds_panel_channel_bits", 4, 4, DEC_HEX),
	FLD("ssc_bits", 8, 2, DEC_HEX),
	FLD("ssc_freq", 10, 2, DEC_HEX),
	FLD("ssc_ddt", 12, 2, DEC_HEX),
	FLD("panel_color_depth", 14, 2, DEC_HEX),
	FLD("dps_panel_type_bits", 16, 4, DEC_HEX),
	FLD("blt_control_type_bits", 20, 4, DEC_HEX),
	FLDV("lcdvcc_s0_enable", 24, 2, DEC_HEX, 200),
	FLDV("rotation", 26, 4, DEC_HEX, 228),
};

/* ---- blocks 41 and 42: LFP data pointers and LFP data ------------------ */

#define LFP_PTRS_ENTRIES_OFFSET 0u
#define LFP_PTR_OFFSET 1u
#define LFP_PTR_SIZE 9u
#define LFP_PTR_FP_OFFSET 0u
#define LFP_PTR_FP_SIZE 2u
#define LFP_PTR_DVO_OFFSET 3u
#define LFP_PTR_DVO_SIZE 5u
#define LFP_PTR_PNP_OFFSET 6u
#define LFP_PTR_PNP_SIZE 8u
#define LFP_PTR_PANEL_NAME_OFFSET (LFP_PTR_OFFSET + PANEL_COUNT * LFP_PTR_SIZE)

static const struct dec_field lfp_ptr[] = {
	FLD("fp_timing_offset", LFP_PTR_FP_OFFSET, 2, DEC_UINT),
	FLD("fp_timing_size", LFP_PTR_FP_SIZE, 1, DEC_UINT),
	FLD("dvo_timing_offset", LFP_PTR_DVO_OFFSET, 2, DEC_UINT),
	FLD("dvo_timing_size", LFP_PTR_DVO_SIZE, 1, DEC_UINT),
	FLD("panel_pnp_id_offset", LFP_PTR_PNP_OFFSET, 2, DEC_UINT),
	FLD("panel_pnp_id_size", LFP_PTR_PNP_SIZE, 1, DEC_UINT),
};

static const struct dec_field lfp_ptrs_fields[] = {
	FLD("lvds_entries", LFP_PTRS_ENTRIES_OFFSET, 1, DEC_UINT),
	FLDV("panel_name_offset", LFP_PTR_PANEL_NAME_OFFSET, 2, DEC_UINT, 156),
	FLDV("panel_name_size", LFP_PTR_PANEL_NAME_OFFSET + 2, 1, DEC_UINT, 156),
};

static void dec_lfp_ptrs(dec_node *f, const struct dec_vbt_ctx *ctx,
			 const struct igdpt_vbt_block *blk)
{
	dec_fields(ctx->d, f, blk->data, blk->size, lfp_ptrs_fields, DEC_ARRAY_SIZE(lfp_ptrs_fields),
		   ctx->version);
	panel_array(ctx, f, "panels", blk->data, blk->size, LFP_PTR_OFFSET, LFP_PTR_SIZE,
		    PANEL_COUNT, lfp_ptr, DEC_ARRAY_SIZE(lfp_ptr), ctx->version);
}

/* The 18-byte detailed timing (Linux struct lvds_dvo_timing): values are
 * split into low bytes and high nibbles/bit pairs. */
#define DTD_SIZE 18u
static void dec_dvo_timing(struct dec *d, dec_node *t, const uint8_t *p)
{
	unsigned hactive = p[2] | (unsigned)(p[4] >> 4) << 8;
	unsigned hblank = p[3] | (unsigned)(p[4] & 0xF) << 8;
	unsigned vactive = p[5] | (unsigned)(p[7] >> 4) << 8;
	unsigned vblank = p[6] | (unsigned)(p[7] & 0xF) << 8;
	unsigned hsync_off = p[8] | (unsigned)((p[11] >> 6) & 0x3) << 8;
	unsigned hsync_width = p[9] | (unsigned)((p[11] >> 4) & 0x3) << 8;
	unsigned vsync_off = (p[10] >> 4) | (unsigned)((p[11] >> 2) & 0x3) << 4;
	unsigned vsync_width = (p[10] & 0xF) | (unsigned)(p[11] & 0x3) << 4;

	dec_uint(d, t, "pixel_clock_khz", (uint32_t)igdpt_le16(p) * 10u);
	dec_uint(d, t, "hactive", hactive);
	dec_uint(d, t, "hblank", hblank);
	dec_uint(d, t, "hsync_offset", hsync_off);
	dec_uint(d, t, "hsync_width", hsync_width);
	dec_uint(d, t, "vactive", vactive);
	dec_uint(d, t, "vblank", vblank);
	dec_uint(d, t, "vsync_offset", vsync_off);
	dec_uint(d, t, "vsync_width", vsync_width);
	dec_uint(d, t, "width_mm", p[12] | (unsigned)(p[14] >> 4) << 8);
	dec_uint(d, t, "height_mm", p[13] | (unsigned)(p[14] & 0xF) << 8);
	dec_uint(d, t, "h_border", p[15]);
	dec_uint(d, t, "v_border", p[16]);
	dec_bool(d, t, "vsync_positive", (p[17] >> 5) & 1);
	dec_bool(d, t, "hsync_positive", (p[17] >> 6) & 1);
	dec_bool(d, t, "non_interlaced", (p[17] >> 7) & 1);
}

static const struct dec_field fp_timing[] = {
	FLD("x_res", 0, 2, DEC_UINT),
	FLD("y_res", 2, 2, DEC_UINT),
	FLD("lvds_reg_val", 8, 4, DEC_HEX),
	FLD("pp_on_reg_val", 16, 4, DEC_HEX),
	FLD("pp_off_reg_val", 24, 4, DEC_HEX),
	FLD("pp_cycle_reg_val", 32, 4, DEC_HEX),
	FLD("pfit_reg_val", 40, 4, DEC_HEX),
};

/* The PnP id's manufacturer is an EISA id: three 5-bit letters, big endian. */
#define PNP_SIZE 10u
#define PNP_LETTER_BITS 5u
#define PNP_LETTER_MASK 0x1Fu
#define PNP_YEAR_BASE 1990u
static void dec_pnp(struct dec *d, dec_node *obj, const uint8_t *p)
{
	uint16_t be = (uint16_t)(p[0] << 8 | p[1]);
	uint8_t mfg[3];

	mfg[0] = (uint8_t)('@' + ((be >> (2 * PNP_LETTER_BITS)) & PNP_LETTER_MASK));
	mfg[1] = (uint8_t)('@' + ((be >> PNP_LETTER_BITS) & PNP_LETTER_MASK));
	mfg[2] = (uint8_t)('@' + (be & PNP_LETTER_MASK));
	dec_str(d, obj, "mfg_name", mfg, sizeof(mfg));
	dec_hex(d, obj, "product_code", igdpt_le16(p + 2), 2);
	dec_hex(d, obj, "serial", igdpt_le32(p + 4), 4);
	dec_uint(d, obj, "mfg_week", p[8]);
	dec_uint(d, obj, "mfg_year", PNP_YEAR_BASE + p[9]);
}

/* Without block 41 (modern VBTs) Linux and igt assume 16 packed entries of
 * fp timing (38 bytes), DTD and PnP id, then 16 13-byte panel names. */
#define LFP_SYNTH_FP_SIZE 38u
#define LFP_PANEL_NAME_SIZE 13u

struct lfp_layout {
	size_t fp[PANEL_COUNT], dvo[PANEL_COUNT], pnp[PANEL_COUNT];
	size_t fp_size;
	size_t name;     /* panel name table, from block 42 data; SIZE_MAX if none */
	bool from_ptrs;
};

static const struct igdpt_vbt_block *find_block(const struct dec_vbt_ctx *ctx, uint8_t id)
{
	for (size_t i = 0; i < ctx->block_count; i++)
		if (ctx->blocks[i].id == id)
			return &ctx->blocks[i];
	return NULL;
}

/* Pointer tables hold offsets from the BDB header; make them offsets into
 * block 42's data. An offset before the block becomes SIZE_MAX (absent). */
static size_t rebase(size_t ptr, size_t data_in_bdb)
{
	return ptr >= data_in_bdb ? ptr - data_in_bdb : SIZE_MAX;
}

static void lfp_layout(const struct dec_vbt_ctx *ctx, const struct igdpt_vbt_block *data,
		       struct lfp_layout *lay)
{
	const struct igdpt_vbt_block *ptrs = find_block(ctx, IGDPT_BDB_LFP_DATA_PTRS);
	size_t data_in_bdb = data->offset + IGDPT_BDB_BLOCK_HEADER_SIZE - ctx->bdb_offset;

	lay->name = SIZE_MAX;
	if (ptrs && ptrs->size >= LFP_PTR_OFFSET + PANEL_COUNT * LFP_PTR_SIZE) {
		const uint8_t *p = ptrs->data + LFP_PTR_OFFSET;

		lay->from_ptrs = true;
		lay->fp_size = p[LFP_PTR_FP_SIZE];
		for (unsigned i = 0; i < PANEL_COUNT; i++, p += LFP_PTR_SIZE) {
			lay->fp[i] = rebase(igdpt_le16(p + LFP_PTR_FP_OFFSET), data_in_bdb);
			lay->dvo[i] = rebase(igdpt_le16(p + LFP_PTR_DVO_OFFSET), data_in_bdb);
			lay->pnp[i] = rebase(igdpt_le16(p + LFP_PTR_PNP_OFFSET), data_in_bdb);
		}
		if (ptrs->size >= LFP_PTR_PANEL_NAME_OFFSET + 3 &&
		    ptrs->data[LFP_PTR_PANEL_NAME_OFFSET + 2] >= LFP_PANEL_NAME_SIZE)
			lay->name = rebase(igdpt_le16(ptrs->data + LFP_PTR_PANEL_NAME_OFFSET),
					   data_in_bdb);
		return;
	}
	lay->from_ptrs = false;
	lay->fp_size = LFP_SYNTH_FP_SIZE;
	for (unsigned i = 0; i < PANEL_COUNT; i++) {
		size_t entry = (size_t)i * (LFP_SYNTH_FP_SIZE + DTD_SIZE + PNP_SIZE);

		lay->fp[i] = entry;
		lay->dvo[i] = entry + LFP_SYNTH_FP_SIZE;
		lay->pnp[i] = entry + LFP_SYNTH_FP_SIZE + DTD_SIZE;
	}
	if (data->size >= PANEL_COUNT * (LFP_SYNTH_FP_SIZE + DTD_SIZE + PNP_SIZE + LFP_PANEL_NAME_SIZE))
		lay->name = PANEL_COUNT * (LFP_SYNTH_FP_SIZE + DTD_SIZE + PNP_SIZE);
}

static bool fits(size_t at, size_t n, size_t len)
{
	return at != SIZE_MAX && at <= len && len - at >= n;
}

static void dec_lfp_data(dec_node *f, const struct dec_vbt_ctx *ctx,
			 const struct igdpt_vbt_block *blk)
{
	struct dec *d = ctx->d;
	dec_node *panels;
	struct lfp_layout lay;

	lfp_layout(ctx, blk, &lay);
	dec_text(d, f, "pointers", lay.from_ptrs ? "block 41" : "assumed (no block 41)");
	if (ctx->panel_type >= 0)
		dec_uint(d, f, "panel_type", (unsigned)ctx->panel_type);
	else
		dec_none(d, f, "panel_type");
	panels = dec_list(d, f, "panels");
	for (unsigned i = 0; i < PANEL_COUNT; i++) {
		dec_node *panel;

		if (ctx->only_panel >= 0 && i != (unsigned)ctx->only_panel)
			continue;
		panel = dec_group(d, NULL, NULL);
		dec_uint(d, panel, "panel", i);
		if (fits(lay.fp[i], 0, blk->size) && lay.fp[i] < blk->size) {
			size_t avail = blk->size - lay.fp[i];

			dec_fields(d, dec_group(d, panel, "fp_timing"), blk->data + lay.fp[i],
				   avail < lay.fp_size ? avail : lay.fp_size, fp_timing,
				   DEC_ARRAY_SIZE(fp_timing), ctx->version);
		}
		if (fits(lay.dvo[i], DTD_SIZE, blk->size))
			dec_dvo_timing(d, dec_group(d, panel, "dtd"), blk->data + lay.dvo[i]);
		if (fits(lay.pnp[i], PNP_SIZE, blk->size))
			dec_pnp(d, dec_group(d, panel, "pnp_id"), blk->data + lay.pnp[i]);
		if (lay.name != SIZE_MAX &&
		    fits(lay.name + (size_t)i * LFP_PANEL_NAME_SIZE, LFP_PANEL_NAME_SIZE, blk->size))
			dec_str(d, panel, "panel_name",
				blk->data + lay.name + (size_t)i * LFP_PANEL_NAME_SIZE,
				LFP_PANEL_NAME_SIZE);
		if (panel->count == 1)
			break; /* nothing of this panel is inside the block */
		dec_append(panels, panel);
	}
}

/* ---- block 43: LFP backlight -------------------------------------------- */

static const struct dec_field backlight_entry[] = {
	DBIT("type", 0, 1, 0, 2, DEC_UINT),
	DBIT("active_low_pwm", 0, 1, 2, 1, DEC_BOOL),
	FLD("pwm_freq_hz", 1, 2, DEC_UINT),
	FLD("min_brightness", 3, 1, DEC_UINT),
};
static const struct dec_field backlight_control[] = {
	DBIT("type", 0, 1, 0, 4, DEC_UINT),
	DBIT("controller", 0, 1, 4, 4, DEC_UINT),
};
static const struct dec_field brightness_level[] = {
	FLD("level", 0, 2, DEC_UINT),
};
#define BACKLIGHT_ENTRY_SIZE_OFFSET 0u
#define BACKLIGHT_DATA_OFFSET 1u
#define BACKLIGHT_CONTROL_FROM_VERSION 191u
#define BRIGHTNESS_LEVEL_FROM_VERSION 234u
#define BRIGHTNESS_LEVEL_SIZE 4u
#define BRIGHTNESS_PRECISION_FROM_VERSION 236u

static void dec_backlight(dec_node *f, const struct dec_vbt_ctx *ctx,
			  const struct igdpt_vbt_block *blk)
{
	const uint8_t *p = blk->data;
	size_t len = blk->size, at;
	unsigned entry_size;

	if (len <= BACKLIGHT_ENTRY_SIZE_OFFSET)
		return;
	entry_size = p[BACKLIGHT_ENTRY_SIZE_OFFSET];
	dec_uint(ctx->d, f, "entry_size", entry_size);
	if (entry_size == 0)
		return;
	panel_array(ctx, f, "entries", p, len, BACKLIGHT_DATA_OFFSET, entry_size, PANEL_COUNT,
		    backlight_entry, DEC_ARRAY_SIZE(backlight_entry), ctx->version);
	/* Then level[16] u8, control[16] u8, and from 234 two u16+pad arrays. */
	at = BACKLIGHT_DATA_OFFSET + PANEL_COUNT * (size_t)entry_size;
	if (fits(at, 1, len)) {
		const struct dec_field level = FLDA("level", 0, 1, DEC_UINT, PANEL_COUNT);

		dec_fields(ctx->d, f, p + at, len - at, &level, 1, ctx->version);
	}
	at += PANEL_COUNT;
	if (ctx->version >= BACKLIGHT_CONTROL_FROM_VERSION && fits(at, 1, len))
		panel_array(ctx, f, "backlight_control", p, len, at, 1, PANEL_COUNT,
			    backlight_control, DEC_ARRAY_SIZE(backlight_control), ctx->version);
	at += PANEL_COUNT;
	if (ctx->version >= BRIGHTNESS_LEVEL_FROM_VERSION && fits(at, 1, len)) {
		panel_array(ctx, f, "brightness_level", p, len, at, BRIGHTNESS_LEVEL_SIZE,
			    PANEL_COUNT, brightness_level, DEC_ARRAY_SIZE(brightness_level),
			    ctx->version);
		at += PANEL_COUNT * BRIGHTNESS_LEVEL_SIZE;
		if (fits(at, 1, len))
			panel_array(ctx, f, "brightness_min_level", p, len, at,
				    BRIGHTNESS_LEVEL_SIZE, PANEL_COUNT, brightness_level,
				    DEC_ARRAY_SIZE(brightness_level), ctx->version);
		at += PANEL_COUNT * BRIGHTNESS_LEVEL_SIZE;
		if (ctx->version >= BRIGHTNESS_PRECISION_FROM_VERSION && fits(at, 1, len)) {
			const struct dec_field bits =
				FLDA("brightness_precision_bits", 0, 1, DEC_UINT, PANEL_COUNT);

			dec_fields(ctx->d, f, p + at, len - at, &bits, 1, ctx->version);
		}
	}
}

/* ---- block 44: LFP power ------------------------------------------------- */

static const struct dec_field als_entry[] = {
	FLD("backlight_adjust", 0, 2, DEC_UINT),
	FLD("lux", 2, 2, DEC_UINT),
};
static const struct dec_field aggressiveness[] = {
	DBIT("dpst", 0, 1, 0, 4, DEC_UINT),
	DBIT("lace", 0, 1, 4, 4, DEC_UINT),
};
static const struct dec_field lfp_power[] = {
	FLD("lfp_feature_bits", 0, 1, DEC_HEX),
	FLD("lace_aggressiveness_profile", 21, 1, DEC_UINT),
	FLD("dpst", 22, 2, DEC_HEX),
	FLD("psr", 24, 2, DEC_HEX),
	FLD("drrs", 26, 2, DEC_HEX),
	FLD("lace_support", 28, 2, DEC_HEX),
	FLD("adt", 30, 2, DEC_HEX),
	FLD("dmrrs", 32, 2, DEC_HEX),
	FLD("adb", 34, 2, DEC_HEX),
	FLD("lace_enabled_status", 36, 2, DEC_HEX),
	FLDV("hobl", 54, 2, DEC_HEX, 232),
	FLDV("vrr_feature_enabled", 56, 2, DEC_HEX, 233),
};
#define LFP_POWER_ALS_OFFSET 1u
#define LFP_POWER_ALS_SIZE 4u
#define LFP_POWER_ALS_COUNT 5u
#define LFP_POWER_AGGR_OFFSET 38u

static void dec_lfp_power(dec_node *f, const struct dec_vbt_ctx *ctx,
			  const struct igdpt_vbt_block *blk)
{
	dec_fields(ctx->d, f, blk->data, blk->size, lfp_power, DEC_ARRAY_SIZE(lfp_power),
		   ctx->version);
	dec_struct_array(ctx->d, f, "als", blk->data, blk->size, LFP_POWER_ALS_OFFSET,
			 LFP_POWER_ALS_SIZE, LFP_POWER_ALS_COUNT, -1, NULL, als_entry,
			 DEC_ARRAY_SIZE(als_entry), ctx->version);
	panel_array(ctx, f, "aggressiveness", blk->data, blk->size, LFP_POWER_AGGR_OFFSET, 1,
		    PANEL_COUNT, aggressiveness, DEC_ARRAY_SIZE(aggressiveness), ctx->version);
}

/* ---- block 52: MIPI config ----------------------------------------------- */

/* Six 127-byte struct mipi_config, then six 10-byte struct mipi_pps_data
 * (822 bytes, the size every corpus block 52 has). */
#define MIPI_CONFIG_COUNT 6u
#define MIPI_CONFIG_SIZE 127u
#define MIPI_PPS_SIZE 10u
static const struct dec_field mipi_config[] = {
	FLD("panel_id", 0, 2, DEC_UINT),
	DBIT("enable_dithering", 2, 4, 0, 1, DEC_BOOL),
	DBIT("is_bridge", 2, 4, 2, 1, DEC_BOOL),
	DBIT("panel_arch_type", 2, 4, 3, 2, DEC_UINT),
	DBIT("is_cmd_mode", 2, 4, 5, 1, DEC_BOOL),
	DBIT("video_transfer_mode", 2, 4, 6, 2, DEC_UINT),
	DBIT("cabc_supported", 2, 4, 8, 1, DEC_BOOL),
	DBIT("pwm_blc", 2, 4, 9, 1, DEC_UINT),
	DBIT("videomode_color_format", 2, 4, 10, 4, DEC_UINT),
	DBIT("rotation", 2, 4, 14, 2, DEC_UINT),
	DBIT("bta_enabled", 2, 4, 16, 1, DEC_BOOL),
	DBIT("dual_link", 6, 2, 0, 2, DEC_UINT),
	DBIT("lane_count", 6, 2, 2, 2, DEC_UINT),
	DBIT("pixel_overlap", 6, 2, 4, 3, DEC_UINT),
	DBIT("rgb_flip", 6, 2, 7, 1, DEC_BOOL),
	DBIT("dl_dcs_cabc_ports", 6, 2, 8, 2, DEC_UINT),
	DBIT("dl_dcs_backlight_ports", 6, 2, 10, 2, DEC_UINT),
};
static const struct dec_field mipi_pps[] = {
	FLD("panel_on_delay", 0, 2, DEC_UINT),
	FLD("bl_enable_delay", 2, 2, DEC_UINT),
	FLD("bl_disable_delay", 4, 2, DEC_UINT),
	FLD("panel_off_delay", 6, 2, DEC_UINT),
	FLD("panel_power_cycle_delay", 8, 2, DEC_UINT),
};

static void dec_mipi_config(dec_node *f, const struct dec_vbt_ctx *ctx,
			    const struct igdpt_vbt_block *blk)
{
	panel_array(ctx, f, "configs", blk->data, blk->size, 0, MIPI_CONFIG_SIZE, MIPI_CONFIG_COUNT,
		    mipi_config, DEC_ARRAY_SIZE(mipi_config), ctx->version);
	panel_array(ctx, f, "pps", blk->data, blk->size, MIPI_CONFIG_COUNT * MIPI_CONFIG_SIZE,
		    MIPI_PPS_SIZE, MIPI_CONFIG_COUNT, mipi_pps, DEC_ARRAY_SIZE(mipi_pps),
		    ctx->version);
}

/* ---- block 53: MIPI sequence --------------------------------------------- */

/* Element opcodes (Linux enum mipi_seq_element). */
enum { SEQ_ELEM_END = 0, SEQ_ELEM_SEND_PKT, SEQ_ELEM_DELAY, SEQ_ELEM_GPIO, SEQ_ELEM_I2C };
#define SEQ_V12_PANEL_HEADER 3u   /* panel id u8, size u16 */
#define SEQ_V3_PANEL_HEADER 5u    /* panel id u8, size u32 */
#define SEQ_V3_SEQ_HEADER 5u      /* sequence id u8, size u32 */
#define SEQ_SEND_PKT_LEN_OFFSET 2u /* after the opcode: flags u8, type u8, len u16 */
#define SEQ_SEND_PKT_HEADER 4u
#define SEQ_DELAY_SIZE 4u
#define SEQ_GPIO_SIZE 2u
#define SEQ_I2C_LEN_OFFSET 6u
#define SEQ_I2C_HEADER 7u

/* v1/v2: a sequence is its id then elements up to an END opcode; returns
 * the size including both, 0 if malformed or truncated. */
static size_t seq_v12_size(const uint8_t *p, size_t len)
{
	size_t i = 1;

	while (i < len) {
		uint8_t op = p[i++];
		size_t n;

		switch (op) {
		case SEQ_ELEM_END:
			return i;
		case SEQ_ELEM_SEND_PKT:
			if (len - i < SEQ_SEND_PKT_HEADER)
				return 0;
			n = SEQ_SEND_PKT_HEADER + igdpt_le16(p + i + SEQ_SEND_PKT_LEN_OFFSET);
			break;
		case SEQ_ELEM_DELAY:
			n = SEQ_DELAY_SIZE;
			break;
		case SEQ_ELEM_GPIO:
			n = SEQ_GPIO_SIZE;
			break;
		case SEQ_ELEM_I2C:
			if (len - i < SEQ_I2C_HEADER)
				return 0;
			n = SEQ_I2C_HEADER + p[i + SEQ_I2C_LEN_OFFSET];
			break;
		default:
			return 0;
		}
		if (n > len - i)
			return 0;
		i += n;
	}
	return 0;
}

static void dec_sequences(struct dec *d, dec_node *arr, const uint8_t *p, size_t len,
			  unsigned version, const char **error)
{
	size_t at = 0;

	while (at < len && p[at] != 0) {
		uint8_t id = p[at];
		const char *name = dec_name_mipi_sequence(id, version);
		dec_node *seq;
		size_t size;

		if (version >= IGDPT_MIPI_SEQ_V3_VERSION) {
			if (len - at < SEQ_V3_SEQ_HEADER) {
				*error = "truncated sequence header";
				break;
			}
			size = igdpt_le32(p + at + 1);
			if (size > len - at - SEQ_V3_SEQ_HEADER) {
				*error = "sequence runs past its panel block";
				break;
			}
			size += SEQ_V3_SEQ_HEADER;
		} else {
			size = seq_v12_size(p + at, len - at);
			if (!size) {
				*error = "malformed sequence element";
				break;
			}
		}
		seq = dec_group(d, arr, NULL);
		dec_uint(d, seq, "id", id);
		dec_text(d, seq, "name", name ? name : "unknown");
		dec_offset(d, seq, "offset", at);
		dec_uint(d, seq, "size", size);
		at += size;
	}
}

static void dec_mipi_sequence(dec_node *f, const struct dec_vbt_ctx *ctx,
			      const struct igdpt_vbt_block *blk)
{
	struct dec *d = ctx->d;
	dec_node *panels;
	const uint8_t *p = blk->data;
	size_t len = blk->size, at, header;
	unsigned version;
	const char *error = NULL;

	if (len < 1)
		return;
	version = p[IGDPT_MIPI_SEQ_VERSION_OFFSET];
	dec_uint(d, f, "version", version);
	if (version >= IGDPT_MIPI_SEQ_V3_VERSION) {
		/* The walker sized this block as 5 + the u32 length. */
		if (len >= IGDPT_MIPI_SEQ_V3_SUBHEADER_SIZE)
			dec_uint(d, f, "length", igdpt_le32(p + IGDPT_MIPI_SEQ_V3_LENGTH_OFFSET));
		else
			dec_none(d, f, "length");
		at = IGDPT_MIPI_SEQ_V3_SUBHEADER_SIZE;
		header = SEQ_V3_PANEL_HEADER;
	} else {
		at = 1;
		header = SEQ_V12_PANEL_HEADER;
	}
	panels = dec_list(d, f, "panels");
	for (unsigned i = 0; i < MIPI_CONFIG_COUNT && at < len; i++) {
		dec_node *panel;
		size_t size;

		if (len - at < header) {
			error = "truncated panel sequence header";
			break;
		}
		size = header == SEQ_V3_PANEL_HEADER ? igdpt_le32(p + at + 1) : igdpt_le16(p + at + 1);
		if (size > len - at - header) {
			error = "panel sequence block runs past the block";
			break;
		}
		panel = dec_group(d, panels, NULL);
		dec_uint(d, panel, "panel_id", p[at]);
		dec_uint(d, panel, "size", size);
		dec_sequences(d, dec_list(d, panel, "sequences"), p + at + header, size, version,
			      &error);
		at += header + size;
		if (error)
			break;
	}
	if (error)
		dec_text(d, f, "error", error);
}

/* ---- block 56: compression parameters ---------------------------------- */

static const struct dec_field dsc_entry[] = {
	DBIT("version_major", 0, 1, 0, 4, DEC_UINT),
	DBIT("version_minor", 0, 1, 4, 4, DEC_UINT),
	DBIT("rc_buffer_block_size", 1, 1, 0, 2, DEC_UINT),
	FLD("rc_buffer_size", 2, 1, DEC_UINT),
	FLD("slices_per_line", 3, 4, DEC_HEX),
	DBIT("line_buffer_depth", 7, 1, 0, 4, DEC_UINT),
	DBIT("block_prediction_enable", 8, 1, 0, 1, DEC_BOOL),
	FLD("max_bpp", 9, 1, DEC_UINT),
	DBIT("support_8bpc", 10, 1, 1, 1, DEC_BOOL),
	DBIT("support_10bpc", 10, 1, 2, 1, DEC_BOOL),
	DBIT("support_12bpc", 10, 1, 3, 1, DEC_BOOL),
	FLD("slice_height", 11, 2, DEC_UINT),
};
#define DSC_ENTRY_SIZE_OFFSET 0u
#define DSC_ENTRIES_OFFSET 2u

static void dec_compression(dec_node *f, const struct dec_vbt_ctx *ctx,
			    const struct igdpt_vbt_block *blk)
{
	unsigned entry_size;

	if (blk->size < DSC_ENTRIES_OFFSET)
		return;
	entry_size = igdpt_le16(blk->data + DSC_ENTRY_SIZE_OFFSET);
	dec_uint(ctx->d, f, "entry_size", entry_size);
	if (entry_size)
		dec_struct_array(ctx->d, f, "entries", blk->data, blk->size, DSC_ENTRIES_OFFSET,
				 entry_size, PANEL_COUNT, -1, NULL, dsc_entry,
				 DEC_ARRAY_SIZE(dsc_entry), ctx->version);
}

/* ---- block 58: generic DTD ---------------------------------------------- */

static const struct dec_field generic_dtd[] = {
	FLD("pixel_clock_khz", 0, 4, DEC_UINT),
	FLD("hactive", 4, 2, DEC_UINT),
	FLD("hblank", 6, 2, DEC_UINT),
	FLD("hfront_porch", 8, 2, DEC_UINT),
	FLD("hsync", 10, 2, DEC_UINT),
	FLD("vactive", 12, 2, DEC_UINT),
	FLD("vblank", 14, 2, DEC_UINT),
	FLD("vfront_porch", 16, 2, DEC_UINT),
	FLD("vsync", 18, 2, DEC_UINT),
	FLD("width_mm", 20, 2, DEC_UINT),
	FLD("height_mm", 22, 2, DEC_UINT),
	DBIT("vsync_positive", 24, 1, 6, 1, DEC_BOOL),
	DBIT("hsync_positive", 24, 1, 7, 1, DEC_BOOL),
};
#define GDTD_SIZE_OFFSET 0u
#define GDTD_ENTRIES_OFFSET 2u

static void dec_generic_dtd(dec_node *f, const struct dec_vbt_ctx *ctx,
			    const struct igdpt_vbt_block *blk)
{
	unsigned entry_size, count;

	if (blk->size < GDTD_ENTRIES_OFFSET)
		return;
	entry_size = igdpt_le16(blk->data + GDTD_SIZE_OFFSET);
	dec_uint(ctx->d, f, "gdtd_size", entry_size);
	if (!entry_size)
		return;
	count = (blk->size - GDTD_ENTRIES_OFFSET) / entry_size;
	dec_uint(ctx->d, f, "dtd_count", count);
	panel_array(ctx, f, "dtds", blk->data, blk->size, GDTD_ENTRIES_OFFSET, entry_size, count,
		    generic_dtd, DEC_ARRAY_SIZE(generic_dtd), ctx->version);
}

/* ---- dispatch ----------------------------------------------------------- */

void dec_block(dec_node *f, const struct dec_vbt_ctx *ctx,
	       const struct igdpt_vbt_block *blk)
{
	switch (blk->id) {
	case IGDPT_BDB_GENERAL_FEATURES:
		dec_fields(ctx->d, f, blk->data, blk->size, general_features,
			   DEC_ARRAY_SIZE(general_features), ctx->version);
		break;
	case IGDPT_BDB_GENERAL_DEFINITIONS:
		dec_general_definitions(f, ctx, blk);
		break;
	case IGDPT_BDB_DRIVER_FEATURES:
		dec_fields(ctx->d, f, blk->data, blk->size, driver_features,
			   DEC_ARRAY_SIZE(driver_features), ctx->version);
		break;
	case IGDPT_BDB_EDP:
		dec_edp(f, ctx, blk);
		break;
	case IGDPT_BDB_LFP_OPTIONS:
		dec_fields(ctx->d, f, blk->data, blk->size, lfp_options, DEC_ARRAY_SIZE(lfp_options),
			   ctx->version);
		break;
	case IGDPT_BDB_LFP_DATA_PTRS:
		dec_lfp_ptrs(f, ctx, blk);
		break;
	case IGDPT_BDB_LFP_DATA:
		dec_lfp_data(f, ctx, blk);
		break;
	case IGDPT_BDB_LFP_BACKLIGHT:
		dec_backlight(f, ctx, blk);
		break;
	case IGDPT_BDB_LFP_POWER:
		dec_lfp_power(f, ctx, blk);
		break;
	case IGDPT_BDB_MIPI_CONFIG:
		dec_mipi_config(f, ctx, blk);
		break;
	case IGDPT_BDB_MIPI_SEQUENCE:
		dec_mipi_sequence(f, ctx, blk);
		break;
	case IGDPT_BDB_COMPRESSION_PARAMETERS:
		dec_compression(f, ctx, blk);
		break;
	case IGDPT_BDB_GENERIC_DTD:
		dec_generic_dtd(f, ctx, blk);
		break;
	default:
		break;
	}
}
