/* SPDX-License-Identifier: MIT */
/* igdpt-device's event log, parsed for what igdpt vm judges on (see
 * vm_log_device.h). */
#include "vm_log_device.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "igdpt/abi/events.h"
#include "vm_log_probe.h"

static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static void count_event(struct vm_device_log *log, const char *name)
{
	for (unsigned i = 0; i < log->nkinds; i++) {
		if (!strcmp(log->kinds[i].name, name)) {
			log->kinds[i].count++;
			return;
		}
	}
	if (log->nkinds < VM_EVENT_KINDS) {
		copy_text(log->kinds[log->nkinds].name, sizeof(log->kinds[0].name), name);
		log->kinds[log->nkinds++].count = 1;
	}
}

static void device_event(struct vm_device_log *log, struct json_object *ev, const char *name)
{
	const char *function = vm_json_string(ev, IGDPT_EV_FUNCTION);
	struct json_object *v;
	uint64_t u;

	count_event(log, name);
	if (!strcmp(name, IGDPT_EV_START)) {
		if (function && strcmp(function, IGDPT_EV_FUNCTION_IGD))
			return;
		log->started = true;
		copy_text(log->device_id, sizeof(log->device_id), vm_json_string(ev, IGDPT_EV_DEVICE_ID));
		copy_text(log->pci_class, sizeof(log->pci_class), vm_json_string(ev, IGDPT_EV_CLASS));
		copy_text(log->strategy, sizeof(log->strategy), vm_json_string(ev, IGDPT_EV_STRATEGY));
		copy_text(log->bdsm_register_at_start, sizeof(log->bdsm_register_at_start),
			  vm_json_string(ev, IGDPT_EV_BDSM_REGISTER));
		if (json_object_object_get_ex(ev, IGDPT_EV_GENERATION, &v))
			log->generation = json_object_get_int(v);
		log->image_size = -1;
		if (json_object_object_get_ex(ev, IGDPT_EV_IMAGE_SIZE, &v) &&
		    json_object_is_type(v, json_type_int))
			log->image_size = json_object_get_int64(v);
	} else if (!strcmp(name, IGDPT_EV_SYSMEM)) {
		log->sysmem = true;
		if (json_object_object_get_ex(ev, IGDPT_EV_REGIONS, &v) &&
		    json_object_is_type(v, json_type_array))
			log->sysmem_regions = (unsigned)json_object_array_length(v);
	} else if (!strcmp(name, IGDPT_EV_ASLS_WRITE)) {
		log->asls_writes++;
		log->asls_value = vm_json_hex(ev, IGDPT_EV_VALUE, &u) ? u : 0;
		copy_text(log->asls_guest_copy, sizeof(log->asls_guest_copy),
			  vm_json_string(ev, IGDPT_EV_GUEST_COPY));
		log->asls_has_differs_at = vm_json_hex(ev, IGDPT_EV_DIFFERS_AT, &log->asls_differs_at);
	} else if (!strcmp(name, IGDPT_EV_BDSM_WRITE)) {
		log->bdsm_writes++;
		copy_text(log->bdsm_register, sizeof(log->bdsm_register),
			  vm_json_string(ev, IGDPT_EV_REGISTER));
		log->bdsm_value = vm_json_hex(ev, IGDPT_EV_VALUE, &u) ? u : 0;
	} else if (!strcmp(name, IGDPT_EV_GGC_WRITE)) {
		log->ggc_writes++;
	} else if (!strcmp(name, IGDPT_EV_SWSCI_WRITE)) {
		log->swsci_writes++;
	} else if (!strcmp(name, IGDPT_EV_PROTOCOL_ERROR)) {
		if (!log->protocol_errors++)
			copy_text(log->protocol_error, sizeof(log->protocol_error),
				  vm_json_string(ev, IGDPT_EV_REASON));
	} else if (!strcmp(name, IGDPT_EV_CLOSED)) {
		if (function && strcmp(function, IGDPT_EV_FUNCTION_IGD))
			return;
		log->closed = true;
		copy_text(log->closed_reason, sizeof(log->closed_reason), vm_json_string(ev, IGDPT_EV_REASON));
	} else if (!strcmp(name, IGDPT_EV_FINAL)) {
		log->final = true;
		log->final_asls = vm_json_hex(ev, IGDPT_EV_ASLS, &u) ? u : 0;
		copy_text(log->final_guest_copy, sizeof(log->final_guest_copy),
			  vm_json_string(ev, IGDPT_EV_GUEST_COPY));
		if (json_object_object_get_ex(ev, IGDPT_EV_HOST_IMAGE_UNCHANGED, &v) &&
		    json_object_is_type(v, json_type_boolean)) {
			log->final_has_unchanged = true;
			log->final_host_image_unchanged = json_object_get_boolean(v);
		}
	}
}

void vm_device_log_parse(const char *text, size_t len, struct vm_device_log *log)
{
	size_t pos = 0;

	memset(log, 0, sizeof(*log));
	log->image_size = -1;
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		struct json_tokener *tok;
		struct json_object *ev;
		const char *name;

		pos += n + (nl ? 1 : 0);
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
			n--;
		if (!n)
			continue;
		log->lines++;
		/* A line is bounded by the log file; json-c takes an int length. */
		if (n > (size_t)INT32_MAX) {
			log->bad_lines++;
			continue;
		}
		tok = json_tokener_new();
		if (!tok) {
			log->bad_lines++;
			continue;
		}
		ev = json_tokener_parse_ex(tok, line, (int)n);
		/* A complete object must end exactly at the end of the line. */
		if (!ev || json_tokener_get_error(tok) != json_tokener_success ||
		    json_tokener_get_parse_end(tok) != n ||
		    !json_object_is_type(ev, json_type_object) ||
		    !(name = vm_json_string(ev, IGDPT_EV_KEY_EVENT))) {
			log->bad_lines++;
		} else {
			device_event(log, ev, name);
		}
		json_object_put(ev);
		json_tokener_free(tok);
	}
}
