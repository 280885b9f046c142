/* SPDX-License-Identifier: MIT */
/* Unit tests: the reference VBT and OpRegion, and wrapping real-shaped VBTs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/abi/vbt_blocks.h"
#include "igdpt/build.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/opregion.h"
#include "igdpt/core/vbt.h"

#define BIG 0x8000u

static uint8_t buf[BIG];
static uint8_t vbt_buf[BIG];

static void test_parse_version(void **state)
{
	uint16_t v = 0;

	(void)state;
	assert_int_equal(igdpt_build_parse_version("2.0", &v), 0);
	assert_int_equal(v, IGDPT_BUILD_VERSION_2_0);
	assert_int_equal(igdpt_build_parse_version("2.1", &v), 0);
	assert_int_equal(v, 0x0201);
	assert_int_equal(igdpt_build_parse_version("3.0", &v), 0);
	assert_int_equal(v, 0x0300);
	assert_int_equal(igdpt_build_parse_version("2.2", &v), -IGDPT_EINVAL);
	assert_int_equal(igdpt_build_parse_version("", &v), -IGDPT_EINVAL);
	assert_int_equal(igdpt_build_parse_version("2.0x", &v), -IGDPT_EINVAL);
}

static void test_reference_vbt_valid(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_vbt vbt;
	size_t len = 0;

	(void)state;
	assert_int_equal(igdpt_build_reference_vbt(vbt_buf, sizeof(vbt_buf), &len), 0);
	assert_int_equal(igdpt_vbt_parse(vbt_buf, len, &vbt, &diag), 0);
	assert_int_equal(diag.warnings, 0); /* checksum right, bdb_size exact */
	assert_int_equal(vbt.vbt_size, len);
	assert_true(len <= IGDPT_MBOX4_SIZE);
	assert_int_equal(igdpt_bytes_sum8(vbt_buf, len), 0);
	assert_int_equal(vbt.bdb_version, IGDPT_BUILD_REFERENCE_BDB_VERSION);
	assert_int_equal(vbt.bdb_size, len - IGDPT_VBT_HEADER_SIZE);
	assert_int_equal(vbt.version, 100);
	assert_memory_equal(vbt.signature, "$VBT KABYLAKE       ", 20);
	assert_int_equal(vbt.blocks_end, len);
}

static void test_reference_vbt_blocks(void **state)
{
	static const uint8_t expected[] = { 254, 1, 2, 12, 27, 40, 41, 42, 43, 44 };
	struct igdpt_vbt_block blk;
	struct igdpt_vbt vbt;
	size_t cursor = 0, len = 0;
	unsigned n = 0;

	(void)state;
	assert_int_equal(igdpt_build_reference_vbt(vbt_buf, sizeof(vbt_buf), &len), 0);
	assert_int_equal(igdpt_vbt_parse(vbt_buf, len, &vbt, NULL), 0);
	while (igdpt_vbt_next_block(&vbt, &cursor, &blk)) {
		assert_true(n < sizeof(expected));
		assert_int_equal(blk.id, expected[n]);
		n++;
	}
	assert_int_equal(n, sizeof(expected));
	/* Sizes real BDB 221 firmware ships (no "min size" complaints). */
	assert_true(igdpt_vbt_find_block(&vbt, IGDPT_BDB_EDP, &blk));
	assert_int_equal(blk.size, 748);
	assert_true(igdpt_vbt_find_block(&vbt, IGDPT_BDB_LFP_DATA, &blk));
	assert_int_equal(blk.size, 1298);
	assert_true(igdpt_vbt_find_block(&vbt, IGDPT_BDB_LFP_DATA_PTRS, &blk));
	assert_int_equal(blk.size, 148);
}

