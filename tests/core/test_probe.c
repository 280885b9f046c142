/* SPDX-License-Identifier: MIT */
/* Unit tests of the guest-side check and its JSON verdict, on synthetic
 * memory maps and guest memory plus a real OpRegion from the corpus. */
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
#include "igdpt/abi/pci_rom.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/probe.h"

/* Guest layout the tests use: RAM below 0x7ffe0000, the top 128 KiB of the
 * first 2 GiB reserved (where SeaBIOS puts the OpRegion), BIOS at the top. */
#define GUEST_BASE 0x7ffe0000u
#define GUEST_SIZE 0x40000u
#define ASLS GUEST_BASE
#define RESERVED_END 0x80000000u
#define STOLEN_BASE 0x7f000000u

static const struct igdpt_probe_memmap_entry memmap[] = {
	{ 0x0, 0x9fc00, IGDPT_E820_RAM },
	{ 0x9fc00, 0x400, IGDPT_E820_RESERVED },
	{ 0xf0000, 0x10000, IGDPT_E820_RESERVED },
	{ 0x100000, STOLEN_BASE - 0x100000, IGDPT_E820_RAM },
	{ STOLEN_BASE, 0x800000, IGDPT_E820_RESERVED },
	{ 0x7f800000, GUEST_BASE - 0x7f800000, IGDPT_E820_RAM },
	{ GUEST_BASE, 0x10000, IGDPT_E820_RESERVED },
	{ GUEST_BASE + 0x10000, RESERVED_END - GUEST_BASE - 0x10000, IGDPT_E820_NVS },
	{ 0xfffc0000, 0x40000, IGDPT_E820_RESERVED },
};
#define MEMMAP_COUNT (sizeof(memmap) / sizeof(memmap[0]))

/* Simulated guest memory: a window at GUEST_BASE; reads elsewhere fail. */
struct guest {
	uint8_t mem[GUEST_SIZE];
	unsigned reads;
	uint64_t last_gpa;
	int fail_reads;
};

static int guest_read(void *ctx, uint64_t gpa, uint8_t *buf, size_t len)
{
	struct guest *g = ctx;

	g->reads++;
	g->last_gpa = gpa;
	if (g->fail_reads || gpa < GUEST_BASE || gpa - GUEST_BASE > GUEST_SIZE ||
	    len > GUEST_SIZE - (gpa - GUEST_BASE))
		return -EFAULT;
	memcpy(buf, g->mem + (gpa - GUEST_BASE), len);
	return 0;
}

struct fixture {
	struct guest guest;
	uint8_t scratch[IGDPT_PROBE_SCRATCH_SIZE];
	uint8_t image[IGDPT_PROBE_IMAGE_MAX];
	size_t image_size;
	struct igdpt_probe_input in;
	struct igdpt_probe_verdict v;
	char json[2048];
};

/* A structurally valid VBT of exactly vbt_size bytes: one block 1. */
static void make_vbt(uint8_t *p, uint16_t vbt_size, uint16_t bdb_version)
{
	size_t bdb = IGDPT_VBT_HEADER_SIZE;
	size_t block = bdb + IGDPT_BDB_HEADER_SIZE;
	uint16_t payload = (uint16_t)(vbt_size - block - IGDPT_BDB_BLOCK_HEADER_SIZE);

	memset(p, 0, vbt_size);
	memcpy(p, "$VBT TEST           ", IGDPT_VBT_SIGNATURE_SIZE);
	igdpt_put_le16(p + IGDPT_VBT_VERSION_OFFSET, 100);
	igdpt_put_le16(p + IGDPT_VBT_HEADER_SIZE_OFFSET, IGDPT_VBT_HEADER_SIZE);
	igdpt_put_le16(p + IGDPT_VBT_VBT_SIZE_OFFSET, vbt_size);
	igdpt_put_le32(p + IGDPT_VBT_BDB_OFFSET_OFFSET, (uint32_t)bdb);
	memcpy(p + bdb, IGDPT_BDB_SIGNATURE, IGDPT_BDB_SIGNATURE_SIZE);
	igdpt_put_le16(p + bdb + IGDPT_BDB_VERSION_OFFSET, bdb_version);
	igdpt_put_le16(p + bdb + IGDPT_BDB_HEADER_SIZE_OFFSET, IGDPT_BDB_HEADER_SIZE);
	igdpt_put_le16(p + bdb + IGDPT_BDB_BDB_SIZE_OFFSET, (uint16_t)(vbt_size - bdb));
	p[block + IGDPT_BDB_BLOCK_ID_OFFSET] = IGDPT_BDB_GENERAL_FEATURES;
	igdpt_put_le16(p + block + IGDPT_BDB_BLOCK_SIZE_OFFSET, payload);
	memset(p + block + IGDPT_BDB_BLOCK_HEADER_SIZE, 0x11, payload);
	p[IGDPT_VBT_CHECKSUM_OFFSET] = (uint8_t)(0x100 - igdpt_bytes_sum8(p, vbt_size));
}

/* An OpRegion header with the given version and mailboxes. */
static void make_opregion(uint8_t *p, size_t len, uint8_t major, uint8_t minor, uint32_t mbox)
{
	memset(p, 0, len);
	memcpy(p, IGDPT_OPREGION_SIGNATURE, IGDPT_OPREGION_SIGN_SIZE);
	igdpt_put_le32(p + IGDPT_OPREGION_SIZE_OFFSET, IGDPT_OPREGION_SIZE_KIB);
	p[IGDPT_OPREGION_OVER_MAJOR_OFFSET] = major;
	p[IGDPT_OPREGION_OVER_MINOR_OFFSET] = minor;
	igdpt_put_le32(p + IGDPT_OPREGION_MBOX_OFFSET, mbox);
}

