/* SPDX-License-Identifier: MIT */
/* Unit tests for igdpt vm's stage judgement: each way a run can end (pass,
 * expected no OpRegion, SeaBIOS's class limitation, probe rejection, copy
 * differs, timeout, QEMU or device crash; with OVMF: igdpt-efi placed,
 * refused, never ran) gives the right stage results. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vm.h"
#include "vm_ovmf.h"

struct scenario {
	struct vm_proc qemu, device;
	struct vm_firmware_log fw;
	struct vm_ovmf_log efi;
	struct vm_device_log dev;
	struct vm_outcome o;
	struct vm_report r;
};

static const char good_device_log[] =
	"{\"event\":\"start\",\"t\":0,\"function\":\"igd\",\"device_id\":\"0x5916\","
	"\"generation\":9,\"class\":\"0x0300\",\"strategy\":\"4b\",\"image_size\":8192}\n"
	"{\"event\":\"sysmem\",\"t\":0.1,\"regions\":[{\"gpa\":\"0x0\",\"size\":\"0x8000000\"}]}\n"
	"{\"event\":\"asls_write\",\"t\":0.2,\"value\":\"0x7fbe000\",\"guest_copy\":\"identical\"}\n"
	"{\"event\":\"closed\",\"t\":0.4,\"function\":\"igd\",\"reason\":\"peer closed\"}\n"
	"{\"event\":\"final\",\"t\":0.4,\"asls\":\"0x7fbe000\",\"guest_copy\":\"identical\","
	"\"host_image_unchanged\":true}\n";

static const char good_fw_log[] =
	"SeaBIOS (version 1.16.2-debian-1.16.2-1)\n"
	"Intel IGD OpRegion enabled at 0x07fbe000, size 8KB, dev 00:02.0\n";

static const char good_probe[] =
	VM_PROBE_PREFIX "{\"probe\":\"multiboot\",\"verdict\":\"pass\",\"asls\":\"0x07fbe000\","
	"\"memmap\":{\"type\":\"reserved\",\"start\":\"0x7fbe000\",\"end\":\"0x7ffffff\"},"
	"\"opregion\":{\"version\":\"2.0.0\",\"vbt_source\":\"mailbox4\",\"bdb_version\":221},"
	"\"i915\":{\"verdict\":\"ok\"}}\n";

static void setup_run(struct scenario *s, const char *device_log, const char *fw_log,
		      const char *serial, int qemu_exit)
{
	memset(s, 0, sizeof(*s));
	s->qemu.exited = true;
	s->qemu.exit_code = qemu_exit;
	s->device.exited = true;
	s->device.exit_code = 0;
	vm_device_log_parse(device_log, strlen(device_log), &s->dev);
	vm_firmware_log_parse(fw_log, strlen(fw_log), &s->fw);
	if (vm_probe_line_parse(serial, strlen(serial), &s->o.probe, NULL, 0) < 0)
		s->o.probe = NULL;
	s->o.probe_error = "no \"IGDPT-PROBE {...}\" line on the serial port";
	s->o.expect_opregion = true;
	s->o.pci_class = 0x0300;
	s->o.strategy = "4b";
	s->o.published_size = 8192;
	s->o.timeout = 60;
	s->o.qemu = &s->qemu;
	s->o.device = &s->device;
	s->o.fw = &s->fw;
	s->o.dev = &s->dev;
	s->o.host_checked = true;
	s->o.host_unchanged = true;
	s->o.published_unchanged = true;
	vm_report_set(&s->r, VM_STAGE_VALIDATED, VM_STATE_OK, "valid");
	vm_report_set(&s->r, VM_STAGE_PUBLISHED, VM_STATE_OK, "published");
}

static void judge(struct scenario *s)
{
	vm_report_judge(&s->r, &s->o);
}

static void done(struct scenario *s)
{
	json_object_put(s->o.probe);
}

static void test_pass(void **state)
{
	struct scenario s;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	(void)state;
	setup_run(&s, good_device_log, good_fw_log, good_probe, VM_DEBUG_EXIT_PASS);
	judge(&s);
	assert_true(vm_report_passed(&s.r));
	for (int i = 0; i < VM_STAGE_COUNT; i++)
		assert_int_equal(s.r.stages[i].state, VM_STATE_OK);
	assert_non_null(strstr(s.r.stages[VM_STAGE_PLACED].detail, "0x07fbe000 (reserved, e820)"));
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail, "pass"));
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail, "BDB 221"));

	mem = open_memstream(&text, &len);
	assert_non_null(mem);
	vm_report_print(mem, &s.r);
	fclose(mem);
	assert_non_null(strstr(text, "[ ok ] placed by firmware    0x07fbe000 (reserved, e820)"));
	assert_non_null(strstr(text, "[ ok ] host image untouched"));
	free(text);
	done(&s);
}

static void test_stages_json(void **state)
{
	struct scenario s;
	struct json_object *arr, *first, *v;

	(void)state;
	setup_run(&s, good_device_log, good_fw_log, good_probe, VM_DEBUG_EXIT_PASS);
	s.o.probe_error = NULL;
	judge(&s);
	arr = vm_report_stages_json(&s.r);
	assert_int_equal(json_object_array_length(arr), VM_STAGE_COUNT);
	first = json_object_array_get_idx(arr, 2);
	assert_string_equal(vm_json_string(first, "name"), "placed by firmware");
	assert_true(json_object_object_get_ex(first, "ok", &v));
	assert_true(json_object_get_boolean(v));
	json_object_put(arr);
	done(&s);
}

static void test_no_opregion_expected(void **state)
{
	static const char dev_log[] =
		"{\"event\":\"start\",\"function\":\"igd\",\"class\":\"0x0300\"}\n"
		"{\"event\":\"final\",\"asls\":\"0x0\",\"guest_copy\":\"no-image\"}\n";
	static const char serial[] = VM_PROBE_PREFIX
		"{\"verdict\":\"no-opregion\",\"reason\":\"ASLS is 0: firmware placed no OpRegion\","
		"\"asls\":\"0x0\"}\n";
	struct scenario s;

	(void)state;
	setup_run(&s, dev_log, "SeaBIOS (version 1.16.2)\n", serial, VM_DEBUG_EXIT_NO_OPREGION);
	s.o.expect_opregion = false;
	s.o.host_checked = false;
	s.o.published_size = 0;
	judge(&s);
	assert_true(vm_report_passed(&s.r));
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail, "no-opregion, as expected"));
	assert_non_null(strstr(s.r.note, "expected no OpRegion"));
	done(&s);

	/* The same guest verdict when an OpRegion was published is a failure. */
	setup_run(&s, dev_log, "", serial, VM_DEBUG_EXIT_NO_OPREGION);
	judge(&s);
	assert_false(vm_report_passed(&s.r));
	assert_int_equal(s.r.stages[VM_STAGE_PLACED].state, VM_STATE_FAIL);
	assert_int_equal(s.r.stages[VM_STAGE_VERDICT].state, VM_STATE_FAIL);
	done(&s);
}

