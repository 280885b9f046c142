/* SPDX-License-Identifier: MIT */
/* Unit tests: OpRegion header checks, VBT location (mailbox 4 / RVDA) and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/opregion.h"

#define IMG_SIZE 32768u

static uint8_t vbt[16384], img[IMG_SIZE];
static size_t vbt_len;

static size_t build_small_vbt(void)
{
	struct fx_vbt v;

	fx_vbt_defaults(&v);
	vbt_len = fx_vbt_build(&v, vbt, sizeof(vbt));
	assert_true(vbt_len > 0);
	return vbt_len;
}

static size_t build_large_vbt(void)
{
	struct fx_vbt v;

	fx_vbt_defaults_large(&v);
	vbt_len = fx_vbt_build(&v, vbt, sizeof(vbt));
	assert_true(vbt_len > IGDPT_MBOX4_SIZE);
	return vbt_len;
}

/* A 2.0 OpRegion with the small VBT in mailbox 4. */
static size_t build_mbox4(struct fx_opregion *o)
{
	size_t len;

	build_small_vbt();
	fx_opregion_defaults(o);
	o->mbox4 = vbt;
	o->mbox4_len = vbt_len;
	len = fx_opregion_build(o, img, sizeof(img));
	assert_true(len > 0);
	return len;
}

/* A 2.1 OpRegion with the large VBT at RVDA 0x2000, as coreboot builds it. */
static size_t build_rvda(struct fx_opregion *o, uint8_t major, uint8_t minor)
{
	size_t len;

	build_large_vbt();
	fx_opregion_defaults(o);
	o->major = major;
	o->minor = minor;
	o->rvda = IGDPT_OPREGION_EXT_VBT_OFFSET;
	o->rvds = (uint32_t)fx_align(vbt_len, IGDPT_OPREGION_RVDS_ALIGN);
	o->ext = vbt;
	o->ext_len = vbt_len;
	o->ext_at = IGDPT_OPREGION_EXT_VBT_OFFSET;
	o->len = IGDPT_OPREGION_EXT_VBT_OFFSET + o->rvds;
	len = fx_opregion_build(o, img, sizeof(img));
	assert_true(len > 0);
	return len;
}

static int parse_exact(const uint8_t *data, size_t len, struct igdpt_opregion *op,
		       struct igdpt_diag *diag)
{
	uint8_t *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, data, len);
	ret = igdpt_opregion_parse(copy, len, op, diag);
	free(copy);
	return ret;
}

static void expect_fail(size_t len, const char *reason, size_t offset)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;

	memset(&op, 0xA5, sizeof(op));
	assert_int_equal(parse_exact(img, len, &op, &diag), -IGDPT_EINVAL);
	assert_non_null(diag.reason);
	assert_string_equal(diag.reason, reason);
	assert_int_equal(diag.offset, offset);
	for (size_t i = 0; i < sizeof(op); i++)
		assert_int_equal(((const uint8_t *)&op)[i], 0xA5);
}

static void test_mailbox4(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	struct fx_opregion o;
	size_t len = build_mbox4(&o);

	(void)state;
	assert_int_equal(len, IGDPT_OPREGION_BASE_SIZE);
	assert_int_equal(igdpt_opregion_parse(img, len, &op, &diag), 0);
	assert_null(diag.reason);
	assert_ptr_equal(op.data, img);
	assert_int_equal(op.len, len);
	assert_int_equal(op.size_kib, 8);
	assert_int_equal(op.major, 2);
	assert_int_equal(op.minor, 0);
	assert_int_equal(op.mbox, o.mbox);
	assert_int_equal(op.rvda, 0);
	assert_int_equal(op.rvds, 0);
	assert_int_equal(op.vbt_source, IGDPT_VBT_SOURCE_MAILBOX4);
	assert_int_equal(op.vbt_offset, IGDPT_MBOX4_OFFSET);
	assert_int_equal(op.vbt_window, IGDPT_MBOX4_SIZE);
	assert_int_equal(op.vbt.vbt_size, vbt_len);
	assert_ptr_equal(op.vbt.data, img + IGDPT_MBOX4_OFFSET);
	assert_int_equal(op.warnings, 0);
	assert_int_equal(diag.warnings, 0);

	/* Without mailbox 5, i915 gives the VBT 7 KiB. */
	o.mbox &= ~IGDPT_MBOX_ASLE_EXT;
	len = fx_opregion_build(&o, img, sizeof(img));
	assert_int_equal(igdpt_opregion_parse(img, len, &op, &diag), 0);
	assert_int_equal(op.vbt_window, IGDPT_MBOX4_SIZE_NO_ASLE_EXT);
}

