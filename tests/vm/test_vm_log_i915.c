/* SPDX-License-Identifier: MIT */
/* Unit tests for the i915 kernel-log parser of `igdpt vm --guest linux`, on
 * log text as Debian bookworm's 6.1 kernel printed it under igdpt-device
 * (serial console with the guest's IGDPT-KMSG prefix), and on the failure
 * forms intel_opregion.c / intel_bios.c print. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vm_log_i915.h"

#define I915 "i915 0000:00:02.0: "
#define SETUP I915 "[drm:intel_opregion_setup [i915]] "
#define BIOS I915 "[drm:intel_bios_init [i915]] "

/* A reference-image boot (v2.0, VBT in mailbox 4), with console noise on the
 * first line and one unprefixed console line that must be ignored. */
static const char serial_mailbox4[] =
	"Probing EDD (edd=off to disable)... ok\x1b[2JIGDPT-GUEST start Linux version 6.1.0-56\n"
	"IGDPT-PROBE {\"probe\":\"linux\",\"verdict\":\"pass\",\"i915\":{\"verdict\":\"ok\","
	"\"vbt_source\":\"mailbox4\"}}\n"
	"[    4.3] i915 0000:00:02.0: [drm] *ERROR* console line, not from dmesg\n"
	"IGDPT-KMSG [    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)\n"
	"IGDPT-KMSG [    4.274980] " SETUP "graphic opregion physical addr: 0xfffe000\n"
	"IGDPT-KMSG [    4.275481] " SETUP "ACPI OpRegion version 2.0.0\n"
	"IGDPT-KMSG [    4.275698] " SETUP "Public ACPI methods supported\n"
	"IGDPT-KMSG [    4.275925] " SETUP "ASLE supported\n"
	"IGDPT-KMSG [    4.276115] " SETUP "ASLE extension supported\n"
	"IGDPT-KMSG [    4.276484] " SETUP "Found valid VBT in ACPI OpRegion (Mailbox #4)\n"
	"IGDPT-KMSG [    4.282087] " BIOS "VBT signature \"$VBT KABYLAKE       \", BDB version 221\r\n"
	"IGDPT-KMSG [    4.285471] " BIOS "Found VBT child device with type 0x78c6\n"
	"IGDPT-KMSG [    4.286904] " BIOS "Port A VBT info: CRT:0 DVI:0 HDMI:0 DP:1 eDP:1 DSI:0 "
	"LSPCON:0 USB-Type-C:0 TBT:0 DSC:0\n"
	"IGDPT-KMSG [    4.287103] " BIOS "Port A VBT HDMI level shift: 0\n"
	"IGDPT-KMSG [    4.287604] " BIOS "Port B VBT info: CRT:0 DVI:1 HDMI:1 DP:1 eDP:0 DSI:0 "
	"LSPCON:0 USB-Type-C:0 TBT:0 DSC:0\n"
	"IGDPT-KMSG [    4.288103] " BIOS "Port C VBT info: CRT:0 DVI:1 HDMI:1 DP:0 eDP:0 DSI:0 "
	"LSPCON:0 USB-Type-C:0 TBT:0 DSC:0\n"
	"IGDPT-KMSG [    4.288699] " BIOS "Port D VBT info: CRT:0 DVI:1 HDMI:1 DP:1 eDP:0 DSI:0 "
	"LSPCON:0 USB-Type-C:0 TBT:0 DSC:0\n"
	"IGDPT-KMSG [    5.294055] " I915 "[drm:intel_modeset_init_nogem [i915]] VBT says port E "
	"is not present\n"
	"IGDPT-KMSG [    5.839007] " I915 "[drm:intel_opregion_resume [i915]] 5 outputs detected\n"
	"IGDPT-KMSG [    8.887259] [drm] Initialized i915 1.6.0 20201103 for 0000:00:02.0 on minor 0\n"
	"IGDPT-GUEST done\n"
	"[    9.592636] reboot: Power down\n";

