/* SPDX-License-Identifier: MIT */
/* The core fw_cfg client (igdpt/core/fw_cfg.h) on the probe's port I/O. */
#ifndef IGDPT_PROBE_FW_CFG_H
#define IGDPT_PROBE_FW_CFG_H

#include <stdbool.h>

#include "igdpt/core/fw_cfg.h"

/* Opens the device, with DMA when it offers it (else the selector/data
 * ports); false when there is no fw_cfg (not QEMU). */
bool probe_fw_cfg_open(struct igdpt_fw_cfg *fc);

#endif
