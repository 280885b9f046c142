/* SPDX-License-Identifier: MIT */
/* Unit tests for `igdpt vm --guest linux`'s judging: the copy is judged at
 * the ASLS write, a driver's mailbox writes pass, a write outside them
 * fails, and i915 must agree with igdpt probe and log no WARNING or
 * *ERROR* the OpRegion does not explain (device logs and kernel log lines
 * as a real run wrote them); the kernels a guest can boot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vm.h"
#include "vm_linux.h"

#define SETUP "i915 0000:00:02.0: [drm:intel_opregion_setup [i915]] "

static const char serial[] =
	"IGDPT-PROBE {\"probe\":\"linux\",\"verdict\":\"pass\",\"asls\":\"0x7ffe000\","
	"\"i915\":{\"verdict\":\"ok\",\"vbt_source\":\"mailbox4\"}}\n"
	"IGDPT-KMSG [    0.000000] Linux version 6.1.0-56-amd64\n"
	"IGDPT-KMSG [    3.302270] " SETUP "graphic opregion physical addr: 0x7ffe000\n"
	"IGDPT-KMSG [    3.302715] " SETUP "ACPI OpRegion version 2.0.0\n"
	"IGDPT-KMSG [    3.303623] " SETUP "Found valid VBT in ACPI OpRegion (Mailbox #4)\n";

#define ASLS_OK "{\"event\":\"asls_write\",\"t\":1.5,\"function\":\"igd\",\"value\":\"0x7ffe000\"," \
		"\"guest_copy\":\"identical\"}\n"
#define FINAL_HEAD "{\"event\":\"final\",\"t\":15.2,\"asls\":\"0x7ffe000\",\"guest_copy\":\"differs\"," \
		   "\"differs_at\":\"0x100\",\"opregion_writes\":[{\"field\":\"ACPI.DRDY\"," \
		   "\"offset\":\"0x100\",\"published\":\"0x0\",\"guest\":\"0x1\"},{\"field\":" \
		   "\"ACPI.DIDL\",\"offset\":\"0x120\",\"guest\":[\"0x300\",\"0x301\"]}"

static const char device_driver_writes[] =
	ASLS_OK FINAL_HEAD "],\"opregion_writes_unnamed\":0,\"host_image_unchanged\":true}\n";
static const char device_stray_write[] =
	ASLS_OK FINAL_HEAD ",{\"field\":\"unnamed\",\"offset\":\"0x400\",\"size\":2}],"
	"\"opregion_writes_unnamed\":1,\"host_image_unchanged\":true}\n";

static void run(const char *device_log, struct vm_linux_result *lr, struct vm_report *r,
		struct vm_device_log *dev)
{
	struct json_object *probe = NULL;

	memset(r, 0, sizeof(*r));
	vm_device_log_parse(device_log, strlen(device_log), dev);
	assert_int_equal(vm_probe_line_parse(serial, strlen(serial), &probe, NULL, 0), 0);
	/* vm_report_judge's verdict on a copy that differs at exit. */
	vm_report_set(r, VM_STAGE_COPY, VM_STATE_FAIL, "differs from the published image");
	vm_linux_collect(lr, serial, strlen(serial), device_log, strlen(device_log));
	vm_linux_judge(lr, r, dev, probe, true);
	json_object_put(probe);
}

static void test_driver_writes_pass(void **state)
{
	struct vm_linux_result lr;
	struct vm_device_log dev;
	struct vm_report r;
	struct json_object *gd;

	(void)state;
	run(device_driver_writes, &lr, &r, &dev);
	assert_int_equal(r.stages[VM_STAGE_COPY].state, VM_STATE_OK);
	assert_non_null(strstr(r.stages[VM_STAGE_COPY].detail, "identical at the ASLS write"));
	assert_int_equal(lr.nwrites, 2);
	assert_int_equal(lr.unnamed, 0);
	assert_string_equal(lr.write_names, "ACPI.DRDY, ACPI.DIDL");
	assert_int_equal(lr.agree.state, VM_STATE_OK);
	assert_int_equal(lr.writes_stage.state, VM_STATE_OK);
	assert_true(vm_linux_passed(&lr));

	gd = vm_linux_guest_driver_json(&lr);
	assert_string_equal(json_object_get_string(json_object_object_get(gd, "vbt_source")),
			    "mailbox4");
	assert_int_equal(json_object_array_length(json_object_object_get(gd, "opregion_writes")),
			 2);
	json_object_put(gd);
	vm_linux_result_free(&lr);
}

