/* SPDX-License-Identifier: MIT */
/* The GT's command streamers (device/model/gt_engines.c): a context i915
 * submits runs its ring, the breadcrumb stores land in guest memory through
 * the GGTT, the status buffer tells i915 the context ran and the engine is
 * idle, in each generation's format; an indexed store lands on the dword
 * its offset names; and whatever does not resolve ends a submission without
 * a status, touching nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gt_test_ram.h"
#include "igdpt/core/bytes.h"
#include "model/gt_engines.h"

#define BAR0_SIZE (16u << 20)
#define GTT_OFFSET (8u << 20)
#define RAM_SIZE (64u << 10)
#define PAGE 4096u
/* GGTT layout of the test: page n of the GGTT window at 0x100000 maps guest
 * page n; the status page, context image (two pages) and ring live there. */
#define GGTT_BASE 0x100000u
#define HWSP_PAGE 1u
#define CTX_PAGE 2u /* PPHWSP; the register state is page 3 */
#define RING_PAGE 4u
#define SEQNO_PAGE 5u
#define GGTT(page) (GGTT_BASE + (page) * PAGE)
#define RCS 0x2000u
#define VCS0_GEN11 0x1C0000u
#define ELSP 0x230u
#define ELSQ 0x510u
#define EL_CONTROL 0x550u
#define HWS_PGA 0x80u

static uint8_t *regs, *ram;
static struct gt_test_ram test_ram;
static struct igdpt_gt gt;
static unsigned ram_writes;

static int ram_write(void *opaque, uint64_t gpa, const void *buf, size_t len)
{
	(void)opaque;
	if (!gt_test_ram_holds(&test_ram, gpa, len))
		return -1;
	memcpy(ram + gpa, buf, len);
	ram_writes++;
	return 0;
}

static const struct igdpt_gt_memory mem = { &test_ram, gt_test_ram_read, ram_write };

static uint32_t ram32(unsigned page, unsigned dword)
{
	return igdpt_le32(ram + page * PAGE + 4 * dword);
}

static void map_page(unsigned page)
{
	uint64_t pte = (uint64_t)page * PAGE | 1; /* present */
	uint8_t *at = regs + GTT_OFFSET + (GGTT(page) / PAGE) * 8;

	igdpt_put_le64(at, pte);
}

/* A context whose ring holds words[0..n) from head 0, for the engine at
 * base; the status page's CSB pointer as i915 resets it (entries - 1). */
static void context(uint32_t base, const uint32_t *words, unsigned n, unsigned csb_last_index,
		    unsigned csb_entries)
{
	uint8_t *state = ram + (CTX_PAGE + 1) * PAGE;
	const uint32_t layout[12] = {
		0, 0x1100101B, base + 0x244, 0x00090009, base + 0x34, 0, base + 0x30, 4 * n,
		base + 0x38, GGTT(RING_PAGE), base + 0x3C, 0x1, /* one page, enabled */
	};

	for (unsigned p = HWSP_PAGE; p <= SEQNO_PAGE; p++)
		map_page(p);
	for (unsigned i = 0; i < 12; i++)
		igdpt_put_le32(state + 4 * i, layout[i]);
	for (unsigned i = 0; i < n; i++)
		igdpt_put_le32(ram + RING_PAGE * PAGE + 4 * i, words[i]);
	igdpt_put_le32(regs + base + HWS_PGA, GGTT(HWSP_PAGE));
	igdpt_put_le32(ram + HWSP_PAGE * PAGE + 4 * csb_last_index, csb_entries - 1);
}

/* i915's breadcrumbs: the initial one (MI_STORE_DWORD_IMM through the
 * GGTT), a flush, the final one (PIPE_CONTROL with a GGTT qword write),
 * then commands that write nothing. */
