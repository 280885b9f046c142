/* SPDX-License-Identifier: MIT */
/* Unit tests: igdpt vm's OVMF pieces: the QEMU arguments (vm_ovmf.c),
 * finding the firmware files (vm_locate.c) and copying the vars flash
 * (vm_setup.c), and parsing the driver's log (vm_log_firmware.c). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <unistd.h>
#include <cmocka.h>

#include "vm_locate.h"
#include "vm_log_firmware.h"
#include "vm_ovmf.h"
#include "vm_setup.h"

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

static void test_locate_and_copy(void **state)
{
	char dir[] = "/tmp/igdpt-ovmf-XXXXXX", path[4096], err[PATH_MAX + 512] = "";
	struct vm_options o = { .firmware = VM_FIRMWARE_OVMF, .qemu = "/bin/true" };
	struct vm_programs p;
	struct vm_workdir w;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/VARS_TEMPLATE.fd", dir);
	f = fopen(path, "w");
	fputs("vars-template", f);
	fclose(f);
	setenv("IGDPT_DEVICE", "/bin/true", 1);
	setenv("IGDPT_OVMF_CODE", path, 1);
	setenv("IGDPT_OVMF_VARS", path, 1);
	setenv("IGDPT_EFI_IMAGE", path, 1);
	assert_int_equal(vm_locate(&o, &p, err, sizeof(err)), 0);
	assert_string_equal(p.ovmf_code, path);
	assert_string_equal(p.ovmf_vars, path);
	assert_string_equal(p.esp, path);
	assert_string_equal(p.seabios, "");

	/* The vars template is copied into the run's directory, never used. */
	setenv("TMPDIR", dir, 1);
	assert_int_equal(vm_workdir_create(&w, err, sizeof(err)), 0);
	assert_int_equal(vm_workdir_copy_ovmf_vars(&w, p.ovmf_vars, err, sizeof(err)), 0);
	assert_int_equal(strncmp(w.ovmf_vars, dir, strlen(dir)), 0);
	f = fopen(w.ovmf_vars, "r");
	assert_non_null(f);
	assert_non_null(fgets(path, sizeof(path), f));
	fclose(f);
	assert_string_equal(path, "vars-template");
	vm_workdir_remove(&w);
	unsetenv("TMPDIR");

	/* A missing ESP: what, where, why. */
	setenv("IGDPT_EFI_IMAGE", "/nonexistent/esp.img", 1);
	assert_int_equal(vm_locate(&o, &p, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/esp.img"));
	assert_non_null(strstr(err, "IGDPT_EFI_IMAGE"));
	/* Missing OVMF: the Debian package to install. */
	unsetenv("IGDPT_EFI_IMAGE");
	setenv("IGDPT_OVMF_CODE", "/nonexistent/OVMF_CODE.fd", 1);
	assert_int_equal(vm_locate(&o, &p, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/OVMF_CODE.fd"));
	unsetenv("IGDPT_OVMF_CODE");
	unsetenv("IGDPT_OVMF_VARS");
	unsetenv("IGDPT_DEVICE");
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
		cmocka_unit_test(test_locate_and_copy),
		cmocka_unit_test(test_log_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
