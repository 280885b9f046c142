/* SPDX-License-Identifier: MIT */
/* A real VBT in a synthetic OpRegion: mailbox 4 when it fits, else RVDA.
 *
 * Placement follows coreboot's builder (src/drivers/intel/gma/opregion.c): mailbox 4 up to
 * 6 KiB, else an extended VBT right after the 8 KiB base with RVDA 0x2000
 * and RVDS rounded up to 512, mailbox 4 left empty. Unlike coreboot, a 2.0
 * image never gets an extended VBT: its RVDA would have to be a physical
 * address, which an image placed by guest firmware cannot know.
 */
#include <string.h>

#include "build_private.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/build.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/opregion.h"
#include "igdpt/core/vbt.h"

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

int igdpt_build_wrap_vbt(const uint8_t *vbt, size_t vbt_len, uint16_t version,
			 uint8_t *out, size_t cap, size_t *out_len, struct igdpt_diag *diag)
{
	struct igdpt_diag local = { 0 };
	struct igdpt_opregion op;
	struct igdpt_vbt parsed;
	size_t size, total, rvds = 0;
	bool extended;
	int ret;

	if (!igdpt_build_version_supported(version))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_OPREGION_OVER_OFFSET,
				       "unsupported OpRegion version (2.0, 2.1 or 3.0)");
	ret = igdpt_vbt_parse(vbt, vbt_len, &parsed, &local);
	if (ret < 0)
		return igdpt_diag_fail(diag, ret, local.offset, local.reason);
	size = parsed.vbt_size;
	extended = size > IGDPT_MBOX4_SIZE;
	if (extended && version == IGDPT_BUILD_VERSION_2_0)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_VBT_VBT_SIZE_OFFSET,
				       "VBT larger than the 6 KiB mailbox 4 needs an extended VBT, "
				       "which version 2.0 can only reach by physical address: use 2.1 or later");
	if (extended)
		rvds = align_up(size, IGDPT_OPREGION_RVDS_ALIGN);
	total = IGDPT_OPREGION_BASE_SIZE + rvds;
	*out_len = total;
	if (cap < total)
		return igdpt_diag_fail(diag, -IGDPT_ENOSPC, 0, "output buffer too small");

	igdpt_build_base(version, out);
	if (extended) {
		memset(out + IGDPT_OPREGION_EXT_VBT_OFFSET, 0, rvds);
		memcpy(out + IGDPT_OPREGION_EXT_VBT_OFFSET, vbt, size);
		igdpt_put_le64(out + IGDPT_MBOX3_RVDA_OFFSET, IGDPT_OPREGION_EXT_VBT_OFFSET);
		igdpt_put_le32(out + IGDPT_MBOX3_RVDS_OFFSET, (uint32_t)rvds);
	} else {
		memcpy(out + IGDPT_MBOX4_OFFSET, vbt, size);
	}

	/* The VBT's own quirks carry over; the wrapper adds none. */
	local = (struct igdpt_diag){ 0 };
	ret = igdpt_opregion_parse(out, total, &op, &local);
	if (ret < 0) {
		memset(out, 0, total);
		return igdpt_diag_fail(diag, ret, local.offset, local.reason);
	}
	if (diag) {
		diag->reason = NULL;
		diag->offset = 0;
		diag->warnings |= local.warnings;
	}
	return 0;
}
