/* SPDX-License-Identifier: MIT */
/* Unit tests: the fw_cfg client (lib/core/fw_cfg.c) against the fw_cfg
 * device model: directory parsing, PIO vs DMA choice, bounce buffering,
 * DMA errors, an absent device, and the pure directory helpers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fw_cfg_model.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/fw_cfg.h"

#define MEM_SIZE (256u * 1024u)
#define MEM_BASE 0x7f000000ull
#define DMA_AREA_SIZE 4096u
#define IMAGE_SIZE 8192u

struct env {
	uint8_t *mem;
	struct fw_cfg_model m;
	uint8_t image[IMAGE_SIZE];
	uint16_t image_key;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	e->mem = calloc(1, MEM_SIZE);
	for (size_t i = 0; i < sizeof(e->image); i++)
		e->image[i] = (uint8_t)(i * 7 + 3);
	fw_cfg_model_init(&e->m, e->mem, MEM_SIZE, MEM_BASE, true);
	fw_cfg_model_add(&e->m, "etc/boot-fail-wait", (const uint8_t *)"\x05\0\0\0", 4);
	fw_cfg_model_add(&e->m, "etc/e820", e->image, 40);
	e->image_key = fw_cfg_model_add(&e->m, "etc/igd-opregion", e->image, sizeof(e->image));
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	free(e->mem);
	free(e);
	return 0;
}

static void test_pio_when_dma_not_offered(void **state)
{
	struct env *e = *state;
	struct igdpt_fw_cfg fc;
	struct igdpt_fw_cfg_file f;
	uint8_t *buf = e->mem + DMA_AREA_SIZE;

	e->m.dma_offered = false;
	assert_int_equal(igdpt_fw_cfg_init(&fc, &e->m.io, e->mem, DMA_AREA_SIZE, true, NULL), 0);
	assert_true(fc.present);
	assert_false(fc.dma);
	assert_int_equal(igdpt_fw_cfg_find(&fc, "etc/igd-opregion", &f, NULL), 0);
	assert_int_equal(f.key, e->image_key);
	assert_int_equal(f.size, IMAGE_SIZE);
	assert_string_equal(f.name, "etc/igd-opregion");
	assert_int_equal(igdpt_fw_cfg_read(&fc, f.key, buf, f.size, NULL), 0);
	assert_memory_equal(buf, e->image, IMAGE_SIZE);
	assert_int_equal(fc.stats.dma_transfers, 0);
	assert_int_equal(e->m.dma_transfers, 0);
	assert_true(fc.stats.pio_bytes >= IMAGE_SIZE);
	/* The client counts exactly what the device saw. */
	assert_int_equal(fc.stats.port_reads, e->m.data_reads);
	assert_int_equal(fc.stats.port_writes, e->m.selects);
}

static void test_dma_when_offered(void **state)
{
	struct env *e = *state;
	struct igdpt_fw_cfg fc;
	struct igdpt_fw_cfg_file f;
	uint8_t *buf = e->mem + DMA_AREA_SIZE;

	assert_int_equal(igdpt_fw_cfg_init(&fc, &e->m.io, e->mem, DMA_AREA_SIZE, true, NULL), 0);
	assert_true(fc.dma);
	assert_true(fc.features & IGDPT_FW_CFG_ID_DMA);
	assert_int_equal(igdpt_fw_cfg_find(&fc, "etc/igd-opregion", &f, NULL), 0);
	assert_int_equal(igdpt_fw_cfg_read(&fc, f.key, buf, f.size, NULL), 0);
	assert_memory_equal(buf, e->image, IMAGE_SIZE);
	/* Straight into the reachable destination: one transfer, no PIO data. */
	assert_int_equal(fc.stats.pio_bytes, IGDPT_FW_CFG_SIGNATURE_SIZE + IGDPT_FW_CFG_ID_SIZE);
	assert_int_equal(fc.stats.dma_bytes, 4 + 3 * 64 + IMAGE_SIZE);
	assert_int_equal(fc.stats.dma_transfers, e->m.dma_transfers);
	assert_int_equal(fc.stats.port_writes, e->m.selects + e->m.dma_writes);
}

static void test_dma_refused_by_caller_or_memory(void **state)
{
	struct env *e = *state;
	struct igdpt_fw_cfg fc;
	uint8_t outside[DMA_AREA_SIZE];

	assert_int_equal(igdpt_fw_cfg_init(&fc, &e->m.io, e->mem, DMA_AREA_SIZE, false, NULL), 0);
	assert_false(fc.dma);
	/* A DMA area the device cannot reach. */
	assert_int_equal(igdpt_fw_cfg_init(&fc, &e->m.io, outside, sizeof(outside), true, NULL), 0);
	assert_false(fc.dma);
	/* Too small for a descriptor and one directory entry. */
	assert_int_equal(igdpt_fw_cfg_init(&fc, &e->m.io, e->mem, IGDPT_FW_CFG_DMA_AREA_MIN - 1,
					   true, NULL), 0);
	assert_false(fc.dma);
}

