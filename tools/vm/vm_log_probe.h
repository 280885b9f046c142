/* SPDX-License-Identifier: MIT */
/* The guest probe's verdict as igdpt vm reads it: the line
 * IGDPT_PROBE_LINE_PREFIX "{json}" (include/igdpt/abi/probe_report.h) on the
 * guest's serial log, and typed access to the object's members. */
#ifndef IGDPT_TOOLS_VM_LOG_PROBE_H
#define IGDPT_TOOLS_VM_LOG_PROBE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/abi/probe_report.h"

/* Members of the verdict object igdpt vm reads, as dotted paths for
 * vm_json_string(), from the keys igdpt/abi/probe_report.h spells. */
#define VM_PROBE_KEY_REASON IGDPT_PROBE_KEY_REASON
#define VM_PROBE_KEY_ASLS IGDPT_PROBE_KEY_ASLS
#define VM_PROBE_KEY_MEMMAP_TYPE IGDPT_PROBE_KEY_MEMMAP "." IGDPT_PROBE_KEY_TYPE
#define VM_PROBE_KEY_OPREGION IGDPT_PROBE_KEY_OPREGION
#define VM_PROBE_KEY_OPREGION_VERSION IGDPT_PROBE_KEY_OPREGION "." IGDPT_PROBE_KEY_VERSION
#define VM_PROBE_KEY_OPREGION_VBT_SOURCE IGDPT_PROBE_KEY_OPREGION "." IGDPT_PROBE_KEY_VBT_SOURCE
#define VM_PROBE_KEY_BDB_VERSION IGDPT_PROBE_KEY_BDB_VERSION /* inside "opregion" */
#define VM_PROBE_KEY_I915_VERDICT IGDPT_PROBE_KEY_I915 "." IGDPT_PROBE_KEY_VERDICT
#define VM_PROBE_KEY_I915_VBT_SOURCE IGDPT_PROBE_KEY_I915 "." IGDPT_PROBE_KEY_VBT_SOURCE

/* Finds the probe's verdict line on the serial log and parses its JSON.
 * Returns 0 with *obj set (json_object_put it), -ENOENT when there is no
 * such line, -EINVAL when its JSON does not parse or is not an object,
 * -ENOMEM; err says which (err_size may be 0). The last verdict line
 * wins. */
int vm_probe_line_parse(const char *text, size_t len, struct json_object **obj, char *err,
			size_t err_size);

/* The string member at a dotted path ("memmap.type"); NULL when absent or
 * not a string. */
const char *vm_json_string(struct json_object *obj, const char *path);
/* The member at a dotted path as an unsigned number: a "0x..." or decimal
 * string, or a non-negative JSON integer; false when absent or neither. */
bool vm_json_hex(struct json_object *obj, const char *path, uint64_t *value);

#endif
