/* SPDX-License-Identifier: MIT */
/* The six placement options run in the machine model: the comparison's
 * values asserted for a reference image, an extended-VBT image built from a
 * real 9 KiB VBT and a real OpRegion dump, plus the VMM context's register
 * behaviour and errors, hostile guests, and a VMM that cannot map. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "igdpt/abi/guest.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/build.h"
#include "igdpt/core/bytes.h"
#include "igdpt/file.h"
#include "igdpt/machine.h"
#include "igdpt/vmm.h"

#define PAGE 0x1000u
/* A real VBT larger than mailbox 4's 6 KiB: wrapped as an extended VBT. */
#define BIG_VBT "vbt/cb-google-brya-xol.vbt"
#define REAL_OPREGION "opregion/rikka0w0-qemu-gvt-d-opregion.bin"

struct image {
	uint8_t *data;
	size_t len;
};

static void load_corpus(const char *rel, uint8_t **data, size_t *len)
{
	const char *dir = getenv("IGDPT_CORPUS");
	char path[4096], err[512];

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (igdpt_file_read(path, data, len, &(struct igdpt_diag)IGDPT_DIAG_MESSAGE(err)) < 0)
		fail_msg("%s", err);
}

static struct image reference_image(void)
{
	struct image im = { 0 };
	size_t need = 0;

	igdpt_build_reference(IGDPT_BUILD_VERSION_2_0, NULL, 0, &need, NULL);
	im.data = malloc(need);
	assert_non_null(im.data);
	assert_int_equal(igdpt_build_reference(IGDPT_BUILD_VERSION_2_0, im.data, need, &im.len, NULL), 0);
	return im;
}

static struct image extended_image(void)
{
	struct image im = { 0 };
	struct igdpt_diag diag = { 0 };
	uint8_t *vbt;
	size_t vbt_len, need = 0;

	load_corpus(BIG_VBT, &vbt, &vbt_len);
	igdpt_build_wrap_vbt(vbt, vbt_len, IGDPT_BUILD_VERSION_2_1, NULL, 0, &need, &diag);
	im.data = malloc(need);
	assert_non_null(im.data);
	assert_int_equal(igdpt_build_wrap_vbt(vbt, vbt_len, IGDPT_BUILD_VERSION_2_1, im.data, need,
					      &im.len, &diag), 0);
	free(vbt);
	/* Extended: the VBT follows the 8 KiB region, and the last page is
	 * only partly used, so mappings expose host bytes past the image. */
	assert_true(im.len > IGDPT_OPREGION_BASE_SIZE);
	assert_int_not_equal(im.len % PAGE, 0);
	return im;
}

static uint64_t pages(size_t len)
{
	return (len + PAGE - 1) / PAGE * PAGE;
}

static void evaluate_all(const struct image *im, const struct igdpt_strategy_options *opts,
			 struct igdpt_strategy_row rows[IGDPT_VMM_STRATEGY_COUNT])
{
	for (unsigned s = 0; s < IGDPT_VMM_STRATEGY_COUNT; s++) {
		struct igdpt_diag diag = { 0 };

		assert_int_equal(igdpt_machine_evaluate((enum igdpt_vmm_strategy)s, im->data, im->len,
							opts, &rows[s], &diag), 0);
	}
}

