/* SPDX-License-Identifier: MIT */
/* Names what a guest driver wrote into its OpRegion copy: the published
 * image and the guest copy at exit, compared field by field.
 *
 * Why: a real i915 writes back into the OpRegion after setup (ACPI DRDY,
 * CHPD, the DIDL display list, ASLE ARDY and TCHE), so "the guest copy
 * differs at exit" is expected; naming the fields turns that into evidence
 * that the driver used the OpRegion, and any write outside the mailbox
 * fields a driver owns (header, VBT) stands out. */
#include "opregion_writes.h"

#include <stdbool.h>
#include <stdio.h>

#include "event_log.h"
#include "igdpt/abi/events.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/core/bytes.h"

struct field {
	const char *name;
	uint32_t offset;
	uint32_t size;
};

/* The fields of mailboxes 1 and 3 a driver writes (OpRegion spec; the
 * offsets are include/igdpt/abi/opregion.h's). */
static const struct field fields[] = {
	{ "ACPI.DRDY", IGDPT_MBOX1_DRDY_OFFSET, 4 },
	{ "ACPI.CSTS", IGDPT_MBOX1_CSTS_OFFSET, 4 },
	{ "ACPI.CEVT", IGDPT_MBOX1_CEVT_OFFSET, 4 },
	{ "ACPI.DIDL", IGDPT_MBOX1_DIDL_OFFSET, 4 * IGDPT_MBOX1_DISPLAY_LIST_COUNT },
	{ "ACPI.CPDL", IGDPT_MBOX1_CPDL_OFFSET, 4 * IGDPT_MBOX1_DISPLAY_LIST_COUNT },
	{ "ACPI.CADL", IGDPT_MBOX1_CADL_OFFSET, 4 * IGDPT_MBOX1_DISPLAY_LIST_COUNT },
	{ "ACPI.NADL", IGDPT_MBOX1_NADL_OFFSET, 4 * IGDPT_MBOX1_DISPLAY_LIST_COUNT },
	{ "ACPI.ASLP", IGDPT_MBOX1_ASLP_OFFSET, 4 },
	{ "ACPI.TIDX", IGDPT_MBOX1_TIDX_OFFSET, 4 },
	{ "ACPI.CHPD", IGDPT_MBOX1_CHPD_OFFSET, 4 },
	{ "ACPI.CLID", IGDPT_MBOX1_CLID_OFFSET, 4 },
	{ "ACPI.CDCK", IGDPT_MBOX1_CDCK_OFFSET, 4 },
	{ "ACPI.SXSW", IGDPT_MBOX1_SXSW_OFFSET, 4 },
	{ "ACPI.EVTS", IGDPT_MBOX1_EVTS_OFFSET, 4 },
	{ "ACPI.CNOT", IGDPT_MBOX1_CNOT_OFFSET, 4 },
	{ "ACPI.NRDY", IGDPT_MBOX1_NRDY_OFFSET, 4 },
	{ "ACPI.DID2", IGDPT_MBOX1_DID2_OFFSET, 4 * IGDPT_MBOX1_DISPLAY_LIST2_COUNT },
	{ "ACPI.CPD2", IGDPT_MBOX1_CPD2_OFFSET, 4 * IGDPT_MBOX1_DISPLAY_LIST2_COUNT },
	{ "SWSCI.SCIC", IGDPT_MBOX2_SCIC_OFFSET, 4 },
	{ "SWSCI.PARM", IGDPT_MBOX2_PARM_OFFSET, 4 },
	{ "SWSCI.DSLP", IGDPT_MBOX2_DSLP_OFFSET, 4 },
	{ "ASLE.ARDY", IGDPT_MBOX3_ARDY_OFFSET, 4 },
	{ "ASLE.ASLC", IGDPT_MBOX3_ASLC_OFFSET, 4 },
	{ "ASLE.TCHE", IGDPT_MBOX3_TCHE_OFFSET, 4 },
	{ "ASLE.ALSI", IGDPT_MBOX3_ALSI_OFFSET, 4 },
	{ "ASLE.BCLP", IGDPT_MBOX3_BCLP_OFFSET, 4 },
	{ "ASLE.PFIT", IGDPT_MBOX3_PFIT_OFFSET, 4 },
	{ "ASLE.CBLV", IGDPT_MBOX3_CBLV_OFFSET, 4 },
	{ "ASLE.BCLM", IGDPT_MBOX3_BCLM_OFFSET, 2 * IGDPT_MBOX3_BCLM_COUNT },
	{ "ASLE.CPFM", IGDPT_MBOX3_CPFM_OFFSET, 4 },
	{ "ASLE.EPFM", IGDPT_MBOX3_EPFM_OFFSET, 4 },
	{ "ASLE.PFMB", IGDPT_MBOX3_PFMB_OFFSET, 4 },
	{ "ASLE.CCDV", IGDPT_MBOX3_CCDV_OFFSET, 4 },
	{ "ASLE.PCFT", IGDPT_MBOX3_PCFT_OFFSET, 4 },
	{ "ASLE.SROT", IGDPT_MBOX3_SROT_OFFSET, 4 },
	{ "ASLE.IUER", IGDPT_MBOX3_IUER_OFFSET, 4 },
};

