/* SPDX-License-Identifier: MIT */
/* Unit tests of the device's config-space plumbing: write masks, BAR
 * sizing (32-bit, 64-bit with QEMU's probe quirk, I/O), the LPC bridge and
 * reset; and that the VMM context's registers are not stored here. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/config_space.h"
#include "model/igd.h"
#include "igdpt/abi/guest.h"
#include "model/lpc.h"

#define BAR(i) (IGDPT_PCI_BAR0_OFFSET + 4u * (i))
#define ALL_ONES 0xFFFFFFFFu

static struct igdpt_igd igd; /* large: keep it off the stack */

static void make_igd(uint16_t devid)
{
	struct igdpt_igd_params p = {
		.device_id = devid,
		.class_code = IGDPT_PCI_CLASS_DISPLAY_VGA,
		.subsys_vendor = 0x8086,
		.subsys_device = 0x2212,
		.revision = 2,
	};

	assert_int_equal(igdpt_igd_init(&igd, &p), 0);
}

/* QEMU's realize-time probe of one BAR dword: returns what it reads back. */
static uint32_t qemu_probe(struct igdpt_config_space *cfg, unsigned index)
{
	uint32_t orig = igdpt_cfg_read(cfg, BAR(index), 4);
	uint32_t mask;

	igdpt_cfg_write(cfg, BAR(index), ALL_ONES, 4);
	mask = igdpt_cfg_read(cfg, BAR(index), 4);
	igdpt_cfg_write(cfg, BAR(index), orig, 4);
	return mask;
}

/* What a guest (SeaBIOS, Linux) does after the probe: size each dword. */
static uint32_t guest_size(struct igdpt_config_space *cfg, unsigned index)
{
	return qemu_probe(cfg, index);
}

static void test_identity(void **state)
{
	(void)state;
	make_igd(0x5916);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_VENDOR_ID_OFFSET, 2), 0x8086);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_DEVICE_ID_OFFSET, 2), 0x5916);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_VENDOR_ID_OFFSET, 4), 0x59168086);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_CLASS_DEVICE_OFFSET, 2), 0x0300);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_REVISION_OFFSET, 1), 2);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_SUBSYS_ID_OFFSET, 2), 0x2212);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_INTERRUPT_PIN_OFFSET, 1), 1);
	/* Identity is read-only. */
	igdpt_cfg_write(&igd.cfg, IGDPT_PCI_VENDOR_ID_OFFSET, ALL_ONES, 4);
	igdpt_cfg_write(&igd.cfg, IGDPT_PCI_REVISION_OFFSET, ALL_ONES, 4);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_VENDOR_ID_OFFSET, 4), 0x59168086);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_CLASS_DEVICE_OFFSET, 2), 0x0300);

	struct igdpt_igd_params p = igd.params;
	p.class_code = IGDPT_PCI_CLASS_DISPLAY_OTHER;
	assert_int_equal(igdpt_igd_init(&igd, &p), 0);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_CLASS_DEVICE_OFFSET, 2), 0x0380);
	p.class_code = 0x0200;
	assert_int_equal(igdpt_igd_init(&igd, &p), -EINVAL);
}

