/* SPDX-License-Identifier: MIT */
/* The synthetic reference OpRegion: what board firmware would hand the OS.
 *
 * Field values follow the builders real firmware uses (coreboot
 * src/drivers/intel/gma/opregion.c, Slim Bootloader IgdOpRegionLib): SIZE 8,
 * all five mailboxes announced, CLID "lid open", an 11-entry BCLM table, no
 * RVDA.
 */
#include <string.h>

#include "build_private.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/build.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/opregion.h"

#define SVER "igdpt reference firmware"
#define VVER "igdpt VBT 221"
#define GVER "igdpt"
#define DVER "igdpt, no GOP"
/* Slim Bootloader's PCON on a board without a discrete GPU: bits 1:0 and
 * bit 8 (external graphics field valid), bit 7 (present) clear. */
#define REFERENCE_PCON 0x103u
#define CBLV_FULL_PERCENT 100u
#define BCLM_PERCENT_STEP 10u
#define VERSION_MAJOR_SHIFT 8u
#define VERSION_MINOR_MASK 0xFFu

int igdpt_build_parse_version(const char *text, uint16_t *version)
{
	static const struct {
		const char *text;
		uint16_t version;
	} known[] = {
		{ "2.0", IGDPT_BUILD_VERSION_2_0 },
		{ "2.1", IGDPT_BUILD_VERSION_2_1 },
		{ "3.0", IGDPT_BUILD_VERSION_3_0 },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (!strcmp(text, known[i].text)) {
			*version = known[i].version;
			return 0;
		}
	}
	return -IGDPT_EINVAL;
}

int igdpt_build_version_supported(uint16_t version)
{
	return version == IGDPT_BUILD_VERSION_2_0 || version == IGDPT_BUILD_VERSION_2_1 ||
	       version == IGDPT_BUILD_VERSION_3_0;
}

static void put_string(uint8_t *dst, const char *s, size_t field)
{
	size_t n = strlen(s);

	memcpy(dst, s, n < field ? n : field);
}

static void put_utf16(uint8_t *dst, const char *s, size_t field)
{
	for (size_t i = 0; s[i] && (i + 1) * sizeof(uint16_t) <= field; i++)
		igdpt_put_le16(dst + i * sizeof(uint16_t), (uint8_t)s[i]);
}

void igdpt_build_base(uint16_t version, uint8_t *out)
{
	uint8_t major = (uint8_t)(version >> VERSION_MAJOR_SHIFT);
	uint32_t mbox = IGDPT_MBOX_ACPI | IGDPT_MBOX_ASLE | IGDPT_MBOX_VBT | IGDPT_MBOX_ASLE_EXT;

	memset(out, 0, IGDPT_OPREGION_BASE_SIZE);

	/* Header */
	memcpy(out + IGDPT_OPREGION_SIGN_OFFSET, IGDPT_OPREGION_SIGNATURE,
	       IGDPT_OPREGION_SIGN_SIZE);
	igdpt_put_le32(out + IGDPT_OPREGION_SIZE_OFFSET, IGDPT_OPREGION_SIZE_KIB);
	out[IGDPT_OPREGION_OVER_MAJOR_OFFSET] = major;
	out[IGDPT_OPREGION_OVER_MINOR_OFFSET] = (uint8_t)(version & VERSION_MINOR_MASK);
	put_string(out + IGDPT_OPREGION_SVER_OFFSET, SVER, IGDPT_OPREGION_SVER_SIZE);
	put_string(out + IGDPT_OPREGION_VVER_OFFSET, VVER, IGDPT_OPREGION_VVER_SIZE);
	put_string(out + IGDPT_OPREGION_GVER_OFFSET, GVER, IGDPT_OPREGION_GVER_SIZE);
	/* DVER is 16 UTF-16LE code units in coreboot, SBL and real dumps. */
	put_utf16(out + IGDPT_OPREGION_DVER_OFFSET, DVER, IGDPT_OPREGION_DVER_SIZE);
	/* 2.x: mailbox 2 is SWSCI, as on hardware (the guest policy clears it).
	 * 3.0: SWSCI is obsolete and mailbox 2 is the backlight mailbox. */
	mbox |= major >= 3 ? IGDPT_MBOX_BACKLIGHT : IGDPT_MBOX_SWSCI;
	igdpt_put_le32(out + IGDPT_OPREGION_MBOX_OFFSET, mbox);
	igdpt_put_le32(out + IGDPT_OPREGION_PCON_OFFSET, REFERENCE_PCON);

	/* Mailbox 1: firmware sets the lid state; the driver fills the rest. */
	igdpt_put_le32(out + IGDPT_MBOX1_CLID_OFFSET, IGDPT_CLID_LID_OPEN);

	/* Mailbox 2 (SWSCI: SCIC, PARM, DSLP; or 3.0 backlight) starts idle,
	 * all zero: DSLP 0 makes i915 use its default 50 ms. */

	/* Mailbox 3: the driver handles backlight requests at full brightness. */
	igdpt_put_le32(out + IGDPT_MBOX3_TCHE_OFFSET, IGDPT_TCHE_BACKLIGHT);
	igdpt_put_le32(out + IGDPT_MBOX3_CBLV_OFFSET, IGDPT_ASLE_FIELD_VALID | CBLV_FULL_PERCENT);
	for (unsigned i = 0; i < IGDPT_BCLM_BUILDER_ENTRIES; i++) {
		unsigned percent = i * BCLM_PERCENT_STEP;
		unsigned duty = percent * IGDPT_BCLM_DUTY_MAX / CBLV_FULL_PERCENT;

		igdpt_put_le16(out + IGDPT_MBOX3_BCLM_OFFSET + i * sizeof(uint16_t),
			       (uint16_t)(IGDPT_BCLM_VALID | percent << IGDPT_BCLM_PERCENT_SHIFT | duty));
	}
	/* RVDA/RVDS stay 0 unless an extended VBT follows; mailbox 5 is zero
	 * (no EDID override). */
}

int igdpt_build_reference(uint16_t version, uint8_t *out, size_t cap, size_t *out_len,
			  struct igdpt_diag *diag)
{
	struct igdpt_diag check = { 0 };
	struct igdpt_opregion op;
	size_t vbt_len;
	int ret;

	if (!igdpt_build_version_supported(version))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_OPREGION_OVER_OFFSET,
				       "unsupported OpRegion version (2.0, 2.1 or 3.0)");
	*out_len = IGDPT_OPREGION_BASE_SIZE;
	if (cap < IGDPT_OPREGION_BASE_SIZE)
		return igdpt_diag_fail(diag, -IGDPT_ENOSPC, 0, "output buffer too small");

	igdpt_build_base(version, out);
	ret = igdpt_build_reference_vbt(out + IGDPT_MBOX4_OFFSET, IGDPT_MBOX4_SIZE, &vbt_len);
	if (ret < 0) {
		check.reason = "reference VBT does not fit mailbox 4";
		goto fail;
	}
	/* Our own product must pass our own validator, warning-free. */
	ret = igdpt_opregion_parse(out, IGDPT_OPREGION_BASE_SIZE, &op, &check);
	if (ret < 0)
		goto fail;
	if (check.warnings) {
		ret = -IGDPT_EINVAL;
		check.reason = "reference image draws validator warnings";
		goto fail;
	}
	return 0;

fail:
	memset(out, 0, IGDPT_OPREGION_BASE_SIZE);
	return igdpt_diag_fail(diag, ret, check.offset, check.reason);
}
