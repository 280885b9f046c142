/* SPDX-License-Identifier: MIT */
/* igdpt vm: parsers for the device's JSON-lines log, SeaBIOS's debug log and
 * the probe's "IGDPT-PROBE {json}" serial line. Inputs are whatever the
 * children wrote, possibly cut short by a crash: never trusted for lengths. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

bool vm_parse_u64(const char *s, uint64_t *value)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*value = v;
	return true;
}

bool vm_parse_size(const char *s, uint64_t *value)
{
	unsigned long long v;
	unsigned shift = 0;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return false;
	switch (*end) {
	case 0:
		break;
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	default:
		return false;
	}
	if (*end && end[1] && strcmp(end + 1, "iB") && strcmp(end + 1, "B"))
		return false;
	if (shift && v > (UINT64_MAX >> shift))
		return false;
	*value = (uint64_t)v << shift;
	return true;
}

static struct json_object *json_at(struct json_object *obj, const char *path)
{
	char key[64];

	while (obj && path && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);

		if (n >= sizeof(key) || !json_object_is_type(obj, json_type_object))
			return NULL;
		memcpy(key, path, n);
		key[n] = 0;
		if (!json_object_object_get_ex(obj, key, &obj))
			return NULL;
		path = dot ? dot + 1 : NULL;
	}
	return obj;
}

const char *vm_json_string(struct json_object *obj, const char *path)
{
	struct json_object *v = json_at(obj, path);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

bool vm_json_hex(struct json_object *obj, const char *path, uint64_t *value)
{
	struct json_object *v = json_at(obj, path);

	if (v && json_object_is_type(v, json_type_int)) {
		int64_t i = json_object_get_int64(v);

		if (i < 0)
			return false;
		*value = (uint64_t)i;
		return true;
	}
	return vm_parse_u64(vm_json_string(obj, path), value);
}

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
	const char *function = vm_json_string(ev, "function");
	struct json_object *v;
	uint64_t u;

	count_event(log, name);
	if (!strcmp(name, "start")) {
		if (function && strcmp(function, "igd"))
			return;
		log->started = true;
		copy_text(log->device_id, sizeof(log->device_id), vm_json_string(ev, "device_id"));
		copy_text(log->pci_class, sizeof(log->pci_class), vm_json_string(ev, "class"));
		copy_text(log->strategy, sizeof(log->strategy), vm_json_string(ev, "strategy"));
		copy_text(log->bdsm_register_at_start, sizeof(log->bdsm_register_at_start),
			  vm_json_string(ev, "bdsm_register"));
		if (json_object_object_get_ex(ev, "generation", &v))
			log->generation = json_object_get_int(v);
		log->image_size = -1;
		if (json_object_object_get_ex(ev, "image_size", &v) &&
		    json_object_is_type(v, json_type_int))
			log->image_size = json_object_get_int64(v);
	} else if (!strcmp(name, "sysmem")) {
		log->sysmem = true;
		if (json_object_object_get_ex(ev, "regions", &v) &&
		    json_object_is_type(v, json_type_array))
			log->sysmem_regions = (unsigned)json_object_array_length(v);
	} else if (!strcmp(name, "asls_write")) {
		log->asls_writes++;
		log->asls_value = vm_json_hex(ev, "value", &u) ? u : 0;
		copy_text(log->asls_guest_copy, sizeof(log->asls_guest_copy),
			  vm_json_string(ev, "guest_copy"));
		log->asls_has_differs_at = vm_json_hex(ev, "differs_at", &log->asls_differs_at);
	} else if (!strcmp(name, "bdsm_write")) {
		log->bdsm_writes++;
		copy_text(log->bdsm_register, sizeof(log->bdsm_register),
			  vm_json_string(ev, "register"));
		log->bdsm_value = vm_json_hex(ev, "value", &u) ? u : 0;
	} else if (!strcmp(name, "ggc_write")) {
		log->ggc_writes++;
	} else if (!strcmp(name, "swsci_write")) {
		log->swsci_writes++;
	} else if (!strcmp(name, "protocol_error")) {
		if (!log->protocol_errors++)
			copy_text(log->protocol_error, sizeof(log->protocol_error),
				  vm_json_string(ev, "reason"));
	} else if (!strcmp(name, "closed")) {
		if (function && strcmp(function, "igd"))
			return;
		log->closed = true;
		copy_text(log->closed_reason, sizeof(log->closed_reason), vm_json_string(ev, "reason"));
	} else if (!strcmp(name, "final")) {
		log->final = true;
		log->final_asls = vm_json_hex(ev, "asls", &u) ? u : 0;
		copy_text(log->final_guest_copy, sizeof(log->final_guest_copy),
			  vm_json_string(ev, "guest_copy"));
		if (json_object_object_get_ex(ev, "host_image_unchanged", &v) &&
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
		    !(name = vm_json_string(ev, "event"))) {
			log->bad_lines++;
		} else {
			device_event(log, ev, name);
		}
		json_object_put(ev);
		json_tokener_free(tok);
	}
}

static struct json_object *hex_json(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_object_new_string(buf);
}

struct json_object *vm_device_log_json(const struct vm_device_log *log)
{
	struct json_object *obj = json_object_new_object();
	struct json_object *events = json_object_new_object();

	for (unsigned i = 0; i < log->nkinds; i++)
		json_object_object_add(events, log->kinds[i].name,
				       json_object_new_int((int)log->kinds[i].count));
	json_object_object_add(obj, "events", events);
	json_object_object_add(obj, "lines", json_object_new_int((int)log->lines));
	json_object_object_add(obj, "bad_lines", json_object_new_int((int)log->bad_lines));
	if (log->started) {
		struct json_object *start = json_object_new_object();

		json_object_object_add(start, "device_id", json_object_new_string(log->device_id));
		json_object_object_add(start, "generation", json_object_new_int(log->generation));
		json_object_object_add(start, "class", json_object_new_string(log->pci_class));
		json_object_object_add(start, "strategy", json_object_new_string(log->strategy));
		if (log->image_size >= 0)
			json_object_object_add(start, "image_size",
					       json_object_new_int64(log->image_size));
		json_object_object_add(obj, "start", start);
	}
	if (log->asls_writes) {
		struct json_object *w = json_object_new_object();

		json_object_object_add(w, "count", json_object_new_int((int)log->asls_writes));
		json_object_object_add(w, "value", hex_json(log->asls_value));
		json_object_object_add(w, "guest_copy", json_object_new_string(log->asls_guest_copy));
		if (log->asls_has_differs_at)
			json_object_object_add(w, "differs_at", hex_json(log->asls_differs_at));
		json_object_object_add(obj, "asls_write", w);
	}
	if (log->bdsm_writes) {
		struct json_object *w = json_object_new_object();

		json_object_object_add(w, "register", json_object_new_string(log->bdsm_register));
		json_object_object_add(w, "value", hex_json(log->bdsm_value));
		json_object_object_add(obj, "bdsm_write", w);
	}
	if (log->protocol_errors)
		json_object_object_add(obj, "protocol_error",
				       json_object_new_string(log->protocol_error));
	if (log->final) {
		struct json_object *f = json_object_new_object();

		json_object_object_add(f, "asls", hex_json(log->final_asls));
		json_object_object_add(f, "guest_copy", json_object_new_string(log->final_guest_copy));
		if (log->final_has_unchanged)
			json_object_object_add(f, "host_image_unchanged",
					       json_object_new_boolean(log->final_host_image_unchanged));
		json_object_object_add(obj, "final", f);
	}
	return obj;
}

/* Copies line [line, line+n) NUL-terminated into buf; false if it does not fit. */
static bool line_copy(char *buf, size_t size, const char *line, size_t n)
{
	if (n >= size)
		return false;
	memcpy(buf, line, n);
	buf[n] = 0;
	return true;
}

