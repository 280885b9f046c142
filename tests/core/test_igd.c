/* SPDX-License-Identifier: MIT */
/* The IGD table (lib/core/igd.c): generations and platforms by device id,
 * the reference devices, every id in table order, and the BDSM register by
 * generation and id. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "igdpt/abi/guest.h"
#include "igdpt/core/igd.h"

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
		{ 0x7D55, (int)IGDPT_IGD_GEN_XE_LPG, "Meteor Lake" },
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

/* The reference devices are what igdpt-device emulates: the first of each
 * generation is its default, and each carries its board's PCH. */
static void test_references(void **state)
{
	static const struct { unsigned gen; uint16_t id, lpc; } defaults[] = {
		{ 6, 0x0102, 0x1C44 }, { 7, 0x0162, 0x1E44 }, { 8, 0x1616, 0x9CC3 },
		{ 9, 0x5916, 0x9D58 }, { 10, 0x5A52, 0x9D84 }, { 11, 0x8A52, 0x3482 },
		{ 12, 0x9A49, 0xA082 },
	};
	struct igdpt_igd_info info;
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		assert_int_equal(igdpt_igd_reference(defaults[i].gen, &info), 0);
		assert_int_equal(info.device_id, defaults[i].id);
		assert_int_equal(info.generation, defaults[i].gen);
		assert_int_equal(info.lpc_device_id, defaults[i].lpc);
	}
	assert_int_equal(igdpt_igd_reference(5, &info), -ENOENT);
	assert_int_equal(igdpt_igd_reference(13, &info), -ENOENT);
	while (igdpt_igd_reference_at(n, &info) == 0) {
		struct igdpt_igd_info again;

		/* Every reference is in the id table, with the same facts. */
		assert_int_equal(igdpt_igd_lookup(info.device_id, &again), 0);
		assert_int_equal(again.generation, info.generation);
		assert_string_equal(again.variant, info.variant);
		assert_int_equal(again.lpc_device_id, info.lpc_device_id);
		assert_true(info.variant[0] != '\0');
		assert_true(info.lpc_device_id != 0);
		n++;
	}
	assert_true(n >= 7);
	/* A mobile reference has its own PCH; another id of the platform
	 * gets the platform's. */
	assert_int_equal(igdpt_igd_lookup(0x0126, &info), 0);
	assert_int_equal(info.lpc_device_id, 0x1C49);
	assert_int_equal(igdpt_igd_lookup(0x5917, &info), 0);
	assert_string_equal(info.platform, "Kaby Lake");
	assert_string_equal(info.variant, "");
	assert_int_equal(info.lpc_device_id, 0xA2C5);
	/* A platform whose PCH igdpt does not know: 0, never a guess. */
	assert_int_equal(igdpt_igd_lookup(0x3185, &info), 0);
	assert_int_equal(info.lpc_device_id, 0);
	memset(&info, 0x5a, sizeof(info));
	assert_int_equal(igdpt_igd_lookup(0x1234, &info), -ENOENT);
	assert_int_equal(info.device_id, 0x5a5a);
	assert_int_equal(igdpt_igd_lookup(0x5916, NULL), 0);
}

static void test_bdsm_register(void **state)
{
	uint16_t off = 0xFFFF;
	unsigned bytes = 99;

	(void)state;
	for (unsigned gen = 6; gen <= 10; gen++) {
		assert_int_equal(igdpt_igd_bdsm_register(gen, &off, &bytes), 0);
		assert_int_equal(off, IGDPT_PCI_BDSM_OFFSET);
		assert_int_equal(bytes, 4);
	}
	for (unsigned gen = 11; gen <= 12; gen++) {
		assert_int_equal(igdpt_igd_bdsm_register(gen, &off, &bytes), 0);
		assert_int_equal(off, IGDPT_PCI_BDSM64_OFFSET);
		assert_int_equal(bytes, 8);
	}
	off = 0x1234;
	assert_int_equal(igdpt_igd_bdsm_register(0, &off, &bytes), -ENOENT);
	assert_int_equal(igdpt_igd_bdsm_register(IGDPT_IGD_GEN_XE_LPG, &off, &bytes), -ENOENT);
	assert_int_equal(off, 0x1234);
	/* By device id: Tiger Lake is gen 12 (0xC0), Kaby Lake gen 9 (0x5C),
	 * Meteor Lake has none, an unknown id gets no guess. */
	assert_int_equal(igdpt_igd_bdsm_register_for_id(0x9A49, &off, &bytes), 0);
	assert_int_equal(off, IGDPT_PCI_BDSM64_OFFSET);
	assert_int_equal(igdpt_igd_bdsm_register_for_id(0x5916, &off, &bytes), 0);
	assert_int_equal(off, IGDPT_PCI_BDSM_OFFSET);
	assert_int_equal(igdpt_igd_bdsm_register_for_id(0x7D55, &off, &bytes), -ENOENT);
	assert_int_equal(igdpt_igd_bdsm_register_for_id(0x1234, &off, &bytes), -ENOENT);
}

/* Every id of the table (what an option ROM's device list names): in table
 * order from Sandy Bridge, each known, none twice, the references among
 * them; a short buffer gets the first ids and the full count. */
static void test_device_ids(void **state)
{
	uint16_t ids[1024], few[3];
	struct igdpt_igd_info info;
	size_t n = igdpt_igd_device_ids(NULL, 0);

	(void)state;
	assert_true(n > 100 && n <= sizeof(ids) / sizeof(ids[0]));
	assert_int_equal(igdpt_igd_device_ids(ids, n), n);
	assert_int_equal(ids[0], 0x0102);
	for (size_t i = 0; i < n; i++) {
		assert_true(igdpt_igd_generation(ids[i]) >= (int)IGDPT_IGD_GEN_FIRST);
		for (size_t j = 0; j < i; j++)
			assert_int_not_equal(ids[i], ids[j]);
	}
	for (size_t r = 0; igdpt_igd_reference_at(r, &info) == 0; r++) {
		size_t i = 0;

		while (i < n && ids[i] != info.device_id)
			i++;
		assert_true(i < n);
	}
	memset(few, 0xFF, sizeof(few));
	assert_int_equal(igdpt_igd_device_ids(few, 2), n);
	assert_int_equal(few[0], ids[0]);
	assert_int_equal(few[1], ids[1]);
	assert_int_equal(few[2], 0xFFFF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generations),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_device_ids),
		cmocka_unit_test(test_bdsm_register),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
