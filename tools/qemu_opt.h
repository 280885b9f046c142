/* SPDX-License-Identifier: MIT */
/* Spelling a value inside a QEMU option (-device a=x,b=y; -fw_cfg name=..,file=..):
 * shared by igdpt qemu-args and igdpt vm's QEMU and OVMF argument builders. */
#ifndef IGDPT_TOOLS_QEMU_OPT_H
#define IGDPT_TOOLS_QEMU_OPT_H

/* QEMU splits option values at commas and reads a doubled comma as one
 * literal comma (QEMU's get_opt_value()). Returns s with every ',' doubled
 * in a new malloc'd string (caller frees), NULL when out of memory. */
char *qemu_opt_escape(const char *s);

#endif
