/* SPDX-License-Identifier: MIT */
/* Fuzz target: the device model driven through sequences of config and BAR
 * accesses (partial and unaligned writes of ASLS, BDSM, GGC, SWSCI and the
 * BARs included), resets, firmware copies and guest RAM coming and going,
 * with guest RAM in a sealed memfd. After every step it checks:
 *   - no byte of guest RAM changed except the OpRegion range the device
 *     placed in that very step (option 1b; the GT's engines write guest RAM
 *     only for a context image whose ring registers sit where i915 puts
 *     them, which this RAM's fixed pattern never holds: fuzz_gt.c covers
 *     them), and the device placed only on
 *     a complete 32-bit ASLS write to a page-aligned address inside RAM
 *     where the firmware's copy of the signature lies - and always then;
 *   - ASLS, BDSM, GGC and SWSCI read back as their write semantics say,
 *     whole or byte by byte, and the BAR0 mirrors agree with config space.
 *
 * Input: byte 0 picks the setup (bit 0: 1b, else 4b; bit 1: gen 12, else
 * gen 9; bit 2: 32 MiB of stolen memory), then 8-byte steps:
 * {kind, a, b, c, value (4 bytes, little endian)}. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "fuzz_guest_ram.h"
#include "igdpt/abi/guest.h"
#include "model/device.h"
#include "model/mmio.h"

#define RAM_SIZE FUZZ_RAM_SIZE
#define PAGE 4096u
#define IMAGE_SIZE 8192u
#define SIGNATURE_SIZE 16u
#define STEP_SIZE 8u
#define MAX_STEPS 256u
#define STOLEN (32ull << 20)

/* Config offsets worth hitting: header, BARs, ROM BAR, and every byte
 * around the context's registers. */
static const uint16_t hot_cfg[] = {
	0x04, 0x0C, 0x10, 0x14, 0x18, 0x1C, 0x20, 0x24, 0x30, 0x3C, 0x4E, 0x4F, 0x50, 0x51,
	0x52, 0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x60, 0xBE, 0xBF, 0xC0, 0xC1, 0xC2, 0xC3,
	0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xFA, 0xFB, 0xFC, 0xFD,
	0xFE, 0xFF,
};
static const uint8_t cfg_lens[] = {1, 2, 4, 4, 3, 0};
static const uint32_t hot_bar[] = {
	IGDPT_MMIO_GGC_MIRROR_OFFSET, IGDPT_MMIO_GGC_MIRROR_OFFSET + 1,
	IGDPT_MMIO_BDSM_MIRROR_OFFSET, IGDPT_MMIO_BDSM_MIRROR_OFFSET + 4,
	IGDPT_MMIO_BDSM_MIRROR_OFFSET - 2, IGDPT_MMIO_IO_INDEX_OFFSET, IGDPT_MMIO_IO_DATA_OFFSET,
	0xA278, 0x0D84, 0x138124, 0x64010, 0x45404, (uint32_t)IGDPT_IGD_BAR0_SIZE - 8,
};
static const uint8_t bar_sizes[] = {1, 2, 4, 8, 3};

struct state {
	struct igdpt_event_log log;
	struct igdpt_device *dev;
	bool is_1b;
	unsigned gen;
	unsigned bdsm_reg, bdsm_width;
	uint16_t ggc;
	int ram;
	bool mem_on;
	uint8_t image[IMAGE_SIZE];
	uint8_t shadow[RAM_SIZE];
	uint8_t now[RAM_SIZE];
	/* What the registers must read. */
	uint32_t asls;
	uint64_t bdsm;
	uint16_t swsci;
	bool placed;
};

static struct state st;

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t merge(uint64_t reg, unsigned base, unsigned width, unsigned off, unsigned len,
		      uint32_t value)
{
	for (unsigned i = 0; i < len; i++) {
		unsigned pos = off + i;

		if (pos < base || pos >= base + width)
			continue;
		reg &= ~((uint64_t)0xFF << (8 * (pos - base)));
		reg |= (uint64_t)(uint8_t)(value >> (8 * i)) << (8 * (pos - base));
	}
	return reg;
}

