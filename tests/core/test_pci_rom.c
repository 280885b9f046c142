/* SPDX-License-Identifier: MIT */
/* Unit tests: the PCI option ROM parser (chains, every malformed case with
 * its reason and offset), the Linux-visible ROM size, i915's VBT lookup,
 * and the PE header checks. ROMs come from tests/lib/fixture_rom.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "fixture_rom.h"
#include "igdpt/abi/pci_rom.h"
#include "igdpt/abi/pe.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/pci_rom.h"
#include "igdpt/core/pe.h"

#define ROM_CAP 0x10000u
#define BLOCK IGDPT_ROM_BLOCK_SIZE
#define PCIR(at) ((at) + FX_ROM_PCIR_AT)

static uint8_t rom[ROM_CAP];
static uint8_t pe[4096];
static uint8_t vbt[4096];

/* A legacy image (1 KiB) then an EFI image holding a PE file (1 KiB). */
static size_t two_images(void)
{
	struct fx_rom_image im;
	struct fx_pe p;
	size_t n;

	fx_rom_image_defaults(&im);
	im.last = false;
	n = fx_rom_image_build(&im, rom, sizeof(rom));
	fx_pe_defaults(&p);
	fx_rom_image_defaults(&im);
	im.code_type = IGDPT_ROM_CODE_EFI;
	im.payload = pe;
	im.payload_len = fx_pe_build(&p, pe, sizeof(pe));
	im.fix_checksum = false;
	return n + fx_rom_image_build(&im, rom + n, sizeof(rom) - n);
}

static void expect_bad(const uint8_t *buf, size_t len, const char *reason, size_t offset)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_pci_rom r;

	assert_int_equal(igdpt_pci_rom_parse(buf, len, &r, NULL, NULL, &diag), -IGDPT_EINVAL);
	assert_non_null(diag.reason);
	assert_string_equal(diag.reason, reason);
	assert_int_equal(diag.offset, offset);
}

struct seen {
	struct igdpt_pci_rom_image im[8];
	unsigned n;
};

static void collect(const struct igdpt_pci_rom_image *im, void *opaque)
{
	struct seen *s = opaque;

	if (s->n < 8)
		s->im[s->n] = *im;
	s->n++;
}

/* ---- good ROMs ---- */

static void test_legacy_image(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct fx_rom_image im;
	struct igdpt_pci_rom r;
	struct seen s = { 0 };
	size_t len;

	(void)state;
	fx_rom_image_defaults(&im);
	len = fx_rom_image_build(&im, rom, sizeof(rom));
	assert_int_equal(igdpt_pci_rom_parse(rom, len, &r, collect, &s, &diag), 0);
	assert_null(diag.reason);
	assert_int_equal(r.image_count, 1);
	assert_int_equal(r.size, len);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.im[0].offset, 0);
	assert_int_equal(s.im[0].length, 2 * BLOCK);
	assert_int_equal(s.im[0].code_type, IGDPT_ROM_CODE_X86);
	assert_int_equal(s.im[0].vendor, 0x8086);
	assert_int_equal(s.im[0].device, 0x5916);
	assert_int_equal(s.im[0].class_code, IGDPT_PCIR_CLASS_VGA);
	assert_int_equal(s.im[0].pcir_offset, FX_ROM_PCIR_AT);
	assert_int_equal(s.im[0].pcir_revision, 3);
	assert_int_equal(s.im[0].init_size, 2 * BLOCK);
	assert_int_equal(s.im[0].checksum, 0);
	assert_true(s.im[0].last);
	assert_int_equal(s.im[0].device_count, 0);
	assert_null(s.im[0].device_list);
	assert_string_equal(igdpt_pci_rom_code_type_name(s.im[0].code_type), "x86");
}

