/* SPDX-License-Identifier: MIT */
/* The guest-side check (core: no I/O, no malloc): did the guest get the
 * OpRegion, and would Linux i915 find it?
 *
 * One function shared by the freestanding multiboot probe and `igdpt probe`
 * in a Linux guest. The caller gathers the facts (the IGD's config registers,
 * the firmware memory map, fw_cfg files) and a way to read guest physical
 * memory; igdpt_probe_check() checks ASLS against the memory map first (it
 * must lie in a reserved or ACPI NVS range, Allen Kay's point in the 2016
 * thread) and only then reads it, judges it both exactly as Linux 6.1 i915
 * does and by igdpt's stricter rules, compares it with the fw_cfg image and
 * checks the stolen memory base (BDSM). When i915 would find no VBT in the
 * OpRegion it judges the IGD's PCI ROM as i915's fallback reads it, and an
 * OpRegion that leaves i915 without any VBT fails the check: the guest would
 * run on a default VBT, not on its board's. igdpt_probe_json() renders the
 * verdict as the single-line JSON object of the guest probe contract.
 */
#ifndef IGDPT_PROBE_H
#define IGDPT_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"
#include "igdpt/core/opregion.h"

IGDPT_BEGIN_DECLS

/* One firmware memory map entry, e820 numbering (IGDPT_E820_* in
 * igdpt/abi/guest.h); types outside 1..4 are kept and never accepted. */
struct igdpt_probe_memmap_entry {
	uint64_t start;
	uint64_t length;
	uint32_t type;
};
/* A type for entries whose kind the caller could not name. */
#define IGDPT_PROBE_MEMMAP_UNKNOWN 0u

/* Reads len bytes of guest physical memory at gpa into buf; 0 on success,
 * -errno on failure. Called only for ranges the memory map check accepted. */
typedef int (*igdpt_probe_read_fn)(void *ctx, uint64_t gpa, uint8_t *buf, size_t len);

/* Largest guest OpRegion the probe reads: the 8 KiB base region plus an
 * extended VBT (vbt_size is a u16: 64 KiB, plus room for RVDS rounding). */
#define IGDPT_PROBE_VBT_MAX 0x11000u
#define IGDPT_PROBE_IMAGE_MAX (0x2000u + IGDPT_PROBE_VBT_MAX)
/* Scratch the check needs: the guest copy plus a 2.0 RVDA's VBT, which i915
 * reads from a separate physical address. */
#define IGDPT_PROBE_SCRATCH_SIZE (IGDPT_PROBE_IMAGE_MAX + IGDPT_PROBE_VBT_MAX)

struct igdpt_probe_input {
	const char *probe;         /* "multiboot" or "linux" */
	/* The IGD. When igd_found is false the verdict is "fail" with
	 * no_igd_reason (or a default naming bus 0). */
	bool igd_found;
	const char *no_igd_reason;
	uint8_t bus, dev, fn;
	uint16_t vendor, device_id;
	uint16_t class_code;       /* base class << 8 | subclass */
	uint32_t asls;
	/* The firmware memory map, any order. */
	const struct igdpt_probe_memmap_entry *memmap;
	size_t memmap_count;
	/* Guest memory access and caller-owned scratch of at least
	 * IGDPT_PROBE_SCRATCH_SIZE bytes (less limits what can be checked). */
	igdpt_probe_read_fn read;
	void *read_ctx;
	uint8_t *scratch;
	size_t scratch_size;
	/* fw_cfg etc/igd-opregion: has_fw_cfg when the file exists; image may
	 * be NULL when the caller could not hold fw_cfg_size bytes. */
	bool has_fw_cfg;
	const uint8_t *fw_cfg_image;
	size_t fw_cfg_size;
	/* A running driver rewrites mailbox 1-3 state (DRDY, CHPD, ARDY, DIDL,
	 * SCIC...); when set, differences confined to those bytes are reported
	 * but do not fail the check (the Linux probe runs after i915). */
	bool allow_runtime_writes;
	/* fw_cfg etc/igd-bdsm-size (u64) and the BDSM register as read. */
	bool has_bdsm_request;
	uint64_t bdsm_requested;
	uint16_t bdsm_register;    /* IGDPT_PCI_BDSM_OFFSET or IGDPT_PCI_BDSM64_OFFSET, */
	uint64_t bdsm_value;       /* as igdpt_probe_pick_bdsm() chose them */
	/* The IGD's PCI ROM as Linux maps it for i915 (drivers/pci/rom.c
	 * pci_map_rom(), also what sysfs "rom" reads): on x86 the shadow at
	 * 0xC0000 for the boot VGA device with decoding on, else the ROM BAR.
	 * rom_read false: the caller could not read it. rom may be NULL with
	 * rom_size 0: Linux maps no ROM. rom_from says where it was read (a
	 * static string for the JSON, e.g. "sysfs"). */
	bool rom_read;
	const uint8_t *rom;
	size_t rom_size;
	const char *rom_from;
};

