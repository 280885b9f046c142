/* SPDX-License-Identifier: MIT */
/* Names of BDB blocks and of the coded values the decoder shows by name,
 * spelled as intel_vbt_decode spells them; the codes are those of Linux
 * display/intel_vbt_defs.h (facts only, tables of our own). */
#include "decode_internal.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/abi/vbt_blocks.h"

/* ---- blocks ----------------------------------------------------------- */

/* Indexed by block id: a lookup per block, not a search. */
static const char *const block_names[256] = {
	[IGDPT_BDB_GENERAL_FEATURES] = "General features",
	[IGDPT_BDB_GENERAL_DEFINITIONS] = "General definitions",
	[IGDPT_BDB_DISPLAY_TOGGLE] = "Display toggle list",
	[IGDPT_BDB_MODE_SUPPORT_LIST] = "Mode support list",
	[IGDPT_BDB_GENERIC_MODE_TABLE] = "Generic mode table",
	[IGDPT_BDB_EXT_MMIO_REGS] = "Extended MMIO registers",
	[IGDPT_BDB_SWF_IO] = "SWF I/O",
	[IGDPT_BDB_SWF_MMIO] = "SWF MMIO",
	[IGDPT_BDB_PSR] = "PSR",
	[IGDPT_BDB_MODE_REMOVAL_TABLE] = "Mode removal table",
	[IGDPT_BDB_CHILD_DEVICE_TABLE] = "Child device table",
	[IGDPT_BDB_DRIVER_FEATURES] = "Driver features",
	[IGDPT_BDB_DRIVER_PERSISTENCE] = "Driver persistent algorithm",
	[IGDPT_BDB_EXT_TABLE_PTRS] = "External table pointers",
	[IGDPT_BDB_DOT_CLOCK_OVERRIDE] = "Dot clock override",
	[IGDPT_BDB_DISPLAY_SELECT_OLD] = "Display select (old)",
	[IGDPT_BDB_SV_TEST_FUNCTIONS] = "SV test functions",
	[IGDPT_BDB_DRIVER_ROTATION] = "Driver rotation",
	[IGDPT_BDB_DISPLAY_REMOVE_OLD] = "Display remove (old)",
	[IGDPT_BDB_OEM_CUSTOM] = "OEM customizable modes",
	[IGDPT_BDB_EFP_LIST] = "EFP list",
	[IGDPT_BDB_SDVO_LVDS_OPTIONS] = "SDVO LVDS options",
	[IGDPT_BDB_SDVO_LVDS_DTD] = "SDVO panel DTDs",
	[IGDPT_BDB_SDVO_LVDS_PNP_ID] = "SDVO LVDS PnP IDs",
	[IGDPT_BDB_SDVO_LVDS_PPS] = "SDVO LVDS power sequencing",
	[IGDPT_BDB_TV_OPTIONS] = "TV options",
	[IGDPT_BDB_EDP] = "eDP",
	[IGDPT_BDB_EFP_DTD] = "EFP DTD",
	[IGDPT_BDB_DISPLAY_SELECT_IVB] = "Display select (IVB)",
	[IGDPT_BDB_DISPLAY_REMOVE_IVB] = "Display remove (IVB)",
	[IGDPT_BDB_DISPLAY_SELECT_HSW] = "Display select (HSW)",
	[IGDPT_BDB_DISPLAY_REMOVE_HSW] = "Display remove (HSW)",
	[IGDPT_BDB_LFP_OPTIONS] = "LFP options",
	[IGDPT_BDB_LFP_DATA_PTRS] = "LFP data table pointers",
	[IGDPT_BDB_LFP_DATA] = "LFP data",
	[IGDPT_BDB_LFP_BACKLIGHT] = "LFP backlight",
	[IGDPT_BDB_LFP_POWER] = "LFP power conservation",
	[IGDPT_BDB_EDP_BFI] = "eDP BFI",
	[IGDPT_BDB_CHROMATICITY] = "Chromaticity",
	[IGDPT_BDB_MIPI] = "MIPI",
	[IGDPT_BDB_FIXED_SET_MODE] = "Fixed set mode",
	[IGDPT_BDB_MIPI_CONFIG] = "MIPI configuration",
	[IGDPT_BDB_MIPI_SEQUENCE] = "MIPI sequence",
	[IGDPT_BDB_RGB_PALETTE] = "RGB palette",
	[IGDPT_BDB_COMPRESSION_PARAMETERS_OLD] = "Compression parameters (old)",
	[IGDPT_BDB_COMPRESSION_PARAMETERS] = "Compression parameters",
	[IGDPT_BDB_VSWING_PREEMPH] = "Vswing/preemphasis tables",
	[IGDPT_BDB_GENERIC_DTD] = "Generic DTD",
	[IGDPT_BDB_INT15_HOOK] = "INT15 hook",
	[IGDPT_BDB_PRD_TABLE] = "PRD table",
	[IGDPT_BDB_SKIP] = "BIOS data (skip)",
};

