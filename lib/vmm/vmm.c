/* SPDX-License-Identifier: MIT */
/* The VMM interface: one context per virtual IGD that owns ASLS, BDSM, GGC
 * and SWSCI and places the OpRegion the way the chosen option of the 2016
 * thread does.
 *
 * Why each register behaves as it does:
 * - ASLS is read-only with the planned address when the VMM places (1a, 2,
 *   3, 4a; ACRN drops guest writes the same way), a plain register for 4b
 *   (QEMU), and write-once per boot for 1b (Xen ignores every write after
 *   the firmware's; a guest cannot move the host mapping over its RAM).
 * - GGC is locked on hardware by the platform firmware; here the VMM is that
 *   firmware, so it reads back fixed and locked.
 * - BDSM takes the firmware's write when the firmware places stolen memory
 *   (1b, 4b: etc/igd-bdsm-size) and is fixed when the VMM planned it.
 * - Partial writes: a register reads back every byte written to it, as on
 *   hardware, but the context acts only on a complete value, the way
 *   firmware writes it (SeaBIOS; igdpt-efi, firmware/efi/setup.c): ASLS
 *   and the 32-bit BDSM with one dword access at their offset, the 64-bit
 *   BDSM with a dword access to each half (either order). A value assembled from smaller pieces passes
 *   through states the guest never meant (two 16-bit halves of ASLS give
 *   0xe000 or 0x7ff0000 on the way), so it is never acted on: 1b places
 *   nothing there, and 4b records no firmware placement.
 * - SWSCI: nothing in a VM answers a software SCI, so GSSCIE completes at
 *   once (README.md, "Decisions": the published image has the SWSCI
 *   mailbox bit clear, so a guest driver never waits on one). */
#include "igdpt/vmm.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igdpt/abi/guest.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/ggc.h"
#include "igdpt/core/opregion.h"
#include "igdpt/core/placement.h"

#include "../struct_size.h"

#define GGC_BYTES 2u
#define SWSCI_BYTES 2u
#define ASLS_BYTES 4u
#define BDSM64_BYTES 8u
#define DWORD_BYTES 4u
#define BDSM64_BOTH_DWORDS 0x3u
/* What the firmware's copy must start with before 1b writes over it. */
#define OPREGION_SIGNATURE_BYTES (sizeof(IGDPT_OPREGION_SIGNATURE) - 1)
/* The IGD is a PCI Express function: an access may cross 0x100. */
#define CONFIG_SPACE_SIZE 4096u
#define LOG_LINE 256u

struct igdpt_vmm {
	enum igdpt_vmm_strategy strategy;
	const struct igdpt_vmm_ops *ops; /* &ops_copy */
	struct igdpt_vmm_ops ops_copy;   /* the caller's, members it lacks NULL */
	void *opaque;
	unsigned generation;
	uint64_t stolen_size;

	uint8_t *host;       /* the caller's host OpRegion (1a, 1b, 2) */
	size_t host_len;
	uint8_t *copy;       /* the context's copy, page-rounded, zero tail */
	size_t image_len;
	size_t map_len;      /* image_len rounded up to pages */

	struct igdpt_plan_range *e820;
	size_t e820_count, e820_cap;
	struct igdpt_plan_range *windows;
	size_t window_count;

	uint32_t asls;
	bool asls_fixed;     /* VMM-placed: writes dropped */
	bool asls_taken;     /* 1b: the firmware's write was acted on */
	uint64_t bdsm;
	bool bdsm_fixed;
	/* BDSM64: which dwords (bit 0 low, bit 1 high) were written whole
	 * since its value was last complete. */
	unsigned bdsm_whole;
	unsigned bdsm_off, bdsm_width;
	uint16_t ggc;
	uint16_t swsci;

	enum igdpt_vmm_placement placement;
	uint64_t region_gpa;
	bool mapped;
	bool realized;
	struct igdpt_vmm_stats stats;
};

static const char *const strategy_names[IGDPT_VMM_STRATEGY_COUNT] = {
	[IGDPT_VMM_1A] = "1a", [IGDPT_VMM_1B] = "1b", [IGDPT_VMM_2] = "2",
	[IGDPT_VMM_3] = "3",   [IGDPT_VMM_4A] = "4a", [IGDPT_VMM_4B] = "4b",
};

const char *igdpt_vmm_strategy_name(enum igdpt_vmm_strategy s)
{
	return (unsigned)s < IGDPT_VMM_STRATEGY_COUNT ? strategy_names[s] : NULL;
}

int igdpt_vmm_strategy_parse(const char *name, enum igdpt_vmm_strategy *s)
{
	for (unsigned i = 0; name && i < IGDPT_VMM_STRATEGY_COUNT; i++) {
		if (!strcmp(name, strategy_names[i])) {
			*s = (enum igdpt_vmm_strategy)i;
			return 0;
		}
	}
	return -EINVAL;
}

bool igdpt_vmm_strategy_needs_map(enum igdpt_vmm_strategy s)
{
	return s == IGDPT_VMM_1A || s == IGDPT_VMM_2 || s == IGDPT_VMM_3;
}

bool igdpt_vmm_strategy_firmware_places(enum igdpt_vmm_strategy s)
{
	return s == IGDPT_VMM_1B || s == IGDPT_VMM_4B;
}

static bool maps_host(enum igdpt_vmm_strategy s)
{
	return s == IGDPT_VMM_1A || s == IGDPT_VMM_1B || s == IGDPT_VMM_2;
}