/* The trade-offs the thread argued about, as measured. */
static void assert_table(const struct image *im, const struct igdpt_strategy_row *rows)
{
	const struct igdpt_strategy_row *r1a = &rows[IGDPT_VMM_1A], *r1b = &rows[IGDPT_VMM_1B],
					*r2 = &rows[IGDPT_VMM_2], *r3 = &rows[IGDPT_VMM_3],
					*r4a = &rows[IGDPT_VMM_4A], *r4b = &rows[IGDPT_VMM_4B];

	for (unsigned s = 0; s < IGDPT_VMM_STRATEGY_COUNT; s++) {
		assert_string_equal(rows[s].error, "");
		/* Cold boot with firmware support: every option gives the guest
		 * a valid, reserved OpRegion. */
		if (!rows[s].guest_sees_valid_opregion)
			fail_msg("option %s: %s", igdpt_vmm_strategy_name(rows[s].strategy),
				 rows[s].guest_reason);
		assert_true(rows[s].looks_like_real_hardware);
	}
	/* Option 1: the guest writes straight into the host's OpRegion. */
	assert_true(r1a->guest_writes_reach_host);
	assert_true(r1b->guest_writes_reach_host);
	assert_true(r1a->driver_writes_succeed && r1b->driver_writes_succeed);
	assert_true(r1a->host_bytes_corrupted > 0 && r1b->host_bytes_corrupted > 0);
	/* Option 2: read-only breaks i915's writes, but protects the host. */
	assert_false(r2->driver_writes_succeed);
	assert_false(r2->guest_writes_reach_host);
	assert_true(r2->hostile_writes_refused >= im->len);
	assert_int_equal(r2->host_bytes_corrupted, 0);
	/* Copies: the host stays untouched and unexposed. */
	for (const struct igdpt_strategy_row *r = r3; r <= r4b; r++) {
		assert_true(r->driver_writes_succeed);
		assert_false(r->guest_writes_reach_host);
		assert_int_equal(r->host_bytes_corrupted, 0);
		assert_int_equal(r->host_bytes_exposed, 0);
	}
	/* Mappings are page granular: whole pages of host memory show. */
	assert_int_equal(r1a->host_bytes_exposed, pages(im->len));
	assert_int_equal(r1b->host_bytes_exposed, pages(im->len));
	assert_int_equal(r2->host_bytes_exposed, pages(im->len));
	/* Who picks the address, and who needs the firmware. */
	assert_string_equal(r1a->address_chosen_by, "vmm");
	assert_string_equal(r2->address_chosen_by, "vmm");
	assert_string_equal(r3->address_chosen_by, "vmm");
	assert_string_equal(r4a->address_chosen_by, "vmm");
	assert_string_equal(r1b->address_chosen_by, "firmware");
	assert_string_equal(r4b->address_chosen_by, "firmware");
	assert_true(r4b->needs_firmware_support && !r4b->works_unmodified_firmware);
	assert_true(r1b->needs_firmware_support && !r1b->works_unmodified_firmware);
	for (const struct igdpt_strategy_row *r = r1a; r <= r4a; r++)
		if (r != r1b)
			assert_true(r->works_unmodified_firmware && !r->needs_firmware_support);
	/* A hostile ASLS write: ignored where the VMM owns ASLS or took the
	 * firmware's write; QEMU's plain register (4b) lets the guest lose its
	 * OpRegion (the host is safe: only the guest's view breaks). */
	for (const struct igdpt_strategy_row *r = r1a; r <= r4a; r++) {
		assert_true(r->survives_hostile_asls);
		assert_string_equal(r->hostile_asls_effect, "ignored");
	}
	assert_false(r4b->survives_hostile_asls);
	assert_string_equal(r4b->hostile_asls_effect, "stored");
	/* Hotplug: only what the VMM maps outside RAM appears after boot;
	 * 4a would overwrite RAM the guest already uses. */
	assert_true(r1a->hotplug_possible && r2->hotplug_possible && r3->hotplug_possible);
	assert_false(r1b->hotplug_possible || r4a->hotplug_possible || r4b->hotplug_possible);
}

static void test_table_reference(void **state)
{
	struct igdpt_strategy_row rows[IGDPT_VMM_STRATEGY_COUNT];
	struct image im = reference_image();

	(void)state;
	evaluate_all(&im, NULL, rows);
	assert_table(&im, rows);
	free(im.data);
}

static void test_table_extended_vbt(void **state)
{
	struct igdpt_strategy_row rows[IGDPT_VMM_STRATEGY_COUNT];
	struct image im = extended_image();

	(void)state;
	evaluate_all(&im, NULL, rows);
	assert_table(&im, rows);
	/* The scribble reaches the host bytes past the image in the last
	 * mapped page too: the whole mapping is corrupted. */
	assert_int_equal(rows[IGDPT_VMM_1A].host_bytes_corrupted, pages(im.len));
	free(im.data);
}

static void test_table_real_dump_with_stolen(void **state)
{
	struct igdpt_strategy_options opts = {
		.struct_size = sizeof(struct igdpt_strategy_options),
		.generation = 9, .stolen_size = 32u << 20,
					       .ram_size = 256u << 20 };
	struct igdpt_strategy_row rows[IGDPT_VMM_STRATEGY_COUNT];
	struct image im;

	(void)state;
	load_corpus(REAL_OPREGION, &im.data, &im.len);
	evaluate_all(&im, &opts, rows);
	assert_table(&im, rows);
	free(im.data);
}

/* SeaBIOS writes stolen memory's base to 0x5C whatever the generation; a
 * gen 11 IGD reads BDSM at 0xC0: the guest check catches it. */
