/* SPDX-License-Identifier: MIT */
/* Unit tests for the i915 kernel-log parser of `igdpt vm --guest linux`
 * (tools/vm/vm_log_i915.c), with the stage's agreement check
 * (vm_i915_agrees(), vm_stages.c) and the guest_driver JSON
 * (vm_output_i915_json(), vm_output.c) built on it: on real excerpts of
 * Debian bookworm's 6.1 and trixie's 6.12 booted under igdpt-device
 * (tests/vm/i915-logs/, cut by its excerpt.py), and on synthetic forms of
 * the lines intel_opregion.c / intel_bios.c print. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vm_log_i915.h"
#include "vm_log_probe.h"
#include "vm_output.h"
#include "vm_stages.h"

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
	struct json_object *obj;
	char why[256];

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
	assert_int_equal(log.vbt_source, VM_I915_VBT_MAILBOX4);
	assert_string_equal(log.vbt_signature, "$VBT KABYLAKE");
	assert_int_equal(log.bdb_version, 221);
	assert_int_equal(log.nports, 4);
	assert_memory_equal(log.ports, "ABCD", 4);
	assert_int_equal(log.outputs, 5);
	/* The unprefixed console *ERROR* is not part of dmesg. */
	assert_int_equal(log.errors, 0);
	assert_int_equal(log.warnings, 0);
	assert_string_equal(igdpt_probe_i915_name(vm_i915_verdict(&log)), "ok");

	assert_int_equal(vm_probe_line_parse(serial_mailbox4, strlen(serial_mailbox4), &obj, NULL, 0),
			 0);
	assert_true(vm_i915_agrees(&log, obj, why, sizeof(why)));
	assert_string_equal(why, "both \"ok\", VBT from mailbox4");
	json_object_put(obj);
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
	assert_int_equal(log.vbt_source, VM_I915_VBT_RVDA);
	assert_string_equal(log.vbt_signature, "$VBT TIGERLAKE");
	assert_int_equal(log.bdb_version, 240);
	assert_int_equal(log.outputs, 12);
	assert_int_equal(log.lines, 10);
	assert_string_equal(igdpt_probe_i915_name(vm_i915_verdict(&log)), "ok");
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
	struct json_object *probe, *obj, *tries;
	char why[256];

	(void)state;
	vm_i915_log_parse(kmsg_invalid_rvda, strlen(kmsg_invalid_rvda), &log);
	assert_int_equal(log.ntries, 3);
	assert_int_equal(log.tries[0].source, VM_I915_VBT_RVDA);
	assert_int_equal(log.tries[0].result, VM_I915_TRY_INVALID);
	assert_string_equal(log.tries[0].reason, "");
	assert_int_equal(log.tries[1].source, VM_I915_VBT_PCI_ROM);
	assert_int_equal(log.tries[1].result, VM_I915_TRY_NONE);
	assert_int_equal(log.tries[2].source, VM_I915_VBT_DEFAULT);
	assert_int_equal(log.vbt_source, VM_I915_VBT_NONE);
	assert_string_equal(igdpt_probe_i915_name(vm_i915_verdict(&log)), "invalid-vbt");
	assert_int_equal(log.errors, 1);
	assert_int_equal(log.warnings, 1);
	assert_int_equal(log.explained, 0);
	assert_int_equal(vm_i915_unexplained(&log), 2);
	assert_int_equal(log.nproblems, 2);
	assert_string_equal(log.problems[0].line, I915 "[drm] *ERROR* Failed to disable SAGV (-110)");
	assert_string_equal(vm_i915_first_unexplained(&log), log.problems[0].line);
	assert_non_null(strstr(log.problems[1].line, "WARNING: CPU: 0"));

	probe = json_tokener_parse("{\"i915\":{\"verdict\":\"invalid-vbt\",\"vbt_source\":\"none\"}}");
	assert_true(vm_i915_agrees(&log, probe, why, sizeof(why)));
	json_object_put(probe);
	probe = json_tokener_parse("{\"i915\":{\"verdict\":\"ok\",\"vbt_source\":\"rvda\"}}");
	assert_false(vm_i915_agrees(&log, probe, why, sizeof(why)));
	assert_string_equal(why, "igdpt probe predicts i915 \"ok\", i915 did \"invalid-vbt\"");
	json_object_put(probe);

	obj = vm_output_i915_json(&log);
	assert_string_equal(json_object_get_string(json_object_object_get(obj, "vbt_reason")),
			    "RVDA invalid, then PCI ROM none, then default VBT (Failed to find VBIOS "
			    "tables (VBT))");
	assert_string_equal(json_object_get_string(json_object_object_get(obj, "vbt_source")),
			    "none");
	tries = json_object_object_get(obj, "vbt_sources");
	assert_int_equal(json_object_array_length(tries), 3);
	assert_string_equal(json_object_get_string(json_object_object_get(
				    json_object_array_get_idx(tries, 1), "source")), "pci-rom");
	assert_int_equal(json_object_get_int(json_object_object_get(obj, "errors")), 1);
	assert_int_equal(json_object_get_int(json_object_object_get(obj, "unexplained")), 2);
	json_object_put(obj);
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
	struct json_object *probe;
	char why[256];

	(void)state;
	vm_i915_log_parse(none, strlen(none), &log);
	assert_true(log.has_opregion_addr);
	assert_int_equal(log.opregion_addr, 0);
	assert_string_equal(igdpt_probe_i915_name(vm_i915_verdict(&log)), "no-opregion");
	probe = json_tokener_parse("{\"verdict\":\"no-opregion\",\"i915\":{\"verdict\":"
				   "\"no-opregion\",\"vbt_source\":\"none\"}}");
	assert_true(vm_i915_agrees(&log, probe, why, sizeof(why)));
	json_object_put(probe);

	vm_i915_log_parse(bad_sig, strlen(bad_sig), &log);
	assert_string_equal(igdpt_probe_i915_name(vm_i915_verdict(&log)), "signature-mismatch");
	assert_false(log.has_version);
}

