/* SPDX-License-Identifier: MIT */
/* Register behaviours a guest i915 needs from the virtual IGD's BAR0.
 *
 * A driver programs a register and waits for the hardware to acknowledge:
 * forcewake acks mirror their requests, power-well and PLL state bits follow
 * their request bits, resets complete at once, the PCODE mailbox answers
 * immediately, AUX transfers time out (no sink). Fuse and status registers
 * read fixed values of a 1-slice GT2 part. The table holds what Linux 6.1
 * (Debian bookworm) and 6.12 (Debian trixie) need to finish probing: with
 * it both bind to 8086:5916 (Kaby Lake GT2) and 8086:9a49 (Tiger Lake), run
 * their OpRegion and VBT setup and finish probing with no WARNING or *ERROR*
 * line the OpRegion does not explain (checked by the 'linux' test suite:
 * `igdpt vm --guest linux --kernel bookworm|trixie`).
 *
 * Every wait the driver does on a register completes at once or fails fast
 * (a timeout the driver takes as "no sink"), so the guest never hangs here.
 *
 *   register (BAR0 offset)          answer                 why i915 needs it
 *   FORCEWAKE render/media/blitter  masked write, stored   forcewake request
 *     0xA278 0xA188 0xA270
 *   FORCEWAKE acks 0x0D84 0x130044  low 16 bits of the     every forcewake waits
 *     0x0D88                        matching request       for its ack
 *   RESET_CTL of each engine        masked; READY_TO_RESET engine reset waits
 *     base + 0xD0                   (bit 1) always set     for ready
 *   RING_MI_MODE of each engine     masked; MODE_IDLE      intel_engine_stop_cs
 *     base + 0x9C                   (bit 9) reads as       waits for the idle
 *                                   STOP_RING (bit 8)      bit after setting
 *                                                          stop (100 ms
 *                                                          timeout each, a
 *                                                          second per boot
 *                                                          without it)
 *   GEN6_GDRST 0x941C               0                      GPU reset completes
 *   GEN8_FUSE2 0x9120               1 slice, subslices 0-2 SSEU topology
 *   PCH_RAWCLK_FREQ 0xC6204         24 (MHz)               raw clock
 *   RP_STATE_CAP 0x145998           0x00060B16             RPS frequency range
 *   SKL_FUSE_STATUS 0x42000         0x8F000000             PG0-PG3 fuses done
 *   GUC_STATUS 0xC000               1                      GuC reset done
 *   GEN8_RC6_CTX_INFO 0x8504        non-zero               RC6 context valid
 *   DPLL_STATUS 0x6C060             all locked             DPLL enable waits
 *   TLB invalidation control        0: done at once        i915 invalidates the
 *     0x4260-0x4270 (gen 8-11),                              TLBs of every awake
 *     0xCED8-0xCEE4, 0xCF04 (gen 12)                         engine and waits 4 ms
 *                                                          for the bit to clear
 *                                                          ("*ERROR* ... TLB
 *                                                          invalidation did not
 *                                                          complete"); engines
 *                                                          are awake since they
 *                                                          run (gt_engines.c)
 *   GMBUS2 0xC5108                  NAK (bit 10)           nothing on DDC
 *   GPIO_CTL A-P (DDC pins)         direction and output   6.12 retries a failed
 *     0xC5010 + 4n                  bits take a write when GMBUS EDID read by
 *                                   their mask bit is set; bit-banging; lines
 *                                   clock and data in read that read low hold
 *                                   high (pulled up, as    i2c-algo-bit until
 *                                   nothing is attached)   it times out (about
 *                                   unless driven low      70 ms a port), high
 *                                                          lines end it at the
 *                                                          address byte's NAK
 *   PCODE mailbox 0x138124 /        done at once, error 0; memory latency,
 *     data 0x138128                 WM latencies (cmd 6),  CDCLK change and
 *                                   CDCLK ready (cmd 7),   SAGV disable
 *                                   SAGV disabled (0x21)   ("Failed to disable
 *                                                          SAGV" *ERROR* and a
 *                                                          skl_wm_init WARNING
 *                                                          without it)
 *   HSW_PWR_WELL_CTL1-4             state bits follow      power-well enable
 *     0x45400-0x45414               request bits           waits
 *   DBUF_CTL 0x45008, LCPLL1_CTL    bit 30 follows bit 31  DBUF/PLL enable waits
 *     0x46010, DBUF_CTL_S2 0x44FE8
 *   DP AUX_CTL A-D 0x64010+0x100n   a send ends at once:   AUX waits for done;
 *                                   done + timeout, status a timeout means "no
 *                                   bits write-1-to-clear  sink" (a stale
 *                                                          receive error would
 *                                                          be an *ERROR*)
 *   interrupt identity registers    0                      write-1-to-clear;
 *     (0x44308.. 0x63818, below)                           i915 warns when an
 *                                                          IIR is not zero
 *   gen 11+ (Tiger Lake 0x9A49):
 *   FORCEWAKE VDBOX0/2, VEBOX0      masked write; acks at  media forcewake
 *     0xA540 0xA548 0xA560          0x0D50 0x0D58 0x0D70
 *   RESET_CTL 0x1C0000 0x1D0000     READY_TO_RESET set     vcs0/vcs2/vecs0
 *     0x1C8000 (+0xD0)                                     reset
 *   GEN11_GT_SLICE_ENABLE 0x9138    1                      one slice (WARN
 *                                                          otherwise)
 *   SKL_FUSE_STATUS 0x42000         PG4, PG5 also done     TGL power gates
 *   ICL_PWR_WELL_CTL_AUX1/2, DDI1/2 state follows request  AUX A / DDI wells
 *     0x45440 0x45444 0x45450 0x45454
 *   BXT_DE_PLL_ENABLE 0x46070       lock follows enable    CDCLK PLL lock
 *   PORT_TX_DFLEXDPPMS(FIA1)        PHY status complete    Type-C ports: the
 *     0x163890                      for TC ports 1-6       IOM firmware readies
 *                                                          the PHY at boot; for
 *                                                          a port the VBT marks
 *                                                          legacy (no USB-C/TBT)
 *                                                          6.12's intel_tc.c
 *                                                          tc_phy_wait_for_ready
 *                                                          waits 500 ms, then
 *                                                          "*ERROR* Port D/TC#1:
 *                                                          timeout waiting for
 *                                                          PHY ready" and the
 *                                                          icl_tc_phy_connect /
 *                                                          __intel_tc_port_lock
 *                                                          WARNINGs (ownership,
 *                                                          DFLEXDPCSSS 0x163894,
 *                                                          is a register file)
 *   PP_CONTROL 0xC7204 0xC7304      a register file,       the eDP panel as
 *                                   POWER_TARGET_ON (bit   firmware that lit it
 *                                   0) at start            leaves it
 *   PP_STATUS 0xC7200 0xC7300       on and idle (0x8000    i915 takes a powered
 *                                   0008) while PP_CONTROL panel as it is: no
 *                                   asks power on, else    T11+T12 power-cycle
 *                                   off and idle (0)       wait (600 ms with the
 *                                                          reference VBT) and no
 *                                                          power-up delay before
 *                                                          AUX (200 ms); every
 *                                                          later wait on the
 *                                                          status ends at once
 *   everything else                 a register file: reads return what was
 *                                   written, 0 initially */
