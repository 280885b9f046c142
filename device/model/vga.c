/* SPDX-License-Identifier: MIT */
/* The legacy VGA ranges: a memory window and port latches (vga.h). */
#include "vga.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int igdpt_vga_init(struct igdpt_vga *vga)
{
	memset(vga, 0, sizeof(*vga));
	vga->mem = calloc(1, IGDPT_VGA_MEM_SIZE);
	return vga->mem ? 0 : -ENOMEM;
}

void igdpt_vga_fini(struct igdpt_vga *vga)
{
	free(vga->mem);
	vga->mem = NULL;
}

void igdpt_vga_reset(struct igdpt_vga *vga)
{
	memset(vga->mem, 0, IGDPT_VGA_MEM_SIZE);
	memset(vga->mono_ports, 0, sizeof(vga->mono_ports));
	memset(vga->ports, 0, sizeof(vga->ports));
}

static int inside(uint64_t base, uint64_t size, uint64_t offset, size_t len)
{
	return offset >= base && offset - base < size && len <= size - (offset - base);
}

/* The bytes behind [offset, offset + len), a range that passed the check. */
static uint8_t *backing(const struct igdpt_vga *vga, uint64_t offset)
{
	if (offset >= IGDPT_VGA_MEM_BASE)
		return vga->mem + (offset - IGDPT_VGA_MEM_BASE);
	if (offset >= IGDPT_VGA_PORTS_BASE)
		return (uint8_t *)vga->ports + (offset - IGDPT_VGA_PORTS_BASE);
	return (uint8_t *)vga->mono_ports + (offset - IGDPT_VGA_MONO_PORTS_BASE);
}

int igdpt_vga_check(uint64_t offset, size_t len, const char **reason)
{
	if (len &&
	    (inside(IGDPT_VGA_MEM_BASE, IGDPT_VGA_MEM_SIZE, offset, len) ||
	     inside(IGDPT_VGA_MONO_PORTS_BASE, IGDPT_VGA_MONO_PORTS_SIZE, offset, len) ||
	     inside(IGDPT_VGA_PORTS_BASE, IGDPT_VGA_PORTS_SIZE, offset, len)))
		return 0;
	*reason = "VGA access outside the VGA memory window and ports";
	return -EINVAL;
}

void igdpt_vga_read(const struct igdpt_vga *vga, uint64_t offset, uint8_t *buf, size_t len)
{
	memcpy(buf, backing(vga, offset), len);
}

void igdpt_vga_write(struct igdpt_vga *vga, uint64_t offset, const uint8_t *buf, size_t len)
{
	memcpy(backing(vga, offset), buf, len);
}
