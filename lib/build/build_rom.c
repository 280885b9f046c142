/* SPDX-License-Identifier: MIT */
/* PCI option ROMs from EFI drivers, and a video BIOS around a VBT.
 *
 * Layout of each EFI image, as edk2's EfiRom writes one: the EFI ROM header
 * at 0, the revision 3 PCI data structure right after it (DWORD aligned, as
 * edk2's PCI bus driver requires), the device list, one byte that makes
 * the image sum to 0, the PE file at the next 16-byte boundary, zero
 * padding to 512. The initialization size is the whole image, so the
 * firmware hands the PE loader everything up to the padding.
 */
#include "igdpt/build_rom.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "igdpt/abi/guest.h"
#include "igdpt/abi/pci_rom.h"
#include "igdpt/abi/pe.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/host.h"
#include "igdpt/core/vbt.h"

#define U16_MAX_VALUE 0xFFFFu
#define CLASS_BYTE_MASK 0xFFu
#define CLASS_SUB_SHIFT 8u
#define CLASS_BASE_SHIFT 16u
#define X86_FAR_RETURN 0xCBu /* retf: the legacy entry point returns at once */

/* The PCI data structure right after the header, DWORD aligned. */
#define PCIR_AT ((IGDPT_ROM_HEADER_SIZE + IGDPT_ROM_PCIR_ALIGN - 1) / IGDPT_ROM_PCIR_ALIGN * \
		 IGDPT_ROM_PCIR_ALIGN)
#define DEVICE_LIST_AT (PCIR_AT + IGDPT_PCIR_REV3_SIZE)

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

int igdpt_rom_check_efi_driver(const uint8_t *file, size_t len, struct igdpt_pe *out,
			       struct igdpt_diag *diag)
{
	struct igdpt_pe pe;
	int ret = igdpt_pe_parse(file, len, &pe, diag);

	if (ret < 0)
		return ret;
	if (pe.machine != IGDPT_PE_MACHINE_X64)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, pe.pe_offset + IGDPT_PE_COFF_MACHINE_OFFSET,
				       "PE machine is not x64 (0x8664): OVMF on x86_64 cannot run it");
	if (pe.magic != IGDPT_PE_OPT_MAGIC_PE32_PLUS)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL,
				       pe.pe_offset + IGDPT_PE_COFF_HEADER_END + IGDPT_PE_OPT_MAGIC_OFFSET,
				       "x64 image without a PE32+ optional header");
	if (pe.subsystem == IGDPT_PE_SUBSYSTEM_EFI_APPLICATION)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL,
				       pe.pe_offset + IGDPT_PE_COFF_HEADER_END + IGDPT_PE_OPT_SUBSYSTEM_OFFSET,
				       "an EFI application (subsystem 10): edk2 starts only drivers from "
				       "option ROMs (igdpt's is igdpt-efi-driver.efi)");
	if (pe.subsystem != IGDPT_PE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER &&
	    pe.subsystem != IGDPT_PE_SUBSYSTEM_EFI_RUNTIME_DRIVER)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL,
				       pe.pe_offset + IGDPT_PE_COFF_HEADER_END + IGDPT_PE_OPT_SUBSYSTEM_OFFSET,
				       "PE subsystem is not an EFI driver (11 boot services, 12 runtime)");
	if (out)
		*out = pe;
	return 0;
}

static void put_class(uint8_t *pcir, uint32_t class_code)
{
	pcir[IGDPT_PCIR_CLASS_OFFSET] = (uint8_t)(class_code & CLASS_BYTE_MASK);
	pcir[IGDPT_PCIR_CLASS_OFFSET + 1] = (uint8_t)((class_code >> CLASS_SUB_SHIFT) & CLASS_BYTE_MASK);
	pcir[IGDPT_PCIR_CLASS_OFFSET + 2] = (uint8_t)((class_code >> CLASS_BASE_SHIFT) & CLASS_BYTE_MASK);
}

