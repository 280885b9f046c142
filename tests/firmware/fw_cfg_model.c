/* SPDX-License-Identifier: MIT */
/* Host model of QEMU's fw_cfg device, following docs/specs/fw_cfg.rst:
 * reads past an item's end return 0, a DMA descriptor the device cannot
 * read leaves its control word untouched, a transfer that cannot write its
 * destination ends with the ERROR bit. */
#include "fw_cfg_model.h"

#include <string.h>

#include "igdpt/core/bytes.h"

#define ABSENT_BUS_VALUE 0xFFu /* an ISA port nobody decodes */

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t swap32(uint32_t v)
{
	return __builtin_bswap32(v);
}

/* The bytes of the selected item. */
static const uint8_t *item(struct fw_cfg_model *m, uint32_t *len)
{
	static const uint8_t signature[] = IGDPT_FW_CFG_SIGNATURE;
	static uint8_t features[IGDPT_FW_CFG_ID_SIZE];

	switch (m->key) {
	case IGDPT_FW_CFG_SIGNATURE_KEY:
		*len = IGDPT_FW_CFG_SIGNATURE_SIZE;
		return signature;
	case IGDPT_FW_CFG_ID_KEY:
		igdpt_put_le32(features, IGDPT_FW_CFG_ID_TRADITIONAL |
						 (m->dma_offered ? IGDPT_FW_CFG_ID_DMA : 0));
		*len = sizeof(features);
		return features;
	case IGDPT_FW_CFG_FILE_DIR_KEY:
		*len = IGDPT_FW_CFG_DIR_COUNT_SIZE + m->nfiles * IGDPT_FW_CFG_DIR_ENTRY_SIZE;
		return m->dir;
	default:
		if (m->key >= FW_CFG_MODEL_FIRST_FILE_KEY &&
		    m->key < FW_CFG_MODEL_FIRST_FILE_KEY + m->nfiles) {
			const struct fw_cfg_model_file *f = &m->files[m->key - FW_CFG_MODEL_FIRST_FILE_KEY];

			*len = f->size;
			return f->data;
		}
		*len = 0;
		return NULL;
	}
}

static uint8_t next_byte(struct fw_cfg_model *m)
{
	uint32_t len;
	const uint8_t *data = item(m, &len);

	if (m->offset >= len)
		return 0;
	return data[m->offset++];
}

static uint8_t *guest(struct fw_cfg_model *m, uint64_t addr, uint64_t len)
{
	if (!m->mem || addr < m->mem_base || addr - m->mem_base > m->mem_size ||
	    len > m->mem_size - (addr - m->mem_base))
		return NULL;
	return m->mem + (addr - m->mem_base);
}

static void dma_transfer(struct fw_cfg_model *m, uint64_t desc_addr)
{
	uint8_t *desc = guest(m, desc_addr, IGDPT_FW_CFG_DMA_DESC_SIZE);
	uint32_t control, len;
	uint64_t addr;
	uint8_t *dst;

	m->dma_transfers++;
	if (!desc)
		return;
	control = be32(desc + IGDPT_FW_CFG_DMA_CONTROL_OFFSET);
	len = be32(desc + IGDPT_FW_CFG_DMA_LENGTH_OFFSET);
	addr = (uint64_t)be32(desc + IGDPT_FW_CFG_DMA_ADDRESS_OFFSET) << 32 |
	       be32(desc + IGDPT_FW_CFG_DMA_ADDRESS_OFFSET + 4);
	if (control & IGDPT_FW_CFG_DMA_CTL_SELECT) {
		m->key = (uint16_t)(control >> IGDPT_FW_CFG_DMA_CTL_KEY_SHIFT);
		m->offset = 0;
	}
	if (m->dma_fail || (control & IGDPT_FW_CFG_DMA_CTL_WRITE)) {
		put_be32(desc, IGDPT_FW_CFG_DMA_CTL_ERROR);
		return;
	}
	if (control & IGDPT_FW_CFG_DMA_CTL_READ) {
		dst = guest(m, addr, len);
		if (!dst) {
			put_be32(desc, IGDPT_FW_CFG_DMA_CTL_ERROR);
			return;
		}
		for (uint32_t i = 0; i < len; i++)
			dst[i] = next_byte(m);
	} else if (control & IGDPT_FW_CFG_DMA_CTL_SKIP) {
		m->offset += len;
	}
	put_be32(desc, 0);
}

