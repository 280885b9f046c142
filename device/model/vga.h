/* SPDX-License-Identifier: MIT */
/* The legacy VGA ranges of a VGA-class IGD, laid out as Linux vfio-pci's
 * VGA region lays them out (drivers/vfio/pci/vfio_pci_rdwr.c): the offset
 * is the bus address, memory 0xA0000-0xBFFFF, I/O ports 0x3B0-0x3BB and
 * 0x3C0-0x3DF, nothing else.
 *
 * igdpt emulates no VGA: the memory window keeps what is written (VRAM is
 * memory) and each port latches the last byte written to it. That is what
 * a VMM's legacy-mode plumbing (its VGA region access, the ranges it
 * forwards) needs from the device; a VGA BIOS would need a real VGA. */
#ifndef IGDPT_DEVICE_VGA_H
#define IGDPT_DEVICE_VGA_H

#include <stddef.h>
#include <stdint.h>

#define IGDPT_VGA_REGION_SIZE 0xC0000u
#define IGDPT_VGA_MEM_BASE 0xA0000u
#define IGDPT_VGA_MEM_SIZE 0x20000u
#define IGDPT_VGA_MONO_PORTS_BASE 0x3B0u
#define IGDPT_VGA_MONO_PORTS_SIZE 0xCu
#define IGDPT_VGA_PORTS_BASE 0x3C0u
#define IGDPT_VGA_PORTS_SIZE 0x20u

struct igdpt_vga {
	uint8_t *mem; /* IGDPT_VGA_MEM_SIZE bytes */
	uint8_t mono_ports[IGDPT_VGA_MONO_PORTS_SIZE];
	uint8_t ports[IGDPT_VGA_PORTS_SIZE];
};

/* 0 or -ENOMEM. */
int igdpt_vga_init(struct igdpt_vga *vga);
void igdpt_vga_fini(struct igdpt_vga *vga);
/* Everything reads 0 again, as after power-on. */
void igdpt_vga_reset(struct igdpt_vga *vga);

/* 0 when [offset, offset + len) lies inside one of the three ranges (len
 * >= 1), else -EINVAL and *reason. */
int igdpt_vga_check(uint64_t offset, size_t len, const char **reason);
/* Accesses that passed igdpt_vga_check(). */
void igdpt_vga_read(const struct igdpt_vga *vga, uint64_t offset, uint8_t *buf, size_t len);
void igdpt_vga_write(struct igdpt_vga *vga, uint64_t offset, const uint8_t *buf, size_t len);

#endif
