/* SPDX-License-Identifier: MIT */
/* Unit tests of the device model's API, as any transport drives it: config
 * accesses per function with the VMM context's registers overlaid (one
 * owner: config, BAR0 mirrors and the context agree), BARs by index and by
 * bus address, the ROM, resets, guest RAM regions, and the events. */
#include <errno.h>
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "igdpt/abi/events.h"
#include "igdpt/abi/guest.h"
#include "model/device.h"
#include "model/mmio.h"

#define MIB (1u << 20)
#define RAM_SIZE (16u * MIB)
#define ALL_ONES 0xFFFFFFFFu
#define BAR0_BASE 0xFD000000u

struct rig {
	char path[64];
	struct igdpt_event_log log;
	struct igdpt_device *dev;
	uint8_t image[8192];
	int ram;
};

static struct rig rig;

/* What make() adds to the model when set: an option ROM, the host bridge,
 * display class instead of VGA. */
static struct {
	const uint8_t *rom;
	size_t rom_size;
	bool host_bridge;
	bool display_class;
} extra;

/* A model of generation gen with stolen memory, an 8 KiB image that starts
 * with the OpRegion signature, and 16 MiB of guest RAM as one region. */
static void make(unsigned gen, uint64_t stolen, enum igdpt_vmm_strategy s, bool lpc)
{
	struct igdpt_device_config c = {
		.igd = {.device_id = gen >= 11 ? 0x9A49 : 0x5916,
			.class_code = IGDPT_PCI_CLASS_DISPLAY_VGA,
			.subsys_vendor = 0x8086, .subsys_device = 0x2212, .revision = 2},
		.generation = gen, .stolen_size = stolen, .strategy = s,
		.lpc = lpc, .lpc_vendor = 0x8086, .lpc_device = 0xA2C5,
		.image = rig.image, .image_size = sizeof(rig.image),
		.host_bridge = extra.host_bridge, .host_bridge_device = 0x5904,
		.rom = extra.rom, .rom_size = extra.rom_size,
	};
	struct igdpt_guest_region r = {.gpa = 0, .size = RAM_SIZE};
	struct igdpt_diag diag = {0};
	const char *reason = NULL;

	for (size_t i = 0; i < sizeof(rig.image); i++)
		rig.image[i] = (uint8_t)(i * 13);
	memcpy(rig.image, "IntelGraphicsMem", 16);
	if (extra.display_class)
		c.igd.class_code = IGDPT_PCI_CLASS_DISPLAY_OTHER;
	snprintf(rig.path, sizeof(rig.path), "/tmp/igdpt-model-%d.jsonl", (int)getpid());
	assert_int_equal(igdpt_event_log_open(&rig.log, rig.path), 0);
	assert_int_equal(igdpt_device_create(&c, &rig.log, &rig.dev, &diag), 0);
	rig.ram = memfd_create("guest-ram", MFD_CLOEXEC);
	assert_true(rig.ram >= 0);
	assert_int_equal(ftruncate(rig.ram, RAM_SIZE), 0);
	r.fd = rig.ram;
	assert_int_equal(igdpt_device_memory_set(rig.dev, &r, 1, &reason), 0);
}

static struct json_object *done(void)
{
	struct json_object *events = json_object_new_array();
	char line[8192];
	FILE *f;

	igdpt_device_destroy(rig.dev);
	igdpt_event_log_close(&rig.log);
	close(rig.ram);
	memset(&extra, 0, sizeof(extra));
	f = fopen(rig.path, "re");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		json_object_array_add(events, json_tokener_parse(line));
	fclose(f);
	unlink(rig.path);
	return events;
}

static const char *field(struct json_object *ev, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(ev, key, &v) ? json_object_get_string(v) : NULL;
}

/* The n-th (0-based) event named name, or NULL. */
static struct json_object *nth(struct json_object *events, const char *name, int n)
{
	for (size_t i = 0; i < json_object_array_length(events); i++) {
		struct json_object *ev = json_object_array_get_idx(events, i);

		if (!strcmp(field(ev, IGDPT_EV_KEY_EVENT), name) && n-- == 0)
			return ev;
	}
	return NULL;
}