/* Chooses the BDSM register the check judges from both as read (the u32 at
 * 0x5C and the u64 at 0xC0): the one in->device_id's generation uses (the
 * IGD table, igdpt/core/igd.h), so a gen 11+ IGD whose 0xC0 firmware left
 * at 0 is reported as 0xC0 = 0, not as whatever 0x5C holds. For an id the
 * table does not know: 0xC0 when it holds a value, else 0x5C. A generation
 * without BDSM in config space (Xe-LPG) gets register 0, value 0. Sets
 * in->bdsm_register and in->bdsm_value. */
void igdpt_probe_pick_bdsm(struct igdpt_probe_input *in, uint32_t bdsm32, uint64_t bdsm64);

enum igdpt_probe_result {
	IGDPT_PROBE_PASS = 0,
	IGDPT_PROBE_FAIL = 1,
	IGDPT_PROBE_NO_OPREGION = 2,
};

/* What Linux 6.1 intel_opregion_setup() + intel_bios_is_valid_vbt() make of it. */
enum igdpt_probe_i915 {
	IGDPT_PROBE_I915_NOT_RUN = 0, /* ASLS was never read (memory map refused it) */
	IGDPT_PROBE_I915_OK,
	IGDPT_PROBE_I915_NO_OPREGION,
	IGDPT_PROBE_I915_SIGNATURE_MISMATCH,
	IGDPT_PROBE_I915_INVALID_VBT,
};

/* What i915's PCI ROM fallback (display/intel_bios.c oprom_get_vbt()) finds
 * in the IGD's ROM. Judged only when the OpRegion gives i915 no VBT. */
enum igdpt_probe_rom {
	IGDPT_PROBE_ROM_NOT_NEEDED = 0, /* i915 took its VBT from the OpRegion */
	IGDPT_PROBE_ROM_UNREAD,         /* the probe could not read the ROM */
	IGDPT_PROBE_ROM_NONE,           /* Linux maps no ROM (no 0x55AA + "PCIR" at 0) */
	IGDPT_PROBE_ROM_NO_VBT,         /* no "$VBT" at a 4-byte aligned offset */
	IGDPT_PROBE_ROM_INVALID_VBT,    /* one i915 rejects */
	IGDPT_PROBE_ROM_VALID,          /* i915: "Found valid VBT in PCI ROM" */
};

/* How the reason's number is shown. */
enum igdpt_probe_reason_arg {
	IGDPT_PROBE_ARG_NONE = 0,
	IGDPT_PROBE_ARG_AT,    /* " at 0x<reason_value>" appended */
	IGDPT_PROBE_ARG_VALUE, /* "0x<reason_value>" replaces the "%x" in reason */
};

struct igdpt_probe_verdict {
	enum igdpt_probe_result result;
	const char *reason; /* static string, see reason_arg */
	enum igdpt_probe_reason_arg reason_arg;
	uint64_t reason_value;

	const char *probe;
	bool igd_found;
	uint8_t bus, dev, fn;
	uint16_t vendor, device_id, class_code;
	uint32_t asls;

	/* The memory map entry holding ASLS (type IGDPT_PROBE_MEMMAP_UNKNOWN
	 * and memmap_found false when none does). */
	bool memmap_checked, memmap_found;
	uint32_t memmap_type;
	uint64_t memmap_start, memmap_end; /* end inclusive */

	/* OpRegion header as read at ASLS (signature matched). */
	bool has_opregion;
	uint8_t major, minor, revision;
	uint32_t mbox, size_kib;
	/* igdpt's strict validation: vbt fields valid when opregion_valid. */
	bool opregion_valid;
	enum igdpt_vbt_source vbt_source;
	uint16_t bdb_version, vbt_size;
	uint32_t warnings;

