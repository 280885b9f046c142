/* SPDX-License-Identifier: MIT */
/* igdpt qemu-args: the files it names to QEMU, checked before they are named.
 *
 * QEMU opens --image (fw_cfg file=) and --romfile (romfile=) itself, maybe
 * from another directory and only when the VM starts; a file that is no
 * OpRegion or no option ROM would surface there as a guest that has no
 * OpRegion, or a firmware that runs nothing. So both are resolved to
 * absolute paths now and judged with the library's own parsers: the image
 * as igdpt vm judges its --image (lib/io, igdpt_opregion_parse()), the ROM
 * as inspect judges the device's sysfs ROM (igdpt_host_rom_judge()).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/opregion.h"
#include "igdpt/file.h"
#include "qa.h"
#include "qemu_opt.h"
#include "tool_util.h"

#define CMD "qemu-args"
#define EFI_ROM_NAME "igdpt-efi.rom"

/* realpath() into a malloc'd string; exit status 2 with the reason. */
static int resolve(const char *what, const char *path, char **out)
{
	char abs[PATH_MAX];

	if (!realpath(path, abs)) {
		tool_error(CMD, "%s %s: %s", what, path, strerror(errno));
		return IGDPT_EXIT_USAGE;
	}
	*out = strdup(abs);
	if (!*out) {
		tool_error(CMD, "out of memory");
		return IGDPT_EXIT_USAGE;
	}
	return 0;
}

static int read_whole(const char *what, const char *path, uint8_t **data, size_t *len)
{
	char msg[512];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(msg);

	if (igdpt_file_read(path, data, len, &diag) < 0) {
		tool_error(CMD, "%s %s", what, diag.reason);
		return IGDPT_EXIT_USAGE;
	}
	return 0;
}

static int image_content(struct qa_plan *p, const uint8_t *data, size_t len)
{
	const char *name = p->req.image;
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	size_t extent;

	switch (igdpt_image_detect(data, len)) {
	case IGDPT_IMAGE_OPREGION:
		break;
	case IGDPT_IMAGE_VBT:
		tool_error(CMD, "--image %s: a bare VBT, not an OpRegion: wrap it first "
				"(igdpt build --vbt %s -o GUEST)", name, name);
		return IGDPT_EXIT_INVALID;
	case IGDPT_IMAGE_VBIOS:
		tool_error(CMD, "--image %s: a video BIOS, not an OpRegion (a ROM goes to "
				"--romfile)", name);
		return IGDPT_EXIT_INVALID;
	default:
		tool_error(CMD, "--image %s: %s", name,
			   len ? IGDPT_IMAGE_UNKNOWN_REASON : "empty file, not an OpRegion");
		return IGDPT_EXIT_INVALID;
	}
	if (igdpt_opregion_parse(data, len, &op, &diag) < 0) {
		tool_error(CMD, "--image %s: invalid OpRegion: %s at 0x%zx", name, diag.reason,
			   diag.offset);
		return IGDPT_EXIT_INVALID;
	}
	/* QEMU publishes the file whole: the firmware would reserve (and a
	 * guest see) every byte. prepare writes the OpRegion alone. */
	extent = igdpt_opregion_extent(&op);
	if (len > extent) {
		tool_error(CMD, "--image %s: %zu bytes after the OpRegion's end (0x%zx): QEMU "
				"would publish them as part of %s; write the OpRegion alone with "
				"igdpt prepare -i %s -o GUEST", name, len - extent, extent,
			   "etc/igd-opregion", name);
		return IGDPT_EXIT_INVALID;
	}
	if (op.mbox & IGDPT_MBOX_SWSCI) {
		p->image_announces_swsci = true;
		fprintf(stderr, "igdpt %s: --image %s: warning: MBOX announces SWSCI, which "
				"nothing in a VM answers (i915 waits for every call): igdpt prepare "
				"clears it\n", CMD, name);
	}
	return 0;
}

int qa_check_image(struct qa_plan *p)
{
	uint8_t *data = NULL;
	size_t len = 0;
	int ret;

	if (!p->req.image)
		return 0;
	ret = resolve("--image", p->req.image, &p->image);
	if (ret)
		return ret;
	ret = read_whole("--image", p->image, &data, &len);
	if (ret)
		return ret;
	ret = image_content(p, data, len);
	free(data);
	if (ret)
		return ret;
	p->image_opt = qemu_opt_escape(p->image);
	if (!p->image_opt) {
		tool_error(CMD, "out of memory");
		return IGDPT_EXIT_USAGE;
	}
	return 0;
}

/* The igdpt-efi.rom this igdpt would install or has built. */
static int find_efi_rom(struct qa_plan *p)
{
	char found[PATH_MAX], err[PATH_MAX * 2 + 256];

	if (tool_find_helper("igdpt's option ROM " EFI_ROM_NAME, "IGDPT_EFI_ROM",
			     "firmware/efi/" EFI_ROM_NAME, IGDPT_EFI_DIR "/" EFI_ROM_NAME, R_OK,
			     "build igdpt with gnu-efi (make build), or give --romfile", found,
			     sizeof(found), err, sizeof(err)) < 0) {
		tool_error(CMD, "--firmware ovmf: %s", err);
		return IGDPT_EXIT_USAGE;
	}
	p->romfile_is_igdpt_efi = true;
	p->req.romfile = strdup(found);
	if (!p->req.romfile) {
		tool_error(CMD, "out of memory");
		return IGDPT_EXIT_USAGE;
	}
	return 0;
}

int qa_check_romfile(struct qa_plan *p)
{
	struct igdpt_host_rom *rom = &p->romfile_rom;
	uint8_t *data = NULL;
	size_t len = 0;
	int ret;

	if (!p->req.romfile && p->req.firmware == QA_FIRMWARE_OVMF) {
		ret = find_efi_rom(p);
		if (ret)
			return ret;
	}
	if (!p->req.romfile)
		return 0;
	ret = resolve("--romfile", p->req.romfile, &p->romfile);
	if (ret)
		return ret;
	ret = read_whole("--romfile", p->romfile, &data, &len);
	if (ret)
		return ret;
	memset(rom, 0, sizeof(*rom));
	rom->present = true;
	igdpt_host_rom_judge(data, len, p->dev->device, rom);
	free(data);
	if (rom->chain_ret < 0) {
		tool_error(CMD, "--romfile %s: not a valid PCI option ROM: %s (igdpt rom --check "
				"%s says more)", p->req.romfile, rom->chain_error, p->req.romfile);
		return IGDPT_EXIT_USAGE;
	}
	if (p->req.firmware == QA_FIRMWARE_OVMF && !rom->efi_x64_driver) {
		tool_error(CMD, "--romfile %s: no EFI x64 driver image, so OVMF would start nothing "
				"from it (igdpt rom -o FILE builds one with igdpt's driver; --add "
				"chains yours)", p->req.romfile);
		return IGDPT_EXIT_USAGE;
	}
	p->romfile_opt = qemu_opt_escape(p->romfile);
	if (!p->romfile_opt) {
		tool_error(CMD, "out of memory");
		return IGDPT_EXIT_USAGE;
	}
	return 0;
}

void qa_plan_free(struct qa_plan *p)
{
	free(p->image);
	free(p->image_opt);
	free(p->romfile);
	free(p->romfile_opt);
	if (p->romfile_is_igdpt_efi)
		free((char *)p->req.romfile);
	p->image = p->image_opt = p->romfile = p->romfile_opt = NULL;
}
