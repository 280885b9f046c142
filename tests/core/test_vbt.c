/* SPDX-License-Identifier: MIT */
/* Unit tests: VBT header/BDB validation, the block walk, its quirks and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/vbt.h"

#define BUF_SIZE 16384u

static uint8_t buf[BUF_SIZE];

static size_t build(const struct fx_vbt *v)
{
	size_t len = fx_vbt_build(v, buf, sizeof(buf));

	assert_true(len > 0);
	return len;
}

static size_t build_default(struct fx_vbt *v)
{
	fx_vbt_defaults(v);
	return build(v);
}

/* Parses a heap copy of exactly len bytes, so ASan sees any over-read. */
static int parse_exact(const uint8_t *data, size_t len, struct igdpt_vbt *vbt,
		       struct igdpt_diag *diag)
{
	uint8_t *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, data, len);
	ret = igdpt_vbt_parse(copy, len, vbt, diag);
	free(copy);
	return ret;
}

static void expect_fail(size_t len, const char *reason, size_t offset)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_vbt vbt;

	memset(&vbt, 0xA5, sizeof(vbt));
	assert_int_equal(parse_exact(buf, len, &vbt, &diag), -IGDPT_EINVAL);
	assert_non_null(diag.reason);
	assert_string_equal(diag.reason, reason);
	assert_int_equal(diag.offset, offset);
	/* Outputs are written only on success. */
	for (size_t i = 0; i < sizeof(vbt); i++)
		assert_int_equal(((const uint8_t *)&vbt)[i], 0xA5);
}

static void test_default_parses(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_vbt vbt;
	struct fx_vbt v;
	size_t len = build_default(&v);

	(void)state;
	assert_int_equal(parse_exact(buf, len, &vbt, &diag), 0);
	assert_null(diag.reason);
	assert_int_equal(diag.warnings, 0);
	assert_string_equal(vbt.signature, "$VBT IGDPT-FIXTURE  ");
	assert_int_equal(vbt.version, 100);
	assert_int_equal(vbt.header_size, 48);
	assert_int_equal(vbt.vbt_size, len);
	assert_int_equal(vbt.bdb_offset, 48);
	assert_int_equal(vbt.bdb_version, 228);
	assert_int_equal(vbt.bdb_header_size, 22);
	assert_int_equal(vbt.bdb_size, fx_vbt_chain_size(&v));
	assert_int_equal(vbt.blocks_start, 48 + 22);
	assert_int_equal(vbt.blocks_end, len);
	assert_int_equal(vbt.block_count, v.block_count);
	assert_int_equal(vbt.len, len);
	assert_int_equal(vbt.warnings, 0);
	assert_int_equal(igdpt_bytes_sum8(buf, len), 0);
}

static void test_iterate_and_find(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_vbt_block blk;
	struct igdpt_vbt vbt;
	struct fx_vbt v;
	size_t len = build_default(&v), cursor = 0;
	unsigned n = 0;

	(void)state;
	assert_int_equal(igdpt_vbt_parse(buf, len, &vbt, &diag), 0);
	while (igdpt_vbt_next_block(&vbt, &cursor, &blk)) {
		assert_true(n < v.block_count);
		assert_int_equal(blk.id, v.blocks[n].id);
		assert_int_equal(blk.size, v.blocks[n].size);
		assert_int_equal(blk.offset, fx_vbt_block_offset(&v, n));
		assert_ptr_equal(blk.data, buf + blk.offset + IGDPT_BDB_BLOCK_HEADER_SIZE);
		if (blk.id != IGDPT_BDB_GENERAL_DEFINITIONS)
			for (size_t i = 0; i < blk.size; i++)
				assert_int_equal(blk.data[i], fx_payload_byte(blk.id, i));
		n++;
	}
	assert_int_equal(n, v.block_count);
	/* The iterator stays at the end. */
	assert_int_equal(igdpt_vbt_next_block(&vbt, &cursor, &blk), 0);

	assert_int_equal(igdpt_vbt_find_block(&vbt, IGDPT_BDB_LFP_DATA, &blk), 1);
	assert_int_equal(blk.size, 300);
	assert_int_equal(blk.offset, fx_vbt_block_offset(&v, 6));
	assert_int_equal(igdpt_vbt_find_block(&vbt, IGDPT_BDB_SKIP, &blk), 1);
	assert_int_equal(blk.offset, 70);
	assert_int_equal(igdpt_vbt_find_block(&vbt, IGDPT_BDB_MIPI_SEQUENCE, &blk), 0);
	assert_int_equal(igdpt_vbt_find_block(&vbt, 0, &blk), 0);
}

