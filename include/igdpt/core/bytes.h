/* SPDX-License-Identifier: MIT */
/* Little-endian field access and byte helpers usable without a C library. */
#ifndef IGDPT_BYTES_H
#define IGDPT_BYTES_H

#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"

IGDPT_BEGIN_DECLS

static inline uint16_t igdpt_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t igdpt_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t igdpt_le64(const uint8_t *p)
{
	return (uint64_t)igdpt_le32(p) | ((uint64_t)igdpt_le32(p + 4) << 32);
}

static inline void igdpt_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void igdpt_put_le32(uint8_t *p, uint32_t v)
{
	igdpt_put_le16(p, (uint16_t)v);
	igdpt_put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void igdpt_put_le64(uint8_t *p, uint64_t v)
{
	igdpt_put_le32(p, (uint32_t)v);
	igdpt_put_le32(p + 4, (uint32_t)(v >> 32));
}

/* The core must link with -nostdlib, so it brings its own. */
void igdpt_bytes_copy(uint8_t *dst, const uint8_t *src, size_t n);
void igdpt_bytes_fill(uint8_t *dst, uint8_t value, size_t n);
/* 0 when equal, otherwise non-zero. */
int igdpt_bytes_differ(const uint8_t *a, const uint8_t *b, size_t n);
/* 1 if all n bytes are zero. */
int igdpt_bytes_all_zero(const uint8_t *p, size_t n);
/* Byte sum modulo 256. */
uint8_t igdpt_bytes_sum8(const uint8_t *p, size_t n);

IGDPT_END_DECLS

#endif
