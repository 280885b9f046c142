/* SPDX-License-Identifier: MIT */
/* The GGC GMS/GGMS codec and BDSM register choice (lib/core/ggc.c), and the
 * module wrappers that keep their own answer for an unknown generation. */
#include <errno.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "igdpt/abi/guest.h"
#include "igdpt/core/ggc.h"
#include "igdpt/host.h"
#include "igdpt/vmm.h"

#define MIB (1ull << 20)

static void test_encode_gen6(void **state)
{
	uint16_t ggc = 0x1234;

	(void)state;
	/* Gen 6/7: GMS bits 7:3 in 32 MiB, GGMS bits 9:8 = 2 (2 MiB), lock. */
	assert_int_equal(igdpt_ggc_encode(6, 0, &ggc), 0);
	assert_int_equal(ggc, 0x0201);
	assert_int_equal(igdpt_ggc_encode(6, 64 * MIB, &ggc), 0);
	assert_int_equal(ggc, 0x0211);
	assert_int_equal(igdpt_ggc_stolen_size(6, ggc), 64 * MIB);
	assert_int_equal(igdpt_ggc_encode(7, 31 * 32 * MIB, &ggc), 0);
	assert_int_equal(ggc, 0x02F9);
	/* Generation 0 takes the gen 6 layout. */
	assert_int_equal(igdpt_ggc_encode(0, 32 * MIB, &ggc), 0);
	assert_int_equal(ggc, 0x0209);
	/* No 4 MiB codes, and 5 bits of GMS at most; *ggc untouched. */
	assert_int_equal(igdpt_ggc_encode(6, 4 * MIB, &ggc), -EINVAL);
	assert_int_equal(igdpt_ggc_encode(6, 32ull * 32 * MIB, &ggc), -EINVAL);
	assert_int_equal(igdpt_ggc_encode(7, 60 * MIB, &ggc), -EINVAL);
	assert_int_equal(ggc, 0x0209);
}

static void test_encode_gen8_plus(void **state)
{
	uint16_t ggc;

	(void)state;
	/* Gen 9: GMS bits 15:8, GGMS bits 7:6 = 3 (8 MiB). */
	assert_int_equal(igdpt_ggc_encode(9, 0, &ggc), 0);
	assert_int_equal(ggc, 0x00C1);
	assert_int_equal(igdpt_ggc_encode(9, 64 * MIB, &ggc), 0);
	assert_int_equal(ggc, 0x02C1);
	assert_int_equal(igdpt_ggc_stolen_size(9, ggc), 64 * MIB);
	assert_int_equal(igdpt_ggc_encode(8, 64 * MIB, &ggc), 0);
	assert_int_equal(ggc, 0x02C1);
	/* 32 MiB codes win: 32 MiB is 0x01, not a small code. */
	assert_int_equal(igdpt_ggc_encode(12, 32 * MIB, &ggc), 0);
	assert_int_equal(ggc, 0x01C1);
	/* 4 MiB steps: 0xF0 = 4 MiB ... 0xFE = 60 MiB, 0xFF = 64 MiB. */
	assert_int_equal(igdpt_ggc_encode(9, 4 * MIB, &ggc), 0);
	assert_int_equal(ggc, 0xF0C1);
	assert_int_equal(igdpt_ggc_stolen_size(9, ggc), 4 * MIB);
	assert_int_equal(igdpt_ggc_encode(9, 60 * MIB, &ggc), 0);
	assert_int_equal(ggc, 0xFEC1);
	assert_int_equal(igdpt_ggc_encode(12, 8 * MIB, &ggc), 0);
	assert_int_equal(ggc, 0xF1C1);
	assert_int_equal(igdpt_ggc_stolen_size(12, ggc), 8 * MIB);
	assert_int_equal(igdpt_ggc_encode(9, 1 * MIB, &ggc), -EINVAL);
	assert_int_equal(igdpt_ggc_encode(9, 68 * MIB, &ggc), -EINVAL);
	/* 0xEF * 32 MiB is the largest 32 MiB code. */
	assert_int_equal(igdpt_ggc_encode(9, 0xEFull * 32 * MIB, &ggc), 0);
	assert_int_equal(ggc, 0xEFC1);
	assert_int_equal(igdpt_ggc_encode(9, 0xF0ull * 32 * MIB, &ggc), -EINVAL);
	/* Gen 8 has no 4 MiB codes. */
	assert_int_equal(igdpt_ggc_encode(8, 4 * MIB, &ggc), -EINVAL);
}

static void test_decode(void **state)
{
	(void)state;
	/* Gen 6/7: GMS in bits 7:3, 32 MiB units; GGMS and lock ignored. */
	assert_int_equal(igdpt_ggc_gms(6, 0x0228), 0x05);
	assert_int_equal(igdpt_ggc_stolen_size(7, 0x0228), 160 * MIB);
	assert_int_equal(igdpt_ggc_stolen_size(0, 0x0228), 160 * MIB);
	/* Gen 8: bits 15:8. */
	assert_int_equal(igdpt_ggc_gms(8, 0x0281), 0x02);
	assert_int_equal(igdpt_ggc_stolen_size(8, 0x0281), 64 * MIB);
	/* Gen 9+: below 0xF0 32 MiB units, from 0xF0 4 MiB steps. */
	assert_int_equal(igdpt_ggc_stolen_size(9, 0x01C1), 32 * MIB);
	assert_int_equal(igdpt_ggc_stolen_size(9, 0xF0C1), 4 * MIB);
	assert_int_equal(igdpt_ggc_stolen_size(12, 0xFEC1), 60 * MIB);
	assert_int_equal(igdpt_ggc_stolen_size(12, 0xFFC1), 64 * MIB);
	/* Gen 8 has no small codes: 0xF0 is 240 * 32 MiB. */
	assert_int_equal(igdpt_ggc_stolen_size(8, 0xF000), 240 * 32 * MIB);
}