static uint32_t cfg_read(enum igdpt_function fn, uint32_t off, uint32_t len)
{
	uint32_t v = 0xDEADBEEF;

	assert_int_equal(igdpt_device_cfg_read(rig.dev, fn, off, len, &v, NULL), 0);
	return v;
}

static void cfg_write(uint32_t off, uint32_t len, uint32_t value)
{
	assert_int_equal(igdpt_device_cfg_write(rig.dev, IGDPT_FUNCTION_IGD, off, len, value, NULL),
			 0);
}

static uint64_t bar0_read(uint64_t off, uint32_t size)
{
	uint64_t v = 0;

	assert_int_equal(igdpt_device_bar_read(rig.dev, IGDPT_FUNCTION_IGD, 0, off, size, &v, NULL),
			 0);
	return v;
}

static void test_registers_one_owner(void **state)
{
	const struct igdpt_vmm *vmm;
	struct json_object *events, *ev;

	(void)state;
	make(9, 64u * MIB, IGDPT_VMM_4B, false);
	vmm = igdpt_device_vmm(rig.dev);
	/* GGC: the context's value everywhere; writes do nothing. */
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_GGC_OFFSET, 2), 0x02C1);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_GGC_OFFSET - 2, 4), 0x02C10000);
	cfg_write(IGDPT_PCI_GGC_OFFSET, 2, 0xFFFF);
	cfg_write(IGDPT_PCI_GGC_OFFSET - 2, 4, 0xABCD0000);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_GGC_OFFSET, 2), 0x02C1);
	assert_int_equal(bar0_read(IGDPT_MMIO_GGC_MIRROR_OFFSET, 2), 0x02C1);
	assert_int_equal(igdpt_vmm_ggc(vmm), 0x02C1);
	/* BDSM at 0x5C: the 1 MiB aligned base is writable; 0xC0 is nothing. */
	cfg_write(IGDPT_PCI_BDSM_OFFSET, 4, 0x7F0FFFFF);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_BDSM_OFFSET, 4), 0x7F000000);
	assert_int_equal(bar0_read(IGDPT_MMIO_BDSM_MIRROR_OFFSET, 4), 0x7F000000);
	assert_int_equal(igdpt_vmm_bdsm(vmm), 0x7F000000);
	cfg_write(IGDPT_PCI_BDSM64_OFFSET, 4, ALL_ONES);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_BDSM64_OFFSET, 4), 0);
	/* Mirrors are read-only. */
	assert_int_equal(igdpt_device_bar_write(rig.dev, IGDPT_FUNCTION_IGD, 0,
						IGDPT_MMIO_BDSM_MIRROR_OFFSET, 4, 0, NULL),
			 0);
	assert_int_equal(igdpt_vmm_bdsm(vmm), 0x7F000000);
	/* SWSCI: SCISEL kept, GSSCIE completes at once. */
	cfg_write(IGDPT_PCI_SWSCI_OFFSET, 2, 0x8001);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_SWSCI_OFFSET, 2), 0x8000);
	/* ASLS: a plain register in 4b, read through any width. */
	cfg_write(IGDPT_PCI_ASLS_OFFSET, 4, 0x00FFE000);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_ASLS_OFFSET, 4), 0x00FFE000);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_ASLS_OFFSET + 2, 2), 0x00FF);
	assert_int_equal(igdpt_vmm_asls(vmm), 0x00FFE000);
	/* The rest of the header is the config space's. */
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_VENDOR_ID_OFFSET, 4), 0x59168086);
	/* Reset: the firmware programs ASLS and BDSM again; GGC stays. */
	igdpt_device_reset(rig.dev, IGDPT_FUNCTION_IGD);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_ASLS_OFFSET, 4), 0);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_BDSM_OFFSET, 4), 0);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_GGC_OFFSET, 2), 0x02C1);

	events = done();
	ev = nth(events, IGDPT_EV_GGC_WRITE, 1);
	assert_non_null(ev);
	assert_string_equal(field(ev, IGDPT_EV_VALUE), "0xabcd");
	assert_string_equal(field(ev, IGDPT_EV_GGC), "0x2c1");
	ev = nth(events, IGDPT_EV_BDSM_WRITE, 0);
	assert_string_equal(field(ev, IGDPT_EV_REGISTER), "0x5c");
	assert_string_equal(field(ev, IGDPT_EV_VALUE), "0x7f000000");
	assert_string_equal(field(nth(events, IGDPT_EV_SWSCI_WRITE, 0), IGDPT_EV_VALUE), "0x8001");
	ev = nth(events, IGDPT_EV_ASLS_WRITE, 0);
	assert_string_equal(field(ev, IGDPT_EV_VALUE), "0xffe000");
	assert_string_equal(field(ev, IGDPT_EV_GUEST_COPY), IGDPT_EV_COPY_DIFFERS);
	json_object_put(events);
}

