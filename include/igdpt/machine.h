/* SPDX-License-Identifier: MIT */
/* A machine model that runs the six OpRegion placement options end to end
 * (hosted library): guest physical memory (RAM plus mapped overlays, with
 * read-only enforced and counted), an e820 map, the IGD's PCI config space
 * behind an igdpt VMM context (igdpt/vmm.h), fw_cfg, a model firmware and a
 * model guest driver.
 *
 * The firmware is SeaBIOS 1.16 in miniature: it reserves its high zone at
 * the top of RAM, hands the VMM's e820 map to the guest and, when built
 * with IGD support, copies etc/igd-opregion into that zone and writes ASLS,
 * and reserves etc/igd-bdsm-size bytes and writes 0x5C (SeaBIOS's
 * register, whatever the generation). The unmodified firmware (stock OVMF's
 * behaviour) does only the first two.
 * The guest driver is the guest probe's logic (igdpt_probe_check(): ASLS,
 * memory map first, validation, fw_cfg comparison) followed by what Linux
 * i915 writes into the OpRegion (DRDY, CSTS, CHPD, ARDY, TCHE, DIDL).
 *
 * The "host" is a page-rounded buffer holding the OpRegion with the rest of
 * its last page filled with IGDPT_MACHINE_HOST_FILL (other host data that
 * a page-granular mapping exposes); the machine remembers it, so any change
 * a guest makes there is seen.
 * Return contract: >= 0 success, -errno failure with diag filled.
 */
#ifndef IGDPT_MACHINE_H
#define IGDPT_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"
#include "igdpt/core/diag.h"
#include "igdpt/core/probe.h"
#include "igdpt/vmm.h"

IGDPT_BEGIN_DECLS

#define IGDPT_MACHINE_DEFAULT_RAM (32ull << 20)
#define IGDPT_MACHINE_MAX_RAM 0xC0000000ull /* all below the PCI hole */
#define IGDPT_MACHINE_HOST_FILL 0xC3u
/* SeaBIOS CONFIG_MAX_HIGHTABLE: its reserved zone at the top of RAM. */
#define IGDPT_MACHINE_HIGH_ZONE 0x40000u

enum igdpt_machine_firmware {
	IGDPT_MACHINE_FW_UNMODIFIED, /* e820 only: knows nothing of an IGD */
	IGDPT_MACHINE_FW_IGD,        /* plus SeaBIOS 1.16's IGD support */
};

/* Growable: start from IGDPT_MACHINE_CONFIG_INIT (a struct_size of 0 is
 * refused with -EINVAL). */
struct igdpt_machine_config {
	size_t struct_size;
	enum igdpt_vmm_strategy strategy;
	const uint8_t *image; /* the host OpRegion, copied into host memory */
	size_t image_len;
	unsigned generation;  /* 0: 9 */
	uint16_t device_id;   /* 0: 0x5916 */
	uint64_t stolen_size;
	uint64_t ram_size;    /* 0: IGDPT_MACHINE_DEFAULT_RAM */
	/* The VMM cannot map host memory into the guest (QEMU's proxy):
	 * map() returns -EOPNOTSUPP. */
	bool no_map;
};
#define IGDPT_MACHINE_CONFIG_INIT { sizeof(struct igdpt_machine_config) }

/* Counters of what guest and VMM did to memory. */
struct igdpt_machine_stats {
	uint64_t ro_writes_refused; /* bytes written to a read-only overlay */
	uint64_t unbacked_writes;   /* bytes written where nothing is */
	uint64_t host_writes;       /* bytes written into host memory */
	uint64_t vmm_ram_writes;    /* bytes the VMM wrote into guest RAM */
	uint64_t ram_clobbered;     /* bytes the VMM wrote into RAM the guest OS owns */
};

struct igdpt_machine;

int igdpt_machine_create(const struct igdpt_machine_config *config, struct igdpt_machine **out,
			 struct igdpt_diag *diag);
void igdpt_machine_destroy(struct igdpt_machine *m);

/* Creates and realizes the device's VMM context (the VMM side of device
 * realize). Before boot: a cold-plugged device; after: hotplug. The
 * context's error reaches diag (and igdpt_machine_last_log()). */
int igdpt_machine_plug(struct igdpt_machine *m, struct igdpt_diag *diag);
/* Runs the firmware, hands the e820 map to the guest and starts the guest
 * OS, which from then on owns every byte its map calls RAM (a VMM write
 * there counts as ram_clobbered). */
int igdpt_machine_boot(struct igdpt_machine *m, enum igdpt_machine_firmware fw,
		       struct igdpt_diag *diag);

/* Guest physical access through overlays, then RAM. Reads of unbacked
 * bytes give 0xFF; returns the number of backed bytes. Writes return the
 * number of bytes that took effect (refused and unbacked ones counted). */
