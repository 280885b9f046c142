/* SPDX-License-Identifier: MIT */
/* Fuzz target: the decoder and its text printer on any input, both blocks
 * selections and panel choices; the model must agree with the validator. */
#include "fuzz.h"

#include <errno.h>
#include <stdio.h>

#include "igdpt/core/opregion.h"
#include "igdpt/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct igdpt_decode_options opt = IGDPT_DECODE_OPTIONS_INIT;
	struct igdpt_diag diag = IGDPT_DIAG_INIT;
	struct igdpt_image image;
	struct igdpt_decoded *dec;
	FILE *sink = fopen("/dev/null", "w");
	int valid = igdpt_image_parse(data, size, &image, &diag) >= 0;

	FUZZ_CHECK(sink);
	for (int pass = 0; pass < 2; pass++) {
		int ret = igdpt_decode(data, size, "fuzz", &opt, &dec);

		if (ret == -ENOMEM) /* nothing to check */
			continue;
		FUZZ_CHECK(dec);
		FUZZ_CHECK(dec->valid == valid && (ret == 0) == valid);
		FUZZ_CHECK(dec->kind == image.kind);
		FUZZ_CHECK(valid || dec->reason);
		FUZZ_CHECK(dec->blocks_kept <= dec->block_count);
		for (size_t i = 0; i < dec->blocks_kept; i++)
			FUZZ_CHECK(dec->blocks[i].offset < size && dec->blocks[i].fields);
		FUZZ_CHECK(igdpt_decode_print_text(sink, dec) == 0);
		igdpt_decoded_free(dec);
		/* Second pass: every panel, and only the first block if any. */
		opt.all_panels = true;
		opt.block = size > 0 ? data[size - 1] : 0;
	}
	fclose(sink);
	return 0;
}
