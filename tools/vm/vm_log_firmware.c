/* SPDX-License-Identifier: MIT */
/* The guest firmware's debug-port log: SeaBIOS's, or igdpt-efi's lines
 * under OVMF (see vm_log_firmware.h). */
#include "vm_log_firmware.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SeaBIOS src/fw/pciinit.c intel_igd_setup() and its banner. */
#define SEABIOS_OPREGION_LINE "Intel IGD OpRegion enabled at "
#define SEABIOS_BDSM_LINE "Intel IGD BDSM enabled at "
#define SEABIOS_NOALLOC_LINE "Unable to allocate resource"
#define SEABIOS_VERSION_LINE "SeaBIOS (version "

/* firmware/efi's lines: "igdpt-efi 0.1.0: ..." (banner) and "igdpt-efi:
 * 00:02.0: ...". */
#define DRIVER_NAME "igdpt-efi"
/* The same driver built as a boot-services driver for the option ROM
 * (firmware/efi/rom_driver.c). */
#define ROM_DRIVER_NAME "igdpt-efi-driver"
#define FROM_ROM "started from the option ROM of PCI "
#define PLACED_NVS " in ACPI NVS"
#define PLACED_AT "placed at "
#define STOLEN_LINE "stolen memory "
#define NEXT_STAGE_LINE "igdpt-efi: starting "
#define INVALID_LINE "etc/igd-opregion is invalid: "

/* Copies line [line, line+n) NUL-terminated into buf; false if it does not fit. */
static bool line_copy(char *buf, size_t size, const char *line, size_t n)
{
	if (n >= size)
		return false;
	memcpy(buf, line, n);
	buf[n] = 0;
	return true;
}

void vm_seabios_log_parse(const char *text, size_t len, struct vm_seabios_log *fw)
{
	size_t pos = 0;

	memset(fw, 0, sizeof(*fw));
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		char buf[256];
		const char *p;

		pos += n + (nl ? 1 : 0);
		while (n && line[n - 1] == '\r')
			n--;
		if (!line_copy(buf, sizeof(buf), line, n))
			continue;
		/* SeaBIOS src/fw/pciinit.c intel_igd_setup() messages. */
		if ((p = strstr(buf, SEABIOS_OPREGION_LINE))) {
			unsigned long long addr;
			unsigned kib = 0;
			char dev[sizeof(fw->opregion_dev)] = "";

			if (sscanf(p, SEABIOS_OPREGION_LINE "%llx, size %uKB, dev %31s", &addr,
				   &kib, dev) >= 1) {
				fw->opregion = true;
				fw->opregion_addr = addr;
				fw->opregion_kib = kib;
				snprintf(fw->opregion_dev, sizeof(fw->opregion_dev), "%s", dev);
			}
		} else if ((p = strstr(buf, SEABIOS_BDSM_LINE))) {
			unsigned long long addr, mib = 0;

			if (sscanf(p, SEABIOS_BDSM_LINE "%llx, size %lluMB", &addr, &mib) >= 1) {
				fw->bdsm = true;
				fw->bdsm_addr = addr;
				fw->bdsm_mib = mib;
			}
		} else if (strstr(buf, SEABIOS_NOALLOC_LINE)) {
			fw->noalloc = true;
		} else if (!fw->version[0] && (p = strstr(buf, SEABIOS_VERSION_LINE))) {
			const char *v = p + strlen(SEABIOS_VERSION_LINE);
			size_t vn = strcspn(v, ")");

			if (vn < sizeof(fw->version)) {
				memcpy(fw->version, v, vn);
				fw->version[vn] = 0;
			}
		}
	}
}

static bool hex_after(const char *line, size_t len, const char *marker, uint64_t *value)
{
	size_t m = strlen(marker);

	char buf[32], *end;
	size_t n = 0;

	for (size_t i = 0; i + m <= len; i++) {
		if (memcmp(line + i, marker, m))
			continue;
		for (i += m; i < len && n + 1 < sizeof(buf) && line[i] != ' '; i++)
			buf[n++] = line[i];
		buf[n] = '\0';
		*value = strtoull(buf, &end, 16);
		return n > 2 && !*end;
	}
	return false;
}

static bool contains(const char *line, size_t len, const char *needle)
{
	size_t m = strlen(needle);

	for (size_t i = 0; i + m <= len; i++)
		if (!memcmp(line + i, needle, m))
			return true;
	return false;
}

void vm_ovmf_log_parse(const char *text, size_t len, struct vm_ovmf_log *log)
{
	static const char *const refusals[] = { "stays 0", "not placed", "nothing to do",
						"no fw_cfg device" };
	size_t pos = 0;

	memset(log, 0, sizeof(*log));
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;

		pos += n + 1;
		if (n && line[n - 1] == '\r')
			n--;
		size_t name = n > strlen(ROM_DRIVER_NAME) &&
					      !memcmp(line, ROM_DRIVER_NAME, strlen(ROM_DRIVER_NAME))
				      ? strlen(ROM_DRIVER_NAME)
				      : strlen(DRIVER_NAME);

		if (n <= name || memcmp(line, DRIVER_NAME, strlen(DRIVER_NAME)) ||
		    (line[name] != ' ' && line[name] != ':'))
			continue;
		log->driver_ran = true;
		if (!log->from_rom && name == strlen(ROM_DRIVER_NAME)) {
			const char *at = memmem(line, n, FROM_ROM, strlen(FROM_ROM));

			if (at) {
				size_t left = n - (size_t)(at - line) - strlen(FROM_ROM), bdf = 0;

				/* "00:02.0: placing ...": the BDF ends at ": ". */
				at += strlen(FROM_ROM);
				while (bdf < left && at[bdf] != ' ')
					bdf++;
				if (bdf && at[bdf - 1] == ':')
					bdf--;
				if (bdf && bdf < sizeof(log->rom_bdf)) {
					memcpy(log->rom_bdf, at, bdf);
					log->rom_bdf[bdf] = 0;
					log->from_rom = true;
				}
			}
		}
		if (contains(line, n, PLACED_NVS) && hex_after(line, n, PLACED_AT, &log->asls))
			log->opregion_placed = true;
		else if (contains(line, n, STOLEN_LINE) && hex_after(line, n, PLACED_AT, &log->bdsm))
			log->stolen_placed = true;
		if (n >= strlen(NEXT_STAGE_LINE) && !memcmp(line, NEXT_STAGE_LINE, strlen(NEXT_STAGE_LINE)))
			log->next_stage_started = true;
		if (!log->invalid[0] && contains(line, n, INVALID_LINE))
			snprintf(log->invalid, sizeof(log->invalid), "%.*s", (int)n, line);
		for (size_t r = 0; !log->refusal[0] && r < sizeof(refusals) / sizeof(refusals[0]); r++)
			if (contains(line, n, refusals[r]))
				snprintf(log->refusal, sizeof(log->refusal), "%.*s", (int)n, line);
	}
}
