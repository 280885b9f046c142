/* SPDX-License-Identifier: MIT */
/* Unit tests: the option ROM builder (EFI images, chains, refusals) and the
 * video BIOS builder, each result judged by the parser; video BIOSes from
 * every corpus VBT judged as the bare VBT is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "fixture_rom.h"
#include "igdpt/abi/pci_rom.h"
#include "igdpt/abi/pe.h"
#include "igdpt/build_rom.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/host.h"
#include "igdpt/core/opregion.h"
#include "igdpt/core/pci_rom.h"

#define OUT_CAP (1u << 20)
#define IMAGES_MAX 4u

static uint8_t out[OUT_CAP];
static uint8_t pe[3][4096];
static size_t pe_len[3];

struct seen {
	struct igdpt_pci_rom_image im[IMAGES_MAX];
	unsigned n;
};

static void collect(const struct igdpt_pci_rom_image *im, void *opaque)
{
	struct seen *s = opaque;

	if (s->n < IMAGES_MAX)
		s->im[s->n] = *im;
	s->n++;
}

/* Three different drivers: boot-services, runtime, and a larger one. */
static int setup(void **state)
{
	struct fx_pe p;

	(void)state;
	fx_pe_defaults(&p);
	pe_len[0] = fx_pe_build(&p, pe[0], sizeof(pe[0]));
	p.subsystem = IGDPT_PE_SUBSYSTEM_EFI_RUNTIME_DRIVER;
	p.payload = 700;
	pe_len[1] = fx_pe_build(&p, pe[1], sizeof(pe[1]));
	p.subsystem = IGDPT_PE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER;
	p.payload = 3000;
	pe_len[2] = fx_pe_build(&p, pe[2], sizeof(pe[2]));
	return 0;
}

static void parse_ok(size_t len, struct seen *s)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_pci_rom r;

	memset(s, 0, sizeof(*s));
	assert_int_equal(igdpt_pci_rom_parse(out, len, &r, collect, s, &diag), 0);
	assert_int_equal(r.size, len);
}

static void check_efi_image(const struct igdpt_pci_rom_image *im, unsigned i)
{
	assert_int_equal(im->code_type, IGDPT_ROM_CODE_EFI);
	assert_int_equal(im->vendor, 0x8086);
	assert_int_equal(im->class_code, IGDPT_PCIR_CLASS_VGA);
	assert_int_equal(im->pcir_revision, IGDPT_PCIR_REVISION_3);
	assert_int_equal(im->length % IGDPT_ROM_BLOCK_SIZE, 0);
	assert_int_equal(im->init_size, im->length);
	assert_int_equal(im->checksum, 0);
	assert_int_equal(im->efi_machine, IGDPT_PE_MACHINE_X64);
	assert_int_equal(im->efi_compression, IGDPT_ROM_EFI_UNCOMPRESSED);
	assert_int_equal(im->efi_image_offset % IGDPT_ROM_BUILD_EFI_IMAGE_ALIGN, 0);
	assert_memory_equal(out + im->offset + im->efi_image_offset, pe[i], pe_len[i]);
	assert_true(im->efi_image_offset + pe_len[i] <= im->length);
	assert_true(igdpt_bytes_all_zero(out + im->offset + im->efi_image_offset + pe_len[i],
					 im->length - im->efi_image_offset - pe_len[i]));
}

