/* SPDX-License-Identifier: MIT */
/* What a VMM embeds to virtualize the IGD's OpRegion registers, for any of
 * the six placement options of the 2016 thread (hosted library).
 *
 * The VMM creates a context with the option, the OpRegion image, the
 * graphics generation and the stolen memory size, and supplies callbacks
 * for what only it can do: map host memory into guest physical space,
 * write guest RAM, add an e820 entry, publish a fw_cfg file. It forwards
 * every config access that touches ASLS (0xFC), BDSM (0x5C, or 0xC0 from
 * gen 11), GGC (0x50) or SWSCI (0xE8) to the context, which does the rest:
 *
 *   1a  plans an address outside RAM, maps the host OpRegion read-write,
 *       reports it reserved; ASLS reads that address, writes are dropped.
 *   1b  publishes etc/igd-opregion so the firmware reserves memory and
 *       writes ASLS; on that write maps the host OpRegion there read-write
 *       (once placed, later writes are ignored until reset, as Xen does; a
 *       write that cannot be placed, e.g. outside guest RAM, places
 *       nothing and leaves the next write its chance). A VMM that cannot
 *       map (map returns -EOPNOTSUPP: QEMU's proxy) gets a private copy of
 *       exactly image_len bytes written to guest RAM there instead, and
 *       only over RAM the firmware filled from etc/igd-opregion: ASLS
 *       page aligned, the range below 4 GiB, readable through read_ram,
 *       and starting with the image's 16-byte signature.
 *   2   as 1a, mapped read-only.
 *   3   as 1a, but what is mapped is a copy the context owns.
 *   4a  plans a range inside RAM, writes a copy there, reports it
 *       reserved; ASLS reads that address, writes are dropped.
 *   4b  publishes etc/igd-opregion; the firmware copies it and writes
 *       ASLS, a plain read-write register (QEMU's behaviour).
 *
 * Stolen memory follows the same split: for 1a, 2, 3 and 4a the context
 * plans it in RAM (1 MiB aligned, reserved) and BDSM reads that base; for
 * 1b and 4b it publishes etc/igd-bdsm-size and BDSM takes the firmware's
 * write. GGC is read-only, its GMS field announcing the stolen size.
 * SWSCI keeps SCISEL and its scratch bits; GSSCIE reads back 0 at once.
 *
 * Partial writes: every register reads back the bytes written to it, but
 * the context acts only on a complete value, as the firmware writes it:
 * ASLS (0xFC) and the 32-bit BDSM (0x5C) with one 4-byte write at their
 * offset, the 64-bit BDSM (0xC0) with a 4-byte write to each of its
 * dwords since its value was last complete, in either order. Anything
 * smaller (halves, bytes, unaligned accesses that overlap the register)
 * is taken as bytes and reported IGDPT_VMM_WRITE_PARTIAL: nothing is
 * placed, mapped or written for it.
 *
 * Threads: a context is not locked; the VMM serializes calls on one
 * context. There is no global state; contexts are independent.
 * Return contract: >= 0 success, -errno failure; functions taking a diag
 * fill it (static reason, offset) on failure. Callbacks return 0 or -errno.
 */
#ifndef IGDPT_VMM_H
#define IGDPT_VMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"
#include "igdpt/core/diag.h"
#include "igdpt/core/plan.h"

IGDPT_BEGIN_DECLS

enum igdpt_vmm_strategy {
	IGDPT_VMM_1A = 0,
	IGDPT_VMM_1B,
	IGDPT_VMM_2,
	IGDPT_VMM_3,
	IGDPT_VMM_4A,
	IGDPT_VMM_4B,
};
#define IGDPT_VMM_STRATEGY_COUNT 6u

/* "1a", "1b", "2", "3", "4a", "4b"; NULL for an unknown value. */
const char *igdpt_vmm_strategy_name(enum igdpt_vmm_strategy s);
/* The inverse; -EINVAL for anything else. */
int igdpt_vmm_strategy_parse(const char *name, enum igdpt_vmm_strategy *s);
/* True for 1a, 2 and 3, which cannot work unless the VMM maps memory of
 * its own into guest physical space (1b falls back to a copy). */
bool igdpt_vmm_strategy_needs_map(enum igdpt_vmm_strategy s);
/* True when the guest firmware picks the address (1b, 4b). */
bool igdpt_vmm_strategy_firmware_places(enum igdpt_vmm_strategy s);

/* GGC for a generation and stolen size, as the firmware of a real machine
 * locks it: GMS (gen < 8: bits 7:3, 32 MiB units; gen 8+: bits 15:8, 32
 * MiB units, from gen 9 also 0xF0.. in 4 MiB units), GGMS (2 MiB of GTT
 * before gen 8, 8 MiB from gen 8) and the lock bit. -EINVAL when the size
 * has no GMS encoding. igdpt_ggc_encode() (igdpt/core/ggc.h) does the work; an
 * unknown generation (0) gets the gen 8 layout without the 4 MiB codes. */
