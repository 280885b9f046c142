/* SPDX-License-Identifier: MIT */
/* igdpt prepare: host OpRegion dump -> the image igdpt publishes to a guest. */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/core/errno.h"
#include "igdpt/guest_image.h"
#include "igdpt/core/opregion.h"
#include "igdpt/core/relocate.h"
#include "igdpt/core/vbt.h"
#include "json_image.h"
#include "json_out.h"
#include "tool_util.h"

static const char usage_text[] =
	"usage: igdpt prepare -i HOST_OPREGION [--extended-vbt FILE] [--keep-swsci]\n"
	"                     [--json] -o GUEST_IMAGE\n"
	"\n"
	"Turns a host OpRegion dump into the image igdpt gives a guest: one contiguous,\n"
	"position-independent blob. An extended VBT is appended at 0x2000 with RVDA\n"
	"0x2000 (version 2.0 becomes 2.1, as Linux vfio-pci presents it), so no host\n"
	"physical address reaches the guest; MBOX bit 1 (SWSCI) is cleared, because\n"
	"nothing in a VM answers SWSCI calls and i915 would wait for each.\n"
	"\n"
	"  -i, --input FILE        the host OpRegion (8 KiB dump, or more for 2.1+\n"
	"                          with the extended VBT inside)\n"
	"  --extended-vbt FILE     the extended VBT read from the host's RVDA/RVDS\n"
	"                          (required when a 2.0 OpRegion has RVDA set)\n"
	"  --keep-swsci            publish MBOX bit 1 as the host has it\n"
	"  -o, --output FILE       the guest image (written atomically; nothing is\n"
	"                          written when the host image cannot be made safe);\n"
	"                          - for standard output\n"
	"  --json                  the summary as one JSON document\n"
	"                          (docs/schema/prepare.schema.json; not with -o -)\n"
	"\n"
	"Exit status: 0 written, 1 the input cannot be made into a safe guest image\n"
	"(the reason and byte offset are printed), 2 usage or I/O error.\n";

static const char *source_name(enum igdpt_vbt_source source)
{
	switch (source) {
	case IGDPT_VBT_SOURCE_MAILBOX4:
		return "mailbox 4";
	case IGDPT_VBT_SOURCE_RVDA:
		return "extended VBT at RVDA";
	default:
		return "none";
	}
}

/* What to relocate: the host image and its extended VBT, if any. */
struct relocate_job {
	const uint8_t *host, *ext;
	size_t host_len, ext_len;
};

static int relocate_fill(void *ctx, uint8_t *out, size_t cap, size_t *out_len,
			 struct igdpt_diag *diag)
{
	const struct relocate_job *job = ctx;

	return igdpt_relocate(job->host, job->host_len, job->ext, job->ext_len, out, cap, out_len,
			      diag);
}

/* The summary as a document (docs/schema/prepare.schema.json). */
static void print_json(const char *input, const char *ext_path, const char *output,
		       const char *swsci, const struct igdpt_opregion *op, size_t len)
{
	struct json_object *doc = igdpt_json_document("prepare");

	if (!doc) {
		tool_error("prepare", "out of memory");
		return;
	}
	json_object_object_add(doc, "input", json_object_new_string(input));
	json_object_object_add(doc, "extended_vbt", ext_path ? json_object_new_string(ext_path) : NULL);
	json_object_object_add(doc, "output", json_object_new_string(output));
	json_object_object_add(doc, "swsci", json_object_new_string(swsci));
	json_object_object_add(doc, "image", igdpt_json_opregion(op, len));
	tool_print_json(stdout, doc);
	json_object_put(doc);
}

