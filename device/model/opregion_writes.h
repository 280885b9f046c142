/* SPDX-License-Identifier: MIT */
/* Names the OpRegion fields a guest driver changed in its copy. */
#ifndef IGDPT_DEVICE_OPREGION_WRITES_H
#define IGDPT_DEVICE_OPREGION_WRITES_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

/* A JSON array, one object per changed field: {"field":"ACPI.DRDY",
 * "offset":"0x100","published":"0x0","guest":"0x1"} (lists such as ACPI.DIDL
 * give the guest's non-zero entries), then {"field":"unnamed","offset",
 * "size"} for each changed byte range outside the known fields, counted in
 * *unnamed. Both buffers hold len bytes. */
struct json_object *igdpt_opregion_writes_json(const uint8_t *published, const uint8_t *guest,
					       size_t len, unsigned *unnamed);

#endif
