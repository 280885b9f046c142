/* SPDX-License-Identifier: MIT */
/* The VMM context's config writes as its write reports tell them: which
 * register, what it did, and the rule that only a complete register value
 * is acted on (ASLS and the 32-bit BDSM in one dword write, the 64-bit BDSM
 * in one dword write per half); and, for option 1b without map, what the
 * context needs before it writes its copy into guest RAM. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "igdpt/abi/guest.h"
#include "igdpt/build.h"
#include "igdpt/vmm.h"

#define RAM_SIZE (16u << 20)
#define ASLS IGDPT_PCI_ASLS_OFFSET
#define FW_COPY 0x00FEE000u

/* A VMM that cannot map: guest RAM is a buffer. */
struct ram_vmm {
	uint8_t *ram;
	unsigned writes;
};

static int ram_write(void *opaque, uint64_t gpa, const void *buf, size_t len)
{
	struct ram_vmm *v = opaque;

	if (gpa > RAM_SIZE || len > RAM_SIZE - gpa)
		return -EFAULT;
	memcpy(v->ram + gpa, buf, len);
	v->writes++;
	return 0;
}

static int ram_read(void *opaque, uint64_t gpa, void *buf, size_t len)
{
	struct ram_vmm *v = opaque;

	if (gpa > RAM_SIZE || len > RAM_SIZE - gpa)
		return -EFAULT;
	memcpy(buf, v->ram + gpa, len);
	return 0;
}

static int publish(void *opaque, const char *name, const void *data, size_t len)
{
	(void)opaque, (void)name, (void)data, (void)len;
	return 0;
}

static const struct igdpt_vmm_ops ram_ops = {
	.struct_size = sizeof(struct igdpt_vmm_ops),
	.write_ram = ram_write, .read_ram = ram_read, .publish = publish,
};

struct rig {
	struct ram_vmm v;
	uint8_t *image;
	size_t len;
	uint8_t *before;
	struct igdpt_vmm *vmm;
};

static void make(struct rig *r, enum igdpt_vmm_strategy s, unsigned gen)
{
	struct igdpt_vmm_config c = {
		.struct_size = sizeof(struct igdpt_vmm_config),
		.strategy = s, .generation = gen, .ops = &ram_ops,
				      .opaque = &r->v };
	size_t need = 0;

	memset(r, 0, sizeof(*r));
	igdpt_build_reference(IGDPT_BUILD_VERSION_2_0, NULL, 0, &need, NULL);
	r->image = malloc(need);
	assert_non_null(r->image);
	assert_int_equal(igdpt_build_reference(IGDPT_BUILD_VERSION_2_0, r->image, need, &r->len, NULL),
			 0);
	r->v.ram = calloc(1, RAM_SIZE);
	r->before = malloc(RAM_SIZE);
	assert_non_null(r->v.ram);
	assert_non_null(r->before);
	for (size_t i = 0; i < RAM_SIZE; i++)
		r->v.ram[i] = (uint8_t)(i * 7 + (i >> 12));
	/* The firmware's copy: only its signature, so that the context's own
	 * copy shows. */
	memcpy(r->v.ram + FW_COPY, r->image, 16);
	memcpy(r->before, r->v.ram, RAM_SIZE);
	c.image = r->image;
	c.image_len = r->len;
	assert_int_equal(igdpt_vmm_create(&c, &r->vmm, NULL), 0);
	assert_int_equal(igdpt_vmm_realize(r->vmm, NULL), 0);
}

static void done(struct rig *r)
{
	igdpt_vmm_destroy(r->vmm);
	free(r->image);
	free(r->before);
	free(r->v.ram);
}

static enum igdpt_vmm_write_action cfg_write(struct rig *r, unsigned off, unsigned len,
					     uint32_t value, struct igdpt_vmm_write_report *rep)
{
	struct igdpt_vmm_write_report scratch = IGDPT_VMM_WRITE_REPORT_INIT;

	if (!rep)
		rep = &scratch;
	assert_true(igdpt_vmm_config_write_report(r->vmm, off, len, value, rep) >= 0);
	return rep->action;
}