static void test_chain_and_padding(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_pci_rom r;
	struct seen s = { 0 };
	size_t len = two_images();

	(void)state;
	/* A ROM BAR is a power of two: 0xFF padding after the last image. */
	memset(rom + len, 0xFF, 2 * BLOCK);
	assert_int_equal(igdpt_pci_rom_parse(rom, len + 2 * BLOCK, &r, collect, &s, &diag), 0);
	assert_int_equal(r.image_count, 2);
	assert_int_equal(r.size, len);
	assert_int_equal(r.len, len + 2 * BLOCK);
	assert_int_equal(s.im[0].offset, 0);
	assert_false(s.im[0].last);
	assert_int_equal(s.im[1].offset, 2 * BLOCK);
	assert_true(s.im[1].last);
	assert_int_equal(s.im[1].code_type, IGDPT_ROM_CODE_EFI);
	assert_int_equal(s.im[1].efi_subsystem, IGDPT_PE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER);
	assert_int_equal(s.im[1].efi_machine, IGDPT_PE_MACHINE_X64);
	assert_int_equal(s.im[1].efi_compression, IGDPT_ROM_EFI_UNCOMPRESSED);
	assert_int_equal(s.im[1].efi_image_offset, FX_ROM_PAYLOAD_AT);
	assert_int_equal(s.im[1].init_size, 2 * BLOCK);
	/* No checksum asked of an EFI image: reported, not judged. */
	assert_int_not_equal(s.im[1].checksum, 0);
}

static void test_device_list(void **state)
{
	static const uint16_t ids[] = { 0x5916, 0x591b, 0x3e92 };
	struct igdpt_pci_rom_image im;
	struct fx_rom_image f;
	size_t len;

	(void)state;
	fx_rom_image_defaults(&f);
	f.device = 0x1234;
	f.device_list = ids;
	f.device_count = 3;
	len = fx_rom_image_build(&f, rom, sizeof(rom));
	assert_int_equal(igdpt_pci_rom_image_at(rom, len, 0, &im, NULL), 0);
	assert_int_equal(im.device_count, 3);
	assert_int_equal(im.device_list_offset, FX_ROM_LIST_AT - FX_ROM_PCIR_AT);
	assert_int_equal(igdpt_pci_rom_list_device(&im, 2), 0x3e92);
	assert_int_equal(igdpt_pci_rom_list_device(&im, 3), 0);
	assert_true(igdpt_pci_rom_image_covers(&im, 0x591b));
	assert_true(igdpt_pci_rom_image_covers(&im, 0x1234));
	assert_false(igdpt_pci_rom_image_covers(&im, 0x9a49));

	/* A 2.x structure: the word is reserved, not a list. */
	rom[PCIR(0) + IGDPT_PCIR_REVISION_OFFSET] = 0;
	assert_int_equal(igdpt_pci_rom_image_at(rom, len, 0, &im, NULL), 0);
	assert_int_equal(im.device_count, 0);
	assert_null(im.device_list);
}

static void test_compressed_efi_skips_pe(void **state)
{
	struct fx_rom_image f;
	struct igdpt_pci_rom r;
	size_t len;

	(void)state;
	fx_rom_image_defaults(&f);
	f.code_type = IGDPT_ROM_CODE_EFI;
	len = fx_rom_image_build(&f, rom, sizeof(rom));
	igdpt_put_le16(rom + IGDPT_ROM_EFI_COMPRESSION_OFFSET, IGDPT_ROM_EFI_COMPRESSED);
	/* The compressed payload has no readable PE header: not checked. */
	assert_int_equal(igdpt_pci_rom_parse(rom, len, &r, NULL, NULL, NULL), 0);
	igdpt_put_le16(rom + IGDPT_ROM_EFI_COMPRESSION_OFFSET, IGDPT_ROM_EFI_UNCOMPRESSED);
	expect_bad(rom, len, "no \"MZ\" signature: not a PE/EFI image", FX_ROM_PAYLOAD_AT);
}

/* ---- malformed ROMs, one fault each ---- */

