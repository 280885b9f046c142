/* SPDX-License-Identifier: MIT */
/* The virtual IGD's configuration space: a display controller with Intel's
 * ids, the three BARs of a real IGD, and the command bits a driver sets.
 *
 * Everything else above the header reads 0 and ignores writes here; the
 * device model (device.c) overlays GGC, BDSM, SWSCI and ASLS from the VMM
 * context, which alone decides their values and write semantics. */
#include "igd.h"

#include <errno.h>
#include <string.h>

#include "igdpt/abi/guest.h"

#define IGD_COMMAND_WMASK                                                          \
	(IGDPT_PCI_COMMAND_IO | IGDPT_PCI_COMMAND_MEMORY | IGDPT_PCI_COMMAND_MASTER | \
	 IGDPT_PCI_COMMAND_INTX_DISABLE)

int igdpt_igd_init(struct igdpt_igd *igd, const struct igdpt_igd_params *params)
{
	struct igdpt_config_space *cfg = &igd->cfg;
	int ret;

	if (params->class_code != IGDPT_PCI_CLASS_DISPLAY_VGA &&
	    params->class_code != IGDPT_PCI_CLASS_DISPLAY_OTHER)
		return -EINVAL;
	memset(igd, 0, sizeof(*igd));
	igd->params = *params;

	igdpt_cfg_init(cfg);
	igdpt_cfg_set(cfg, IGDPT_PCI_VENDOR_ID_OFFSET, IGDPT_PCI_VENDOR_INTEL, 2);
	igdpt_cfg_set(cfg, IGDPT_PCI_DEVICE_ID_OFFSET, params->device_id, 2);
	igdpt_cfg_set(cfg, IGDPT_PCI_REVISION_OFFSET, params->revision, 1);
	igdpt_cfg_set(cfg, IGDPT_PCI_CLASS_DEVICE_OFFSET, params->class_code, 2);
	igdpt_cfg_set(cfg, IGDPT_PCI_HEADER_TYPE_OFFSET, IGDPT_PCI_HEADER_TYPE_NORMAL, 1);
	igdpt_cfg_set(cfg, IGDPT_PCI_SUBSYS_VENDOR_OFFSET, params->subsys_vendor, 2);
	igdpt_cfg_set(cfg, IGDPT_PCI_SUBSYS_ID_OFFSET, params->subsys_device, 2);
	igdpt_cfg_set(cfg, IGDPT_PCI_INTERRUPT_PIN_OFFSET, IGDPT_PCI_INTERRUPT_PIN_INTA, 1);
	igdpt_cfg_set_wmask(cfg, IGDPT_PCI_COMMAND_OFFSET, IGD_COMMAND_WMASK, 2);
	igdpt_cfg_set_wmask(cfg, IGDPT_PCI_CACHE_LINE_OFFSET, UINT8_MAX, 1);
	igdpt_cfg_set_wmask(cfg, IGDPT_PCI_INTERRUPT_LINE_OFFSET, UINT8_MAX, 1);

	ret = igdpt_cfg_add_bar(cfg, IGDPT_IGD_BAR0_INDEX, IGDPT_BAR_MEM64, IGDPT_IGD_BAR0_SIZE);
	if (ret == 0)
		ret = igdpt_cfg_add_bar(cfg, IGDPT_IGD_BAR2_INDEX, IGDPT_BAR_MEM64_PREF,
					IGDPT_IGD_BAR2_SIZE);
	if (ret == 0)
		ret = igdpt_cfg_add_bar(cfg, IGDPT_IGD_BAR4_INDEX, IGDPT_BAR_IO, IGDPT_IGD_BAR4_SIZE);
	return ret;
}

void igdpt_igd_reset(struct igdpt_igd *igd)
{
	igdpt_cfg_reset(&igd->cfg);
}