static void test_dma_bounce_for_unreachable_destination(void **state)
{
	struct env *e = *state;
	struct igdpt_fw_cfg fc;
	struct igdpt_fw_cfg_file f;
	uint8_t *outside = malloc(IMAGE_SIZE);

	/* A small area: the directory comes in batches, the image in chunks. */
	assert_int_equal(igdpt_fw_cfg_init(&fc, &e->m.io, e->mem, IGDPT_FW_CFG_DMA_AREA_MIN, true,
					   NULL), 0);
	assert_true(fc.dma);
	assert_int_equal(igdpt_fw_cfg_find(&fc, "etc/igd-opregion", &f, NULL), 0);
	assert_int_equal(igdpt_fw_cfg_read(&fc, f.key, outside, f.size, NULL), 0);
	assert_memory_equal(outside, e->image, IMAGE_SIZE);
	assert_int_equal(fc.stats.dma_transfers, 1 + 3 + IMAGE_SIZE / IGDPT_FW_CFG_DIR_ENTRY_SIZE);
	free(outside);
}

static void test_missing_file_and_bad_names(void **state)
{
	struct env *e = *state;
	struct igdpt_fw_cfg fc;
	struct igdpt_fw_cfg_file f;
	struct igdpt_diag d = { 0 };
	char longname[80];

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	for (int dma = 0; dma < 2; dma++) {
		assert_int_equal(igdpt_fw_cfg_init(&fc, &e->m.io, e->mem, DMA_AREA_SIZE, dma, NULL), 0);
		assert_int_equal(igdpt_fw_cfg_find(&fc, "etc/igd-bdsm-size", &f, NULL), -IGDPT_ENOENT);
		/* A prefix of an existing name is not a match. */
		assert_int_equal(igdpt_fw_cfg_find(&fc, "etc/igd", &f, NULL), -IGDPT_ENOENT);
		assert_int_equal(igdpt_fw_cfg_find(&fc, longname, &f, &d), -IGDPT_EINVAL);
		assert_non_null(d.reason);
		assert_int_equal(igdpt_fw_cfg_find(&fc, "", &f, NULL), -IGDPT_EINVAL);
	}
}

static void test_absent_device(void **state)
{
	struct env *e = *state;
	struct igdpt_fw_cfg fc;
	struct igdpt_fw_cfg_file f;
	struct igdpt_diag d = { 0 };
	uint8_t b[4];

	e->m.absent = true;
	assert_int_equal(igdpt_fw_cfg_init(&fc, &e->m.io, e->mem, DMA_AREA_SIZE, true, &d),
			 -IGDPT_ENODEV);
	assert_non_null(d.reason);
	assert_false(fc.present);
	assert_int_equal(igdpt_fw_cfg_find(&fc, "etc/igd-opregion", &f, NULL), -IGDPT_ENODEV);
	assert_int_equal(igdpt_fw_cfg_read(&fc, 0x20, b, sizeof(b), NULL), -IGDPT_ENODEV);
}

static void test_dma_error(void **state)
{
	struct env *e = *state;
	struct igdpt_fw_cfg fc;
	struct igdpt_fw_cfg_file f;
	struct igdpt_diag d = { 0 };

	assert_int_equal(igdpt_fw_cfg_init(&fc, &e->m.io, e->mem, DMA_AREA_SIZE, true, NULL), 0);
	e->m.dma_fail = true;
	assert_int_equal(igdpt_fw_cfg_find(&fc, "etc/igd-opregion", &f, &d), -IGDPT_EIO);
	assert_string_equal(d.reason, "fw_cfg DMA transfer reported an error");
}

static void test_dir_helpers(void **state)
{
	struct env *e = *state;
	struct igdpt_fw_cfg_file f;
	struct igdpt_diag d = { 0 };
	size_t len = IGDPT_FW_CFG_DIR_COUNT_SIZE + e->m.nfiles * IGDPT_FW_CFG_DIR_ENTRY_SIZE;
	uint8_t entry[IGDPT_FW_CFG_DIR_ENTRY_SIZE];

	assert_int_equal(igdpt_fw_cfg_dir_count(e->m.dir), 3);
	assert_int_equal(igdpt_fw_cfg_dir_find(e->m.dir, len, "etc/e820", &f, NULL), 0);
	assert_int_equal(f.size, 40);
	assert_int_equal(f.key, FW_CFG_MODEL_FIRST_FILE_KEY + 1);
	assert_int_equal(igdpt_fw_cfg_dir_find(e->m.dir, len, "nope", &f, NULL), -IGDPT_ENOENT);
	/* Truncated: the count promises more entries than there are bytes. */
	assert_int_equal(igdpt_fw_cfg_dir_find(e->m.dir, len - 1, "etc/e820", &f, &d), -IGDPT_EINVAL);
	assert_int_equal(igdpt_fw_cfg_dir_find(e->m.dir, 3, "etc/e820", &f, NULL), -IGDPT_EINVAL);
	/* An implausible count. */
	memcpy(entry, "\xff\xff\xff\xff", 4);
	assert_int_equal(igdpt_fw_cfg_dir_find(entry, sizeof(entry), "x", &f, NULL), -IGDPT_EINVAL);
	/* A name without its NUL in 56 bytes, and an empty one, are malformed. */
	memset(entry, 'n', sizeof(entry));
	assert_int_equal(igdpt_fw_cfg_dir_entry(entry, &f), -IGDPT_EINVAL);
	memset(entry, 0, sizeof(entry));
	assert_int_equal(igdpt_fw_cfg_dir_entry(entry, &f), -IGDPT_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pio_when_dma_not_offered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dma_when_offered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dma_refused_by_caller_or_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dma_bounce_for_unreachable_destination, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_missing_file_and_bad_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absent_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dma_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_helpers, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
