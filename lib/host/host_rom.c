/* SPDX-License-Identifier: MIT */
/* The IGD's PCI ROM from sysfs, and the VBT in it.
 *
 * i915 falls back to the VBT of the PCI ROM when the OpRegion has none
 * (display/intel_bios.c); on a host booted by a legacy BIOS that ROM is the
 * video BIOS shadowed at 0xC0000, which sysfs "rom" returns. The kernel
 * refuses to read the attribute until something writes to it
 * (drivers/pci/pci-sysfs.c: pci_read_rom() returns -EINVAL unless
 * rom_attr_enabled), so igdpt enables it for the one read and disables it
 * again; a copied or synthesized tree holds a plain file that reads at once.
 */
#include "host_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igdpt/file.h"
#include "igdpt/abi/guest.h"
#include "igdpt/abi/pci_rom.h"
#include "igdpt/abi/pe.h"
#include "igdpt/core/pci_rom.h"

#include "../io/io_open.h"

#define ROM_ENABLE "1"
#define ROM_DISABLE "0\n"

/* The attribute is a regular file (a FIFO or device there is refused by
 * kind, also -EINVAL: then nothing is written to it). */
static bool host_open_kind_ok(const struct igdpt_host_ctx *ctx, const char *path)
{
	int fd = host_open(ctx, path, O_PATH, IO_REGULAR, NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int set_enabled(const struct igdpt_host_ctx *ctx, const char *path, const char *value)
{
	int fd = host_open(ctx, path, O_WRONLY, IO_REGULAR, NULL), ret = 0;

	if (fd < 0)
		return fd;
	if (write(fd, value, strlen(value)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

struct chain_walk {
	struct igdpt_host_rom *rom;
	uint16_t device;
};

static void note_image(const struct igdpt_pci_rom_image *image, void *opaque)
{
	struct chain_walk *w = opaque;
	struct igdpt_host_rom *rom = w->rom;

	if (image->code_type == IGDPT_ROM_CODE_X86) {
		if (!rom->x86_image) {
			rom->x86_vendor = image->vendor;
			rom->x86_device = image->device;
		}
		rom->x86_image = true;
		/* SeaBIOS runs a legacy image only when its PCI data names the
		 * device (src/optionroms.c, map_pcirom()). */
		if (image->vendor == IGDPT_PCI_VENDOR_INTEL && image->device == w->device)
			rom->x86_names_device = true;
	} else if (image->code_type == IGDPT_ROM_CODE_EFI &&
		   image->efi_machine == IGDPT_PE_MACHINE_X64 &&
		   (image->efi_subsystem == IGDPT_PE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER ||
		    image->efi_subsystem == IGDPT_PE_SUBSYSTEM_EFI_RUNTIME_DRIVER)) {
		rom->efi_x64_driver = true;
	}
}

void igdpt_host_rom_judge(const uint8_t *data, size_t len, uint16_t device,
			  struct igdpt_host_rom *rom)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_pci_rom chain;
	struct chain_walk walk = { rom, device };
	struct igdpt_pci_rom_vbt v;
	size_t n;

	rom->size = len;
	rom->chain_ret = igdpt_pci_rom_parse(data, len, &chain, note_image, &walk, &diag);
	if (rom->chain_ret < 0)
		snprintf(rom->chain_error, sizeof(rom->chain_error), "%s at 0x%zx", diag.reason,
			 diag.offset);
	else
		rom->image_count = chain.image_count;

	diag = (struct igdpt_diag){ 0 };
	rom->vbt_ret = igdpt_pci_rom_find_vbt(data, len, &v, &diag);
	rom->warnings = diag.warnings;
	if (rom->vbt_ret < 0) {
		snprintf(rom->vbt_error, sizeof(rom->vbt_error), "%s at 0x%zx", diag.reason,
			 diag.offset);
		return;
	}
	rom->vbt_offset = v.offset;
	rom->bdb_version = v.vbt.bdb_version;
	rom->vbt_size = v.vbt.vbt_size;
	n = strlen(v.vbt.signature);
	while (n && v.vbt.signature[n - 1] == ' ')
		n--;
	snprintf(rom->signature, sizeof(rom->signature), "%.*s", (int)n, v.vbt.signature);
}

void igdpt_host_read_rom(const struct igdpt_host_ctx *ctx, const struct igdpt_host_device *dev,
			 struct igdpt_host_rom *rom)
{
	char path[64 + IGDPT_HOST_BDF_SIZE];
	uint8_t *data = NULL;
	size_t len = 0;
	int ret;

	memset(rom, 0, sizeof(*rom));
	rom->ret = -ENOENT;
	if (!host_ctx_valid(ctx)) {
		rom->ret = -EINVAL;
		snprintf(rom->error, sizeof(rom->error), "%s", HOST_CTX_REFUSED);
		return;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/rom", dev->bdf);
	if (!host_exists(ctx, "%s", path))
		return;
	rom->present = true;
	ret = host_read_file(ctx, path, IGDPT_FILE_MAX_SIZE, &data, &len);
	if (ret == -EINVAL && host_open_kind_ok(ctx, path)) {
		ret = set_enabled(ctx, path, ROM_ENABLE);
		if (ret >= 0) {
			ret = host_read_file(ctx, path, IGDPT_FILE_MAX_SIZE, &data, &len);
			set_enabled(ctx, path, ROM_DISABLE);
		}
	}
	rom->ret = ret < 0 ? ret : 0;
	if (ret < 0) {
		snprintf(rom->error, sizeof(rom->error), "cannot read %s: %s%s", path,
			 ret == -EINVAL && !host_open_kind_ok(ctx, path) ? "not a regular file"
									 : strerror(-ret),
			 ret == -EACCES || ret == -EPERM ? " (run as root)" : "");
		return;
	}
	igdpt_host_rom_judge(data, len, dev->device, rom);
	free(data);
}

/* The ROM checks inspect reports: a ROM is what legacy mode runs. */
void host_rom_judge(struct igdpt_host_report *r)
{
	const struct igdpt_host_rom *rom = &r->rom;

	if (!r->legacy_possible)
		return;
	if (!rom->present)
		CAUTION(r, "no ROM (sysfs has no rom for %s): legacy mode needs the video BIOS: "
			   "give it to QEMU as romfile= (igdpt qemu-args --romfile FILE)", r->dev.bdf);
	else if (rom->ret == -EACCES || rom->ret == -EPERM)
		CAUTION(r, "the ROM is unreadable (%s): run as root to check what legacy mode "
			   "would run", rom->error);
	else if (rom->ret < 0)
		CAUTION(r, "the ROM is unreadable (%s): no video BIOS reaches the guest (a "
			   "UEFI-booted host shadows none); legacy mode needs one as romfile= "
			   "(igdpt qemu-args --romfile FILE)", rom->error);
	else if (rom->chain_ret < 0)
		CAUTION(r, "sysfs rom is no PCI option ROM (%s): legacy mode needs the video BIOS "
			   "as romfile= (igdpt qemu-args --romfile FILE)", rom->chain_error);
	else if (!rom->x86_image)
		CAUTION(r, "the ROM has no x86 video BIOS image: SeaBIOS runs nothing from it in "
			   "legacy mode; give one as romfile=");
}
