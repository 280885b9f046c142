/* SPDX-License-Identifier: MIT */
/* The LPC/ISA bridge function at 00:1f.0: ids only, read-only. */
#ifndef IGDPT_DEVICE_LPC_H
#define IGDPT_DEVICE_LPC_H

#include <stdint.h>

#include "config_space.h"

/* Builds a class 0x0601 header-type-0 function with the given ids (QEMU's
 * vfio-pci-igd-lpc-bridge mirrors the host's vendor, device, revision and
 * subsystem ids the same way); no BARs, nothing writable. */
void igdpt_lpc_init(struct igdpt_config_space *cfg, uint16_t vendor, uint16_t device,
		    uint8_t revision);

#endif
