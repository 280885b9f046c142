/* SPDX-License-Identifier: MIT */
/* Port I/O callbacks for the core fw_cfg client. PIO only: 8 KiB to 76 KiB
 * read once per boot does not need DMA, and PIO needs no memory the device
 * must reach. */
#include "fw_cfg.h"

#include "io.h"

static void write16(void *ctx, uint16_t port, uint16_t value)
{
	(void)ctx;
	probe_outw(port, value);
}

static void write32(void *ctx, uint16_t port, uint32_t value)
{
	(void)ctx;
	probe_outl(port, value);
}

static uint8_t read8(void *ctx, uint16_t port)
{
	(void)ctx;
	return probe_inb(port);
}

static const struct igdpt_fw_cfg_io probe_fw_cfg_io = {
	.write16 = write16,
	.write32 = write32,
	.read8 = read8,
	.dma_address = 0,
	.ctx = 0,
};

bool probe_fw_cfg_open(struct igdpt_fw_cfg *fc)
{
	return igdpt_fw_cfg_init(fc, &probe_fw_cfg_io, 0, 0, false, 0) == 0;
}
