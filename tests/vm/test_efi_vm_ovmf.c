/* SPDX-License-Identifier: MIT */
/* Unit tests: igdpt vm's OVMF pieces (tools/vm/vm_ovmf.c): the QEMU arguments,
 * finding and copying the firmware files, and parsing the driver's log. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "vm_ovmf.h"

static void test_args(void **state)
{
	struct vm_argv a = { 0 };
	struct vm_ovmf_config c = { "/fw/CODE.fd", "/w/VARS,1.fd", "/b/esp.img" };

	(void)state;
	assert_int_equal(vm_ovmf_add_args(&a, &c), 0);
	assert_int_equal(a.count, 8);
	assert_string_equal(a.argv[0], "-drive");
	assert_string_equal(a.argv[1], "if=pflash,format=raw,unit=0,readonly=on,file=/fw/CODE.fd");
	assert_string_equal(a.argv[3], "if=pflash,format=raw,unit=1,file=/w/VARS,,1.fd");
	assert_string_equal(a.argv[5], "if=none,id=esp,format=raw,readonly=on,file=/b/esp.img");
	assert_string_equal(a.argv[6], "-device");
	assert_string_equal(a.argv[7], "virtio-blk-pci,drive=esp,addr=05.0");
	assert_null(a.argv[8]);
	vm_argv_free(&a);
	c.vars = NULL;
	assert_int_equal(vm_ovmf_add_args(&a, &c), -EINVAL);
}

static void test_prepare(void **state)
{
	char dir[] = "/tmp/igdpt-ovmf-XXXXXX", path[4096], code[4096], vars[4096], esp[4096];
	char err[512] = "";
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/VARS_TEMPLATE.fd", dir);
	f = fopen(path, "w");
	fputs("vars-template", f);
	fclose(f);
	setenv("IGDPT_OVMF_CODE", path, 1);
	setenv("IGDPT_OVMF_VARS", path, 1);
	setenv("IGDPT_EFI_IMAGE", path, 1);
	assert_int_equal(vm_ovmf_prepare(dir, NULL, NULL, code, vars, esp, sizeof(code), err,
					 sizeof(err)), 0);
	assert_string_equal(code, path);
	assert_string_equal(esp, path);
	snprintf(path, sizeof(path), "%s/OVMF_VARS.fd", dir);
	assert_string_equal(vars, path);
	f = fopen(vars, "r");
	assert_non_null(f);
	assert_non_null(fgets(path, sizeof(path), f));
	fclose(f);
	assert_string_equal(path, "vars-template");
	unlink(vars);

	/* A missing ESP: what, where, why. */
	setenv("IGDPT_EFI_IMAGE", "/nonexistent/esp.img", 1);
	assert_true(vm_ovmf_prepare(dir, NULL, NULL, code, vars, esp, sizeof(code), err,
				    sizeof(err)) < 0);
	assert_non_null(strstr(err, "/nonexistent/esp.img"));
	assert_non_null(strstr(err, "IGDPT_EFI_IMAGE"));
	unsetenv("IGDPT_OVMF_CODE");
	unsetenv("IGDPT_OVMF_VARS");
	unsetenv("IGDPT_EFI_IMAGE");
	snprintf(path, sizeof(path), "%s/VARS_TEMPLATE.fd", dir);
	unlink(path);
	rmdir(dir);
}

/* Lines as igdpt-efi.efi printed them on OVMF 2022.11 (tests/firmware/efi_e2e.py). */
static const char placed_log[] =
	"igdpt-efi 0.1.0: placing Intel IGD OpRegions from fw_cfg\n"
	"igdpt-efi: 00:02.0: Intel IGD 0x8086:0x5916 class 0x300, fw_cfg via DMA\n"
	"igdpt-efi: 00:02.0: OpRegion 2.0 (8192 bytes, VBT in mailbox 4) placed at 0x77e8000 in "
	"ACPI NVS (2 pages), ASLS written\n"
	"igdpt-efi: 00:02.0: stolen memory 8 MiB placed at 0x5a00000 (reserved, 1 MiB aligned), "
	"BDSM 0x5c (32-bit, gen 9) = 0x5a00000\n"
	"igdpt-efi: starting \\EFI\\igdpt\\next.efi\n"
	"igdpt-efi-check: verdict follows on COM1 and the debug port\n";

static const char refused_log[] =
	"igdpt-efi 0.1.0: placing Intel IGD OpRegions from fw_cfg\r\n"
	"igdpt-efi: 00:02.0: fw_cfg etc/igd-opregion is invalid: OpRegion signature is not "
	"\"IntelGraphicsMem\" at 0x0\r\n"
	"igdpt-efi: 00:02.0: fw_cfg etc/igd-opregion failed validation: ASLS stays 0\r\n";

static void test_log_parse(void **state)
{
	struct vm_ovmf_log log;

	(void)state;
	vm_ovmf_log_parse(placed_log, strlen(placed_log), &log);
	assert_true(log.driver_ran);
	assert_true(log.opregion_placed);
	assert_int_equal(log.asls, 0x77e8000);
	assert_true(log.stolen_placed);
	assert_int_equal(log.bdsm, 0x5a00000);
	assert_true(log.next_stage_started);
	assert_string_equal(log.refusal, "");

	vm_ovmf_log_parse(refused_log, strlen(refused_log), &log);
	assert_true(log.driver_ran);
	assert_false(log.opregion_placed);
	assert_string_equal(log.refusal,
			    "igdpt-efi: 00:02.0: fw_cfg etc/igd-opregion failed validation: ASLS stays 0");
	assert_string_equal(log.invalid, "igdpt-efi: 00:02.0: fw_cfg etc/igd-opregion is invalid: "
					 "OpRegion signature is not \"IntelGraphicsMem\" at 0x0");

	vm_ovmf_log_parse("BdsDxe: loading Boot0001\n", 25, &log);
	assert_false(log.driver_ran);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_prepare),
		cmocka_unit_test(test_log_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
