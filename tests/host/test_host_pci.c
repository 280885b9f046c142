/* SPDX-License-Identifier: MIT */
/* Host-side PCI addresses, OpRegion sources and port names (the IGD table:
 * tests/core/test_igd.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "igdpt/host.h"

static void test_pci_addr(void **state)
{
	struct igdpt_pci_addr a;
	char buf[16];

	(void)state;
	assert_int_equal(igdpt_pci_addr_parse("00:02.0", &a), 0);
	igdpt_pci_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "0000:00:02.0");
	assert_int_equal(igdpt_pci_addr_parse("0001:3a:1f.7", &a), 0);
	igdpt_pci_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "0001:3a:1f.7");
	assert_int_equal(igdpt_pci_addr_parse("00:20.0", &a), -EINVAL);
	assert_int_equal(igdpt_pci_addr_parse("00:02.8", &a), -EINVAL);
	assert_int_equal(igdpt_pci_addr_parse("00:02.0x", &a), -EINVAL);
	assert_int_equal(igdpt_pci_addr_parse("igd", &a), -EINVAL);
	assert_int_equal(igdpt_pci_addr_parse("", &a), -EINVAL);
}

static void test_sources_and_ports(void **state)
{
	enum igdpt_host_source s;

	(void)state;
	assert_int_equal(igdpt_host_source_parse("devmem", &s), 0);
	assert_int_equal(s, IGDPT_HOST_SOURCE_DEVMEM);
	assert_string_equal(igdpt_host_source_name(IGDPT_HOST_SOURCE_VFIO), "vfio");
	assert_int_equal(igdpt_host_source_parse("mem", &s), -EINVAL);
	assert_string_equal(igdpt_vbt_dvo_port_name(7), "DP-B");
	assert_string_equal(igdpt_vbt_dvo_port_name(10), "DP-A");
	assert_null(igdpt_vbt_dvo_port_name(200));
	assert_true(igdpt_host_is_igd_class(0x030000));
	assert_true(igdpt_host_is_igd_class(0x038000));
	assert_false(igdpt_host_is_igd_class(0x030200));
}

/* QEMU's legacy mode: gen 6-9, at 00:02.0, VGA class; each refusal says which. */
static void test_legacy_check(void **state)
{
	struct igdpt_host_device dev = { .gen = 9, .class_code = 0x030000 };
	char msg[128];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(msg);

	(void)state;
	assert_int_equal(igdpt_pci_addr_parse("00:02.0", &dev.addr), 0);
	snprintf(dev.bdf, sizeof(dev.bdf), "0000:00:02.0");
	assert_int_equal(igdpt_host_legacy_check(&dev, &diag), 0);
	dev.gen = 12;
	assert_int_equal(igdpt_host_legacy_check(&dev, &diag), -EINVAL);
	assert_string_equal(diag.reason, "gen 12: QEMU allows legacy mode for gen 6-9 only");
	dev.gen = 7;
	dev.class_code = 0x038000;
	assert_int_equal(igdpt_host_legacy_check(&dev, NULL), -EINVAL);
	assert_int_equal(igdpt_host_legacy_check(&dev, &diag), -EINVAL);
	assert_non_null(strstr(diag.reason, "class 0x0380 is not VGA"));
	dev.class_code = 0x030000;
	assert_int_equal(igdpt_pci_addr_parse("00:03.0", &dev.addr), 0);
	assert_int_equal(igdpt_host_legacy_check(&dev, &diag), -EINVAL);
	assert_non_null(strstr(diag.reason, "not 00:02.0"));
}

/* A context whose struct_size was never set is refused, with the fix. */
static void test_ctx_struct_size(void **state)
{
	struct igdpt_host_ctx unset = { 0 }, ctx = IGDPT_HOST_CTX_INIT;
	struct igdpt_host_device dev;
	struct igdpt_host_report *r = malloc(sizeof(*r));
	char msg[256];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(msg);

	(void)state;
	assert_non_null(r);
	assert_int_equal(igdpt_host_select(&unset, NULL, &dev, &diag), -EINVAL);
	assert_non_null(strstr(diag.reason, "IGDPT_HOST_CTX_INIT"));
	assert_int_equal(igdpt_host_inspect(&unset, &dev, IGDPT_HOST_SOURCE_AUTO, r), -EINVAL);
	/* An initialized one gets as far as the (missing) sysfs. */
	ctx.root = "/nonexistent-igdpt-root";
	assert_int_equal(igdpt_host_select(&ctx, NULL, &dev, &diag), -ENOENT);
	assert_non_null(strstr(diag.reason, "/sys/bus/pci/devices"));
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pci_addr),
		cmocka_unit_test(test_sources_and_ports),
		cmocka_unit_test(test_legacy_check),
		cmocka_unit_test(test_ctx_struct_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
