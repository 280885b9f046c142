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
#include "fixture_rom.h"
#include "igdpt/decode.h"
#include "json_decode.h"

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

/* The node at a dotted path below n: group fields by name, list elements
 * by index ("child_devices.0.handle"); NULL when absent. */
static const struct igdpt_decode_node *get(const struct igdpt_decode_node *n, const char *path)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
		char *end;
		long idx = strtol(tok, &end, 10);

		if (!n)
			return NULL;
		if (*end == 0 && n->type == IGDPT_DECODE_LIST) {
			for (n = n->child; n && idx > 0; idx--)
				n = n->next;
		} else {
			n = igdpt_decode_field(n, tok);
		}
	}
	return n;
}

static uint64_t get_int(const struct igdpt_decode_node *n, const char *path)
{
	const struct igdpt_decode_node *v = get(n, path);

	assert_non_null(v);
	assert_true(v->type == IGDPT_DECODE_UINT || v->type == IGDPT_DECODE_HEX ||
		    v->type == IGDPT_DECODE_OFFSET || v->type == IGDPT_DECODE_ENUM ||
		    v->type == IGDPT_DECODE_BOOL);
	return v->value;
}

static const char *get_str(const struct igdpt_decode_node *n, const char *path)
{
	const struct igdpt_decode_node *v = get(n, path);

	assert_non_null(v);
	assert_non_null(v->text);
	return v->text;
}

static const struct igdpt_decoded_block *find_block(const struct igdpt_decoded *dec, int id)
{
	for (size_t i = 0; i < dec->blocks_kept; i++)
		if (dec->blocks[i].id == id)
			return &dec->blocks[i];
	return NULL;
}

/* The text printer's output, NUL-terminated (free it). */
static char *text_of(const struct igdpt_decoded *dec)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(igdpt_decode_print_text(out, dec), 0);
	fclose(out);
	return text;
}

