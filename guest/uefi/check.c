/* SPDX-License-Identifier: MIT */
/* igdpt-efi-check.efi: the UEFI-side verdict. Gathers what a guest driver
 * would see (the IGD's ASLS and BDSM, the UEFI memory map, fw_cfg's files),
 * runs the probe check shared with the multiboot probe (lib/core/probe.c)
 * and adds the UEFI rules igdpt's driver promises: the OpRegion range is
 * EfiACPIMemoryNVS and the stolen range EfiReservedMemoryType. Prints one
 * line `IGDPT-PROBE {json}` ("probe":"uefi") on COM1 and the debug port,
 * leaves through isa-debug-exit like the multiboot probe (0 pass, 1 fail,
 * 2 no-opregion), and powers off if that device is absent.
 *
 * The PCI ROM, i915's fallback when the OpRegion holds no VBT, is judged as
 * Linux would map it once this firmware hands over: the legacy shadow at
 * 0xC0000 for the boot VGA device with decoding on (OVMF runs no video BIOS
 * there, so i915 finds none), else the ROM OVMF's PCI bus driver read from
 * the ROM BAR (EFI_PCI_IO_PROTOCOL.RomImage). */
#include "efi_platform.h"

#include "igdpt/abi/guest.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/abi/pci.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/placement.h"
#include "igdpt/core/probe.h"

#define ISA_DEBUG_EXIT_PORT 0xF4u
#define CHECK_MEMMAP_MAX 256u
#define CHECK_JSON_MAX 2048u
#define DWORD_BYTES 4u
#define DWORD_SHIFT 32u
#define PHYS_LIMIT 0x100000000ull

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

/* Everything large lives in one below-4 GiB allocation (also the fw_cfg
 * DMA area), not in .data: the PE image stays small. */
struct check_scratch {
	uint8_t dma[EFI_PAGE_SIZE];
	uint8_t probe[IGDPT_PROBE_SCRATCH_SIZE];
	uint8_t fw_image[IGDPT_PROBE_IMAGE_MAX];
	struct igdpt_probe_memmap_entry memmap[CHECK_MEMMAP_MAX];
	char json[CHECK_JSON_MAX];
};

static int read_phys(void *ctx, uint64_t gpa, uint8_t *buf, size_t len)
{
	(void)ctx;
	if (gpa >= PHYS_LIMIT || len > PHYS_LIMIT - gpa)
		return -IGDPT_ERANGE;
	igdpt_bytes_copy(buf, (const uint8_t *)(uintptr_t)gpa, len);
	return 0;
}

static void read_fw_cfg(struct check_scratch *s, struct igdpt_probe_input *in)
{
	struct igdpt_fw_cfg fc;
	struct igdpt_fw_cfg_file file;
	uint8_t le[IGDPT_FW_CFG_BDSM_SIZE_FILE_SIZE];

	if (igdpt_fw_cfg_init(&fc, &igdpt_efi_fw_cfg_io, s->dma, sizeof(s->dma), true, NULL) < 0)
		return;
	if (igdpt_fw_cfg_find(&fc, IGDPT_FW_CFG_OPREGION_FILE, &file, NULL) == 0) {
		in->has_fw_cfg = true;
		in->fw_cfg_size = file.size;
		/* Too large to hold: the check reports it instead of comparing. */
		if (file.size <= sizeof(s->fw_image) &&
		    igdpt_fw_cfg_read(&fc, file.key, s->fw_image, file.size, NULL) == 0)
			in->fw_cfg_image = s->fw_image;
	}
	if (igdpt_fw_cfg_find(&fc, IGDPT_FW_CFG_BDSM_SIZE_FILE, &file, NULL) == 0 &&
	    file.size == sizeof(le) && igdpt_fw_cfg_read(&fc, file.key, le, sizeof(le), NULL) == 0) {
		in->has_bdsm_request = true;
		in->bdsm_requested = igdpt_le64(le);
	}
}

static uint32_t cfg32(const struct igdpt_efi_igd *igd, uint16_t offset)
{
	uint32_t v = 0;

	igdpt_efi_platform.pci_read32(NULL, igd, offset, &v);
	return v;
}

static void read_igd(struct igdpt_probe_input *in, const struct igdpt_efi_igd *igd)
{
	in->igd_found = true;
	in->bus = (uint8_t)igd->bus;
	in->dev = (uint8_t)igd->dev;
	in->fn = (uint8_t)igd->fn;
	in->vendor = igd->vendor;
	in->device_id = igd->device_id;
	in->class_code = igd->class_code;
	in->asls = cfg32(igd, IGDPT_PCI_ASLS_OFFSET);
	igdpt_probe_pick_bdsm(in, cfg32(igd, IGDPT_PCI_BDSM_OFFSET),
			      cfg32(igd, IGDPT_PCI_BDSM64_OFFSET) |
				      (uint64_t)cfg32(igd, IGDPT_PCI_BDSM64_OFFSET + DWORD_BYTES)
					      << DWORD_SHIFT);
}

static void read_rom(struct igdpt_probe_input *in, const struct igdpt_efi_igd *igd)
{
	EFI_PCI_IO_PROTOCOL *pci = igd->handle;
	uint16_t command = (uint16_t)cfg32(igd, IGDPT_PCI_COMMAND_OFFSET);

	in->rom_read = true;
	if (igdpt_probe_rom_is_shadow(igd->class_code, command)) {
		in->rom = (const uint8_t *)(uintptr_t)IGDPT_PROBE_ROM_SHADOW_BASE;
		in->rom_size = IGDPT_PROBE_ROM_SHADOW_SIZE;
		in->rom_from = "shadow at 0xc0000";
		return;
	}
	in->rom = pci->RomImage;
	in->rom_size = pci->RomImage ? (size_t)pci->RomSize : 0;
	in->rom_from = "PciIo RomImage";
}

