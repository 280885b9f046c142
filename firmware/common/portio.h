/* SPDX-License-Identifier: MIT */
/* x86 port I/O, shared by the multiboot probe (32-bit protected mode, ring 0)
 * and the EFI driver (long mode, boot services: ports are not virtualized). */
#ifndef IGDPT_FIRMWARE_PORTIO_H
#define IGDPT_FIRMWARE_PORTIO_H

#include <stdint.h>

static inline void portio_outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline void portio_outw(uint16_t port, uint16_t value)
{
	__asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

static inline void portio_outl(uint16_t port, uint32_t value)
{
	__asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t portio_inb(uint16_t port)
{
	uint8_t value;

	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static inline uint32_t portio_inl(uint16_t port)
{
	uint32_t value;

	__asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

#endif
