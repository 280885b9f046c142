/* SPDX-License-Identifier: MIT */
/* Per-IGD placement: fw_cfg → validate → ACPI NVS OpRegion → ASLS, then
 * fw_cfg size + GGC → reserved 1 MiB aligned stolen memory → BDSM.
 *
 * Choices, and why:
 * - The image is read straight into the allocated pages and validated there
 *   with the core validator the host tools use; an invalid image is zeroed,
 *   freed, and ASLS is never written (fail safe: i915 then runs without an
 *   OpRegion, as on a VMM that offers none).
 * - Never twice: a non-zero ASLS (or BDSM) that the memory map shows as
 *   ACPI NVS or reserved was placed in this boot (by an earlier run, an
 *   option ROM or another driver) and is left alone. A non-zero value over
 *   ordinary RAM is a leftover of a previous boot (the device keeps its
 *   registers across a guest reset) and is replaced.
 * - Stolen memory only for the IGD at 00:02.0 (the address i915 and QEMU
 *   assume), sized max(etc/igd-bdsm-size, GGC's GMS): GGC is read-only on
 *   the virtual IGD, the guest driver sizes stolen memory from GGC, so the
 *   reservation must cover what GGC claims; a mismatch is logged. A size
 *   of 0 only skips stolen memory; the OpRegion stays (edk2's original
 *   IgdAssignmentDxe dropped both).
 * - The BDSM register follows the generation from the IGD table
 *   (lib/core/igd.c): 0x5C up to gen 10, 0xC0 from gen 11; an unknown id
 *   gets no stolen memory rather than a guessed register.
 */
#include "setup.h"

#include "igdpt/abi/guest.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/igd.h"
#include "igdpt/core/opregion.h"
#include "igdpt/core/placement.h"

#define HEX_DIGITS "0123456789abcdef"
#define NIBBLE_BITS 4u
#define NIBBLE_MASK 0xFu
#define DECIMAL_BASE 10u
#define U64_DIGITS 20u
#define DWORD_BYTES 4u
#define DWORD_SHIFT 32u
#define GGC_MASK 0xFFFFu  /* GGC is 16 bits wide */
#define KIB 1024u
#define MIB (1024u * 1024u)

/* ---- log lines ---- */

void igdpt_efi_line_str(struct igdpt_efi_line *l, const char *s)
{
	while (s && *s && l->len + 1 < sizeof(l->buf))
		l->buf[l->len++] = *s++;
	l->buf[l->len] = '\0';
}

void igdpt_efi_line_hex(struct igdpt_efi_line *l, uint64_t v)
{
	char tmp[2 + sizeof(v) * 2 + 1];
	unsigned n = sizeof(v) * 2;
	char *p = tmp + sizeof(tmp) - 1;

	*p = '\0';
	do {
		*--p = HEX_DIGITS[v & NIBBLE_MASK];
		v >>= NIBBLE_BITS;
	} while (v && --n);
	*--p = 'x';
	*--p = '0';
	igdpt_efi_line_str(l, p);
}

void igdpt_efi_line_dec(struct igdpt_efi_line *l, uint64_t v)
{
	char tmp[U64_DIGITS + 1];
	char *p = tmp + sizeof(tmp) - 1;

	*p = '\0';
	do {
		*--p = (char)('0' + v % DECIMAL_BASE);
		v /= DECIMAL_BASE;
	} while (v);
	igdpt_efi_line_str(l, p);
}

void igdpt_efi_line_bdf(struct igdpt_efi_line *l, const struct igdpt_efi_igd *igd)
{
	static const char digits[] = HEX_DIGITS;
	char bdf[] = "00:00.0";

	bdf[0] = digits[(igd->bus >> NIBBLE_BITS) & NIBBLE_MASK];
	bdf[1] = digits[igd->bus & NIBBLE_MASK];
	bdf[3] = digits[(igd->dev >> NIBBLE_BITS) & NIBBLE_MASK];
	bdf[4] = digits[igd->dev & NIBBLE_MASK];
	bdf[6] = digits[igd->fn & NIBBLE_MASK];
	igdpt_efi_line_str(l, bdf);
}