static void test_vbt_fields(void **state)
{
	struct igdpt_decode_options opt = IGDPT_DECODE_OPTIONS_INIT;
	struct builder b;
	struct igdpt_decoded *tree;
	const struct igdpt_decoded_block *blk;
	uint8_t *p, *vbt;
	char *text;
	size_t len;

	(void)state;
	vbt_begin(&b, 236);
	p = vbt_block(&b, IGDPT_BDB_GENERAL_FEATURES, 5);
	p[0] = 0x03 | 1u << 2; /* panel_fitting 3, flexaim */
	p = vbt_block(&b, IGDPT_BDB_GENERAL_DEFINITIONS, 5 + 3 * 39);
	p[IGDPT_GENDEF_CHILD_DEV_SIZE_OFFSET] = 39;
	igdpt_put_le16(p + 5, 0x0008);        /* handle */
	igdpt_put_le16(p + 5 + 2, 0x78C6);    /* eDP device type */
	p[5 + 16] = 10;                       /* DP-A */
	p[5 + 25] = 0x40;                     /* AUX A */
	igdpt_put_le16(p + 5 + 39, 0x0040);
	igdpt_put_le16(p + 5 + 39 + 2, 0x60D6); /* DP++ */
	igdpt_put_le16(p + 5 + 2 * 39, 0x0020); /* a handle, but no device: empty slot */
	p = vbt_block(&b, IGDPT_BDB_LFP_OPTIONS, 30);
	p[0] = 1; /* panel type */
	p = vbt_block(&b, IGDPT_BDB_GENERIC_DTD, 2 + 2 * 28);
	igdpt_put_le16(p, 28);
	igdpt_put_le32(p + 2 + 28, 148500);
	igdpt_put_le16(p + 2 + 28 + 4, 1920);
	igdpt_put_le16(p + 2 + 28 + 12, 1080);
	vbt = vbt_end(&b, &len);

	assert_int_equal(igdpt_decode(vbt, len, "synthetic", NULL, &tree), 0);
	assert_true(tree->valid);
	assert_int_equal(tree->kind, IGDPT_IMAGE_VBT);
	assert_int_equal(get_int(tree->vbt, "bdb_version"), 236);
	assert_int_equal(get_int(tree->vbt, "vbt_size"), (int64_t)len);
	assert_true(get_int(tree->vbt, "checksum_ok"));
	assert_int_equal(get_int(tree->vbt, "panel_type"), 1);
	assert_int_equal(tree->blocks_kept, 4);
	assert_int_equal(tree->block_count, 4);
	assert_int_equal(tree->panel_type, 1);
	assert_int_equal(tree->blocks[0].offset, BLOCKS_OFFSET);

	blk = find_block(tree, IGDPT_BDB_GENERAL_FEATURES);
	assert_int_equal(get_int(blk->fields, "panel_fitting"), 3);
	assert_true(get_int(blk->fields, "flexaim"));
	assert_string_equal(blk->name, "General features");

	blk = find_block(tree, IGDPT_BDB_GENERAL_DEFINITIONS);
	assert_int_equal(get_int(blk->fields, "child_device_count"), 3);
	/* Empty slots (device type 0) are left out, as intel_vbt_decode does. */
	assert_int_equal(get(blk->fields, "child_devices")->count, 2);
	assert_int_equal(get_int(blk->fields, "child_devices.1.slot"), 1);
	assert_int_equal(get_int(blk->fields, "child_devices.0.handle"), 8);
	assert_int_equal(get_int(blk->fields, "child_devices.0.device_type"), 0x78C6);
	assert_string_equal(get_str(blk->fields, "child_devices.0.dvo_port"), "DP-A");
	assert_string_equal(get_str(blk->fields, "child_devices.0.aux_channel"), "AUX-A");
	assert_string_equal(get_str(blk->fields, "child_devices.0.handle"), "LFP 1 (eDP)");
	assert_string_equal(get_str(blk->fields, "child_devices.0.device_type"), "eDP");
	assert_int_equal(get_int(blk->fields, "child_devices.1.handle"), 0x40);

	/* Coded values by name, as intel_vbt_decode prints them. */
	text = text_of(tree);
	assert_non_null(strstr(text, "\tpanel_fitting: text & graphics (0x3)\n"));
	assert_non_null(strstr(text, "\t\thandle: LFP 1 (eDP) (0x0008)\n"));
	assert_non_null(strstr(text, "\t\tdevice_type: eDP (0x78c6)\n"));
	assert_non_null(strstr(text, "\t\tdvo_port: DP-A (0x0a)\n"));
	assert_non_null(strstr(text, "\t\taux_channel: AUX-A (0x40)\n"));
	assert_non_null(strstr(text, "\t\thandle: EFP 2 (HDMI/DVI/DP) (0x0040)\n"));
	assert_non_null(strstr(text, "\tchild_devices[1]:\n"));
	free(text);

	blk = find_block(tree, IGDPT_BDB_GENERIC_DTD);
	/* Only the panel type's DTD by default, as intel_vbt_decode. */
	assert_int_equal(get_int(blk->fields, "dtd_count"), 2);
	assert_int_equal(get(blk->fields, "dtds")->count, 1);
	assert_int_equal(get_int(blk->fields, "dtds.0.panel"), 1);
	assert_int_equal(get_int(blk->fields, "dtds.0.pixel_clock_khz"), 148500);
	assert_int_equal(get_int(blk->fields, "dtds.0.hactive"), 1920);
	assert_int_equal(get_int(blk->fields, "dtds.0.vactive"), 1080);

	igdpt_decoded_free(tree);
	opt.block = IGDPT_BDB_GENERIC_DTD;
	opt.all_panels = true;
	assert_int_equal(igdpt_decode(vbt, len, NULL, &opt, &tree), 0);
	assert_int_equal(tree->blocks_kept, 1);
	assert_int_equal(tree->block_count, 4);
	assert_int_equal(get(tree->blocks[0].fields, "dtds")->count, 2);
	assert_int_equal(get_int(tree->blocks[0].fields, "dtds.1.hactive"), 1920);
	igdpt_decoded_free(tree);
	free(vbt);
}

