/* SPDX-License-Identifier: MIT */
/* Table of real Intel IGD device ids with their graphics generation, a
 * default LPC bridge id of the PCH family they ship with and a host bridge
 * id of the same platform. */
#ifndef IGDPT_DEVICE_IDS_H
#define IGDPT_DEVICE_IDS_H

#include <stddef.h>
#include <stdint.h>

struct igdpt_igd_id {
	uint16_t device_id;
	uint8_t generation; /* i915's numbering: Haswell is 7, Alder Lake 12 */
	uint16_t lpc_device_id; /* a PCH of that platform, see ids.c */
	uint16_t host_bridge_id; /* a host bridge of that platform */
	const char *name;
};

/* The entry for device_id, NULL if the table does not know it. */
const struct igdpt_igd_id *igdpt_ids_lookup(uint16_t device_id);
/* The default device of a generation (gen 9 -> 0x5916), NULL if none. */
const struct igdpt_igd_id *igdpt_ids_default_for_generation(unsigned generation);
/* The whole table, for tests and --help. */
const struct igdpt_igd_id *igdpt_ids_table(size_t *count);

#endif
