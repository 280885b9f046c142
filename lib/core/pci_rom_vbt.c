/* SPDX-License-Identifier: MIT */
/* The VBT inside a video BIOS, found the way Linux finds it.
 *
 * When the OpRegion has no VBT, i915 maps the IGD's PCI ROM
 * (drivers/pci/rom.c: pci_map_rom() keeps only the images that
 * pci_get_rom_size() walks, which is also what sysfs "rom" reads) and takes
 * the first "$VBT" it meets at a 4-byte aligned offset, whatever the image
 * structure around it (display/intel_bios.c, oprom_get_vbt()). This file
 * repeats both steps on a buffer, so that a ROM dump is judged by what the
 * guest driver would do with it, then validates the VBT with igdpt's own
 * rules (lib/core/vbt.c).
 */
#include "igdpt/core/pci_rom.h"

#include "igdpt/abi/pci_rom.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"

/* i915 compares the signature as one aligned u32. */
#define VBT_SCAN_STEP 4u

static bool has_rom_signature(const uint8_t *buf, size_t len, size_t at)
{
	return at < len && len - at >= IGDPT_ROM_HEADER_SIZE &&
	       igdpt_le16(buf + at + IGDPT_ROM_SIGNATURE_OFFSET) == IGDPT_ROM_SIGNATURE;
}

size_t igdpt_pci_rom_linux_size(const uint8_t *buf, size_t len)
{
	size_t at = 0, length;
	bool last;

	do {
		size_t pcir;

		if (!has_rom_signature(buf, len, at))
			break;
		pcir = at + igdpt_le16(buf + at + IGDPT_ROM_PCIR_POINTER_OFFSET);
		if (pcir > len || len - pcir < IGDPT_PCIR_MIN_SIZE ||
		    igdpt_bytes_differ(buf + pcir, (const uint8_t *)IGDPT_PCIR_SIGNATURE,
				       IGDPT_PCIR_SIGNATURE_SIZE))
			break;
		last = (buf[pcir + IGDPT_PCIR_INDICATOR_OFFSET] & IGDPT_PCIR_INDICATOR_LAST) != 0;
		length = (size_t)igdpt_le16(buf + pcir + IGDPT_PCIR_IMAGE_LENGTH_OFFSET) *
			 IGDPT_ROM_BLOCK_SIZE;
		at += length;
		if (at >= len)
			break;
		if (!last && !has_rom_signature(buf, len, at))
			break;
	} while (length && !last);
	return at < len ? at : len;
}

/* Legacy images whose checksum fails, among those Linux exposes. */
static bool legacy_checksum_fails(const uint8_t *buf, size_t size)
{
	struct igdpt_pci_rom_image im;
	size_t at = 0;

	while (at < size && igdpt_pci_rom_image_at(buf, size, at, &im, 0) >= 0) {
		if (im.code_type == IGDPT_ROM_CODE_X86 && im.checksum)
			return true;
		if (im.last)
			break;
		at += im.length;
	}
	return false;
}

int igdpt_pci_rom_find_vbt(const uint8_t *buf, size_t len, struct igdpt_pci_rom_vbt *out,
			   struct igdpt_diag *diag)
{
	struct igdpt_diag local = { 0 };
	size_t size = igdpt_pci_rom_linux_size(buf, len), at;
	int ret;

	*out = (struct igdpt_pci_rom_vbt){ .rom_size = size };
	if (!size)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0,
				       len ? "not a PCI ROM: no 0x55AA image with a \"PCIR\" "
					     "structure at 0 (Linux maps no ROM)"
					   : "empty file");
	for (at = 0; at + VBT_SCAN_STEP < size; at += VBT_SCAN_STEP)
		if (!igdpt_bytes_differ(buf + at, (const uint8_t *)IGDPT_VBT_SIGNATURE,
					IGDPT_VBT_SIGNATURE_PREFIX_SIZE))
			break;
	if (at + VBT_SCAN_STEP >= size)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0,
				       "no VBT (\"$VBT\" at a 4-byte aligned offset) in the ROM");
	out->offset = at;
	/* The VBT parser sees the rest of the ROM, so that a vbt_size past it
	 * or below the header gets the same reason as in a bare VBT file. */
	ret = igdpt_vbt_parse(buf + at, size - at, &out->vbt, &local);
	if (ret < 0)
		return igdpt_diag_fail(diag, ret, at + local.offset, local.reason);
	out->window = out->vbt.vbt_size;
	/* What follows the VBT is the rest of the video BIOS, not VBT data. */
	out->vbt.warnings &= ~(uint32_t)IGDPT_WARN_TRAILING_DATA;
	if (diag)
		diag->warnings |= out->vbt.warnings;
	if (diag && legacy_checksum_fails(buf, size))
		diag->warnings |= IGDPT_WARN_ROM_CHECKSUM;
	return 0;
}
