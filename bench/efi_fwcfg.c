/* SPDX-License-Identifier: MIT */
/* bench-efi-fwcfg: port I/O operations the EFI driver's fw_cfg client
 * (lib/core/fw_cfg.c) issues to fetch the OpRegion through DMA and through
 * PIO, counted in the client's port layer and cross-checked against what a
 * model of QEMU's fw_cfg device saw (tests/firmware/fw_cfg_model.c). Every port
 * access is a VM exit on real hardware virtualization and a TCG I/O callback
 * here, so the count is the cost that matters; it depends only on sizes and
 * the directory, not on the bytes. Writes <out>/efi_fwcfg.txt and .json.
 * usage: bench-efi-fwcfg --out DIR [FILE...]   (default: 8 KiB and a 16.5 KiB
 * extended image of synthetic bytes, the sizes igdpt build makes) */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/firmware/fw_cfg_model.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/file.h"

#define MEM_SIZE (1u << 20)
#define MEM_BASE 0x7e000000ull
#define DMA_AREA 4096u
#define MAX_IMAGES 8
/* An 8 KiB OpRegion plus the extended VBT igdpt build makes from a Tiger
 * Lake VBT of 8571 bytes (RVDS rounded up to 512). */
#define EXTENDED_SIZE (IGDPT_OPREGION_BASE_SIZE + 8704u)

/* The files QEMU 7.2 publishes on q35 with OVMF, in its (sorted) order,
 * plus igdpt's two: the directory the driver walks. */
static const char *const qemu_files[] = {
	"bootorder", "etc/acpi/rsdp", "etc/acpi/tables", "etc/boot-fail-wait", "etc/e820",
	"etc/igd-bdsm-size", "etc/igd-opregion", "etc/msr_feature_control", "etc/smbios/smbios-anchor",
	"etc/smbios/smbios-tables", "etc/system-states", "etc/table-loader", "etc/tpm/log",
	"genroms/kvmvapic.bin",
};

struct run {
	const char *label;
	size_t size;
	bool dma;
	struct igdpt_fw_cfg_stats s;
	uint64_t fetch_ops; /* the read of the file alone */
	uint64_t dev_ops;   /* what the model saw */
};

static int measure(const uint8_t *image, size_t size, bool dma, struct run *r)
{
	static const uint8_t bdsm[8];
	struct fw_cfg_model m;
	struct igdpt_fw_cfg fc;
	struct igdpt_fw_cfg_file f;
	uint64_t before;
	uint8_t *mem = calloc(1, MEM_SIZE);
	int ret = -1;

	if (!mem || size > MEM_SIZE - DMA_AREA)
		goto out;
	fw_cfg_model_init(&m, mem, MEM_SIZE, MEM_BASE, true);
	for (size_t i = 0; i < sizeof(qemu_files) / sizeof(qemu_files[0]); i++) {
		bool op = !strcmp(qemu_files[i], "etc/igd-opregion");

		fw_cfg_model_add(&m, qemu_files[i], op ? image : bdsm, op ? (uint32_t)size : sizeof(bdsm));
	}
	/* As the driver does: probe, find, read into page-aligned memory. */
	if (igdpt_fw_cfg_init(&fc, &m.io, mem, DMA_AREA, dma, NULL) < 0 ||
	    igdpt_fw_cfg_find(&fc, "etc/igd-opregion", &f, NULL) < 0)
		goto out;
	before = fc.stats.port_reads + fc.stats.port_writes;
	if (igdpt_fw_cfg_read(&fc, f.key, mem + DMA_AREA, f.size, NULL) < 0 ||
	    memcmp(mem + DMA_AREA, image, size))
		goto out;
	r->size = size;
	r->dma = fc.dma;
	r->s = fc.stats;
	r->fetch_ops = fc.stats.port_reads + fc.stats.port_writes - before;
	r->dev_ops = m.selects + m.data_reads + m.dma_writes;
	ret = r->dev_ops == fc.stats.port_reads + fc.stats.port_writes ? 0 : -1;
out:
	free(mem);
	return ret;
}

