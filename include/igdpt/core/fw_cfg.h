/* SPDX-License-Identifier: MIT */
/* QEMU fw_cfg client (core: no I/O of its own, no malloc).
 *
 * The client speaks fw_cfg through caller-supplied port I/O callbacks, so the
 * same code runs in the EFI driver (real in/out instructions) and on the host
 * against a model of the device (tests, benchmark). It reads the directory,
 * finds a file by name and reads its bytes, through the DMA interface when
 * the device offers it (feature bit 1 of key 0x0001) and the caller gave it
 * memory the device can reach, and through the selector/data ports
 * otherwise. Every port access goes through one place and is counted.
 *
 * The directory helpers (igdpt_fw_cfg_dir_*) are pure byte parsers that any
 * fw_cfg reader can use, e.g. the multiboot probe's.
 * Return contract: >= 0 success, -errno failure with diag filled.
 */
#ifndef IGDPT_FW_CFG_H
#define IGDPT_FW_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/abi/fw_cfg.h"
#include "igdpt/core/api.h"
#include "igdpt/core/diag.h"

IGDPT_BEGIN_DECLS

/* dma_address() result for memory the device cannot reach. */
#define IGDPT_FW_CFG_NO_DMA UINT64_MAX

/* Port I/O as the CPU does it: the value written or read is what the port
 * sees (for the big-endian DMA register, already byte-swapped). */
struct igdpt_fw_cfg_io {
	void (*write16)(void *ctx, uint16_t port, uint16_t value);
	void (*write32)(void *ctx, uint16_t port, uint32_t value);
	uint8_t (*read8)(void *ctx, uint16_t port);
	/* The physical address the device must use for len bytes at p, or
	 * IGDPT_FW_CFG_NO_DMA when they are not physically contiguous memory
	 * it can reach. NULL: no DMA at all. */
	uint64_t (*dma_address)(void *ctx, const void *p, size_t len);
	void *ctx;
};

/* What the client did, counted in its port layer. */
struct igdpt_fw_cfg_stats {
	uint64_t port_writes;
	uint64_t port_reads;
	uint64_t dma_transfers;
	uint64_t pio_bytes; /* bytes read through the data port */
	uint64_t dma_bytes; /* bytes the device wrote by DMA */
};

struct igdpt_fw_cfg {
	const struct igdpt_fw_cfg_io *io;
	/* Caller-owned DMA-reachable memory: the 16-byte descriptor, then a
	 * bounce buffer for directory reads and unreachable destinations. */
	uint8_t *dma_area;
	size_t dma_area_size;
	uint64_t dma_area_address; /* its physical address */
	bool present;
	bool dma;          /* DMA in use (offered, allowed, memory given) */
	uint32_t features; /* key 0x0001 */
	struct igdpt_fw_cfg_stats stats;
};

/* A directory entry. name is NUL-terminated. */
struct igdpt_fw_cfg_file {
	uint32_t size;
	uint16_t key;
	char name[IGDPT_FW_CFG_FILE_NAME_SIZE + 1];
};

/* Smallest dma_area that enables DMA: the descriptor plus one directory entry. */
#define IGDPT_FW_CFG_DMA_AREA_MIN (IGDPT_FW_CFG_DMA_DESC_SIZE + IGDPT_FW_CFG_DIR_ENTRY_SIZE)

/* Probes the device: signature (key 0x0000), features (key 0x0001), and
 * chooses DMA when the device offers it, allow_dma is set and dma_area (at
 * least IGDPT_FW_CFG_DMA_AREA_MIN bytes) is reachable; PIO otherwise.
 * -ENODEV when the signature is not "QEMU", -EINVAL on bad arguments. */
int igdpt_fw_cfg_init(struct igdpt_fw_cfg *fc, const struct igdpt_fw_cfg_io *io,
		      uint8_t *dma_area, size_t dma_area_size, bool allow_dma,
		      struct igdpt_diag *diag);

/* Looks name up in the directory. -ENOENT when absent, -EINVAL when the
 * directory is malformed, -EIO when a DMA transfer fails. */
int igdpt_fw_cfg_find(struct igdpt_fw_cfg *fc, const char *name, struct igdpt_fw_cfg_file *file,
		      struct igdpt_diag *diag);

/* Reads the first len bytes of the item with this key into buf. DMA goes
 * straight into buf when buf is reachable, else through the bounce buffer.
 * -EIO when the device reports a DMA error. */
int igdpt_fw_cfg_read(struct igdpt_fw_cfg *fc, uint16_t key, uint8_t *buf, size_t len,
		      struct igdpt_diag *diag);

/* ---- pure directory parsing ---- */

/* The entry count from the directory's first 4 bytes (big-endian). */
uint32_t igdpt_fw_cfg_dir_count(const uint8_t *count_be);
/* Decodes one IGDPT_FW_CFG_DIR_ENTRY_SIZE-byte entry. -EINVAL when the name
 * is empty or not NUL-terminated within its 56 bytes. */
int igdpt_fw_cfg_dir_entry(const uint8_t *entry, struct igdpt_fw_cfg_file *file);
/* Finds name in a whole directory blob (count + entries) of len bytes.
 * -ENOENT when absent, -EINVAL (diag: offset) when the blob is truncated or
 * the count is implausible. Malformed entries are skipped. */
int igdpt_fw_cfg_dir_find(const uint8_t *dir, size_t len, const char *name,
			  struct igdpt_fw_cfg_file *file, struct igdpt_diag *diag);

IGDPT_END_DECLS

#endif
