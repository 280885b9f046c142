/* SPDX-License-Identifier: MIT */
/* Unit tests: host OpRegion -> guest image, every combination of host version,
 * RVDA/RVDS form, extended VBT and output buffer size; plus the real corpus. */
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
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/opregion.h"
#include "igdpt/core/relocate.h"

#define SENTINEL 0xA5u
#define BIG 65536u

/* The RVDA/RVDS a host can report. */
enum rv_case {
	RV_ZERO,          /* both 0: VBT in mailbox 4 only */
	RV_ONLY_RVDA,     /* RVDA set, RVDS 0 */
	RV_ONLY_RVDS,     /* RVDS set, RVDA 0 */
	RV_ABSOLUTE,      /* a physical address (right for 2.0), 8 KiB dump */
	RV_INSIDE,        /* an offset inside the base region */
	RV_PAST_END,      /* offset 0x2000 but the dump holds the base only */
	RV_RVDS_OVERFLOW, /* RVDS 0xFFFFFFFF */
	RV_VALID,         /* offset 0x2000, the VBT in the dump */
	RV_VALID_GAP,     /* offset 0x2400, the VBT in the dump after a gap */
	RV_VALID_BROKEN,  /* offset 0x2000, the VBT in the dump is broken */
	RV_COUNT,
};

static const char *const rv_names[RV_COUNT] = {
	"zero", "only-rvda", "only-rvds", "absolute", "inside", "past-end",
	"rvds-overflow", "valid", "valid-gap", "valid-broken",
};

enum ext_case { EXT_NONE, EXT_VALID, EXT_INVALID, EXT_COUNT };
static const char *const ext_names[EXT_COUNT] = { "none", "valid", "invalid" };

static const uint8_t versions[][2] = { { 1, 0 }, { 2, 0 }, { 2, 1 }, { 3, 0 } };

/* In-dump VBT (A), separately read VBT (B, padded like a real file), a
 * broken copy of B, and the small mailbox 4 VBT. */
static uint8_t vbt_a[16384], vbt_b[16384], vbt_bad[16384], vbt_small[4096];
static size_t a_len, b_len, b_size, small_len;
static uint8_t host[BIG];

static void build_vbts(void)
{
	struct fx_vbt v;

	fx_vbt_defaults_large(&v);
	a_len = fx_vbt_build(&v, vbt_a, sizeof(vbt_a));
	assert_true(a_len > IGDPT_MBOX4_SIZE);

	fx_vbt_defaults_large(&v);
	v.bdb_version = 251;
	v.blocks[v.block_count - 1].size = 6500;
	v.pad_to = 8192;
	b_len = fx_vbt_build(&v, vbt_b, sizeof(vbt_b));
	b_size = fx_vbt_block_offset(&v, v.block_count);
	assert_int_equal(b_len, 8192);
	assert_int_not_equal(b_size % IGDPT_OPREGION_RVDS_ALIGN, 0);

	memcpy(vbt_bad, vbt_b, b_len);
	vbt_bad[IGDPT_VBT_HEADER_SIZE + 2] = 'x';

	fx_vbt_defaults(&v);
	small_len = fx_vbt_build(&v, vbt_small, sizeof(vbt_small));
	assert_true(small_len > 0);
}

static size_t build_host(uint8_t major, uint8_t minor, enum rv_case rv)
{
	uint32_t rvds_a = (uint32_t)fx_align(a_len, IGDPT_OPREGION_RVDS_ALIGN);
	struct fx_opregion o;
	size_t len;

	fx_opregion_defaults(&o);
	o.major = major;
	o.minor = minor;
	o.mbox4 = vbt_small;
	o.mbox4_len = small_len;
	switch (rv) {
	case RV_ZERO:
		break;
	case RV_ONLY_RVDA:
		o.rvda = IGDPT_OPREGION_EXT_VBT_OFFSET;
		break;
	case RV_ONLY_RVDS:
		o.rvds = rvds_a;
		break;
	case RV_ABSOLUTE:
		o.rvda = FX_HOST_PHYS_ADDR;
		o.rvds = rvds_a;
		break;
	case RV_INSIDE:
		o.rvda = IGDPT_MBOX4_OFFSET;
		o.rvds = IGDPT_MBOX4_SIZE;
		break;
	case RV_PAST_END:
		o.rvda = IGDPT_OPREGION_EXT_VBT_OFFSET;
		o.rvds = rvds_a;
		break;
	case RV_RVDS_OVERFLOW:
	case RV_VALID:
	case RV_VALID_BROKEN:
		o.rvda = IGDPT_OPREGION_EXT_VBT_OFFSET;
		o.rvds = rv == RV_RVDS_OVERFLOW ? 0xFFFFFFFFu : rvds_a;
		o.ext = vbt_a;
		o.ext_len = a_len;
		o.ext_at = IGDPT_OPREGION_EXT_VBT_OFFSET;
		o.len = IGDPT_OPREGION_EXT_VBT_OFFSET + rvds_a;
		break;
	case RV_VALID_GAP:
		o.rvda = IGDPT_OPREGION_EXT_VBT_OFFSET + 0x400;
		o.rvds = rvds_a;
		o.ext = vbt_a;
		o.ext_len = a_len;
		o.ext_at = (size_t)o.rvda;
		o.len = (size_t)o.rvda + rvds_a;
		break;
	default:
		fail();
	}
	len = fx_opregion_build(&o, host, sizeof(host));
	assert_true(len >= IGDPT_OPREGION_BASE_SIZE);
	if (rv == RV_VALID_BROKEN)
		host[IGDPT_OPREGION_EXT_VBT_OFFSET + IGDPT_VBT_HEADER_SIZE + 2] = 'x';
	return len;
}