static void test_reference_children(void **state)
{
	static const struct {
		uint16_t handle, type;
		uint8_t port, aux, ddc;
	} want[] = {
		{ 0x0008, 0x78C6, 10, 0x40, 0 }, /* eDP, DDI A */
		{ 0x0004, 0x60D6, 7, 0x10, 5 },  /* DP++ B */
		{ 0x0040, 0x60D2, 2, 0x00, 4 },  /* HDMI C */
		{ 0x0020, 0x60D6, 9, 0x30, 6 },  /* DP++ D */
	};
	struct igdpt_vbt_block blk;
	struct igdpt_vbt vbt;
	size_t len = 0;
	unsigned size;

	(void)state;
	assert_int_equal(igdpt_build_reference_vbt(vbt_buf, sizeof(vbt_buf), &len), 0);
	assert_int_equal(igdpt_vbt_parse(vbt_buf, len, &vbt, NULL), 0);
	assert_true(igdpt_vbt_find_block(&vbt, IGDPT_BDB_GENERAL_DEFINITIONS, &blk));
	size = blk.data[IGDPT_GENDEF_CHILD_DEV_SIZE_OFFSET];
	assert_int_equal(size, igdpt_vbt_child_dev_size(221));
	assert_int_equal(size, 39);
	assert_int_equal(blk.size, IGDPT_GENDEF_CHILD_DEVS_OFFSET + 4 * size);
	for (unsigned i = 0; i < 4; i++) {
		const uint8_t *c = blk.data + IGDPT_GENDEF_CHILD_DEVS_OFFSET + i * size;

		assert_int_equal(igdpt_le16(c + IGDPT_CHILD_HANDLE_OFFSET), want[i].handle);
		assert_int_equal(igdpt_le16(c + IGDPT_CHILD_DEVICE_TYPE_OFFSET), want[i].type);
		assert_int_equal(c[IGDPT_CHILD_DVO_PORT_OFFSET], want[i].port);
		assert_int_equal(c[IGDPT_CHILD_AUX_CHANNEL_OFFSET], want[i].aux);
		assert_int_equal(c[IGDPT_CHILD_DDC_PIN_OFFSET], want[i].ddc);
		assert_true(c[IGDPT_CHILD_CAPABILITIES_OFFSET] & IGDPT_CHILD_INTEGRATED_ENCODER);
	}
}

/* Block 41's pointers must describe block 42 the way i915's
 * validate_lfp_data_ptrs() demands: uniform entries, terminators in place. */
static void test_reference_lfp_tables(void **state)
{
	struct igdpt_vbt_block ptrs, data;
	struct igdpt_vbt vbt;
	size_t len = 0, data_bdb;

	(void)state;
	assert_int_equal(igdpt_build_reference_vbt(vbt_buf, sizeof(vbt_buf), &len), 0);
	assert_int_equal(igdpt_vbt_parse(vbt_buf, len, &vbt, NULL), 0);
	assert_true(igdpt_vbt_find_block(&vbt, IGDPT_BDB_LFP_DATA_PTRS, &ptrs));
	assert_true(igdpt_vbt_find_block(&vbt, IGDPT_BDB_LFP_DATA, &data));
	data_bdb = (size_t)(data.data - vbt_buf) - vbt.bdb_offset;
	assert_int_equal(ptrs.data[0], 3);
	for (unsigned i = 0; i < 16; i++) {
		const uint8_t *p = ptrs.data + 1 + i * 9;
		size_t fp = igdpt_le16(p) - data_bdb;

		assert_int_equal(fp, i * 66);
		assert_int_equal(p[2], 32);
		assert_int_equal(igdpt_le16(p + 3) - data_bdb, fp + 38);
		assert_int_equal(p[5], 18);
		assert_int_equal(igdpt_le16(p + 6) - data_bdb, fp + 56);
		assert_int_equal(p[8], 10);
		assert_int_equal(igdpt_le16(data.data + fp + 36), 0xFFFF);
		/* 1920x1080, 148.5 MHz */
		assert_int_equal(igdpt_le16(data.data + fp), 1920);
		assert_int_equal(igdpt_le16(data.data + fp + 2), 1080);
		assert_int_equal(igdpt_le16(data.data + fp + 38), 14850);
	}
	assert_int_equal(igdpt_le16(ptrs.data + 145) - data_bdb, 16 * 66);
	assert_int_equal(ptrs.data[147], 13);
}

