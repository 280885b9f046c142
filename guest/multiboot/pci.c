/* SPDX-License-Identifier: MIT */
/* PCI config space through mechanism #1: bus 0, every device and function. */
#include "pci.h"

#include "igdpt/abi/guest.h"
#include "io.h"

#define PCI_CONFIG_ADDRESS 0xCF8u
#define PCI_CONFIG_DATA 0xCFCu
#define PCI_CONFIG_ENABLE (1u << 31)
#define PCI_BUS_SHIFT 16u
#define PCI_DEV_SHIFT 11u
#define PCI_FN_SHIFT 8u
#define PCI_DWORD_MASK 0xFCu
#define PCI_DEVICES 32u
#define PCI_FUNCTIONS 8u

/* Standard header fields */
#define PCI_ID_OFFSET 0x00u       /* vendor (low 16) and device (high 16) */
#define PCI_CLASS_OFFSET 0x08u    /* revision, prog-if, subclass, class */
#define PCI_HEADER_OFFSET 0x0Cu   /* header type in bits 23:16 */
#define PCI_VENDOR_NONE 0xFFFFu
#define PCI_DEVICE_ID_SHIFT 16u
#define PCI_HEADER_MULTIFUNCTION (1u << 23)
#define PCI_CLASS_SHIFT 16u       /* class << 8 | subclass in the upper half */
#define PCI_BASE_CLASS_SHIFT 8u
#define PCI_BASE_CLASS_DISPLAY (IGDPT_PCI_CLASS_DISPLAY_VGA >> PCI_BASE_CLASS_SHIFT)

static void select_dword(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t offset)
{
	probe_outl(PCI_CONFIG_ADDRESS, PCI_CONFIG_ENABLE | ((uint32_t)bus << PCI_BUS_SHIFT) |
					       ((uint32_t)dev << PCI_DEV_SHIFT) |
					       ((uint32_t)fn << PCI_FN_SHIFT) |
					       (offset & PCI_DWORD_MASK));
}

uint32_t pci_read32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t offset)
{
	select_dword(bus, dev, fn, offset);
	return probe_inl(PCI_CONFIG_DATA);
}

void pci_write32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t offset, uint32_t value)
{
	select_dword(bus, dev, fn, offset);
	probe_outl(PCI_CONFIG_DATA, value);
}

static bool read_fn(uint8_t dev, uint8_t fn, struct probe_pci_fn *out)
{
	uint32_t id = pci_read32(0, dev, fn, PCI_ID_OFFSET);

	if ((uint16_t)id == PCI_VENDOR_NONE)
		return false;
	out->bus = 0;
	out->dev = dev;
	out->fn = fn;
	out->vendor = (uint16_t)id;
	out->device_id = (uint16_t)(id >> PCI_DEVICE_ID_SHIFT);
	out->class_code = (uint16_t)(pci_read32(0, dev, fn, PCI_CLASS_OFFSET) >> PCI_CLASS_SHIFT);
	return true;
}

static bool is_intel_display(const struct probe_pci_fn *f)
{
	return f->vendor == IGDPT_PCI_VENDOR_INTEL &&
	       (f->class_code >> PCI_BASE_CLASS_SHIFT) == PCI_BASE_CLASS_DISPLAY;
}

bool pci_find_igd(struct probe_pci_fn *out)
{
	struct probe_pci_fn f;
	bool found = false;

	for (uint8_t dev = 0; dev < PCI_DEVICES; dev++) {
		for (uint8_t fn = 0; fn < PCI_FUNCTIONS; fn++) {
			if (!read_fn(dev, fn, &f)) {
				if (fn == 0)
					break; /* no device: skip its functions */
				continue;
			}
			if (is_intel_display(&f) && (!found || (dev == IGDPT_IGD_DEVFN_DEVICE && fn == 0))) {
				*out = f;
				found = true;
			}
			if (fn == 0 && !(pci_read32(0, dev, 0, PCI_HEADER_OFFSET) &
					 PCI_HEADER_MULTIFUNCTION))
				break;
		}
	}
	return found;
}