static void test_gen11_seabios_bdsm(void **state)
{
	struct igdpt_strategy_options opts = {
		.struct_size = sizeof(struct igdpt_strategy_options),
		.generation = 11, .stolen_size = 32u << 20,
					       .ram_size = 256u << 20 };
	struct igdpt_strategy_row rows[IGDPT_VMM_STRATEGY_COUNT];
	struct image im = reference_image();

	(void)state;
	evaluate_all(&im, &opts, rows);
	assert_false(rows[IGDPT_VMM_4B].guest_sees_valid_opregion);
	assert_non_null(strstr(rows[IGDPT_VMM_4B].guest_reason, "BDSM is 0"));
	/* The VMM-planned options set BDSM themselves. */
	assert_true(rows[IGDPT_VMM_4A].guest_sees_valid_opregion);
	assert_true(rows[IGDPT_VMM_1A].guest_sees_valid_opregion);
	free(im.data);
}

/* QEMU's proxy cannot map host memory: 1a, 2 and 3 say so, 1b falls back
 * to a private copy in guest RAM, 4a and 4b do not care. */
static void test_no_map(void **state)
{
	struct igdpt_strategy_options opts = IGDPT_STRATEGY_OPTIONS_INIT;
	struct igdpt_strategy_row rows[IGDPT_VMM_STRATEGY_COUNT];
	struct image im = reference_image();

	(void)state;
	opts.no_map = true;
	evaluate_all(&im, &opts, rows);
	assert_non_null(strstr(rows[IGDPT_VMM_1A].error, "cannot"));
	assert_non_null(strstr(rows[IGDPT_VMM_2].error, "maps memory into guest physical space"));
	assert_non_null(strstr(rows[IGDPT_VMM_3].error, "cannot"));
	assert_string_equal(rows[IGDPT_VMM_1B].error, "");
	assert_string_equal(rows[IGDPT_VMM_1B].placement, "guest-ram");
	assert_true(rows[IGDPT_VMM_1B].guest_sees_valid_opregion);
	assert_false(rows[IGDPT_VMM_1B].guest_writes_reach_host);
	assert_true(rows[IGDPT_VMM_4A].guest_sees_valid_opregion);
	assert_true(rows[IGDPT_VMM_4B].guest_sees_valid_opregion);
	free(im.data);
}

/* ---- the VMM context directly, through a machine ---- */

static struct igdpt_machine *booted(enum igdpt_vmm_strategy s, const struct image *im)
{
	struct igdpt_machine_config cfg = {
		.struct_size = sizeof(struct igdpt_machine_config),
		.strategy = s, .image = im->data, .image_len = im->len,
	};
	struct igdpt_machine *m;
	struct igdpt_diag diag = { 0 };

	assert_int_equal(igdpt_machine_create(&cfg, &m, &diag), 0);
	assert_int_equal(igdpt_machine_plug(m, &diag), 0);
	assert_int_equal(igdpt_machine_boot(m, IGDPT_MACHINE_FW_IGD, &diag), 0);
	return m;
}

