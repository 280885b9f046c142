/* SPDX-License-Identifier: MIT */
/* Sample: the smallest VMM that embeds igdpt's VMM interface (igdpt/vmm.h).
 *
 * Usage: vmm-sample [1a|1b|2|3|4a|4b] [OPREGION_FILE]
 *
 * It owns 64 MiB of guest RAM and an e820 table, lists its MMIO windows,
 * supplies the callbacks, realizes the device, plays the firmware's part
 * where the option needs one (SeaBIOS's: copy etc/igd-opregion, write
 * ASLS), and reads the OpRegion back at ASLS as a guest would. Exit status
 * 0 when the guest-visible bytes at ASLS are the OpRegion. Built and run by
 * the "strategies" test suite, so this documentation cannot rot. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igdpt/abi/guest.h"
#include "igdpt/build.h"
#include "igdpt/file.h"
#include "igdpt/core/plan.h"
#include "igdpt/vmm.h"

#define RAM_SIZE (64u << 20)
#define MAX_E820 16
#define PAGE 0x1000u

/* The VMM's own state: the library never sees it except through opaque. */
struct sample_vmm {
	uint8_t *ram;
	struct igdpt_plan_range e820[MAX_E820];
	size_t e820_count;
	/* One mapping is all igdpt ever asks for. */
	uint64_t map_gpa;
	size_t map_len;
	uint8_t *map_host;
	unsigned map_prot;
	/* fw_cfg: the only file the firmware part below needs. */
	uint8_t *opregion_file;
	size_t opregion_file_len;
};

/* ---- the callbacks: what only the VMM can do ---- */

static int sample_map(void *opaque, uint64_t gpa, void *host, size_t len, unsigned prot)
{
	struct sample_vmm *v = opaque;

	/* A real VMM would add a memory region (KVM_SET_USER_MEMORY_REGION,
	 * a MemoryRegion in QEMU); read-only ones trap writes. */
	if (v->map_host)
		return -EBUSY;
	v->map_gpa = gpa;
	v->map_len = len;
	v->map_host = host;
	v->map_prot = prot;
	return 0;
}

static int sample_unmap(void *opaque, uint64_t gpa, size_t len)
{
	struct sample_vmm *v = opaque;

	if (!v->map_host || v->map_gpa != gpa || v->map_len != len)
		return -ENOENT;
	v->map_host = NULL;
	return 0;
}

static int sample_write_ram(void *opaque, uint64_t gpa, const void *buf, size_t len)
{
	struct sample_vmm *v = opaque;

	if (gpa > RAM_SIZE || len > RAM_SIZE - gpa)
		return -EFAULT;
	memcpy(v->ram + gpa, buf, len);
	return 0;
}

static int sample_add_e820(void *opaque, uint64_t start, uint64_t len, uint32_t type)
{
	struct sample_vmm *v = opaque;

	/* The planner's helper splits a RAM entry around a 4a reservation. */
	return igdpt_plan_e820_insert(v->e820, &v->e820_count, MAX_E820, start, len, type, NULL);
}

static int sample_publish(void *opaque, const char *name, const void *data, size_t len)
{
	struct sample_vmm *v = opaque;

	if (strcmp(name, IGDPT_FW_CFG_OPREGION_FILE))
		return 0; /* etc/igd-bdsm-size: not used here */
	free(v->opregion_file);
	v->opregion_file = malloc(len);
	if (!v->opregion_file)
		return -ENOMEM;
	memcpy(v->opregion_file, data, len);
	v->opregion_file_len = len;
	return 0;
}

static void sample_log(void *opaque, enum igdpt_vmm_log_level level, const char *msg)
{
	(void)opaque;
	printf("  [igdpt %s] %s\n", level == IGDPT_VMM_LOG_ERROR ? "error" : "info", msg);
}

static const struct igdpt_vmm_ops sample_ops = {
	.struct_size = sizeof(struct igdpt_vmm_ops),
	.map = sample_map,
	.unmap = sample_unmap,
	.write_ram = sample_write_ram,
	.add_e820 = sample_add_e820,
	.publish = sample_publish,
	.log = sample_log,
};

/* The guest's view of one byte: the mapping first, then RAM. */
static int guest_byte(const struct sample_vmm *v, uint64_t gpa)
{
	if (v->map_host && gpa >= v->map_gpa && gpa - v->map_gpa < v->map_len)
		return v->map_host[gpa - v->map_gpa];
	return gpa < RAM_SIZE ? v->ram[gpa] : -1;
}

static uint8_t *load_image(const char *path, size_t *len)
{
	uint8_t *image = NULL;
	size_t need = 0;
	char err[512];

	if (path) {
		if (igdpt_file_read(path, &image, len,
				    &(struct igdpt_diag)IGDPT_DIAG_MESSAGE(err)) < 0) {
			fprintf(stderr, "vmm-sample: %s\n", err);
			return NULL;
		}
		return image;
	}
	igdpt_build_reference(IGDPT_BUILD_VERSION_2_0, NULL, 0, &need, NULL);
	image = malloc(need);
	if (image && igdpt_build_reference(IGDPT_BUILD_VERSION_2_0, image, need, len, NULL) < 0) {
		free(image);
		image = NULL;
	}
	return image;
}

