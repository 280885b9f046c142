/* SPDX-License-Identifier: MIT */
/* The field table reader every section decoder uses: each field read only
 * when all its bytes are present and it exists in the BDB version. */
#include "decode_internal.h"
#include "igdpt/core/bytes.h"

/* Hex digits the dialect gives a value of `bits` bits (docs/json.md): the
 * width of the register it sits in, 8, 16, 32 or 64 bits. */
static unsigned hex_bytes(unsigned bits)
{
	return bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 8;
}

uint64_t dec_read(const uint8_t *p, unsigned size)
{
	switch (size) {
	case 1:
		return p[0];
	case 2:
		return igdpt_le16(p);
	case 4:
		return igdpt_le32(p);
	case 8:
		return igdpt_le64(p);
	default:
		return 0;
	}
}

static void field_value(struct dec *d, dec_node *parent, const char *name,
			const struct dec_field *f, const uint8_t *p, unsigned version)
{
	unsigned bits = f->width ? f->width : 8u * f->size;
	uint64_t v;

	switch (f->fmt) {
	case DEC_STR:
		dec_str(d, parent, name, p, f->size);
		return;
	case DEC_BYTES:
		dec_bytes(d, parent, name, p, f->size);
		return;
	default:
		break;
	}
	v = dec_read(p, f->size);
	if (f->width)
		v = (v >> f->shift) & ((1ull << f->width) - 1);
	switch (f->fmt) {
	case DEC_HEX:
		dec_hex(d, parent, name, v, hex_bytes(bits));
		break;
	case DEC_BOOL:
		dec_bool(d, parent, name, v != 0);
		break;
	case DEC_ENUM:
		/* Like intel_vbt_decode: as many hex digits as the field has. */
		dec_enum(d, parent, name, v, (bits + 3) / 4, f->names(v, version));
		break;
	default:
		dec_uint(d, parent, name, v);
		break;
	}
}

unsigned dec_fields(struct dec *d, dec_node *obj, const uint8_t *p, size_t len,
		    const struct dec_field *table, size_t n, unsigned version)
{
	unsigned added = 0;

	for (size_t i = 0; i < n; i++) {
		const struct dec_field *f = &table[i];

		if (version < f->min_version || (f->max_version && version > f->max_version))
			continue;
		if (f->offset >= len || len - f->offset < f->size)
			continue;
		if (f->count) {
			dec_node *arr = dec_list(d, obj, f->name);

			for (unsigned k = 0; k < f->count; k++) {
				size_t at = f->offset + (size_t)k * f->size;

				if (at + f->size > len)
					break;
				field_value(d, arr, NULL, f, p + at, version);
			}
		} else {
			field_value(d, obj, f->name, f, p + f->offset, version);
		}
		added++;
	}
	return added;
}

void dec_struct_array(struct dec *d, dec_node *parent, const char *name, const uint8_t *p,
		      size_t len, size_t base, size_t stride, unsigned count, int only,
		      const char *index_key, const struct dec_field *table, size_t n,
		      unsigned version)
{
	dec_node *arr = dec_list(d, parent, name);

	for (unsigned i = 0; i < count && stride; i++) {
		size_t at = base + (size_t)i * stride;
		dec_node *elem;

		if (only >= 0 && i != (unsigned)only)
			continue;
		if (at >= len)
			break;
		elem = dec_group(d, arr, NULL);
		if (index_key)
			dec_uint(d, elem, index_key, i);
		/* An element is cut at its stride and at the end of the data. */
		dec_fields(d, elem, p + at, len - at < stride ? len - at : stride, table, n, version);
	}
}
