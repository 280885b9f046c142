/* SPDX-License-Identifier: MIT */
/* igdpt_size_parse(): units, bases, and everything it must refuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "igdpt/core/errno.h"
#include "igdpt/core/size.h"

static uint64_t parsed(const char *text)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(igdpt_size_parse(text, &v), 0);
	return v;
}

static void refused(const char *text, int err)
{
	uint64_t v = 0x1234;

	assert_int_equal(igdpt_size_parse(text, &v), err);
	assert_int_equal(v, 0x1234); /* untouched */
}

static void test_units(void **state)
{
	(void)state;
	assert_int_equal(parsed("0"), 0);
	assert_int_equal(parsed("8192"), 8192);
	assert_int_equal(parsed("0x2000"), 0x2000);
	assert_int_equal(parsed("4K"), 4096);
	assert_int_equal(parsed("4k"), 4096);
	assert_int_equal(parsed("64M"), 64ull << 20);
	assert_int_equal(parsed("64MiB"), 64ull << 20);
	assert_int_equal(parsed("64mb"), 64ull << 20);
	assert_int_equal(parsed("2G"), 2ull << 30);
	assert_int_equal(parsed("1T"), 1ull << 40);
	assert_int_equal(parsed("18446744073709551615"), UINT64_MAX);
	assert_int_equal(parsed("16777215T"), 16777215ull << 40);
}

static void test_refused(void **state)
{
	(void)state;
	refused(NULL, -IGDPT_EINVAL);
	refused("", -IGDPT_EINVAL);
	refused("M", -IGDPT_EINVAL);
	refused("-1", -IGDPT_EINVAL);
	refused("+1", -IGDPT_EINVAL);
	refused(" 1", -IGDPT_EINVAL);
	refused("1 M", -IGDPT_EINVAL);
	refused("1X", -IGDPT_EINVAL);
	refused("1Mx", -IGDPT_EINVAL);
	refused("1MiBs", -IGDPT_EINVAL);
	refused("0x", -IGDPT_EINVAL);
	refused("1.5M", -IGDPT_EINVAL);
	refused("18446744073709551616", -IGDPT_ERANGE);
	refused("16777216T", -IGDPT_ERANGE);
	refused("0x10000000000000000", -IGDPT_ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