#define FIELD_COUNT (sizeof(fields) / sizeof(fields[0]))
/* Values wider than this are reported as "changed" with their first dword. */
#define SCALAR_MAX 4u

static bool range_differs(const uint8_t *a, const uint8_t *b, size_t off, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[off + i] != b[off + i])
			return true;
	return false;
}

static void add_field(struct json_object *list, const char *name, size_t off, size_t n,
		      const uint8_t *published, const uint8_t *guest)
{
	struct json_object *o = json_object_new_object();

	igdpt_event_add_str(o, IGDPT_EV_FIELD, name);
	igdpt_event_add_hex(o, IGDPT_EV_OFFSET, off);
	if (n <= SCALAR_MAX) {
		uint32_t p = 0, g = 0;

		for (size_t i = 0; i < n; i++) {
			p |= (uint32_t)published[off + i] << (8 * i);
			g |= (uint32_t)guest[off + i] << (8 * i);
		}
		igdpt_event_add_hex(o, IGDPT_EV_PUBLISHED, p);
		igdpt_event_add_hex(o, IGDPT_EV_GUEST, g);
	} else {
		/* Lists (DIDL, CPDL...): the guest's non-zero entries. */
		struct json_object *entries = json_object_new_array();
		char buf[16];

		for (size_t i = 0; i + 4 <= n; i += 4) {
			uint32_t v = igdpt_le32(guest + off + i);

			if (!v)
				continue;
			snprintf(buf, sizeof(buf), "0x%x", v);
			json_object_array_add(entries, json_object_new_string(buf));
		}
		json_object_object_add(o, IGDPT_EV_GUEST, entries);
	}
	json_object_array_add(list, o);
}

struct json_object *igdpt_opregion_writes_json(const uint8_t *published, const uint8_t *guest,
					       size_t len, unsigned *unnamed)
{
	struct json_object *list = json_object_new_array();
	size_t start = len;

	*unnamed = 0;
	for (size_t i = 0; i < FIELD_COUNT; i++) {
		const struct field *f = &fields[i];

		if (f->offset + f->size <= len &&
		    range_differs(published, guest, f->offset, f->size))
			add_field(list, f->name, f->offset, f->size, published, guest);
	}
	/* Everything else that changed, as byte ranges: nobody should write there. */
	for (size_t off = 0; off <= len; off++) {
		bool named = false, diff = off < len && published[off] != guest[off];

		for (size_t i = 0; diff && !named && i < FIELD_COUNT; i++)
			named = off >= fields[i].offset && off < fields[i].offset + fields[i].size;
		if (diff && !named) {
			if (start == len)
				start = off;
			continue;
		}
		if (start != len) {
			struct json_object *o = json_object_new_object();

			igdpt_event_add_str(o, IGDPT_EV_FIELD, IGDPT_EV_FIELD_UNNAMED);
			igdpt_event_add_hex(o, IGDPT_EV_OFFSET, start);
			igdpt_event_add_int(o, IGDPT_EV_SIZE, (int64_t)(off - start));
			json_object_array_add(list, o);
			(*unnamed)++;
			start = len;
		}
	}
	return list;
}
