/* SPDX-License-Identifier: MIT */
/* The model guest driver: the guest probe's check, then the writes Linux
 * i915 makes into the OpRegion (intel_opregion.c: intel_opregion_register()
 * and _resume() set CSTS, DRDY, CHPD, ARDY, TCHE; intel_didl_outputs()
 * fills DIDL), and a hostile guest's scribble across and past the region. */
#include "igdpt/machine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "igdpt/abi/guest.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/opregion.h"
#include "igdpt/core/placement.h"
#include "machine_private.h"

/* Values i915 writes (intel_opregion.c). */
#define I915_DRDY_READY 1u
#define I915_CHPD_READY 1u
#define I915_ARDY_READY 1u
#define I915_CSTS_CLEAR 0u
#define I915_TCHE_ALS_BLC_PFIT_PFMB 0xFu
/* DIDL entries: ACPI _DOD ids, bit 31 "scheme", type in bits 11:8
 * (4 = internal panel, 3 = digital output), then an index. */
#define I915_DIDL_SCHEME (1u << 31)
#define I915_DIDL_TYPE_PANEL (4u << 8)
#define I915_DIDL_TYPE_DIGITAL (3u << 8)
#define HOSTILE_BYTE 0x5Au
#define HOSTILE_PAGES_BEYOND 2u
#define U32_BYTES 4u

static int guest_read(void *ctx, uint64_t gpa, uint8_t *buf, size_t len)
{
	return igdpt_machine_read(ctx, gpa, buf, len) == len ? 0 : -EFAULT;
}

/* What i915 sees without igdpt's memory map rule: a signature at ASLS and
 * an OpRegion that validates (base region plus a 2.1+ extended VBT). */
static bool i915_view(struct igdpt_machine *m, uint32_t asls, uint8_t *buf)
{
	struct igdpt_opregion op;
	struct igdpt_diag diag = { 0 };
	size_t total = IGDPT_OPREGION_BASE_SIZE;
	uint64_t rvda;
	uint32_t rvds;

	if (!asls)
		return false;
	igdpt_machine_read(m, asls, buf, IGDPT_OPREGION_BASE_SIZE);
	if (igdpt_bytes_differ(buf, (const uint8_t *)IGDPT_OPREGION_SIGNATURE,
			       IGDPT_OPREGION_SIGN_SIZE))
		return false;
	rvda = igdpt_le64(buf + IGDPT_MBOX3_RVDA_OFFSET);
	rvds = igdpt_le32(buf + IGDPT_MBOX3_RVDS_OFFSET);
	if (rvda && rvds && rvda <= IGDPT_PROBE_IMAGE_MAX && rvds <= IGDPT_PROBE_IMAGE_MAX - rvda &&
	    rvda + rvds > total)
		total = (size_t)(rvda + rvds);
	igdpt_machine_read(m, asls, buf, total);
	return igdpt_opregion_parse(buf, total, &op, &diag) == 0;
}

static void i915_write(struct igdpt_machine *m, uint64_t gpa, uint32_t value,
		       struct igdpt_machine_driver *out)
{
	uint8_t w[U32_BYTES], r[U32_BYTES];

	igdpt_put_le32(w, value);
	igdpt_machine_write(m, gpa, w, sizeof(w));
	igdpt_machine_read(m, gpa, r, sizeof(r));
	out->writes++;
	out->writes_kept += !memcmp(w, r, sizeof(w));
}

static void i915_writes(struct igdpt_machine *m, uint32_t asls, struct igdpt_machine_driver *out)
{
	static const uint32_t didl[] = {
		I915_DIDL_SCHEME | I915_DIDL_TYPE_PANEL | 0u,
		I915_DIDL_SCHEME | I915_DIDL_TYPE_DIGITAL | 1u,
		I915_DIDL_SCHEME | I915_DIDL_TYPE_DIGITAL | 2u,
	};

	i915_write(m, asls + IGDPT_MBOX1_CSTS_OFFSET, I915_CSTS_CLEAR, out);
	i915_write(m, asls + IGDPT_MBOX1_DRDY_OFFSET, I915_DRDY_READY, out);
	i915_write(m, asls + IGDPT_MBOX1_CHPD_OFFSET, I915_CHPD_READY, out);
	i915_write(m, asls + IGDPT_MBOX3_ARDY_OFFSET, I915_ARDY_READY, out);
	i915_write(m, asls + IGDPT_MBOX3_TCHE_OFFSET, I915_TCHE_ALS_BLC_PFIT_PFMB, out);
	for (unsigned i = 0; i < IGDPT_MBOX1_DISPLAY_LIST_COUNT; i++)
		i915_write(m, asls + IGDPT_MBOX1_DIDL_OFFSET + U32_BYTES * i,
			   i < sizeof(didl) / sizeof(didl[0]) ? didl[i] : 0u, out);
	out->writes_ok = out->writes && out->writes_kept == out->writes;
}

