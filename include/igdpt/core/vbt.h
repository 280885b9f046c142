/* SPDX-License-Identifier: MIT */
/* VBT parsing and the bounds-checked BDB block walk (core: no I/O, no malloc).
 *
 * A parsed VBT is a view into the caller's buffer; it stays valid as long as
 * the buffer does. Return contract of every int function: >= 0 on success,
 * -EINVAL (with diag->reason and diag->offset set) when the input is invalid.
 */
#ifndef IGDPT_VBT_H
#define IGDPT_VBT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"
#include "igdpt/core/diag.h"

IGDPT_BEGIN_DECLS

struct igdpt_vbt {
	const uint8_t *data; /* VBT start in the caller's buffer */
	size_t len;          /* usable bytes: min(buffer, vbt_size) plus the
			      * tolerated extra byte of a short bdb_size */
	char signature[21];  /* NUL-terminated, trailing spaces kept */
	uint16_t version;
	uint16_t header_size;
	uint16_t vbt_size;
	uint8_t checksum;
	uint32_t bdb_offset;
	uint16_t bdb_version;
	uint16_t bdb_header_size;
	uint16_t bdb_size;
	size_t blocks_start; /* first block, from data */
	size_t blocks_end;   /* end of the last block the walk accepts, from data */
	unsigned block_count;
	uint32_t warnings;   /* enum igdpt_warning */
};

struct igdpt_vbt_block {
	uint8_t id;
	uint32_t size;        /* payload bytes (MIPI seq v3: 5 + u32 length) */
	size_t offset;        /* of the block header, from the VBT start */
	const uint8_t *data;  /* payload */
};

/* Parses and validates a VBT that starts at buf[0] and walks all blocks.
 * Errors: too small, no "$VBT", header_size/bdb_offset/vbt_size out of range,
 * no "BIOS_DATA_BLOCK " signature, bdb_size past vbt_size, a block whose size
 * runs past the BDB (beyond the one-byte quirk), zero blocks. */
int igdpt_vbt_parse(const uint8_t *buf, size_t len, struct igdpt_vbt *vbt,
		    struct igdpt_diag *diag);

/* Iterates the blocks that igdpt_vbt_parse accepted. Call with *cursor = 0;
 * returns 1 and fills blk while there is a block, 0 at the end. */
int igdpt_vbt_next_block(const struct igdpt_vbt *vbt, size_t *cursor,
			 struct igdpt_vbt_block *blk);

/* First block with this id; 1 found, 0 absent. */
int igdpt_vbt_find_block(const struct igdpt_vbt *vbt, uint8_t id,
			 struct igdpt_vbt_block *blk);

/* Expected child device entry size for a BDB version (Linux's table), 0 if
 * the version is newer than the table knows. */
unsigned igdpt_vbt_child_dev_size(uint16_t bdb_version);

/* Name of a child device's dvo_port (BDB 155+ numbering, as i915 and
 * intel_vbt_decode spell it): "DP-A", "HDMI-B", "MIPI-C"; NULL if unknown. */
const char *igdpt_vbt_dvo_port_name(uint8_t dvo_port);

/* Walks blocks as far as they are well-formed even when parse failed, for
 * decoders that show what is there: same callback order as the walk, stops
 * at the first malformed block. Returns the number of blocks seen. */
typedef void (*igdpt_vbt_block_fn)(const struct igdpt_vbt_block *blk, void *opaque);
unsigned igdpt_vbt_walk_tolerant(const uint8_t *buf, size_t len,
				 igdpt_vbt_block_fn fn, void *opaque);

IGDPT_END_DECLS

#endif
