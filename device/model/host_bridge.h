/* SPDX-License-Identifier: MIT */
/* The host bridge at 00:00.0: its identity only, read-only. */
#ifndef IGDPT_DEVICE_HOST_BRIDGE_H
#define IGDPT_DEVICE_HOST_BRIDGE_H

#include <stdint.h>

#include "config_space.h"

/* Builds a class 0x0600 header-type-0 function with the given ids and the
 * same subsystem ids, no BARs, nothing writable: what Linux vfio-pci's
 * host-bridge configuration region of an IGD shows a VMM, whose IGD code
 * copies vendor, device, revision and subsystem ids into the guest's host
 * bridge. */
void igdpt_host_bridge_init(struct igdpt_config_space *cfg, uint16_t vendor, uint16_t device,
			    uint8_t revision);

#endif
