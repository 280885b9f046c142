/* SPDX-License-Identifier: MIT */
/* Shared machinery of the decoders (private to lib/decode): the model's
 * arena and node builders, and field layout tables read into nodes with
 * every read bounds-checked against the bytes actually present. */
#ifndef IGDPT_LIB_DECODE_INTERNAL_H
#define IGDPT_LIB_DECODE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/vbt.h"
#include "igdpt/decode.h"

/* ---- the model under construction (decode_model.c) ---- */

struct dec_chunk;

/* One decode: the result and the arena every node and string lives in.
 * Builders never return NULL: after an allocation failure they hand out a
 * scratch node, and igdpt_decode() reports -ENOMEM at the end. */
struct dec {
	struct igdpt_decoded out; /* first: igdpt_decoded_free() finds the arena */
	struct dec_chunk *chunks;
	size_t used, cap;         /* in the newest chunk */
	struct igdpt_decode_node *nodes; /* the next free nodes, nodes_left of them */
	size_t nodes_left;
	bool oom;
	struct igdpt_decode_node scratch;
	const struct igdpt_decode_options *opt;
};

typedef struct igdpt_decode_node dec_node;

struct dec *dec_new(void);
void dec_free(struct dec *d);
/* Zeroed bytes from the arena; NULL only after a failure (d->oom set). */
void *dec_alloc(struct dec *d, size_t size);

/* The slow path of dec_node_add(): a new run of nodes from the arena (the
 * scratch node after a failure). */
dec_node *dec_node_refill(struct dec *d);

/* Appends a node made without a parent. */
static inline void dec_append(dec_node *parent, dec_node *child)
{
	if (parent->last)
		((dec_node *)parent->last)->next = child;
	else
		parent->child = child;
	parent->last = child;
	parent->count++;
}

/* A new node of `type` named `name` (a static string), appended to parent
 * when parent is not NULL. Inline: a VBT makes a thousand of them. */
static inline dec_node *dec_node_add(struct dec *d, dec_node *parent, const char *name,
				     enum igdpt_decode_type type)
{
	dec_node *n;

	if (d->nodes_left) {
		n = d->nodes++;
		d->nodes_left--;
	} else {
		n = dec_node_refill(d);
	}
	n->name = name;
	n->type = type;
	n->digits = 0;
	n->value = 0;
	n->text = NULL;
	n->count = 0;
	n->child = n->last = n->next = NULL;
	if (parent && n != &d->scratch && parent != &d->scratch)
		dec_append(parent, n);
	return n;
}

static inline dec_node *dec_group(struct dec *d, dec_node *parent, const char *name)
{
	return dec_node_add(d, parent, name, IGDPT_DECODE_GROUP);
}

static inline dec_node *dec_list(struct dec *d, dec_node *parent, const char *name)
{
	return dec_node_add(d, parent, name, IGDPT_DECODE_LIST);
}

static inline void dec_uint(struct dec *d, dec_node *parent, const char *name, uint64_t v)
{
	dec_node_add(d, parent, name, IGDPT_DECODE_UINT)->value = v;
}

/* Hex with the digits of a field of `bytes` bytes (1, 2, 4 or 8). */
static inline void dec_hex(struct dec *d, dec_node *parent, const char *name, uint64_t v,
			   unsigned bytes)
{
	dec_node *n = dec_node_add(d, parent, name, IGDPT_DECODE_HEX);

	n->value = v;
	n->digits = 2 * bytes;
}

static inline void dec_offset(struct dec *d, dec_node *parent, const char *name, uint64_t v)
{
	dec_node_add(d, parent, name, IGDPT_DECODE_OFFSET)->value = v;
}

static inline void dec_bool(struct dec *d, dec_node *parent, const char *name, bool v)
{
	dec_node_add(d, parent, name, IGDPT_DECODE_BOOL)->value = v;
}

static inline void dec_none(struct dec *d, dec_node *parent, const char *name)
{
	dec_node_add(d, parent, name, IGDPT_DECODE_NONE);
}

/* A static string, not copied. */
static inline void dec_text(struct dec *d, dec_node *parent, const char *name, const char *text)
{
	dec_node_add(d, parent, name, IGDPT_DECODE_STRING)->text = text;
}

static inline void dec_enum(struct dec *d, dec_node *parent, const char *name, uint64_t v,
			    unsigned digits, const char *label)
{
	dec_node *n = dec_node_add(d, parent, name, IGDPT_DECODE_ENUM);

	n->value = v;
	n->digits = digits;
	n->text = label;
}
/* A copy of up to n bytes of p as printable ASCII, stopping at a NUL. */
void dec_str(struct dec *d, dec_node *parent, const char *name, const uint8_t *p, size_t n);
/* A copy of the first n bytes as lowercase hex digits. */
void dec_bytes(struct dec *d, dec_node *parent, const char *name, const uint8_t *p, size_t n);
/* The names of the bits set in value, from names[bit] (NULL: "bitN"). */
void dec_bit_names(struct dec *d, dec_node *parent, const char *name, uint32_t value,
		   const char *const *names, unsigned n);

/* ---- field tables (decode_fields.c) ---- */

enum dec_fmt {
	DEC_UINT = 0, /* decimal integer */
	DEC_HEX,      /* a register or id: hex */
	DEC_BOOL,     /* yes/no */
	DEC_STR,      /* fixed-size ASCII, NUL-terminated or padded */
	DEC_BYTES,    /* raw bytes as a hex string */
	DEC_ENUM,     /* a code with a name from `names` */
};