#include "i915_regs.h"

#include <string.h>

#include "igdpt/core/bytes.h"

enum rule {
	RULE_CONST,      /* reads param */
	RULE_ZERO,       /* reads 0 (write-1-to-clear identity, reset status) */
	RULE_MASKED,     /* masked write: upper 16 bits select lower 16 */
	RULE_MIRROR_LOW, /* reads the low 16 bits of the register at param */
	RULE_READY,      /* masked write; param bits always read set */
	RULE_STOP_IDLE,  /* masked write; MODE_IDLE reads as STOP_RING */
	RULE_FOLLOW,     /* every odd (request) bit copies into the even bit below */
	RULE_BIT31_TO_30,/* bit 30 (state/lock) follows bit 31 (request/enable) */
	RULE_AUX,        /* a send completes at once: done + timeout */
	RULE_PCODE_MBOX, /* runs the command in the data register */
	RULE_PANEL_STATUS, /* on and idle while the PP_CONTROL at param asks power */
	RULE_DDC_GPIO,   /* an I2C pin pair with pull-ups and nothing attached */
};

struct special {
	uint32_t offset;
	enum rule rule;
	uint32_t param;
};

#define FW_REQ_RENDER 0xA278u
#define FW_REQ_MEDIA 0xA188u
#define FW_REQ_BLITTER 0xA270u
/* Gen 11+: one forcewake domain per video / video-enhance engine. */
#define FW_REQ_VDBOX0_GEN11 0xA540u
#define FW_REQ_VDBOX2_GEN11 0xA548u
#define FW_REQ_VEBOX0_GEN11 0xA560u
#define GEN11_GT_SLICE_ENABLE 0x9138u
#define GEN11_ONE_SLICE 0x1u
/* Tiger Lake's single flexible I/O adapter (FIA1, not modular: one status bit
 * per Type-C port, DP_PHY_MODE_STATUS_COMPLETED(tc) = bit tc). */