static void test_no_vbt(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	struct fx_opregion o;
	size_t len;

	(void)state;
	fx_opregion_defaults(&o);
	len = fx_opregion_build(&o, img, sizeof(img));
	assert_int_equal(igdpt_opregion_parse(img, len, &op, &diag), 0);
	assert_int_equal(op.vbt_source, IGDPT_VBT_SOURCE_NONE);
	/* Valid, but named: i915 would look in the PCI ROM next. */
	assert_int_equal(op.warnings, IGDPT_WARN_NO_VBT);
	assert_int_equal(diag.warnings, IGDPT_WARN_NO_VBT);
	assert_non_null(strstr(igdpt_warning_text(IGDPT_WARN_NO_VBT), "PCI ROM"));
}

static void test_vbt_spills_into_mailbox5(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	struct fx_opregion o;
	size_t len;

	(void)state;
	build_large_vbt();
	assert_true(vbt_len <= IGDPT_MBOX4_SIZE_NO_ASLE_EXT);
	fx_opregion_defaults(&o);
	o.mbox4 = vbt;
	o.mbox4_len = vbt_len;
	/* With mailbox 5 the 6 KiB window cuts the VBT: i915 rejects it. */
	len = fx_opregion_build(&o, img, sizeof(img));
	expect_fail(len, "vbt_size runs past the end of the data",
		    IGDPT_MBOX4_OFFSET + IGDPT_VBT_VBT_SIZE_OFFSET);
	/* Without, it fits in 7 KiB and is accepted, with a warning. */
	o.mbox &= ~IGDPT_MBOX_ASLE_EXT;
	len = fx_opregion_build(&o, img, sizeof(img));
	assert_int_equal(igdpt_opregion_parse(img, len, &op, &diag), 0);
	assert_true(op.warnings & IGDPT_WARN_VBT_SPILLS_MBOX5);
	assert_int_equal(op.vbt_window, IGDPT_MBOX4_SIZE_NO_ASLE_EXT);
}

static void test_header_warnings(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	struct fx_opregion o;
	size_t len;

	(void)state;
	len = build_mbox4(&o);
	igdpt_put_le32(img + IGDPT_OPREGION_SIZE_OFFSET, 16);
	assert_int_equal(igdpt_opregion_parse(img, len, &op, &diag), 0);
	assert_int_equal(op.warnings, IGDPT_WARN_OPREGION_SIZE_FIELD);
	igdpt_put_le32(img + IGDPT_OPREGION_SIZE_OFFSET, 8);

	img[IGDPT_OPREGION_HDR_SIZE - 1] = 1;
	assert_int_equal(igdpt_opregion_parse(img, len, &op, &diag), 0);
	assert_int_equal(op.warnings, IGDPT_WARN_RESERVED_NONZERO);
	img[IGDPT_OPREGION_HDR_SIZE - 1] = 0;

	igdpt_put_le32(img + IGDPT_OPREGION_MBOX_OFFSET, o.mbox & ~IGDPT_MBOX_VBT);
	assert_int_equal(igdpt_opregion_parse(img, len, &op, &diag), 0);
	assert_int_equal(op.warnings, IGDPT_WARN_MBOX_VBT_BIT);
	igdpt_put_le32(img + IGDPT_OPREGION_MBOX_OFFSET, o.mbox);

	img[IGDPT_OPREGION_OVER_MAJOR_OFFSET] = 3;
	assert_int_equal(igdpt_opregion_parse(img, len, &op, &diag), 0);
	assert_int_equal(op.warnings, IGDPT_WARN_SWSCI_ON_V3);
	assert_int_equal(op.major, 3);

	/* VBT warnings are the OpRegion's too. */
	img[IGDPT_OPREGION_OVER_MAJOR_OFFSET] = 2;
	img[IGDPT_MBOX4_OFFSET + IGDPT_VBT_CHECKSUM_OFFSET] ^= 1;
	memset(&diag, 0, sizeof(diag));
	assert_int_equal(igdpt_opregion_parse(img, len, &op, &diag), 0);
	assert_int_equal(op.warnings, IGDPT_WARN_VBT_CHECKSUM);
	assert_int_equal(op.vbt.warnings, IGDPT_WARN_VBT_CHECKSUM);
	assert_int_equal(diag.warnings, IGDPT_WARN_VBT_CHECKSUM);
}

