/* SPDX-License-Identifier: MIT */
/* A host model of QEMU's x86 fw_cfg device (PIO and DMA) for tests and the
 * benchmark: items 0x0000 (signature), 0x0001 (features), 0x0019 (file
 * directory) and one item per file from key 0x0020, as QEMU numbers them.
 * DMA reaches only the model's own "guest memory" buffer. */
#ifndef IGDPT_TESTS_FW_CFG_MODEL_H
#define IGDPT_TESTS_FW_CFG_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/fw_cfg.h"

#define FW_CFG_MODEL_MAX_FILES 32u
#define FW_CFG_MODEL_FIRST_FILE_KEY 0x20u

struct fw_cfg_model_file {
	char name[IGDPT_FW_CFG_FILE_NAME_SIZE];
	const uint8_t *data;
	uint32_t size;
};

struct fw_cfg_model {
	bool absent;        /* no device: every data read returns 0xff */
	bool dma_offered;   /* feature bit 1 */
	bool dma_fail;      /* every DMA transfer ends with ERROR */
	struct fw_cfg_model_file files[FW_CFG_MODEL_MAX_FILES];
	unsigned nfiles;
	/* Guest physical memory the device can DMA to: [mem_base, +mem_size). */
	uint8_t *mem;
	size_t mem_size;
	uint64_t mem_base;
	/* Device state. */
	uint16_t key;
	uint32_t offset;
	uint32_t dma_high;
	uint8_t dir[IGDPT_FW_CFG_DIR_COUNT_SIZE + FW_CFG_MODEL_MAX_FILES * IGDPT_FW_CFG_DIR_ENTRY_SIZE];
	/* What the device saw. */
	uint64_t selects, data_reads, dma_writes, dma_transfers;
	struct igdpt_fw_cfg_io io; /* callbacks bound to this model */
};

/* Initializes an empty device over mem (may be NULL: no DMA reachable). */
void fw_cfg_model_init(struct fw_cfg_model *m, uint8_t *mem, size_t mem_size, uint64_t mem_base,
		       bool dma_offered);
/* Adds a file (data is borrowed). Returns its key. */
uint16_t fw_cfg_model_add(struct fw_cfg_model *m, const char *name, const uint8_t *data,
			  uint32_t size);

#endif
