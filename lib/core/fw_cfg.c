/* SPDX-License-Identifier: MIT */
/* QEMU fw_cfg client over caller-supplied port I/O: PIO and DMA.
 *
 * PIO: a 16-bit key write to the selector port, then one 8-bit read of the
 * data port per byte. DMA: the client writes a big-endian descriptor
 * {control, length, address} into memory the device can reach and hands its
 * physical address to the DMA register with two 32-bit writes; QEMU performs
 * the whole transfer on the second write and clears the control word (or
 * sets ERROR). A transfer without SELECT continues at the current offset of
 * the item, which is how the directory is read in pieces.
 */
#include "igdpt/core/fw_cfg.h"

#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"

#define BITS_PER_BYTE 8u
#define U32_HALF_SHIFT 32u
/* QEMU finishes a transfer inside the port write; a device that never
 * clears the control word must not hang the firmware. */
#define DMA_POLL_LIMIT 1000000u

static uint32_t get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << BITS_PER_BYTE) | p[1]);
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t swap32(uint32_t v)
{
	return (uint32_t)(uint8_t)v << 24 | (uint32_t)(uint8_t)(v >> 8) << 16 |
	       (uint32_t)(uint8_t)(v >> 16) << 8 | v >> 24;
}

/* ---- the port layer: every access is counted here ---- */

static void port_write16(struct igdpt_fw_cfg *fc, uint16_t port, uint16_t v)
{
	fc->stats.port_writes++;
	fc->io->write16(fc->io->ctx, port, v);
}

static void port_write32(struct igdpt_fw_cfg *fc, uint16_t port, uint32_t v)
{
	fc->stats.port_writes++;
	fc->io->write32(fc->io->ctx, port, v);
}

static uint8_t port_read8(struct igdpt_fw_cfg *fc, uint16_t port)
{
	fc->stats.port_reads++;
	return fc->io->read8(fc->io->ctx, port);
}

static void pio_select(struct igdpt_fw_cfg *fc, uint16_t key)
{
	port_write16(fc, IGDPT_FW_CFG_PORT_SELECTOR, key);
}

static void pio_read(struct igdpt_fw_cfg *fc, uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = port_read8(fc, IGDPT_FW_CFG_PORT_DATA);
	fc->stats.pio_bytes += len;
}

/* One DMA read of len bytes to physical address addr; select picks key first. */
static int dma_read(struct igdpt_fw_cfg *fc, bool select, uint16_t key, uint64_t addr,
		    uint32_t len, struct igdpt_diag *diag)
{
	uint8_t *desc = fc->dma_area;
	const volatile uint8_t *control = desc + IGDPT_FW_CFG_DMA_CONTROL_OFFSET;
	uint32_t ctl = IGDPT_FW_CFG_DMA_CTL_READ;
	uint32_t status = 0;

	if (select)
		ctl |= IGDPT_FW_CFG_DMA_CTL_SELECT | (uint32_t)key << IGDPT_FW_CFG_DMA_CTL_KEY_SHIFT;
	put_be32(desc + IGDPT_FW_CFG_DMA_CONTROL_OFFSET, ctl);
	put_be32(desc + IGDPT_FW_CFG_DMA_LENGTH_OFFSET, len);
	put_be32(desc + IGDPT_FW_CFG_DMA_ADDRESS_OFFSET, (uint32_t)(addr >> U32_HALF_SHIFT));
	put_be32(desc + IGDPT_FW_CFG_DMA_ADDRESS_OFFSET + sizeof(uint32_t), (uint32_t)addr);
	/* The device reads the descriptor when the low half is written. */
	__asm__ volatile("" ::: "memory");
	port_write32(fc, IGDPT_FW_CFG_PORT_DMA_HIGH,
		     swap32((uint32_t)(fc->dma_area_address >> U32_HALF_SHIFT)));
	port_write32(fc, IGDPT_FW_CFG_PORT_DMA_LOW, swap32((uint32_t)fc->dma_area_address));
	fc->stats.dma_transfers++;
	for (uint32_t i = 0; i < DMA_POLL_LIMIT; i++) {
		status = ((uint32_t)control[0] << 24) | ((uint32_t)control[1] << 16) |
			 ((uint32_t)control[2] << 8) | control[3];
		if ((status & ~IGDPT_FW_CFG_DMA_CTL_ERROR) == 0)
			break;
	}
	__asm__ volatile("" ::: "memory");
	if (status & IGDPT_FW_CFG_DMA_CTL_ERROR)
		return igdpt_diag_fail(diag, -IGDPT_EIO, key, "fw_cfg DMA transfer reported an error");
	if (status)
		return igdpt_diag_fail(diag, -IGDPT_EIO, key, "fw_cfg DMA transfer never completed");
	fc->stats.dma_bytes += len;
	return 0;
}