static bool touches(unsigned off, unsigned len, unsigned base, unsigned width)
{
	return off < base + width && base < off + len;
}

static void memory(bool on)
{
	struct igdpt_guest_region r = {.gpa = 0, .size = RAM_SIZE, .fd = st.ram, .offset = 0};

	FUZZ_CHECK(igdpt_device_memory_set(st.dev, &r, on ? 1 : 0, NULL) == 0);
	st.mem_on = on;
}

static void setup(uint8_t flags)
{
	struct igdpt_device_config c = {
		.igd = {.class_code = IGDPT_PCI_CLASS_DISPLAY_VGA, .subsys_vendor = 0x8086,
			.revision = 2},
		.strategy = (flags & 1) ? IGDPT_VMM_1B : IGDPT_VMM_4B,
		.generation = (flags & 2) ? 12 : 9,
		.stolen_size = (flags & 4) ? STOLEN : 0,
		.lpc = true, .lpc_vendor = 0x8086, .lpc_device = 0xA2C5,
		.image = st.image, .image_size = IMAGE_SIZE,
	};
	const struct igdpt_vmm *vmm;

	memset(&st, 0, sizeof(st));
	for (unsigned i = 0; i < IMAGE_SIZE; i++)
		st.image[i] = (uint8_t)(i * 13 + 5);
	memcpy(st.image, "IntelGraphicsMem", SIGNATURE_SIZE);
	c.image = st.image;
	c.igd.device_id = c.generation == 12 ? 0x9A49 : 0x5916;
	st.is_1b = flags & 1;
	st.gen = c.generation;
	FUZZ_CHECK(igdpt_event_log_open(&st.log, NULL) == 0);
	FUZZ_CHECK(igdpt_device_create(&c, &st.log, &st.dev, NULL) == 0);
	vmm = igdpt_device_vmm(st.dev);
	st.bdsm_reg = igdpt_vmm_bdsm_register(vmm);
	st.bdsm_width = igdpt_vmm_bdsm_width(vmm);
	st.ggc = igdpt_vmm_ggc(vmm);
	st.ram = fuzz_ram_create(st.shadow, NULL, 0);
	memory(true);
}

static void teardown(void)
{
	igdpt_device_destroy(st.dev);
	igdpt_event_log_close(&st.log);
	FUZZ_CHECK(lseek(st.ram, 0, SEEK_END) == RAM_SIZE);
	close(st.ram);
}

static uint32_t cfg(unsigned off, unsigned len)
{
	uint32_t v = 0;

	FUZZ_CHECK(igdpt_device_cfg_read(st.dev, IGDPT_FUNCTION_IGD, off, len, &v, NULL) == 0);
	return v;
}

static uint64_t mirror(uint64_t off, unsigned size)
{
	uint64_t v = 0;

	FUZZ_CHECK(igdpt_device_bar_read(st.dev, IGDPT_FUNCTION_IGD, 0, off, size, &v, NULL) == 0);
	return v;
}

/* Would 1b place its copy for a complete write of value? (vmm.h) */
static bool placement_justified(uint32_t value)
{
	return st.mem_on && value && value % PAGE == 0 && value <= RAM_SIZE - IMAGE_SIZE &&
	       !memcmp(st.shadow + value, st.image, SIGNATURE_SIZE);
}