static void test_efi_device_list(void **state)
{
	struct igdpt_rom_efi_input in = { pe[0], pe_len[0] };
	size_t len = 0, failed = 99, count = igdpt_igd_device_ids(NULL, 0);
	uint16_t *ids = calloc(count, sizeof(*ids));
	struct seen s;

	(void)state;
	assert_non_null(ids);
	igdpt_igd_device_ids(ids, count);
	assert_int_equal(igdpt_rom_build_efi(&in, 1, 0, out, sizeof(out), &len, &failed, NULL), 0);
	assert_int_equal(failed, 0);
	parse_ok(len, &s);
	assert_int_equal(s.n, 1);
	check_efi_image(&s.im[0], 0);
	assert_true(s.im[0].last);
	assert_int_equal(s.im[0].efi_subsystem, IGDPT_PE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER);
	/* The whole table of lib/core/igd.c, in order, and nothing else. */
	assert_int_equal(s.im[0].device, ids[0]);
	assert_int_equal(s.im[0].device_count, count);
	for (size_t i = 0; i < count; i++)
		assert_int_equal(igdpt_pci_rom_list_device(&s.im[0], (unsigned)i), ids[i]);
	assert_true(igdpt_pci_rom_image_covers(&s.im[0], 0x5916));
	assert_true(igdpt_pci_rom_image_covers(&s.im[0], 0x9a49));
	assert_false(igdpt_pci_rom_image_covers(&s.im[0], 0x1234));
	free(ids);
}

static void test_efi_single_device_chain(void **state)
{
	struct igdpt_rom_efi_input in[3] = {
		{ pe[0], pe_len[0] }, { pe[1], pe_len[1] }, { pe[2], pe_len[2] },
	};
	size_t len = 0, at = 0;
	struct seen s;

	(void)state;
	assert_int_equal(igdpt_rom_build_efi(in, 3, 0x9a49, out, sizeof(out), &len, NULL, NULL), 0);
	parse_ok(len, &s);
	assert_int_equal(s.n, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(s.im[i].offset, at);
		check_efi_image(&s.im[i], i);
		assert_int_equal(s.im[i].device, 0x9a49);
		assert_int_equal(s.im[i].device_count, 0);
		assert_int_equal(s.im[i].last, i == 2);
		at += s.im[i].length;
	}
	assert_int_equal(s.im[1].efi_subsystem, IGDPT_PE_SUBSYSTEM_EFI_RUNTIME_DRIVER);
	assert_int_equal(at, len);
}

static void test_efi_nospc(void **state)
{
	struct igdpt_rom_efi_input in = { pe[0], pe_len[0] };
	struct igdpt_diag diag = { 0 };
	size_t len = 0, need = 0;

	(void)state;
	assert_int_equal(igdpt_rom_build_efi(&in, 1, 0x5916, NULL, 0, &need, NULL, &diag),
			 -IGDPT_ENOSPC);
	assert_true(need > pe_len[0]);
	memset(out, 0xEE, need);
	assert_int_equal(igdpt_rom_build_efi(&in, 1, 0x5916, out, need - 1, &len, NULL, &diag),
			 -IGDPT_ENOSPC);
	assert_int_equal(out[0], 0xEE); /* nothing written on failure */
	assert_int_equal(igdpt_rom_build_efi(&in, 1, 0x5916, out, need, &len, NULL, NULL), 0);
	assert_int_equal(len, need);
}

static void expect_refused(uint8_t *file, size_t file_len, const char *reason, size_t offset)
{
	struct igdpt_rom_efi_input in[2] = { { pe[0], pe_len[0] }, { file, file_len } };
	struct igdpt_diag diag = { 0 };
	size_t len = 0, failed = 99;

	assert_int_equal(igdpt_rom_build_efi(in, 2, 0, out, sizeof(out), &len, &failed, &diag),
			 -IGDPT_EINVAL);
	assert_int_equal(failed, 1); /* the second input, named */
	assert_string_equal(diag.reason, reason);
	assert_int_equal(diag.offset, offset);
}