static void test_write_masks(void **state)
{
	(void)state;
	make_igd(0x5916);
	/* Command: I/O, memory, bus master, INTx disable only. */
	igdpt_cfg_write(&igd.cfg, IGDPT_PCI_COMMAND_OFFSET, 0xFFFF, 2);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_COMMAND_OFFSET, 2), 0x0407);
	/* Status is read-only (no capabilities). */
	igdpt_cfg_write(&igd.cfg, IGDPT_PCI_STATUS_OFFSET, 0xFFFF, 2);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_STATUS_OFFSET, 2), 0);
	/* Interrupt line writable, pin not. */
	igdpt_cfg_write(&igd.cfg, IGDPT_PCI_INTERRUPT_LINE_OFFSET, 0xFFFF, 2);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_INTERRUPT_LINE_OFFSET, 2), 0x01FF);
	/* A byte write in the middle of a dword touches that byte only. */
	igdpt_cfg_write(&igd.cfg, IGDPT_PCI_COMMAND_OFFSET, 0, 2);
	igdpt_cfg_write(&igd.cfg, IGDPT_PCI_CACHE_LINE_OFFSET, 0x44332211, 4);
	igdpt_cfg_write(&igd.cfg, IGDPT_PCI_CACHE_LINE_OFFSET, 0xAB, 1);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_CACHE_LINE_OFFSET, 4), 0xAB);
	/* Unimplemented space reads 0 and ignores writes, up to 4 KiB. */
	igdpt_cfg_write(&igd.cfg, 0xFFC, ALL_ONES, 4);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, 0xFFC, 4), 0);
}

static void test_access_checks(void **state)
{
	const char *reason = NULL;

	(void)state;
	assert_int_equal(igdpt_cfg_check_access(0, 4, &reason), 0);
	assert_int_equal(igdpt_cfg_check_access(0xFFC, 4, &reason), 0);
	assert_int_equal(igdpt_cfg_check_access(0xFFF, 1, &reason), 0);
	assert_int_equal(igdpt_cfg_check_access(0xFFE, 4, &reason), -EINVAL);
	assert_non_null(reason);
	assert_int_equal(igdpt_cfg_check_access(0x1000, 1, &reason), -EINVAL);
	assert_int_equal(igdpt_cfg_check_access(UINT32_MAX, 4, &reason), -EINVAL);
	assert_int_equal(igdpt_cfg_check_access(0, 3, &reason), -EINVAL);
	assert_int_equal(igdpt_cfg_check_access(0, 0, &reason), -EINVAL);
	assert_int_equal(igdpt_cfg_check_access(0, 8, &reason), -EINVAL);
	assert_int_equal(igdpt_cfg_check_access(0, -4, &reason), -EINVAL);
}

static void test_bar_probe_quirk(void **state)
{
	(void)state;
	make_igd(0x5916);
	assert_true(igd.cfg.probing);
	/* During QEMU's probe: BAR0 64-bit 16 MiB, upper dword 0, BAR2 64-bit
	 * prefetchable 256 MiB, upper 0, BAR4 I/O 64 bytes, BAR5 nothing. */
	assert_int_equal(qemu_probe(&igd.cfg, 0), 0xFF000004);
	assert_int_equal(qemu_probe(&igd.cfg, 1), 0);
	assert_int_equal(qemu_probe(&igd.cfg, 2), 0xF000000C);
	assert_int_equal(qemu_probe(&igd.cfg, 3), 0);
	assert_int_equal(qemu_probe(&igd.cfg, 4), 0xFFFFFFC1);
	assert_int_equal(qemu_probe(&igd.cfg, 5), 0);
	/* The restore of the last BAR ends the probe. */
	assert_false(igd.cfg.probing);
	/* Afterwards the upper dwords are real: all ones for BARs below 4 GiB. */
	assert_int_equal(guest_size(&igd.cfg, 1), ALL_ONES);
	assert_int_equal(guest_size(&igd.cfg, 3), ALL_ONES);
	assert_int_equal(guest_size(&igd.cfg, 0), 0xFF000004);
	/* And hold the upper address bits the guest programs. */
	igdpt_cfg_write(&igd.cfg, BAR(0), 0xFD000000, 4);
	igdpt_cfg_write(&igd.cfg, BAR(1), 0x00000001, 4);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, BAR(1), 4), 1);
	assert_true(igdpt_cfg_bar_address(&igd.cfg, 0) == 0x1FD000000ull);
}

