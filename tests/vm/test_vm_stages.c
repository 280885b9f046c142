/* SPDX-License-Identifier: MIT */
/* Unit tests for igdpt vm's stages and their judging (tools/vm/vm_stages.c):
 * each way a run can end (pass, expected no OpRegion, SeaBIOS's class
 * limitation, probe rejection, copy differs, timeout, QEMU or device crash;
 * with OVMF: igdpt-efi placed, refused, never ran) gives the right stage
 * results, and the host-side stages judge the image and what the device
 * loaded. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "igdpt/abi/probe_report.h"
#include "vm_evidence.h"
#include "vm_log_probe.h"
#include "vm_output.h"
#include "vm_ovmf.h"
#include "vm_qemu.h"
#include "vm_stages.h"

struct scenario {
	struct vm_evidence o;
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
	IGDPT_PROBE_LINE_PREFIX "{\"probe\":\"multiboot\",\"verdict\":\"pass\",\"asls\":\"0x07fbe000\","
	"\"memmap\":{\"type\":\"reserved\",\"start\":\"0x7fbe000\",\"end\":\"0x7ffffff\"},"
	"\"opregion\":{\"version\":\"2.0.0\",\"vbt_source\":\"mailbox4\",\"bdb_version\":221},"
	"\"i915\":{\"verdict\":\"ok\"}}\n";

static void setup_run(struct scenario *s, const char *device_log, const char *fw_log,
		      const char *serial, int qemu_exit)
{
	memset(s, 0, sizeof(*s));
	s->o.ran = true;
	s->o.qemu.exited = true;
	s->o.qemu.exit_code = qemu_exit;
	s->o.device.exited = true;
	s->o.device.exit_code = 0;
	vm_device_log_parse(device_log, strlen(device_log), &s->o.dev);
	vm_seabios_log_parse(fw_log, strlen(fw_log), &s->o.seabios);
	if (vm_probe_line_parse(serial, strlen(serial), &s->o.probe, s->o.probe_error,
				sizeof(s->o.probe_error)) < 0)
		s->o.probe = NULL;
	s->o.expect_opregion = true;
	s->o.pci_class = 0x0300;
	s->o.strategy = IGDPT_VMM_4B;
	s->o.published_size = 8192;
	s->o.timeout = 60;
	s->o.host_checked = true;
	s->o.host_unchanged = true;
	s->o.published_unchanged = true;
	vm_report_init(&s->r, false);
	vm_report_set(&s->r, VM_STAGE_VALIDATED, VM_STATE_OK, "valid");
	vm_report_set(&s->r, VM_STAGE_PUBLISHED, VM_STATE_OK, "published");
}

static void judge(struct scenario *s)
{
	vm_judge_run(&s->r, &s->o);
}

static void done(struct scenario *s)
{
	vm_evidence_free(&s->o);
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
	for (unsigned i = 0; i < s.r.count; i++)
		assert_int_equal(s.r.stages[i].state, VM_STATE_OK);
	assert_non_null(strstr(s.r.stages[VM_STAGE_PLACED].detail, "0x07fbe000 (reserved, e820)"));
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail, "pass"));
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail, "BDB 221"));

	mem = open_memstream(&text, &len);
	assert_non_null(mem);
	for (unsigned i = 0; i < s.r.count; i++)
		vm_output_stage(mem, &s.r, (enum vm_stage_id)i);
	fclose(mem);
	assert_non_null(strstr(text, "[ ok ] placed by firmware    0x07fbe000 (reserved, e820)"));
	assert_non_null(strstr(text, "[ ok ] host image untouched"));
	free(text);
	done(&s);
}

/* --json: the document header, the stages, and one hex spelling per width. */
static void test_json(void **state)
{
	struct vm_options o = { .machine = "pc", .generation = 9, .pci_class = 0x0300,
				.strategy = IGDPT_VMM_4B };
	struct vm_image img = { .published_len = 8192, .source = "reference" };
	struct vm_programs p = { 0 };
	struct json_object *doc, *arr, *first, *v;
	struct scenario s;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	(void)state;
	setup_run(&s, good_device_log, good_fw_log, good_probe, VM_DEBUG_EXIT_PASS);
	judge(&s);
	mem = open_memstream(&text, &len);
	assert_int_equal(vm_output_json(mem, &o, &s.r, &img, &p, &s.o, true), 0);
	fclose(mem);
	doc = json_tokener_parse(text);
	assert_non_null(doc);
	assert_string_equal(vm_json_string(doc, "kind"), "vm");
	assert_non_null(vm_json_string(doc, "igdpt_version"));
	assert_true(json_object_object_get_ex(doc, "schema_version", &v));
	assert_string_equal(vm_json_string(doc, "verdict"), "pass");
	assert_string_equal(vm_json_string(doc, "asls"), "0x07fbe000");
	assert_string_equal(vm_json_string(doc, "class"), "0x0300");
	assert_string_equal(vm_json_string(doc, "guest"), "probe");
	assert_string_equal(vm_json_string(doc, "seabios.version"), "1.16.2-debian-1.16.2-1");
	assert_string_equal(vm_json_string(doc, "device_log.asls_write.value"), "0x07fbe000");
	assert_string_equal(vm_json_string(doc, "device_log.final.asls"), "0x07fbe000");
	assert_string_equal(vm_json_string(doc, "device_log.start.device_id"), "0x5916");
	arr = json_object_object_get(doc, "stages");
	assert_int_equal(json_object_array_length(arr), VM_STAGE_COUNT_PROBE);
	first = json_object_array_get_idx(arr, 2);
	assert_string_equal(vm_json_string(first, "name"), "placed by firmware");
	assert_string_equal(vm_json_string(first, "state"), "ok");
	assert_true(json_object_object_get_ex(first, "ok", &v));
	assert_true(json_object_get_boolean(v));
	json_object_put(doc);
	free(text);
	done(&s);
}

