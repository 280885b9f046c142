/* SPDX-License-Identifier: MIT */
/* The PE/COFF headers of an EFI image: enough to tell what it is (machine,
 * PE32 or PE32+, subsystem) before it goes into an option ROM (core: no
 * I/O, no malloc). Return contract: >= 0 success, -EINVAL with diag set. */
#ifndef IGDPT_PE_H
#define IGDPT_PE_H

#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"
#include "igdpt/core/diag.h"

IGDPT_BEGIN_DECLS

struct igdpt_pe {
	uint32_t pe_offset;     /* of "PE\0\0" (the DOS header's e_lfanew) */
	uint16_t machine;       /* IGDPT_PE_MACHINE_* */
	uint16_t sections;
	uint16_t magic;         /* IGDPT_PE_OPT_MAGIC_PE32 or _PE32_PLUS */
	uint16_t subsystem;     /* IGDPT_PE_SUBSYSTEM_* */
	uint32_t size_of_image; /* bytes once loaded */
};

/* Parses the headers at buf[0]. Errors: no "MZ", e_lfanew outside the
 * buffer, no "PE\0\0", COFF or optional header truncated, optional header
 * too small to hold the subsystem, neither PE32 nor PE32+. */
int igdpt_pe_parse(const uint8_t *buf, size_t len, struct igdpt_pe *pe, struct igdpt_diag *diag);

/* "x64", "IA32", "EBC", "AArch64", "RISC-V 64"; NULL when unknown. */
const char *igdpt_pe_machine_name(uint16_t machine);
/* "EFI application", "EFI boot-services driver", "EFI runtime driver",
 * "EFI ROM"; NULL when not an EFI subsystem. */
const char *igdpt_pe_subsystem_name(uint16_t subsystem);

IGDPT_END_DECLS

#endif
