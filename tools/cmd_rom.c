/* SPDX-License-Identifier: MIT */
/* igdpt rom: build a PCI option ROM from igdpt's EFI driver (and the user's
 * own EFI drivers), build a video BIOS around a VBT, or check any ROM. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "igdpt/build_rom.h"
#include "igdpt/core/errno.h"
#include "igdpt/file.h"
#include "igdpt/core/pci_rom.h"
#include "json_rom.h"
#include "rom_report.h"
#include "tool_util.h"

#define ROM_DRIVER_NAME "igdpt-efi-driver.efi"
#define ROM_DRIVER_BUILD_PATH "firmware/efi/" ROM_DRIVER_NAME
#define ROM_DEFAULT_OUTPUT "igdpt-efi.rom"
#define ROM_DEVICE_ID_MAX 0xFFFFul

static const char usage_text[] =
	"usage: igdpt rom [-o OUT] [--device-id ID] [--add FILE.efi]... [DRIVER.efi]\n"
	"       igdpt rom --vbt VBT --device-id ID [-o OUT]\n"
	"       igdpt rom --check [--json] FILE...\n"
	"\n"
	"Builds a PCI expansion ROM that OVMF loads from a device's ROM BAR (QEMU's\n"
	"romfile=): DRIVER.efi (default: igdpt's boot-services driver,\n"
	"igdpt-efi-driver.efi, as built or installed) as the first image, each --add\n"
	"FILE.efi (your own EFI driver, e.g. a GOP driver) as a further image, each\n"
	"with an EFI ROM header (x64, uncompressed) and a PCI data structure for\n"
	"vendor 8086, class 0x030000, naming every IGD igdpt knows (a revision 3\n"
	"device list) or only --device-id. Every file must be a PE32+ x64 EFI\n"
	"boot-services or runtime driver; EFI applications are refused (edk2 skips\n"
	"them in ROMs).\n"
	"\n"
	"  -o, --output OUT   where to write (atomically; nothing on failure; '-' for\n"
	"                     standard output); default " ROM_DEFAULT_OUTPUT " (--vbt: vbios.rom)\n"
	"  --device-id ID     the one device the ROM is for (e.g. 0x5916)\n"
	"  --add FILE.efi     chain another EFI driver (up to 15)\n"
	"  --vbt VBT          instead: a legacy (x86) video BIOS image for --device-id\n"
	"                     that carries VBT where i915's PCI ROM fallback finds it\n"
	"                     (test material; its code only returns)\n"
	"  --check            parse each FILE as a PCI option ROM (legacy, EFI, any\n"
	"                     chain): every image, or what is wrong and at which byte\n"
	"  --json             with --check: one JSON document\n"
	"                     (docs/schema/rom.schema.json): \"files\", an object per\n"
	"                     file readable as a ROM\n"
	"\n"
	"IGDPT_EFI_DRIVER overrides where the default driver is looked for.\n"
	"Exit status: 0 written or valid, 1 an input or ROM is invalid, 2 usage or\n"
	"I/O error.\n";

struct rom_options {
	const char *output;
	const char *vbt;
	const char *adds[IGDPT_ROM_BUILD_MAX_EFI_IMAGES];
	size_t add_count;
	uint16_t device_id;
	bool check, json;
};

static int parse_device_id(const char *text, uint16_t *id)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 0);
	if (errno || end == text || *end || !v || v > ROM_DEVICE_ID_MAX)
		return -EINVAL;
	*id = (uint16_t)v;
	return 0;
}

static int write_output(const char *path, const uint8_t *data, size_t len)
{
	if (strcmp(path, "-"))
		return tool_write_file("rom", path, data, len);
	if (isatty(STDOUT_FILENO)) {
		tool_error("rom", "-o -: standard output is a terminal; a ROM is binary");
		return -EINVAL;
	}
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout)) {
		tool_error("rom", "cannot write to standard output: %s", strerror(errno));
		return -EIO;
	}
	return 0;
}

/* ---- --check ---- */