static void test_display_class_is_firmware_limitation(void **state)
{
	static const char dev_log[] =
		"{\"event\":\"start\",\"function\":\"igd\",\"class\":\"0x0380\",\"image_size\":8192}\n"
		"{\"event\":\"final\",\"asls\":\"0x0\",\"guest_copy\":\"unmapped\","
		"\"host_image_unchanged\":true}\n";
	static const char serial[] = VM_PROBE_PREFIX
		"{\"verdict\":\"no-opregion\",\"reason\":\"ASLS is 0: firmware placed no OpRegion\","
		"\"asls\":\"0x0\",\"class\":\"0x0380\"}\n";
	struct scenario s;

	(void)state;
	setup_run(&s, dev_log, "SeaBIOS (version 1.16.2)\n", serial, VM_DEBUG_EXIT_NO_OPREGION);
	s.o.pci_class = 0x0380;
	judge(&s);
	assert_false(vm_report_passed(&s.r));
	assert_int_equal(s.r.stages[VM_STAGE_PLACED].state, VM_STATE_FAIL);
	assert_string_equal(s.r.stages[VM_STAGE_PLACED].detail,
			    "SeaBIOS places the OpRegion only for class 0x0300 (VGA); this device "
			    "is 0x0380");
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail, "firmware limitation"));
	assert_non_null(strstr(s.r.note, "firmware limitation"));
	done(&s);
}