static void test_asls_partial_4b(void **state)
{
	struct rig r;
	struct igdpt_vmm_write_report rep = IGDPT_VMM_WRITE_REPORT_INIT;

	(void)state;
	make(&r, IGDPT_VMM_4B, 9);
	assert_int_equal(cfg_write(&r, ASLS, 2, 0xE000, &rep), IGDPT_VMM_WRITE_PARTIAL);
	assert_int_equal(rep.reg, IGDPT_VMM_REG_ASLS);
	assert_non_null(rep.reason);
	assert_int_equal(rep.value, 0xE000);
	assert_int_equal(igdpt_vmm_placement(r.vmm), IGDPT_VMM_PLACED_NONE);
	assert_int_equal(cfg_write(&r, ASLS + 2, 2, 0x00FE, &rep), IGDPT_VMM_WRITE_PARTIAL);
	/* The register reads back every byte written. */
	assert_int_equal(igdpt_vmm_asls(r.vmm), FW_COPY);
	assert_int_equal(igdpt_vmm_placement(r.vmm), IGDPT_VMM_PLACED_NONE);
	assert_int_equal(cfg_write(&r, ASLS, 4, FW_COPY, &rep), IGDPT_VMM_WRITE_TAKEN);
	assert_int_equal(igdpt_vmm_placement(r.vmm), IGDPT_VMM_PLACED_FIRMWARE);
	/* A later piece takes the placement back. */
	assert_int_equal(cfg_write(&r, ASLS + 3, 1, 0x12, NULL), IGDPT_VMM_WRITE_PARTIAL);
	assert_int_equal(igdpt_vmm_placement(r.vmm), IGDPT_VMM_PLACED_NONE);
	assert_int_equal(igdpt_vmm_asls(r.vmm), 0x12FEE000);
	assert_memory_equal(r.v.ram, r.before, RAM_SIZE);
	done(&r);
}

static void test_asls_1b_rules(void **state)
{
	struct rig r;
	struct igdpt_vmm_write_report rep = IGDPT_VMM_WRITE_REPORT_INIT;
	struct igdpt_vmm_stats st = IGDPT_VMM_STATS_INIT;

	(void)state;
	make(&r, IGDPT_VMM_1B, 9);
	/* The halves: 0xe000 on the way, then the complete value;
	 * four bytes; unaligned. Nothing written. */
	assert_int_equal(cfg_write(&r, ASLS, 2, 0xE000, NULL), IGDPT_VMM_WRITE_PARTIAL);
	assert_int_equal(cfg_write(&r, ASLS + 2, 2, 0x00FE, NULL), IGDPT_VMM_WRITE_PARTIAL);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(cfg_write(&r, ASLS + i, 1, FW_COPY >> (8 * i), NULL),
				 IGDPT_VMM_WRITE_PARTIAL);
	assert_int_equal(cfg_write(&r, ASLS - 2, 4, 0xE0000000, NULL), IGDPT_VMM_WRITE_PARTIAL);
	assert_int_equal(igdpt_vmm_asls(r.vmm), FW_COPY);
	assert_int_equal(r.v.writes, 0);
	/* Complete but unjustified: not aligned, past 4 GiB, outside RAM, no
	 * firmware copy there. */
	assert_int_equal(cfg_write(&r, ASLS, 4, FW_COPY + 0x10, &rep), IGDPT_VMM_WRITE_REFUSED);
	assert_non_null(rep.reason);
	assert_int_equal(cfg_write(&r, ASLS, 4, 0xFFFFF000, &rep), IGDPT_VMM_WRITE_REFUSED);
	assert_int_equal(cfg_write(&r, ASLS, 4, RAM_SIZE - 0x1000, &rep), IGDPT_VMM_WRITE_REFUSED);
	assert_int_equal(cfg_write(&r, ASLS, 4, 0xE000, &rep), IGDPT_VMM_WRITE_REFUSED);
	assert_non_null(strstr(rep.reason, "signature"));
	assert_int_equal(rep.value, 0xE000); /* the register took it */
	assert_int_equal(r.v.writes, 0);
	assert_memory_equal(r.v.ram, r.before, RAM_SIZE);
	/* The firmware's write. */
	assert_int_equal(cfg_write(&r, ASLS, 4, FW_COPY, &rep), IGDPT_VMM_WRITE_PLACED);
	assert_int_equal(igdpt_vmm_placement(r.vmm), IGDPT_VMM_PLACED_GUEST_RAM);
	assert_memory_equal(r.v.ram + FW_COPY, r.image, r.len);
	assert_memory_equal(r.v.ram, r.before, FW_COPY);
	assert_memory_equal(r.v.ram + FW_COPY + r.len, r.before + FW_COPY + r.len,
			    RAM_SIZE - FW_COPY - r.len);
	/* Placed once: pieces and whole writes are ignored until reset. */
	assert_int_equal(cfg_write(&r, ASLS, 2, 0, NULL), IGDPT_VMM_WRITE_IGNORED);
	assert_int_equal(cfg_write(&r, ASLS, 4, 0xE000, NULL), IGDPT_VMM_WRITE_IGNORED);
	assert_int_equal(igdpt_vmm_asls(r.vmm), FW_COPY);
	igdpt_vmm_get_stats(r.vmm, &st);
	assert_int_equal(st.partial_writes, 7);
	assert_int_equal(st.asls_writes_refused, 4);
	assert_int_equal(igdpt_vmm_reset(r.vmm), 0);
	assert_int_equal(igdpt_vmm_placement(r.vmm), IGDPT_VMM_PLACED_NONE);
	assert_int_equal(igdpt_vmm_asls(r.vmm), 0);
	done(&r);
}