/* "igdpt-efi: 00:02.0: " */
static void line_start(struct igdpt_efi_line *l, const struct igdpt_efi_igd *igd)
{
	l->len = 0;
	igdpt_efi_line_str(l, "igdpt-efi: ");
	igdpt_efi_line_bdf(l, igd);
	igdpt_efi_line_str(l, ": ");
}

static void emit(const struct igdpt_efi_platform *p, struct igdpt_efi_line *l)
{
	p->log(p->ctx, l->buf);
}

static void say(const struct igdpt_efi_platform *p, const struct igdpt_efi_igd *igd, const char *a)
{
	struct igdpt_efi_line l;

	line_start(&l, igd);
	igdpt_efi_line_str(&l, a);
	emit(p, &l);
}

/* Records a refusal: the reason (first one wins) and a log line. */
static int refuse(const struct igdpt_efi_platform *p, const struct igdpt_efi_igd *igd,
		  struct igdpt_efi_setup_result *r, enum igdpt_efi_outcome *what, int err,
		  const char *reason, const char *consequence)
{
	struct igdpt_efi_line l;

	*what = IGDPT_EFI_REFUSED;
	if (!r->reason)
		r->reason = reason;
	line_start(&l, igd);
	igdpt_efi_line_str(&l, reason);
	igdpt_efi_line_str(&l, ": ");
	igdpt_efi_line_str(&l, consequence);
	emit(p, &l);
	return err;
}

bool igdpt_efi_is_igd(uint16_t vendor, uint16_t class_code)
{
	return vendor == IGDPT_PCI_VENDOR_INTEL && (class_code == IGDPT_PCI_CLASS_DISPLAY_VGA ||
						    class_code == IGDPT_PCI_CLASS_DISPLAY_OTHER);
}

static bool is_firmware_reserved(const struct igdpt_efi_platform *p, uint64_t base, uint64_t len)
{
	uint32_t type = p->memmap_type(p->ctx, base, len);

	return type == IGDPT_E820_NVS || type == IGDPT_E820_RESERVED;
}

/* ---- OpRegion ---- */

static const char *const ASLS_STAYS = "ASLS stays 0";

