/* SPDX-License-Identifier: MIT */
/* UEFI implementation of the platform seam: PciIo for config space,
 * AllocatePages below 4 GiB, GetMemoryMap, ConOut plus the QEMU debug port
 * for logs, and x86 port I/O for fw_cfg (whose DMA needs physical
 * addresses: UEFI identity-maps memory, so a pointer below 4 GiB is one). */
#include "efi_platform.h"

#include "igdpt/abi/guest.h"
#include "igdpt/core/errno.h"

#include "../common/portio.h"

#define DEBUGCON_PORT 0x402u
#define COM1_PORT 0x3F8u
#define COM1_LSR (COM1_PORT + 5u)
#define COM1_LSR_THRE (1u << 5)
#define COM1_POLL_LIMIT 100000u
#define LOG_LINE_MAX 256u
#define BELOW_4G_MAX 0xFFFFFFFFull
#define PCI_ID_OFFSET 0x00u
#define PCI_CLASS_REVISION_OFFSET 0x08u
#define PCI_CLASS_SHIFT 16u /* base class and subclass in bits 31:16 */
#define PCI_VENDOR_MASK 0xFFFFu
#define PCI_DEVICE_SHIFT 16u
#define MEMMAP_RETRIES 4u

void igdpt_efi_outb(uint16_t port, uint8_t value)
{
	portio_outb(port, value);
}

/* ---- logging ---- */

static void debugcon(const char *s)
{
	while (*s)
		portio_outb(DEBUGCON_PORT, (uint8_t)*s++);
}

static void com1(const char *s)
{
	for (; *s; s++) {
		for (unsigned i = 0; i < COM1_POLL_LIMIT && !(portio_inb(COM1_LSR) & COM1_LSR_THRE); i++)
			;
		portio_outb(COM1_PORT, (uint8_t)*s);
	}
}

void igdpt_efi_log(void *ctx, const char *line)
{
	CHAR16 wide[LOG_LINE_MAX + 3];
	size_t n = 0;

	(void)ctx;
	debugcon(line);
	debugcon("\n");
	while (line[n] && n < LOG_LINE_MAX) {
		wide[n] = (CHAR16)(uint8_t)line[n];
		n++;
	}
	wide[n++] = L'\r';
	wide[n++] = L'\n';
	wide[n] = 0;
	if (ST && ST->ConOut)
		ST->ConOut->OutputString(ST->ConOut, wide);
}

void igdpt_efi_raw(const char *text)
{
	com1(text);
	debugcon(text);
}

/* ---- PCI ---- */

static int pci_read32(void *ctx, const struct igdpt_efi_igd *igd, uint16_t offset, uint32_t *value)
{
	EFI_PCI_IO_PROTOCOL *pci = igd->handle;
	UINT32 v = 0;

	(void)ctx;
	if (EFI_ERROR(pci->Pci.Read(pci, EfiPciIoWidthUint32, offset, 1, &v)))
		return -IGDPT_EIO;
	*value = v;
	return 0;
}

static int pci_write32(void *ctx, const struct igdpt_efi_igd *igd, uint16_t offset, uint32_t value)
{
	EFI_PCI_IO_PROTOCOL *pci = igd->handle;
	UINT32 v = value;

	(void)ctx;
	return EFI_ERROR(pci->Pci.Write(pci, EfiPciIoWidthUint32, offset, 1, &v)) ? -IGDPT_EIO : 0;
}

