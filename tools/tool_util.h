/* SPDX-License-Identifier: MIT */
/* Helpers shared by the igdpt subcommands: option parsing glue, warnings
 * as text and JSON, and validating any file igdpt understands. */
#ifndef IGDPT_TOOLS_TOOL_UTIL_H
#define IGDPT_TOOLS_TOOL_UTIL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "igdpt/core/diag.h"
#include "igdpt/guest_image.h"
#include "igdpt/core/opregion.h"
#include "igdpt/core/pci_rom.h"

/* Writes the names of the warning bits, comma separated, into buf. */
void tool_warnings_text(uint32_t warnings, char *buf, size_t size);

/* The outcome of validating one buffer as whatever it is. */
struct tool_validation {
	enum igdpt_image_kind kind;
	int ret;                  /* 0 valid, -EINVAL invalid */
	struct igdpt_diag diag;
	struct igdpt_opregion op; /* when kind is OPREGION and valid */
	struct igdpt_vbt vbt;     /* when kind is VBT and valid */
	struct igdpt_pci_rom_vbt rom; /* when kind is VBIOS: where the VBT is */
};
void tool_validate_buffer(const uint8_t *data, size_t len, struct tool_validation *v);

/* Parses a whole string as an unsigned number, decimal or 0x-prefixed hex
 * ("12", "0x5916"): 0 with *value set, -EINVAL for anything else (empty,
 * sign, space, trailing text), -ERANGE above max. Sizes with units go
 * through igdpt_size_parse() (igdpt/core/size.h) instead. */
int tool_parse_u64(const char *s, uint64_t max, uint64_t *value);

/* --stolen-size SIZE as every command spells it: bytes or binary units
 * (igdpt_size_parse(): 64M, 64MiB, 67108864); 0 means none. On failure
 * prints "igdpt CMD: --stolen-size TEXT: why" and returns -EINVAL. */
int tool_stolen_size_parse(const char *cmd, const char *text, uint64_t *size);
/* Can GGC announce size on this generation (the core's codec,
 * igdpt/core/ggc.h)? 0, or prints why not and returns -EINVAL. */
int tool_stolen_size_check(const char *cmd, uint64_t size, unsigned generation);

/* --device BDF as inspect, dump and qemu-args take it: 0, or prints why
 * it is no PCI address and returns -EINVAL (a usage error, exit 2). */
int tool_device_option(const char *cmd, const char *text);

/* Prints "igdpt CMD: MESSAGE" to stderr. */
void tool_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* After a usage error: one line pointing at the command's help, on stderr
 * ("Try 'igdpt CMD --help' for more information."). */
void tool_usage_hint(const char *cmd);

/* Prints json with a trailing newline to out, pretty. */
void tool_print_json(FILE *out, struct json_object *obj);
/* The --json document of a command that reports on each file it is given
 * (validate, decode, rom --check): the header with the command as its
 * kind, then "files", a new array in *files that the document owns. NULL
 * (and "igdpt CMD: out of memory" printed) when out of memory. */
struct json_object *tool_json_files_document(const char *cmd, struct json_object **files);

/* A library call that writes into a caller-owned buffer and, when cap is too
 * small, returns -ENOSPC with the size it needs in *out_len
 * (igdpt_build_reference(), igdpt_build_wrap_vbt(), igdpt_relocate()). */
typedef int (*tool_fill_fn)(void *ctx, uint8_t *out, size_t cap, size_t *out_len,
			    struct igdpt_diag *diag);
/* Calls fill once with no buffer for the size, then into a fresh malloc'd
 * buffer (*out, caller frees). Returns fill's result; -ENOSPC with
 * diag->reason NULL when out of memory. *out is NULL on failure. */
int tool_fill_alloc(tool_fill_fn fill, void *ctx, uint8_t **out, size_t *out_len,
		    struct igdpt_diag *diag);

/* A tool_fill_fn for igdpt build's two sources (ctx: a tool_build_job). */
struct tool_build_job {
	bool wrap; /* false: the reference OpRegion; true: vbt wrapped in one */
	const uint8_t *vbt;
	size_t vbt_len;
	uint16_t version;
};
int tool_build_fill(void *ctx, uint8_t *out, size_t cap, size_t *out_len,
		    struct igdpt_diag *diag);

/* igdpt_guest_image_policy() (policy NULL: the defaults) into a fresh
 * malloc'd buffer of image_len bytes (*guest, caller frees). Returns the
 * policy's result; -ENOMEM with diag->reason NULL when out of memory.
 * *guest is NULL on failure. */
int tool_guest_image_alloc(const uint8_t *image, size_t image_len,
			   const struct igdpt_guest_policy *policy, uint8_t **guest,
			   size_t *guest_len, struct igdpt_diag *diag);

/* Reads path whole into a malloc'd buffer, or writes data to path
 * atomically ("-": standard output); on failure prints "igdpt CMD: why" and
 * returns < 0. */
int tool_read_file(const char *cmd, const char *path, uint8_t **data, size_t *len);
int tool_write_file(const char *cmd, const char *path, const uint8_t *data, size_t len);

/* Where igdpt's own programs and images are installed: igdpt-device, the
 * probe and the Linux guest, the EFI driver with its ROM and FAT volume
 * (tools/meson.build passes the configured paths). */
#ifndef IGDPT_LIBEXECDIR
#define IGDPT_LIBEXECDIR "/usr/local/libexec/igdpt"
#endif
#ifndef IGDPT_PROBE_DIR
#define IGDPT_PROBE_DIR "/usr/local/lib/igdpt"
#endif
#ifndef IGDPT_EFI_DIR
#define IGDPT_EFI_DIR "/usr/local/lib/igdpt"
#endif

/* What to do when a file igdpt builds is missing. */
#define TOOL_BUILD_HINT "build igdpt first (ninja -C <builddir>)"

/* mkdir -p (mode 0755); *created is set when the last component is new.
 * 0 or -errno. */
int tool_mkdir_p(const char *path, bool *created);
/* A regular file that access(mode) allows. */
bool tool_is_file(const char *path, int mode);
/* Finds a file igdpt ships: $env, else <builddir>/<rel> beside this
 * executable (<builddir>/tools/igdpt), else the installed path. Returns 0
 * with out filled, or -ENOENT with err naming every place tried and then
 * hint (NULL: TOOL_BUILD_HINT). */
int tool_find_helper(const char *what, const char *env, const char *rel, const char *installed,
		     int mode, const char *hint, char *out, size_t size, char *err,
		     size_t err_size);

#endif