static int place_opregion(const struct igdpt_efi_platform *p, struct igdpt_fw_cfg *fc,
			  const struct igdpt_efi_igd *igd, struct igdpt_efi_setup_result *r)
{
	struct igdpt_fw_cfg_file file;
	struct igdpt_diag diag = { 0 };
	struct igdpt_opregion op;
	struct igdpt_efi_line l;
	uint64_t base = 0, pages;
	uint32_t asls, readback;
	uint8_t *mem;
	int ret;

	ret = p->pci_read32(p->ctx, igd, IGDPT_PCI_ASLS_OFFSET, &asls);
	if (ret < 0)
		return refuse(p, igd, r, &r->opregion, ret, "cannot read ASLS", "OpRegion not placed");
	if (asls) {
		line_start(&l, igd);
		igdpt_efi_line_str(&l, "ASLS is already ");
		igdpt_efi_line_hex(&l, asls);
		if (is_firmware_reserved(p, asls, IGDPT_OPREGION_BASE_SIZE)) {
			igdpt_efi_line_str(&l, " in firmware-reserved memory: OpRegion placed before, left alone");
			emit(p, &l);
			r->opregion = IGDPT_EFI_ALREADY;
			r->asls = asls;
			return 0;
		}
		igdpt_efi_line_str(&l, " over unreserved memory (left from an earlier boot): placing again");
		emit(p, &l);
	}
	if (!fc->present)
		return refuse(p, igd, r, &r->opregion, -IGDPT_ENODEV,
			      "no fw_cfg device (key 0x0000 is not \"QEMU\")", ASLS_STAYS);
	ret = igdpt_fw_cfg_find(fc, IGDPT_FW_CFG_OPREGION_FILE, &file, &diag);
	if (ret == -IGDPT_ENOENT) {
		r->opregion = IGDPT_EFI_NOT_REQUESTED;
		say(p, igd, "no fw_cfg file etc/igd-opregion: the VMM offers no OpRegion, ASLS stays 0");
		return 0;
	}
	if (ret < 0)
		return refuse(p, igd, r, &r->opregion, ret, diag.reason, ASLS_STAYS);
	if (file.size < IGDPT_OPREGION_BASE_SIZE)
		return refuse(p, igd, r, &r->opregion, -IGDPT_EINVAL,
			      "fw_cfg etc/igd-opregion is shorter than 8 KiB", ASLS_STAYS);
	if (file.size > IGDPT_PLACEMENT_OPREGION_MAX)
		return refuse(p, igd, r, &r->opregion, -IGDPT_EINVAL,
			      "fw_cfg etc/igd-opregion is larger than 1 MiB", ASLS_STAYS);

	pages = igdpt_placement_pages(file.size);
	ret = p->alloc_pages(p->ctx, IGDPT_EFI_MEM_ACPI_NVS, pages, &base);
	if (ret < 0)
		return refuse(p, igd, r, &r->opregion, -IGDPT_ENOMEM,
			      "cannot allocate ACPI NVS pages below 4 GiB for the OpRegion", ASLS_STAYS);
	ret = igdpt_placement_check(base, file.size, IGDPT_OPREGION_GUEST_ALIGN, &diag);
	if (ret < 0) {
		ret = refuse(p, igd, r, &r->opregion, ret, diag.reason, ASLS_STAYS);
		goto free_pages;
	}
	mem = p->map(p->ctx, base, pages * IGDPT_PLACEMENT_PAGE_SIZE);
	ret = igdpt_fw_cfg_read(fc, file.key, mem, file.size, &diag);
	if (ret < 0) {
		ret = refuse(p, igd, r, &r->opregion, ret, diag.reason, ASLS_STAYS);
		goto free_pages;
	}
	igdpt_bytes_fill(mem + file.size, 0, (size_t)igdpt_placement_tail(file.size));

	ret = igdpt_opregion_parse(mem, file.size, &op, &diag);
	if (ret < 0) {
		line_start(&l, igd);
		igdpt_efi_line_str(&l, "fw_cfg etc/igd-opregion is invalid: ");
		igdpt_efi_line_str(&l, diag.reason);
		igdpt_efi_line_str(&l, " at ");
		igdpt_efi_line_hex(&l, diag.offset);
		emit(p, &l);
		ret = refuse(p, igd, r, &r->opregion, -IGDPT_EINVAL,
			     "fw_cfg etc/igd-opregion failed validation", ASLS_STAYS);
		goto zero_pages;
	}

	ret = p->pci_write32(p->ctx, igd, IGDPT_PCI_ASLS_OFFSET, (uint32_t)base);
	if (ret >= 0)
		ret = p->pci_read32(p->ctx, igd, IGDPT_PCI_ASLS_OFFSET, &readback);
	if (ret < 0 || readback != (uint32_t)base) {
		/* Whatever stuck must not point at memory about to be freed. */
		p->pci_write32(p->ctx, igd, IGDPT_PCI_ASLS_OFFSET, 0);
		ret = refuse(p, igd, r, &r->opregion, -IGDPT_EIO,
			     "ASLS did not keep the address written to it", ASLS_STAYS);
		goto zero_pages;
	}
	r->opregion = IGDPT_EFI_DONE;
	r->asls = (uint32_t)base;
	r->opregion_size = file.size;

	line_start(&l, igd);
	igdpt_efi_line_str(&l, "OpRegion ");
	igdpt_efi_line_dec(&l, op.major);
	igdpt_efi_line_str(&l, ".");
	igdpt_efi_line_dec(&l, op.minor);
	igdpt_efi_line_str(&l, " (");
	igdpt_efi_line_dec(&l, file.size);
	igdpt_efi_line_str(&l, " bytes, VBT ");
	igdpt_efi_line_str(&l, op.vbt_source == IGDPT_VBT_SOURCE_RVDA       ? "at RVDA"
			       : op.vbt_source == IGDPT_VBT_SOURCE_MAILBOX4 ? "in mailbox 4"
									      : "none");
	igdpt_efi_line_str(&l, ") placed at ");
	igdpt_efi_line_hex(&l, base);
	igdpt_efi_line_str(&l, " in ACPI NVS (");
	igdpt_efi_line_dec(&l, pages);
	igdpt_efi_line_str(&l, " pages), ASLS written");
	emit(p, &l);
	return 0;

zero_pages:
	igdpt_bytes_fill(mem, 0, (size_t)(pages * IGDPT_PLACEMENT_PAGE_SIZE));
free_pages:
	p->free_pages(p->ctx, base, pages);
	return ret;
}

