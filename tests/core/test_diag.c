/* SPDX-License-Identifier: MIT */
/* Unit tests: every warning bit has a unique stable name and a text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "igdpt/core/diag.h"
#include "igdpt/core/errno.h"

static void test_every_bit_named(void **state)
{
	(void)state;
	for (unsigned i = 0; i < IGDPT_WARNING_COUNT; i++) {
		const char *name = igdpt_warning_name(1u << i);
		const char *text = igdpt_warning_text(1u << i);

		assert_non_null(name);
		assert_non_null(text);
		assert_true(strlen(name) > 0);
		assert_true(strlen(text) > strlen(name));
		/* Names are used as JSON values and CLI words: lowercase and dashes. */
		for (const char *p = name; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
	}
}

static void test_names_and_texts_unique(void **state)
{
	(void)state;
	for (unsigned i = 0; i < IGDPT_WARNING_COUNT; i++)
		for (unsigned j = i + 1; j < IGDPT_WARNING_COUNT; j++) {
			assert_string_not_equal(igdpt_warning_name(1u << i), igdpt_warning_name(1u << j));
			assert_string_not_equal(igdpt_warning_text(1u << i), igdpt_warning_text(1u << j));
		}
}

static void test_enum_matches_count(void **state)
{
	(void)state;
	/* The last enumerator is the top bit the count covers. */
	assert_int_equal(IGDPT_WARN_NO_VBT, 1u << 11);
	assert_string_equal(igdpt_warning_name(IGDPT_WARN_NO_VBT), "no-vbt");
	assert_int_equal(IGDPT_WARN_OPREGION_TRAILING, 1u << (IGDPT_WARNING_COUNT - 1));
	assert_string_equal(igdpt_warning_name(IGDPT_WARN_VBT_CHECKSUM), "vbt-checksum");
	assert_string_equal(igdpt_warning_name(IGDPT_WARN_BDB_SIZE_SHORT), "bdb-size-short");
}

static void test_unknown_bits(void **state)
{
	(void)state;
	assert_null(igdpt_warning_name(0));
	assert_null(igdpt_warning_text(0));
	assert_null(igdpt_warning_name(1u << IGDPT_WARNING_COUNT));
	assert_null(igdpt_warning_name(1u << 31));
	/* Two bits at once is not one warning. */
	assert_null(igdpt_warning_name(IGDPT_WARN_VBT_CHECKSUM | IGDPT_WARN_TRAILING_DATA));
	assert_null(igdpt_warning_text(3));
}

static void test_diag_fail(void **state)
{
	struct igdpt_diag d = { .warnings = IGDPT_WARN_BDB_TAIL };

	(void)state;
	assert_int_equal(igdpt_diag_fail(&d, -IGDPT_EINVAL, 0x1234, "why"), -IGDPT_EINVAL);
	assert_string_equal(d.reason, "why");
	assert_int_equal(d.offset, 0x1234);
	/* Warnings collected before the failure stay. */
	assert_int_equal(d.warnings, IGDPT_WARN_BDB_TAIL);
	/* The diag is optional. */
	assert_int_equal(igdpt_diag_fail(NULL, -IGDPT_ENOSPC, 0, "x"), -IGDPT_ENOSPC);
}

static void test_warning_list(void **state)
{
	char buf[64], small[8];
	uint32_t two = IGDPT_WARN_VBT_CHECKSUM | IGDPT_WARN_BDB_SIZE_SHORT;

	(void)state;
	assert_int_equal(igdpt_warning_list(two, buf, sizeof(buf)), strlen("vbt-checksum, bdb-size-short"));
	assert_string_equal(buf, "vbt-checksum, bdb-size-short");
	assert_int_equal(igdpt_warning_list(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	/* Cut to size, still terminated; the full length is returned. */
	assert_int_equal(igdpt_warning_list(two, small, sizeof(small)), 28);
	assert_string_equal(small, "vbt-che");
	assert_int_equal(igdpt_warning_list(two, NULL, 0), 28);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_bit_named),
		cmocka_unit_test(test_names_and_texts_unique),
		cmocka_unit_test(test_enum_matches_count),
		cmocka_unit_test(test_unknown_bits),
		cmocka_unit_test(test_diag_fail),
		cmocka_unit_test(test_warning_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