/* Gen 12: BDSM is 64-bit at 0xC0, the mirror 8 bytes, 0x5C nothing. */
static void test_bdsm64(void **state)
{
	struct json_object *events;

	(void)state;
	make(12, 0, IGDPT_VMM_4B, false);
	cfg_write(IGDPT_PCI_BDSM_OFFSET, 4, ALL_ONES);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_BDSM_OFFSET, 4), 0);
	cfg_write(IGDPT_PCI_BDSM64_OFFSET, 4, 0x7F000001);
	cfg_write(IGDPT_PCI_BDSM64_OFFSET + 4, 4, 0x1);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_BDSM64_OFFSET, 4), 0x7F000000);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_BDSM64_OFFSET + 4, 4), 1);
	assert_true(bar0_read(IGDPT_MMIO_BDSM_MIRROR_OFFSET, 8) == 0x17F000000ull);
	events = done();
	assert_string_equal(field(nth(events, IGDPT_EV_BDSM_WRITE, 0), IGDPT_EV_REGISTER), "0xc0");
	assert_string_equal(field(nth(events, IGDPT_EV_BDSM_WRITE, 1), IGDPT_EV_VALUE), "0x17f000000");
	json_object_put(events);
}

/* Gen 11+: GEN6_STOLEN_RESERVED (0x1082C0) tells i915 where the reserved
 * top 1 MiB of stolen memory lies, from BDSM and GGC; 0 until the firmware
 * placed stolen memory, and never on a 32-bit-BDSM generation. */
static void test_stolen_reserved(void **state)
{
	(void)state;
	make(12, 64u << 20, IGDPT_VMM_4B, false);
	assert_true(bar0_read(0x1082C0, 8) == 0);
	cfg_write(IGDPT_PCI_BDSM64_OFFSET, 4, 0x04200001);
	assert_true(bar0_read(0x1082C0, 8) == 0x04200000ull + (64u << 20) - (1u << 20));
	/* i915 reads it as one 64-bit access; dwords agree. */
	assert_int_equal(bar0_read(0x1082C0, 4), 0x08100000u);
	assert_int_equal(bar0_read(0x1082C4, 4), 0);
	json_object_put(done());

	make(9, 64u << 20, IGDPT_VMM_4B, false);
	cfg_write(IGDPT_PCI_BDSM_OFFSET, 4, 0x04200001);
	assert_int_equal(bar0_read(0x1082C0, 4), 0);
	json_object_put(done());
}

