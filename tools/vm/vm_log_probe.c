/* SPDX-License-Identifier: MIT */
/* The guest probe's verdict line and its object (see vm_log_probe.h). */
#include "vm_log_probe.h"

#include <errno.h>
#include <string.h>

#include "igdpt/abi/probe_report.h"
#include "tool_util.h"

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

	if (!v)
		return false;
	if (json_object_is_type(v, json_type_int)) {
		int64_t i = json_object_get_int64(v);

		if (i < 0)
			return false;
		*value = (uint64_t)i;
		return true;
	}
	const char *s = vm_json_string(obj, path);

	return s && tool_parse_u64(s, UINT64_MAX, value) == 0;
}

int vm_probe_line_parse(const char *text, size_t len, struct json_object **obj, char *err,
			size_t err_size)
{
	const size_t plen = strlen(IGDPT_PROBE_LINE_PREFIX);
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
			if (!memcmp(line + i, IGDPT_PROBE_LINE_PREFIX, plen)) {
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
				 IGDPT_PROBE_LINE_PREFIX);
		return -ENOENT;
	}
	if (found_len > (size_t)INT32_MAX)
		found_len = (size_t)INT32_MAX;
	tok = json_tokener_new();
	if (!tok) {
		if (err_size)
			snprintf(err, err_size, "out of memory reading the probe's verdict line");
		return -ENOMEM;
	}
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
