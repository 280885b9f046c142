/* SPDX-License-Identifier: MIT */
/* The guest probe verdict as the one-line JSON object of the probe report
 * (include/igdpt/abi/probe_report.h), in igdpt's JSON dialect (docs/json.md).
 *
 * Freestanding: the multiboot probe has no snprintf, so this brings its own
 * tiny writer (hex, decimal, escaped strings) that keeps counting past the
 * end of the caller's buffer to report the size needed.
 */
#include "igdpt/core/probe.h"

#include "igdpt/abi/guest.h"
#include "igdpt/abi/probe_report.h"
#include "igdpt/core/errno.h"

struct writer {
	char *buf;
	size_t size;
	size_t len; /* bytes produced so far, also past size */
};

static void put_char(struct writer *w, char ch)
{
	if (w->len + 1 < w->size)
		w->buf[w->len] = ch;
	w->len++;
}

static void put_str(struct writer *w, const char *s)
{
	while (*s)
		put_char(w, *s++);
}

static const char hex_digits[] = "0123456789abcdef";
#define NIBBLE_BITS 4u
#define NIBBLE_MASK 0xFu
#define JSON_FIRST_PRINTABLE 0x20u /* below: escaped as \u00XX */

/* "0x" and at least min_digits lowercase hex digits. */
static void put_hex(struct writer *w, uint64_t value, unsigned min_digits)
{
	char tmp[16];
	unsigned n = 0;

	do {
		tmp[n++] = hex_digits[value & NIBBLE_MASK];
		value >>= NIBBLE_BITS;
	} while (value && n < sizeof(tmp));
	while (n < min_digits && n < sizeof(tmp))
		tmp[n++] = '0';
	put_str(w, "0x");
	while (n)
		put_char(w, tmp[--n]);
}

/* Decimal by subtracting powers of ten: no 64-bit division, which i386
 * code would take from libgcc (__udivdi3), and the probe links without it. */
static void put_dec(struct writer *w, uint64_t value)
{
	static const uint64_t powers[] = {
		10000000000000000000ull, 1000000000000000000ull, 100000000000000000ull,
		10000000000000000ull, 1000000000000000ull, 100000000000000ull,
		10000000000000ull, 1000000000000ull, 100000000000ull, 10000000000ull,
		1000000000ull, 100000000ull, 10000000ull, 1000000ull, 100000ull, 10000ull,
		1000ull, 100ull, 10ull, 1ull,
	};
	bool started = false;

	for (size_t i = 0; i < sizeof(powers) / sizeof(powers[0]); i++) {
		char digit = '0';

		while (value >= powers[i]) {
			value -= powers[i];
			digit++;
		}
		started = started || digit != '0' || powers[i] == 1;
		if (started)
			put_char(w, digit);
	}
}

/* One character of a JSON string body: quote, backslash and control
 * characters escaped when escape is set. */
static void put_text_char(struct writer *w, char c, bool escape)
{
	unsigned char ch = (unsigned char)c;

	if (escape && (ch == '"' || ch == '\\')) {
		put_char(w, '\\');
		put_char(w, c);
	} else if (escape && ch < JSON_FIRST_PRINTABLE) {
		put_str(w, "\\u00");
		put_char(w, hex_digits[ch >> NIBBLE_BITS]);
		put_char(w, hex_digits[ch & NIBBLE_MASK]);
	} else {
		put_char(w, c);
	}
}

static void put_escaped(struct writer *w, const char *s)
{
	for (; *s; s++)
		put_text_char(w, *s, true);
}

/* The reason with its number; the same text for JSON and humans. */
static void put_reason(struct writer *w, const struct igdpt_probe_verdict *v, bool escape)
{
	const char *s = v->reason ? v->reason : "";
	bool replaced = false;

	for (; *s; s++) {
		if (v->reason_arg == IGDPT_PROBE_ARG_VALUE && !replaced && s[0] == '%' &&
		    s[1] == 'x') {
			put_hex(w, v->reason_value, 1);
			replaced = true;
			s++;
			continue;
		}
		put_text_char(w, *s, escape);
	}
	if (v->reason_arg == IGDPT_PROBE_ARG_AT) {
		put_str(w, " at ");
		put_hex(w, v->reason_value, 1);
	}
}