void vm_firmware_log_parse(const char *text, size_t len, struct vm_firmware_log *fw)
{
	size_t pos = 0;

	memset(fw, 0, sizeof(*fw));
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		char buf[256];
		const char *p;

		pos += n + (nl ? 1 : 0);
		while (n && line[n - 1] == '\r')
			n--;
		if (!line_copy(buf, sizeof(buf), line, n))
			continue;
		/* SeaBIOS src/fw/pciinit.c intel_igd_setup() messages. */
		if ((p = strstr(buf, "Intel IGD OpRegion enabled at "))) {
			unsigned long long addr;
			unsigned kib = 0;
			char dev[VM_TEXT_SMALL] = "";

			if (sscanf(p, "Intel IGD OpRegion enabled at %llx, size %uKB, dev %31s", &addr,
				   &kib, dev) >= 1) {
				fw->opregion = true;
				fw->opregion_addr = addr;
				fw->opregion_kib = kib;
				copy_text(fw->opregion_dev, sizeof(fw->opregion_dev), dev);
			}
		} else if ((p = strstr(buf, "Intel IGD BDSM enabled at "))) {
			unsigned long long addr, mib = 0;

			if (sscanf(p, "Intel IGD BDSM enabled at %llx, size %lluMB", &addr, &mib) >= 1) {
				fw->bdsm = true;
				fw->bdsm_addr = addr;
				fw->bdsm_mib = mib;
			}
		} else if (strstr(buf, "Unable to allocate resource")) {
			fw->noalloc = true;
		} else if (!fw->version[0] && (p = strstr(buf, "SeaBIOS (version "))) {
			const char *v = p + strlen("SeaBIOS (version ");
			size_t vn = strcspn(v, ")");

			if (vn < sizeof(fw->version)) {
				memcpy(fw->version, v, vn);
				fw->version[vn] = 0;
			}
		}
	}
}

int vm_probe_line_parse(const char *text, size_t len, struct json_object **obj, char *err,
			size_t err_size)
{
	const size_t plen = strlen(VM_PROBE_PREFIX);
	const char *found = NULL;
	size_t found_len = 0, pos = 0;
	struct json_tokener *tok;
	struct json_object *o;
	int ret = 0;

	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		const char *p = line;

		pos += n + (nl ? 1 : 0);
		while (n && line[n - 1] == '\r')
			n--;
		/* The prefix may follow other output on the same line. */
		for (size_t i = 0; i + plen <= n; i++) {
			if (!memcmp(line + i, VM_PROBE_PREFIX, plen)) {
				p = line + i + plen;
				found = p;
				found_len = n - i - plen;
				break;
			}
		}
	}
	if (!found) {
		if (err_size)
			snprintf(err, err_size, "no \"%s{...}\" line on the serial port",
				 VM_PROBE_PREFIX);
		return -ENOENT;
	}
	if (found_len > (size_t)INT32_MAX)
		found_len = (size_t)INT32_MAX;
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	o = json_tokener_parse_ex(tok, found, (int)found_len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(o, json_type_object)) {
		if (err_size)
			snprintf(err, err_size, "the probe's verdict line is not a JSON object: %.80s",
				 found);
		json_object_put(o);
		ret = -EINVAL;
	} else {
		*obj = o;
	}
	json_tokener_free(tok);
	return ret;
}
