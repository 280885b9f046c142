/* SPDX-License-Identifier: MIT */
/* igdpt inspect: what this host has, and what stops assigning its IGD. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "igdpt/abi/guest.h"
#include "igdpt/host.h"
#include "json_host.h"
#include "json_out.h"
#include "tool_util.h"

static const char usage_text[] =
	"usage: igdpt inspect [--json] [--device BDF] [--source SRC] [--root DIR]\n"
	"\n"
	"Finds the Intel IGDs (vendor 0x8086, class 0x0300 or 0x0380) through sysfs and\n"
	"reports, for each: ids, generation, address, driver, IOMMU group and its members,\n"
	"ASLS, stolen memory (GGC), host and LPC bridges, whether legacy mode is possible,\n"
	"the OpRegion (read by the best available source and validated: version, size,\n"
	"extended VBT, VBT BDB version, ports), and a verdict listing each blocker with\n"
	"the command that fixes it. Run as root for the complete picture.\n"
	"\n"
	"  --json        one JSON document (docs/schema/inspect.schema.json): \"igds\",\n"
	"                a report per IGD (the facts above, \"opregion\", \"blockers\",\n"
	"                \"cautions\", \"ready\"); \"other_displays\" when there is no IGD;\n"
	"                \"ready\" for the whole host\n"
	"  --device BDF  only this device (0000:00:02.0 or 00:02.0)\n"
	"  --source SRC  OpRegion source: auto (default), vfio, debugfs, devmem\n"
	"  --root DIR    read /sys, /proc and /dev under DIR (a copied or test tree)\n"
	"\n"
	"Exit status: 0 ready, 1 not ready or no IGD, 2 usage or I/O error.\n";

/* For the "no IGD" message: which display devices there are instead. */
static void list_other_displays(const struct igdpt_host_ctx *ctx, struct json_object *json)
{
	struct igdpt_host_device *devs = calloc(IGDPT_HOST_GROUP_MAX, sizeof(*devs));
	struct json_object *arr = json ? json_object_new_array() : NULL;
	size_t count = 0;

	if (devs && igdpt_host_find_displays(ctx, devs, IGDPT_HOST_GROUP_MAX, &count, NULL) == 0) {
		for (size_t i = 0; i < count && i < IGDPT_HOST_GROUP_MAX; i++) {
			const struct igdpt_host_device *dev = &devs[i];

			if (arr) {
				struct json_object *o = json_object_new_object();

				json_object_object_add(o, "bdf", json_object_new_string(dev->bdf));
				json_object_object_add(o, "vendor", igdpt_json_hex16(dev->vendor));
				json_object_object_add(o, "device", igdpt_json_hex16(dev->device));
				json_object_object_add(o, "class",
						       igdpt_json_hex16((uint16_t)(dev->class_code >>
										   IGDPT_PCI_CLASS_CODE_SHIFT)));
				json_object_object_add(o, "driver", dev->driver[0]
									? json_object_new_string(dev->driver)
									: NULL);
				json_object_array_add(arr, o);
			} else {
				printf("  other display device: %s %04x:%04x class 0x%06x (%s)\n",
				       dev->bdf, dev->vendor, dev->device, dev->class_code,
				       dev->driver[0] ? dev->driver : "no driver");
			}
		}
	}
	free(devs);
	if (arr)
		json_object_object_add(json, "other_displays", arr);
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "device", required_argument, NULL, 'd' },
		{ "source", required_argument, NULL, 's' },
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct igdpt_host_ctx ctx = IGDPT_HOST_CTX_INIT;
	enum igdpt_host_source source = IGDPT_HOST_SOURCE_AUTO;
	struct igdpt_host_device *devs = NULL;
	struct json_object *json = NULL, *igds = NULL;
	const char *bdf = NULL;
	size_t count = 0;
	bool as_json = false, ready = true;
	char err[1024];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	int opt, status = IGDPT_EXIT_OK;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "jd:s:r:h", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			as_json = true;
			break;
		case 'd':
			if (tool_device_option("inspect", optarg) < 0)
				return IGDPT_EXIT_USAGE;
			bdf = optarg;
			break;
		case 's':
			if (igdpt_host_source_parse(optarg, &source) < 0) {
				tool_error("inspect", "unknown source '%s' (auto, vfio, debugfs, devmem)",
					   optarg);
				return IGDPT_EXIT_USAGE;
			}
			break;
		case 'r':
			ctx.root = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return IGDPT_EXIT_OK;
		default:
			tool_usage_hint("inspect");
			return IGDPT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tool_error("inspect", "unexpected argument '%s'", argv[optind]);
		return IGDPT_EXIT_USAGE;
	}

	devs = calloc(IGDPT_HOST_GROUP_MAX, sizeof(*devs));
	if (!devs) {
		tool_error("inspect", "out of memory");
		return IGDPT_EXIT_USAGE;
	}
	if (bdf) {
		int ret = igdpt_host_select(&ctx, bdf, &devs[0], &diag);

		if (ret < 0) {
			tool_error("inspect", "%s", diag.reason);
			status = ret == -EINVAL ? IGDPT_EXIT_INVALID : IGDPT_EXIT_USAGE;
			goto free_devs;
		}
		count = 1;
	} else if (igdpt_host_find_igds(&ctx, devs, IGDPT_HOST_GROUP_MAX, &count, &diag) < 0) {
		tool_error("inspect", "%s", diag.reason);
		status = IGDPT_EXIT_USAGE;
		goto free_devs;
	}
	if (count > IGDPT_HOST_GROUP_MAX)
		count = IGDPT_HOST_GROUP_MAX;

	if (as_json) {
		json = igdpt_json_document("inspect");
		igds = json_object_new_array();
		if (!json || !igds) {
			tool_error("inspect", "out of memory");
			status = IGDPT_EXIT_USAGE;
			goto put_json;
		}
	}
	for (size_t i = 0; i < count; i++) {
		struct igdpt_host_report *report = malloc(sizeof(*report));

		if (!report || igdpt_host_inspect(&ctx, &devs[i], source, report) < 0) {
			free(report);
			tool_error("inspect", "out of memory");
			status = IGDPT_EXIT_USAGE;
			goto put_json;
		}
		ready = ready && igdpt_host_report_ready(report);
		if (as_json) {
			json_object_array_add(igds, igdpt_json_host_report(report));
		} else {
			char *text = igdpt_host_report_text(report);

			if (i)
				putchar('\n');
			fputs(text ? text : "(out of memory)\n", stdout);
			free(text);
		}
		igdpt_host_report_free(report);
		free(report);
	}
	if (count == 0) {
		ready = false;
		if (!as_json)
			printf("no Intel IGD (vendor 0x8086, class 0x0300 or 0x0380) in "
			       "/sys/bus/pci/devices\n");
		list_other_displays(&ctx, json);
		if (!as_json)
			printf("verdict:      NOT READY\n  blocker: this machine has no Intel "
			       "integrated graphics to assign\n");
	}
	if (as_json) {
		json_object_object_add(json, "igds", igds);
		igds = NULL;
		json_object_object_add(json, "ready", json_object_new_boolean(ready));
		tool_print_json(stdout, json);
	}
	status = ready ? IGDPT_EXIT_OK : IGDPT_EXIT_INVALID;
put_json:
	json_object_put(igds);
	json_object_put(json);
free_devs:
	free(devs);
	return status;
}