struct expect {
	int ret;
	const char *reason;
	size_t offset;
	const uint8_t *vbt; /* the VBT the image must carry at 0x2000, or NULL */
	size_t vbt_size;
};

/* The rules, written out independently of the code under test. */
static struct expect expected(uint8_t major, uint8_t minor, enum rv_case rv, enum ext_case ext)
{
	const struct expect bdb_bad = { -IGDPT_EINVAL, "BDB signature is not \"BIOS_DATA_BLOCK \"",
					IGDPT_VBT_HEADER_SIZE, NULL, 0 };
	bool offset_form = major > 2 || (major == 2 && minor >= 1);
	struct expect e = { -IGDPT_EINVAL, NULL, IGDPT_MBOX3_RVDA_OFFSET, NULL, 0 };

	if (rv == RV_ZERO) {
		if (ext == EXT_NONE)
			e.ret = 0;
		else
			e.reason = "an extended VBT was given but the OpRegion has no RVDA/RVDS";
		return e;
	}
	if (rv == RV_ONLY_RVDA || rv == RV_ONLY_RVDS) {
		e.reason = "RVDA and RVDS must be both set or both zero";
		return e;
	}
	if (major < 2) {
		e.reason = "RVDA set on an OpRegion older than 2.0";
		return e;
	}
	if (offset_form && rv == RV_INSIDE) {
		e.reason = "RVDA points inside the 8 KiB base region";
		return e;
	}
	if (ext == EXT_VALID)
		return (struct expect){ 0, NULL, 0, vbt_b, b_size };
	if (ext == EXT_INVALID)
		return bdb_bad;
	if (!offset_form) {
		e.reason = "version 2.0 RVDA is a host physical address: give the extended VBT read from there";
		return e;
	}
	switch (rv) {
	case RV_VALID:
	case RV_VALID_GAP:
		return (struct expect){ 0, NULL, 0, vbt_a, a_len };
	case RV_VALID_BROKEN:
		e = bdb_bad;
		e.offset += IGDPT_OPREGION_EXT_VBT_OFFSET;
		return e;
	default:
		e.reason = "RVDA/RVDS point past the end of the dump: give the extended VBT separately";
		return e;
	}
}

static bool untouched(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != SENTINEL)
			return false;
	return true;
}