/* Before boot: what the validator and the guest-image policy said, and
 * whether the device loaded exactly the published bytes. */
static void test_host_stages(void **state)
{
	struct vm_options o = { .source = VM_SOURCE_FILE, .image = "x.bin" };
	struct vm_image img = { .host_len = 100, .source = "x.bin", .parse_ret = -EINVAL,
				.parse_diag = { .reason = "too short", .offset = 0x40 } };
	struct vm_device_log dev = { .started = true, .image_size = 8192 };
	uint8_t host[8192] = { 0 }, published[8192] = { 0 };
	struct vm_report r;

	(void)state;
	vm_report_init(&r, false);
	vm_judge_validated(&r, &o, &img);
	assert_int_equal(r.stages[VM_STAGE_VALIDATED].state, VM_STATE_FAIL);
	assert_string_equal(r.stages[VM_STAGE_VALIDATED].detail, "x.bin: too short at 0x40");
	o.no_host_check = true;
	vm_judge_validated(&r, &o, &img);
	assert_int_equal(r.stages[VM_STAGE_VALIDATED].state, VM_STATE_SKIPPED);

	/* The policy refused the image: nothing reaches the device. */
	img.policy_ret = -EINVAL;
	img.policy_diag = (struct igdpt_diag){ .reason = "RVDA is a host address", .offset = 0x3ba };
	o.no_host_check = false;
	vm_judge_published(&r, &o, &img, NULL);
	assert_int_equal(r.stages[VM_STAGE_PUBLISHED].state, VM_STATE_FAIL);
	assert_string_equal(r.stages[VM_STAGE_PUBLISHED].detail,
			    "guest-image policy refused the image: RVDA is a host address at 0x3ba");

	/* Published 8 KiB, SWSCI cleared; the device loaded 8 KiB, or not. */
	host[0x58] = 0x1f;
	published[0x58] = 0x1d;
	img = (struct vm_image){ .host = host, .host_len = sizeof(host), .published = published,
				 .published_len = sizeof(published), .policy_ret = 1 };
	o.stolen_size = 64u << 20;
	vm_judge_published(&r, &o, &img, &dev);
	assert_int_equal(r.stages[VM_STAGE_PUBLISHED].state, VM_STATE_OK);
	assert_string_equal(r.stages[VM_STAGE_PUBLISHED].detail,
			    "fw_cfg etc/igd-opregion, 8192 bytes, SWSCI cleared (MBOX 0x1f -> 0x1d); "
			    "etc/igd-bdsm-size 64 MiB");
	dev.image_size = 4096;
	vm_judge_published(&r, &o, &img, &dev);
	assert_int_equal(r.stages[VM_STAGE_PUBLISHED].state, VM_STATE_FAIL);
	assert_non_null(strstr(r.stages[VM_STAGE_PUBLISHED].detail, "the device loaded 4096 bytes"));

	/* --no-opregion: nothing published, as asked. */
	o.source = VM_SOURCE_NONE;
	vm_judge_validated(&r, &o, &img);
	assert_int_equal(r.stages[VM_STAGE_VALIDATED].state, VM_STATE_SKIPPED);
	vm_judge_published(&r, &o, &img, &dev);
	assert_int_equal(r.stages[VM_STAGE_PUBLISHED].state, VM_STATE_OK);
	assert_string_equal(r.stages[VM_STAGE_PUBLISHED].detail,
			    "nothing as etc/igd-opregion (--no-opregion); etc/igd-bdsm-size 64 MiB");
}

