/* SPDX-License-Identifier: MIT */
/* Intel IGD OpRegion layout: offsets, sizes and bits of the 8 KiB region at ASLS.
 *
 * Implements "Intel OpRegion Specification" 2.0/2.1/3.0 as consumed by Linux
 * i915 (display/intel_opregion.c) and produced by coreboot and Slim Bootloader.
 * All multi-byte fields are little-endian; offsets are from the OpRegion base.
 */
#ifndef IGDPT_ABI_OPREGION_H
#define IGDPT_ABI_OPREGION_H

#include "igdpt/core/api.h"

/* The region as i915 maps it: exactly 8 KiB, whatever SIZE says. */
#define IGDPT_OPREGION_BASE_SIZE 0x2000u
/* Where an extended VBT starts when it follows the base region (2.1+ RVDA). */
#define IGDPT_OPREGION_EXT_VBT_OFFSET 0x2000u
/* coreboot and Slim Bootloader round RVDS up to this. */
#define IGDPT_OPREGION_RVDS_ALIGN 512u

/* Header, 0x000-0x0FF */
#define IGDPT_OPREGION_SIGN_OFFSET 0x00u
#define IGDPT_OPREGION_SIGN_SIZE 16u
#define IGDPT_OPREGION_SIGNATURE "IntelGraphicsMem"
#define IGDPT_OPREGION_SIZE_OFFSET 0x10u /* u32, KiB */
#define IGDPT_OPREGION_SIZE_KIB 8u
#define IGDPT_OPREGION_OVER_OFFSET 0x14u /* u32 version */
#define IGDPT_OPREGION_OVER_REVISION_OFFSET 0x15u
#define IGDPT_OPREGION_OVER_MINOR_OFFSET 0x16u
#define IGDPT_OPREGION_OVER_MAJOR_OFFSET 0x17u
#define IGDPT_OPREGION_SVER_OFFSET 0x18u
#define IGDPT_OPREGION_SVER_SIZE 32u
#define IGDPT_OPREGION_VVER_OFFSET 0x38u
#define IGDPT_OPREGION_VVER_SIZE 16u
#define IGDPT_OPREGION_GVER_OFFSET 0x48u
#define IGDPT_OPREGION_GVER_SIZE 16u
#define IGDPT_OPREGION_MBOX_OFFSET 0x58u
#define IGDPT_OPREGION_DMOD_OFFSET 0x5Cu
#define IGDPT_OPREGION_PCON_OFFSET 0x60u
#define IGDPT_OPREGION_DVER_OFFSET 0x64u
#define IGDPT_OPREGION_DVER_SIZE 32u
#define IGDPT_OPREGION_HDR_RSVD_OFFSET 0x84u
#define IGDPT_OPREGION_HDR_RSVD_SIZE 124u
#define IGDPT_OPREGION_HDR_SIZE 0x100u

/* MBOX bits (header 0x58) */
#define IGDPT_MBOX_ACPI (1u << 0)      /* mailbox 1 */
#define IGDPT_MBOX_SWSCI (1u << 1)     /* mailbox 2 as SWSCI (2.x) */
#define IGDPT_MBOX_ASLE (1u << 2)      /* mailbox 3 */
#define IGDPT_MBOX_VBT (1u << 3)       /* mailbox 4; i915 never tests it */
#define IGDPT_MBOX_ASLE_EXT (1u << 4)  /* mailbox 5; shrinks the VBT window */
#define IGDPT_MBOX_BACKLIGHT (1u << 5) /* mailbox 2 as 3.0 backlight */

/* PCON bits (header 0x60) */
#define IGDPT_PCON_HEADLESS (1u << 13) /* i915 honours it from 2.3 on */

