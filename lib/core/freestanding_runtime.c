/* SPDX-License-Identifier: MIT */
/* The four functions GCC and Clang require of every freestanding environment
 * (they may emit calls to them for struct copies and initializers, even with
 * -ffreestanding). Linked only into the freestanding proof module: hosted
 * builds take them from the C library, the probe and the EFI driver bring
 * their own. */
#include <stddef.h>

#include "igdpt/core/bytes.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
	igdpt_bytes_copy(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	igdpt_bytes_copy(dst, src, n);
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	igdpt_bytes_fill(dst, (uint8_t)c, n);
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}
