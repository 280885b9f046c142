/* SPDX-License-Identifier: MIT */
/* Helpers shared by the igdpt subcommands. */
#include "tool_util.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "igdpt/errno.h"

void tool_warnings_text(uint32_t warnings, char *buf, size_t size)
{
	size_t used = 0;

	if (size)
		buf[0] = 0;
	for (unsigned i = 0; i < IGDPT_WARNING_COUNT; i++) {
		const char *name = igdpt_warning_name(1u << i);
		int n;

		if (!(warnings & (1u << i)) || used >= size)
			continue;
		n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", name);
		if (n > 0)
			used += (size_t)n;
	}
}

struct json_object *tool_warnings_json(uint32_t warnings)
{
	struct json_object *arr = json_object_new_array();

	for (unsigned i = 0; i < IGDPT_WARNING_COUNT; i++)
		if (warnings & (1u << i))
			json_object_array_add(arr, json_object_new_string(igdpt_warning_name(1u << i)));
	return arr;
}

void tool_validate_buffer(const uint8_t *data, size_t len, struct tool_validation *v)
{
	memset(v, 0, sizeof(*v));
	v->kind = igdpt_image_detect(data, len);
	switch (v->kind) {
	case IGDPT_IMAGE_OPREGION:
		v->ret = igdpt_opregion_parse(data, len, &v->op, &v->diag);
		break;
	case IGDPT_IMAGE_VBT:
		v->ret = igdpt_vbt_parse(data, len, &v->vbt, &v->diag);
		break;
	default:
		v->ret = igdpt_diag_fail(&v->diag, -IGDPT_EINVAL, 0,
					 len == 0 ? "empty file"
						  : "neither an OpRegion (\"IntelGraphicsMem\") nor a VBT (\"$VBT\")");
		break;
	}
}

void tool_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "igdpt %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void tool_print_json(FILE *out, struct json_object *obj)
{
	fprintf(out, "%s\n",
		json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_NOSLASHESCAPE));
}
