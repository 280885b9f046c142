/* SPDX-License-Identifier: MIT */
/* Host OpRegion -> guest image: one contiguous, position-independent blob.
 *
 * Follows Linux vfio-pci (vfio_pci_igd.c): the extended VBT is appended at
 * 0x2000, RVDA becomes 0x2000 (an offset, so version 2.0 becomes 2.1), RVDS
 * its size; a 2.0 absolute RVDA never reaches the guest. Pure function. */
#ifndef IGDPT_RELOCATE_H
#define IGDPT_RELOCATE_H

#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"
#include "igdpt/core/diag.h"

IGDPT_BEGIN_DECLS

/* host: the host OpRegion, at least its 8 KiB base; for 2.1+ with RVDA it may
 *       carry the extended VBT itself at RVDA.
 * ext_vbt/ext_len: the extended VBT read separately (needed for a 2.0 RVDA,
 *       which is a host physical address); NULL/0 when there is none.
 * out/out_cap: caller's buffer. On success *out_len is the image size.
 * Returns 0, -EINVAL (diag says why: e.g. "version 2.0 RVDA but no extended
 * VBT given"), or -ENOSPC with *out_len set to the size needed.
 * out is untouched on -ENOSPC and on every input error found before writing;
 * only when the finished image fails igdpt_opregion_parse() (a host base
 * region that is itself invalid) is it written and then zeroed.
 * A separately given ext_vbt wins over one the dump holds at a 2.1+ RVDA;
 * diag offsets point into the dump, or into ext_vbt when the fault is there. */
int igdpt_relocate(const uint8_t *host, size_t host_len, const uint8_t *ext_vbt,
		   size_t ext_len, uint8_t *out, size_t out_cap, size_t *out_len,
		   struct igdpt_diag *diag);

IGDPT_END_DECLS

#endif
