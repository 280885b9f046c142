/* SPDX-License-Identifier: MIT */
/* QEMU fw_cfg over the legacy I/O ports: the files the VMM published. */
#ifndef IGDPT_PROBE_FW_CFG_H
#define IGDPT_PROBE_FW_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when the selector/data ports answer with the "QEMU" signature. */
bool fw_cfg_present(void);

/* Looks a file up in the directory (key 0x19). Returns true and fills the
 * selector key and size when found. */
bool fw_cfg_find(const char *name, uint16_t *key, uint32_t *size);

/* Reads the first len bytes of the item with this key. */
void fw_cfg_read(uint16_t key, uint8_t *buf, size_t len);

#endif
