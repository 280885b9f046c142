/* SPDX-License-Identifier: MIT */
/* igdpt's JSON dialect: the hex spellings and the document header. */
#include "json_out.h"

#include <inttypes.h>
#include <stdio.h>

#include "igdpt/core/diag.h"
#include "igdpt/version.h"

#define ADDRESS_32BIT_LIMIT 0x100000000ull

static struct json_object *hex(int digits, uint64_t value)
{
	char text[sizeof("0x") + 16];

	snprintf(text, sizeof(text), "0x%0*" PRIx64, digits, value);
	return json_object_new_string(text);
}

struct json_object *igdpt_json_hex8(uint8_t value)
{
	return hex(2, value);
}

struct json_object *igdpt_json_hex16(uint16_t value)
{
	return hex(4, value);
}

struct json_object *igdpt_json_hex32(uint32_t value)
{
	return hex(8, value);
}

struct json_object *igdpt_json_hex64(uint64_t value)
{
	return hex(16, value);
}

struct json_object *igdpt_json_address(uint64_t value)
{
	return value < ADDRESS_32BIT_LIMIT ? igdpt_json_hex32((uint32_t)value)
					   : igdpt_json_hex64(value);
}

struct json_object *igdpt_json_warnings(uint32_t warnings)
{
	struct json_object *arr = json_object_new_array();

	for (unsigned i = 0; i < IGDPT_WARNING_COUNT; i++)
		if (warnings & (1u << i))
			json_object_array_add(arr, json_object_new_string(igdpt_warning_name(1u << i)));
	return arr;
}

struct json_object *igdpt_json_document(const char *kind)
{
	struct json_object *doc = json_object_new_object();

	if (!doc)
		return NULL;
	json_object_object_add(doc, IGDPT_JSON_KEY_VERSION,
			       json_object_new_string(IGDPT_VERSION_STRING));
	json_object_object_add(doc, IGDPT_JSON_KEY_SCHEMA,
			       json_object_new_int(IGDPT_JSON_SCHEMA_VERSION));
	json_object_object_add(doc, IGDPT_JSON_KEY_KIND, json_object_new_string(kind));
	return doc;
}
