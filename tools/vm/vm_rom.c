/* SPDX-License-Identifier: MIT */
/* igdpt vm --rom: the option ROM the virtual IGD serves, read and judged
 * before boot (see vm_rom.h). */
#include "vm_rom.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "igdpt/file.h"

int vm_rom_load(const char *file, struct vm_rom *rom, char *err, size_t err_size)
{
	char msg[PATH_MAX + 128];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(msg);
	struct stat st;
	int ret;

	memset(rom, 0, sizeof(*rom));
	rom->given = true;
	rom->file = file;
	if (stat(file, &st) < 0) {
		ret = -errno;
		snprintf(err, err_size, "--rom %s: %s", file, strerror(-ret));
		return ret;
	}
	if (!S_ISREG(st.st_mode) || !st.st_size || (uint64_t)st.st_size > VM_ROM_MAX) {
		snprintf(err, err_size, "--rom %s: expected a PCI option ROM file of 1 byte to %u MiB",
			 file, VM_ROM_MAX >> 20);
		return -EINVAL;
	}
	ret = igdpt_file_read(file, &rom->data, &rom->len, &diag);
	if (ret < 0) {
		snprintf(err, err_size, "--rom %s", diag.reason ? diag.reason : strerror(-ret));
		return ret;
	}
	rom->vbt_ret = igdpt_pci_rom_find_vbt(rom->data, rom->len, &rom->vbt, &rom->diag);
	return 0;
}

bool vm_rom_has_vbt(const struct vm_rom *rom)
{
	return rom->given && rom->vbt_ret >= 0;
}

void vm_rom_describe(const struct vm_rom *rom, char *out, size_t size)
{
	if (!rom->given)
		snprintf(out, size, "no PCI ROM (--rom) for i915 to fall back on");
	else if (vm_rom_has_vbt(rom))
		snprintf(out, size, "PCI ROM (--rom %s, %zu bytes): VBT at 0x%zx, BDB %u", rom->file,
			 rom->len, rom->vbt.offset, rom->vbt.vbt.bdb_version);
	else
		snprintf(out, size, "PCI ROM (--rom %s, %zu bytes): no VBT for i915 (%s at 0x%zx)",
			 rom->file, rom->len, rom->diag.reason ? rom->diag.reason : "?",
			 rom->diag.offset);
}

void vm_rom_free(struct vm_rom *rom)
{
	free(rom->data);
	rom->data = NULL;
	rom->len = 0;
}