static void test_efi_refusals(void **state)
{
	const size_t subsystem_at = FX_PE_LFANEW + IGDPT_PE_COFF_HEADER_END +
				    IGDPT_PE_OPT_SUBSYSTEM_OFFSET;
	struct igdpt_rom_efi_input in = { pe[0], pe_len[0] };
	struct igdpt_diag diag = { 0 };
	uint8_t file[4096];
	struct fx_pe p;
	size_t n, len;

	(void)state;
	fx_pe_defaults(&p);
	p.subsystem = IGDPT_PE_SUBSYSTEM_EFI_APPLICATION;
	n = fx_pe_build(&p, file, sizeof(file));
	expect_refused(file, n, "an EFI application (subsystem 10): edk2 starts only drivers "
				   "from option ROMs (igdpt's is igdpt-efi-driver.efi)", subsystem_at);
	p.subsystem = IGDPT_PE_SUBSYSTEM_EFI_ROM;
	n = fx_pe_build(&p, file, sizeof(file));
	expect_refused(file, n, "PE subsystem is not an EFI driver (11 boot services, 12 runtime)",
		       subsystem_at);
	fx_pe_defaults(&p);
	p.machine = IGDPT_PE_MACHINE_I386;
	p.magic = IGDPT_PE_OPT_MAGIC_PE32;
	n = fx_pe_build(&p, file, sizeof(file));
	expect_refused(file, n, "PE machine is not x64 (0x8664): OVMF on x86_64 cannot run it",
		       FX_PE_LFANEW + IGDPT_PE_COFF_MACHINE_OFFSET);
	fx_pe_defaults(&p);
	p.magic = IGDPT_PE_OPT_MAGIC_PE32;
	n = fx_pe_build(&p, file, sizeof(file));
	expect_refused(file, n, "x64 image without a PE32+ optional header",
		       FX_PE_LFANEW + IGDPT_PE_COFF_HEADER_END);
	memcpy(file, "$VBT", 4);
	expect_refused(file, n, "no \"MZ\" signature: not a PE/EFI image", 0);
	expect_refused(file, 0, "empty file", 0);

	assert_int_equal(igdpt_rom_build_efi(&in, 0, 0, out, sizeof(out), &len, NULL, &diag),
			 -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "no EFI image to put in the ROM");
	assert_int_equal(igdpt_rom_build_efi(&in, IGDPT_ROM_BUILD_MAX_EFI_IMAGES + 1, 0, out,
					     sizeof(out), &len, NULL, &diag),
			 -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "too many EFI images for one ROM (at most 16)");
}

static void test_efi_too_large(void **state)
{
	/* 32 MiB: the image length field (u16 blocks of 512) cannot say it. */
	size_t big = (size_t)0xFFFF * IGDPT_ROM_BLOCK_SIZE;
	struct igdpt_diag diag = { 0 };
	uint8_t *file = calloc(1, big);
	struct igdpt_rom_efi_input in;
	size_t len = 0;

	(void)state;
	assert_non_null(file);
	memcpy(file, pe[0], pe_len[0]);
	in = (struct igdpt_rom_efi_input){ file, big };
	assert_int_equal(igdpt_rom_build_efi(&in, 1, 0x5916, NULL, 0, &len, NULL, &diag),
			 -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "EFI image too large for a ROM image (32 MiB)");
	free(file);
}

static void test_vbios(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_pci_rom_vbt found;
	uint8_t vbt[4096];
	struct fx_vbt v;
	struct seen s;
	size_t vlen, len = 0, need = 0;

	(void)state;
	fx_vbt_defaults(&v);
	vlen = fx_vbt_build(&v, vbt, sizeof(vbt));
	assert_int_equal(igdpt_rom_build_vbios(vbt, vlen, 0x5916, out, sizeof(out), &len, &diag), 0);
	parse_ok(len, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.im[0].code_type, IGDPT_ROM_CODE_X86);
	assert_int_equal(s.im[0].device, 0x5916);
	assert_int_equal(s.im[0].init_size, len);
	assert_int_equal(out[IGDPT_ROM_LEGACY_ENTRY_OFFSET], 0xCB); /* retf */
	assert_int_equal(igdpt_pci_rom_find_vbt(out, len, &found, &diag), 0);
	assert_int_equal(found.offset % IGDPT_ROM_BUILD_VBT_ALIGN, 0);
	assert_int_equal(found.window, vlen);
	assert_memory_equal(out + found.offset, vbt, vlen);
	assert_false(diag.warnings & IGDPT_WARN_ROM_CHECKSUM);

	assert_int_equal(igdpt_rom_build_vbios(vbt, vlen, 0x5916, NULL, 0, &need, &diag),
			 -IGDPT_ENOSPC);
	assert_int_equal(need, len);
	assert_int_equal(igdpt_rom_build_vbios(vbt, vlen, 0, out, sizeof(out), &len, &diag),
			 -IGDPT_EINVAL);
	assert_non_null(strstr(diag.reason, "needs the device id"));
	vbt[0] = '#';
	assert_int_equal(igdpt_rom_build_vbios(vbt, vlen, 0x5916, out, sizeof(out), &len, &diag),
			 -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "VBT signature is not \"$VBT\"");
	assert_int_equal(diag.offset, 0);
}