static void test_mailbox4(void **state)
{
	struct vm_i915_log log;

	(void)state;
	vm_i915_log_parse(serial_mailbox4, strlen(serial_mailbox4), &log);
	assert_true(log.kernel_started);
	assert_true(log.loaded);
	assert_true(log.has_opregion_addr);
	assert_int_equal(log.opregion_addr, 0xfffe000);
	assert_true(log.has_version);
	assert_int_equal(log.major, 2);
	assert_int_equal(log.minor, 0);
	assert_int_equal(log.revision, 0);
	assert_true(log.public_acpi);
	assert_false(log.swsci);
	assert_true(log.asle);
	assert_true(log.asle_ext);
	assert_int_equal(log.vbt_source, IGDPT_VBT_SOURCE_MAILBOX4);
	assert_string_equal(log.vbt_signature, "$VBT KABYLAKE");
	assert_int_equal(log.bdb_version, 221);
	assert_int_equal(log.nports, 4);
	assert_memory_equal(log.ports, "ABCD", 4);
	assert_int_equal(log.outputs, 5);
	/* The unprefixed console *ERROR* is not part of dmesg. */
	assert_int_equal(log.errors, 0);
	assert_int_equal(log.warnings, 0);
	assert_int_equal(vm_i915_verdict(&log), IGDPT_PROBE_I915_OK);
}

/* A v2.1 image with an extended VBT, the SWSCI mailbox still advertised,
 * and a plain (unprefixed) kernel log. */
static const char kmsg_rvda[] =
	"[    3.30] " SETUP "graphic opregion physical addr: 0xffdc000\n"
	"[    3.30] " SETUP "ACPI OpRegion version 2.1.0\n"
	"[    3.30] " SETUP "Public ACPI methods supported\n"
	"[    3.30] " SETUP "SWSCI Mailbox #2 present for opregion v2.x\n"
	"[    3.31] " I915 "[drm:swsci_setup [i915]] SWSCI GBDA callbacks 00000001, SBCB callbacks "
	"00000001\n"
	"[    3.31] " SETUP "SWSCI supported\n"
	"[    3.31] " SETUP "ASLE supported\n"
	"[    3.31] " SETUP "Found valid VBT in ACPI OpRegion (RVDA)\n"
	"[    3.32] " BIOS "VBT signature \"$VBT TIGERLAKE      \", BDB version 240\n"
	"[    5.80] " I915 "[drm:intel_opregion_resume [i915]] 12 outputs detected\n";

static void test_rvda(void **state)
{
	struct vm_i915_log log;

	(void)state;
	vm_i915_log_parse(kmsg_rvda, strlen(kmsg_rvda), &log);
	assert_int_equal(log.opregion_addr, 0xffdc000);
	assert_int_equal(log.minor, 1);
	assert_true(log.swsci_mailbox);
	assert_true(log.swsci);
	assert_false(log.asle_ext);
	assert_int_equal(log.vbt_source, IGDPT_VBT_SOURCE_RVDA);
	assert_string_equal(log.vbt_signature, "$VBT TIGERLAKE");
	assert_int_equal(log.bdb_version, 240);
	assert_int_equal(log.outputs, 12);
	assert_int_equal(log.lines, 10);
	assert_int_equal(vm_i915_verdict(&log), IGDPT_PROBE_I915_OK);
}

/* 2.0 with RVDA set: i915 takes RVDA as a physical address and gives up on
 * the VBT; the probe disagreeing on the source must be caught. */
static const char kmsg_invalid_rvda[] =
	"IGDPT-KMSG [    3.3] " SETUP "graphic opregion physical addr: 0xfffe000\n"
	"IGDPT-KMSG [    3.3] " SETUP "ACPI OpRegion version 2.0.0\n"
	"IGDPT-KMSG [    3.3] " SETUP "Invalid VBT in ACPI OpRegion (RVDA)\n"
	"IGDPT-KMSG [    3.3] " I915 "[drm] Failed to find VBIOS tables (VBT)\n"
	"IGDPT-KMSG [    3.4] " I915 "[drm] *ERROR* Failed to disable SAGV (-110)\n"
	"IGDPT-KMSG [    3.4] WARNING: CPU: 0 PID: 104 at drivers/gpu/drm/i915/display/"
	"skl_watermark.c:115 skl_wm_init+0xf3/0x520 [i915]\n";