/* A revision 3 PCI data structure at img + PCIR_AT. */
static void put_pcir(uint8_t *img, uint16_t device, bool with_list, size_t length,
		     uint8_t code_type, bool last)
{
	uint8_t *pcir = img + PCIR_AT;

	igdpt_put_le16(img + IGDPT_ROM_PCIR_POINTER_OFFSET, PCIR_AT);
	memcpy(pcir, IGDPT_PCIR_SIGNATURE, IGDPT_PCIR_SIGNATURE_SIZE);
	igdpt_put_le16(pcir + IGDPT_PCIR_VENDOR_OFFSET, IGDPT_PCI_VENDOR_INTEL);
	igdpt_put_le16(pcir + IGDPT_PCIR_DEVICE_OFFSET, device);
	igdpt_put_le16(pcir + IGDPT_PCIR_DEVICE_LIST_OFFSET,
		       with_list ? IGDPT_PCIR_REV3_SIZE : 0);
	igdpt_put_le16(pcir + IGDPT_PCIR_LENGTH_OFFSET, IGDPT_PCIR_REV3_SIZE);
	pcir[IGDPT_PCIR_REVISION_OFFSET] = IGDPT_PCIR_REVISION_3;
	put_class(pcir, IGDPT_PCIR_CLASS_VGA);
	igdpt_put_le16(pcir + IGDPT_PCIR_IMAGE_LENGTH_OFFSET,
		       (uint16_t)(length / IGDPT_ROM_BLOCK_SIZE));
	pcir[IGDPT_PCIR_CODE_TYPE_OFFSET] = code_type;
	pcir[IGDPT_PCIR_INDICATOR_OFFSET] = last ? IGDPT_PCIR_INDICATOR_LAST : 0;
}

/* The device ids an EFI image names: the whole table, or the one given. */
struct id_list {
	uint16_t *ids;
	size_t count;
	bool is_list;
	uint16_t one; /* ids points here when a single id was given */
};

static int id_list_init(struct id_list *l, uint16_t device_id)
{
	if (device_id) {
		l->one = device_id;
		l->ids = &l->one;
		l->count = 1;
		l->is_list = false;
		return 0;
	}
	l->count = igdpt_igd_device_ids(NULL, 0);
	l->ids = malloc(l->count * sizeof(*l->ids));
	if (!l->ids)
		return -IGDPT_ENOMEM;
	igdpt_igd_device_ids(l->ids, l->count);
	l->is_list = true;
	return 0;
}

static void id_list_free(struct id_list *l)
{
	if (l->is_list)
		free(l->ids);
}

/* Where the PE file starts in an image, and the image's length. */
static size_t efi_image_offset(const struct id_list *l)
{
	size_t list_end = DEVICE_LIST_AT +
			  (l->is_list ? (l->count + 1) * IGDPT_PCIR_DEVICE_LIST_ENTRY_SIZE : 0);

	/* + 1: the checksum byte between the list and the PE file. */
	return align_up(list_end + 1, IGDPT_ROM_BUILD_EFI_IMAGE_ALIGN);
}

static void put_efi_image(uint8_t *img, const struct igdpt_rom_efi_input *in,
			  const struct igdpt_pe *pe, const struct id_list *l, size_t length,
			  bool last)
{
	size_t pe_at = efi_image_offset(l);

	memset(img, 0, length);
	igdpt_put_le16(img + IGDPT_ROM_SIGNATURE_OFFSET, IGDPT_ROM_SIGNATURE);
	igdpt_put_le16(img + IGDPT_ROM_EFI_INIT_SIZE_OFFSET, (uint16_t)(length / IGDPT_ROM_BLOCK_SIZE));
	igdpt_put_le32(img + IGDPT_ROM_EFI_SIGNATURE_OFFSET, IGDPT_ROM_EFI_SIGNATURE);
	igdpt_put_le16(img + IGDPT_ROM_EFI_SUBSYSTEM_OFFSET, pe->subsystem);
	igdpt_put_le16(img + IGDPT_ROM_EFI_MACHINE_OFFSET, pe->machine);
	igdpt_put_le16(img + IGDPT_ROM_EFI_COMPRESSION_OFFSET, IGDPT_ROM_EFI_UNCOMPRESSED);
	igdpt_put_le16(img + IGDPT_ROM_EFI_IMAGE_OFFSET_OFFSET, (uint16_t)pe_at);
	put_pcir(img, l->ids[0], l->is_list, length, IGDPT_ROM_CODE_EFI, last);
	if (l->is_list)
		for (size_t i = 0; i < l->count; i++)
			igdpt_put_le16(img + DEVICE_LIST_AT + i * IGDPT_PCIR_DEVICE_LIST_ENTRY_SIZE,
				       l->ids[i]);
	memcpy(img + pe_at, in->data, in->len);
	/* The byte before the PE file's alignment padding. */
	img[pe_at - 1] = (uint8_t)(0u - igdpt_bytes_sum8(img, length));
}

