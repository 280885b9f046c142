/* SPDX-License-Identifier: MIT */
/* igdpt probe: inside a Linux guest, did this VM get its OpRegion, and would
 * i915 find it? The same check (lib/core/probe.c) as the multiboot probe,
 * fed from sysfs, the firmware memory map and /dev/mem. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "igdpt/abi/guest.h"
#include "igdpt/abi/probe_report.h"
#include "igdpt/core/probe.h"
#include "json_out.h"
#include "probe_sources.h"
#include "tool_util.h"

#define PROBE_JSON_MAX 4096u

static const char usage_text[] =
	"usage: igdpt probe [--json] [--root DIR]\n"
	"\n"
	"Run inside a Linux guest (as root). Finds the Intel display device (vendor\n"
	"8086, class 03xx) in /sys/bus/pci/devices, checks that its ASLS (0xFC) lies\n"
	"in a reserved or ACPI NVS range of the firmware memory map\n"
	"(/sys/firmware/memmap, else /proc/iomem) before reading it through /dev/mem,\n"
	"then judges the OpRegion there as Linux 6.1 i915 does and by igdpt's stricter\n"
	"rules, compares it with fw_cfg etc/igd-opregion when\n"
	"/sys/firmware/qemu_fw_cfg exposes it (mailbox state a running driver rewrote\n"
	"is reported, not failed), and checks BDSM against etc/igd-bdsm-size.\n"
	"When i915 would find no VBT in the OpRegion, the IGD's PCI ROM (sysfs rom,\n"
	"what i915 maps) is judged as i915's fallback reads it; an OpRegion that\n"
	"leaves i915 without a VBT fails.\n"
	"\n"
	"  --json      print the verdict object every guest probe writes, on one line\n"
	"              (docs/schema/probe.schema.json)\n"
	"  --root DIR  read every path under DIR (a copied or synthesized guest tree)\n"
	"\n"
	"Exit status: 0 pass, 1 fail or no OpRegion, 2 usage or I/O error.\n";

static void print_text(const struct igdpt_probe_verdict *v, const char *bdf,
		       const char *memmap_source)
{
	char reason[512], warnings[512];

	igdpt_probe_reason_text(v, reason, sizeof(reason));
	printf("%s: %s\n", igdpt_probe_result_name(v->result), reason);
	if (!v->igd_found)
		return;
	printf("  IGD        %s  %04x:%04x  class 0x%04x\n", bdf, v->vendor, v->device_id,
	       v->class_code);
	printf("  ASLS       0x%x", v->asls);
	if (v->memmap_found)
		printf(" in %s 0x%llx-0x%llx (%s)", igdpt_probe_memmap_type_name(v->memmap_type, true),
		       (unsigned long long)v->memmap_start, (unsigned long long)v->memmap_end,
		       memmap_source);
	else if (v->memmap_checked)
		printf(" in no firmware memory range (%s)", memmap_source);
	printf("\n");
	if (v->has_opregion) {
		printf("  OpRegion   %u.%u.%u, MBOX 0x%x, SIZE %u KiB", v->major, v->minor,
		       v->revision, v->mbox, v->size_kib);
		if (v->opregion_valid && v->vbt_source != IGDPT_VBT_SOURCE_NONE)
			printf(", VBT in %s (BDB %u, %u bytes)",
			       igdpt_probe_vbt_source_name(v->vbt_source), v->bdb_version, v->vbt_size);
		else if (v->opregion_valid)
			printf(", no VBT");
		printf("\n");
		tool_warnings_text(v->warnings, warnings, sizeof(warnings));
		if (warnings[0])
			printf("  warnings   %s\n", warnings);
	}
	if (v->i915 != IGDPT_PROBE_I915_NOT_RUN)
		printf("  i915 6.1   %s (VBT from %s)\n", igdpt_probe_i915_name(v->i915),
		       igdpt_probe_vbt_source_name(v->i915_vbt_source));
	if (v->rom != IGDPT_PROBE_ROM_NOT_NEEDED) {
		printf("  PCI ROM    %s", igdpt_probe_rom_name(v->rom));
		if (v->rom != IGDPT_PROBE_ROM_UNREAD)
			printf(", %zu bytes", v->rom_size);
		if (v->rom == IGDPT_PROBE_ROM_VALID || v->rom == IGDPT_PROBE_ROM_INVALID_VBT)
			printf(", VBT at 0x%zx", v->rom_vbt_offset);
		printf(" (%s)\n", v->rom_from ? v->rom_from : "?");
	}
	if (v->has_fw_cfg) {
		printf("  fw_cfg     %s, %zu bytes", IGDPT_FW_CFG_OPREGION_FILE, v->fw_cfg_size);
		if (v->fw_cfg_compared && v->fw_cfg_identical)
			printf(": identical");
		else if (v->fw_cfg_compared)
			printf(": differs from 0x%zx%s", v->fw_cfg_differs_at,
			       v->fw_cfg_runtime_only ? " (driver-written mailbox state only)" : "");
		printf("\n");
	}
	if (v->has_bdsm) {
		printf("  BDSM       0x%x = 0x%llx, requested %llu bytes", v->bdsm_register,
		       (unsigned long long)v->bdsm_value, (unsigned long long)v->bdsm_requested);
		if (v->bdsm_checked)
			printf(": %saligned, %sreserved", v->bdsm_aligned ? "" : "not ",
			       v->bdsm_reserved ? "" : "not ");
		printf("\n");
	}
}

/* The verdict object every probe writes (lib/core/probe_json.c), after the
 * document header of igdpt's JSON dialect, on one line: the Linux guest's
 * /init prefixes that line with IGDPT_PROBE_LINE_PREFIX for igdpt vm. */