static void check_registers(void)
{
	const struct igdpt_vmm *vmm = igdpt_device_vmm(st.dev);
	uint32_t bytes = 0;

	FUZZ_CHECK(cfg(IGDPT_PCI_ASLS_OFFSET, 4) == st.asls);
	for (unsigned i = 0; i < 4; i++)
		bytes |= cfg(IGDPT_PCI_ASLS_OFFSET + i, 1) << (8 * i);
	FUZZ_CHECK(bytes == st.asls);
	FUZZ_CHECK(igdpt_vmm_asls(vmm) == st.asls);
	FUZZ_CHECK(cfg(IGDPT_PCI_GGC_OFFSET, 2) == st.ggc);
	FUZZ_CHECK(mirror(IGDPT_MMIO_GGC_MIRROR_OFFSET, 2) == st.ggc);
	FUZZ_CHECK(cfg(IGDPT_PCI_SWSCI_OFFSET, 2) == st.swsci);
	FUZZ_CHECK(igdpt_vmm_bdsm(vmm) == st.bdsm);
	FUZZ_CHECK(cfg(st.bdsm_reg, 4) == (uint32_t)st.bdsm);
	if (st.bdsm_width == 8) {
		FUZZ_CHECK(cfg(st.bdsm_reg + 4, 4) == (uint32_t)(st.bdsm >> 32));
		FUZZ_CHECK(mirror(IGDPT_MMIO_BDSM_MIRROR_OFFSET, 8) == st.bdsm);
	} else {
		FUZZ_CHECK(mirror(IGDPT_MMIO_BDSM_MIRROR_OFFSET, 4) == st.bdsm);
	}
	/* The register the other generation has is nothing here. */
	FUZZ_CHECK(cfg(st.gen >= 11 ? IGDPT_PCI_BDSM_OFFSET : IGDPT_PCI_BDSM64_OFFSET, 4) == 0);
}

/* Guest RAM is the shadow, but for a placement made by this step. */
static void check_ram(bool was_placed, bool complete_asls_write, uint32_t value)
{
	const struct igdpt_vmm *vmm = igdpt_device_vmm(st.dev);
	bool placed = igdpt_vmm_placement(vmm) == IGDPT_VMM_PLACED_GUEST_RAM;

	FUZZ_CHECK(pread(st.ram, st.now, RAM_SIZE, 0) == RAM_SIZE);
	if (placed && !was_placed) {
		/* Placed now: only on the firmware's kind of write, only where
		 * the rule allows, exactly the image. */
		FUZZ_CHECK(st.is_1b && complete_asls_write && placement_justified(value));
		FUZZ_CHECK(igdpt_vmm_asls(vmm) == value);
		FUZZ_CHECK(!memcmp(st.now + value, st.image, IMAGE_SIZE));
		memcpy(st.shadow + value, st.image, IMAGE_SIZE);
	} else if (st.is_1b && !was_placed && complete_asls_write) {
		FUZZ_CHECK(!placement_justified(value));
	}
	FUZZ_CHECK(!memcmp(st.now, st.shadow, RAM_SIZE));
	st.placed = placed;
}

static void cfg_write_step(unsigned off, unsigned len, uint32_t value)
{
	bool valid = (len == 1 || len == 2 || len == 4) && off + len <= IGDPT_PCI_CONFIG_SPACE_SIZE;
	bool was_placed = st.placed;
	int ret = igdpt_device_cfg_write(st.dev, IGDPT_FUNCTION_IGD, off, len, value, NULL);

	FUZZ_CHECK(valid ? ret == 0 : ret == -EINVAL);
	if (valid) {
		if (touches(off, len, IGDPT_PCI_ASLS_OFFSET, 4) && !(st.is_1b && was_placed))
			st.asls = (uint32_t)merge(st.asls, IGDPT_PCI_ASLS_OFFSET, 4, off, len, value);
		if (touches(off, len, st.bdsm_reg, st.bdsm_width))
			st.bdsm = merge(st.bdsm, st.bdsm_reg, st.bdsm_width, off, len, value) &
				  ~(uint64_t)(IGDPT_STOLEN_GUEST_ALIGN - 1);
		if (touches(off, len, IGDPT_PCI_SWSCI_OFFSET, 2))
			st.swsci = (uint16_t)merge(st.swsci, IGDPT_PCI_SWSCI_OFFSET, 2, off, len, value) &
				   (uint16_t)~IGDPT_SWSCI_GSSCIE;
	}
	check_ram(was_placed, valid && off == IGDPT_PCI_ASLS_OFFSET && len == 4, value);
}