/* Mailbox 1: public ACPI methods, 0x100-0x1FF */
#define IGDPT_MBOX1_OFFSET 0x100u
#define IGDPT_MBOX1_SIZE 0x100u
#define IGDPT_MBOX1_DRDY_OFFSET 0x100u
#define IGDPT_MBOX1_CSTS_OFFSET 0x104u
#define IGDPT_MBOX1_CEVT_OFFSET 0x108u
#define IGDPT_MBOX1_DIDL_OFFSET 0x120u /* u32[8] */
#define IGDPT_MBOX1_CPDL_OFFSET 0x140u /* u32[8] */
#define IGDPT_MBOX1_CADL_OFFSET 0x160u /* u32[8] */
#define IGDPT_MBOX1_NADL_OFFSET 0x180u /* u32[8] */
#define IGDPT_MBOX1_DISPLAY_LIST_COUNT 8u
#define IGDPT_MBOX1_ASLP_OFFSET 0x1A0u
#define IGDPT_MBOX1_TIDX_OFFSET 0x1A4u
#define IGDPT_MBOX1_CHPD_OFFSET 0x1A8u
#define IGDPT_MBOX1_CLID_OFFSET 0x1ACu
#define IGDPT_MBOX1_CDCK_OFFSET 0x1B0u
#define IGDPT_MBOX1_SXSW_OFFSET 0x1B4u
#define IGDPT_MBOX1_EVTS_OFFSET 0x1B8u
#define IGDPT_MBOX1_CNOT_OFFSET 0x1BCu
#define IGDPT_MBOX1_NRDY_OFFSET 0x1C0u
#define IGDPT_MBOX1_DID2_OFFSET 0x1C4u /* u32[7] */
#define IGDPT_MBOX1_CPD2_OFFSET 0x1E0u /* u32[7] */
#define IGDPT_MBOX1_DISPLAY_LIST2_COUNT 7u

/* Mailbox 2: SWSCI (<= 2.x) or backlight (3.0), 0x200-0x2FF */
#define IGDPT_MBOX2_OFFSET 0x200u
#define IGDPT_MBOX2_SIZE 0x100u
#define IGDPT_MBOX2_SCIC_OFFSET 0x200u
#define IGDPT_MBOX2_PARM_OFFSET 0x204u
#define IGDPT_MBOX2_DSLP_OFFSET 0x208u
#define IGDPT_SCIC_INDICATOR (1u << 0)
#define IGDPT_SCIC_MAIN_FUNC_SHIFT 1u
#define IGDPT_SCIC_MAIN_FUNC_MASK 0xFu
#define IGDPT_SCIC_EXIT_STATUS_SHIFT 5u
#define IGDPT_SCIC_EXIT_STATUS_MASK 0x7u
#define IGDPT_SCIC_SUB_FUNC_SHIFT 8u
#define IGDPT_SCIC_SUB_FUNC_MASK 0xFFu
#define IGDPT_MBOX2_BCL1_OFFSET 0x200u
#define IGDPT_MBOX2_BCL2_OFFSET 0x204u
#define IGDPT_MBOX2_CBL1_OFFSET 0x208u
#define IGDPT_MBOX2_CBL2_OFFSET 0x20Cu
#define IGDPT_MBOX2_BCM1_OFFSET 0x210u /* u32[30] */
#define IGDPT_MBOX2_BCM2_OFFSET 0x288u /* u32[30] */
#define IGDPT_MBOX2_BCM_COUNT 30u