#define PORT_TX_DFLEXDPPMS_FIA1 0x163890u
#define TC_PORTS_PHY_READY 0x3Fu
#define RESET_CTL_READY_TO_RESET (1u << 1)
/* RING_MI_MODE: an engine told to stop is idle (nothing executes here). */
#define MI_MODE_STOP_RING (1u << 8)
#define MI_MODE_IDLE (1u << 9)
#define GEN8_FUSE2_1_SLICE ((1u << 25) | (0x8u << 20))
#define PCH_RAWCLK_24MHZ 24u
#define RP_STATE_CAP_VALUE 0x00060B16u
/* Download done, PG0-PG5 distributed (Tiger Lake has PG4 and PG5). */
#define SKL_FUSE_STATUS_DONE 0x8FC00000u
#define GUC_STATUS_RESET_DONE 0x1u
#define RC6_CTX_INFO_VALID 0x1u
#define DPLL_STATUS_ALL_LOCKED 0x01010101u
#define GMBUS2_NAK (1u << 10)
/* The PCH's GPIO_CTL registers, one per DDC pin pair (GPIOA-GPIOP); i915
 * drives them for bit-banged I2C (intel_gmbus_regs.h names the bits). A
 * write changes the direction or the output value only where the matching
 * mask bit is set; the "in" bits read the line. */
#define PCH_GPIO_CTL(n) (0xC5010u + 4u * (n))
#define GPIO_CLOCK_DIR_MASK (1u << 0)
#define GPIO_CLOCK_DIR_OUT (1u << 1)
#define GPIO_CLOCK_VAL_MASK (1u << 2)
#define GPIO_CLOCK_VAL_OUT (1u << 3)
#define GPIO_CLOCK_VAL_IN (1u << 4)
#define GPIO_CLOCK_PULLUP_DISABLE (1u << 5)
#define GPIO_DATA_SHIFT 8u /* the data line's bits: the clock's, 8 higher */
#define GPIO_LINE_LATCHED (GPIO_CLOCK_DIR_OUT | GPIO_CLOCK_VAL_OUT | GPIO_CLOCK_PULLUP_DISABLE)
#define PCODE_MAILBOX 0x138124u
#define PCODE_DATA 0x138128u
#define PCODE_READY (1u << 31)
#define PCODE_CMD_MASK 0xFFu
#define PCODE_READ_MEM_LATENCY 0x6u
#define PCODE_CDCLK_CONTROL 0x7u
#define PCODE_CDCLK_READY (1u << 0)
/* skl_pcode_request(SAGV_CONTROL, DISABLE) polls the data register until
 * bit 0 (SAGV is disabled) reads 1; without it: "Failed to disable SAGV". */
