/* SPDX-License-Identifier: MIT */
/* Fuzz target: OpRegion parse and the VBT it locates. */
#include "fuzz.h"

#include "igdpt/abi/opregion.h"
#include "igdpt/core/opregion.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	struct igdpt_vbt_block blk;
	size_t cursor = 0;
	unsigned n = 0;

	(void)igdpt_image_detect(data, size);
	if (igdpt_opregion_parse(data, size, &op, &diag) < 0) {
		FUZZ_CHECK(diag.reason != 0);
		return 0;
	}
	FUZZ_CHECK(size >= IGDPT_OPREGION_BASE_SIZE);
	switch (op.vbt_source) {
	case IGDPT_VBT_SOURCE_NONE:
		FUZZ_CHECK(op.warnings & IGDPT_WARN_NO_VBT);
		return 0;
	case IGDPT_VBT_SOURCE_MAILBOX4:
		FUZZ_CHECK(op.vbt_offset == IGDPT_MBOX4_OFFSET);
		FUZZ_CHECK(op.vbt.vbt_size <= IGDPT_MBOX4_SIZE_NO_ASLE_EXT);
		break;
	case IGDPT_VBT_SOURCE_RVDA:
		FUZZ_CHECK(op.rvda >= IGDPT_OPREGION_BASE_SIZE && op.rvda < size);
		FUZZ_CHECK(op.rvds <= size - op.rvda);
		break;
	case IGDPT_VBT_SOURCE_PCI_ROM:
		FUZZ_CHECK(!"an OpRegion never holds the PCI ROM's VBT");
		break;
	}
	FUZZ_CHECK(op.vbt.data == data + op.vbt_offset);
	FUZZ_CHECK(op.vbt_offset + op.vbt.vbt_size <= size);
	while (igdpt_vbt_next_block(&op.vbt, &cursor, &blk))
		n++;
	FUZZ_CHECK(n == op.vbt.block_count);
	return 0;
}