/* The image published through fw_cfg and copied by "firmware" to ASLS. */
static void publish(struct fixture *f, size_t size)
{
	f->image_size = size;
	memcpy(f->guest.mem, f->image, size);
	f->in.has_fw_cfg = true;
	f->in.fw_cfg_image = f->image;
	f->in.fw_cfg_size = size;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->in = (struct igdpt_probe_input){
		.probe = "multiboot",
		.igd_found = true,
		.bus = 0, .dev = 2, .fn = 0,
		.vendor = IGDPT_PCI_VENDOR_INTEL,
		.device_id = 0x5916,
		.class_code = IGDPT_PCI_CLASS_DISPLAY_VGA,
		.asls = ASLS,
		.memmap = memmap,
		.memmap_count = MEMMAP_COUNT,
		.read = guest_read,
		.read_ctx = &f->guest,
		.scratch = f->scratch,
		.scratch_size = sizeof(f->scratch),
		.bdsm_register = IGDPT_PCI_BDSM_OFFSET,
	};
	/* The default image: 2.0, MBOX 0x1f, a 4449-byte VBT in mailbox 4. */
	make_opregion(f->image, IGDPT_OPREGION_BASE_SIZE, 2, 0, 0x1f);
	make_vbt(f->image + IGDPT_MBOX4_OFFSET, 4449, 221);
	publish(f, IGDPT_OPREGION_BASE_SIZE);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static int check(struct fixture *f)
{
	int ret = igdpt_probe_check(&f->in, &f->v);

	assert_true(igdpt_probe_json(&f->v, f->json, sizeof(f->json), NULL) > 0);
	return ret;
}

static const char *reason(struct fixture *f)
{
	static char text[512];

	igdpt_probe_reason_text(&f->v, text, sizeof(text));
	return text;
}

/* ---- memory map ---- */

static void test_memmap_find(void **state)
{
	static const struct igdpt_probe_memmap_entry overlap[] = {
		{ 0x1000, 0x1000, IGDPT_E820_RESERVED },
		{ 0x1800, 0x1000, IGDPT_E820_RAM },
	};

	(void)state;
	assert_ptr_equal(igdpt_probe_memmap_find(memmap, MEMMAP_COUNT, ASLS), &memmap[6]);
	assert_ptr_equal(igdpt_probe_memmap_find(memmap, MEMMAP_COUNT, 0x9fbff), &memmap[0]);
	assert_null(igdpt_probe_memmap_find(memmap, MEMMAP_COUNT, 0xa0000));
	assert_null(igdpt_probe_memmap_find(memmap, MEMMAP_COUNT, 0x100000000ull));
	/* Overlap: the RAM claim wins, firmware must not claim both. */
	assert_ptr_equal(igdpt_probe_memmap_find(overlap, 2, 0x1900), &overlap[1]);
	assert_ptr_equal(igdpt_probe_memmap_find(overlap, 2, 0x1000), &overlap[0]);
}

static void test_memmap_reserved(void **state)
{
	static const struct igdpt_probe_memmap_entry overlap[] = {
		{ 0x1000, 0x2000, IGDPT_E820_RESERVED },
		{ 0x2000, 0x10, IGDPT_E820_RAM },
		{ UINT64_MAX - 0xfff, 0x2000, IGDPT_E820_RESERVED }, /* wraps */
	};

	(void)state;
	assert_true(igdpt_probe_memmap_reserved(memmap, MEMMAP_COUNT, ASLS, 0x2000));
	/* reserved followed by NVS: one chain */
	assert_true(igdpt_probe_memmap_reserved(memmap, MEMMAP_COUNT, ASLS + 0xf000, 0x2000));
	assert_true(igdpt_probe_memmap_reserved(memmap, MEMMAP_COUNT, ASLS,
						RESERVED_END - ASLS));
	assert_false(igdpt_probe_memmap_reserved(memmap, MEMMAP_COUNT, ASLS,
						 RESERVED_END - ASLS + 1));
	assert_false(igdpt_probe_memmap_reserved(memmap, MEMMAP_COUNT, ASLS - 1, 2));
	assert_false(igdpt_probe_memmap_reserved(memmap, MEMMAP_COUNT, 0x200000, 0x1000));
	assert_false(igdpt_probe_memmap_reserved(memmap, MEMMAP_COUNT, ASLS, 0));
	assert_false(igdpt_probe_memmap_reserved(memmap, MEMMAP_COUNT, UINT64_MAX, 2));
	/* gap between 0xa0000 and 0xf0000 */
	assert_false(igdpt_probe_memmap_reserved(memmap, MEMMAP_COUNT, 0x9fc00, 0x60000));
	/* reserved range that RAM also claims */
	assert_false(igdpt_probe_memmap_reserved(overlap, 3, 0x1000, 0x2000));
	assert_true(igdpt_probe_memmap_reserved(overlap, 3, 0x1000, 0x1000));
	assert_true(igdpt_probe_memmap_reserved(overlap, 3, UINT64_MAX - 0xfff, 0x800));
	assert_false(igdpt_probe_memmap_reserved(NULL, 0, ASLS, 1));
}

/* ---- intel_bios_is_valid_vbt ---- */

static void test_i915_vbt_valid(void **state)
{
	uint8_t vbt[0x1c00];

	(void)state;
	make_vbt(vbt, 4000, 221);
	assert_true(igdpt_probe_i915_vbt_valid(vbt, sizeof(vbt)));
	assert_true(igdpt_probe_i915_vbt_valid(vbt, 4000));
	assert_false(igdpt_probe_i915_vbt_valid(vbt, 3999));     /* vbt_size overflows */
	assert_false(igdpt_probe_i915_vbt_valid(vbt, 47));       /* header incomplete */
	assert_false(igdpt_probe_i915_vbt_valid(NULL, 4000));
	/* i915 does not check the BDB signature or the checksum. */
	vbt[IGDPT_VBT_HEADER_SIZE] = 'X';
	vbt[IGDPT_VBT_CHECKSUM_OFFSET] ^= 1;
	assert_true(igdpt_probe_i915_vbt_valid(vbt, 4000));
	/* bdb_offset + 22 must fit in vbt_size */
	igdpt_put_le32(vbt + IGDPT_VBT_BDB_OFFSET_OFFSET, 4000 - 21);
	assert_false(igdpt_probe_i915_vbt_valid(vbt, 4000));
	igdpt_put_le32(vbt + IGDPT_VBT_BDB_OFFSET_OFFSET, 4000 - 22);
	igdpt_put_le16(vbt + 4000 - 22 + IGDPT_BDB_BDB_SIZE_OFFSET, 22);
	assert_true(igdpt_probe_i915_vbt_valid(vbt, 4000));
	igdpt_put_le16(vbt + 4000 - 22 + IGDPT_BDB_BDB_SIZE_OFFSET, 23); /* BDB incomplete */
	assert_false(igdpt_probe_i915_vbt_valid(vbt, 4000));
	igdpt_put_le32(vbt + IGDPT_VBT_BDB_OFFSET_OFFSET, UINT32_MAX);  /* overflow-safe */
	assert_false(igdpt_probe_i915_vbt_valid(vbt, 4000));
	memcpy(vbt, "$VBX", 4);
	assert_false(igdpt_probe_i915_vbt_valid(vbt, sizeof(vbt)));
}

/* ---- verdicts ---- */

static void test_pass_mailbox4(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(check(f), IGDPT_PROBE_PASS);
	assert_string_equal(
		f->json,
		"{\"probe\":\"multiboot\",\"verdict\":\"pass\",\"reason\":\"OpRegion at 0x7ffe0000 is valid, "
		"firmware-reserved and identical to fw_cfg etc/igd-opregion\",\"igd\":\"00:02.0\","
		"\"vendor\":\"0x8086\",\"device\":\"0x5916\",\"class\":\"0x0300\",\"asls\":\"0x7ffe0000\","
		"\"memmap\":{\"type\":\"reserved\",\"start\":\"0x7ffe0000\",\"end\":\"0x7ffeffff\"},"
		"\"opregion\":{\"version\":\"2.0.0\",\"mbox\":\"0x0000001f\",\"size_kib\":8,\"vbt_source\":\"mailbox4\","
		"\"bdb_version\":221,\"vbt_size\":4449,\"warnings\":[]},"
		"\"i915\":{\"verdict\":\"ok\",\"vbt_source\":\"mailbox4\"},"
		"\"fw_cfg\":{\"opregion_size\":8192,\"identical\":true}}");
	/* One read of the 8 KiB at ASLS, nothing else. */
	assert_int_equal(f->guest.reads, 1);
}

static void test_pass_without_fw_cfg(void **state)
{
	struct fixture *f = *state;

	f->in.has_fw_cfg = false;
	f->in.fw_cfg_image = NULL;
	f->in.fw_cfg_size = 0;
	assert_int_equal(check(f), IGDPT_PROBE_PASS);
	assert_string_equal(reason(f), "OpRegion at 0x7ffe0000 is valid and firmware-reserved "
				       "(no fw_cfg etc/igd-opregion to compare)");
	assert_null(strstr(f->json, "fw_cfg\":{"));
}

static void test_no_igd(void **state)
{
	struct fixture *f = *state;

	f->in.igd_found = false;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(f->json,
			    "{\"probe\":\"multiboot\",\"verdict\":\"fail\",\"reason\":\"no Intel display "
			    "device (vendor 8086, class 03xx) on bus 0\"}");
	f->in.no_igd_reason = "no IGD in /sys/bus/pci/devices";
	check(f);
	assert_string_equal(reason(f), "no IGD in /sys/bus/pci/devices");
	assert_int_equal(f->guest.reads, 0);
}

static void test_asls_zero(void **state)
{
	struct fixture *f = *state;

	f->in.asls = 0;
	f->in.has_fw_cfg = false;
	assert_int_equal(check(f), IGDPT_PROBE_NO_OPREGION);
	assert_string_equal(reason(f), "ASLS is 0: firmware placed no OpRegion");
	assert_non_null(strstr(f->json, "\"asls\":\"0x00000000\""));
	assert_non_null(strstr(f->json, "\"i915\":{\"verdict\":\"no-opregion\",\"vbt_source\":\"none\","
					"\"pci_rom\":{\"vbt\":\"unread\"}}"));
	assert_null(strstr(f->json, "memmap"));
	assert_int_equal(f->guest.reads, 0);
	/* The VMM offered one, the firmware ignored it (stock OVMF). */
	f->in.has_fw_cfg = true;
	assert_int_equal(check(f), IGDPT_PROBE_NO_OPREGION);
	assert_string_equal(reason(f), "ASLS is 0: firmware placed no OpRegion although fw_cfg "
				       "etc/igd-opregion offers one");
}

static void test_asls_in_ram_not_read(void **state)
{
	struct fixture *f = *state;

	f->in.asls = 0x7000000;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f), "ASLS 0x7000000 not inside a reserved or ACPI NVS range");
	assert_int_equal(f->guest.reads, 0);
	assert_non_null(strstr(f->json, "\"memmap\":{\"type\":\"ram\",\"start\":\"0x00100000\","
					"\"end\":\"0x7effffff\"}"));
	assert_null(strstr(f->json, "i915"));
	assert_null(strstr(f->json, "opregion\":{"));
	/* Not covered at all */
	f->in.asls = 0xa0000;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_non_null(strstr(f->json, "\"memmap\":{\"type\":\"none\"}"));
	assert_int_equal(f->guest.reads, 0);
}

