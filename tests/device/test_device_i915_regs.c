/* SPDX-License-Identifier: MIT */
/* Unit tests for the i915 register behaviours of igdpt-device: each wait
 * Linux 6.1 and 6.12 i915 do on a register must complete at once (forcewake
 * acks, PCODE commands including SAGV disable, an engine told to stop
 * reporting idle, Tiger Lake's Type-C PHYs ready, the eDP panel powered as
 * firmware left it) or fail fast the way the
 * driver takes as "no sink" (AUX: done + timeout, never a stale receive
 * error). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/i915_regs.h"

#define REGS_SIZE (2u << 20) /* BAR0's MMIO half */
#define FW_REQ_RENDER 0xA278u
#define FW_ACK_RENDER 0x0D84u
#define PCODE_MAILBOX 0x138124u
#define PCODE_DATA 0x138128u
#define PCODE_READY (1u << 31)
#define PCODE_SAGV_CONTROL 0x21u
#define AUX_CTL_A 0x64010u
#define AUX_SEND_BUSY (1u << 31)
#define AUX_DONE (1u << 30)
#define AUX_TIMEOUT (1u << 28)
#define AUX_RECEIVE_ERROR (1u << 25)
#define PLAIN_REGISTER 0x70180u
#define FW_REQ_VDBOX0_GEN11 0xA540u
#define FW_ACK_VDBOX0_GEN11 0x0D50u
#define DE_PLL_ENABLE_GEN11 0x46070u
#define PLL_ENABLE (1u << 31)
#define PLL_LOCK (1u << 30)
#define RING_MI_MODE_RCS 0x209Cu
#define RING_MI_MODE_VCS0_GEN11 0x1C009Cu
#define MI_MODE_STOP_RING (1u << 8)
#define MI_MODE_IDLE (1u << 9)
#define PORT_TX_DFLEXDPPMS_FIA1 0x163890u
#define PORT_TX_DFLEXDPCSSS_FIA1 0x163894u
#define PP_STATUS_0 0xC7200u
#define PP_CONTROL_0 0xC7204u
#define PP_STATUS_1 0xC7300u
#define PP_CONTROL_1 0xC7304u
#define PP_ON (1u << 31)
#define PP_STATE_ON_IDLE 0x8u
#define PP_POWER_TARGET_ON (1u << 0)
#define EDP_FORCE_VDD (1u << 3)
#define GPIO_CTL_E 0xC5020u /* Kaby Lake's DDC pins of port B */
#define GPIO_CLOCK_DIR_MASK (1u << 0)
#define GPIO_CLOCK_DIR_OUT (1u << 1)
#define GPIO_CLOCK_VAL_MASK (1u << 2)
#define GPIO_CLOCK_VAL_OUT (1u << 3)
#define GPIO_CLOCK_VAL_IN (1u << 4)
#define GPIO_DATA_DIR_MASK (1u << 8)
#define GPIO_DATA_DIR_OUT (1u << 9)
#define GPIO_DATA_VAL_MASK (1u << 10)
#define GPIO_DATA_VAL_OUT (1u << 11)
#define GPIO_DATA_VAL_IN (1u << 12)

static uint8_t *regs;

static int setup(void **state)
{
	(void)state;
	regs = calloc(1, REGS_SIZE);
	return regs ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(regs);
	return 0;
}

static uint32_t rd(uint32_t off)
{
	uint32_t v = 0;

	if (!igdpt_i915_read(regs, off, &v))
		v = (uint32_t)regs[off] | (uint32_t)regs[off + 1] << 8 |
		    (uint32_t)regs[off + 2] << 16 | (uint32_t)regs[off + 3] << 24;
	return v;
}

static void wr(uint32_t off, uint32_t v)
{
	if (!igdpt_i915_write(regs, off, v))
		for (unsigned i = 0; i < 4; i++)
			regs[off + i] = (uint8_t)(v >> (8 * i));
}

static void test_forcewake_ack_mirrors_masked_request(void **state)
{
	(void)state;
	wr(FW_REQ_RENDER, 0x00010001u); /* set bit 0 */
	assert_int_equal(rd(FW_ACK_RENDER), 0x1);
	wr(FW_REQ_RENDER, 0x00020002u); /* set bit 1, bit 0 untouched */
	assert_int_equal(rd(FW_ACK_RENDER), 0x3);
	wr(FW_REQ_RENDER, 0x00010000u); /* clear bit 0 */
	assert_int_equal(rd(FW_ACK_RENDER), 0x2);
}