int igdpt_vmm_ggc_encode(unsigned generation, uint64_t stolen_size, uint16_t *ggc);

/* Protection of a mapping. */
#define IGDPT_VMM_PROT_READ (1u << 0)
#define IGDPT_VMM_PROT_WRITE (1u << 1)

enum igdpt_vmm_log_level {
	IGDPT_VMM_LOG_ERROR,
	IGDPT_VMM_LOG_WARNING,
	IGDPT_VMM_LOG_INFO,
};

/* The VMM's side. opaque is igdpt_vmm_config.opaque. Pointers passed in
 * are valid only during the call unless said otherwise. Growable: set
 * struct_size to sizeof(struct igdpt_vmm_ops) (0 is refused with -EINVAL);
 * callbacks a newer library adds count as NULL for an older caller. */
struct igdpt_vmm_ops {
	size_t struct_size;
	/* Makes len bytes of host memory at host appear at guest physical
	 * gpa with prot (IGDPT_VMM_PROT_*), until unmap. host stays valid and
	 * owned by the context (or the caller, for the host OpRegion) until
	 * the matching unmap. -EOPNOTSUPP when the VMM cannot map host memory
	 * into the guest. NULL: same as -EOPNOTSUPP. */
	int (*map)(void *opaque, uint64_t gpa, void *host, size_t len, unsigned prot);
	/* Undoes a map of exactly (gpa, len). NULL when map is NULL. */
	int (*unmap)(void *opaque, uint64_t gpa, size_t len);
	/* Writes guest RAM. Needed for 4a and for 1b without map. 0 or
	 * -errno; it must write nothing when it cannot write everything. */
	int (*write_ram)(void *opaque, uint64_t gpa, const void *buf, size_t len);
	/* Reads guest RAM. Needed for 1b without map (the check before the
	 * copy is written); else optional, for igdpt_vmm_guest_copy(). */
	int (*read_ram)(void *opaque, uint64_t gpa, void *buf, size_t len);
	/* Adds an e820 entry the firmware will report (type IGDPT_E820_*);
	 * the range may lie inside RAM (4a): the VMM splits its map, e.g. with
	 * igdpt_plan_e820_insert(). Needed for 1a, 2, 3 and 4a. */
	int (*add_e820)(void *opaque, uint64_t start, uint64_t len, uint32_t type);
	/* Publishes a fw_cfg file (name as in igdpt/abi/guest.h). Needed for
	 * 1b and 4b; a VMM that publishes from elsewhere (a command line)
	 * returns 0. */
	int (*publish)(void *opaque, const char *name, const void *data, size_t len);
	/* One line, no newline; optional. */
	void (*log)(void *opaque, enum igdpt_vmm_log_level level, const char *msg);
};

/* Growable: start from IGDPT_VMM_CONFIG_INIT or set struct_size to
 * sizeof(struct igdpt_vmm_config) (0 is refused with -EINVAL); members a
 * newer library adds count as 0 for an older caller. */
struct igdpt_vmm_config {
	size_t struct_size;
	enum igdpt_vmm_strategy strategy;
	/* The OpRegion (igdpt_opregion_parse() must accept it; 0 bytes: no
	 * OpRegion, ASLS stays 0). For 1a, 1b and 2 it is the host OpRegion
	 * itself (e.g. the mmap of the VFIO region): the context hands it to
	 * map() and never writes it; it must stay valid until destroy and
	 * span host_len bytes. For 3, 4a and 4b the context copies it. */
	uint8_t *image;
	size_t image_len;
	/* 1a, 1b, 2: bytes of host memory at image that a mapping covers, at
	 * least image_len rounded up to 4 KiB (mappings are page granular,
	 * so the page tail is exposed to the guest too). 0: exactly that. */
	size_t host_len;
	/* Skip igdpt_opregion_parse() on image: for test rigs that hand a
	 * guest a broken OpRegion on purpose, to see the guest catch it. */
	bool unvalidated_image;
	unsigned generation;  /* 6..12 have BDSM; 13+ none; 0 unknown */
	uint64_t stolen_size; /* 0: none; else needs a GMS encoding */
	/* The guest layout the planner works on (1a, 2, 3, 4a; stolen memory
	 * for those too): the e820 map the firmware will report, and every
	 * MMIO window (PCI hole, BARs, APICs, flash). Copied at create. */
	const struct igdpt_plan_range *e820;
	size_t e820_count;
	const struct igdpt_plan_range *windows;
	size_t window_count;
	const struct igdpt_vmm_ops *ops;
	void *opaque;
};
#define IGDPT_VMM_CONFIG_INIT { sizeof(struct igdpt_vmm_config) }

