/* SPDX-License-Identifier: MIT */
/* Unit tests for `igdpt vm --guest linux`'s stages (tools/vm/vm_stages.c)
 * and output: the copy is judged at the ASLS write, a driver's mailbox
 * writes pass, a write outside them fails, and i915 must agree with igdpt
 * probe and log no WARNING or *ERROR* the OpRegion does not explain (device
 * logs and kernel log lines as a real run wrote them); the kernels a guest
 * can boot (tools/vm/vm_linux.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "igdpt/abi/events.h"
#include "vm_evidence.h"
#include "vm_log_probe.h"
#include "vm_output.h"
#include "vm_qemu.h"
#include "vm_stages.h"

#define SETUP "i915 0000:00:02.0: [drm:intel_opregion_setup [i915]] "
#define PROBE_OK "IGDPT-PROBE {\"probe\":\"linux\",\"verdict\":\"pass\",\"asls\":\"0x07ffe000\"," \
		 "\"memmap\":{\"type\":\"reserved\"},\"i915\":{\"verdict\":\"ok\",\"vbt_source\":" \
		 "\"mailbox4\"}}\n"
#define KMSG_OK                                                                     \
	"IGDPT-KMSG [    0.000000] Linux version 6.1.0-56-amd64\n"                    \
	"IGDPT-KMSG [    3.302270] " SETUP "graphic opregion physical addr: 0x7ffe000\n" \
	"IGDPT-KMSG [    3.302715] " SETUP "ACPI OpRegion version 2.0.0\n"            \
	"IGDPT-KMSG [    3.303623] " SETUP "Found valid VBT in ACPI OpRegion (Mailbox #4)\n"

static const char serial_ok[] = PROBE_OK KMSG_OK;

#define START "{\"event\":\"start\",\"t\":0,\"function\":\"igd\",\"device_id\":\"0x5916\"," \
	      "\"generation\":9,\"class\":\"0x0300\",\"strategy\":\"4b\",\"image_size\":8192}\n"
#define ASLS_OK "{\"event\":\"asls_write\",\"t\":1.5,\"function\":\"igd\",\"value\":\"0x7ffe000\"," \
		"\"guest_copy\":\"identical\"}\n"
#define FINAL_HEAD "{\"event\":\"final\",\"t\":15.2,\"asls\":\"0x7ffe000\",\"guest_copy\":\"differs\"," \
		   "\"differs_at\":\"0x100\",\"opregion_writes\":[{\"field\":\"ACPI.DRDY\"," \
		   "\"offset\":\"0x100\",\"published\":\"0x0\",\"guest\":\"0x1\"},{\"field\":" \
		   "\"ACPI.DIDL\",\"offset\":\"0x120\",\"guest\":[\"0x300\",\"0x301\"]}"

static const char device_driver_writes[] =
	START ASLS_OK FINAL_HEAD "],\"opregion_writes_unnamed\":0,\"host_image_unchanged\":true}\n";
static const char device_stray_write[] =
	START ASLS_OK FINAL_HEAD ",{\"field\":\"unnamed\",\"offset\":\"0x400\",\"size\":2}],"
	"\"opregion_writes_unnamed\":1,\"host_image_unchanged\":true}\n";
static const char firmware_log[] = "Intel IGD OpRegion enabled at 0x07ffe000, size 8KB, dev "
				   "00:02.0\n";

/* A finished Linux run as vm_evidence_collect() would gather it. */
static void judge(const char *device_log, const char *serial, struct vm_evidence *ev,
		  struct vm_report *r)
{
	struct vm_options o = { .guest = VM_GUEST_LINUX, .machine = "pc", .generation = 9,
				.pci_class = 0x0300, .strategy = IGDPT_VMM_4B, .timeout = 300 };
	struct vm_image img = { .published_len = 8192 };

	vm_evidence_init(ev, &o, &img);
	ev->ran = true;
	ev->qemu.exited = true;
	ev->qemu.exit_code = VM_DEBUG_EXIT_PASS;
	ev->device.exited = true;
	ev->published_unchanged = true;
	vm_device_log_parse(device_log, strlen(device_log), &ev->dev);
	vm_seabios_log_parse(firmware_log, strlen(firmware_log), &ev->seabios);
	if (vm_probe_line_parse(serial, strlen(serial), &ev->probe, NULL, 0) < 0)
		ev->probe = NULL;
	vm_linux_collect(&ev->linux_evidence, serial, strlen(serial), device_log,
			 strlen(device_log));
	vm_report_init(r, true);
	vm_report_set(r, VM_STAGE_VALIDATED, VM_STATE_OK, "valid");
	vm_report_set(r, VM_STAGE_PUBLISHED, VM_STATE_OK, "published");
	vm_judge_run(r, ev);
}