static void test_header_errors(void **state)
{
	struct fx_opregion o;
	size_t len;

	(void)state;
	len = build_mbox4(&o);
	expect_fail(0, "OpRegion shorter than its 8 KiB base region", 0);
	expect_fail(len - 1, "OpRegion shorter than its 8 KiB base region", len - 1);
	img[13] = 'm';
	expect_fail(len, "OpRegion signature is not \"IntelGraphicsMem\"", 0);
	img[13] = 'M';
	igdpt_put_le32(img + IGDPT_OPREGION_SIZE_OFFSET, 0);
	expect_fail(len, "OpRegion SIZE is 0 KiB (vfio-pci refuses it)", IGDPT_OPREGION_SIZE_OFFSET);
	igdpt_put_le32(img + IGDPT_OPREGION_SIZE_OFFSET, 8);
	img[IGDPT_OPREGION_OVER_MAJOR_OFFSET] = 0;
	expect_fail(len, "OpRegion major version is 0", IGDPT_OPREGION_OVER_MAJOR_OFFSET);
}

static void test_every_short_prefix(void **state)
{
	struct igdpt_diag diag;
	struct igdpt_opregion op;
	struct fx_opregion o;
	size_t len = build_mbox4(&o);

	(void)state;
	/* Structure boundaries: header, each mailbox, one short of 8 KiB. */
	static const size_t cuts[] = { 1, 15, 16, IGDPT_OPREGION_HDR_SIZE, IGDPT_MBOX2_OFFSET,
				       IGDPT_MBOX3_OFFSET, IGDPT_MBOX3_RVDA_OFFSET,
				       IGDPT_MBOX4_OFFSET, IGDPT_MBOX5_OFFSET,
				       IGDPT_OPREGION_BASE_SIZE - 1 };

	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		memset(&diag, 0, sizeof(diag));
		assert_int_equal(parse_exact(img, cuts[i], &op, &diag), -IGDPT_EINVAL);
		assert_string_equal(diag.reason, "OpRegion shorter than its 8 KiB base region");
		assert_int_equal(diag.offset, cuts[i]);
	}
	assert_int_equal(parse_exact(img, len, &op, &diag), 0);
}

static void test_mailbox4_errors(void **state)
{
	struct fx_opregion o;
	size_t len;

	(void)state;
	len = build_mbox4(&o);
	img[IGDPT_MBOX4_OFFSET] = 'X';
	expect_fail(len, "mailbox 4 holds data but no \"$VBT\" signature", IGDPT_MBOX4_OFFSET);
	img[IGDPT_MBOX4_OFFSET] = '$';
	/* Stray bytes deep in an otherwise empty mailbox 4 count as data. */
	memset(img + IGDPT_MBOX4_OFFSET, 0, IGDPT_MBOX4_SIZE);
	img[IGDPT_MBOX5_OFFSET - 1] = 1;
	expect_fail(len, "mailbox 4 holds data but no \"$VBT\" signature", IGDPT_MBOX4_OFFSET);

	/* A broken VBT: the VBT parser's reason, offset from the base. */
	len = build_mbox4(&o);
	img[IGDPT_MBOX4_OFFSET + 48] = 'b';
	expect_fail(len, "BDB signature is not \"BIOS_DATA_BLOCK \"", IGDPT_MBOX4_OFFSET + 48);
}

