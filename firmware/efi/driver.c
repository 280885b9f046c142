/* SPDX-License-Identifier: MIT */
/* igdpt-efi.efi: the firmware half of OpRegion assignment that stock OVMF
 * lacks. Run as \EFI\BOOT\BOOTX64.EFI, before the OS loader: it places the
 * fw_cfg OpRegion (and stolen memory) for every Intel IGD, writes ASLS and
 * BDSM, logs what it did on ConOut and the QEMU debug port, and then loads
 * and starts the next stage, \EFI\igdpt\next.efi on the same volume (the OS
 * loader, or igdpt-efi-check.efi in tests). It never stops the boot: every
 * refusal leaves the registers alone and says why. */
#include "efi_platform.h"

#include "igdpt/core/diag.h"
#include "igdpt/core/errno.h"

#ifndef IGDPT_VERSION
#define IGDPT_VERSION "unknown"
#endif

#define NEXT_STAGE L"\\EFI\\igdpt\\next.efi"
#define DMA_AREA_PAGES 1u

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

static void chain_load(EFI_HANDLE image)
{
	EFI_LOADED_IMAGE *loaded = NULL;
	EFI_DEVICE_PATH *path;
	EFI_HANDLE next = NULL;
	EFI_STATUS st;

	if (EFI_ERROR(BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&loaded)) ||
	    !loaded->DeviceHandle) {
		igdpt_efi_log(NULL, "igdpt-efi: cannot find the volume it was loaded from: no next stage");
		return;
	}
	path = FileDevicePath(loaded->DeviceHandle, NEXT_STAGE);
	if (!path) {
		igdpt_efi_log(NULL, "igdpt-efi: out of memory building the next stage's path");
		return;
	}
	st = BS->LoadImage(FALSE, image, path, NULL, 0, &next);
	FreePool(path);
	if (EFI_ERROR(st)) {
		igdpt_efi_log(NULL, st == EFI_NOT_FOUND
				       ? "igdpt-efi: no \\EFI\\igdpt\\next.efi on this volume: returning to the boot manager"
				       : "igdpt-efi: \\EFI\\igdpt\\next.efi would not load: returning to the boot manager");
		return;
	}
	igdpt_efi_log(NULL, "igdpt-efi: starting \\EFI\\igdpt\\next.efi");
	BS->StartImage(next, NULL, NULL);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct igdpt_efi_igd igds[IGDPT_EFI_MAX_IGDS];
	struct igdpt_fw_cfg fc;
	struct igdpt_diag diag = { 0 };
	uint64_t dma_area;
	size_t n;

	InitializeLib(image, systab);
	igdpt_efi_log(NULL, "igdpt-efi " IGDPT_VERSION ": placing Intel IGD OpRegions from fw_cfg");

	/* DMA needs memory the device reaches by physical address; without it
	 * the client reads through the data port. */
	dma_area = igdpt_efi_scratch_alloc(DMA_AREA_PAGES);
	if (igdpt_fw_cfg_init(&fc, &igdpt_efi_fw_cfg_io, (uint8_t *)(uintptr_t)dma_area,
			      dma_area ? DMA_AREA_PAGES * EFI_PAGE_SIZE : 0, true, &diag) < 0)
		igdpt_efi_log(NULL, "igdpt-efi: no fw_cfg device (key 0x0000 is not \"QEMU\")");

	n = igdpt_efi_find_igds(igds, IGDPT_EFI_MAX_IGDS);
	if (!n)
		igdpt_efi_log(NULL, "igdpt-efi: no Intel display controller (8086, class 0x0300 or "
				    "0x0380) found: nothing to do");
	for (size_t i = 0; i < n; i++) {
		struct igdpt_efi_setup_result r;

		igdpt_efi_setup_igd(&igdpt_efi_platform, &fc, &igds[i], &r);
	}
	igdpt_efi_scratch_free(dma_area, DMA_AREA_PAGES);
	chain_load(image);
	return EFI_SUCCESS;
}
