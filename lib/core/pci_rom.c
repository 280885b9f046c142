/* SPDX-License-Identifier: MIT */
/* The PCI option ROM image chain, checked image by image.
 *
 * Stricter than any single consumer, so that a ROM that passes loads
 * everywhere: edk2's PciBusDxe (LoadOpRomImage, ContainEfiImage,
 * LocalLoadFile2) stops at a PCIR pointer that is 0 or unaligned and
 * refuses an EFI image whose initialization size exceeds the image or whose
 * PE offset lies outside it; its ProcessOpRomImage() never advances past an
 * image of length 0 that is not the last (an endless loop at boot); SeaBIOS
 * checks a legacy image's checksum over its initialization size; Linux and
 * edk2 both end the chain at the last-image indicator. Every check names
 * the byte it judged.
 */
#include "igdpt/core/pci_rom.h"

#include "igdpt/abi/pci_rom.h"
#include "igdpt/abi/pe.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/pe.h"

#define CLASS_BASE_SHIFT 16u
#define CLASS_SUB_SHIFT 8u

static int fail(struct igdpt_diag *diag, size_t offset, const char *reason)
{
	return igdpt_diag_fail(diag, -IGDPT_EINVAL, offset, reason);
}

/* The revision 3 device list: inside the image, ended by 0x0000. */
static int read_device_list(const uint8_t *img, struct igdpt_pci_rom_image *im, size_t at,
			    struct igdpt_diag *diag)
{
	size_t pcir = im->pcir_offset, pos;

	im->device_list = 0;
	im->device_count = 0;
	if (im->pcir_revision < IGDPT_PCIR_REVISION_3 || im->pcir_length < IGDPT_PCIR_REV3_SIZE)
		return 0; /* a 2.x structure: the word is reserved */
	im->device_list_offset = igdpt_le16(img + pcir + IGDPT_PCIR_DEVICE_LIST_OFFSET);
	if (!im->device_list_offset)
		return 0;
	pos = pcir + im->device_list_offset;
	for (;;) {
		if (pos > im->length || im->length - pos < IGDPT_PCIR_DEVICE_LIST_ENTRY_SIZE)
			return fail(diag, at + pcir + IGDPT_PCIR_DEVICE_LIST_OFFSET,
				    "device list runs past the image without its 0x0000 terminator");
		if (igdpt_le16(img + pos) == IGDPT_PCIR_DEVICE_LIST_END)
			break;
		im->device_count++;
		pos += IGDPT_PCIR_DEVICE_LIST_ENTRY_SIZE;
	}
	im->device_list = img + pcir + im->device_list_offset;
	return 0;
}

static int check_legacy(const uint8_t *img, struct igdpt_pci_rom_image *im, size_t at,
			struct igdpt_diag *diag)
{
	im->init_size = (size_t)img[IGDPT_ROM_LEGACY_SIZE512_OFFSET] * IGDPT_ROM_BLOCK_SIZE;
	if (!im->init_size)
		return fail(diag, at + IGDPT_ROM_LEGACY_SIZE512_OFFSET,
			    "legacy initialization size is 0");
	if (im->init_size > im->length)
		return fail(diag, at + IGDPT_ROM_LEGACY_SIZE512_OFFSET,
			    "legacy initialization size is larger than the image length");
	im->checksum = igdpt_bytes_sum8(img, im->init_size);
	return 0;
}

static int check_efi(const uint8_t *img, struct igdpt_pci_rom_image *im, size_t at,
		     struct igdpt_diag *diag)
{
	struct igdpt_diag pe_diag = { 0 };
	struct igdpt_pe pe;
	int ret;

