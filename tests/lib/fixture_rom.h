/* SPDX-License-Identifier: MIT */
/* Synthetic PE files and PCI option ROM images for tests and fuzz seeds,
 * assembled from the layouts in include/igdpt/abi/pe.h and pci_rom.h
 * field by field (never with lib/build/build_rom.c, whose output they check). */
#ifndef IGDPT_TESTS_FIXTURE_ROM_H
#define IGDPT_TESTS_FIXTURE_ROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where the fixtures put things. */
#define FX_PE_LFANEW 0x40u
#define FX_PE_OPT_SIZE 0xF0u
#define FX_ROM_PCIR_AT 0x1Cu
#define FX_ROM_LIST_AT 0x38u
#define FX_ROM_PAYLOAD_AT 0x80u

struct fx_pe {
	uint16_t machine;   /* x64 */
	uint16_t magic;     /* PE32+ */
	uint16_t subsystem; /* EFI boot-services driver */
	size_t payload;     /* bytes after the headers, 256; a non-zero pattern */
};

void fx_pe_defaults(struct fx_pe *p);
/* Returns the file's length, 0 when cap is too small. */
size_t fx_pe_build(const struct fx_pe *p, uint8_t *buf, size_t cap);

struct fx_rom_image {
	uint8_t code_type;          /* 0 legacy (default) or 3 EFI */
	uint16_t vendor, device;    /* 8086:5916 */
	uint32_t class_code;        /* 0x030000 */
	uint8_t pcir_revision;      /* 3 */
	const uint16_t *device_list;
	size_t device_count;        /* with device_list: written at FX_ROM_LIST_AT */
	size_t length;              /* image bytes, 512 multiple; 1024 */
	bool last;                  /* true */
	const uint8_t *payload;     /* copied to FX_ROM_PAYLOAD_AT (VBT or PE file) */
	size_t payload_len;
	uint16_t efi_subsystem;     /* 11 */
	uint16_t efi_machine;       /* x64 */
	bool fix_checksum;          /* true: the image's bytes sum to 0 (last byte) */
};

void fx_rom_image_defaults(struct fx_rom_image *im);
/* Writes the image (zero-filled first) at buf. Returns its length, 0 when
 * cap or length is too small for what it holds. */
size_t fx_rom_image_build(const struct fx_rom_image *im, uint8_t *buf, size_t cap);

#endif