static void test_rvda(void **state)
{
	static const uint8_t versions[][2] = { { 2, 1 }, { 2, 2 }, { 3, 0 }, { 3, 1 } };
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	struct fx_opregion o;
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		len = build_rvda(&o, versions[i][0], versions[i][1]);
		assert_int_equal(igdpt_opregion_parse(img, len, &op, &diag), 0);
		assert_int_equal(op.vbt_source, IGDPT_VBT_SOURCE_RVDA);
		assert_int_equal(op.rvda, IGDPT_OPREGION_EXT_VBT_OFFSET);
		assert_int_equal(op.rvds, o.rvds);
		assert_int_equal(op.vbt_offset, IGDPT_OPREGION_EXT_VBT_OFFSET);
		assert_int_equal(op.vbt_window, o.rvds);
		assert_int_equal(op.vbt.vbt_size, vbt_len);
		/* The defaults announce SWSCI, which 3.x no longer has. */
		assert_int_equal(op.warnings, IGDPT_WARN_BDB_SIZE_SHORT |
					      (op.major >= 3 ? IGDPT_WARN_SWSCI_ON_V3 : 0));
	}

	/* Anywhere past the base region will do, aligned or not. */
	fx_opregion_defaults(&o);
	o.major = 2;
	o.minor = 1;
	o.rvda = IGDPT_OPREGION_EXT_VBT_OFFSET + 0x201;
	o.rvds = (uint32_t)vbt_len;
	o.ext = vbt;
	o.ext_len = vbt_len;
	o.ext_at = (size_t)o.rvda;
	len = fx_opregion_build(&o, img, sizeof(img));
	assert_int_equal(igdpt_opregion_parse(img, len, &op, &diag), 0);
	assert_int_equal(op.vbt_offset, o.rvda);
}

/* The OpRegion ends at 8 KiB, or at RVDA + RVDS: bytes past that (a dump
 * padded to a page, zeros to 16 MiB) are a warning, never part of it. */
static void test_extent_and_trailing(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	struct fx_opregion o;
	size_t len;

	(void)state;
	len = build_mbox4(&o);
	assert_int_equal(igdpt_opregion_parse(img, len, &op, &diag), 0);
	assert_int_equal(igdpt_opregion_extent(&op), IGDPT_OPREGION_BASE_SIZE);
	assert_false(op.warnings & IGDPT_WARN_OPREGION_TRAILING);
	memset(img + len, 0, 0x1000);
	assert_int_equal(igdpt_opregion_parse(img, len + 1, &op, &diag), 0);
	assert_true(op.warnings & IGDPT_WARN_OPREGION_TRAILING);
	assert_true(diag.warnings & IGDPT_WARN_OPREGION_TRAILING);
	assert_int_equal(igdpt_opregion_extent(&op), IGDPT_OPREGION_BASE_SIZE);

	len = build_rvda(&o, 2, 1);
	diag = (struct igdpt_diag){ 0 };
	assert_int_equal(igdpt_opregion_parse(img, len, &op, &diag), 0);
	assert_int_equal(igdpt_opregion_extent(&op), IGDPT_OPREGION_EXT_VBT_OFFSET + o.rvds);
	assert_false(op.warnings & IGDPT_WARN_OPREGION_TRAILING);
	assert_true(len + 512 <= sizeof(img));
	memset(img + len, 0xEE, 512);
	assert_int_equal(igdpt_opregion_parse(img, len + 512, &op, &diag), 0);
	assert_true(op.warnings & IGDPT_WARN_OPREGION_TRAILING);
	assert_int_equal(igdpt_opregion_extent(&op), len);
}

