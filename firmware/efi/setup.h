/* SPDX-License-Identifier: MIT */
/* The EFI driver's decisions for one IGD, behind a platform seam.
 *
 * Everything the driver does to an IGD (read fw_cfg, validate, allocate,
 * copy, write ASLS/BDSM, refuse) lives here, written against callbacks, so
 * the same code runs in the EFI binary (efi_platform.c: UEFI boot services,
 * PciIo, port I/O) and in host unit tests (a fake platform and a model of
 * the fw_cfg device). No EFI headers and no C library here.
 */
#ifndef IGDPT_EFI_SETUP_H
#define IGDPT_EFI_SETUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/fw_cfg.h"

/* Memory types the driver allocates (UEFI names; e820 NVS and reserved). */
enum igdpt_efi_mem {
	IGDPT_EFI_MEM_ACPI_NVS,
	IGDPT_EFI_MEM_RESERVED,
};

struct igdpt_efi_igd {
	void *handle; /* the platform's (EFI_PCI_IO_PROTOCOL *) */
	unsigned seg, bus, dev, fn;
	uint16_t vendor, device_id;
	uint16_t class_code; /* base class << 8 | subclass */
};

/* All callbacks return 0 or -errno. */
struct igdpt_efi_platform {
	int (*pci_read32)(void *ctx, const struct igdpt_efi_igd *igd, uint16_t offset,
			  uint32_t *value);
	int (*pci_write32)(void *ctx, const struct igdpt_efi_igd *igd, uint16_t offset,
			   uint32_t value);
	/* pages * 4 KiB of the type, anywhere below 4 GiB, page aligned. */
	int (*alloc_pages)(void *ctx, enum igdpt_efi_mem type, uint64_t pages, uint64_t *base);
	void (*free_pages)(void *ctx, uint64_t base, uint64_t pages);
	/* CPU access to [base, base + len) of allocated memory (UEFI: identity). */
	uint8_t *(*map)(void *ctx, uint64_t base, uint64_t len);
	/* The e820 type (IGDPT_E820_*) the firmware memory map gives the whole
	 * range, 0 when uncovered or mixed. */
	uint32_t (*memmap_type)(void *ctx, uint64_t base, uint64_t len);
	/* One line of text, no newline. */
	void (*log)(void *ctx, const char *line);
	void *ctx;
};

enum igdpt_efi_outcome {
	IGDPT_EFI_DONE = 0,         /* placed and the register written */
	IGDPT_EFI_ALREADY,          /* the register already points at reserved memory */
	IGDPT_EFI_NOT_REQUESTED,    /* the VMM published nothing for it */
	IGDPT_EFI_REFUSED,          /* invalid input, or a failure: register untouched */
};

struct igdpt_efi_setup_result {
	enum igdpt_efi_outcome opregion;
	uint32_t asls;
	uint32_t opregion_size;
	enum igdpt_efi_outcome stolen;
	uint16_t bdsm_register;
	uint64_t bdsm_base, stolen_size;
	const char *reason; /* the first refusal's reason (static), NULL if none */
};

/* Places the OpRegion (ACPI NVS) and, for the IGD at 00:02.0, stolen memory
 * (reserved) for one IGD, writing ASLS and BDSM; logs every decision.
 * Returns 0 when nothing was refused (done, already done, or not requested),
 * else -errno; ASLS and BDSM are left as found whenever their part fails. */
int igdpt_efi_setup_igd(const struct igdpt_efi_platform *p, struct igdpt_fw_cfg *fc,
			const struct igdpt_efi_igd *igd, struct igdpt_efi_setup_result *r);

/* True for an Intel display controller the driver serves (class 0x0300 or
 * 0x0380: a non-primary IGD has an OpRegion too). */
bool igdpt_efi_is_igd(uint16_t vendor, uint16_t class_code);

/* Tiny freestanding text builder for log lines. */
struct igdpt_efi_line {
	char buf[192];
	size_t len;
};
void igdpt_efi_line_str(struct igdpt_efi_line *l, const char *s);
void igdpt_efi_line_hex(struct igdpt_efi_line *l, uint64_t v);
void igdpt_efi_line_dec(struct igdpt_efi_line *l, uint64_t v);
/* "00:02.0" */
void igdpt_efi_line_bdf(struct igdpt_efi_line *l, const struct igdpt_efi_igd *igd);

#endif
