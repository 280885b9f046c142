/* SPDX-License-Identifier: MIT */
/* Unit tests for igdpt vm's log parsers: the device's event log (the names
 * of igdpt/abi/events.h), SeaBIOS's debug log and the probe's serial line
 * (igdpt/abi/probe_report.h), including truncated and hostile input. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "igdpt/abi/events.h"
#include "igdpt/abi/probe_report.h"
#include "tool_util.h"
#include "vm_log_device.h"
#include "vm_log_firmware.h"
#include "vm_log_probe.h"

/* A whole run as igdpt-device writes it (igdpt/abi/events.h), with a second function's start
 * and an unknown event a newer device might add. */
static const char device_log[] =
	"{\"event\":\"start\",\"t\":0.000,\"function\":\"igd\",\"device_id\":\"0x5916\","
	"\"generation\":9,\"class\":\"0x0300\",\"strategy\":\"4b\",\"image_size\":8192}\n"
	"{\"event\":\"start\",\"t\":0.001,\"function\":\"lpc\",\"device_id\":\"0xa149\"}\n"
	"{\"event\":\"sysmem\",\"t\":0.10,\"regions\":[{\"gpa\":\"0x0\",\"size\":\"0x8000000\"}]}\n"
	"{\"event\":\"ggc_write\",\"t\":0.2,\"value\":\"0x0\"}\n"
	"{\"event\":\"asls_write\",\"t\":0.21,\"value\":\"0x7fbe000\",\"guest_copy\":\"identical\"}\n"
	"{\"event\":\"bdsm_write\",\"t\":0.22,\"register\":\"0x5c\",\"value\":\"0x3f00000\"}\n"
	"{\"event\":\"swsci_write\",\"t\":0.3,\"value\":\"0x8001\"}\n"
	"{\"event\":\"mmio_read\",\"t\":0.31}\r\n"
	"\n"
	"{\"event\":\"closed\",\"t\":0.4,\"function\":\"igd\",\"reason\":\"peer closed\"}\n"
	"{\"event\":\"final\",\"t\":0.41,\"asls\":\"0x7fbe000\",\"guest_copy\":\"identical\","
	"\"host_image_unchanged\":true}\n";

static unsigned kind_count(const struct vm_device_log *log, const char *name)
{
	for (unsigned i = 0; i < log->nkinds; i++)
		if (!strcmp(log->kinds[i].name, name))
			return log->kinds[i].count;
	return 0;
}

static void test_device_log_full_run(void **state)
{
	struct vm_device_log log;

	(void)state;
	vm_device_log_parse(device_log, strlen(device_log), &log);
	assert_int_equal(log.lines, 10);
	assert_int_equal(log.bad_lines, 0);
	assert_true(log.started);
	assert_string_equal(log.device_id, "0x5916");
	assert_int_equal(log.generation, 9);
	assert_string_equal(log.pci_class, "0x0300");
	assert_string_equal(log.strategy, "4b");
	assert_int_equal(log.image_size, 8192);
	assert_true(log.sysmem);
	assert_int_equal(log.sysmem_regions, 1);
	assert_int_equal(log.asls_writes, 1);
	assert_int_equal(log.asls_value, 0x7fbe000);
	assert_string_equal(log.asls_guest_copy, IGDPT_EV_COPY_IDENTICAL);
	assert_false(log.asls_has_differs_at);
	assert_int_equal(log.bdsm_writes, 1);
	assert_string_equal(log.bdsm_register, "0x5c");
	assert_int_equal(log.bdsm_value, 0x3f00000);
	assert_int_equal(log.swsci_writes, 1);
	assert_int_equal(log.ggc_writes, 1);
	assert_true(log.closed);
	assert_string_equal(log.closed_reason, "peer closed");
	assert_true(log.final);
	assert_int_equal(log.final_asls, 0x7fbe000);
	assert_string_equal(log.final_guest_copy, IGDPT_EV_COPY_IDENTICAL);
	assert_true(log.final_has_unchanged);
	assert_true(log.final_host_image_unchanged);
	assert_int_equal(kind_count(&log, IGDPT_EV_START), 2);
	assert_int_equal(kind_count(&log, "mmio_read"), 1);
	assert_int_equal(kind_count(&log, IGDPT_EV_FINAL), 1);
}

