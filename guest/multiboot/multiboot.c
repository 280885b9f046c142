/* SPDX-License-Identifier: MIT */
/* The multiboot v1 information structure's memory map (Multiboot
 * Specification 0.6.96, section 3.3): entries of {u32 size, u64 base,
 * u64 length, u32 type}, each followed by the next at +size+4. */
#include "multiboot.h"

#include "igdpt/core/bytes.h"

#define MB_INFO_FLAGS_OFFSET 0u
#define MB_INFO_MMAP_LENGTH_OFFSET 44u
#define MB_INFO_MMAP_ADDR_OFFSET 48u
#define MB_INFO_FLAG_MMAP (1u << 6)
#define MB_MMAP_SIZE_OFFSET 0u
#define MB_MMAP_BASE_OFFSET 4u
#define MB_MMAP_LENGTH_OFFSET 12u
#define MB_MMAP_TYPE_OFFSET 20u
#define MB_MMAP_SIZE_FIELD 4u /* the size field does not count itself */
#define MB_MMAP_ENTRY_MIN (MB_MMAP_TYPE_OFFSET + 4u)

size_t multiboot_memmap(const uint8_t *info, struct igdpt_probe_memmap_entry *map,
			size_t max)
{
	const uint8_t *p, *end;
	size_t n = 0;

	if (!info || !(igdpt_le32(info + MB_INFO_FLAGS_OFFSET) & MB_INFO_FLAG_MMAP))
		return 0;
	p = (const uint8_t *)(uintptr_t)igdpt_le32(info + MB_INFO_MMAP_ADDR_OFFSET);
	end = p + igdpt_le32(info + MB_INFO_MMAP_LENGTH_OFFSET);
	while (n < max && p < end && (size_t)(end - p) >= MB_MMAP_ENTRY_MIN) {
		uint32_t size = igdpt_le32(p + MB_MMAP_SIZE_OFFSET);

		if (size + MB_MMAP_SIZE_FIELD < MB_MMAP_ENTRY_MIN)
			break; /* malformed: would not advance past the fields */
		map[n].start = igdpt_le64(p + MB_MMAP_BASE_OFFSET);
		map[n].length = igdpt_le64(p + MB_MMAP_LENGTH_OFFSET);
		map[n].type = igdpt_le32(p + MB_MMAP_TYPE_OFFSET);
		n++;
		p += size + MB_MMAP_SIZE_FIELD;
	}
	return n;
}
