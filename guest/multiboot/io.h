/* SPDX-License-Identifier: MIT */
/* x86 port I/O for the multiboot probe: the probe's names for the helpers in
 * firmware/common/portio.h, which the EFI driver shares. */
#ifndef IGDPT_PROBE_IO_H
#define IGDPT_PROBE_IO_H

#include "../../firmware/common/portio.h"

#define probe_outb portio_outb
#define probe_outw portio_outw
#define probe_outl portio_outl
#define probe_inb portio_inb
#define probe_inl portio_inl

#endif
