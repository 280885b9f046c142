/* SPDX-License-Identifier: MIT */
/* Helpers shared by the igdpt subcommands. */
#include "tool_util.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "igdpt/build.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/ggc.h"
#include "igdpt/core/size.h"
#include "igdpt/file.h"

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

int tool_parse_u64(const char *s, uint64_t max, uint64_t *value)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (*end || end == s)
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	if (errno)
		return -EINVAL;
	*value = v;
	return 0;
}

int tool_stolen_size_parse(const char *cmd, const char *text, uint64_t *size)
{
	int ret = igdpt_size_parse(text, size);

	if (ret == 0)
		return 0;
	tool_error(cmd, "--stolen-size %s: %s", text,
		   ret == -ERANGE ? "too large"
				  : "expected a size such as 64M (bytes, or binary units K, M, G, T)");
	return -EINVAL;
}

int tool_stolen_size_check(const char *cmd, uint64_t size, unsigned generation)
{
	uint16_t ggc;

	if (!size || igdpt_ggc_encode(generation, size, &ggc) == 0)
		return 0;
	tool_error(cmd, "--stolen-size %" PRIu64 "%s: generation %u cannot announce it in GGC "
			"(GMS: multiples of 32M; from generation 9 also 4M..60M in 4M steps)",
		   size % (1u << 20) ? size : size >> 20, size % (1u << 20) ? "" : "M", generation);
	return -EINVAL;
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

int tool_fill_alloc(tool_fill_fn fill, void *ctx, uint8_t **out, size_t *out_len,
		    struct igdpt_diag *diag)
{
	size_t need = 0;
	int ret;

	*out = NULL;
	ret = fill(ctx, NULL, 0, &need, diag);
	if (ret != -IGDPT_ENOSPC)
		return ret;
	/* The size query's "too small" is not the caller's error. */
	*diag = (struct igdpt_diag){ 0 };
	*out = malloc(need);
	if (!*out)
		return -IGDPT_ENOSPC;
	ret = fill(ctx, *out, need, out_len, diag);
	if (ret < 0) {
		free(*out);
		*out = NULL;
	}
	return ret;
}

int tool_build_fill(void *ctx, uint8_t *out, size_t cap, size_t *out_len,
		    struct igdpt_diag *diag)
{
	const struct tool_build_job *job = ctx;

	return job->wrap ? igdpt_build_wrap_vbt(job->vbt, job->vbt_len, job->version, out, cap,
						out_len, diag)
			 : igdpt_build_reference(job->version, out, cap, out_len, diag);
}

int tool_guest_image_alloc(const uint8_t *image, size_t image_len,
			   const struct igdpt_guest_policy *policy, uint8_t **guest,
			   size_t *guest_len, struct igdpt_diag *diag)
{
	int ret;

	/* The policy never grows an image: image_len bytes always suffice. */
	*guest = malloc(image_len);
	if (!*guest)
		return -IGDPT_ENOMEM;
	ret = igdpt_guest_image_policy(image, image_len, policy, *guest, image_len, guest_len,
				       diag);
	if (ret < 0) {
		free(*guest);
		*guest = NULL;
	}
	return ret;
}

int tool_read_file(const char *cmd, const char *path, uint8_t **data, size_t *len)
{
	char err[512];
	int ret = igdpt_file_read(path, data, len, err, sizeof(err));

	if (ret < 0)
		tool_error(cmd, "%s", err);
	return ret;
}

void tool_usage_hint(const char *cmd)
{
	fprintf(stderr, "Try 'igdpt %s --help' for more information.\n", cmd);
}

/* "-o -": the bytes go to standard output, all or an error. */
static int write_stdout(const char *cmd, const uint8_t *data, size_t len)
{
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
		tool_error(cmd, "cannot write to standard output: %s", strerror(errno));
		return -EIO;
	}
	return 0;
}

int tool_write_file(const char *cmd, const char *path, const uint8_t *data, size_t len)
{
	char err[512];
	int ret;

	if (!strcmp(path, "-"))
		return write_stdout(cmd, data, len);
	ret = igdpt_file_write(path, data, len, err, sizeof(err));

	if (ret < 0)
		tool_error(cmd, "%s", err);
	return ret;
}
