/* SPDX-License-Identifier: MIT */
/* Unit tests: little-endian accessors, byte helpers, and errno values. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"

static void test_le_read(void **state)
{
	static const uint8_t b[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88 };

	(void)state;
	assert_int_equal(igdpt_le16(b), 0x0201);
	assert_int_equal(igdpt_le16(b + 6), 0x8807);
	assert_int_equal(igdpt_le32(b), 0x04030201u);
	assert_int_equal(igdpt_le32(b + 4), 0x88070605u);
	assert_true(igdpt_le64(b) == 0x8807060504030201ull);
}

static void test_le_read_high_bits(void **state)
{
	static const uint8_t ff[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	(void)state;
	/* No sign extension through int promotion. */
	assert_int_equal(igdpt_le16(ff), 0xFFFFu);
	assert_true(igdpt_le32(ff) == 0xFFFFFFFFu);
	assert_true(igdpt_le64(ff) == UINT64_MAX);
}

static void test_le_roundtrip(void **state)
{
	uint8_t b[10];

	(void)state;
	memset(b, 0xEE, sizeof(b));
	igdpt_put_le16(b + 1, 0xBEEF);
	assert_int_equal(b[0], 0xEE);
	assert_int_equal(b[1], 0xEF);
	assert_int_equal(b[2], 0xBE);
	assert_int_equal(b[3], 0xEE);
	igdpt_put_le32(b + 1, 0xDEADBEEFu);
	assert_true(igdpt_le32(b + 1) == 0xDEADBEEFu);
	assert_int_equal(b[5], 0xEE);
	/* Unaligned, like RVDA at 0x3BA. */
	igdpt_put_le64(b + 1, 0x0123456789ABCDEFull);
	assert_true(igdpt_le64(b + 1) == 0x0123456789ABCDEFull);
	assert_int_equal(b[1], 0xEF);
	assert_int_equal(b[8], 0x01);
	assert_int_equal(b[0], 0xEE);
	assert_int_equal(b[9], 0xEE);
}

static void test_copy_forward_backward(void **state)
{
	uint8_t b[16];

	(void)state;
	for (unsigned i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)i;
	/* Overlapping, destination after source: must copy backwards. */
	igdpt_bytes_copy(b + 2, b, 8);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(b[2 + i], i);
	for (unsigned i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)i;
	/* Overlapping, destination before source. */
	igdpt_bytes_copy(b, b + 3, 10);
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(b[i], i + 3);
	/* Same pointer and zero length are no-ops. */
	igdpt_bytes_copy(b, b, sizeof(b));
	igdpt_bytes_copy(b + 1, b, 0);
	assert_int_equal(b[0], 3);
}

static void test_fill_differ_zero_sum(void **state)
{
	uint8_t a[32], b[32];

	(void)state;
	igdpt_bytes_fill(a, 0x5A, sizeof(a));
	for (unsigned i = 0; i < sizeof(a); i++)
		assert_int_equal(a[i], 0x5A);
	memcpy(b, a, sizeof(b));
	assert_int_equal(igdpt_bytes_differ(a, b, sizeof(a)), 0);
	b[31] = 0;
	assert_int_not_equal(igdpt_bytes_differ(a, b, sizeof(a)), 0);
	assert_int_equal(igdpt_bytes_differ(a, b, 31), 0);
	assert_int_equal(igdpt_bytes_differ(a, b, 0), 0);

	igdpt_bytes_fill(a, 0, sizeof(a));
	assert_int_equal(igdpt_bytes_all_zero(a, sizeof(a)), 1);
	assert_int_equal(igdpt_bytes_all_zero(a, 0), 1);
	a[17] = 1;
	assert_int_equal(igdpt_bytes_all_zero(a, sizeof(a)), 0);
	assert_int_equal(igdpt_bytes_all_zero(a, 17), 1);

	/* 0xFF * 3 = 0x2FD -> 0xFD; wraps modulo 256. */
	igdpt_bytes_fill(b, 0xFF, 3);
	assert_int_equal(igdpt_bytes_sum8(b, 3), 0xFD);
	assert_int_equal(igdpt_bytes_sum8(b, 0), 0);
	b[3] = 3;
	assert_int_equal(igdpt_bytes_sum8(b, 4), 0);
}

/* The word-wise sum equals the byte-by-byte one for every length and
 * alignment, all-0xFF input (the lanes' worst case) past several folds. */
static void test_sum8_words(void **state)
{
	static uint8_t buf[3 * 128 * 8 + 64];

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 131 + 7);
	for (int fill = 0; fill < 2; fill++) {
		if (fill)
			igdpt_bytes_fill(buf, 0xFF, sizeof(buf));
		for (size_t start = 0; start < 8; start++) {
			for (size_t n = 0; start + n <= sizeof(buf); n += n < 40 ? 1 : 97) {
				uint8_t want = 0;

				for (size_t i = 0; i < n; i++)
					want = (uint8_t)(want + buf[start + i]);
				assert_int_equal(igdpt_bytes_sum8(buf + start, n), want);
			}
		}
	}
}

static void test_errno_values(void **state)
{
	(void)state;
	/* The core spells these without <errno.h>; they must be the C library's. */
	assert_int_equal(IGDPT_ENOENT, ENOENT);
	assert_int_equal(IGDPT_EINVAL, EINVAL);
	assert_int_equal(IGDPT_ENOSPC, ENOSPC);
	assert_int_equal(IGDPT_ERANGE, ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_le_read),
		cmocka_unit_test(test_le_read_high_bits),
		cmocka_unit_test(test_le_roundtrip),
		cmocka_unit_test(test_copy_forward_backward),
		cmocka_unit_test(test_fill_differ_zero_sum),
		cmocka_unit_test(test_sum8_words),
		cmocka_unit_test(test_errno_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