int igdpt_rom_build_efi(const struct igdpt_rom_efi_input *inputs, size_t count,
			uint16_t device_id, uint8_t *out, size_t cap, size_t *out_len,
			size_t *failed, struct igdpt_diag *diag)
{
	struct igdpt_pe pe[IGDPT_ROM_BUILD_MAX_EFI_IMAGES];
	size_t length[IGDPT_ROM_BUILD_MAX_EFI_IMAGES];
	size_t total = 0, pe_at, at = 0;
	struct id_list ids;
	int ret;

	if (failed)
		*failed = 0;
	if (!count || count > IGDPT_ROM_BUILD_MAX_EFI_IMAGES)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0,
				       count ? "too many EFI images for one ROM (at most 16)"
					     : "no EFI image to put in the ROM");
	ret = id_list_init(&ids, device_id);
	if (ret < 0)
		return igdpt_diag_fail(diag, ret, 0, "out of memory");
	pe_at = efi_image_offset(&ids);
	for (size_t i = 0; i < count; i++) {
		ret = igdpt_rom_check_efi_driver(inputs[i].data, inputs[i].len, &pe[i], diag);
		if (ret >= 0 && inputs[i].len > (size_t)U16_MAX_VALUE * IGDPT_ROM_BLOCK_SIZE - pe_at)
			ret = igdpt_diag_fail(diag, -IGDPT_EINVAL, 0,
					      "EFI image too large for a ROM image (32 MiB)");
		if (ret < 0) {
			if (failed)
				*failed = i;
			goto free_ids;
		}
		length[i] = align_up(pe_at + inputs[i].len, IGDPT_ROM_BLOCK_SIZE);
		total += length[i];
	}
	*out_len = total;
	if (cap < total) {
		ret = igdpt_diag_fail(diag, -IGDPT_ENOSPC, 0, "output buffer too small");
		goto free_ids;
	}
	for (size_t i = 0; i < count; i++) {
		put_efi_image(out + at, &inputs[i], &pe[i], &ids, length[i], i + 1 == count);
		at += length[i];
	}
	ret = 0;
free_ids:
	id_list_free(&ids);
	return ret;
}

int igdpt_rom_build_vbios(const uint8_t *vbt, size_t vbt_len, uint16_t device_id,
			  uint8_t *out, size_t cap, size_t *out_len, struct igdpt_diag *diag)
{
	const size_t vbt_at = align_up(DEVICE_LIST_AT, IGDPT_ROM_BUILD_VBT_ALIGN);
	struct igdpt_diag local = { 0 };
	struct igdpt_vbt parsed;
	size_t length;
	int ret;

	if (!device_id)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0,
				       "a video BIOS needs the device id it is for (SeaBIOS runs a "
				       "legacy image only on the device its PCIR names)");
	ret = igdpt_vbt_parse(vbt, vbt_len, &parsed, &local);
	if (ret < 0)
		return igdpt_diag_fail(diag, ret, local.offset, local.reason);
	/* + 1: the checksum byte after the VBT. A u16 vbt_size always fits
	 * the u8 initialization size (at most 129 of 255 blocks). */
	length = align_up(vbt_at + parsed.vbt_size + 1, IGDPT_ROM_BLOCK_SIZE);
	*out_len = length;
	if (cap < length)
		return igdpt_diag_fail(diag, -IGDPT_ENOSPC, 0, "output buffer too small");

	memset(out, 0, length);
	igdpt_put_le16(out + IGDPT_ROM_SIGNATURE_OFFSET, IGDPT_ROM_SIGNATURE);
	out[IGDPT_ROM_LEGACY_SIZE512_OFFSET] = (uint8_t)(length / IGDPT_ROM_BLOCK_SIZE);
	out[IGDPT_ROM_LEGACY_ENTRY_OFFSET] = X86_FAR_RETURN;
	put_pcir(out, device_id, false, length, IGDPT_ROM_CODE_X86, true);
	memcpy(out + vbt_at, vbt, parsed.vbt_size);
	out[length - 1] = (uint8_t)(0u - igdpt_bytes_sum8(out, length));
	if (diag)
		diag->warnings |= parsed.warnings;
	return 0;
}