static void test_header_faults(void **state)
{
	struct fx_rom_image f;
	size_t len;

	(void)state;
	expect_bad(rom, 0, "empty file", 0);
	fx_rom_image_defaults(&f);
	len = fx_rom_image_build(&f, rom, sizeof(rom));
	expect_bad(rom, IGDPT_ROM_HEADER_SIZE - 1, "truncated ROM image header", 0);
	rom[1] = 0xAB;
	expect_bad(rom, len, "no 0x55AA ROM image signature", 0);
	rom[1] = 0xAA;

	igdpt_put_le16(rom + IGDPT_ROM_PCIR_POINTER_OFFSET, 0);
	expect_bad(rom, len, "PCI data structure pointer is 0", IGDPT_ROM_PCIR_POINTER_OFFSET);
	igdpt_put_le16(rom + IGDPT_ROM_PCIR_POINTER_OFFSET, FX_ROM_PCIR_AT + 2);
	expect_bad(rom, len, "PCI data structure pointer is not DWORD aligned (edk2 stops there)",
		   IGDPT_ROM_PCIR_POINTER_OFFSET);
	igdpt_put_le16(rom + IGDPT_ROM_PCIR_POINTER_OFFSET, 0x10);
	expect_bad(rom, len, "PCI data structure pointer points into the ROM header",
		   IGDPT_ROM_PCIR_POINTER_OFFSET);
	igdpt_put_le16(rom + IGDPT_ROM_PCIR_POINTER_OFFSET, 0xFFFC);
	expect_bad(rom, len, "PCI data structure pointer points outside the ROM",
		   IGDPT_ROM_PCIR_POINTER_OFFSET);
	/* Near the end: the 0x18 bytes do not fit. */
	igdpt_put_le16(rom + IGDPT_ROM_PCIR_POINTER_OFFSET, (uint16_t)(len - 0x14));
	expect_bad(rom, len, "PCI data structure pointer points outside the ROM",
		   IGDPT_ROM_PCIR_POINTER_OFFSET);
	igdpt_put_le16(rom + IGDPT_ROM_PCIR_POINTER_OFFSET, FX_ROM_PCIR_AT);
	rom[PCIR(0) + 3] = 'X';
	expect_bad(rom, len, "no \"PCIR\" signature at the PCI data structure pointer", PCIR(0));
}

static void test_pcir_faults(void **state)
{
	struct fx_rom_image f;
	size_t len;

	(void)state;
	fx_rom_image_defaults(&f);
	len = fx_rom_image_build(&f, rom, sizeof(rom));
	igdpt_put_le16(rom + PCIR(0) + IGDPT_PCIR_LENGTH_OFFSET, 0x10);
	expect_bad(rom, len, "PCI data structure length is below its 0x18 bytes",
		   PCIR(0) + IGDPT_PCIR_LENGTH_OFFSET);
	igdpt_put_le16(rom + PCIR(0) + IGDPT_PCIR_LENGTH_OFFSET, 0x1000);
	expect_bad(rom, len, "PCI data structure runs past the end of its image",
		   PCIR(0) + IGDPT_PCIR_LENGTH_OFFSET);
	igdpt_put_le16(rom + PCIR(0) + IGDPT_PCIR_LENGTH_OFFSET, IGDPT_PCIR_REV3_SIZE);

	igdpt_put_le16(rom + PCIR(0) + IGDPT_PCIR_IMAGE_LENGTH_OFFSET, 0);
	expect_bad(rom, len, "image length is 0", PCIR(0) + IGDPT_PCIR_IMAGE_LENGTH_OFFSET);
	rom[PCIR(0) + IGDPT_PCIR_INDICATOR_OFFSET] = 0;
	expect_bad(rom, len,
		   "image length is 0: the chain would loop on this image (edk2's walk never advances)",
		   PCIR(0) + IGDPT_PCIR_IMAGE_LENGTH_OFFSET);
	rom[PCIR(0) + IGDPT_PCIR_INDICATOR_OFFSET] = IGDPT_PCIR_INDICATOR_LAST;
	igdpt_put_le16(rom + PCIR(0) + IGDPT_PCIR_IMAGE_LENGTH_OFFSET, 3);
	expect_bad(rom, len, "image length runs past the end of the ROM",
		   PCIR(0) + IGDPT_PCIR_IMAGE_LENGTH_OFFSET);
	igdpt_put_le16(rom + PCIR(0) + IGDPT_PCIR_IMAGE_LENGTH_OFFSET, 0xFFFF);
	expect_bad(rom, len, "image length runs past the end of the ROM",
		   PCIR(0) + IGDPT_PCIR_IMAGE_LENGTH_OFFSET);
	igdpt_put_le16(rom + PCIR(0) + IGDPT_PCIR_IMAGE_LENGTH_OFFSET, 2);

	/* A device list whose terminator is missing: non-zero up to the end. */
	igdpt_put_le16(rom + PCIR(0) + IGDPT_PCIR_DEVICE_LIST_OFFSET, FX_ROM_LIST_AT - FX_ROM_PCIR_AT);
	memset(rom + FX_ROM_LIST_AT, 0x11, len - FX_ROM_LIST_AT);
	expect_bad(rom, len, "device list runs past the image without its 0x0000 terminator",
		   PCIR(0) + IGDPT_PCIR_DEVICE_LIST_OFFSET);
	igdpt_put_le16(rom + PCIR(0) + IGDPT_PCIR_DEVICE_LIST_OFFSET, 0xFFF0);
	expect_bad(rom, len, "device list runs past the image without its 0x0000 terminator",
		   PCIR(0) + IGDPT_PCIR_DEVICE_LIST_OFFSET);
}