#define PCODE_SAGV_CONTROL 0x21u
#define PCODE_SAGV_DISABLE 0x0u
#define PCODE_SAGV_IS_DISABLED (1u << 0)
/* Memory latencies in microseconds, levels 0-3 and 4-7, one per byte. */
#define PCODE_MEM_LATENCY_LOW 0x0F0A0502u
#define PCODE_MEM_LATENCY_HIGH 0x3C322819u
#define AUX_SEND_BUSY (1u << 31)
#define AUX_DONE (1u << 30)
#define AUX_INTERRUPT (1u << 29)
#define AUX_TIMEOUT_ERROR (1u << 28)
#define AUX_RECEIVE_ERROR (1u << 25)
/* The driver writes the status bits back as 1 to clear them. */
#define AUX_STATUS_BITS (AUX_DONE | AUX_INTERRUPT | AUX_TIMEOUT_ERROR | AUX_RECEIVE_ERROR)
/* The PCH panel power sequencers 0 and 1 (PP_STATUS; PP_CONTROL 4 above). */
#define PP_STATUS_0 0xC7200u
#define PP_STATUS_1 0xC7300u
#define PP_CONTROL_OF(status) ((status) + 4u)
#define PP_CONTROL_POWER_TARGET_ON (1u << 0)
/* PP_ON, no sequence running, no cycle delay, state "on, idle". */
#define PP_STATUS_ON_IDLE 0x80000008u
#define PP_STATUS_OFF_IDLE 0x0u
#define MASK_SHIFT 16u
#define LOW16 0xFFFFu
#define ODD_BITS 0xAAAAAAAAu
#define BIT31 (1u << 31)
#define BIT30 (1u << 30)