/* Blocks shorter than their struct: only the bytes present are decoded. */
static void test_truncated_blocks(void **state)
{
	struct builder b;
	struct igdpt_decoded *tree;
	const struct igdpt_decoded_block *blk;
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
	assert_int_equal(get_int(blk->fields, "child_device_count"), 0);
	blk = find_block(tree, IGDPT_BDB_EDP);
	assert_int_equal(get(blk->fields, "power_seqs")->count, 2);
	assert_int_equal(get_int(blk->fields, "power_seqs.0.t1_t3"), 2000);
	assert_int_equal(get_int(blk->fields, "power_seqs.1.t1_t3"), 7);
	assert_null(get(blk->fields, "power_seqs.1.t8"));
	assert_null(get(blk->fields, "color_depth"));
	blk = find_block(tree, IGDPT_BDB_DRIVER_FEATURES);
	assert_non_null(get(blk->fields, "boot_dev_algorithm"));
	assert_null(get(blk->fields, "boot_mode_x"));
	blk = find_block(tree, IGDPT_BDB_LFP_DATA);
	assert_int_equal(get_int(blk->fields, "panels.0.fp_timing.x_res"), 1024);
	assert_null(get(blk->fields, "panels.0.dtd"));
	blk = find_block(tree, IGDPT_BDB_MIPI_SEQUENCE);
	assert_int_equal(get_int(blk->fields, "version"), 0);
	igdpt_decoded_free(tree);
	free(vbt);
}

/* A block that runs past the BDB: invalid, but the blocks before it are
 * listed and decoded, and the reason names the offset. */
static void test_invalid_vbt_still_decodes(void **state)
{
	struct builder b;
	struct igdpt_decoded *tree;
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
	assert_false(tree->valid);
	assert_non_null(tree->reason);
	assert_int_equal(tree->offset, bad);
	assert_int_equal(tree->blocks_kept, 1);
	assert_int_equal(tree->block_count, 1);
	assert_int_equal(get_int(tree->blocks[0].fields, "panel_type"), 2);
	igdpt_decoded_free(tree);
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
		struct igdpt_decoded *tree;

		assert_non_null(prefix);
		memcpy(prefix, vbt, n);
		assert_int_not_equal(igdpt_decode(prefix, n, NULL, NULL, &tree),
				     -ENOMEM);
		assert_non_null(tree);
		igdpt_decoded_free(tree);
		free(prefix);
	}
	free(vbt);
}

static void test_opregion(void **state)
{
	struct builder b;
	struct igdpt_decoded *tree;
	uint8_t *op, *vbt;
	size_t len;
	char *text;

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
	assert_int_equal(tree->kind, IGDPT_IMAGE_OPREGION);
	assert_string_equal(get_str(tree->opregion, "header.version"), "2.0.0");
	assert_string_equal(get_str(tree->opregion, "header.DVER"), "9");
	assert_string_equal(get_str(tree->opregion, "header.PCON_bits.0"), "headless");
	assert_string_equal(get_str(tree->opregion, "header.MBOX_bits.2"), "vbt");
	assert_int_equal(get_int(tree->opregion, "mailbox1.CLID"), 3);
	assert_null(get(tree->opregion, "mailbox2"));
	assert_int_equal(get_int(tree->opregion, "mailbox3.BCLM.0"), IGDPT_BCLM_VALID);
	assert_string_equal(get_str(tree->opregion, "mailbox4.vbt_source"), "mailbox4");
	assert_non_null(get(tree->opregion, "mailbox5.PHED"));
	assert_int_equal(get_int(tree->vbt, "bdb_version"), 221);

	text = text_of(tree);
	assert_non_null(strstr(text, "BDB block 1 (5 bytes"));
	assert_non_null(strstr(text, "OpRegion mailbox3:"));
	/* Registers with the digits of their width. */
	assert_non_null(strstr(text, "\tCLID: 0x00000003\n"));
	assert_non_null(strstr(text, "\tMBOX: 0x0000001d\n"));
	assert_non_null(strstr(text, "\tvbt_offset: 0x400\n"));
	free(text);
	igdpt_decoded_free(tree);

	/* A short OpRegion: invalid, header still decoded as far as it goes. */
	assert_int_equal(igdpt_decode(op, 0x70, NULL, NULL, &tree), -EINVAL);
	assert_non_null(get(tree->opregion, "header.MBOX"));
	assert_null(get(tree->opregion, "header.DVER"));
	igdpt_decoded_free(tree);
	free(op);
	free(vbt);
}

