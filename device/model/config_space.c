/* SPDX-License-Identifier: MIT */
/* Generic PCI configuration space: write masks, BAR sizing, the QEMU proxy
 * probe quirk.
 *
 * QEMU's x-pci-proxy-dev (hw/remote/proxy.c, probe_pci_info()) sizes each of
 * the six BAR dwords on its own at realize: read, write 0xffffffff, read,
 * restore. It derives the type from bit 0 only and takes any non-zero result
 * as a 32-bit BAR. The upper dword of a 64-bit BAR would read 0xffffffff on
 * real hardware and become a bogus 16-byte BAR, so during that probe the
 * upper dwords ignore writes and read 0. Once the probe is over they behave
 * like hardware (all bits writable for BARs below 4 GiB), which SeaBIOS and
 * Linux need to size 64-bit BARs. Only the proxy's peer needs this: the
 * device model ends the probe state at once for other transports
 * (qemu_proxy_bar_probe in device/model/device.h). */
#include "config_space.h"

#include <errno.h>
#include <string.h>

/* PCI 3.0 6.2.5.1: I/O BARs claim at most 256 bytes; memory BARs at least
 * 16. A 32-bit memory BAR cannot exceed half the 32-bit space. */
#define IO_BAR_MIN 4u
#define IO_BAR_MAX 256u
#define MEM_BAR_MIN 16u
#define MEM32_BAR_MAX (1ull << 31)

void igdpt_cfg_init(struct igdpt_config_space *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->probing = true;
}

static unsigned bar_offset(unsigned index)
{
	return IGDPT_PCI_BAR0_OFFSET + index * IGDPT_PCI_BAR_STRIDE;
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static bool is_64(enum igdpt_bar_type type)
{
	return type == IGDPT_BAR_MEM64 || type == IGDPT_BAR_MEM64_PREF;
}

/* The slot is free if no BAR was declared there and it is not the upper
 * dword of a 64-bit BAR below it. */
static bool slot_free(const struct igdpt_config_space *cfg, unsigned index)
{
	if (cfg->bars[index].type != IGDPT_BAR_NONE)
		return false;
	return !(index > 0 && is_64(cfg->bars[index - 1].type));
}

int igdpt_cfg_add_bar(struct igdpt_config_space *cfg, unsigned index,
		      enum igdpt_bar_type type, uint64_t size)
{
	unsigned off;
	uint64_t flags;

	if (index >= IGDPT_PCI_BAR_COUNT || type == IGDPT_BAR_NONE || !is_pow2(size))
		return -EINVAL;
	if (!slot_free(cfg, index))
		return -EINVAL;
	off = bar_offset(index);
	switch (type) {
	case IGDPT_BAR_IO:
		if (size < IO_BAR_MIN || size > IO_BAR_MAX)
			return -EINVAL;
		flags = IGDPT_PCI_BAR_SPACE_IO;
		igdpt_cfg_set(cfg, off, flags, 4);
		igdpt_cfg_set_wmask(cfg, off, (uint32_t)~(size - 1) & ~IGDPT_PCI_BAR_IO_FLAGS_MASK, 4);
		break;
	case IGDPT_BAR_MEM32:
		if (size < MEM_BAR_MIN || size > MEM32_BAR_MAX)
			return -EINVAL;
		igdpt_cfg_set(cfg, off, 0, 4);
		igdpt_cfg_set_wmask(cfg, off, (uint32_t)~(size - 1) & ~IGDPT_PCI_BAR_MEM_FLAGS_MASK, 4);
		break;
	case IGDPT_BAR_MEM64:
	case IGDPT_BAR_MEM64_PREF:
		if (size < MEM_BAR_MIN || index + 1 >= IGDPT_PCI_BAR_COUNT || !slot_free(cfg, index + 1))
			return -EINVAL;
		flags = IGDPT_PCI_BAR_MEM_TYPE_64;
		if (type == IGDPT_BAR_MEM64_PREF)
			flags |= IGDPT_PCI_BAR_MEM_PREFETCH;
		igdpt_cfg_set(cfg, off, flags, 8);
		igdpt_cfg_set_wmask(cfg, off, ~(size - 1) & ~(uint64_t)IGDPT_PCI_BAR_MEM_FLAGS_MASK, 8);
		break;
	default:
		return -EINVAL;
	}
	cfg->bars[index].type = type;
	cfg->bars[index].size = size;
	return 0;
}

/* Bits 11-31: the largest ROM the BAR can describe. */
#define ROM_MAX_SIZE (1ull << 31)

int igdpt_cfg_set_rom(struct igdpt_config_space *cfg, uint64_t size)
{
	if (!is_pow2(size) || size < IGDPT_PCI_ROM_MIN_SIZE || size > ROM_MAX_SIZE)
		return -EINVAL;
	igdpt_cfg_set(cfg, IGDPT_PCI_ROM_ADDRESS_OFFSET, 0, 4);
	igdpt_cfg_set_wmask(cfg, IGDPT_PCI_ROM_ADDRESS_OFFSET,
			    ((uint32_t)~(size - 1) & IGDPT_PCI_ROM_ADDRESS_MASK) |
				    IGDPT_PCI_ROM_ADDRESS_ENABLE,
			    4);
	cfg->rom_size = size;
	return 0;
}

bool igdpt_cfg_rom_enabled(const struct igdpt_config_space *cfg, uint64_t *address)
{
	uint32_t v = (uint32_t)igdpt_cfg_get(cfg, IGDPT_PCI_ROM_ADDRESS_OFFSET, 4);

	if (!cfg->rom_size || !(v & IGDPT_PCI_ROM_ADDRESS_ENABLE))
		return false;
	*address = v & IGDPT_PCI_ROM_ADDRESS_MASK;
	return true;
}

void igdpt_cfg_set(struct igdpt_config_space *cfg, unsigned off, uint64_t value, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		cfg->bytes[off + i] = (uint8_t)(value >> (8 * i));
}

void igdpt_cfg_set_wmask(struct igdpt_config_space *cfg, unsigned off, uint64_t mask,
			 unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		cfg->wmask[off + i] = (uint8_t)(mask >> (8 * i));
}

uint64_t igdpt_cfg_get(const struct igdpt_config_space *cfg, unsigned off, unsigned len)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < len; i++)
		v |= (uint64_t)cfg->bytes[off + i] << (8 * i);
	return v;
}

