/* SPDX-License-Identifier: MIT */
/* Sizes as users type them ("64M", "512MiB", "8192"): the one parser every
 * command and igdpt-device use for stolen memory, guest RAM and the like. */
#ifndef IGDPT_CORE_SIZE_H
#define IGDPT_CORE_SIZE_H

#include <stdint.h>

#include "igdpt/core/api.h"

IGDPT_BEGIN_DECLS

/* Parses a decimal (or 0x-prefixed hex) count of bytes with an optional
 * binary unit: K, M, G, T (also KiB/KB, MiB/MB ...: all powers of 1024),
 * case-insensitive. Returns 0 with *bytes set; -EINVAL for anything else
 * (empty, sign, space, unknown unit, trailing text), -ERANGE when the value
 * does not fit 64 bits. *bytes is untouched on failure. */
int igdpt_size_parse(const char *text, uint64_t *bytes);

IGDPT_END_DECLS

#endif