/* What happened so far, for logs and tests. Growable: the caller sets
 * struct_size (IGDPT_VMM_STATS_INIT) and the library fills that much. */
struct igdpt_vmm_stats {
	size_t struct_size;
	uint64_t asls_writes;         /* every write touching ASLS */
	uint64_t asls_writes_ignored; /* dropped (VMM-placed) or after the first (1b) */
	uint64_t asls_writes_refused; /* 1b: taken, but nothing placed there */
	uint64_t ggc_writes_ignored;
	uint64_t bdsm_writes, bdsm_writes_ignored;
	uint64_t swsci_writes, swsci_triggers;
	uint64_t partial_writes;      /* ASLS/BDSM writes that were not complete */
	uint64_t maps, unmaps, ram_writes;
	uint64_t callback_errors;
};
#define IGDPT_VMM_STATS_INIT { sizeof(struct igdpt_vmm_stats) }

/* Where the OpRegion is now. */
enum igdpt_vmm_placement {
	IGDPT_VMM_PLACED_NONE = 0,   /* not yet (1b, 4b before the firmware) */
	IGDPT_VMM_PLACED_HOST_MAP,   /* host OpRegion mapped (1a, 1b, 2) */
	IGDPT_VMM_PLACED_COPY_MAP,   /* the context's copy mapped (3) */
	IGDPT_VMM_PLACED_GUEST_RAM,  /* a copy in guest RAM (4a; 1b unmappable) */
	IGDPT_VMM_PLACED_FIRMWARE,   /* the firmware's copy (4b) */
};

struct igdpt_vmm;

/* Checks the configuration and copies what it must (image for 3/4a/4b,
 * the layout); calls no callback. *out is the new context, owned by the
 * caller until igdpt_vmm_destroy(). -EINVAL (diag: why) for an unknown
 * strategy, a missing callback the strategy needs, an image the validator
 * refuses, host_len too small, a stolen size GGC cannot encode or a
 * generation without BDSM; -ENOMEM. */
int igdpt_vmm_create(const struct igdpt_vmm_config *config, struct igdpt_vmm **out,
		     struct igdpt_diag *diag);

/* Device realize: plans and places (1a, 2, 3, 4a), publishes (1b, 4b).
 * Call once, before the guest runs. -ENOSPC (diag) when the planner finds
 * no room; a callback's -errno (diag names it) otherwise. After a failure
 * the context may be destroyed; what was placed is undone there. */
int igdpt_vmm_realize(struct igdpt_vmm *vmm, struct igdpt_diag *diag);

/* Undoes every mapping (unmap) and frees the context. NULL is fine. */
void igdpt_vmm_destroy(struct igdpt_vmm *vmm);

/* Number of bytes of [off, off + len) (len 1, 2 or 4, inside the 4 KiB
 * PCI Express configuration space) that belong to a register the context
 * virtualizes; 0 means the VMM handles the access itself. -EINVAL for a
 * bad access. */
int igdpt_vmm_owns(const struct igdpt_vmm *vmm, unsigned off, unsigned len);

/* A config read. *value holds the VMM's own value of those bytes on entry;
 * the bytes the context owns are replaced (little-endian positions).
 * Returns the number of bytes replaced, -EINVAL for a bad access. */
int igdpt_vmm_config_read(struct igdpt_vmm *vmm, unsigned off, unsigned len, uint32_t *value);

/* A config write. The context takes the bytes it owns (the VMM may ignore
 * them) and acts for its strategy. Returns the number of bytes taken;
 * -EINVAL for a bad access; a callback's -errno when acting failed (the
 * register keeps the value written, the failure is logged and counted). A
 * write the context declines by its rules (an ASLS 1b cannot place at) is
 * not a failure: it returns the bytes taken, and the report says why. */
int igdpt_vmm_config_write(struct igdpt_vmm *vmm, unsigned off, unsigned len, uint32_t value);

/* The registers the context owns. GGC, BDSM, SWSCI and ASLS lie at least
 * four bytes apart, so one config access (1, 2 or 4 bytes) touches at most
 * one of them. */
enum igdpt_vmm_register {
	IGDPT_VMM_REG_NONE = 0,
	IGDPT_VMM_REG_GGC,
	IGDPT_VMM_REG_BDSM,
	IGDPT_VMM_REG_SWSCI,
	IGDPT_VMM_REG_ASLS,
};

/* What the context did with the register a config write touched. */
enum igdpt_vmm_write_action {
	IGDPT_VMM_WRITE_NONE = 0, /* the write touched none of its registers */
	IGDPT_VMM_WRITE_TAKEN,    /* the register took the value (SWSCI: GSSCIE
				   * completed at once) */
	IGDPT_VMM_WRITE_PARTIAL,  /* ASLS/BDSM took the bytes, but they are not
				   * a complete value: nothing acted on (reason) */
	IGDPT_VMM_WRITE_IGNORED,  /* value unchanged: GGC is read-only, the VMM
				   * fixed the register, or 1b already placed */
	IGDPT_VMM_WRITE_REFUSED,  /* 1b: the register took the value, but the
				   * context placed nothing there (reason) */
	IGDPT_VMM_WRITE_PLACED,   /* 1b: the OpRegion now lies at the new ASLS */
};