static void test_bars(void **state)
{
	struct igdpt_device_bar info;
	unsigned bar;
	uint64_t off, v;
	const char *reason = NULL;

	(void)state;
	make(9, 0, IGDPT_VMM_4B, true);
	assert_int_equal(igdpt_device_bar_info(rig.dev, IGDPT_FUNCTION_IGD, 0, &info), 0);
	assert_int_equal(info.type, IGDPT_BAR_MEM64);
	assert_true(info.size == IGDPT_IGD_BAR0_SIZE);
	assert_int_equal(igdpt_device_bar_info(rig.dev, IGDPT_FUNCTION_IGD, 1, &info), -ENOENT);
	assert_int_equal(igdpt_device_bar_info(rig.dev, IGDPT_FUNCTION_IGD, 4, &info), 0);
	assert_int_equal(info.type, IGDPT_BAR_IO);
	assert_int_equal(igdpt_device_bar_info(rig.dev, IGDPT_FUNCTION_IGD, 6, &info), -EINVAL);
	assert_int_equal(igdpt_device_bar_info(rig.dev, IGDPT_FUNCTION_LPC, 0, &info), -ENOENT);
	/* Programmed as SeaBIOS does; found by bus address. */
	cfg_write(IGDPT_PCI_BAR0_OFFSET, 4, BAR0_BASE);
	cfg_write(IGDPT_PCI_BAR0_OFFSET + 4, 4, 0);
	assert_int_equal(igdpt_device_bar_info(rig.dev, IGDPT_FUNCTION_IGD, 0, &info), 0);
	assert_true(info.address == BAR0_BASE);
	assert_int_equal(igdpt_device_bar_find(rig.dev, IGDPT_FUNCTION_IGD, true, BAR0_BASE + 0x7000,
					       4, &bar, &off, &reason),
			 0);
	assert_int_equal(bar, 0);
	assert_int_equal(off, 0x7000);
	assert_int_equal(igdpt_device_bar_find(rig.dev, IGDPT_FUNCTION_IGD, true, BAR0_BASE, 3, &bar,
					       &off, &reason),
			 -EINVAL);
	/* BAR2 is not programmed yet: it decodes [0, 256 MiB). */
	assert_int_equal(igdpt_device_bar_find(rig.dev, IGDPT_FUNCTION_IGD, true, 0x20000000, 4, &bar,
					       &off, &reason),
			 -ENOENT);
	assert_int_equal(igdpt_device_bar_find(rig.dev, IGDPT_FUNCTION_LPC, true, BAR0_BASE, 4, &bar,
					       &off, &reason),
			 -ENOENT);
	/* By index: inside, straddling the end, a missing BAR, a bad size. */
	assert_int_equal(igdpt_device_bar_write(rig.dev, IGDPT_FUNCTION_IGD, 0, 0x7000, 4, 0x1234,
						&reason),
			 0);
	assert_int_equal(bar0_read(0x7000, 4), 0x1234);
	assert_int_equal(igdpt_device_bar_read(rig.dev, IGDPT_FUNCTION_IGD, 0,
					       IGDPT_IGD_BAR0_SIZE - 4, 8, &v, &reason),
			 -ENOENT);
	assert_int_equal(igdpt_device_bar_read(rig.dev, IGDPT_FUNCTION_IGD, 1, 0, 4, &v, &reason),
			 -ENOENT);
	assert_int_equal(igdpt_device_bar_read(rig.dev, IGDPT_FUNCTION_IGD, 0, 0, 3, &v, &reason),
			 -EINVAL);
	assert_int_equal(igdpt_device_bar_read(rig.dev, IGDPT_FUNCTION_LPC, 0, 0, 4, &v, &reason),
			 -ENOENT);
	/* No ROM: size 0, config 0x30 reads 0 and keeps nothing. */
	assert_int_equal(igdpt_device_rom_size(rig.dev, IGDPT_FUNCTION_IGD), 0);
	assert_int_equal(igdpt_device_rom_read(rig.dev, IGDPT_FUNCTION_IGD, 0, &v, 1), -ENOENT);
	cfg_write(0x30, 4, ALL_ONES);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, 0x30, 4), 0);
	/* The LPC bridge: ids, read-only. */
	assert_int_equal(cfg_read(IGDPT_FUNCTION_LPC, 0, 4), 0xA2C58086);
	assert_int_equal(igdpt_device_cfg_write(rig.dev, IGDPT_FUNCTION_LPC, 0, 4, 0, NULL), 0);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_LPC, 0, 4), 0xA2C58086);
	json_object_put(done());
}