static void finish(struct writer *w)
{
	if (w->size)
		w->buf[w->len < w->size ? w->len : w->size - 1] = 0;
}

size_t igdpt_probe_reason_text(const struct igdpt_probe_verdict *v, char *buf, size_t size)
{
	struct writer w = { buf, size, 0 };

	put_reason(&w, v, false);
	finish(&w);
	return w.len;
}

/* Object members: `"key":` with the comma handled by the caller's state. */
static void key(struct writer *w, bool *first, const char *name)
{
	if (!*first)
		put_char(w, ',');
	*first = false;
	put_char(w, '"');
	put_str(w, name);
	put_str(w, "\":");
}

static void member_str(struct writer *w, bool *first, const char *name, const char *value)
{
	key(w, first, name);
	put_char(w, '"');
	put_escaped(w, value);
	put_char(w, '"');
}

static void member_hex(struct writer *w, bool *first, const char *name, uint64_t value,
		       unsigned digits)
{
	key(w, first, name);
	put_char(w, '"');
	put_hex(w, value, digits);
	put_char(w, '"');
}

static void member_dec(struct writer *w, bool *first, const char *name, uint64_t value)
{
	key(w, first, name);
	put_dec(w, value);
}

/* docs/json.md: a register's digits by its width; a physical address as a
 * 32-bit value below 4 GiB, else as a 64-bit one. */
#define HEX16_DIGITS 4u
#define HEX32_DIGITS 8u
#define HEX64_DIGITS 16u
static void member_address(struct writer *w, bool *first, const char *name, uint64_t value)
{
	member_hex(w, first, name, value, value >> 32 ? HEX64_DIGITS : HEX32_DIGITS);
}

static void member_bool(struct writer *w, bool *first, const char *name, bool value)
{
	key(w, first, name);
	put_str(w, value ? "true" : "false");
}

static void put_igd(struct writer *w, bool *first, const struct igdpt_probe_verdict *v)
{
	key(w, first, IGDPT_PROBE_KEY_IGD);
	put_char(w, '"');
	put_char(w, hex_digits[v->bus >> NIBBLE_BITS]);
	put_char(w, hex_digits[v->bus & NIBBLE_MASK]);
	put_char(w, ':');
	put_char(w, hex_digits[(v->dev >> NIBBLE_BITS) & NIBBLE_MASK]);
	put_char(w, hex_digits[v->dev & NIBBLE_MASK]);
	put_char(w, '.');
	put_char(w, hex_digits[v->fn & NIBBLE_MASK]);
	put_char(w, '"');
	member_hex(w, first, IGDPT_PROBE_KEY_VENDOR, v->vendor, HEX16_DIGITS);
	member_hex(w, first, IGDPT_PROBE_KEY_DEVICE, v->device_id, HEX16_DIGITS);
	member_hex(w, first, IGDPT_PROBE_KEY_CLASS, v->class_code, HEX16_DIGITS);
	member_hex(w, first, IGDPT_PROBE_KEY_ASLS, v->asls, HEX32_DIGITS);
}

static void put_memmap(struct writer *w, bool *first, const struct igdpt_probe_verdict *v)
{
	bool inner = true;

	key(w, first, IGDPT_PROBE_KEY_MEMMAP);
	put_char(w, '{');
	member_str(w, &inner, IGDPT_PROBE_KEY_TYPE, igdpt_probe_memmap_type_name(v->memmap_type, v->memmap_found));
	if (v->memmap_found) {
		member_address(w, &inner, IGDPT_PROBE_KEY_START, v->memmap_start);
		member_address(w, &inner, IGDPT_PROBE_KEY_END, v->memmap_end);
	}
	put_char(w, '}');
}

