/* SPDX-License-Identifier: MIT */
/* Unit tests: placement rules (lib/core/placement.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "igdpt/abi/guest.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/placement.h"

#define PAGE 4096u
#define MIB (1024u * 1024u)
#define GIB4 0x100000000ull

static void test_pages_and_tail(void **state)
{
	(void)state;
	assert_int_equal(igdpt_placement_pages(0), 0);
	assert_int_equal(igdpt_placement_pages(1), 1);
	assert_int_equal(igdpt_placement_pages(8192), 2);
	assert_int_equal(igdpt_placement_pages(8193), 3);
	assert_int_equal(igdpt_placement_tail(8192), 0);
	assert_int_equal(igdpt_placement_tail(8193), PAGE - 1);
	/* 8 KiB base plus an 8.5 KiB extended VBT: 5 pages, 3584 bytes to zero. */
	assert_int_equal(igdpt_placement_tail(16896), 5 * PAGE - 16896);
}

static void test_check(void **state)
{
	struct igdpt_diag d = { 0 };

	(void)state;
	assert_int_equal(igdpt_placement_check(0x7ffe0000, 8192, PAGE, NULL), 0);
	assert_int_equal(igdpt_placement_check(GIB4 - 8192, 8192, PAGE, NULL), 0);
	assert_int_equal(igdpt_placement_check(GIB4 - 4096, 8192, PAGE, &d), -IGDPT_ERANGE);
	assert_string_equal(d.reason, "placement reaches past 4 GiB");
	assert_int_equal(igdpt_placement_check(GIB4, 1, PAGE, NULL), -IGDPT_ERANGE);
	assert_int_equal(igdpt_placement_check(0x7ffe0800, 8192, PAGE, NULL), -IGDPT_EINVAL);
	assert_int_equal(igdpt_placement_check(0, 8192, PAGE, NULL), -IGDPT_EINVAL);
	assert_int_equal(igdpt_placement_check(0x7ff00000, 0, MIB, NULL), -IGDPT_EINVAL);
	assert_int_equal(igdpt_placement_check(0x7ff00000, MIB, 3, NULL), -IGDPT_EINVAL);
	assert_int_equal(igdpt_placement_check(0x7ff80000, MIB, MIB, NULL), -IGDPT_EINVAL);
}

static void test_overalloc_and_carve(void **state)
{
	struct igdpt_placement_window w;
	uint64_t pages = igdpt_placement_overalloc_pages(8 * MIB, MIB);

	(void)state;
	assert_int_equal(pages, 8 * MIB / PAGE + MIB / PAGE - 1);
	/* Every page-aligned allocation start yields an aligned window inside. */
	for (uint64_t base = 0x7000000; base < 0x7000000 + MIB; base += PAGE) {
		assert_int_equal(igdpt_placement_carve(base, pages, 8 * MIB, MIB, &w, NULL), 0);
		assert_int_equal(w.base % MIB, 0);
		assert_int_equal(w.pages, 8 * MIB / PAGE);
		assert_int_equal(w.head_base, base);
		assert_int_equal(w.head_base + w.head_pages * PAGE, w.base);
		assert_int_equal(w.tail_base, w.base + 8 * MIB);
		assert_int_equal(w.head_pages + w.pages + w.tail_pages, pages);
	}
	/* Already aligned: nothing to free before, the slack after. */
	assert_int_equal(igdpt_placement_carve(0x7000000, pages, 8 * MIB, MIB, &w, NULL), 0);
	assert_int_equal(w.head_pages, 0);
	assert_int_equal(w.tail_pages, MIB / PAGE - 1);
	/* Too small, unaligned allocation, bad alignment. */
	assert_int_equal(igdpt_placement_carve(0x7001000, 8 * MIB / PAGE, 8 * MIB, MIB, &w, NULL),
			 -IGDPT_ENOSPC);
	assert_int_equal(igdpt_placement_carve(0x7000800, pages, 8 * MIB, MIB, &w, NULL), -IGDPT_EINVAL);
	assert_int_equal(igdpt_placement_carve(0x7000000, pages, 8 * MIB, 3, &w, NULL), -IGDPT_EINVAL);
	assert_int_equal(igdpt_placement_carve(UINT64_MAX - PAGE + 1, 2, PAGE, PAGE, &w, NULL),
			 -IGDPT_ERANGE);
	assert_int_equal(igdpt_placement_overalloc_pages(0, MIB), 0);
	assert_int_equal(igdpt_placement_overalloc_pages(MIB, 0), 0);
	assert_int_equal(igdpt_placement_overalloc_pages(PAGE, PAGE), 1);
}

static void test_bdsm_register(void **state)
{
	uint16_t off;
	unsigned bytes;

	(void)state;
	for (int gen = 6; gen <= 10; gen++) {
		assert_int_equal(igdpt_placement_bdsm_register(gen, &off, &bytes), 0);
		assert_int_equal(off, IGDPT_PCI_BDSM_OFFSET);
		assert_int_equal(bytes, 4);
	}
	for (int gen = 11; gen <= 12; gen++) {
		assert_int_equal(igdpt_placement_bdsm_register(gen, &off, &bytes), 0);
		assert_int_equal(off, IGDPT_PCI_BDSM64_OFFSET);
		assert_int_equal(bytes, 8);
	}
	assert_int_equal(igdpt_placement_bdsm_register(0, &off, &bytes), -IGDPT_ENOENT);
	assert_int_equal(igdpt_placement_bdsm_register(13, &off, &bytes), -IGDPT_ENOENT);
	assert_int_equal(igdpt_placement_bdsm_value(0, 0x7f000000), 0x7f000000);
	/* Low bits kept, lock dropped, old base replaced. */
	assert_int_equal(igdpt_placement_bdsm_value(0x6f000007, 0x7f000000), 0x7f000006);
	assert_int_equal(igdpt_placement_bdsm_value(0, 0x17f000000ull), 0x17f000000ull);
}

static void test_stolen_size(void **state)
{
	uint64_t size = 0;
	struct igdpt_diag d = { 0 };

	(void)state;
	assert_int_equal(igdpt_placement_stolen_size(8 * MIB, 8 * MIB, &size, NULL), 0);
	assert_int_equal(size, 8 * MIB);
	assert_int_equal(igdpt_placement_stolen_size(4 * MIB, 8 * MIB, &size, NULL), 1);
	assert_int_equal(size, 8 * MIB);
	assert_int_equal(igdpt_placement_stolen_size(64 * MIB, 32 * MIB, &size, NULL), 1);
	assert_int_equal(size, 64 * MIB);
	/* GGC unknown (0): the request alone, rounded up to 1 MiB. */
	assert_int_equal(igdpt_placement_stolen_size(MIB + 1, 0, &size, NULL), 0);
	assert_int_equal(size, 2 * MIB);
	assert_int_equal(igdpt_placement_stolen_size(0, 0, &size, &d), -IGDPT_EINVAL);
	assert_non_null(d.reason);
	assert_int_equal(igdpt_placement_stolen_size(GIB4, 0, &size, NULL), -IGDPT_ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_and_tail),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_overalloc_and_carve),
		cmocka_unit_test(test_bdsm_register),
		cmocka_unit_test(test_stolen_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
