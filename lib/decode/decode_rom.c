/* SPDX-License-Identifier: MIT */
/* The "rom" part of a decoded video BIOS: its image chain as the core
 * parser sees it (lib/core/pci_rom.c) and where i915 finds the VBT. */
#include "decode_internal.h"
#include "igdpt/core/pci_rom.h"

#define PCI_CLASS_SHIFT 8u   /* class_code: base << 16 | subclass << 8 | interface */
#define PCI_PROG_IF_MASK 0xFFu

struct rom_walk {
	struct dec *d;
	dec_node *images;
};

static const char *code_type_name(uint64_t v, unsigned version)
{
	(void)version;
	return igdpt_pci_rom_code_type_name((uint8_t)v);
}

static void add_image(const struct igdpt_pci_rom_image *im, void *opaque)
{
	struct rom_walk *w = opaque;
	struct dec *d = w->d;
	dec_node *img = dec_group(d, w->images, NULL);

	dec_offset(d, img, "offset", im->offset);
	dec_uint(d, img, "length", im->length);
	dec_enum(d, img, "code_type", im->code_type, 2, code_type_name(im->code_type, 0));
	dec_hex(d, img, "vendor", im->vendor, 2);
	dec_hex(d, img, "device", im->device, 2);
	dec_uint(d, img, "device_list_count", im->device_count);
	/* The class as the dialect spells a PCI class (base and subclass),
	 * then the programming interface. */
	dec_hex(d, img, "class", im->class_code >> PCI_CLASS_SHIFT, 2);
	dec_hex(d, img, "prog_if", im->class_code & PCI_PROG_IF_MASK, 1);
	dec_uint(d, img, "pcir_revision", im->pcir_revision);
	dec_uint(d, img, "init_size", im->init_size);
	dec_bool(d, img, "checksum_ok", im->checksum == 0);
	dec_bool(d, img, "last", im->last);
}

void dec_rom(struct dec *d, dec_node *obj, const uint8_t *buf, size_t len,
	     const struct igdpt_pci_rom_vbt *found)
{
	struct igdpt_diag diag = IGDPT_DIAG_INIT;
	struct igdpt_pci_rom rom;
	struct rom_walk walk = { d, NULL };
	int ret;

	dec_uint(d, obj, "linux_size", found->rom_size);
	if (found->offset)
		dec_offset(d, obj, "vbt_offset", found->offset);
	else
		dec_none(d, obj, "vbt_offset");
	/* The images come after the chain's verdict, which needs the walk. */
	walk.images = dec_list(d, NULL, "images");
	ret = igdpt_pci_rom_parse(buf, len, &rom, add_image, &walk, &diag);
	dec_bool(d, obj, "chain_valid", ret >= 0);
	if (ret < 0) {
		dec_text(d, obj, "chain_reason", diag.reason);
		dec_offset(d, obj, "chain_offset", diag.offset);
	} else {
		dec_none(d, obj, "chain_reason");
		dec_none(d, obj, "chain_offset");
	}
	if (walk.images != &d->scratch && obj != &d->scratch)
		dec_append(obj, walk.images);
}
