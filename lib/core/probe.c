/* SPDX-License-Identifier: MIT */
/* The guest-side check: memory map first, then the OpRegion at ASLS as i915
 * and as igdpt see it, the fw_cfg comparison and the stolen memory base.
 *
 * Order matters: nothing at ASLS is read until the memory map says it is
 * firmware-reserved (reserved or ACPI NVS) for the whole length read. The
 * i915 emulation follows Linux 6.1 intel_opregion_setup() (RVDA when major
 * >= 2, ASLE present and RVDA, RVDS != 0; 2.0 RVDA physical, 2.1+ relative
 * to ASLS; else mailbox 4 in a 6 or 7 KiB window) and never fails the check
 * by itself; igdpt's stricter igdpt_opregion_parse() does. The first failure
 * found becomes the reason; every sub-result is still filled in.
 *
 * The verdict means the guest driver gets its VBT: when i915 finds none in
 * the OpRegion it reads the IGD's PCI ROM (intel_bios.c, oprom_get_vbt()),
 * and when that holds none either it runs on a default VBT, which is not the
 * board's; an OpRegion that leaves i915 there fails.
 */
#include "igdpt/core/probe.h"

#include "igdpt/abi/guest.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/abi/pci.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/igd.h"
#include "igdpt/core/pci_rom.h"

/* Mailbox 1..3 up to RVDA hold state the driver and ACPI methods rewrite. */
#define RUNTIME_STATE_START IGDPT_MBOX1_OFFSET
#define RUNTIME_STATE_END IGDPT_MBOX3_RVDA_OFFSET
#define BDSM_ALIGN_MASK ((uint64_t)IGDPT_STOLEN_GUEST_ALIGN - 1u)

static bool type_accepted(uint32_t type)
{
	return type == IGDPT_E820_RESERVED || type == IGDPT_E820_NVS;
}

/* End of an entry, saturated: a map may describe the top of the space. */
static uint64_t entry_end(const struct igdpt_probe_memmap_entry *e)
{
	uint64_t end = e->start + e->length;

	return end < e->start ? UINT64_MAX : end;
}

static bool entry_contains(const struct igdpt_probe_memmap_entry *e, uint64_t addr)
{
	return e->length && addr >= e->start && addr < entry_end(e);
}

const struct igdpt_probe_memmap_entry *
igdpt_probe_memmap_find(const struct igdpt_probe_memmap_entry *map, size_t count, uint64_t addr)
{
	const struct igdpt_probe_memmap_entry *found = 0;

	for (size_t i = 0; i < count; i++) {
		if (!entry_contains(&map[i], addr))
			continue;
		if (!found || (type_accepted(found->type) && !type_accepted(map[i].type)))
			found = &map[i];
	}
	return found;
}

int igdpt_probe_memmap_reserved(const struct igdpt_probe_memmap_entry *map, size_t count,
				uint64_t start, uint64_t len)
{
	uint64_t end = start + len;
	uint64_t cur = start;

	if (!len || end < start)
		return 0;
	/* Covered by a chain of accepted entries... */
	while (cur < end) {
		uint64_t best = cur;

		for (size_t i = 0; i < count; i++)
			if (type_accepted(map[i].type) && entry_contains(&map[i], cur) &&
			    entry_end(&map[i]) > best)
				best = entry_end(&map[i]);
		if (best == cur)
			return 0;
		cur = best;
	}
	/* ...and claimed by nothing else. */
	for (size_t i = 0; i < count; i++)
		if (!type_accepted(map[i].type) && map[i].length && map[i].start < end &&
		    entry_end(&map[i]) > start)
			return 0;
	return 1;
}

