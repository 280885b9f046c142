/* SPDX-License-Identifier: MIT */
/* The machine model's state, shared by lib/vmm/machine*.c only. */
#ifndef IGDPT_LIB_MACHINE_PRIVATE_H
#define IGDPT_LIB_MACHINE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/machine.h"
#include "igdpt/core/plan.h"

#define MACHINE_MAX_OVERLAYS 8u
#define MACHINE_MAX_E820 32u
#define MACHINE_MAX_WINDOWS 8u
#define MACHINE_MAX_FILES 4u
#define MACHINE_CFG_SIZE 256u
#define MACHINE_LOG_SIZE 256u
#define MACHINE_FW_CFG_NAME_SIZE 56u

/* Memory mapped over guest physical space (a VMM memory region). */
struct overlay {
	uint64_t gpa;
	uint64_t len;
	uint8_t *mem;
	bool writable;
	bool host; /* backed by the host OpRegion's memory */
};

struct fw_cfg_file {
	char name[MACHINE_FW_CFG_NAME_SIZE];
	uint8_t *data;
	size_t len;
};

struct igdpt_machine {
	struct igdpt_machine_config config;
	uint8_t *ram;
	uint64_t ram_size;
	uint8_t *host, *host_orig;
	size_t host_len;

	struct overlay overlays[MACHINE_MAX_OVERLAYS];
	size_t noverlays;
	struct igdpt_plan_range e820[MACHINE_MAX_E820];
	size_t e820_count;
	struct igdpt_plan_range windows[MACHINE_MAX_WINDOWS];
	size_t nwindows;
	struct fw_cfg_file files[MACHINE_MAX_FILES];
	size_t nfiles;

	uint8_t cfg[MACHINE_CFG_SIZE];
	struct igdpt_vmm *vmm;
	uint32_t firmware_asls;

	struct igdpt_probe_memmap_entry *guest_map;
	size_t guest_map_count;
	bool booted, os_running;

	struct igdpt_machine_stats stats;
	char last_log[MACHINE_LOG_SIZE];
};

#endif