static void firmware_copy(uint32_t gpa, bool whole)
{
	unsigned n = whole ? IMAGE_SIZE : SIGNATURE_SIZE;

	gpa &= ~(PAGE - 1);
	if (gpa > RAM_SIZE - n)
		return;
	FUZZ_CHECK(pwrite(st.ram, st.image, n, gpa) == (ssize_t)n);
	memcpy(st.shadow + gpa, st.image, n);
}

static void step(const uint8_t *s)
{
	uint32_t value = le32(s + 4);
	unsigned off, len;
	uint64_t v;

	switch (s[0] % 10) {
	case 0:
	case 1: /* any config write */
		off = (s[1] & 0x80) ? (unsigned)((s[1] << 8 | s[2]) % IGDPT_PCI_CONFIG_SPACE_SIZE)
				    : hot_cfg[s[1] % sizeof(hot_cfg) / sizeof(hot_cfg[0])];
		len = cfg_lens[s[3] % sizeof(cfg_lens)];
		cfg_write_step(off, len, value);
		break;
	case 2: /* any config read, on either function */
		off = (s[1] & 0x80) ? (unsigned)((s[1] << 8 | s[2]) % (IGDPT_PCI_CONFIG_SPACE_SIZE + 8))
				    : hot_cfg[s[1] % sizeof(hot_cfg) / sizeof(hot_cfg[0])];
		len = cfg_lens[s[3] % sizeof(cfg_lens)];
		(void)igdpt_device_cfg_read(st.dev, (s[2] & 1) ? IGDPT_FUNCTION_LPC : IGDPT_FUNCTION_IGD,
					    off, len, &value, NULL);
		check_ram(st.placed, false, 0);
		break;
	case 3: /* BAR write, by index and offset */
	case 4: /* BAR read */
		off = (s[2] & 0x80) ? value : hot_bar[s[2] % (sizeof(hot_bar) / sizeof(hot_bar[0]))];
		len = bar_sizes[s[3] % sizeof(bar_sizes)];
		if (s[0] % 10 == 3)
			(void)igdpt_device_bar_write(st.dev, IGDPT_FUNCTION_IGD, s[1] % 7, off, len,
						     (uint64_t)value << 32 | value, NULL);
		else
			(void)igdpt_device_bar_read(st.dev, IGDPT_FUNCTION_IGD, s[1] % 7, off, len, &v,
						    NULL);
		check_ram(st.placed, false, 0);
		break;
	case 5: /* platform reset */
		igdpt_device_reset(st.dev, (s[1] & 1) ? IGDPT_FUNCTION_LPC : IGDPT_FUNCTION_IGD);
		if (!(s[1] & 1)) {
			st.asls = 0;
			st.bdsm = 0;
			st.swsci = 0;
		}
		/* An IGD reset forgets a 1b placement; RAM stays as it is. */
		check_ram(st.placed, false, 0);
		break;
	case 6: /* the firmware copies the image (or its signature) */
		firmware_copy(value % (RAM_SIZE + 4 * PAGE), s[1] & 1);
		break;
	case 7: /* guest RAM goes away or comes back */
		memory(s[1] & 1);
		check_ram(st.placed, false, 0);
		break;
	case 8: /* the firmware's ASLS write, page aligned */
		cfg_write_step(IGDPT_PCI_ASLS_OFFSET, 4, (value % (RAM_SIZE + 4 * PAGE)) & ~(PAGE - 1));
		break;
	default: /* the firmware's BDSM write, one dword */
		cfg_write_step(st.bdsm_reg + ((s[1] & 1) && st.bdsm_width == 8 ? 4 : 0), 4, value);
		break;
	}
	check_registers();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	setup(data[0]);
	check_registers();
	for (size_t i = 1, n = 0; i + STEP_SIZE <= size && n < MAX_STEPS; i += STEP_SIZE, n++)
		step(data + i);
	teardown();
	return 0;
}
