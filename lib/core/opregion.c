/* SPDX-License-Identifier: MIT */
/* OpRegion header, mailboxes and VBT location, validated as a guest sees them.
 *
 * The VBT lookup follows Linux intel_opregion_setup(): the extended VBT at
 * RVDA when version >= 2 and RVDA/RVDS are set, else mailbox 4 with a window
 * of 6 KiB (mailbox 5 present) or 7 KiB (absent). Unlike i915, an image whose
 * announced VBT is broken is rejected, not silently skipped: the guest would
 * otherwise run without the board description the host meant to give it.
 */
#include "igdpt/core/opregion.h"

#include "igdpt/abi/opregion.h"
#include "igdpt/abi/pci_rom.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"

bool igdpt_opregion_version_at_least(const struct igdpt_opregion *op, uint8_t major,
				     uint8_t minor)
{
	return op->major > major || (op->major == major && op->minor >= minor);
}

/* Parses the VBT found at base offset `at` in `window` bytes; on failure the
 * VBT parser's offset is made relative to the OpRegion base. */
static int parse_vbt_at(struct igdpt_opregion *op, size_t at, size_t window,
			struct igdpt_diag *diag)
{
	struct igdpt_diag vbt_diag = { 0 };
	int ret = igdpt_vbt_parse(op->data + at, window, &op->vbt, &vbt_diag);

	if (ret < 0)
		return igdpt_diag_fail(diag, ret, at + vbt_diag.offset, vbt_diag.reason);
	op->vbt_offset = at;
	op->vbt_window = window;
	op->warnings |= op->vbt.warnings;
	return 0;
}

static int locate_extended_vbt(struct igdpt_opregion *op, struct igdpt_diag *diag)
{
	if (!op->rvda != !op->rvds)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL,
				       op->rvda ? IGDPT_MBOX3_RVDS_OFFSET : IGDPT_MBOX3_RVDA_OFFSET,
				       "RVDA and RVDS must be both set or both zero");
	if (op->major < 2)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_MBOX3_RVDA_OFFSET,
				       "RVDA set on an OpRegion older than 2.0");
	if (!igdpt_opregion_version_at_least(op, 2, 1))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_MBOX3_RVDA_OFFSET,
				       "version 2.0 RVDA is a host physical address (run igdpt prepare)");
	if (!(op->mbox & IGDPT_MBOX_ASLE))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_OPREGION_MBOX_OFFSET,
				       "RVDA set but the ASLE mailbox (MBOX bit 2) that holds it is absent");
	if (op->rvda < IGDPT_OPREGION_BASE_SIZE)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_MBOX3_RVDA_OFFSET,
				       "RVDA points inside the 8 KiB base region");
	if (op->rvda >= op->len)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_MBOX3_RVDA_OFFSET,
				       "RVDA points past the end of the image");
	if (op->rvds > op->len - op->rvda)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_MBOX3_RVDS_OFFSET,
				       "RVDS runs past the end of the image");
	op->vbt_source = IGDPT_VBT_SOURCE_RVDA;
	return parse_vbt_at(op, (size_t)op->rvda, op->rvds, diag);
}

static int locate_mailbox_vbt(struct igdpt_opregion *op, struct igdpt_diag *diag)
{
	size_t window = (op->mbox & IGDPT_MBOX_ASLE_EXT) ? IGDPT_MBOX4_SIZE
							  : IGDPT_MBOX4_SIZE_NO_ASLE_EXT;
	const uint8_t *mbox4 = op->data + IGDPT_MBOX4_OFFSET;
	int ret;

	if (igdpt_bytes_all_zero(mbox4, window))
		return 0;
	if (igdpt_bytes_differ(mbox4, (const uint8_t *)IGDPT_VBT_SIGNATURE,
			       IGDPT_VBT_SIGNATURE_PREFIX_SIZE))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_MBOX4_OFFSET,
				       "mailbox 4 holds data but no \"$VBT\" signature");
	op->vbt_source = IGDPT_VBT_SOURCE_MAILBOX4;
	ret = parse_vbt_at(op, IGDPT_MBOX4_OFFSET, window, diag);
	if (ret < 0)
		return ret;
	if (op->vbt.vbt_size > IGDPT_MBOX4_SIZE)
		op->warnings |= IGDPT_WARN_VBT_SPILLS_MBOX5;
	if (!(op->mbox & IGDPT_MBOX_VBT))
		op->warnings |= IGDPT_WARN_MBOX_VBT_BIT;
	return 0;
}

size_t igdpt_opregion_extent(const struct igdpt_opregion *op)
{
	/* RVDA and RVDS were checked against the buffer by the parser. */
	if (op->vbt_source == IGDPT_VBT_SOURCE_RVDA)
		return (size_t)op->rvda + op->rvds;
	return IGDPT_OPREGION_BASE_SIZE;
}

int igdpt_opregion_parse(const uint8_t *buf, size_t len, struct igdpt_opregion *out,
			 struct igdpt_diag *diag)
{
	struct igdpt_opregion op = { 0 };
	int ret;

