/* SPDX-License-Identifier: MIT */
/* OpRegion header and mailboxes as field tables (include/igdpt/abi/opregion.h).
 *
 * Like intel_opregion_decode, a mailbox is shown only when its MBOX bit
 * announces it; the header always is. Offsets are absolute from the base and
 * every field is checked against the bytes present, so a short dump decodes
 * as far as it goes.
 */
#include <stdio.h>

#include "decode_internal.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"

static const struct dec_field header_fields[] = {
	FLD("SIGN", IGDPT_OPREGION_SIGN_OFFSET, IGDPT_OPREGION_SIGN_SIZE, DEC_STR),
	FLD("SIZE", IGDPT_OPREGION_SIZE_OFFSET, 4, DEC_UINT),
	FLD("OVER", IGDPT_OPREGION_OVER_OFFSET, 4, DEC_HEX),
	FLD("SVER", IGDPT_OPREGION_SVER_OFFSET, IGDPT_OPREGION_SVER_SIZE, DEC_STR),
	FLD("VVER", IGDPT_OPREGION_VVER_OFFSET, IGDPT_OPREGION_VVER_SIZE, DEC_STR),
	FLD("GVER", IGDPT_OPREGION_GVER_OFFSET, IGDPT_OPREGION_GVER_SIZE, DEC_STR),
	FLD("MBOX", IGDPT_OPREGION_MBOX_OFFSET, 4, DEC_HEX),
	FLD("DMOD", IGDPT_OPREGION_DMOD_OFFSET, 4, DEC_HEX),
	FLD("PCON", IGDPT_OPREGION_PCON_OFFSET, 4, DEC_HEX),
};

static const char *const mbox_names[] = {
	"acpi", "swsci", "asle", "vbt", "asle_ext", "backlight",
};

/* PCON: bit 13 per Linux; bits 7 and 8 per Slim Bootloader. */
static const char *const pcon_names[] = {
	[7] = "external_gfx_present",
	[8] = "external_gfx_field_valid",
	[13] = "headless",
};

static const struct dec_field mbox1_fields[] = {
	FLD("DRDY", IGDPT_MBOX1_DRDY_OFFSET, 4, DEC_HEX),
	FLD("CSTS", IGDPT_MBOX1_CSTS_OFFSET, 4, DEC_HEX),
	FLD("CEVT", IGDPT_MBOX1_CEVT_OFFSET, 4, DEC_HEX),
	FLDA("DIDL", IGDPT_MBOX1_DIDL_OFFSET, 4, DEC_HEX, IGDPT_MBOX1_DISPLAY_LIST_COUNT),
	FLDA("CPDL", IGDPT_MBOX1_CPDL_OFFSET, 4, DEC_HEX, IGDPT_MBOX1_DISPLAY_LIST_COUNT),
	FLDA("CADL", IGDPT_MBOX1_CADL_OFFSET, 4, DEC_HEX, IGDPT_MBOX1_DISPLAY_LIST_COUNT),
	FLDA("NADL", IGDPT_MBOX1_NADL_OFFSET, 4, DEC_HEX, IGDPT_MBOX1_DISPLAY_LIST_COUNT),
	FLD("ASLP", IGDPT_MBOX1_ASLP_OFFSET, 4, DEC_UINT),
	FLD("TIDX", IGDPT_MBOX1_TIDX_OFFSET, 4, DEC_HEX),
	FLD("CHPD", IGDPT_MBOX1_CHPD_OFFSET, 4, DEC_HEX),
	FLD("CLID", IGDPT_MBOX1_CLID_OFFSET, 4, DEC_HEX),
	FLD("CDCK", IGDPT_MBOX1_CDCK_OFFSET, 4, DEC_HEX),
	FLD("SXSW", IGDPT_MBOX1_SXSW_OFFSET, 4, DEC_HEX),
	FLD("EVTS", IGDPT_MBOX1_EVTS_OFFSET, 4, DEC_HEX),
	FLD("CNOT", IGDPT_MBOX1_CNOT_OFFSET, 4, DEC_HEX),
	FLD("NRDY", IGDPT_MBOX1_NRDY_OFFSET, 4, DEC_HEX),
	FLDA("DID2", IGDPT_MBOX1_DID2_OFFSET, 4, DEC_HEX, IGDPT_MBOX1_DISPLAY_LIST2_COUNT),
	FLDA("CPD2", IGDPT_MBOX1_CPD2_OFFSET, 4, DEC_HEX, IGDPT_MBOX1_DISPLAY_LIST2_COUNT),
};