	enum igdpt_probe_i915 i915; /* what i915 makes of the OpRegion */
	/* Where i915 ends up with a VBT: mailbox 4, RVDA, the PCI ROM, or
	 * none (then it builds a default one and the check fails). */
	enum igdpt_vbt_source i915_vbt_source;
	enum igdpt_probe_rom rom;
	const char *rom_from;
	size_t rom_size, rom_vbt_offset; /* Linux-visible bytes; "$VBT" when found */

	bool has_fw_cfg, fw_cfg_compared, fw_cfg_identical, fw_cfg_runtime_only;
	size_t fw_cfg_size, fw_cfg_differs_at;

	bool has_bdsm, bdsm_checked, bdsm_aligned, bdsm_reserved;
	uint64_t bdsm_requested, bdsm_value;
	uint16_t bdsm_register;
};

/* Runs every check and fills *v (always, also on failure: the verdict says
 * why). Returns the verdict's result, or -EINVAL when in or v is NULL. */
int igdpt_probe_check(const struct igdpt_probe_input *in, struct igdpt_probe_verdict *v);

/* Finds the memory map entry that contains addr; NULL if none. When entries
 * overlap, a RAM-like entry wins: firmware must not claim both. */
const struct igdpt_probe_memmap_entry *
igdpt_probe_memmap_find(const struct igdpt_probe_memmap_entry *map, size_t count, uint64_t addr);

/* 1 if [start, start + len) is covered by reserved or ACPI NVS entries and
 * overlaps no other entry, else 0. */
int igdpt_probe_memmap_reserved(const struct igdpt_probe_memmap_entry *map, size_t count,
				uint64_t start, uint64_t len);

/* Linux 6.1 intel_bios_is_valid_vbt(): buf holds min(size, IGDPT_PROBE_VBT_MAX)
 * bytes of a window that i915 sizes `size`. */
bool igdpt_probe_i915_vbt_valid(const uint8_t *buf, uint64_t size);

/* Which bytes Linux on x86 maps as the IGD's PCI ROM (arch/x86/pci/fixup.c
 * pci_fixup_video(), drivers/pci/rom.c pci_map_rom()): for the boot VGA
 * device (class 0x0300) with I/O or memory decoding on, the shadow of its
 * video BIOS at 0xC0000 (128 KiB), whatever its ROM BAR holds; for any
 * other, its ROM BAR. True when the shadow is used. The caller knows the IGD
 * is the boot VGA device (igdpt vm's guests have no other). */
#define IGDPT_PROBE_ROM_SHADOW_BASE 0xC0000u
#define IGDPT_PROBE_ROM_SHADOW_SIZE 0x20000u
bool igdpt_probe_rom_is_shadow(uint16_t class_code, uint16_t command);

/* i915's PCI ROM fallback on the bytes Linux maps (rom NULL or size 0: no
 * ROM): IGDPT_PROBE_ROM_NONE, _NO_VBT, _INVALID_VBT or _VALID, and where
 * "$VBT" is when one is there (*vbt_offset, may be NULL). */
enum igdpt_probe_rom igdpt_probe_i915_rom(const uint8_t *rom, size_t size, size_t *vbt_offset);

/* Stable names used in the JSON ("pass", "reserved", "mailbox4", "ok"...). */
const char *igdpt_probe_result_name(enum igdpt_probe_result r);
const char *igdpt_probe_memmap_type_name(uint32_t type, bool found);
const char *igdpt_probe_vbt_source_name(enum igdpt_vbt_source s);
const char *igdpt_probe_i915_name(enum igdpt_probe_i915 r);
/* "not-needed", "unread", "none", "no-vbt", "invalid-vbt", "valid" */
const char *igdpt_probe_rom_name(enum igdpt_probe_rom r);

/* The reason as text, number filled in, NUL-terminated and truncated to
 * size. Returns the full length (like snprintf). */
size_t igdpt_probe_reason_text(const struct igdpt_probe_verdict *v, char *buf, size_t size);

/* The probe report's one-line JSON object (igdpt/abi/probe_report.h; no
 * prefix, no newline), NUL-terminated.
 * Returns its length; -ENOSPC with *needed (bytes including the NUL) when
 * size is too small; needed may be NULL. */
int igdpt_probe_json(const struct igdpt_probe_verdict *v, char *buf, size_t size,
		     size_t *needed);

IGDPT_END_DECLS

#endif