static void test_legacy_faults(void **state)
{
	struct igdpt_pci_rom_image im;
	struct fx_rom_image f;
	size_t len;

	(void)state;
	fx_rom_image_defaults(&f);
	len = fx_rom_image_build(&f, rom, sizeof(rom));
	rom[IGDPT_ROM_LEGACY_SIZE512_OFFSET] = 0;
	expect_bad(rom, len, "legacy initialization size is 0", IGDPT_ROM_LEGACY_SIZE512_OFFSET);
	rom[IGDPT_ROM_LEGACY_SIZE512_OFFSET] = 3;
	expect_bad(rom, len, "legacy initialization size is larger than the image length",
		   IGDPT_ROM_LEGACY_SIZE512_OFFSET);
	rom[IGDPT_ROM_LEGACY_SIZE512_OFFSET] = 2;
	rom[len - 1]++;
	/* The image is well formed; only the chain check judges the checksum. */
	assert_int_equal(igdpt_pci_rom_image_at(rom, len, 0, &im, NULL), 0);
	assert_int_equal(im.checksum, 1);
	expect_bad(rom, len, "legacy image checksum does not add up to 0 over its initialization size",
		   0);
	/* Only the initialization size counts: a 1-block init size is judged
	 * over 512 bytes, which leave out the fix byte at the end. */
	rom[len - 1]--;
	rom[IGDPT_ROM_LEGACY_SIZE512_OFFSET] = 1;
	assert_int_not_equal(igdpt_bytes_sum8(rom, BLOCK), 0);
	expect_bad(rom, len, "legacy image checksum does not add up to 0 over its initialization size",
		   0);
	rom[BLOCK - 1] = (uint8_t)(0u - igdpt_bytes_sum8(rom, BLOCK - 1));
	assert_int_equal(igdpt_pci_rom_parse(rom, len, &(struct igdpt_pci_rom){ 0 }, NULL, NULL, NULL),
			 0);
}