	if (len < IGDPT_OPREGION_BASE_SIZE)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, len,
				       "OpRegion shorter than its 8 KiB base region");
	if (igdpt_bytes_differ(buf + IGDPT_OPREGION_SIGN_OFFSET,
			       (const uint8_t *)IGDPT_OPREGION_SIGNATURE, IGDPT_OPREGION_SIGN_SIZE))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_OPREGION_SIGN_OFFSET,
				       "OpRegion signature is not \"IntelGraphicsMem\"");
	op.data = buf;
	op.len = len;
	op.size_kib = igdpt_le32(buf + IGDPT_OPREGION_SIZE_OFFSET);
	op.revision = buf[IGDPT_OPREGION_OVER_REVISION_OFFSET];
	op.minor = buf[IGDPT_OPREGION_OVER_MINOR_OFFSET];
	op.major = buf[IGDPT_OPREGION_OVER_MAJOR_OFFSET];
	op.mbox = igdpt_le32(buf + IGDPT_OPREGION_MBOX_OFFSET);
	op.dmod = igdpt_le32(buf + IGDPT_OPREGION_DMOD_OFFSET);
	op.pcon = igdpt_le32(buf + IGDPT_OPREGION_PCON_OFFSET);
	op.rvda = igdpt_le64(buf + IGDPT_MBOX3_RVDA_OFFSET);
	op.rvds = igdpt_le32(buf + IGDPT_MBOX3_RVDS_OFFSET);

	/* vfio-pci sizes the region from SIZE and refuses 0. */
	if (op.size_kib == 0)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_OPREGION_SIZE_OFFSET,
				       "OpRegion SIZE is 0 KiB (vfio-pci refuses it)");
	if (op.major == 0)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_OPREGION_OVER_MAJOR_OFFSET,
				       "OpRegion major version is 0");
	if (op.size_kib != IGDPT_OPREGION_SIZE_KIB)
		op.warnings |= IGDPT_WARN_OPREGION_SIZE_FIELD;
	if (!igdpt_bytes_all_zero(buf + IGDPT_OPREGION_HDR_RSVD_OFFSET,
				  IGDPT_OPREGION_HDR_RSVD_SIZE))
		op.warnings |= IGDPT_WARN_RESERVED_NONZERO;
	if (op.major >= 3 && (op.mbox & IGDPT_MBOX_SWSCI))
		op.warnings |= IGDPT_WARN_SWSCI_ON_V3;

	if (op.rvda || op.rvds)
		ret = locate_extended_vbt(&op, diag);
	else
		ret = locate_mailbox_vbt(&op, diag);
	if (ret < 0)
		return ret;
	if (op.vbt_source == IGDPT_VBT_SOURCE_NONE)
		op.warnings |= IGDPT_WARN_NO_VBT;
	if (len > igdpt_opregion_extent(&op))
		op.warnings |= IGDPT_WARN_OPREGION_TRAILING;

	*out = op;
	if (diag) {
		diag->reason = 0;
		diag->offset = 0;
		diag->warnings |= op.warnings;
	}
	return 0;
}

enum igdpt_image_kind igdpt_image_detect(const uint8_t *buf, size_t len)
{
	if (len >= IGDPT_OPREGION_SIGN_SIZE &&
	    !igdpt_bytes_differ(buf, (const uint8_t *)IGDPT_OPREGION_SIGNATURE,
				IGDPT_OPREGION_SIGN_SIZE))
		return IGDPT_IMAGE_OPREGION;
	if (len >= IGDPT_VBT_SIGNATURE_PREFIX_SIZE &&
	    !igdpt_bytes_differ(buf, (const uint8_t *)IGDPT_VBT_SIGNATURE,
				IGDPT_VBT_SIGNATURE_PREFIX_SIZE))
		return IGDPT_IMAGE_VBT;
	if (len >= sizeof(uint16_t) && igdpt_le16(buf) == IGDPT_ROM_SIGNATURE)
		return IGDPT_IMAGE_VBIOS;
	return IGDPT_IMAGE_UNKNOWN;
}

const char *igdpt_image_kind_name(enum igdpt_image_kind kind)
{
	switch (kind) {
	case IGDPT_IMAGE_OPREGION:
		return "opregion";
	case IGDPT_IMAGE_VBT:
		return "vbt";
	case IGDPT_IMAGE_VBIOS:
		return "vbios";
	default:
		return "unknown";
	}
}

int igdpt_image_parse(const uint8_t *buf, size_t len, struct igdpt_image *image,
		      struct igdpt_diag *diag)
{
	image->kind = igdpt_image_detect(buf, len);
	switch (image->kind) {
	case IGDPT_IMAGE_OPREGION:
		return igdpt_opregion_parse(buf, len, &image->op, diag);
	case IGDPT_IMAGE_VBT:
		return igdpt_vbt_parse(buf, len, &image->vbt, diag);
	case IGDPT_IMAGE_VBIOS:
		return igdpt_pci_rom_find_vbt(buf, len, &image->rom, diag);
	default:
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0,
				       len == 0 ? "empty file" : IGDPT_IMAGE_UNKNOWN_REASON);
	}
}

const char *igdpt_vbt_source_name(enum igdpt_vbt_source source)
{
	switch (source) {
	case IGDPT_VBT_SOURCE_MAILBOX4:
		return "mailbox4";
	case IGDPT_VBT_SOURCE_RVDA:
		return "rvda";
	case IGDPT_VBT_SOURCE_PCI_ROM:
		return "pci-rom";
	default:
		return "none";
	}
}