static void test_bar_probe_ends_on_other_access(void **state)
{
	(void)state;
	make_igd(0x5916);
	igdpt_cfg_write(&igd.cfg, IGDPT_PCI_COMMAND_OFFSET, 0, 2);
	assert_false(igd.cfg.probing);
	assert_int_equal(guest_size(&igd.cfg, 1), ALL_ONES);

	make_igd(0x5916);
	igdpt_cfg_end_probe(&igd.cfg);
	assert_int_equal(guest_size(&igd.cfg, 3), ALL_ONES);
}

static void test_bar_32bit_and_io(void **state)
{
	struct igdpt_config_space cfg;
	unsigned index;
	uint64_t off;

	(void)state;
	igdpt_cfg_init(&cfg);
	assert_int_equal(igdpt_cfg_add_bar(&cfg, 0, IGDPT_BAR_MEM32, 0x1000), 0);
	assert_int_equal(igdpt_cfg_add_bar(&cfg, 1, IGDPT_BAR_IO, 0x20), 0);
	assert_int_equal(igdpt_cfg_add_bar(&cfg, 2, IGDPT_BAR_MEM64, 0x100000), 0);
	/* Overlaps, bad sizes, a 64-bit BAR in the last slot. */
	assert_int_equal(igdpt_cfg_add_bar(&cfg, 3, IGDPT_BAR_MEM32, 0x1000), -EINVAL);
	assert_int_equal(igdpt_cfg_add_bar(&cfg, 0, IGDPT_BAR_MEM32, 0x1000), -EINVAL);
	assert_int_equal(igdpt_cfg_add_bar(&cfg, 4, IGDPT_BAR_MEM32, 0x1001), -EINVAL);
	assert_int_equal(igdpt_cfg_add_bar(&cfg, 4, IGDPT_BAR_MEM32, 8), -EINVAL);
	assert_int_equal(igdpt_cfg_add_bar(&cfg, 5, IGDPT_BAR_MEM64, 0x1000), -EINVAL);
	assert_int_equal(igdpt_cfg_add_bar(&cfg, 4, IGDPT_BAR_IO, 2), -EINVAL);
	assert_int_equal(igdpt_cfg_add_bar(&cfg, 6, IGDPT_BAR_IO, 4), -EINVAL);
	igdpt_cfg_end_probe(&cfg);

	assert_int_equal(guest_size(&cfg, 0), 0xFFFFF000);
	assert_int_equal(guest_size(&cfg, 1), 0xFFFFFFE1);
	/* Flag bits are read-only, low address bits below the size too. */
	igdpt_cfg_write(&cfg, BAR(0), 0xFEBF1FFF, 4);
	assert_int_equal(igdpt_cfg_read(&cfg, BAR(0), 4), 0xFEBF1000);
	igdpt_cfg_write(&cfg, BAR(1), 0xC0FE, 4);
	assert_int_equal(igdpt_cfg_read(&cfg, BAR(1), 4), 0xC0E1);
	igdpt_cfg_write(&cfg, BAR(2), 0xE0000000, 4);

	assert_int_equal(igdpt_cfg_find_bar(&cfg, true, 0xFEBF1000, 4, &index, &off), 0);
	assert_int_equal(index, 0);
	assert_int_equal(off, 0);
	assert_int_equal(igdpt_cfg_find_bar(&cfg, true, 0xFEBF1FFC, 4, &index, &off), 0);
	assert_int_equal(off, 0xFFC);
	/* Straddling the end, past it, wrong space. */
	assert_int_equal(igdpt_cfg_find_bar(&cfg, true, 0xFEBF1FFE, 4, &index, &off), -ENOENT);
	assert_int_equal(igdpt_cfg_find_bar(&cfg, true, 0xFEBF2000, 1, &index, &off), -ENOENT);
	assert_int_equal(igdpt_cfg_find_bar(&cfg, false, 0xFEBF1000, 1, &index, &off), -ENOENT);
	assert_int_equal(igdpt_cfg_find_bar(&cfg, false, 0xC0E4, 2, &index, &off), 0);
	assert_int_equal(index, 1);
	assert_int_equal(off, 4);
	/* A 64-bit BAR with upper bits is found by its lower dword (QEMU's
	 * proxy maps it there) and by its full address. */
	igdpt_cfg_write(&cfg, BAR(3), 2, 4);
	assert_int_equal(igdpt_cfg_find_bar(&cfg, true, 0xE0000010, 4, &index, &off), 0);
	assert_int_equal(index, 2);
	assert_int_equal(igdpt_cfg_find_bar(&cfg, true, 0x2E0000010ull, 4, &index, &off), 0);
	assert_int_equal(off, 0x10);
}

