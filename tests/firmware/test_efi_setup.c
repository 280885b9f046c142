/* SPDX-License-Identifier: MIT */
/* Unit tests: the EFI driver's per-IGD decisions (firmware/efi/setup.c) on
 * a fake platform (page allocator with a memory map, a config space whose
 * GGC is read-only) and the fw_cfg device model. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../firmware/efi/setup.h"
#include "fw_cfg_model.h"
#include "fixture.h"
#include "igdpt/abi/guest.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"

#define PAGE 4096u
#define MEM_BASE 0x10000000ull
#define MEM_PAGES 8192u /* 32 MiB of fake guest RAM */
#define DMA_AREA 4096u
#define MIB (1024u * 1024u)
#define GGC_GEN8_GMS_8MIB 0xF100u /* gen 9: GMS 0xF1 = 8 MiB */

struct fake {
	uint8_t *mem;
	uint8_t type[MEM_PAGES]; /* per page: 0 free, else e820 type */
	uint8_t cfg[256];
	unsigned fail_allocs;    /* the next N allocations fail */
	unsigned allocs, cfg_writes;
	char log[64][192];
	unsigned nlog;
	struct fw_cfg_model m;
	struct igdpt_fw_cfg fc;
	struct igdpt_efi_platform p;
	struct igdpt_efi_igd igd;
	uint8_t image[IGDPT_OPREGION_BASE_SIZE];
	uint8_t bdsm_le[8];
};

static int f_read(void *ctx, const struct igdpt_efi_igd *igd, uint16_t off, uint32_t *v)
{
	struct fake *f = ctx;

	(void)igd;
	*v = igdpt_le32(f->cfg + off);
	return 0;
}

static int f_write(void *ctx, const struct igdpt_efi_igd *igd, uint16_t off, uint32_t v)
{
	struct fake *f = ctx;

	(void)igd;
	f->cfg_writes++;
	if (off == IGDPT_PCI_GGC_OFFSET)
		return 0; /* read-only, as on igdpt-device */
	igdpt_put_le32(f->cfg + off, v);
	return 0;
}

/* First fit from page 1, so allocations are never 1 MiB aligned by luck. */
static int f_alloc(void *ctx, enum igdpt_efi_mem t, uint64_t pages, uint64_t *base)
{
	struct fake *f = ctx;

	if (f->fail_allocs) {
		f->fail_allocs--;
		return -IGDPT_ENOMEM;
	}
	for (uint64_t s = 1; s + pages <= MEM_PAGES; s++) {
		uint64_t i = 0;

		while (i < pages && !f->type[s + i])
			i++;
		if (i < pages) {
			s += i;
			continue;
		}
		memset(f->type + s, t == IGDPT_EFI_MEM_ACPI_NVS ? IGDPT_E820_NVS : IGDPT_E820_RESERVED,
		       pages);
		memset(f->mem + s * PAGE, 0xA5, pages * PAGE); /* stale contents */
		*base = MEM_BASE + s * PAGE;
		f->allocs++;
		return 0;
	}
	return -IGDPT_ENOMEM;
}

static void f_free(void *ctx, uint64_t base, uint64_t pages)
{
	struct fake *f = ctx;
	uint64_t s = (base - MEM_BASE) / PAGE;

	for (uint64_t i = 0; i < pages; i++) {
		assert_true(f->type[s + i]); /* never frees what it does not own */
		f->type[s + i] = 0;
	}
}

static uint8_t *f_map(void *ctx, uint64_t base, uint64_t len)
{
	struct fake *f = ctx;

	assert_true(base >= MEM_BASE && base + len <= MEM_BASE + (uint64_t)MEM_PAGES * PAGE);
	return f->mem + (base - MEM_BASE);
}

static uint32_t f_memmap(void *ctx, uint64_t base, uint64_t len)
{
	struct fake *f = ctx;
	uint64_t s, e;

	if (base < MEM_BASE || base + len > MEM_BASE + (uint64_t)MEM_PAGES * PAGE)
		return 0;
	s = (base - MEM_BASE) / PAGE;
	e = (base + len - MEM_BASE + PAGE - 1) / PAGE;
	for (uint64_t i = s; i < e; i++)
		if (f->type[i] != f->type[s])
			return 0;
	return f->type[s] ? f->type[s] : IGDPT_E820_RAM;
}

static void f_log(void *ctx, const char *line)
{
	struct fake *f = ctx;

	if (f->nlog < 64)
		snprintf(f->log[f->nlog++], sizeof(f->log[0]), "%s", line);
}