static void test_rvda_errors(void **state)
{
	struct fx_opregion o;
	size_t len;

	(void)state;
	len = build_rvda(&o, 2, 1);

	igdpt_put_le32(img + IGDPT_MBOX3_RVDS_OFFSET, 0);
	expect_fail(len, "RVDA and RVDS must be both set or both zero", IGDPT_MBOX3_RVDS_OFFSET);
	igdpt_put_le32(img + IGDPT_MBOX3_RVDS_OFFSET, o.rvds);
	igdpt_put_le64(img + IGDPT_MBOX3_RVDA_OFFSET, 0);
	expect_fail(len, "RVDA and RVDS must be both set or both zero", IGDPT_MBOX3_RVDA_OFFSET);
	igdpt_put_le64(img + IGDPT_MBOX3_RVDA_OFFSET, o.rvda);

	img[IGDPT_OPREGION_OVER_MAJOR_OFFSET] = 1;
	img[IGDPT_OPREGION_OVER_MINOR_OFFSET] = 9;
	expect_fail(len, "RVDA set on an OpRegion older than 2.0", IGDPT_MBOX3_RVDA_OFFSET);
	img[IGDPT_OPREGION_OVER_MAJOR_OFFSET] = 2;
	img[IGDPT_OPREGION_OVER_MINOR_OFFSET] = 0;
	expect_fail(len, "version 2.0 RVDA is a host physical address (run igdpt prepare)",
		    IGDPT_MBOX3_RVDA_OFFSET);
	img[IGDPT_OPREGION_OVER_MINOR_OFFSET] = 1;

	igdpt_put_le32(img + IGDPT_OPREGION_MBOX_OFFSET, o.mbox & ~IGDPT_MBOX_ASLE);
	expect_fail(len, "RVDA set but the ASLE mailbox (MBOX bit 2) that holds it is absent",
		    IGDPT_OPREGION_MBOX_OFFSET);
	igdpt_put_le32(img + IGDPT_OPREGION_MBOX_OFFSET, o.mbox);

	static const uint64_t inside[] = { 1, IGDPT_MBOX4_OFFSET, IGDPT_OPREGION_BASE_SIZE - 1 };
	for (size_t i = 0; i < sizeof(inside) / sizeof(inside[0]); i++) {
		igdpt_put_le64(img + IGDPT_MBOX3_RVDA_OFFSET, inside[i]);
		expect_fail(len, "RVDA points inside the 8 KiB base region", IGDPT_MBOX3_RVDA_OFFSET);
	}
	static const uint64_t outside[] = { 0, FX_HOST_PHYS_ADDR, UINT64_MAX, 0x100000000ull };
	for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		igdpt_put_le64(img + IGDPT_MBOX3_RVDA_OFFSET, outside[i] ? outside[i] : len);
		expect_fail(len, "RVDA points past the end of the image", IGDPT_MBOX3_RVDA_OFFSET);
	}
	igdpt_put_le64(img + IGDPT_MBOX3_RVDA_OFFSET, o.rvda);

	/* RVDS overflow, and one byte too many. */
	igdpt_put_le32(img + IGDPT_MBOX3_RVDS_OFFSET, 0xFFFFFFFFu);
	expect_fail(len, "RVDS runs past the end of the image", IGDPT_MBOX3_RVDS_OFFSET);
	igdpt_put_le32(img + IGDPT_MBOX3_RVDS_OFFSET, o.rvds + 1);
	expect_fail(len, "RVDS runs past the end of the image", IGDPT_MBOX3_RVDS_OFFSET);
	/* RVDS shorter than the VBT. */
	igdpt_put_le32(img + IGDPT_MBOX3_RVDS_OFFSET, (uint32_t)vbt_len - 1);
	expect_fail(len, "vbt_size runs past the end of the data",
		    IGDPT_OPREGION_EXT_VBT_OFFSET + IGDPT_VBT_VBT_SIZE_OFFSET);
	igdpt_put_le32(img + IGDPT_MBOX3_RVDS_OFFSET, o.rvds);

	/* Truncated inside the extended VBT, or right after the base. */
	expect_fail(len - 1, "RVDS runs past the end of the image", IGDPT_MBOX3_RVDS_OFFSET);
	expect_fail(IGDPT_OPREGION_BASE_SIZE + 1, "RVDS runs past the end of the image",
		    IGDPT_MBOX3_RVDS_OFFSET);
	expect_fail(IGDPT_OPREGION_BASE_SIZE, "RVDA points past the end of the image",
		    IGDPT_MBOX3_RVDA_OFFSET);

	/* A broken extended VBT: its reason, offset from the base. */
	img[IGDPT_OPREGION_EXT_VBT_OFFSET + 1] = 'v';
	expect_fail(len, "VBT signature is not \"$VBT\"", IGDPT_OPREGION_EXT_VBT_OFFSET);
	img[IGDPT_OPREGION_EXT_VBT_OFFSET + 1] = 'V';
	img[IGDPT_OPREGION_EXT_VBT_OFFSET + 48 + 3] = 0;
	expect_fail(len, "BDB signature is not \"BIOS_DATA_BLOCK \"",
		    IGDPT_OPREGION_EXT_VBT_OFFSET + 48);
}