int igdpt_machine_guest_driver(struct igdpt_machine *m, bool lax,
			       struct igdpt_machine_driver *out)
{
	struct igdpt_probe_input in = { 0 };
	const uint8_t *bdsm_file;
	size_t bdsm_len = 0;
	uint8_t *scratch;
	unsigned bdsm_reg;

	if (!m || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	scratch = malloc(IGDPT_PROBE_SCRATCH_SIZE);
	if (!scratch)
		return -ENOMEM;
	in.probe = "model";
	in.igd_found = true;
	in.dev = IGDPT_IGD_DEVFN_DEVICE;
	in.vendor = (uint16_t)igdpt_machine_cfg_read(m, 0, sizeof(uint16_t));
	in.device_id = m->config.device_id;
	in.class_code = IGDPT_PCI_CLASS_DISPLAY_VGA;
	in.asls = igdpt_machine_cfg_read(m, IGDPT_PCI_ASLS_OFFSET, sizeof(uint32_t));
	in.memmap = igdpt_machine_guest_memmap(m, &in.memmap_count);
	in.read = guest_read;
	in.read_ctx = m;
	in.scratch = scratch;
	in.scratch_size = IGDPT_PROBE_SCRATCH_SIZE;
	in.fw_cfg_image = igdpt_machine_fw_cfg(m, IGDPT_FW_CFG_OPREGION_FILE, &in.fw_cfg_size);
	in.has_fw_cfg = in.fw_cfg_image != NULL;
	bdsm_file = igdpt_machine_fw_cfg(m, IGDPT_FW_CFG_BDSM_SIZE_FILE, &bdsm_len);
	if (bdsm_file && bdsm_len == IGDPT_FW_CFG_BDSM_SIZE_FILE_SIZE) {
		in.has_bdsm_request = true;
		in.bdsm_requested = igdpt_le64(bdsm_file);
	}
	bdsm_reg = m->vmm ? igdpt_vmm_bdsm_register(m->vmm) : 0;
	if (bdsm_reg) {
		in.bdsm_register = (uint16_t)bdsm_reg;
		in.bdsm_value = igdpt_machine_cfg_read(m, bdsm_reg, sizeof(uint32_t));
		if (bdsm_reg == IGDPT_PCI_BDSM64_OFFSET)
			in.bdsm_value |= (uint64_t)igdpt_machine_cfg_read(m, bdsm_reg + U32_BYTES,
									  sizeof(uint32_t)) << 32;
	}
	igdpt_probe_check(&in, &out->verdict);
	out->i915_found = i915_view(m, in.asls, scratch);
	if (out->verdict.result == IGDPT_PROBE_PASS || (lax && out->i915_found))
		i915_writes(m, in.asls, out);
	free(scratch);
	return 0;
}

int igdpt_machine_guest_hostile_writes(struct igdpt_machine *m, struct igdpt_machine_hostile *out)
{
	struct igdpt_machine_stats before = m->stats;
	uint64_t region = 0;
	uint8_t *buf;

	memset(out, 0, sizeof(*out));
	out->start = igdpt_machine_cfg_read(m, IGDPT_PCI_ASLS_OFFSET, sizeof(uint32_t));
	if (m->vmm)
		igdpt_vmm_range(m->vmm, NULL, &region);
	if (!region)
		region = igdpt_placement_pages(m->config.image_len) * IGDPT_PLACEMENT_PAGE_SIZE;
	out->len = region + HOSTILE_PAGES_BEYOND * IGDPT_PLACEMENT_PAGE_SIZE;
	if (!out->start)
		return -ENOENT;
	buf = malloc(out->len);
	if (!buf)
		return -ENOMEM;
	memset(buf, HOSTILE_BYTE, out->len);
	out->bytes_taken = igdpt_machine_write(m, out->start, buf, out->len);
	out->bytes_refused = m->stats.ro_writes_refused - before.ro_writes_refused;
	out->bytes_unbacked = m->stats.unbacked_writes - before.unbacked_writes;
	out->host_bytes_corrupted = igdpt_machine_host_changed(m, NULL);
	free(buf);
	return 0;
}