static void test_registers(void **state)
{
	struct image im = reference_image();
	struct igdpt_machine *m = booted(IGDPT_VMM_4B, &im);
	struct igdpt_vmm *vmm = igdpt_machine_vmm(m);
	struct igdpt_vmm_stats st = IGDPT_VMM_STATS_INIT;
	uint32_t v, asls;

	(void)state;
	asls = igdpt_machine_cfg_read(m, IGDPT_PCI_ASLS_OFFSET, 4);
	assert_int_equal(asls, igdpt_machine_firmware_asls(m));
	assert_int_equal(asls % PAGE, 0);
	/* Byte and word reads see the same register. */
	assert_int_equal(igdpt_machine_cfg_read(m, IGDPT_PCI_ASLS_OFFSET + 2, 2), asls >> 16);
	/* GGC: locked, writes ignored. */
	v = igdpt_machine_cfg_read(m, IGDPT_PCI_GGC_OFFSET, 2);
	assert_true(v & IGDPT_GGC_LOCK);
	igdpt_machine_cfg_write(m, IGDPT_PCI_GGC_OFFSET, 2, 0);
	assert_int_equal(igdpt_machine_cfg_read(m, IGDPT_PCI_GGC_OFFSET, 2), v);
	/* SWSCI: GSSCIE completes at once, SCISEL stays. */
	igdpt_machine_cfg_write(m, IGDPT_PCI_SWSCI_OFFSET, 2, IGDPT_SWSCI_SCISEL | IGDPT_SWSCI_GSSCIE);
	assert_int_equal(igdpt_machine_cfg_read(m, IGDPT_PCI_SWSCI_OFFSET, 2), IGDPT_SWSCI_SCISEL);
	/* BDSM (gen 9: 0x5C): only the 1 MiB aligned base is writable. */
	igdpt_machine_cfg_write(m, IGDPT_PCI_BDSM_OFFSET, 4, 0x7F0FFFFFu);
	assert_int_equal(igdpt_machine_cfg_read(m, IGDPT_PCI_BDSM_OFFSET, 4), 0x7F000000u);
	/* A dword straddling SWSCI and the bytes after it: the context takes
	 * only its two. */
	assert_int_equal(igdpt_vmm_owns(vmm, IGDPT_PCI_SWSCI_OFFSET, 4), 2);
	assert_int_equal(igdpt_vmm_owns(vmm, 0x00, 4), 0);
	/* PCI Express: a dword may cross 0x100 (ASLS's top half). */
	assert_int_equal(igdpt_vmm_owns(vmm, 0xFE, 4), 2);
	assert_int_equal(igdpt_vmm_owns(vmm, 0xFFE, 4), -EINVAL);
	assert_int_equal(igdpt_vmm_owns(vmm, 0x10, 3), -EINVAL);
	igdpt_vmm_get_stats(vmm, &st);
	assert_int_equal(st.ggc_writes_ignored, 1);
	assert_int_equal(st.swsci_triggers, 1);
	/* Reset: the firmware programs ASLS and BDSM again. */
	assert_int_equal(igdpt_vmm_reset(vmm), 0);
	assert_int_equal(igdpt_vmm_asls(vmm), 0);
	assert_int_equal(igdpt_vmm_bdsm(vmm), 0);
	igdpt_machine_destroy(m);
	free(im.data);
}

static void test_1b_write_once_and_reset(void **state)
{
	struct image im = reference_image();
	struct igdpt_machine *m = booted(IGDPT_VMM_1B, &im);
	struct igdpt_vmm *vmm = igdpt_machine_vmm(m);
	uint32_t asls = igdpt_vmm_asls(vmm);
	uint64_t gpa, len;

	(void)state;
	assert_int_equal(igdpt_vmm_placement(vmm), IGDPT_VMM_PLACED_HOST_MAP);
	igdpt_vmm_range(vmm, &gpa, &len);
	assert_int_equal(gpa, asls);
	assert_int_equal(len, pages(im.len));
	assert_int_equal(igdpt_machine_host_exposed(m), len);
	/* A second write cannot move the host mapping. */
	igdpt_machine_cfg_write(m, IGDPT_PCI_ASLS_OFFSET, 4, 0x100000);
	assert_int_equal(igdpt_vmm_asls(vmm), asls);
	/* After reset the mapping is gone until the firmware writes again. */
	assert_int_equal(igdpt_vmm_reset(vmm), 0);
	assert_int_equal(igdpt_machine_host_exposed(m), 0);
	igdpt_machine_cfg_write(m, IGDPT_PCI_ASLS_OFFSET, 4, 0x1234);
	assert_int_equal(igdpt_vmm_placement(vmm), IGDPT_VMM_PLACED_NONE); /* not page aligned */
	igdpt_machine_cfg_write(m, IGDPT_PCI_ASLS_OFFSET, 4, asls);
	assert_int_equal(igdpt_machine_host_exposed(m), len);
	igdpt_machine_destroy(m);
	free(im.data);
}

/* The model guest driver's writes, and what a read-only map does to them. */
static void test_driver_writes(void **state)
{
	struct image im = reference_image();
	struct igdpt_machine_driver d;
	struct igdpt_machine_stats st;
	struct igdpt_machine *m;

	(void)state;
	m = booted(IGDPT_VMM_2, &im);
	assert_int_equal(igdpt_machine_guest_driver(m, false, &d), 0);
	assert_int_equal(d.verdict.result, IGDPT_PROBE_PASS);
	assert_true(d.writes > 0);
	/* DRDY, CHPD, ARDY, TCHE and the non-zero DIDL entries are refused;
	 * CSTS and empty DIDL slots "succeed" because they already read 0. */
	assert_true(d.writes_kept < d.writes);
	assert_false(d.writes_ok);
	igdpt_machine_get_stats(m, &st);
	assert_true(st.ro_writes_refused > 0);
	assert_int_equal(igdpt_machine_host_changed(m, NULL), 0);
	igdpt_machine_destroy(m);

	m = booted(IGDPT_VMM_4A, &im);
	assert_int_equal(igdpt_machine_guest_driver(m, false, &d), 0);
	assert_true(d.writes_ok);
	/* The guest copy holds the driver's state; the published image (none
	 * for 4a) and the host do not. */
	assert_int_equal(igdpt_machine_host_changed(m, NULL), 0);
	igdpt_machine_destroy(m);
	free(im.data);
}

