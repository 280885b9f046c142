/* SPDX-License-Identifier: MIT */
/* igdpt decode: every field of an OpRegion or VBT, as text or JSON. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "igdpt/decode.h"
#include "igdpt/file.h"
#include "tool_util.h"

/* Block ids are one byte. */
#define BLOCK_ID_MAX 255L

static const char usage_text[] =
	"usage: igdpt decode [--json] [--block N] [--all-panels] FILE\n"
	"\n"
	"Decodes an OpRegion (\"IntelGraphicsMem\") or a bare VBT (\"$VBT\"), detected\n"
	"from its first bytes: the OpRegion header and the mailboxes its MBOX field\n"
	"announces, the VBT and BDB headers, the id, size and offset of every BDB block,\n"
	"and the contents of the blocks i915 uses (1, 2, 12, 27, 40-44, 52, 53, 56, 58).\n"
	"An invalid file is decoded as far as it goes, followed by the reason.\n"
	"\n"
	"  --json      print the decoded tree as JSON\n"
	"  --block N   show only BDB block N\n"
	"  --all-panels  per-panel tables for all 16 panels, not only the VBT's\n"
	"              panel type\n"
	"\n"
	"Exit status: 0 valid, 1 invalid (or block N absent), 2 usage or I/O error.\n";

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

static bool has_blocks(struct json_object *tree)
{
	struct json_object *vbt, *blocks;

	return json_object_object_get_ex(tree, "vbt", &vbt) &&
	       json_object_object_get_ex(vbt, "blocks", &blocks) &&
	       json_object_array_length(blocks) > 0;
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
	struct json_object *tree = NULL;
	struct igdpt_decode_options dopt = { .block = IGDPT_DECODE_ALL_BLOCKS };
	bool json = false;
	char err[512];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	uint8_t *data = NULL;
	size_t len;
	int opt, ret, status;

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
			dopt.all_panels = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return IGDPT_EXIT_OK;
		default:
			tool_usage_hint("decode");
			return IGDPT_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		tool_error("decode", optind >= argc ? "no file given" : "one file at a time");
		tool_usage_hint("decode");
		return IGDPT_EXIT_USAGE;
	}
	if (igdpt_file_read(argv[optind], &data, &len, &diag) < 0) {
		tool_error("decode", "%s", diag.reason);
		return IGDPT_EXIT_USAGE;
	}
	ret = igdpt_decode(data, len, argv[optind], &dopt, &tree);
	if (ret == -ENOMEM) {
		tool_error("decode", "%s: out of memory", argv[optind]);
		status = IGDPT_EXIT_USAGE;
		goto free_data;
	}
	if (json)
		tool_print_json(stdout, tree);
	else
		igdpt_decode_print(stdout, tree);
	status = ret == 0 ? IGDPT_EXIT_OK : IGDPT_EXIT_INVALID;
	if (ret < 0) {
		struct json_object *reason, *offset;

		json_object_object_get_ex(tree, "reason", &reason);
		json_object_object_get_ex(tree, "offset", &offset);
		tool_error("decode", "%s: invalid: %s at 0x%" PRIx64, argv[optind],
			   json_object_get_string(reason), (uint64_t)json_object_get_int64(offset));
	}
	if (dopt.block >= 0 && !has_blocks(tree)) {
		tool_error("decode", "%s: no block %d", argv[optind], dopt.block);
		status = IGDPT_EXIT_INVALID;
	}
	json_object_put(tree);
free_data:
	free(data);
	return status;
}