static void check_image(const uint8_t *out, size_t len, const uint8_t *h, const struct expect *e,
			const char *what)
{
	static const uint8_t phys[8] = { 0x00, 0x4C, 0x3B, 0x7A, 0, 0, 0, 0 };
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	uint64_t rvda = igdpt_le64(out + IGDPT_MBOX3_RVDA_OFFSET);
	uint32_t rvds = igdpt_le32(out + IGDPT_MBOX3_RVDS_OFFSET);

	assert_true(igdpt_le32(phys) == FX_HOST_PHYS_ADDR);
	if (igdpt_opregion_parse(out, len, &op, &diag) != 0)
		fail_msg("%s: output does not parse: %s at 0x%zx", what, diag.reason, diag.offset);
	/* No host physical address anywhere in the guest image. */
	if (fx_find(out, len, phys, 4) >= 0)
		fail_msg("%s: host physical address in the output", what);

	/* The base region is the host's but for version, RVDA and RVDS. */
	for (size_t i = 0; i < IGDPT_OPREGION_BASE_SIZE; i++) {
		if (i == IGDPT_OPREGION_OVER_MINOR_OFFSET ||
		    (i >= IGDPT_MBOX3_RVDA_OFFSET && i < IGDPT_MBOX3_RVDS_OFFSET + 4))
			continue;
		if (out[i] != h[i])
			fail_msg("%s: base byte 0x%zx changed", what, i);
	}
	assert_int_equal(out[IGDPT_OPREGION_OVER_MAJOR_OFFSET], h[IGDPT_OPREGION_OVER_MAJOR_OFFSET]);
	assert_int_equal(out[IGDPT_OPREGION_OVER_REVISION_OFFSET],
			 h[IGDPT_OPREGION_OVER_REVISION_OFFSET]);

	if (!e->vbt) {
		assert_int_equal(len, IGDPT_OPREGION_BASE_SIZE);
		assert_int_equal(out[IGDPT_OPREGION_OVER_MINOR_OFFSET],
				 h[IGDPT_OPREGION_OVER_MINOR_OFFSET]);
		assert_true(rvda == 0);
		assert_int_equal(rvds, 0);
		assert_int_equal(op.vbt_source, IGDPT_VBT_SOURCE_MAILBOX4);
		return;
	}
	assert_true(rvda == IGDPT_OPREGION_EXT_VBT_OFFSET);
	assert_int_equal(rvds % IGDPT_OPREGION_RVDS_ALIGN, 0);
	assert_int_equal(rvds, fx_align(e->vbt_size, IGDPT_OPREGION_RVDS_ALIGN));
	assert_int_equal(len, IGDPT_OPREGION_BASE_SIZE + rvds);
	/* 2.0 becomes 2.1 because RVDA is now an offset; others stay. */
	if (h[IGDPT_OPREGION_OVER_MAJOR_OFFSET] == 2 && h[IGDPT_OPREGION_OVER_MINOR_OFFSET] == 0)
		assert_int_equal(out[IGDPT_OPREGION_OVER_MINOR_OFFSET], 1);
	else
		assert_int_equal(out[IGDPT_OPREGION_OVER_MINOR_OFFSET],
				 h[IGDPT_OPREGION_OVER_MINOR_OFFSET]);
	/* The VBT's bytes, identical, then zero padding. */
	if (memcmp(out + IGDPT_OPREGION_EXT_VBT_OFFSET, e->vbt, e->vbt_size))
		fail_msg("%s: extended VBT bytes differ", what);
	assert_true(igdpt_bytes_all_zero(out + IGDPT_OPREGION_EXT_VBT_OFFSET + e->vbt_size,
					 rvds - e->vbt_size));
	assert_int_equal(op.vbt_source, IGDPT_VBT_SOURCE_RVDA);
	assert_int_equal(op.vbt_offset, IGDPT_OPREGION_EXT_VBT_OFFSET);
	assert_int_equal(op.vbt.vbt_size, e->vbt_size);
}

/* One combination, with every output buffer size. */
static void run_case(uint8_t major, uint8_t minor, enum rv_case rv, enum ext_case ext)
{
	size_t host_len = build_host(major, minor, rv);
	struct expect e = expected(major, minor, rv, ext);
	const uint8_t *ext_vbt = ext == EXT_VALID ? vbt_b : ext == EXT_INVALID ? vbt_bad : NULL;
	size_t ext_len = ext == EXT_NONE ? 0 : b_len;
	size_t total = IGDPT_OPREGION_BASE_SIZE +
		       (e.vbt ? fx_align(e.vbt_size, IGDPT_OPREGION_RVDS_ALIGN) : 0);
	uint8_t *h = malloc(host_len);
	char what[128];

	assert_non_null(h);
	memcpy(h, host, host_len);
	snprintf(what, sizeof(what), "host %u.%u, rvda %s, ext %s", major, minor, rv_names[rv],
		 ext_names[ext]);

	/* 0: size query with no buffer, 1: one short, 2: exact, 3: larger. */
	for (int cap_case = 0; cap_case < 4; cap_case++) {
		size_t cap = cap_case == 0 ? 0 : cap_case == 1 ? total - 1
					 : cap_case == 2 ? total : total + 4096;
		uint8_t *out = cap ? malloc(cap) : NULL;
		struct igdpt_diag diag = { 0 };
		size_t out_len = 12345;
		int ret;

		if (cap) {
			assert_non_null(out);
			memset(out, SENTINEL, cap);
		}
		ret = igdpt_relocate(h, host_len, ext_vbt, ext_len, out, cap, &out_len, &diag);
		if (e.ret < 0) {
			if (ret != e.ret || !diag.reason || strcmp(diag.reason, e.reason) ||
			    diag.offset != e.offset)
				fail_msg("%s, cap %zu: got %d \"%s\" at 0x%zx, want %d \"%s\" at 0x%zx",
					 what, cap, ret, diag.reason ? diag.reason : "(none)",
					 diag.offset, e.ret, e.reason, e.offset);
			assert_int_equal(out_len, 12345);
			assert_true(!out || untouched(out, cap));
		} else if (cap < total) {
			if (ret != -IGDPT_ENOSPC)
				fail_msg("%s, cap %zu: got %d, want -ENOSPC", what, cap, ret);
			assert_int_equal(out_len, total);
			assert_true(!out || untouched(out, cap));
		} else {
			if (ret != 0)
				fail_msg("%s, cap %zu: got %d \"%s\" at 0x%zx, want success", what,
					 cap, ret, diag.reason ? diag.reason : "", diag.offset);
			assert_null(diag.reason);
			assert_int_equal(out_len, total);
			check_image(out, out_len, h, &e, what);
			assert_true(untouched(out + total, cap - total));
		}
		free(out);
	}
	/* The host buffer is input only. */
	assert_memory_equal(h, host, host_len);
	free(h);
}

