/* SPDX-License-Identifier: MIT */
/* Builds synthetic VBTs and OpRegions from a description (see fixture.h). */
#include "fixture.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igdpt/abi/opregion.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/core/bytes.h"
#include "igdpt/file.h"

/* Block 58 (generic DTD) is what makes real Tiger Lake+ VBTs exceed 6 KiB. */
#define FX_LARGE_BLOCK_SIZE 6200u
/* Version byte written into a MIPI sequence block given in the block list:
 * below 3, so the u16 size stays authoritative. */
#define FX_MIPI_SEQ_V1 1u

static const struct fx_block default_blocks[] = {
	{ IGDPT_BDB_SKIP, 8 },
	{ IGDPT_BDB_GENERAL_FEATURES, 10 },
	{ IGDPT_BDB_GENERAL_DEFINITIONS, 5 + 2 * 39 },
	{ IGDPT_BDB_DRIVER_FEATURES, 20 },
	{ IGDPT_BDB_EDP, 100 },
	{ IGDPT_BDB_LFP_OPTIONS, 12 },
	{ IGDPT_BDB_LFP_DATA, 300 },
};

size_t fx_align(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

long fx_find(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t needle_len)
{
	if (needle_len == 0 || needle_len > hay_len)
		return -1;
	for (size_t i = 0; i + needle_len <= hay_len; i++)
		if (!memcmp(hay + i, needle, needle_len))
			return (long)i;
	return -1;
}

uint8_t fx_payload_byte(uint8_t id, size_t i)
{
	return (uint8_t)((id * 31u + i * 7u) % 251u + 1u);
}

void fx_vbt_defaults(struct fx_vbt *v)
{
	memset(v, 0, sizeof(*v));
	memcpy(v->signature, "$VBT IGDPT-FIXTURE  ", IGDPT_VBT_SIGNATURE_SIZE);
	v->version = 100;
	v->header_size = IGDPT_VBT_HEADER_SIZE;
	v->bdb_offset = IGDPT_VBT_HEADER_SIZE;
	v->bdb_version = 228;
	v->bdb_header_size = IGDPT_BDB_HEADER_SIZE;
	memcpy(v->blocks, default_blocks, sizeof(default_blocks));
	v->block_count = sizeof(default_blocks) / sizeof(default_blocks[0]);
	v->child_dev_size = 39;
	v->fix_checksum = true;
}

void fx_vbt_defaults_large(struct fx_vbt *v)
{
	fx_vbt_defaults(v);
	v->bdb_version = 250;
	v->bdb_size_short = true;
	v->blocks[v->block_count].id = IGDPT_BDB_GENERIC_DTD;
	v->blocks[v->block_count].size = FX_LARGE_BLOCK_SIZE;
	v->block_count++;
}

size_t fx_vbt_block_offset(const struct fx_vbt *v, unsigned i)
{
	size_t pos = v->bdb_offset + v->bdb_header_size;

	for (unsigned k = 0; k < i && k < v->block_count; k++)
		pos += IGDPT_BDB_BLOCK_HEADER_SIZE + v->blocks[k].size;
	return pos;
}

size_t fx_vbt_chain_size(const struct fx_vbt *v)
{
	size_t end = fx_vbt_block_offset(v, v->block_count);

	if (v->mipi_v3)
		end += IGDPT_BDB_BLOCK_HEADER_SIZE + IGDPT_MIPI_SEQ_V3_SUBHEADER_SIZE +
		       v->mipi_v3_len;
	return end - v->bdb_offset;
}

static void write_payload(uint8_t *p, uint8_t id, size_t size, uint8_t child_dev_size)
{
	for (size_t i = 0; i < size; i++)
		p[i] = fx_payload_byte(id, i);
	if (id == IGDPT_BDB_GENERAL_DEFINITIONS && size > IGDPT_GENDEF_CHILD_DEV_SIZE_OFFSET)
		p[IGDPT_GENDEF_CHILD_DEV_SIZE_OFFSET] = child_dev_size;
	if (id == IGDPT_BDB_MIPI_SEQUENCE && size > IGDPT_MIPI_SEQ_VERSION_OFFSET)
		p[IGDPT_MIPI_SEQ_VERSION_OFFSET] = FX_MIPI_SEQ_V1;
}

size_t fx_vbt_build(const struct fx_vbt *v, uint8_t *buf, size_t cap)
{
	size_t chain = fx_vbt_chain_size(v);
	size_t written = v->bdb_offset + chain;
	long vbt_size = (long)written + v->vbt_size_delta;
	long bdb_size = (long)chain - (v->bdb_size_short ? 1 : 0) + v->bdb_size_delta;
	size_t total = written, pos;
	uint8_t sum;

	if (vbt_size < 0)
		vbt_size = 0;
	if ((size_t)vbt_size > total)
		total = (size_t)vbt_size;
	if (v->pad_to > total)
		total = v->pad_to;
	if (total > cap || v->bdb_offset < IGDPT_VBT_HEADER_SIZE ||
	    v->bdb_header_size < IGDPT_BDB_HEADER_SIZE)
		return 0;

	/* Zero through vbt_size (a BDB tail stays zero), then the padding. */
	memset(buf, 0, total);
	if (total > written && total > (size_t)vbt_size)
		memset(buf + ((size_t)vbt_size > written ? (size_t)vbt_size : written), v->pad_byte,
		       total - ((size_t)vbt_size > written ? (size_t)vbt_size : written));
	memcpy(buf + IGDPT_VBT_SIGNATURE_OFFSET, v->signature, IGDPT_VBT_SIGNATURE_SIZE);
	igdpt_put_le16(buf + IGDPT_VBT_VERSION_OFFSET, v->version);
	igdpt_put_le16(buf + IGDPT_VBT_HEADER_SIZE_OFFSET, v->header_size);
	igdpt_put_le16(buf + IGDPT_VBT_VBT_SIZE_OFFSET, (uint16_t)vbt_size);
	igdpt_put_le32(buf + IGDPT_VBT_BDB_OFFSET_OFFSET, v->bdb_offset);

	memcpy(buf + v->bdb_offset, IGDPT_BDB_SIGNATURE, IGDPT_BDB_SIGNATURE_SIZE);
	igdpt_put_le16(buf + v->bdb_offset + IGDPT_BDB_VERSION_OFFSET, v->bdb_version);
	igdpt_put_le16(buf + v->bdb_offset + IGDPT_BDB_HEADER_SIZE_OFFSET, v->bdb_header_size);
	igdpt_put_le16(buf + v->bdb_offset + IGDPT_BDB_BDB_SIZE_OFFSET,
		       (uint16_t)(bdb_size < 0 ? 0 : bdb_size));

	pos = v->bdb_offset + v->bdb_header_size;
	for (unsigned i = 0; i < v->block_count; i++) {
		buf[pos + IGDPT_BDB_BLOCK_ID_OFFSET] = v->blocks[i].id;
		igdpt_put_le16(buf + pos + IGDPT_BDB_BLOCK_SIZE_OFFSET, v->blocks[i].size);
		pos += IGDPT_BDB_BLOCK_HEADER_SIZE;
		write_payload(buf + pos, v->blocks[i].id, v->blocks[i].size, v->child_dev_size);
		pos += v->blocks[i].size;
	}
	if (v->mipi_v3) {
		buf[pos + IGDPT_BDB_BLOCK_ID_OFFSET] = IGDPT_BDB_MIPI_SEQUENCE;
		igdpt_put_le16(buf + pos + IGDPT_BDB_BLOCK_SIZE_OFFSET, 0);
		pos += IGDPT_BDB_BLOCK_HEADER_SIZE;
		buf[pos + IGDPT_MIPI_SEQ_VERSION_OFFSET] = IGDPT_MIPI_SEQ_V3_VERSION;
		igdpt_put_le32(buf + pos + IGDPT_MIPI_SEQ_V3_LENGTH_OFFSET, v->mipi_v3_len);
		pos += IGDPT_MIPI_SEQ_V3_SUBHEADER_SIZE;
		for (size_t i = 0; i < v->mipi_v3_len; i++)
			buf[pos + i] = fx_payload_byte(IGDPT_BDB_MIPI_SEQUENCE, i);
	}

	/* A deliberately wrong checksum is off by one, never zero by luck. */
	buf[IGDPT_VBT_CHECKSUM_OFFSET] = 0;
	sum = igdpt_bytes_sum8(buf, (size_t)vbt_size < total ? (size_t)vbt_size : total);
	buf[IGDPT_VBT_CHECKSUM_OFFSET] = (uint8_t)(0u - sum + (v->fix_checksum ? 0u : 1u));
	return total;
}

void fx_opregion_defaults(struct fx_opregion *o)
{
	memset(o, 0, sizeof(*o));
	o->major = 2;
	o->size_kib = IGDPT_OPREGION_SIZE_KIB;
	o->mbox = IGDPT_MBOX_ACPI | IGDPT_MBOX_SWSCI | IGDPT_MBOX_ASLE | IGDPT_MBOX_VBT |
		  IGDPT_MBOX_ASLE_EXT;
}

size_t fx_opregion_build(const struct fx_opregion *o, uint8_t *buf, size_t cap)
{
	size_t len = o->len;

	if (!len) {
		len = IGDPT_OPREGION_BASE_SIZE;
		if (o->ext && o->ext_at + o->ext_len > len)
			len = o->ext_at + o->ext_len;
	}
	if (len > cap || len < IGDPT_OPREGION_BASE_SIZE ||
	    (o->mbox4 && IGDPT_MBOX4_OFFSET + o->mbox4_len > len) ||
	    (o->ext && o->ext_at + o->ext_len > len))
		return 0;

	memset(buf, 0, len);
	memcpy(buf + IGDPT_OPREGION_SIGN_OFFSET, IGDPT_OPREGION_SIGNATURE, IGDPT_OPREGION_SIGN_SIZE);
	igdpt_put_le32(buf + IGDPT_OPREGION_SIZE_OFFSET, o->size_kib);
	buf[IGDPT_OPREGION_OVER_REVISION_OFFSET] = o->revision;
	buf[IGDPT_OPREGION_OVER_MINOR_OFFSET] = o->minor;
	buf[IGDPT_OPREGION_OVER_MAJOR_OFFSET] = o->major;
	memcpy(buf + IGDPT_OPREGION_SVER_OFFSET, "igdpt fixture", sizeof("igdpt fixture") - 1);
	igdpt_put_le32(buf + IGDPT_OPREGION_MBOX_OFFSET, o->mbox);
	igdpt_put_le64(buf + IGDPT_MBOX3_RVDA_OFFSET, o->rvda);
	igdpt_put_le32(buf + IGDPT_MBOX3_RVDS_OFFSET, o->rvds);
	if (o->mbox4)
		memcpy(buf + IGDPT_MBOX4_OFFSET, o->mbox4, o->mbox4_len);
	if (o->ext)
		memcpy(buf + o->ext_at, o->ext, o->ext_len);
	return len;
}

long fx_corpus_each(const char *sub, fx_corpus_fn fn, void *ctx, char *err, size_t err_size)
{
	const char *corpus = getenv("IGDPT_CORPUS");
	char dir[4096], path[4096 + 256];
	struct dirent *de;
	long count = 0;
	DIR *d;

	if (!corpus)
		return -ENOENT;
	snprintf(dir, sizeof(dir), "%s/%s", corpus, sub);
	d = opendir(dir);
	if (!d) {
		int ret = -errno;

		snprintf(err, err_size, "%s: cannot open the directory", dir);
		return ret;
	}
	while ((de = readdir(d))) {
		uint8_t *data;
		size_t len;
		int ret;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		ret = igdpt_file_read(path, &data, &len,
				      &(struct igdpt_diag)IGDPT_DIAG_BUFFER(err, err_size));
		if (ret < 0) {
			closedir(d);
			return ret;
		}
		fn(de->d_name, data, len, ctx);
		free(data);
		count++;
	}
	closedir(d);
	return count;
}