static void test_bad_accesses(void **state)
{
	const char *reason = NULL;
	uint32_t v;

	(void)state;
	make(9, 0, IGDPT_VMM_4B, false);
	assert_false(igdpt_device_has_function(rig.dev, IGDPT_FUNCTION_LPC));
	assert_int_equal(igdpt_device_cfg_read(rig.dev, IGDPT_FUNCTION_LPC, 0, 4, &v, &reason),
			 -ENODEV);
	assert_int_equal(igdpt_device_attach(rig.dev, IGDPT_FUNCTION_LPC, "test"), -ENODEV);
	assert_int_equal(igdpt_device_cfg_read(rig.dev, IGDPT_FUNCTION_IGD, 0xFFE, 4, &v, &reason),
			 -EINVAL);
	assert_non_null(reason);
	assert_int_equal(igdpt_device_cfg_write(rig.dev, IGDPT_FUNCTION_IGD, 0xFC, 3, 0, &reason),
			 -EINVAL);
	assert_int_equal(igdpt_device_cfg_write(rig.dev, IGDPT_FUNCTION_IGD, 0xFC, UINT32_MAX, 0,
						&reason),
			 -EINVAL);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_ASLS_OFFSET, 4), 0);
	/* A dword crossing 0x100 is a valid PCI Express access: config space
	 * and the context take their bytes alike (the fuzz target's first
	 * finding: the context once refused it whole). */
	cfg_write(IGDPT_PCI_ASLS_OFFSET + 1, 4, 0x7F);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_ASLS_OFFSET, 4), 0x7F00);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_ASLS_OFFSET + 1, 4), 0x7F);
	json_object_put(done());
}

/* Option 1b: the firmware copied the image and wrote ASLS; the model
 * places its own copy there and names the placement. */
static void test_placement_1b_and_events(void **state)
{
	struct json_object *events, *ev;
	uint8_t back[8192];
	uint64_t asls = RAM_SIZE - 0x4000;

	(void)state;
	make(9, 0, IGDPT_VMM_1B, true);
	assert_int_equal(igdpt_device_attach(rig.dev, IGDPT_FUNCTION_IGD, "test"), 0);
	assert_int_equal(igdpt_device_attach(rig.dev, IGDPT_FUNCTION_LPC, "test"), 0);
	assert_int_equal(pwrite(rig.ram, rig.image, sizeof(rig.image), (off_t)asls),
			 (ssize_t)sizeof(rig.image));
	cfg_write(IGDPT_PCI_ASLS_OFFSET, 4, (uint32_t)asls);
	assert_int_equal(igdpt_vmm_placement(igdpt_device_vmm(rig.dev)), IGDPT_VMM_PLACED_GUEST_RAM);
	/* Later writes are ignored until reset. */
	cfg_write(IGDPT_PCI_ASLS_OFFSET, 4, 0x100000);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, IGDPT_PCI_ASLS_OFFSET, 4), asls);
	assert_string_equal(igdpt_device_guest_copy(rig.dev, NULL), IGDPT_EV_COPY_IDENTICAL);
	assert_true(igdpt_device_final(rig.dev, NULL));
	assert_int_equal(pread(rig.ram, back, sizeof(back), (off_t)asls), (ssize_t)sizeof(back));
	assert_memory_equal(back, rig.image, sizeof(back));
	events = done();
	ev = nth(events, IGDPT_EV_START, 0);
	assert_string_equal(field(ev, IGDPT_EV_FUNCTION), IGDPT_EV_FUNCTION_IGD);
	assert_string_equal(field(ev, IGDPT_EV_TRANSPORT), "test");
	assert_string_equal(field(ev, IGDPT_EV_STRATEGY), "1b");
	assert_string_equal(field(ev, IGDPT_EV_DEVICE_ID), "0x5916");
	assert_string_equal(field(nth(events, IGDPT_EV_START, 1), IGDPT_EV_CLASS), "0x0601");
	assert_non_null(nth(events, IGDPT_EV_SYSMEM, 0));
	ev = nth(events, IGDPT_EV_ASLS_WRITE, 0);
	assert_string_equal(field(ev, IGDPT_EV_GUEST_COPY), IGDPT_EV_COPY_PLACED);
	ev = nth(events, IGDPT_EV_ASLS_WRITE, 1);
	assert_string_equal(field(ev, IGDPT_EV_IGNORED), "true");
	assert_string_equal(field(ev, IGDPT_EV_VALUE), "0xffc000");
	ev = nth(events, IGDPT_EV_FINAL, 0);
	assert_string_equal(field(ev, IGDPT_EV_GUEST_COPY), IGDPT_EV_COPY_IDENTICAL);
	json_object_put(events);
}

/* Regions added and removed one by one (vfio-user's DMA_MAP/UNMAP), and a
 * layout event only when the layout changes. */