bool igdpt_efi_igd_from_pci_io(void *pci_io, struct igdpt_efi_igd *igd)
{
	EFI_PCI_IO_PROTOCOL *pci = pci_io;
	UINTN seg, bus, dev, fn;
	uint32_t id, class_rev;

	*igd = (struct igdpt_efi_igd){ .handle = pci };
	if (pci_read32(NULL, igd, PCI_ID_OFFSET, &id) < 0 ||
	    pci_read32(NULL, igd, PCI_CLASS_REVISION_OFFSET, &class_rev) < 0)
		return false;
	igd->vendor = (uint16_t)(id & PCI_VENDOR_MASK);
	igd->device_id = (uint16_t)(id >> PCI_DEVICE_SHIFT);
	igd->class_code = (uint16_t)(class_rev >> PCI_CLASS_SHIFT);
	if (!igdpt_efi_is_igd(igd->vendor, igd->class_code))
		return false;
	if (EFI_ERROR(pci->GetLocation(pci, &seg, &bus, &dev, &fn)))
		return false;
	igd->seg = (unsigned)seg;
	igd->bus = (unsigned)bus;
	igd->dev = (unsigned)dev;
	igd->fn = (unsigned)fn;
	return true;
}

size_t igdpt_efi_find_igds(struct igdpt_efi_igd *igds, size_t max)
{
	EFI_HANDLE *handles = NULL;
	UINTN nhandles = 0;
	size_t found = 0;

	if (EFI_ERROR(BS->LocateHandleBuffer(ByProtocol, &PciIoProtocol, NULL, &nhandles, &handles)))
		return 0;
	for (UINTN i = 0; i < nhandles && found < max; i++) {
		EFI_PCI_IO_PROTOCOL *pci;

		if (EFI_ERROR(BS->HandleProtocol(handles[i], &PciIoProtocol, (void **)&pci)))
			continue;
		if (igdpt_efi_igd_from_pci_io(pci, &igds[found]))
			found++;
	}
	FreePool(handles);
	return found;
}

/* ---- memory ---- */

static int alloc_pages(void *ctx, enum igdpt_efi_mem type, uint64_t pages, uint64_t *base)
{
	EFI_PHYSICAL_ADDRESS addr = BELOW_4G_MAX;
	EFI_MEMORY_TYPE t = type == IGDPT_EFI_MEM_ACPI_NVS ? EfiACPIMemoryNVS : EfiReservedMemoryType;

	(void)ctx;
	if (EFI_ERROR(BS->AllocatePages(AllocateMaxAddress, t, pages, &addr)))
		return -IGDPT_ENOMEM;
	*base = addr;
	return 0;
}

static void free_pages(void *ctx, uint64_t base, uint64_t pages)
{
	(void)ctx;
	BS->FreePages(base, pages);
}

static uint8_t *map(void *ctx, uint64_t base, uint64_t len)
{
	(void)ctx;
	(void)len;
	return (uint8_t *)(uintptr_t)base;
}

uint64_t igdpt_efi_scratch_alloc(uint64_t pages)
{
	EFI_PHYSICAL_ADDRESS addr = BELOW_4G_MAX;

	if (EFI_ERROR(BS->AllocatePages(AllocateMaxAddress, EfiBootServicesData, pages, &addr)))
		return 0;
	return addr;
}

void igdpt_efi_scratch_free(uint64_t base, uint64_t pages)
{
	if (base)
		BS->FreePages(base, pages);
}

EFI_MEMORY_DESCRIPTOR *igdpt_efi_memmap_get(UINTN *count, UINTN *desc_size)
{
	UINTN size = 0, key;
	UINT32 version;
	EFI_MEMORY_DESCRIPTOR *map = NULL;

	for (unsigned i = 0; i < MEMMAP_RETRIES; i++) {
		EFI_STATUS st = BS->GetMemoryMap(&size, map, &key, desc_size, &version);

		if (!EFI_ERROR(st)) {
			*count = size / *desc_size;
			return map;
		}
		if (map)
			FreePool(map);
		map = NULL;
		if (st != EFI_BUFFER_TOO_SMALL)
			return NULL;
		/* Allocating the buffer may split a descriptor: leave room. */
		size += 4 * *desc_size;
		map = AllocatePool(size);
		if (!map)
			return NULL;
	}
	if (map)
		FreePool(map);
	return NULL;
}

static const EFI_MEMORY_DESCRIPTOR *desc_at(const EFI_MEMORY_DESCRIPTOR *map, UINTN desc_size,
					    UINTN i)
{
	return (const EFI_MEMORY_DESCRIPTOR *)((const uint8_t *)map + i * desc_size);
}

