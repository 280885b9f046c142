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

uint8_t igdpt_bytes_sum8(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum;
}