static void test_reference_versions(void **state)
{
	static const struct {
		uint16_t version;
		uint8_t major, minor;
		uint32_t mbox;
	} cases[] = {
		{ IGDPT_BUILD_VERSION_2_0, 2, 0, 0x1F },
		{ IGDPT_BUILD_VERSION_2_1, 2, 1, 0x1F },
		{ IGDPT_BUILD_VERSION_3_0, 3, 0, 0x3D },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct igdpt_diag diag = { 0 };
		struct igdpt_opregion op;
		size_t len = 0;

		memset(buf, 0xAA, sizeof(buf));
		assert_int_equal(igdpt_build_reference(cases[i].version, buf, sizeof(buf), &len, &diag), 0);
		assert_int_equal(len, IGDPT_OPREGION_BASE_SIZE);
		assert_int_equal(igdpt_opregion_parse(buf, len, &op, &diag), 0);
		assert_int_equal(diag.warnings, 0);
		assert_int_equal(op.major, cases[i].major);
		assert_int_equal(op.minor, cases[i].minor);
		assert_int_equal(op.mbox, cases[i].mbox);
		assert_int_equal(op.size_kib, 8);
		assert_int_equal(op.vbt_source, IGDPT_VBT_SOURCE_MAILBOX4);
		assert_int_equal(op.rvda, 0);
		assert_int_equal(op.rvds, 0);
		assert_int_equal(igdpt_le32(buf + IGDPT_MBOX1_CLID_OFFSET), 1);
		assert_memory_equal(buf + IGDPT_OPREGION_SVER_OFFSET, "igdpt", 5);
		assert_memory_equal(buf + IGDPT_OPREGION_VVER_OFFSET, "igdpt", 5);
		assert_memory_equal(buf + IGDPT_OPREGION_GVER_OFFSET, "igdpt", 5);
		/* DVER is UTF-16LE, as coreboot, SBL and real dumps have it. */
		assert_memory_equal(buf + IGDPT_OPREGION_DVER_OFFSET, "i\0g\0d\0p\0t\0", 10);
		assert_true(igdpt_bytes_all_zero(buf + IGDPT_MBOX5_OFFSET, IGDPT_MBOX5_SIZE));
		assert_true(igdpt_bytes_all_zero(buf + IGDPT_OPREGION_HDR_RSVD_OFFSET,
						 IGDPT_OPREGION_HDR_RSVD_SIZE));
	}
}

static void test_reference_bclm(void **state)
{
	/* coreboot's table: bit 15 valid, percent, duty. */
	static const uint16_t want[11] = { 0x8000, 0x8A19, 0x9433, 0x9E4C, 0xA866, 0xB27F,
					   0xBC99, 0xC6B2, 0xD0CC, 0xDAE5, 0xE4FF };
	size_t len = 0;

	(void)state;
	assert_int_equal(igdpt_build_reference(IGDPT_BUILD_VERSION_2_0, buf, sizeof(buf), &len, NULL), 0);
	for (unsigned i = 0; i < IGDPT_MBOX3_BCLM_COUNT; i++)
		assert_int_equal(igdpt_le16(buf + IGDPT_MBOX3_BCLM_OFFSET + 2 * i),
				 i < 11 ? want[i] : 0);
	assert_int_equal(igdpt_le32(buf + IGDPT_MBOX3_CBLV_OFFSET), 0x80000064u);
}

static void test_reference_enospc_and_bad_version(void **state)
{
	struct igdpt_diag diag = { 0 };
	size_t len = 0;

	(void)state;
	assert_int_equal(igdpt_build_reference(IGDPT_BUILD_VERSION_2_0, NULL, 0, &len, &diag),
			 -IGDPT_ENOSPC);
	assert_int_equal(len, IGDPT_OPREGION_BASE_SIZE);
	memset(buf, 0xAA, sizeof(buf));
	assert_int_equal(igdpt_build_reference(IGDPT_BUILD_VERSION_2_0, buf, 100, &len, &diag),
			 -IGDPT_ENOSPC);
	assert_int_equal(buf[0], 0xAA);
	assert_int_equal(igdpt_build_reference(0x0202, buf, sizeof(buf), &len, &diag), -IGDPT_EINVAL);
	assert_non_null(diag.reason);
	assert_int_equal(buf[0], 0xAA);
	assert_int_equal(igdpt_build_reference_vbt(vbt_buf, 10, &len), -IGDPT_ENOSPC);
	assert_true(len > 10);
}

