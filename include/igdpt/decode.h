/* SPDX-License-Identifier: MIT */
/* Decoding OpRegions and VBTs into one JSON tree, and printing it as text.
 *
 * The json-c tree is the single source of truth: `igdpt decode --json`
 * prints it, and igdpt_decode_print() renders the human text from the same
 * tree, so no field is decoded twice. Hosted only (json-c, stdio).
 *
 * Tree layout (keys are stable; tests and other tools rely on them):
 *   { "file", "kind": "opregion"|"vbt"|"unknown", "valid", "reason", "offset",
 *     "warnings": [names], "opregion": {...} (OpRegion input),
 *     "vbt": { "signature", "version", "header_size", "vbt_size", "checksum",
 *              "checksum_ok", "bdb_offset", "bdb_signature", "bdb_version",
 *              "bdb_header_size", "bdb_size", "panel_type", "block_count",
 *              "blocks": [ { "id", "size", "offset", "name", "fields": {} } ] } }
 * Block offsets are of the block header, from the VBT start. "vbt" is absent
 * when there is no VBT to show (an OpRegion without one, or a VBT whose
 * header does not fit); "blocks" then lists what a tolerant walk found.
 */
#ifndef IGDPT_DECODE_H
#define IGDPT_DECODE_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "igdpt/core/api.h"

IGDPT_BEGIN_DECLS

/* What to decode; a NULL options pointer means the defaults (all zero but
 * block = IGDPT_DECODE_ALL_BLOCKS). */
#define IGDPT_DECODE_ALL_BLOCKS (-1)
struct igdpt_decode_options {
	int block;       /* keep only blocks with this id in "blocks"; or ALL_BLOCKS */
	int all_panels;  /* per-panel tables (eDP, LFP, backlight, MIPI, generic
			  * DTD): all 16 panels instead of only the VBT's panel
			  * type, as intel_vbt_decode --all-panels. Each entry
			  * carries its index as "panel". */
};

/* Decodes buf, an OpRegion or a bare VBT detected from its first bytes.
 * name is recorded as "file" (may be NULL). *out receives the tree (release
 * it with json_object_put) whenever the return is not -ENOMEM, including for
 * invalid input, where it holds everything decodable plus "reason" and
 * "offset". Returns 0 valid, -EINVAL invalid, -ENOMEM out of memory (*out
 * NULL). */
int igdpt_decode(const uint8_t *buf, size_t len, const char *name,
		 const struct igdpt_decode_options *opt, struct json_object **out);

/* Prints the tree as text, in the style of intel_vbt_decode
 * ("BDB block 2 (356 bytes) - General definitions:" then indented fields). */
void igdpt_decode_print(FILE *out, struct json_object *tree);

/* Name of a BDB block id ("General definitions"), "Unknown" if none. */
const char *igdpt_decode_block_name(unsigned id);

IGDPT_END_DECLS

#endif