int main(int argc, char **argv)
{
	const char *out_dir = NULL;
	const char *files[MAX_IMAGES];
	int nfiles = 0;
	struct run runs[2 * MAX_IMAGES];
	int nruns = 0;
	char path[4096];
	FILE *txt, *js;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out_dir = argv[++i];
		else if (argv[i][0] != '-' && nfiles < MAX_IMAGES)
			files[nfiles++] = argv[i];
		else {
			fprintf(stderr, "usage: bench-efi-fwcfg --out DIR [IMAGE...]\n");
			return 2;
		}
	}
	if (!out_dir) {
		fprintf(stderr, "bench-efi-fwcfg: --out DIR is required\n");
		return 2;
	}
	for (int i = 0; i < (nfiles ? nfiles : 2); i++) {
		uint8_t *image;
		size_t size;
		const char *label;

		if (nfiles) {
			char err[256];

			if (igdpt_file_read(files[i], &image, &size,
					    &(struct igdpt_diag)IGDPT_DIAG_MESSAGE(err)) < 0) {
				fprintf(stderr, "bench-efi-fwcfg: %s\n", err);
				return 1;
			}
			label = files[i];
		} else {
			size = i ? EXTENDED_SIZE : IGDPT_OPREGION_BASE_SIZE;
			label = i ? "extended (16.5 KiB)" : "base (8 KiB)";
			image = malloc(size);
			if (!image)
				return 1;
			for (size_t b = 0; b < size; b++)
				image[b] = (uint8_t)(b * 13 + 1);
		}
		for (int dma = 1; dma >= 0; dma--) {
			runs[nruns].label = label;
			if (measure(image, size, dma, &runs[nruns]) < 0) {
				fprintf(stderr, "bench-efi-fwcfg: %s via %s: fetch failed or miscounted\n",
					label, dma ? "DMA" : "PIO");
				free(image);
				return 1;
			}
			nruns++;
		}
		free(image);
	}

	snprintf(path, sizeof(path), "%s/efi_fwcfg.txt", out_dir);
	txt = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/efi_fwcfg.json", out_dir);
	js = fopen(path, "w");
	if (!txt || !js) {
		fprintf(stderr, "bench-efi-fwcfg: cannot write to %s: %s\n", out_dir, strerror(errno));
		return 1;
	}
	fprintf(txt, "fw_cfg port I/O to fetch etc/igd-opregion (probe + directory walk over %zu "
		     "files + read); counted in the client's port layer, equal to what the device "
		     "model saw\n\n",
		sizeof(qemu_files) / sizeof(qemu_files[0]));
	fprintf(txt, "%-22s %8s %5s %12s %12s %10s %12s\n", "image", "bytes", "via", "port writes",
		"port reads", "DMA xfers", "total ops");
	fprintf(js, "{\"benchmark\":\"efi_fwcfg\",\"directory_files\":%zu,\"runs\":[",
		sizeof(qemu_files) / sizeof(qemu_files[0]));
	for (int i = 0; i < nruns; i++) {
		const struct run *r = &runs[i];
		uint64_t total = r->s.port_reads + r->s.port_writes;

		fprintf(txt, "%-22s %8zu %5s %12llu %12llu %10llu %12llu   (read alone: %llu)\n",
			r->label, r->size, r->dma ? "DMA" : "PIO",
			(unsigned long long)r->s.port_writes, (unsigned long long)r->s.port_reads,
			(unsigned long long)r->s.dma_transfers, (unsigned long long)total,
			(unsigned long long)r->fetch_ops);
		fprintf(js, "%s{\"image\":\"%s\",\"bytes\":%zu,\"via\":\"%s\",\"port_writes\":%llu,"
			    "\"port_reads\":%llu,\"dma_transfers\":%llu,\"total_port_ops\":%llu,"
			    "\"read_port_ops\":%llu}",
			i ? "," : "", r->label, r->size, r->dma ? "dma" : "pio",
			(unsigned long long)r->s.port_writes, (unsigned long long)r->s.port_reads,
			(unsigned long long)r->s.dma_transfers, (unsigned long long)total,
			(unsigned long long)r->fetch_ops);
	}
	fprintf(js, "]}\n");
	fclose(txt);
	fclose(js);
	printf("bench-efi-fwcfg: wrote %s/efi_fwcfg.txt and .json\n", out_dir);
	return 0;
}