static void test_asls_runs_past_reserved(void **state)
{
	struct fixture *f = *state;

	f->in.asls = RESERVED_END - 0x1000;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f),
			    "OpRegion at ASLS 0x7ffff000 runs past the end of its reserved range");
	assert_non_null(strstr(f->json, "\"type\":\"acpi-nvs\""));
	assert_int_equal(f->guest.reads, 0);
}

static void test_read_failure(void **state)
{
	struct fixture *f = *state;

	f->guest.fail_reads = 1;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f), "cannot read guest memory at ASLS 0x7ffe0000");
	f->in.read = NULL;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
}

static void test_bad_signature(void **state)
{
	struct fixture *f = *state;

	f->guest.mem[3] = 'x';
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f), "OpRegion signature is not \"IntelGraphicsMem\" at 0x0");
	assert_non_null(strstr(f->json, "\"reason\":\"OpRegion signature is not "
					"\\\"IntelGraphicsMem\\\" at 0x0\""));
	assert_non_null(strstr(f->json, "\"i915\":{\"verdict\":\"signature-mismatch\""));
	assert_null(strstr(f->json, "opregion\":{"));
}

static void test_invalid_vbt(void **state)
{
	struct fixture *f = *state;

	/* vbt_size beyond the 6 KiB window: i915 and igdpt both refuse. */
	igdpt_put_le16(f->guest.mem + IGDPT_MBOX4_OFFSET + IGDPT_VBT_VBT_SIZE_OFFSET, 0x1900);
	f->in.has_fw_cfg = false;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_int_equal(f->v.i915, IGDPT_PROBE_I915_INVALID_VBT);
	assert_string_equal(reason(f), "vbt_size runs past the end of the data at 0x418");
	assert_non_null(strstr(f->json, "\"opregion\":{\"version\":\"2.0.0\",\"mbox\":\"0x0000001f\","
					"\"size_kib\":8}"));
}