static void test_broken_vbt_and_v3(void **state)
{
	static const char text[] =
		"[ 3.1] " SETUP "ACPI OpRegion version 3.0.0\n"
		"[ 3.1] " I915 "[drm] *ERROR* SWSCI Mailbox #2 present for opregion v3.x, ignoring\n"
		"[ 3.1] " I915 "[drm:intel_bios_is_valid_vbt [i915]] VBT invalid signature\n"
		"[ 3.1] " SETUP "Invalid VBT in ACPI OpRegion (Mailbox #4)\n"
		"[ 3.1] " I915 "[drm:intel_bios_is_valid_vbt [i915]] BDB incomplete\n"
		"[ 3.1] " I915 "[drm] Failed to find VBIOS tables (VBT)";
	struct vm_i915_log log;
	struct json_object *obj;

	(void)state;
	vm_i915_log_parse(text, strlen(text), &log); /* no final newline */
	assert_int_equal(log.major, 3);
	assert_true(log.swsci_ignored);
	assert_false(log.swsci);
	assert_int_equal(log.errors, 1);
	assert_int_equal(log.explained, 1);
	assert_int_equal(vm_i915_unexplained(&log), 0);
	assert_null(vm_i915_first_unexplained(&log));
	assert_string_equal(igdpt_probe_i915_name(vm_i915_verdict(&log)), "invalid-vbt");
	/* A reason no "Invalid VBT" line claimed is the PCI ROM's. */
	obj = vm_output_i915_json(&log);
	assert_string_equal(json_object_get_string(json_object_object_get(obj, "vbt_reason")),
			    "Mailbox #4 invalid (VBT invalid signature), then PCI ROM none (BDB "
			    "incomplete), then default VBT (Failed to find VBIOS tables (VBT))");
	assert_int_equal(json_object_array_length(json_object_object_get(obj, "explained")), 1);
	json_object_put(obj);
}

/* The OpRegion explains drm_WARN's "Platform does not support port X" only
 * for a port its VBT lists, and only for the WARNING right after it. */
static void test_explained_port(void **state)
{
	static const char text[] =
		"[ 3.0] " BIOS "Port C VBT info: CRT:0 DVI:1 HDMI:1 DP:0 eDP:0\n"
		"[ 3.1] " I915 "[drm] Platform does not support port C\n"
		"[ 3.1] WARNING: CPU: 0 PID: 141 at drivers/gpu/drm/i915/display/intel_display.c:7791 "
		"assert_port_valid+0x58/0x70 [i915]\n"
		"[ 3.2] " I915 "[drm] Platform does not support port H\n"
		"[ 3.2] WARNING: CPU: 0 PID: 141 at drivers/gpu/drm/i915/display/intel_display.c:7791 "
		"assert_port_valid+0x58/0x70 [i915]\n"
		"[ 3.3] " I915 "[drm] Platform does not support port C\n"
		"[ 3.3] ------------[ cut here ]------------\n"
		"[ 3.3] WARNING: CPU: 0 PID: 141 at drivers/gpu/drm/i915/display/intel_display.c:7791 "
		"assert_port_valid+0x58/0x70 [i915]\n";
	struct vm_i915_log log;

	(void)state;
	vm_i915_log_parse(text, strlen(text), &log);
	assert_int_equal(log.warnings, 3);
	assert_int_equal(log.explained, 1);
	assert_string_equal(log.problems[0].because,
			    "the VBT lists port C, which this platform lacks");
	assert_string_equal(log.problems[1].because, "");
	assert_string_equal(log.problems[2].because, "");
	assert_string_equal(vm_i915_first_unexplained(&log), log.problems[1].line);
}

