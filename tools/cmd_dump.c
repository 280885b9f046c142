/* SPDX-License-Identifier: MIT */
/* igdpt dump: read the host OpRegion and save the guest-safe image. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "igdpt/file.h"
#include "igdpt/host.h"
#include "json_image.h"
#include "json_out.h"
#include "tool_util.h"

static const char usage_text[] =
	"usage: igdpt dump [--source auto|vfio|debugfs|devmem] [--device BDF] [--root DIR]\n"
	"                  [--json] -o FILE\n"
	"\n"
	"Reads the IGD's OpRegion and writes it to FILE (atomically) after validating it:\n"
	"  vfio     the VFIO device region (device bound to vfio-pci), what QEMU reads\n"
	"  debugfs  /sys/kernel/debug/dri/N/i915_opregion (device bound to i915); it holds\n"
	"           the 8 KiB base only, so an extended VBT comes from i915_vbt\n"
	"  devmem   /dev/mem at ASLS (8 KiB) plus the extended VBT at RVDA (absolute for\n"
	"           OpRegion 2.0, ASLS + RVDA from 2.1)\n"
	"  auto     vfio if bound to vfio-pci, debugfs if bound to i915, then devmem\n"
	"FILE is always the guest-safe image Linux vfio-pci presents: the 8 KiB base,\n"
	"then any extended VBT at 0x2000 with RVDA = 0x2000 (a 2.0 OpRegion becomes\n"
	"2.1), so no host physical address is written. Without --device the only IGD\n"
	"is used. --root DIR reads /sys and /dev under DIR. -o - writes the image to\n"
	"standard output. --json describes what was written as one JSON document\n"
	"(docs/schema/dump.schema.json; not with -o -).\n"
	"\n"
	"Exit status: 0 written, 1 no OpRegion or an invalid one, 2 usage, permission\n"
	"or I/O error.\n";

/* What was written, as a document (docs/schema/dump.schema.json). */
static void print_json(const struct igdpt_host_device *dev, const struct igdpt_host_image *image,
		       const struct igdpt_opregion *op, const char *out)
{
	struct json_object *doc = igdpt_json_document("dump");

	if (!doc) {
		tool_error("dump", "out of memory");
		return;
	}
	json_object_object_add(doc, "device", json_object_new_string(dev->bdf));
	json_object_object_add(doc, "source",
			       json_object_new_string(igdpt_host_source_name(image->source)));
	json_object_object_add(doc, "note", json_object_new_string(image->note));
	json_object_object_add(doc, "relocated", json_object_new_boolean(image->relocated));
	json_object_object_add(doc, "output", json_object_new_string(out));
	json_object_object_add(doc, "image", igdpt_json_opregion(op, image->len));
	tool_print_json(stdout, doc);
	json_object_put(doc);
}

int cmd_dump(int argc, char **argv)
{
	static const struct option options[] = {
		{ "source", required_argument, NULL, 's' },
		{ "device", required_argument, NULL, 'd' },
		{ "root", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct igdpt_host_ctx ctx = IGDPT_HOST_CTX_INIT;
	enum igdpt_host_source source = IGDPT_HOST_SOURCE_AUTO;
	struct igdpt_host_device dev;
	struct igdpt_host_image image;
	struct igdpt_opregion op;
	const char *bdf = NULL, *out = NULL;
	char err[1536];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	bool json = false;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "s:d:r:o:jh", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (igdpt_host_source_parse(optarg, &source) < 0) {
				tool_error("dump", "unknown source '%s' (auto, vfio, debugfs, devmem)",
					   optarg);
				return IGDPT_EXIT_USAGE;
			}
			break;
		case 'd':
			if (tool_device_option("dump", optarg) < 0)
				return IGDPT_EXIT_USAGE;
			bdf = optarg;
			break;
		case 'r':
			ctx.root = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return IGDPT_EXIT_OK;
		default:
			tool_usage_hint("dump");
			return IGDPT_EXIT_USAGE;
		}
	}
	if (!out || optind < argc) {
		tool_error("dump", optind < argc ? "unexpected argument '%s'" : "no output file (-o FILE)%s",
			   optind < argc ? argv[optind] : "");
		tool_usage_hint("dump");
		return IGDPT_EXIT_USAGE;
	}

	if (json && !strcmp(out, "-")) {
		tool_error("dump", "--json and -o - both want standard output");
		tool_usage_hint("dump");
		return IGDPT_EXIT_USAGE;
	}
	ret = igdpt_host_select(&ctx, bdf, &dev, &diag);
	if (ret < 0) {
		tool_error("dump", "%s", diag.reason);
		return ret == -ENODEV || ret == -EINVAL ? IGDPT_EXIT_INVALID : IGDPT_EXIT_USAGE;
	}
	ret = igdpt_host_read_opregion(&ctx, &dev, source, &image, &diag);
	if (ret < 0) {
		tool_error("dump", "%s: %s", dev.bdf, diag.reason);
		return ret == -ENODEV || ret == -EINVAL ? IGDPT_EXIT_INVALID : IGDPT_EXIT_USAGE;
	}
	ret = tool_write_file("dump", out, image.data, image.len);
	if (ret < 0) {
		igdpt_host_image_free(&image);
		return IGDPT_EXIT_USAGE;
	}
	/* Validated by the reader; parsed again only to report what was written. */
	igdpt_opregion_parse(image.data, image.len, &op, &diag);
	if (json) {
		print_json(&dev, &image, &op, out);
		igdpt_host_image_free(&image);
		return IGDPT_EXIT_OK;
	}
	/* With -o - the image is standard output: the summary goes aside. */
	fprintf(strcmp(out, "-") ? stdout : stderr,
		"%s: %zu bytes, OpRegion %u.%u.%u, VBT %s, from %s of %s (%s)\n", out, image.len,
	       op.major, op.minor, op.revision,
	       op.vbt_source == IGDPT_VBT_SOURCE_RVDA ? "extended at 0x2000"
	       : op.vbt_source == IGDPT_VBT_SOURCE_MAILBOX4 ? "in mailbox 4"
	       : "absent",
	       igdpt_host_source_name(image.source), dev.bdf, image.note);
	igdpt_host_image_free(&image);
	return IGDPT_EXIT_OK;
}
