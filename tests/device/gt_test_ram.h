/* SPDX-License-Identifier: MIT */
/* Guest RAM for the tests of the GT's engines (test_device_gt_engines.c,
 * fuzz_gt.c): a flat buffer at guest address 0. An access outside it fails,
 * as one outside igdpt_guest_memory's regions does. */
#ifndef IGDPT_TESTS_DEVICE_GT_TEST_RAM_H
#define IGDPT_TESTS_DEVICE_GT_TEST_RAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct gt_test_ram {
	uint8_t *bytes;
	size_t size;
};

static inline bool gt_test_ram_holds(const struct gt_test_ram *r, uint64_t gpa, size_t len)
{
	return gpa <= r->size && len <= r->size - gpa;
}

/* igdpt_gt_memory.read; opaque is the struct gt_test_ram. */
static inline int gt_test_ram_read(void *opaque, uint64_t gpa, void *buf, size_t len)
{
	const struct gt_test_ram *r = opaque;

	if (!gt_test_ram_holds(r, gpa, len))
		return -1;
	memcpy(buf, r->bytes + gpa, len);
	return 0;
}

#endif