static const uint32_t rcs_ring[] = {
	0x10400002, GGTT(SEQNO_PAGE) + 0x40, 0, 6,        /* MI_STORE_DWORD_IMM | GGTT */
	0x7A000004, 0x00101020, 0, 0, 0, 0,               /* PIPE_CONTROL, no post-sync */
	0x7A000004, 0x01104080, GGTT(SEQNO_PAGE) + 0x40, 0, 7, 0, /* seqno 7 */
	0x01000000,                                       /* MI_USER_INTERRUPT */
	0x04000001,                                       /* MI_ARB_ON_OFF */
	0x0E40C002, 0, GGTT(HWSP_PAGE) + 0xC8, 0,         /* MI_SEMAPHORE_WAIT */
	0x13244082, 0x000000D0 | 4, 0, 0,                 /* MI_FLUSH_DW, flags in 7:6 */
	0x00000000, 0x00000000, /* MI_NOOP: i915 keeps the tail qword-aligned */
};

static int setup(void **state)
{
	(void)state;
	regs = calloc(1, BAR0_SIZE);
	ram = calloc(1, RAM_SIZE);
	test_ram = (struct gt_test_ram){ ram, RAM_SIZE };
	ram_writes = 0;
	return regs && ram ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(regs);
	free(ram);
	return 0;
}

static bool elsp(uint32_t base, uint32_t port0_lo, uint32_t port0_hi)
{
	/* port 1 high, port 1 low, port 0 high, port 0 low */
	const uint32_t words[4] = { 0, 0, port0_hi, port0_lo };
	bool ran = false;

	for (unsigned i = 0; i < 4; i++)
		ran = igdpt_gt_bar0_write(&gt, regs, BAR0_SIZE, &mem, base + ELSP, words[i]);
	return ran;
}

static void test_gen9_request_completes(void **state)
{
	(void)state;
	igdpt_gt_init(&gt, 9);
	context(RCS, rcs_ring, sizeof(rcs_ring) / 4, 0x1F, 6);
	assert_true(elsp(RCS, GGTT(CTX_PAGE) | 0x119, 0x20));
	/* The last breadcrumb wins; the qword's high half is 0. */
	assert_int_equal(ram32(SEQNO_PAGE, 0x10), 7);
	assert_int_equal(ram32(SEQNO_PAGE, 0x11), 0);
	/* Two entries after index 5: idle to active, then complete + idle. */
	assert_int_equal(ram32(HWSP_PAGE, 0x1F), 1);
	assert_int_equal(ram32(HWSP_PAGE, 0x10), 1u << 0);
	assert_int_equal(ram32(HWSP_PAGE, 0x11), 0x20);
	assert_int_equal(ram32(HWSP_PAGE, 0x12), (1u << 4) | (1u << 3));
	assert_int_equal(ram32(HWSP_PAGE, 0x13), 0x20);
	/* The context image's head reads the tail, as a saved context does. */
	assert_int_equal(ram32(CTX_PAGE + 1, 5), sizeof(rcs_ring));
	/* Resubmitted with nothing new: the ring is not run again. */
	igdpt_put_le32(ram + SEQNO_PAGE * PAGE + 0x40, 0);
	assert_true(elsp(RCS, GGTT(CTX_PAGE) | 0x119, 0x20));
	assert_int_equal(ram32(SEQNO_PAGE, 0x10), 0);
	assert_int_equal(ram32(HWSP_PAGE, 0x1F), 3);
}

static void test_gen9_partial_elsp_runs_nothing(void **state)
{
	(void)state;
	igdpt_gt_init(&gt, 9);
	context(RCS, rcs_ring, sizeof(rcs_ring) / 4, 0x1F, 6);
	for (unsigned i = 0; i < 3; i++)
		assert_false(igdpt_gt_bar0_write(&gt, regs, BAR0_SIZE, &mem, RCS + ELSP, 0));
	/* Another register of the engine, or of no engine: not a submission. */
	assert_false(igdpt_gt_bar0_write(&gt, regs, BAR0_SIZE, &mem, RCS + 0x234, 1));
	assert_false(igdpt_gt_bar0_write(&gt, regs, BAR0_SIZE, &mem, 0x3230, 1));
	assert_int_equal(ram_writes, 0);
}

