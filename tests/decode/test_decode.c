/* SPDX-License-Identifier: MIT */
/* Unit tests of the decoder on synthetic VBTs and OpRegions: fields land in
 * the tree, short blocks decode partially, broken input still decodes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "igdpt/abi/opregion.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/decode.h"

#define BDB_OFFSET IGDPT_VBT_HEADER_SIZE
#define BLOCKS_OFFSET (BDB_OFFSET + IGDPT_BDB_HEADER_SIZE)

struct builder {
	uint8_t buf[4096];
	size_t len;
};

static void vbt_begin(struct builder *b, uint16_t bdb_version)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->buf, "$VBT TEST           ", IGDPT_VBT_SIGNATURE_SIZE);
	igdpt_put_le16(b->buf + IGDPT_VBT_VERSION_OFFSET, 100);
	igdpt_put_le16(b->buf + IGDPT_VBT_HEADER_SIZE_OFFSET, IGDPT_VBT_HEADER_SIZE);
	igdpt_put_le32(b->buf + IGDPT_VBT_BDB_OFFSET_OFFSET, BDB_OFFSET);
	memcpy(b->buf + BDB_OFFSET, IGDPT_BDB_SIGNATURE, IGDPT_BDB_SIGNATURE_SIZE);
	igdpt_put_le16(b->buf + BDB_OFFSET + IGDPT_BDB_VERSION_OFFSET, bdb_version);
	igdpt_put_le16(b->buf + BDB_OFFSET + IGDPT_BDB_HEADER_SIZE_OFFSET, IGDPT_BDB_HEADER_SIZE);
	b->len = BLOCKS_OFFSET;
}

static uint8_t *vbt_block(struct builder *b, uint8_t id, uint16_t size)
{
	uint8_t *p = b->buf + b->len;

	p[0] = id;
	igdpt_put_le16(p + 1, size);
	b->len += IGDPT_BDB_BLOCK_HEADER_SIZE + size;
	return p + IGDPT_BDB_BLOCK_HEADER_SIZE;
}

/* Seals sizes and checksum; returns an exact-size heap copy so ASan sees
 * any read past the end. */
static uint8_t *vbt_end(struct builder *b, size_t *len)
{
	uint8_t *copy;

	igdpt_put_le16(b->buf + IGDPT_VBT_VBT_SIZE_OFFSET, (uint16_t)b->len);
	igdpt_put_le16(b->buf + BDB_OFFSET + IGDPT_BDB_BDB_SIZE_OFFSET,
		       (uint16_t)(b->len - BDB_OFFSET));
	b->buf[IGDPT_VBT_CHECKSUM_OFFSET] = (uint8_t)(0x100 - igdpt_bytes_sum8(b->buf, b->len));
	copy = malloc(b->len);
	assert_non_null(copy);
	memcpy(copy, b->buf, b->len);
	*len = b->len;
	return copy;
}

static struct json_object *get(struct json_object *obj, const char *path)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
		char *end;
		long idx = strtol(tok, &end, 10);

		if (!obj)
			return NULL;
		if (*end == 0 && json_object_is_type(obj, json_type_array))
			obj = json_object_array_get_idx(obj, (size_t)idx);
		else if (!json_object_object_get_ex(obj, tok, &obj))
			return NULL;
	}
	return obj;
}

static int64_t get_int(struct json_object *obj, const char *path)
{
	struct json_object *v = get(obj, path);

	assert_non_null(v);
	return json_object_get_int64(v);
}

static struct json_object *find_block(struct json_object *tree, int id)
{
	struct json_object *blocks = get(tree, "vbt.blocks");
	size_t n = json_object_array_length(blocks);

	for (size_t i = 0; i < n; i++) {
		struct json_object *b = json_object_array_get_idx(blocks, i);

		if (get_int(b, "id") == id)
			return b;
	}
	return NULL;
}