/* The VBT from the PCI ROM: i915's verdict on the OpRegion is still
 * invalid-vbt; the probe must predict the ROM as the source. */
static void test_pci_rom_agreement(void **state)
{
	static const char text[] =
		"[ 8.2] " I915 "[drm:intel_bios_is_valid_vbt [i915]] VBT invalid signature\n"
		"[ 8.2] " SETUP "ACPI OpRegion version 2.0.0\n"
		"[ 8.2] " SETUP "Invalid VBT in ACPI OpRegion (Mailbox #4)\n"
		"[ 8.3] " I915 "[drm:intel_bios_init [i915]] Found valid VBT in PCI ROM\n";
	struct vm_i915_log log;
	struct json_object *probe;
	char why[256];

	(void)state;
	vm_i915_log_parse(text, strlen(text), &log);
	assert_string_equal(igdpt_probe_i915_name(vm_i915_verdict(&log)), "invalid-vbt");
	assert_int_equal(log.vbt_source, VM_I915_VBT_PCI_ROM);
	probe = json_tokener_parse("{\"i915\":{\"verdict\":\"invalid-vbt\",\"vbt_source\":"
				   "\"pci-rom\"}}");
	assert_true(vm_i915_agrees(&log, probe, why, sizeof(why)));
	assert_string_equal(why, "both \"invalid-vbt\", VBT from pci-rom");
	json_object_put(probe);
	/* A probe that predicts no VBT disagrees with i915 finding one. */
	probe = json_tokener_parse("{\"i915\":{\"verdict\":\"invalid-vbt\",\"vbt_source\":"
				   "\"none\"}}");
	assert_false(vm_i915_agrees(&log, probe, why, sizeof(why)));
	assert_string_equal(why, "igdpt probe predicts the VBT from none, i915 took pci-rom");
	json_object_put(probe);
}

static void test_nothing(void **state)
{
	static const char text[] = "IGDPT-GUEST insmod i915 failed\n\0garbage\xff\n";
	struct vm_i915_log log;
	struct json_object *probe = json_tokener_parse("{\"i915\":{\"verdict\":\"ok\"}}");
	char why[256];

	(void)state;
	vm_i915_log_parse(text, sizeof(text) - 1, &log);
	assert_string_equal(igdpt_probe_i915_name(vm_i915_verdict(&log)), "not-run");
	assert_int_equal(log.bdb_version, -1);
	assert_int_equal(log.outputs, -1);
	assert_false(vm_i915_agrees(&log, probe, why, sizeof(why)));
	assert_string_equal(why, "i915 logged no OpRegion setup (driver not loaded?)");
	assert_false(vm_i915_agrees(&log, NULL, NULL, 0));
	vm_i915_log_parse("", 0, &log);
	assert_int_equal(log.lines, 0);
	json_object_put(probe);
}

/* Real logs: what each kernel said about each case, and how the parser
 * reads it. Both kernels must tell the same VBT story; only 6.12 on gen 12
 * adds a WARNING, which the reference VBT (a Kaby Lake layout with port C)
 * explains. */
#define ROM_NONE "PCI ROM none (Invalid PCI ROM data signature: expecting 0x52494350, got " \
		 "0xcb03aa55), then default VBT (Failed to find VBIOS tables (VBT))"
