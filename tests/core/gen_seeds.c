/* SPDX-License-Identifier: MIT */
/* Writes the synthetic base inputs of the fuzz seed corpus (no vendor bytes):
 * VBTs and OpRegions from tests/lib/fixture.c, and relocation inputs in
 * fuzz_relocate.c's split format. tests/core/catalogue.py seeds adds
 * the malformed variants. Usage: gen-seeds DIR */
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/file.h"

#define SPLIT_MAGIC "IGDPTSPL"

static uint8_t small[4096], large[16384], img[32768], split[65536];
static size_t small_len, large_len;
static const char *dir;

static int save(const char *name, const uint8_t *data, size_t len)
{
	char path[4096], err[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (len == 0 || igdpt_file_write(path, data, len,
					 &(struct igdpt_diag)IGDPT_DIAG_MESSAGE(err)) < 0) {
		fprintf(stderr, "gen-seeds: %s: %s\n", name, len ? err : "fixture did not build");
		return -1;
	}
	return 0;
}

static int save_vbt(const char *name, const struct fx_vbt *v)
{
	uint8_t buf[16384];

	return save(name, buf, fx_vbt_build(v, buf, sizeof(buf)));
}

static size_t opregion(uint8_t major, uint8_t minor, const uint8_t *mbox4, size_t mbox4_len,
		       uint64_t rvda, bool ext_in_dump)
{
	struct fx_opregion o;

	fx_opregion_defaults(&o);
	o.major = major;
	o.minor = minor;
	o.mbox4 = mbox4;
	o.mbox4_len = mbox4_len;
	if (rvda) {
		o.rvda = rvda;
		o.rvds = (uint32_t)fx_align(large_len, IGDPT_OPREGION_RVDS_ALIGN);
	}
	if (ext_in_dump) {
		o.ext = large;
		o.ext_len = large_len;
		o.ext_at = (size_t)rvda;
		o.len = (size_t)rvda + o.rvds;
	}
	return fx_opregion_build(&o, img, sizeof(img));
}

/* "IGDPTSPL", u32 host length, host, extended VBT. */
static int save_split(const char *name, size_t host_len, const uint8_t *ext, size_t ext_len)
{
	size_t hdr = sizeof(SPLIT_MAGIC) - 1 + 4;

	if (hdr + host_len + ext_len > sizeof(split))
		return -1;
	memcpy(split, SPLIT_MAGIC, sizeof(SPLIT_MAGIC) - 1);
	igdpt_put_le32(split + sizeof(SPLIT_MAGIC) - 1, (uint32_t)host_len);
	memcpy(split + hdr, img, host_len);
	if (ext_len)
		memcpy(split + hdr + host_len, ext, ext_len);
	return save(name, split, hdr + host_len + ext_len);
}

int main(int argc, char **argv)
{
	struct fx_vbt v;
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: gen-seeds DIR\n");
		return 2;
	}
	dir = argv[1];

	fx_vbt_defaults(&v);
	small_len = fx_vbt_build(&v, small, sizeof(small));
	bad |= save("vbt-small.bin", small, small_len);
	fx_vbt_defaults_large(&v);
	large_len = fx_vbt_build(&v, large, sizeof(large));
	bad |= save("vbt-large.bin", large, large_len);

	fx_vbt_defaults(&v);
	v.bdb_version = 250;
	v.bdb_size_short = true;
	bad |= save_vbt("vbt-quirk.bin", &v);
	v.mipi_v3 = true;
	v.mipi_v3_len = 120;
	bad |= save_vbt("vbt-mipi3.bin", &v);

	fx_vbt_defaults(&v);
	v.bdb_version = 150;
	v.child_dev_size = 33;
	v.fix_checksum = false;
	v.bdb_size_delta = 16;
	v.vbt_size_delta = 16;
	v.pad_to = 1024;
	v.pad_byte = 0x90;
	bad |= save_vbt("vbt-tail-junk.bin", &v);

	bad |= save("opregion-empty.bin", img, opregion(2, 0, NULL, 0, 0, false));
	bad |= save("opregion-mbox4.bin", img, opregion(2, 0, small, small_len, 0, false));
	bad |= save("opregion-rvda21.bin", img,
		    opregion(2, 1, NULL, 0, IGDPT_OPREGION_EXT_VBT_OFFSET, true));
	bad |= save("opregion-rvda30.bin", img,
		    opregion(3, 0, NULL, 0, IGDPT_OPREGION_EXT_VBT_OFFSET + 0x200, true));
	{
		size_t len = opregion(2, 0, large, large_len, 0, false);

		/* The 7 KiB window i915 allows without mailbox 5. */
		igdpt_put_le32(img + IGDPT_OPREGION_MBOX_OFFSET,
			       igdpt_le32(img + IGDPT_OPREGION_MBOX_OFFSET) & ~IGDPT_MBOX_ASLE_EXT);
		bad |= save("opregion-mbox4-spill.bin", img, len);
	}

	bad |= save_split("relocate-20-absolute.bin",
			  opregion(2, 0, small, small_len, FX_HOST_PHYS_ADDR, false), large,
			  large_len);
	bad |= save_split("relocate-21-separate.bin",
			  opregion(2, 1, NULL, 0, IGDPT_OPREGION_EXT_VBT_OFFSET, false), large,
			  large_len);
	bad |= save_split("relocate-30-in-dump.bin",
			  opregion(3, 0, NULL, 0, IGDPT_OPREGION_EXT_VBT_OFFSET, true), NULL, 0);
	bad |= save_split("relocate-10-none.bin", opregion(1, 0, small, small_len, 0, false),
			  NULL, 0);
	return bad ? 1 : 0;
}