static void test_matrix(void **state)
{
	unsigned ok = 0, failed = 0;

	(void)state;
	build_vbts();
	for (size_t v = 0; v < sizeof(versions) / sizeof(versions[0]); v++)
		for (int rv = 0; rv < RV_COUNT; rv++)
			for (int ext = 0; ext < EXT_COUNT; ext++) {
				struct expect e = expected(versions[v][0], versions[v][1],
							   (enum rv_case)rv, (enum ext_case)ext);

				run_case(versions[v][0], versions[v][1], (enum rv_case)rv,
					 (enum ext_case)ext);
				if (e.ret == 0)
					ok++;
				else
					failed++;
			}
	/* The matrix really covers both outcomes. */
	assert_int_equal(ok + failed, 4 * RV_COUNT * EXT_COUNT);
	assert_true(ok >= 10);
	assert_true(failed >= 60);
}

static void test_host_errors(void **state)
{
	struct igdpt_diag diag = { 0 };
	uint8_t out[IGDPT_OPREGION_BASE_SIZE];
	size_t out_len = 0, len;

	(void)state;
	build_vbts();
	len = build_host(2, 0, RV_ZERO);
	assert_int_equal(igdpt_relocate(host, len - 1, NULL, 0, out, sizeof(out), &out_len, &diag),
			 -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "OpRegion shorter than its 8 KiB base region");
	assert_int_equal(diag.offset, len - 1);
	assert_int_equal(igdpt_relocate(host, 0, NULL, 0, out, sizeof(out), &out_len, &diag),
			 -IGDPT_EINVAL);
	host[0] = 'i';
	assert_int_equal(igdpt_relocate(host, len, NULL, 0, out, sizeof(out), &out_len, &diag),
			 -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "OpRegion signature is not \"IntelGraphicsMem\"");
	assert_int_equal(diag.offset, 0);
	/* The diag is optional. */
	assert_int_equal(igdpt_relocate(host, len, NULL, 0, out, sizeof(out), &out_len, NULL),
			 -IGDPT_EINVAL);
	/* A separate VBT shorter than its header. */
	len = build_host(2, 0, RV_ABSOLUTE);
	assert_int_equal(igdpt_relocate(host, len, vbt_b, 10, out, sizeof(out), &out_len, &diag),
			 -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "VBT shorter than its 48-byte header");
	assert_int_equal(diag.offset, 10);
}