static void test_efi_faults(void **state)
{
	struct fx_rom_image f;
	struct fx_pe p;
	size_t len, opt = FX_PE_LFANEW + IGDPT_PE_COFF_HEADER_END;

	(void)state;
	fx_pe_defaults(&p);
	fx_rom_image_defaults(&f);
	f.code_type = IGDPT_ROM_CODE_EFI;
	f.payload = pe;
	f.payload_len = fx_pe_build(&p, pe, sizeof(pe));
	len = fx_rom_image_build(&f, rom, sizeof(rom));
	assert_int_equal(igdpt_pci_rom_parse(rom, len, &(struct igdpt_pci_rom){ 0 }, NULL, NULL, NULL), 0);

	rom[IGDPT_ROM_EFI_SIGNATURE_OFFSET] = 0xF2;
	expect_bad(rom, len, "EFI image without the 0x0EF1 EFI signature",
		   IGDPT_ROM_EFI_SIGNATURE_OFFSET);
	rom[IGDPT_ROM_EFI_SIGNATURE_OFFSET] = 0xF1;
	igdpt_put_le16(rom + IGDPT_ROM_EFI_INIT_SIZE_OFFSET, 0);
	expect_bad(rom, len, "EFI initialization size is 0", IGDPT_ROM_EFI_INIT_SIZE_OFFSET);
	igdpt_put_le16(rom + IGDPT_ROM_EFI_INIT_SIZE_OFFSET, 3);
	expect_bad(rom, len, "EFI initialization size is larger than the image length (edk2 refuses it)",
		   IGDPT_ROM_EFI_INIT_SIZE_OFFSET);
	igdpt_put_le16(rom + IGDPT_ROM_EFI_INIT_SIZE_OFFSET, 2);
	igdpt_put_le16(rom + IGDPT_ROM_EFI_COMPRESSION_OFFSET, 2);
	expect_bad(rom, len, "unknown EFI compression type (0 none, 1 EFI compression)",
		   IGDPT_ROM_EFI_COMPRESSION_OFFSET);
	igdpt_put_le16(rom + IGDPT_ROM_EFI_COMPRESSION_OFFSET, 0);
	igdpt_put_le16(rom + IGDPT_ROM_EFI_IMAGE_OFFSET_OFFSET, 2 * BLOCK);
	expect_bad(rom, len, "EFI image offset outside the image's initialization size",
		   IGDPT_ROM_EFI_IMAGE_OFFSET_OFFSET);
	igdpt_put_le16(rom + IGDPT_ROM_EFI_IMAGE_OFFSET_OFFSET, 4);
	expect_bad(rom, len, "EFI image offset outside the image's initialization size",
		   IGDPT_ROM_EFI_IMAGE_OFFSET_OFFSET);
	igdpt_put_le16(rom + IGDPT_ROM_EFI_IMAGE_OFFSET_OFFSET, FX_ROM_PAYLOAD_AT);

	/* The PE file inside: its faults at their offsets in the ROM. */
	rom[FX_ROM_PAYLOAD_AT + FX_PE_LFANEW] = 'X';
	expect_bad(rom, len, "no \"PE\\0\\0\" signature", FX_ROM_PAYLOAD_AT + FX_PE_LFANEW);
	rom[FX_ROM_PAYLOAD_AT + FX_PE_LFANEW] = 'P';
	igdpt_put_le16(rom + IGDPT_ROM_EFI_MACHINE_OFFSET, IGDPT_PE_MACHINE_I386);
	expect_bad(rom, len, "EFI header machine type differs from the PE image's",
		   IGDPT_ROM_EFI_MACHINE_OFFSET);
	igdpt_put_le16(rom + IGDPT_ROM_EFI_MACHINE_OFFSET, IGDPT_PE_MACHINE_X64);
	igdpt_put_le16(rom + FX_ROM_PAYLOAD_AT + opt + IGDPT_PE_OPT_SUBSYSTEM_OFFSET,
		       IGDPT_PE_SUBSYSTEM_EFI_APPLICATION);
	expect_bad(rom, len, "EFI header subsystem differs from the PE image's",
		   IGDPT_ROM_EFI_SUBSYSTEM_OFFSET);
}

