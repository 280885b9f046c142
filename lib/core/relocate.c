/* SPDX-License-Identifier: MIT */
/* Host OpRegion + extended VBT -> one contiguous guest image.
 *
 * Same result a guest gets from Linux vfio-pci's synthesized region: base
 * region, then the extended VBT at 0x2000, RVDA 0x2000 (an offset, hence
 * version 2.1 when the host said 2.0), RVDS its padded size. Everything is
 * checked before the first byte of `out` is written, and the result is
 * validated again with igdpt_opregion_parse().
 */
#include "igdpt/core/relocate.h"

#include "igdpt/abi/opregion.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/opregion.h"

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

/* Finds the extended VBT's bytes: in the dump for 2.1+, else the file. */
static int find_extended_vbt(const uint8_t *host, size_t host_len, const uint8_t *ext,
			     size_t ext_len, const uint8_t **vbt, size_t *vbt_len,
			     struct igdpt_diag *diag)
{
	uint64_t rvda = igdpt_le64(host + IGDPT_MBOX3_RVDA_OFFSET);
	uint32_t rvds = igdpt_le32(host + IGDPT_MBOX3_RVDS_OFFSET);
	uint8_t major = host[IGDPT_OPREGION_OVER_MAJOR_OFFSET];
	uint8_t minor = host[IGDPT_OPREGION_OVER_MINOR_OFFSET];
	bool offset_form = major > 2 || (major == 2 && minor >= 1);

	*vbt = 0;
	*vbt_len = 0;
	if (!rvda && !rvds) {
		if (ext)
			return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_MBOX3_RVDA_OFFSET,
					       "an extended VBT was given but the OpRegion has no RVDA/RVDS");
		return 0;
	}
	if (!rvda || !rvds)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_MBOX3_RVDA_OFFSET,
				       "RVDA and RVDS must be both set or both zero");
	if (major < 2)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_MBOX3_RVDA_OFFSET,
				       "RVDA set on an OpRegion older than 2.0");
	/* A 2.1+ RVDA inside the base region is broken firmware (i915 WARNs),
	 * whether or not the extended VBT comes separately. */
	if (offset_form && rvda < IGDPT_OPREGION_BASE_SIZE)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_MBOX3_RVDA_OFFSET,
				       "RVDA points inside the 8 KiB base region");
	/* A VBT given separately wins over one in the dump: the caller read
	 * it from where the host says it is (2.0) or chose it on purpose. */
	if (ext) {
		*vbt = ext;
		*vbt_len = ext_len;
		return 0;
	}
	if (!offset_form)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_MBOX3_RVDA_OFFSET,
				       "version 2.0 RVDA is a host physical address: give the extended VBT read from there");
	if (rvda >= host_len || rvds > host_len - rvda)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_MBOX3_RVDA_OFFSET,
				       "RVDA/RVDS point past the end of the dump: give the extended VBT separately");
	*vbt = host + rvda;
	*vbt_len = rvds;
	return 0;
}

int igdpt_relocate(const uint8_t *host, size_t host_len, const uint8_t *ext_vbt,
		   size_t ext_len, uint8_t *out, size_t out_cap, size_t *out_len,
		   struct igdpt_diag *diag)
{
	struct igdpt_diag local = { 0 };
	struct igdpt_opregion check;
	struct igdpt_vbt vbt;
	const uint8_t *ext;
	size_t ext_size, rvds, total;
	int ret;

	if (host_len < IGDPT_OPREGION_BASE_SIZE)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, host_len,
				       "OpRegion shorter than its 8 KiB base region");
	if (igdpt_bytes_differ(host, (const uint8_t *)IGDPT_OPREGION_SIGNATURE,
			       IGDPT_OPREGION_SIGN_SIZE))
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_OPREGION_SIGN_OFFSET,
				       "OpRegion signature is not \"IntelGraphicsMem\"");
	ret = find_extended_vbt(host, host_len, ext_vbt, ext_len, &ext, &ext_size, diag);
	if (ret < 0)
		return ret;

	rvds = 0;
	if (ext) {
		ret = igdpt_vbt_parse(ext, ext_size, &vbt, &local);
		/* Offsets into a VBT found in the dump are reported from the
		 * OpRegion base; into a separate one, from its start. */
		if (ret < 0)
			return igdpt_diag_fail(diag, ret,
					       local.offset + (ext == ext_vbt ? 0 : (size_t)(ext - host)),
					       local.reason);
		/* The VBT's own bytes only: what follows vbt_size in a
		 * file or a host window is not part of it. */
		rvds = align_up(vbt.vbt_size, IGDPT_OPREGION_RVDS_ALIGN);
	}
	total = IGDPT_OPREGION_BASE_SIZE + rvds;
	if (out_cap < total) {
		*out_len = total;
		return igdpt_diag_fail(diag, -IGDPT_ENOSPC, 0, "output buffer too small");
	}

	igdpt_bytes_copy(out, host, IGDPT_OPREGION_BASE_SIZE);
	if (ext) {
		igdpt_bytes_copy(out + IGDPT_OPREGION_EXT_VBT_OFFSET, ext, vbt.vbt_size);
		igdpt_bytes_fill(out + IGDPT_OPREGION_EXT_VBT_OFFSET + vbt.vbt_size, 0,
				 rvds - vbt.vbt_size);
		if (out[IGDPT_OPREGION_OVER_MAJOR_OFFSET] == 2 &&
		    out[IGDPT_OPREGION_OVER_MINOR_OFFSET] == 0)
			out[IGDPT_OPREGION_OVER_MINOR_OFFSET] = 1;
		igdpt_put_le64(out + IGDPT_MBOX3_RVDA_OFFSET, IGDPT_OPREGION_EXT_VBT_OFFSET);
		igdpt_put_le32(out + IGDPT_MBOX3_RVDS_OFFSET, (uint32_t)rvds);
	}

	ret = igdpt_opregion_parse(out, total, &check, &local);
	if (ret < 0) {
		igdpt_bytes_fill(out, 0, total);
		return igdpt_diag_fail(diag, ret, local.offset, local.reason);
	}
	*out_len = total;
	if (diag) {
		diag->reason = 0;
		diag->offset = 0;
		diag->warnings |= local.warnings;
	}
	return 0;
}
