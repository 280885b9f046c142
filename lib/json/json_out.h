/* SPDX-License-Identifier: MIT */
/* igdpt's JSON dialect (docs/json.md), for every command's --json output:
 * one hex spelling per width, and the document header every output starts
 * with. Private to the project: libigdpt's tools and the device use it; it
 * is not part of the public API. */
#ifndef IGDPT_JSON_OUT_H
#define IGDPT_JSON_OUT_H

#include <json-c/json.h>
#include <stdint.h>

/* Bumped when a key is renamed or removed, or a value changes meaning;
 * adding keys keeps it. docs/schema/ holds the schema of each output. */
#define IGDPT_JSON_SCHEMA_VERSION 1

#define IGDPT_JSON_KEY_VERSION "igdpt_version"
#define IGDPT_JSON_KEY_SCHEMA "schema_version"
#define IGDPT_JSON_KEY_KIND "kind" /* which output: "validate", "vm", ... */
/* The named firmware quirks a validator tolerated, in every output that
 * reports on an OpRegion or VBT. */
#define IGDPT_JSON_KEY_WARNINGS "warnings"

/* Register values and addresses as strings of fixed width, so one value
 * is spelled one way everywhere: "0x%02x", "0x%04x" (also PCI ids),
 * "0x%08x" (32-bit registers and addresses below 4 GiB), "0x%016llx". */
struct json_object *igdpt_json_hex8(uint8_t value);
struct json_object *igdpt_json_hex16(uint16_t value);
struct json_object *igdpt_json_hex32(uint32_t value);
struct json_object *igdpt_json_hex64(uint64_t value);
/* A guest or host physical address: hex32 when below 4 GiB, else hex64. */
struct json_object *igdpt_json_address(uint64_t value);

/* The names of the warning bits (enum igdpt_warning) as a new array. */
struct json_object *igdpt_json_warnings(uint32_t warnings);

/* A new output document: {"igdpt_version": ..., "schema_version": ...,
 * "kind": kind}; the caller adds its keys and owns the object. NULL when
 * out of memory. */
struct json_object *igdpt_json_document(const char *kind);

#endif
