/* SPDX-License-Identifier: MIT */
/* COM1 output for the multiboot probe: where the verdict line goes. */
#ifndef IGDPT_PROBE_SERIAL_H
#define IGDPT_PROBE_SERIAL_H

#include <stdint.h>

void serial_init(void);
void serial_puts(const char *s);
/* "0x" and lowercase hex digits, no padding. */
void serial_put_hex(uint64_t value);

#endif
