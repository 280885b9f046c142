/* SPDX-License-Identifier: MIT */
/* igdpt-efi-driver.efi: the same placement as igdpt-efi.efi, as an EFI
 * boot-services driver for a PCI option ROM (igdpt-efi.rom, `igdpt rom`).
 *
 * edk2's PCI bus driver (MdeModulePkg/Bus/Pci/PciBusDxe) copies every ROM
 * BAR into memory while enumerating, and registers each device (device path
 * and PciIo installed, PciDeviceSupport.c RegisterPciDevice()) before it
 * calls LoadImage and StartImage on the ROM's EFI images
 * (PciOptionRomSupport.c ProcessOpRomImage(); no check of the PCIR vendor or
 * device ids). OVMF's security stub defers every image that is not in a
 * firmware volume until End-of-DXE (SecurityStubDxe
 * Defer3rdPartyImageLoad.c); OVMF's boot manager starts them after PCI
 * enumeration, End-of-DXE and SMM ready-to-lock
 * (PlatformBootManagerLib BdsPlatform.c, EfiBootManagerDispatchDeferredImages),
 * so there every PCI device already has PciIo and the scan below finds
 * every IGD. Firmware that does not defer starts the image inside
 * RegisterPciDevice, when devices after the ROM's own have no PciIo yet:
 * for those the driver stays resident with a PciIo protocol notification.
 * setup.c leaves alone an IGD whose ASLS already points at ACPI NVS, so a
 * second image of the ROM or the boot-volume application running later
 * does no harm. Nothing here ever stops the boot. */
#include "efi_platform.h"
#include "run.h"

#ifndef IGDPT_VERSION
#define IGDPT_VERSION "unknown"
#endif

/* PciIo handles already served (QEMU exposes at most a few IGDs). */
struct rom_driver {
	EFI_EVENT event;
	void *registration;
	void *served[IGDPT_EFI_MAX_IGDS];
	size_t served_count;
};

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

static bool served_before(struct rom_driver *d, void *pci_io)
{
	for (size_t i = 0; i < d->served_count; i++)
		if (d->served[i] == pci_io)
			return true;
	if (d->served_count < IGDPT_EFI_MAX_IGDS)
		d->served[d->served_count++] = pci_io;
	return false;
}

static void serve(struct rom_driver *d, EFI_PCI_IO_PROTOCOL *pci)
{
	struct igdpt_efi_run run;
	struct igdpt_efi_igd igd;

	if (!igdpt_efi_igd_from_pci_io(pci, &igd) || served_before(d, pci))
		return;
	igdpt_efi_run_begin(&run);
	igdpt_efi_run_igd(&run, &igd);
	igdpt_efi_run_end(&run);
}

/* Every PciIo installed since the last call (LocateHandle ByRegisterNotify
 * hands them out one at a time). */
static VOID EFIAPI on_pci_io(EFI_EVENT event, VOID *context)
{
	struct rom_driver *d = context;

	(void)event;
	for (;;) {
		EFI_HANDLE handle;
		UINTN size = sizeof(handle);
		EFI_PCI_IO_PROTOCOL *pci;

		if (EFI_ERROR(BS->LocateHandle(ByRegisterNotify, NULL, d->registration, &size, &handle)))
			return;
		if (!EFI_ERROR(BS->HandleProtocol(handle, &PciIoProtocol, (void **)&pci)))
			serve(d, pci);
	}
}

/* Names the device whose ROM this image came from, for the log. */
static void log_origin(EFI_HANDLE image)
{
	EFI_LOADED_IMAGE *loaded = NULL;
	EFI_PCI_IO_PROTOCOL *pci = NULL;
	struct igdpt_efi_line l = { .len = 0 };
	struct igdpt_efi_igd where = { 0 };
	UINTN seg, bus, dev, fn;

	igdpt_efi_line_str(&l, "igdpt-efi-driver " IGDPT_VERSION ": started ");
	if (!EFI_ERROR(BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&loaded)) &&
	    loaded->DeviceHandle &&
	    !EFI_ERROR(BS->HandleProtocol(loaded->DeviceHandle, &PciIoProtocol, (void **)&pci)) &&
	    !EFI_ERROR(pci->GetLocation(pci, &seg, &bus, &dev, &fn))) {
		where.bus = (unsigned)bus;
		where.dev = (unsigned)dev;
		where.fn = (unsigned)fn;
		igdpt_efi_line_str(&l, "from the option ROM of PCI ");
		igdpt_efi_line_bdf(&l, &where);
	} else {
		igdpt_efi_line_str(&l, "(not from a PCI option ROM)");
	}
	igdpt_efi_line_str(&l, ": placing Intel IGD OpRegions from fw_cfg");
	igdpt_efi_log(NULL, l.buf);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct igdpt_efi_igd igds[IGDPT_EFI_MAX_IGDS];
	struct rom_driver *d;
	size_t n;

	InitializeLib(image, systab);
	log_origin(image);
	d = AllocateZeroPool(sizeof(*d));
	if (!d) {
		igdpt_efi_log(NULL, "igdpt-efi-driver: out of memory: nothing placed");
		return EFI_SUCCESS;
	}
	n = igdpt_efi_find_igds(igds, IGDPT_EFI_MAX_IGDS);
	for (size_t i = 0; i < n; i++)
		serve(d, igds[i].handle);
	if (EFI_ERROR(BS->CreateEvent(EVT_NOTIFY_SIGNAL, TPL_CALLBACK, on_pci_io, d, &d->event))) {
		igdpt_efi_log(NULL, "igdpt-efi-driver: cannot create an event: only the PCI devices "
				    "registered so far were served");
		return EFI_SUCCESS;
	}
	if (EFI_ERROR(BS->RegisterProtocolNotify(&PciIoProtocol, d->event, &d->registration))) {
		BS->CloseEvent(d->event);
		igdpt_efi_log(NULL, "igdpt-efi-driver: cannot watch PciIo installations: only the PCI "
				    "devices registered so far were served");
		return EFI_SUCCESS;
	}
	if (!n)
		igdpt_efi_log(NULL, "igdpt-efi-driver: no Intel display controller registered yet: "
				    "watching for one");
	return EFI_SUCCESS;
}