	if (igdpt_le32(img + IGDPT_ROM_EFI_SIGNATURE_OFFSET) != IGDPT_ROM_EFI_SIGNATURE)
		return fail(diag, at + IGDPT_ROM_EFI_SIGNATURE_OFFSET,
			    "EFI image without the 0x0EF1 EFI signature");
	im->init_size = (size_t)igdpt_le16(img + IGDPT_ROM_EFI_INIT_SIZE_OFFSET) * IGDPT_ROM_BLOCK_SIZE;
	im->efi_subsystem = igdpt_le16(img + IGDPT_ROM_EFI_SUBSYSTEM_OFFSET);
	im->efi_machine = igdpt_le16(img + IGDPT_ROM_EFI_MACHINE_OFFSET);
	im->efi_compression = igdpt_le16(img + IGDPT_ROM_EFI_COMPRESSION_OFFSET);
	im->efi_image_offset = igdpt_le16(img + IGDPT_ROM_EFI_IMAGE_OFFSET_OFFSET);
	if (!im->init_size)
		return fail(diag, at + IGDPT_ROM_EFI_INIT_SIZE_OFFSET, "EFI initialization size is 0");
	if (im->init_size > im->length)
		return fail(diag, at + IGDPT_ROM_EFI_INIT_SIZE_OFFSET,
			    "EFI initialization size is larger than the image length (edk2 refuses it)");
	if (im->efi_compression > IGDPT_ROM_EFI_COMPRESSED)
		return fail(diag, at + IGDPT_ROM_EFI_COMPRESSION_OFFSET,
			    "unknown EFI compression type (0 none, 1 EFI compression)");
	if (im->efi_image_offset < IGDPT_ROM_HEADER_SIZE || im->efi_image_offset >= im->init_size)
		return fail(diag, at + IGDPT_ROM_EFI_IMAGE_OFFSET_OFFSET,
			    "EFI image offset outside the image's initialization size");
	im->checksum = igdpt_bytes_sum8(img, im->init_size);
	if (im->efi_compression != IGDPT_ROM_EFI_UNCOMPRESSED)
		return 0; /* the PE headers are compressed too */
	ret = igdpt_pe_parse(img + im->efi_image_offset, im->init_size - im->efi_image_offset, &pe,
			     &pe_diag);
	if (ret < 0)
		return fail(diag, at + im->efi_image_offset + pe_diag.offset, pe_diag.reason);
	if (pe.machine != im->efi_machine)
		return fail(diag, at + IGDPT_ROM_EFI_MACHINE_OFFSET,
			    "EFI header machine type differs from the PE image's");
	if (pe.subsystem != im->efi_subsystem)
		return fail(diag, at + IGDPT_ROM_EFI_SUBSYSTEM_OFFSET,
			    "EFI header subsystem differs from the PE image's");
	return 0;
}

int igdpt_pci_rom_image_at(const uint8_t *buf, size_t len, size_t at,
			   struct igdpt_pci_rom_image *im, struct igdpt_diag *diag)
{
	const uint8_t *img = buf + at, *pcir;
	size_t avail = at < len ? len - at : 0;
	uint16_t p;