uint64_t igdpt_cfg_get_wmask(const struct igdpt_config_space *cfg, unsigned off, unsigned len)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < len; i++)
		v |= (uint64_t)cfg->wmask[off + i] << (8 * i);
	return v;
}

int igdpt_cfg_check_access(uint32_t off, int32_t len, const char **reason)
{
	if (len != 1 && len != 2 && len != 4) {
		*reason = "config access length is not 1, 2 or 4";
		return -EINVAL;
	}
	if (off >= IGDPT_PCI_CONFIG_SPACE_SIZE) {
		*reason = "config offset past the 4 KiB configuration space";
		return -EINVAL;
	}
	if (off + (uint32_t)len > IGDPT_PCI_CONFIG_SPACE_SIZE) {
		*reason = "config access runs past the 4 KiB configuration space";
		return -EINVAL;
	}
	return 0;
}

uint32_t igdpt_cfg_read(struct igdpt_config_space *cfg, unsigned off, unsigned len)
{
	return (uint32_t)igdpt_cfg_get(cfg, off, len);
}

/* True if byte off is in the upper dword of a 64-bit BAR. */
static bool in_bar_upper_dword(const struct igdpt_config_space *cfg, unsigned off)
{
	unsigned index;

	if (off < bar_offset(1) || off >= bar_offset(IGDPT_PCI_BAR_COUNT))
		return false;
	index = (off - IGDPT_PCI_BAR0_OFFSET) / IGDPT_PCI_BAR_STRIDE;
	return is_64(cfg->bars[index - 1].type);
}

/* QEMU's probe is: for each BAR dword, read, write all ones, read, write the
 * original back, all 4 bytes wide. Anything else means it is over; so does
 * the restore of the last BAR dword. */
static void track_probe(struct igdpt_config_space *cfg, unsigned off, unsigned len)
{
	unsigned last = bar_offset(IGDPT_PCI_BAR_COUNT - 1);

	if (!cfg->probing)
		return;
	if (len != 4 || off < IGDPT_PCI_BAR0_OFFSET || off > last || off % 4) {
		cfg->probing = false;
		return;
	}
	if (off == last && ++cfg->probe_last_bar_writes >= 2)
		cfg->probing = false;
}

void igdpt_cfg_write(struct igdpt_config_space *cfg, unsigned off, uint32_t value,
		     unsigned len)
{
	bool probing = cfg->probing;

	track_probe(cfg, off, len);
	for (unsigned i = 0; i < len; i++) {
		unsigned at = off + i;
		uint8_t m = cfg->wmask[at];
		uint8_t v = (uint8_t)(value >> (8 * i));

		if (probing && in_bar_upper_dword(cfg, at))
			continue;
		cfg->bytes[at] = (uint8_t)((cfg->bytes[at] & ~m) | (v & m));
	}
}