static void test_memory_regions(void **state)
{
	struct igdpt_guest_region lo = {.gpa = 0, .size = MIB, .offset = 0};
	struct igdpt_guest_region hi = {.gpa = 2 * MIB, .size = MIB, .offset = 2 * MIB};
	struct json_object *events;
	const char *reason = NULL;

	(void)state;
	make(9, 0, IGDPT_VMM_4B, false);
	lo.fd = hi.fd = rig.ram;
	/* The same layout again: no event. */
	{
		struct igdpt_guest_region all = {.gpa = 0, .size = RAM_SIZE, .fd = rig.ram};

		assert_int_equal(igdpt_device_memory_set(rig.dev, &all, 1, &reason), 0);
	}
	assert_int_equal(igdpt_device_memory_set(rig.dev, NULL, 0, &reason), 0);
	assert_int_equal(igdpt_device_memory_add(rig.dev, &lo, &reason), 0);
	assert_int_equal(igdpt_device_memory_add(rig.dev, &hi, &reason), 0);
	assert_int_equal(igdpt_device_memory_add(rig.dev, &hi, &reason), -EINVAL);
	assert_int_equal(igdpt_device_memory_remove(rig.dev, 0, 2 * MIB, &reason), -ENOENT);
	assert_int_equal(igdpt_device_memory_remove(rig.dev, 0, MIB, &reason), 0);
	events = done();
	/* set 16M, (same), set none, add, add, remove. */
	assert_non_null(nth(events, IGDPT_EV_SYSMEM, 4));
	assert_null(nth(events, IGDPT_EV_SYSMEM, 5));
	json_object_put(events);
}

/* The option ROM: 0x30 sizes as the next power of two (QEMU's romfile=
 * rule), decodes only when enabled, reads back through the ROM and through
 * the ROM BAR's bus address, ignores writes, and reset disables it. */
static void test_rom(void **state)
{
	static uint8_t rom[5000];
	uint8_t back[16];
	const char *reason = NULL;
	unsigned bar = 0;
	uint64_t offset = 0, v = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(rom); i++)
		rom[i] = (uint8_t)(i * 7 + 1);
	rom[0] = 0x55;
	rom[1] = 0xAA;
	extra.rom = rom;
	extra.rom_size = sizeof(rom);
	make(9, 0, IGDPT_VMM_4B, false);
	assert_int_equal(igdpt_device_rom_size(rig.dev, IGDPT_FUNCTION_IGD), 8192);
	assert_int_equal(igdpt_device_rom_size(rig.dev, IGDPT_FUNCTION_LPC), 0);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, 0x30, 4), 0);
	/* Sizing as firmware and QEMU's vfio do it. */
	cfg_write(0x30, 4, 0xFFFFF800);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, 0x30, 4), 0xFFFFE000);
	cfg_write(0x30, 4, ALL_ONES);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, 0x30, 4), 0xFFFFE001);
	/* Contents: the file, then zeros up to the BAR's size. */
	assert_int_equal(igdpt_device_rom_read(rig.dev, IGDPT_FUNCTION_IGD, 0, back, 16), 0);
	assert_memory_equal(back, rom, 16);
	assert_int_equal(igdpt_device_rom_read(rig.dev, IGDPT_FUNCTION_IGD, 8176, back, 16), 0);
	assert_int_equal(back[0] | back[15], 0);
	assert_int_equal(igdpt_device_rom_read(rig.dev, IGDPT_FUNCTION_IGD, 8180, back, 16), -ENOENT);
	/* At a bus address only while enabled. */
	cfg_write(0x30, 4, 0xFEB00000);
	assert_int_equal(igdpt_device_bar_find(rig.dev, IGDPT_FUNCTION_IGD, true, 0xFEB00000, 4, &bar,
					       &offset, &reason),
			 -ENOENT);
	cfg_write(0x30, 4, 0xFEB00001);
	assert_int_equal(igdpt_device_bar_find(rig.dev, IGDPT_FUNCTION_IGD, true, 0xFEB00010, 8, &bar,
					       &offset, &reason),
			 0);
	assert_int_equal(bar, IGDPT_PCI_ROM_SLOT);
	assert_int_equal(offset, 0x10);
	assert_int_equal(igdpt_device_bar_find(rig.dev, IGDPT_FUNCTION_IGD, false, 0xFEB00010, 4,
					       &bar, &offset, &reason),
			 -ENOENT);
	assert_int_equal(igdpt_device_bar_read(rig.dev, IGDPT_FUNCTION_IGD, IGDPT_PCI_ROM_SLOT, 0, 2,
					       &v, &reason),
			 0);
	assert_int_equal(v, 0xAA55);
	assert_int_equal(igdpt_device_bar_write(rig.dev, IGDPT_FUNCTION_IGD, IGDPT_PCI_ROM_SLOT, 0, 2,
						0, &reason),
			 0);
	assert_int_equal(igdpt_device_bar_read(rig.dev, IGDPT_FUNCTION_IGD, IGDPT_PCI_ROM_SLOT, 0, 2,
					       &v, &reason),
			 0);
	assert_int_equal(v, 0xAA55);
	assert_int_equal(igdpt_device_bar_read(rig.dev, IGDPT_FUNCTION_IGD, IGDPT_PCI_ROM_SLOT,
					       8190, 4, &v, &reason),
			 -ENOENT);
	igdpt_device_reset(rig.dev, IGDPT_FUNCTION_IGD);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_IGD, 0x30, 4), 0);
	json_object_put(done());

	/* Too large: refused at creation. */
	{
		struct igdpt_device_config c = {
			.igd = {.device_id = 0x5916, .class_code = IGDPT_PCI_CLASS_DISPLAY_VGA},
			.generation = 9, .strategy = IGDPT_VMM_4B,
			.rom = rom, .rom_size = IGDPT_DEVICE_ROM_MAX_SIZE + 1,
		};
		struct igdpt_event_log log;
		struct igdpt_device *dev = NULL;
		struct igdpt_diag diag = {0};

		assert_int_equal(igdpt_event_log_open(&log, NULL), 0);
		assert_int_equal(igdpt_device_create(&c, &log, &dev, &diag), -EINVAL);
		assert_non_null(diag.reason);
		assert_null(dev);
	}
}

