/* SPDX-License-Identifier: MIT */
/* igdpt inspect's report (struct igdpt_host_report) in igdpt's JSON dialect. */
#ifndef IGDPT_JSON_HOST_H
#define IGDPT_JSON_HOST_H

#include <json-c/json.h>

#include "igdpt/host.h"

/* One IGD's report as a new object (docs/schema/inspect.schema.json,
 * "igds" items); NULL when out of memory. */
struct json_object *igdpt_json_host_report(const struct igdpt_host_report *report);

#endif