static void test_vbt_fields(void **state)
{
	struct igdpt_decode_options opt = { 0 };
	struct builder b;
	struct json_object *tree, *blk;
	uint8_t *p, *vbt;
	size_t len;

	(void)state;
	vbt_begin(&b, 236);
	p = vbt_block(&b, IGDPT_BDB_GENERAL_FEATURES, 5);
	p[0] = 0x03 | 1u << 2; /* panel_fitting 3, flexaim */
	p = vbt_block(&b, IGDPT_BDB_GENERAL_DEFINITIONS, 5 + 2 * 39);
	p[IGDPT_GENDEF_CHILD_DEV_SIZE_OFFSET] = 39;
	igdpt_put_le16(p + 5, 0x0008);        /* handle */
	igdpt_put_le16(p + 5 + 2, 0x78C6);    /* eDP device type */
	p[5 + 16] = 10;                       /* DP-A */
	p[5 + 25] = 0x40;                     /* AUX A */
	igdpt_put_le16(p + 5 + 39, 0x0040);
	p = vbt_block(&b, IGDPT_BDB_LFP_OPTIONS, 30);
	p[0] = 1; /* panel type */
	p = vbt_block(&b, IGDPT_BDB_GENERIC_DTD, 2 + 2 * 28);
	igdpt_put_le16(p, 28);
	igdpt_put_le32(p + 2 + 28, 148500);
	igdpt_put_le16(p + 2 + 28 + 4, 1920);
	igdpt_put_le16(p + 2 + 28 + 12, 1080);
	vbt = vbt_end(&b, &len);

	assert_int_equal(igdpt_decode(vbt, len, "synthetic", NULL, &tree), 0);
	assert_true(json_object_get_boolean(get(tree, "valid")));
	assert_string_equal(json_object_get_string(get(tree, "kind")), "vbt");
	assert_int_equal(get_int(tree, "vbt.bdb_version"), 236);
	assert_int_equal(get_int(tree, "vbt.vbt_size"), (int64_t)len);
	assert_true(json_object_get_boolean(get(tree, "vbt.checksum_ok")));
	assert_int_equal(get_int(tree, "vbt.panel_type"), 1);
	assert_int_equal(json_object_array_length(get(tree, "vbt.blocks")), 4);
	assert_int_equal(get_int(tree, "vbt.blocks.0.offset"), BLOCKS_OFFSET);

	blk = find_block(tree, IGDPT_BDB_GENERAL_FEATURES);
	assert_int_equal(get_int(blk, "fields.panel_fitting"), 3);
	assert_true(json_object_get_boolean(get(blk, "fields.flexaim")));
	assert_string_equal(json_object_get_string(get(blk, "name")), "General features");

	blk = find_block(tree, IGDPT_BDB_GENERAL_DEFINITIONS);
	assert_int_equal(get_int(blk, "fields.child_device_count"), 2);
	assert_int_equal(get_int(blk, "fields.child_devices.0.handle"), 8);
	assert_int_equal(get_int(blk, "fields.child_devices.0.device_type"), 0x78C6);
	assert_string_equal(json_object_get_string(get(blk, "fields.child_devices.0.dvo_port_name")), "DP-A");
	assert_string_equal(json_object_get_string(get(blk, "fields.child_devices.0.aux_channel_name")), "AUX-A");
	assert_int_equal(get_int(blk, "fields.child_devices.1.handle"), 0x40);

	blk = find_block(tree, IGDPT_BDB_GENERIC_DTD);
	/* Only the panel type's DTD by default, as intel_vbt_decode. */
	assert_int_equal(get_int(blk, "fields.dtd_count"), 2);
	assert_int_equal(json_object_array_length(get(blk, "fields.dtds")), 1);
	assert_int_equal(get_int(blk, "fields.dtds.0.panel"), 1);
	assert_int_equal(get_int(blk, "fields.dtds.0.pixel_clock_khz"), 148500);
	assert_int_equal(get_int(blk, "fields.dtds.0.hactive"), 1920);
	assert_int_equal(get_int(blk, "fields.dtds.0.vactive"), 1080);

	json_object_put(tree);
	opt.block = IGDPT_BDB_GENERIC_DTD;
	opt.all_panels = 1;
	assert_int_equal(igdpt_decode(vbt, len, NULL, &opt, &tree), 0);
	assert_int_equal(json_object_array_length(get(tree, "vbt.blocks")), 1);
	assert_int_equal(json_object_array_length(get(tree, "vbt.blocks.0.fields.dtds")), 2);
	assert_int_equal(get_int(tree, "vbt.blocks.0.fields.dtds.1.hactive"), 1920);
	json_object_put(tree);
	free(vbt);
}