bool igdpt_probe_i915_vbt_valid(const uint8_t *buf, uint64_t size)
{
	uint64_t vbt_size, bdb_offset, bdb_size;

	/* A full VBT header first, then the "$VBT" signature. */
	if (!buf || size < IGDPT_VBT_HEADER_SIZE)
		return false;
	if (igdpt_bytes_differ(buf + IGDPT_VBT_SIGNATURE_OFFSET,
			       (const uint8_t *)IGDPT_VBT_SIGNATURE, IGDPT_VBT_SIGNATURE_PREFIX_SIZE))
		return false;
	vbt_size = igdpt_le16(buf + IGDPT_VBT_VBT_SIZE_OFFSET);
	if (vbt_size > size)
		return false;
	/* From here i915 bounds everything by vbt_size (< 64 KiB), so the
	 * caller's min(size, IGDPT_PROBE_VBT_MAX) bytes are enough. */
	bdb_offset = igdpt_le32(buf + IGDPT_VBT_BDB_OFFSET_OFFSET);
	if (bdb_offset >= vbt_size || IGDPT_BDB_HEADER_SIZE > vbt_size - bdb_offset)
		return false;
	bdb_size = igdpt_le16(buf + bdb_offset + IGDPT_BDB_BDB_SIZE_OFFSET);
	return bdb_size <= vbt_size - bdb_offset;
}

bool igdpt_probe_rom_is_shadow(uint16_t class_code, uint16_t command)
{
	return class_code == IGDPT_PCI_CLASS_DISPLAY_VGA &&
	       (command & (IGDPT_PCI_COMMAND_IO | IGDPT_PCI_COMMAND_MEMORY));
}

/* i915 compares "$VBT" as one aligned u32 while i + 4 < size. */
#define ROM_SCAN_STEP 4u

enum igdpt_probe_rom igdpt_probe_i915_rom(const uint8_t *rom, size_t size, size_t *vbt_offset)
{
	size_t i;

	/* pci_map_rom() exposes only what pci_get_rom_size() walks. */
	size = rom ? igdpt_pci_rom_linux_size(rom, size) : 0;
	if (!size)
		return IGDPT_PROBE_ROM_NONE;
	for (i = 0; i + ROM_SCAN_STEP < size; i += ROM_SCAN_STEP)
		if (!igdpt_bytes_differ(rom + i, (const uint8_t *)IGDPT_VBT_SIGNATURE,
					IGDPT_VBT_SIGNATURE_PREFIX_SIZE))
			break;
	if (i + ROM_SCAN_STEP >= size)
		return IGDPT_PROBE_ROM_NO_VBT;
	if (vbt_offset)
		*vbt_offset = i;
	/* The header and vbt_size bounded by the rest of the ROM, then
	 * intel_bios_is_valid_vbt() on vbt_size bytes: the same checks. */
	return igdpt_probe_i915_vbt_valid(rom + i, size - i) ? IGDPT_PROBE_ROM_VALID
							     : IGDPT_PROBE_ROM_INVALID_VBT;
}

/* Check state shared by the steps below. */
struct check {
	const struct igdpt_probe_input *in;
	struct igdpt_probe_verdict *v;
	size_t have; /* bytes of the guest copy in scratch, from ASLS */
};

static void fail(struct igdpt_probe_verdict *v, const char *reason,
		 enum igdpt_probe_reason_arg arg, uint64_t value)
{
	if (v->result == IGDPT_PROBE_FAIL)
		return; /* the first failure is the reason */
	v->result = IGDPT_PROBE_FAIL;
	v->reason = reason;
	v->reason_arg = arg;
	v->reason_value = value;
}

static bool read_guest(const struct check *c, uint64_t gpa, uint8_t *buf, size_t len)
{
	return c->in->read && c->in->read(c->in->read_ctx, gpa, buf, len) == 0;
}

/* i915's RVDA step. Returns the VBT window it would validate (NULL when it
 * would find nothing usable there) and sets *size to i915's size for it.
 * Also enforces igdpt's rules on where the extended VBT may live. */