static void put_opregion(struct writer *w, bool *first, const struct igdpt_probe_verdict *v)
{
	bool inner = true;

	key(w, first, IGDPT_PROBE_KEY_OPREGION);
	put_char(w, '{');
	key(w, &inner, IGDPT_PROBE_KEY_VERSION);
	put_char(w, '"');
	put_dec(w, v->major);
	put_char(w, '.');
	put_dec(w, v->minor);
	put_char(w, '.');
	put_dec(w, v->revision);
	put_char(w, '"');
	member_hex(w, &inner, IGDPT_PROBE_KEY_MBOX, v->mbox, HEX32_DIGITS);
	member_dec(w, &inner, IGDPT_PROBE_KEY_SIZE_KIB, v->size_kib);
	if (v->opregion_valid) {
		bool first_warning = true;

		member_str(w, &inner, IGDPT_PROBE_KEY_VBT_SOURCE, igdpt_probe_vbt_source_name(v->vbt_source));
		if (v->vbt_source != IGDPT_VBT_SOURCE_NONE) {
			member_dec(w, &inner, IGDPT_PROBE_KEY_BDB_VERSION, v->bdb_version);
			member_dec(w, &inner, IGDPT_PROBE_KEY_VBT_SIZE, v->vbt_size);
		}
		key(w, &inner, IGDPT_PROBE_KEY_WARNINGS);
		put_char(w, '[');
		for (unsigned i = 0; i < IGDPT_WARNING_COUNT; i++) {
			if (!(v->warnings & (1u << i)))
				continue;
			if (!first_warning)
				put_char(w, ',');
			first_warning = false;
			put_char(w, '"');
			put_escaped(w, igdpt_warning_name(1u << i));
			put_char(w, '"');
		}
		put_char(w, ']');
	}
	put_char(w, '}');
}

static void put_i915(struct writer *w, bool *first, const struct igdpt_probe_verdict *v)
{
	bool inner = true;

	key(w, first, IGDPT_PROBE_KEY_I915);
	put_char(w, '{');
	member_str(w, &inner, IGDPT_PROBE_KEY_VERDICT, igdpt_probe_i915_name(v->i915));
	member_str(w, &inner, IGDPT_PROBE_KEY_VBT_SOURCE, igdpt_probe_vbt_source_name(v->i915_vbt_source));
	if (v->rom != IGDPT_PROBE_ROM_NOT_NEEDED) {
		bool rom = true;

		/* The fallback i915 tries when the OpRegion gave no VBT. */
		key(w, &inner, IGDPT_PROBE_KEY_PCI_ROM);
		put_char(w, '{');
		member_str(w, &rom, IGDPT_PROBE_KEY_VBT, igdpt_probe_rom_name(v->rom));
		if (v->rom_from)
			member_str(w, &rom, IGDPT_PROBE_KEY_FROM, v->rom_from);
		if (v->rom != IGDPT_PROBE_ROM_UNREAD)
			member_dec(w, &rom, IGDPT_PROBE_KEY_SIZE, v->rom_size);
		if (v->rom == IGDPT_PROBE_ROM_VALID || v->rom == IGDPT_PROBE_ROM_INVALID_VBT)
			member_dec(w, &rom, IGDPT_PROBE_KEY_VBT_OFFSET, v->rom_vbt_offset);
		put_char(w, '}');
	}
	put_char(w, '}');
}

static void put_fw_cfg(struct writer *w, bool *first, const struct igdpt_probe_verdict *v)
{
	bool inner = true;

	key(w, first, IGDPT_PROBE_KEY_FW_CFG);
	put_char(w, '{');
	member_dec(w, &inner, IGDPT_PROBE_KEY_OPREGION_SIZE, v->fw_cfg_size);
	if (v->fw_cfg_compared) {
		member_bool(w, &inner, IGDPT_PROBE_KEY_IDENTICAL, v->fw_cfg_identical);
		if (!v->fw_cfg_identical) {
			/* An offset into the image: a number, as every offset is. */
			member_dec(w, &inner, IGDPT_PROBE_KEY_DIFFERS_AT, v->fw_cfg_differs_at);
			member_bool(w, &inner, IGDPT_PROBE_KEY_RUNTIME_ONLY, v->fw_cfg_runtime_only);
		}
	}
	put_char(w, '}');
}

