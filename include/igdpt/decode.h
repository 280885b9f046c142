/* SPDX-License-Identifier: MIT */
/* Decoding OpRegions, VBTs and video BIOSes into a model, and printing it
 * as text.
 *
 * igdpt_decode() reads an OpRegion, a bare VBT or a video BIOS (a PCI option
 * ROM with a VBT inside) once into a tree of typed
 * values (struct igdpt_decoded); igdpt_decode_print_text() renders it in
 * the style of intel_vbt_decode, and igdpt decode --json renders the same
 * tree in igdpt's JSON dialect (docs/json.md), so no field is decoded twice.
 * Hosted (malloc, stdio); the whole result is freed by igdpt_decoded_free().
 *
 * The library allocates every struct here and callers only read them, so
 * they may grow at their ends in later versions (docs/library.md).
 */
#ifndef IGDPT_DECODE_H
#define IGDPT_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "igdpt/core/api.h"
#include "igdpt/core/opregion.h"

IGDPT_BEGIN_DECLS

/* What to decode. Growable: start from IGDPT_DECODE_OPTIONS_INIT (a
 * struct_size of 0 is refused with -EINVAL); NULL means the defaults. */
#define IGDPT_DECODE_ALL_BLOCKS (-1)
struct igdpt_decode_options {
	size_t struct_size; /* sizeof(struct igdpt_decode_options) */
	int block;          /* keep only blocks with this id; or IGDPT_DECODE_ALL_BLOCKS */
	bool all_panels;    /* per-panel tables (eDP, LFP, backlight, MIPI, generic
			     * DTD): all 16 panels, not only the VBT's panel
			     * type, as intel_vbt_decode --all-panels. Each
			     * entry carries its index as "panel". */
};
#define IGDPT_DECODE_OPTIONS_INIT \
	{ sizeof(struct igdpt_decode_options), IGDPT_DECODE_ALL_BLOCKS, false }

/* The type of one decoded value. */
enum igdpt_decode_type {
	IGDPT_DECODE_NONE = 0, /* no value (JSON null; text "(none)") */
	IGDPT_DECODE_UINT,     /* value: a count, size or setting, in decimal */
	IGDPT_DECODE_HEX,      /* value: a register, id or bit field; `digits` hex digits */
	IGDPT_DECODE_OFFSET,   /* value: a byte offset (JSON integer, text hex) */
	IGDPT_DECODE_BOOL,     /* value: 0 or 1 */
	IGDPT_DECODE_STRING,   /* text: printable ASCII, NUL-terminated */
	IGDPT_DECODE_BYTES,    /* text: raw bytes as lowercase hex digits */
	IGDPT_DECODE_ENUM,     /* value: a code; text: its name, NULL when unknown;
				* `digits` hex digits ("DP-A (0x0a)") */
	IGDPT_DECODE_LIST,     /* child: elements (name NULL), in order */
	IGDPT_DECODE_GROUP,    /* child: named fields, in order */
};

struct igdpt_decode_node {
	const char *name;                      /* field name; NULL in a list */
	enum igdpt_decode_type type;
	unsigned digits;                       /* hex digits of HEX and ENUM */
	uint64_t value;
	const char *text;
	size_t count;                          /* children of LIST and GROUP */
	const struct igdpt_decode_node *child; /* first child */
	const struct igdpt_decode_node *last;  /* last child */
	const struct igdpt_decode_node *next;  /* next sibling */
};

/* One BDB block of the VBT. */
struct igdpt_decoded_block {
	uint8_t id;
	uint32_t size;                          /* payload bytes */
	size_t offset;                          /* of the block header, from the VBT start */
	const char *name;                       /* igdpt_decode_block_name(id) */
	const struct igdpt_decode_node *fields; /* GROUP; empty when igdpt does not
						 * decode this block's contents */
};

struct igdpt_decoded {
	const char *file;                         /* the name given, or NULL */
	enum igdpt_image_kind kind;
	bool valid;
	const char *reason;                       /* static; NULL when valid */
	size_t offset;                            /* of the problem, when invalid */
	uint32_t warnings;                        /* enum igdpt_warning bits */
	/* OpRegion input: the header and the mailboxes MBOX announces, a GROUP
	 * of sections ("header", "mailbox1", ...); else NULL. */
	const struct igdpt_decode_node *opregion;
	/* The VBT's and BDB's header fields, a GROUP; NULL when there is no VBT
	 * to show (an OpRegion without one, a VBT whose header does not fit),
	 * and then there are no blocks either. */
	const struct igdpt_decode_node *vbt;
	int panel_type;                           /* block 40's, -1 when absent */
	size_t block_count;                       /* every block found */
	/* The blocks kept (all, or those --block selected), in file order;
	 * a tolerant walk when the VBT is invalid. */
	const struct igdpt_decoded_block *blocks;
	size_t blocks_kept;
	/* Video BIOS input: the ROM's image chain as the core parser sees it
	 * and where i915 finds the VBT, a GROUP ("linux_size", "vbt_offset",
	 * "chain_valid", "chain_reason", "chain_offset", "images": a LIST of
	 * GROUPs); else NULL. The VBT is then the one of the ROM, its block
	 * offsets relative to the VBT's start. */
	const struct igdpt_decode_node *rom;
};

/* Decodes buf, an OpRegion, a bare VBT or a video BIOS (its VBT found as
 * i915 finds it) detected from its first bytes; name is recorded as `file`
 * (may be NULL). *out receives the model (free it with
 * igdpt_decoded_free()) also for invalid input, where it holds
 * everything decodable plus the reason and offset. Returns 0 valid,
 * -EINVAL invalid, -ENOMEM out of memory (*out NULL), or -EINVAL with *out
 * NULL for bad options. */
int igdpt_decode(const uint8_t *buf, size_t len, const char *name,
		 const struct igdpt_decode_options *opt, struct igdpt_decoded **out);

/* Frees the model and every node of it. NULL is fine. */
void igdpt_decoded_free(struct igdpt_decoded *decoded);

/* Prints the model as text, laid out like intel_vbt_decode: "key: value"
 * lines, sections as headers, "BDB block 2 (356 bytes at 0x180) - General
 * definitions:" then tab-indented fields, coded values by name ("dvo_port:
 * DP-A (0x0a)"). 0, or -EIO when out fails, -ENOMEM. */
int igdpt_decode_print_text(FILE *out, const struct igdpt_decoded *decoded);

/* The field of a GROUP with this name, NULL if none (or group is NULL). */
const struct igdpt_decode_node *igdpt_decode_field(const struct igdpt_decode_node *group,
						    const char *name);

/* Name of a BDB block id ("General definitions"), "Unknown" if none. */
const char *igdpt_decode_block_name(unsigned id);

IGDPT_END_DECLS

#endif