/* ---- creation errors ---- */

static int nop_publish(void *o, const char *n, const void *d, size_t l)
{
	(void)o, (void)n, (void)d, (void)l;
	return 0;
}

static void test_create_errors(void **state)
{
	struct image im = reference_image();
	struct igdpt_vmm_ops publish_only = {
		.struct_size = sizeof(struct igdpt_vmm_ops), .publish = nop_publish,
	};
	struct igdpt_vmm_config c = {
		.struct_size = sizeof(struct igdpt_vmm_config),
		.strategy = IGDPT_VMM_4B, .image = im.data,
				      .image_len = im.len, .generation = 9, .ops = &publish_only };
	struct igdpt_diag diag = { 0 };
	struct igdpt_vmm *vmm = NULL;

	(void)state;
	assert_int_equal(igdpt_vmm_create(&c, &vmm, &diag), 0);
	igdpt_vmm_destroy(vmm);
	/* 1a needs map/unmap. */
	c.strategy = IGDPT_VMM_1A;
	assert_int_equal(igdpt_vmm_create(&c, &vmm, &diag), -EINVAL);
	assert_non_null(strstr(diag.reason, "map"));
	/* 4a needs write_ram. */
	c.strategy = IGDPT_VMM_4A;
	assert_int_equal(igdpt_vmm_create(&c, &vmm, &diag), -EINVAL);
	assert_non_null(strstr(diag.reason, "write_ram"));
	/* A broken image is refused with the validator's reason. */
	c.strategy = IGDPT_VMM_4B;
	im.data[0] ^= 0xFF;
	assert_int_equal(igdpt_vmm_create(&c, &vmm, &diag), -EINVAL);
	assert_non_null(strstr(diag.reason, "signature"));
	im.data[0] ^= 0xFF;
	/* Stolen memory a GGC cannot announce, or on a gen without BDSM. */
	c.stolen_size = 3u << 20;
	assert_int_equal(igdpt_vmm_create(&c, &vmm, &diag), -EINVAL);
	c.stolen_size = 32u << 20;
	c.generation = 13;
	assert_int_equal(igdpt_vmm_create(&c, &vmm, &diag), -EINVAL);
	assert_non_null(strstr(diag.reason, "BDSM"));
	/* Unknown strategy. */
	c.generation = 9;
	c.strategy = (enum igdpt_vmm_strategy)42;
	assert_int_equal(igdpt_vmm_create(&c, &vmm, &diag), -EINVAL);
	assert_null(igdpt_vmm_strategy_name(c.strategy));
	free(im.data);
}

static void test_strategy_names(void **state)
{
	enum igdpt_vmm_strategy s;

	(void)state;
	for (unsigned i = 0; i < IGDPT_VMM_STRATEGY_COUNT; i++) {
		assert_int_equal(igdpt_vmm_strategy_parse(igdpt_vmm_strategy_name(i), &s), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(igdpt_vmm_strategy_parse("5", &s), -EINVAL);
	assert_int_equal(igdpt_vmm_strategy_parse(NULL, &s), -EINVAL);
	assert_true(igdpt_vmm_strategy_needs_map(IGDPT_VMM_2));
	assert_false(igdpt_vmm_strategy_needs_map(IGDPT_VMM_1B));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_reference),
		cmocka_unit_test(test_table_extended_vbt),
		cmocka_unit_test(test_table_real_dump_with_stolen),
		cmocka_unit_test(test_gen11_seabios_bdsm),
		cmocka_unit_test(test_no_map),
		cmocka_unit_test(test_registers),
		cmocka_unit_test(test_1b_write_once_and_reset),
		cmocka_unit_test(test_driver_writes),
		cmocka_unit_test(test_create_errors),
		cmocka_unit_test(test_strategy_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