static size_t bounce_size(const struct igdpt_fw_cfg *fc)
{
	return fc->dma_area_size - IGDPT_FW_CFG_DMA_DESC_SIZE;
}

static uint8_t *bounce(const struct igdpt_fw_cfg *fc)
{
	return fc->dma_area + IGDPT_FW_CFG_DMA_DESC_SIZE;
}

static uint64_t bounce_address(const struct igdpt_fw_cfg *fc)
{
	return fc->dma_area_address + IGDPT_FW_CFG_DMA_DESC_SIZE;
}

/* Reads len bytes of the current item; select (and key) only for the first. */
static int item_read(struct igdpt_fw_cfg *fc, bool select, uint16_t key, uint8_t *buf,
		     size_t len, struct igdpt_diag *diag)
{
	uint64_t addr;
	int ret;

	if (!fc->dma) {
		if (select)
			pio_select(fc, key);
		pio_read(fc, buf, len);
		return 0;
	}
	addr = len && len <= UINT32_MAX && fc->io->dma_address
		       ? fc->io->dma_address(fc->io->ctx, buf, len)
		       : IGDPT_FW_CFG_NO_DMA;
	if (addr != IGDPT_FW_CFG_NO_DMA)
		return dma_read(fc, select, key, addr, (uint32_t)len, diag);
	/* Unreachable destination: through the bounce buffer, piece by piece. */
	do {
		size_t chunk = len < bounce_size(fc) ? len : bounce_size(fc);

		ret = dma_read(fc, select, key, bounce_address(fc), (uint32_t)chunk, diag);
		if (ret < 0)
			return ret;
		igdpt_bytes_copy(buf, bounce(fc), chunk);
		buf += chunk;
		len -= chunk;
		select = false;
	} while (len);
	return 0;
}

int igdpt_fw_cfg_init(struct igdpt_fw_cfg *fc, const struct igdpt_fw_cfg_io *io,
		      uint8_t *dma_area, size_t dma_area_size, bool allow_dma,
		      struct igdpt_diag *diag)
{
	uint8_t sig[IGDPT_FW_CFG_SIGNATURE_SIZE];
	uint8_t id[IGDPT_FW_CFG_ID_SIZE];
	struct igdpt_fw_cfg tmp = { 0 };

	if (!fc || !io || !io->write16 || !io->write32 || !io->read8)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0, "fw_cfg client needs port I/O callbacks");
	tmp.io = io;
	/* Signature and features always through PIO: DMA is not known yet. */
	pio_select(&tmp, IGDPT_FW_CFG_SIGNATURE_KEY);
	pio_read(&tmp, sig, sizeof(sig));
	if (igdpt_bytes_differ(sig, (const uint8_t *)IGDPT_FW_CFG_SIGNATURE, sizeof(sig))) {
		*fc = tmp;
		return igdpt_diag_fail(diag, -IGDPT_ENODEV, IGDPT_FW_CFG_PORT_SELECTOR,
				       "no fw_cfg device: key 0x0000 does not read \"QEMU\"");
	}
	tmp.present = true;
	pio_select(&tmp, IGDPT_FW_CFG_ID_KEY);
	pio_read(&tmp, id, sizeof(id));
	tmp.features = igdpt_le32(id);
	if (allow_dma && (tmp.features & IGDPT_FW_CFG_ID_DMA) && io->dma_address && dma_area &&
	    dma_area_size >= IGDPT_FW_CFG_DMA_AREA_MIN && dma_area_size <= UINT32_MAX) {
		tmp.dma_area_address = io->dma_address(io->ctx, dma_area, dma_area_size);
		if (tmp.dma_area_address != IGDPT_FW_CFG_NO_DMA) {
			tmp.dma = true;
			tmp.dma_area = dma_area;
			tmp.dma_area_size = dma_area_size;
		}
	}
	*fc = tmp;
	return 0;
}

uint32_t igdpt_fw_cfg_dir_count(const uint8_t *count_be)
{
	return get_be32(count_be);
}

int igdpt_fw_cfg_dir_entry(const uint8_t *entry, struct igdpt_fw_cfg_file *file)
{
	const uint8_t *name = entry + IGDPT_FW_CFG_DIR_ENTRY_NAME_OFFSET;
	size_t n = 0;

	while (n < IGDPT_FW_CFG_FILE_NAME_SIZE && name[n])
		n++;
	if (n == 0 || n == IGDPT_FW_CFG_FILE_NAME_SIZE)
		return -IGDPT_EINVAL;
	file->size = get_be32(entry + IGDPT_FW_CFG_DIR_ENTRY_SIZE_OFFSET);
	file->key = get_be16(entry + IGDPT_FW_CFG_DIR_ENTRY_SELECT_OFFSET);
	igdpt_bytes_copy((uint8_t *)file->name, name, n);
	file->name[n] = '\0';
	return 0;
}