/* GGC, BDSM (both places), SWSCI and ASLS belong to the VMM context: the
 * config space holds 0 there and takes no write (the device model overlays
 * the context's values). */
static void test_context_registers_not_stored(void **state)
{
	static const unsigned offsets[] = {IGDPT_PCI_GGC_OFFSET, IGDPT_PCI_BDSM_OFFSET,
					   IGDPT_PCI_BDSM64_OFFSET, IGDPT_PCI_BDSM64_OFFSET + 4,
					   IGDPT_PCI_SWSCI_OFFSET, IGDPT_PCI_ASLS_OFFSET};

	(void)state;
	make_igd(0x5916);
	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		igdpt_cfg_write(&igd.cfg, offsets[i], ALL_ONES, 4);
		assert_int_equal(igdpt_cfg_read(&igd.cfg, offsets[i], 4), 0);
	}
}

static void test_reset(void **state)
{
	(void)state;
	make_igd(0x5916);
	igdpt_cfg_end_probe(&igd.cfg);
	/* Reset clears what firmware programs on each boot. */
	igdpt_cfg_write(&igd.cfg, BAR(0), 0xFD000000, 4);
	igdpt_cfg_write(&igd.cfg, IGDPT_PCI_COMMAND_OFFSET, 0x7, 2);
	igdpt_cfg_write(&igd.cfg, IGDPT_PCI_INTERRUPT_LINE_OFFSET, 0xB, 1);
	igdpt_igd_reset(&igd);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_COMMAND_OFFSET, 2), 0);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, BAR(0), 4), 0x4);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_INTERRUPT_LINE_OFFSET, 1), 0);
	assert_int_equal(igdpt_cfg_read(&igd.cfg, IGDPT_PCI_VENDOR_ID_OFFSET, 4), 0x59168086);
}

static void test_lpc(void **state)
{
	struct igdpt_config_space cfg;

	(void)state;
	igdpt_lpc_init(&cfg, 0x8086, 0xA2C5, 0);
	assert_int_equal(igdpt_cfg_read(&cfg, IGDPT_PCI_VENDOR_ID_OFFSET, 4), 0xA2C58086);
	assert_int_equal(igdpt_cfg_read(&cfg, IGDPT_PCI_CLASS_DEVICE_OFFSET, 2), 0x0601);
	assert_int_equal(igdpt_cfg_read(&cfg, IGDPT_PCI_HEADER_TYPE_OFFSET, 1), 0);
	for (unsigned off = 0; off < IGDPT_PCI_CONFIG_SPACE_SIZE; off += 4) {
		uint32_t before = igdpt_cfg_read(&cfg, off, 4);

		igdpt_cfg_write(&cfg, off, ALL_ONES, 4);
		assert_int_equal(igdpt_cfg_read(&cfg, off, 4), before);
	}
	for (unsigned i = 0; i < IGDPT_PCI_BAR_COUNT; i++)
		assert_int_equal(qemu_probe(&cfg, i), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_write_masks),
		cmocka_unit_test(test_access_checks),
		cmocka_unit_test(test_bar_probe_quirk),
		cmocka_unit_test(test_bar_probe_ends_on_other_access),
		cmocka_unit_test(test_bar_32bit_and_io),
		cmocka_unit_test(test_context_registers_not_stored),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_lpc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
