/* SPDX-License-Identifier: MIT */
/* The guest image policy: validate, copy, clear what no VM can honour.
 *
 * Today that is MBOX bit 1 (SWSCI): with it set, i915 (intel_opregion.c)
 * issues SWSCI calls at setup and on every display switch, and each call
 * waits for a firmware SMI handler that a VM does not have (up to 1.5 s).
 * Cleared, i915 logs no SWSCI support and never raises the SCI.
 */
#include <string.h>

#include "igdpt/abi/opregion.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/guest_image.h"
#include "igdpt/core/opregion.h"

#include "../struct_size.h"

static bool overlap(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

int igdpt_guest_image_policy(const uint8_t *in, size_t in_len,
			     const struct igdpt_guest_policy *policy, uint8_t *out,
			     size_t cap, size_t *out_len, struct igdpt_diag *diag)
{
	static const struct igdpt_guest_policy defaults = IGDPT_GUEST_POLICY_INIT;
	struct igdpt_diag local = { 0 };
	struct igdpt_opregion op;
	uint32_t mbox;
	size_t len;
	int ret;

	if (!policy)
		policy = &defaults;
	if (!STRUCT_HAS(policy, struct igdpt_guest_policy, keep_swsci))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0,
				       "struct igdpt_guest_policy: struct_size is not set "
				       "(start from IGDPT_GUEST_POLICY_INIT)");
	ret = igdpt_opregion_parse(in, in_len, &op, &local);
	if (ret < 0)
		return igdpt_diag_fail(diag, ret, local.offset, local.reason);
	/* Bytes past the OpRegion's end reach no guest driver: they are not
	 * published (a 16 MiB file would make the firmware reserve 16 MiB). */
	len = igdpt_opregion_extent(&op);
	*out_len = len;
	if (cap < len)
		return igdpt_diag_fail(diag, -IGDPT_ENOSPC, 0, "output buffer too small");
	if (overlap(in, len, out, len))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0,
				       "output buffer overlaps the input (the input is never modified)");

	memcpy(out, in, len);
	ret = 0;
	mbox = op.mbox;
	if (!policy->keep_swsci && (mbox & IGDPT_MBOX_SWSCI)) {
		igdpt_put_le32(out + IGDPT_OPREGION_MBOX_OFFSET, mbox & ~IGDPT_MBOX_SWSCI);
		ret = 1;
	}
	if (diag) {
		diag->reason = NULL;
		diag->offset = 0;
		/* A cleared SWSCI bit also settles the 3.x warning about it;
		 * the trailing bytes are reported although they are dropped. */
		diag->warnings |= ret ? local.warnings & ~(uint32_t)IGDPT_WARN_SWSCI_ON_V3
				      : local.warnings;
	}
	return ret;
}
