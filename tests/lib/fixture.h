/* SPDX-License-Identifier: MIT */
/* Synthetic VBTs and OpRegions for tests and fuzz seeds: every field a knob,
 * no vendor bytes. Layouts follow include/igdpt/abi/; defaults look like a
 * modern (BDB 228) VBT with a short block list and a 2.0 OpRegion. */
#ifndef IGDPT_TESTS_FIXTURE_H
#define IGDPT_TESTS_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FX_MAX_BLOCKS 16u

/* A physical address that a host could report in a 2.0 RVDA; tests look
 * for its bytes to prove it never reaches a guest image. */
#define FX_HOST_PHYS_ADDR 0x7A3B4C00u

struct fx_block {
	uint8_t id;
	uint16_t size; /* payload bytes, written into the u16 size field */
};

struct fx_vbt {
	char signature[21];       /* 20 bytes used, space padded */
	uint16_t version;         /* VBT header version, 100 */
	uint16_t header_size;     /* 48 */
	uint32_t bdb_offset;      /* >= 48; the gap after the header is zero */
	uint16_t bdb_version;     /* 228 */
	uint16_t bdb_header_size; /* >= 22; the gap after the BDB header is zero */
	struct fx_block blocks[FX_MAX_BLOCKS];
	unsigned block_count;
	uint8_t child_dev_size;   /* byte 4 of block 2 when present, 39 */
	bool mipi_v3;             /* append block 53 version 3 (u16 size 0) */
	uint32_t mipi_v3_len;     /* its u32 length, bytes after the sub-header */
	bool bdb_size_short;      /* firmware quirk: bdb_size one short of the chain */
	int bdb_size_delta;       /* added to bdb_size after the quirk */
	int vbt_size_delta;       /* added to vbt_size */
	bool fix_checksum;        /* make the byte sum of vbt_size bytes zero */
	size_t pad_to;            /* pad the output to this many bytes */
	uint8_t pad_byte;         /* with this byte */
};

/* Fills v with a valid default VBT description (7 blocks, ~650 bytes). */
void fx_vbt_defaults(struct fx_vbt *v);
/* Same, with one large block so the VBT needs RVDA (> 6 KiB). */
void fx_vbt_defaults_large(struct fx_vbt *v);
/* Writes the VBT into buf. Returns the bytes written (vbt_size plus any
 * padding), or 0 when cap is too small. */
size_t fx_vbt_build(const struct fx_vbt *v, uint8_t *buf, size_t cap);
/* Offset of block i's header from the VBT start (i == block_count: the
 * MIPI v3 block if any, else the end of the chain). */
size_t fx_vbt_block_offset(const struct fx_vbt *v, unsigned i);
/* Bytes of the block chain including the BDB header (the exact bdb_size). */
size_t fx_vbt_chain_size(const struct fx_vbt *v);
/* The payload byte at index i of a block with this id, as the builder writes
 * it (never zero, so the walk sees no zero tail). */
uint8_t fx_payload_byte(uint8_t id, size_t i);

struct fx_opregion {
	uint8_t major, minor, revision; /* 2.0.0 */
	uint32_t size_kib;              /* 8 */
	uint32_t mbox;                  /* ACPI | SWSCI | ASLE | VBT | ASLE_EXT */
	const uint8_t *mbox4;           /* copied to 0x400 */
	size_t mbox4_len;
	uint64_t rvda;
	uint32_t rvds;
	const uint8_t *ext;             /* copied to ext_at */
	size_t ext_len;
	size_t ext_at;
	size_t len;                     /* image length; 0: 8 KiB or to the end of ext */
};

void fx_opregion_defaults(struct fx_opregion *o);
/* Writes the OpRegion into buf (zero-filled first). Returns its length, 0
 * when cap is too small or a copy would not fit. */
size_t fx_opregion_build(const struct fx_opregion *o, uint8_t *buf, size_t cap);

/* Calls fn with the bytes of each file in $IGDPT_CORPUS/sub (directory
 * order, dot files skipped); data is fn's to modify and freed when fn
 * returns. Returns the number of files, -ENOENT when IGDPT_CORPUS is unset,
 * or the -errno of a directory or file that cannot be read (err says which,
 * as igdpt_file_read() does). */
typedef void (*fx_corpus_fn)(const char *name, uint8_t *data, size_t len, void *ctx);
long fx_corpus_each(const char *sub, fx_corpus_fn fn, void *ctx, char *err, size_t err_size);

/* Rounds v up to a multiple of a. */
size_t fx_align(size_t v, size_t a);
/* Index of the first occurrence of needle in hay, or -1. */
long fx_find(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len);

#endif