static void test_no_opregion_expected(void **state)
{
	static const char dev_log[] =
		"{\"event\":\"start\",\"function\":\"igd\",\"class\":\"0x0300\"}\n"
		"{\"event\":\"final\",\"asls\":\"0x0\",\"guest_copy\":\"no-image\"}\n";
	static const char serial[] = IGDPT_PROBE_LINE_PREFIX
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
	static const char serial[] = IGDPT_PROBE_LINE_PREFIX
		"{\"verdict\":\"no-opregion\",\"reason\":\"ASLS is 0: firmware placed no OpRegion\","
		"\"asls\":\"0x0\",\"class\":\"0x0380\"}\n";
	struct scenario s;

	(void)state;
	setup_run(&s, dev_log, "SeaBIOS (version 1.16.2)\n", serial, VM_DEBUG_EXIT_NO_OPREGION);
	s.o.pci_class = 0x0380;
	judge(&s);
	assert_false(vm_report_passed(&s.r));
	assert_int_equal(s.r.stages[VM_STAGE_PLACED].state, VM_STATE_FAIL);
	/* The version its banner names, and the others igdpt has seen alike. */
	assert_string_equal(s.r.stages[VM_STAGE_PLACED].detail,
			    "SeaBIOS 1.16.2 places the OpRegion only for class 0x0300 (VGA), like "
			    "1.17.0; this device is 0x0380");
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail, "firmware limitation"));
	assert_non_null(strstr(s.r.note, "firmware limitation"));
	done(&s);
}

static void test_probe_rejects(void **state)
{
	static const char serial[] = IGDPT_PROBE_LINE_PREFIX
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
	s.o.qemu.exited = false;
	s.o.qemu.signal = 9;
	s.o.qemu.killed_by_us = true;
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
	snprintf(s.o.qemu_stderr_tail, sizeof(s.o.qemu_stderr_tail), "%s", "qemu-system-x86_64: -device x-pci-proxy-dev: bad fd");
	s.o.qemu.exit_code = 1; /* = VM_DEBUG_EXIT_PASS, but the probe never spoke */
	judge(&s);
	assert_int_equal(s.r.stages[VM_STAGE_VERDICT].state, VM_STATE_FAIL);
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail, "IGDPT-PROBE"));
	done(&s);

	setup_run(&s, good_device_log, "", "", 0);
	s.o.qemu.exited = false;
	s.o.qemu.signal = 11;
	snprintf(s.o.qemu_stderr_tail, sizeof(s.o.qemu_stderr_tail), "%s", "Segmentation fault");
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
	s.o.device.exited = false;
	s.o.device.signal = 11;
	snprintf(s.o.device_stderr_tail, sizeof(s.o.device_stderr_tail), "%s", "boom");
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
	static const char serial[] = IGDPT_PROBE_LINE_PREFIX
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
	vm_ovmf_log_parse(driver_log, strlen(driver_log), &s->o.ovmf);
	s->o.firmware = VM_FIRMWARE_OVMF;
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
	static const char serial[] = IGDPT_PROBE_LINE_PREFIX
		"{\"probe\":\"uefi\",\"verdict\":\"pass\",\"asls\":\"0x7fbe000\",\"class\":\"0x0380\","
		"\"memmap\":{\"type\":\"acpi-nvs\"},\"i915\":{\"verdict\":\"ok\"}}\n";
	struct scenario s;

	(void)state;
	setup_ovmf(&s, dev_log, efi_placed_log, serial, VM_DEBUG_EXIT_PASS);
	s.o.pci_class = 0x0380;
	judge(&s);
	assert_true(vm_report_passed(&s.r));
	assert_string_equal(s.r.stages[VM_STAGE_PLACED].detail,
			    "0x07fbe000 (acpi-nvs, UEFI memory map) by igdpt-efi (BOOTX64.EFI on "
			    "the boot volume), 8 KiB");
	assert_string_equal(s.r.note, "");
	done(&s);
}