/* A fixture VBT of exactly `size` bytes (its last block stretched). */
static size_t vbt_of_size(size_t size, uint8_t *out, size_t cap)
{
	struct fx_vbt v;
	size_t now;

	fx_vbt_defaults(&v);
	v.fix_checksum = true;
	now = v.bdb_offset + fx_vbt_chain_size(&v);
	v.blocks[v.block_count - 1].size = (uint16_t)(v.blocks[v.block_count - 1].size + size - now);
	return fx_vbt_build(&v, out, cap);
}

static void test_wrap_mailbox4(void **state)
{
	static const uint16_t versions[] = { IGDPT_BUILD_VERSION_2_0, IGDPT_BUILD_VERSION_2_1,
					     IGDPT_BUILD_VERSION_3_0 };

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		size_t vlen = vbt_of_size(IGDPT_MBOX4_SIZE, vbt_buf, sizeof(vbt_buf));
		struct igdpt_diag diag = { 0 };
		struct igdpt_opregion op;
		size_t len = 0;

		assert_int_equal(vlen, IGDPT_MBOX4_SIZE);
		assert_int_equal(igdpt_build_wrap_vbt(vbt_buf, vlen, versions[k], buf, sizeof(buf),
						      &len, &diag), 0);
		assert_int_equal(len, IGDPT_OPREGION_BASE_SIZE);
		assert_memory_equal(buf + IGDPT_MBOX4_OFFSET, vbt_buf, vlen);
		assert_int_equal(igdpt_opregion_parse(buf, len, &op, NULL), 0);
		assert_int_equal(op.vbt_source, IGDPT_VBT_SOURCE_MAILBOX4);
		assert_true(op.mbox & IGDPT_MBOX_ASLE_EXT);
		assert_int_equal(op.rvda, 0);
	}
}

static void test_wrap_extended(void **state)
{
	size_t vlen = vbt_of_size(IGDPT_MBOX4_SIZE + 1, vbt_buf, sizeof(vbt_buf));
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	size_t len = 0;

	(void)state;
	assert_int_equal(vlen, IGDPT_MBOX4_SIZE + 1);
	assert_int_equal(igdpt_build_wrap_vbt(vbt_buf, vlen, IGDPT_BUILD_VERSION_2_1, buf,
					      sizeof(buf), &len, &diag), 0);
	assert_int_equal(len, IGDPT_OPREGION_BASE_SIZE + fx_align(vlen, 512));
	assert_int_equal(igdpt_le64(buf + IGDPT_MBOX3_RVDA_OFFSET), 0x2000);
	assert_int_equal(igdpt_le32(buf + IGDPT_MBOX3_RVDS_OFFSET), fx_align(vlen, 512));
	assert_memory_equal(buf + 0x2000, vbt_buf, vlen);
	assert_true(igdpt_bytes_all_zero(buf + 0x2000 + vlen, len - 0x2000 - vlen));
	assert_true(igdpt_bytes_all_zero(buf + IGDPT_MBOX4_OFFSET, IGDPT_MBOX4_SIZE));
	assert_int_equal(igdpt_opregion_parse(buf, len, &op, NULL), 0);
	assert_int_equal(op.vbt_source, IGDPT_VBT_SOURCE_RVDA);
	assert_int_equal(op.major, 2);
	assert_int_equal(op.minor, 1);

	/* 3.0 as well; a 512-aligned size gets no extra padding. */
	vlen = vbt_of_size(7 * 1024, vbt_buf, sizeof(vbt_buf));
	assert_int_equal(igdpt_build_wrap_vbt(vbt_buf, vlen, IGDPT_BUILD_VERSION_3_0, buf,
					      sizeof(buf), &len, NULL), 0);
	assert_int_equal(len, 0x2000 + 7 * 1024);
	assert_int_equal(igdpt_opregion_parse(buf, len, &op, NULL), 0);
	assert_int_equal(op.vbt_source, IGDPT_VBT_SOURCE_RVDA);
}

