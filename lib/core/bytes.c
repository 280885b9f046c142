/* SPDX-License-Identifier: MIT */
/* Byte helpers for the core, which links without a C library. */
#include "igdpt/core/bytes.h"

void igdpt_bytes_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	/* memmove semantics: relocation copies within one buffer. */
	if (dst < src) {
		for (size_t i = 0; i < n; i++)
			dst[i] = src[i];
	} else if (dst > src) {
		for (size_t i = n; i > 0; i--)
			dst[i - 1] = src[i - 1];
	}
}

void igdpt_bytes_fill(uint8_t *dst, uint8_t value, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = value;
}

int igdpt_bytes_differ(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 1;
	return 0;
}

int igdpt_bytes_all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Eight bytes at a time: each word's bytes are added pairwise into four
 * 16-bit lanes (at most 2 * 255 per word), which 128 words cannot overflow;
 * the lanes are folded into the sum before that. Every VBT is checksummed
 * on each parse, and byte by byte this was the parser's largest cost. The
 * byte order does not matter to a sum. __builtin_memcpy stays a plain load
 * even with -fno-builtin, so this is freestanding. */
#define SUM8_LANES 0x00FF00FF00FF00FFull
#define SUM8_WORDS_PER_FOLD 128u

static uint64_t fold_lanes(uint64_t acc)
{
	return (acc & 0xFFFFu) + ((acc >> 16) & 0xFFFFu) + ((acc >> 32) & 0xFFFFu) + (acc >> 48);
}

uint8_t igdpt_bytes_sum8(const uint8_t *p, size_t n)
{
	uint64_t sum = 0;
	size_t i = 0;

	while (n - i >= sizeof(uint64_t)) {
		size_t words = (n - i) / sizeof(uint64_t);
		uint64_t acc = 0;

		if (words > SUM8_WORDS_PER_FOLD)
			words = SUM8_WORDS_PER_FOLD;
		for (size_t k = 0; k < words; k++, i += sizeof(uint64_t)) {
			uint64_t w;

			__builtin_memcpy(&w, p + i, sizeof(w));
			acc += (w & SUM8_LANES) + ((w >> 8) & SUM8_LANES);
		}
		sum += fold_lanes(acc);
	}
	for (; i < n; i++)
		sum += p[i];
	return (uint8_t)sum;
}
