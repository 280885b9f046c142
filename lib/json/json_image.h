/* SPDX-License-Identifier: MIT */
/* A validated OpRegion's facts in igdpt's JSON dialect: one spelling for
 * every output that describes an image (inspect, dump, build, prepare). */
#ifndef IGDPT_JSON_IMAGE_H
#define IGDPT_JSON_IMAGE_H

#include <json-c/json.h>
#include <stddef.h>

#include "igdpt/core/opregion.h"

/* Adds to obj: version ("2.1.0"), size (bytes), size_field_kib, mbox,
 * rvda, rvds, vbt_source, and with a VBT vbt_offset, vbt_signature,
 * bdb_version, vbt_size; then warnings. len is the image's size. */
void igdpt_json_opregion_facts(struct json_object *obj, const struct igdpt_opregion *op,
			       size_t len);

/* A new object with those facts (docs/schema/document.schema.json,
 * "opregion_image"). */
struct json_object *igdpt_json_opregion(const struct igdpt_opregion *op, size_t len);

#endif