static void test_probe_rejects(void **state)
{
	static const char serial[] = VM_PROBE_PREFIX
		"{\"verdict\":\"fail\",\"reason\":\"OpRegion signature is not \\\"IntelGraphicsMem\\\" "
		"at 0x0\",\"asls\":\"0x07fbe000\",\"memmap\":{\"type\":\"reserved\"}}\n";
	struct scenario s;

	(void)state;
	setup_run(&s, good_device_log, good_fw_log, serial, VM_DEBUG_EXIT_FAIL);
	vm_report_set(&s.r, VM_STAGE_VALIDATED, VM_STATE_SKIPPED, "not enforced");
	judge(&s);
	assert_false(vm_report_passed(&s.r));
	assert_int_equal(s.r.stages[VM_STAGE_PLACED].state, VM_STATE_OK);
	assert_int_equal(s.r.stages[VM_STAGE_VERDICT].state, VM_STATE_FAIL);
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail,
			       "fail: OpRegion signature is not \"IntelGraphicsMem\" at 0x0"));
	/* The device's own check is independent of the guest's judgement. */
	assert_int_equal(s.r.stages[VM_STAGE_COPY].state, VM_STATE_OK);
	done(&s);
}

static void test_exit_status_must_match_verdict(void **state)
{
	struct scenario s;

	(void)state;
	setup_run(&s, good_device_log, good_fw_log, good_probe, VM_DEBUG_EXIT_FAIL);
	judge(&s);
	assert_int_equal(s.r.stages[VM_STAGE_VERDICT].state, VM_STATE_FAIL);
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail, "isa-debug-exit status is 3"));
	done(&s);
}

static void test_copy_differs(void **state)
{
	static const char dev_log[] =
		"{\"event\":\"start\",\"function\":\"igd\",\"image_size\":8192}\n"
		"{\"event\":\"asls_write\",\"value\":\"0x7fbe000\",\"guest_copy\":\"differs\","
		"\"differs_at\":\"0x10\"}\n"
		"{\"event\":\"final\",\"asls\":\"0x7fbe000\",\"guest_copy\":\"differs\","
		"\"host_image_unchanged\":true}\n";
	struct scenario s;

	(void)state;
	setup_run(&s, dev_log, good_fw_log, good_probe, VM_DEBUG_EXIT_PASS);
	judge(&s);
	assert_int_equal(s.r.stages[VM_STAGE_COPY].state, VM_STATE_FAIL);
	assert_string_equal(s.r.stages[VM_STAGE_COPY].detail,
			    "differs from the published image at 0x10");
	done(&s);
}

static void test_timeout(void **state)
{
	struct scenario s;

	(void)state;
	setup_run(&s, good_device_log, "SeaBIOS (version 1.16.2)\n", "", 0);
	s.qemu.exited = false;
	s.qemu.signal = 9;
	s.qemu.killed_by_us = true;
	s.o.timed_out = true;
	s.o.timeout = 5;
	judge(&s);
	assert_false(vm_report_passed(&s.r));
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail, "timeout"));
	assert_non_null(strstr(s.r.stages[VM_STAGE_PLACED].detail, "timeout"));
	done(&s);
}

static void test_qemu_dies(void **state)
{
	struct scenario s;

	(void)state;
	setup_run(&s, good_device_log, "", "", 1);
	s.o.qemu_stderr_tail = "qemu-system-x86_64: -device x-pci-proxy-dev: bad fd";
	s.qemu.exit_code = 1; /* = VM_DEBUG_EXIT_PASS, but the probe never spoke */
	judge(&s);
	assert_int_equal(s.r.stages[VM_STAGE_VERDICT].state, VM_STATE_FAIL);
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail, "IGDPT-PROBE"));
	done(&s);

	setup_run(&s, good_device_log, "", "", 0);
	s.qemu.exited = false;
	s.qemu.signal = 11;
	s.o.qemu_stderr_tail = "Segmentation fault";
	judge(&s);
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail, "killed by signal 11"));
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail, "Segmentation fault"));
	done(&s);
}

static void test_device_crash_and_host_change(void **state)
{
	static const char dev_log[] =
		"{\"event\":\"start\",\"function\":\"igd\",\"image_size\":8192}\n"
		"{\"event\":\"asls_write\",\"value\":\"0x7fbe000\",\"guest_copy\":\"identical\"}\n";
	struct scenario s;

	(void)state;
	setup_run(&s, dev_log, good_fw_log, good_probe, VM_DEBUG_EXIT_PASS);
	s.device.exited = false;
	s.device.signal = 11;
	s.o.device_stderr_tail = "boom";
	judge(&s);
	assert_int_equal(s.r.stages[VM_STAGE_HOST].state, VM_STATE_FAIL);
	assert_non_null(strstr(s.r.stages[VM_STAGE_HOST].detail, "CRASHED"));
	assert_non_null(strstr(s.r.stages[VM_STAGE_HOST].detail, "signal 11"));
	/* No final event: the copy stage says so rather than trusting the first check. */
	assert_int_equal(s.r.stages[VM_STAGE_COPY].state, VM_STATE_FAIL);
	done(&s);

	setup_run(&s, good_device_log, good_fw_log, good_probe, VM_DEBUG_EXIT_PASS);
	s.o.host_unchanged = false;
	judge(&s);
	assert_int_equal(s.r.stages[VM_STAGE_HOST].state, VM_STATE_FAIL);
	assert_non_null(strstr(s.r.stages[VM_STAGE_HOST].detail, "CHANGED"));
	done(&s);
}