/* Every corpus VBT in a video BIOS: refused with the VBT parser's reason
 * when the VBT is invalid, else found by i915's lookup and judged as the
 * bare file is (no trailing-data warning: only vbt_size bytes go in). */
struct corpus_tally {
	unsigned valid, invalid;
};

static void corpus_vbios(const char *name, uint8_t *data, size_t len, void *ctx)
{
	struct igdpt_diag plain_diag = { 0 }, rom_diag = { 0 }, found_diag = { 0 };
	struct corpus_tally *t = ctx;
	struct igdpt_pci_rom_vbt found;
	struct igdpt_vbt plain;
	size_t rom_len = 0;
	int plain_ret, rom_ret;

	if (igdpt_image_detect(data, len) != IGDPT_IMAGE_VBT)
		return;
	plain_ret = igdpt_vbt_parse(data, len, &plain, &plain_diag);
	rom_ret = igdpt_rom_build_vbios(data, len, 0x5916, out, sizeof(out), &rom_len, &rom_diag);
	if (plain_ret < 0) {
		if (rom_ret != -IGDPT_EINVAL || strcmp(rom_diag.reason, plain_diag.reason) ||
		    rom_diag.offset != plain_diag.offset)
			fail_msg("%s: invalid VBT, but the builder said %d", name, rom_ret);
		t->invalid++;
		return;
	}
	if (rom_ret < 0)
		fail_msg("%s: valid VBT refused: %s", name, rom_diag.reason);
	if (igdpt_pci_rom_parse(out, rom_len, &(struct igdpt_pci_rom){ 0 }, NULL, NULL, NULL) < 0 ||
	    igdpt_pci_rom_find_vbt(out, rom_len, &found, &found_diag) < 0)
		fail_msg("%s: the video BIOS does not check out", name);
	if (found.vbt.bdb_version != plain.bdb_version ||
	    found.vbt.block_count != plain.block_count ||
	    found.vbt.blocks_end != plain.blocks_end ||
	    found_diag.warnings != (plain_diag.warnings & ~(uint32_t)IGDPT_WARN_TRAILING_DATA))
		fail_msg("%s: the VBT in the video BIOS is judged differently", name);
	t->valid++;
}

static void test_corpus_vbios(void **state)
{
	struct corpus_tally t = { 0 };
	char err[512];
	long n;

	(void)state;
	n = fx_corpus_each("vbt", corpus_vbios, &t, err, sizeof(err));
	if (n == -IGDPT_ENOENT) {
		skip();
		return;
	}
	assert_true(n > 0);
	/* The corpus has both kinds: the test is not vacuous either way. */
	assert_true(t.valid > 0);
	assert_true(t.invalid > 0);
	print_message("video BIOS from %u valid and %u invalid corpus VBTs\n", t.valid, t.invalid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_efi_device_list),
		cmocka_unit_test(test_efi_single_device_chain),
		cmocka_unit_test(test_efi_nospc),
		cmocka_unit_test(test_efi_refusals),
		cmocka_unit_test(test_efi_too_large),
		cmocka_unit_test(test_vbios),
		cmocka_unit_test(test_corpus_vbios),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