/* Mailbox 3: ASLE, 0x300-0x3FF */
#define IGDPT_MBOX3_OFFSET 0x300u
#define IGDPT_MBOX3_SIZE 0x100u
#define IGDPT_MBOX3_ARDY_OFFSET 0x300u
#define IGDPT_MBOX3_ASLC_OFFSET 0x304u
#define IGDPT_MBOX3_TCHE_OFFSET 0x308u
#define IGDPT_MBOX3_ALSI_OFFSET 0x30Cu
#define IGDPT_MBOX3_BCLP_OFFSET 0x310u
#define IGDPT_MBOX3_PFIT_OFFSET 0x314u
#define IGDPT_MBOX3_CBLV_OFFSET 0x318u
#define IGDPT_MBOX3_BCLM_OFFSET 0x31Cu /* u16[20] */
#define IGDPT_MBOX3_BCLM_COUNT 20u
#define IGDPT_MBOX3_CPFM_OFFSET 0x344u
#define IGDPT_MBOX3_EPFM_OFFSET 0x348u
#define IGDPT_MBOX3_PLUT_OFFSET 0x34Cu
#define IGDPT_MBOX3_PLUT_SIZE 74u
#define IGDPT_MBOX3_PFMB_OFFSET 0x396u
#define IGDPT_MBOX3_CCDV_OFFSET 0x39Au
#define IGDPT_MBOX3_PCFT_OFFSET 0x39Eu
#define IGDPT_MBOX3_SROT_OFFSET 0x3A2u
#define IGDPT_MBOX3_IUER_OFFSET 0x3A6u
#define IGDPT_MBOX3_FDSS_OFFSET 0x3AAu /* u64; coreboot swaps the names */
#define IGDPT_MBOX3_FDSP_OFFSET 0x3B2u /* u32 */
#define IGDPT_MBOX3_STAT_OFFSET 0x3B6u
#define IGDPT_MBOX3_RVDA_OFFSET 0x3BAu /* u64, unaligned */
#define IGDPT_MBOX3_RVDS_OFFSET 0x3C2u /* u32 */
#define IGDPT_MBOX3_VRSR_OFFSET 0x3C6u /* u8, 3.0 */
#define IGDPT_MBOX3_DLHP_OFFSET 0x3C7u /* u64, 3.0 */
#define IGDPT_ASLE_FIELD_VALID (1u << 31) /* BCLP, CBLV, PFIT */
#define IGDPT_BCLM_VALID (1u << 15)
#define IGDPT_BCLM_PERCENT_SHIFT 8u /* bits 14:8 percent, 7:0 duty */
#define IGDPT_BCLM_DUTY_MAX 0xFFu
#define IGDPT_BCLM_BUILDER_ENTRIES 11u /* coreboot/SBL fill 0%, 10%, .. 100% */
#define IGDPT_TCHE_BACKLIGHT (1u << 1) /* driver handles BCLP requests */
#define IGDPT_CLID_LID_OPEN 1u         /* coreboot/SBL initial CLID */

/* Mailbox 4: raw VBT, 0x400-0x1BFF */
#define IGDPT_MBOX4_OFFSET 0x400u
#define IGDPT_MBOX4_SIZE 0x1800u
/* i915 reads 7 KiB at 0x400 when mailbox 5 is absent (CHT boards spill). */
#define IGDPT_MBOX4_SIZE_NO_ASLE_EXT 0x1C00u

/* Mailbox 5: ASLE extension, 0x1C00-0x1FFF */
#define IGDPT_MBOX5_OFFSET 0x1C00u
#define IGDPT_MBOX5_SIZE 0x400u
#define IGDPT_MBOX5_PHED_OFFSET 0x1C00u
#define IGDPT_MBOX5_BDDC_OFFSET 0x1C04u
#define IGDPT_MBOX5_BDDC_SIZE 256u

IGDPT_STATIC_ASSERT(IGDPT_MBOX4_OFFSET + IGDPT_MBOX4_SIZE == IGDPT_MBOX5_OFFSET,
	       "mailbox 4 ends where mailbox 5 starts");
IGDPT_STATIC_ASSERT(IGDPT_MBOX5_OFFSET + IGDPT_MBOX5_SIZE == IGDPT_OPREGION_BASE_SIZE,
	       "mailbox 5 ends the 8 KiB base region");
IGDPT_STATIC_ASSERT(IGDPT_MBOX3_RVDS_OFFSET + 4 <= IGDPT_MBOX3_OFFSET + IGDPT_MBOX3_SIZE,
	       "RVDS lies inside mailbox 3");
IGDPT_STATIC_ASSERT(IGDPT_OPREGION_HDR_RSVD_OFFSET + IGDPT_OPREGION_HDR_RSVD_SIZE ==
		       IGDPT_OPREGION_HDR_SIZE,
	       "header reserved bytes end the header");

#endif
