/* SPDX-License-Identifier: MIT */
/* Building OpRegions: a complete synthetic reference image, or a real VBT
 * wrapped in a synthetic OpRegion (hosted library, pure functions).
 *
 * The reference stands for what board firmware (coreboot, Slim Bootloader)
 * would hand the OS on a Kaby Lake-class laptop: header, mailboxes 1-5
 * announced (MBOX 0x1F for 2.x), and a VBT built by igdpt in mailbox 4.
 * It is the firmware form: MBOX bit 1 (SWSCI) is set as on hardware; what a
 * guest gets is decided by igdpt_guest_image_policy() (igdpt/guest_image.h).
 *
 * Return contract of every int function: 0 on success; -EINVAL with diag set
 * (static reason, byte offset) when the input or the version is unusable;
 * -ENOSPC with *out_len set to the size needed when `cap` is too small
 * (out may then be NULL). Nothing is written to `out` on failure.
 */
#ifndef IGDPT_BUILD_H
#define IGDPT_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"
#include "igdpt/core/diag.h"

IGDPT_BEGIN_DECLS

/* OpRegion versions the builder writes, as major << 8 | minor (the u16 that
 * vfio-pci reads at 0x16). */
#define IGDPT_BUILD_VERSION_2_0 0x0200u
#define IGDPT_BUILD_VERSION_2_1 0x0201u
#define IGDPT_BUILD_VERSION_3_0 0x0300u
#define IGDPT_BUILD_VERSION_DEFAULT IGDPT_BUILD_VERSION_2_0

/* The BDB version of the VBT igdpt builds: Kaby Lake-era firmware (221 is
 * what Whiskey/Kaby Lake boards ship); child devices are 39 bytes there. */
#define IGDPT_BUILD_REFERENCE_BDB_VERSION 221u

/* "2.0", "2.1" or "3.0" -> IGDPT_BUILD_VERSION_*; -EINVAL otherwise. */
int igdpt_build_parse_version(const char *text, uint16_t *version);

/* True for the versions above. */
int igdpt_build_version_supported(uint16_t version);

/* The VBT igdpt builds, alone: header "$VBT KABYLAKE", BDB 221, blocks 254,
 * 1, 2 (eDP on port A, DP++ on B, HDMI on C, DP++ on D), 12, 27, 40, 41,
 * 42 (1920x1080 panel), 43, 44; exact bdb_size, correct checksum. */
int igdpt_build_reference_vbt(uint8_t *out, size_t cap, size_t *out_len);

/* A complete 8 KiB reference OpRegion of `version` with the VBT above in
 * mailbox 4. -EINVAL for an unsupported version. */
int igdpt_build_reference(uint16_t version, uint8_t *out, size_t cap, size_t *out_len,
			  struct igdpt_diag *diag);

/* Wraps a real VBT (the first vbt_size bytes of `vbt`; whatever follows in
 * the buffer is not copied) in the reference OpRegion's header and
 * mailboxes:
 *  - vbt_size <= 6 KiB: in mailbox 4, MBOX bits 0-4 set, image 8 KiB. The
 *    7 KiB window i915 allows when mailbox 5 is absent is never used: it
 *    costs mailbox 5 and exists only for Cherry View boards' sake.
 *  - larger: as an extended VBT at 0x2000, RVDA = 0x2000 (an offset, so
 *    version 2.1 or later), RVDS = vbt_size rounded up to 512, mailbox 4
 *    empty; version 2.0 is refused with -EINVAL, because a 2.0 RVDA is a
 *    physical address that a position-independent image cannot hold.
 * The VBT must pass igdpt_vbt_parse(). The result passes
 * igdpt_opregion_parse(); diag->warnings gets that result's warnings (the
 * VBT's own quirks, such as a short bdb_size, carry over; bytes after
 * vbt_size do not). */
int igdpt_build_wrap_vbt(const uint8_t *vbt, size_t vbt_len, uint16_t version,
			 uint8_t *out, size_t cap, size_t *out_len, struct igdpt_diag *diag);

IGDPT_END_DECLS

#endif