static const struct dec_field swsci_fields[] = {
	FLD("SCIC", IGDPT_MBOX2_SCIC_OFFSET, 4, DEC_HEX),
	DBIT("SCIC_indicator", IGDPT_MBOX2_SCIC_OFFSET, 4, 0, 1, DEC_BOOL),
	DBIT("SCIC_main_function", IGDPT_MBOX2_SCIC_OFFSET, 4, IGDPT_SCIC_MAIN_FUNC_SHIFT, 4, DEC_UINT),
	DBIT("SCIC_exit_status", IGDPT_MBOX2_SCIC_OFFSET, 4, IGDPT_SCIC_EXIT_STATUS_SHIFT, 3, DEC_UINT),
	DBIT("SCIC_sub_function", IGDPT_MBOX2_SCIC_OFFSET, 4, IGDPT_SCIC_SUB_FUNC_SHIFT, 8, DEC_UINT),
	FLD("PARM", IGDPT_MBOX2_PARM_OFFSET, 4, DEC_HEX),
	FLD("DSLP", IGDPT_MBOX2_DSLP_OFFSET, 4, DEC_UINT),
};

static const struct dec_field backlight_fields[] = {
	FLD("BCL1", IGDPT_MBOX2_BCL1_OFFSET, 4, DEC_HEX),
	FLD("BCL2", IGDPT_MBOX2_BCL2_OFFSET, 4, DEC_HEX),
	FLD("CBL1", IGDPT_MBOX2_CBL1_OFFSET, 4, DEC_HEX),
	FLD("CBL2", IGDPT_MBOX2_CBL2_OFFSET, 4, DEC_HEX),
	FLDA("BCM1", IGDPT_MBOX2_BCM1_OFFSET, 4, DEC_HEX, IGDPT_MBOX2_BCM_COUNT),
	FLDA("BCM2", IGDPT_MBOX2_BCM2_OFFSET, 4, DEC_HEX, IGDPT_MBOX2_BCM_COUNT),
};

static const struct dec_field mbox3_fields[] = {
	FLD("ARDY", IGDPT_MBOX3_ARDY_OFFSET, 4, DEC_HEX),
	FLD("ASLC", IGDPT_MBOX3_ASLC_OFFSET, 4, DEC_HEX),
	FLD("TCHE", IGDPT_MBOX3_TCHE_OFFSET, 4, DEC_HEX),
	FLD("ALSI", IGDPT_MBOX3_ALSI_OFFSET, 4, DEC_UINT),
	FLD("BCLP", IGDPT_MBOX3_BCLP_OFFSET, 4, DEC_HEX),
	FLD("PFIT", IGDPT_MBOX3_PFIT_OFFSET, 4, DEC_HEX),
	FLD("CBLV", IGDPT_MBOX3_CBLV_OFFSET, 4, DEC_HEX),
	FLDA("BCLM", IGDPT_MBOX3_BCLM_OFFSET, 2, DEC_HEX, IGDPT_MBOX3_BCLM_COUNT),
	FLD("CPFM", IGDPT_MBOX3_CPFM_OFFSET, 4, DEC_HEX),
	FLD("EPFM", IGDPT_MBOX3_EPFM_OFFSET, 4, DEC_HEX),
	FLD("PLUT", IGDPT_MBOX3_PLUT_OFFSET, IGDPT_MBOX3_PLUT_SIZE, DEC_BYTES),
	FLD("PFMB", IGDPT_MBOX3_PFMB_OFFSET, 4, DEC_HEX),
	FLD("CCDV", IGDPT_MBOX3_CCDV_OFFSET, 4, DEC_HEX),
	FLD("PCFT", IGDPT_MBOX3_PCFT_OFFSET, 4, DEC_HEX),
	FLD("SROT", IGDPT_MBOX3_SROT_OFFSET, 4, DEC_HEX),
	FLD("IUER", IGDPT_MBOX3_IUER_OFFSET, 4, DEC_HEX),
	FLD("FDSS", IGDPT_MBOX3_FDSS_OFFSET, 8, DEC_HEX),
	FLD("FDSP", IGDPT_MBOX3_FDSP_OFFSET, 4, DEC_HEX),
	FLD("STAT", IGDPT_MBOX3_STAT_OFFSET, 4, DEC_HEX),
	FLD("RVDA", IGDPT_MBOX3_RVDA_OFFSET, 8, DEC_HEX),
	FLD("RVDS", IGDPT_MBOX3_RVDS_OFFSET, 4, DEC_HEX),
};

