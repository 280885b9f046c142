/* SPDX-License-Identifier: MIT */
/* igdpt vm --rom: the option ROM the virtual IGD serves, read and judged
 * before boot (see vm_rom.h). */
#include "vm_rom.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "igdpt/abi/pci_rom.h"
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
	/* Not a regular file: igdpt_file_read() refuses it and says what it is. */
	if (S_ISREG(st.st_mode) && (!st.st_size || (uint64_t)st.st_size > VM_ROM_MAX)) {
		snprintf(err, err_size,
			 "--rom %s: %jd bytes; expected a PCI option ROM file of 1 byte to %u MiB",
			 file, (intmax_t)st.st_size, VM_ROM_MAX >> 20);
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

/* The last image igdpt_pci_rom_parse() reports. */
static void keep_last(const struct igdpt_pci_rom_image *image, void *opaque)
{
	*(struct igdpt_pci_rom_image *)opaque = *image;
}

int vm_rom_chain(const uint8_t *first, size_t first_len, const uint8_t *second,
		 size_t second_len, uint8_t **out, size_t *out_len, char *err, size_t err_size)
{
	struct igdpt_pci_rom_image last = { 0 };
	struct igdpt_diag diag = IGDPT_DIAG_INIT;
	struct igdpt_pci_rom a, b;
	uint8_t *buf;
	size_t indicator;

	if (igdpt_pci_rom_parse(first, first_len, &a, keep_last, &last, &diag) < 0 ||
	    igdpt_pci_rom_parse(second, second_len, &b, NULL, NULL, &diag) < 0) {
		snprintf(err, err_size, "cannot chain the option ROMs: %s at 0x%zx", diag.reason,
			 diag.offset);
		return -EINVAL;
	}
	buf = malloc(a.size + b.size);
	if (!buf) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	memcpy(buf, first, a.size);
	memcpy(buf + a.size, second, b.size);
	indicator = last.offset + last.pcir_offset + IGDPT_PCIR_INDICATOR_OFFSET;
	buf[indicator] &= (uint8_t)~IGDPT_PCIR_INDICATOR_LAST;
	if (last.code_type == IGDPT_ROM_CODE_X86 && indicator < last.offset + last.init_size)
		buf[last.offset + last.init_size - 1] += IGDPT_PCIR_INDICATOR_LAST;
	if (igdpt_pci_rom_parse(buf, a.size + b.size, &a, NULL, NULL, &diag) < 0) {
		snprintf(err, err_size, "the chained option ROM is invalid: %s at 0x%zx",
			 diag.reason, diag.offset);
		free(buf);
		return -EINVAL;
	}
	*out = buf;
	*out_len = a.size + b.size;
	return 0;
}

void vm_rom_free(struct vm_rom *rom)
{
	free(rom->data);
	rom->data = NULL;
	rom->len = 0;
}
