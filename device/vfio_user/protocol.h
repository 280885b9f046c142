/* SPDX-License-Identifier: MIT */
/* The vfio-user wire protocol, as igdpt-device speaks it: message layouts,
 * command numbers and flags, defined once for the transport, its tests and
 * the benchmark's minimal server.
 *
 * Sources: QEMU's docs/interop/vfio-user.rst (protocol 0.0: header,
 * commands, payloads) and Linux's include/uapi/linux/vfio.h, whose structs
 * and flags the payloads reuse (vfio_region_info, vfio_irq_set, the region
 * capabilities, the IGD region types). Every field is little-endian here
 * (the specification says host order; igdpt runs on x86 hosts only) and
 * read and written through igdpt/core/bytes.h at the offsets below, never
 * by casting a buffer. A message is the 16-byte header followed by the
 * command's payload; sizes include the header. */
#ifndef IGDPT_DEVICE_VFIO_USER_PROTOCOL_H
#define IGDPT_DEVICE_VFIO_USER_PROTOCOL_H

/* ---- header ---- */
#define IGDPT_VFU_HDR_SIZE 16u
#define IGDPT_VFU_HDR_ID_OFFSET 0u      /* u16: echoed in the reply */
#define IGDPT_VFU_HDR_COMMAND_OFFSET 2u /* u16 */
#define IGDPT_VFU_HDR_SIZE_OFFSET 4u    /* u32: whole message */
#define IGDPT_VFU_HDR_FLAGS_OFFSET 8u   /* u32 */
#define IGDPT_VFU_HDR_ERROR_OFFSET 12u  /* u32: errno of an error reply */

#define IGDPT_VFU_FLAG_TYPE_MASK 0xFu
#define IGDPT_VFU_FLAG_TYPE_COMMAND 0x0u
#define IGDPT_VFU_FLAG_TYPE_REPLY 0x1u
#define IGDPT_VFU_FLAG_NO_REPLY 0x10u /* a posted request: never answered */
#define IGDPT_VFU_FLAG_ERROR 0x20u    /* a reply carrying an errno, no payload */
#define IGDPT_VFU_FLAGS_KNOWN                                                    \
	(IGDPT_VFU_FLAG_TYPE_MASK | IGDPT_VFU_FLAG_NO_REPLY | IGDPT_VFU_FLAG_ERROR)

/* ---- commands ---- */
enum igdpt_vfu_command {
	IGDPT_VFU_VERSION = 1,
	IGDPT_VFU_DMA_MAP = 2,
	IGDPT_VFU_DMA_UNMAP = 3,
	IGDPT_VFU_DEVICE_GET_INFO = 4,
	IGDPT_VFU_DEVICE_GET_REGION_INFO = 5,
	IGDPT_VFU_DEVICE_GET_REGION_IO_FDS = 6,
	IGDPT_VFU_DEVICE_GET_IRQ_INFO = 7,
	IGDPT_VFU_DEVICE_SET_IRQS = 8,
	IGDPT_VFU_REGION_READ = 9,
	IGDPT_VFU_REGION_WRITE = 10,
	IGDPT_VFU_DMA_READ = 11,  /* server to client */
	IGDPT_VFU_DMA_WRITE = 12, /* server to client */
	IGDPT_VFU_DEVICE_RESET = 13,
	IGDPT_VFU_DIRTY_PAGES = 14, /* withdrawn from the specification */
	IGDPT_VFU_REGION_WRITE_MULTI = 15,
	IGDPT_VFU_DEVICE_FEATURE = 16,
	IGDPT_VFU_MIG_DATA_READ = 17,
	IGDPT_VFU_MIG_DATA_WRITE = 18,
	IGDPT_VFU_COMMAND_MAX = 18,
};

/* ---- VERSION: u16 major, u16 minor, optional NUL-terminated JSON ---- */
#define IGDPT_VFU_VERSION_MAJOR_OFFSET 0u
#define IGDPT_VFU_VERSION_MINOR_OFFSET 2u
#define IGDPT_VFU_VERSION_DATA_OFFSET 4u
#define IGDPT_VFU_VERSION_MAJOR 0u
#define IGDPT_VFU_VERSION_MINOR 0u
/* JSON names: {"capabilities": {...}} */
#define IGDPT_VFU_JSON_CAPABILITIES "capabilities"
#define IGDPT_VFU_JSON_MAX_MSG_FDS "max_msg_fds"
#define IGDPT_VFU_JSON_MAX_DATA_XFER_SIZE "max_data_xfer_size"
#define IGDPT_VFU_JSON_MAX_DMA_MAPS "max_dma_maps"
#define IGDPT_VFU_JSON_PGSIZES "pgsizes"
#define IGDPT_VFU_JSON_WRITE_MULTIPLE "write_multiple"
/* What a peer assumes for a capability the other side did not name. */
#define IGDPT_VFU_DEFAULT_MAX_MSG_FDS 1u
#define IGDPT_VFU_DEFAULT_MAX_DATA_XFER_SIZE (1u << 20)
#define IGDPT_VFU_PGSIZE_4K 0x1000u