static void test_memmap_ram_is_rejected(void **state)
{
	static const char serial[] = VM_PROBE_PREFIX
		"{\"verdict\":\"pass\",\"asls\":\"0x07fbe000\",\"memmap\":{\"type\":\"ram\"}}\n";
	struct scenario s;

	(void)state;
	setup_run(&s, good_device_log, good_fw_log, serial, VM_DEBUG_EXIT_PASS);
	judge(&s);
	assert_int_equal(s.r.stages[VM_STAGE_PLACED].state, VM_STATE_FAIL);
	assert_non_null(strstr(s.r.stages[VM_STAGE_PLACED].detail, "ram in the guest's memory map"));
	done(&s);
}

/* --firmware ovmf: igdpt-efi's debug-port lines instead of SeaBIOS's. */
static void setup_ovmf(struct scenario *s, const char *device_log, const char *driver_log,
		       const char *serial, int qemu_exit)
{
	setup_run(s, device_log, "", serial, qemu_exit);
	vm_ovmf_log_parse(driver_log, strlen(driver_log), &s->efi);
	s->o.firmware = VM_FIRMWARE_OVMF;
	s->o.ovmf = &s->efi;
	s->o.timeout = VM_OVMF_BOOT_SECONDS;
}

/* Lines as igdpt-efi printed them on OVMF 2022.11 (igdpt vm --keep-logs). */
static const char efi_placed_log[] =
	"igdpt-efi 0.1.0: placing Intel IGD OpRegions from fw_cfg\r\n"
	"igdpt-efi: 00:02.0: Intel IGD 0x8086:0x5916 class 0x380, fw_cfg via DMA\r\n"
	"igdpt-efi: 00:02.0: OpRegion 2.0 (8192 bytes, VBT in mailbox 4) placed at 0x7fbe000 in "
	"ACPI NVS (2 pages), ASLS written\r\n"
	"igdpt-efi: 00:02.0: no fw_cfg file etc/igd-bdsm-size: no stolen memory requested\r\n"
	"igdpt-efi: starting \\EFI\\igdpt\\next.efi\r\n";

static const char efi_refused_log[] =
	"igdpt-efi 0.1.0: placing Intel IGD OpRegions from fw_cfg\r\n"
	"igdpt-efi: 00:02.0: fw_cfg etc/igd-opregion is invalid: OpRegion signature is not "
	"\"IntelGraphicsMem\" at 0x0\r\n"
	"igdpt-efi: 00:02.0: fw_cfg etc/igd-opregion failed validation: ASLS stays 0\r\n"
	"igdpt-efi: starting \\EFI\\igdpt\\next.efi\r\n";

static void test_ovmf_display_class_passes(void **state)
{
	static const char dev_log[] =
		"{\"event\":\"start\",\"function\":\"igd\",\"device_id\":\"0x5916\","
		"\"class\":\"0x0380\",\"strategy\":\"4b\",\"image_size\":8192}\n"
		"{\"event\":\"asls_write\",\"value\":\"0x7fbe000\",\"guest_copy\":\"identical\"}\n"
		"{\"event\":\"final\",\"asls\":\"0x7fbe000\",\"guest_copy\":\"identical\","
		"\"host_image_unchanged\":true}\n";
	static const char serial[] = VM_PROBE_PREFIX
		"{\"probe\":\"uefi\",\"verdict\":\"pass\",\"asls\":\"0x7fbe000\",\"class\":\"0x0380\","
		"\"memmap\":{\"type\":\"acpi-nvs\"},\"i915\":{\"verdict\":\"ok\"}}\n";
	struct scenario s;

	(void)state;
	setup_ovmf(&s, dev_log, efi_placed_log, serial, VM_DEBUG_EXIT_PASS);
	s.o.pci_class = 0x0380;
	judge(&s);
	assert_true(vm_report_passed(&s.r));
	assert_string_equal(s.r.stages[VM_STAGE_PLACED].detail,
			    "0x07fbe000 (acpi-nvs, UEFI memory map) by igdpt-efi, 8 KiB");
	assert_string_equal(s.r.note, "");
	done(&s);
}

