/* SPDX-License-Identifier: MIT */
/* Fuzz target: the PCI option ROM chain parser, one image at a time, the
 * Linux-visible size, i915's VBT lookup and the PE header checks. */
#include "fuzz.h"

#include "igdpt/abi/pci_rom.h"
#include "igdpt/core/pci_rom.h"
#include "igdpt/core/pe.h"

struct chain {
	const uint8_t *data;
	size_t len, next;
	unsigned count;
};

/* Images come in order, back to back, inside the buffer. */
static void check_image(const struct igdpt_pci_rom_image *im, void *opaque)
{
	struct chain *c = opaque;

	FUZZ_CHECK(im->offset == c->next);
	FUZZ_CHECK(im->length && im->length % IGDPT_ROM_BLOCK_SIZE == 0);
	FUZZ_CHECK(im->length <= c->len - im->offset);
	FUZZ_CHECK((size_t)im->pcir_offset + im->pcir_length <= im->length);
	FUZZ_CHECK(im->init_size <= im->length);
	if (im->device_list) {
		FUZZ_CHECK(im->device_list > c->data + im->offset);
		FUZZ_CHECK((size_t)(im->device_list - c->data) + 2u * im->device_count + 2u <=
			   im->offset + im->length);
	}
	if (im->code_type == IGDPT_ROM_CODE_EFI)
		FUZZ_CHECK(im->efi_image_offset < im->init_size);
	c->next = im->offset + im->length;
	c->count++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chain c = { data, size, 0, 0 };
	struct igdpt_diag diag = { 0 };
	struct igdpt_pci_rom rom;
	struct igdpt_pci_rom_vbt v;
	struct igdpt_pci_rom_image im;
	struct igdpt_pe pe;
	size_t linux_size;
	int ret;

	ret = igdpt_pci_rom_parse(data, size, &rom, check_image, &c, &diag);
	if (ret < 0) {
		FUZZ_CHECK(diag.reason != 0 && diag.offset <= size);
	} else {
		FUZZ_CHECK(rom.image_count == c.count && rom.size == c.next && rom.size <= size);
	}
	/* Any offset may be asked for, in or out of the buffer. */
	for (size_t at = 0; at <= size + IGDPT_ROM_BLOCK_SIZE; at += IGDPT_ROM_BLOCK_SIZE)
		if (igdpt_pci_rom_image_at(data, size, at, &im, 0) == 0)
			FUZZ_CHECK(im.offset == at && im.length <= size - at);

	linux_size = igdpt_pci_rom_linux_size(data, size);
	FUZZ_CHECK(linux_size <= size);
	diag = (struct igdpt_diag){ 0 };
	if (igdpt_pci_rom_find_vbt(data, size, &v, &diag) == 0) {
		FUZZ_CHECK(v.rom_size == linux_size && v.offset % 4 == 0);
		FUZZ_CHECK(v.window <= v.rom_size - v.offset);
		FUZZ_CHECK(v.vbt.data == data + v.offset);
	} else {
		FUZZ_CHECK(diag.reason != 0);
	}
	if (igdpt_pe_parse(data, size, &pe, 0) == 0)
		FUZZ_CHECK(pe.pe_offset < size);
	return 0;
}