static void test_chain_faults(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_pci_rom r;
	struct seen s = { 0 };
	size_t len = two_images();

	(void)state;
	/* The second image's signature overwritten: the chain overruns into
	 * garbage, and the first image was still reported. */
	rom[2 * BLOCK] = 0;
	assert_int_equal(igdpt_pci_rom_parse(rom, len, &r, collect, &s, &diag), -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "no 0x55AA ROM image signature");
	assert_int_equal(diag.offset, 2 * BLOCK);
	assert_int_equal(s.n, 1);
	rom[2 * BLOCK] = 0x55;

	/* Cut after the first image, whose indicator says more follow. */
	expect_bad(rom, 2 * BLOCK, "the chain ends without a last-image indicator",
		   PCIR(0) + IGDPT_PCIR_INDICATOR_OFFSET);
	/* The last image without its indicator. */
	rom[2 * BLOCK + PCIR(0) + IGDPT_PCIR_INDICATOR_OFFSET] = 0;
	expect_bad(rom, len, "the chain ends without a last-image indicator",
		   2 * BLOCK + PCIR(0) + IGDPT_PCIR_INDICATOR_OFFSET);
	/* ... or with bytes after it that are no image. */
	memset(rom + len, 0xFF, BLOCK);
	expect_bad(rom, len + BLOCK, "no 0x55AA ROM image signature", len);
	rom[2 * BLOCK + PCIR(0) + IGDPT_PCIR_INDICATOR_OFFSET] = IGDPT_PCIR_INDICATOR_LAST;
	/* The first image's length reaching into the second: the walk lands
	 * inside it (on its PE payload, no 0x55AA). */
	igdpt_put_le16(rom + PCIR(0) + IGDPT_PCIR_IMAGE_LENGTH_OFFSET, 3);
	rom[IGDPT_ROM_LEGACY_SIZE512_OFFSET] = 2;
	rom[2 * BLOCK - 1] = 0;
	rom[2 * BLOCK - 1] = (uint8_t)(0u - igdpt_bytes_sum8(rom, 2 * BLOCK));
	expect_bad(rom, len, "no 0x55AA ROM image signature", 3 * BLOCK);
}

/* ---- the Linux-visible size and i915's VBT lookup ---- */

static size_t vbios(size_t vbt_at_extra)
{
	struct fx_rom_image f;
	struct fx_vbt v;
	size_t vlen;

	fx_vbt_defaults(&v);
	vlen = fx_vbt_build(&v, vbt, sizeof(vbt));
	fx_rom_image_defaults(&f);
	f.length = 4 * BLOCK;
	f.payload = vbt;
	f.payload_len = vlen;
	fx_rom_image_build(&f, rom, sizeof(rom));
	if (vbt_at_extra) {
		memmove(rom + FX_ROM_PAYLOAD_AT + vbt_at_extra, rom + FX_ROM_PAYLOAD_AT, vlen);
		memset(rom + FX_ROM_PAYLOAD_AT, 0, vbt_at_extra);
	}
	return f.length;
}

static void test_linux_size(void **state)
{
	size_t len = two_images();

	(void)state;
	assert_int_equal(igdpt_pci_rom_linux_size(rom, len), len);
	memset(rom + len, 0xFF, BLOCK);
	assert_int_equal(igdpt_pci_rom_linux_size(rom, len + BLOCK), len);
	/* The next image lacks 0x55AA: Linux stops before it. */
	rom[2 * BLOCK] = 0;
	assert_int_equal(igdpt_pci_rom_linux_size(rom, len), 2 * BLOCK);
	/* An image past the buffer: everything there is. */
	rom[2 * BLOCK] = 0x55;
	assert_int_equal(igdpt_pci_rom_linux_size(rom, len - 1), len - 1);
	/* No ROM at all. */
	rom[0] = 0;
	assert_int_equal(igdpt_pci_rom_linux_size(rom, len), 0);
	rom[0] = 0x55;
	rom[PCIR(0)] = 'X';
	assert_int_equal(igdpt_pci_rom_linux_size(rom, len), 0);
	rom[PCIR(0)] = 'P';
	igdpt_put_le16(rom + PCIR(0) + IGDPT_PCIR_IMAGE_LENGTH_OFFSET, 0);
	assert_int_equal(igdpt_pci_rom_linux_size(rom, len), 0);
	assert_int_equal(igdpt_pci_rom_linux_size(rom, 0), 0);
}