static void test_driver_writes_pass(void **state)
{
	struct vm_evidence ev;
	struct vm_report r;

	(void)state;
	judge(device_driver_writes, serial_ok, &ev, &r);
	assert_int_equal(r.count, VM_STAGE_COUNT);
	assert_int_equal(r.stages[VM_STAGE_COPY].state, VM_STATE_OK);
	assert_non_null(strstr(r.stages[VM_STAGE_COPY].detail, "identical at the ASLS write"));
	assert_int_equal(ev.linux_evidence.nwrites, 2);
	assert_int_equal(ev.linux_evidence.unnamed, 0);
	assert_string_equal(ev.linux_evidence.write_names, "ACPI.DRDY, ACPI.DIDL");
	assert_int_equal(r.stages[VM_STAGE_I915_AGREES].state, VM_STATE_OK);
	assert_non_null(strstr(r.stages[VM_STAGE_I915_AGREES].detail,
			       "both \"ok\", VBT from mailbox4"));
	assert_int_equal(r.stages[VM_STAGE_DRIVER_WRITES].state, VM_STATE_OK);
	assert_true(vm_report_passed(&r));
	vm_evidence_free(&ev);
}

static void test_stray_write_fails(void **state)
{
	struct vm_evidence ev;
	struct vm_report r;

	(void)state;
	judge(device_stray_write, serial_ok, &ev, &r);
	assert_int_equal(r.stages[VM_STAGE_COPY].state, VM_STATE_FAIL);
	assert_int_equal(ev.linux_evidence.unnamed, 1);
	assert_int_equal(r.stages[VM_STAGE_DRIVER_WRITES].state, VM_STATE_FAIL);
	assert_false(vm_report_passed(&r));
	vm_evidence_free(&ev);
}

static void test_no_final_event(void **state)
{
	struct vm_evidence ev;
	struct vm_report r;

	(void)state;
	judge(START ASLS_OK "{\"event\":\"final\",\"t\":1,broken\n", serial_ok, &ev, &r);
	assert_false(ev.linux_evidence.final_seen);
	assert_int_equal(r.stages[VM_STAGE_DRIVER_WRITES].state, VM_STATE_FAIL);
	assert_string_equal(r.stages[VM_STAGE_DRIVER_WRITES].detail,
			    "the device wrote no final event");
	vm_evidence_free(&ev);
}

/* The probe predicts a rejection that i915 did not make, and the reverse. */
static void test_disagreement(void **state)
{
	static const char serial_rvda[] =
		"IGDPT-PROBE {\"probe\":\"linux\",\"verdict\":\"pass\",\"asls\":\"0x07ffe000\","
		"\"i915\":{\"verdict\":\"ok\",\"vbt_source\":\"rvda\"}}\n" KMSG_OK;
	static const char serial_invalid[] =
		"IGDPT-PROBE {\"probe\":\"linux\",\"verdict\":\"fail\",\"i915\":{\"verdict\":"
		"\"invalid-vbt\",\"vbt_source\":\"none\"}}\n" KMSG_OK;
	struct vm_evidence ev;
	struct vm_report r;

	(void)state;
	judge(device_driver_writes, serial_rvda, &ev, &r);
	assert_int_equal(r.stages[VM_STAGE_I915_AGREES].state, VM_STATE_FAIL);
	assert_string_equal(r.stages[VM_STAGE_I915_AGREES].detail,
			    "igdpt probe predicts the VBT from rvda, i915 took mailbox4");
	vm_evidence_free(&ev);

	judge(device_driver_writes, serial_invalid, &ev, &r);
	assert_int_equal(r.stages[VM_STAGE_I915_AGREES].state, VM_STATE_FAIL);
	assert_string_equal(r.stages[VM_STAGE_I915_AGREES].detail,
			    "igdpt probe predicts i915 \"invalid-vbt\", i915 did \"ok\"");
	vm_evidence_free(&ev);

	/* No kernel log at all: nothing to agree with. */
	judge(device_driver_writes, PROBE_OK, &ev, &r);
	assert_int_equal(r.stages[VM_STAGE_I915_AGREES].state, VM_STATE_FAIL);
	assert_string_equal(r.stages[VM_STAGE_I915_AGREES].detail,
			    "no kernel log on the serial console");
	vm_evidence_free(&ev);
}