/* Every GMS code of every layout decodes to a size that encodes back to it
 * (or to the 32 MiB code of the same size), with the GGMS of the layout and
 * the lock bit. */
static void test_round_trip(void **state)
{
	static const unsigned gens[] = { 6, 7, 8, 9, 11, 12 };

	(void)state;
	for (size_t g = 0; g < sizeof(gens) / sizeof(gens[0]); g++) {
		unsigned gen = gens[g];
		bool gen8 = gen >= IGDPT_GGC_GEN8_FROM;
		unsigned codes = gen8 ? IGDPT_GGC_GEN8_GMS_MASK + 1 : IGDPT_GGC_GEN6_GMS_MASK + 1;

		for (unsigned gms = 0; gms < codes; gms++) {
			uint16_t in, out;
			uint64_t size;

			in = gen8 ? (uint16_t)(gms << IGDPT_GGC_GEN8_GMS_SHIFT | 3u << IGDPT_GGC_GEN8_GGMS_SHIFT)
				  : (uint16_t)(gms << IGDPT_GGC_GEN6_GMS_SHIFT | 2u << IGDPT_GGC_GEN6_GGMS_SHIFT);
			in |= IGDPT_GGC_LOCK;
			size = igdpt_ggc_stolen_size(gen, in);
			if (gen8 && gen < IGDPT_GGC_GMS_SMALL_FROM && gms >= IGDPT_GGC_GMS_SMALL_FIRST) {
				/* Gen 8 reads 0xF0.. as 32 MiB units but never writes them. */
				assert_int_equal(size, (uint64_t)gms * IGDPT_GGC_GMS_UNIT);
				assert_int_equal(igdpt_ggc_encode(gen, size, &out), -EINVAL);
				continue;
			}
			assert_int_equal(igdpt_ggc_gms(gen, in), gms);
			assert_int_equal(igdpt_ggc_encode(gen, size, &out), 0);
			assert_int_equal(igdpt_ggc_stolen_size(gen, out), size);
			/* 0xF7 (32 MiB) and 0xFF (64 MiB) re-encode as 0x01 and 0x02. */
			if (gms < IGDPT_GGC_GMS_SMALL_FIRST || size % IGDPT_GGC_GMS_UNIT)
				assert_int_equal(out, in);
			else
				assert_int_equal(igdpt_ggc_gms(gen, out), size / IGDPT_GGC_GMS_UNIT);
		}
	}
}

static void test_bdsm_register(void **state)
{
	uint16_t off;
	unsigned bytes;

	(void)state;
	for (unsigned gen = 0; gen <= 10; gen++) {
		igdpt_ggc_bdsm_register(gen, &off, &bytes);
		assert_int_equal(off, IGDPT_PCI_BDSM_OFFSET);
		assert_int_equal(bytes, 4);
	}
	for (unsigned gen = 11; gen <= 13; gen++) {
		igdpt_ggc_bdsm_register(gen, &off, &bytes);
		assert_int_equal(off, IGDPT_PCI_BDSM64_OFFSET);
		assert_int_equal(bytes, 8);
	}
}

/* The wrappers differ only for an unknown generation (0). */
static void test_wrappers(void **state)
{
	uint16_t ggc;

	(void)state;
	/* Host inspection: no layout, no guess. */
	assert_int_equal(igdpt_igd_stolen_size(0, 0xFFFF), 0);
	assert_int_equal(igdpt_igd_gms(0, 0xFFFF), 0);
	assert_int_equal(igdpt_igd_gms(6, 0x0228), 0x05);
	assert_int_equal(igdpt_igd_stolen_size(9, 0xF0C1), 4 * MIB);
	/* VMM library: the gen 8 layout, without the 4 MiB codes. */
	assert_int_equal(igdpt_vmm_ggc_encode(0, 0, &ggc), 0);
	assert_int_equal(ggc, 0x00C1);
	assert_int_equal(igdpt_vmm_ggc_encode(0, 64 * MIB, &ggc), 0);
	assert_int_equal(ggc, 0x02C1);
	assert_int_equal(igdpt_vmm_ggc_encode(0, 4 * MIB, &ggc), -EINVAL);
	assert_int_equal(igdpt_vmm_ggc_encode(6, 64 * MIB, &ggc), 0);
	assert_int_equal(ggc, 0x0211);
	assert_int_equal(igdpt_vmm_ggc_encode(9, 4 * MIB, &ggc), 0);
	assert_int_equal(ggc, 0xF0C1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_gen6),
		cmocka_unit_test(test_encode_gen8_plus),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bdsm_register),
		cmocka_unit_test(test_wrappers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
