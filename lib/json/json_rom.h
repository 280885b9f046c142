/* SPDX-License-Identifier: MIT */
/* A PCI option ROM judged by the core (lib/core/pci_rom.c, pci_rom_vbt.c)
 * in igdpt's JSON dialect: what igdpt rom --check --json says per file. */
#ifndef IGDPT_JSON_ROM_H
#define IGDPT_JSON_ROM_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A new object (docs/schema/rom.schema.json, "file"): file, valid, reason,
 * offset, size, padding, images [...], vbt {...} or null (null when there
 * is no "$VBT" in the ROM); *valid says whether the ROM passed. NULL when
 * out of memory. */
struct json_object *igdpt_json_pci_rom(const char *name, const uint8_t *data, size_t len,
				       bool *valid);

#endif
