/* SPDX-License-Identifier: MIT */
/* An OpRegion's facts as JSON, spelled once for every command. */
#include "json_image.h"

#include <stdio.h>
#include <string.h>

#include "json_out.h"

/* The VBT signature without its space padding. */
static struct json_object *signature(const struct igdpt_vbt *vbt)
{
	size_t n = strlen(vbt->signature);

	while (n && vbt->signature[n - 1] == ' ')
		n--;
	return json_object_new_string_len(vbt->signature, (int)n);
}

void igdpt_json_opregion_facts(struct json_object *o, const struct igdpt_opregion *op, size_t len)
{
	char version[sizeof("255.255.255")];

	snprintf(version, sizeof(version), "%u.%u.%u", op->major, op->minor, op->revision);
	json_object_object_add(o, "version", json_object_new_string(version));
	json_object_object_add(o, "size", json_object_new_int64((int64_t)len));
	json_object_object_add(o, "size_field_kib", json_object_new_int64(op->size_kib));
	json_object_object_add(o, "mbox", igdpt_json_hex32(op->mbox));
	json_object_object_add(o, "rvda", igdpt_json_hex64(op->rvda));
	json_object_object_add(o, "rvds", json_object_new_int64(op->rvds));
	json_object_object_add(o, "vbt_source",
			       json_object_new_string(igdpt_vbt_source_name(op->vbt_source)));
	if (op->vbt_source != IGDPT_VBT_SOURCE_NONE) {
		json_object_object_add(o, "vbt_offset", json_object_new_int64((int64_t)op->vbt_offset));
		json_object_object_add(o, "vbt_signature", signature(&op->vbt));
		json_object_object_add(o, "bdb_version", json_object_new_int(op->vbt.bdb_version));
		json_object_object_add(o, "vbt_size", json_object_new_int(op->vbt.vbt_size));
	}
	json_object_object_add(o, IGDPT_JSON_KEY_WARNINGS, igdpt_json_warnings(op->warnings));
}

struct json_object *igdpt_json_opregion(const struct igdpt_opregion *op, size_t len)
{
	struct json_object *o = json_object_new_object();

	if (o)
		igdpt_json_opregion_facts(o, op, len);
	return o;
}