static void test_i915_ok_strict_fails(void **state)
{
	struct fixture *f = *state;

	/* i915 never looks at the BDB signature; igdpt does. */
	f->guest.mem[IGDPT_MBOX4_OFFSET + IGDPT_VBT_HEADER_SIZE] = 'X';
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_int_equal(f->v.i915, IGDPT_PROBE_I915_OK);
	/* The first failure is the reason: here the VBT, not the fw_cfg copy. */
	assert_string_equal(reason(f), "BDB signature is not \"BIOS_DATA_BLOCK \" at 0x430");
	assert_non_null(strstr(f->json, "\"fw_cfg\":{\"opregion_size\":8192,\"identical\":false,"
					"\"differs_at\":1072,\"runtime_only\":false}"));
}

static void test_window_6k_or_7k(void **state)
{
	struct fixture *f = *state;

	/* A 6154-byte (Apollo Lake) VBT: fits only the 7 KiB window. */
	make_opregion(f->image, IGDPT_OPREGION_BASE_SIZE, 2, 0, 0x0f);
	make_vbt(f->image + IGDPT_MBOX4_OFFSET, 6154, 207);
	publish(f, IGDPT_OPREGION_BASE_SIZE);
	assert_int_equal(check(f), IGDPT_PROBE_PASS);
	assert_int_equal(f->v.i915_vbt_source, IGDPT_VBT_SOURCE_MAILBOX4);
	assert_true(f->v.warnings & IGDPT_WARN_VBT_SPILLS_MBOX5);
	/* Mailbox 5 announced: the window shrinks to 6 KiB. */
	igdpt_put_le32(f->image + IGDPT_OPREGION_MBOX_OFFSET, 0x1f);
	publish(f, IGDPT_OPREGION_BASE_SIZE);
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_int_equal(f->v.i915, IGDPT_PROBE_I915_INVALID_VBT);
}

/* A one-image legacy ROM of blocks * 512 bytes with a VBT of vbt_size
 * bytes at vbt_at (0: none), as `igdpt rom --vbt` lays it out. */
static size_t make_rom(uint8_t *p, size_t cap, unsigned blocks, size_t vbt_at, uint16_t vbt_size)
{
	size_t len = (size_t)blocks * IGDPT_ROM_BLOCK_SIZE, pcir = 0x1c;

	assert_true(len <= cap);
	memset(p, 0, cap);
	igdpt_put_le16(p + IGDPT_ROM_SIGNATURE_OFFSET, IGDPT_ROM_SIGNATURE);
	p[IGDPT_ROM_LEGACY_SIZE512_OFFSET] = (uint8_t)blocks;
	igdpt_put_le16(p + IGDPT_ROM_PCIR_POINTER_OFFSET, (uint16_t)pcir);
	memcpy(p + pcir, IGDPT_PCIR_SIGNATURE, IGDPT_PCIR_SIGNATURE_SIZE);
	igdpt_put_le16(p + pcir + IGDPT_PCIR_VENDOR_OFFSET, IGDPT_PCI_VENDOR_INTEL);
	igdpt_put_le16(p + pcir + IGDPT_PCIR_IMAGE_LENGTH_OFFSET, (uint16_t)blocks);
	p[pcir + IGDPT_PCIR_INDICATOR_OFFSET] = IGDPT_PCIR_INDICATOR_LAST;
	if (vbt_at)
		make_vbt(p + vbt_at, vbt_size, 206);
	return cap;
}

