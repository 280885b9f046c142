/* SPDX-License-Identifier: MIT */
/* What igdpt publishes to a guest: the image policy applied on top of a
 * valid, position-independent OpRegion (hosted library, pure function).
 *
 * The published image announces no SWSCI mailbox (MBOX bit 1 cleared):
 * nothing in a VM answers software SCI calls, and i915 would wait up to
 * 1.5 s for each one it issues (intel_opregion.c swsci()). The device model
 * still emulates the SWSCI register (README.md, Decisions: SWSCI).
 */
#ifndef IGDPT_GUEST_IMAGE_H
#define IGDPT_GUEST_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"
#include "igdpt/core/diag.h"

IGDPT_BEGIN_DECLS

/* Growable: start from IGDPT_GUEST_POLICY_INIT (a struct_size of 0 is
 * refused with -EINVAL). */
struct igdpt_guest_policy {
	size_t struct_size; /* sizeof(struct igdpt_guest_policy) */
	bool keep_swsci;    /* publish MBOX bit 1 as found (for experiments) */
};
#define IGDPT_GUEST_POLICY_INIT { sizeof(struct igdpt_guest_policy), false }

/* Validates `in` with igdpt_opregion_parse() (so a 2.0 RVDA, a broken VBT
 * or a bad signature is refused with its reason and offset), then writes a
 * copy of the OpRegion's igdpt_opregion_extent() bytes to `out` with the
 * policy applied: bytes past its end (IGDPT_WARN_OPREGION_TRAILING) are
 * never published. `in` is never modified; `out` must not overlap it.
 * policy may be NULL (defaults). Returns 1 when a bit was cleared, 0 when
 * none was (*out_len < in_len tells that trailing bytes were dropped),
 * -EINVAL (diag set) for an invalid input or overlapping buffers, -ENOSPC
 * with *out_len = the size needed when cap is too small. Warnings of the
 * input are added to diag->warnings (IGDPT_WARN_OPREGION_TRAILING too). */
int igdpt_guest_image_policy(const uint8_t *in, size_t in_len,
			     const struct igdpt_guest_policy *policy, uint8_t *out,
			     size_t cap, size_t *out_len, struct igdpt_diag *diag);

IGDPT_END_DECLS

#endif