/* ---- DMA_MAP: {u32 argsz, u32 flags, u64 offset, u64 address, u64 size},
 * the backing fd (if any) as SCM_RIGHTS; header-only reply. ---- */
#define IGDPT_VFU_DMA_MAP_SIZE 32u
#define IGDPT_VFU_DMA_MAP_ARGSZ_OFFSET 0u
#define IGDPT_VFU_DMA_MAP_FLAGS_OFFSET 4u
#define IGDPT_VFU_DMA_MAP_FILE_OFFSET 8u
#define IGDPT_VFU_DMA_MAP_ADDRESS_OFFSET 16u
#define IGDPT_VFU_DMA_MAP_LENGTH_OFFSET 24u
#define IGDPT_VFU_DMA_MAP_FLAG_READ 0x1u  /* VFIO_DMA_MAP_FLAG_READ */
#define IGDPT_VFU_DMA_MAP_FLAG_WRITE 0x2u /* VFIO_DMA_MAP_FLAG_WRITE */

/* ---- DMA_UNMAP: {u32 argsz, u32 flags, u64 address, u64 size}; the reply
 * echoes it. ---- */
#define IGDPT_VFU_DMA_UNMAP_SIZE 24u
#define IGDPT_VFU_DMA_UNMAP_ARGSZ_OFFSET 0u
#define IGDPT_VFU_DMA_UNMAP_FLAGS_OFFSET 4u
#define IGDPT_VFU_DMA_UNMAP_ADDRESS_OFFSET 8u
#define IGDPT_VFU_DMA_UNMAP_LENGTH_OFFSET 16u
#define IGDPT_VFU_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP 0x1u /* VFIO_DMA_UNMAP_FLAG_* */
#define IGDPT_VFU_DMA_UNMAP_FLAG_ALL 0x2u

/* ---- DEVICE_GET_INFO: {u32 argsz, u32 flags, u32 num_regions,
 * u32 num_irqs} (struct vfio_device_info) both ways ---- */
#define IGDPT_VFU_DEVICE_INFO_SIZE 16u
#define IGDPT_VFU_DEVICE_INFO_ARGSZ_OFFSET 0u
#define IGDPT_VFU_DEVICE_INFO_FLAGS_OFFSET 4u
#define IGDPT_VFU_DEVICE_INFO_NUM_REGIONS_OFFSET 8u
#define IGDPT_VFU_DEVICE_INFO_NUM_IRQS_OFFSET 12u
#define IGDPT_VFU_DEVICE_FLAGS_RESET 0x1u /* VFIO_DEVICE_FLAGS_RESET */
#define IGDPT_VFU_DEVICE_FLAGS_PCI 0x2u   /* VFIO_DEVICE_FLAGS_PCI */

/* ---- DEVICE_GET_REGION_INFO: struct vfio_region_info {u32 argsz,
 * u32 flags, u32 index, u32 cap_offset, u64 size, u64 offset} both ways,
 * the reply followed by its capability chain ---- */
#define IGDPT_VFU_REGION_INFO_SIZE 32u
#define IGDPT_VFU_REGION_INFO_ARGSZ_OFFSET 0u
#define IGDPT_VFU_REGION_INFO_FLAGS_OFFSET 4u
#define IGDPT_VFU_REGION_INFO_INDEX_OFFSET 8u
#define IGDPT_VFU_REGION_INFO_CAP_OFFSET_OFFSET 12u
#define IGDPT_VFU_REGION_INFO_SIZE_OFFSET 16u
#define IGDPT_VFU_REGION_INFO_OFFSET_OFFSET 24u
#define IGDPT_VFU_REGION_INFO_FLAG_READ 0x1u /* VFIO_REGION_INFO_FLAG_* */
#define IGDPT_VFU_REGION_INFO_FLAG_WRITE 0x2u
#define IGDPT_VFU_REGION_INFO_FLAG_MMAP 0x4u
#define IGDPT_VFU_REGION_INFO_FLAG_CAPS 0x8u

/* struct vfio_info_cap_header {u16 id, u16 version, u32 next}; next is an
 * offset from the start of the region info, 0 ends the chain. */
#define IGDPT_VFU_CAP_HEADER_SIZE 8u
#define IGDPT_VFU_CAP_ID_OFFSET 0u
#define IGDPT_VFU_CAP_VERSION_OFFSET 2u
#define IGDPT_VFU_CAP_NEXT_OFFSET 4u
/* VFIO_REGION_INFO_CAP_TYPE, version 1: {header, u32 type, u32 subtype} */
#define IGDPT_VFU_CAP_TYPE_ID 2u
#define IGDPT_VFU_CAP_TYPE_VERSION 1u
#define IGDPT_VFU_CAP_TYPE_SIZE 16u
#define IGDPT_VFU_CAP_TYPE_TYPE_OFFSET 8u
#define IGDPT_VFU_CAP_TYPE_SUBTYPE_OFFSET 12u
/* VFIO_REGION_TYPE_PCI_VENDOR_TYPE | vendor: Intel's device-specific
 * regions, and the IGD's subtypes (VFIO_REGION_SUBTYPE_INTEL_IGD_*). */
