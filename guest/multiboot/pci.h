/* SPDX-License-Identifier: MIT */
/* PCI configuration mechanism #1 (ports 0xCF8/0xCFC) and the IGD search. */
#ifndef IGDPT_PROBE_PCI_H
#define IGDPT_PROBE_PCI_H

#include <stdbool.h>
#include <stdint.h>

struct probe_pci_fn {
	uint8_t bus, dev, fn;
	uint16_t vendor, device_id;
	uint16_t class_code; /* base class << 8 | subclass */
};

uint32_t pci_read32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t offset);
void pci_write32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t offset, uint32_t value);

/* Finds an Intel display device (vendor 8086, class 03xx) on bus 0,
 * preferring 00:02.0 where IGDs live. Returns false when there is none. */
bool pci_find_igd(struct probe_pci_fn *out);

#endif
