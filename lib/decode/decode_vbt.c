/* SPDX-License-Identifier: MIT */
/* VBT header, BDB header and the list of every block present
 * (include/igdpt/abi/vbt.h).
 *
 * The block list comes from the core walk: igdpt_vbt_next_block() when the
 * VBT parsed, igdpt_vbt_walk_tolerant() when it did not, so a broken VBT still
 * shows every block up to the first malformed one.
 */
#include <stdlib.h>

#include "decode_internal.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/decode.h"

static const struct dec_field vbt_header_fields[] = {
	FLD("signature", IGDPT_VBT_SIGNATURE_OFFSET, IGDPT_VBT_SIGNATURE_SIZE, DEC_STR),
	FLD("version", IGDPT_VBT_VERSION_OFFSET, 2, DEC_UINT),
	FLD("header_size", IGDPT_VBT_HEADER_SIZE_OFFSET, 2, DEC_UINT),
	FLD("vbt_size", IGDPT_VBT_VBT_SIZE_OFFSET, 2, DEC_UINT),
	FLD("checksum", IGDPT_VBT_CHECKSUM_OFFSET, 1, DEC_HEX),
	FLD("bdb_offset", IGDPT_VBT_BDB_OFFSET_OFFSET, 4, DEC_UINT),
};

static const struct dec_field bdb_header_fields[] = {
	FLD("bdb_signature", 0, IGDPT_BDB_SIGNATURE_SIZE, DEC_STR),
	FLD("bdb_version", IGDPT_BDB_VERSION_OFFSET, 2, DEC_UINT),
	FLD("bdb_header_size", IGDPT_BDB_HEADER_SIZE_OFFSET, 2, DEC_UINT),
	FLD("bdb_size", IGDPT_BDB_BDB_SIZE_OFFSET, 2, DEC_UINT),
};

/* The walk's blocks, gathered before any is decoded: block 42 needs 41
 * and the panel type of block 40. */
struct block_list {
	struct igdpt_vbt_block *v;
	size_t n, cap;
	bool oom;
};

static void block_list_add(const struct igdpt_vbt_block *blk, void *opaque)
{
	struct block_list *list = opaque;

	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 64;
		struct igdpt_vbt_block *v = realloc(list->v, cap * sizeof(*v));

		if (!v) {
			list->oom = true;
			return;
		}
		list->v = v;
		list->cap = cap;
	}
	list->v[list->n++] = *blk;
}

static void dec_blocks(struct dec *d, struct dec_vbt_ctx *ctx, const struct block_list *list)
{
	struct igdpt_decoded_block *blocks;
	size_t kept = 0;

	blocks = dec_alloc(d, (list->n ? list->n : 1) * sizeof(*blocks));
	if (!blocks)
		return;
	for (size_t i = 0; i < list->n; i++) {
		const struct igdpt_vbt_block *blk = &list->v[i];
		struct igdpt_decoded_block *b = &blocks[kept];
		dec_node *fields;

		if (d->opt->block >= 0 && blk->id != d->opt->block)
			continue;
		b->id = blk->id;
		b->size = blk->size;
		b->offset = blk->offset;
		b->name = igdpt_decode_block_name(blk->id);
		fields = dec_group(d, NULL, NULL);
		dec_block(fields, ctx, blk);
		b->fields = fields;
		kept++;
	}
	d->out.blocks = blocks;
	d->out.blocks_kept = kept;
}

void dec_vbt(struct dec *d, const uint8_t *vbt, size_t len, const struct igdpt_vbt *parsed)
{
	dec_node *obj = dec_group(d, NULL, "vbt");
	struct block_list list = { 0 };
	struct dec_vbt_ctx ctx = { .d = d, .vbt = vbt, .len = len, .panel_type = -1,
				   .only_panel = -1 };
	size_t bdb = 0;

	d->out.vbt = obj;
	dec_fields(d, obj, vbt, len, vbt_header_fields, DEC_ARRAY_SIZE(vbt_header_fields), 0);
	if (len >= IGDPT_VBT_HEADER_SIZE) {
		uint16_t vbt_size = igdpt_le16(vbt + IGDPT_VBT_VBT_SIZE_OFFSET);
		bool sum_ok = parsed ? !(parsed->warnings & IGDPT_WARN_VBT_CHECKSUM)
				     : vbt_size <= len && igdpt_bytes_sum8(vbt, vbt_size) == 0;

		if (parsed || vbt_size <= len)
			dec_bool(d, obj, "checksum_ok", sum_ok);
		else
			dec_none(d, obj, "checksum_ok");
		bdb = igdpt_le32(vbt + IGDPT_VBT_BDB_OFFSET_OFFSET);
	}
	if (bdb && bdb < len && len - bdb >= IGDPT_BDB_HEADER_SIZE) {
		dec_fields(d, obj, vbt + bdb, len - bdb, bdb_header_fields,
			   DEC_ARRAY_SIZE(bdb_header_fields), 0);
		ctx.version = igdpt_le16(vbt + bdb + IGDPT_BDB_VERSION_OFFSET);
		ctx.bdb_offset = bdb;
	} else {
		dec_none(d, obj, "bdb_version");
	}

	if (parsed) {
		struct igdpt_vbt_block blk;
		size_t cursor = 0;

		while (igdpt_vbt_next_block(parsed, &cursor, &blk))
			block_list_add(&blk, &list);
	} else {
		igdpt_vbt_walk_tolerant(vbt, len, block_list_add, &list);
	}
	if (list.oom)
		d->oom = true;
	ctx.blocks = list.v;
	ctx.block_count = list.n;
	for (size_t i = 0; i < list.n; i++)
		if (list.v[i].id == IGDPT_BDB_LFP_OPTIONS && list.v[i].size > 0) {
			ctx.panel_type = list.v[i].data[0];
			break;
		}
	/* Like intel_vbt_decode: the panel type's entries only, unless asked
	 * for all or the panel type is not an index (255: "from the EDID"). */
	if (!d->opt->all_panels && ctx.panel_type >= 0 && ctx.panel_type < (int)DEC_PANEL_COUNT)
		ctx.only_panel = ctx.panel_type;
	if (ctx.panel_type >= 0)
		dec_uint(d, obj, "panel_type", (unsigned)ctx.panel_type);
	else
		dec_none(d, obj, "panel_type");
	dec_uint(d, obj, "block_count", list.n);
	d->out.panel_type = ctx.panel_type;
	d->out.block_count = list.n;
	dec_blocks(d, &ctx, &list);
	free(list.v);
}