static void test_wrap_refuses_2_0_large(void **state)
{
	size_t vlen = vbt_of_size(IGDPT_MBOX4_SIZE + 1, vbt_buf, sizeof(vbt_buf));
	struct igdpt_diag diag = { 0 };
	size_t len = 0;

	(void)state;
	memset(buf, 0xAA, sizeof(buf));
	assert_int_equal(igdpt_build_wrap_vbt(vbt_buf, vlen, IGDPT_BUILD_VERSION_2_0, buf,
					      sizeof(buf), &len, &diag), -IGDPT_EINVAL);
	assert_non_null(diag.reason);
	assert_non_null(strstr(diag.reason, "2.1"));
	assert_int_equal(buf[0], 0xAA);
	assert_int_equal(buf[sizeof(buf) - 1], 0xAA);
}

static void test_wrap_invalid_and_enospc(void **state)
{
	struct igdpt_diag diag = { 0 };
	size_t vlen, len = 0;

	(void)state;
	vlen = vbt_of_size(2000, vbt_buf, sizeof(vbt_buf));
	assert_int_equal(igdpt_build_wrap_vbt(vbt_buf, vlen, IGDPT_BUILD_VERSION_2_0, NULL, 0,
					      &len, &diag), -IGDPT_ENOSPC);
	assert_int_equal(len, IGDPT_OPREGION_BASE_SIZE);

	vbt_buf[0] = 'X';
	assert_int_equal(igdpt_build_wrap_vbt(vbt_buf, vlen, IGDPT_BUILD_VERSION_2_0, buf,
					      sizeof(buf), &len, &diag), -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "VBT signature is not \"$VBT\"");
	assert_int_equal(diag.offset, 0);
	assert_int_equal(igdpt_build_wrap_vbt(vbt_buf, 0, IGDPT_BUILD_VERSION_2_0, buf,
					      sizeof(buf), &len, &diag), -IGDPT_EINVAL);
	assert_int_equal(igdpt_build_wrap_vbt(vbt_buf, vlen, 0x0105, buf, sizeof(buf), &len,
					      &diag), -IGDPT_EINVAL);
}

/* Only vbt_size bytes travel: junk after the VBT in a file stays behind. */
static void test_wrap_trailing_junk(void **state)
{
	size_t vlen = vbt_of_size(3000, vbt_buf, sizeof(vbt_buf));
	struct igdpt_diag diag = { 0 };
	size_t len = 0;

	(void)state;
	memset(vbt_buf + vlen, 0x90, 1000);
	assert_int_equal(igdpt_build_wrap_vbt(vbt_buf, vlen + 1000, IGDPT_BUILD_VERSION_2_0, buf,
					      sizeof(buf), &len, &diag), 0);
	/* Warnings describe the image, which carries no junk. */
	assert_false(diag.warnings & IGDPT_WARN_TRAILING_DATA);
	assert_memory_equal(buf + IGDPT_MBOX4_OFFSET, vbt_buf, vlen);
	assert_true(igdpt_bytes_all_zero(buf + IGDPT_MBOX4_OFFSET + vlen, IGDPT_MBOX4_SIZE - vlen));
	diag = (struct igdpt_diag){ 0 };
	assert_int_equal(igdpt_opregion_parse(buf, len, &(struct igdpt_opregion){ 0 }, &diag), 0);
	assert_false(diag.warnings & IGDPT_WARN_TRAILING_DATA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_version),
		cmocka_unit_test(test_reference_vbt_valid),
		cmocka_unit_test(test_reference_vbt_blocks),
		cmocka_unit_test(test_reference_children),
		cmocka_unit_test(test_reference_lfp_tables),
		cmocka_unit_test(test_reference_versions),
		cmocka_unit_test(test_reference_bclm),
		cmocka_unit_test(test_reference_enospc_and_bad_version),
		cmocka_unit_test(test_wrap_mailbox4),
		cmocka_unit_test(test_wrap_extended),
		cmocka_unit_test(test_wrap_refuses_2_0_large),
		cmocka_unit_test(test_wrap_invalid_and_enospc),
		cmocka_unit_test(test_wrap_trailing_junk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
