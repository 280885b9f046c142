/* SPDX-License-Identifier: MIT */
/* A placement pass: fw_cfg open, setup.c per IGD, fw_cfg's DMA page freed. */
#include "run.h"

#include "efi_platform.h"

#define DMA_AREA_PAGES 1u

void igdpt_efi_run_begin(struct igdpt_efi_run *run)
{
	struct igdpt_diag diag = { 0 };

	/* DMA needs memory the device reaches by physical address; without it
	 * the client reads through the data port. */
	run->dma_area = igdpt_efi_scratch_alloc(DMA_AREA_PAGES);
	if (igdpt_fw_cfg_init(&run->fc, &igdpt_efi_fw_cfg_io, (uint8_t *)(uintptr_t)run->dma_area,
			      run->dma_area ? DMA_AREA_PAGES * EFI_PAGE_SIZE : 0, true, &diag) < 0)
		igdpt_efi_log(NULL, "igdpt-efi: no fw_cfg device (key 0x0000 is not \"QEMU\")");
}

void igdpt_efi_run_igd(struct igdpt_efi_run *run, const struct igdpt_efi_igd *igd)
{
	struct igdpt_efi_setup_result r;

	igdpt_efi_setup_igd(&igdpt_efi_platform, &run->fc, igd, &r);
}

size_t igdpt_efi_run_all(struct igdpt_efi_run *run)
{
	struct igdpt_efi_igd igds[IGDPT_EFI_MAX_IGDS];
	size_t n = igdpt_efi_find_igds(igds, IGDPT_EFI_MAX_IGDS);

	if (!n)
		igdpt_efi_log(NULL, "igdpt-efi: no Intel display controller (8086, class 0x0300 or "
				    "0x0380) found: nothing to do");
	for (size_t i = 0; i < n; i++)
		igdpt_efi_run_igd(run, &igds[i]);
	return n;
}

void igdpt_efi_run_end(struct igdpt_efi_run *run)
{
	igdpt_efi_scratch_free(run->dma_area, DMA_AREA_PAGES);
	run->dma_area = 0;
}