static bool logged(const struct fake *f, const char *needle)
{
	for (unsigned i = 0; i < f->nlog; i++)
		if (strstr(f->log[i], needle))
			return true;
	return false;
}

static unsigned pages_of(const struct fake *f, uint8_t type)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MEM_PAGES; i++)
		n += f->type[i] == type;
	return n;
}

static void build_image(uint8_t *out)
{
	struct fx_vbt v;
	struct fx_opregion o;
	uint8_t vbt[4096];
	size_t n;

	fx_vbt_defaults(&v);
	v.fix_checksum = true;
	n = fx_vbt_build(&v, vbt, sizeof(vbt));
	assert_true(n > 0);
	fx_opregion_defaults(&o);
	o.mbox4 = vbt;
	o.mbox4_len = n;
	assert_int_equal(fx_opregion_build(&o, out, IGDPT_OPREGION_BASE_SIZE), IGDPT_OPREGION_BASE_SIZE);
}

/* A Kaby Lake (gen 9) IGD at 00:02.0 with fw_cfg over DMA. */
static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));

	f->mem = calloc(MEM_PAGES, PAGE);
	f->type[0] = IGDPT_E820_RAM; /* page 0: the fw_cfg DMA area */
	build_image(f->image);
	fw_cfg_model_init(&f->m, f->mem, (size_t)MEM_PAGES * PAGE, MEM_BASE, true);
	f->p = (struct igdpt_efi_platform){ f_read, f_write, f_alloc, f_free, f_map, f_memmap, f_log, f };
	f->igd = (struct igdpt_efi_igd){ .dev = 2, .vendor = 0x8086, .device_id = 0x5916,
					 .class_code = IGDPT_PCI_CLASS_DISPLAY_VGA };
	igdpt_put_le16(f->cfg + IGDPT_PCI_GGC_OFFSET, GGC_GEN8_GMS_8MIB);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;

	free(f->mem);
	free(f);
	return 0;
}

static void publish(struct fake *f, bool image, long long bdsm)
{
	if (image)
		fw_cfg_model_add(&f->m, IGDPT_FW_CFG_OPREGION_FILE, f->image, sizeof(f->image));
	if (bdsm >= 0) {
		igdpt_put_le64(f->bdsm_le, (uint64_t)bdsm);
		fw_cfg_model_add(&f->m, IGDPT_FW_CFG_BDSM_SIZE_FILE, f->bdsm_le, sizeof(f->bdsm_le));
	}
	assert_int_equal(igdpt_fw_cfg_init(&f->fc, &f->m.io, f->mem, DMA_AREA, true, NULL), 0);
}

static int run(struct fake *f, struct igdpt_efi_setup_result *r)
{
	return igdpt_efi_setup_igd(&f->p, &f->fc, &f->igd, r);
}

static uint32_t asls(const struct fake *f)
{
	return igdpt_le32(f->cfg + IGDPT_PCI_ASLS_OFFSET);
}

static void test_places_opregion_and_stolen_gen9(void **state)
{
	struct fake *f = *state;
	struct igdpt_efi_setup_result r;
	uint32_t bdsm;

	publish(f, true, 8 * MIB);
	assert_int_equal(run(f, &r), 0);
	assert_int_equal(r.opregion, IGDPT_EFI_DONE);
	assert_int_equal(asls(f), r.asls);
	assert_int_equal(r.asls % PAGE, 0);
	assert_int_equal(f_memmap(f, r.asls, sizeof(f->image)), IGDPT_E820_NVS);
	assert_memory_equal(f->mem + (r.asls - MEM_BASE), f->image, sizeof(f->image));
	assert_int_equal(pages_of(f, IGDPT_E820_NVS), 2);

	assert_int_equal(r.stolen, IGDPT_EFI_DONE);
	assert_int_equal(r.bdsm_register, IGDPT_PCI_BDSM_OFFSET);
	bdsm = igdpt_le32(f->cfg + IGDPT_PCI_BDSM_OFFSET);
	assert_int_equal(bdsm, r.bdsm_base);
	assert_int_equal(bdsm % MIB, 0);
	assert_int_equal(f_memmap(f, bdsm, 8 * MIB), IGDPT_E820_RESERVED);
	/* Head and tail of the over-allocation given back. */
	assert_int_equal(pages_of(f, IGDPT_E820_RESERVED), 8 * MIB / PAGE);
	assert_int_equal(igdpt_le32(f->cfg + IGDPT_PCI_BDSM64_OFFSET), 0);
	assert_true(logged(f, "ASLS written"));
	assert_true(logged(f, "BDSM 0x5c (32-bit, gen 9)"));
}

