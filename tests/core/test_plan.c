/* SPDX-License-Identifier: MIT */
/* The guest address planner: fixed cases, then property tests over
 * thousands of random e820 maps and MMIO windows (fixed-seed PRNG), checked
 * against a brute force on a coarse grid that shares no code with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "igdpt/abi/guest.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/plan.h"

#define GiB4 0x100000000ull
#define PAGE 0x1000ull
#define MiB 0x100000ull
/* Every random boundary lies on this grid, so the brute force can judge
 * whole cells: 256 cells of 16 MiB below 4 GiB. */
#define GRID (16 * MiB)
#define CELLS (GiB4 / GRID)
#define CASES 4000
#define MAX_E820 10
#define MAX_WIN 6

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
	/* xorshift64*: fixed seed, so every failure reproduces. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

static uint64_t below(uint64_t n)
{
	return rng() % n;
}

/* A QEMU pc-like guest: 512 MiB of RAM, the usual reservations and holes. */
static const struct igdpt_plan_range pc_e820[] = {
	{ 0, 0x9FC00, IGDPT_E820_RAM },
	{ 0x9FC00, 0x400, IGDPT_E820_RESERVED },
	{ 0xF0000, 0x10000, IGDPT_E820_RESERVED },
	{ 0x100000, 0x1FF00000, IGDPT_E820_RAM },
	{ 0xFFFC0000, 0x40000, IGDPT_E820_RESERVED },
};
static const struct igdpt_plan_range pc_windows[] = {
	{ 0xA0000, 0x20000, 0 },
	{ 0xE0000000, 0x1EC00000, 0 }, /* PCI hole up to the IOAPIC */
	{ 0xFEC00000, 0x1000, 0 },
	{ 0xFED00000, 0x400, 0 },
	{ 0xFEE00000, 0x100000, 0 },
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_pc_in_ram(void **state)
{
	struct igdpt_diag diag = { 0 };
	uint64_t gpa = 0;

	(void)state;
	assert_int_equal(igdpt_plan_place(pc_e820, N(pc_e820), pc_windows, N(pc_windows), 0x2000,
					  IGDPT_OPREGION_GUEST_ALIGN, IGDPT_PLAN_IN_RAM, &gpa, &diag), 0);
	/* The top two pages of RAM, as SeaBIOS's high zone would be. */
	assert_int_equal(gpa, 0x20000000 - 0x2000);
	/* A size that is not a page multiple takes whole pages. */
	assert_int_equal(igdpt_plan_place(pc_e820, N(pc_e820), pc_windows, N(pc_windows), 0x2001,
					  IGDPT_OPREGION_GUEST_ALIGN, IGDPT_PLAN_IN_RAM, &gpa, &diag), 0);
	assert_int_equal(gpa, 0x20000000 - 0x3000);
	/* Stolen memory: 1 MiB aligned. */
	assert_int_equal(igdpt_plan_place(pc_e820, N(pc_e820), pc_windows, N(pc_windows),
					  0x2000000, IGDPT_STOLEN_GUEST_ALIGN, IGDPT_PLAN_IN_RAM,
					  &gpa, &diag), 0);
	assert_int_equal(gpa, 0x1E000000);
}

static void test_pc_outside_ram(void **state)
{
	struct igdpt_diag diag = { 0 };
	uint64_t gpa = 0;

	(void)state;
	assert_int_equal(igdpt_plan_place(pc_e820, N(pc_e820), pc_windows, N(pc_windows), 0x2000,
					  IGDPT_OPREGION_GUEST_ALIGN, IGDPT_PLAN_OUTSIDE_RAM, &gpa,
					  &diag), 0);
	/* Between the LAPIC/MSI range and the flash. */
	assert_int_equal(gpa, 0xFFFC0000 - 0x2000);
	assert_true(igdpt_plan_fits(pc_e820, N(pc_e820), pc_windows, N(pc_windows), gpa, 0x2000,
				    IGDPT_PLAN_OUTSIDE_RAM));
	assert_false(igdpt_plan_fits(pc_e820, N(pc_e820), pc_windows, N(pc_windows), 0xFEC00000,
				     0x1000, IGDPT_PLAN_OUTSIDE_RAM));
}

static void test_no_room(void **state)
{
	/* RAM everywhere from 1 MiB to 4 GiB, and one window: nothing is
	 * outside RAM; inside RAM only what the window leaves. */
	static const struct igdpt_plan_range full[] = { { 0, GiB4, IGDPT_E820_RAM } };
	static const struct igdpt_plan_range win[] = { { 0x200000, GiB4 - 0x200000, 0 } };
	struct igdpt_diag diag = { 0 };
	uint64_t gpa = 0xDEAD;

	(void)state;
	assert_int_equal(igdpt_plan_place(full, 1, NULL, 0, PAGE, PAGE, IGDPT_PLAN_OUTSIDE_RAM,
					  &gpa, &diag), -IGDPT_ENOSPC);
	assert_non_null(strstr(diag.reason, "outside RAM"));
	assert_int_equal(gpa, 0xDEAD); /* untouched on failure */
	assert_int_equal(igdpt_plan_place(full, 1, win, 1, MiB, PAGE, IGDPT_PLAN_IN_RAM, &gpa,
					  &diag), 0);
	assert_int_equal(gpa, MiB); /* the only megabyte above the floor */
	assert_int_equal(igdpt_plan_place(full, 1, win, 1, MiB + 1, PAGE, IGDPT_PLAN_IN_RAM, &gpa,
					  &diag), -IGDPT_ENOSPC);
	assert_non_null(strstr(diag.reason, "guest RAM"));
	/* Bad arguments. */
	assert_int_equal(igdpt_plan_place(full, 1, NULL, 0, 0, PAGE, IGDPT_PLAN_IN_RAM, &gpa, &diag),
			 -IGDPT_EINVAL);
	assert_int_equal(igdpt_plan_place(full, 1, NULL, 0, PAGE, 0x3000, IGDPT_PLAN_IN_RAM, &gpa,
					  &diag), -IGDPT_EINVAL);
	assert_int_equal(igdpt_plan_place(full, 1, NULL, 0, PAGE, 0x800, IGDPT_PLAN_IN_RAM, &gpa,
					  &diag), -IGDPT_EINVAL);
	assert_int_equal(igdpt_plan_place(NULL, 1, NULL, 0, PAGE, PAGE, IGDPT_PLAN_IN_RAM, &gpa,
					  &diag), -IGDPT_EINVAL);
}

static void test_e820_insert(void **state)
{
	struct igdpt_plan_range map[8] = {
		{ 0, 0x9FC00, IGDPT_E820_RAM },
		{ 0x100000, 0x1FF00000, IGDPT_E820_RAM },
	};
	size_t count = 2;
	struct igdpt_diag diag = { 0 };

	(void)state;
	/* 4a: carve two pages out of the middle of RAM. */
	assert_int_equal(igdpt_plan_e820_insert(map, &count, N(map), 0x1000000, 0x2000,
						IGDPT_E820_RESERVED, &diag), 0);
	assert_int_equal(count, 4);
	assert_int_equal(map[1].start, 0x100000);
	assert_int_equal(map[1].length, 0x1000000 - 0x100000);
	assert_int_equal(map[2].start, 0x1000000);
	assert_int_equal(map[2].type, IGDPT_E820_RESERVED);
	assert_int_equal(map[3].start, 0x1002000);
	assert_int_equal(map[3].length, 0x20000000 - 0x1002000);
	assert_int_equal(map[3].type, IGDPT_E820_RAM);
	/* At the top of RAM: the RAM entry shrinks, nothing splits. */
	assert_int_equal(igdpt_plan_e820_insert(map, &count, N(map), 0x1FFFE000, 0x2000,
						IGDPT_E820_RESERVED, &diag), 0);
	assert_int_equal(count, 5);
	assert_int_equal(map[3].length, 0x1FFFE000 - 0x1002000);
	/* A full map refuses and stays as it was. */
	assert_int_equal(igdpt_plan_e820_insert(map, &count, 5, 0x3000000, 0x1000,
						IGDPT_E820_RESERVED, &diag), -IGDPT_ENOSPC);
	assert_int_equal(count, 5);
	assert_int_equal(igdpt_plan_e820_insert(map, &count, N(map), 0x3000000, 0,
						IGDPT_E820_RESERVED, &diag), -IGDPT_EINVAL);
}

/* ---- properties ---- */

struct world {
	struct igdpt_plan_range e820[MAX_E820], win[MAX_WIN];
	size_t ne820, nwin;
	/* The brute force's own view, one flag set per 16 MiB cell. */
	uint8_t window[CELLS], ram[CELLS], nonram[CELLS];
};

static void random_world(struct world *w)
{
	static const uint32_t types[] = { IGDPT_E820_RAM, IGDPT_E820_RAM, IGDPT_E820_RAM,
					  IGDPT_E820_RESERVED, IGDPT_E820_ACPI, IGDPT_E820_NVS };

	memset(w, 0, sizeof(*w));
	w->ne820 = below(MAX_E820 + 1);
	w->nwin = below(MAX_WIN + 1);
	for (size_t i = 0; i < w->ne820; i++) {
		uint64_t c = below(CELLS), n = 1 + below(CELLS / 4);

		if (c + n > CELLS)
			n = CELLS - c;
		w->e820[i] = (struct igdpt_plan_range){ c * GRID, n * GRID, types[below(N(types))] };
		for (uint64_t k = c; k < c + n; k++) {
			if (w->e820[i].type == IGDPT_E820_RAM)
				w->ram[k] = 1;
			else
				w->nonram[k] = 1;
		}
	}
	for (size_t i = 0; i < w->nwin; i++) {
		uint64_t c = below(CELLS), n = 1 + below(CELLS / 8);

		if (c + n > CELLS)
			n = CELLS - c;
		w->win[i] = (struct igdpt_plan_range){ c * GRID, n * GRID, 0 };
		for (uint64_t k = c; k < c + n; k++)
			w->window[k] = 1;
	}
}

/* Brute force: judged cell by cell, from the flags alone. */
static int brute_fits(const struct world *w, uint64_t a, uint64_t len, uint64_t align,
		      enum igdpt_plan_kind kind)
{
	if (a < IGDPT_PLAN_FLOOR || a % align || a + len > GiB4)
		return 0;
	for (uint64_t c = a / GRID; c <= (a + len - 1) / GRID; c++) {
		if (w->window[c])
			return 0;
		if (kind == IGDPT_PLAN_OUTSIDE_RAM && (w->ram[c] || w->nonram[c]))
			return 0;
		if (kind == IGDPT_PLAN_IN_RAM && (!w->ram[c] || w->nonram[c]))
			return 0;
	}
	return 1;
}

/* Both outcomes must be exercised, or the test proves little. */
static unsigned solved, unsolvable;

static void check_case(const struct world *w, uint64_t size, uint64_t align,
		       enum igdpt_plan_kind kind)
{
	uint64_t len = (size + PAGE - 1) / PAGE * PAGE;
	struct igdpt_diag diag = { 0 };
	uint64_t gpa = 0;
	int exists = 0;
	int ret;

	/* Feasible starts form intervals whose left ends are grid points or
	 * the floor; any solution means one of those is a solution. */
	exists = brute_fits(w, IGDPT_PLAN_FLOOR, len, align, kind);
	for (uint64_t c = 1; c < CELLS && !exists; c++)
		exists = brute_fits(w, c * GRID, len, align, kind);

	ret = igdpt_plan_place(w->e820, w->ne820, w->win, w->nwin, size, align, kind, &gpa, &diag);
	if (!exists) {
		unsolvable++;
		assert_int_equal(ret, -IGDPT_ENOSPC);
		assert_non_null(diag.reason);
		return;
	}
	solved++;
	assert_int_equal(ret, 0);
	assert_int_equal(gpa % align, 0);
	assert_true(gpa + len <= GiB4);
	assert_true(gpa >= IGDPT_PLAN_FLOOR);
	assert_true(brute_fits(w, gpa, len, align, kind));
	/* The highest solution: none ends at a grid point above it. */
	for (uint64_t c = 1; c <= CELLS; c++) {
		uint64_t b = c * GRID, cand;

		if (b < len)
			continue;
		cand = (b - len) / align * align;
		if (cand > gpa)
			assert_false(brute_fits(w, cand, len, align, kind));
	}
}

static void test_plan_properties(void **state)
{
	struct world w;

	(void)state;
	for (int i = 0; i < CASES; i++) {
		uint64_t size = 1 + below(i % 4 ? 64 * MiB : 8 * PAGE);
		uint64_t align = below(2) ? IGDPT_OPREGION_GUEST_ALIGN : IGDPT_STOLEN_GUEST_ALIGN;

		random_world(&w);
		check_case(&w, size, align, IGDPT_PLAN_IN_RAM);
		check_case(&w, size, align, IGDPT_PLAN_OUTSIDE_RAM);
	}
	print_message("%u placements, %u cases without room\n", solved, unsolvable);
	assert_true(solved > CASES / 4 && unsolvable > CASES / 8);
}

/* Inserting into a sorted, non-overlapping map keeps it so, gives the new
 * range its type and every other address its old one. */
static uint32_t type_at(const struct igdpt_plan_range *map, size_t n, uint64_t a)
{
	for (size_t i = 0; i < n; i++)
		if (a >= map[i].start && a - map[i].start < map[i].length)
			return map[i].type;
	return 0;
}

static void test_e820_insert_properties(void **state)
{
	(void)state;
	for (int i = 0; i < CASES; i++) {
		struct igdpt_plan_range map[MAX_E820 + 2], before[MAX_E820 + 2];
		size_t n = 0, n0;
		uint64_t a = below(CELLS / 2) * GRID, start, len;
		uint32_t t;

		while (n < MAX_E820 && a < GiB4) {
			uint64_t l = (1 + below(CELLS / 8)) * GRID;

			if (a + l > GiB4)
				l = GiB4 - a;
			map[n++] = (struct igdpt_plan_range){ a, l, (uint32_t)(1 + below(4)) };
			a += l + below(3) * GRID;
		}
		memcpy(before, map, sizeof(map));
		n0 = n;
		start = below(GiB4 / PAGE) * PAGE;
		len = (1 + below(GiB4 / PAGE / 8)) * PAGE;
		if (start + len > GiB4)
			len = GiB4 - start;
		t = (uint32_t)(1 + below(4));
		if (igdpt_plan_e820_insert(map, &n, N(map), start, len, t, NULL) < 0) {
			assert_int_equal(n, n0);
			continue;
		}
		for (size_t k = 1; k < n; k++)
			assert_true(map[k - 1].start + map[k - 1].length <= map[k].start);
		for (int k = 0; k < 64; k++) {
			uint64_t p = below(GiB4);
			uint32_t want = p >= start && p - start < len ? t : type_at(before, n0, p);

			assert_int_equal(type_at(map, n, p), want);
		}
		assert_int_equal(type_at(map, n, start), t);
		assert_int_equal(type_at(map, n, start + len - 1), t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pc_in_ram),
		cmocka_unit_test(test_pc_outside_ram),
		cmocka_unit_test(test_no_room),
		cmocka_unit_test(test_e820_insert),
		cmocka_unit_test(test_plan_properties),
		cmocka_unit_test(test_e820_insert_properties),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