static void test_find_first_of_duplicates(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_vbt_block blk;
	struct igdpt_vbt vbt;
	struct fx_vbt v;
	size_t len;

	(void)state;
	fx_vbt_defaults(&v);
	v.blocks[v.block_count++] = (struct fx_block){ IGDPT_BDB_EDP, 7 };
	len = build(&v);
	assert_int_equal(igdpt_vbt_parse(buf, len, &vbt, &diag), 0);
	assert_int_equal(igdpt_vbt_find_block(&vbt, IGDPT_BDB_EDP, &blk), 1);
	assert_int_equal(blk.size, 100);
}

static void test_bdb_size_short_quirk(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_vbt_block blk;
	struct igdpt_vbt vbt;
	struct fx_vbt v;
	size_t len;

	(void)state;
	fx_vbt_defaults(&v);
	v.bdb_size_short = true;
	len = build(&v);
	assert_int_equal(igdpt_vbt_parse(buf, len, &vbt, &diag), 0);
	assert_int_equal(vbt.warnings, IGDPT_WARN_BDB_SIZE_SHORT);
	assert_int_equal(diag.warnings, IGDPT_WARN_BDB_SIZE_SHORT);
	assert_int_equal(vbt.bdb_size, fx_vbt_chain_size(&v) - 1);
	/* The last block, which Linux drops, is kept. */
	assert_int_equal(vbt.block_count, v.block_count);
	assert_int_equal(vbt.blocks_end, len);
	assert_int_equal(igdpt_vbt_find_block(&vbt, IGDPT_BDB_LFP_DATA, &blk), 1);
	assert_int_equal(blk.size, 300);
}

static void test_bdb_size_short_by_two(void **state)
{
	struct fx_vbt v;
	size_t len;

	(void)state;
	fx_vbt_defaults(&v);
	v.bdb_size_short = true;
	v.bdb_size_delta = -1;
	len = build(&v);
	expect_fail(len, "block runs past the end of the BDB", fx_vbt_block_offset(&v, 6));
}

static void test_bdb_size_short_without_slack(void **state)
{
	struct fx_vbt v;
	size_t len;

	(void)state;
	/* The one-byte slack runs to vbt_size, never past it. */
	fx_vbt_defaults(&v);
	v.bdb_size_short = true;
	v.vbt_size_delta = -1;
	len = build(&v);
	expect_fail(len, "block runs past the end of the BDB", fx_vbt_block_offset(&v, 6));
}

static void test_checksum_warning(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_vbt vbt;
	struct fx_vbt v;
	size_t len;

	(void)state;
	fx_vbt_defaults(&v);
	v.fix_checksum = false;
	len = build(&v);
	assert_int_equal(igdpt_vbt_parse(buf, len, &vbt, &diag), 0);
	assert_int_equal(vbt.warnings, IGDPT_WARN_VBT_CHECKSUM);
	assert_int_equal(vbt.checksum, buf[IGDPT_VBT_CHECKSUM_OFFSET]);
}

static void test_padding_and_trailing_data(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_vbt vbt;
	struct fx_vbt v;
	size_t len;

	(void)state;
	fx_vbt_defaults(&v);
	v.pad_to = 1024;
	len = build(&v);
	assert_int_equal(len, 1024);
	assert_int_equal(igdpt_vbt_parse(buf, len, &vbt, &diag), 0);
	assert_int_equal(vbt.warnings, 0);
	assert_int_equal(vbt.len, vbt.vbt_size);
	assert_true(vbt.vbt_size < 1024);

	v.pad_byte = 0x90; /* e.g. VBIOS code after the VBT */
	len = build(&v);
	assert_int_equal(igdpt_vbt_parse(buf, len, &vbt, &diag), 0);
	assert_int_equal(vbt.warnings, IGDPT_WARN_TRAILING_DATA);
}