	*im = (struct igdpt_pci_rom_image){ 0 };
	im->offset = at;
	if (avail < IGDPT_ROM_HEADER_SIZE)
		return fail(diag, at, !len ? "empty file" : "truncated ROM image header");
	if (igdpt_le16(img + IGDPT_ROM_SIGNATURE_OFFSET) != IGDPT_ROM_SIGNATURE)
		return fail(diag, at, "no 0x55AA ROM image signature");
	p = igdpt_le16(img + IGDPT_ROM_PCIR_POINTER_OFFSET);
	if (!p)
		return fail(diag, at + IGDPT_ROM_PCIR_POINTER_OFFSET, "PCI data structure pointer is 0");
	if (p % IGDPT_ROM_PCIR_ALIGN)
		return fail(diag, at + IGDPT_ROM_PCIR_POINTER_OFFSET,
			    "PCI data structure pointer is not DWORD aligned (edk2 stops there)");
	if (p < IGDPT_ROM_HEADER_SIZE)
		return fail(diag, at + IGDPT_ROM_PCIR_POINTER_OFFSET,
			    "PCI data structure pointer points into the ROM header");
	if (p > avail || avail - p < IGDPT_PCIR_MIN_SIZE)
		return fail(diag, at + IGDPT_ROM_PCIR_POINTER_OFFSET,
			    "PCI data structure pointer points outside the ROM");
	pcir = img + p;
	if (igdpt_bytes_differ(pcir, (const uint8_t *)IGDPT_PCIR_SIGNATURE, IGDPT_PCIR_SIGNATURE_SIZE))
		return fail(diag, at + p, "no \"PCIR\" signature at the PCI data structure pointer");
	im->pcir_offset = p;
	im->pcir_length = igdpt_le16(pcir + IGDPT_PCIR_LENGTH_OFFSET);
	im->pcir_revision = pcir[IGDPT_PCIR_REVISION_OFFSET];
	im->vendor = igdpt_le16(pcir + IGDPT_PCIR_VENDOR_OFFSET);
	im->device = igdpt_le16(pcir + IGDPT_PCIR_DEVICE_OFFSET);
	im->class_code = (uint32_t)pcir[IGDPT_PCIR_CLASS_OFFSET + 2] << CLASS_BASE_SHIFT |
			 (uint32_t)pcir[IGDPT_PCIR_CLASS_OFFSET + 1] << CLASS_SUB_SHIFT |
			 pcir[IGDPT_PCIR_CLASS_OFFSET];
	im->length = (size_t)igdpt_le16(pcir + IGDPT_PCIR_IMAGE_LENGTH_OFFSET) * IGDPT_ROM_BLOCK_SIZE;
	im->code_revision = igdpt_le16(pcir + IGDPT_PCIR_CODE_REVISION_OFFSET);
	im->code_type = pcir[IGDPT_PCIR_CODE_TYPE_OFFSET];
	im->last = (pcir[IGDPT_PCIR_INDICATOR_OFFSET] & IGDPT_PCIR_INDICATOR_LAST) != 0;
	if (im->pcir_length < IGDPT_PCIR_MIN_SIZE)
		return fail(diag, at + p + IGDPT_PCIR_LENGTH_OFFSET,
			    "PCI data structure length is below its 0x18 bytes");
	if (!im->length)
		return fail(diag, at + p + IGDPT_PCIR_IMAGE_LENGTH_OFFSET,
			    im->last ? "image length is 0"
				     : "image length is 0: the chain would loop on this image "
				       "(edk2's walk never advances)");
	if (im->length > avail)
		return fail(diag, at + p + IGDPT_PCIR_IMAGE_LENGTH_OFFSET,
			    "image length runs past the end of the ROM");
	if ((size_t)p + im->pcir_length > im->length)
		return fail(diag, at + p + IGDPT_PCIR_LENGTH_OFFSET,
			    "PCI data structure runs past the end of its image");
	if (read_device_list(img, im, at, diag) < 0)
		return -IGDPT_EINVAL;
	switch (im->code_type) {
	case IGDPT_ROM_CODE_X86:
		return check_legacy(img, im, at, diag);
	case IGDPT_ROM_CODE_EFI:
		return check_efi(img, im, at, diag);
	default:
		return 0; /* Open Firmware, PA-RISC, vendor types: only the chain matters */
	}
}

int igdpt_pci_rom_parse(const uint8_t *buf, size_t len, struct igdpt_pci_rom *rom,
			igdpt_pci_rom_image_fn fn, void *opaque, struct igdpt_diag *diag)
{
	struct igdpt_pci_rom_image im;
	size_t at = 0;

	*rom = (struct igdpt_pci_rom){ .data = buf, .len = len };
	for (;;) {
		if (igdpt_pci_rom_image_at(buf, len, at, &im, diag) < 0)
			return -IGDPT_EINVAL;
		if (im.code_type == IGDPT_ROM_CODE_X86 && im.checksum)
			return fail(diag, at, "legacy image checksum does not add up to 0 "
					      "over its initialization size");
		rom->image_count++;
		if (fn)
			fn(&im, opaque);
		at += im.length;
		if (im.last)
			break;
		if (at >= len)
			return fail(diag, at - im.length + im.pcir_offset + IGDPT_PCIR_INDICATOR_OFFSET,
				    "the chain ends without a last-image indicator");
	}
	rom->size = at;
	return 0;
}

uint16_t igdpt_pci_rom_list_device(const struct igdpt_pci_rom_image *im, unsigned i)
{
	if (!im->device_list || i >= im->device_count)
		return IGDPT_PCIR_DEVICE_LIST_END;
	return igdpt_le16(im->device_list + (size_t)i * IGDPT_PCIR_DEVICE_LIST_ENTRY_SIZE);
}

bool igdpt_pci_rom_image_covers(const struct igdpt_pci_rom_image *im, uint16_t device_id)
{
	if (im->device == device_id)
		return true;
	for (unsigned i = 0; i < im->device_count; i++)
		if (igdpt_pci_rom_list_device(im, i) == device_id)
			return true;
	return false;
}

const char *igdpt_pci_rom_code_type_name(uint8_t code_type)
{
	switch (code_type) {
	case IGDPT_ROM_CODE_X86:
		return "x86";
	case IGDPT_ROM_CODE_OPEN_FIRMWARE:
		return "Open Firmware";
	case IGDPT_ROM_CODE_HP_PA_RISC:
		return "HP PA-RISC";
	case IGDPT_ROM_CODE_EFI:
		return "EFI";
	default:
		return 0;
	}
}