static void model_write16(void *ctx, uint16_t port, uint16_t value)
{
	struct fw_cfg_model *m = ctx;

	if (m->absent || port != IGDPT_FW_CFG_PORT_SELECTOR)
		return;
	m->selects++;
	m->key = value;
	m->offset = 0;
}

static void model_write32(void *ctx, uint16_t port, uint32_t value)
{
	struct fw_cfg_model *m = ctx;

	if (m->absent || !m->dma_offered)
		return;
	/* The DMA register is big-endian: the CPU's value arrives swapped. */
	if (port == IGDPT_FW_CFG_PORT_DMA_HIGH) {
		m->dma_writes++;
		m->dma_high = swap32(value);
	} else if (port == IGDPT_FW_CFG_PORT_DMA_LOW) {
		m->dma_writes++;
		dma_transfer(m, (uint64_t)m->dma_high << 32 | swap32(value));
	}
}

static uint8_t model_read8(void *ctx, uint16_t port)
{
	struct fw_cfg_model *m = ctx;

	if (m->absent || port != IGDPT_FW_CFG_PORT_DATA)
		return ABSENT_BUS_VALUE;
	m->data_reads++;
	return next_byte(m);
}

static uint64_t model_dma_address(void *ctx, const void *p, size_t len)
{
	struct fw_cfg_model *m = ctx;
	const uint8_t *b = p;

	if (!m->mem || b < m->mem || b > m->mem + m->mem_size ||
	    len > (size_t)(m->mem + m->mem_size - b))
		return IGDPT_FW_CFG_NO_DMA;
	return m->mem_base + (uint64_t)(b - m->mem);
}

void fw_cfg_model_init(struct fw_cfg_model *m, uint8_t *mem, size_t mem_size, uint64_t mem_base,
		       bool dma_offered)
{
	memset(m, 0, sizeof(*m));
	m->mem = mem;
	m->mem_size = mem_size;
	m->mem_base = mem_base;
	m->dma_offered = dma_offered;
	m->io = (struct igdpt_fw_cfg_io){
		.write16 = model_write16,
		.write32 = model_write32,
		.read8 = model_read8,
		.dma_address = model_dma_address,
		.ctx = m,
	};
}

uint16_t fw_cfg_model_add(struct fw_cfg_model *m, const char *name, const uint8_t *data,
			  uint32_t size)
{
	unsigned i = m->nfiles++;
	uint16_t key = (uint16_t)(FW_CFG_MODEL_FIRST_FILE_KEY + i);
	uint8_t *entry = m->dir + IGDPT_FW_CFG_DIR_COUNT_SIZE + i * IGDPT_FW_CFG_DIR_ENTRY_SIZE;

	strncpy(m->files[i].name, name, sizeof(m->files[i].name) - 1);
	m->files[i].data = data;
	m->files[i].size = size;
	put_be32(m->dir, m->nfiles);
	memset(entry, 0, IGDPT_FW_CFG_DIR_ENTRY_SIZE);
	put_be32(entry + IGDPT_FW_CFG_DIR_ENTRY_SIZE_OFFSET, size);
	put_be16(entry + IGDPT_FW_CFG_DIR_ENTRY_SELECT_OFFSET, key);
	memcpy(entry + IGDPT_FW_CFG_DIR_ENTRY_NAME_OFFSET, m->files[i].name,
	       strlen(m->files[i].name));
	return key;
}