/* Lines as igdpt-efi-driver printed them from the IGD's option ROM on
 * OVMF 2025.02 (igdpt vm --stack trixie --firmware ovmf --keep-logs). */
static const char efi_rom_log[] =
	"igdpt-efi-driver 0.2.0: started from the option ROM of PCI 00:02.0: placing Intel IGD "
	"OpRegions from fw_cfg\n"
	"igdpt-efi: 00:02.0: Intel IGD 0x8086:0x5916 class 0x300, fw_cfg via DMA\n"
	"igdpt-efi: 00:02.0: OpRegion 2.0 (8192 bytes, VBT in mailbox 4) placed at 0x7fbe000 in "
	"ACPI NVS (2 pages), ASLS written\n"
	"igdpt-efi: 00:02.0: no fw_cfg file etc/igd-bdsm-size: no stolen memory requested\n"
	"igdpt-efi-check: verdict follows on COM1 and the debug port\n";

static void test_ovmf_rom_delivery(void **state)
{
	static const char dev_log[] =
		"{\"event\":\"start\",\"function\":\"igd\",\"device_id\":\"0x5916\","
		"\"class\":\"0x0300\",\"strategy\":\"4b\",\"image_size\":8192}\n"
		"{\"event\":\"asls_write\",\"value\":\"0x7fbe000\",\"guest_copy\":\"identical\"}\n"
		"{\"event\":\"final\",\"asls\":\"0x7fbe000\",\"guest_copy\":\"identical\","
		"\"host_image_unchanged\":true}\n";
	static const char serial[] = IGDPT_PROBE_LINE_PREFIX
		"{\"probe\":\"uefi\",\"verdict\":\"pass\",\"asls\":\"0x7fbe000\",\"class\":\"0x0300\","
		"\"memmap\":{\"type\":\"acpi-nvs\"},\"i915\":{\"verdict\":\"ok\"}}\n";
	struct scenario s;

	(void)state;
	setup_ovmf(&s, dev_log, efi_rom_log, serial, VM_DEBUG_EXIT_PASS);
	s.o.efi_delivery = VM_EFI_DELIVERY_ROM;
	snprintf(s.o.ovmf_version, sizeof(s.o.ovmf_version), "2025.02");
	assert_true(s.o.ovmf.from_rom);
	assert_string_equal(s.o.ovmf.rom_bdf, "00:02.0");
	judge(&s);
	assert_true(vm_report_passed(&s.r));
	assert_string_equal(s.r.stages[VM_STAGE_PLACED].detail,
			    "0x07fbe000 (acpi-nvs, UEFI memory map) by igdpt-efi (option ROM of "
			    "00:02.0, OVMF 2025.02), 8 KiB");
	done(&s);

	/* The ROM was asked for, but the driver came from somewhere else. */
	setup_ovmf(&s, dev_log, efi_placed_log, serial, VM_DEBUG_EXIT_PASS);
	s.o.efi_delivery = VM_EFI_DELIVERY_ROM;
	judge(&s);
	assert_false(vm_report_passed(&s.r));
	assert_int_equal(s.r.stages[VM_STAGE_PLACED].state, VM_STATE_FAIL);
	assert_non_null(strstr(s.r.stages[VM_STAGE_PLACED].detail, "not from the IGD's option ROM"));
	done(&s);
}

/* OVMF never ran the driver: the stage says OVMF itself ignores the file,
 * naming its version and the others seen alike. */
static void test_ovmf_limit_named(void **state)
{
	static const char serial[] = IGDPT_PROBE_LINE_PREFIX
		"{\"probe\":\"uefi\",\"verdict\":\"no-opregion\",\"reason\":\"ASLS is 0\","
		"\"asls\":\"0x0\"}\n";
	struct scenario s;

	(void)state;
	setup_ovmf(&s, "{\"event\":\"final\",\"asls\":\"0x0\",\"guest_copy\":\"unmapped\"}\n",
		   "", serial, VM_DEBUG_EXIT_NO_OPREGION);
	s.o.efi_delivery = VM_EFI_DELIVERY_ROM;
	snprintf(s.o.ovmf_version, sizeof(s.o.ovmf_version), "2025.02");
	judge(&s);
	assert_false(vm_report_passed(&s.r));
	assert_non_null(strstr(s.r.stages[VM_STAGE_PLACED].detail,
			       "OVMF did not run igdpt-efi from the IGD's option ROM"));
	assert_non_null(strstr(s.r.stages[VM_STAGE_PLACED].detail,
			       "OVMF 2025.02 itself ignores etc/igd-opregion, like 2022.11, so "
			       "without igdpt's driver ASLS stays 0"));
	assert_non_null(strstr(s.r.note, "firmware limitation: OVMF 2025.02 itself ignores"));
	done(&s);
}

