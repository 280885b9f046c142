/* SPDX-License-Identifier: MIT */
/* igdpt_decode(): validation verdict plus the decoded tree, and the field
 * table reader every section decoder uses. */
#include "igdpt/decode.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "decode_internal.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/opregion.h"
#include "igdpt/core/pci_rom.h"
#include "igdpt/core/vbt.h"

/* The userdata tag of integers the text shows in hex. json-c never
 * serializes userdata, so the JSON output stays plain numbers. */
static char hex_tag[] = "hex";

struct json_object *dec_uint(uint64_t v)
{
	return v > INT64_MAX ? json_object_new_uint64(v) : json_object_new_int64((int64_t)v);
}

struct json_object *dec_hex(uint64_t v)
{
	struct json_object *obj = dec_uint(v);

	if (obj)
		json_object_set_userdata(obj, hex_tag, NULL);
	return obj;
}

bool dec_is_hex(struct json_object *obj)
{
	return obj && json_object_get_userdata(obj) == hex_tag;
}

struct json_object *dec_str(const uint8_t *p, size_t n)
{
	char buf[256];
	size_t i;

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	for (i = 0; i < n && p[i]; i++)
		buf[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	buf[i] = 0;
	return json_object_new_string(buf);
}

struct json_object *dec_bytes(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char buf[2 * 256 + 1];
	size_t i;

	if (n > 256)
		n = 256;
	for (i = 0; i < n; i++) {
		buf[2 * i] = digits[p[i] >> 4];
		buf[2 * i + 1] = digits[p[i] & 0xF];
	}
	buf[2 * n] = 0;
	return json_object_new_string(buf);
}

uint64_t dec_read(const uint8_t *p, unsigned size)
{
	switch (size) {
	case 1:
		return p[0];
	case 2:
		return igdpt_le16(p);
	case 4:
		return igdpt_le32(p);
	case 8:
		return igdpt_le64(p);
	default:
		return 0;
	}
}

static struct json_object *field_value(const struct dec_field *f, const uint8_t *p)
{
	uint64_t v;

	switch (f->fmt) {
	case DEC_STR:
		return dec_str(p, f->size);
	case DEC_BYTES:
		return dec_bytes(p, f->size);
	default:
		break;
	}
	v = dec_read(p, f->size);
	if (f->width)
		v = (v >> f->shift) & ((1ull << f->width) - 1);
	switch (f->fmt) {
	case DEC_HEX:
		return dec_hex(v);
	case DEC_BOOL:
		return json_object_new_boolean(v != 0);
	default:
		return dec_uint(v);
	}
}

unsigned dec_fields(struct json_object *obj, const uint8_t *p, size_t len,
		    const struct dec_field *table, size_t n, unsigned version)
{
	unsigned added = 0;

	for (size_t i = 0; i < n; i++) {
		const struct dec_field *f = &table[i];
		unsigned count = f->count ? f->count : 1;

		if (version < f->min_version || (f->max_version && version > f->max_version))
			continue;
		if (f->offset >= len || len - f->offset < f->size)
			continue;
		if (f->count) {
			struct json_object *arr = json_object_new_array();

			for (unsigned k = 0; k < count; k++) {
				size_t at = f->offset + (size_t)k * f->size;

				if (at + f->size > len)
					break;
				json_object_array_add(arr, field_value(f, p + at));
			}
			json_object_object_add(obj, f->name, arr);
		} else {
			json_object_object_add(obj, f->name, field_value(f, p + f->offset));
		}
		added++;
	}
	return added;
}

struct json_object *dec_struct_array_sel(const uint8_t *p, size_t len, size_t base,
					 size_t stride, unsigned count, int only,
					 const char *index_key, const struct dec_field *table,
					 size_t n, unsigned version)
{
	struct json_object *arr = json_object_new_array();

	for (unsigned i = 0; i < count && stride; i++) {
		size_t at = base + (size_t)i * stride;
		struct json_object *elem;

		if (only >= 0 && i != (unsigned)only)
			continue;
		if (at >= len)
			break;
		elem = json_object_new_object();
		if (index_key)
			json_object_object_add(elem, index_key, dec_uint(i));
		/* An element is cut at its stride and at the end of the data. */
		dec_fields(elem, p + at, len - at < stride ? len - at : stride, table, n, version);
		json_object_array_add(arr, elem);
	}
	return arr;
}

struct json_object *dec_struct_array(const uint8_t *p, size_t len, size_t base, size_t stride,
				     unsigned count, const struct dec_field *table, size_t n,
				     unsigned version)
{
	return dec_struct_array_sel(p, len, base, stride, count, -1, NULL, table, n, version);
}

struct json_object *dec_bit_names(uint32_t value, const char *const *names, unsigned n)
{
	struct json_object *arr = json_object_new_array();

	for (unsigned bit = 0; bit < 32; bit++) {
		char buf[16];

		if (!(value & (1u << bit)))
			continue;
		if (bit < n && names[bit]) {
			json_object_array_add(arr, json_object_new_string(names[bit]));
		} else {
			snprintf(buf, sizeof(buf), "bit%u", bit);
			json_object_array_add(arr, json_object_new_string(buf));
		}
	}
	return arr;
}

static struct json_object *warnings_json(uint32_t warnings)
{
	struct json_object *arr = json_object_new_array();

