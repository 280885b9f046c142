/* SPDX-License-Identifier: MIT */
/* Helpers shared by the igdpt subcommands: option parsing glue, warnings
 * as text and JSON, and validating any file igdpt understands. */
#ifndef IGDPT_TOOLS_TOOL_UTIL_H
#define IGDPT_TOOLS_TOOL_UTIL_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "igdpt/diag.h"
#include "igdpt/opregion.h"

/* Writes the names of the warning bits, comma separated, into buf. */
void tool_warnings_text(uint32_t warnings, char *buf, size_t size);
/* A new JSON array of warning names. */
struct json_object *tool_warnings_json(uint32_t warnings);

/* The outcome of validating one buffer as whatever it is. */
struct tool_validation {
	enum igdpt_image_kind kind;
	int ret;                  /* 0 valid, -EINVAL invalid */
	struct igdpt_diag diag;
	struct igdpt_opregion op; /* when kind is OPREGION and valid */
	struct igdpt_vbt vbt;     /* when kind is VBT and valid */
};
void tool_validate_buffer(const uint8_t *data, size_t len, struct tool_validation *v);

/* Prints "igdpt CMD: MESSAGE" to stderr. */
void tool_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints json with a trailing newline to out, pretty. */
void tool_print_json(FILE *out, struct json_object *obj);

#endif