int cmd_prepare(int argc, char **argv)
{
	static const struct option options[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "extended-vbt", required_argument, NULL, 'e' },
		{ "keep-swsci", no_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *input = NULL, *ext_path = NULL, *output = NULL;
	struct igdpt_guest_policy policy = IGDPT_GUEST_POLICY_INIT;
	uint8_t *host = NULL, *ext = NULL, *image = NULL, *guest = NULL;
	size_t host_len = 0, ext_len = 0, image_len = 0, guest_len = 0, dropped;
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	int status = IGDPT_EXIT_USAGE;
	struct relocate_job job;
	char warnings[512];
	const char *swsci;
	bool json = false;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "i:o:h", options, NULL)) != -1) {
		switch (opt) {
		case 'i':
			input = optarg;
			break;
		case 'e':
			ext_path = optarg;
			break;
		case 'k':
			policy.keep_swsci = true;
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
			tool_usage_hint("prepare");
			return IGDPT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tool_error("prepare", "unexpected argument '%s'", argv[optind]);
		goto usage;
	}
	if (!input || !output) {
		tool_error("prepare", "%s", !input ? "no host OpRegion (-i FILE)"
						   : "no output file (-o FILE)");
		goto usage;
	}

	if (json && !strcmp(output, "-")) {
		tool_error("prepare", "--json and -o - both want standard output");
		goto usage;
	}
	if (tool_read_file("prepare", input, &host, &host_len) < 0 ||
	    (ext_path && tool_read_file("prepare", ext_path, &ext, &ext_len) < 0))
		goto out;
	if (igdpt_image_detect(host, host_len) == IGDPT_IMAGE_VBT) {
		tool_error("prepare", "%s: a bare VBT, not an OpRegion (\"$VBT\" at 0x0): "
				      "wrap it with igdpt build --vbt", input);
		status = IGDPT_EXIT_INVALID;
		goto out;
	}
	if (ext) {
		struct igdpt_vbt vbt;

		/* Checked here so a fault is reported against the right file. */
		if (igdpt_vbt_parse(ext, ext_len, &vbt, &diag) < 0) {
			tool_error("prepare", "%s: not a valid extended VBT: %s at 0x%zx", ext_path,
				   diag.reason, diag.offset);
			status = IGDPT_EXIT_INVALID;
			goto out;
		}
		diag = (struct igdpt_diag){ 0 };
	}

	job = (struct relocate_job){ host, ext, host_len, ext_len };
	ret = tool_fill_alloc(relocate_fill, &job, &image, &image_len, &diag);
	if (ret < 0) {
		if (ret == -IGDPT_ENOSPC && !diag.reason) {
			tool_error("prepare", "out of memory");
			goto out;
		}
		tool_error("prepare", "%s: cannot make a safe guest image: %s at 0x%zx", input,
			   diag.reason, diag.offset);
		status = IGDPT_EXIT_INVALID;
		goto out;
	}

	ret = tool_guest_image_alloc(image, image_len, &policy, &guest, &guest_len, &diag);
	if (ret == -IGDPT_ENOMEM && !diag.reason) {
		tool_error("prepare", "out of memory");
		goto out;
	}
	if (ret < 0) {
		tool_error("prepare", "%s: guest image policy refused it: %s at 0x%zx", input,
			   diag.reason, diag.offset);
		status = IGDPT_EXIT_INVALID;
		goto out;
	}
	if (igdpt_opregion_parse(guest, guest_len, &op, NULL) < 0) {
		/* Both steps validated already; this only guards the summary. */
		tool_error("prepare", "%s: internal error: guest image does not validate", input);
		status = IGDPT_EXIT_INVALID;
		goto out;
	}
	/* The OpRegion ends at 8 KiB or RVDA + RVDS (igdpt_opregion_extent());
	 * what the input has past that reaches no guest and is not written. */
	dropped = ext ? (host_len > IGDPT_OPREGION_BASE_SIZE ? host_len - IGDPT_OPREGION_BASE_SIZE : 0)
		      : (host_len > guest_len ? host_len - guest_len : 0);
	if (dropped)
		fprintf(stderr, "igdpt prepare: %s: warning: %zu bytes after the OpRegion's end "
				"(0x%zx) are not written: no guest reads them\n",
			input, dropped, host_len - dropped);
	if (tool_write_file("prepare", output, guest, guest_len) < 0)
		goto out;

	swsci = ret == 1 ? "cleared" : (op.mbox & IGDPT_MBOX_SWSCI) ? "kept" : "absent";
	if (json) {
		print_json(input, ext_path, output, swsci, &op, guest_len);
	} else {
		tool_warnings_text(diag.warnings, warnings, sizeof(warnings));
		/* With -o - the image is standard output: the summary goes aside. */
		fprintf(strcmp(output, "-") ? stdout : stderr,
			"%s: OpRegion %u.%u, %zu bytes, VBT: %s (offset 0x%zx), SWSCI %s%s%s%s\n",
			output, op.major, op.minor, guest_len, source_name(op.vbt_source),
			op.vbt_offset, swsci, warnings[0] ? " (warnings: " : "", warnings,
			warnings[0] ? ")" : "");
	}
	status = IGDPT_EXIT_OK;
	goto out;

usage:
	tool_usage_hint("prepare");
out:
	free(guest);
	free(image);
	free(ext);
	free(host);
	return status;
}