static void test_pcode_sagv_disable_completes(void **state)
{
	(void)state;
	wr(PCODE_DATA, 0); /* GEN9_SAGV_DISABLE */
	wr(PCODE_MAILBOX, PCODE_READY | PCODE_SAGV_CONTROL);
	assert_int_equal(rd(PCODE_MAILBOX) & PCODE_READY, 0);
	assert_int_equal(rd(PCODE_DATA) & 1u, 1u); /* GEN9_SAGV_IS_DISABLED */
}

static void test_aux_send_times_out_cleanly(void **state)
{
	uint32_t v;

	(void)state;
	/* The driver clears the status bits (write 1) while starting a send. */
	wr(AUX_CTL_A, AUX_SEND_BUSY | AUX_DONE | AUX_TIMEOUT | AUX_RECEIVE_ERROR | 0x3Fu);
	v = rd(AUX_CTL_A);
	assert_int_equal(v & AUX_SEND_BUSY, 0);
	assert_int_equal(v & AUX_DONE, AUX_DONE);
	assert_int_equal(v & AUX_TIMEOUT, AUX_TIMEOUT);
	assert_int_equal(v & AUX_RECEIVE_ERROR, 0);
	/* Clearing without a send leaves no status behind. */
	wr(AUX_CTL_A, AUX_DONE | AUX_TIMEOUT | AUX_RECEIVE_ERROR);
	assert_int_equal(rd(AUX_CTL_A) & (AUX_DONE | AUX_TIMEOUT | AUX_RECEIVE_ERROR), 0);
}

/* Tiger Lake: media forcewake per engine, CDCLK PLL lock. */
static void test_gen11_forcewake_and_cdclk_pll(void **state)
{
	(void)state;
	wr(FW_REQ_VDBOX0_GEN11, 0x00010001u);
	assert_int_equal(rd(FW_ACK_VDBOX0_GEN11), 0x1);
	wr(DE_PLL_ENABLE_GEN11, PLL_ENABLE);
	assert_int_equal(rd(DE_PLL_ENABLE_GEN11) & PLL_LOCK, PLL_LOCK);
	wr(DE_PLL_ENABLE_GEN11, 0);
	assert_int_equal(rd(DE_PLL_ENABLE_GEN11) & PLL_LOCK, 0);
}

/* intel_engine_stop_cs: STOP_RING set (masked), then MODE_IDLE awaited. */
static void test_stopped_engine_reports_idle(void **state)
{
	static const uint32_t mi_mode[] = { RING_MI_MODE_RCS, RING_MI_MODE_VCS0_GEN11 };

	(void)state;
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(rd(mi_mode[i]) & MI_MODE_IDLE, 0);
		wr(mi_mode[i], MI_MODE_STOP_RING << 16 | MI_MODE_STOP_RING);
		assert_int_equal(rd(mi_mode[i]) & (MI_MODE_IDLE | MI_MODE_STOP_RING),
				 MI_MODE_IDLE | MI_MODE_STOP_RING);
		/* The guest cannot set the idle bit itself. */
		wr(mi_mode[i], MI_MODE_STOP_RING << 16);
		wr(mi_mode[i], MI_MODE_IDLE << 16 | MI_MODE_IDLE);
		assert_int_equal(rd(mi_mode[i]) & (MI_MODE_IDLE | MI_MODE_STOP_RING), 0);
	}
}

/* 6.12 intel_tc.c: TC port 1 (port D) as a legacy port waits for PHY ready,
 * then takes ownership through DFLEXDPCSSS, which reads back. */
static void test_type_c_phy_ready_and_owned(void **state)
{
	(void)state;
	assert_int_equal(rd(PORT_TX_DFLEXDPPMS_FIA1) & 0x1u, 0x1u);
	wr(PORT_TX_DFLEXDPPMS_FIA1, 0); /* status: the guest cannot clear it */
	assert_int_equal(rd(PORT_TX_DFLEXDPPMS_FIA1), 0x3Fu);
	wr(PORT_TX_DFLEXDPCSSS_FIA1, 0x1u);
	assert_int_equal(rd(PORT_TX_DFLEXDPCSSS_FIA1), 0x1u);
}

