/* SPDX-License-Identifier: MIT */
/* igdpt validate: is each file a valid OpRegion, VBT or video BIOS (its
 * VBT), and if not, why and where. */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "igdpt/file.h"
#include "json_out.h"
#include "tool_util.h"

static const char usage_text[] =
	"usage: igdpt validate [--json] FILE...\n"
	"\n"
	"Checks each file as an OpRegion (\"IntelGraphicsMem\"), a bare VBT (\"$VBT\") or\n"
	"a video BIOS (a PCI option ROM, 0x55AA: what /sys/bus/pci/devices/.../rom\n"
	"gives), detected from its first bytes, with the rules a guest driver applies\n"
	"and stricter; in a video BIOS, the VBT is looked for as i915 does.\n"
	"Prints one line per file: 'FILE: ok' or 'FILE: invalid: REASON at 0xOFFSET';\n"
	"tolerated firmware quirks are listed as warnings.\n"
	"\n"
	"  --json   one JSON document (docs/schema/validate.schema.json): \"files\", an\n"
	"           object per file: file, valid, image_kind, reason, offset, warnings\n"
	"           (and version, vbt_source, bdb_version when valid; vbt_offset,\n"
	"           vbt_size and rom_size for a video BIOS)\n"
	"\n"
	"Exit status: 0 all valid, 1 any invalid, 2 usage or I/O error.\n";

static struct json_object *result_json(const char *path, const struct tool_validation *v)
{
	struct json_object *obj = json_object_new_object();
	bool valid = v->ret >= 0;

	json_object_object_add(obj, "file", json_object_new_string(path));
	json_object_object_add(obj, "valid", json_object_new_boolean(valid));
	json_object_object_add(obj, "image_kind", json_object_new_string(igdpt_image_kind_name(v->kind)));
	json_object_object_add(obj, "reason", valid ? NULL : json_object_new_string(v->diag.reason));
	json_object_object_add(obj, "offset", valid ? NULL : json_object_new_int64((int64_t)v->diag.offset));
	json_object_object_add(obj, IGDPT_JSON_KEY_WARNINGS, igdpt_json_warnings(v->diag.warnings));
	if (valid && v->kind == IGDPT_IMAGE_OPREGION) {
		char version[16];

		snprintf(version, sizeof(version), "%u.%u.%u", v->op.major, v->op.minor, v->op.revision);
		json_object_object_add(obj, "version", json_object_new_string(version));
		json_object_object_add(obj, "vbt_source",
				       json_object_new_string(igdpt_vbt_source_name(v->op.vbt_source)));
		if (v->op.vbt_source != IGDPT_VBT_SOURCE_NONE)
			json_object_object_add(obj, "bdb_version", json_object_new_int(v->op.vbt.bdb_version));
	} else if (valid && v->kind == IGDPT_IMAGE_VBT) {
		json_object_object_add(obj, "bdb_version", json_object_new_int(v->vbt.bdb_version));
	} else if (valid && v->kind == IGDPT_IMAGE_VBIOS) {
		json_object_object_add(obj, "bdb_version", json_object_new_int(v->rom.vbt.bdb_version));
		json_object_object_add(obj, "vbt_offset", json_object_new_int64((int64_t)v->rom.offset));
		json_object_object_add(obj, "vbt_size", json_object_new_int(v->rom.vbt.vbt_size));
		json_object_object_add(obj, "rom_size", json_object_new_int64((int64_t)v->rom.rom_size));
	}
	return obj;
}

static void print_text(const char *path, const struct tool_validation *v)
{
	char warnings[512];

	tool_warnings_text(v->diag.warnings, warnings, sizeof(warnings));
	if (v->ret >= 0 && v->kind == IGDPT_IMAGE_VBIOS)
		printf("%s: ok: video BIOS, VBT at 0x%zx (BDB %u, %u bytes)%s%s%s\n", path,
		       v->rom.offset, v->rom.vbt.bdb_version, v->rom.vbt.vbt_size,
		       warnings[0] ? " (warnings: " : "", warnings, warnings[0] ? ")" : "");
	else if (v->ret >= 0)
		printf("%s: ok%s%s%s\n", path, warnings[0] ? " (warnings: " : "", warnings,
		       warnings[0] ? ")" : "");
	else
		printf("%s: invalid: %s at 0x%zx%s%s%s\n", path, v->diag.reason, v->diag.offset,
		       warnings[0] ? " (warnings: " : "", warnings, warnings[0] ? ")" : "");
	/* The one warning that changes what the guest gets: say where i915
	 * will look instead. */
	if (v->diag.warnings & IGDPT_WARN_NO_VBT)
		printf("  %s: %s\n", igdpt_warning_name(IGDPT_WARN_NO_VBT),
		       igdpt_warning_text(IGDPT_WARN_NO_VBT));
}

int cmd_validate(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct json_object *doc = NULL, *results = NULL;
	bool json = false;
	int status = IGDPT_EXIT_OK;
	int opt;

	while ((opt = getopt_long(argc, argv, "jh", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return IGDPT_EXIT_OK;
		default:
			tool_usage_hint("validate");
			return IGDPT_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		tool_error("validate", "no file given");
		tool_usage_hint("validate");
		return IGDPT_EXIT_USAGE;
	}
	if (json) {
		doc = tool_json_files_document("validate", &results);
		if (!doc)
			return IGDPT_EXIT_USAGE;
	}

	for (int i = optind; i < argc; i++) {
		struct tool_validation v;
		char err[512];
		struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
		uint8_t *data;
		size_t len;

		if (igdpt_file_read(argv[i], &data, &len, &diag) < 0) {
			tool_error("validate", "%s", diag.reason);
			if (json) {
				struct json_object *obj = json_object_new_object();

				json_object_object_add(obj, "file", json_object_new_string(argv[i]));
				json_object_object_add(obj, "valid", json_object_new_boolean(0));
				json_object_object_add(obj, "image_kind",
						       json_object_new_string(igdpt_image_kind_name(IGDPT_IMAGE_UNKNOWN)));
				json_object_object_add(obj, "reason", json_object_new_string(diag.reason));
				json_object_object_add(obj, "offset", NULL);
				json_object_object_add(obj, IGDPT_JSON_KEY_WARNINGS, igdpt_json_warnings(0));
				json_object_array_add(results, obj);
			}
			status = IGDPT_EXIT_USAGE;
			continue;
		}
		tool_validate_buffer(data, len, &v);
		if (json)
			json_object_array_add(results, result_json(argv[i], &v));
		else
			print_text(argv[i], &v);
		if (v.ret < 0 && status == IGDPT_EXIT_OK)
			status = IGDPT_EXIT_INVALID;
		free(data);
	}
	if (json) {
		tool_print_json(stdout, doc);
		json_object_put(doc);
	}
	return status;
}
