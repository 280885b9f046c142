/* SPDX-License-Identifier: MIT */
/* Names and explanations of the firmware quirks igdpt tolerates. */
#include "igdpt/core/diag.h"

static const struct {
	const char *name;
	const char *text;
} warnings_table[IGDPT_WARNING_COUNT] = {
	{ "vbt-checksum", "VBT checksum does not add up (no driver checks it)" },
	{ "bdb-size-short", "last block ends one byte past bdb_size (firmware quirk from BDB 200)" },
	{ "trailing-data", "non-zero bytes after vbt_size" },
	{ "bdb-tail", "zero padding after the last block" },
	{ "opregion-size-field", "OpRegion SIZE field is not 8 KiB (i915 ignores it)" },
	{ "reserved-nonzero", "reserved OpRegion header bytes are not zero" },
	{ "mbox-vbt-bit", "MBOX bit 3 (VBT) is clear although mailbox 4 holds a VBT" },
	{ "swsci-on-v3", "SWSCI mailbox announced on OpRegion 3.x (i915 logs an *ERROR* and "
			 "does not use it; igdpt clears the bit for guests)" },
	{ "child-dev-size", "child device size differs from the one for this BDB version" },
	{ "vbt-spills-mbox5", "VBT runs past the 6 KiB mailbox 4 into mailbox 5" },
	{ "rom-checksum", "a legacy ROM image's checksum does not add up (i915 does not check it)" },
	{ "no-vbt", "no VBT in the OpRegion (mailbox 4 empty, no RVDA): i915 looks next in the "
		    "IGD's PCI ROM, then runs on a default VBT" },
	{ "opregion-trailing", "bytes after the OpRegion's end (8 KiB, or RVDA + RVDS): no guest "
			       "reads them; igdpt does not publish them" },
};

static int bit_index(uint32_t bit)
{
	for (unsigned i = 0; i < IGDPT_WARNING_COUNT; i++)
		if (bit == (1u << i))
			return (int)i;
	return -1;
}

const char *igdpt_warning_name(uint32_t bit)
{
	int i = bit_index(bit);

	return i < 0 ? 0 : warnings_table[i].name;
}

const char *igdpt_warning_text(uint32_t bit)
{
	int i = bit_index(bit);

	return i < 0 ? 0 : warnings_table[i].text;
}

size_t igdpt_warning_list(uint32_t warnings, char *buf, size_t size)
{
	size_t len = 0;

	for (unsigned i = 0; i < IGDPT_WARNING_COUNT; i++) {
		const char *name = warnings & (1u << i) ? warnings_table[i].name : 0;

		if (!name)
			continue;
		for (const char *s = len ? ", " : ""; *s; s++, len++)
			if (len + 1 < size)
				buf[len] = *s;
		for (; *name; name++, len++)
			if (len + 1 < size)
				buf[len] = *name;
	}
	if (size)
		buf[len < size ? len : size - 1] = '\0';
	return len;
}

int igdpt_diag_fail(struct igdpt_diag *diag, int err, size_t offset, const char *reason)
{
	if (diag) {
		diag->reason = reason;
		diag->offset = offset;
	}
	return err;
}