/* The eDP panel as firmware that lit it leaves it: i915 sees it powered and
 * idle, so it waits neither the power cycle nor the power-up delay; the
 * status follows PP_CONTROL's power target, never a guest write. */
static void test_panel_powered_as_firmware_left_it(void **state)
{
	(void)state;
	igdpt_i915_firmware_state(regs);
	assert_int_equal(rd(PP_CONTROL_0), PP_POWER_TARGET_ON);
	assert_int_equal(rd(PP_STATUS_0), PP_ON | PP_STATE_ON_IDLE);
	wr(PP_CONTROL_0, PP_POWER_TARGET_ON | EDP_FORCE_VDD); /* VDD on: stays on */
	assert_int_equal(rd(PP_STATUS_0), PP_ON | PP_STATE_ON_IDLE);
	wr(PP_CONTROL_0, 0); /* panel off: off and idle at once */
	assert_int_equal(rd(PP_STATUS_0), 0);
	wr(PP_STATUS_0, PP_ON); /* status: the guest cannot set it */
	assert_int_equal(rd(PP_STATUS_0), 0);
	/* Sequencer 1 has no panel until the guest powers one. */
	assert_int_equal(rd(PP_STATUS_1), 0);
	wr(PP_CONTROL_1, PP_POWER_TARGET_ON);
	assert_int_equal(rd(PP_STATUS_1), PP_ON | PP_STATE_ON_IDLE);
}

/* Bit-banged I2C on a DDC pin pair with nothing attached: a released line
 * reads high (pulled up), a line driven low reads low, and a write changes
 * only what its mask bits select. i915's i2c-algo-bit then gets the address
 * byte's NAK at once instead of waiting for a clock held low. */
static void test_ddc_lines_pulled_up(void **state)
{
	(void)state;
	assert_int_equal(rd(GPIO_CTL_E) & (GPIO_CLOCK_VAL_IN | GPIO_DATA_VAL_IN),
			 GPIO_CLOCK_VAL_IN | GPIO_DATA_VAL_IN);
	/* i915's set_clock(low): drive the clock out, value 0 */
	wr(GPIO_CTL_E, GPIO_CLOCK_DIR_MASK | GPIO_CLOCK_DIR_OUT | GPIO_CLOCK_VAL_MASK);
	assert_int_equal(rd(GPIO_CTL_E) & (GPIO_CLOCK_VAL_IN | GPIO_DATA_VAL_IN), GPIO_DATA_VAL_IN);
	/* the data line's write leaves the clock driven low */
	wr(GPIO_CTL_E, GPIO_DATA_DIR_MASK | GPIO_DATA_DIR_OUT | GPIO_DATA_VAL_MASK);
	assert_int_equal(rd(GPIO_CTL_E) & (GPIO_CLOCK_VAL_IN | GPIO_DATA_VAL_IN), 0);
	/* a write without mask bits changes nothing */
	wr(GPIO_CTL_E, GPIO_CLOCK_VAL_OUT);
	assert_int_equal(rd(GPIO_CTL_E) & GPIO_CLOCK_VAL_IN, 0);
	/* set_clock(high) releases the line: the pull-up wins */
	wr(GPIO_CTL_E, GPIO_CLOCK_DIR_MASK);
	assert_int_equal(rd(GPIO_CTL_E) & (GPIO_CLOCK_VAL_IN | GPIO_CLOCK_DIR_OUT), GPIO_CLOCK_VAL_IN);
	/* driven high reads high */
	wr(GPIO_CTL_E, GPIO_DATA_DIR_MASK | GPIO_DATA_DIR_OUT | GPIO_DATA_VAL_MASK | GPIO_DATA_VAL_OUT);
	assert_int_equal(rd(GPIO_CTL_E) & GPIO_DATA_VAL_IN, GPIO_DATA_VAL_IN);
}

static void test_plain_register_is_not_special(void **state)
{
	uint32_t v;

	(void)state;
	assert_false(igdpt_i915_read(regs, PLAIN_REGISTER, &v));
	assert_false(igdpt_i915_write(regs, PLAIN_REGISTER, 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_forcewake_ack_mirrors_masked_request, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pcode_sagv_disable_completes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aux_send_times_out_cleanly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gen11_forcewake_and_cdclk_pll, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stopped_engine_reports_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_type_c_phy_ready_and_owned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_panel_powered_as_firmware_left_it, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ddc_lines_pulled_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plain_register_is_not_special, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