/* ---- stolen memory ---- */

static const char *const BDSM_UNTOUCHED = "stolen memory not placed, BDSM untouched";

static int read_bdsm(const struct igdpt_efi_platform *p, const struct igdpt_efi_igd *igd,
		     uint16_t reg, unsigned bytes, uint64_t *value)
{
	uint32_t lo, hi = 0;
	int ret = p->pci_read32(p->ctx, igd, reg, &lo);

	if (ret >= 0 && bytes > DWORD_BYTES)
		ret = p->pci_read32(p->ctx, igd, (uint16_t)(reg + DWORD_BYTES), &hi);
	*value = (uint64_t)hi << DWORD_SHIFT | lo;
	return ret;
}

static int write_bdsm(const struct igdpt_efi_platform *p, const struct igdpt_efi_igd *igd,
		      uint16_t reg, unsigned bytes, uint64_t value)
{
	/* Low dword first: PciIo splits 64-bit config writes the same way. */
	int ret = p->pci_write32(p->ctx, igd, reg, (uint32_t)value);

	if (ret >= 0 && bytes > DWORD_BYTES)
		ret = p->pci_write32(p->ctx, igd, (uint16_t)(reg + DWORD_BYTES),
				     (uint32_t)(value >> DWORD_SHIFT));
	return ret;
}

static int read_request(const struct igdpt_efi_platform *p, struct igdpt_fw_cfg *fc,
			const struct igdpt_efi_igd *igd, struct igdpt_efi_setup_result *r,
			bool *has, uint64_t *requested)
{
	struct igdpt_fw_cfg_file file;
	struct igdpt_diag diag = { 0 };
	uint8_t le[IGDPT_FW_CFG_BDSM_SIZE_FILE_SIZE];
	int ret;

	*has = false;
	*requested = 0;
	if (!fc->present)
		return 0;
	ret = igdpt_fw_cfg_find(fc, IGDPT_FW_CFG_BDSM_SIZE_FILE, &file, &diag);
	if (ret == -IGDPT_ENOENT)
		return 0;
	if (ret < 0)
		return refuse(p, igd, r, &r->stolen, ret, diag.reason, BDSM_UNTOUCHED);
	if (file.size != sizeof(le))
		return refuse(p, igd, r, &r->stolen, -IGDPT_EINVAL,
			      "fw_cfg etc/igd-bdsm-size is not 8 bytes", BDSM_UNTOUCHED);
	ret = igdpt_fw_cfg_read(fc, file.key, le, sizeof(le), &diag);
	if (ret < 0)
		return refuse(p, igd, r, &r->stolen, ret, diag.reason, BDSM_UNTOUCHED);
	*has = true;
	*requested = igdpt_le64(le);
	return 0;
}

