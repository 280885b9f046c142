/* SPDX-License-Identifier: MIT */
/* Diagnostics, the one error report of the whole API: what is wrong, at
 * which byte, and which known firmware quirks were tolerated. Caller-owned
 * and freestanding-safe: the core only ever stores static strings; hosted
 * functions (files, the host side) can format a longer message into a
 * buffer the caller lends (docs/library.md, "Errors"). */
#ifndef IGDPT_DIAG_H
#define IGDPT_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"

IGDPT_BEGIN_DECLS

/* Quirks of real firmware that igdpt accepts and reports (README.md, the
 * warning table). */
enum igdpt_warning {
	/* Byte sum of the vbt_size bytes is not 0 mod 256; nobody checks it. */
	IGDPT_WARN_VBT_CHECKSUM = 1u << 0,
	/* The last block ends one byte past bdb_size (BDB >= 200 firmware). */
	IGDPT_WARN_BDB_SIZE_SHORT = 1u << 1,
	/* Non-zero bytes after vbt_size in the buffer or VBT window. */
	IGDPT_WARN_TRAILING_DATA = 1u << 2,
	/* Zero padding inside the BDB after the last block. */
	IGDPT_WARN_BDB_TAIL = 1u << 3,
	/* OpRegion SIZE field is not 8 (KiB); i915 ignores it. */
	IGDPT_WARN_OPREGION_SIZE_FIELD = 1u << 4,
	/* Reserved header bytes 0x84..0xFF are not zero. */
	IGDPT_WARN_RESERVED_NONZERO = 1u << 5,
	/* MBOX bit 3 (VBT) clear although mailbox 4 holds a VBT. */
	IGDPT_WARN_MBOX_VBT_BIT = 1u << 6,
	/* Version 3.x with the SWSCI mailbox bit: i915 logs an error, ignores it. */
	IGDPT_WARN_SWSCI_ON_V3 = 1u << 7,
	/* General definitions child device size differs from the BDB table. */
	IGDPT_WARN_CHILD_DEV_SIZE = 1u << 8,
	/* VBT runs past the 6 KiB mailbox 4 into mailbox 5, which i915 accepts
	 * only when MBOX bit 4 (mailbox 5) is clear. */
	IGDPT_WARN_VBT_SPILLS_MBOX5 = 1u << 9,
	/* A legacy image of a video BIOS does not sum to 0; i915 reads the
	 * VBT anyway, and a ROM shadowed at 0xC0000 often fails it. */
	IGDPT_WARN_ROM_CHECKSUM = 1u << 10,
	/* An OpRegion without a VBT: mailbox 4 all zero and no RVDA. i915
	 * then looks in the IGD's PCI ROM and, finding none there, runs on a
	 * default VBT of its own: the guest gets no board description. */
	IGDPT_WARN_NO_VBT = 1u << 11,
	/* Bytes past the OpRegion's end (the 8 KiB base, or RVDA + RVDS with
	 * an extended VBT): no guest driver reads them, so igdpt neither
	 * publishes nor writes them (igdpt_opregion_extent()). */
	IGDPT_WARN_OPREGION_TRAILING = 1u << 12,
};
#define IGDPT_WARNING_COUNT 13u

struct igdpt_diag {
	/* What is wrong, NULL when nothing is: a static string, or `message`
	 * when a hosted function formatted its report there. */
	const char *reason;
	size_t offset;      /* byte offset of the problem in the input */
	uint32_t warnings;  /* enum igdpt_warning bits */
	/* Optional, caller-owned: where hosted functions write a message that
	 * names the file, the path or the errno text ("what, where, why").
	 * NULL/0: they set a static reason instead. The core never writes it. */
	char *message;
	size_t message_size;
};

/* Initializers (C and C++): a diag without and with a message buffer.
 *   char msg[512];
 *   struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(msg);   (msg is an array) */
#define IGDPT_DIAG_INIT { 0, 0, 0, 0, 0 }
#define IGDPT_DIAG_BUFFER(buf, size) { 0, 0, 0, (buf), (size) }
#define IGDPT_DIAG_MESSAGE(array) IGDPT_DIAG_BUFFER((array), sizeof(array))

/* Short stable name of one warning bit ("vbt-checksum"), NULL if unknown. */
const char *igdpt_warning_name(uint32_t bit);
/* One-line explanation of one warning bit, NULL if unknown. */
const char *igdpt_warning_text(uint32_t bit);

/* The names of the warning bits, comma separated ("vbt-checksum,
 * bdb-size-short"), NUL-terminated and cut to size (size may be 0). Returns
 * the length of the whole list, like snprintf. */
size_t igdpt_warning_list(uint32_t warnings, char *buf, size_t size);

/* Records a failure; returns -EINVAL-like code passed in, for tail calls. */
int igdpt_diag_fail(struct igdpt_diag *diag, int err, size_t offset, const char *reason);

IGDPT_END_DECLS

#endif