static void test_device_log_differs_and_errors(void **state)
{
	static const char text[] =
		"{\"event\":\"asls_write\",\"t\":1,\"value\":\"0x1000\",\"guest_copy\":\"differs\","
		"\"differs_at\":\"0x10\"}\n"
		"{\"event\":\"protocol_error\",\"t\":1.5,\"function\":\"igd\",\"reason\":\"short "
		"header\"}\n"
		"{\"event\":\"protocol_error\",\"t\":1.6,\"reason\":\"second\"}\n"
		"not json at all\n"
		"[1,2,3]\n"
		"{\"t\":2}\n"
		"{\"event\":\"start\"} trailing\n"
		"{\"event\":\"final\",\"asls\":\"0x1000\",\"guest_copy\":\"differs\","
		"\"host_image_unchanged\":false";
	struct vm_device_log log;

	(void)state;
	vm_device_log_parse(text, strlen(text), &log);
	assert_int_equal(log.asls_writes, 1);
	assert_string_equal(log.asls_guest_copy, "differs");
	assert_true(log.asls_has_differs_at);
	assert_int_equal(log.asls_differs_at, 0x10);
	assert_int_equal(log.protocol_errors, 2);
	assert_string_equal(log.protocol_error, "short header");
	/* Four bad lines, and the final event cut off by a crash is not one. */
	assert_int_equal(log.bad_lines, 5);
	assert_false(log.final);
	assert_false(log.started);
}

static void test_device_log_empty_and_hostile(void **state)
{
	struct vm_device_log log;
	char *big;

	(void)state;
	vm_device_log_parse("", 0, &log);
	assert_int_equal(log.lines, 0);
	assert_int_equal(log.image_size, -1);
	assert_false(log.final);

	/* Not NUL-terminated, and an overlong device id is cut, not overflowed. */
	big = malloc(4096);
	assert_non_null(big);
	memset(big, 'x', 4096);
	memcpy(big, "{\"event\":\"start\",\"device_id\":\"", 30);
	memcpy(big + 4000, "\"}", 2);
	vm_device_log_parse(big, 4002, &log);
	assert_true(log.started);
	assert_int_equal(strlen(log.device_id), VM_TEXT_SMALL - 1);
	/* Many distinct event names: counted up to the table size, no overflow. */
	{
		char text[8192];
		size_t n = 0;

		for (int i = 0; i < 100; i++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "{\"event\":\"e%d\"}\n", i);
		vm_device_log_parse(text, n, &log);
		assert_int_equal(log.lines, 100);
		assert_int_equal(log.nkinds, VM_EVENT_KINDS);
	}
	free(big);
}

/* As SeaBIOS 1.16 prints them (src/fw/pciinit.c), amid other output. */
static const char firmware_log[] =
	"SeaBIOS (version 1.16.2-debian-1.16.2-1)\n"
	"BUILD: gcc: (Debian 12.2.0-14) 12.2.0 binutils: (GNU Binutils for Debian) 2.40\n"
	"=== PCI device probing ===\n"
	"PCI: map device bdf=00:02.0  bar 0, addr fd000000, size 01000000 [mem]\n"
	"Intel IGD OpRegion enabled at 0x07fbe000, size 8KB, dev 00:02.0\r\n"
	"Intel IGD BDSM enabled at 0x03f00000, size 64MB, dev 00:02.0\n"
	"Booting from ROM...\n";

static void test_firmware_log(void **state)
{
	struct vm_seabios_log fw;

	(void)state;
	vm_seabios_log_parse(firmware_log, strlen(firmware_log), &fw);
	assert_string_equal(fw.version, "1.16.2-debian-1.16.2-1");
	assert_true(fw.opregion);
	assert_int_equal(fw.opregion_addr, 0x07fbe000);
	assert_int_equal(fw.opregion_kib, 8);
	assert_string_equal(fw.opregion_dev, "00:02.0");
	assert_true(fw.bdsm);
	assert_int_equal(fw.bdsm_addr, 0x03f00000);
	assert_int_equal(fw.bdsm_mib, 64);
	assert_false(fw.noalloc);

	vm_seabios_log_parse("WARNING - Unable to allocate resource at intel_igd_setup:42!\n",
			      61, &fw);
	assert_true(fw.noalloc);
	assert_false(fw.opregion);

	/* Cut in the middle of the address: no OpRegion claimed. */
	vm_seabios_log_parse("Intel IGD OpRegion enabled at ", 30, &fw);
	assert_false(fw.opregion);
}

