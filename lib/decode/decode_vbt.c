/* SPDX-License-Identifier: MIT */
/* VBT header, BDB header and the list of every block present (format.md 4-6).
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

struct json_object *dec_vbt(const uint8_t *vbt, size_t len, const struct igdpt_vbt *parsed,
			    const struct igdpt_decode_options *opt)
{
	struct json_object *obj = json_object_new_object();
	struct json_object *blocks;
	struct block_list list = { 0 };
	struct dec_vbt_ctx ctx = { .vbt = vbt, .len = len, .panel_type = -1, .only_panel = -1 };
	size_t bdb = 0;

	dec_fields(obj, vbt, len, vbt_header_fields, DEC_ARRAY_SIZE(vbt_header_fields), 0);
	if (len >= IGDPT_VBT_HEADER_SIZE) {
		uint16_t vbt_size = igdpt_le16(vbt + IGDPT_VBT_VBT_SIZE_OFFSET);

		bool sum_ok = parsed ? !(parsed->warnings & IGDPT_WARN_VBT_CHECKSUM)
				     : vbt_size <= len && igdpt_bytes_sum8(vbt, vbt_size) == 0;

		json_object_object_add(obj, "checksum_ok",
				       parsed || vbt_size <= len ? json_object_new_boolean(sum_ok) : NULL);
		bdb = igdpt_le32(vbt + IGDPT_VBT_BDB_OFFSET_OFFSET);
	}
	if (bdb && bdb < len && len - bdb >= IGDPT_BDB_HEADER_SIZE) {
		dec_fields(obj, vbt + bdb, len - bdb, bdb_header_fields,
			   DEC_ARRAY_SIZE(bdb_header_fields), 0);
		ctx.version = igdpt_le16(vbt + bdb + IGDPT_BDB_VERSION_OFFSET);
		ctx.bdb_offset = bdb;
	} else {
		json_object_object_add(obj, "bdb_version", NULL);
	}

	if (parsed) {
		struct igdpt_vbt_block blk;
		size_t cursor = 0;

		while (igdpt_vbt_next_block(parsed, &cursor, &blk))
			block_list_add(&blk, &list);
	} else {
		igdpt_vbt_walk_tolerant(vbt, len, block_list_add, &list);
	}
	ctx.blocks = list.v;
	ctx.block_count = list.n;
	for (size_t i = 0; i < list.n; i++)
		if (list.v[i].id == IGDPT_BDB_LFP_OPTIONS && list.v[i].size > 0) {
			ctx.panel_type = list.v[i].data[0];
			break;
		}
	/* Like intel_vbt_decode: the panel type's entries only, unless asked
	 * for all or the panel type is not an index (255: "from the EDID"). */
	if (!opt->all_panels && ctx.panel_type >= 0 && ctx.panel_type < (int)DEC_PANEL_COUNT)
		ctx.only_panel = ctx.panel_type;
	json_object_object_add(obj, "panel_type",
			       ctx.panel_type >= 0 ? dec_uint((unsigned)ctx.panel_type) : NULL);
	json_object_object_add(obj, "block_count", dec_uint(list.n));

	blocks = json_object_new_array();
	for (size_t i = 0; i < list.n; i++) {
		const struct igdpt_vbt_block *blk = &list.v[i];
		struct json_object *b, *fields;

		if (opt->block >= 0 && blk->id != opt->block)
			continue;
		b = json_object_new_object();
		fields = json_object_new_object();
		json_object_object_add(b, "id", dec_uint(blk->id));
		json_object_object_add(b, "size", dec_uint(blk->size));
		json_object_object_add(b, "offset", dec_uint(blk->offset));
		json_object_object_add(b, "name", json_object_new_string(igdpt_decode_block_name(blk->id)));
		dec_block(fields, &ctx, blk);
		json_object_object_add(b, "fields", fields);
		json_object_array_add(blocks, b);
	}
	json_object_object_add(obj, "blocks", blocks);
	if (list.oom)
		json_object_object_add(obj, "truncated_listing", json_object_new_boolean(1));
	free(list.v);
	return obj;
}