static const struct {
	const char *file; /* tests/vm/i915-logs/KERNEL-FILE.log */
	const char *verdict, *source, *story;
	const char *ports;
	int outputs, bdb;
	unsigned problems[2]; /* bookworm, trixie: WARNING + *ERROR* lines */
	unsigned explained[2];
} real_logs[] = {
	{ "reference-gen9", "ok", "mailbox4", "Mailbox #4 valid", "ABCD", 5, 221, { 0, 0 }, { 0, 0 } },
	{ "reference-gen12", "ok", "mailbox4", "Mailbox #4 valid", "ABCD", 4, 221, { 0, 1 }, { 0, 1 } },
	{ "extended-vbt-2.1", "ok", "rvda", "RVDA valid", "ABDEFG", 5, 237, { 0, 0 }, { 0, 0 } },
	{ "swsci-on-v3", "ok", "mailbox4", "Mailbox #4 valid", "ABCD", 5, 221, { 1, 1 }, { 1, 1 } },
	{ "v2.0-rvda-rejected", "invalid-vbt", "none",
	  "RVDA invalid (VBT invalid signature), then Mailbox #4 invalid (VBT invalid signature), "
	  "then " ROM_NONE, NULL, 6, -1, { 0, 0 }, { 0, 0 } },
	{ "vbt-size-overflow", "invalid-vbt", "none",
	  "Mailbox #4 invalid (VBT incomplete (vbt_size overflows)), then " ROM_NONE, NULL, 6, -1,
	  { 0, 0 }, { 0, 0 } },
	{ "no-opregion", "no-opregion", "none",
	  "no OpRegion (ACPI OpRegion not supported!), then " ROM_NONE, NULL, -1, -1, { 0, 0 },
	  { 0, 0 } },
	{ "bad-signature", "signature-mismatch", "none",
	  "OpRegion rejected (opregion signature mismatch), then " ROM_NONE, NULL, -1, -1, { 0, 0 },
	  { 0, 0 } },
	/* An OpRegion without a VBT; then with a video BIOS from a corpus VBT
	 * served as the IGD's ROM (igdpt vm --rom), shadowed at 0xC0000. */
	{ "no-vbt", "invalid-vbt", "none", "Mailbox #4 invalid (VBT invalid signature), then " ROM_NONE,
	  NULL, 6, -1, { 0, 0 }, { 0, 0 } },
	{ "no-vbt-rom", "invalid-vbt", "pci-rom",
	  "Mailbox #4 invalid (VBT invalid signature), then PCI ROM valid", "ABCD", 5, 211, { 0, 0 },
	  { 0, 0 } },
};

static char *read_log(const char *kernel, const char *name, size_t *len)
{
	const char *root = getenv("IGDPT_SOURCE_ROOT");
	char path[PATH_MAX];
	char *buf = malloc(1 << 16);
	FILE *f;

	assert_non_null(root);
	assert_non_null(buf);
	snprintf(path, sizeof(path), "%s/tests/vm/i915-logs/%s-%s.log", root, kernel, name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: cannot open", path);
	*len = fread(buf, 1, (1 << 16) - 1, f);
	fclose(f);
	return buf;
}

static void test_real_logs(void **state)
{
	static const char *const kernels[] = { "bookworm", "trixie" };

	(void)state;
	for (size_t c = 0; c < sizeof(real_logs) / sizeof(real_logs[0]); c++) {
		char story[2][1024];

		for (unsigned k = 0; k < 2; k++) {
			struct vm_i915_log log;
			size_t len;
			char *text = read_log(kernels[k], real_logs[c].file, &len);

			vm_i915_log_parse(text, len, &log);
			free(text);
			print_message("%s-%s\n", kernels[k], real_logs[c].file);
			assert_true(log.kernel_started);
			assert_string_equal(igdpt_probe_i915_name(vm_i915_verdict(&log)),
					    real_logs[c].verdict);
			assert_string_equal(vm_i915_vbt_source_name(log.vbt_source), real_logs[c].source);
			vm_i915_vbt_story(&log, story[k], sizeof(story[k]));
			assert_string_equal(story[k], real_logs[c].story);
			if (real_logs[c].ports) {
				assert_int_equal(log.nports, strlen(real_logs[c].ports));
				assert_memory_equal(log.ports, real_logs[c].ports, log.nports);
			}
			assert_int_equal(log.outputs, real_logs[c].outputs);
			assert_int_equal(log.bdb_version, real_logs[c].bdb);
			assert_int_equal(log.warnings + log.errors, real_logs[c].problems[k]);
			assert_int_equal(log.explained, real_logs[c].explained[k]);
			assert_int_equal(vm_i915_unexplained(&log), 0);
		}
		/* The two kernels agree on every source. */
		assert_string_equal(story[0], story[1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mailbox4),
		cmocka_unit_test(test_rvda),
		cmocka_unit_test(test_invalid_rvda),
		cmocka_unit_test(test_no_opregion_and_signature),
		cmocka_unit_test(test_broken_vbt_and_v3),
		cmocka_unit_test(test_explained_port),
		cmocka_unit_test(test_real_logs),
		cmocka_unit_test(test_pci_rom_agreement),
		cmocka_unit_test(test_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
