/* SPDX-License-Identifier: MIT */
/* The virtual IGD's configuration space.
 *
 * Register choices, and why:
 * - GGC (0x50) is read-only. On hardware it is lockable (GGCLCK, bit 0) and
 *   the platform firmware programs GMS and locks it before any OS runs. Here
 *   the VMM is that firmware: GMS is fixed by --bdsm-size and GGC reads back
 *   locked, so guest writes have no effect (they are logged). QEMU's vfio-igd
 *   emulates GGC read-only for the same reason.
 * - BDSM (0x5C u32 up to gen 10, 0xC0 u64 from gen 11) is writable in its
 *   base-address bits (31:20, plus the upper dword at 0xC0) so the guest
 *   firmware can place stolen memory and tell the driver, as QEMU does with
 *   etc/igd-bdsm-size. The lock bit is not offered.
 * - ASLS (0xFC) starts at 0 and is a plain guest-writable u32: the guest
 *   firmware writes the OpRegion address there (QEMU emulates it likewise).
 * - SWSCI (0xE8) keeps what the guest writes in bits 15:1 (SCISEL and the
 *   scratch bits); GSSCIE (bit 0) reads back 0 at once: the event "completed"
 *   with no effect. igdpt publishes OpRegions with the SWSCI mailbox bit
 *   clear, so i915 never waits on it (see the contract). */
#include "igd.h"

#include <errno.h>
#include <string.h>

#include "igdpt/abi/guest.h"
#include "igdpt/core/ggc.h"

#define IGD_COMMAND_WMASK                                                          \
	(IGDPT_PCI_COMMAND_IO | IGDPT_PCI_COMMAND_MEMORY | IGDPT_PCI_COMMAND_MASTER | \
	 IGDPT_PCI_COMMAND_INTX_DISABLE)
#define IGD_SWSCI_WMASK 0xFFFFu
#define IGD_BDSM_UPPER_WMASK 0xFFFFFFFFu

int igdpt_igd_ggc_encode(unsigned generation, uint64_t stolen_size, uint16_t *ggc)
{
	return igdpt_ggc_encode(generation, stolen_size, ggc);
}

uint64_t igdpt_igd_ggc_stolen_size(unsigned generation, uint16_t ggc)
{
	return igdpt_ggc_stolen_size(generation, ggc);
}

unsigned igdpt_igd_bdsm_offset(unsigned generation)
{
	uint16_t offset;
	unsigned bytes;

	igdpt_ggc_bdsm_register(generation, &offset, &bytes);
	return offset;
}

unsigned igdpt_igd_bdsm_width(unsigned generation)
{
	uint16_t offset;
	unsigned bytes;

	igdpt_ggc_bdsm_register(generation, &offset, &bytes);
	return bytes;
}

int igdpt_igd_init(struct igdpt_igd *igd, const struct igdpt_igd_params *params)
{
	struct igdpt_config_space *cfg = &igd->cfg;
	uint16_t ggc;
	int ret;

	if (params->class_code != IGDPT_PCI_CLASS_DISPLAY_VGA &&
	    params->class_code != IGDPT_PCI_CLASS_DISPLAY_OTHER)
		return -EINVAL;
	ret = igdpt_igd_ggc_encode(params->generation, params->bdsm_size, &ggc);
	if (ret < 0)
		return ret;
	memset(igd, 0, sizeof(*igd));
	igd->params = *params;
	igd->bdsm_offset = igdpt_igd_bdsm_offset(params->generation);
	igd->bdsm_size = igdpt_igd_bdsm_width(params->generation);

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
	if (ret < 0)
		return ret;

	igdpt_cfg_set(cfg, IGDPT_PCI_GGC_OFFSET, ggc, IGDPT_IGD_GGC_SIZE);
	igdpt_cfg_set_wmask(cfg, igd->bdsm_offset, IGDPT_BDSM_ADDRESS_MASK, 4);
	if (igd->bdsm_size == 8)
		igdpt_cfg_set_wmask(cfg, igd->bdsm_offset + 4, IGD_BDSM_UPPER_WMASK, 4);
	igdpt_cfg_set_wmask(cfg, IGDPT_PCI_SWSCI_OFFSET, IGD_SWSCI_WMASK, IGDPT_IGD_SWSCI_SIZE);
	igdpt_cfg_set_wmask(cfg, IGDPT_PCI_ASLS_OFFSET, UINT32_MAX, IGDPT_IGD_ASLS_SIZE);
	return 0;
}

