/* SPDX-License-Identifier: MIT */
/* Port I/O callbacks for the core fw_cfg client, with the DMA interface when
 * the device offers it. Under TCG every port access is an exit to QEMU: the
 * 8 KiB+ OpRegion byte by byte through the data port was the largest part
 * of what the virtual IGD added to the boot; one DMA transfer replaces it. */
#include "fw_cfg.h"

#include "igdpt/abi/fw_cfg.h"
#include "io.h"

/* Directory entries one DMA transfer reads through the bounce buffer. */
#define PROBE_FW_CFG_DIR_BATCH 64u
#define PROBE_PHYS_LIMIT 0x100000000ull

/* The descriptor and the directory bounce buffer: static memory, and the
 * probe runs without paging, so its address is its physical address. */
static uint8_t dma_area[IGDPT_FW_CFG_DMA_DESC_SIZE +
		       PROBE_FW_CFG_DIR_BATCH * IGDPT_FW_CFG_DIR_ENTRY_SIZE]
	__attribute__((aligned(16)));

static void write16(void *ctx, uint16_t port, uint16_t value)
{
	(void)ctx;
	probe_outw(port, value);
}

/* The compiler barriers keep the descriptor stores before the write that
 * starts a transfer, and the reads of what QEMU wrote after it. */
static void write32(void *ctx, uint16_t port, uint32_t value)
{
	(void)ctx;
	__asm__ volatile("" : : : "memory");
	probe_outl(port, value);
	__asm__ volatile("" : : : "memory");
}

static uint8_t read8(void *ctx, uint16_t port)
{
	(void)ctx;
	return probe_inb(port);
}

/* No paging: linear = physical. The client writes a 64-bit address, but
 * nothing here lies at or above 4 GiB; refuse it anyway rather than wrap. */
static uint64_t dma_address(void *ctx, const void *p, size_t len)
{
	uint64_t addr = (uint64_t)(uintptr_t)p;

	(void)ctx;
	if (addr >= PROBE_PHYS_LIMIT || len > PROBE_PHYS_LIMIT - addr)
		return IGDPT_FW_CFG_NO_DMA;
	return addr;
}

static const struct igdpt_fw_cfg_io probe_fw_cfg_io = {
	.write16 = write16,
	.write32 = write32,
	.read8 = read8,
	.dma_address = dma_address,
	.ctx = 0,
};

bool probe_fw_cfg_open(struct igdpt_fw_cfg *fc)
{
	return igdpt_fw_cfg_init(fc, &probe_fw_cfg_io, dma_area, sizeof(dma_area), true, 0) == 0;
}