static void test_bdsm_completion(void **state)
{
	struct rig r;
	struct igdpt_vmm_write_report rep = IGDPT_VMM_WRITE_REPORT_INIT;
	const unsigned lo = IGDPT_PCI_BDSM64_OFFSET, hi = IGDPT_PCI_BDSM64_OFFSET + 4;

	(void)state;
	make(&r, IGDPT_VMM_4B, 12);
	/* Low then high, high then low: the second dword completes it. */
	assert_int_equal(cfg_write(&r, lo, 4, 0x3F000000, &rep), IGDPT_VMM_WRITE_PARTIAL);
	assert_int_equal(rep.reg, IGDPT_VMM_REG_BDSM);
	assert_int_equal(cfg_write(&r, hi, 4, 1, &rep), IGDPT_VMM_WRITE_TAKEN);
	assert_true(rep.value == 0x13F000000ull);
	assert_int_equal(cfg_write(&r, hi, 4, 0, NULL), IGDPT_VMM_WRITE_PARTIAL);
	assert_int_equal(cfg_write(&r, lo, 4, 0x3F100000, NULL), IGDPT_VMM_WRITE_TAKEN);
	/* A piece of a dword spoils it: that dword must come whole again. */
	assert_int_equal(cfg_write(&r, lo, 4, 0x3F000000, NULL), IGDPT_VMM_WRITE_PARTIAL);
	assert_int_equal(cfg_write(&r, lo + 2, 2, 0x3F00, NULL), IGDPT_VMM_WRITE_PARTIAL);
	assert_int_equal(cfg_write(&r, hi, 4, 0, NULL), IGDPT_VMM_WRITE_PARTIAL);
	assert_int_equal(cfg_write(&r, lo, 4, 0x3F000000, NULL), IGDPT_VMM_WRITE_TAKEN);
	/* Unaligned dwords never complete it. */
	assert_int_equal(cfg_write(&r, lo + 2, 4, 0, NULL), IGDPT_VMM_WRITE_PARTIAL);
	assert_int_equal(cfg_write(&r, hi + 2, 2, 0, NULL), IGDPT_VMM_WRITE_PARTIAL);
	done(&r);

	make(&r, IGDPT_VMM_4B, 9);
	assert_int_equal(cfg_write(&r, IGDPT_PCI_BDSM_OFFSET, 2, 0, NULL), IGDPT_VMM_WRITE_PARTIAL);
	assert_int_equal(cfg_write(&r, IGDPT_PCI_BDSM_OFFSET + 2, 2, 0x3F00, NULL),
			 IGDPT_VMM_WRITE_PARTIAL);
	assert_int_equal(igdpt_vmm_bdsm(r.vmm), 0x3F000000);
	assert_int_equal(cfg_write(&r, IGDPT_PCI_BDSM_OFFSET, 4, 0x3F000000, NULL),
			 IGDPT_VMM_WRITE_TAKEN);
	done(&r);
}

