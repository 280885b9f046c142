/* SPDX-License-Identifier: MIT */
/* PCI option ROMs: the image chain checked strictly, and the VBT inside a
 * video BIOS found as Linux i915 finds it (core: no I/O, no malloc).
 *
 * Layout constants are in igdpt/abi/pci_rom.h. A parsed image is a view
 * into the caller's buffer. Return contract of every int function: >= 0
 * success, -EINVAL with diag->reason and diag->offset (from the ROM start)
 * when the input is invalid.
 */
#ifndef IGDPT_PCI_ROM_H
#define IGDPT_PCI_ROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"
#include "igdpt/core/diag.h"
#include "igdpt/core/vbt.h"

IGDPT_BEGIN_DECLS

struct igdpt_pci_rom_image {
	size_t offset;             /* of the image, from the ROM start */
	size_t length;             /* PCIR image length in bytes */
	uint16_t pcir_offset;      /* from the image start */
	uint16_t pcir_length;
	uint8_t pcir_revision;
	uint16_t vendor, device;
	uint32_t class_code;       /* base << 16 | subclass << 8 | interface */
	uint16_t code_revision;
	uint8_t code_type;         /* IGDPT_ROM_CODE_* */
	bool last;                 /* the last-image indicator */
	/* Revision 3 device list: device_count ids at device_list (in the
	 * caller's buffer, u16 little-endian each); NULL when there is none. */
	uint16_t device_list_offset; /* from the PCIR start, 0 = none */
	const uint8_t *device_list;
	unsigned device_count;
	/* Initialization size in bytes (legacy: byte 2; EFI: u16 at 2; both in
	 * 512 units) and the byte sum over it. A legacy image must sum to 0;
	 * an EFI image need not (the UEFI specification asks no checksum). */
	size_t init_size;
	uint8_t checksum;
	/* Code type EFI only */
	uint16_t efi_subsystem;    /* IGDPT_PE_SUBSYSTEM_* */
	uint16_t efi_machine;      /* IGDPT_PE_MACHINE_* */
	uint16_t efi_compression;  /* IGDPT_ROM_EFI_UNCOMPRESSED or _COMPRESSED */
	uint16_t efi_image_offset; /* of the PE image, from the image start */
};

struct igdpt_pci_rom {
	const uint8_t *data;
	size_t len;                /* bytes given */
	size_t size;               /* end of the last image; the rest is padding */
	unsigned image_count;
};

/* Called for every image that passed its checks, in chain order, also when
 * a later image fails (so a report shows what came before the fault). */
typedef void (*igdpt_pci_rom_image_fn)(const struct igdpt_pci_rom_image *image, void *opaque);

/* Checks one image at offset: 0x55AA, the PCIR pointer (non-zero, DWORD
 * aligned, inside the image), the "PCIR" signature and length, a non-zero
 * image length inside the buffer, the device list inside the image and
 * terminated; for a legacy image the initialization size (non-zero, inside
 * the image); for an EFI image the 0x0EF1 signature, initialization size,
 * compression type, the PE image offset inside the initialization size and,
 * when uncompressed, the PE headers agreeing with the ROM header's machine
 * and subsystem. The checksum is computed, not judged. */
int igdpt_pci_rom_image_at(const uint8_t *buf, size_t len, size_t offset,
			   struct igdpt_pci_rom_image *image, struct igdpt_diag *diag);

/* Walks the chain from buf[0] and checks every image as above, plus: each
 * legacy image's checksum, and a last-image indicator before the buffer
 * ends (an image length of 0 would make a walker loop: edk2's does). Bytes
 * after the last image are allowed (ROM BARs are powers of two). fn may be
 * NULL. */
int igdpt_pci_rom_parse(const uint8_t *buf, size_t len, struct igdpt_pci_rom *rom,
			igdpt_pci_rom_image_fn fn, void *opaque, struct igdpt_diag *diag);

/* The i-th entry of an image's device list (i < device_count). */
uint16_t igdpt_pci_rom_list_device(const struct igdpt_pci_rom_image *image, unsigned i);
/* True when the image names device_id in its PCIR or its device list. */
bool igdpt_pci_rom_image_covers(const struct igdpt_pci_rom_image *image, uint16_t device_id);

/* "x86", "Open Firmware", "HP PA-RISC", "EFI"; NULL for other code types. */
const char *igdpt_pci_rom_code_type_name(uint8_t code_type);

/* ---- a VBT inside a video BIOS (lib/core/pci_rom_vbt.c) ---- */

/* The bytes of a ROM that Linux maps and that sysfs "rom" reads
 * (drivers/pci/rom.c pci_get_rom_size()): images from the start while each
 * has 0x55AA and "PCIR", up to the last-image indicator, a zero length, an
 * image past the buffer or a next image without 0x55AA; never more than
 * len. 0 when the first image fails (Linux then exposes no ROM). */
size_t igdpt_pci_rom_linux_size(const uint8_t *buf, size_t len);

struct igdpt_pci_rom_vbt {
	size_t rom_size;       /* igdpt_pci_rom_linux_size() */
	size_t offset;         /* of "$VBT", from the ROM start */
	size_t window;         /* the VBT's vbt_size bytes from offset */
	struct igdpt_vbt vbt;  /* parsed view of the window */
};

/* Finds and validates the VBT of a video BIOS as i915's PCI ROM fallback
 * does (display/intel_bios.c, oprom_get_vbt()): the first "$VBT" at a
 * 4-byte aligned offset inside the Linux-visible ROM, whose header and
 * vbt_size bytes must lie inside that ROM; then igdpt_vbt_parse() judges
 * it as it judges a bare VBT file (the bytes after vbt_size are ROM, so no
 * trailing-data warning). Errors: not a PCI ROM (no 0x55AA/"PCIR" at 0:
 * Linux maps nothing), no "$VBT", and the VBT parser's reasons, offsets
 * from the ROM start. diag->warnings gets the VBT's warnings, plus
 * IGDPT_WARN_ROM_CHECKSUM when a legacy image of the ROM does not sum to 0
 * (i915 does not check; shadowed ROMs often fail). */
int igdpt_pci_rom_find_vbt(const uint8_t *buf, size_t len, struct igdpt_pci_rom_vbt *out,
			   struct igdpt_diag *diag);

IGDPT_END_DECLS

#endif