static void test_tail_zeroed_for_odd_size(void **state)
{
	struct fake *f = *state;
	struct igdpt_efi_setup_result r;
	static uint8_t big[IGDPT_OPREGION_BASE_SIZE + 100];

	memcpy(big, f->image, sizeof(f->image));
	fw_cfg_model_add(&f->m, IGDPT_FW_CFG_OPREGION_FILE, big, sizeof(big));
	assert_int_equal(igdpt_fw_cfg_init(&f->fc, &f->m.io, f->mem, DMA_AREA, true, NULL), 0);
	assert_int_equal(run(f, &r), 0);
	assert_int_equal(r.opregion, IGDPT_EFI_DONE);
	assert_int_equal(pages_of(f, IGDPT_E820_NVS), 3);
	assert_true(igdpt_bytes_all_zero(f->mem + (r.asls - MEM_BASE) + sizeof(big),
					 3 * PAGE - sizeof(big)));
}

static void test_gen12_uses_bdsm64(void **state)
{
	struct fake *f = *state;
	struct igdpt_efi_setup_result r;

	f->igd.device_id = 0x9A49;
	publish(f, true, 8 * MIB);
	assert_int_equal(run(f, &r), 0);
	assert_int_equal(r.stolen, IGDPT_EFI_DONE);
	assert_int_equal(r.bdsm_register, IGDPT_PCI_BDSM64_OFFSET);
	assert_int_equal(igdpt_le64(f->cfg + IGDPT_PCI_BDSM64_OFFSET), r.bdsm_base);
	assert_int_equal(igdpt_le32(f->cfg + IGDPT_PCI_BDSM_OFFSET), 0);
}

static void test_invalid_image_refused(void **state)
{
	struct fake *f = *state;
	struct igdpt_efi_setup_result r;

	f->image[0] = 'X';
	publish(f, true, -1);
	assert_int_equal(run(f, &r), -IGDPT_EINVAL);
	assert_int_equal(r.opregion, IGDPT_EFI_REFUSED);
	assert_int_equal(asls(f), 0);
	assert_int_equal(pages_of(f, IGDPT_E820_NVS), 0); /* freed */
	assert_true(logged(f, "OpRegion signature"));
	assert_true(logged(f, "ASLS stays 0"));
	assert_string_equal(r.reason, "fw_cfg etc/igd-opregion failed validation");
}

static void test_no_file_and_no_device(void **state)
{
	struct fake *f = *state;
	struct igdpt_efi_setup_result r;

	publish(f, false, -1);
	assert_int_equal(run(f, &r), 0);
	assert_int_equal(r.opregion, IGDPT_EFI_NOT_REQUESTED);
	assert_int_equal(r.stolen, IGDPT_EFI_NOT_REQUESTED);
	assert_true(logged(f, "no fw_cfg file etc/igd-opregion"));
	assert_int_equal(f->allocs, 0);

	f->m.absent = true;
	assert_int_equal(igdpt_fw_cfg_init(&f->fc, &f->m.io, f->mem, DMA_AREA, true, NULL),
			 -IGDPT_ENODEV);
	assert_int_equal(run(f, &r), -IGDPT_ENODEV);
	assert_int_equal(r.opregion, IGDPT_EFI_REFUSED);
	assert_true(logged(f, "no fw_cfg device"));
	assert_int_equal(asls(f), 0);
	assert_int_equal(f->cfg_writes, 0);
}

static void test_allocation_failure(void **state)
{
	struct fake *f = *state;
	struct igdpt_efi_setup_result r;

	publish(f, true, 8 * MIB);
	f->fail_allocs = 2;
	assert_int_equal(run(f, &r), -IGDPT_ENOMEM);
	assert_int_equal(r.opregion, IGDPT_EFI_REFUSED);
	assert_int_equal(r.stolen, IGDPT_EFI_REFUSED);
	assert_int_equal(asls(f), 0);
	assert_int_equal(igdpt_le32(f->cfg + IGDPT_PCI_BDSM_OFFSET), 0);
	assert_int_equal(f->cfg_writes, 0);
}

