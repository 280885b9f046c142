/* SPDX-License-Identifier: MIT */
/* 16550 UART at COM1, polled: 115200 8N1, no interrupts. */
#include "serial.h"

#include "io.h"

#define COM1_BASE 0x3F8u
#define UART_DATA 0u /* THR on write; divisor low with DLAB */
#define UART_IER 1u  /* interrupt enable; divisor high with DLAB */
#define UART_FCR 2u
#define UART_LCR 3u
#define UART_MCR 4u
#define UART_LSR 5u
#define UART_LCR_DLAB 0x80u
#define UART_LCR_8N1 0x03u
#define UART_FCR_ENABLE_CLEAR 0x07u /* FIFO on, both FIFOs cleared */
#define UART_MCR_DTR_RTS 0x03u
#define UART_LSR_THRE 0x20u         /* transmit holding register empty */
#define UART_DIVISOR_115200 1u
/* Bounded wait: a missing UART must not hang the probe. */
#define UART_SPIN_LIMIT 100000u
#define NIBBLE_BITS 4u
#define NIBBLE_MASK 0xFu

void serial_init(void)
{
	probe_outb(COM1_BASE + UART_IER, 0);
	probe_outb(COM1_BASE + UART_LCR, UART_LCR_DLAB);
	probe_outb(COM1_BASE + UART_DATA, UART_DIVISOR_115200);
	probe_outb(COM1_BASE + UART_IER, 0);
	probe_outb(COM1_BASE + UART_LCR, UART_LCR_8N1);
	probe_outb(COM1_BASE + UART_FCR, UART_FCR_ENABLE_CLEAR);
	probe_outb(COM1_BASE + UART_MCR, UART_MCR_DTR_RTS);
}

static void serial_putc(char ch)
{
	for (unsigned i = 0; i < UART_SPIN_LIMIT; i++)
		if (probe_inb(COM1_BASE + UART_LSR) & UART_LSR_THRE)
			break;
	probe_outb(COM1_BASE + UART_DATA, (uint8_t)ch);
}

void serial_puts(const char *s)
{
	/* No CR before LF: the log is parsed line by line on the host. */
	for (; *s; s++)
		serial_putc(*s);
}

void serial_put_hex(uint64_t value)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[19];
	unsigned n = sizeof(tmp) - 1;

	tmp[n] = 0;
	do {
		tmp[--n] = digits[value & NIBBLE_MASK];
		value >>= NIBBLE_BITS;
	} while (value);
	tmp[--n] = 'x';
	tmp[--n] = '0';
	serial_puts(tmp + n);
}
