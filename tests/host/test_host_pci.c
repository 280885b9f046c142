/* SPDX-License-Identifier: MIT */
/* Host-side PCI addresses, OpRegion sources and port names (the IGD table:
 * tests/core/test_igd.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
	assert_string_equal(igdpt_host_dvo_port_name(7), "DPB");
	assert_string_equal(igdpt_host_dvo_port_name(10), "DPA");
	assert_string_equal(igdpt_host_dvo_port_name(200), "?");
	assert_true(igdpt_host_is_igd_class(0x030000));
	assert_true(igdpt_host_is_igd_class(0x038000));
	assert_false(igdpt_host_is_igd_class(0x030200));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pci_addr),
		cmocka_unit_test(test_sources_and_ports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