static void put_bdsm(struct writer *w, bool *first, const struct igdpt_probe_verdict *v)
{
	bool inner = true;

	key(w, first, IGDPT_PROBE_KEY_BDSM);
	put_char(w, '{');
	member_dec(w, &inner, IGDPT_PROBE_KEY_REQUESTED, v->bdsm_requested);
	member_hex(w, &inner, IGDPT_PROBE_KEY_REGISTER, v->bdsm_register, 2);
	member_hex(w, &inner, IGDPT_PROBE_KEY_VALUE, v->bdsm_value,
		   v->bdsm_register == IGDPT_PCI_BDSM64_OFFSET ? HEX64_DIGITS : HEX32_DIGITS);
	if (v->bdsm_checked) {
		member_bool(w, &inner, IGDPT_PROBE_KEY_ALIGNED, v->bdsm_aligned);
		member_bool(w, &inner, IGDPT_PROBE_KEY_RESERVED, v->bdsm_reserved);
	}
	put_char(w, '}');
}

int igdpt_probe_json(const struct igdpt_probe_verdict *v, char *buf, size_t size,
		     size_t *needed)
{
	struct writer w = { buf, size, 0 };
	bool first = true;

	if (!v || (!buf && size))
		return -IGDPT_EINVAL;
	put_char(&w, '{');
	member_str(&w, &first, IGDPT_PROBE_KEY_PROBE, v->probe ? v->probe : "unknown");
	member_str(&w, &first, IGDPT_PROBE_KEY_VERDICT, igdpt_probe_result_name(v->result));
	key(&w, &first, IGDPT_PROBE_KEY_REASON);
	put_char(&w, '"');
	put_reason(&w, v, true);
	put_char(&w, '"');
	if (v->igd_found)
		put_igd(&w, &first, v);
	if (v->memmap_checked)
		put_memmap(&w, &first, v);
	if (v->has_opregion)
		put_opregion(&w, &first, v);
	if (v->i915 != IGDPT_PROBE_I915_NOT_RUN)
		put_i915(&w, &first, v);
	if (v->has_fw_cfg)
		put_fw_cfg(&w, &first, v);
	if (v->has_bdsm)
		put_bdsm(&w, &first, v);
	put_char(&w, '}');
	finish(&w);
	if (needed)
		*needed = w.len + 1;
	if (w.len + 1 > size)
		return -IGDPT_ENOSPC;
	return (int)w.len;
}

const char *igdpt_probe_result_name(enum igdpt_probe_result r)
{
	switch (r) {
	case IGDPT_PROBE_PASS:
		return IGDPT_PROBE_VERDICT_PASS;
	case IGDPT_PROBE_NO_OPREGION:
		return IGDPT_PROBE_VERDICT_NO_OPREGION;
	default:
		return IGDPT_PROBE_VERDICT_FAIL;
	}
}

/* The contract names reserved, acpi-nvs, ram and none; ACPI tables (type 3)
 * and other types get names of their own rather than pass for one of those. */
const char *igdpt_probe_memmap_type_name(uint32_t type, bool found)
{
	if (!found)
		return "none";
	switch (type) {
	case IGDPT_E820_RAM:
		return "ram";
	case IGDPT_E820_RESERVED:
		return "reserved";
	case IGDPT_E820_ACPI:
		return "acpi";
	case IGDPT_E820_NVS:
		return "acpi-nvs";
	default:
		return "other";
	}
}

const char *igdpt_probe_vbt_source_name(enum igdpt_vbt_source s)
{
	return igdpt_vbt_source_name(s);
}

const char *igdpt_probe_i915_name(enum igdpt_probe_i915 r)
{
	switch (r) {
	case IGDPT_PROBE_I915_OK:
		return "ok";
	case IGDPT_PROBE_I915_NO_OPREGION:
		return "no-opregion";
	case IGDPT_PROBE_I915_SIGNATURE_MISMATCH:
		return "signature-mismatch";
	case IGDPT_PROBE_I915_INVALID_VBT:
		return "invalid-vbt";
	default:
		return "not-run";
	}
}

const char *igdpt_probe_rom_name(enum igdpt_probe_rom r)
{
	switch (r) {
	case IGDPT_PROBE_ROM_UNREAD:
		return "unread";
	case IGDPT_PROBE_ROM_NONE:
		return "none";
	case IGDPT_PROBE_ROM_NO_VBT:
		return "no-vbt";
	case IGDPT_PROBE_ROM_INVALID_VBT:
		return "invalid-vbt";
	case IGDPT_PROBE_ROM_VALID:
		return "valid";
	default:
		return "not-needed";
	}
}
