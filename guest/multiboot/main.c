/* SPDX-License-Identifier: MIT */
/* igdpt-probe.elf: gathers what a guest driver would see (the IGD's ASLS and
 * BDSM, the firmware memory map, the fw_cfg files the VMM published), runs
 * the shared check (lib/core/probe.c) and reports one line on COM1:
 * `IGDPT-PROBE {json}`. Then it leaves through isa-debug-exit with 0 pass,
 * 1 fail, 2 no-opregion (QEMU exits with status 1, 3, 5).
 *
 * Guest memory is read directly: multiboot leaves paging off, so physical
 * addresses below 4 GiB are identity-accessible, and the check only asks
 * for ranges the memory map calls reserved or ACPI NVS.
 *
 * BDSM: both registers are read and igdpt_probe_pick_bdsm() judges the one
 * the IGD's generation uses (0x5C up to gen 10, 0xC0 from gen 11).
 *
 * The PCI ROM: as Linux would map it for i915 (rom.c), the VBT's last
 * resort when the OpRegion holds none.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw_cfg.h"
#include "igdpt/abi/guest.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/probe.h"
#include "io.h"
#include "multiboot.h"
#include "pci.h"
#include "rom.h"
#include "serial.h"

#define ISA_DEBUG_EXIT_PORT 0xF4u
#define PROBE_MEMMAP_MAX 128u
#define PROBE_JSON_MAX 2048u
#define PROBE_PHYS_LIMIT 0x100000000ull
#define PCI_DWORD_SHIFT 32u
#define PCI_DWORD_BYTES 4u

void probe_main(uint32_t magic, const uint8_t *info);

/* Static: the stack is small, and nothing here is re-entered. */
static uint8_t scratch[IGDPT_PROBE_SCRATCH_SIZE];
static uint8_t fw_image[IGDPT_PROBE_IMAGE_MAX];
static struct igdpt_probe_memmap_entry memmap[PROBE_MEMMAP_MAX];
static char json[PROBE_JSON_MAX];

static int read_phys(void *ctx, uint64_t gpa, uint8_t *buf, size_t len)
{
	(void)ctx;
	if (gpa >= PROBE_PHYS_LIMIT || len > PROBE_PHYS_LIMIT - gpa)
		return -IGDPT_ERANGE;
	igdpt_bytes_copy(buf, (const uint8_t *)(uintptr_t)gpa, len);
	return 0;
}

static void read_fw_cfg(struct igdpt_probe_input *in)
{
	struct igdpt_fw_cfg fc;
	struct igdpt_fw_cfg_file file;
	uint8_t bdsm_size[IGDPT_FW_CFG_BDSM_SIZE_FILE_SIZE];

	if (!probe_fw_cfg_open(&fc))
		return;
	if (igdpt_fw_cfg_find(&fc, IGDPT_FW_CFG_OPREGION_FILE, &file, 0) == 0) {
		in->has_fw_cfg = true;
		in->fw_cfg_size = file.size;
		/* Too large to hold: the check reports it instead of comparing. */
		if (file.size <= sizeof(fw_image) &&
		    igdpt_fw_cfg_read(&fc, file.key, fw_image, file.size, 0) == 0)
			in->fw_cfg_image = fw_image;
	}
	if (igdpt_fw_cfg_find(&fc, IGDPT_FW_CFG_BDSM_SIZE_FILE, &file, 0) == 0 &&
	    file.size == sizeof(bdsm_size) &&
	    igdpt_fw_cfg_read(&fc, file.key, bdsm_size, sizeof(bdsm_size), 0) == 0) {
		in->has_bdsm_request = true;
		in->bdsm_requested = igdpt_le64(bdsm_size);
	}
}

static void read_igd(struct igdpt_probe_input *in, const struct probe_pci_fn *f)
{
	uint64_t bdsm64 = pci_read32(f->bus, f->dev, f->fn, IGDPT_PCI_BDSM64_OFFSET) |
			  ((uint64_t)pci_read32(f->bus, f->dev, f->fn, IGDPT_PCI_BDSM64_OFFSET + PCI_DWORD_BYTES)
			   << PCI_DWORD_SHIFT);
	uint32_t bdsm32 = pci_read32(f->bus, f->dev, f->fn, IGDPT_PCI_BDSM_OFFSET);

	in->igd_found = true;
	in->bus = f->bus;
	in->dev = f->dev;
	in->fn = f->fn;
	in->vendor = f->vendor;
	in->device_id = f->device_id;
	in->class_code = f->class_code;
	in->asls = pci_read32(f->bus, f->dev, f->fn, IGDPT_PCI_ASLS_OFFSET);
	igdpt_probe_pick_bdsm(in, bdsm32, bdsm64);
}

static void print_memmap(size_t count)
{
	for (size_t i = 0; i < count; i++) {
		serial_puts("igdpt-probe: memory map ");
		serial_put_hex(memmap[i].start);
		serial_puts(" +");
		serial_put_hex(memmap[i].length);
		serial_puts(" type ");
		serial_put_hex(memmap[i].type);
		serial_puts("\n");
	}
}

void probe_main(uint32_t magic, const uint8_t *info)
{
	struct igdpt_probe_input in = {
		.probe = "multiboot",
		.read = read_phys,
		.scratch = scratch,
		.scratch_size = sizeof(scratch),
		.memmap = memmap,
	};
	struct igdpt_probe_verdict v;
	struct probe_pci_fn igd;
	int result;

	serial_init();
	serial_puts("\n"); /* the firmware may have left a partial line */
	/* Without a multiboot loader there is no memory map: every address is
	 * then refused, which is the safe outcome. */
	if (magic == MULTIBOOT_LOADER_MAGIC)
		in.memmap_count = multiboot_memmap(info, memmap, PROBE_MEMMAP_MAX);
	else
		serial_puts("igdpt-probe: not started by a multiboot loader: no memory map\n");
	print_memmap(in.memmap_count);
	if (pci_find_igd(&igd)) {
		read_igd(&in, &igd);
		probe_read_rom(&in, &igd);
	}
	read_fw_cfg(&in);

	result = igdpt_probe_check(&in, &v);
	if (igdpt_probe_json(&v, json, sizeof(json), NULL) < 0) {
		/* Cannot happen with the fixed field set; still say so. */
		result = IGDPT_PROBE_FAIL;
		serial_puts("IGDPT-PROBE {\"probe\":\"multiboot\",\"verdict\":\"fail\","
			    "\"reason\":\"verdict too long for the probe's buffer\"}\n");
	} else {
		serial_puts("IGDPT-PROBE ");
		serial_puts(json);
		serial_puts("\n");
	}
	probe_outb(ISA_DEBUG_EXIT_PORT, (uint8_t)result);
}
