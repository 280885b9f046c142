/* SPDX-License-Identifier: MIT */
/* igdpt strategies: run the six OpRegion placement options of the 2016
 * thread in the machine model and print what each run showed. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "igdpt/build.h"
#include "igdpt/core/size.h"
#include "igdpt/machine.h"
#include "json_out.h"
#include "tool_util.h"

#define CMD "strategies"
/* The machine model's generation when none is given (igdpt/machine.h). */
#define STRATEGIES_DEFAULT_GENERATION 9u
#define STRATEGIES_GENERATION_MAX 99u

static const char usage_text[] =
	"usage: igdpt strategies [--json] [--image FILE] [--generation N]\n"
	"                        [--stolen-size SIZE] [--ram-size SIZE] [--no-map]\n"
	"\n"
	"Runs every OpRegion placement option (1a 1b 2 3 4a 4b: docs/strategies.md) in\n"
	"igdpt's machine model: a VMM context (igdpt/vmm.h) plugged into a model\n"
	"machine, booted with a SeaBIOS-like firmware (and with one that knows\n"
	"nothing of an IGD), checked by a model guest driver that does what i915\n"
	"does, attacked by a hostile guest, and hotplugged. Every cell comes from\n"
	"those runs.\n"
	"  --json              one JSON document, an object per option\n"
	"                      (docs/schema/strategies.schema.json)\n"
	"  --image FILE        the host OpRegion (default: igdpt's reference 2.0 image)\n"
	"  --generation N      graphics generation (default 9)\n"
	"  --stolen-size SIZE  stolen memory to hand the guest: bytes or binary units\n"
	"                      (64M, 64MiB), one GGC can announce on the generation\n"
	"                      (default 0: none)\n"
	"  --ram-size SIZE     guest RAM, all below 4 GiB (default 32M)\n"
	"  --no-map            model a VMM that cannot map host memory into the guest,\n"
	"                      as QEMU's multi-process proxy (options 1a, 2 and 3 fail)\n"
	"\n"
	"Columns: unmod-fw = works with unmodified firmware; needs-fw = needs firmware\n"
	"support; address = who chose the guest address; valid = the guest check\n"
	"passes; drv-writes = i915's writes into the OpRegion read back; reach-host =\n"
	"guest writes changed the host OpRegion; exposed = host bytes mapped into the\n"
	"guest; hostile-asls = still valid and harmless after the guest writes its own\n"
	"RAM's address to ASLS; hotplug = i915 finds it when plugged after boot;\n"
	"real-hw = the firmware memory map reports it reserved.\n"
	"\n"
	"Exit status: 0 every option ran, 1 the image is invalid, 2 usage or I/O error.\n";

static const char *yn(bool b)
{
	return b ? "yes" : "no";
}

static void print_table(const struct igdpt_strategy_row *rows, unsigned n)
{
	printf("%-6s %-8s %-8s %-8s %-5s %-10s %-10s %-7s %-13s %-7s %-7s\n", "option", "unmod-fw",
	       "needs-fw", "address", "valid", "drv-writes", "reach-host", "exposed", "hostile-asls",
	       "hotplug", "real-hw");
	for (unsigned i = 0; i < n; i++) {
		const struct igdpt_strategy_row *r = &rows[i];
		char hostile[32];

		if (r->error[0]) {
			printf("%-6s cannot run: %s\n", igdpt_vmm_strategy_name(r->strategy), r->error);
			continue;
		}
		snprintf(hostile, sizeof(hostile), "%s (%s)", yn(r->survives_hostile_asls),
			 r->hostile_asls_effect);
		printf("%-6s %-8s %-8s %-8s %-5s %-10s %-10s %-7" PRIu64 " %-13s %-7s %-7s\n",
		       igdpt_vmm_strategy_name(r->strategy), yn(r->works_unmodified_firmware),
		       yn(r->needs_firmware_support), r->address_chosen_by,
		       yn(r->guest_sees_valid_opregion), yn(r->driver_writes_succeed),
		       yn(r->guest_writes_reach_host), r->host_bytes_exposed, hostile,
		       yn(r->hotplug_possible), yn(r->looks_like_real_hardware));
	}
	printf("\n");
	for (unsigned i = 0; i < n; i++) {
		const struct igdpt_strategy_row *r = &rows[i];

		if (r->error[0])
			continue;
		printf("%-2s ASLS 0x%08" PRIx32 " (%s); hostile scribble: %" PRIu64
		       " bytes refused, %zu host bytes corrupted; guest: %s\n",
		       igdpt_vmm_strategy_name(r->strategy), r->asls, r->placement,
		       r->hostile_writes_refused, r->host_bytes_corrupted, r->guest_reason);
	}
}

