/* SPDX-License-Identifier: MIT */
/* igdpt-efi.efi: the firmware half of OpRegion assignment that stock OVMF
 * lacks. Run as \EFI\BOOT\BOOTX64.EFI, before the OS loader: it places the
 * fw_cfg OpRegion (and stolen memory) for every Intel IGD, writes ASLS and
 * BDSM, logs what it did on ConOut and the QEMU debug port, and then loads
 * and starts the next stage, \EFI\igdpt\next.efi on the same volume (the OS
 * loader, or igdpt-efi-check.efi in tests). It never stops the boot: every
 * refusal leaves the registers alone and says why. */
#include "efi_platform.h"
#include "run.h"

#ifndef IGDPT_VERSION
#define IGDPT_VERSION "unknown"
#endif

#define NEXT_STAGE L"\\EFI\\igdpt\\next.efi"

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
	struct igdpt_efi_run run;

	InitializeLib(image, systab);
	igdpt_efi_log(NULL, "igdpt-efi " IGDPT_VERSION ": placing Intel IGD OpRegions from fw_cfg");
	igdpt_efi_run_begin(&run);
	igdpt_efi_run_all(&run);
	igdpt_efi_run_end(&run);
	chain_load(image);
	return EFI_SUCCESS;
}