static void test_ovmf_refusal_is_reported(void **state)
{
	static const char dev_log[] =
		"{\"event\":\"start\",\"function\":\"igd\",\"class\":\"0x0300\",\"image_size\":8192}\n"
		"{\"event\":\"final\",\"asls\":\"0x0\",\"guest_copy\":\"unmapped\","
		"\"host_image_unchanged\":true}\n";
	static const char serial[] = VM_PROBE_PREFIX
		"{\"probe\":\"uefi\",\"verdict\":\"no-opregion\",\"reason\":\"ASLS is 0: firmware "
		"placed no OpRegion\",\"asls\":\"0x0\"}\n";
	static const char refusal[] = "fw_cfg etc/igd-opregion is invalid: OpRegion signature is "
				      "not \"IntelGraphicsMem\" at 0x0; ASLS stays 0";
	struct scenario s;

	(void)state;
	setup_ovmf(&s, dev_log, efi_refused_log, serial, VM_DEBUG_EXIT_NO_OPREGION);
	judge(&s);
	assert_false(vm_report_passed(&s.r));
	assert_int_equal(s.r.stages[VM_STAGE_PLACED].state, VM_STATE_FAIL);
	assert_string_equal(s.r.stages[VM_STAGE_PLACED].detail + strlen("igdpt-efi refused: "),
			    refusal);
	assert_string_equal(s.r.stages[VM_STAGE_ASLS].detail,
			    "ASLS stays 0: igdpt-efi refused the OpRegion");
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail, refusal));
	assert_non_null(strstr(s.r.note, refusal));
	assert_null(strstr(s.r.note, "SeaBIOS"));
	done(&s);

	/* --no-opregion: the driver's "no fw_cfg file" is the expected outcome. */
	setup_ovmf(&s, "{\"event\":\"final\",\"asls\":\"0x0\",\"guest_copy\":\"no-image\"}\n",
		   "igdpt-efi: 00:02.0: no fw_cfg file etc/igd-opregion: the VMM offers no OpRegion, "
		   "ASLS stays 0\n",
		   serial, VM_DEBUG_EXIT_NO_OPREGION);
	s.o.expect_opregion = false;
	s.o.host_checked = false;
	judge(&s);
	assert_true(vm_report_passed(&s.r));
	assert_non_null(strstr(s.r.stages[VM_STAGE_PLACED].detail,
			       "igdpt-efi: no fw_cfg file etc/igd-opregion"));
	done(&s);
}

static void test_ovmf_driver_never_ran(void **state)
{
	struct scenario s;

	(void)state;
	setup_ovmf(&s, "", "", "", 0);
	s.qemu.exited = false;
	s.qemu.killed_by_us = true;
	s.o.timed_out = true;
	judge(&s);
	assert_false(vm_report_passed(&s.r));
	assert_non_null(strstr(s.r.stages[VM_STAGE_PLACED].detail, "OVMF did not run igdpt-efi"));
	assert_non_null(strstr(s.r.stages[VM_STAGE_PLACED].detail, "no verdict after 180 s"));
	done(&s);
}

static void test_fnv(void **state)
{
	(void)state;
	/* FNV-1a 64 published test vectors. */
	assert_int_equal(vm_fnv1a64((const uint8_t *)"", 0), 0xcbf29ce484222325ull);
	assert_int_equal(vm_fnv1a64((const uint8_t *)"a", 1), 0xaf63dc4c8601ec8cull);
	assert_int_equal(vm_fnv1a64((const uint8_t *)"foobar", 6), 0x85944171f73967e8ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pass),
		cmocka_unit_test(test_stages_json),
		cmocka_unit_test(test_no_opregion_expected),
		cmocka_unit_test(test_display_class_is_firmware_limitation),
		cmocka_unit_test(test_probe_rejects),
		cmocka_unit_test(test_exit_status_must_match_verdict),
		cmocka_unit_test(test_copy_differs),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_qemu_dies),
		cmocka_unit_test(test_device_crash_and_host_change),
		cmocka_unit_test(test_memmap_ram_is_rejected),
		cmocka_unit_test(test_ovmf_display_class_passes),
		cmocka_unit_test(test_ovmf_refusal_is_reported),
		cmocka_unit_test(test_ovmf_driver_never_ran),
		cmocka_unit_test(test_fnv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