static const uint8_t *extended_vbt(struct check *c, uint64_t rvda, uint32_t rvds,
				   uint64_t *size)
{
	const struct igdpt_probe_input *in = c->in;
	struct igdpt_probe_verdict *v = c->v;
	bool relative = v->major > 2 || v->minor >= 1;
	size_t want = rvds < IGDPT_PROBE_VBT_MAX ? rvds : IGDPT_PROBE_VBT_MAX;
	uint64_t gpa = relative ? (uint64_t)in->asls + rvda : rvda;

	*size = rvds;
	if (!relative) {
		/* A 2.0 RVDA is a physical address; igdpt_opregion_parse()
		 * rejects it below. Read it for the i915 view only if the map
		 * says it is firmware memory, as for ASLS. */
		if (in->scratch_size < IGDPT_PROBE_IMAGE_MAX + want ||
		    !igdpt_probe_memmap_reserved(in->memmap, in->memmap_count, gpa, want) ||
		    !read_guest(c, gpa, in->scratch + IGDPT_PROBE_IMAGE_MAX, want))
			return 0;
		return in->scratch + IGDPT_PROBE_IMAGE_MAX;
	}
	if (rvds > IGDPT_PROBE_VBT_MAX) {
		fail(v, "RVDS %x is larger than any VBT", IGDPT_PROBE_ARG_VALUE, rvds);
		return 0;
	}
	if (rvda > IGDPT_PROBE_IMAGE_MAX || rvda + rvds > IGDPT_PROBE_IMAGE_MAX ||
	    rvda + rvds > in->scratch_size) {
		fail(v, "extended VBT at RVDA %x lies beyond what the probe reads",
		     IGDPT_PROBE_ARG_VALUE, rvda);
		return 0;
	}
	if (rvda + rvds > c->have) {
		size_t from = rvda > c->have ? (size_t)rvda : c->have;

		if (!igdpt_probe_memmap_reserved(in->memmap, in->memmap_count, in->asls + from,
						 rvda + rvds - from)) {
			fail(v, "extended VBT at ASLS + RVDA %x is not inside a reserved or ACPI NVS range",
			     IGDPT_PROBE_ARG_VALUE, rvda);
			return 0;
		}
		if (!read_guest(c, in->asls + from, in->scratch + from, rvda + rvds - from)) {
			fail(v, "cannot read the extended VBT at ASLS + RVDA %x",
			     IGDPT_PROBE_ARG_VALUE, rvda);
			return 0;
		}
		/* A gap between the base region and a far RVDA is never read
		 * by anyone; keep scratch defined. */
		igdpt_bytes_fill(in->scratch + c->have, 0, from - c->have);
		c->have = (size_t)(rvda + rvds);
	}
	return in->scratch + rvda;
}

/* Linux 6.1 intel_opregion_setup() from the signature check on. */
static void check_as_i915(struct check *c)
{
	struct igdpt_probe_verdict *v = c->v;
	const uint8_t *base = c->in->scratch;
	uint64_t rvda = igdpt_le64(base + IGDPT_MBOX3_RVDA_OFFSET);
	uint32_t rvds = igdpt_le32(base + IGDPT_MBOX3_RVDS_OFFSET);
	uint64_t size;
	const uint8_t *vbt;

	if (v->major >= 2 && (v->mbox & IGDPT_MBOX_ASLE) && rvda && rvds) {
		vbt = extended_vbt(c, rvda, rvds, &size);
		if (igdpt_probe_i915_vbt_valid(vbt, size)) {
			v->i915 = IGDPT_PROBE_I915_OK;
			v->i915_vbt_source = IGDPT_VBT_SOURCE_RVDA;
			return;
		}
	}
	size = ((v->mbox & IGDPT_MBOX_ASLE_EXT) ? IGDPT_MBOX5_OFFSET : IGDPT_OPREGION_BASE_SIZE) -
	       IGDPT_MBOX4_OFFSET;
	if (igdpt_probe_i915_vbt_valid(base + IGDPT_MBOX4_OFFSET, size)) {
		v->i915 = IGDPT_PROBE_I915_OK;
		v->i915_vbt_source = IGDPT_VBT_SOURCE_MAILBOX4;
		return;
	}
	v->i915 = IGDPT_PROBE_I915_INVALID_VBT;
	v->i915_vbt_source = IGDPT_VBT_SOURCE_NONE;
}