static const char probe_pass[] =
	"{\"probe\":\"multiboot\",\"verdict\":\"pass\",\"reason\":\"OpRegion valid\","
	"\"igd\":\"00:02.0\",\"vendor\":\"0x8086\",\"device\":\"0x5916\",\"class\":\"0x0300\","
	"\"asls\":\"0x07fbe000\",\"memmap\":{\"type\":\"reserved\",\"start\":\"0x7fbe000\","
	"\"end\":\"0x7ffffff\"},\"opregion\":{\"version\":\"2.0.0\",\"mbox\":\"0x1d\","
	"\"size_kib\":8,\"vbt_source\":\"mailbox4\",\"bdb_version\":221,\"vbt_size\":4449,"
	"\"warnings\":[]},\"i915\":{\"verdict\":\"ok\",\"vbt_source\":\"mailbox4\"},"
	"\"fw_cfg\":{\"opregion_size\":8192,\"identical\":true}}";

static void test_probe_line(void **state)
{
	char text[2048], err[256];
	struct json_object *obj = NULL;
	uint64_t v;

	(void)state;
	snprintf(text, sizeof(text), "multiboot booting\r\n" IGDPT_PROBE_LINE_PREFIX "%s\r\n", probe_pass);
	assert_int_equal(vm_probe_line_parse(text, strlen(text), &obj, err, sizeof(err)), 0);
	assert_string_equal(vm_json_string(obj, IGDPT_PROBE_KEY_VERDICT), IGDPT_PROBE_VERDICT_PASS);
	assert_string_equal(vm_json_string(obj, "memmap.type"), "reserved");
	assert_string_equal(vm_json_string(obj, "i915.verdict"), "ok");
	assert_null(vm_json_string(obj, "opregion.size_kib")); /* not a string */
	assert_null(vm_json_string(obj, "nothing.here"));
	assert_true(vm_json_hex(obj, "asls", &v));
	assert_int_equal(v, 0x07fbe000);
	assert_true(vm_json_hex(obj, "opregion.size_kib", &v)); /* a JSON integer */
	assert_int_equal(v, 8);
	assert_false(vm_json_hex(obj, "reason", &v));
	json_object_put(obj);

	/* No line at all, and serial output cut inside the object. */
	obj = NULL;
	assert_int_equal(vm_probe_line_parse("SeaBIOS\n", 8, &obj, err, sizeof(err)), -ENOENT);
	assert_null(obj);
	assert_non_null(strstr(err, "IGDPT-PROBE"));
	snprintf(text, sizeof(text), IGDPT_PROBE_LINE_PREFIX "{\"verdict\":\"pa");
	assert_int_equal(vm_probe_line_parse(text, strlen(text), &obj, err, sizeof(err)), -EINVAL);
	assert_null(obj);
	snprintf(text, sizeof(text), IGDPT_PROBE_LINE_PREFIX "[\"pass\"]\n");
	assert_int_equal(vm_probe_line_parse(text, strlen(text), &obj, err, sizeof(err)), -EINVAL);
	/* The prefix after other output on the same line; the last line wins. */
	snprintf(text, sizeof(text),
		 "junk" IGDPT_PROBE_LINE_PREFIX "{\"verdict\":\"fail\"}\nxx " IGDPT_PROBE_LINE_PREFIX
		 "{\"verdict\":\"no-opregion\"}");
	assert_int_equal(vm_probe_line_parse(text, strlen(text), &obj, NULL, 0), 0);
	assert_string_equal(vm_json_string(obj, IGDPT_PROBE_KEY_VERDICT), IGDPT_PROBE_VERDICT_NO_OPREGION);
	json_object_put(obj);
}

static void test_numbers(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(tool_parse_u64("0x5916", UINT16_MAX, &v), 0);
	assert_int_equal(v, 0x5916);
	assert_int_equal(tool_parse_u64("12", 99, &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(tool_parse_u64("100", 99, &v), -ERANGE);
	assert_int_equal(tool_parse_u64("99999999999999999999", UINT64_MAX, &v), -ERANGE);
	assert_int_equal(tool_parse_u64("0x", UINT64_MAX, &v), -EINVAL);
	assert_int_equal(tool_parse_u64("12 ", UINT64_MAX, &v), -EINVAL);
	assert_int_equal(tool_parse_u64(" 12", UINT64_MAX, &v), -EINVAL);
	assert_int_equal(tool_parse_u64("-1", UINT64_MAX, &v), -EINVAL);
	assert_int_equal(tool_parse_u64("64M", UINT64_MAX, &v), -EINVAL); /* sizes: igdpt_size_parse */
	assert_int_equal(tool_parse_u64("", UINT64_MAX, &v), -EINVAL);
	assert_int_equal(tool_parse_u64(NULL, UINT64_MAX, &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_log_full_run),
		cmocka_unit_test(test_device_log_differs_and_errors),
		cmocka_unit_test(test_device_log_empty_and_hostile),
		cmocka_unit_test(test_firmware_log),
		cmocka_unit_test(test_probe_line),
		cmocka_unit_test(test_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