static const struct special specials[] = {
	{FW_REQ_RENDER, RULE_MASKED, 0},
	{FW_REQ_MEDIA, RULE_MASKED, 0},
	{FW_REQ_BLITTER, RULE_MASKED, 0},
	{0x0D84, RULE_MIRROR_LOW, FW_REQ_RENDER},
	{0x130044, RULE_MIRROR_LOW, FW_REQ_MEDIA},
	{0x0D88, RULE_MIRROR_LOW, FW_REQ_BLITTER},
	{FW_REQ_VDBOX0_GEN11, RULE_MASKED, 0},
	{FW_REQ_VDBOX2_GEN11, RULE_MASKED, 0},
	{FW_REQ_VEBOX0_GEN11, RULE_MASKED, 0},
	{0x0D50, RULE_MIRROR_LOW, FW_REQ_VDBOX0_GEN11},
	{0x0D58, RULE_MIRROR_LOW, FW_REQ_VDBOX2_GEN11},
	{0x0D70, RULE_MIRROR_LOW, FW_REQ_VEBOX0_GEN11},
	/* RESET_CTL of the render, video, video-enhance, blitter, video 2 engines */
	{0x2000 + 0xD0, RULE_READY, RESET_CTL_READY_TO_RESET},
	{0x12000 + 0xD0, RULE_READY, RESET_CTL_READY_TO_RESET},
	{0x1C000 + 0xD0, RULE_READY, RESET_CTL_READY_TO_RESET},
	{0x1A000 + 0xD0, RULE_READY, RESET_CTL_READY_TO_RESET},
	{0x22000 + 0xD0, RULE_READY, RESET_CTL_READY_TO_RESET},
	/* gen 11+: video 0 and 2, video-enhance 0 */
	{0x1C0000 + 0xD0, RULE_READY, RESET_CTL_READY_TO_RESET},
	{0x1D0000 + 0xD0, RULE_READY, RESET_CTL_READY_TO_RESET},
	{0x1C8000 + 0xD0, RULE_READY, RESET_CTL_READY_TO_RESET},
	/* RING_MI_MODE of the same engines */
	{0x2000 + 0x9C, RULE_STOP_IDLE, 0},
	{0x12000 + 0x9C, RULE_STOP_IDLE, 0},
	{0x1C000 + 0x9C, RULE_STOP_IDLE, 0},
	{0x1A000 + 0x9C, RULE_STOP_IDLE, 0},
	{0x22000 + 0x9C, RULE_STOP_IDLE, 0},
	{0x1C0000 + 0x9C, RULE_STOP_IDLE, 0},
	{0x1D0000 + 0x9C, RULE_STOP_IDLE, 0},
	{0x1C8000 + 0x9C, RULE_STOP_IDLE, 0},
	{GEN11_GT_SLICE_ENABLE, RULE_CONST, GEN11_ONE_SLICE},
	{0x941C, RULE_ZERO, 0},                       /* GEN6_GDRST */
	{0x9120, RULE_CONST, GEN8_FUSE2_1_SLICE},
	{0xC6204, RULE_CONST, PCH_RAWCLK_24MHZ},
	{0x145998, RULE_CONST, RP_STATE_CAP_VALUE},
	{0x42000, RULE_CONST, SKL_FUSE_STATUS_DONE},
	{0xC000, RULE_CONST, GUC_STATUS_RESET_DONE},
	{0x8504, RULE_CONST, RC6_CTX_INFO_VALID},
	{0x6C060, RULE_CONST, DPLL_STATUS_ALL_LOCKED},
	{0xC5108, RULE_CONST, GMBUS2_NAK},
	/* TLB invalidation control of each engine class: done at once */
	{0x4260, RULE_ZERO, 0}, {0x4264, RULE_ZERO, 0}, {0x4268, RULE_ZERO, 0},
	{0x426C, RULE_ZERO, 0}, {0x4270, RULE_ZERO, 0},
	{0xCED8, RULE_ZERO, 0}, {0xCEDC, RULE_ZERO, 0}, {0xCEE0, RULE_ZERO, 0},
	{0xCEE4, RULE_ZERO, 0}, {0xCF04, RULE_ZERO, 0},
	/* DDC pins for bit-banged I2C */
	{PCH_GPIO_CTL(0), RULE_DDC_GPIO, 0}, {PCH_GPIO_CTL(1), RULE_DDC_GPIO, 0},
	{PCH_GPIO_CTL(2), RULE_DDC_GPIO, 0}, {PCH_GPIO_CTL(3), RULE_DDC_GPIO, 0},
	{PCH_GPIO_CTL(4), RULE_DDC_GPIO, 0}, {PCH_GPIO_CTL(5), RULE_DDC_GPIO, 0},
	{PCH_GPIO_CTL(6), RULE_DDC_GPIO, 0}, {PCH_GPIO_CTL(7), RULE_DDC_GPIO, 0},
	{PCH_GPIO_CTL(8), RULE_DDC_GPIO, 0}, {PCH_GPIO_CTL(9), RULE_DDC_GPIO, 0},
	{PCH_GPIO_CTL(10), RULE_DDC_GPIO, 0}, {PCH_GPIO_CTL(11), RULE_DDC_GPIO, 0},
	{PCH_GPIO_CTL(12), RULE_DDC_GPIO, 0}, {PCH_GPIO_CTL(13), RULE_DDC_GPIO, 0},
	{PCH_GPIO_CTL(14), RULE_DDC_GPIO, 0}, {PCH_GPIO_CTL(15), RULE_DDC_GPIO, 0},
	{PCODE_MAILBOX, RULE_PCODE_MBOX, 0},
	/* HSW_PWR_WELL_CTL1-4 */
	{0x45400, RULE_FOLLOW, 0},
	{0x45404, RULE_FOLLOW, 0},
	{0x45408, RULE_FOLLOW, 0},
	{0x4540C, RULE_FOLLOW, 0},
	{0x45410, RULE_FOLLOW, 0},
	{0x45414, RULE_FOLLOW, 0},
	/* gen 11+: AUX and DDI power wells */
	{0x45440, RULE_FOLLOW, 0},
	{0x45444, RULE_FOLLOW, 0},
	{0x45450, RULE_FOLLOW, 0},
	{0x45454, RULE_FOLLOW, 0},
	/* DBUF_CTL, LCPLL1_CTL, DBUF_CTL_S2 */
	{0x45008, RULE_BIT31_TO_30, 0},
	{0x46010, RULE_BIT31_TO_30, 0},
	{0x44FE8, RULE_BIT31_TO_30, 0},
	/* gen 12 Type-C: the PHY of every TC port reports ready */
	{PORT_TX_DFLEXDPPMS_FIA1, RULE_CONST, TC_PORTS_PHY_READY},
	/* gen 11+ CDCLK PLL (BXT_DE_PLL_ENABLE): lock follows enable */
	{0x46070, RULE_BIT31_TO_30, 0},
	/* the eDP panel power sequencers */
	{PP_STATUS_0, RULE_PANEL_STATUS, PP_CONTROL_OF(PP_STATUS_0)},
	{PP_STATUS_1, RULE_PANEL_STATUS, PP_CONTROL_OF(PP_STATUS_1)},
	/* DP AUX_CTL A-D */
	{0x64010, RULE_AUX, 0},
	{0x64110, RULE_AUX, 0},
	{0x64210, RULE_AUX, 0},
	{0x64310, RULE_AUX, 0},
	/* interrupt identity registers (write 1 to clear) */
	{0x44308, RULE_ZERO, 0}, {0x44318, RULE_ZERO, 0}, {0x44328, RULE_ZERO, 0},
	{0x44338, RULE_ZERO, 0}, {0x44408, RULE_ZERO, 0}, {0x44418, RULE_ZERO, 0},
	{0x44428, RULE_ZERO, 0}, {0x44448, RULE_ZERO, 0}, {0x44468, RULE_ZERO, 0},
	{0x444E8, RULE_ZERO, 0}, {0x64838, RULE_ZERO, 0}, {0xC4008, RULE_ZERO, 0},
	{0x4F058, RULE_ZERO, 0}, {0x2028, RULE_ZERO, 0},
	/* gen 11+: pipe D, HPD, GU misc, and the transcoders' PSR/misc IIRs */
	{0x44438, RULE_ZERO, 0}, {0x44478, RULE_ZERO, 0}, {0x444F8, RULE_ZERO, 0},
	{0x60818, RULE_ZERO, 0}, {0x61818, RULE_ZERO, 0}, {0x62818, RULE_ZERO, 0},
	{0x63818, RULE_ZERO, 0},
};