static void check_strict(struct check *c)
{
	struct igdpt_probe_verdict *v = c->v;
	struct igdpt_opregion op;
	struct igdpt_diag diag = { 0 };

	if (igdpt_opregion_parse(c->in->scratch, c->have, &op, &diag) < 0) {
		fail(v, diag.reason, IGDPT_PROBE_ARG_AT, diag.offset);
		return;
	}
	v->opregion_valid = true;
	v->vbt_source = op.vbt_source;
	v->warnings = op.warnings;
	if (op.vbt_source != IGDPT_VBT_SOURCE_NONE) {
		v->bdb_version = op.vbt.bdb_version;
		v->vbt_size = op.vbt.vbt_size;
		if (v->i915 != IGDPT_PROBE_I915_OK)
			fail(v, "i915 would not accept the VBT that igdpt validated",
			     IGDPT_PROBE_ARG_NONE, 0);
	}
}

static bool runtime_state(size_t offset)
{
	return offset >= RUNTIME_STATE_START && offset < RUNTIME_STATE_END;
}

static void compare_fw_cfg(struct check *c)
{
	const struct igdpt_probe_input *in = c->in;
	struct igdpt_probe_verdict *v = c->v;
	size_t first = 0, first_bad = 0;
	bool differs = false, bad = false;

	for (size_t i = 0; i < in->fw_cfg_size; i++) {
		if (in->scratch[i] == in->fw_cfg_image[i])
			continue;
		if (!differs)
			first = i;
		differs = true;
		if (!runtime_state(i) && !bad) {
			first_bad = i;
			bad = true;
		}
	}
	v->fw_cfg_compared = true;
	v->fw_cfg_identical = !differs;
	v->fw_cfg_differs_at = first;
	v->fw_cfg_runtime_only = differs && !bad;
	if (bad || (differs && !in->allow_runtime_writes))
		fail(v, "guest copy differs from fw_cfg etc/igd-opregion", IGDPT_PROBE_ARG_AT,
		     bad ? first_bad : first);
}

/* Everything from the memory map check to the fw_cfg comparison. */
static void check_opregion(struct check *c)
{
	const struct igdpt_probe_input *in = c->in;
	struct igdpt_probe_verdict *v = c->v;
	const struct igdpt_probe_memmap_entry *e;
	size_t need = IGDPT_OPREGION_BASE_SIZE;
	bool can_compare = in->has_fw_cfg && in->fw_cfg_image &&
			   in->fw_cfg_size <= IGDPT_PROBE_IMAGE_MAX;

	if (in->has_fw_cfg && !can_compare)
		fail(v, "fw_cfg etc/igd-opregion (%x bytes) is larger than the probe can compare",
		     IGDPT_PROBE_ARG_VALUE, in->fw_cfg_size);
	if (can_compare && in->fw_cfg_size > need)
		need = in->fw_cfg_size;

	v->memmap_checked = true;
	e = igdpt_probe_memmap_find(in->memmap, in->memmap_count, in->asls);
	if (e) {
		v->memmap_found = true;
		v->memmap_type = e->type;
		v->memmap_start = e->start;
		v->memmap_end = entry_end(e) - 1;
	}
	if (!e || !type_accepted(e->type)) {
		fail(v, "ASLS %x not inside a reserved or ACPI NVS range", IGDPT_PROBE_ARG_VALUE,
		     in->asls);
		return;
	}
	if (!igdpt_probe_memmap_reserved(in->memmap, in->memmap_count, in->asls, need)) {
		fail(v, "OpRegion at ASLS %x runs past the end of its reserved range",
		     IGDPT_PROBE_ARG_VALUE, in->asls);
		return;
	}
	if (!in->scratch || in->scratch_size < need) {
		fail(v, "probe scratch buffer smaller than the OpRegion (%x bytes)",
		     IGDPT_PROBE_ARG_VALUE, need);
		return;
	}
	if (!read_guest(c, in->asls, in->scratch, need)) {
		fail(v, "cannot read guest memory at ASLS %x", IGDPT_PROBE_ARG_VALUE, in->asls);
		return;
	}
	c->have = need;

	if (igdpt_bytes_differ(in->scratch + IGDPT_OPREGION_SIGN_OFFSET,
			       (const uint8_t *)IGDPT_OPREGION_SIGNATURE, IGDPT_OPREGION_SIGN_SIZE)) {
		v->i915 = IGDPT_PROBE_I915_SIGNATURE_MISMATCH;
	} else {
		v->has_opregion = true;
		v->major = in->scratch[IGDPT_OPREGION_OVER_MAJOR_OFFSET];
		v->minor = in->scratch[IGDPT_OPREGION_OVER_MINOR_OFFSET];
		v->revision = in->scratch[IGDPT_OPREGION_OVER_REVISION_OFFSET];
		v->mbox = igdpt_le32(in->scratch + IGDPT_OPREGION_MBOX_OFFSET);
		v->size_kib = igdpt_le32(in->scratch + IGDPT_OPREGION_SIZE_OFFSET);
		check_as_i915(c);
	}
	/* Also after a failure: the first reason stays, the summary fills. */
	check_strict(c);
	if (can_compare)
		compare_fw_cfg(c);
}

