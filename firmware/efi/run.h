/* SPDX-License-Identifier: MIT */
/* One placement pass, shared by both ways the driver runs: the boot-volume
 * application (driver.c) and the option ROM driver (rom_driver.c). A pass
 * opens fw_cfg (DMA when it can), places the OpRegion and stolen memory of
 * each IGD given through setup.c, and frees what it borrowed. */
#ifndef IGDPT_EFI_RUN_H
#define IGDPT_EFI_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/fw_cfg.h"
#include "setup.h"

struct igdpt_efi_run {
	struct igdpt_fw_cfg fc;
	uint64_t dma_area; /* one page below 4 GiB for fw_cfg DMA, 0 without */
};

/* Opens fw_cfg; logs when there is none (each IGD then says why it stays
 * without an OpRegion). */
void igdpt_efi_run_begin(struct igdpt_efi_run *run);
/* igdpt_efi_setup_igd() for one IGD; its outcome is in the log. */
void igdpt_efi_run_igd(struct igdpt_efi_run *run, const struct igdpt_efi_igd *igd);
/* Every IGD PciIo knows now; returns how many there were (0 is logged). */
size_t igdpt_efi_run_all(struct igdpt_efi_run *run);
void igdpt_efi_run_end(struct igdpt_efi_run *run);

#endif
