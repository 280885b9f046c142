/* SPDX-License-Identifier: MIT */
/* igdpt rom --check --json's object per file: the ROM's verdict, every
 * image that passed its checks, and the VBT as i915's PCI ROM fallback
 * finds it. */
#include "json_rom.h"

#include <string.h>

#include "igdpt/abi/pci_rom.h"
#include "igdpt/core/pci_rom.h"
#include "igdpt/core/pe.h"
#include "json_out.h"

#define PCI_CLASS_SHIFT 8u   /* class_code: base << 16 | subclass << 8 | interface */
#define PCI_PROG_IF_MASK 0xFFu

static struct json_object *name_or_null(const char *name)
{
	return name ? json_object_new_string(name) : NULL;
}

static struct json_object *efi_json(const struct igdpt_pci_rom_image *im)
{
	struct json_object *efi = json_object_new_object();

	json_object_object_add(efi, "subsystem", json_object_new_int(im->efi_subsystem));
	json_object_object_add(efi, "subsystem_name",
			       name_or_null(igdpt_pe_subsystem_name(im->efi_subsystem)));
	json_object_object_add(efi, "machine", json_object_new_int(im->efi_machine));
	json_object_object_add(efi, "machine_name",
			       name_or_null(igdpt_pe_machine_name(im->efi_machine)));
	json_object_object_add(efi, "compressed",
			       json_object_new_boolean(im->efi_compression ==
						       IGDPT_ROM_EFI_COMPRESSED));
	json_object_object_add(efi, "image_offset", json_object_new_int(im->efi_image_offset));
	return efi;
}

static void image_json(const struct igdpt_pci_rom_image *im, void *opaque)
{
	struct json_object *images = opaque, *obj = json_object_new_object(), *list;

	json_object_object_add(obj, "offset", json_object_new_int64((int64_t)im->offset));
	json_object_object_add(obj, "length", json_object_new_int64((int64_t)im->length));
	json_object_object_add(obj, "code_type", json_object_new_int(im->code_type));
	json_object_object_add(obj, "code_type_name",
			       name_or_null(igdpt_pci_rom_code_type_name(im->code_type)));
	json_object_object_add(obj, "vendor", igdpt_json_hex16(im->vendor));
	json_object_object_add(obj, "device", igdpt_json_hex16(im->device));
	list = json_object_new_array();
	for (unsigned i = 0; i < im->device_count; i++)
		json_object_array_add(list, igdpt_json_hex16(igdpt_pci_rom_list_device(im, i)));
	json_object_object_add(obj, "device_list", list);
	json_object_object_add(obj, "class",
			       igdpt_json_hex16((uint16_t)(im->class_code >> PCI_CLASS_SHIFT)));
	json_object_object_add(obj, "prog_if",
			       igdpt_json_hex8((uint8_t)(im->class_code & PCI_PROG_IF_MASK)));
	json_object_object_add(obj, "pcir_revision", json_object_new_int(im->pcir_revision));
	json_object_object_add(obj, "code_revision", json_object_new_int(im->code_revision));
	json_object_object_add(obj, "last", json_object_new_boolean(im->last));
	json_object_object_add(obj, "init_size", json_object_new_int64((int64_t)im->init_size));
	json_object_object_add(obj, "checksum_ok", json_object_new_boolean(im->checksum == 0));
	json_object_object_add(obj, "efi", im->code_type == IGDPT_ROM_CODE_EFI ? efi_json(im) : NULL);
	json_object_array_add(images, obj);
}

/* The VBT signature without its space padding. */
static struct json_object *signature(const char *sig)
{
	size_t n = strlen(sig);

	while (n && sig[n - 1] == ' ')
		n--;
	return json_object_new_string_len(sig, (int)n);
}

static struct json_object *vbt_json(const uint8_t *data, size_t len)
{
	struct igdpt_diag diag = IGDPT_DIAG_INIT;
	struct igdpt_pci_rom_vbt v;
	struct json_object *obj;
	int ret = igdpt_pci_rom_find_vbt(data, len, &v, &diag);
	bool ok = ret >= 0;

	if (!v.offset)
		return NULL;
	obj = json_object_new_object();
	json_object_object_add(obj, "vbt_offset", json_object_new_int64((int64_t)v.offset));
	json_object_object_add(obj, "valid", json_object_new_boolean(ok));
	json_object_object_add(obj, "reason", ok ? NULL : json_object_new_string(diag.reason));
	json_object_object_add(obj, "offset", ok ? NULL : json_object_new_int64((int64_t)diag.offset));
	json_object_object_add(obj, "vbt_signature", ok ? signature(v.vbt.signature) : NULL);
	json_object_object_add(obj, "bdb_version", ok ? json_object_new_int(v.vbt.bdb_version) : NULL);
	json_object_object_add(obj, "vbt_size", ok ? json_object_new_int(v.vbt.vbt_size) : NULL);
	json_object_object_add(obj, IGDPT_JSON_KEY_WARNINGS, igdpt_json_warnings(diag.warnings));
	return obj;
}

struct json_object *igdpt_json_pci_rom(const char *name, const uint8_t *data, size_t len,
				       bool *valid)
{
	struct json_object *obj = json_object_new_object(), *images;
	struct igdpt_diag diag = IGDPT_DIAG_INIT;
	struct igdpt_pci_rom rom;
	int ret;

	if (!obj)
		return NULL;
	images = json_object_new_array();
	ret = igdpt_pci_rom_parse(data, len, &rom, image_json, images, &diag);
	*valid = ret >= 0;
	json_object_object_add(obj, "file", json_object_new_string(name));
	json_object_object_add(obj, "valid", json_object_new_boolean(ret >= 0));
	json_object_object_add(obj, "reason", ret < 0 ? json_object_new_string(diag.reason) : NULL);
	json_object_object_add(obj, "offset",
			       ret < 0 ? json_object_new_int64((int64_t)diag.offset) : NULL);
	json_object_object_add(obj, "size", ret < 0 ? NULL : json_object_new_int64((int64_t)rom.size));
	json_object_object_add(obj, "padding",
			       ret < 0 ? NULL : json_object_new_int64((int64_t)(len - rom.size)));
	json_object_object_add(obj, "images", images);
	json_object_object_add(obj, "vbt", vbt_json(data, len));
	return obj;
}
