/* SPDX-License-Identifier: MIT */
/* Helpers shared by the igdpt subcommands. */
#include "tool_util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "igdpt/build.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/ggc.h"
#include "igdpt/core/size.h"
#include "igdpt/file.h"
#include "igdpt/host.h"
#include "json_out.h"

void tool_warnings_text(uint32_t warnings, char *buf, size_t size)
{
	igdpt_warning_list(warnings, buf, size);
}

void tool_validate_buffer(const uint8_t *data, size_t len, struct tool_validation *v)
{
	struct igdpt_image image = { 0 };

	memset(v, 0, sizeof(*v));
	v->ret = igdpt_image_parse(data, len, &image, &v->diag);
	v->kind = image.kind;
	v->op = image.op;
	v->vbt = image.vbt;
	v->rom = image.rom;
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

int tool_device_option(const char *cmd, const char *text)
{
	struct igdpt_pci_addr addr;

	if (igdpt_pci_addr_parse(text, &addr) == 0)
		return 0;
	tool_error(cmd, "--device '%s': not a PCI address (expected 0000:00:02.0 or 00:02.0)",
		   text);
	tool_usage_hint(cmd);
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

struct json_object *tool_json_files_document(const char *cmd, struct json_object **files)
{
	struct json_object *doc = igdpt_json_document(cmd);

	*files = json_object_new_array();
	if (!doc || !*files) {
		tool_error(cmd, "out of memory");
		json_object_put(*files);
		json_object_put(doc);
		*files = NULL;
		return NULL;
	}
	json_object_object_add(doc, "files", *files);
	return doc;
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
	char msg[512];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(msg);
	int ret = igdpt_file_read(path, data, len, &diag);

	if (ret < 0)
		tool_error(cmd, "%s", diag.reason);
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
	char msg[512];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(msg);
	int ret;

	if (!strcmp(path, "-"))
		return write_stdout(cmd, data, len);
	ret = igdpt_file_write(path, data, len, &diag);
	if (ret < 0)
		tool_error(cmd, "%s", diag.reason);
	return ret;
}

int tool_mkdir_p(const char *path, bool *created)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) == 0) {
		*created = true;
		return 0;
	}
	return errno == EEXIST ? 0 : -errno;
}

bool tool_is_file(const char *path, int mode)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, mode);
}

int tool_find_helper(const char *what, const char *env, const char *rel, const char *installed,
		     int mode, const char *hint, char *out, size_t size, char *err,
		     size_t err_size)
{
	const char *from_env = getenv(env);
	char self[PATH_MAX], built[PATH_MAX * 2] = "";
	ssize_t n;

	if (from_env && *from_env) {
		if (tool_is_file(from_env, mode) && snprintf(out, size, "%s", from_env) < (int)size)
			return 0;
		snprintf(err, err_size, "%s not found at %s (from $%s)", what, from_env, env);
		return -ENOENT;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;

		self[n] = 0;
		/* <builddir>/tools/igdpt -> <builddir> */
		for (int up = 0; up < 2 && (slash = strrchr(self, '/')); up++)
			*slash = 0;
		snprintf(built, sizeof(built), "%s/%s", self, rel);
		if (tool_is_file(built, mode) && snprintf(out, size, "%s", built) < (int)size)
			return 0;
	}
	if (tool_is_file(installed, mode) && snprintf(out, size, "%s", installed) < (int)size)
		return 0;
	snprintf(err, err_size, "%s not found at %s%s%s: %s", what, built, built[0] ? " nor " : "",
		 installed, hint ? hint : TOOL_BUILD_HINT);
	return -ENOENT;
}