static void test_no_vbt(void **state)
{
	struct fixture *f = *state;

	make_opregion(f->image, IGDPT_OPREGION_BASE_SIZE, 2, 0, 0x07);
	publish(f, IGDPT_OPREGION_BASE_SIZE);
	/* The probe could not read the ROM: no excuse for the empty OpRegion. */
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f), "no VBT for i915: the OpRegion at 0x7ffe0000 holds none "
				       "(mailbox 4 empty, no RVDA) and the probe could not read the "
				       "IGD's PCI ROM, where i915 looks next");
	assert_non_null(strstr(f->json, "\"vbt_source\":\"none\",\"warnings\":[\"no-vbt\"]"));
	assert_non_null(strstr(f->json, "\"i915\":{\"verdict\":\"invalid-vbt\",\"vbt_source\":"
					"\"none\",\"pci_rom\":{\"vbt\":\"unread\"}}"));
	/* No ROM at all (Linux maps none). */
	f->in.rom_read = true;
	f->in.rom_from = "sysfs";
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_non_null(strstr(reason(f), "and Linux maps no PCI ROM for the IGD; i915 would run on a default VBT"));
	assert_non_null(strstr(f->json, "\"pci_rom\":{\"vbt\":\"none\",\"from\":\"sysfs\",\"size\":0}"));
}

static void test_no_vbt_rom(void **state)
{
	struct fixture *f = *state;
	static uint8_t rom[0x4000];

	make_opregion(f->image, IGDPT_OPREGION_BASE_SIZE, 2, 0, 0x07);
	publish(f, IGDPT_OPREGION_BASE_SIZE);
	f->in.rom_read = true;
	f->in.rom = rom;
	f->in.rom_from = "shadow";
	/* A video BIOS with a valid VBT at 0x40: i915 takes it, the check holds. */
	f->in.rom_size = make_rom(rom, sizeof(rom), 16, 0x40, 0x1000);
	assert_int_equal(check(f), IGDPT_PROBE_PASS);
	assert_int_equal(f->v.i915, IGDPT_PROBE_I915_INVALID_VBT);
	assert_int_equal(f->v.i915_vbt_source, IGDPT_VBT_SOURCE_PCI_ROM);
	assert_non_null(strstr(f->json, "\"i915\":{\"verdict\":\"invalid-vbt\",\"vbt_source\":"
					"\"pci-rom\",\"pci_rom\":{\"vbt\":\"valid\",\"from\":\"shadow\","
					"\"size\":8192,\"vbt_offset\":64}}"));
	/* Only what Linux maps counts: a 4 KiB image cuts the VBT short. */
	make_rom(rom, sizeof(rom), 8, 0x40, 0x1000);
	assert_int_equal(igdpt_probe_i915_rom(rom, sizeof(rom), NULL), IGDPT_PROBE_ROM_INVALID_VBT);
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_non_null(strstr(reason(f), "i915 rejects the VBT in the IGD's PCI ROM"));
	/* No "$VBT" at a 4-byte aligned offset. */
	make_rom(rom, sizeof(rom), 16, 0, 0);
	memcpy(rom + 0x42, "$VBT", 4);
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_non_null(strstr(reason(f), "and neither does the IGD's PCI ROM"));
	assert_non_null(strstr(f->json, "\"pci_rom\":{\"vbt\":\"no-vbt\""));
	/* Not a PCI ROM: Linux maps nothing. */
	rom[0] = 0;
	assert_int_equal(igdpt_probe_i915_rom(rom, sizeof(rom), NULL), IGDPT_PROBE_ROM_NONE);
	assert_int_equal(igdpt_probe_i915_rom(NULL, 0, NULL), IGDPT_PROBE_ROM_NONE);
}

static void test_rom_is_shadow(void **state)
{
	(void)state;
	assert_true(igdpt_probe_rom_is_shadow(IGDPT_PCI_CLASS_DISPLAY_VGA, 0x0007));
	assert_true(igdpt_probe_rom_is_shadow(IGDPT_PCI_CLASS_DISPLAY_VGA, 0x0001));
	/* Decoding off: Linux assigns the ROM BAR instead. */
	assert_false(igdpt_probe_rom_is_shadow(IGDPT_PCI_CLASS_DISPLAY_VGA, 0x0004));
	/* Class 0x0380 is never shadowed. */
	assert_false(igdpt_probe_rom_is_shadow(IGDPT_PCI_CLASS_DISPLAY_OTHER, 0x0007));
}

/* The OpRegion's VBT is enough: the ROM is never judged. */
static void test_rom_not_needed(void **state)
{
	struct fixture *f = *state;

	f->in.rom_read = true;
	assert_int_equal(check(f), IGDPT_PROBE_PASS);
	assert_int_equal(f->v.rom, IGDPT_PROBE_ROM_NOT_NEEDED);
	assert_null(strstr(f->json, "pci_rom"));
	assert_string_equal(igdpt_probe_rom_name(IGDPT_PROBE_ROM_NOT_NEEDED), "not-needed");
}

/* Without an OpRegion i915 still tries the ROM; the verdict stays
 * no-opregion, the prediction names the ROM. */
static void test_no_opregion_rom(void **state)
{
	struct fixture *f = *state;
	static uint8_t rom[0x2000];

	f->in.asls = 0;
	f->in.rom_read = true;
	f->in.rom = rom;
	f->in.rom_size = make_rom(rom, sizeof(rom), 16, 0x40, 0x800);
	assert_int_equal(check(f), IGDPT_PROBE_NO_OPREGION);
	assert_int_equal(f->v.i915_vbt_source, IGDPT_VBT_SOURCE_PCI_ROM);
	assert_non_null(strstr(f->json, "\"i915\":{\"verdict\":\"no-opregion\",\"vbt_source\":"
					"\"pci-rom\""));
}

