/* SPDX-License-Identifier: MIT */
/* Unit tests for `igdpt vm --rom` (tools/vm/vm_rom.c): the ROM is read and
 * its VBT looked for before boot, a missing, empty or oversized file is
 * refused with its name and the reason, and the stage text says what i915's
 * PCI ROM fallback will find. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sys/stat.h>

#include "fixture.h"
#include "fixture_rom.h"
#include "vm_rom.h"

static char dir[] = "/tmp/igdpt-vm-rom.XXXXXX";

static void write_file(const char *path, const uint8_t *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void test_rom_with_vbt(void **state)
{
	static uint8_t vbt[0x2000], rom[0x4000];
	struct fx_rom_image im;
	struct fx_vbt v;
	struct vm_rom r;
	char path[64], err[256], text[512], want[512];
	size_t vbt_len, rom_len;

	(void)state;
	fx_vbt_defaults(&v);
	vbt_len = fx_vbt_build(&v, vbt, sizeof(vbt));
	fx_rom_image_defaults(&im);
	im.payload = vbt;
	im.payload_len = vbt_len;
	im.length = 0x2000;
	rom_len = fx_rom_image_build(&im, rom, sizeof(rom));
	assert_true(rom_len > 0);
	snprintf(path, sizeof(path), "%s/vbios.rom", dir);
	write_file(path, rom, rom_len);

	assert_int_equal(vm_rom_load(path, &r, err, sizeof(err)), 0);
	assert_true(r.given);
	assert_true(vm_rom_has_vbt(&r));
	assert_int_equal(r.vbt.offset, FX_ROM_PAYLOAD_AT);
	vm_rom_describe(&r, text, sizeof(text));
	snprintf(want, sizeof(want), "PCI ROM (--rom %s, %zu bytes): VBT at 0x%x, BDB %u", path,
		 rom_len, FX_ROM_PAYLOAD_AT, r.vbt.vbt.bdb_version);
	assert_string_equal(text, want);
	vm_rom_free(&r);

	/* The same ROM without its VBT: valid as a ROM, nothing for i915. */
	memset(rom + FX_ROM_PAYLOAD_AT, 0, vbt_len);
	write_file(path, rom, rom_len);
	assert_int_equal(vm_rom_load(path, &r, err, sizeof(err)), 0);
	assert_false(vm_rom_has_vbt(&r));
	vm_rom_describe(&r, text, sizeof(text));
	assert_non_null(strstr(text, "no VBT for i915 ("));
	vm_rom_free(&r);
	unlink(path);
}

static void test_rom_refused(void **state)
{
	struct vm_rom r;
	char path[64], err[256], want[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/missing.rom", dir);
	assert_int_equal(vm_rom_load(path, &r, err, sizeof(err)), -ENOENT);
	snprintf(want, sizeof(want), "--rom %s: %s", path, strerror(ENOENT));
	assert_string_equal(err, want);
	/* Empty, and a directory. */
	snprintf(path, sizeof(path), "%s/empty.rom", dir);
	write_file(path, (const uint8_t *)"", 0);
	assert_int_equal(vm_rom_load(path, &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "expected a PCI option ROM file of 1 byte to 16 MiB"));
	unlink(path);
	/* Not a regular file: what it is, from igdpt_file_read(). */
	assert_int_equal(vm_rom_load(dir, &r, err, sizeof(err)), -EISDIR);
	assert_non_null(strstr(err, "not a file"));
	snprintf(path, sizeof(path), "%s/rom.fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(vm_rom_load(path, &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "a FIFO"));
	unlink(path);
	/* No --rom: the text says there is nothing to fall back on. */
	memset(&r, 0, sizeof(r));
	vm_rom_describe(&r, want, sizeof(want));
	assert_string_equal(want, "no PCI ROM (--rom) for i915 to fall back on");
	assert_false(vm_rom_has_vbt(&r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rom_with_vbt),
		cmocka_unit_test(test_rom_refused),
	};
	int ret;

	if (!mkdtemp(dir))
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return ret;
}