#define IGDPT_VFU_REGION_TYPE_PCI_VENDOR_TYPE 0x80000000u
#define IGDPT_VFU_REGION_TYPE_INTEL (IGDPT_VFU_REGION_TYPE_PCI_VENDOR_TYPE | 0x8086u)
#define IGDPT_VFU_REGION_SUBTYPE_IGD_OPREGION 1u
#define IGDPT_VFU_REGION_SUBTYPE_IGD_HOST_CFG 2u
#define IGDPT_VFU_REGION_SUBTYPE_IGD_LPC_CFG 3u

/* vfio-pci's fixed region indexes (VFIO_PCI_*_REGION_INDEX); device-specific
 * regions follow from IGDPT_VFU_REGION_FIRST_DEVICE_SPECIFIC on. */
#define IGDPT_VFU_REGION_BAR0 0u
#define IGDPT_VFU_REGION_ROM 6u
#define IGDPT_VFU_REGION_CONFIG 7u
#define IGDPT_VFU_REGION_VGA 8u
#define IGDPT_VFU_REGION_FIRST_DEVICE_SPECIFIC 9u

/* ---- DEVICE_GET_IRQ_INFO: struct vfio_irq_info {u32 argsz, u32 flags,
 * u32 index, u32 count} both ways ---- */
#define IGDPT_VFU_IRQ_INFO_SIZE 16u
#define IGDPT_VFU_IRQ_INFO_ARGSZ_OFFSET 0u
#define IGDPT_VFU_IRQ_INFO_FLAGS_OFFSET 4u
#define IGDPT_VFU_IRQ_INFO_INDEX_OFFSET 8u
#define IGDPT_VFU_IRQ_INFO_COUNT_OFFSET 12u
#define IGDPT_VFU_IRQ_INFO_EVENTFD 0x1u /* VFIO_IRQ_INFO_* */
#define IGDPT_VFU_IRQ_INFO_MASKABLE 0x2u
#define IGDPT_VFU_IRQ_INFO_AUTOMASKED 0x4u
#define IGDPT_VFU_IRQ_INFO_NORESIZE 0x8u

/* vfio-pci's interrupt indexes (VFIO_PCI_*_IRQ_INDEX). */
#define IGDPT_VFU_IRQ_INTX 0u
#define IGDPT_VFU_IRQ_MSI 1u
#define IGDPT_VFU_IRQ_MSIX 2u
#define IGDPT_VFU_IRQ_ERR 3u
#define IGDPT_VFU_IRQ_REQ 4u
#define IGDPT_VFU_IRQ_COUNT 5u

/* ---- DEVICE_SET_IRQS: struct vfio_irq_set {u32 argsz, u32 flags,
 * u32 index, u32 start, u32 count} then count bytes (DATA_BOOL) or count
 * eventfds as SCM_RIGHTS (DATA_EVENTFD); header-only reply ---- */
#define IGDPT_VFU_IRQ_SET_SIZE 20u
#define IGDPT_VFU_IRQ_SET_ARGSZ_OFFSET 0u
#define IGDPT_VFU_IRQ_SET_FLAGS_OFFSET 4u
#define IGDPT_VFU_IRQ_SET_INDEX_OFFSET 8u
#define IGDPT_VFU_IRQ_SET_START_OFFSET 12u
#define IGDPT_VFU_IRQ_SET_COUNT_OFFSET 16u
#define IGDPT_VFU_IRQ_SET_DATA_NONE 0x1u /* VFIO_IRQ_SET_* */
#define IGDPT_VFU_IRQ_SET_DATA_BOOL 0x2u
#define IGDPT_VFU_IRQ_SET_DATA_EVENTFD 0x4u
#define IGDPT_VFU_IRQ_SET_ACTION_MASK 0x8u
#define IGDPT_VFU_IRQ_SET_ACTION_UNMASK 0x10u
#define IGDPT_VFU_IRQ_SET_ACTION_TRIGGER 0x20u
#define IGDPT_VFU_IRQ_SET_DATA_TYPE_MASK 0x7u
#define IGDPT_VFU_IRQ_SET_ACTION_TYPE_MASK 0x38u

/* ---- REGION_READ / REGION_WRITE: {u64 offset, u32 region, u32 count},
 * then count bytes (the write's data; the read reply's data). The write's
 * reply carries the 16 bytes alone. ---- */
#define IGDPT_VFU_REGION_RW_SIZE 16u
#define IGDPT_VFU_REGION_RW_OFFSET_OFFSET 0u
#define IGDPT_VFU_REGION_RW_REGION_OFFSET 8u
#define IGDPT_VFU_REGION_RW_COUNT_OFFSET 12u

/* ---- REGION_WRITE_MULTI: {u64 wr_cnt} then wr_cnt entries of {u64 offset,
 * u32 region, u32 count, u8 data[8]} ---- */
#define IGDPT_VFU_WRITE_MULTI_HEAD_SIZE 8u
#define IGDPT_VFU_WRITE_MULTI_ENTRY_SIZE 24u

#endif
