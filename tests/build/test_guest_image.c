/* SPDX-License-Identifier: MIT */
/* Unit tests: the guest image policy (SWSCI cleared, input never touched). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/build.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/file.h"
#include "igdpt/guest_image.h"
#include "igdpt/core/opregion.h"

#define IMG 0x2000u

static uint8_t in[IMG], copy[IMG], out[IMG];

static void reference(uint16_t version)
{
	size_t len = 0;

	assert_int_equal(igdpt_build_reference(version, in, sizeof(in), &len, NULL), 0);
	assert_int_equal(len, IMG);
	memcpy(copy, in, IMG);
}

static void test_clears_swsci(void **state)
{
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	size_t len = 0;

	(void)state;
	reference(IGDPT_BUILD_VERSION_2_0);
	assert_int_equal(igdpt_guest_image_policy(in, IMG, NULL, out, sizeof(out), &len, &diag), 1);
	assert_int_equal(len, IMG);
	assert_memory_equal(in, copy, IMG); /* input untouched */
	assert_int_equal(igdpt_le32(out + IGDPT_OPREGION_MBOX_OFFSET), 0x1D);
	/* Only the MBOX byte differs. */
	assert_memory_equal(out, in, IGDPT_OPREGION_MBOX_OFFSET);
	assert_memory_equal(out + IGDPT_OPREGION_MBOX_OFFSET + 1, in + IGDPT_OPREGION_MBOX_OFFSET + 1,
			    IMG - IGDPT_OPREGION_MBOX_OFFSET - 1);
	assert_int_equal(igdpt_opregion_parse(out, len, &op, NULL), 0);
	assert_false(op.mbox & IGDPT_MBOX_SWSCI);
}

static void test_keep_swsci(void **state)
{
	struct igdpt_guest_policy keep = IGDPT_GUEST_POLICY_INIT, unset = { 0, true };
	struct igdpt_diag diag = IGDPT_DIAG_INIT;
	size_t len = 0;

	(void)state;
	reference(IGDPT_BUILD_VERSION_2_0);
	keep.keep_swsci = true;
	assert_int_equal(igdpt_guest_image_policy(in, IMG, &keep, out, sizeof(out), &len, NULL), 0);
	assert_memory_equal(out, in, IMG);
	/* A policy whose struct_size was never set is refused, not guessed. */
	assert_int_equal(igdpt_guest_image_policy(in, IMG, &unset, out, sizeof(out), &len, &diag),
			 -IGDPT_EINVAL);
	assert_non_null(strstr(diag.reason, "IGDPT_GUEST_POLICY_INIT"));
}

static void test_v3_without_swsci_unchanged(void **state)
{
	size_t len = 0;

	(void)state;
	reference(IGDPT_BUILD_VERSION_3_0);
	assert_int_equal(igdpt_guest_image_policy(in, IMG, NULL, out, sizeof(out), &len, NULL), 0);
	assert_memory_equal(out, in, IMG);
}

static void test_v3_swsci_warning_settled(void **state)
{
	struct igdpt_diag diag = { 0 };
	size_t len = 0;

	(void)state;
	reference(IGDPT_BUILD_VERSION_3_0);
	igdpt_put_le32(in + IGDPT_OPREGION_MBOX_OFFSET,
		       igdpt_le32(in + IGDPT_OPREGION_MBOX_OFFSET) | IGDPT_MBOX_SWSCI);
	assert_int_equal(igdpt_guest_image_policy(in, IMG, NULL, out, sizeof(out), &len, &diag), 1);
	assert_false(diag.warnings & IGDPT_WARN_SWSCI_ON_V3);
	diag = (struct igdpt_diag){ 0 };
	assert_int_equal(igdpt_opregion_parse(out, len, &(struct igdpt_opregion){ 0 }, &diag), 0);
	assert_false(diag.warnings & IGDPT_WARN_SWSCI_ON_V3);
}

/* Bytes past the OpRegion's end are never published: a 16 MiB file with an
 * 8 KiB OpRegion at its start gives the guest 8 KiB. */
static void test_trailing_not_published(void **state)
{
	size_t big_len = IGDPT_FILE_MAX_SIZE, len = 0;
	uint8_t *big = calloc(1, big_len), *pub = malloc(big_len);
	struct igdpt_diag diag = { 0 };
	struct igdpt_guest_policy keep = IGDPT_GUEST_POLICY_INIT;

	(void)state;
	assert_non_null(big);
	assert_non_null(pub);
	reference(IGDPT_BUILD_VERSION_2_0);
	memcpy(big, in, IMG);
	assert_int_equal(igdpt_guest_image_policy(big, big_len, NULL, pub, big_len, &len, &diag), 1);
	assert_int_equal(len, IMG);
	assert_true(diag.warnings & IGDPT_WARN_OPREGION_TRAILING);
	/* The size asked for is the OpRegion's, not the file's. */
	assert_int_equal(igdpt_guest_image_policy(big, big_len, NULL, NULL, 0, &len, NULL),
			 -IGDPT_ENOSPC);
	assert_int_equal(len, IMG);
	/* Nothing to clear and trailing bytes dropped: 0, shorter. */
	keep.keep_swsci = true;
	assert_int_equal(igdpt_guest_image_policy(big, IMG + 1, &keep, pub, big_len, &len, NULL), 0);
	assert_int_equal(len, IMG);
	assert_memory_equal(pub, in, IMG);
	free(pub);
	free(big);
}

