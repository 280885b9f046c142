/* SPDX-License-Identifier: MIT */
/* QEMU fw_cfg wire layouts: the file directory and the DMA descriptor.
 *
 * Follows QEMU docs/specs/fw_cfg.rst. The ports and well-known keys are in
 * igdpt/abi/guest.h. Every multi-byte field here is big-endian, unlike the
 * rest of the guest contract; the feature bitmap (key 0x0001) and the file
 * contents are read as bytes and are little-endian where they hold numbers.
 */
#ifndef IGDPT_ABI_FW_CFG_H
#define IGDPT_ABI_FW_CFG_H

#include "igdpt/abi/guest.h"

/* Key 0x0000 returns these 4 bytes when fw_cfg is present. */
#define IGDPT_FW_CFG_SIGNATURE "QEMU"
#define IGDPT_FW_CFG_SIGNATURE_SIZE 4u
/* Key 0x0001: u32 little-endian feature bitmap. */
#define IGDPT_FW_CFG_ID_SIZE 4u
#define IGDPT_FW_CFG_ID_TRADITIONAL (1u << 0)

/* File directory (key 0x0019): be32 count, then count entries. */
#define IGDPT_FW_CFG_DIR_COUNT_SIZE 4u
#define IGDPT_FW_CFG_DIR_ENTRY_SIZE_OFFSET 0u   /* be32 file size */
#define IGDPT_FW_CFG_DIR_ENTRY_SELECT_OFFSET 4u /* be16 key */
#define IGDPT_FW_CFG_DIR_ENTRY_RESERVED_OFFSET 6u
#define IGDPT_FW_CFG_DIR_ENTRY_NAME_OFFSET 8u   /* NUL-terminated, 56 bytes */
#define IGDPT_FW_CFG_DIR_ENTRY_SIZE (IGDPT_FW_CFG_DIR_ENTRY_NAME_OFFSET + IGDPT_FW_CFG_FILE_NAME_SIZE)
/* QEMU's limit is far lower; this bounds a directory that is garbage. */
#define IGDPT_FW_CFG_DIR_MAX_FILES 4096u

/* DMA interface: the guest writes the 64-bit physical address of a
 * descriptor to the big-endian register at 0x514, high half first (0x514),
 * low half second (0x518); the low write starts the transfer. */
#define IGDPT_FW_CFG_PORT_DMA_HIGH IGDPT_FW_CFG_PORT_DMA
#define IGDPT_FW_CFG_PORT_DMA_LOW (IGDPT_FW_CFG_PORT_DMA + 4u)
#define IGDPT_FW_CFG_DMA_CONTROL_OFFSET 0u /* be32 */
#define IGDPT_FW_CFG_DMA_LENGTH_OFFSET 4u  /* be32 */
#define IGDPT_FW_CFG_DMA_ADDRESS_OFFSET 8u /* be64 */
#define IGDPT_FW_CFG_DMA_DESC_SIZE 16u
/* Control bits; the device clears the word (or leaves ERROR) when done. */
#define IGDPT_FW_CFG_DMA_CTL_ERROR (1u << 0)
#define IGDPT_FW_CFG_DMA_CTL_READ (1u << 1)
#define IGDPT_FW_CFG_DMA_CTL_SKIP (1u << 2)
#define IGDPT_FW_CFG_DMA_CTL_SELECT (1u << 3)
#define IGDPT_FW_CFG_DMA_CTL_WRITE (1u << 4)
#define IGDPT_FW_CFG_DMA_CTL_KEY_SHIFT 16u

#endif