static bool overlaps(unsigned off, unsigned len, unsigned reg, unsigned reg_len)
{
	return off < reg + reg_len && reg < off + len;
}

void igdpt_igd_cfg_write(struct igdpt_igd *igd, unsigned off, uint32_t value, unsigned len,
			 struct igdpt_igd_write_effect *effect)
{
	struct igdpt_config_space *cfg = &igd->cfg;

	memset(effect, 0, sizeof(*effect));
	igdpt_cfg_write(cfg, off, value, len);

	if (overlaps(off, len, IGDPT_PCI_ASLS_OFFSET, IGDPT_IGD_ASLS_SIZE)) {
		effect->asls = true;
		effect->asls_value = igdpt_igd_asls(igd);
	}
	if (overlaps(off, len, igd->bdsm_offset, igd->bdsm_size)) {
		effect->bdsm = true;
		effect->bdsm_value = igdpt_igd_bdsm(igd);
	}
	if (overlaps(off, len, IGDPT_PCI_GGC_OFFSET, IGDPT_IGD_GGC_SIZE)) {
		/* The bytes of the write that land on GGC, at their GGC positions. */
		uint64_t shifted = off <= IGDPT_PCI_GGC_OFFSET
					   ? (uint64_t)value >> (8 * (IGDPT_PCI_GGC_OFFSET - off))
					   : (uint64_t)value << (8 * (off - IGDPT_PCI_GGC_OFFSET));

		effect->ggc = true;
		effect->ggc_written = (uint16_t)shifted;
		effect->ggc_value = igdpt_igd_ggc(igd);
	}
	if (overlaps(off, len, IGDPT_PCI_SWSCI_OFFSET, IGDPT_IGD_SWSCI_SIZE)) {
		uint16_t swsci = (uint16_t)igdpt_cfg_get(cfg, IGDPT_PCI_SWSCI_OFFSET,
							 IGDPT_IGD_SWSCI_SIZE);

		effect->swsci = true;
		effect->swsci_written = swsci;
		/* The SCI "completes" at once: nothing in the guest answers it. */
		igdpt_cfg_set(cfg, IGDPT_PCI_SWSCI_OFFSET, swsci & ~IGDPT_SWSCI_GSSCIE,
			      IGDPT_IGD_SWSCI_SIZE);
	}
}

uint32_t igdpt_igd_asls(const struct igdpt_igd *igd)
{
	return (uint32_t)igdpt_cfg_get(&igd->cfg, IGDPT_PCI_ASLS_OFFSET, IGDPT_IGD_ASLS_SIZE);
}

uint64_t igdpt_igd_bdsm(const struct igdpt_igd *igd)
{
	return igdpt_cfg_get(&igd->cfg, igd->bdsm_offset, igd->bdsm_size);
}

uint16_t igdpt_igd_ggc(const struct igdpt_igd *igd)
{
	return (uint16_t)igdpt_cfg_get(&igd->cfg, IGDPT_PCI_GGC_OFFSET, IGDPT_IGD_GGC_SIZE);
}

void igdpt_igd_reset(struct igdpt_igd *igd)
{
	igdpt_cfg_reset(&igd->cfg);
	igdpt_cfg_set(&igd->cfg, IGDPT_PCI_ASLS_OFFSET, 0, IGDPT_IGD_ASLS_SIZE);
	igdpt_cfg_set(&igd->cfg, igd->bdsm_offset, 0, igd->bdsm_size);
	igdpt_cfg_set(&igd->cfg, IGDPT_PCI_SWSCI_OFFSET, 0, IGDPT_IGD_SWSCI_SIZE);
}