const char *igdpt_vmm_placement_name(enum igdpt_vmm_placement p)
{
	switch (p) {
	case IGDPT_VMM_PLACED_NONE: return "none";
	case IGDPT_VMM_PLACED_HOST_MAP: return "host-map";
	case IGDPT_VMM_PLACED_COPY_MAP: return "copy-map";
	case IGDPT_VMM_PLACED_GUEST_RAM: return "guest-ram";
	case IGDPT_VMM_PLACED_FIRMWARE: return "firmware";
	}
	return "unknown";
}

int igdpt_vmm_ggc_encode(unsigned generation, uint64_t stolen_size, uint16_t *ggc)
{
	/* An unknown generation (0) gets the gen 8 layout, without the gen 9
	 * small codes (the core codec alone would take gen 6's). */
	return igdpt_ggc_encode(generation ? generation : IGDPT_GGC_GEN8_FROM, stolen_size, ggc);
}

static void vmm_log(const struct igdpt_vmm *vmm, enum igdpt_vmm_log_level level,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void vmm_log(const struct igdpt_vmm *vmm, enum igdpt_vmm_log_level level,
		    const char *fmt, ...)
{
	char line[LOG_LINE];
	va_list ap;

	if (!vmm->ops->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	vmm->ops->log(vmm->opaque, level, line);
}

static int check_ops(const struct igdpt_vmm_config *c, struct igdpt_diag *diag)
{
	const struct igdpt_vmm_ops *ops = c->ops;
	bool vmm_places = !igdpt_vmm_strategy_firmware_places(c->strategy);

	if (!ops)
		return igdpt_diag_fail(diag, -EINVAL, 0, "vmm: no callbacks");
	if (c->image_len) {
		if (igdpt_vmm_strategy_needs_map(c->strategy) && (!ops->map || !ops->unmap))
			return igdpt_diag_fail(diag, -EINVAL, 0,
					       "vmm: this option maps memory into the guest and needs map and unmap callbacks");
		if (c->strategy == IGDPT_VMM_1B && !(ops->map && ops->unmap) &&
		    !(ops->write_ram && ops->read_ram))
			return igdpt_diag_fail(diag, -EINVAL, 0,
					       "vmm: option 1b needs map and unmap, or write_ram and read_ram");
		if (c->strategy == IGDPT_VMM_4A && !ops->write_ram)
			return igdpt_diag_fail(diag, -EINVAL, 0, "vmm: option 4a needs write_ram");
		if (vmm_places && !ops->add_e820)
			return igdpt_diag_fail(diag, -EINVAL, 0,
					       "vmm: the VMM places the OpRegion in this option and needs add_e820");
	}
	if (!vmm_places && (c->image_len || c->stolen_size) && !ops->publish)
		return igdpt_diag_fail(diag, -EINVAL, 0,
				       "vmm: the firmware places in this option and needs publish");
	if (vmm_places && c->stolen_size && !ops->add_e820)
		return igdpt_diag_fail(diag, -EINVAL, 0, "vmm: planning stolen memory needs add_e820");
	return 0;
}

static int check_config(const struct igdpt_vmm_config *c, struct igdpt_diag *diag)
{
	struct igdpt_opregion op;
	uint64_t pages_len;
	uint16_t off;
	unsigned width;
	int ret;

	if ((unsigned)c->strategy >= IGDPT_VMM_STRATEGY_COUNT)
		return igdpt_diag_fail(diag, -EINVAL, 0, "vmm: unknown strategy");
	if ((!c->e820 && c->e820_count) || (!c->windows && c->window_count))
		return igdpt_diag_fail(diag, -EINVAL, 0, "vmm: layout count without entries");
	if (c->image_len) {
		if (!c->image)
			return igdpt_diag_fail(diag, -EINVAL, 0, "vmm: image length without image");
		ret = c->unvalidated_image ? 0 : igdpt_opregion_parse(c->image, c->image_len, &op, diag);
		if (ret < 0)
			return ret;
		pages_len = igdpt_placement_pages(c->image_len) * IGDPT_PLACEMENT_PAGE_SIZE;
		if (pages_len >= IGDPT_GUEST_PLACEMENT_LIMIT)
			return igdpt_diag_fail(diag, -EINVAL, c->image_len, "vmm: image too large");
		if (maps_host(c->strategy) && c->host_len && c->host_len < pages_len)
			return igdpt_diag_fail(diag, -EINVAL, c->host_len,
					       "vmm: host_len is shorter than the page-rounded OpRegion a mapping covers");
	}
	if (c->stolen_size && igdpt_placement_bdsm_register((int)c->generation, &off, &width) < 0)
		return igdpt_diag_fail(diag, -EINVAL, c->generation,
				       "vmm: stolen memory needs a generation with a BDSM register (6..12)");
	if (c->stolen_size >= IGDPT_GUEST_PLACEMENT_LIMIT)
		return igdpt_diag_fail(diag, -EINVAL, 0, "vmm: stolen size reaches 4 GiB");
	return check_ops(c, diag);
}

static int copy_layout(struct igdpt_vmm *vmm, const struct igdpt_vmm_config *c)
{
	/* Room for what realize inserts: each insert adds at most two. */
	vmm->e820_cap = c->e820_count + 4;
	vmm->e820 = calloc(vmm->e820_cap, sizeof(*vmm->e820));
	vmm->windows = calloc(c->window_count ? c->window_count : 1, sizeof(*vmm->windows));
	if (!vmm->e820 || !vmm->windows)
		return -ENOMEM;
	if (c->e820_count)
		memcpy(vmm->e820, c->e820, c->e820_count * sizeof(*c->e820));
	if (c->window_count)
		memcpy(vmm->windows, c->windows, c->window_count * sizeof(*c->windows));
	vmm->e820_count = c->e820_count;
	vmm->window_count = c->window_count;
	return 0;
}

/* The caller's growable structs as this library's full ones: members an
 * older caller's struct lacks read as 0 / NULL. */
static int take_growable(const struct igdpt_vmm_config *in, struct igdpt_vmm_config *config,
			 struct igdpt_vmm_ops *ops, struct igdpt_diag *diag)
{
	if (!in->struct_size)
		return igdpt_diag_fail(diag, -EINVAL, 0,
				       "vmm: struct igdpt_vmm_config: struct_size is not set "
				       "(start from IGDPT_VMM_CONFIG_INIT)");
	memset(config, 0, sizeof(*config));
	memcpy(config, in, in->struct_size < sizeof(*config) ? in->struct_size : sizeof(*config));
	memset(ops, 0, sizeof(*ops));
	if (!config->ops)
		return 0;
	if (!config->ops->struct_size)
		return igdpt_diag_fail(diag, -EINVAL, 0,
				       "vmm: struct igdpt_vmm_ops: struct_size is not set");
	memcpy(ops, config->ops,
	       config->ops->struct_size < sizeof(*ops) ? config->ops->struct_size : sizeof(*ops));
	config->ops = ops;
	return 0;
}

int igdpt_vmm_create(const struct igdpt_vmm_config *caller_config, struct igdpt_vmm **out,
		     struct igdpt_diag *diag)
{
	struct igdpt_vmm_config full;
	const struct igdpt_vmm_config *config = &full;
	struct igdpt_vmm_ops ops;
	struct igdpt_vmm *vmm;
	uint16_t off = 0;
	unsigned width = 0;
	int ret;

	if (!caller_config || !out)
		return igdpt_diag_fail(diag, -EINVAL, 0, "vmm: missing config or result");
	ret = take_growable(caller_config, &full, &ops, diag);
	if (ret < 0)
		return ret;
	ret = check_config(config, diag);
	if (ret < 0)
		return ret;
	vmm = calloc(1, sizeof(*vmm));
	if (!vmm)
		return igdpt_diag_fail(diag, -ENOMEM, 0, "vmm: out of memory");
	vmm->strategy = config->strategy;
	vmm->stats.struct_size = sizeof(vmm->stats);
	vmm->ops_copy = ops;
	vmm->ops = &vmm->ops_copy;
	vmm->opaque = config->opaque;
	vmm->generation = config->generation;
	vmm->stolen_size = config->stolen_size;
	vmm->image_len = config->image_len;
	vmm->map_len = igdpt_placement_pages(config->image_len) * IGDPT_PLACEMENT_PAGE_SIZE;
	ret = igdpt_vmm_ggc_encode(config->generation, config->stolen_size, &vmm->ggc);
	if (ret < 0) {
		igdpt_diag_fail(diag, ret, 0, "vmm: GGC has no GMS encoding for this stolen size");
		goto err_free;
	}
	if (igdpt_placement_bdsm_register((int)config->generation, &off, &width) == 0) {
		vmm->bdsm_off = off;
		vmm->bdsm_width = width;
	}
	ret = copy_layout(vmm, config);
	if (ret < 0) {
		igdpt_diag_fail(diag, ret, 0, "vmm: out of memory");
		goto err_free;
	}
	if (maps_host(vmm->strategy)) {
		vmm->host = config->image;
		vmm->host_len = config->host_len ? config->host_len : vmm->map_len;
	}
	/* 1b keeps a copy too: the fallback when the VMM cannot map. */
	if (vmm->image_len && vmm->strategy != IGDPT_VMM_1A && vmm->strategy != IGDPT_VMM_2) {
		vmm->copy = calloc(1, vmm->map_len);
		if (!vmm->copy) {
			ret = igdpt_diag_fail(diag, -ENOMEM, 0, "vmm: out of memory");
			goto err_free;
		}
		memcpy(vmm->copy, config->image, vmm->image_len);
	}
	*out = vmm;
	return 0;

err_free:
	free(vmm->windows);
	free(vmm->e820);
	free(vmm);
	return ret;
}

void igdpt_vmm_destroy(struct igdpt_vmm *vmm)
{
	if (!vmm)
		return;
	if (vmm->mapped && vmm->ops->unmap)
		vmm->ops->unmap(vmm->opaque, vmm->region_gpa, vmm->map_len);
	free(vmm->copy);
	free(vmm->windows);
	free(vmm->e820);
	free(vmm);
}

static int callback_failed(struct igdpt_vmm *vmm, struct igdpt_diag *diag, int ret,
			   const char *what)
{
	vmm->stats.callback_errors++;
	vmm_log(vmm, IGDPT_VMM_LOG_ERROR, "option %s: %s failed: %s",
		igdpt_vmm_strategy_name(vmm->strategy), what, strerror(-ret));
	return igdpt_diag_fail(diag, ret, 0, what);
}

static int reserve(struct igdpt_vmm *vmm, uint64_t gpa, uint64_t len, struct igdpt_diag *diag)
{
	int ret = vmm->ops->add_e820(vmm->opaque, gpa, len, IGDPT_E820_RESERVED);

	if (ret < 0)
		return callback_failed(vmm, diag, ret, "vmm: add_e820 (reserve the range)");
	/* Keep the private map current, so stolen memory is planned around it. */
	return igdpt_plan_e820_insert(vmm->e820, &vmm->e820_count, vmm->e820_cap, gpa, len,
				      IGDPT_E820_RESERVED, diag);
}

static int map_region(struct igdpt_vmm *vmm, uint64_t gpa, void *host, unsigned prot,
		      struct igdpt_diag *diag)
{
	int ret = vmm->ops->map ? vmm->ops->map(vmm->opaque, gpa, host, vmm->map_len, prot)
				: -EOPNOTSUPP;

	if (ret == -EOPNOTSUPP) {
		vmm->stats.callback_errors++;
		vmm_log(vmm, IGDPT_VMM_LOG_ERROR,
			"option %s maps memory into guest physical space, which this VMM cannot do",
			igdpt_vmm_strategy_name(vmm->strategy));
		return igdpt_diag_fail(diag, ret, 0,
				       "vmm: this option maps memory into guest physical space, which this VMM cannot do");
	}
	if (ret < 0)
		return callback_failed(vmm, diag, ret, "vmm: map (host memory into the guest)");
	vmm->stats.maps++;
	vmm->mapped = true;
	vmm->region_gpa = gpa;
	return 0;
}

/* 4a writes whole pages it reserved itself (the tail zero, so the guest
 * never sees stale RAM); 1b writes exactly the image, because the firmware
 * may have put other data right after its allocation. */
static int write_copy(struct igdpt_vmm *vmm, uint64_t gpa, size_t len, struct igdpt_diag *diag)
{
	int ret = vmm->ops->write_ram(vmm->opaque, gpa, vmm->copy, len);

	if (ret < 0)
		return callback_failed(vmm, diag, ret, "vmm: write_ram (the OpRegion copy)");
	vmm->stats.ram_writes++;
	return 0;
}

static int place_opregion(struct igdpt_vmm *vmm, struct igdpt_diag *diag)
{
	enum igdpt_plan_kind kind = vmm->strategy == IGDPT_VMM_4A ? IGDPT_PLAN_IN_RAM
								   : IGDPT_PLAN_OUTSIDE_RAM;
	uint64_t gpa;
	int ret;

	ret = igdpt_plan_place(vmm->e820, vmm->e820_count, vmm->windows, vmm->window_count,
			       vmm->map_len, IGDPT_OPREGION_GUEST_ALIGN, kind, &gpa, diag);
	if (ret < 0) {
		vmm_log(vmm, IGDPT_VMM_LOG_ERROR, "option %s: no room for the OpRegion: %s",
			igdpt_vmm_strategy_name(vmm->strategy), diag ? diag->reason : "");
		return ret;
	}
	ret = reserve(vmm, gpa, vmm->map_len, diag);
	if (ret < 0)
		return ret;
	switch (vmm->strategy) {
	case IGDPT_VMM_1A:
		ret = map_region(vmm, gpa, vmm->host, IGDPT_VMM_PROT_READ | IGDPT_VMM_PROT_WRITE, diag);
		vmm->placement = IGDPT_VMM_PLACED_HOST_MAP;
		break;
	case IGDPT_VMM_2:
		ret = map_region(vmm, gpa, vmm->host, IGDPT_VMM_PROT_READ, diag);
		vmm->placement = IGDPT_VMM_PLACED_HOST_MAP;
		break;
	case IGDPT_VMM_3:
		ret = map_region(vmm, gpa, vmm->copy, IGDPT_VMM_PROT_READ | IGDPT_VMM_PROT_WRITE, diag);
		vmm->placement = IGDPT_VMM_PLACED_COPY_MAP;
		break;
	default:
		ret = write_copy(vmm, gpa, vmm->map_len, diag);
		vmm->region_gpa = gpa;
		vmm->placement = IGDPT_VMM_PLACED_GUEST_RAM;
		break;
	}
	if (ret < 0) {
		vmm->placement = IGDPT_VMM_PLACED_NONE;
		return ret;
	}
	vmm->asls = (uint32_t)gpa;
	vmm->asls_fixed = true;
	vmm_log(vmm, IGDPT_VMM_LOG_INFO, "option %s: OpRegion (%zu bytes) at 0x%llx, %s",
		igdpt_vmm_strategy_name(vmm->strategy), vmm->image_len, (unsigned long long)gpa,
		igdpt_vmm_placement_name(vmm->placement));
	return 0;
}

static int place_stolen(struct igdpt_vmm *vmm, struct igdpt_diag *diag)
{
	uint64_t gpa;
	int ret;

	ret = igdpt_plan_place(vmm->e820, vmm->e820_count, vmm->windows, vmm->window_count,
			       vmm->stolen_size, IGDPT_STOLEN_GUEST_ALIGN, IGDPT_PLAN_IN_RAM, &gpa,
			       diag);
	if (ret < 0) {
		vmm_log(vmm, IGDPT_VMM_LOG_ERROR, "option %s: no room for stolen memory: %s",
			igdpt_vmm_strategy_name(vmm->strategy), diag ? diag->reason : "");
		return ret;
	}
	ret = reserve(vmm, gpa, vmm->stolen_size, diag);
	if (ret < 0)
		return ret;
	vmm->bdsm = igdpt_placement_bdsm_value(0, gpa);
	vmm->bdsm_fixed = true;
	return 0;
}

static int publish(struct igdpt_vmm *vmm, struct igdpt_diag *diag)
{
	uint8_t size_le[IGDPT_FW_CFG_BDSM_SIZE_FILE_SIZE];
	int ret;

	if (vmm->image_len) {
		ret = vmm->ops->publish(vmm->opaque, IGDPT_FW_CFG_OPREGION_FILE, vmm->copy,
					vmm->image_len);
		if (ret < 0)
			return callback_failed(vmm, diag, ret, "vmm: publish etc/igd-opregion");
	}
	if (vmm->stolen_size) {
		igdpt_put_le64(size_le, vmm->stolen_size);
		ret = vmm->ops->publish(vmm->opaque, IGDPT_FW_CFG_BDSM_SIZE_FILE, size_le,
					sizeof(size_le));
		if (ret < 0)
			return callback_failed(vmm, diag, ret, "vmm: publish etc/igd-bdsm-size");
	}
	return 0;
}

int igdpt_vmm_realize(struct igdpt_vmm *vmm, struct igdpt_diag *diag)
{
	int ret;

	if (!vmm)
		return igdpt_diag_fail(diag, -EINVAL, 0, "vmm: no context");
	if (vmm->realized)
		return igdpt_diag_fail(diag, -EINVAL, 0, "vmm: realized twice");
	vmm->realized = true;
	if (igdpt_vmm_strategy_firmware_places(vmm->strategy))
		return publish(vmm, diag);
	if (vmm->image_len) {
		ret = place_opregion(vmm, diag);
		if (ret < 0)
			return ret;
	}
	return vmm->stolen_size ? place_stolen(vmm, diag) : 0;
}

/* ---- config space ---- */

/* One config access is at most 4 bytes: with at least 3 bytes between two
 * registers, none touches two (the write report names one register). */
_Static_assert(IGDPT_PCI_BDSM_OFFSET - (IGDPT_PCI_GGC_OFFSET + GGC_BYTES) >= 3, "GGC/BDSM");
_Static_assert(IGDPT_PCI_SWSCI_OFFSET - (IGDPT_PCI_BDSM64_OFFSET + BDSM64_BYTES) >= 3,
	       "BDSM/SWSCI");
_Static_assert(IGDPT_PCI_ASLS_OFFSET - (IGDPT_PCI_SWSCI_OFFSET + SWSCI_BYTES) >= 3,
	       "SWSCI/ASLS");

const char *igdpt_vmm_register_name(enum igdpt_vmm_register reg)
{
	switch (reg) {
	case IGDPT_VMM_REG_GGC: return "ggc";
	case IGDPT_VMM_REG_BDSM: return "bdsm";
	case IGDPT_VMM_REG_SWSCI: return "swsci";
	case IGDPT_VMM_REG_ASLS: return "asls";
	case IGDPT_VMM_REG_NONE: break;
	}
	return "none";
}

/* Where register reg lives and its value; false when the context has no
 * such register (BDSM on a generation without one). */
static bool reg_layout(const struct igdpt_vmm *vmm, enum igdpt_vmm_register reg, unsigned *base,
		       unsigned *width, uint64_t *value)
{
	switch (reg) {
	case IGDPT_VMM_REG_GGC:
		*base = IGDPT_PCI_GGC_OFFSET, *width = GGC_BYTES, *value = vmm->ggc;
		return true;
	case IGDPT_VMM_REG_BDSM:
		*base = vmm->bdsm_off, *width = vmm->bdsm_width, *value = vmm->bdsm;
		return vmm->bdsm_width != 0;
	case IGDPT_VMM_REG_SWSCI:
		*base = IGDPT_PCI_SWSCI_OFFSET, *width = SWSCI_BYTES, *value = vmm->swsci;
		return true;
	case IGDPT_VMM_REG_ASLS:
		*base = IGDPT_PCI_ASLS_OFFSET, *width = ASLS_BYTES, *value = vmm->asls;
		return true;
	case IGDPT_VMM_REG_NONE:
		break;
	}
	return false;
}

static const enum igdpt_vmm_register all_regs[] = {
	IGDPT_VMM_REG_GGC, IGDPT_VMM_REG_BDSM, IGDPT_VMM_REG_SWSCI, IGDPT_VMM_REG_ASLS,
};
#define REG_COUNT (sizeof(all_regs) / sizeof(all_regs[0]))

/* The register holding config byte off, its base and value. */
static enum igdpt_vmm_register owned_byte(const struct igdpt_vmm *vmm, unsigned off,
					  uint64_t *value, unsigned *base)
{
	for (unsigned i = 0; i < REG_COUNT; i++) {
		unsigned width;

		if (reg_layout(vmm, all_regs[i], base, &width, value) && off >= *base &&
		    off < *base + width)
			return all_regs[i];
	}
	return IGDPT_VMM_REG_NONE;
}

static bool access_ok(unsigned off, unsigned len)
{
	return (len == 1 || len == 2 || len == 4) && off < CONFIG_SPACE_SIZE &&
	       len <= CONFIG_SPACE_SIZE - off;
}

int igdpt_vmm_owns(const struct igdpt_vmm *vmm, unsigned off, unsigned len)
{
	uint64_t value;
	unsigned base;
	int n = 0;

	if (!vmm || !access_ok(off, len))
		return -EINVAL;
	for (unsigned i = 0; i < len; i++)
		n += owned_byte(vmm, off + i, &value, &base) != IGDPT_VMM_REG_NONE;
	return n;
}

int igdpt_vmm_config_read(struct igdpt_vmm *vmm, unsigned off, unsigned len, uint32_t *value)
{
	uint64_t reg;
	unsigned base;
	int n = 0;

	if (!vmm || !value || !access_ok(off, len))
		return -EINVAL;
	for (unsigned i = 0; i < len; i++) {
		uint32_t mask = (uint32_t)UINT8_MAX << (8 * i);
		uint8_t byte;

		if (owned_byte(vmm, off + i, &reg, &base) == IGDPT_VMM_REG_NONE)
			continue;
		byte = (uint8_t)(reg >> (8 * (off + i - base)));
		*value = (*value & ~mask) | (uint32_t)byte << (8 * i);
		n++;
	}
	return n;
}

/* Merges the written bytes that fall on register [base, base + width). */
static uint64_t merge(uint64_t old, unsigned base, unsigned width, unsigned off, unsigned len,
		      uint32_t value)
{
	for (unsigned i = 0; i < len; i++) {
		unsigned pos = off + i;
		uint64_t mask;

		if (pos < base || pos >= base + width)
			continue;
		mask = (uint64_t)UINT8_MAX << (8 * (pos - base));
		old = (old & ~mask) | ((uint64_t)(uint8_t)(value >> (8 * i)) << (8 * (pos - base)));
	}
	return old;
}

static bool touches(unsigned off, unsigned len, unsigned base, unsigned width)
{
	return width && off < base + width && base < off + len;
}

static void refuse(struct igdpt_vmm_write_report *r, const char *reason, int error)
{
	r->action = IGDPT_VMM_WRITE_REFUSED;
	r->reason = reason;
	r->error = error;
}

/* Before the context writes its copy over guest RAM at a guest-chosen
 * address (1b without map), it wants evidence that the guest reserved that
 * range for the OpRegion. It cannot see the guest's memory map through a
 * VMM's callbacks, but it can see what the firmware did: SeaBIOS and
 * igdpt-efi copy etc/igd-opregion into the memory they reserved before they
 * write ASLS. So the whole range must be guest RAM that reads back now,
 * and start with the published image's signature. A guest can then make
 * the context write only over an OpRegion header it put there itself. */
static bool copy_justified(struct igdpt_vmm *vmm, uint32_t value, struct igdpt_vmm_write_report *r)
{
	size_t sig = vmm->image_len < OPREGION_SIGNATURE_BYTES ? vmm->image_len
							       : OPREGION_SIGNATURE_BYTES;
	uint8_t *now = malloc(vmm->image_len);
	bool ok = false;

	if (!now) {
		refuse(r, "out of memory", -ENOMEM);
	} else if (vmm->ops->read_ram(vmm->opaque, value, now, vmm->image_len) < 0) {
		refuse(r, "the range at ASLS is not guest RAM the VMM can read", 0);
	} else if (memcmp(now, vmm->copy, sig)) {
		refuse(r, "the range at ASLS does not start with the published OpRegion's signature "
			  "(the firmware did not copy etc/igd-opregion there)",
		       0);
	} else {
		ok = true;
	}
	free(now);
	if (!ok) {
		vmm->stats.asls_writes_refused++;
		vmm_log(vmm, IGDPT_VMM_LOG_WARNING, "option 1b: nothing placed at 0x%x: %s", value,
			r->reason);
	}
	return ok;
}

/* The firmware's ASLS write in option 1b: map the host OpRegion at the
 * address it reserved, or write a private copy there when the VMM cannot. */
static int take_asls_1b(struct igdpt_vmm *vmm, uint32_t value, struct igdpt_vmm_write_report *r)
{
	int ret;

	if (!vmm->image_len || !value)
		return 0;
	if (value % IGDPT_OPREGION_GUEST_ALIGN ||
	    (uint64_t)value + vmm->map_len > IGDPT_GUEST_PLACEMENT_LIMIT) {
		vmm_log(vmm, IGDPT_VMM_LOG_WARNING,
			"option 1b: ASLS 0x%x is not a page-aligned address with room below 4 GiB; nothing placed",
			value);
		vmm->stats.asls_writes_refused++;
		refuse(r, "ASLS is not a page-aligned address with room for the OpRegion below 4 GiB",
		       0);
		return 0;
	}
	if (vmm->ops->map) {
		ret = vmm->ops->map(vmm->opaque, value, vmm->host, vmm->map_len,
				    IGDPT_VMM_PROT_READ | IGDPT_VMM_PROT_WRITE);
		if (ret == 0) {
			vmm->stats.maps++;
			vmm->asls_taken = true;
			vmm->mapped = true;
			vmm->region_gpa = value;
			vmm->placement = IGDPT_VMM_PLACED_HOST_MAP;
			r->action = IGDPT_VMM_WRITE_PLACED;
			vmm_log(vmm, IGDPT_VMM_LOG_INFO,
				"option 1b: host OpRegion mapped read-write at 0x%x", value);
			return 0;
		}
		if (ret != -EOPNOTSUPP) {
			vmm->stats.callback_errors++;
			vmm_log(vmm, IGDPT_VMM_LOG_ERROR, "option 1b: map at 0x%x failed: %s", value,
				strerror(-ret));
			refuse(r, "the VMM could not map the host OpRegion there", ret);
			return ret;
		}
	}
	if (!vmm->ops->write_ram || !vmm->ops->read_ram) {
		refuse(r, "the VMM can neither map the host OpRegion nor read and write guest RAM",
		       -EOPNOTSUPP);
		return -EOPNOTSUPP;
	}
	if (!copy_justified(vmm, value, r))
		return 0;
	ret = write_copy(vmm, value, vmm->image_len, NULL);
	if (ret < 0) {
		refuse(r, "the range is not guest RAM the device can write", ret);
		return ret;
	}
	vmm->asls_taken = true;
	vmm->region_gpa = value;
	vmm->placement = IGDPT_VMM_PLACED_GUEST_RAM;
	r->action = IGDPT_VMM_WRITE_PLACED;
	vmm_log(vmm, IGDPT_VMM_LOG_INFO,
		"option 1b: this VMM cannot map host memory; a private copy was written to guest RAM at 0x%x",
		value);
	return 0;
}

static void partial(struct igdpt_vmm *vmm, struct igdpt_vmm_write_report *r, const char *why)
{
	vmm->stats.partial_writes++;
	r->action = IGDPT_VMM_WRITE_PARTIAL;
	r->reason = why;
}

static int write_asls(struct igdpt_vmm *vmm, uint32_t asls, bool complete,
		      struct igdpt_vmm_write_report *r)
{
	vmm->stats.asls_writes++;
	if (vmm->asls_fixed || (vmm->strategy == IGDPT_VMM_1B && vmm->asls_taken)) {
		vmm->stats.asls_writes_ignored++;
		r->action = IGDPT_VMM_WRITE_IGNORED;
		if (asls != vmm->asls)
			vmm_log(vmm, IGDPT_VMM_LOG_WARNING,
				"option %s: guest write 0x%x to ASLS ignored (it stays 0x%x)",
				igdpt_vmm_strategy_name(vmm->strategy), asls, vmm->asls);
		return 0;
	}
	vmm->asls = asls;
	if (!complete) {
		/* The register no longer names the firmware's copy, and is
		 * not yet a value the guest finished writing. */
		if (vmm->strategy == IGDPT_VMM_4B) {
			vmm->placement = IGDPT_VMM_PLACED_NONE;
			vmm->region_gpa = 0;
		}
		partial(vmm, r, "a partial write of ASLS: the context acts on one 32-bit write only");
		return 0;
	}
	if (vmm->strategy == IGDPT_VMM_4B) {
		vmm->placement = asls && vmm->image_len ? IGDPT_VMM_PLACED_FIRMWARE
							: IGDPT_VMM_PLACED_NONE;
		vmm->region_gpa = asls;
		return 0;
	}
	return vmm->strategy == IGDPT_VMM_1B ? take_asls_1b(vmm, asls, r) : 0;
}

static void write_bdsm(struct igdpt_vmm *vmm, uint64_t bdsm, bool complete,
		       struct igdpt_vmm_write_report *r)
{
	/* Only the 1 MiB aligned base is writable; no lock bit. */
	uint64_t wmask = ~(uint64_t)(IGDPT_STOLEN_GUEST_ALIGN - 1);

	vmm->stats.bdsm_writes++;
	if (vmm->bdsm_fixed) {
		vmm->stats.bdsm_writes_ignored++;
		r->action = IGDPT_VMM_WRITE_IGNORED;
		return;
	}
	vmm->bdsm = bdsm & wmask;
	if (!complete)
		partial(vmm, r, vmm->bdsm_width == BDSM64_BYTES
					? "a partial write of BDSM: the context takes its two dwords, each written whole"
					: "a partial write of BDSM: the context acts on one 32-bit write only");
}

static void write_swsci(struct igdpt_vmm *vmm, uint16_t swsci)
{
	vmm->stats.swsci_writes++;
	if (swsci & IGDPT_SWSCI_GSSCIE)
		vmm->stats.swsci_triggers++;
	/* Nothing in a VM answers a software SCI: the event completes at once. */
	vmm->swsci = swsci & (uint16_t)~IGDPT_SWSCI_GSSCIE;
}

/* Whether a write of [off, off + len) completes register [base, base +
 * width) (ASLS, BDSM; see the rule at the top). For the 64-bit BDSM it
 * tracks the dwords written whole; a smaller write spoils the dwords it
 * touches. */
static bool completes(struct igdpt_vmm *vmm, unsigned base, unsigned width, unsigned off,
		      unsigned len)
{
	if (width != BDSM64_BYTES)
		return off == base && len == width;
	if (len == DWORD_BYTES && (off == base || off == base + DWORD_BYTES)) {
		vmm->bdsm_whole |= 1u << ((off - base) / DWORD_BYTES);
		if (vmm->bdsm_whole != BDSM64_BOTH_DWORDS)
			return false;
		vmm->bdsm_whole = 0;
		return true;
	}
	for (unsigned pos = off; pos < off + len; pos++)
		if (pos >= base && pos < base + width)
			vmm->bdsm_whole &= ~(1u << ((pos - base) / DWORD_BYTES));
	return false;
}

static int write_report(struct igdpt_vmm *vmm, unsigned off, unsigned len, uint32_t value,
			struct igdpt_vmm_write_report *r);

int igdpt_vmm_config_write_report(struct igdpt_vmm *vmm, unsigned off, unsigned len,
				  uint32_t value, struct igdpt_vmm_write_report *report)
{
	struct igdpt_vmm_write_report full;
	int ret;

	ret = write_report(vmm, off, len, value, &full);
	if (report)
		STRUCT_COPY_OUT(report, &full);
	return ret;
}

/* igdpt_vmm_config_write_report() into this library's full report. */
static int write_report(struct igdpt_vmm *vmm, unsigned off, unsigned len, uint32_t value,
			struct igdpt_vmm_write_report *r)
{
	unsigned base = 0, width = 0;
	uint64_t old = 0;
	int n, ret = 0;

	memset(r, 0, sizeof(*r));
	r->struct_size = sizeof(*r);
	n = igdpt_vmm_owns(vmm, off, len);
	if (n <= 0)
		return n;
	for (unsigned i = 0; i < REG_COUNT; i++) {
		if (reg_layout(vmm, all_regs[i], &base, &width, &old) && touches(off, len, base, width)) {
			r->reg = all_regs[i];
			break;
		}
	}
	r->written = merge(old, base, width, off, len, value);
	r->action = IGDPT_VMM_WRITE_TAKEN;
	switch (r->reg) {
	case IGDPT_VMM_REG_GGC:
		/* Locked by the platform firmware, which the VMM plays. */
		vmm->stats.ggc_writes_ignored++;
		r->action = IGDPT_VMM_WRITE_IGNORED;
		break;
	case IGDPT_VMM_REG_BDSM:
		write_bdsm(vmm, r->written, completes(vmm, base, width, off, len), r);
		break;
	case IGDPT_VMM_REG_SWSCI:
		write_swsci(vmm, (uint16_t)r->written);
		break;
	case IGDPT_VMM_REG_ASLS:
		ret = write_asls(vmm, (uint32_t)r->written, completes(vmm, base, width, off, len), r);
		break;
	case IGDPT_VMM_REG_NONE:
		break;
	}
	reg_layout(vmm, r->reg, &base, &width, &r->value);
	return ret < 0 ? ret : n;
}

int igdpt_vmm_config_write(struct igdpt_vmm *vmm, unsigned off, unsigned len, uint32_t value)
{
	return igdpt_vmm_config_write_report(vmm, off, len, value, NULL);
}

int igdpt_vmm_reset(struct igdpt_vmm *vmm)
{
	int ret = 0;

	if (!vmm)
		return -EINVAL;
	vmm->swsci = 0;
	vmm->bdsm_whole = 0;
	if (igdpt_vmm_strategy_firmware_places(vmm->strategy)) {
		if (vmm->mapped && vmm->ops->unmap) {
			ret = vmm->ops->unmap(vmm->opaque, vmm->region_gpa, vmm->map_len);
			vmm->stats.unmaps++;
		}
		vmm->mapped = false;
		vmm->asls = 0;
		vmm->asls_taken = false;
		vmm->bdsm = 0;
		vmm->region_gpa = 0;
		vmm->placement = IGDPT_VMM_PLACED_NONE;
	} else if (vmm->placement == IGDPT_VMM_PLACED_GUEST_RAM) {
		ret = write_copy(vmm, vmm->region_gpa, vmm->map_len, NULL);
	}
	return ret;
}

uint32_t igdpt_vmm_asls(const struct igdpt_vmm *vmm)
{
	return vmm ? vmm->asls : 0;
}

uint64_t igdpt_vmm_bdsm(const struct igdpt_vmm *vmm)
{
	return vmm ? vmm->bdsm : 0;
}

uint16_t igdpt_vmm_ggc(const struct igdpt_vmm *vmm)
{
	return vmm ? vmm->ggc : 0;
}

uint16_t igdpt_vmm_swsci(const struct igdpt_vmm *vmm)
{
	return vmm ? vmm->swsci : 0;
}

unsigned igdpt_vmm_bdsm_register(const struct igdpt_vmm *vmm)
{
	return vmm && vmm->bdsm_width ? vmm->bdsm_off : 0;
}

unsigned igdpt_vmm_bdsm_width(const struct igdpt_vmm *vmm)
{
	return vmm ? vmm->bdsm_width : 0;
}

enum igdpt_vmm_strategy igdpt_vmm_get_strategy(const struct igdpt_vmm *vmm)
{
	return vmm ? vmm->strategy : IGDPT_VMM_4B;
}

const uint8_t *igdpt_vmm_image(const struct igdpt_vmm *vmm, size_t *len)
{
	const uint8_t *image = vmm && vmm->image_len ? (vmm->copy ? vmm->copy : vmm->host) : NULL;

	if (len)
		*len = image ? vmm->image_len : 0;
	return image;
}

int igdpt_vmm_image_compare(const struct igdpt_vmm *vmm, const uint8_t *data, size_t len,
			    size_t *differs_at)
{
	size_t image_len, n;
	const uint8_t *image = igdpt_vmm_image(vmm, &image_len);

	if (!image)
		return -ENOENT;
	n = len < image_len ? len : image_len;
	for (size_t i = 0; i < n; i++) {
		if (data[i] != image[i]) {
			if (differs_at)
				*differs_at = i;
			return 1;
		}
	}
	if (len == image_len)
		return 0;
	if (differs_at)
		*differs_at = n;
	return 1;
}

enum igdpt_vmm_placement igdpt_vmm_placement(const struct igdpt_vmm *vmm)
{
	return vmm ? vmm->placement : IGDPT_VMM_PLACED_NONE;
}

void igdpt_vmm_range(const struct igdpt_vmm *vmm, uint64_t *gpa, uint64_t *len)
{
	bool placed = vmm && vmm->placement != IGDPT_VMM_PLACED_NONE;

	if (gpa)
		*gpa = placed ? vmm->region_gpa : 0;
	if (len)
		*len = placed ? vmm->map_len : 0;
}

void igdpt_vmm_get_stats(const struct igdpt_vmm *vmm, struct igdpt_vmm_stats *stats)
{
	if (vmm && stats)
		STRUCT_COPY_OUT(stats, &vmm->stats);
}

int igdpt_vmm_guest_copy(struct igdpt_vmm *vmm, size_t *differs_at)
{
	uint8_t *buf;
	int ret;

	if (!vmm || !vmm->asls || !igdpt_vmm_image(vmm, NULL))
		return -ENOENT;
	if (!vmm->ops->read_ram)
		return -EOPNOTSUPP;
	buf = malloc(vmm->image_len);
	if (!buf)
		return -ENOMEM;
	ret = vmm->ops->read_ram(vmm->opaque, vmm->asls, buf, vmm->image_len);
	if (ret == 0)
		ret = igdpt_vmm_image_compare(vmm, buf, vmm->image_len, differs_at);
	else
		ret = -EFAULT;
	free(buf);
	return ret;
}