	for (unsigned i = 0; i < IGDPT_WARNING_COUNT; i++)
		if (warnings & (1u << i))
			json_object_array_add(arr, json_object_new_string(igdpt_warning_name(1u << i)));
	return arr;
}

/* Where the OpRegion's VBT is for display purposes, even when parsing the
 * OpRegion failed: the same lookup as the parser, minus its judgement. */
static const uint8_t *opregion_vbt(const uint8_t *buf, size_t len, size_t *vbt_len)
{
	uint64_t rvda;
	uint32_t rvds, mbox;
	size_t window;

	if (len < IGDPT_OPREGION_BASE_SIZE)
		return NULL;
	rvda = igdpt_le64(buf + IGDPT_MBOX3_RVDA_OFFSET);
	rvds = igdpt_le32(buf + IGDPT_MBOX3_RVDS_OFFSET);
	if (rvda >= IGDPT_OPREGION_BASE_SIZE && rvda < len && rvds) {
		*vbt_len = rvds < len - rvda ? rvds : len - (size_t)rvda;
		return buf + rvda;
	}
	mbox = igdpt_le32(buf + IGDPT_OPREGION_MBOX_OFFSET);
	window = (mbox & IGDPT_MBOX_ASLE_EXT) ? IGDPT_MBOX4_SIZE : IGDPT_MBOX4_SIZE_NO_ASLE_EXT;
	if (igdpt_bytes_differ(buf + IGDPT_MBOX4_OFFSET, (const uint8_t *)IGDPT_VBT_SIGNATURE,
			       IGDPT_VBT_SIGNATURE_PREFIX_SIZE))
		return NULL;
	*vbt_len = window;
	return buf + IGDPT_MBOX4_OFFSET;
}

int igdpt_decode(const uint8_t *buf, size_t len, const char *name,
		 const struct igdpt_decode_options *options, struct json_object **out)
{
	static const struct igdpt_decode_options defaults = { .block = IGDPT_DECODE_ALL_BLOCKS };
	const struct igdpt_decode_options *opt = options ? options : &defaults;
	enum igdpt_image_kind kind = igdpt_image_detect(buf, len);
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	struct igdpt_vbt vbt;
	struct igdpt_pci_rom_vbt rom;
	struct json_object *tree, *op_obj = NULL, *vbt_obj = NULL, *rom_obj = NULL;
	const uint8_t *vbt_data = NULL;
	size_t vbt_len = 0;
	int ret;

	*out = NULL;
	tree = json_object_new_object();
	if (!tree)
		return -ENOMEM;
	json_object_object_add(tree, "file", name ? json_object_new_string(name) : NULL);
	json_object_object_add(tree, "kind", json_object_new_string(igdpt_image_kind_name(kind)));

	switch (kind) {
	case IGDPT_IMAGE_OPREGION:
		op_obj = json_object_new_object();
		ret = igdpt_opregion_parse(buf, len, &op, &diag);
		dec_opregion(op_obj, buf, len);
		if (ret >= 0 && op.vbt_source != IGDPT_VBT_SOURCE_NONE) {
			vbt_obj = dec_vbt(buf + op.vbt_offset, op.vbt_window, &op.vbt, opt);
		} else if (ret < 0) {
			vbt_data = opregion_vbt(buf, len, &vbt_len);
			if (vbt_data)
				vbt_obj = dec_vbt(vbt_data, vbt_len, NULL, opt);
		}
		break;
	case IGDPT_IMAGE_VBT:
		ret = igdpt_vbt_parse(buf, len, &vbt, &diag);
		vbt_obj = dec_vbt(buf, len, ret >= 0 ? &vbt : NULL, opt);
		break;
	case IGDPT_IMAGE_VBIOS:
		ret = igdpt_pci_rom_find_vbt(buf, len, &rom, &diag);
		rom_obj = dec_rom(buf, len, &rom);
		/* The VBT as i915 would read it: from "$VBT" to the ROM's end. */
		if (rom.offset)
			vbt_obj = dec_vbt(buf + rom.offset, rom.rom_size - rom.offset,
					  ret >= 0 ? &rom.vbt : NULL, opt);
		break;
	default:
		ret = igdpt_diag_fail(&diag, -EINVAL, 0,
				      len == 0 ? "empty file"
					       : IGDPT_IMAGE_UNKNOWN_REASON);
		break;
	}

	json_object_object_add(tree, "valid", json_object_new_boolean(ret >= 0));
	json_object_object_add(tree, "reason", ret >= 0 ? NULL : json_object_new_string(diag.reason));
	json_object_object_add(tree, "offset", ret >= 0 ? NULL : dec_hex(diag.offset));
	json_object_object_add(tree, "warnings", warnings_json(diag.warnings));
	if (op_obj)
		json_object_object_add(tree, "opregion", op_obj);
	if (rom_obj)
		json_object_object_add(tree, "rom", rom_obj);
	if (vbt_obj)
		json_object_object_add(tree, "vbt", vbt_obj);
	*out = tree;
	return ret >= 0 ? 0 : -EINVAL;
}
