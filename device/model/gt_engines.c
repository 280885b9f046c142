/* SPDX-License-Identifier: MIT */
/* The GT's command streamers, enough for i915's GT setup (gt_engines.h).
 *
 * The layouts are the hardware's, as i915 programs them
 * (intel_execlists_submission.c, intel_lrc.c, intel_gpu_commands.h):
 *
 *   submission   gen 8-10: four dword writes to ELSP (engine base + 0x230):
 *                port 1 high, port 1 low, port 0 high, port 0 low; gen 11+:
 *                ELSQ (base + 0x510, port n at + 8n, low then high), then
 *                EL_CTRL_LOAD (bit 0) to EXECLIST_CONTROL (base + 0x550)
 *   descriptor   low dword: bit 0 valid, bits 31:12 the context image's
 *                GGTT address; high dword: the context ID (gen 12: SW
 *                context ID in bits 15:5)
 *   context      page 1 of the image holds the register state, the ring's
 *                first: dword 5 RING_HEAD, 7 RING_TAIL, 9 RING_START, 11
 *                RING_CTL (size = bits 20:12 + 1 pages), each after the
 *                dword naming its register (low 12 bits 0x34, 0x30, 0x38,
 *                0x3c)
 *   status page  engine base + 0x80 (RING_HWS_PGA) holds its GGTT address;
 *                the context status buffer is at dword 0x10, 6 entries of
 *                two dwords (12 from gen 11), the index of the last entry
 *                written at dword 0x1f (0x2f from gen 11)
 *   GGTT         BAR0's upper half, one 8-byte entry per 4 KiB page: bit 0
 *                present, bits 45:12 the guest physical page */
#include "gt_engines.h"

#include <string.h>

#include "igdpt/core/bytes.h"

#define GTT_OFFSET (8u << 20)
#define GTT_PAGE_SHIFT 12u
#define GTT_PTE_PRESENT 1ull
#define GTT_PTE_ADDR 0x00003FFFFFFFF000ull
#define GTT_SIZE (1ull << 32) /* 4 GiB: what the 8 MiB of entries map */
#define PAGE_SIZE 4096u
#define PAGE_MASK 0xFFFFF000u

#define RING_HWS_PGA 0x80u
#define RING_ELSP 0x230u
#define RING_EXECLIST_SQ_CONTENTS 0x510u
#define RING_EXECLIST_CONTROL 0x550u
#define EL_CTRL_LOAD (1u << 0)
#define ENGINE_REG_MASK 0xFFFu

#define DESC_VALID (1u << 0)
#define CTX_STATE_OFFSET PAGE_SIZE
#define CTX_STATE_DWORDS 12u
#define CTX_RING_HEAD 5u
#define CTX_RING_TAIL 7u
#define CTX_RING_START 9u
#define CTX_RING_CTL 11u
#define REG_RING_HEAD 0x34u
#define REG_RING_TAIL 0x30u
#define REG_RING_START 0x38u
#define REG_RING_CTL 0x3Cu
#define RING_HEAD_ADDR 0x001FFFFCu
#define RING_TAIL_ADDR 0x001FFFF8u
#define RING_NR_PAGES 0x001FF000u

#define HWS_CSB_BUF0_INDEX 0x10u
#define HWS_CSB_WRITE_INDEX 0x1Fu
#define HWS_CSB_WRITE_INDEX_GEN11 0x2Fu
#define CSB_ENTRIES 6u
#define CSB_ENTRIES_GEN11 12u
/* Gen 8-11 status (low dword; the high dword is the context ID). */
#define CSB_IDLE_ACTIVE (1u << 0)
#define CSB_ELEMENT_SWITCH (1u << 2)
#define CSB_ACTIVE_IDLE (1u << 3)
#define CSB_COMPLETE (1u << 4)
/* Gen 12: the low dword names the context switched to, the high dword the
 * one switched away from (SW context ID in bits 25:15; 0x7FF: idle). */
#define CSB12_CTX_SHIFT 15u
#define CSB12_CTX_MASK 0x7FFu
#define CSB12_IDLE 0x7FFu
#define CSB12_NEW_QUEUE (1u << 0)
#define DESC12_SW_CTX_SHIFT 5u /* bits 47:37 of the descriptor */