void igdpt_cfg_end_probe(struct igdpt_config_space *cfg)
{
	cfg->probing = false;
}

uint64_t igdpt_cfg_bar_address(const struct igdpt_config_space *cfg, unsigned index)
{
	const struct igdpt_cfg_bar *bar;
	unsigned off;

	if (index >= IGDPT_PCI_BAR_COUNT)
		return 0;
	bar = &cfg->bars[index];
	off = bar_offset(index);
	switch (bar->type) {
	case IGDPT_BAR_IO:
		return igdpt_cfg_get(cfg, off, 4) & ~(uint64_t)IGDPT_PCI_BAR_IO_FLAGS_MASK;
	case IGDPT_BAR_MEM32:
		return igdpt_cfg_get(cfg, off, 4) & ~(uint64_t)IGDPT_PCI_BAR_MEM_FLAGS_MASK;
	case IGDPT_BAR_MEM64:
	case IGDPT_BAR_MEM64_PREF:
		return igdpt_cfg_get(cfg, off, 8) & ~(uint64_t)IGDPT_PCI_BAR_MEM_FLAGS_MASK;
	default:
		return 0;
	}
}

static bool inside(uint64_t base, uint64_t size, uint64_t addr, unsigned len)
{
	return addr >= base && addr - base < size && len <= size - (addr - base);
}

/* QEMU's proxy registers every BAR as 32-bit (it only looks at bit 0), so it
 * maps a 64-bit BAR at its lower dword and sends addresses relative to that.
 * Match on the lower dword first, then on the full 64-bit address, so both
 * that QEMU and a peer that honours the upper dword are served. */
int igdpt_cfg_find_bar(const struct igdpt_config_space *cfg, bool memory, uint64_t addr,
		       unsigned size, unsigned *index, uint64_t *offset)
{
	for (unsigned pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < IGDPT_PCI_BAR_COUNT; i++) {
			const struct igdpt_cfg_bar *bar = &cfg->bars[i];
			uint64_t base;

			if (bar->type == IGDPT_BAR_NONE || (bar->type == IGDPT_BAR_IO) == memory)
				continue;
			base = igdpt_cfg_bar_address(cfg, i);
			if (pass == 0)
				base &= UINT32_MAX;
			if (inside(base, bar->size, addr, size)) {
				*index = i;
				*offset = addr - base;
				return 0;
			}
		}
	}
	if (memory) {
		uint64_t base;

		if (igdpt_cfg_rom_enabled(cfg, &base) && inside(base, cfg->rom_size, addr, size)) {
			*index = IGDPT_PCI_ROM_SLOT;
			*offset = addr - base;
			return 0;
		}
	}
	return -ENOENT;
}

void igdpt_cfg_reset(struct igdpt_config_space *cfg)
{
	uint64_t command = igdpt_cfg_get(cfg, IGDPT_PCI_COMMAND_OFFSET, 2);

	igdpt_cfg_set(cfg, IGDPT_PCI_COMMAND_OFFSET,
		      command & ~igdpt_cfg_get_wmask(cfg, IGDPT_PCI_COMMAND_OFFSET, 2), 2);
	cfg->bytes[IGDPT_PCI_CACHE_LINE_OFFSET] &= (uint8_t)~cfg->wmask[IGDPT_PCI_CACHE_LINE_OFFSET];
	cfg->bytes[IGDPT_PCI_INTERRUPT_LINE_OFFSET] &=
		(uint8_t)~cfg->wmask[IGDPT_PCI_INTERRUPT_LINE_OFFSET];
	for (unsigned i = 0; i < IGDPT_PCI_BAR_COUNT; i++) {
		unsigned off = bar_offset(i);
		unsigned len = is_64(cfg->bars[i].type) ? 8 : 4;

		if (cfg->bars[i].type == IGDPT_BAR_NONE)
			continue;
		igdpt_cfg_set(cfg, off, igdpt_cfg_get(cfg, off, len) & ~igdpt_cfg_get_wmask(cfg, off, len),
			      len);
	}
	igdpt_cfg_set(cfg, IGDPT_PCI_ROM_ADDRESS_OFFSET,
		      igdpt_cfg_get(cfg, IGDPT_PCI_ROM_ADDRESS_OFFSET, 4) &
			      ~igdpt_cfg_get_wmask(cfg, IGDPT_PCI_ROM_ADDRESS_OFFSET, 4),
		      4);
}