const char *igdpt_decode_block_name(unsigned id)
{
	return id < DEC_ARRAY_SIZE(block_names) && block_names[id] ? block_names[id] : "Unknown";
}

/* ---- coded values ------------------------------------------------------ */

struct code_name {
	uint32_t code;
	const char *name;
};

static const char *lookup(const struct code_name *table, size_t n, uint64_t v)
{
	for (size_t i = 0; i < n; i++)
		if (table[i].code == v)
			return table[i].name;
	return NULL;
}

static const char *indexed(const char *const *names, size_t n, uint64_t v)
{
	return v < n ? names[v] : NULL;
}

const char *dec_name_panel_fitting(uint64_t v, unsigned version)
{
	static const char *const names[] = {
		"disabled", "text only", "graphics only", "text & graphics",
	};

	(void)version;
	return indexed(names, DEC_ARRAY_SIZE(names), v);
}

/* Handles 0x0001 and 0x0002 were CRT and TV until BDB 214; they name
 * further EFP ports from 215 (0x0002) and 217 (0x0001, 0x0100, 0x0200). */
#define EFP5_FROM_VERSION 215u
#define EFP6_FROM_VERSION 217u
const char *dec_name_child_handle(uint64_t v, unsigned version)
{
	static const struct code_name handles[] = {
		{ IGDPT_DEVICE_HANDLE_EFP1, "EFP 1 (HDMI/DVI/DP)" },
		{ IGDPT_DEVICE_HANDLE_EFP2, "EFP 2 (HDMI/DVI/DP)" },
		{ IGDPT_DEVICE_HANDLE_EFP3, "EFP 3 (HDMI/DVI/DP)" },
		{ IGDPT_DEVICE_HANDLE_EFP4, "EFP 4 (HDMI/DVI/DP)" },
		{ IGDPT_DEVICE_HANDLE_LFP1, "LFP 1 (eDP)" },
		{ IGDPT_DEVICE_HANDLE_LFP2, "LFP 2 (eDP)" },
	};

	switch (v) {
	case 0x0001:
		return version >= EFP6_FROM_VERSION ? "EFP 6 (HDMI/DVI/DP)" : "CRT";
	case 0x0002:
		return version >= EFP5_FROM_VERSION ? "EFP 5 (HDMI/DVI/DP)" : "TV";
	case 0x0100:
		return version >= EFP6_FROM_VERSION ? "EFP 7 (HDMI/DVI/DP)" : NULL;
	case 0x0200:
		return version >= EFP6_FROM_VERSION ? "EFP 8 (HDMI/DVI/DP)" : NULL;
	default:
		return lookup(handles, DEC_ARRAY_SIZE(handles), v);
	}
}

const char *dec_name_device_type(uint64_t v, unsigned version)
{
	/* The first name of a code wins (0x0209 is both composite and SCART). */
	static const struct code_name types[] = {
		{ 0x0000, "none" },
		{ 0x0001, "CRT" },
		{ 0x0009, "TV" },
		{ 0x0012, "EFP" },
		{ 0x0022, "LFP" },
		{ 0x6001, "CRT" },
		{ 0x4001, "CRT" },
		{ 0x0209, "TV composite" },
		{ 0x0289, "TV" },
		{ 0x020c, "TV" },
		{ 0x0609, "TV S-Video" },
		{ 0x6009, "TV" },
		{ 0x6012, "EFP" },
		{ 0x6052, "DVI" },
		{ 0x6053, "DVI-I" },
		{ 0x6152, "DL-DVI-D" },
		{ 0x60d2, "HDMI/DVI" }, /* IGDPT_DEVICE_TYPE_HDMI, also DVI-D with HDCP */
		{ 0x6062, "OpenLDI" },
		{ 0x6162, "OpenLDI" },
		{ 0x5012, "PanelLink" },
		{ 0x5042, "CMOS LFP" },
		{ 0x5062, "LVDS" },
		{ 0x5162, "LVDS" },
		{ 0x51e2, "LVDS" },
		{ 0x1022, "LFP" },
		{ 0x1009, "TV" },
		{ IGDPT_DEVICE_TYPE_DP, "DisplayPort" },
		{ IGDPT_DEVICE_TYPE_DP_DUAL_MODE, "DisplayPort/HDMI/DVI" },
		{ 0x68d6, "DisplayPort/DVI" },
		{ 0x68d2, "DVI" },
		{ IGDPT_DEVICE_TYPE_EDP, "eDP" },
		{ 0x7cc2, "MIPI" },
	};

	(void)version;
	return lookup(types, DEC_ARRAY_SIZE(types), v);
}

