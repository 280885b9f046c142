/* SPDX-License-Identifier: MIT */
/* VBT header, BDB header and the bounds-checked block walk.
 *
 * Rules follow Linux intel_bios_is_valid_vbt() and its block walker, made
 * stricter where a guest image must be trustworthy (the BDB signature, every
 * block inside the BDB) and tolerant where real firmware deviates in ways
 * that no driver minds (a checksum nobody checks, a bdb_size one byte short):
 * those become warnings (igdpt/core/diag.h).
 */
#include "igdpt/core/vbt.h"

#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"

/* Where one block ends, MIPI sequence v3 taken into account. */
struct block_extent {
	uint8_t id;
	uint32_t size;
	size_t payload;
	size_t end;
};

static const char *read_block(const uint8_t *data, size_t pos, size_t limit,
			      struct block_extent *blk)
{
	if (limit - pos < IGDPT_BDB_BLOCK_HEADER_SIZE)
		return "truncated block header";
	blk->id = data[pos + IGDPT_BDB_BLOCK_ID_OFFSET];
	blk->size = igdpt_le16(data + pos + IGDPT_BDB_BLOCK_SIZE_OFFSET);
	blk->payload = pos + IGDPT_BDB_BLOCK_HEADER_SIZE;
	if (blk->id == IGDPT_BDB_MIPI_SEQUENCE && blk->payload < limit &&
	    data[blk->payload + IGDPT_MIPI_SEQ_VERSION_OFFSET] >= IGDPT_MIPI_SEQ_V3_VERSION) {
		uint32_t len;

		if (limit - blk->payload < IGDPT_MIPI_SEQ_V3_SUBHEADER_SIZE)
			return "truncated MIPI sequence v3 header";
		len = igdpt_le32(data + blk->payload + IGDPT_MIPI_SEQ_V3_LENGTH_OFFSET);
		if (len > limit - blk->payload - IGDPT_MIPI_SEQ_V3_SUBHEADER_SIZE)
			return "MIPI sequence v3 length runs past the BDB";
		blk->size = IGDPT_MIPI_SEQ_V3_SUBHEADER_SIZE + len;
	}
	if (blk->size > limit - blk->payload)
		return "block runs past the end of the BDB";
	blk->end = blk->payload + blk->size;
	return 0;
}

/* The walk's single definition, shared by parse, iteration and the tolerant
 * walk: start at blocks_start, stop at end (bdb end) with one byte of slack
 * up to hard_end (vbt_size) for the short-bdb_size quirk. Returns the reason
 * of the first malformed block, or NULL; *count and *stop report progress. */
struct walk_state {
	size_t pos;
	unsigned count;
	uint32_t warnings;
};

static const char *walk(const uint8_t *data, size_t start, size_t end, size_t hard_end,
			struct walk_state *st, igdpt_vbt_block_fn fn, void *opaque)
{
	st->pos = start;
	st->count = 0;
	st->warnings = 0;
	while (st->pos < end) {
		struct block_extent blk;
		size_t slack_end = end + 1 <= hard_end ? end + 1 : end;
		const char *why;

		if (igdpt_bytes_all_zero(data + st->pos, end - st->pos)) {
			/* Zero padding is not a block (an id-0 walk would
			 * report phantom blocks). */
			st->warnings |= IGDPT_WARN_BDB_TAIL;
			return 0;
		}
		why = read_block(data, st->pos, slack_end, &blk);
		if (why)
			return why;
		if (blk.id == 0)
			return "block id 0 is not a data block";
		if (blk.size == 0)
			return "block has zero length";
		if (blk.end > end)
			st->warnings |= IGDPT_WARN_BDB_SIZE_SHORT;
		if (fn) {
			struct igdpt_vbt_block out = {
				.id = blk.id,
				.size = blk.size,
				.offset = st->pos,
				.data = data + blk.payload,
			};
			fn(&out, opaque);
		}
		st->count++;
		st->pos = blk.end;
	}
	return 0;
}

unsigned igdpt_vbt_child_dev_size(uint16_t bdb_version)
{
	/* Linux intel_bios.c parse_general_definitions(). */
	static const struct {
		uint16_t last_version;
		uint8_t size;
	} table[] = {
		{ 105, 22 }, { 110, 27 }, { 194, 33 }, { 195, 37 }, { 215, 38 },
		{ 255, 39 }, { 262, 40 }, { 264, 44 },
	};

	for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (bdb_version <= table[i].last_version)
			return table[i].size;
	return 0;
}

