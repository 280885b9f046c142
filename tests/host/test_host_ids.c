/* SPDX-License-Identifier: MIT */
/* Host-side device id table and PCI addresses (GGC decoding: test_ggc.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "igdpt/host.h"

static void test_generations(void **state)
{
	static const struct { uint16_t id; int gen; const char *platform; } cases[] = {
		{ 0x0102, 6, "Sandy Bridge" }, { 0x0126, 6, "Sandy Bridge" },
		{ 0x0152, 7, "Ivy Bridge" },   { 0x0162, 7, "Ivy Bridge" },
		{ 0x0402, 7, "Haswell" },      { 0x0412, 7, "Haswell" },
		{ 0x0A16, 7, "Haswell" },      { 0x0D22, 7, "Haswell" },
		{ 0x1602, 8, "Broadwell" },    { 0x1616, 8, "Broadwell" },
		{ 0x1902, 9, "Skylake" },      { 0x1912, 9, "Skylake" },
		{ 0x191B, 9, "Skylake" },      { 0x5902, 9, "Kaby Lake" },
		{ 0x5912, 9, "Kaby Lake" },    { 0x5916, 9, "Kaby Lake" },
		{ 0x591B, 9, "Kaby Lake" },    { 0x3E91, 9, "Coffee Lake" },
		{ 0x3E92, 9, "Coffee Lake" },  { 0x3E9B, 9, "Coffee Lake" },
		{ 0x3EA0, 9, "Whiskey Lake" }, { 0x9BC5, 9, "Comet Lake" },
		{ 0x8A52, 11, "Ice Lake" },    { 0x9A49, 12, "Tiger Lake" },
		{ 0x9A60, 12, "Tiger Lake" },  { 0x4C8A, 12, "Rocket Lake" },
		{ 0x4680, 12, "Alder Lake-S" }, { 0x4690, 12, "Alder Lake-S" },
		{ 0x46A6, 12, "Alder Lake-P" }, { 0xA780, 12, "Raptor Lake-S" },
		{ 0xA7A0, 12, "Raptor Lake-P" },
		{ 0x7D55, IGDPT_IGD_GEN_XE_LPG, "Meteor Lake" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(igdpt_igd_generation(cases[i].id), cases[i].gen);
		assert_string_equal(igdpt_igd_platform(cases[i].id), cases[i].platform);
	}
	/* Not IGDs, or not known: no guess. */
	assert_int_equal(igdpt_igd_generation(0x0000), 0);
	assert_int_equal(igdpt_igd_generation(0x56A0), 0); /* DG2, discrete */
	assert_int_equal(igdpt_igd_generation(0x2E12), 0); /* G45, gen 4 */
	assert_null(igdpt_igd_platform(0xFFFF));
}

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
		cmocka_unit_test(test_generations),
		cmocka_unit_test(test_pci_addr),
		cmocka_unit_test(test_sources_and_ports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