static void test_never_twice(void **state)
{
	struct fake *f = *state;
	struct igdpt_efi_setup_result r1, r2;
	unsigned writes;

	publish(f, true, 8 * MIB);
	assert_int_equal(run(f, &r1), 0);
	writes = f->cfg_writes;
	assert_int_equal(run(f, &r2), 0);
	assert_int_equal(r2.opregion, IGDPT_EFI_ALREADY);
	assert_int_equal(r2.stolen, IGDPT_EFI_ALREADY);
	assert_int_equal(r2.asls, r1.asls);
	assert_int_equal(f->cfg_writes, writes);
	assert_int_equal(pages_of(f, IGDPT_E820_NVS), 2);
}

static void test_stale_asls_replaced(void **state)
{
	struct fake *f = *state;
	struct igdpt_efi_setup_result r;
	uint32_t stale = (uint32_t)(MEM_BASE + 100 * PAGE); /* free memory: a previous boot's */

	igdpt_put_le32(f->cfg + IGDPT_PCI_ASLS_OFFSET, stale);
	publish(f, true, -1);
	assert_int_equal(run(f, &r), 0);
	assert_int_equal(r.opregion, IGDPT_EFI_DONE);
	assert_int_not_equal(asls(f), stale);
	assert_true(logged(f, "left from an earlier boot"));
}

static void test_ggc_larger_than_request(void **state)
{
	struct fake *f = *state;
	struct igdpt_efi_setup_result r;

	publish(f, true, 4 * MIB); /* GGC says 8 MiB */
	assert_int_equal(run(f, &r), 0);
	assert_int_equal(r.stolen_size, 8 * MIB);
	assert_int_equal(pages_of(f, IGDPT_E820_RESERVED), 8 * MIB / PAGE);
	assert_true(logged(f, "GGC is read-only, reserving 8192 KiB"));
	assert_int_equal(igdpt_le16(f->cfg + IGDPT_PCI_GGC_OFFSET), GGC_GEN8_GMS_8MIB);
}

static void test_stolen_skipped_cases(void **state)
{
	struct fake *f = *state;
	struct igdpt_efi_setup_result r;

	/* Size 0 (QEMU >= 10 for unknown generations): OpRegion still placed. */
	publish(f, true, 0);
	assert_int_equal(run(f, &r), 0);
	assert_int_equal(r.opregion, IGDPT_EFI_DONE);
	assert_int_equal(r.stolen, IGDPT_EFI_NOT_REQUESTED);
	assert_true(logged(f, "etc/igd-bdsm-size is 0"));
}

static void test_unknown_id_and_other_slot(void **state)
{
	struct fake *f = *state;
	struct igdpt_efi_setup_result r;

	f->igd.device_id = 0x1234; /* not in the table: no guessed register */
	publish(f, true, 8 * MIB);
	assert_int_equal(run(f, &r), -IGDPT_ENOENT);
	assert_int_equal(r.opregion, IGDPT_EFI_DONE);
	assert_int_equal(r.stolen, IGDPT_EFI_REFUSED);
	assert_int_equal(pages_of(f, IGDPT_E820_RESERVED), 0);
	assert_true(logged(f, "not in igdpt's generation table"));

	/* A second IGD elsewhere: OpRegion yes, stolen memory no. */
	f->igd.device_id = 0x5916;
	f->igd.dev = 3;
	igdpt_put_le32(f->cfg + IGDPT_PCI_ASLS_OFFSET, 0);
	assert_int_equal(run(f, &r), 0);
	assert_int_equal(r.opregion, IGDPT_EFI_DONE);
	assert_int_equal(r.stolen, IGDPT_EFI_NOT_REQUESTED);
}

static void test_is_igd(void **state)
{
	(void)state;
	assert_true(igdpt_efi_is_igd(0x8086, 0x0300));
	assert_true(igdpt_efi_is_igd(0x8086, 0x0380));
	assert_false(igdpt_efi_is_igd(0x8086, 0x0302));
	assert_false(igdpt_efi_is_igd(0x1002, 0x0300));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_places_opregion_and_stolen_gen9),
		T(test_tail_zeroed_for_odd_size),
		T(test_gen12_uses_bdsm64),
		T(test_invalid_image_refused),
		T(test_no_file_and_no_device),
		T(test_allocation_failure),
		T(test_never_twice),
		T(test_stale_asls_replaced),
		T(test_ggc_larger_than_request),
		T(test_stolen_skipped_cases),
		T(test_unknown_id_and_other_slot),
		cmocka_unit_test(test_is_igd),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
