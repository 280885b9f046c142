/* SPDX-License-Identifier: MIT */
/* Shared by the fuzz targets: the libFuzzer entry point and an invariant
 * check that crashes loudly, so both libFuzzer and the replay run see it. */
#ifndef IGDPT_TESTS_FUZZ_H
#define IGDPT_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                   \
	do {                               \
		if (!(cond))               \
			__builtin_trap();  \
	} while (0)

#endif