/* The host bridge (identity, read-only), the OpRegion as published, and
 * the VGA ranges of a VGA-class IGD (and none of a display-class one). */
static void test_vfio_igd_data(void **state)
{
	uint8_t buf[16], pattern[4] = {1, 2, 3, 4};
	const char *reason = NULL;

	(void)state;
	extra.host_bridge = true;
	make(9, 0, IGDPT_VMM_4B, true);
	assert_true(igdpt_device_has_function(rig.dev, IGDPT_FUNCTION_HOST_BRIDGE));
	assert_int_equal(cfg_read(IGDPT_FUNCTION_HOST_BRIDGE, 0, 4), 0x59048086);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_HOST_BRIDGE, 0x08, 4) >> 16,
			 IGDPT_PCI_CLASS_BRIDGE_HOST);
	assert_int_equal(igdpt_device_cfg_write(rig.dev, IGDPT_FUNCTION_HOST_BRIDGE, 0, 4, 0, NULL), 0);
	assert_int_equal(cfg_read(IGDPT_FUNCTION_HOST_BRIDGE, 0, 4), 0x59048086);
	assert_string_equal(igdpt_device_function_name(IGDPT_FUNCTION_HOST_BRIDGE),
			    IGDPT_EV_FUNCTION_HOST_BRIDGE);

	assert_int_equal(igdpt_device_opregion_size(rig.dev), sizeof(rig.image));
	assert_int_equal(igdpt_device_opregion_read(rig.dev, 0, buf, 16), 0);
	assert_memory_equal(buf, "IntelGraphicsMem", 16);
	assert_int_equal(igdpt_device_opregion_read(rig.dev, sizeof(rig.image) - 8, buf, 16),
			 -ENOENT);

	assert_true(igdpt_device_has_vga(rig.dev));
	assert_int_equal(igdpt_device_vga_write(rig.dev, 0xB8000, pattern, 4, &reason), 0);
	assert_int_equal(igdpt_device_vga_write(rig.dev, 0x3D4, pattern, 2, &reason), 0);
	assert_int_equal(igdpt_device_vga_read(rig.dev, 0xB8000, buf, 4, &reason), 0);
	assert_memory_equal(buf, pattern, 4);
	assert_int_equal(igdpt_device_vga_read(rig.dev, 0x3D4, buf, 2, &reason), 0);
	assert_memory_equal(buf, pattern, 2);
	/* Between and across the ranges: refused. */
	assert_int_equal(igdpt_device_vga_read(rig.dev, 0x3BC, buf, 1, &reason), -EINVAL);
	assert_int_equal(igdpt_device_vga_read(rig.dev, 0x3DE, buf, 4, &reason), -EINVAL);
	assert_int_equal(igdpt_device_vga_read(rig.dev, 0xBFFFE, buf, 4, &reason), -EINVAL);
	assert_int_equal(igdpt_device_vga_read(rig.dev, 0x9FFFF, buf, 2, &reason), -EINVAL);
	assert_int_equal(igdpt_device_vga_read(rig.dev, 0xA0000, buf, 0, &reason), -EINVAL);
	igdpt_device_reset(rig.dev, IGDPT_FUNCTION_IGD);
	assert_int_equal(igdpt_device_vga_read(rig.dev, 0xB8000, buf, 4, &reason), 0);
	assert_int_equal(buf[0] | buf[1] | buf[2] | buf[3], 0);
	json_object_put(done());

	extra.display_class = true;
	make(9, 0, IGDPT_VMM_4B, false);
	assert_false(igdpt_device_has_function(rig.dev, IGDPT_FUNCTION_HOST_BRIDGE));
	assert_int_equal(igdpt_device_cfg_read(rig.dev, IGDPT_FUNCTION_HOST_BRIDGE, 0, 4,
					       (uint32_t *)buf, &reason),
			 -ENODEV);
	assert_false(igdpt_device_has_vga(rig.dev));
	assert_int_equal(igdpt_device_vga_read(rig.dev, 0xB8000, buf, 4, &reason), -ENODEV);
	json_object_put(done());
}