static void check_child_dev_size(const struct igdpt_vbt *vbt, struct igdpt_diag *diag,
				 uint32_t *warnings)
{
	struct igdpt_vbt_block gen;
	unsigned expected;

	(void)diag;
	if (!igdpt_vbt_find_block(vbt, IGDPT_BDB_GENERAL_DEFINITIONS, &gen) ||
	    gen.size <= IGDPT_GENDEF_CHILD_DEV_SIZE_OFFSET)
		return;
	expected = igdpt_vbt_child_dev_size(vbt->bdb_version);
	if (expected && gen.data[IGDPT_GENDEF_CHILD_DEV_SIZE_OFFSET] != expected)
		*warnings |= IGDPT_WARN_CHILD_DEV_SIZE;
}

int igdpt_vbt_parse(const uint8_t *buf, size_t len, struct igdpt_vbt *out,
		    struct igdpt_diag *diag)
{
	struct igdpt_vbt vbt = { 0 };
	struct walk_state st;
	size_t bdb, bdb_end;
	const char *why;

	if (len < IGDPT_VBT_HEADER_SIZE)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, len,
				       "VBT shorter than its 48-byte header");
	if (igdpt_bytes_differ(buf, (const uint8_t *)IGDPT_VBT_SIGNATURE,
			       IGDPT_VBT_SIGNATURE_PREFIX_SIZE))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_VBT_SIGNATURE_OFFSET,
				       "VBT signature is not \"$VBT\"");
	vbt.data = buf;
	igdpt_bytes_copy((uint8_t *)vbt.signature, buf + IGDPT_VBT_SIGNATURE_OFFSET,
			 IGDPT_VBT_SIGNATURE_SIZE);
	vbt.signature[IGDPT_VBT_SIGNATURE_SIZE] = 0;
	vbt.version = igdpt_le16(buf + IGDPT_VBT_VERSION_OFFSET);
	vbt.header_size = igdpt_le16(buf + IGDPT_VBT_HEADER_SIZE_OFFSET);
	vbt.vbt_size = igdpt_le16(buf + IGDPT_VBT_VBT_SIZE_OFFSET);
	vbt.checksum = buf[IGDPT_VBT_CHECKSUM_OFFSET];
	vbt.bdb_offset = igdpt_le32(buf + IGDPT_VBT_BDB_OFFSET_OFFSET);

	if (vbt.vbt_size > len)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_VBT_VBT_SIZE_OFFSET,
				       "vbt_size runs past the end of the data");
	if (vbt.vbt_size < IGDPT_VBT_HEADER_SIZE)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_VBT_VBT_SIZE_OFFSET,
				       "vbt_size smaller than the 48-byte VBT header");
	if (vbt.header_size < IGDPT_VBT_BDB_OFFSET_OFFSET + 4 || vbt.header_size > vbt.vbt_size)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_VBT_HEADER_SIZE_OFFSET,
				       "VBT header_size out of range");
	if (vbt.bdb_offset < vbt.header_size)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_VBT_BDB_OFFSET_OFFSET,
				       "bdb_offset points inside the VBT header");
	if (vbt.bdb_offset > (size_t)vbt.vbt_size - IGDPT_BDB_HEADER_SIZE)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_VBT_BDB_OFFSET_OFFSET,
				       "bdb_offset leaves no room for the BDB header");
	bdb = vbt.bdb_offset;
	if (igdpt_bytes_differ(buf + bdb, (const uint8_t *)IGDPT_BDB_SIGNATURE,
			       IGDPT_BDB_SIGNATURE_SIZE))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, bdb,
				       "BDB signature is not \"BIOS_DATA_BLOCK \"");
	vbt.bdb_version = igdpt_le16(buf + bdb + IGDPT_BDB_VERSION_OFFSET);
	vbt.bdb_header_size = igdpt_le16(buf + bdb + IGDPT_BDB_HEADER_SIZE_OFFSET);
	vbt.bdb_size = igdpt_le16(buf + bdb + IGDPT_BDB_BDB_SIZE_OFFSET);
	if (vbt.bdb_header_size < IGDPT_BDB_HEADER_SIZE ||
	    vbt.bdb_header_size > vbt.vbt_size - bdb)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, bdb + IGDPT_BDB_HEADER_SIZE_OFFSET,
				       "BDB header_size out of range");
	if (vbt.bdb_size < vbt.bdb_header_size)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, bdb + IGDPT_BDB_BDB_SIZE_OFFSET,
				       "bdb_size smaller than the BDB header");
	if (vbt.bdb_size > vbt.vbt_size - bdb)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, bdb + IGDPT_BDB_BDB_SIZE_OFFSET,
				       "bdb_size runs past vbt_size");
	bdb_end = bdb + vbt.bdb_size;
	vbt.blocks_start = bdb + vbt.bdb_header_size;

	why = walk(buf, vbt.blocks_start, bdb_end, vbt.vbt_size, &st, 0, 0);
	if (why)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, st.pos, why);
	if (st.count == 0)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, vbt.blocks_start,
				       "BDB holds no data blocks");
	vbt.blocks_end = st.pos;
	vbt.block_count = st.count;
	vbt.len = vbt.vbt_size;
	vbt.warnings = st.warnings;
	if (igdpt_bytes_sum8(buf, vbt.vbt_size) != 0)
		vbt.warnings |= IGDPT_WARN_VBT_CHECKSUM;
	if (!igdpt_bytes_all_zero(buf + vbt.vbt_size, len - vbt.vbt_size))
		vbt.warnings |= IGDPT_WARN_TRAILING_DATA;
	check_child_dev_size(&vbt, diag, &vbt.warnings);

	*out = vbt;
	if (diag) {
		diag->reason = 0;
		diag->offset = 0;
		diag->warnings |= vbt.warnings;
	}
	return 0;
}