/* One config write, as the context saw it. Growable: the caller sets
 * struct_size (IGDPT_VMM_WRITE_REPORT_INIT) and the library fills that
 * much. */
struct igdpt_vmm_write_report {
	size_t struct_size;
	enum igdpt_vmm_register reg;
	enum igdpt_vmm_write_action action;
	/* The register as the write would have made it: its old value with
	 * the written bytes in place (what the guest asked for; for SWSCI
	 * before GSSCIE completes). */
	uint64_t written;
	uint64_t value;     /* the register after the write */
	const char *reason; /* REFUSED, PARTIAL: why (static text) */
	int error;          /* refused because a callback failed: its -errno */
};
#define IGDPT_VMM_WRITE_REPORT_INIT { sizeof(struct igdpt_vmm_write_report) }

/* igdpt_vmm_config_write() that also tells what happened: *report (may be
 * NULL) is filled whatever the result (reg NONE for a write that touched no
 * register of the context, or a bad access). Same return values. */
int igdpt_vmm_config_write_report(struct igdpt_vmm *vmm, unsigned off, unsigned len,
				  uint32_t value, struct igdpt_vmm_write_report *report);
/* "ggc", "bdsm", "swsci", "asls"; "none" for IGDPT_VMM_REG_NONE. */
const char *igdpt_vmm_register_name(enum igdpt_vmm_register reg);

/* Platform reset: 1b unmaps and forgets ASLS; 1b and 4b clear ASLS and
 * BDSM (the firmware writes them again); 4a rewrites its guest copy.
 * Returns 0 or a callback's -errno. */
int igdpt_vmm_reset(struct igdpt_vmm *vmm);

/* The registers' values (0 for a NULL context). */
uint32_t igdpt_vmm_asls(const struct igdpt_vmm *vmm);
uint64_t igdpt_vmm_bdsm(const struct igdpt_vmm *vmm);
uint16_t igdpt_vmm_ggc(const struct igdpt_vmm *vmm);
uint16_t igdpt_vmm_swsci(const struct igdpt_vmm *vmm);
/* The BDSM register (IGDPT_PCI_BDSM_OFFSET / _BDSM64_OFFSET), 0 if none,
 * and its width in bytes (4 or 8; 0 if none). */
unsigned igdpt_vmm_bdsm_register(const struct igdpt_vmm *vmm);
unsigned igdpt_vmm_bdsm_width(const struct igdpt_vmm *vmm);
/* The option the context was created with. */
enum igdpt_vmm_strategy igdpt_vmm_get_strategy(const struct igdpt_vmm *vmm);
/* The OpRegion the guest is meant to see: the context's copy (3, 4a, 4b,
 * 1b) or the caller's host OpRegion (1a, 2); *len its size. NULL (and
 * *len 0) when there is no OpRegion. Valid until igdpt_vmm_destroy(). */
const uint8_t *igdpt_vmm_image(const struct igdpt_vmm *vmm, size_t *len);
/* Compares len bytes of data with that OpRegion: 0 identical, 1 differs
 * (*differs_at, may be NULL: the first differing byte, or the shorter
 * length when only the sizes differ), -ENOENT when there is no OpRegion.
 * The one comparison behind igdpt_vmm_guest_copy() and a caller's check
 * that the host file it loaded is unchanged. */
int igdpt_vmm_image_compare(const struct igdpt_vmm *vmm, const uint8_t *data, size_t len,
			    size_t *differs_at);
enum igdpt_vmm_placement igdpt_vmm_placement(const struct igdpt_vmm *vmm);
/* Guest physical range of the OpRegion (0, 0 when not placed). */
void igdpt_vmm_range(const struct igdpt_vmm *vmm, uint64_t *gpa, uint64_t *len);
void igdpt_vmm_get_stats(const struct igdpt_vmm *vmm, struct igdpt_vmm_stats *stats);
/* Stable name of a placement ("host-map", ...). */
const char *igdpt_vmm_placement_name(enum igdpt_vmm_placement p);

/* Compares guest RAM at ASLS with the image through read_ram: 0 identical,
 * 1 differs (*differs_at), -ENOENT no image or ASLS 0, -EOPNOTSUPP no
 * read_ram, -EFAULT when the read fails (ASLS outside guest RAM), -ENOMEM. */
int igdpt_vmm_guest_copy(struct igdpt_vmm *vmm, size_t *differs_at);

IGDPT_END_DECLS

#endif