/* A read-only region (a vfio-user map without the write flag) is read but
 * never written: option 1b refuses to place its copy there. */
static void test_read_only_memory(void **state)
{
	struct igdpt_guest_region ro = {.gpa = 0, .size = RAM_SIZE, .read_only = true};
	struct json_object *events, *ev;
	uint8_t back[16];
	uint64_t asls = RAM_SIZE - 0x4000;
	const char *reason = NULL;

	(void)state;
	make(9, 0, IGDPT_VMM_1B, false);
	ro.fd = rig.ram;
	assert_int_equal(igdpt_device_memory_set(rig.dev, &ro, 1, &reason), 0);
	assert_int_equal(pwrite(rig.ram, rig.image, sizeof(rig.image), (off_t)asls),
			 (ssize_t)sizeof(rig.image));
	/* Make the copy differ past the signature: a placement would fix it. */
	assert_int_equal(pwrite(rig.ram, "x", 1, (off_t)asls + 100), 1);
	cfg_write(IGDPT_PCI_ASLS_OFFSET, 4, (uint32_t)asls);
	assert_int_not_equal(igdpt_vmm_placement(igdpt_device_vmm(rig.dev)),
			     IGDPT_VMM_PLACED_GUEST_RAM);
	assert_int_equal(pread(rig.ram, back, 1, (off_t)asls + 100), 1);
	assert_int_equal(back[0], 'x');
	events = done();
	ev = nth(events, IGDPT_EV_ASLS_WRITE, 0);
	assert_non_null(json_object_object_get(ev, IGDPT_EV_REFUSED));
	json_object_put(events);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registers_one_owner),
		cmocka_unit_test(test_bdsm64),
		cmocka_unit_test(test_stolen_reserved),
		cmocka_unit_test(test_bars),
		cmocka_unit_test(test_bad_accesses),
		cmocka_unit_test(test_placement_1b_and_events),
		cmocka_unit_test(test_memory_regions),
		cmocka_unit_test(test_rom),
		cmocka_unit_test(test_vfio_igd_data),
		cmocka_unit_test(test_read_only_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