/* Blocks shorter than their struct: only the bytes present are decoded. */
static void test_truncated_blocks(void **state)
{
	struct builder b;
	struct json_object *tree, *blk;
	uint8_t *p, *vbt;
	size_t len;

	(void)state;
	vbt_begin(&b, 236);
	p = vbt_block(&b, IGDPT_BDB_GENERAL_DEFINITIONS, 5 + 20); /* less than one child */
	p[IGDPT_GENDEF_CHILD_DEV_SIZE_OFFSET] = 39;
	p = vbt_block(&b, IGDPT_BDB_EDP, 12); /* one power sequence and a bit */
	igdpt_put_le16(p, 2000);
	igdpt_put_le16(p + 10, 7);
	vbt_block(&b, IGDPT_BDB_DRIVER_FEATURES, 2); /* boot_mode_x cut */
	p = vbt_block(&b, IGDPT_BDB_LFP_DATA, 50); /* an fp timing, no DTD */
	igdpt_put_le16(p, 1024);
	vbt_block(&b, IGDPT_BDB_LFP_BACKLIGHT, 1);
	vbt_block(&b, IGDPT_BDB_MIPI_SEQUENCE, 1);
	vbt = vbt_end(&b, &len);

	assert_int_equal(igdpt_decode(vbt, len, NULL, NULL, &tree), 0);
	blk = find_block(tree, IGDPT_BDB_GENERAL_DEFINITIONS);
	assert_int_equal(get_int(blk, "fields.child_device_count"), 0);
	blk = find_block(tree, IGDPT_BDB_EDP);
	assert_int_equal(json_object_array_length(get(blk, "fields.power_seqs")), 2);
	assert_int_equal(get_int(blk, "fields.power_seqs.0.t1_t3"), 2000);
	assert_int_equal(get_int(blk, "fields.power_seqs.1.t1_t3"), 7);
	assert_null(get(blk, "fields.power_seqs.1.t8"));
	assert_null(get(blk, "fields.color_depth"));
	blk = find_block(tree, IGDPT_BDB_DRIVER_FEATURES);
	assert_non_null(get(blk, "fields.boot_dev_algorithm"));
	assert_null(get(blk, "fields.boot_mode_x"));
	blk = find_block(tree, IGDPT_BDB_LFP_DATA);
	assert_int_equal(get_int(blk, "fields.panels.0.fp_timing.x_res"), 1024);
	assert_null(get(blk, "fields.panels.0.dtd"));
	blk = find_block(tree, IGDPT_BDB_MIPI_SEQUENCE);
	assert_int_equal(get_int(blk, "fields.version"), 0);
	json_object_put(tree);
	free(vbt);
}

/* A block that runs past the BDB: invalid, but the blocks before it are
 * listed and decoded, and the reason names the offset. */
static void test_invalid_vbt_still_decodes(void **state)
{
	struct builder b;
	struct json_object *tree;
	uint8_t *p, *vbt;
	size_t len, bad;

	(void)state;
	vbt_begin(&b, 200);
	p = vbt_block(&b, IGDPT_BDB_LFP_OPTIONS, 4);
	p[0] = 2;
	bad = b.len;
	vbt_block(&b, IGDPT_BDB_LFP_BACKLIGHT, 8);
	vbt = vbt_end(&b, &len);
	igdpt_put_le16(vbt + bad + IGDPT_BDB_BLOCK_SIZE_OFFSET, 2000);

	assert_int_equal(igdpt_decode(vbt, len, NULL, NULL, &tree), -EINVAL);
	assert_false(json_object_get_boolean(get(tree, "valid")));
	assert_non_null(json_object_get_string(get(tree, "reason")));
	assert_int_equal(get_int(tree, "offset"), (int64_t)bad);
	assert_int_equal(json_object_array_length(get(tree, "vbt.blocks")), 1);
	assert_int_equal(get_int(tree, "vbt.blocks.0.fields.panel_type"), 2);
	json_object_put(tree);
	free(vbt);
}

/* Every prefix of a VBT decodes without reading past its end (ASan). */
static void test_every_truncation(void **state)
{
	struct builder b;
	uint8_t *p, *vbt;
	size_t len;

	(void)state;
	vbt_begin(&b, 250);
	p = vbt_block(&b, IGDPT_BDB_GENERAL_DEFINITIONS, 5 + 40);
	p[IGDPT_GENDEF_CHILD_DEV_SIZE_OFFSET] = 40;
	vbt_block(&b, IGDPT_BDB_EDP, 300);
	vbt_block(&b, IGDPT_BDB_LFP_DATA_PTRS, 148);
	vbt_block(&b, IGDPT_BDB_LFP_DATA, 200);
	vbt_block(&b, IGDPT_BDB_COMPRESSION_PARAMETERS, 2);
	vbt = vbt_end(&b, &len);
	for (size_t n = 0; n <= len; n++) {
		uint8_t *prefix = malloc(n ? n : 1);
		struct json_object *tree;

		assert_non_null(prefix);
		memcpy(prefix, vbt, n);
		assert_int_not_equal(igdpt_decode(prefix, n, NULL, NULL, &tree),
				     -ENOMEM);
		assert_non_null(tree);
		json_object_put(tree);
		free(prefix);
	}
	free(vbt);
}