static int check_files(const struct rom_options *o, int argc, char **argv)
{
	struct json_object *doc = NULL, *results = NULL;
	int status = IGDPT_EXIT_OK;

	if (o->json) {
		doc = tool_json_files_document("rom", &results);
		if (!doc)
			return IGDPT_EXIT_USAGE;
	}
	for (int i = 0; i < argc; i++) {
		uint8_t *data;
		size_t len;
		bool valid;

		if (tool_read_file("rom", argv[i], &data, &len) < 0) {
			status = IGDPT_EXIT_USAGE;
			continue;
		}
		if (o->json)
			json_object_array_add(results, igdpt_json_pci_rom(argv[i], data, len, &valid));
		else
			valid = rom_report_text(stdout, argv[i], data, len) >= 0;
		if (!valid && status == IGDPT_EXIT_OK)
			status = IGDPT_EXIT_INVALID;
		free(data);
	}
	if (o->json) {
		tool_print_json(stdout, doc);
		json_object_put(doc);
	}
	return status;
}

/* ---- building ---- */

struct efi_job {
	struct igdpt_rom_efi_input inputs[IGDPT_ROM_BUILD_MAX_EFI_IMAGES];
	size_t count;
	uint16_t device_id;
	size_t failed;
};

static int efi_fill(void *ctx, uint8_t *out, size_t cap, size_t *out_len, struct igdpt_diag *diag)
{
	struct efi_job *job = ctx;

	return igdpt_rom_build_efi(job->inputs, job->count, job->device_id, out, cap, out_len,
				   &job->failed, diag);
}

struct vbios_job {
	const uint8_t *vbt;
	size_t vbt_len;
	uint16_t device_id;
};

static int vbios_fill(void *ctx, uint8_t *out, size_t cap, size_t *out_len,
		      struct igdpt_diag *diag)
{
	struct vbios_job *job = ctx;

	return igdpt_rom_build_vbios(job->vbt, job->vbt_len, job->device_id, out, cap, out_len,
				     diag);
}

/* Fills, then proves the result with the parser before anything is written. */
static int build_and_write(tool_fill_fn fill, void *ctx, const char *output,
			   const char *(*blame)(void *ctx), void *blame_ctx)
{
	struct igdpt_diag diag = { 0 }, check = { 0 };
	struct igdpt_pci_rom rom;
	uint8_t *image = NULL;
	size_t len = 0;
	int ret = tool_fill_alloc(fill, ctx, &image, &len, &diag);

	if (ret == -IGDPT_EINVAL) {
		tool_error("rom", "%s: cannot go into an option ROM: %s at 0x%zx", blame(blame_ctx),
			   diag.reason, diag.offset);
		return IGDPT_EXIT_INVALID;
	}
	if (ret < 0) {
		tool_error("rom", "out of memory");
		return IGDPT_EXIT_USAGE;
	}
	if (igdpt_pci_rom_parse(image, len, &rom, NULL, NULL, &check) < 0) {
		tool_error("rom", "internal error: the ROM built fails its own check: %s at 0x%zx",
			   check.reason, check.offset);
		free(image);
		return IGDPT_EXIT_USAGE;
	}
	if (diag.warnings) {
		char text[512];

		tool_warnings_text(diag.warnings, text, sizeof(text));
		tool_error("rom", "%s: warnings: %s", blame(blame_ctx), text);
	}
	ret = write_output(output, image, len);
	free(image);
	return ret < 0 ? IGDPT_EXIT_USAGE : IGDPT_EXIT_OK;
}

struct efi_names {
	const char *paths[IGDPT_ROM_BUILD_MAX_EFI_IMAGES];
	const struct efi_job *job;
};

static const char *efi_blame(void *ctx)
{
	const struct efi_names *n = ctx;

	return n->paths[n->job->failed];
}

static const char *vbt_blame(void *ctx)
{
	return ctx;
}