static void test_gen12_request_completes(void **state)
{
	const uint32_t hi = 0x3u << 5; /* SW context ID 3 */

	(void)state;
	igdpt_gt_init(&gt, 12);
	context(VCS0_GEN11, rcs_ring, sizeof(rcs_ring) / 4, 0x2F, 12);
	igdpt_put_le32(regs + VCS0_GEN11 + ELSQ, GGTT(CTX_PAGE) | 0x119);
	igdpt_put_le32(regs + VCS0_GEN11 + ELSQ + 4, hi);
	assert_true(igdpt_gt_bar0_write(&gt, regs, BAR0_SIZE, &mem, VCS0_GEN11 + EL_CONTROL, 1));
	assert_int_equal(ram32(SEQNO_PAGE, 0x10), 7);
	assert_int_equal(ram32(HWSP_PAGE, 0x2F), 1);
	/* to context 3 from idle (a new queue); then from 3 to idle */
	assert_int_equal(ram32(HWSP_PAGE, 0x10), (3u << 15) | 1);
	assert_int_equal(ram32(HWSP_PAGE, 0x11), 0x7FFu << 15);
	assert_int_equal(ram32(HWSP_PAGE, 0x12), 0x7FFu << 15);
	assert_int_equal(ram32(HWSP_PAGE, 0x13), 3u << 15);
}

static void test_unresolved_context_reports_nothing(void **state)
{
	uint8_t *pte;

	(void)state;
	igdpt_gt_init(&gt, 9);
	context(RCS, rcs_ring, sizeof(rcs_ring) / 4, 0x1F, 6);
	/* The register state's page is not mapped. */
	pte = regs + GTT_OFFSET + (GGTT(CTX_PAGE + 1) / PAGE) * 8;
	pte[0] = 0;
	assert_true(elsp(RCS, GGTT(CTX_PAGE) | 0x119, 0x20));
	assert_int_equal(ram_writes, 0);
	/* Mapped, but not a context image: the ring registers are not named. */
	map_page(CTX_PAGE + 1);
	igdpt_put_le32(ram + (CTX_PAGE + 1) * PAGE + 4 * 4, 0x1234);
	assert_true(elsp(RCS, GGTT(CTX_PAGE) | 0x119, 0x20));
	assert_int_equal(ram_writes, 0);
	/* A page beyond guest RAM. */
	context(RCS, rcs_ring, sizeof(rcs_ring) / 4, 0x1F, 6);
	igdpt_put_le32(regs + GTT_OFFSET + (GGTT(RING_PAGE) / PAGE) * 8, 0x7FFFF001);
	assert_true(elsp(RCS, GGTT(CTX_PAGE) | 0x119, 0x20));
	assert_int_equal(ram_writes, 0);
	/* An invalid descriptor: nothing runs. */
	map_page(RING_PAGE);
	assert_true(elsp(RCS, GGTT(CTX_PAGE), 0x20));
	assert_int_equal(ram_writes, 0);
}

static void test_runaway_ring_is_cut(void **state)
{
	/* A command whose length runs past one turn of the ring. */
	const uint32_t words[] = { 0x7A0000FF, 0, 0, 0 };

	(void)state;
	igdpt_gt_init(&gt, 9);
	context(RCS, words, 4, 0x1F, 6);
	assert_true(elsp(RCS, GGTT(CTX_PAGE) | 0x119, 0x20));
	assert_int_equal(ram_writes, 0);
	/* Head past the ring's end. */
	context(RCS, rcs_ring, sizeof(rcs_ring) / 4, 0x1F, 6);
	igdpt_put_le32(ram + (CTX_PAGE + 1) * PAGE + 4 * 5, 2 * PAGE);
	assert_true(elsp(RCS, GGTT(CTX_PAGE) | 0x119, 0x20));
	assert_int_equal(ram_writes, 0);
}

static void test_store_index_is_dword_aligned(void **state)
{
	/* MI_STORE_DWORD_INDEX with an offset whose low bits are set (the
	 * hardware ignores them), then padding. */
	const uint32_t words[] = { 0x10800001, 0x103, 9, 0 };

	(void)state;
	igdpt_gt_init(&gt, 9);
	context(RCS, words, 4, 0x1F, 6);
	assert_true(elsp(RCS, GGTT(CTX_PAGE) | 0x119, 0x20));
	assert_int_equal(ram32(CTX_PAGE, 0x100 / 4), 9);
	assert_int_equal(ram32(CTX_PAGE, 0x104 / 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gen9_request_completes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen9_partial_elsp_runs_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen12_request_completes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unresolved_context_reports_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_runaway_ring_is_cut, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_index_is_dword_aligned, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
