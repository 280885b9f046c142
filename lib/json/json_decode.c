/* SPDX-License-Identifier: MIT */
/* The decode model as JSON: the second printer of lib/decode's model (the
 * first is igdpt_decode_print_text()). A coded value is its number under its
 * key and its name under KEY_name (docs/json.md). */
#include "json_decode.h"

#include <stdio.h>

#include "json_out.h"

#define ENUM_NAME_SUFFIX "_name"

static struct json_object *hex(const struct igdpt_decode_node *n)
{
	switch (n->digits) {
	case 2:
		return igdpt_json_hex8((uint8_t)n->value);
	case 4:
		return igdpt_json_hex16((uint16_t)n->value);
	case 8:
		return igdpt_json_hex32((uint32_t)n->value);
	default:
		return igdpt_json_hex64(n->value);
	}
}

static struct json_object *uint_json(uint64_t v)
{
	return v > INT64_MAX ? json_object_new_uint64(v) : json_object_new_int64((int64_t)v);
}

static struct json_object *node_json(const struct igdpt_decode_node *n);

static struct json_object *group_json(const struct igdpt_decode_node *group)
{
	struct json_object *obj = json_object_new_object();

	for (const struct igdpt_decode_node *f = group->child; f; f = f->next) {
		json_object_object_add(obj, f->name, node_json(f));
		if (f->type == IGDPT_DECODE_ENUM) {
			char key[128];

			snprintf(key, sizeof(key), "%s" ENUM_NAME_SUFFIX, f->name);
			json_object_object_add(obj, key, f->text ? json_object_new_string(f->text) : NULL);
		}
	}
	return obj;
}

static struct json_object *node_json(const struct igdpt_decode_node *n)
{
	struct json_object *arr;

	switch (n->type) {
	case IGDPT_DECODE_UINT:
	case IGDPT_DECODE_OFFSET:
	case IGDPT_DECODE_ENUM:
		return uint_json(n->value);
	case IGDPT_DECODE_HEX:
		return hex(n);
	case IGDPT_DECODE_BOOL:
		return json_object_new_boolean(n->value != 0);
	case IGDPT_DECODE_STRING:
	case IGDPT_DECODE_BYTES:
		return json_object_new_string(n->text ? n->text : "");
	case IGDPT_DECODE_LIST:
		arr = json_object_new_array();
		for (const struct igdpt_decode_node *c = n->child; c; c = c->next)
			json_object_array_add(arr, node_json(c));
		return arr;
	case IGDPT_DECODE_GROUP:
		return group_json(n);
	default:
		return NULL;
	}
}

static struct json_object *vbt_json(const struct igdpt_decoded *d)
{
	struct json_object *vbt = group_json(d->vbt), *blocks = json_object_new_array();

	for (size_t i = 0; i < d->blocks_kept; i++) {
		const struct igdpt_decoded_block *b = &d->blocks[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_int(b->id));
		json_object_object_add(o, "size", json_object_new_int64(b->size));
		json_object_object_add(o, "offset", json_object_new_int64((int64_t)b->offset));
		json_object_object_add(o, "name", json_object_new_string(b->name));
		json_object_object_add(o, "fields", group_json(b->fields));
		json_object_array_add(blocks, o);
	}
	json_object_object_add(vbt, "blocks", blocks);
	return vbt;
}

struct json_object *igdpt_json_decoded(const struct igdpt_decoded *d)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	json_object_object_add(obj, "file", d->file ? json_object_new_string(d->file) : NULL);
	json_object_object_add(obj, "image_kind", json_object_new_string(igdpt_image_kind_name(d->kind)));
	json_object_object_add(obj, "valid", json_object_new_boolean(d->valid));
	json_object_object_add(obj, "reason", d->valid ? NULL : json_object_new_string(d->reason));
	json_object_object_add(obj, "offset",
			       d->valid ? NULL : json_object_new_int64((int64_t)d->offset));
	json_object_object_add(obj, IGDPT_JSON_KEY_WARNINGS, igdpt_json_warnings(d->warnings));
	if (d->opregion)
		json_object_object_add(obj, "opregion", group_json(d->opregion));
	if (d->rom)
		json_object_object_add(obj, "rom", group_json(d->rom));
	if (d->vbt)
		json_object_object_add(obj, "vbt", vbt_json(d));
	return obj;
}
