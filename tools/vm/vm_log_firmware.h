/* SPDX-License-Identifier: MIT */
/* What the guest firmware said on QEMU's debug port (0x402): SeaBIOS's
 * log, or the lines of igdpt's EFI driver under OVMF. */
#ifndef IGDPT_TOOLS_VM_LOG_FIRMWARE_H
#define IGDPT_TOOLS_VM_LOG_FIRMWARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SeaBIOS (src/fw/pciinit.c intel_igd_setup()). */
struct vm_seabios_log {
	char version[64]; /* "1.16.2-debian-1.16.2-1" or "" */
	bool opregion;    /* "Intel IGD OpRegion enabled at ..." seen */
	uint64_t opregion_addr;
	unsigned opregion_kib;
	char opregion_dev[32];
	bool bdsm; /* "Intel IGD BDSM enabled at ..." seen */
	uint64_t bdsm_addr;
	unsigned long long bdsm_mib;
	bool noalloc; /* "Unable to allocate resource" */
};
void vm_seabios_log_parse(const char *text, size_t len, struct vm_seabios_log *fw);

/* igdpt-efi (firmware/efi): "igdpt-efi <version>: ..." and
 * "igdpt-efi: 00:02.0: ..."; started from an option ROM, its first line is
 * "igdpt-efi-driver <version>: started from the option ROM of PCI
 * 00:02.0: ...". */
struct vm_ovmf_log {
	bool driver_ran;        /* a line of the driver seen */
	bool from_rom;          /* it said it was started from a PCI option ROM */
	char rom_bdf[16];       /* whose ROM: "00:02.0" */
	bool opregion_placed;
	uint64_t asls;          /* from "... placed at 0x... in ACPI NVS" */
	bool stolen_placed;
	uint64_t bdsm;          /* from "stolen memory ... placed at 0x..." */
	char refusal[192];      /* the first line saying why not ("" if none) */
	char invalid[192];      /* the line before a validation refusal, with the
				 * validator's reason and offset: "igdpt-efi: 00:02.0:
				 * fw_cfg etc/igd-opregion is invalid: REASON at 0xOFF" */
	bool next_stage_started;
};
void vm_ovmf_log_parse(const char *text, size_t len, struct vm_ovmf_log *log);

#endif
