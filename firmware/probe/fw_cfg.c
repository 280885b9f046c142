/* SPDX-License-Identifier: MIT */
/* fw_cfg: select a key (16-bit write to 0x510), then read its bytes one at a
 * time from 0x511. The file directory (key 0x19) is a big-endian u32 count
 * followed by 64-byte entries {be32 size, be16 select, u16 reserved,
 * char name[56]} (QEMU docs/specs/fw_cfg.rst). */
#include "fw_cfg.h"

#include "igdpt/abi/guest.h"
#include "igdpt/bytes.h"
#include "io.h"

#define FW_CFG_SIGNATURE "QEMU"
#define FW_CFG_SIGNATURE_SIZE 4u
#define FW_CFG_DIR_COUNT_SIZE 4u
#define FW_CFG_ENTRY_SIZE_OFFSET 0u
#define FW_CFG_ENTRY_SELECT_OFFSET 4u
#define FW_CFG_ENTRY_NAME_OFFSET 8u
#define FW_CFG_ENTRY_SIZE (FW_CFG_ENTRY_NAME_OFFSET + IGDPT_FW_CFG_FILE_NAME_SIZE)
/* More entries than any QEMU publishes: a bound against garbage. */
#define FW_CFG_MAX_FILES 4096u

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static void read_bytes(uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = probe_inb(IGDPT_FW_CFG_PORT_DATA);
}

void fw_cfg_read(uint16_t key, uint8_t *buf, size_t len)
{
	probe_outw(IGDPT_FW_CFG_PORT_SELECTOR, key);
	read_bytes(buf, len);
}

bool fw_cfg_present(void)
{
	uint8_t sig[FW_CFG_SIGNATURE_SIZE];

	fw_cfg_read(IGDPT_FW_CFG_SIGNATURE_KEY, sig, sizeof(sig));
	return !igdpt_bytes_differ(sig, (const uint8_t *)FW_CFG_SIGNATURE, sizeof(sig));
}

static bool name_equal(const uint8_t *entry_name, const char *name)
{
	size_t i;

	for (i = 0; i < IGDPT_FW_CFG_FILE_NAME_SIZE && name[i]; i++)
		if (entry_name[i] != (uint8_t)name[i])
			return false;
	return i < IGDPT_FW_CFG_FILE_NAME_SIZE && entry_name[i] == 0;
}

bool fw_cfg_find(const char *name, uint16_t *key, uint32_t *size)
{
	uint8_t count_be[FW_CFG_DIR_COUNT_SIZE];
	uint8_t entry[FW_CFG_ENTRY_SIZE];
	uint32_t count;

	fw_cfg_read(IGDPT_FW_CFG_FILE_DIR_KEY, count_be, sizeof(count_be));
	count = be32(count_be);
	if (count > FW_CFG_MAX_FILES)
		return false;
	for (uint32_t i = 0; i < count; i++) {
		read_bytes(entry, sizeof(entry));
		if (name_equal(entry + FW_CFG_ENTRY_NAME_OFFSET, name)) {
			*size = be32(entry + FW_CFG_ENTRY_SIZE_OFFSET);
			*key = be16(entry + FW_CFG_ENTRY_SELECT_OFFSET);
			return true;
		}
	}
	return false;
}
