/* SPDX-License-Identifier: MIT */
/* The "rom" section of a decoded video BIOS: its image chain as the core
 * parser sees it (lib/core/pci_rom.c) and where i915 finds the VBT. */
#include "decode_internal.h"
#include "igdpt/core/pci_rom.h"

static void add_image(const struct igdpt_pci_rom_image *im, void *opaque)
{
	struct json_object *obj = json_object_new_object();
	const char *type = igdpt_pci_rom_code_type_name(im->code_type);

	json_object_object_add(obj, "offset", dec_hex(im->offset));
	json_object_object_add(obj, "length", dec_uint(im->length));
	json_object_object_add(obj, "code_type", dec_uint(im->code_type));
	json_object_object_add(obj, "code_type_name", type ? json_object_new_string(type) : NULL);
	json_object_object_add(obj, "vendor", dec_hex(im->vendor));
	json_object_object_add(obj, "device", dec_hex(im->device));
	json_object_object_add(obj, "device_list_count", dec_uint(im->device_count));
	json_object_object_add(obj, "class_code", dec_hex(im->class_code));
	json_object_object_add(obj, "pcir_revision", dec_uint(im->pcir_revision));
	json_object_object_add(obj, "init_size", dec_uint(im->init_size));
	json_object_object_add(obj, "checksum_ok", json_object_new_boolean(im->checksum == 0));
	json_object_object_add(obj, "last", json_object_new_boolean(im->last));
	json_object_array_add(opaque, obj);
}

struct json_object *dec_rom(const uint8_t *buf, size_t len, const struct igdpt_pci_rom_vbt *found)
{
	struct json_object *obj = json_object_new_object(), *images = json_object_new_array();
	struct igdpt_diag diag = { 0 };
	struct igdpt_pci_rom rom;
	int ret = igdpt_pci_rom_parse(buf, len, &rom, add_image, images, &diag);

	json_object_object_add(obj, "linux_size", dec_uint(found->rom_size));
	json_object_object_add(obj, "vbt_offset", found->offset ? dec_hex(found->offset) : NULL);
	json_object_object_add(obj, "chain_valid", json_object_new_boolean(ret >= 0));
	json_object_object_add(obj, "chain_reason", ret < 0 ? json_object_new_string(diag.reason) : NULL);
	json_object_object_add(obj, "chain_offset", ret < 0 ? dec_hex(diag.offset) : NULL);
	json_object_object_add(obj, "images", images);
	return obj;
}