static int print_json(const struct igdpt_probe_verdict *v)
{
	struct json_object *verdict, *doc;
	char json[PROBE_JSON_MAX];

	if (igdpt_probe_json(v, json, sizeof(json), NULL) < 0) {
		tool_error("probe", "verdict does not fit in %u bytes", PROBE_JSON_MAX);
		return IGDPT_EXIT_USAGE;
	}
	/* In a Linux guest the probe runs before the kernel's random pool is
	 * ready. json-c's default key hash seeds itself from /dev/urandom, whose
	 * first read then waits until the kernel has gathered jitter entropy:
	 * about a second under TCG. These keys are igdpt's own (no one can
	 * choose them to collide), so json-c's unseeded hash does. */
	json_global_set_string_hash(JSON_C_STR_HASH_PERLLIKE);
	verdict = json_tokener_parse(json);
	doc = igdpt_json_document("probe");
	if (!verdict || !doc) {
		json_object_put(verdict);
		json_object_put(doc);
		tool_error("probe", "out of memory");
		return IGDPT_EXIT_USAGE;
	}
	json_object_object_foreach(verdict, key, value)
		json_object_object_add(doc, key, json_object_get(value));
	printf("%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(verdict);
	json_object_put(doc);
	return IGDPT_EXIT_OK;
}

int cmd_probe(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct igdpt_probe_input in = {
		.probe = IGDPT_PROBE_KIND_LINUX,
		.no_igd_reason = "no Intel display device (vendor 8086, class 03xx) in /sys/bus/pci/devices",
		/* i915 may already have run and updated its mailboxes. */
		.allow_runtime_writes = true,
	};
	struct igdpt_probe_memmap_entry *memmap = NULL;
	struct igdpt_probe_verdict v;
	struct probe_devmem devmem;
	const char *root = "", *memmap_source = "";
	uint8_t *fw_image = NULL, *rom = NULL;
	bool json = false;
	char err[1024] = "", bdf[64] = "";
	int opt, ret = IGDPT_EXIT_USAGE;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "jr:h", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'r':
			root = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return IGDPT_EXIT_OK;
		default:
			tool_usage_hint("probe");
			return IGDPT_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		tool_error("probe", "unexpected argument '%s'", argv[optind]);
		return IGDPT_EXIT_USAGE;
	}

	probe_devmem_init(&devmem, root);
	/* Without an IGD the verdict needs nothing else. */
	if (probe_find_igd(root, &in, bdf, sizeof(bdf), err, sizeof(err)) < 0 ||
	    (in.igd_found && probe_read_memmap(root, &memmap, &in.memmap_count, &memmap_source,
					       err, sizeof(err)) < 0) ||
	    (in.igd_found && probe_read_fw_cfg(root, &in, &fw_image, err, sizeof(err)) < 0)) {
		tool_error("probe", "%s", err);
		goto free_all;
	}
	/* An unreadable ROM is part of the verdict (it cannot excuse an
	 * OpRegion without a VBT), not a reason to give none. */
	if (in.igd_found && probe_read_rom(root, bdf, &in, &rom, err, sizeof(err)) < 0)
		fprintf(stderr, "igdpt probe: %s\n", err);
	in.memmap = memmap;
	in.read = probe_devmem_read;
	in.read_ctx = &devmem;
	in.scratch_size = IGDPT_PROBE_SCRATCH_SIZE;
	in.scratch = malloc(in.scratch_size);
	if (!in.scratch) {
		tool_error("probe", "out of memory");
		goto free_all;
	}

	igdpt_probe_check(&in, &v);
	if (devmem.error) {
		/* Not a verdict on the guest: this run could not look. */
		tool_error("probe", "cannot read %s at 0x%llx: %s", PROBE_DEV_MEM,
			   (unsigned long long)devmem.error_gpa, strerror(-devmem.error));
		goto free_all;
	}
	if (json) {
		ret = print_json(&v);
	} else {
		print_text(&v, bdf, memmap_source);
		ret = IGDPT_EXIT_OK;
	}
	if (ret == IGDPT_EXIT_OK && v.result != IGDPT_PROBE_PASS)
		ret = IGDPT_EXIT_INVALID;

free_all:
	free(in.scratch);
	probe_devmem_close(&devmem);
	free(fw_image);
	free(rom);
	free(memmap);
	return ret;
}