/* Command streamer instructions: the client in bits 31:29, for MI the
 * opcode in bits 28:23. MI opcodes below 0x10 are one dword; the others and
 * the other clients carry their length minus 2 in the low bits: bits 7:0,
 * but 5:0 for MI_FLUSH_DW (bits 7:6 are flags) and 9:0 for
 * MI_STORE_DWORD_IMM (as i915's command parser reads them). */
#define CMD_CLIENT(h) ((h) >> 29)
#define CLIENT_MI 0u
#define MI_OPCODE(h) (((h) >> 23) & 0x3Fu)
#define MI_ONE_DWORD_BELOW 0x10u
#define CMD_LENGTH_BIAS 2u
#define CMD_LENGTH_MASK 0xFFu
#define MI_FLUSH_DW_LENGTH_MASK 0x3Fu
#define MI_STORE_DWORD_IMM_LENGTH_MASK 0x3FFu
#define MI_STORE_DWORD_INDEX 0x21u /* to the context's own status page */
#define MI_STORE_DWORD_INDEX_OFFSET 0xFFCu /* bits 11:2; 1:0 are ignored */
#define MI_STORE_DWORD_IMM 0x20u
#define MI_FLUSH_DW 0x26u
#define MI_USE_GGTT (1u << 22)
#define MI_FLUSH_DW_STORE_INDEX (1u << 21)
#define MI_FLUSH_DW_POST_SYNC(h) (((h) >> 14) & 3u)
#define MI_FLUSH_DW_USE_GTT (1u << 2)
#define POST_SYNC_WRITE_IMMEDIATE 1u
#define PIPE_CONTROL_MASK 0xFFFF0000u
#define PIPE_CONTROL_HEADER 0x7A000000u
#define PIPE_CONTROL_POST_SYNC(f) (((f) >> 14) & 3u)
#define PIPE_CONTROL_STORE_DATA_INDEX (1u << 21)
#define PIPE_CONTROL_GLOBAL_GTT (1u << 24)
#define CMD_MAX_DWORDS 6u /* the longest command carried out */

/* Engine register bases (i915's intel_engine_cs.c). */
static const uint32_t gen8_bases[] = { 0x2000, 0x22000, 0x12000, 0x1C000, 0x1A000 };
static const uint32_t gen11_bases[] = { 0x2000,   0x22000,  0x1C0000, 0x1C4000,
					 0x1D0000, 0x1D4000, 0x1C8000, 0x1D8000 };
_Static_assert(sizeof(gen8_bases) / sizeof(gen8_bases[0]) <= IGDPT_GT_ENGINES &&
		       sizeof(gen11_bases) / sizeof(gen11_bases[0]) <= IGDPT_GT_ENGINES,
	       "an engine without its ELSP state");

struct run {
	uint8_t *regs;
	size_t regs_size;
	const struct igdpt_gt_memory *mem;
};

struct port {
	uint32_t lo, hi;
};

void igdpt_gt_init(struct igdpt_gt *gt, unsigned generation)
{
	memset(gt, 0, sizeof(*gt));
	gt->generation = generation;
}

/* The engine whose register block holds offset, or -1. */
static int engine_of(const struct igdpt_gt *gt, uint32_t offset, uint32_t *base)
{
	const uint32_t *bases = gt->generation >= 11 ? gen11_bases : gen8_bases;
	size_t n = gt->generation >= 11 ? sizeof(gen11_bases) / sizeof(gen11_bases[0])
					: sizeof(gen8_bases) / sizeof(gen8_bases[0]);

	for (size_t i = 0; i < n; i++) {
		if ((offset & ~ENGINE_REG_MASK) == bases[i]) {
			*base = bases[i];
			return (int)i;
		}
	}
	return -1;
}

/* The guest physical address a GGTT address maps to, through a present
 * entry. */