/* SeaBIOS 1.17.0 on the trixie stack: the same limits, its version named;
 * without a banner, the stack's package version. */
static void test_seabios_limits_per_stack(void **state)
{
	static const char serial[] = IGDPT_PROBE_LINE_PREFIX
		"{\"verdict\":\"fail\",\"reason\":\"BDSM is 0\",\"asls\":\"0x07fbe000\","
		"\"memmap\":{\"type\":\"reserved\"}}\n";
	static const char dev_log[] =
		"{\"event\":\"start\",\"function\":\"igd\",\"device_id\":\"0x9a49\","
		"\"class\":\"0x0300\",\"bdsm_register\":\"0xc0\",\"image_size\":8192}\n"
		"{\"event\":\"asls_write\",\"value\":\"0x7fbe000\",\"guest_copy\":\"identical\"}\n"
		"{\"event\":\"final\",\"asls\":\"0x7fbe000\",\"guest_copy\":\"identical\","
		"\"host_image_unchanged\":true}\n";
	static const char fw[] = "SeaBIOS (version 1.17.0-debian-1.17.0-1~bpo13+1)\n"
				 "Intel IGD OpRegion enabled at 0x07fbe000, size 8KB, dev 00:02.0\n"
				 "Intel IGD BDSM enabled at 0x02f00000, size 64MB, dev 00:02.0\n";
	struct scenario s;

	(void)state;
	setup_run(&s, dev_log, fw, serial, VM_DEBUG_EXIT_FAIL);
	s.o.stolen_size = 64 << 20;
	judge(&s);
	assert_non_null(strstr(s.r.stages[VM_STAGE_VERDICT].detail,
			       "firmware limitation: SeaBIOS 1.17.0 writes the stolen-memory base "
			       "only to the 32-bit BDSM at 0x5c, like 1.16.2; this device's BDSM is "
			       "at 0xc0 (gen 11+)"));
	assert_non_null(strstr(s.r.note, "SeaBIOS 1.17.0 writes"));
	assert_non_null(strstr(s.r.stages[VM_STAGE_PLACED].detail, ", by SeaBIOS 1.17.0"));
	done(&s);

	/* No banner: the stack's version. */
	setup_run(&s, dev_log, "Intel IGD OpRegion enabled at 0x07fbe000, size 8KB, dev 00:02.0\n"
			       "Intel IGD BDSM enabled at 0x02f00000, size 64MB, dev 00:02.0\n",
		  serial, VM_DEBUG_EXIT_FAIL);
	s.o.stolen_size = 64 << 20;
	snprintf(s.o.seabios_version, sizeof(s.o.seabios_version), "1.16.2");
	judge(&s);
	assert_non_null(strstr(s.r.note, "SeaBIOS 1.16.2 writes the stolen-memory base only to the "
					 "32-bit BDSM at 0x5c, like 1.17.0;"));
	done(&s);
}

static void test_ovmf_refusal_is_reported(void **state)
{
	static const char dev_log[] =
		"{\"event\":\"start\",\"function\":\"igd\",\"class\":\"0x0300\",\"image_size\":8192}\n"
		"{\"event\":\"final\",\"asls\":\"0x0\",\"guest_copy\":\"unmapped\","
		"\"host_image_unchanged\":true}\n";
	static const char serial[] = IGDPT_PROBE_LINE_PREFIX
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
	s.o.qemu.exited = false;
	s.o.qemu.killed_by_us = true;
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
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_host_stages),
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
		cmocka_unit_test(test_ovmf_rom_delivery),
		cmocka_unit_test(test_ovmf_limit_named),
		cmocka_unit_test(test_seabios_limits_per_stack),
		cmocka_unit_test(test_fnv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
