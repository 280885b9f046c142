/* SPDX-License-Identifier: MIT */
/* Benchmark guest: a multiboot image that reads 00:02.0's vendor/device
 * dword N times through ports 0xCF8/0xCFC (N from the kernel command line),
 * then exits QEMU through isa-debug-exit: 0 (QEMU status 1) when the device
 * answered, 1 (status 3) when nothing is at 00:02.0. Each read is one
 * PCI_CFGREAD round trip to the device process behind x-pci-proxy-dev. */
#include <stdint.h>

#include "portio.h"

#define MULTIBOOT_MAGIC 0x1BADB002u
#define MULTIBOOT_FLAGS 0u
#define MULTIBOOT_INFO_CMDLINE (1u << 2)
#define MULTIBOOT_INFO_FLAGS_OFFSET 0u
#define MULTIBOOT_INFO_CMDLINE_OFFSET 16u

#define PCI_CONFIG_ADDRESS_PORT 0xCF8u
#define PCI_CONFIG_DATA_PORT 0xCFCu
#define PCI_CONFIG_ENABLE (1u << 31)
#define PCI_CONFIG_DEVICE_SHIFT 11u
#define IGD_DEVICE 2u
#define PCI_ABSENT 0xFFFFFFFFu

#define DEBUG_EXIT_PORT 0xF4u
#define DEBUG_EXIT_ANSWERED 0u
#define DEBUG_EXIT_ABSENT 1u

struct multiboot_header {
	uint32_t magic, flags, checksum;
};

__attribute__((section(".multiboot"), used, aligned(4)))
static const struct multiboot_header mb_header = {
	MULTIBOOT_MAGIC, MULTIBOOT_FLAGS, (uint32_t)-(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS),
};

void bench_main(const uint8_t *mbi);

static uint32_t parse_count(const uint8_t *mbi)
{
	const uint32_t flags = *(const uint32_t *)(mbi + MULTIBOOT_INFO_FLAGS_OFFSET);
	const char *s;
	uint32_t n = 0;

	if (!(flags & MULTIBOOT_INFO_CMDLINE))
		return 0;
	s = (const char *)(uintptr_t)*(const uint32_t *)(mbi + MULTIBOOT_INFO_CMDLINE_OFFSET);
	/* QEMU passes the kernel path first, then -append: take the last number. */
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			n = n * 10u + (uint32_t)(*s - '0');
		else
			n = 0;
	}
	return n;
}

void bench_main(const uint8_t *mbi)
{
	const uint32_t address = PCI_CONFIG_ENABLE | (IGD_DEVICE << PCI_CONFIG_DEVICE_SHIFT);
	uint32_t n = parse_count(mbi), id = PCI_ABSENT;

	for (uint32_t i = 0; i < n; i++) {
		portio_outl(PCI_CONFIG_ADDRESS_PORT, address);
		id = portio_inl(PCI_CONFIG_DATA_PORT);
	}
	if (!n) {
		portio_outl(PCI_CONFIG_ADDRESS_PORT, address);
		id = portio_inl(PCI_CONFIG_DATA_PORT);
	}
	portio_outl(DEBUG_EXIT_PORT, id == PCI_ABSENT ? DEBUG_EXIT_ABSENT : DEBUG_EXIT_ANSWERED);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* Multiboot enters in 32-bit protected mode, flat segments, no stack; EBX
 * holds the multiboot information. */
__asm__(".pushsection .text.entry, \"ax\"\n"
	".globl _start\n"
	"_start:\n"
	"  mov $stack_top, %esp\n"
	"  push %ebx\n"
	"  call bench_main\n"
	"1: cli\n"
	"  hlt\n"
	"  jmp 1b\n"
	".section .bss\n"
	".balign 16\n"
	"  .skip 16384\n"
	"stack_top:\n"
	".popsection\n");