static void test_version_at_least(void **state)
{
	struct igdpt_opregion op = { .major = 2, .minor = 1 };

	(void)state;
	assert_true(igdpt_opregion_version_at_least(&op, 2, 0));
	assert_true(igdpt_opregion_version_at_least(&op, 2, 1));
	assert_false(igdpt_opregion_version_at_least(&op, 2, 2));
	assert_false(igdpt_opregion_version_at_least(&op, 3, 0));
	assert_true(igdpt_opregion_version_at_least(&op, 1, 9));
	op.major = 3;
	op.minor = 0;
	assert_true(igdpt_opregion_version_at_least(&op, 2, 1));
}

static void test_image_detect(void **state)
{
	struct fx_opregion o;
	size_t len = build_mbox4(&o);

	(void)state;
	assert_int_equal(igdpt_image_detect(img, len), IGDPT_IMAGE_OPREGION);
	assert_int_equal(igdpt_image_detect(img, 16), IGDPT_IMAGE_OPREGION);
	assert_int_equal(igdpt_image_detect(img, 15), IGDPT_IMAGE_UNKNOWN);
	assert_int_equal(igdpt_image_detect(vbt, vbt_len), IGDPT_IMAGE_VBT);
	assert_int_equal(igdpt_image_detect(vbt, 4), IGDPT_IMAGE_VBT);
	assert_int_equal(igdpt_image_detect(vbt, 3), IGDPT_IMAGE_UNKNOWN);
	assert_int_equal(igdpt_image_detect(vbt, 0), IGDPT_IMAGE_UNKNOWN);
	assert_int_equal(igdpt_image_detect(img + 1, len - 1), IGDPT_IMAGE_UNKNOWN);
	assert_string_equal(igdpt_image_kind_name(IGDPT_IMAGE_OPREGION), "opregion");
	assert_string_equal(igdpt_image_kind_name(IGDPT_IMAGE_VBT), "vbt");
	assert_string_equal(igdpt_image_kind_name(IGDPT_IMAGE_UNKNOWN), "unknown");
}

/* The three real OpRegion dumps: 2.0, MBOX 0x1F, VBT in mailbox 4. */
static void check_corpus_dump(const char *name, uint8_t *data, size_t len, void *ctx)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;

	(void)name;
	(void)ctx;
	assert_int_equal(igdpt_opregion_parse(data, len, &op, &diag), 0);
	assert_int_equal(op.major, 2);
	assert_int_equal(op.minor, 0);
	assert_int_equal(op.mbox, 0x1F);
	assert_int_equal(op.vbt_source, IGDPT_VBT_SOURCE_MAILBOX4);
	assert_int_equal(op.rvda, 0);
	assert_true(op.vbt.bdb_version >= 200);
}

static void test_corpus_dumps(void **state)
{
	char err[512];

	(void)state;
	if (!getenv("IGDPT_CORPUS"))
		skip();
	assert_int_equal(fx_corpus_each("opregion", check_corpus_dump, NULL, err, sizeof(err)), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mailbox4),
		cmocka_unit_test(test_no_vbt),
		cmocka_unit_test(test_vbt_spills_into_mailbox5),
		cmocka_unit_test(test_header_warnings),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_every_short_prefix),
		cmocka_unit_test(test_mailbox4_errors),
		cmocka_unit_test(test_rvda),
		cmocka_unit_test(test_rvda_errors),
		cmocka_unit_test(test_extent_and_trailing),
		cmocka_unit_test(test_version_at_least),
		cmocka_unit_test(test_image_detect),
		cmocka_unit_test(test_corpus_dumps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
