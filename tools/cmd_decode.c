/* SPDX-License-Identifier: MIT */
/* igdpt decode: every field of an OpRegion, VBT or video BIOS, as text or JSON. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "igdpt/decode.h"
#include "igdpt/file.h"
#include "json_decode.h"
#include "json_out.h"
#include "tool_util.h"

/* Block ids are one byte. */
#define BLOCK_ID_MAX 255L

static const char usage_text[] =
	"usage: igdpt decode [--json] [--block N] [--all-panels] FILE...\n"
	"\n"
	"Decodes each OpRegion (\"IntelGraphicsMem\"), bare VBT (\"$VBT\") or video BIOS\n"
	"(0x55AA; its image chain, and the VBT where i915 finds it), detected\n"
	"from its first bytes: the OpRegion header and the mailboxes its MBOX field\n"
	"announces, the VBT and BDB headers, the id, size and offset of every BDB block,\n"
	"and the contents of the blocks i915 uses (1, 2, 12, 27, 40-44, 52, 53, 56, 58),\n"
	"coded values by name as intel_vbt_decode shows them (\"dvo_port: DP-A (0x0a)\").\n"
	"An invalid file is decoded as far as it goes, followed by the reason. Several\n"
	"files in one run cost far less than one run per file.\n"
	"\n"
	"  --json        one JSON document (docs/schema/decode.schema.json): \"files\",\n"
	"                one object per file\n"
	"  --block N     show only BDB block N\n"
	"  --all-panels  per-panel tables for all 16 panels, not only the VBT's\n"
	"                panel type\n"
	"\n"
	"Exit status: 0 all valid, 1 any invalid (or block N absent), 2 usage or I/O error.\n";

static int parse_block(const char *arg, int *block)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 0);
	if (errno || end == arg || *end || v < 0 || v > BLOCK_ID_MAX)
		return -EINVAL;
	*block = (int)v;
	return 0;
}

/* An unreadable file: an invalid entry that says why, as igdpt validate. */
static struct json_object *unreadable_json(const char *path, const char *why)
{
	struct json_object *obj = json_object_new_object();

	json_object_object_add(obj, "file", json_object_new_string(path));
	json_object_object_add(obj, "image_kind",
			       json_object_new_string(igdpt_image_kind_name(IGDPT_IMAGE_UNKNOWN)));
	json_object_object_add(obj, "valid", json_object_new_boolean(0));
	json_object_object_add(obj, "reason", json_object_new_string(why));
	json_object_object_add(obj, "offset", NULL);
	json_object_object_add(obj, IGDPT_JSON_KEY_WARNINGS, igdpt_json_warnings(0));
	return obj;
}

/* Decodes one file and prints it (text) or adds it to files (JSON).
 * Returns the exit status of this file alone. */
static int decode_one(const char *path, const struct igdpt_decode_options *dopt,
		      struct json_object *files, bool first)
{
	char msg[512];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(msg);
	struct igdpt_decoded *dec = NULL;
	uint8_t *data = NULL;
	size_t len;
	int ret, status;

	if (igdpt_file_read(path, &data, &len, &diag) < 0) {
		tool_error("decode", "%s", diag.reason);
		if (files)
			json_object_array_add(files, unreadable_json(path, diag.reason));
		return IGDPT_EXIT_USAGE;
	}
	ret = igdpt_decode(data, len, path, dopt, &dec);
	if (ret == -ENOMEM || !dec) {
		tool_error("decode", "%s: out of memory", path);
		free(data);
		return IGDPT_EXIT_USAGE;
	}
	status = ret == 0 ? IGDPT_EXIT_OK : IGDPT_EXIT_INVALID;
	if (files) {
		json_object_array_add(files, igdpt_json_decoded(dec));
	} else {
		if (!first)
			fputc('\n', stdout);
		if (igdpt_decode_print_text(stdout, dec) < 0) {
			tool_error("decode", "%s: cannot write the text to standard output", path);
			status = IGDPT_EXIT_USAGE;
		}
	}
	if (ret < 0)
		tool_error("decode", "%s: invalid: %s at 0x%zx", path, dec->reason, dec->offset);
	if (dopt->block >= 0 && dec->blocks_kept == 0) {
		tool_error("decode", "%s: no block %d", path, dopt->block);
		if (status == IGDPT_EXIT_OK)
			status = IGDPT_EXIT_INVALID;
	}
	igdpt_decoded_free(dec);
	free(data);
	return status;
}

/* The worse of two exit statuses: usage/I/O over invalid over ok. */
static int worse(int a, int b)
{
	return a > b ? a : b;
}

int cmd_decode(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "block", required_argument, NULL, 'b' },
		{ "all-panels", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct igdpt_decode_options dopt = IGDPT_DECODE_OPTIONS_INIT;
	struct json_object *doc = NULL, *files = NULL;
	bool json = false;
	int opt, status = IGDPT_EXIT_OK;

	while ((opt = getopt_long(argc, argv, "jb:ah", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'b':
			if (parse_block(optarg, &dopt.block) < 0) {
				tool_error("decode", "--block wants a block id 0-255, not '%s'", optarg);
				return IGDPT_EXIT_USAGE;
			}
			break;
		case 'a':
			dopt.all_panels = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return IGDPT_EXIT_OK;
		default:
			tool_usage_hint("decode");
			return IGDPT_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		tool_error("decode", "no file given");
		tool_usage_hint("decode");
		return IGDPT_EXIT_USAGE;
	}
	if (json) {
		doc = tool_json_files_document("decode", &files);
		if (!doc)
			return IGDPT_EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++)
		status = worse(status, decode_one(argv[i], &dopt, files, i == optind));
	if (json) {
		tool_print_json(stdout, doc);
		json_object_put(doc);
	}
	return status;
}