static int ggtt_to_gpa(const struct run *r, uint64_t gtt, uint64_t *gpa)
{
	uint64_t at = GTT_OFFSET + (gtt >> GTT_PAGE_SHIFT) * sizeof(uint64_t), pte;

	if (gtt >= GTT_SIZE || at + sizeof(pte) > r->regs_size)
		return -1;
	pte = igdpt_le64(r->regs + at);
	if (!(pte & GTT_PTE_PRESENT))
		return -1;
	*gpa = (pte & GTT_PTE_ADDR) | (gtt & (PAGE_SIZE - 1));
	return 0;
}

/* len bytes at a GGTT address, inside one page. */
static int ggtt_read(const struct run *r, uint64_t gtt, void *buf, size_t len)
{
	uint64_t gpa;

	if ((gtt & (PAGE_SIZE - 1)) + len > PAGE_SIZE || ggtt_to_gpa(r, gtt, &gpa) < 0)
		return -1;
	return r->mem->read(r->mem->opaque, gpa, buf, len) < 0 ? -1 : 0;
}

static int ggtt_write(const struct run *r, uint64_t gtt, const void *buf, size_t len)
{
	uint64_t gpa;

	if ((gtt & (PAGE_SIZE - 1)) + len > PAGE_SIZE || ggtt_to_gpa(r, gtt, &gpa) < 0)
		return -1;
	return r->mem->write(r->mem->opaque, gpa, buf, len) < 0 ? -1 : 0;
}

static int ggtt_read32(const struct run *r, uint64_t gtt, uint32_t *v)
{
	uint8_t b[4];

	if (ggtt_read(r, gtt, b, sizeof(b)) < 0)
		return -1;
	*v = igdpt_le32(b);
	return 0;
}

static int ggtt_write32(const struct run *r, uint64_t gtt, uint32_t v)
{
	uint8_t b[4];

	igdpt_put_le32(b, v);
	return ggtt_write(r, gtt, b, sizeof(b));
}

/* A post-sync or store write: data[0..dwords) to the GGTT (or, indexed, to
 * the context's own status page, page 0 of its image). */
static void store(const struct run *r, uint64_t lrca, bool indexed, uint64_t addr,
		  const uint32_t *data, unsigned dwords)
{
	uint64_t at = indexed ? lrca + (addr & (PAGE_SIZE - 1)) : addr;

	for (unsigned i = 0; i < dwords; i++)
		ggtt_write32(r, at + 4u * i, data[i]);
}

/* Carries out one command (cmd[0..len)) if it writes memory through the
 * GGTT; every other command is skipped. */
static void execute(const struct run *r, uint64_t lrca, const uint32_t *cmd, unsigned len)
{
	uint32_t h = cmd[0];

	if (CMD_CLIENT(h) == CLIENT_MI) {
		switch (MI_OPCODE(h)) {
		case MI_STORE_DWORD_IMM:
			/* address low, high, then one dword or a qword */
			if ((h & MI_USE_GGTT) && len >= 4)
				store(r, lrca, false, (cmd[1] & ~3u) | (uint64_t)cmd[2] << 32, cmd + 3,
				      len - 3 > 2 ? 2 : len - 3);
			break;
		case MI_STORE_DWORD_INDEX:
			if (len >= 3)
				store(r, lrca, true, cmd[1] & MI_STORE_DWORD_INDEX_OFFSET, cmd + 2,
				      1);
			break;
		case MI_FLUSH_DW:
			if (MI_FLUSH_DW_POST_SYNC(h) == POST_SYNC_WRITE_IMMEDIATE && len >= 4 &&
			    ((h & MI_FLUSH_DW_STORE_INDEX) || (cmd[1] & MI_FLUSH_DW_USE_GTT)))
				store(r, lrca, h & MI_FLUSH_DW_STORE_INDEX,
				      (cmd[1] & ~7u) | (uint64_t)cmd[2] << 32, cmd + 3,
				      len - 3 > 2 ? 2 : len - 3);
			break;
		default:
			break;
		}
		return;
	}
	if ((h & PIPE_CONTROL_MASK) == PIPE_CONTROL_HEADER && len == 6 &&
	    PIPE_CONTROL_POST_SYNC(cmd[1]) == POST_SYNC_WRITE_IMMEDIATE &&
	    (cmd[1] & (PIPE_CONTROL_GLOBAL_GTT | PIPE_CONTROL_STORE_DATA_INDEX)))
		store(r, lrca, cmd[1] & PIPE_CONTROL_STORE_DATA_INDEX,
		      (cmd[2] & ~7u) | (uint64_t)cmd[3] << 32, cmd + 4, 2);
}

