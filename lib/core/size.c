/* SPDX-License-Identifier: MIT */
/* Parsing sizes with binary units; freestanding (no strtoull). */
#include "igdpt/core/size.h"

#include <stdbool.h>

#include "igdpt/core/errno.h"

#define DECIMAL_BASE 10u
#define HEX_BASE 16u
#define UNIT_STEP_SHIFT 10u /* K, M, G, T: each 1024 times the last */

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int digit_value(char c, unsigned base)
{
	c = lower(c);
	if (c >= '0' && c <= '9')
		return c - '0';
	if (base == HEX_BASE && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The shift of a unit suffix ("", "k", "KiB", "mb" ...), or -1. */
static int unit_shift(const char *s)
{
	static const char units[] = "kmgt";
	int shift = -1;

	if (!*s)
		return 0;
	for (unsigned i = 0; units[i]; i++)
		if (lower(*s) == units[i])
			shift = (int)((i + 1) * UNIT_STEP_SHIFT);
	if (shift < 0)
		return -1;
	s++;
	if (!*s)
		return shift;
	if (lower(s[0]) == 'i' && lower(s[1]) == 'b' && !s[2])
		return shift;
	if (lower(s[0]) == 'b' && !s[1])
		return shift;
	return -1;
}

int igdpt_size_parse(const char *text, uint64_t *bytes)
{
	const char *s = text;
	unsigned base = DECIMAL_BASE;
	uint64_t value = 0;
	bool any = false;
	int shift, d;

	if (!s)
		return -IGDPT_EINVAL;
	if (s[0] == '0' && lower(s[1]) == 'x') {
		base = HEX_BASE;
		s += 2;
	}
	for (; (d = digit_value(*s, base)) >= 0; s++) {
		if (value > (UINT64_MAX - (uint64_t)d) / base)
			return -IGDPT_ERANGE;
		value = value * base + (uint64_t)d;
		any = true;
	}
	if (!any)
		return -IGDPT_EINVAL;
	shift = unit_shift(s);
	if (shift < 0)
		return -IGDPT_EINVAL;
	if (shift && value > (UINT64_MAX >> shift))
		return -IGDPT_ERANGE;
	*bytes = value << shift;
	return 0;
}
