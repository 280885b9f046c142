/* SPDX-License-Identifier: MIT */
/* Synthetic PE files and PCI option ROM images (see fixture_rom.h). */
#include "fixture_rom.h"

#include <string.h>

#include "igdpt/abi/pci_rom.h"
#include "igdpt/abi/pe.h"
#include "igdpt/core/bytes.h"

#define PAYLOAD_PATTERN 0x5Au

void fx_pe_defaults(struct fx_pe *p)
{
	*p = (struct fx_pe){
		.machine = IGDPT_PE_MACHINE_X64,
		.magic = IGDPT_PE_OPT_MAGIC_PE32_PLUS,
		.subsystem = IGDPT_PE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER,
		.payload = 256,
	};
}

size_t fx_pe_build(const struct fx_pe *p, uint8_t *buf, size_t cap)
{
	size_t opt = FX_PE_LFANEW + IGDPT_PE_COFF_HEADER_END, len = opt + FX_PE_OPT_SIZE + p->payload;

	if (cap < len)
		return 0;
	memset(buf, 0, len);
	igdpt_put_le16(buf + IGDPT_PE_DOS_MAGIC_OFFSET, IGDPT_PE_DOS_MAGIC);
	igdpt_put_le32(buf + IGDPT_PE_DOS_LFANEW_OFFSET, FX_PE_LFANEW);
	igdpt_put_le32(buf + FX_PE_LFANEW, IGDPT_PE_SIGNATURE);
	igdpt_put_le16(buf + FX_PE_LFANEW + IGDPT_PE_COFF_MACHINE_OFFSET, p->machine);
	igdpt_put_le16(buf + FX_PE_LFANEW + IGDPT_PE_COFF_OPT_SIZE_OFFSET, FX_PE_OPT_SIZE);
	igdpt_put_le16(buf + opt + IGDPT_PE_OPT_MAGIC_OFFSET, p->magic);
	igdpt_put_le32(buf + opt + IGDPT_PE_OPT_SIZE_OF_IMAGE_OFFSET, (uint32_t)len);
	igdpt_put_le16(buf + opt + IGDPT_PE_OPT_SUBSYSTEM_OFFSET, p->subsystem);
	memset(buf + opt + FX_PE_OPT_SIZE, PAYLOAD_PATTERN, p->payload);
	return len;
}

void fx_rom_image_defaults(struct fx_rom_image *im)
{
	*im = (struct fx_rom_image){
		.code_type = IGDPT_ROM_CODE_X86,
		.vendor = 0x8086,
		.device = 0x5916,
		.class_code = IGDPT_PCIR_CLASS_VGA,
		.pcir_revision = IGDPT_PCIR_REVISION_3,
		.length = 2 * IGDPT_ROM_BLOCK_SIZE,
		.last = true,
		.efi_subsystem = IGDPT_PE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER,
		.efi_machine = IGDPT_PE_MACHINE_X64,
		.fix_checksum = true,
	};
}

size_t fx_rom_image_build(const struct fx_rom_image *im, uint8_t *buf, size_t cap)
{
	uint8_t *pcir = buf + FX_ROM_PCIR_AT;
	size_t blocks = im->length / IGDPT_ROM_BLOCK_SIZE;

	if (cap < im->length || im->length < FX_ROM_PAYLOAD_AT + im->payload_len + 1 ||
	    FX_ROM_LIST_AT + (im->device_count + 1) * 2 > FX_ROM_PAYLOAD_AT)
		return 0;
	memset(buf, 0, im->length);
	igdpt_put_le16(buf, IGDPT_ROM_SIGNATURE);
	igdpt_put_le16(buf + IGDPT_ROM_PCIR_POINTER_OFFSET, FX_ROM_PCIR_AT);
	if (im->code_type == IGDPT_ROM_CODE_EFI) {
		igdpt_put_le16(buf + IGDPT_ROM_EFI_INIT_SIZE_OFFSET, (uint16_t)blocks);
		igdpt_put_le32(buf + IGDPT_ROM_EFI_SIGNATURE_OFFSET, IGDPT_ROM_EFI_SIGNATURE);
		igdpt_put_le16(buf + IGDPT_ROM_EFI_SUBSYSTEM_OFFSET, im->efi_subsystem);
		igdpt_put_le16(buf + IGDPT_ROM_EFI_MACHINE_OFFSET, im->efi_machine);
		igdpt_put_le16(buf + IGDPT_ROM_EFI_IMAGE_OFFSET_OFFSET, FX_ROM_PAYLOAD_AT);
	} else {
		buf[IGDPT_ROM_LEGACY_SIZE512_OFFSET] = (uint8_t)blocks;
		buf[IGDPT_ROM_LEGACY_ENTRY_OFFSET] = 0xCB; /* retf */
	}
	memcpy(pcir, IGDPT_PCIR_SIGNATURE, IGDPT_PCIR_SIGNATURE_SIZE);
	igdpt_put_le16(pcir + IGDPT_PCIR_VENDOR_OFFSET, im->vendor);
	igdpt_put_le16(pcir + IGDPT_PCIR_DEVICE_OFFSET, im->device);
	igdpt_put_le16(pcir + IGDPT_PCIR_LENGTH_OFFSET, IGDPT_PCIR_REV3_SIZE);
	pcir[IGDPT_PCIR_REVISION_OFFSET] = im->pcir_revision;
	pcir[IGDPT_PCIR_CLASS_OFFSET] = (uint8_t)im->class_code;
	pcir[IGDPT_PCIR_CLASS_OFFSET + 1] = (uint8_t)(im->class_code >> 8);
	pcir[IGDPT_PCIR_CLASS_OFFSET + 2] = (uint8_t)(im->class_code >> 16);
	igdpt_put_le16(pcir + IGDPT_PCIR_IMAGE_LENGTH_OFFSET, (uint16_t)blocks);
	pcir[IGDPT_PCIR_CODE_TYPE_OFFSET] = im->code_type;
	pcir[IGDPT_PCIR_INDICATOR_OFFSET] = im->last ? IGDPT_PCIR_INDICATOR_LAST : 0;
	if (im->device_list) {
		igdpt_put_le16(pcir + IGDPT_PCIR_DEVICE_LIST_OFFSET, FX_ROM_LIST_AT - FX_ROM_PCIR_AT);
		for (size_t i = 0; i < im->device_count; i++)
			igdpt_put_le16(buf + FX_ROM_LIST_AT + 2 * i, im->device_list[i]);
	}
	if (im->payload_len)
		memcpy(buf + FX_ROM_PAYLOAD_AT, im->payload, im->payload_len);
	if (im->fix_checksum)
		buf[im->length - 1] = (uint8_t)(0u - igdpt_bytes_sum8(buf, im->length));
	return im->length;
}
