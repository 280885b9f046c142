/* SPDX-License-Identifier: MIT */
/* igdpt build: write the reference OpRegion, or a real VBT wrapped in one. */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "igdpt/build.h"
#include "igdpt/core/errno.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/guest_image.h"
#include "json_image.h"
#include "json_out.h"
#include "tool_util.h"

static const char usage_text[] =
	"usage: igdpt build --reference [--opregion-version V] [--guest] [--json] -o FILE\n"
	"       igdpt build --vbt VBT [--opregion-version V] [--guest] [--json] -o FILE\n"
	"\n"
	"Writes an OpRegion image.\n"
	"  --reference            a complete synthetic OpRegion: header, mailboxes 1-5,\n"
	"                         and a VBT built by igdpt for a Kaby Lake-class laptop\n"
	"                         (eDP on port A, DP/HDMI on B-D) in mailbox 4\n"
	"  --vbt VBT              wrap the real VBT file VBT: in mailbox 4 when it fits\n"
	"                         6 KiB, else as an extended VBT at 0x2000 (RVDA 0x2000,\n"
	"                         RVDS rounded up to 512), which needs version 2.1+\n"
	"  --opregion-version V   2.0 (default), 2.1 or 3.0\n"
	"  --guest                apply the guest image policy: clear MBOX bit 1 (SWSCI),\n"
	"                         as igdpt publishes images to guests\n"
	"  -o, --output FILE      where to write (atomically; nothing on failure);\n"
	"                         - for standard output\n"
	"  --json                 describe what was written as one JSON document\n"
	"                         (docs/schema/build.schema.json; not with -o -)\n"
	"\n"
	"Exit status: 0 written, 1 the VBT is invalid or cannot be wrapped in that\n"
	"version, 2 usage or I/O error.\n";

static void print_warnings(const char *what, uint32_t warnings)
{
	char text[512];

	if (!warnings)
		return;
	tool_warnings_text(warnings, text, sizeof(text));
	fprintf(stderr, "igdpt build: %s: warnings: %s\n", what, text);
}

/* What was written, as a document (docs/schema/build.schema.json). */
static void print_json(const char *output, const char *vbt_path, const char *version_text,
		       bool guest_policy, int policy_ret, const uint8_t *image, size_t len)
{
	struct json_object *doc = igdpt_json_document("build");
	struct igdpt_opregion op;

	if (!doc || igdpt_opregion_parse(image, len, &op, NULL) < 0) {
		/* Validated by the builder; this only guards the summary. */
		tool_error("build", "cannot describe the image it wrote");
		json_object_put(doc);
		return;
	}
	json_object_object_add(doc, "output", json_object_new_string(output));
	json_object_object_add(doc, "source", json_object_new_string(vbt_path ? "vbt" : "reference"));
	json_object_object_add(doc, "vbt", vbt_path ? json_object_new_string(vbt_path) : NULL);
	json_object_object_add(doc, "opregion_version", json_object_new_string(version_text));
	json_object_object_add(doc, "guest_policy", json_object_new_boolean(guest_policy));
	json_object_object_add(doc, "swsci",
			       json_object_new_string(policy_ret == 1 ? "cleared"
						      : (op.mbox & IGDPT_MBOX_SWSCI) ? "kept"
						      : "absent"));
	json_object_object_add(doc, "image", igdpt_json_opregion(&op, len));
	tool_print_json(stdout, doc);
	json_object_put(doc);
}

int cmd_build(int argc, char **argv)
{
	static const struct option options[] = {
		{ "reference", no_argument, NULL, 'r' },
		{ "vbt", required_argument, NULL, 'v' },
		{ "opregion-version", required_argument, NULL, 'V' },
		{ "guest", no_argument, NULL, 'g' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *vbt_path = NULL, *output = NULL, *version_text = "2.0";
	uint16_t version = IGDPT_BUILD_VERSION_DEFAULT;
	struct igdpt_diag diag = { 0 };
	uint8_t *vbt = NULL, *image = NULL, *guest = NULL;
	size_t vbt_len = 0, image_len = 0, guest_len = 0;
	bool reference = false, guest_policy = false, json = false;
	int policy_ret = 0;
	int status = IGDPT_EXIT_USAGE;
	struct tool_build_job job;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		switch (opt) {
		case 'r':
			reference = true;
			break;
		case 'v':
			vbt_path = optarg;
			break;
		case 'V':
			version_text = optarg;
			break;
		case 'g':
			guest_policy = true;
			break;
		case 'o':
			output = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return IGDPT_EXIT_OK;
		default:
			tool_usage_hint("build");
			return IGDPT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tool_error("build", "unexpected argument '%s'", argv[optind]);
		goto usage;
	}
	if (reference == !!vbt_path) {
		tool_error("build", "give exactly one of --reference and --vbt VBT");
		goto usage;
	}
	if (!output) {
		tool_error("build", "no output file (-o FILE)");
		goto usage;
	}
	if (json && !strcmp(output, "-")) {
		tool_error("build", "--json and -o - both want standard output");
		goto usage;
	}
	if (igdpt_build_parse_version(version_text, &version) < 0) {
		tool_error("build", "unsupported --opregion-version '%s' (2.0, 2.1 or 3.0)",
			   version_text);
		goto usage;
	}

	if (vbt_path && tool_read_file("build", vbt_path, &vbt, &vbt_len) < 0)
		goto out;
	job = (struct tool_build_job){ .wrap = vbt_path != NULL, .vbt = vbt, .vbt_len = vbt_len, .version = version };
	ret = tool_fill_alloc(tool_build_fill, &job, &image, &image_len, &diag);
	if (ret < 0) {
		if (ret == -IGDPT_ENOSPC && !diag.reason)
			tool_error("build", "out of memory");
		else
			tool_error("build", "%s: cannot build a %s OpRegion: %s at 0x%zx",
				   vbt_path ? vbt_path : "reference", version_text, diag.reason,
				   diag.offset);
		status = ret == -IGDPT_EINVAL ? IGDPT_EXIT_INVALID : IGDPT_EXIT_USAGE;
		goto out;
	}
	print_warnings(vbt_path ? vbt_path : "reference", diag.warnings);

	if (guest_policy) {
		struct igdpt_diag gdiag = { 0 };

		ret = policy_ret = tool_guest_image_alloc(image, image_len, NULL, &guest, &guest_len,
							  &gdiag);
		if (ret == -IGDPT_ENOMEM && !gdiag.reason) {
			tool_error("build", "out of memory");
			goto out;
		}
		if (ret < 0) {
			tool_error("build", "guest image policy: %s at 0x%zx", gdiag.reason,
				   gdiag.offset);
			status = IGDPT_EXIT_INVALID;
			goto out;
		}
	}
	if (tool_write_file("build", output, guest ? guest : image,
			    guest ? guest_len : image_len) < 0)
		goto out;
	if (json)
		print_json(output, vbt_path, version_text, guest_policy, policy_ret,
			   guest ? guest : image, guest ? guest_len : image_len);
	status = IGDPT_EXIT_OK;
	goto out;

usage:
	tool_usage_hint("build");
out:
	free(guest);
	free(image);
	free(vbt);
	return status;
}
