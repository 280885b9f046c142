/* SPDX-License-Identifier: MIT */
/* Human text from the decoded tree, laid out like intel_vbt_decode:
 * a header per section, then one tab-indented "name: value" per field. */
#include <string.h>

#include "decode_internal.h"
#include "igdpt/decode.h"

/* One output line is assembled in memory and written with one fwrite: the
 * text of a VBT is thousands of short lines, and per-field printf calls
 * would cost more than decoding. Long lines are cut (scalar arrays are at
 * most a few dozen numbers, strings at most 512 bytes). */
struct line {
	char buf[2048];
	size_t len;
};

static void put(struct line *l, const char *s, size_t n)
{
	if (n > sizeof(l->buf) - l->len)
		n = sizeof(l->buf) - l->len;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void puts_(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

static void put_uint(struct line *l, uint64_t v, bool hex)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[24];
	size_t i = sizeof(tmp);
	unsigned base = hex ? 16 : 10;

	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	if (hex)
		put(l, "0x", 2);
	put(l, tmp + i, sizeof(tmp) - i);
}

static void put_scalar(struct line *l, struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		puts_(l, "(none)");
		break;
	case json_type_boolean:
		puts_(l, json_object_get_boolean(v) ? "yes" : "no");
		break;
	case json_type_int:
		if (json_object_get_int64(v) < 0) {
			put(l, "-", 1);
			put_uint(l, (uint64_t)0 - (uint64_t)json_object_get_int64(v), false);
		} else {
			put_uint(l, json_object_get_uint64(v), dec_is_hex(v));
		}
		break;
	case json_type_string:
		put(l, "\"", 1);
		put(l, json_object_get_string(v), (size_t)json_object_get_string_len(v));
		put(l, "\"", 1);
		break;
	default:
		puts_(l, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
		break;
	}
}

static bool is_container(struct json_object *v)
{
	enum json_type t = json_object_get_type(v);

	return t == json_type_object || t == json_type_array;
}

static void start_line(struct line *l, unsigned depth, const char *key)
{
	static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";

	l->len = 0;
	put(l, tabs, depth < sizeof(tabs) - 1 ? depth : sizeof(tabs) - 1);
	puts_(l, key);
	put(l, ":", 1);
}

static void end_line(FILE *out, struct line *l)
{
	if (l->len == sizeof(l->buf))
		l->len--;
	l->buf[l->len++] = '\n';
	fwrite(l->buf, 1, l->len, out);
}

static void print_object(FILE *out, struct json_object *obj, unsigned depth);

static void print_value(FILE *out, const char *key, struct json_object *v, unsigned depth)
{
	struct line l;
	size_t n;
	bool scalars = true;

	if (!is_container(v)) {
		start_line(&l, depth, key);
		put(&l, " ", 1);
		put_scalar(&l, v);
		end_line(out, &l);
		return;
	}
	if (json_object_get_type(v) == json_type_object) {
		start_line(&l, depth, key);
		end_line(out, &l);
		print_object(out, v, depth + 1);
		return;
	}
	n = json_object_array_length(v);
	for (size_t i = 0; i < n; i++)
		if (is_container(json_object_array_get_idx(v, i)))
			scalars = false;
	if (scalars) {
		start_line(&l, depth, key);
		for (size_t i = 0; i < n; i++) {
			put(&l, " ", 1);
			put_scalar(&l, json_object_array_get_idx(v, i));
		}
		end_line(out, &l);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char name[128];

		snprintf(name, sizeof(name), "%s[%zu]", key, i);
		print_value(out, name, json_object_array_get_idx(v, i), depth);
	}
}

static void print_object(FILE *out, struct json_object *obj, unsigned depth)
{
	json_object_object_foreach(obj, key, val)
		print_value(out, key, val, depth);
}

static void print_vbt(FILE *out, struct json_object *vbt)
{
	struct json_object *blocks = NULL;
	size_t n;

	fputs("VBT:\n", out);
	json_object_object_foreach(vbt, key, val) {
		if (!strcmp(key, "blocks")) {
			blocks = val;
			continue;
		}
		print_value(out, key, val, 1);
	}
	if (!blocks)
		return;
	n = json_object_array_length(blocks);
	fputs("\nBDB blocks present:", out);
	for (size_t i = 0; i < n; i++) {
		struct json_object *id;

		json_object_object_get_ex(json_object_array_get_idx(blocks, i), "id", &id);
		fprintf(out, "%s%4d", i % 16 ? "" : "\n\t", json_object_get_int(id));
	}
	fputs("\n", out);
	for (size_t i = 0; i < n; i++) {
		struct json_object *b = json_object_array_get_idx(blocks, i), *id, *size, *off,
				   *name, *fields;

		json_object_object_get_ex(b, "id", &id);
		json_object_object_get_ex(b, "size", &size);
		json_object_object_get_ex(b, "offset", &off);
		json_object_object_get_ex(b, "name", &name);
		json_object_object_get_ex(b, "fields", &fields);
		fprintf(out, "\nBDB block %d (%d bytes at 0x%x) - %s:\n", json_object_get_int(id),
			json_object_get_int(size), json_object_get_int(off),
			json_object_get_string(name));
		if (fields && json_object_object_length(fields))
			print_object(out, fields, 1);
		else
			fputs("\t(not decoded)\n", out);
	}
}

void igdpt_decode_print(FILE *out, struct json_object *tree)
{
	struct json_object *v;

	json_object_object_foreach(tree, key, val) {
		if (!strcmp(key, "opregion") || !strcmp(key, "vbt") || !strcmp(key, "rom"))
			continue;
		if (!strcmp(key, "offset") && json_object_get_type(val) == json_type_null)
			continue;
		if (!strcmp(key, "reason") && json_object_get_type(val) == json_type_null)
			continue;
		print_value(out, key, val, 0);
	}
	if (json_object_object_get_ex(tree, "opregion", &v)) {
		json_object_object_foreach(v, section, fields) {
			fprintf(out, "\nOpRegion %s:\n", section);
			print_object(out, fields, 1);
		}
	}
	if (json_object_object_get_ex(tree, "rom", &v)) {
		fputs("\nPCI ROM (video BIOS):\n", out);
		print_object(out, v, 1);
	}
	if (json_object_object_get_ex(tree, "vbt", &v)) {
		fputc('\n', out);
		print_vbt(out, v);
	}
}