/* The JSON printer (lib/json/json_decode.c) renders the same model in the
 * dialect: registers as fixed-width hex strings, codes as numbers with a
 * KEY_name, offsets as integers. */
static void test_json_printer(void **state)
{
	struct builder b;
	struct igdpt_decoded *tree;
	struct json_object *obj, *child, *blocks, *v;
	uint8_t *p, *vbt;
	size_t len;

	(void)state;
	vbt_begin(&b, 236);
	p = vbt_block(&b, IGDPT_BDB_GENERAL_DEFINITIONS, 5 + 39);
	p[IGDPT_GENDEF_CHILD_DEV_SIZE_OFFSET] = 39;
	igdpt_put_le16(p + 5, 0x0008);
	igdpt_put_le16(p + 5 + 2, 0x68C6);
	p[5 + 16] = 0x42; /* a dvo_port igdpt has no name for */
	vbt = vbt_end(&b, &len);
	assert_int_equal(igdpt_decode(vbt, len, "f.vbt", NULL, &tree), 0);
	obj = igdpt_json_decoded(tree);
	assert_non_null(obj);
	assert_true(json_object_object_get_ex(obj, "image_kind", &v));
	assert_string_equal(json_object_get_string(v), "vbt");
	assert_true(json_object_object_get_ex(obj, "offset", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(obj, "vbt", &v));
	assert_true(json_object_object_get_ex(v, "checksum", &child));
	assert_int_equal(strlen(json_object_get_string(child)), strlen("0x00"));
	assert_true(json_object_object_get_ex(v, "blocks", &blocks));
	assert_true(json_object_object_get_ex(json_object_array_get_idx(blocks, 0), "fields", &v));
	assert_true(json_object_object_get_ex(v, "child_devices", &v));
	child = json_object_array_get_idx(v, 0);
	assert_true(json_object_object_get_ex(child, "handle", &v));
	assert_int_equal(json_object_get_int(v), 8);
	assert_true(json_object_object_get_ex(child, "handle_name", &v));
	assert_string_equal(json_object_get_string(v), "LFP 1 (eDP)");
	assert_true(json_object_object_get_ex(child, "dvo_port", &v));
	assert_int_equal(json_object_get_int(v), 0x42);
	assert_true(json_object_object_get_ex(child, "dvo_port_name", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(child, "ddc_pin", &v));
	assert_string_equal(json_object_get_string(v), "0x00");
	json_object_put(obj);
	igdpt_decoded_free(tree);
	free(vbt);
}

/* A video BIOS: the ROM's image chain in the model's "rom" group, the VBT
 * found where i915 finds it (offsets relative to the VBT), both printers;
 * a chain without a last image keeps its VBT but says why it is invalid. */
static void test_video_bios(void **state)
{
	struct fx_rom_image im;
	struct builder b;
	struct igdpt_decoded *tree;
	struct json_object *obj, *rom, *images, *v;
	uint8_t *vbt, rom_bytes[1024];
	size_t vbt_len, len;
	char *text;

	(void)state;
	vbt_begin(&b, 221);
	vbt_block(&b, IGDPT_BDB_GENERAL_DEFINITIONS, 5);
	vbt = vbt_end(&b, &vbt_len);
	fx_rom_image_defaults(&im);
	im.payload = vbt;
	im.payload_len = vbt_len;
	len = fx_rom_image_build(&im, rom_bytes, sizeof(rom_bytes));
	assert_int_equal(len, sizeof(rom_bytes));

	assert_int_equal(igdpt_decode(rom_bytes, len, "v.rom", NULL, &tree), 0);
	assert_int_equal(tree->kind, IGDPT_IMAGE_VBIOS);
	assert_non_null(tree->rom);
	assert_int_equal(get_int(tree->rom, "linux_size"), len);
	assert_int_equal(get_int(tree->rom, "vbt_offset"), FX_ROM_PAYLOAD_AT);
	assert_int_equal(get_int(tree->rom, "chain_valid"), 1);
	assert_int_equal(get(tree->rom, "chain_reason")->type, IGDPT_DECODE_NONE);
	assert_int_equal(get(tree->rom, "images")->count, 1);
	assert_string_equal(get_str(tree->rom, "images.0.code_type"), "x86");
	assert_int_equal(get_int(tree->rom, "images.0.device"), 0x5916);
	assert_int_equal(get_int(tree->rom, "images.0.class"), 0x0300);
	assert_non_null(tree->vbt);
	assert_int_equal(get_int(tree->vbt, "bdb_version"), 221);
	assert_non_null(find_block(tree, IGDPT_BDB_GENERAL_DEFINITIONS));
	assert_int_equal(find_block(tree, IGDPT_BDB_GENERAL_DEFINITIONS)->offset, BLOCKS_OFFSET);

	text = text_of(tree);
	assert_non_null(strstr(text, "image_kind: \"vbios\""));
	assert_non_null(strstr(text, "\nPCI ROM (video BIOS):\n\tlinux_size: 1024\n\tvbt_offset: 0x80\n"));
	assert_non_null(strstr(text, "\t\tcode_type: x86 (0x00)\n"));
	assert_non_null(strstr(text, "\nVBT:\n"));
	free(text);

	obj = igdpt_json_decoded(tree);
	assert_non_null(obj);
	assert_true(json_object_object_get_ex(obj, "rom", &rom));
	assert_true(json_object_object_get_ex(rom, "vbt_offset", &v));
	assert_int_equal(json_object_get_int(v), FX_ROM_PAYLOAD_AT);
	assert_true(json_object_object_get_ex(rom, "images", &images));
	assert_int_equal(json_object_array_length(images), 1);
	assert_true(json_object_object_get_ex(json_object_array_get_idx(images, 0), "vendor", &v));
	assert_string_equal(json_object_get_string(v), "0x8086");
	assert_true(json_object_object_get_ex(json_object_array_get_idx(images, 0),
					      "code_type_name", &v));
	assert_string_equal(json_object_get_string(v), "x86");
	json_object_put(obj);
	igdpt_decoded_free(tree);

	/* No last-image indicator: the chain is invalid, the VBT still found. */
	im.last = false;
	assert_int_equal(fx_rom_image_build(&im, rom_bytes, sizeof(rom_bytes)), len);
	assert_int_equal(igdpt_decode(rom_bytes, len, NULL, NULL, &tree), 0);
	assert_int_equal(get_int(tree->rom, "chain_valid"), 0);
	assert_non_null(strstr(get_str(tree->rom, "chain_reason"), "last-image indicator"));
	assert_non_null(tree->vbt);
	igdpt_decoded_free(tree);
	free(vbt);
}

static void test_unknown_input(void **state)
{
	static const uint8_t junk[] = { 1, 2, 3 };
	struct igdpt_decoded *tree;

	(void)state;
	assert_int_equal(igdpt_decode(junk, sizeof(junk), NULL, NULL, &tree), -EINVAL);
	assert_int_equal(tree->kind, IGDPT_IMAGE_UNKNOWN);
	assert_null(tree->vbt);
	igdpt_decoded_free(tree);
	assert_string_equal(igdpt_decode_block_name(IGDPT_BDB_GENERAL_DEFINITIONS), "General definitions");
	/* Options whose struct_size was never set are refused. */
	{
		struct igdpt_decode_options unset = { 0 };

		tree = (struct igdpt_decoded *)&unset;
		assert_int_equal(igdpt_decode(junk, sizeof(junk), NULL, &unset, &tree), -EINVAL);
		assert_null(tree);
	}
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
		cmocka_unit_test(test_json_printer),
		cmocka_unit_test(test_video_bios),
		cmocka_unit_test(test_unknown_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