static const struct special *lookup(uint32_t offset)
{
	for (size_t i = 0; i < sizeof(specials) / sizeof(specials[0]); i++)
		if (specials[i].offset == offset)
			return &specials[i];
	return NULL;
}

/* The register file is host memory, byte addressed, little endian. */
static uint32_t get32(const uint8_t *regs, uint32_t offset)
{
	return igdpt_le32(regs + offset);
}

static void put32(uint8_t *regs, uint32_t offset, uint32_t v)
{
	igdpt_put_le32(regs + offset, v);
}

/* One line of a DDC pin pair (shift 0: clock, GPIO_DATA_SHIFT: data). */
static uint32_t gpio_line_write(uint32_t stored, uint32_t value, unsigned shift)
{
	uint32_t dir = GPIO_CLOCK_DIR_OUT << shift, val = GPIO_CLOCK_VAL_OUT << shift;
	uint32_t pullup = GPIO_CLOCK_PULLUP_DISABLE << shift;

	if (value & (GPIO_CLOCK_DIR_MASK << shift))
		stored = (stored & ~dir) | (value & dir);
	if (value & (GPIO_CLOCK_VAL_MASK << shift))
		stored = (stored & ~val) | (value & val);
	return (stored & ~pullup) | (value & pullup);
}

/* The line is high unless this end drives it low: nothing else is on it. */
static uint32_t gpio_line_in(uint32_t stored, unsigned shift)
{
	bool driven_low = (stored & (GPIO_CLOCK_DIR_OUT << shift)) &&
			  !(stored & (GPIO_CLOCK_VAL_OUT << shift));

	return driven_low ? 0 : GPIO_CLOCK_VAL_IN << shift;
}