static struct json_object *row_json(const struct igdpt_strategy_row *r)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "strategy", json_object_new_string(igdpt_vmm_strategy_name(r->strategy)));
	json_object_object_add(o, "error", r->error[0] ? json_object_new_string(r->error) : NULL);
	json_object_object_add(o, "works_with_unmodified_firmware",
			       json_object_new_boolean(r->works_unmodified_firmware));
	json_object_object_add(o, "needs_firmware_support",
			       json_object_new_boolean(r->needs_firmware_support));
	json_object_object_add(o, "guest_address_chosen_by",
			       json_object_new_string(r->address_chosen_by));
	json_object_object_add(o, "guest_sees_valid_opregion",
			       json_object_new_boolean(r->guest_sees_valid_opregion));
	json_object_object_add(o, "guest_driver_writes_succeed",
			       json_object_new_boolean(r->driver_writes_succeed));
	json_object_object_add(o, "guest_writes_reach_host",
			       json_object_new_boolean(r->guest_writes_reach_host));
	json_object_object_add(o, "host_bytes_exposed", json_object_new_int64((int64_t)r->host_bytes_exposed));
	json_object_object_add(o, "survives_hostile_asls",
			       json_object_new_boolean(r->survives_hostile_asls));
	json_object_object_add(o, "hotplug_possible", json_object_new_boolean(r->hotplug_possible));
	json_object_object_add(o, "looks_like_real_hardware",
			       json_object_new_boolean(r->looks_like_real_hardware));
	json_object_object_add(o, "asls", igdpt_json_hex32(r->asls));
	json_object_object_add(o, "placement", json_object_new_string(r->placement));
	json_object_object_add(o, "guest_reason", json_object_new_string(r->guest_reason));
	json_object_object_add(o, "hostile_writes_refused",
			       json_object_new_int64((int64_t)r->hostile_writes_refused));
	json_object_object_add(o, "host_bytes_corrupted",
			       json_object_new_int64((int64_t)r->host_bytes_corrupted));
	json_object_object_add(o, "hostile_asls_effect",
			       json_object_new_string(r->hostile_asls_effect));
	return o;
}

static int load_image(const char *path, uint8_t **image, size_t *len)
{
	struct tool_build_job job = { .version = IGDPT_BUILD_VERSION_DEFAULT };
	struct igdpt_diag diag = { 0 };

	if (path)
		return tool_read_file(CMD, path, image, len) < 0 ? IGDPT_EXIT_USAGE : IGDPT_EXIT_OK;
	if (tool_fill_alloc(tool_build_fill, &job, image, len, &diag) < 0) {
		tool_error(CMD, "cannot build the reference OpRegion: %s",
			   diag.reason ? diag.reason : "out of memory");
		return IGDPT_EXIT_USAGE;
	}
	return IGDPT_EXIT_OK;
}

/* The document: the run's parameters and a row per option. */
static int print_json(const struct igdpt_strategy_row *rows, const char *image_path,
		      size_t image_len, const struct igdpt_strategy_options *opts)
{
	struct json_object *doc = igdpt_json_document(CMD);
	struct json_object *arr = json_object_new_array();
	struct json_object *image = json_object_new_object();

	if (!doc || !arr || !image) {
		json_object_put(doc);
		json_object_put(arr);
		json_object_put(image);
		tool_error(CMD, "out of memory");
		return IGDPT_EXIT_USAGE;
	}
	json_object_object_add(image, "source",
			       json_object_new_string(image_path ? image_path : "reference"));
	json_object_object_add(image, "size", json_object_new_int64((int64_t)image_len));
	json_object_object_add(doc, "image", image);
	json_object_object_add(doc, "generation",
			       json_object_new_int((int)(opts->generation ? opts->generation
									  : STRATEGIES_DEFAULT_GENERATION)));
	json_object_object_add(doc, "stolen_size", json_object_new_int64((int64_t)opts->stolen_size));
	json_object_object_add(doc, "ram_size", json_object_new_int64((int64_t)opts->ram_size));
	json_object_object_add(doc, "no_map", json_object_new_boolean(opts->no_map));
	for (unsigned i = 0; i < IGDPT_VMM_STRATEGY_COUNT; i++)
		json_object_array_add(arr, row_json(&rows[i]));
	json_object_object_add(doc, "options", arr);
	tool_print_json(stdout, doc);
	json_object_put(doc);
	return IGDPT_EXIT_OK;
}

