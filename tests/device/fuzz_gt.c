/* SPDX-License-Identifier: MIT */
/* Fuzz target: the GT's command streamers (device/model/gt_engines.c) fed
 * guest-chosen GGTT entries, guest memory (context images, rings, status
 * pages) and register writes. Checks that every write the engines make is a
 * dword, 4-byte aligned, inside guest RAM and on a page a present GGTT entry
 * maps; the sanitizers and the replay's time check the rest (no overrun,
 * no endless ring).
 *
 * Input: byte 0 bit 0: gen 12, else gen 9; bytes 1-16: the GGTT entries of
 * GGTT pages 0-15 (bit 7: present, bits 3:0 the guest page; bit 6: a page
 * far outside guest RAM instead); byte 17: the number of steps, then that
 * many 7-byte steps {dword offset into BAR0's register half (3 bytes), value
 * (4 bytes)}, each written to the register file and then to the engines;
 * the rest is guest RAM from address 0 (the remainder zero). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "gt_test_ram.h"
#include "model/gt_engines.h"

#define BAR0_SIZE (16u << 20)
#define GTT_OFFSET (8u << 20)
#define PAGE 4096u
#define RAM_PAGES 16u
#define RAM_SIZE (RAM_PAGES * PAGE)
#define GGTT_ENTRIES 16u
#define PTE_PRESENT 0x80u
#define PTE_FAR 0x40u
#define FAR_PAGE 0x7FFFF000ull
#define HEADER (1u + GGTT_ENTRIES + 1u)
#define STEP_SIZE 7u

static uint8_t *regs, ram[RAM_SIZE];
static struct gt_test_ram test_ram = { ram, RAM_SIZE };
static bool mapped[RAM_PAGES];

static int ram_write(void *opaque, uint64_t gpa, const void *buf, size_t len)
{
	(void)opaque;
	FUZZ_CHECK(len == 4 && gpa % 4 == 0);
	if (!gt_test_ram_holds(&test_ram, gpa, len))
		return -1;
	FUZZ_CHECK(mapped[gpa / PAGE]);
	memcpy(ram + gpa, buf, len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct igdpt_gt_memory mem = { &test_ram, gt_test_ram_read, ram_write };
	struct igdpt_gt gt;
	size_t steps, at;

	if (size < HEADER)
		return 0;
	if (!regs && !(regs = malloc(BAR0_SIZE)))
		return 0;
	memset(regs, 0, BAR0_SIZE);
	memset(mapped, 0, sizeof(mapped));
	igdpt_gt_init(&gt, data[0] & 1 ? 12 : 9);
	for (unsigned i = 0; i < GGTT_ENTRIES; i++) {
		uint8_t b = data[1 + i];
		uint64_t pte = b & PTE_FAR ? FAR_PAGE : (uint64_t)(b & (RAM_PAGES - 1)) * PAGE;

		if (!(b & PTE_PRESENT))
			continue;
		if (!(b & PTE_FAR))
			mapped[b & (RAM_PAGES - 1)] = true;
		pte |= 1;
		memcpy(regs + GTT_OFFSET + 8u * i, &pte, sizeof(pte));
	}
	steps = data[1 + GGTT_ENTRIES];
	at = HEADER + steps * STEP_SIZE;
	if (at > size)
		return 0;
	memset(ram, 0, sizeof(ram));
	memcpy(ram, data + at, size - at < RAM_SIZE ? size - at : RAM_SIZE);
	for (size_t s = 0; s < steps; s++) {
		const uint8_t *p = data + HEADER + s * STEP_SIZE;
		/* A register of BAR0's register half: the GGTT stays as set. */
		uint32_t offset = (((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16) * 4u) %
				  GTT_OFFSET;
		uint32_t value;

		memcpy(&value, p + 3, sizeof(value));
		memcpy(regs + offset, &value, sizeof(value));
		igdpt_gt_bar0_write(&gt, regs, BAR0_SIZE, &mem, offset, value);
	}
	return 0;
}