int main(int argc, char **argv)
{
	/* The guest layout: QEMU pc with 64 MiB, and its MMIO windows. */
	static const struct igdpt_plan_range windows[] = {
		{ 0xA0000, 0x20000, 0 },        /* legacy VGA */
		{ 0xE0000000, 0x1EC00000, 0 },  /* 32-bit PCI hole: BARs */
		{ 0xFEC00000, 0x1000, 0 },      /* IOAPIC */
		{ 0xFEE00000, 0x100000, 0 },    /* LAPIC / MSI */
		{ 0xFFFC0000, 0x40000, 0 },     /* BIOS flash */
	};
	struct sample_vmm v = { 0 };
	struct igdpt_vmm_config cfg = IGDPT_VMM_CONFIG_INIT;
	struct igdpt_diag diag = { 0 };
	struct igdpt_vmm *vmm = NULL;
	enum igdpt_vmm_strategy s = IGDPT_VMM_4A;
	uint8_t *image, *host = NULL;
	size_t len = 0, host_len;
	uint32_t asls = 0;
	int rc = 1;

	if (argc > 1 && igdpt_vmm_strategy_parse(argv[1], &s) < 0) {
		fprintf(stderr, "vmm-sample: unknown option '%s' (1a, 1b, 2, 3, 4a, 4b)\n", argv[1]);
		return 2;
	}
	image = load_image(argc > 2 ? argv[2] : NULL, &len);
	v.ram = calloc(1, RAM_SIZE);
	if (!image || !v.ram)
		goto out;
	v.e820[v.e820_count++] = (struct igdpt_plan_range){ 0, 0x9FC00, IGDPT_E820_RAM };
	v.e820[v.e820_count++] = (struct igdpt_plan_range){ 0x100000, RAM_SIZE - 0x100000, IGDPT_E820_RAM };

	/* For 1a, 1b and 2 the image is host memory the guest will see
	 * directly: give it whole pages, as an mmap of the VFIO region is. */
	host_len = (len + PAGE - 1) / PAGE * PAGE;
	host = calloc(1, host_len);
	if (!host)
		goto out;
	memcpy(host, image, len);

	cfg.strategy = s;
	cfg.image = host;
	cfg.image_len = len;
	cfg.host_len = host_len;
	cfg.generation = 9;
	cfg.e820 = v.e820;
	cfg.e820_count = v.e820_count;
	cfg.windows = windows;
	cfg.window_count = sizeof(windows) / sizeof(windows[0]);
	cfg.ops = &sample_ops;
	cfg.opaque = &v;

	printf("option %s, OpRegion of %zu bytes\n", igdpt_vmm_strategy_name(s), len);
	/* 1. Device creation: checks everything, calls nothing. */
	if (igdpt_vmm_create(&cfg, &vmm, &diag) < 0) {
		fprintf(stderr, "vmm-sample: create: %s\n", diag.reason);
		goto out;
	}
	/* 2. Realize: plans, maps, writes, reserves, publishes. */
	if (igdpt_vmm_realize(vmm, &diag) < 0) {
		fprintf(stderr, "vmm-sample: realize: %s\n", diag.reason);
		goto out;
	}
	/* 3. The firmware's part, for the options that have one. Every config
	 * access to the IGD goes through the context. */
	if (igdpt_vmm_strategy_firmware_places(s) && v.opregion_file) {
		uint64_t at = RAM_SIZE - (v.opregion_file_len + PAGE - 1) / PAGE * PAGE;

		memcpy(v.ram + at, v.opregion_file, v.opregion_file_len);
		sample_add_e820(&v, at, (v.opregion_file_len + PAGE - 1) / PAGE * PAGE,
				IGDPT_E820_RESERVED);
		igdpt_vmm_config_write(vmm, IGDPT_PCI_ASLS_OFFSET, 4, (uint32_t)at);
	}
	/* 4. The guest reads ASLS (the VMM's own value for other bytes would
	 * be passed in; 0 here) and then the memory there. */
	igdpt_vmm_config_read(vmm, IGDPT_PCI_ASLS_OFFSET, 4, &asls);
	printf("  ASLS 0x%08x (%s)\n  e820:\n", asls, igdpt_vmm_placement_name(igdpt_vmm_placement(vmm)));
	for (size_t i = 0; i < v.e820_count; i++)
		printf("    0x%09llx-0x%09llx type %u\n", (unsigned long long)v.e820[i].start,
		       (unsigned long long)(v.e820[i].start + v.e820[i].length - 1), v.e820[i].type);
	for (size_t i = 0; i < len; i++) {
		if (guest_byte(&v, asls + i) != image[i]) {
			fprintf(stderr, "vmm-sample: guest sees a different byte at ASLS + 0x%zx\n", i);
			goto out;
		}
	}
	printf("  the guest sees the OpRegion at ASLS\n");
	rc = 0;
out:
	/* Destroy unmaps what it mapped (before host memory goes away). */
	igdpt_vmm_destroy(vmm);
	free(v.opregion_file);
	free(host);
	free(v.ram);
	free(image);
	return rc;
}