static size_t convert_memmap(struct check_scratch *s, const EFI_MEMORY_DESCRIPTOR *map,
			     UINTN count, UINTN desc_size)
{
	size_t n = 0;

	for (UINTN i = 0; i < count && n < CHECK_MEMMAP_MAX; i++) {
		const EFI_MEMORY_DESCRIPTOR *d =
			(const EFI_MEMORY_DESCRIPTOR *)((const uint8_t *)map + i * desc_size);

		s->memmap[n].start = d->PhysicalStart;
		s->memmap[n].length = d->NumberOfPages * EFI_PAGE_SIZE;
		s->memmap[n].type = igdpt_efi_e820_type(d->Type);
		n++;
	}
	return n;
}

/* The UEFI memory types igdpt's driver promises, beyond the shared check's
 * "reserved or ACPI NVS". */
static void check_uefi_types(struct igdpt_probe_verdict *v, const EFI_MEMORY_DESCRIPTOR *map,
			     UINTN count, UINTN desc_size)
{
	uint64_t len;

	if (v->result != IGDPT_PROBE_PASS)
		return;
	len = v->has_fw_cfg && v->fw_cfg_size ? v->fw_cfg_size : IGDPT_OPREGION_BASE_SIZE;
	if (igdpt_efi_memmap_range_type(map, count, desc_size, v->asls, len) != EfiACPIMemoryNVS) {
		v->result = IGDPT_PROBE_FAIL;
		v->reason = "OpRegion at %x is not EfiACPIMemoryNVS in the UEFI memory map";
		v->reason_arg = IGDPT_PROBE_ARG_VALUE;
		v->reason_value = v->asls;
		return;
	}
	if (v->has_bdsm && v->bdsm_requested &&
	    igdpt_efi_memmap_range_type(map, count, desc_size,
					v->bdsm_value & ~(uint64_t)IGDPT_BDSM_LOCK,
					v->bdsm_requested) != EfiReservedMemoryType) {
		v->result = IGDPT_PROBE_FAIL;
		v->reason = "stolen memory at %x is not EfiReservedMemoryType in the UEFI memory map";
		v->reason_arg = IGDPT_PROBE_ARG_VALUE;
		v->reason_value = v->bdsm_value;
	}
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct igdpt_efi_igd igds[IGDPT_EFI_MAX_IGDS];
	struct igdpt_probe_input in = { .probe = "uefi", .read = read_phys };
	struct igdpt_probe_verdict v;
	EFI_MEMORY_DESCRIPTOR *map = NULL;
	UINTN count = 0, desc_size = 0;
	uint64_t pages = igdpt_placement_pages(sizeof(struct check_scratch));
	struct check_scratch *s;
	size_t n, pick = 0;
	int result = IGDPT_PROBE_FAIL;

	InitializeLib(image, systab);
	s = (struct check_scratch *)(uintptr_t)igdpt_efi_scratch_alloc(pages);
	if (!s) {
		igdpt_efi_raw("\nIGDPT-PROBE {\"probe\":\"uefi\",\"verdict\":\"fail\","
			      "\"reason\":\"cannot allocate the check's scratch memory\"}\n");
		goto exit;
	}
	in.scratch = s->probe;
	in.scratch_size = sizeof(s->probe);
	in.memmap = s->memmap;

	n = igdpt_efi_find_igds(igds, IGDPT_EFI_MAX_IGDS);
	/* The IGD at 00:02.0 when there are several, as i915 expects it. */
	for (size_t i = 0; i < n; i++)
		if (!igds[i].bus && igds[i].dev == IGDPT_IGD_DEVFN_DEVICE && !igds[i].fn)
			pick = i;
	if (n) {
		read_igd(&in, &igds[pick]);
		read_rom(&in, &igds[pick]);
	}
	read_fw_cfg(s, &in);
	/* The map last: nothing allocates between it and the check. */
	map = igdpt_efi_memmap_get(&count, &desc_size);
	if (map)
		in.memmap_count = convert_memmap(s, map, count, desc_size);
	else
		igdpt_efi_log(NULL, "igdpt-efi-check: GetMemoryMap failed: every address is refused");

	result = igdpt_probe_check(&in, &v);
	if (result >= 0 && map) {
		check_uefi_types(&v, map, count, desc_size);
		result = (int)v.result;
	}
	if (result < 0 || igdpt_probe_json(&v, s->json, sizeof(s->json), NULL) < 0) {
		result = IGDPT_PROBE_FAIL;
		igdpt_efi_raw("\nIGDPT-PROBE {\"probe\":\"uefi\",\"verdict\":\"fail\","
			      "\"reason\":\"verdict too long for the check's buffer\"}\n");
	} else {
		igdpt_efi_log(NULL, "igdpt-efi-check: verdict follows on COM1 and the debug port");
		igdpt_efi_raw("\nIGDPT-PROBE ");
		igdpt_efi_raw(s->json);
		igdpt_efi_raw("\n");
	}
	if (map)
		FreePool(map);
exit:
	/* isa-debug-exit ends QEMU with (result << 1) | 1; without that
	 * device the write is ignored and the machine powers off instead. */
	igdpt_efi_outb(ISA_DEBUG_EXIT_PORT, (uint8_t)result);
	RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	return EFI_SUCCESS;
}