/* A 2.1 image with the VBT after the base region, as igdpt prepare makes it. */
static void make_extended(struct fixture *f, uint8_t minor, uint64_t rvda, uint32_t rvds)
{
	make_opregion(f->image, IGDPT_OPREGION_BASE_SIZE + 0x2200, 2, minor, 0x1f);
	make_vbt(f->image + IGDPT_OPREGION_EXT_VBT_OFFSET, 8640, 251);
	igdpt_put_le64(f->image + IGDPT_MBOX3_RVDA_OFFSET, rvda);
	igdpt_put_le32(f->image + IGDPT_MBOX3_RVDS_OFFSET, rvds);
	publish(f, IGDPT_OPREGION_BASE_SIZE + 0x2200);
}

static void test_pass_rvda(void **state)
{
	struct fixture *f = *state;

	make_extended(f, 1, IGDPT_OPREGION_EXT_VBT_OFFSET, 0x2200);
	assert_int_equal(check(f), IGDPT_PROBE_PASS);
	assert_non_null(strstr(f->json, "\"version\":\"2.1.0\""));
	assert_non_null(strstr(f->json, "\"vbt_source\":\"rvda\",\"bdb_version\":251,\"vbt_size\":8640"));
	assert_non_null(strstr(f->json, "\"i915\":{\"verdict\":\"ok\",\"vbt_source\":\"rvda\"}"));
	assert_non_null(strstr(f->json, "\"opregion_size\":16896,\"identical\":true"));
	/* Without fw_cfg the probe first reads 8 KiB, then the extended VBT. */
	f->in.has_fw_cfg = false;
	f->guest.reads = 0;
	assert_int_equal(check(f), IGDPT_PROBE_PASS);
	assert_int_equal(f->guest.reads, 2);
	assert_int_equal(f->guest.last_gpa, ASLS + IGDPT_OPREGION_EXT_VBT_OFFSET);
}

static void test_rvda_far_and_unreserved(void **state)
{
	struct fixture *f = *state;

	/* Extended VBT at 0x4000: a gap after the base region is fine... */
	make_extended(f, 1, 0x4000, 0x2200);
	memmove(f->guest.mem + 0x4000, f->guest.mem + 0x2000, 0x2200);
	memset(f->guest.mem + 0x2000, 0xee, 0x2000);
	f->in.has_fw_cfg = false;
	assert_int_equal(check(f), IGDPT_PROBE_PASS);
	assert_int_equal(f->v.i915_vbt_source, IGDPT_VBT_SOURCE_RVDA);
	/* ...but it must be firmware-reserved too: never read otherwise. */
	f->in.asls = RESERVED_END - 0x4000; /* NVS; +0x4000 is RAM-free but unmapped */
	memcpy(f->guest.mem + (f->in.asls - GUEST_BASE), f->guest.mem, 0x2000);
	f->guest.reads = 0;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f), "extended VBT at ASLS + RVDA 0x4000 is not inside a "
				       "reserved or ACPI NVS range");
	assert_int_equal(f->guest.reads, 1);
	/* i915 falls back to mailbox 4, which is empty. */
	assert_int_equal(f->v.i915, IGDPT_PROBE_I915_INVALID_VBT);
}

static void test_rvda_limits(void **state)
{
	struct fixture *f = *state;

	make_extended(f, 1, IGDPT_OPREGION_EXT_VBT_OFFSET, 0x20000);
	f->in.has_fw_cfg = false;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f), "RVDS 0x20000 is larger than any VBT");
	make_extended(f, 1, UINT64_MAX - 0x10, 0x2200);
	f->in.has_fw_cfg = false;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f), "extended VBT at RVDA 0xffffffffffffffef lies beyond what "
				       "the probe reads");
}

static void test_rvda_v20_physical(void **state)
{
	struct fixture *f = *state;

	/* 2.0: RVDA is a physical address. Here it points at a VBT in
	 * reserved memory, so i915 finds it; igdpt refuses the image. */
	make_extended(f, 0, ASLS + IGDPT_OPREGION_EXT_VBT_OFFSET, 0x2200);
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_int_equal(f->v.i915, IGDPT_PROBE_I915_OK);
	assert_int_equal(f->v.i915_vbt_source, IGDPT_VBT_SOURCE_RVDA);
	assert_string_equal(reason(f), "version 2.0 RVDA is a host physical address (run igdpt "
				       "prepare) at 0x3ba");
	/* A host address in guest RAM is never read. */
	igdpt_put_le64(f->guest.mem + IGDPT_MBOX3_RVDA_OFFSET, 0x40000000);
	f->in.has_fw_cfg = false;
	f->guest.reads = 0;
	check(f);
	assert_int_equal(f->guest.reads, 1);
	assert_int_equal(f->v.i915, IGDPT_PROBE_I915_INVALID_VBT);
}

static void test_fw_cfg_mismatch(void **state)
{
	struct fixture *f = *state;

	f->guest.mem[IGDPT_MBOX4_OFFSET + 0x100] ^= 0x5a;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f), "guest copy differs from fw_cfg etc/igd-opregion at 0x500");
	assert_non_null(strstr(f->json, "\"identical\":false,\"differs_at\":1280,\"runtime_only\":false"));
}