/* OpRegion 3.0 additions to mailbox 3. */
static const struct dec_field mbox3_v3_fields[] = {
	FLD("VRSR", IGDPT_MBOX3_VRSR_OFFSET, 1, DEC_HEX),
	FLD("DLHP", IGDPT_MBOX3_DLHP_OFFSET, 8, DEC_HEX),
};

/* The fixed 8-byte header every EDID starts with. */
static const uint8_t edid_header[] = { 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00 };
#define EDID_HEADER_SIZE sizeof(edid_header)

static const struct dec_field mbox5_fields[] = {
	FLD("PHED", IGDPT_MBOX5_PHED_OFFSET, 4, DEC_HEX),
	/* PHED bits 1:0: valid 128-byte EDID blocks in BDDC. */
	DBIT("PHED_edid_blocks", IGDPT_MBOX5_PHED_OFFSET, 4, 0, 2, DEC_UINT),
	FLDA("BDDC_header", IGDPT_MBOX5_BDDC_OFFSET, 1, DEC_HEX, EDID_HEADER_SIZE),
};

static void section(struct dec *d, dec_node *parent, const char *name, const uint8_t *buf,
		    size_t len, const struct dec_field *t, size_t n)
{
	dec_fields(d, dec_group(d, parent, name), buf, len, t, n, 0);
}

static void dec_header(struct dec *d, dec_node *hdr, const uint8_t *buf, size_t len)
{
	/* DVER: 16 UTF-16LE code units (coreboot, SBL); ASCII kept. */
	uint8_t ascii[IGDPT_OPREGION_DVER_SIZE / 2];
	char *version;
	uint32_t mbox, pcon;

	dec_fields(d, hdr, buf, len, header_fields, DEC_ARRAY_SIZE(header_fields), 0);
	if (len < IGDPT_OPREGION_HDR_SIZE)
		return;
	version = dec_alloc(d, sizeof("255.255.255"));
	if (version)
		snprintf(version, sizeof("255.255.255"), "%u.%u.%u",
			 buf[IGDPT_OPREGION_OVER_MAJOR_OFFSET], buf[IGDPT_OPREGION_OVER_MINOR_OFFSET],
			 buf[IGDPT_OPREGION_OVER_REVISION_OFFSET]);
	dec_text(d, hdr, "version", version ? version : "");
	mbox = igdpt_le32(buf + IGDPT_OPREGION_MBOX_OFFSET);
	pcon = igdpt_le32(buf + IGDPT_OPREGION_PCON_OFFSET);
	dec_bit_names(d, hdr, "MBOX_bits", mbox, mbox_names, DEC_ARRAY_SIZE(mbox_names));
	dec_bit_names(d, hdr, "PCON_bits", pcon, pcon_names, DEC_ARRAY_SIZE(pcon_names));
	for (unsigned i = 0; i < sizeof(ascii); i++) {
		uint16_t c = igdpt_le16(buf + IGDPT_OPREGION_DVER_OFFSET + 2 * i);

		ascii[i] = c < 0x80 ? (uint8_t)c : '?';
	}
	dec_str(d, hdr, "DVER", ascii, sizeof(ascii));
	dec_bool(d, hdr, "reserved_zero",
		 igdpt_bytes_all_zero(buf + IGDPT_OPREGION_HDR_RSVD_OFFSET,
				      IGDPT_OPREGION_HDR_RSVD_SIZE));
}

/* Where the VBT is, by the rules of the core parser (the VBT location
 * rules of lib/core/opregion.c). */