static void test_bdb_zero_tail(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_vbt_block blk;
	struct igdpt_vbt vbt;
	struct fx_vbt v;
	size_t len, cursor = 0;
	unsigned n = 0;

	(void)state;
	fx_vbt_defaults(&v);
	v.bdb_size_delta = 40;
	v.vbt_size_delta = 40;
	len = build(&v);
	assert_int_equal(igdpt_vbt_parse(buf, len, &vbt, &diag), 0);
	assert_int_equal(vbt.warnings, IGDPT_WARN_BDB_TAIL);
	assert_int_equal(vbt.block_count, v.block_count);
	assert_int_equal(vbt.blocks_end, len - 40);
	while (igdpt_vbt_next_block(&vbt, &cursor, &blk))
		n++;
	assert_int_equal(n, v.block_count);
}

static void test_child_dev_size(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_vbt vbt;
	struct fx_vbt v;
	size_t len;

	(void)state;
	fx_vbt_defaults(&v);
	v.child_dev_size = 38;
	len = build(&v);
	assert_int_equal(igdpt_vbt_parse(buf, len, &vbt, &diag), 0);
	assert_int_equal(vbt.warnings, IGDPT_WARN_CHILD_DEV_SIZE);

	/* A BDB newer than the table: nothing to compare with. */
	v.bdb_version = 266;
	len = build(&v);
	assert_int_equal(igdpt_vbt_parse(buf, len, &vbt, &diag), 0);
	assert_int_equal(vbt.warnings, 0);
}

