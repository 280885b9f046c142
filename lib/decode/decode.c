/* SPDX-License-Identifier: MIT */
/* igdpt_decode(): the validation verdict plus the decoded model. */
#include "igdpt/decode.h"

#include <errno.h>

#include "../struct_size.h"
#include "decode_internal.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/opregion.h"

/* Where the OpRegion's VBT is for display purposes, even when parsing the
 * OpRegion failed: the same lookup as the parser, minus its judgement. */
static const uint8_t *opregion_vbt(const uint8_t *buf, size_t len, size_t *vbt_len)
{
	uint64_t rvda;
	uint32_t rvds, mbox;
	size_t window;

	if (len < IGDPT_OPREGION_BASE_SIZE)
		return NULL;
	rvda = igdpt_le64(buf + IGDPT_MBOX3_RVDA_OFFSET);
	rvds = igdpt_le32(buf + IGDPT_MBOX3_RVDS_OFFSET);
	if (rvda >= IGDPT_OPREGION_BASE_SIZE && rvda < len && rvds) {
		*vbt_len = rvds < len - rvda ? rvds : len - (size_t)rvda;
		return buf + rvda;
	}
	mbox = igdpt_le32(buf + IGDPT_OPREGION_MBOX_OFFSET);
	window = (mbox & IGDPT_MBOX_ASLE_EXT) ? IGDPT_MBOX4_SIZE : IGDPT_MBOX4_SIZE_NO_ASLE_EXT;
	if (igdpt_bytes_differ(buf + IGDPT_MBOX4_OFFSET, (const uint8_t *)IGDPT_VBT_SIGNATURE,
			       IGDPT_VBT_SIGNATURE_PREFIX_SIZE))
		return NULL;
	*vbt_len = window;
	return buf + IGDPT_MBOX4_OFFSET;
}

int igdpt_decode(const uint8_t *buf, size_t len, const char *name,
		 const struct igdpt_decode_options *options, struct igdpt_decoded **out)
{
	static const struct igdpt_decode_options defaults = IGDPT_DECODE_OPTIONS_INIT;
	struct igdpt_diag diag = IGDPT_DIAG_INIT;
	struct igdpt_image image = { 0 };
	const uint8_t *vbt_data;
	size_t vbt_len = 0;
	struct dec *d;
	int ret;

	*out = NULL;
	if (options && !STRUCT_HAS(options, struct igdpt_decode_options, all_panels))
		return -EINVAL;
	d = dec_new();
	if (!d)
		return -ENOMEM;
	d->opt = options ? options : &defaults;
	d->out.file = name;
	d->out.panel_type = -1;

	ret = igdpt_image_parse(buf, len, &image, &diag);
	switch (image.kind) {
	case IGDPT_IMAGE_OPREGION:
		d->out.opregion = dec_group(d, NULL, "opregion");
		dec_opregion(d, (dec_node *)d->out.opregion, buf, len);
		if (ret >= 0 && image.op.vbt_source != IGDPT_VBT_SOURCE_NONE) {
			dec_vbt(d, buf + image.op.vbt_offset, image.op.vbt_window, &image.op.vbt);
		} else if (ret < 0) {
			vbt_data = opregion_vbt(buf, len, &vbt_len);
			if (vbt_data)
				dec_vbt(d, vbt_data, vbt_len, NULL);
		}
		break;
	case IGDPT_IMAGE_VBT:
		dec_vbt(d, buf, len, ret >= 0 ? &image.vbt : NULL);
		break;
	case IGDPT_IMAGE_VBIOS:
		d->out.rom = dec_group(d, NULL, "rom");
		dec_rom(d, (dec_node *)d->out.rom, buf, len, &image.rom);
		/* The VBT as i915 would read it: from "$VBT" to the ROM's end. */
		if (image.rom.offset)
			dec_vbt(d, buf + image.rom.offset, image.rom.rom_size - image.rom.offset,
				ret >= 0 ? &image.rom.vbt : NULL);
		break;
	default:
		break;
	}
	if (d->oom) {
		dec_free(d);
		return -ENOMEM;
	}
	d->out.kind = image.kind;
	d->out.valid = ret >= 0;
	d->out.reason = ret >= 0 ? NULL : diag.reason;
	d->out.offset = ret >= 0 ? 0 : diag.offset;
	d->out.warnings = diag.warnings;
	*out = &d->out;
	return ret >= 0 ? 0 : -EINVAL;
}