static bool entry_matches(const uint8_t *entry, const char *name, struct igdpt_fw_cfg_file *out)
{
	struct igdpt_fw_cfg_file f;
	size_t i;

	if (igdpt_fw_cfg_dir_entry(entry, &f) < 0)
		return false;
	for (i = 0; name[i] && f.name[i]; i++)
		if (name[i] != f.name[i])
			return false;
	if (name[i] != f.name[i])
		return false;
	*out = f;
	return true;
}

static int check_name(const char *name, struct igdpt_diag *diag)
{
	size_t n = 0;

	if (!name)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0, "fw_cfg file name missing");
	while (name[n])
		if (++n >= IGDPT_FW_CFG_FILE_NAME_SIZE)
			return igdpt_diag_fail(diag, -IGDPT_EINVAL, n,
					       "fw_cfg file name longer than 55 bytes");
	if (n == 0)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0, "fw_cfg file name empty");
	return 0;
}

int igdpt_fw_cfg_dir_find(const uint8_t *dir, size_t len, const char *name,
			  struct igdpt_fw_cfg_file *file, struct igdpt_diag *diag)
{
	uint32_t count;
	int ret = check_name(name, diag);

	if (ret < 0)
		return ret;
	if (!dir || len < IGDPT_FW_CFG_DIR_COUNT_SIZE)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0, "fw_cfg directory shorter than its count");
	count = igdpt_fw_cfg_dir_count(dir);
	if (count > IGDPT_FW_CFG_DIR_MAX_FILES)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0, "fw_cfg directory count implausible");
	if ((len - IGDPT_FW_CFG_DIR_COUNT_SIZE) / IGDPT_FW_CFG_DIR_ENTRY_SIZE < count)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, len,
				       "fw_cfg directory shorter than its entry count");
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *entry =
			dir + IGDPT_FW_CFG_DIR_COUNT_SIZE + (size_t)i * IGDPT_FW_CFG_DIR_ENTRY_SIZE;

		if (entry_matches(entry, name, file))
			return 0;
	}
	return -IGDPT_ENOENT;
}

int igdpt_fw_cfg_find(struct igdpt_fw_cfg *fc, const char *name, struct igdpt_fw_cfg_file *file,
		      struct igdpt_diag *diag)
{
	uint8_t count_be[IGDPT_FW_CFG_DIR_COUNT_SIZE];
	uint8_t entry[IGDPT_FW_CFG_DIR_ENTRY_SIZE];
	uint32_t count, i = 0;
	int ret;

	if (!fc || !file)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0, "fw_cfg client or file missing");
	ret = check_name(name, diag);
	if (ret < 0)
		return ret;
	if (!fc->present)
		return igdpt_diag_fail(diag, -IGDPT_ENODEV, 0, "no fw_cfg device");
	ret = item_read(fc, true, IGDPT_FW_CFG_FILE_DIR_KEY, count_be, sizeof(count_be), diag);
	if (ret < 0)
		return ret;
	count = igdpt_fw_cfg_dir_count(count_be);
	if (count > IGDPT_FW_CFG_DIR_MAX_FILES)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0, "fw_cfg directory count implausible");
	while (i < count) {
		/* DMA: as many entries per transfer as the bounce buffer holds. */
		uint32_t batch = 1;
		const uint8_t *entries = entry;

		if (fc->dma) {
			size_t fit = bounce_size(fc) / IGDPT_FW_CFG_DIR_ENTRY_SIZE;

			batch = count - i < fit ? count - i : (uint32_t)fit;
			ret = dma_read(fc, false, 0, bounce_address(fc),
				       batch * IGDPT_FW_CFG_DIR_ENTRY_SIZE, diag);
			if (ret < 0)
				return ret;
			entries = bounce(fc);
		} else {
			pio_read(fc, entry, sizeof(entry));
		}
		for (uint32_t j = 0; j < batch; j++)
			if (entry_matches(entries + (size_t)j * IGDPT_FW_CFG_DIR_ENTRY_SIZE, name, file))
				return 0;
		i += batch;
	}
	return -IGDPT_ENOENT;
}

int igdpt_fw_cfg_read(struct igdpt_fw_cfg *fc, uint16_t key, uint8_t *buf, size_t len,
		      struct igdpt_diag *diag)
{
	if (!fc || (!buf && len))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0, "fw_cfg client or buffer missing");
	if (!fc->present)
		return igdpt_diag_fail(diag, -IGDPT_ENODEV, 0, "no fw_cfg device");
	return item_read(fc, true, key, buf, len, diag);
}