static int build_efi(const struct rom_options *o, const char *driver)
{
	char found[PATH_MAX], err[PATH_MAX * 3];
	struct efi_job job = { .device_id = o->device_id };
	struct efi_names names = { .job = &job };
	uint8_t *data[IGDPT_ROM_BUILD_MAX_EFI_IMAGES] = { 0 };
	int status = IGDPT_EXIT_USAGE;

	if (!driver) {
		if (tool_find_helper("igdpt's EFI driver", "IGDPT_EFI_DRIVER", ROM_DRIVER_BUILD_PATH,
				     IGDPT_EFI_DIR "/" ROM_DRIVER_NAME, R_OK, NULL, found,
				     sizeof(found), err, sizeof(err)) < 0) {
			tool_error("rom", "%s; it is built only when gnu-efi is installed, or name "
					  "the driver: igdpt rom DRIVER.efi", err);
			return IGDPT_EXIT_USAGE;
		}
		driver = found;
	}
	names.paths[0] = driver;
	for (size_t i = 0; i < o->add_count; i++)
		names.paths[i + 1] = o->adds[i];
	job.count = o->add_count + 1;
	for (size_t i = 0; i < job.count; i++) {
		if (tool_read_file("rom", names.paths[i], &data[i], &job.inputs[i].len) < 0)
			goto free_data;
		job.inputs[i].data = data[i];
	}
	status = build_and_write(efi_fill, &job, o->output ? o->output : ROM_DEFAULT_OUTPUT,
				 efi_blame, &names);
free_data:
	for (size_t i = 0; i < job.count; i++)
		free(data[i]);
	return status;
}

static int build_vbios(const struct rom_options *o)
{
	struct vbios_job job = { .device_id = o->device_id };
	uint8_t *vbt;
	int status;

	if (tool_read_file("rom", o->vbt, &vbt, &job.vbt_len) < 0)
		return IGDPT_EXIT_USAGE;
	job.vbt = vbt;
	status = build_and_write(vbios_fill, &job, o->output ? o->output : "vbios.rom", vbt_blame,
				 (void *)o->vbt);
	free(vbt);
	return status;
}

int cmd_rom(int argc, char **argv)
{
	enum { OPT_DEVICE_ID = 256, OPT_ADD, OPT_VBT, OPT_CHECK, OPT_JSON };
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "device-id", required_argument, NULL, OPT_DEVICE_ID },
		{ "add", required_argument, NULL, OPT_ADD },
		{ "vbt", required_argument, NULL, OPT_VBT },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rom_options o = { 0 };
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		switch (opt) {
		case 'o':
			o.output = optarg;
			break;
		case OPT_DEVICE_ID:
			if (parse_device_id(optarg, &o.device_id) < 0) {
				tool_error("rom", "--device-id %s: expected a non-zero 16-bit id such as 0x5916",
					   optarg);
				return IGDPT_EXIT_USAGE;
			}
			break;
		case OPT_ADD:
			if (o.add_count + 1 >= IGDPT_ROM_BUILD_MAX_EFI_IMAGES) {
				tool_error("rom", "too many --add: a ROM holds at most %u EFI images",
					   IGDPT_ROM_BUILD_MAX_EFI_IMAGES);
				return IGDPT_EXIT_USAGE;
			}
			o.adds[o.add_count++] = optarg;
			break;
		case OPT_VBT:
			o.vbt = optarg;
			break;
		case OPT_CHECK:
			o.check = true;
			break;
		case OPT_JSON:
			o.json = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return IGDPT_EXIT_OK;
		default:
			fputs(usage_text, stderr);
			return IGDPT_EXIT_USAGE;
		}
	}
	if (o.check) {
		if (o.output || o.vbt || o.add_count || o.device_id) {
			tool_error("rom", "--check takes only --json and the files to check");
			goto usage;
		}
		if (optind >= argc) {
			tool_error("rom", "--check: no file given");
			goto usage;
		}
		return check_files(&o, argc - optind, argv + optind);
	}
	if (o.json) {
		tool_error("rom", "--json goes with --check");
		goto usage;
	}
	if (o.vbt) {
		if (o.add_count || optind < argc) {
			tool_error("rom", "--vbt builds a video BIOS alone: no EFI drivers with it");
			goto usage;
		}
		if (!o.device_id) {
			tool_error("rom", "--vbt needs --device-id: SeaBIOS runs a legacy image only on "
					  "the device its PCI data structure names");
			goto usage;
		}
		return build_vbios(&o);
	}
	if (argc - optind > 1) {
		tool_error("rom", "one driver at a time; chain the others with --add");
		goto usage;
	}
	return build_efi(&o, optind < argc ? argv[optind] : NULL);

usage:
	fputs(usage_text, stderr);
	return IGDPT_EXIT_USAGE;
}