static void test_invalid_rvda(void **state)
{
	struct vm_i915_log log;

	(void)state;
	vm_i915_log_parse(kmsg_invalid_rvda, strlen(kmsg_invalid_rvda), &log);
	assert_true(log.invalid_rvda);
	assert_true(log.vbt_not_found);
	assert_int_equal(log.vbt_source, IGDPT_VBT_SOURCE_NONE);
	assert_int_equal(vm_i915_verdict(&log), IGDPT_PROBE_I915_INVALID_VBT);
	assert_int_equal(log.errors, 1);
	assert_int_equal(log.warnings, 1);
	assert_int_equal(log.nproblems, 2);
	assert_string_equal(log.problems[0], I915 "[drm] *ERROR* Failed to disable SAGV (-110)");
	assert_non_null(strstr(log.problems[1], "WARNING: CPU: 0"));
}

static void test_no_opregion_and_signature(void **state)
{
	static const char none[] =
		"IGDPT-KMSG [ 3.1] " SETUP "graphic opregion physical addr: 0x0\n"
		"IGDPT-KMSG [ 3.1] " SETUP "ACPI OpRegion not supported!\n";
	static const char bad_sig[] =
		"IGDPT-KMSG [ 3.1] " SETUP "graphic opregion physical addr: 0xfffe000\n"
		"IGDPT-KMSG [ 3.1] " SETUP "opregion signature mismatch\n";
	struct vm_i915_log log;

	(void)state;
	vm_i915_log_parse(none, strlen(none), &log);
	assert_true(log.has_opregion_addr);
	assert_int_equal(log.opregion_addr, 0);
	assert_int_equal(vm_i915_verdict(&log), IGDPT_PROBE_I915_NO_OPREGION);

	vm_i915_log_parse(bad_sig, strlen(bad_sig), &log);
	assert_int_equal(vm_i915_verdict(&log), IGDPT_PROBE_I915_SIGNATURE_MISMATCH);
	assert_false(log.has_version);
}

static void test_broken_vbt_and_v3(void **state)
{
	static const char text[] =
		"[ 3.1] " SETUP "ACPI OpRegion version 3.0.0\n"
		"[ 3.1] " I915 "[drm] *ERROR* SWSCI Mailbox #2 present for opregion v3.x, ignoring\n"
		"[ 3.1] " I915 "[drm:intel_bios_is_valid_vbt [i915]] VBT invalid signature\n"
		"[ 3.1] " SETUP "Invalid VBT in ACPI OpRegion (Mailbox #4)\n"
		"[ 3.1] " I915 "[drm] Failed to find VBIOS tables (VBT)";
	struct vm_i915_log log;

	(void)state;
	vm_i915_log_parse(text, strlen(text), &log); /* no final newline */
	assert_int_equal(log.major, 3);
	assert_true(log.swsci_ignored);
	assert_false(log.swsci);
	assert_true(log.vbt_bad_signature);
	assert_true(log.invalid_mailbox4);
	assert_true(log.vbt_not_found);
	assert_int_equal(log.errors, 1);
	assert_int_equal(vm_i915_verdict(&log), IGDPT_PROBE_I915_INVALID_VBT);
}

static void test_nothing(void **state)
{
	static const char text[] = "IGDPT-GUEST insmod i915 failed\n\0garbage\xff\n";
	struct vm_i915_log log;

	(void)state;
	vm_i915_log_parse(text, sizeof(text) - 1, &log);
	assert_int_equal(vm_i915_verdict(&log), IGDPT_PROBE_I915_NOT_RUN);
	assert_int_equal(log.bdb_version, -1);
	assert_int_equal(log.outputs, -1);
	vm_i915_log_parse("", 0, &log);
	assert_int_equal(log.lines, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mailbox4),
		cmocka_unit_test(test_rvda),
		cmocka_unit_test(test_invalid_rvda),
		cmocka_unit_test(test_no_opregion_and_signature),
		cmocka_unit_test(test_broken_vbt_and_v3),
		cmocka_unit_test(test_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
