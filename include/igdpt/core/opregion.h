/* SPDX-License-Identifier: MIT */
/* OpRegion parsing and validation (core: no I/O, no malloc).
 *
 * Validates an OpRegion image as a guest driver will see it: the 8 KiB base
 * region, optionally followed by an extended VBT that a 2.1+ RVDA points at
 * (offset from the base). A 2.0 RVDA is a host physical address: never
 * followed and rejected, because such an image is not safe to give a guest
 * (igdpt_relocate() turns it into a 2.1 image).
 * Return contract: >= 0 success, -EINVAL with diag filled when invalid.
 */
#ifndef IGDPT_OPREGION_H
#define IGDPT_OPREGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"
#include "igdpt/core/diag.h"
#include "igdpt/core/pci_rom.h"
#include "igdpt/core/vbt.h"

IGDPT_BEGIN_DECLS

enum igdpt_vbt_source {
	IGDPT_VBT_SOURCE_NONE = 0,
	IGDPT_VBT_SOURCE_MAILBOX4,
	IGDPT_VBT_SOURCE_RVDA,
	/* Not in an OpRegion: i915's fallback, the IGD's PCI ROM (the guest
	 * probe's prediction names it; igdpt_opregion_parse() never does). */
	IGDPT_VBT_SOURCE_PCI_ROM,
};

struct igdpt_opregion {
	const uint8_t *data;
	size_t len;
	uint32_t size_kib;
	uint8_t major, minor, revision;
	uint32_t mbox;
	uint32_t dmod;
	uint32_t pcon;
	uint64_t rvda;
	uint32_t rvds;
	enum igdpt_vbt_source vbt_source;
	size_t vbt_offset;   /* from the OpRegion base */
	size_t vbt_window;   /* bytes available to the VBT there */
	struct igdpt_vbt vbt; /* valid when vbt_source != NONE */
	uint32_t warnings;   /* OpRegion and VBT warnings together */
};

/* Parses and validates. Errors: shorter than 8 KiB, bad signature, RVDA with
 * version 2.0 (host physical address), RVDA inside the base region, RVDA/RVDS
 * past the buffer or overflowing, RVDA/RVDS one zero and one not, VBT in
 * mailbox 4 or at RVDA invalid (reason from the VBT parser, offset from the
 * OpRegion base). An OpRegion without any VBT is valid (vbt_source NONE).
 * Bytes past igdpt_opregion_extent() are a warning, not an error. */
int igdpt_opregion_parse(const uint8_t *buf, size_t len, struct igdpt_opregion *op,
			 struct igdpt_diag *diag);

/* How many bytes of the parsed buffer the OpRegion is: the 8 KiB base, or
 * up to RVDA + RVDS when the VBT is extended. Bytes past it are the
 * IGDPT_WARN_OPREGION_TRAILING warning: no guest driver maps them, and
 * what igdpt publishes or writes ends here. */
size_t igdpt_opregion_extent(const struct igdpt_opregion *op);

/* Where the VBT is: "none", "mailbox4" or "rvda". */
const char *igdpt_vbt_source_name(enum igdpt_vbt_source source);

/* True if version is at least major.minor. */
bool igdpt_opregion_version_at_least(const struct igdpt_opregion *op, uint8_t major,
				     uint8_t minor);

/* What a buffer is, judged by its first bytes. */
enum igdpt_image_kind {
	IGDPT_IMAGE_UNKNOWN = 0,
	IGDPT_IMAGE_OPREGION,
	IGDPT_IMAGE_VBT,
	IGDPT_IMAGE_VBIOS, /* a PCI option ROM (0x55AA): the VBT is inside (igdpt/core/pci_rom.h) */
};
enum igdpt_image_kind igdpt_image_detect(const uint8_t *buf, size_t len);
/* The reason every reader gives for IGDPT_IMAGE_UNKNOWN (non-empty input). */
#define IGDPT_IMAGE_UNKNOWN_REASON \
	"neither an OpRegion (\"IntelGraphicsMem\"), a VBT (\"$VBT\") nor a video BIOS (0x55AA)"
/* "opregion", "vbt", "vbios" or "unknown". */
const char *igdpt_image_kind_name(enum igdpt_image_kind kind);

/* A buffer validated as whatever it is. */
struct igdpt_image {
	enum igdpt_image_kind kind;
	struct igdpt_opregion op;   /* when kind is IGDPT_IMAGE_OPREGION */
	struct igdpt_vbt vbt;       /* when kind is IGDPT_IMAGE_VBT */
	struct igdpt_pci_rom_vbt rom; /* when kind is IGDPT_IMAGE_VBIOS */
};
/* Detects the kind and runs igdpt_opregion_parse(), igdpt_vbt_parse() or
 * igdpt_pci_rom_find_vbt(); anything else is invalid ("empty file", or
 * IGDPT_IMAGE_UNKNOWN_REASON). Same return contract; image->kind is set in
 * every case. */
int igdpt_image_parse(const uint8_t *buf, size_t len, struct igdpt_image *image,
		      struct igdpt_diag *diag);

IGDPT_END_DECLS

#endif