/* The name of a code in a BDB version; NULL when unknown. */
typedef const char *(*dec_names_fn)(uint64_t value, unsigned version);

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
	dec_names_fn names; /* DEC_ENUM */
};

/* Per-panel tables of the VBT hold this many entries. */
#define DEC_PANEL_COUNT 16u

#define DEC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Whole-field and bit-field entries, with and without a version range. */
#define FLD(n, off, sz, f) { .name = n, .offset = off, .size = sz, .fmt = f }
#define FLDV(n, off, sz, f, minv) { .name = n, .offset = off, .size = sz, .fmt = f, .min_version = minv }
#define FLDA(n, off, sz, f, cnt) { .name = n, .offset = off, .size = sz, .fmt = f, .count = cnt }
#define FLDE(n, off, sz, fn) { .name = n, .offset = off, .size = sz, .fmt = DEC_ENUM, .names = fn }
#define FLDEV(n, off, sz, fn, minv) \
	{ .name = n, .offset = off, .size = sz, .fmt = DEC_ENUM, .names = fn, .min_version = minv }
#define DBIT(n, off, sz, sh, w, f) \
	{ .name = n, .offset = off, .size = sz, .shift = sh, .width = w, .fmt = f }
#define DBITV(n, off, sz, sh, w, f, minv) \
	{ .name = n, .offset = off, .size = sz, .shift = sh, .width = w, .fmt = f, .min_version = minv }
#define DBITR(n, off, sz, sh, w, f, minv, maxv)                                                   \
	{ .name = n, .offset = off, .size = sz, .shift = sh, .width = w, .fmt = f,            \
	  .min_version = minv, .max_version = maxv }
#define DBITE(n, off, sz, sh, w, fn) \
	{ .name = n, .offset = off, .size = sz, .shift = sh, .width = w, .fmt = DEC_ENUM, .names = fn }
#define DBITEV(n, off, sz, sh, w, fn, minv)                                                      \
	{ .name = n, .offset = off, .size = sz, .shift = sh, .width = w, .fmt = DEC_ENUM,     \
	  .names = fn, .min_version = minv }

/* Little-endian unsigned of size 1, 2, 4 or 8 bytes. */
uint64_t dec_read(const uint8_t *p, unsigned size);

/* Decodes the fields of table that fit in len bytes of p and exist in
 * version into obj. Returns the number of fields added. */
unsigned dec_fields(struct dec *d, dec_node *obj, const uint8_t *p, size_t len,
		    const struct dec_field *table, size_t n, unsigned version);

/* A list `name` in parent of `count` structs of `stride` bytes starting at
 * p + base, each decoded with table, keeping only element `only` (all when
 * negative) and, when index_key is set, recording each element's index
 * under that key; stops at the first element that starts past len. */
void dec_struct_array(struct dec *d, dec_node *parent, const char *name, const uint8_t *p,
		      size_t len, size_t base, size_t stride, unsigned count, int only,
		      const char *index_key, const struct dec_field *table, size_t n,
		      unsigned version);

/* ---- the sections ---- */

/* Adds the OpRegion sections to obj (decode_opregion.c). */
void dec_opregion(struct dec *d, dec_node *obj, const uint8_t *buf, size_t len);

/* Adds a video BIOS's image chain and where its VBT is to obj
 * (decode_rom.c); found is igdpt_pci_rom_find_vbt()'s result. */
struct igdpt_pci_rom_vbt;
void dec_rom(struct dec *d, dec_node *obj, const uint8_t *buf, size_t len,
	     const struct igdpt_pci_rom_vbt *found);

/* Decodes the VBT at vbt (len bytes available) into d->out's vbt, blocks
 * and panel type (decode_vbt.c). parsed is the core parser's result when
 * it succeeded, else NULL (then a tolerant walk lists the blocks). */
void dec_vbt(struct dec *d, const uint8_t *vbt, size_t len, const struct igdpt_vbt *parsed);

/* Fills fields for one block; ctx gives the other blocks it refers to
 * (decode_blocks.c). */
struct dec_vbt_ctx {
	struct dec *d;
	const uint8_t *vbt;
	size_t len;
	size_t bdb_offset;
	unsigned version;
	int panel_type; /* -1 when block 40 is absent */
	int only_panel; /* per-panel tables show this panel; -1: all */
	const struct igdpt_vbt_block *blocks;
	size_t block_count;
};
void dec_block(dec_node *fields, const struct dec_vbt_ctx *ctx, const struct igdpt_vbt_block *blk);

/* ---- names of coded values (decode_names.c) ---- */

const char *dec_name_panel_fitting(uint64_t v, unsigned version);
const char *dec_name_child_handle(uint64_t v, unsigned version);
const char *dec_name_device_type(uint64_t v, unsigned version);
const char *dec_name_i2c_speed(uint64_t v, unsigned version);
const char *dec_name_dvo_port(uint64_t v, unsigned version);
const char *dec_name_aux_channel(uint64_t v, unsigned version);
const char *dec_name_hdmi_max_data_rate(uint64_t v, unsigned version);
const char *dec_name_dp_max_link_rate(uint64_t v, unsigned version);
const char *dec_name_mipi_sequence(uint64_t v, unsigned version);
extern const char *const dec_device_type_bits[16];

#endif