int cmd_strategies(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "image", required_argument, NULL, 'i' },
		{ "generation", required_argument, NULL, 'g' },
		{ "stolen-size", required_argument, NULL, 's' },
		{ "ram-size", required_argument, NULL, 'r' },
		{ "no-map", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct igdpt_strategy_options opts = IGDPT_STRATEGY_OPTIONS_INIT;
	struct igdpt_strategy_row rows[IGDPT_VMM_STRATEGY_COUNT];
	const char *image_path = NULL;
	bool json = false;
	uint8_t *image = NULL;
	size_t image_len = 0;
	uint64_t v;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'i': image_path = optarg; break;
		case 'n': opts.no_map = true; break;
		case 'g':
			if (tool_parse_u64(optarg, STRATEGIES_GENERATION_MAX, &v) < 0 || v < 1) {
				tool_error(CMD, "--generation %s: expected a number from 1 to %u", optarg,
					   STRATEGIES_GENERATION_MAX);
				return IGDPT_EXIT_USAGE;
			}
			opts.generation = (unsigned)v;
			break;
		case 's':
			if (tool_stolen_size_parse(CMD, optarg, &opts.stolen_size) < 0)
				return IGDPT_EXIT_USAGE;
			break;
		case 'r':
			if (igdpt_size_parse(optarg, &opts.ram_size) < 0 || !opts.ram_size) {
				tool_error(CMD, "--ram-size %s: expected a size such as 32M (bytes, or "
						"binary units K, M, G)", optarg);
				return IGDPT_EXIT_USAGE;
			}
			break;
		case 'h': fputs(usage_text, stdout); return IGDPT_EXIT_OK;
		default: tool_usage_hint("strategies"); return IGDPT_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		tool_error(CMD, "unexpected argument '%s'", argv[optind]);
		tool_usage_hint(CMD);
		return IGDPT_EXIT_USAGE;
	}
	if (tool_stolen_size_check(CMD, opts.stolen_size,
				   opts.generation ? opts.generation : STRATEGIES_DEFAULT_GENERATION) < 0)
		return IGDPT_EXIT_USAGE;
	rc = load_image(image_path, &image, &image_len);
	if (rc)
		return rc;
	{
		struct igdpt_opregion op;
		struct igdpt_diag diag = { 0 };

		if (igdpt_opregion_parse(image, image_len, &op, &diag) < 0) {
			tool_error(CMD, "%s: not a valid OpRegion: %s at 0x%zx",
				   image_path ? image_path : "reference", diag.reason, diag.offset);
			free(image);
			return IGDPT_EXIT_INVALID;
		}
	}

	for (unsigned i = 0; i < IGDPT_VMM_STRATEGY_COUNT; i++) {
		struct igdpt_diag diag = { 0 };
		int ret = igdpt_machine_evaluate((enum igdpt_vmm_strategy)i, image, image_len, &opts,
						 &rows[i], &diag);

		if (ret < 0) {
			tool_error(CMD, "option %s: %s (0x%zx)",
				   igdpt_vmm_strategy_name((enum igdpt_vmm_strategy)i),
				   diag.reason ? diag.reason : strerror(-ret), diag.offset);
			free(image);
			return IGDPT_EXIT_USAGE;
		}
	}
	if (json) {
		rc = print_json(rows, image_path, image_len, &opts);
	} else {
		printf("OpRegion placement options, run in igdpt's machine model (%s, %zu bytes, gen %u%s)\n\n",
		       image_path ? image_path : "reference image", image_len,
		       opts.generation ? opts.generation : STRATEGIES_DEFAULT_GENERATION,
		       opts.no_map ? ", VMM cannot map" : "");
		print_table(rows, IGDPT_VMM_STRATEGY_COUNT);
	}
	free(image);
	return rc;
}