static void test_ggc_swsci_reports(void **state)
{
	struct rig r;
	struct igdpt_vmm_write_report rep = IGDPT_VMM_WRITE_REPORT_INIT;

	(void)state;
	make(&r, IGDPT_VMM_4B, 9);
	assert_int_equal(cfg_write(&r, IGDPT_PCI_GGC_OFFSET + 1, 1, 0xAB, &rep), IGDPT_VMM_WRITE_IGNORED);
	assert_int_equal(rep.reg, IGDPT_VMM_REG_GGC);
	assert_int_equal(rep.written, 0xABC1); /* what the guest asked for */
	assert_int_equal(rep.value, 0x00C1);
	assert_int_equal(cfg_write(&r, IGDPT_PCI_SWSCI_OFFSET, 2, 0x8001, &rep), IGDPT_VMM_WRITE_TAKEN);
	assert_int_equal(rep.written, 0x8001);
	assert_int_equal(rep.value, 0x8000);
	assert_int_equal(cfg_write(&r, 0x10, 4, 0, &rep), IGDPT_VMM_WRITE_NONE);
	assert_int_equal(rep.reg, IGDPT_VMM_REG_NONE);
	assert_string_equal(igdpt_vmm_register_name(IGDPT_VMM_REG_BDSM), "bdsm");
	assert_int_equal(igdpt_vmm_config_write_report(r.vmm, 0xFFE, 4, 0, &rep), -EINVAL);
	assert_int_equal(rep.reg, IGDPT_VMM_REG_NONE);
	/* A dword crossing 0x100 (PCI Express) reaches ASLS's top bytes; found
	 * by tests/device/fuzz_model.c (seeds-model/crossing-0x100.bin). */
	assert_int_equal(igdpt_vmm_config_write_report(r.vmm, 0xFD, 4, 0xFFFFFF, &rep), 3);
	assert_int_equal(rep.action, IGDPT_VMM_WRITE_PARTIAL);
	assert_int_equal(igdpt_vmm_asls(r.vmm), 0xFFFFFF00);
	done(&r);
}

/* 1b without map needs both RAM callbacks: the check reads before the
 * copy is written. */
static void test_1b_needs_read_ram(void **state)
{
	static const struct igdpt_vmm_ops write_only = {
		.struct_size = sizeof(struct igdpt_vmm_ops), .write_ram = ram_write, .publish = publish
	};
	uint8_t image[8192] = "IntelGraphicsMem";
	struct igdpt_vmm_config c = {
		.struct_size = sizeof(struct igdpt_vmm_config),
		.strategy = IGDPT_VMM_1B, .image = image,
				      .image_len = sizeof(image), .unvalidated_image = true,
				      .ops = &write_only };
	struct igdpt_diag diag = { 0 };
	struct igdpt_vmm *vmm = NULL;

	(void)state;
	assert_int_equal(igdpt_vmm_create(&c, &vmm, &diag), -EINVAL);
	assert_non_null(strstr(diag.reason, "read_ram"));
}

/* The growable structs (docs/library.md): an unset struct_size is refused,
 * and an output struct is filled only as far as the caller's struct_size. */
static void test_struct_size(void **state)
{
	struct igdpt_vmm_config zero = { 0 };
	struct igdpt_vmm_ops no_size = { .publish = publish };
	struct igdpt_vmm_config c = IGDPT_VMM_CONFIG_INIT;
	struct igdpt_vmm_write_report small = { 0 };
	struct igdpt_vmm *vmm = NULL;
	struct igdpt_diag diag = IGDPT_DIAG_INIT;
	struct rig r;

	(void)state;
	assert_int_equal(igdpt_vmm_create(&zero, &vmm, &diag), -EINVAL);
	assert_non_null(strstr(diag.reason, "struct_size"));
	c.strategy = IGDPT_VMM_4B;
	c.ops = &no_size;
	assert_int_equal(igdpt_vmm_create(&c, &vmm, &diag), -EINVAL);
	assert_non_null(strstr(diag.reason, "igdpt_vmm_ops"));
	assert_null(vmm);

	make(&r, IGDPT_VMM_4B, 9);
	/* An older caller's report: only reg and action. */
	small.struct_size = offsetof(struct igdpt_vmm_write_report, written);
	small.written = 0x1234;
	assert_int_equal(igdpt_vmm_config_write_report(r.vmm, IGDPT_PCI_ASLS_OFFSET, 4, FW_COPY,
						       &small),
			 4);
	assert_int_equal(small.reg, IGDPT_VMM_REG_ASLS);
	assert_int_equal(small.struct_size, offsetof(struct igdpt_vmm_write_report, written));
	assert_int_equal(small.written, 0x1234);
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_asls_partial_4b),
		cmocka_unit_test(test_asls_1b_rules),
		cmocka_unit_test(test_bdsm_completion),
		cmocka_unit_test(test_ggc_swsci_reports),
		cmocka_unit_test(test_1b_needs_read_ram),
		cmocka_unit_test(test_struct_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