static void test_invalid_result_is_zeroed(void **state)
{
	static uint8_t out[BIG];
	struct igdpt_diag diag = { 0 };
	size_t out_len = 0, len;

	(void)state;
	build_vbts();
	/* A base region that is itself invalid is caught by the final check;
	 * the half-built image does not survive. */
	len = build_host(2, 0, RV_ABSOLUTE);
	igdpt_put_le32(host + IGDPT_OPREGION_MBOX_OFFSET,
		       igdpt_le32(host + IGDPT_OPREGION_MBOX_OFFSET) & ~IGDPT_MBOX_ASLE);
	memset(out, SENTINEL, sizeof(out));
	assert_int_equal(igdpt_relocate(host, len, vbt_b, b_len, out, sizeof(out), &out_len, &diag),
			 -IGDPT_EINVAL);
	assert_string_equal(diag.reason,
			    "RVDA set but the ASLE mailbox (MBOX bit 2) that holds it is absent");
	assert_true(igdpt_bytes_all_zero(out, IGDPT_OPREGION_BASE_SIZE +
						      fx_align(b_size, IGDPT_OPREGION_RVDS_ALIGN)));

	len = build_host(2, 0, RV_ZERO);
	host[IGDPT_MBOX4_OFFSET + IGDPT_VBT_HEADER_SIZE] = 'X';
	assert_int_equal(igdpt_relocate(host, len, NULL, 0, out, sizeof(out), &out_len, &diag),
			 -IGDPT_EINVAL);
	assert_string_equal(diag.reason, "BDB signature is not \"BIOS_DATA_BLOCK \"");
	assert_int_equal(diag.offset, IGDPT_MBOX4_OFFSET + IGDPT_VBT_HEADER_SIZE);
}

static void test_warnings_carried(void **state)
{
	static uint8_t out[BIG];
	struct igdpt_diag diag = { 0 };
	size_t out_len = 0, len;

	(void)state;
	build_vbts();
	len = build_host(2, 0, RV_ABSOLUTE);
	assert_int_equal(igdpt_relocate(host, len, vbt_b, b_len, out, sizeof(out), &out_len, &diag),
			 0);
	/* The fixture's large VBTs carry the BDB >= 200 short bdb_size. */
	assert_true(diag.warnings & IGDPT_WARN_BDB_SIZE_SHORT);
}

/* Real data: each real dump, relocated alone, comes out unchanged; made a
 * 2.0 host with an absolute RVDA, it carries each real > 6 KiB VBT. */
struct corpus_run {
	const char *dump_name;
	uint8_t *dump;
	size_t dump_len;
	unsigned pairs;
};

static uint8_t corpus_out[BIG];

static void relocate_corpus_vbt(const char *name, uint8_t *v, size_t v_len, void *ctx)
{
	struct corpus_run *run = ctx;
	struct igdpt_diag vdiag = { 0 }, diag = { 0 };
	struct igdpt_vbt vbt;
	struct expect e;
	size_t out_len = 0;

	if (igdpt_vbt_parse(v, v_len, &vbt, &vdiag) < 0 || vbt.vbt_size <= IGDPT_MBOX4_SIZE)
		return;
	igdpt_put_le32(run->dump + IGDPT_MBOX3_RVDS_OFFSET,
		       (uint32_t)fx_align(v_len, IGDPT_OPREGION_RVDS_ALIGN));
	e = (struct expect){ 0, NULL, 0, v, vbt.vbt_size };
	if (igdpt_relocate(run->dump, run->dump_len, v, v_len, corpus_out, sizeof(corpus_out),
			   &out_len, &diag) != 0)
		fail_msg("%s + %s: %s at 0x%zx", run->dump_name, name, diag.reason, diag.offset);
	check_image(corpus_out, out_len, run->dump, &e, name);
	run->pairs++;
}

static void relocate_corpus_dump(const char *name, uint8_t *dump, size_t dump_len, void *ctx)
{
	struct corpus_run *run = ctx;
	struct igdpt_diag diag = { 0 };
	size_t out_len = 0;
	char err[512];

	assert_int_equal(igdpt_relocate(dump, dump_len, NULL, 0, corpus_out, sizeof(corpus_out),
					&out_len, &diag), 0);
	assert_int_equal(out_len, IGDPT_OPREGION_BASE_SIZE);
	assert_memory_equal(corpus_out, dump, IGDPT_OPREGION_BASE_SIZE);

	igdpt_put_le64(dump + IGDPT_MBOX3_RVDA_OFFSET, FX_HOST_PHYS_ADDR);
	run->dump_name = name;
	run->dump = dump;
	run->dump_len = dump_len;
	assert_true(fx_corpus_each("vbt", relocate_corpus_vbt, run, err, sizeof(err)) >= 0);
}

static void test_corpus(void **state)
{
	struct corpus_run run = { 0 };
	char err[512];

	(void)state;
	if (!getenv("IGDPT_CORPUS"))
		skip();
	assert_int_equal(fx_corpus_each("opregion", relocate_corpus_dump, &run, err, sizeof(err)),
			 3);
	/* Every VBT from Tiger Lake on exceeds 6 KiB. */
	assert_true(run.pairs >= 3 * 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_host_errors),
		cmocka_unit_test(test_invalid_result_is_zeroed),
		cmocka_unit_test(test_warnings_carried),
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