static void dec_vbt_location(struct dec *d, dec_node *obj, const uint8_t *buf, size_t len)
{
	enum igdpt_vbt_source source = IGDPT_VBT_SOURCE_NONE;
	uint64_t rvda;
	uint32_t rvds;

	if (len < IGDPT_OPREGION_BASE_SIZE) {
		dec_text(d, obj, "vbt_source", igdpt_vbt_source_name(source));
		return;
	}
	rvda = igdpt_le64(buf + IGDPT_MBOX3_RVDA_OFFSET);
	rvds = igdpt_le32(buf + IGDPT_MBOX3_RVDS_OFFSET);
	if (rvda && rvds) {
		source = IGDPT_VBT_SOURCE_RVDA;
		dec_offset(d, obj, "vbt_offset", rvda);
		dec_uint(d, obj, "vbt_window", rvds);
	} else if (!igdpt_bytes_differ(buf + IGDPT_MBOX4_OFFSET,
				       (const uint8_t *)IGDPT_VBT_SIGNATURE,
				       IGDPT_VBT_SIGNATURE_PREFIX_SIZE)) {
		uint32_t mbox = igdpt_le32(buf + IGDPT_OPREGION_MBOX_OFFSET);

		source = IGDPT_VBT_SOURCE_MAILBOX4;
		dec_offset(d, obj, "vbt_offset", IGDPT_MBOX4_OFFSET);
		dec_uint(d, obj, "vbt_window",
			 (mbox & IGDPT_MBOX_ASLE_EXT) ? IGDPT_MBOX4_SIZE : IGDPT_MBOX4_SIZE_NO_ASLE_EXT);
		dec_str(d, obj, "vbt_signature", buf + IGDPT_MBOX4_OFFSET, IGDPT_VBT_SIGNATURE_SIZE);
	}
	dec_text(d, obj, "vbt_source", igdpt_vbt_source_name(source));
}

void dec_opregion(struct dec *d, dec_node *obj, const uint8_t *buf, size_t len)
{
	uint32_t mbox = len >= IGDPT_OPREGION_HDR_SIZE ? igdpt_le32(buf + IGDPT_OPREGION_MBOX_OFFSET) : 0;
	uint8_t major = len >= IGDPT_OPREGION_HDR_SIZE ? buf[IGDPT_OPREGION_OVER_MAJOR_OFFSET] : 0;
	dec_node *m;

	dec_header(d, dec_group(d, obj, "header"), buf, len);
	if (mbox & IGDPT_MBOX_ACPI)
		section(d, obj, "mailbox1", buf, len, mbox1_fields, DEC_ARRAY_SIZE(mbox1_fields));
	if (mbox & IGDPT_MBOX_BACKLIGHT) {
		m = dec_group(d, obj, "mailbox2");
		dec_fields(d, m, buf, len, backlight_fields, DEC_ARRAY_SIZE(backlight_fields), 0);
		dec_text(d, m, "layout", "backlight");
	} else if (mbox & IGDPT_MBOX_SWSCI) {
		m = dec_group(d, obj, "mailbox2");
		dec_fields(d, m, buf, len, swsci_fields, DEC_ARRAY_SIZE(swsci_fields), 0);
		dec_text(d, m, "layout", "swsci");
	}
	if (mbox & IGDPT_MBOX_ASLE) {
		m = dec_group(d, obj, "mailbox3");
		dec_fields(d, m, buf, len, mbox3_fields, DEC_ARRAY_SIZE(mbox3_fields), 0);
		if (major >= 3)
			dec_fields(d, m, buf, len, mbox3_v3_fields, DEC_ARRAY_SIZE(mbox3_v3_fields), 0);
	}
	/* The VBT location is shown whatever MBOX bit 3 says: i915 never tests
	 * that bit. */
	m = dec_group(d, obj, "mailbox4");
	dec_vbt_location(d, m, buf, len);
	dec_bool(d, m, "announced", mbox & IGDPT_MBOX_VBT);
	if (mbox & IGDPT_MBOX_ASLE_EXT) {
		m = dec_group(d, obj, "mailbox5");
		dec_fields(d, m, buf, len, mbox5_fields, DEC_ARRAY_SIZE(mbox5_fields), 0);
		if (len >= IGDPT_MBOX5_BDDC_OFFSET + EDID_HEADER_SIZE)
			dec_bool(d, m, "BDDC_edid_header_valid",
				 !igdpt_bytes_differ(buf + IGDPT_MBOX5_BDDC_OFFSET, edid_header,
						     EDID_HEADER_SIZE));
	}
}
