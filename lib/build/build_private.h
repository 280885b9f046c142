/* SPDX-License-Identifier: MIT */
/* Shared between the OpRegion builders (reference and wrap); not installed. */
#ifndef IGDPT_LIB_BUILD_PRIVATE_H
#define IGDPT_LIB_BUILD_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

/* Writes the 8 KiB base region of `version` (already checked supported)
 * into out: header, mailboxes 1-3 and 5, mailbox 4 zero. */
void igdpt_build_base(uint16_t version, uint8_t *out);

#endif
