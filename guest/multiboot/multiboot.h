/* SPDX-License-Identifier: MIT */
/* Multiboot v1: the boot loader's magic and its memory map. */
#ifndef IGDPT_PROBE_MULTIBOOT_H
#define IGDPT_PROBE_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/probe.h"

/* In EAX at entry when a multiboot v1 loader started us. */
#define MULTIBOOT_LOADER_MAGIC 0x2BADB002u

/* Copies the loader's memory map (e820 types) into map; returns the number
 * of entries, 0 when the info has none. */
size_t multiboot_memmap(const uint8_t *info, struct igdpt_probe_memmap_entry *map,
			size_t max);

#endif