static void test_fw_cfg_runtime_writes(void **state)
{
	struct fixture *f = *state;

	/* What i915 writes after setup: CHPD, DRDY, ARDY. */
	f->guest.mem[IGDPT_MBOX1_DRDY_OFFSET] = 1;
	f->guest.mem[IGDPT_MBOX1_CHPD_OFFSET] = 1;
	f->guest.mem[IGDPT_MBOX3_ARDY_OFFSET] = 1;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f), "guest copy differs from fw_cfg etc/igd-opregion at 0x100");
	f->in.allow_runtime_writes = true;
	assert_int_equal(check(f), IGDPT_PROBE_PASS);
	assert_non_null(strstr(f->json, "\"identical\":false,\"differs_at\":256,\"runtime_only\":true"));
	assert_non_null(strstr(reason(f), "except driver-written mailbox state"));
	/* RVDA is not runtime state. */
	f->guest.mem[IGDPT_MBOX3_RVDS_OFFSET] = 1;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
}

static void test_fw_cfg_too_large(void **state)
{
	struct fixture *f = *state;

	f->in.fw_cfg_size = IGDPT_PROBE_IMAGE_MAX + 1;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f), "fw_cfg etc/igd-opregion (0x13001 bytes) is larger than the "
				       "probe can compare");
	f->in.fw_cfg_size = IGDPT_OPREGION_BASE_SIZE;
	f->in.fw_cfg_image = NULL;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
}

static void test_bdsm(void **state)
{
	struct fixture *f = *state;

	f->in.has_bdsm_request = true;
	f->in.bdsm_requested = 0x800000;
	f->in.bdsm_value = STOLEN_BASE | IGDPT_BDSM_LOCK;
	assert_int_equal(check(f), IGDPT_PROBE_PASS);
	assert_non_null(strstr(f->json, ",\"bdsm\":{\"requested\":8388608,\"register\":\"0x5c\","
					"\"value\":\"0x7f000001\",\"aligned\":true,\"reserved\":true}}"));
	/* Larger than the reserved range */
	f->in.bdsm_requested = 0x1000000;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f), "stolen memory at BDSM 0x7f000001 is not inside a reserved "
				       "range of the requested size");
	/* Not aligned */
	f->in.bdsm_requested = 0x100000;
	f->in.bdsm_value = STOLEN_BASE + 0x80000;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f), "BDSM 0x7f080000 is not 1 MiB aligned");
	/* Not written */
	f->in.bdsm_value = 0;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f), "BDSM is 0 although fw_cfg etc/igd-bdsm-size requests "
				       "0x100000 bytes");
	assert_non_null(strstr(f->json, "\"value\":\"0x00000000\"}"));
	/* Gen 11+ 64-bit register above 4 GiB */
	f->in.bdsm_register = IGDPT_PCI_BDSM64_OFFSET;
	f->in.bdsm_value = 0x100000000ull;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f), "BDSM 0x100000000 is above 4 GiB");
	assert_non_null(strstr(f->json, "\"register\":\"0xc0\""));
	/* The 64-bit register's value with 64-bit digits (docs/json.md). */
	assert_non_null(strstr(f->json, "\"value\":\"0x0000000100000000\""));
	/* Nothing requested: reported, never failed. */
	f->in.bdsm_requested = 0;
	assert_int_equal(check(f), IGDPT_PROBE_PASS);
	assert_non_null(strstr(f->json, "\"requested\":0,"));
	f->in.has_bdsm_request = false;
	f->in.bdsm_value = 0;
	assert_int_equal(check(f), IGDPT_PROBE_PASS);
	assert_null(strstr(f->json, "bdsm"));
}

/* The register judged follows the device id's generation, not whichever
 * register happens to hold a value. */
static void test_pick_bdsm(void **state)
{
	struct igdpt_probe_input in = { 0 };

	(void)state;
	/* Gen 12 (Tiger Lake): 0xC0, even when firmware left it 0 and 0x5C
	 * holds something (it is not BDSM there). */
	in.device_id = 0x9A49;
	igdpt_probe_pick_bdsm(&in, 0x7f000001, 0);
	assert_int_equal(in.bdsm_register, IGDPT_PCI_BDSM64_OFFSET);
	assert_int_equal(in.bdsm_value, 0);
	igdpt_probe_pick_bdsm(&in, 0, 0x17f000000ull);
	assert_int_equal(in.bdsm_value, 0x17f000000ull);
	/* Gen 9 (Kaby Lake): 0x5C, whatever 0xC0 holds. */
	in.device_id = 0x5916;
	igdpt_probe_pick_bdsm(&in, 0x7f000001, 0xdeadbeef);
	assert_int_equal(in.bdsm_register, IGDPT_PCI_BDSM_OFFSET);
	assert_int_equal(in.bdsm_value, 0x7f000001);
	/* Meteor Lake: no BDSM in config space. */
	in.device_id = 0x7D55;
	igdpt_probe_pick_bdsm(&in, 0x7f000001, 0x7f000001);
	assert_int_equal(in.bdsm_register, 0);
	assert_int_equal(in.bdsm_value, 0);
	/* Unknown id: what firmware programmed. */
	in.device_id = 0x1234;
	igdpt_probe_pick_bdsm(&in, 0x7f000001, 0);
	assert_int_equal(in.bdsm_register, IGDPT_PCI_BDSM_OFFSET);
	assert_int_equal(in.bdsm_value, 0x7f000001);
	igdpt_probe_pick_bdsm(&in, 0x7f000001, 0x7e000000);
	assert_int_equal(in.bdsm_register, IGDPT_PCI_BDSM64_OFFSET);
	assert_int_equal(in.bdsm_value, 0x7e000000);
}

static void test_bdsm_with_asls_zero(void **state)
{
	struct fixture *f = *state;

	/* A BDSM failure outranks "no OpRegion": something was asked for. */
	f->in.asls = 0;
	f->in.has_bdsm_request = true;
	f->in.bdsm_requested = 0x100000;
	assert_int_equal(check(f), IGDPT_PROBE_FAIL);
	assert_string_equal(reason(f), "BDSM is 0 although fw_cfg etc/igd-bdsm-size requests "
				       "0x100000 bytes");
}