/* i915's fallback when the OpRegion gave it no VBT: the PCI ROM. */
static void check_rom(const struct igdpt_probe_input *in, struct igdpt_probe_verdict *v)
{
	if (v->i915 == IGDPT_PROBE_I915_OK)
		return;
	v->rom_from = in->rom_from;
	if (!in->rom_read) {
		v->rom = IGDPT_PROBE_ROM_UNREAD;
		return;
	}
	v->rom_size = in->rom ? igdpt_pci_rom_linux_size(in->rom, in->rom_size) : 0;
	v->rom = igdpt_probe_i915_rom(in->rom, in->rom_size, &v->rom_vbt_offset);
	if (v->rom == IGDPT_PROBE_ROM_VALID)
		v->i915_vbt_source = IGDPT_VBT_SOURCE_PCI_ROM;
}

/* An OpRegion igdpt accepts that holds no VBT (the no-vbt warning) gives
 * the guest driver its board's VBT only through the PCI ROM. */
static void check_vbt_found(struct igdpt_probe_verdict *v)
{
	static const char *const why[] = {
		[IGDPT_PROBE_ROM_UNREAD] = "no VBT for i915: the OpRegion at %x holds none (mailbox 4 "
					   "empty, no RVDA) and the probe could not read the IGD's "
					   "PCI ROM, where i915 looks next",
		[IGDPT_PROBE_ROM_NONE] = "no VBT for i915: the OpRegion at %x holds none (mailbox 4 "
					 "empty, no RVDA) and Linux maps no PCI ROM for the IGD; i915 "
					 "would run on a default VBT",
		[IGDPT_PROBE_ROM_NO_VBT] = "no VBT for i915: the OpRegion at %x holds none (mailbox 4 "
					   "empty, no RVDA) and neither does the IGD's PCI ROM; i915 "
					   "would run on a default VBT",
		[IGDPT_PROBE_ROM_INVALID_VBT] = "no VBT for i915: the OpRegion at %x holds none "
						"(mailbox 4 empty, no RVDA) and i915 rejects the "
						"VBT in the IGD's PCI ROM; it would run on a "
						"default VBT",
	};

	if (!v->has_opregion || v->i915_vbt_source != IGDPT_VBT_SOURCE_NONE ||
	    v->rom >= sizeof(why) / sizeof(why[0]) || !why[v->rom])
		return;
	fail(v, why[v->rom], IGDPT_PROBE_ARG_VALUE, v->asls);
}

void igdpt_probe_pick_bdsm(struct igdpt_probe_input *in, uint32_t bdsm32, uint64_t bdsm64)
{
	uint16_t reg;
	unsigned bytes;
	int gen = igdpt_igd_generation(in->device_id);

	if (gen == 0) {
		/* Unknown id: what firmware programmed is the best evidence. */
		reg = bdsm64 ? IGDPT_PCI_BDSM64_OFFSET : IGDPT_PCI_BDSM_OFFSET;
	} else if (igdpt_igd_bdsm_register((unsigned)gen, &reg, &bytes) < 0) {
		in->bdsm_register = 0;
		in->bdsm_value = 0;
		return;
	}
	in->bdsm_register = reg;
	in->bdsm_value = reg == IGDPT_PCI_BDSM64_OFFSET ? bdsm64 : bdsm32;
}