size_t igdpt_machine_read(struct igdpt_machine *m, uint64_t gpa, uint8_t *buf, size_t len);
size_t igdpt_machine_write(struct igdpt_machine *m, uint64_t gpa, const uint8_t *buf, size_t len);
/* IGD (00:02.0) config space access, len 1, 2 or 4. */
uint32_t igdpt_machine_cfg_read(struct igdpt_machine *m, unsigned off, unsigned len);
void igdpt_machine_cfg_write(struct igdpt_machine *m, unsigned off, unsigned len, uint32_t value);

/* The memory map the guest got at boot (NULL/0 before boot). */
const struct igdpt_probe_memmap_entry *igdpt_machine_guest_memmap(const struct igdpt_machine *m,
								    size_t *count);
/* A published fw_cfg file, NULL when absent. */
const uint8_t *igdpt_machine_fw_cfg(const struct igdpt_machine *m, const char *name, size_t *len);
/* The device's VMM context (NULL before plug). */
struct igdpt_vmm *igdpt_machine_vmm(const struct igdpt_machine *m);
/* The ASLS value the firmware wrote (0: it wrote none). */
uint32_t igdpt_machine_firmware_asls(const struct igdpt_machine *m);

/* Host memory: bytes that differ from the start (first one in *first),
 * bytes of it mapped into the guest now, and the buffer itself. */
size_t igdpt_machine_host_changed(const struct igdpt_machine *m, size_t *first);
uint64_t igdpt_machine_host_exposed(const struct igdpt_machine *m);
const uint8_t *igdpt_machine_host(const struct igdpt_machine *m, size_t *len);
void igdpt_machine_get_stats(const struct igdpt_machine *m, struct igdpt_machine_stats *stats);
/* The last error or warning the VMM context logged ("" when none). */
const char *igdpt_machine_last_log(const struct igdpt_machine *m);

/* ---- the model guest driver ---- */

struct igdpt_machine_driver {
	struct igdpt_probe_verdict verdict; /* the strict guest check */
	bool i915_found;      /* i915's own view: signature and VBT at ASLS */
	unsigned writes;      /* 32-bit writes i915 made into the OpRegion */
	unsigned writes_kept; /* of those, read back as written */
	bool writes_ok;       /* every write read back (and there were some) */
};

/* Reads ASLS, runs the guest check and, when it passes (or i915's own view
 * finds an OpRegion and lax is set), makes i915's writes. */
int igdpt_machine_guest_driver(struct igdpt_machine *m, bool lax,
			       struct igdpt_machine_driver *out);

struct igdpt_machine_hostile {
	uint64_t start, len;          /* what the guest scribbled on */
	uint64_t bytes_taken;         /* writes that took effect */
	uint64_t bytes_refused;       /* refused by a read-only mapping */
	uint64_t bytes_unbacked;      /* landed nowhere */
	size_t host_bytes_corrupted;  /* host memory now differing from the start */
};

/* Writes a pattern across the OpRegion at ASLS and two pages beyond its
 * mapped end, as a hostile guest would. */
int igdpt_machine_guest_hostile_writes(struct igdpt_machine *m, struct igdpt_machine_hostile *out);

/* ---- the strategy comparison: every cell from a run ---- */

struct igdpt_strategy_row {
	enum igdpt_vmm_strategy strategy;
	char error[200];                  /* realize failed: why ("" when it worked) */
	bool works_unmodified_firmware;
	bool needs_firmware_support;
	const char *address_chosen_by;    /* "vmm", "firmware" or "none" */
	uint32_t asls;
	const char *placement;            /* igdpt_vmm_placement_name() */
	bool guest_sees_valid_opregion;
	char guest_reason[160];           /* the guest check's reason */
	bool driver_writes_succeed;
	bool guest_writes_reach_host;
	uint64_t host_bytes_exposed;
	uint64_t hostile_writes_refused;
	size_t host_bytes_corrupted;      /* after the hostile scribble */
	bool survives_hostile_asls;
	const char *hostile_asls_effect;  /* "ignored", "stored", "remapped" */
	bool hotplug_possible;
	bool looks_like_real_hardware;
};

/* Growable: start from IGDPT_STRATEGY_OPTIONS_INIT (a struct_size of 0 is
 * refused with -EINVAL). */
struct igdpt_strategy_options {
	size_t struct_size;
	unsigned generation;
	uint64_t stolen_size;
	uint64_t ram_size;
	bool no_map; /* model a VMM that cannot map (QEMU's proxy) */
};
#define IGDPT_STRATEGY_OPTIONS_INIT { sizeof(struct igdpt_strategy_options) }

/* Runs strategy in fresh machines (cold boot with and without firmware
 * support, hostile writes, hostile ASLS write, hotplug) and fills *row.
 * -EINVAL (diag) for an image the VMM refuses; a failed realize is a
 * result (row->error), not an error. */
int igdpt_machine_evaluate(enum igdpt_vmm_strategy strategy, const uint8_t *image,
			   size_t image_len, const struct igdpt_strategy_options *opts,
			   struct igdpt_strategy_row *row, struct igdpt_diag *diag);

IGDPT_END_DECLS

#endif