static void test_json_buffer(void **state)
{
	struct fixture *f = *state;
	char small[16];
	size_t needed = 0;
	int len;

	igdpt_probe_check(&f->in, &f->v);
	len = igdpt_probe_json(&f->v, f->json, sizeof(f->json), &needed);
	assert_true(len > 0);
	assert_int_equal(needed, (size_t)len + 1);
	assert_int_equal(strlen(f->json), (size_t)len);
	assert_int_equal(igdpt_probe_json(&f->v, small, sizeof(small), &needed), -IGDPT_ENOSPC);
	assert_int_equal(needed, (size_t)len + 1);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(igdpt_probe_json(&f->v, f->json, (size_t)len, NULL), -IGDPT_ENOSPC);
	assert_int_equal(igdpt_probe_json(&f->v, f->json, (size_t)len + 1, NULL), len);
	assert_int_equal(igdpt_probe_json(&f->v, NULL, 0, &needed), -IGDPT_ENOSPC);
	assert_int_equal(igdpt_probe_json(NULL, f->json, 1, NULL), -IGDPT_EINVAL);
	assert_int_equal(igdpt_probe_check(NULL, &f->v), -IGDPT_EINVAL);
	/* Reason text truncates like snprintf. */
	assert_int_equal(igdpt_probe_reason_text(&f->v, small, sizeof(small)),
			 strlen("OpRegion at 0x7ffe0000 is valid, firmware-reserved and identical "
				"to fw_cfg etc/igd-opregion"));
	assert_string_equal(small, "OpRegion at 0x7");
}

static void test_json_escapes_and_ids(void **state)
{
	struct fixture *f = *state;

	f->in.igd_found = false;
	f->in.no_igd_reason = "a \"quoted\" \\ tab\there";
	f->in.probe = "linux";
	check(f);
	assert_string_equal(f->json, "{\"probe\":\"linux\",\"verdict\":\"fail\",\"reason\":\"a "
				     "\\\"quoted\\\" \\\\ tab\\u0009here\"}");
	f->in.igd_found = true;
	f->in.bus = 0x1a;
	f->in.dev = 0x1f;
	f->in.fn = 7;
	f->in.device_id = 0x9a49;
	f->in.class_code = IGDPT_PCI_CLASS_DISPLAY_OTHER;
	check(f);
	assert_non_null(strstr(f->json, "\"igd\":\"1a:1f.7\",\"vendor\":\"0x8086\",\"device\":"
					"\"0x9a49\",\"class\":\"0x0380\""));
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(igdpt_probe_result_name(IGDPT_PROBE_NO_OPREGION), "no-opregion");
	assert_string_equal(igdpt_probe_memmap_type_name(IGDPT_E820_ACPI, true), "acpi");
	assert_string_equal(igdpt_probe_memmap_type_name(IGDPT_PROBE_MEMMAP_UNKNOWN, true), "other");
	assert_string_equal(igdpt_probe_memmap_type_name(IGDPT_E820_RESERVED, false), "none");
	assert_string_equal(igdpt_probe_i915_name(IGDPT_PROBE_I915_NOT_RUN), "not-run");
	assert_string_equal(igdpt_probe_vbt_source_name(IGDPT_VBT_SOURCE_RVDA), "rvda");
}

/* A real OpRegion dump as the firmware would have copied it. */
static void test_real_opregion(void **state)
{
	struct fixture *f = *state;
	const char *corpus = getenv("IGDPT_CORPUS");
	char path[4096];
	FILE *fp;
	size_t n;

	if (!corpus)
		skip();
	snprintf(path, sizeof(path), "%s/opregion/rikka0w0-qemu-gvt-d-opregion.bin", corpus);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	n = fread(f->image, 1, sizeof(f->image), fp);
	fclose(fp);
	assert_int_equal(n, IGDPT_OPREGION_BASE_SIZE);
	publish(f, n);
	assert_int_equal(check(f), IGDPT_PROBE_PASS);
	assert_non_null(strstr(f->json, "\"opregion\":{\"version\":\"2.0.0\",\"mbox\":\"0x0000001f\","
					"\"size_kib\":8,\"vbt_source\":\"mailbox4\""));
	assert_int_equal(f->v.i915, IGDPT_PROBE_I915_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memmap_find),
		cmocka_unit_test(test_memmap_reserved),
		cmocka_unit_test(test_i915_vbt_valid),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_pick_bdsm),
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_pass_mailbox4),
		T(test_pass_without_fw_cfg),
		T(test_no_igd),
		T(test_asls_zero),
		T(test_asls_in_ram_not_read),
		T(test_asls_runs_past_reserved),
		T(test_read_failure),
		T(test_bad_signature),
		T(test_invalid_vbt),
		T(test_i915_ok_strict_fails),
		T(test_window_6k_or_7k),
		T(test_no_vbt),
		T(test_no_vbt_rom),
		T(test_rom_not_needed),
		T(test_rom_is_shadow),
		T(test_no_opregion_rom),
		T(test_pass_rvda),
		T(test_rvda_far_and_unreserved),
		T(test_rvda_limits),
		T(test_rvda_v20_physical),
		T(test_fw_cfg_mismatch),
		T(test_fw_cfg_runtime_writes),
		T(test_fw_cfg_too_large),
		T(test_bdsm),
		T(test_bdsm_with_asls_zero),
		T(test_json_buffer),
		T(test_json_escapes_and_ids),
		T(test_real_opregion),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
