/* SPDX-License-Identifier: MIT */
/* Fuzz target: relocation of a host OpRegion with an optional extended VBT.
 *
 * Input: either a host OpRegion as is (so real dumps are seeds), or
 * "IGDPTSPL", a u32 host length, the host bytes, then the extended VBT. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "igdpt/abi/opregion.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/opregion.h"
#include "igdpt/core/relocate.h"

#define SPLIT_MAGIC "IGDPTSPL"
#define SPLIT_MAGIC_SIZE 8u
#define SPLIT_HEADER_SIZE (SPLIT_MAGIC_SIZE + 4u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *host = data, *ext = NULL;
	size_t host_len = size, ext_len = 0, need = 0, out_len = 0;
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	uint8_t *out;
	int ret;

	if (size >= SPLIT_HEADER_SIZE && !memcmp(data, SPLIT_MAGIC, SPLIT_MAGIC_SIZE)) {
		size_t rest = size - SPLIT_HEADER_SIZE;

		host_len = igdpt_le32(data + SPLIT_MAGIC_SIZE);
		if (host_len > rest)
			host_len = rest;
		host = data + SPLIT_HEADER_SIZE;
		if (rest > host_len) {
			ext = host + host_len;
			ext_len = rest - host_len;
		}
	}

	/* The size query and the real call must agree. */
	ret = igdpt_relocate(host, host_len, ext, ext_len, NULL, 0, &need, &diag);
	if (ret == -IGDPT_EINVAL) {
		FUZZ_CHECK(diag.reason != 0);
		return 0;
	}
	FUZZ_CHECK(ret == -IGDPT_ENOSPC);
	FUZZ_CHECK(need >= IGDPT_OPREGION_BASE_SIZE);
	out = malloc(need); /* exact: ASan sees a write one past */
	if (!out)
		return 0;
	memset(&diag, 0, sizeof(diag));
	ret = igdpt_relocate(host, host_len, ext, ext_len, out, need, &out_len, &diag);
	if (ret == 0) {
		uint64_t rvda = igdpt_le64(out + IGDPT_MBOX3_RVDA_OFFSET);

		FUZZ_CHECK(out_len == need);
		FUZZ_CHECK(rvda == 0 || rvda == IGDPT_OPREGION_EXT_VBT_OFFSET);
		FUZZ_CHECK(igdpt_le32(out + IGDPT_MBOX3_RVDS_OFFSET) % IGDPT_OPREGION_RVDS_ALIGN == 0);
		FUZZ_CHECK(igdpt_opregion_parse(out, out_len, &op, &diag) == 0);
	} else {
		/* Only the final check of the finished image can fail now. */
		FUZZ_CHECK(ret == -IGDPT_EINVAL && diag.reason != 0);
		FUZZ_CHECK(igdpt_bytes_all_zero(out, need));
	}
	free(out);
	return 0;
}