static void test_find_vbt(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_pci_rom_vbt v;
	struct igdpt_vbt plain;
	size_t len = vbios(0);

	(void)state;
	assert_int_equal(igdpt_vbt_parse(vbt, sizeof(vbt), &plain, NULL), 0);
	assert_int_equal(igdpt_pci_rom_find_vbt(rom, len, &v, &diag), 0);
	assert_int_equal(v.rom_size, len);
	assert_int_equal(v.offset, FX_ROM_PAYLOAD_AT);
	assert_int_equal(v.window, plain.vbt_size);
	assert_int_equal(v.vbt.bdb_version, plain.bdb_version);
	assert_int_equal(v.vbt.block_count, plain.block_count);
	/* The checksum byte after the VBT is ROM, not trailing VBT data. */
	assert_false(diag.warnings & IGDPT_WARN_TRAILING_DATA);
	assert_false(diag.warnings & IGDPT_WARN_ROM_CHECKSUM);

	rom[len - 1]++;
	diag = (struct igdpt_diag){ 0 };
	assert_int_equal(igdpt_pci_rom_find_vbt(rom, len, &v, &diag), 0);
	assert_true(diag.warnings & IGDPT_WARN_ROM_CHECKSUM);

	/* i915 compares aligned u32s: "$VBT" 2 bytes off is not found. */
	len = vbios(2);
	assert_int_equal(igdpt_pci_rom_find_vbt(rom, len, &v, &diag), -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "no VBT (\"$VBT\" at a 4-byte aligned offset) in the ROM");
	assert_int_equal(v.offset, 0);
	/* ... 4 bytes off is. */
	len = vbios(4);
	assert_int_equal(igdpt_pci_rom_find_vbt(rom, len, &v, &diag), 0);
	assert_int_equal(v.offset, FX_ROM_PAYLOAD_AT + 4);

	/* vbt_size past the ROM: the VBT parser's reason, at the ROM offset. */
	len = vbios(0);
	igdpt_put_le16(rom + FX_ROM_PAYLOAD_AT + IGDPT_VBT_VBT_SIZE_OFFSET, 0xFFFF);
	assert_int_equal(igdpt_pci_rom_find_vbt(rom, len, &v, &diag), -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "vbt_size runs past the end of the data");
	assert_int_equal(diag.offset, FX_ROM_PAYLOAD_AT + IGDPT_VBT_VBT_SIZE_OFFSET);
	assert_int_equal(v.offset, FX_ROM_PAYLOAD_AT);

	/* A VBT that runs past the bytes Linux maps (the image length ends
	 * inside it, and no image follows) is cut there, as i915 sees it. */
	len = vbios(0);
	igdpt_put_le16(rom + PCIR(0) + IGDPT_PCIR_IMAGE_LENGTH_OFFSET, 1);
	rom[IGDPT_ROM_LEGACY_SIZE512_OFFSET] = 1;
	rom[PCIR(0) + IGDPT_PCIR_INDICATOR_OFFSET] = 0;
	assert_int_equal(igdpt_pci_rom_linux_size(rom, len), BLOCK);
	assert_int_equal(igdpt_pci_rom_find_vbt(rom, len, &v, &diag), -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "vbt_size runs past the end of the data");
	assert_int_equal(v.rom_size, BLOCK);

	assert_int_equal(igdpt_pci_rom_find_vbt(rom, 0, &v, &diag), -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "empty file");
	rom[0] = 0;
	assert_int_equal(igdpt_pci_rom_find_vbt(rom, len, &v, &diag), -IGDPT_EINVAL);
	assert_int_equal(diag.offset, 0);
	assert_non_null(strstr(diag.reason, "not a PCI ROM"));
}

/* ---- PE headers ---- */

