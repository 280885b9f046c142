/* SPDX-License-Identifier: MIT */
/* A PCI function's 4 KiB configuration space: bytes, per-byte write masks,
 * and BARs with the sizing protocol (write all ones, read the mask, restore). */
#ifndef IGDPT_DEVICE_CONFIG_SPACE_H
#define IGDPT_DEVICE_CONFIG_SPACE_H

#include <stdbool.h>
#include <stdint.h>

#include "pci_regs.h"

enum igdpt_bar_type {
	IGDPT_BAR_NONE = 0,
	IGDPT_BAR_MEM32,
	IGDPT_BAR_MEM64,      /* occupies this BAR and the next (upper dword) */
	IGDPT_BAR_MEM64_PREF, /* 64-bit prefetchable */
	IGDPT_BAR_IO,
};

struct igdpt_cfg_bar {
	enum igdpt_bar_type type; /* NONE for unused BARs and upper dwords */
	uint64_t size;
};

struct igdpt_config_space {
	uint8_t bytes[IGDPT_PCI_CONFIG_SPACE_SIZE];
	uint8_t wmask[IGDPT_PCI_CONFIG_SPACE_SIZE];
	struct igdpt_cfg_bar bars[IGDPT_PCI_BAR_COUNT];
	uint64_t rom_size; /* expansion ROM BAR size, 0: none */
	/* True from creation until QEMU's realize-time BAR probe is over; see
	 * igdpt_cfg_write() for why the upper dwords need it. */
	bool probing;
	unsigned probe_last_bar_writes;
};

/* Empty space (all bytes 0, nothing writable), in the probing state. */
void igdpt_cfg_init(struct igdpt_config_space *cfg);

/* Declares BAR index of the given type and size (a power of two, >= 16 for
 * memory, >= 4 for I/O). 64-bit BARs take index and index+1. Returns 0,
 * or -EINVAL for a bad size or index, or a BAR slot already in use. */
int igdpt_cfg_add_bar(struct igdpt_config_space *cfg, unsigned index,
		      enum igdpt_bar_type type, uint64_t size);

/* Declares an expansion ROM BAR of size bytes at 0x30 (a power of two from
 * IGDPT_PCI_ROM_MIN_SIZE to 2 GiB): address bits above the size and the
 * enable bit become writable, so it sizes like hardware. 0 or -EINVAL. */
int igdpt_cfg_set_rom(struct igdpt_config_space *cfg, uint64_t size);
/* True when the ROM BAR is enabled (bit 0), with the address it decodes. */
bool igdpt_cfg_rom_enabled(const struct igdpt_config_space *cfg, uint64_t *address);

/* Sets a read-only initial value / the write mask of len (1, 2, 4, 8) bytes
 * at off, little endian. The caller keeps off + len inside the space. */
void igdpt_cfg_set(struct igdpt_config_space *cfg, unsigned off, uint64_t value, unsigned len);
void igdpt_cfg_set_wmask(struct igdpt_config_space *cfg, unsigned off, uint64_t mask,
			 unsigned len);
uint64_t igdpt_cfg_get(const struct igdpt_config_space *cfg, unsigned off, unsigned len);
uint64_t igdpt_cfg_get_wmask(const struct igdpt_config_space *cfg, unsigned off, unsigned len);

/* 0 if a config access of len bytes at off is one the model can serve
 * (len 1, 2 or 4, inside the 4 KiB space), else -EINVAL and *reason. */
int igdpt_cfg_check_access(uint32_t off, int32_t len, const char **reason);

/* A guest/QEMU read or write; the access must have passed
 * igdpt_cfg_check_access(). Writes honour the write masks. */
uint32_t igdpt_cfg_read(struct igdpt_config_space *cfg, unsigned off, unsigned len);
void igdpt_cfg_write(struct igdpt_config_space *cfg, unsigned off, uint32_t value,
		     unsigned len);

/* Ends the realize-time probe state early (any non-probe message does). */
void igdpt_cfg_end_probe(struct igdpt_config_space *cfg);

/* The bus address BAR index decodes, flags masked off: the full 64-bit
 * value, and the lower dword alone (see igdpt_cfg_find_bar()). */
uint64_t igdpt_cfg_bar_address(const struct igdpt_config_space *cfg, unsigned index);

/* Finds the BAR a proxied access of size bytes at the absolute bus address
 * addr falls in (memory selects memory or I/O BARs); the enabled ROM BAR
 * counts as memory BAR IGDPT_PCI_ROM_SLOT. Returns 0 with *index and
 * *offset set, or -ENOENT. */
int igdpt_cfg_find_bar(const struct igdpt_config_space *cfg, bool memory, uint64_t addr,
		       unsigned size, unsigned *index, uint64_t *offset);

/* What a platform reset does to the header, mirroring what QEMU's
 * pci_do_device_reset() does to its own copy: command decode bits, cache
 * line, interrupt line, BAR addresses and the ROM BAR cleared. */
void igdpt_cfg_reset(struct igdpt_config_space *cfg);

#endif