static void test_child_dev_size_table(void **state)
{
	static const struct {
		uint16_t version;
		unsigned size;
	} cases[] = {
		{ 0, 22 },    { 105, 22 },  { 106, 27 }, { 110, 27 }, { 111, 33 },
		{ 194, 33 },  { 195, 37 },  { 196, 38 }, { 215, 38 }, { 216, 39 },
		{ 255, 39 },  { 256, 40 },  { 262, 40 }, { 263, 44 }, { 264, 44 },
		{ 265, 0 },   { 0xFFFF, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(igdpt_vbt_child_dev_size(cases[i].version), cases[i].size);
}

static void test_mipi_v3(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_vbt_block blk;
	struct igdpt_vbt vbt;
	struct fx_vbt v;
	size_t len;

	(void)state;
	fx_vbt_defaults(&v);
	v.mipi_v3 = true;
	v.mipi_v3_len = 700;
	v.bdb_size_short = true;
	len = build(&v);
	assert_int_equal(igdpt_vbt_parse(buf, len, &vbt, &diag), 0);
	assert_int_equal(vbt.warnings, IGDPT_WARN_BDB_SIZE_SHORT);
	assert_int_equal(vbt.block_count, v.block_count + 1);
	assert_int_equal(igdpt_vbt_find_block(&vbt, IGDPT_BDB_MIPI_SEQUENCE, &blk), 1);
	/* The u16 size says 0; the u32 plus the 5-byte sub-header counts. */
	assert_int_equal(blk.size, 5 + 700);
	assert_int_equal(blk.offset, fx_vbt_block_offset(&v, v.block_count));
	assert_int_equal(blk.data[0], IGDPT_MIPI_SEQ_V3_VERSION);
	assert_int_equal(igdpt_le32(blk.data + 1), 700);
}

static void test_mipi_v3_not_last(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_vbt_block blk;
	struct igdpt_vbt vbt;
	struct fx_vbt v;
	size_t len, at;

	(void)state;
	/* Linux's walker advances by the u32 alone (5 short) and only works
	 * because the block is last; igdpt's must find a block after it. */
	fx_vbt_defaults(&v);
	v.mipi_v3 = true;
	v.mipi_v3_len = 64;
	len = build(&v);
	at = len;
	buf[at] = IGDPT_BDB_PSR;
	igdpt_put_le16(buf + at + 1, 4);
	memset(buf + at + 3, 0x11, 4);
	len += 7;
	igdpt_put_le16(buf + IGDPT_VBT_VBT_SIZE_OFFSET, (uint16_t)len);
	igdpt_put_le16(buf + 48 + IGDPT_BDB_BDB_SIZE_OFFSET, (uint16_t)(len - 48));
	assert_int_equal(igdpt_vbt_parse(buf, len, &vbt, &diag), 0);
	assert_int_equal(vbt.block_count, v.block_count + 2);
	assert_int_equal(igdpt_vbt_find_block(&vbt, IGDPT_BDB_PSR, &blk), 1);
	assert_int_equal(blk.offset, at);
	assert_int_equal(blk.size, 4);
}

static void test_mipi_v3_huge_length(void **state)
{
	struct fx_vbt v;
	size_t len;

	(void)state;
	fx_vbt_defaults(&v);
	v.mipi_v3 = true;
	v.mipi_v3_len = 16;
	len = build(&v);
	igdpt_put_le32(buf + fx_vbt_block_offset(&v, v.block_count) + 3 + 1, 0xFFFFFFFFu);
	expect_fail(len, "MIPI sequence v3 length runs past the BDB",
		    fx_vbt_block_offset(&v, v.block_count));
	/* One past the end, too. */
	igdpt_put_le32(buf + fx_vbt_block_offset(&v, v.block_count) + 3 + 1, 17);
	expect_fail(len, "MIPI sequence v3 length runs past the BDB",
		    fx_vbt_block_offset(&v, v.block_count));
}

static void test_mipi_v3_truncated_subheader(void **state)
{
	struct fx_vbt v;
	size_t len;

	(void)state;
	fx_vbt_defaults(&v);
	v.mipi_v3 = true;
	v.mipi_v3_len = 16;
	/* Keep the block header, the version byte and one length byte. */
	v.bdb_size_delta = -(16 + 3);
	v.vbt_size_delta = -(16 + 3);
	len = build(&v) - (16 + 3);
	expect_fail(len, "truncated MIPI sequence v3 header", fx_vbt_block_offset(&v, v.block_count));
}

static void test_header_errors(void **state)
{
	struct fx_vbt v;
	size_t len;

	(void)state;
	len = build_default(&v);
	expect_fail(0, "VBT shorter than its 48-byte header", 0);
	expect_fail(47, "VBT shorter than its 48-byte header", 47);
	expect_fail(len - 1, "vbt_size runs past the end of the data", IGDPT_VBT_VBT_SIZE_OFFSET);

	buf[3] = 'X';
	expect_fail(len, "VBT signature is not \"$VBT\"", 0);
	buf[3] = 'T';

	igdpt_put_le16(buf + IGDPT_VBT_VBT_SIZE_OFFSET, 47);
	expect_fail(len, "vbt_size smaller than the 48-byte VBT header", IGDPT_VBT_VBT_SIZE_OFFSET);
	igdpt_put_le16(buf + IGDPT_VBT_VBT_SIZE_OFFSET, 0);
	expect_fail(len, "vbt_size smaller than the 48-byte VBT header", IGDPT_VBT_VBT_SIZE_OFFSET);
	igdpt_put_le16(buf + IGDPT_VBT_VBT_SIZE_OFFSET, 0xFFFF);
	expect_fail(len, "vbt_size runs past the end of the data", IGDPT_VBT_VBT_SIZE_OFFSET);
	igdpt_put_le16(buf + IGDPT_VBT_VBT_SIZE_OFFSET, (uint16_t)len);

	igdpt_put_le16(buf + IGDPT_VBT_HEADER_SIZE_OFFSET, 0);
	expect_fail(len, "VBT header_size out of range", IGDPT_VBT_HEADER_SIZE_OFFSET);
	igdpt_put_le16(buf + IGDPT_VBT_HEADER_SIZE_OFFSET, (uint16_t)(len + 1));
	expect_fail(len, "VBT header_size out of range", IGDPT_VBT_HEADER_SIZE_OFFSET);
	igdpt_put_le16(buf + IGDPT_VBT_HEADER_SIZE_OFFSET, 48);

	/* The BDB overlapping the VBT header. */
	igdpt_put_le32(buf + IGDPT_VBT_BDB_OFFSET_OFFSET, 40);
	expect_fail(len, "bdb_offset points inside the VBT header", IGDPT_VBT_BDB_OFFSET_OFFSET);
	igdpt_put_le32(buf + IGDPT_VBT_BDB_OFFSET_OFFSET, 0);
	expect_fail(len, "bdb_offset points inside the VBT header", IGDPT_VBT_BDB_OFFSET_OFFSET);
	igdpt_put_le32(buf + IGDPT_VBT_BDB_OFFSET_OFFSET, 0xFFFFFFFFu);
	expect_fail(len, "bdb_offset leaves no room for the BDB header", IGDPT_VBT_BDB_OFFSET_OFFSET);
	igdpt_put_le32(buf + IGDPT_VBT_BDB_OFFSET_OFFSET, (uint32_t)(len - 21));
	expect_fail(len, "bdb_offset leaves no room for the BDB header", IGDPT_VBT_BDB_OFFSET_OFFSET);
	/* Exactly room for the header: then the signature is checked there. */
	igdpt_put_le32(buf + IGDPT_VBT_BDB_OFFSET_OFFSET, (uint32_t)(len - 22));
	expect_fail(len, "BDB signature is not \"BIOS_DATA_BLOCK \"", len - 22);
}

static void test_bdb_header_errors(void **state)
{
	struct fx_vbt v;
	size_t len;

	(void)state;
	len = build_default(&v);
	buf[48 + 15] = 0; /* the trailing space of the signature */
	expect_fail(len, "BDB signature is not \"BIOS_DATA_BLOCK \"", 48);
	buf[48 + 15] = ' ';

	igdpt_put_le16(buf + 48 + IGDPT_BDB_HEADER_SIZE_OFFSET, 21);
	expect_fail(len, "BDB header_size out of range", 48 + IGDPT_BDB_HEADER_SIZE_OFFSET);
	igdpt_put_le16(buf + 48 + IGDPT_BDB_HEADER_SIZE_OFFSET, 0xFFFF);
	expect_fail(len, "BDB header_size out of range", 48 + IGDPT_BDB_HEADER_SIZE_OFFSET);
	igdpt_put_le16(buf + 48 + IGDPT_BDB_HEADER_SIZE_OFFSET, 22);

	igdpt_put_le16(buf + 48 + IGDPT_BDB_BDB_SIZE_OFFSET, 21);
	expect_fail(len, "bdb_size smaller than the BDB header", 48 + IGDPT_BDB_BDB_SIZE_OFFSET);
	igdpt_put_le16(buf + 48 + IGDPT_BDB_BDB_SIZE_OFFSET, (uint16_t)(len - 48 + 1));
	expect_fail(len, "bdb_size runs past vbt_size", 48 + IGDPT_BDB_BDB_SIZE_OFFSET);
	igdpt_put_le16(buf + 48 + IGDPT_BDB_BDB_SIZE_OFFSET, 0xFFFF);
	expect_fail(len, "bdb_size runs past vbt_size", 48 + IGDPT_BDB_BDB_SIZE_OFFSET);
	/* BDB header only: no blocks. */
	igdpt_put_le16(buf + 48 + IGDPT_BDB_BDB_SIZE_OFFSET, 22);
	expect_fail(len, "BDB holds no data blocks", 70);
}

static void test_block_errors(void **state)
{
	struct fx_vbt v;
	size_t len, at;

	(void)state;
	len = build_default(&v);
	at = fx_vbt_block_offset(&v, 2);
	igdpt_put_le16(buf + at + 1, 0xFFFF);
	expect_fail(len, "block runs past the end of the BDB", at);
	igdpt_put_le16(buf + at + 1, 0);
	expect_fail(len, "block has zero length", at);
	igdpt_put_le16(buf + at + 1, v.blocks[2].size);
	buf[at] = 0;
	expect_fail(len, "block id 0 is not a data block", at);
	buf[at] = v.blocks[2].id;

	/* A block that claims less: the next "header" lands in its payload. */
	igdpt_put_le16(buf + at + 1, 10);
	buf[at + 3 + 10] = 0xFF;
	igdpt_put_le16(buf + at + 3 + 10 + 1, 0xFFFF);
	expect_fail(len, "block runs past the end of the BDB", at + 13);

	/* The last block one byte too long with an exact bdb_size: no slack,
	 * because the slack byte must lie inside vbt_size. */
	len = build_default(&v);
	at = fx_vbt_block_offset(&v, 6);
	igdpt_put_le16(buf + at + 1, (uint16_t)(v.blocks[6].size + 1));
	expect_fail(len, "block runs past the end of the BDB", at);
}

static void test_truncated_block_header(void **state)
{
	struct fx_vbt v;
	size_t len, at;

	(void)state;
	fx_vbt_defaults(&v);
	at = fx_vbt_block_offset(&v, 3);
	for (size_t keep = 1; keep < 3; keep++) {
		long cut = (long)fx_vbt_chain_size(&v) - (long)(at - 48) - (long)keep;

		v.bdb_size_delta = (int)-cut;
		v.vbt_size_delta = (int)-cut;
		len = build(&v) - (size_t)cut;
		expect_fail(len, "truncated block header", at);
	}
	/* Cut inside the payload: the block runs past the BDB. */
	v.bdb_size_delta = -5;
	v.vbt_size_delta = -5;
	len = build(&v) - 5;
	expect_fail(len, "block runs past the end of the BDB", fx_vbt_block_offset(&v, 6));
}

static void test_no_blocks(void **state)
{
	struct fx_vbt v;
	size_t len;

	(void)state;
	fx_vbt_defaults(&v);
	v.block_count = 0;
	len = build(&v);
	expect_fail(len, "BDB holds no data blocks", 70);
	/* All-zero BDB body: zero padding, not blocks. */
	v.bdb_size_delta = 64;
	v.vbt_size_delta = 64;
	len = build(&v);
	expect_fail(len, "BDB holds no data blocks", 70);
}

static void test_every_prefix(void **state)
{
	struct igdpt_diag diag;
	struct igdpt_vbt vbt;
	struct fx_vbt v;
	size_t len;

	(void)state;
	fx_vbt_defaults(&v);
	v.mipi_v3 = true;
	v.mipi_v3_len = 40;
	v.bdb_size_short = true;
	len = build(&v);
	/* Every strict prefix is invalid and none is read past its end. */
	for (size_t n = 0; n < len; n++) {
		memset(&diag, 0, sizeof(diag));
		assert_int_equal(parse_exact(buf, n, &vbt, &diag), -IGDPT_EINVAL);
		assert_non_null(diag.reason);
		assert_true(diag.offset <= n);
	}
	memset(&diag, 0, sizeof(diag));
	assert_int_equal(parse_exact(buf, len, &vbt, &diag), 0);
}

static void test_diag_optional_and_accumulates(void **state)
{
	struct igdpt_diag diag = { .warnings = IGDPT_WARN_RESERVED_NONZERO };
	struct igdpt_vbt vbt;
	struct fx_vbt v;
	size_t len;

	(void)state;
	fx_vbt_defaults(&v);
	v.fix_checksum = false;
	len = build(&v);
	assert_int_equal(igdpt_vbt_parse(buf, len, &vbt, NULL), 0);
	assert_int_equal(igdpt_vbt_parse(buf, 10, &vbt, NULL), -IGDPT_EINVAL);
	assert_int_equal(igdpt_vbt_parse(buf, len, &vbt, &diag), 0);
	assert_int_equal(diag.warnings, IGDPT_WARN_RESERVED_NONZERO | IGDPT_WARN_VBT_CHECKSUM);
}

struct seen {
	unsigned count;
	uint8_t ids[32];
	size_t offsets[32];
};

static void record(const struct igdpt_vbt_block *blk, void *opaque)
{
	struct seen *s = opaque;

	assert_true(s->count < 32);
	s->ids[s->count] = blk->id;
	s->offsets[s->count] = blk->offset;
	s->count++;
}

static void test_walk_tolerant(void **state)
{
	struct seen s = { 0 };
	struct fx_vbt v;
	size_t len, at;

	(void)state;
	fx_vbt_defaults(&v);
	v.bdb_size_short = true;
	len = build(&v);
	assert_int_equal(igdpt_vbt_walk_tolerant(buf, len, record, &s), v.block_count);
	assert_int_equal(s.count, v.block_count);
	for (unsigned i = 0; i < v.block_count; i++) {
		assert_int_equal(s.ids[i], v.blocks[i].id);
		assert_int_equal(s.offsets[i], fx_vbt_block_offset(&v, i));
	}
	/* No callback is allowed too. */
	assert_int_equal(igdpt_vbt_walk_tolerant(buf, len, NULL, NULL), v.block_count);

	/* A broken block: the blocks before it are still shown. */
	at = fx_vbt_block_offset(&v, 4);
	igdpt_put_le16(buf + at + 1, 0x8800);
	memset(&s, 0, sizeof(s));
	assert_int_equal(igdpt_vbt_walk_tolerant(buf, len, record, &s), 4);
	assert_int_equal(s.count, 4);
	/* Without a "$VBT" signature too (decoders show what is there). */
	buf[0] = 'x';
	assert_int_equal(igdpt_vbt_walk_tolerant(buf, len, NULL, NULL), 4);

	/* Nothing to walk. */
	assert_int_equal(igdpt_vbt_walk_tolerant(buf, 47, record, &s), 0);
	igdpt_put_le32(buf + IGDPT_VBT_BDB_OFFSET_OFFSET, 0xFFFFFFFFu);
	assert_int_equal(igdpt_vbt_walk_tolerant(buf, len, record, &s), 0);
	igdpt_put_le32(buf + IGDPT_VBT_BDB_OFFSET_OFFSET, (uint32_t)len - 21);
	assert_int_equal(igdpt_vbt_walk_tolerant(buf, len, record, &s), 0);
	igdpt_put_le32(buf + IGDPT_VBT_BDB_OFFSET_OFFSET, 48);
	igdpt_put_le16(buf + 48 + IGDPT_BDB_HEADER_SIZE_OFFSET, 0);
	assert_int_equal(igdpt_vbt_walk_tolerant(buf, len, record, &s), 0);
}

static void test_walk_tolerant_clamps_to_buffer(void **state)
{
	struct fx_vbt v;
	size_t len;
	uint8_t *copy;

	(void)state;
	/* bdb_size past the buffer: the walk stops at the buffer's end. */
	len = build_default(&v);
	igdpt_put_le16(buf + 48 + IGDPT_BDB_BDB_SIZE_OFFSET, 0xFFFF);
	copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, buf, len);
	assert_int_equal(igdpt_vbt_walk_tolerant(copy, len, NULL, NULL), v.block_count);
	/* Cut in the middle of block 5's payload. */
	assert_int_equal(igdpt_vbt_walk_tolerant(copy, fx_vbt_block_offset(&v, 5) + 4, NULL, NULL),
			 5);
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_parses),
		cmocka_unit_test(test_iterate_and_find),
		cmocka_unit_test(test_find_first_of_duplicates),
		cmocka_unit_test(test_bdb_size_short_quirk),
		cmocka_unit_test(test_bdb_size_short_by_two),
		cmocka_unit_test(test_bdb_size_short_without_slack),
		cmocka_unit_test(test_checksum_warning),
		cmocka_unit_test(test_padding_and_trailing_data),
		cmocka_unit_test(test_bdb_zero_tail),
		cmocka_unit_test(test_child_dev_size),
		cmocka_unit_test(test_child_dev_size_table),
		cmocka_unit_test(test_mipi_v3),
		cmocka_unit_test(test_mipi_v3_not_last),
		cmocka_unit_test(test_mipi_v3_huge_length),
		cmocka_unit_test(test_mipi_v3_truncated_subheader),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_bdb_header_errors),
		cmocka_unit_test(test_block_errors),
		cmocka_unit_test(test_truncated_block_header),
		cmocka_unit_test(test_no_blocks),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_diag_optional_and_accumulates),
		cmocka_unit_test(test_walk_tolerant),
		cmocka_unit_test(test_walk_tolerant_clamps_to_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