static void test_opregion(void **state)
{
	struct builder b;
	struct json_object *tree;
	uint8_t *op, *vbt;
	size_t len;
	char *text = NULL;
	size_t text_len = 0;
	FILE *out;

	(void)state;
	vbt_begin(&b, 221);
	vbt_block(&b, IGDPT_BDB_GENERAL_FEATURES, 5);
	vbt = vbt_end(&b, &len);
	op = calloc(1, IGDPT_OPREGION_BASE_SIZE);
	assert_non_null(op);
	memcpy(op, IGDPT_OPREGION_SIGNATURE, IGDPT_OPREGION_SIGN_SIZE);
	igdpt_put_le32(op + IGDPT_OPREGION_SIZE_OFFSET, IGDPT_OPREGION_SIZE_KIB);
	op[IGDPT_OPREGION_OVER_MAJOR_OFFSET] = 2;
	igdpt_put_le32(op + IGDPT_OPREGION_MBOX_OFFSET,
		       IGDPT_MBOX_ACPI | IGDPT_MBOX_ASLE | IGDPT_MBOX_VBT | IGDPT_MBOX_ASLE_EXT);
	igdpt_put_le32(op + IGDPT_OPREGION_PCON_OFFSET, IGDPT_PCON_HEADLESS);
	igdpt_put_le16(op + IGDPT_OPREGION_DVER_OFFSET, '9');
	igdpt_put_le32(op + IGDPT_MBOX1_CLID_OFFSET, 3);
	igdpt_put_le16(op + IGDPT_MBOX3_BCLM_OFFSET, IGDPT_BCLM_VALID);
	memcpy(op + IGDPT_MBOX4_OFFSET, vbt, len);

	assert_int_equal(igdpt_decode(op, IGDPT_OPREGION_BASE_SIZE, "op", NULL, &tree), 0);
	assert_string_equal(json_object_get_string(get(tree, "kind")), "opregion");
	assert_string_equal(json_object_get_string(get(tree, "opregion.header.version")), "2.0.0");
	assert_string_equal(json_object_get_string(get(tree, "opregion.header.DVER")), "9");
	assert_string_equal(json_object_get_string(get(tree, "opregion.header.PCON_bits.0")), "headless");
	assert_string_equal(json_object_get_string(get(tree, "opregion.header.MBOX_bits.2")), "vbt");
	assert_int_equal(get_int(tree, "opregion.mailbox1.CLID"), 3);
	assert_null(get(tree, "opregion.mailbox2"));
	assert_int_equal(get_int(tree, "opregion.mailbox3.BCLM.0"), IGDPT_BCLM_VALID);
	assert_string_equal(json_object_get_string(get(tree, "opregion.mailbox4.vbt_source")), "mailbox4");
	assert_non_null(get(tree, "opregion.mailbox5.PHED"));
	assert_int_equal(get_int(tree, "vbt.bdb_version"), 221);

	out = open_memstream(&text, &text_len);
	assert_non_null(out);
	igdpt_decode_print(out, tree);
	fclose(out);
	assert_non_null(strstr(text, "BDB block 1 (5 bytes"));
	assert_non_null(strstr(text, "OpRegion mailbox3:"));
	assert_non_null(strstr(text, "CLID: 0x3"));
	free(text);
	json_object_put(tree);

	/* A short OpRegion: invalid, header still decoded as far as it goes. */
	assert_int_equal(igdpt_decode(op, 0x70, NULL, NULL, &tree), -EINVAL);
	assert_non_null(get(tree, "opregion.header.MBOX"));
	assert_null(get(tree, "opregion.header.DVER"));
	json_object_put(tree);
	free(op);
	free(vbt);
}

static void test_unknown_input(void **state)
{
	static const uint8_t junk[] = { 1, 2, 3 };
	struct json_object *tree;

	(void)state;
	assert_int_equal(igdpt_decode(junk, sizeof(junk), NULL, NULL, &tree), -EINVAL);
	assert_string_equal(json_object_get_string(get(tree, "kind")), "unknown");
	assert_null(get(tree, "vbt"));
	json_object_put(tree);
	assert_string_equal(igdpt_decode_block_name(IGDPT_BDB_GENERAL_DEFINITIONS), "General definitions");
	assert_string_equal(igdpt_decode_block_name(200), "Unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vbt_fields),
		cmocka_unit_test(test_truncated_blocks),
		cmocka_unit_test(test_invalid_vbt_still_decodes),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_opregion),
		cmocka_unit_test(test_unknown_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
