/* SPDX-License-Identifier: MIT */
/* Fuzz target: VBT parse, block iteration, lookup and the tolerant walk. */
#include "fuzz.h"

#include "igdpt/abi/vbt.h"
#include "igdpt/core/vbt.h"

struct walk_bounds {
	const uint8_t *start;
	size_t len;
	unsigned count;
};

/* Every block the tolerant walk shows lies inside the buffer. */
static void check_block(const struct igdpt_vbt_block *blk, void *opaque)
{
	struct walk_bounds *b = opaque;

	FUZZ_CHECK(blk->offset + IGDPT_BDB_BLOCK_HEADER_SIZE <= b->len);
	FUZZ_CHECK(blk->data == b->start + blk->offset + IGDPT_BDB_BLOCK_HEADER_SIZE);
	FUZZ_CHECK(blk->size <= b->len - blk->offset - IGDPT_BDB_BLOCK_HEADER_SIZE);
	b->count++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct walk_bounds bounds = { data, size, 0 };
	struct igdpt_diag diag = { 0 };
	struct igdpt_vbt_block blk;
	struct igdpt_vbt vbt;
	size_t cursor = 0, prev_end;
	unsigned n = 0, seen;

	seen = igdpt_vbt_walk_tolerant(data, size, check_block, &bounds);
	FUZZ_CHECK(seen == bounds.count);

	if (igdpt_vbt_parse(data, size, &vbt, &diag) < 0) {
		FUZZ_CHECK(diag.reason != 0);
		return 0;
	}
	FUZZ_CHECK(diag.reason == 0);
	FUZZ_CHECK(vbt.len <= size && vbt.blocks_end <= vbt.len);
	FUZZ_CHECK(vbt.blocks_start <= vbt.blocks_end);
	prev_end = vbt.blocks_start;
	while (igdpt_vbt_next_block(&vbt, &cursor, &blk)) {
		FUZZ_CHECK(blk.offset == prev_end);
		FUZZ_CHECK(blk.id != 0 && blk.size != 0);
		prev_end = blk.offset + IGDPT_BDB_BLOCK_HEADER_SIZE + blk.size;
		FUZZ_CHECK(prev_end <= vbt.blocks_end);
		n++;
	}
	FUZZ_CHECK(n == vbt.block_count);
	/* The tolerant walk agrees with the strict one on a valid VBT. */
	FUZZ_CHECK(seen == n);
	for (unsigned id = 0; id < 256; id += 17)
		if (igdpt_vbt_find_block(&vbt, (uint8_t)id, &blk))
			FUZZ_CHECK(blk.id == id);
	if (igdpt_vbt_find_block(&vbt, IGDPT_BDB_GENERAL_DEFINITIONS, &blk))
		FUZZ_CHECK(blk.offset >= vbt.blocks_start);
	return 0;
}