static int place_stolen(const struct igdpt_efi_platform *p, struct igdpt_fw_cfg *fc,
			const struct igdpt_efi_igd *igd, struct igdpt_efi_setup_result *r)
{
	struct igdpt_placement_window w;
	struct igdpt_diag diag = { 0 };
	struct igdpt_efi_line l;
	uint64_t requested, ggc_size, size, old, readback, value, alloc = 0, alloc_pages;
	uint32_t ggc;
	uint16_t reg;
	unsigned bytes;
	bool has;
	int gen, ret, differ;

	r->stolen = IGDPT_EFI_NOT_REQUESTED;
	if (igd->bus || igd->dev != IGDPT_IGD_DEVFN_DEVICE || igd->fn)
		return 0; /* only 00:02.0 has stolen memory, as i915 and QEMU assume */
	ret = read_request(p, fc, igd, r, &has, &requested);
	if (ret < 0)
		return ret;
	gen = igdpt_igd_generation(igd->device_id);
	if (!has) {
		say(p, igd, "no fw_cfg file etc/igd-bdsm-size: no stolen memory requested");
		return 0;
	}
	if (!requested) {
		say(p, igd, "etc/igd-bdsm-size is 0: no stolen memory requested (OpRegion unaffected)");
		return 0;
	}
	if (igdpt_placement_bdsm_register(gen, &reg, &bytes) < 0) {
		line_start(&l, igd);
		igdpt_efi_line_str(&l, "device id ");
		igdpt_efi_line_hex(&l, igd->device_id);
		igdpt_efi_line_str(&l, gen ? " has no BDSM in config space (Xe-LPG or later)"
					   : " is not in igdpt's generation table (BDSM register unknown)");
		emit(p, &l);
		return refuse(p, igd, r, &r->stolen, -IGDPT_ENOENT,
			      "no BDSM register for this device", BDSM_UNTOUCHED);
	}
	r->bdsm_register = reg;
	ret = p->pci_read32(p->ctx, igd, IGDPT_PCI_GGC_OFFSET, &ggc);
	if (ret < 0)
		return refuse(p, igd, r, &r->stolen, ret, "cannot read GGC", BDSM_UNTOUCHED);
	ggc_size = igdpt_igd_stolen_size(gen, (uint16_t)(ggc & GGC_MASK));
	differ = igdpt_placement_stolen_size(requested, ggc_size, &size, &diag);
	if (differ < 0)
		return refuse(p, igd, r, &r->stolen, differ, diag.reason, BDSM_UNTOUCHED);
	if (differ || !ggc_size) {
		line_start(&l, igd);
		igdpt_efi_line_str(&l, "GGC ");
		igdpt_efi_line_hex(&l, ggc & GGC_MASK);
		igdpt_efi_line_str(&l, " implies ");
		igdpt_efi_line_dec(&l, ggc_size / KIB);
		igdpt_efi_line_str(&l, " KiB of stolen memory, etc/igd-bdsm-size asks ");
		igdpt_efi_line_dec(&l, requested / KIB);
		igdpt_efi_line_str(&l, " KiB: GGC is read-only, reserving ");
		igdpt_efi_line_dec(&l, size / KIB);
		igdpt_efi_line_str(&l, " KiB");
		emit(p, &l);
	}

	ret = read_bdsm(p, igd, reg, bytes, &old);
	if (ret < 0)
		return refuse(p, igd, r, &r->stolen, ret, "cannot read BDSM", BDSM_UNTOUCHED);
	if ((old & ~(uint64_t)(IGDPT_STOLEN_GUEST_ALIGN - 1)) &&
	    is_firmware_reserved(p, old & ~(uint64_t)(IGDPT_STOLEN_GUEST_ALIGN - 1), size)) {
		say(p, igd, "BDSM already points at firmware-reserved memory: stolen memory left alone");
		r->stolen = IGDPT_EFI_ALREADY;
		r->bdsm_base = old & ~(uint64_t)(IGDPT_STOLEN_GUEST_ALIGN - 1);
		r->stolen_size = size;
		return 0;
	}

	alloc_pages = igdpt_placement_overalloc_pages(size, IGDPT_STOLEN_GUEST_ALIGN);
	ret = p->alloc_pages(p->ctx, IGDPT_EFI_MEM_RESERVED, alloc_pages, &alloc);
	if (ret < 0)
		return refuse(p, igd, r, &r->stolen, -IGDPT_ENOMEM,
			      "cannot allocate reserved memory below 4 GiB for stolen memory",
			      BDSM_UNTOUCHED);
	ret = igdpt_placement_carve(alloc, alloc_pages, size, IGDPT_STOLEN_GUEST_ALIGN, &w, &diag);
	if (ret >= 0)
		ret = igdpt_placement_check(w.base, size, IGDPT_STOLEN_GUEST_ALIGN, &diag);
	if (ret < 0) {
		p->free_pages(p->ctx, alloc, alloc_pages);
		return refuse(p, igd, r, &r->stolen, ret, diag.reason, BDSM_UNTOUCHED);
	}
	/* Give back the unaligned head and the unused tail. */
	if (w.head_pages)
		p->free_pages(p->ctx, w.head_base, w.head_pages);
	if (w.tail_pages)
		p->free_pages(p->ctx, w.tail_base, w.tail_pages);

	value = igdpt_placement_bdsm_value(old, w.base);
	ret = write_bdsm(p, igd, reg, bytes, value);
	if (ret >= 0)
		ret = read_bdsm(p, igd, reg, bytes, &readback);
	if (ret < 0 || (readback & ~(uint64_t)(IGDPT_STOLEN_GUEST_ALIGN - 1)) != w.base) {
		write_bdsm(p, igd, reg, bytes, old);
		p->free_pages(p->ctx, w.base, w.pages);
		return refuse(p, igd, r, &r->stolen, -IGDPT_EIO,
			      "BDSM did not keep the address written to it", BDSM_UNTOUCHED);
	}
	r->stolen = IGDPT_EFI_DONE;
	r->bdsm_base = w.base;
	r->stolen_size = size;

	line_start(&l, igd);
	igdpt_efi_line_str(&l, "stolen memory ");
	igdpt_efi_line_dec(&l, size / MIB);
	igdpt_efi_line_str(&l, " MiB placed at ");
	igdpt_efi_line_hex(&l, w.base);
	igdpt_efi_line_str(&l, " (reserved, 1 MiB aligned), BDSM ");
	igdpt_efi_line_hex(&l, reg);
	igdpt_efi_line_str(&l, bytes > DWORD_BYTES ? " (64-bit, gen " : " (32-bit, gen ");
	igdpt_efi_line_dec(&l, (uint64_t)gen);
	igdpt_efi_line_str(&l, ") = ");
	igdpt_efi_line_hex(&l, value);
	emit(p, &l);
	return 0;
}

int igdpt_efi_setup_igd(const struct igdpt_efi_platform *p, struct igdpt_fw_cfg *fc,
			const struct igdpt_efi_igd *igd, struct igdpt_efi_setup_result *r)
{
	struct igdpt_efi_line l;
	int ret, ret_stolen;

	if (!p || !fc || !igd || !r)
		return -IGDPT_EINVAL;
	*r = (struct igdpt_efi_setup_result){ 0 };
	line_start(&l, igd);
	igdpt_efi_line_str(&l, "Intel IGD ");
	igdpt_efi_line_hex(&l, igd->vendor);
	igdpt_efi_line_str(&l, ":");
	igdpt_efi_line_hex(&l, igd->device_id);
	igdpt_efi_line_str(&l, " class ");
	igdpt_efi_line_hex(&l, igd->class_code);
	igdpt_efi_line_str(&l, fc->present ? (fc->dma ? ", fw_cfg via DMA" : ", fw_cfg via PIO")
					   : ", no fw_cfg");
	emit(p, &l);

	ret = place_opregion(p, fc, igd, r);
	/* Stolen memory is independent of the OpRegion (and vice versa). */
	ret_stolen = place_stolen(p, fc, igd, r);
	return ret < 0 ? ret : ret_stolen;
}
