/* SPDX-License-Identifier: MIT */
/* igdpt rom --check: the verdict on a PCI option ROM and what each image
 * is, from the core parser (lib/core/pci_rom.c) and the VBT lookup i915
 * does (lib/core/pci_rom_vbt.c), as text (lib/json/json_rom.c spells the
 * same as JSON). */
#include "rom_report.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "igdpt/abi/pci_rom.h"
#include "igdpt/abi/pe.h"
#include "igdpt/core/pci_rom.h"
#include "igdpt/core/pe.h"
#include "tool_util.h"

static const char *or_unknown(const char *name)
{
	return name ? name : "unknown";
}

/* The VBT signature without its space padding. */
static size_t signature_length(const char *signature)
{
	size_t n = strlen(signature);

	while (n && signature[n - 1] == ' ')
		n--;
	return n;
}

static void image_text(const struct igdpt_pci_rom_image *im, void *opaque)
{
	FILE *out = opaque;

	fprintf(out, "  image at 0x%zx: %s (code type %u), %04x:%04x", im->offset,
		or_unknown(igdpt_pci_rom_code_type_name(im->code_type)), im->code_type, im->vendor,
		im->device);
	if (im->device_count)
		fprintf(out, " + device list of %u ids", im->device_count);
	fprintf(out, ", class 0x%06x, %zu bytes, PCIR revision %u%s\n", im->class_code, im->length,
		im->pcir_revision, im->last ? ", last" : "");
	if (im->code_type == IGDPT_ROM_CODE_X86)
		fprintf(out, "    legacy: initialization size %zu bytes, checksum ok\n", im->init_size);
	if (im->code_type == IGDPT_ROM_CODE_EFI) {
		fprintf(out, "    EFI: %s (subsystem %u), %s (machine 0x%04x), %s, PE image at 0x%x",
			or_unknown(igdpt_pe_subsystem_name(im->efi_subsystem)), im->efi_subsystem,
			or_unknown(igdpt_pe_machine_name(im->efi_machine)), im->efi_machine,
			im->efi_compression == IGDPT_ROM_EFI_COMPRESSED ? "compressed" : "uncompressed",
			im->efi_image_offset);
		fprintf(out, ", checksum %s\n",
			im->checksum ? "does not add up (not required for EFI images)" : "ok");
		if (im->efi_subsystem == IGDPT_PE_SUBSYSTEM_EFI_APPLICATION)
			fprintf(out, "    note: edk2 skips EFI applications in option ROMs\n");
	}
}

static void vbt_text(FILE *out, const uint8_t *data, size_t len)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_pci_rom_vbt v;
	char warnings[512];

	if (igdpt_pci_rom_find_vbt(data, len, &v, &diag) < 0) {
		if (v.offset)
			fprintf(out, "  VBT at 0x%zx (as i915 finds it): invalid: %s at 0x%zx\n",
				v.offset, diag.reason, diag.offset);
		return;
	}
	tool_warnings_text(diag.warnings, warnings, sizeof(warnings));
	fprintf(out, "  VBT at 0x%zx (as i915 finds it): %.*s, BDB %u, %u bytes%s%s%s\n", v.offset,
		(int)signature_length(v.vbt.signature), v.vbt.signature, v.vbt.bdb_version,
		v.vbt.vbt_size, warnings[0] ? " (warnings: " : "", warnings, warnings[0] ? ")" : "");
}

int rom_report_text(FILE *out, const char *name, const uint8_t *data, size_t len)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_pci_rom rom;
	int ret = igdpt_pci_rom_parse(data, len, &rom, NULL, NULL, &diag);

	if (ret < 0)
		fprintf(out, "%s: invalid: %s at 0x%zx\n", name, diag.reason, diag.offset);
	else
		fprintf(out, "%s: ok: PCI option ROM, %u image%s, %zu bytes%s\n", name,
			rom.image_count, rom.image_count == 1 ? "" : "s", rom.size,
			rom.size < len ? " (then padding)" : "");
	igdpt_pci_rom_parse(data, len, &rom, image_text, out, NULL);
	vbt_text(out, data, len);
	return ret < 0 ? -EINVAL : 0;
}