/* device_type bits (Linux DEVICE_TYPE_*), bit 0 first. */
const char *const dec_device_type_bits[16] = {
	"analog_output", "digital_output", "displayport_output", "video_signaling",
	"tmds_dvi_signaling", "lvds_signaling", "high_speed_link", NULL,
	"dual_channel", "composite_output", "mipi_output", "not_hdmi_output",
	"internal_connector", "hotplug_signaling", "power_management", "class_extension",
};

const char *dec_name_i2c_speed(uint64_t v, unsigned version)
{
	static const char *const names[] = { "100 kHz", "50 kHz", "400 kHz", "1 MHz" };

	(void)version;
	return indexed(names, DEC_ARRAY_SIZE(names), v);
}

/* dvo_port codes name ports from BDB 155; before, they are DVO ports. */
#define DVO_PORT_NAMES_FROM_VERSION 155u
const char *dec_name_dvo_port(uint64_t v, unsigned version)
{
	if (version < DVO_PORT_NAMES_FROM_VERSION || v > UINT8_MAX)
		return NULL;
	return igdpt_vbt_dvo_port_name((uint8_t)v);
}

const char *dec_name_aux_channel(uint64_t v, unsigned version)
{
	static const struct code_name channels[] = {
		{ IGDPT_DP_AUX_NONE, "none" }, { IGDPT_DP_AUX_A, "AUX-A" },
		{ IGDPT_DP_AUX_B, "AUX-B" },   { IGDPT_DP_AUX_C, "AUX-C" },
		{ IGDPT_DP_AUX_D, "AUX-D" },   { 0x50, "AUX-E" },
		{ 0x60, "AUX-F" },             { 0x70, "AUX-G" },
		{ 0x80, "AUX-H" },             { 0x90, "AUX-I" },
	};

	(void)version;
	return lookup(channels, DEC_ARRAY_SIZE(channels), v);
}

const char *dec_name_hdmi_max_data_rate(uint64_t v, unsigned version)
{
	/* Codes 3-5 from BDB 249. */
	static const char *const names[] = {
		"<platform max>", "297 MHz", "165 MHz", "594 MHz", "340 MHz", "300 MHz",
	};

	(void)version;
	return indexed(names, DEC_ARRAY_SIZE(names), v);
}

/* BDB 216-229 count down from HBR3 in two bits; from 230, 0 means the
 * platform's maximum and the codes count up from RBR. */
#define DP_LINK_RATE_UP_FROM_VERSION 230u
#define DP_LINK_RATE_OLD_MASK 0x3u
const char *dec_name_dp_max_link_rate(uint64_t v, unsigned version)
{
	static const char *const old[] = { "8.1 Gbps", "5.4 Gbps", "2.7 Gbps", "1.62 Gbps" };
	static const char *const up[] = {
		"<platform max>", "1.62 Gbps", "2.7 Gbps", "5.4 Gbps",
		"8.1 Gbps", "10 Gbps", "13.5 Gbps", "20 Gbps",
	};

	if (version >= DP_LINK_RATE_UP_FROM_VERSION)
		return indexed(up, DEC_ARRAY_SIZE(up), v);
	return old[v & DP_LINK_RATE_OLD_MASK];
}

const char *dec_name_mipi_sequence(uint64_t v, unsigned version)
{
	/* Linux enum mipi_seq. */
	static const char *const names[] = {
		NULL, "assert_reset", "init_otp", "display_on", "display_off", "deassert_reset",
		"backlight_on", "backlight_off", "tear_on", "tear_off", "power_on", "power_off",
	};

	(void)version;
	return indexed(names, DEC_ARRAY_SIZE(names), v);
}
