/* SPDX-License-Identifier: MIT */
/* Writes the synthetic base inputs of the fuzz seed corpus (no vendor bytes):
 * VBTs and OpRegions from tests/lib/fixture.c, relocation inputs in
 * fuzz_relocate.c's split format, and PE files and PCI option ROMs from
 * tests/lib/fixture_rom.c. tests/core/catalogue.py seeds adds the
 * malformed variants. Usage: gen-seeds DIR */
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "fixture_rom.h"
#include "igdpt/abi/pci_rom.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/file.h"

#define SPLIT_MAGIC "IGDPTSPL"

static uint8_t small[4096], large[16384], img[32768], split[65536], pe[4096], rom[16384];
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

/* A video BIOS with the small VBT, then EFI images: a PE file with a
 * device list, and one marked compressed (so its PE is not read). */
static int save_roms(void)
{
	static const uint16_t ids[] = { 0x5916, 0x9a49, 0x46a6 };
	struct fx_rom_image vbios, efi;
	struct fx_pe p;
	size_t pe_len, n;
	int bad = 0;

	fx_pe_defaults(&p);
	pe_len = fx_pe_build(&p, pe, sizeof(pe));
	bad |= save("pe-driver.bin", pe, pe_len);

	fx_rom_image_defaults(&vbios);
	vbios.payload = small;
	vbios.payload_len = small_len;
	vbios.length = fx_align(FX_ROM_PAYLOAD_AT + small_len + 1, IGDPT_ROM_BLOCK_SIZE);
	bad |= save("rom-vbios.bin", rom, fx_rom_image_build(&vbios, rom, sizeof(rom)));

	fx_rom_image_defaults(&efi);
	efi.code_type = IGDPT_ROM_CODE_EFI;
	efi.payload = pe;
	efi.payload_len = pe_len;
	efi.device_list = ids;
	efi.device_count = sizeof(ids) / sizeof(ids[0]);
	n = fx_rom_image_build(&efi, img, sizeof(img));
	bad |= save("rom-efi.bin", img, n);
	/* One fault each; the catalogue makes the video BIOS variants. */
	img[IGDPT_ROM_EFI_SIGNATURE_OFFSET] ^= 1;
	bad |= save("rom-efi-bad-signature.bin", img, n);
	img[IGDPT_ROM_EFI_SIGNATURE_OFFSET] ^= 1;
	igdpt_put_le16(img + IGDPT_ROM_EFI_INIT_SIZE_OFFSET, (uint16_t)(n / IGDPT_ROM_BLOCK_SIZE + 1));
	bad |= save("rom-efi-init-size-past.bin", img, n);
	igdpt_put_le16(img + IGDPT_ROM_EFI_INIT_SIZE_OFFSET, (uint16_t)(n / IGDPT_ROM_BLOCK_SIZE));
	igdpt_put_le16(img + IGDPT_ROM_EFI_IMAGE_OFFSET_OFFSET, (uint16_t)n);
	bad |= save("rom-efi-image-offset-outside.bin", img, n);

	/* The chain: video BIOS, EFI image with a device list, EFI image
	 * marked compressed (its PE is then not read). */
	vbios.last = false;
	efi.last = false;
	n = fx_rom_image_build(&vbios, rom, sizeof(rom));
	n += fx_rom_image_build(&efi, rom + n, sizeof(rom) - n);
	efi.last = true;
	efi.device_list = NULL;
	n += fx_rom_image_build(&efi, rom + n, sizeof(rom) - n);
	igdpt_put_le16(rom + n - efi.length + IGDPT_ROM_EFI_COMPRESSION_OFFSET,
		       IGDPT_ROM_EFI_COMPRESSED);
	bad |= save("rom-chain.bin", rom, n);
	rom[n - efi.length + FX_ROM_PCIR_AT + IGDPT_PCIR_INDICATOR_OFFSET] = 0;
	bad |= save("rom-chain-no-last.bin", rom, n);
	igdpt_put_le16(rom + FX_ROM_PCIR_AT + IGDPT_PCIR_IMAGE_LENGTH_OFFSET, 0);
	bad |= save("rom-chain-zero-length.bin", rom, n);
	return bad;
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
	bad |= save_roms();
	return bad ? 1 : 0;
}