bool igdpt_i915_read(uint8_t *regs, uint32_t offset, uint32_t *value)
{
	const struct special *s = lookup(offset);
	uint32_t stored;

	if (!s)
		return false;
	stored = get32(regs, offset);
	switch (s->rule) {
	case RULE_CONST:
		*value = s->param;
		break;
	case RULE_ZERO:
		*value = 0;
		break;
	case RULE_MIRROR_LOW:
		*value = get32(regs, s->param) & LOW16;
		break;
	case RULE_READY:
		*value = stored | s->param;
		break;
	case RULE_STOP_IDLE:
		*value = (stored & ~MI_MODE_IDLE) |
			 (stored & MI_MODE_STOP_RING ? MI_MODE_IDLE : 0);
		break;
	case RULE_FOLLOW:
		*value = (stored & ODD_BITS) | ((stored & ODD_BITS) >> 1);
		break;
	case RULE_BIT31_TO_30:
		*value = (stored & ~BIT30) | ((stored & BIT31) >> 1);
		break;
	case RULE_PANEL_STATUS:
		*value = get32(regs, s->param) & PP_CONTROL_POWER_TARGET_ON ? PP_STATUS_ON_IDLE
									   : PP_STATUS_OFF_IDLE;
		break;
	case RULE_DDC_GPIO:
		*value = stored | gpio_line_in(stored, 0) | gpio_line_in(stored, GPIO_DATA_SHIFT);
		break;
	default:
		*value = stored;
		break;
	}
	return true;
}

static void run_pcode(uint8_t *regs, uint32_t mailbox)
{
	uint32_t data = get32(regs, PCODE_DATA);

	switch (mailbox & PCODE_CMD_MASK) {
	case PCODE_READ_MEM_LATENCY:
		put32(regs, PCODE_DATA, data ? PCODE_MEM_LATENCY_HIGH : PCODE_MEM_LATENCY_LOW);
		break;
	case PCODE_CDCLK_CONTROL:
		put32(regs, PCODE_DATA, data | PCODE_CDCLK_READY);
		break;
	case PCODE_SAGV_CONTROL:
		put32(regs, PCODE_DATA,
		      data == PCODE_SAGV_DISABLE ? PCODE_SAGV_IS_DISABLED : data);
		break;
	default:
		/* SAGV control and the rest: accepted, data as written. */
		break;
	}
	/* Done: not busy, error code 0. */
	put32(regs, PCODE_MAILBOX, 0);
}

bool igdpt_i915_write(uint8_t *regs, uint32_t offset, uint32_t value)
{
	const struct special *s = lookup(offset);
	uint32_t stored, mask;

	if (!s)
		return false;
	stored = get32(regs, offset);
	switch (s->rule) {
	case RULE_MASKED:
	case RULE_READY:
	case RULE_STOP_IDLE:
		mask = value >> MASK_SHIFT;
		put32(regs, offset, (stored & ~mask) | (value & mask));
		break;
	case RULE_AUX:
		/* A send ends at once with "done, timed out": no sink answers, and
		 * i915 takes a timeout as an absent panel (debug message only),
		 * while a receive error would be an *ERROR*. */
		if (value & AUX_SEND_BUSY)
			value = (value & ~(AUX_SEND_BUSY | AUX_STATUS_BITS)) | AUX_DONE |
				AUX_TIMEOUT_ERROR;
		else
			value &= ~AUX_STATUS_BITS;
		put32(regs, offset, value);
		break;
	case RULE_DDC_GPIO:
		stored = gpio_line_write(stored, value, 0);
		stored = gpio_line_write(stored, value, GPIO_DATA_SHIFT);
		put32(regs, offset, stored & (GPIO_LINE_LATCHED | GPIO_LINE_LATCHED << GPIO_DATA_SHIFT));
		break;
	case RULE_PCODE_MBOX:
		if (value & PCODE_READY)
			run_pcode(regs, value);
		else
			put32(regs, offset, value);
		break;
	case RULE_CONST:
	case RULE_ZERO:
	case RULE_MIRROR_LOW:
	case RULE_PANEL_STATUS:
		break; /* read-only */
	default:
		put32(regs, offset, value);
		break;
	}
	return true;
}

void igdpt_i915_firmware_state(uint8_t *regs)
{
	put32(regs, PP_CONTROL_OF(PP_STATUS_0), PP_CONTROL_POWER_TARGET_ON);
}