static void test_refuses_invalid(void **state)
{
	struct igdpt_diag diag = { 0 };
	size_t len = 0;

	(void)state;
	reference(IGDPT_BUILD_VERSION_2_0);
	in[0] = 'i';
	memset(out, 0xAA, sizeof(out));
	assert_int_equal(igdpt_guest_image_policy(in, IMG, NULL, out, sizeof(out), &len, &diag),
			 -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "OpRegion signature is not \"IntelGraphicsMem\"");
	assert_int_equal(diag.offset, 0);
	assert_int_equal(out[0], 0xAA);

	assert_int_equal(igdpt_guest_image_policy(in, 100, NULL, out, sizeof(out), &len, &diag),
			 -IGDPT_EINVAL);
}

/* A 2.0 RVDA is a host physical address: never published. */
static void test_refuses_2_0_rvda(void **state)
{
	struct igdpt_diag diag = { 0 };
	size_t len = 0;

	(void)state;
	reference(IGDPT_BUILD_VERSION_2_0);
	igdpt_put_le64(in + IGDPT_MBOX3_RVDA_OFFSET, FX_HOST_PHYS_ADDR);
	igdpt_put_le32(in + IGDPT_MBOX3_RVDS_OFFSET, 0x2000);
	memset(out, 0xAA, sizeof(out));
	assert_int_equal(igdpt_guest_image_policy(in, IMG, NULL, out, sizeof(out), &len, &diag),
			 -IGDPT_EINVAL);
	assert_non_null(strstr(diag.reason, "host physical address"));
	assert_int_equal(diag.offset, IGDPT_MBOX3_RVDA_OFFSET);
	assert_int_equal(fx_find(out, sizeof(out), in + IGDPT_MBOX3_RVDA_OFFSET, 4), -1);
}

static void test_overlap_and_enospc(void **state)
{
	struct igdpt_diag diag = { 0 };
	static uint8_t both[IMG + 16];
	size_t len = 0;

	(void)state;
	reference(IGDPT_BUILD_VERSION_2_0);
	assert_int_equal(igdpt_guest_image_policy(in, IMG, NULL, NULL, 0, &len, &diag), -IGDPT_ENOSPC);
	assert_int_equal(len, IMG);
	assert_int_equal(igdpt_guest_image_policy(in, IMG, NULL, in, IMG, &len, &diag), -IGDPT_EINVAL);
	assert_memory_equal(in, copy, IMG);
	memcpy(both, in, IMG);
	assert_int_equal(igdpt_guest_image_policy(both, IMG, NULL, both + 16, IMG, &len, &diag),
			 -IGDPT_EINVAL);
	assert_memory_equal(both, copy, IMG);
}

/* Real firmware dumps: SWSCI announced (MBOX 0x1F), cleared in the copy. */
static void test_real_dumps(void **state)
{
	static const char *const names[] = {
		"rikka0w0-qemu-gvt-d-opregion.bin",
		"chikmyvoltage-msi-kvm-igpu-opregion.bin",
		"masnax-osx-kvm-opregion.bin",
	};
	const char *corpus = getenv("IGDPT_CORPUS");

	(void)state;
	if (!corpus)
		skip();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[4096], err[256];
		uint8_t *data, *before;
		size_t len, out_len = 0;

		snprintf(path, sizeof(path), "%s/opregion/%s", corpus, names[i]);
		assert_int_equal(igdpt_file_read(path, &data, &len,
						 &(struct igdpt_diag)IGDPT_DIAG_MESSAGE(err)), 0);
		assert_int_equal(len, IMG);
		before = malloc(len);
		assert_non_null(before);
		memcpy(before, data, len);
		assert_int_equal(igdpt_le32(data + IGDPT_OPREGION_MBOX_OFFSET), 0x1F);
		assert_int_equal(igdpt_guest_image_policy(data, len, NULL, out, sizeof(out), &out_len,
							  NULL), 1);
		assert_int_equal(igdpt_le32(out + IGDPT_OPREGION_MBOX_OFFSET), 0x1D);
		assert_memory_equal(data, before, len);
		free(before);
		free(data);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clears_swsci),
		cmocka_unit_test(test_keep_swsci),
		cmocka_unit_test(test_v3_without_swsci_unchanged),
		cmocka_unit_test(test_v3_swsci_warning_settled),
		cmocka_unit_test(test_trailing_not_published),
		cmocka_unit_test(test_refuses_invalid),
		cmocka_unit_test(test_refuses_2_0_rvda),
		cmocka_unit_test(test_overlap_and_enospc),
		cmocka_unit_test(test_real_dumps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