static void test_pe(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_pe out;
	struct fx_pe p;
	size_t len, opt = FX_PE_LFANEW + IGDPT_PE_COFF_HEADER_END;

	(void)state;
	fx_pe_defaults(&p);
	len = fx_pe_build(&p, pe, sizeof(pe));
	assert_int_equal(igdpt_pe_parse(pe, len, &out, &diag), 0);
	assert_int_equal(out.pe_offset, FX_PE_LFANEW);
	assert_int_equal(out.machine, IGDPT_PE_MACHINE_X64);
	assert_int_equal(out.magic, IGDPT_PE_OPT_MAGIC_PE32_PLUS);
	assert_int_equal(out.subsystem, IGDPT_PE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER);
	assert_int_equal(out.size_of_image, len);
	assert_string_equal(igdpt_pe_machine_name(out.machine), "x64");
	assert_string_equal(igdpt_pe_subsystem_name(out.subsystem), "EFI boot-services driver");
	assert_null(igdpt_pe_machine_name(0x1234));
	assert_null(igdpt_pe_subsystem_name(2));

	assert_int_equal(igdpt_pe_parse(pe, 0, &out, &diag), -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "empty file");
	assert_int_equal(igdpt_pe_parse(pe, 0x3F, &out, &diag), -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "too short for a DOS (MZ) header");
	assert_int_equal(igdpt_pe_parse(pe, opt + 0x45, &out, &diag), -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "optional header truncated");
	assert_int_equal(diag.offset, opt);
	pe[0] = 'Z';
	assert_int_equal(igdpt_pe_parse(pe, len, &out, &diag), -IGDPT_EINVAL);
	assert_int_equal(diag.offset, 0);
	pe[0] = 'M';
	igdpt_put_le32(pe + IGDPT_PE_DOS_LFANEW_OFFSET, (uint32_t)len);
	assert_int_equal(igdpt_pe_parse(pe, len, &out, &diag), -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "PE header pointer (e_lfanew) outside the file");
	igdpt_put_le32(pe + IGDPT_PE_DOS_LFANEW_OFFSET, 0xFFFFFFF0u);
	assert_int_equal(igdpt_pe_parse(pe, len, &out, &diag), -IGDPT_EINVAL);
	assert_int_equal(diag.offset, IGDPT_PE_DOS_LFANEW_OFFSET);
	igdpt_put_le32(pe + IGDPT_PE_DOS_LFANEW_OFFSET, FX_PE_LFANEW);
	igdpt_put_le16(pe + FX_PE_LFANEW + IGDPT_PE_COFF_OPT_SIZE_OFFSET, 0x40);
	assert_int_equal(igdpt_pe_parse(pe, len, &out, &diag), -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "optional header too small to hold the subsystem");
	igdpt_put_le16(pe + FX_PE_LFANEW + IGDPT_PE_COFF_OPT_SIZE_OFFSET, FX_PE_OPT_SIZE);
	igdpt_put_le16(pe + opt, 0x0107);
	assert_int_equal(igdpt_pe_parse(pe, len, &out, &diag), -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "optional header is neither PE32 nor PE32+");
	assert_int_equal(diag.offset, opt);
	p.magic = IGDPT_PE_OPT_MAGIC_PE32;
	len = fx_pe_build(&p, pe, sizeof(pe));
	assert_int_equal(igdpt_pe_parse(pe, len, &out, &diag), 0);
	assert_int_equal(out.magic, IGDPT_PE_OPT_MAGIC_PE32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_legacy_image),
		cmocka_unit_test(test_chain_and_padding),
		cmocka_unit_test(test_device_list),
		cmocka_unit_test(test_compressed_efi_skips_pe),
		cmocka_unit_test(test_header_faults),
		cmocka_unit_test(test_pcir_faults),
		cmocka_unit_test(test_legacy_faults),
		cmocka_unit_test(test_efi_faults),
		cmocka_unit_test(test_chain_faults),
		cmocka_unit_test(test_linux_size),
		cmocka_unit_test(test_find_vbt),
		cmocka_unit_test(test_pe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
