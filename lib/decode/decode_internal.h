/* SPDX-License-Identifier: MIT */
/* Shared machinery of the decoders: field layout tables read into json-c
 * objects, every read bounds-checked against the bytes actually present. */
#ifndef IGDPT_LIB_DECODE_INTERNAL_H
#define IGDPT_LIB_DECODE_INTERNAL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/decode.h"
#include "igdpt/core/vbt.h"

enum dec_fmt {
	DEC_UINT = 0, /* decimal integer */
	DEC_HEX,      /* integer the text shows as 0x... */
	DEC_BOOL,     /* yes/no */
	DEC_STR,      /* fixed-size ASCII, NUL-terminated or padded */
	DEC_BYTES,    /* raw bytes as a hex string */
};

/* One field of a layout: `size` bytes at `offset` (1, 2, 4 or 8 for
 * integers; the byte count for DEC_STR/DEC_BYTES), optionally the bit field
 * [shift, shift + width) of it, `count` consecutive elements (0 or 1 for a
 * scalar), present from BDB version min_version up to max_version (0: no
 * limit). A field is decoded only if all its bytes are present. */
struct dec_field {
	const char *name;
	uint16_t offset;
	uint8_t size;
	uint8_t shift;
	uint8_t width;
	uint8_t fmt;
	uint8_t count;
	uint16_t min_version;
	uint16_t max_version;
};

/* Per-panel tables of the VBT hold this many entries. */
#define DEC_PANEL_COUNT 16u

#define DEC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Whole-field and bit-field entries, with and without a version range. */
#define FLD(n, off, sz, f) { .name = n, .offset = off, .size = sz, .fmt = f }
#define FLDV(n, off, sz, f, minv) { .name = n, .offset = off, .size = sz, .fmt = f, .min_version = minv }
#define FLDA(n, off, sz, f, cnt) { .name = n, .offset = off, .size = sz, .fmt = f, .count = cnt }
#define DBIT(n, off, sz, sh, w, f) \
	{ .name = n, .offset = off, .size = sz, .shift = sh, .width = w, .fmt = f }
#define DBITV(n, off, sz, sh, w, f, minv) \
	{ .name = n, .offset = off, .size = sz, .shift = sh, .width = w, .fmt = f, .min_version = minv }
#define DBITR(n, off, sz, sh, w, f, minv, maxv)                                                   \
	{ .name = n, .offset = off, .size = sz, .shift = sh, .width = w, .fmt = f,            \
	  .min_version = minv, .max_version = maxv }

/* Integer objects; a hex one carries a tag the text renderer looks for. */
struct json_object *dec_uint(uint64_t v);
struct json_object *dec_hex(uint64_t v);
bool dec_is_hex(struct json_object *obj);
/* Printable-ASCII copy of n bytes, stopping at the first NUL. */
struct json_object *dec_str(const uint8_t *p, size_t n);
struct json_object *dec_bytes(const uint8_t *p, size_t n);

/* Little-endian unsigned of size 1, 2, 4 or 8 bytes. */
uint64_t dec_read(const uint8_t *p, unsigned size);

/* Decodes the fields of table that fit in len bytes of p and exist in
 * version into obj. Returns the number of fields added. */
unsigned dec_fields(struct json_object *obj, const uint8_t *p, size_t len,
		    const struct dec_field *table, size_t n, unsigned version);

/* An array of `count` structs of `stride` bytes starting at p + base, each
 * decoded with table; stops at the first element that starts past len. */
struct json_object *dec_struct_array(const uint8_t *p, size_t len, size_t base, size_t stride,
				     unsigned count, const struct dec_field *table, size_t n,
				     unsigned version);

/* The same, keeping only element `only` (all when negative) and, when
 * index_key is set, recording each element's index under that key. */
struct json_object *dec_struct_array_sel(const uint8_t *p, size_t len, size_t base,
					 size_t stride, unsigned count, int only,
					 const char *index_key, const struct dec_field *table,
					 size_t n, unsigned version);

/* Names of the bits set in value, from names[bit] (NULL: "bitN"). */
struct json_object *dec_bit_names(uint32_t value, const char *const *names, unsigned n);

/* Adds the OpRegion sections to obj. */
void dec_opregion(struct json_object *obj, const uint8_t *buf, size_t len);
/* A video BIOS's image chain and where its VBT is (lib/decode/decode_rom.c). */
struct igdpt_pci_rom_vbt;
struct json_object *dec_rom(const uint8_t *buf, size_t len, const struct igdpt_pci_rom_vbt *found);

/* Decodes the VBT at vbt (len bytes available) into a new "vbt" object.
 * parsed is the core parser's result when it succeeded, else NULL (then a
 * tolerant walk lists the blocks). block: IGDPT_DECODE_ALL_BLOCKS or an id. */
struct json_object *dec_vbt(const uint8_t *vbt, size_t len, const struct igdpt_vbt *parsed,
			    const struct igdpt_decode_options *opt);

/* Fills fields for one block; ctx gives the other blocks it refers to. */
struct dec_vbt_ctx {
	const uint8_t *vbt;
	size_t len;
	size_t bdb_offset;
	unsigned version;
	int panel_type; /* -1 when block 40 is absent */
	int only_panel; /* per-panel tables show this panel; -1: all */
	const struct igdpt_vbt_block *blocks;
	size_t block_count;
};
void dec_block(struct json_object *fields, const struct dec_vbt_ctx *ctx,
	       const struct igdpt_vbt_block *blk);

#endif