static unsigned command_length(uint32_t h)
{
	uint32_t mask = CMD_LENGTH_MASK;

	if (CMD_CLIENT(h) == CLIENT_MI) {
		if (MI_OPCODE(h) < MI_ONE_DWORD_BELOW)
			return 1;
		if (MI_OPCODE(h) == MI_FLUSH_DW)
			mask = MI_FLUSH_DW_LENGTH_MASK;
		else if (MI_OPCODE(h) == MI_STORE_DWORD_IMM)
			mask = MI_STORE_DWORD_IMM_LENGTH_MASK;
	}
	return (h & mask) + CMD_LENGTH_BIAS;
}

/* Runs one context's ring from its head to its tail; the head then reads
 * the tail, as the context image a real engine saves. -1 when something
 * does not resolve (the context then does not complete). */
static int run_context(const struct run *r, uint32_t desc_lo)
{
	uint64_t lrca = desc_lo & PAGE_MASK, state = lrca + CTX_STATE_OFFSET;
	uint32_t ctx[CTX_STATE_DWORDS], start, size, head, tail;

	for (unsigned i = 0; i < CTX_STATE_DWORDS; i++)
		if (ggtt_read32(r, state + 4u * i, &ctx[i]) < 0)
			return -1;
	if ((ctx[CTX_RING_HEAD - 1] & ENGINE_REG_MASK) != REG_RING_HEAD ||
	    (ctx[CTX_RING_TAIL - 1] & ENGINE_REG_MASK) != REG_RING_TAIL ||
	    (ctx[CTX_RING_START - 1] & ENGINE_REG_MASK) != REG_RING_START ||
	    (ctx[CTX_RING_CTL - 1] & ENGINE_REG_MASK) != REG_RING_CTL)
		return -1;
	start = ctx[CTX_RING_START] & PAGE_MASK;
	size = (ctx[CTX_RING_CTL] & RING_NR_PAGES) + PAGE_SIZE;
	head = ctx[CTX_RING_HEAD] & RING_HEAD_ADDR;
	tail = ctx[CTX_RING_TAIL] & RING_TAIL_ADDR;
	if (head >= size || tail >= size)
		return -1;
	/* At most one pass around the ring: a command never ends it. */
	for (uint32_t done = 0; head != tail;) {
		uint32_t cmd[CMD_MAX_DWORDS];
		unsigned len;

		if (ggtt_read32(r, start + head, &cmd[0]) < 0)
			return -1;
		len = command_length(cmd[0]);
		if (done + 4u * len > size)
			return -1;
		for (unsigned i = 1; i < len && i < CMD_MAX_DWORDS; i++)
			if (ggtt_read32(r, start + (head + 4u * i) % size, &cmd[i]) < 0)
				return -1;
		execute(r, lrca, cmd, len < CMD_MAX_DWORDS ? len : CMD_MAX_DWORDS);
		head = (head + 4u * len) % size;
		done += 4u * len;
	}
	return ggtt_write32(r, state + 4u * CTX_RING_HEAD,
			    (ctx[CTX_RING_HEAD] & ~RING_HEAD_ADDR) | tail);
}

/* The context ID a status entry names for the port. */
static uint32_t csb_context(const struct igdpt_gt *gt, const struct port *p)
{
	uint32_t id;

	if (gt->generation < 12)
		return p->hi;
	id = (p->hi >> DESC12_SW_CTX_SHIFT) & CSB12_CTX_MASK;
	return (id == CSB12_IDLE ? 0 : id) << CSB12_CTX_SHIFT;
}

/* Appends the entries of a submission that ran to the end: switched to
 * port 0 from idle, then each port completed, the last to idle. */
