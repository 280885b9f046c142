/* SPDX-License-Identifier: MIT */
/* igdpt decode's model (struct igdpt_decoded) in igdpt's JSON dialect. */
#ifndef IGDPT_JSON_DECODE_H
#define IGDPT_JSON_DECODE_H

#include <json-c/json.h>

#include "igdpt/decode.h"

/* One decoded file as a new object (docs/schema/decode.schema.json,
 * "files" items); NULL when out of memory. */
struct json_object *igdpt_json_decoded(const struct igdpt_decoded *decoded);

#endif