int igdpt_vbt_next_block(const struct igdpt_vbt *vbt, size_t *cursor,
			 struct igdpt_vbt_block *blk)
{
	struct block_extent ext;
	size_t pos = *cursor ? *cursor : vbt->blocks_start;

	if (pos >= vbt->blocks_end ||
	    igdpt_bytes_all_zero(vbt->data + pos, vbt->blocks_end - pos))
		return 0;
	/* parse() proved every block up to blocks_end well-formed. */
	if (read_block(vbt->data, pos, vbt->blocks_end, &ext))
		return 0;
	blk->id = ext.id;
	blk->size = ext.size;
	blk->offset = pos;
	blk->data = vbt->data + ext.payload;
	*cursor = ext.end;
	return 1;
}

int igdpt_vbt_find_block(const struct igdpt_vbt *vbt, uint8_t id,
			 struct igdpt_vbt_block *blk)
{
	size_t cursor = 0;

	while (igdpt_vbt_next_block(vbt, &cursor, blk))
		if (blk->id == id)
			return 1;
	return 0;
}

unsigned igdpt_vbt_walk_tolerant(const uint8_t *buf, size_t len, igdpt_vbt_block_fn fn,
				 void *opaque)
{
	struct walk_state st;
	size_t bdb, start, end;
	uint16_t hdr, size;

	if (len < IGDPT_VBT_HEADER_SIZE)
		return 0;
	bdb = igdpt_le32(buf + IGDPT_VBT_BDB_OFFSET_OFFSET);
	if (bdb > len || len - bdb < IGDPT_BDB_HEADER_SIZE)
		return 0;
	hdr = igdpt_le16(buf + bdb + IGDPT_BDB_HEADER_SIZE_OFFSET);
	size = igdpt_le16(buf + bdb + IGDPT_BDB_BDB_SIZE_OFFSET);
	if (hdr < IGDPT_BDB_HEADER_SIZE || hdr > size)
		return 0;
	start = bdb + hdr;
	end = bdb + size;
	if (end > len)
		end = len;
	if (start > end)
		return 0;
	walk(buf, start, end, len, &st, fn, opaque);
	return st.count;
}

const char *igdpt_vbt_dvo_port_name(uint8_t dvo_port)
{
	/* Indexed by code: DVO_PORT_HDMIA (0) .. DVO_PORT_MIPID (24). */
	static const char *const names[] = {
		"HDMI-A", "HDMI-B", "HDMI-C", "HDMI-D", "LVDS", "TV", "CRT", "DP-B",
		"DP-C", "DP-D", "DP-A", "DP-E", "HDMI-E", "DP-F", "HDMI-F", "DP-G",
		"HDMI-G", "DP-H", "HDMI-H", "DP-I", "HDMI-I", "MIPI-A", "MIPI-B", "MIPI-C",
		"MIPI-D",
	};

	return dvo_port < sizeof(names) / sizeof(names[0]) ? names[dvo_port] : 0;
}