static void report(const struct igdpt_gt *gt, const struct run *r, uint32_t base,
		   const struct port *ports, unsigned n)
{
	uint32_t hws = igdpt_le32(r->regs + base + RING_HWS_PGA) & PAGE_MASK, write_index;
	unsigned entries = gt->generation >= 11 ? CSB_ENTRIES_GEN11 : CSB_ENTRIES;
	uint32_t entry[3][2], last;
	uint64_t pointer;

	if (n == 0)
		return;
	write_index = gt->generation >= 11 ? HWS_CSB_WRITE_INDEX_GEN11 : HWS_CSB_WRITE_INDEX;
	pointer = hws + 4u * write_index;
	if (ggtt_read32(r, pointer, &last) < 0)
		return;
	if (gt->generation >= 12) {
		const uint32_t idle = CSB12_IDLE << CSB12_CTX_SHIFT;

		entry[0][0] = csb_context(gt, &ports[0]) | CSB12_NEW_QUEUE;
		entry[0][1] = idle;
		for (unsigned i = 0; i < n; i++) {
			entry[i + 1][0] = i + 1 < n ? csb_context(gt, &ports[i + 1]) : idle;
			entry[i + 1][1] = csb_context(gt, &ports[i]);
		}
	} else {
		entry[0][0] = CSB_IDLE_ACTIVE;
		entry[0][1] = csb_context(gt, &ports[0]);
		for (unsigned i = 0; i < n; i++) {
			entry[i + 1][0] =
				CSB_COMPLETE | (i + 1 < n ? CSB_ELEMENT_SWITCH : CSB_ACTIVE_IDLE);
			entry[i + 1][1] = csb_context(gt, &ports[i]);
		}
	}
	if (last >= entries)
		last = entries - 1;
	for (unsigned i = 0; i <= n; i++) {
		last = (last + 1) % entries;
		ggtt_write32(r, hws + 4u * (HWS_CSB_BUF0_INDEX + 2u * last), entry[i][0]);
		ggtt_write32(r, hws + 4u * (HWS_CSB_BUF0_INDEX + 2u * last + 1), entry[i][1]);
	}
	ggtt_write32(r, pointer, last);
}

/* Runs the valid ports in order; reports them if every one completed. */
static void submit(const struct igdpt_gt *gt, const struct run *r, uint32_t base,
		   const struct port *ports)
{
	unsigned n = 0;

	while (n < 2 && (ports[n].lo & DESC_VALID))
		n++;
	for (unsigned i = 0; i < n; i++)
		if (run_context(r, ports[i].lo) < 0)
			return;
	report(gt, r, base, ports, n);
}

bool igdpt_gt_bar0_write(struct igdpt_gt *gt, uint8_t *regs, size_t regs_size,
			 const struct igdpt_gt_memory *mem, uint32_t offset, uint32_t value)
{
	struct run r = { regs, regs_size, mem };
	struct port ports[2];
	uint32_t base;
	int e = engine_of(gt, offset, &base);

	if (e < 0 || base + RING_EXECLIST_CONTROL + 4 > regs_size)
		return false;
	if (gt->generation >= 11) {
		if (offset - base != RING_EXECLIST_CONTROL || !(value & EL_CTRL_LOAD))
			return false;
		for (unsigned i = 0; i < 2; i++) {
			ports[i].lo = igdpt_le32(regs + base + RING_EXECLIST_SQ_CONTENTS + 8u * i);
			ports[i].hi = igdpt_le32(regs + base + RING_EXECLIST_SQ_CONTENTS + 8u * i + 4);
		}
	} else {
		if (offset - base != RING_ELSP)
			return false;
		gt->elsp[e][gt->elsp_count[e]++] = value;
		if (gt->elsp_count[e] < 4)
			return false;
		gt->elsp_count[e] = 0;
		/* port 1 high, port 1 low, port 0 high, port 0 low */
		ports[0] = (struct port){ gt->elsp[e][3], gt->elsp[e][2] };
		ports[1] = (struct port){ gt->elsp[e][1], gt->elsp[e][0] };
	}
	submit(gt, &r, base, ports);
	return true;
}