/* --json: the Linux stages and what i915 said. */
static void test_json(void **state)
{
	struct vm_options o = { .guest = VM_GUEST_LINUX, .kernel = "trixie", .machine = "pc",
				.generation = 9, .pci_class = 0x0300, .strategy = IGDPT_VMM_4B };
	struct vm_image img = { .published_len = 8192, .source = "reference" };
	struct vm_programs p = { 0 };
	struct json_object *doc, *gd, *stages;
	struct vm_evidence ev;
	struct vm_report r;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	(void)state;
	judge(device_driver_writes, serial_ok, &ev, &r);
	mem = open_memstream(&text, &len);
	assert_int_equal(vm_output_json(mem, &o, &r, &img, &p, &ev, true), 0);
	fclose(mem);
	doc = json_tokener_parse(text);
	assert_non_null(doc);
	assert_string_equal(vm_json_string(doc, "kind"), "vm");
	assert_string_equal(vm_json_string(doc, "guest"), "linux");
	assert_string_equal(vm_json_string(doc, "guest_kernel"), "trixie");
	assert_string_equal(vm_json_string(doc, "asls"), "0x07ffe000");
	assert_string_equal(vm_json_string(doc, "probe.probe"), "linux");
	stages = json_object_object_get(doc, "stages");
	assert_int_equal(json_object_array_length(stages), VM_STAGE_COUNT);
	assert_string_equal(vm_json_string(json_object_array_get_idx(stages, VM_STAGE_COUNT - 1),
					   "name"),
			    "guest driver writes");
	gd = json_object_object_get(doc, "guest_driver");
	assert_string_equal(vm_json_string(gd, "verdict"), "ok");
	assert_string_equal(vm_json_string(gd, "vbt_source"), "mailbox4");
	assert_string_equal(vm_json_string(gd, "opregion_addr"), "0x07ffe000");
	assert_int_equal(json_object_array_length(json_object_object_get(gd,
									 IGDPT_EV_OPREGION_WRITES)),
			 2);
	assert_string_equal(vm_json_string(doc, "device_log.asls_write.value"), "0x07ffe000");
	json_object_put(doc);
	free(text);
	vm_evidence_free(&ev);

	/* The text header names the kernel too. */
	text = NULL;
	mem = open_memstream(&text, &len);
	vm_output_header(mem, &o, &img);
	fclose(mem);
	assert_non_null(strstr(text, "igdpt vm: seabios + Linux 6.12 (Debian 13 trixie), pc, "));
	free(text);
}

/* 6.12 on gen 12 with a VBT that lists port C: explained, the stage holds;
 * any other WARNING fails it. */
static void judge_warning(const char *warning_lines, struct vm_evidence *ev, struct vm_report *r)
{
	char text[2048];

	snprintf(text, sizeof(text), "%s"
		 "IGDPT-KMSG [    3.1] i915 0000:00:02.0: [drm:intel_bios_init [i915]] Port C VBT "
		 "info: CRT:0 DVI:1 HDMI:1 DP:0 eDP:0\n%s", serial_ok, warning_lines);
	judge(device_driver_writes, text, ev, r);
}

static void test_explained_warning_passes(void **state)
{
	const struct vm_stage *agree;
	struct vm_evidence ev;
	struct vm_report r;

	(void)state;
	judge_warning("IGDPT-KMSG [    3.4] i915 0000:00:02.0: [drm] Platform does not support "
		      "port C\n"
		      "IGDPT-KMSG [    3.4] WARNING: CPU: 0 PID: 141 at drivers/gpu/drm/i915/"
		      "display/intel_display.c:7791 assert_port_valid+0x58/0x70 [i915]\n", &ev, &r);
	agree = &r.stages[VM_STAGE_I915_AGREES];
	assert_int_equal(agree->state, VM_STATE_OK);
	assert_non_null(strstr(agree->detail, "the VBT lists port C, which this platform lacks"));
	assert_true(vm_report_passed(&r));
	vm_evidence_free(&ev);

	judge_warning("IGDPT-KMSG [    3.7] i915 0000:00:02.0: [drm] *ERROR* Port D/TC#1: timeout "
		      "waiting for PHY ready\n", &ev, &r);
	assert_int_equal(agree->state, VM_STATE_FAIL);
	assert_non_null(strstr(agree->detail, "1 WARNING / *ERROR* line(s) the OpRegion does "
					      "not explain, first: i915 0000:00:02.0: [drm] "
					      "*ERROR* Port D/TC#1"));
	assert_false(vm_report_passed(&r));
	vm_evidence_free(&ev);
}

static void test_kernels(void **state)
{
	struct vm_linux_paths p;
	char names[64];

	(void)state;
	assert_non_null(vm_linux_kernel_find("bookworm"));
	assert_non_null(vm_linux_kernel_find("trixie"));
	assert_non_null(vm_linux_kernel_find(VM_LINUX_DEFAULT_KERNEL));
	assert_null(vm_linux_kernel_find("sid"));
	assert_null(vm_linux_kernel_find(""));
	vm_linux_kernel_names(names, sizeof(names));
	assert_string_equal(names, "bookworm|trixie");
	vm_linux_kernel_names(names, 5); /* truncated, like snprintf */
	assert_string_equal(names, "book");
	vm_linux_paths("trixie", "/usr/lib/igdpt", false, &p);
	assert_string_equal(p.kernel_rel, "guest-linux/trixie/vmlinux");
	assert_string_equal(p.initrd_rel, "guest-linux/trixie/initrd.img");
	assert_string_equal(p.kernel_installed, "/usr/lib/igdpt/guest-linux/trixie/vmlinux");
	assert_string_equal(p.initrd_installed, "/usr/lib/igdpt/guest-linux/trixie/initrd.img");
	/* OVMF boots the package's bzImage through its EFI stub. */
	vm_linux_paths("bookworm", "/usr/lib/igdpt", true, &p);
	assert_string_equal(p.kernel_rel, "guest-linux/bookworm/vmlinuz");
	assert_string_equal(p.initrd_rel, "guest-linux/bookworm/initrd.img");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_driver_writes_pass),
		cmocka_unit_test(test_stray_write_fails),
		cmocka_unit_test(test_no_final_event),
		cmocka_unit_test(test_disagreement),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_explained_warning_passes),
		cmocka_unit_test(test_kernels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