int igdpt_efi_memmap_range_type(const EFI_MEMORY_DESCRIPTOR *map, UINTN count, UINTN desc_size,
				uint64_t base, uint64_t len)
{
	uint64_t cur = base, end = base + len;
	int type = -1;

	if (!len || end < base)
		return -1;
	while (cur < end) {
		const EFI_MEMORY_DESCRIPTOR *hit = NULL;

		for (UINTN i = 0; i < count; i++) {
			const EFI_MEMORY_DESCRIPTOR *d = desc_at(map, desc_size, i);
			uint64_t d_end = d->PhysicalStart + d->NumberOfPages * EFI_PAGE_SIZE;

			if (cur >= d->PhysicalStart && cur < d_end) {
				hit = d;
				break;
			}
		}
		if (!hit || (type >= 0 && (int)hit->Type != type))
			return -1;
		type = (int)hit->Type;
		cur = hit->PhysicalStart + hit->NumberOfPages * EFI_PAGE_SIZE;
	}
	return type;
}

uint32_t igdpt_efi_e820_type(UINT32 efi_type)
{
	switch (efi_type) {
	case EfiLoaderCode:
	case EfiLoaderData:
	case EfiBootServicesCode:
	case EfiBootServicesData:
	case EfiConventionalMemory:
		return IGDPT_E820_RAM;
	case EfiACPIReclaimMemory:
		return IGDPT_E820_ACPI;
	case EfiACPIMemoryNVS:
		return IGDPT_E820_NVS;
	case EfiReservedMemoryType:
	case EfiRuntimeServicesCode:
	case EfiRuntimeServicesData:
	case EfiPalCode:
		return IGDPT_E820_RESERVED;
	default: /* unusable, MMIO, persistent: never a home for an OpRegion */
		return IGDPT_PROBE_MEMMAP_UNKNOWN;
	}
}

static uint32_t memmap_type(void *ctx, uint64_t base, uint64_t len)
{
	UINTN count, desc_size;
	EFI_MEMORY_DESCRIPTOR *map = igdpt_efi_memmap_get(&count, &desc_size);
	int type;

	(void)ctx;
	if (!map)
		return IGDPT_PROBE_MEMMAP_UNKNOWN;
	type = igdpt_efi_memmap_range_type(map, count, desc_size, base, len);
	FreePool(map);
	return type < 0 ? IGDPT_PROBE_MEMMAP_UNKNOWN : igdpt_efi_e820_type((UINT32)type);
}

const struct igdpt_efi_platform igdpt_efi_platform = {
	.pci_read32 = pci_read32,
	.pci_write32 = pci_write32,
	.alloc_pages = alloc_pages,
	.free_pages = free_pages,
	.map = map,
	.memmap_type = memmap_type,
	.log = igdpt_efi_log,
	.ctx = NULL,
};

/* ---- fw_cfg port I/O ---- */

static void fw_write16(void *ctx, uint16_t port, uint16_t value)
{
	(void)ctx;
	portio_outw(port, value);
}

static void fw_write32(void *ctx, uint16_t port, uint32_t value)
{
	(void)ctx;
	portio_outl(port, value);
}

static uint8_t fw_read8(void *ctx, uint16_t port)
{
	(void)ctx;
	return portio_inb(port);
}

static uint64_t fw_dma_address(void *ctx, const void *p, size_t len)
{
	uint64_t addr = (uint64_t)(uintptr_t)p;

	(void)ctx;
	/* Identity-mapped; below 4 GiB keeps the descriptor's high half 0. */
	if (addr > BELOW_4G_MAX || len > BELOW_4G_MAX + 1 - addr)
		return IGDPT_FW_CFG_NO_DMA;
	return addr;
}

const struct igdpt_fw_cfg_io igdpt_efi_fw_cfg_io = {
	.write16 = fw_write16,
	.write32 = fw_write32,
	.read8 = fw_read8,
	.dma_address = fw_dma_address,
	.ctx = NULL,
};
