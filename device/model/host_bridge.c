/* SPDX-License-Identifier: MIT */
/* The host bridge's identity (host_bridge.h says who reads it). */
#include "host_bridge.h"

#include "igdpt/abi/guest.h"
#include "pci_regs.h"

void igdpt_host_bridge_init(struct igdpt_config_space *cfg, uint16_t vendor, uint16_t device,
			    uint8_t revision)
{
	igdpt_cfg_init(cfg);
	igdpt_cfg_set(cfg, IGDPT_PCI_VENDOR_ID_OFFSET, vendor, 2);
	igdpt_cfg_set(cfg, IGDPT_PCI_DEVICE_ID_OFFSET, device, 2);
	igdpt_cfg_set(cfg, IGDPT_PCI_REVISION_OFFSET, revision, 1);
	igdpt_cfg_set(cfg, IGDPT_PCI_CLASS_DEVICE_OFFSET, IGDPT_PCI_CLASS_BRIDGE_HOST, 2);
	igdpt_cfg_set(cfg, IGDPT_PCI_HEADER_TYPE_OFFSET, IGDPT_PCI_HEADER_TYPE_NORMAL, 1);
	igdpt_cfg_set(cfg, IGDPT_PCI_SUBSYS_VENDOR_OFFSET, vendor, 2);
	igdpt_cfg_set(cfg, IGDPT_PCI_SUBSYS_ID_OFFSET, device, 2);
	igdpt_cfg_end_probe(cfg);
}
