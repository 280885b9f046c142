/* SPDX-License-Identifier: MIT */
/* igdpt rom --check: one PCI option ROM judged and described as text
 * (tools/rom_report.c; as JSON: lib/json/json_rom.h). */
#ifndef IGDPT_TOOLS_ROM_REPORT_H
#define IGDPT_TOOLS_ROM_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Parses data as a PCI option ROM (igdpt_pci_rom_parse()) and prints, for
 * name, the verdict line then one line per image that passed (those before
 * the fault when the ROM is invalid), then the VBT a video BIOS carries.
 * Returns 0 valid, -EINVAL invalid. */
int rom_report_text(FILE *out, const char *name, const uint8_t *data, size_t len);

#endif