static void test_stray_write_fails(void **state)
{
	struct vm_linux_result lr;
	struct vm_device_log dev;
	struct vm_report r;

	(void)state;
	run(device_stray_write, &lr, &r, &dev);
	assert_int_equal(r.stages[VM_STAGE_COPY].state, VM_STATE_FAIL);
	assert_int_equal(lr.unnamed, 1);
	assert_int_equal(lr.writes_stage.state, VM_STATE_FAIL);
	assert_false(vm_linux_passed(&lr));
	vm_linux_result_free(&lr);
}

static void test_no_final_event(void **state)
{
	struct vm_linux_result lr;
	struct vm_device_log dev;
	struct vm_report r;

	(void)state;
	run(ASLS_OK "{\"event\":\"final\",\"t\":1,broken\n", &lr, &r, &dev);
	assert_false(lr.final_seen);
	assert_int_equal(lr.writes_stage.state, VM_STATE_FAIL);
	assert_string_equal(lr.writes_stage.detail, "the device wrote no final event");
	vm_linux_result_free(&lr);
}

/* 6.12 on gen 12 with a VBT that lists port C: explained, the stage holds;
 * any other WARNING fails it. */
static void judge_warning(const char *warning_lines, struct vm_linux_result *lr)
{
	char text[2048];
	struct json_object *probe = NULL;
	struct vm_device_log dev;
	struct vm_report r;

	memset(&r, 0, sizeof(r));
	snprintf(text, sizeof(text), "%s"
		 "IGDPT-KMSG [    3.1] i915 0000:00:02.0: [drm:intel_bios_init [i915]] Port C VBT "
		 "info: CRT:0 DVI:1 HDMI:1 DP:0 eDP:0\n%s", serial, warning_lines);
	vm_device_log_parse(device_driver_writes, strlen(device_driver_writes), &dev);
	assert_int_equal(vm_probe_line_parse(text, strlen(text), &probe, NULL, 0), 0);
	vm_linux_collect(lr, text, strlen(text), device_driver_writes,
			 strlen(device_driver_writes));
	vm_linux_judge(lr, &r, &dev, probe, true);
	json_object_put(probe);
}

static void test_explained_warning_passes(void **state)
{
	struct vm_linux_result lr;

	(void)state;
	judge_warning("IGDPT-KMSG [    3.4] i915 0000:00:02.0: [drm] Platform does not support "
		      "port C\n"
		      "IGDPT-KMSG [    3.4] WARNING: CPU: 0 PID: 141 at drivers/gpu/drm/i915/"
		      "display/intel_display.c:7791 assert_port_valid+0x58/0x70 [i915]\n", &lr);
	assert_int_equal(lr.agree.state, VM_STATE_OK);
	assert_non_null(strstr(lr.agree.detail, "the VBT lists port C, which this platform lacks"));
	vm_linux_result_free(&lr);

	judge_warning("IGDPT-KMSG [    3.7] i915 0000:00:02.0: [drm] *ERROR* Port D/TC#1: timeout "
		      "waiting for PHY ready\n", &lr);
	assert_int_equal(lr.agree.state, VM_STATE_FAIL);
	assert_non_null(strstr(lr.agree.detail, "1 WARNING / *ERROR* line(s) the OpRegion does "
						"not explain, first: i915 0000:00:02.0: [drm] "
						"*ERROR* Port D/TC#1"));
	assert_false(vm_linux_passed(&lr));
	vm_linux_result_free(&lr);
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
	vm_linux_paths("trixie", "/usr/lib/igdpt", &p);
	assert_string_equal(p.kernel_rel, "guest-linux/trixie/vmlinux");
	assert_string_equal(p.initrd_rel, "guest-linux/trixie/initrd.img");
	assert_string_equal(p.kernel_installed, "/usr/lib/igdpt/guest-linux/trixie/vmlinux");
	assert_string_equal(p.initrd_installed, "/usr/lib/igdpt/guest-linux/trixie/initrd.img");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_driver_writes_pass),
		cmocka_unit_test(test_stray_write_fails),
		cmocka_unit_test(test_no_final_event),
		cmocka_unit_test(test_explained_warning_passes),
		cmocka_unit_test(test_kernels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