static void check_bdsm(const struct igdpt_probe_input *in, struct igdpt_probe_verdict *v)
{
	uint64_t addr = in->bdsm_value & ~(uint64_t)IGDPT_BDSM_LOCK;
	uint64_t len = in->bdsm_requested ? in->bdsm_requested : 1;

	v->has_bdsm = in->has_bdsm_request || in->bdsm_value;
	if (!v->has_bdsm)
		return;
	v->bdsm_requested = in->has_bdsm_request ? in->bdsm_requested : 0;
	v->bdsm_register = in->bdsm_register;
	v->bdsm_value = in->bdsm_value;
	if (addr) {
		v->bdsm_checked = true;
		v->bdsm_aligned = !(addr & BDSM_ALIGN_MASK);
		v->bdsm_reserved = igdpt_probe_memmap_reserved(in->memmap, in->memmap_count,
							       addr, len);
	}
	if (!v->bdsm_requested)
		return; /* nothing was asked for: report only */
	if (!addr)
		fail(v, "BDSM is 0 although fw_cfg etc/igd-bdsm-size requests %x bytes",
		     IGDPT_PROBE_ARG_VALUE, v->bdsm_requested);
	else if (!v->bdsm_aligned)
		fail(v, "BDSM %x is not 1 MiB aligned", IGDPT_PROBE_ARG_VALUE, in->bdsm_value);
	else if (addr >= IGDPT_GUEST_PLACEMENT_LIMIT)
		fail(v, "BDSM %x is above 4 GiB", IGDPT_PROBE_ARG_VALUE, in->bdsm_value);
	else if (!v->bdsm_reserved)
		fail(v, "stolen memory at BDSM %x is not inside a reserved range of the requested size",
		     IGDPT_PROBE_ARG_VALUE, in->bdsm_value);
}

static void pass_reason(struct igdpt_probe_verdict *v)
{
	v->reason_arg = IGDPT_PROBE_ARG_VALUE;
	v->reason_value = v->asls;
	if (!v->has_fw_cfg)
		v->reason = "OpRegion at %x is valid and firmware-reserved (no fw_cfg etc/igd-opregion to compare)";
	else if (v->fw_cfg_identical)
		v->reason = "OpRegion at %x is valid, firmware-reserved and identical to fw_cfg etc/igd-opregion";
	else
		v->reason = "OpRegion at %x is valid, firmware-reserved and matches fw_cfg etc/igd-opregion except driver-written mailbox state";
}

int igdpt_probe_check(const struct igdpt_probe_input *in, struct igdpt_probe_verdict *v)
{
	struct check c = { .in = in, .v = v, .have = 0 };

	if (!in || !v)
		return -IGDPT_EINVAL;
	igdpt_bytes_fill((uint8_t *)v, 0, sizeof(*v));
	v->probe = in->probe ? in->probe : "unknown";
	v->result = IGDPT_PROBE_PASS;
	if (!in->igd_found) {
		fail(v, in->no_igd_reason ? in->no_igd_reason
					  : "no Intel display device (vendor 8086, class 03xx) on bus 0",
		     IGDPT_PROBE_ARG_NONE, 0);
		return v->result;
	}
	v->igd_found = true;
	v->bus = in->bus;
	v->dev = in->dev;
	v->fn = in->fn;
	v->vendor = in->vendor;
	v->device_id = in->device_id;
	v->class_code = in->class_code;
	v->asls = in->asls;
	v->has_fw_cfg = in->has_fw_cfg;
	v->fw_cfg_size = in->fw_cfg_size;

	if (in->asls)
		check_opregion(&c);
	else
		v->i915 = IGDPT_PROBE_I915_NO_OPREGION;
	check_rom(in, v);
	check_vbt_found(v);
	check_bdsm(in, v);

	if (v->result == IGDPT_PROBE_FAIL)
		return v->result;
	if (!in->asls) {
		v->result = IGDPT_PROBE_NO_OPREGION;
		v->reason = in->has_fw_cfg
				    ? "ASLS is 0: firmware placed no OpRegion although fw_cfg etc/igd-opregion offers one"
				    : "ASLS is 0: firmware placed no OpRegion";
		v->reason_arg = IGDPT_PROBE_ARG_NONE;
		return v->result;
	}
	pass_reason(v);
	return v->result;
}
