/* SPDX-License-Identifier: MIT */
/* The model as human text, laid out like intel_vbt_decode: a header per
 * section, then one tab-indented "name: value" per field, coded values as
 * "NAME (0xCODE)".
 *
 * The text of a VBT is about a thousand short lines; it is assembled in one
 * growing buffer with hand-written number formatting and written with one
 * fwrite, because per-field printf calls would cost more than decoding. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"

#define FIRST_BUFFER_SIZE (64u * 1024u)
#define MAX_DEPTH 16u
/* Room every line start reserves: tabs, a key, "[index]", ": " and one
 * scalar or an enum name; strings and list elements reserve their own. */
#define LINE_RESERVE 512u
#define SCALAR_RESERVE 128u
#define KEY_MAX 128u

/* The writer: every run of unchecked writes is preceded by a reserve()
 * that covers it. After an allocation failure the writes land in a small
 * scratch area, reused from its start at each reserve, and the text is
 * thrown away (-ENOMEM); a reserve larger than the scratch then fails and
 * its writes are skipped. */
struct text {
	char *buf;
	size_t len, cap;
	char *heap; /* what to free */
	bool oom;
	char scratch[2 * LINE_RESERVE];
};

static bool grow(struct text *t, size_t n)
{
	size_t cap = t->cap ? t->cap : FIRST_BUFFER_SIZE;
	char *buf;

	while (cap - t->len < n)
		cap *= 2;
	buf = realloc(t->heap, cap);
	if (!buf) {
		t->oom = true;
		t->buf = t->scratch;
		t->cap = sizeof(t->scratch);
		t->len = 0;
		return n <= t->cap;
	}
	t->heap = t->buf = buf;
	t->cap = cap;
	return true;
}

static inline bool reserve(struct text *t, size_t n)
{
	if (t->cap - t->len >= n)
		return true;
	if (t->oom) {
		t->len = 0;
		return n <= t->cap;
	}
	return grow(t, n);
}

static inline void put(struct text *t, const char *s, size_t n)
{
	memcpy(t->buf + t->len, s, n);
	t->len += n;
}

static inline void puts_(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

static inline void put_char(struct text *t, char c)
{
	t->buf[t->len++] = c;
}

static void put_dec(struct text *t, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);

	if (v < 10) { /* most fields: flags, counts, small settings */
		put_char(t, (char)('0' + v));
		return;
	}
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(t, tmp + i, sizeof(tmp) - i);
}

/* "0x" and at least `digits` lowercase hex digits. */
static void put_hex(struct text *t, uint64_t v, unsigned digits)
{
	static const char hex[] = "0123456789abcdef";
	char *o;
	unsigned n = 1;

	for (uint64_t rest = v >> 4; rest; rest >>= 4)
		n++;
	if (n < digits)
		n = digits;
	o = t->buf + t->len;
	o[0] = '0';
	o[1] = 'x';
	for (unsigned i = n; i > 0; i--, v >>= 4)
		o[1 + i] = hex[v & 0xF];
	t->len += 2 + n;
}

/* A quoted string: reserves its own room. */
static void put_quoted(struct text *t, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!reserve(t, n + 2))
		return;
	put_char(t, '"');
	put(t, s, n);
	put_char(t, '"');
}

static void put_scalar(struct text *t, const struct igdpt_decode_node *n)
{
	switch (n->type) {
	case IGDPT_DECODE_UINT:
		put_dec(t, n->value);
		break;
	case IGDPT_DECODE_HEX:
		put_hex(t, n->value, n->digits);
		break;
	case IGDPT_DECODE_OFFSET:
		put_hex(t, n->value, 1);
		break;
	case IGDPT_DECODE_BOOL:
		if (n->value)
			put(t, "yes", 3);
		else
			put(t, "no", 2);
		break;
	case IGDPT_DECODE_STRING:
	case IGDPT_DECODE_BYTES:
		put_quoted(t, n->text);
		break;
	case IGDPT_DECODE_ENUM:
		puts_(t, n->text ? n->text : "unknown");
		put(t, " (", 2);
		put_hex(t, n->value, n->digits);
		put_char(t, ')');
		break;
	default:
		put(t, "(none)", 6);
		break;
	}
}

static bool is_container(const struct igdpt_decode_node *n)
{
	return n->type == IGDPT_DECODE_LIST || n->type == IGDPT_DECODE_GROUP;
}

/* Starts "<tabs>key:" or "<tabs>key[i]:"; false when out of memory. */
static bool start_line(struct text *t, unsigned depth, const char *key, size_t index,
		       bool indexed)
{
	static const char tabs[MAX_DEPTH] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
	size_t key_len = strlen(key);

	/* Keys are the decoder's own names, far shorter than KEY_MAX. */
	if (key_len > KEY_MAX || !reserve(t, LINE_RESERVE))
		return false;
	put(t, tabs, depth < MAX_DEPTH ? depth : MAX_DEPTH);
	put(t, key, key_len);
	if (indexed) {
		put_char(t, '[');
		put_dec(t, index);
		put_char(t, ']');
	}
	put_char(t, ':');
	return true;
}

static void print_fields(struct text *t, const struct igdpt_decode_node *group, unsigned depth);

static bool all_scalars(const struct igdpt_decode_node *list)
{
	for (const struct igdpt_decode_node *c = list->child; c; c = c->next)
		if (is_container(c))
			return false;
	return true;
}

static void print_value(struct text *t, const char *key, size_t index, bool indexed,
			const struct igdpt_decode_node *v, unsigned depth)
{
	const struct igdpt_decode_node *c;
	size_t i;

	if (v->type == IGDPT_DECODE_LIST && !all_scalars(v)) {
		/* A list of structs: a "key[i]:" section per element. */
		for (c = v->child, i = 0; c; c = c->next, i++)
			print_value(t, key, i, true, c, depth);
		return;
	}
	if (!start_line(t, depth, key, index, indexed))
		return;
	if (v->type == IGDPT_DECODE_GROUP) {
		put_char(t, '\n');
		print_fields(t, v, depth + 1);
		return;
	}
	if (v->type == IGDPT_DECODE_LIST) {
		for (c = v->child; c; c = c->next) {
			if (!reserve(t, SCALAR_RESERVE))
				return;
			put_char(t, ' ');
			put_scalar(t, c);
		}
	} else {
		put_char(t, ' ');
		put_scalar(t, v);
	}
	put_char(t, '\n');
}

static void print_fields(struct text *t, const struct igdpt_decode_node *group, unsigned depth)
{
	for (const struct igdpt_decode_node *f = group->child; f; f = f->next)
		print_value(t, f->name, 0, false, f, depth);
}

static void print_vbt(struct text *t, const struct igdpt_decoded *dec)
{
	if (!reserve(t, LINE_RESERVE))
		return;
	puts_(t, "\nVBT:\n");
	print_fields(t, dec->vbt, 1);
	if (!reserve(t, LINE_RESERVE))
		return;
	puts_(t, "\nBDB blocks present:");
	for (size_t i = 0; i < dec->blocks_kept; i++) {
		unsigned id = dec->blocks[i].id;

		/* intel_vbt_decode's "%4d", sixteen to a line. */
		if (!reserve(t, SCALAR_RESERVE))
			return;
		puts_(t, i % 16 ? "" : "\n\t");
		put(t, "    ", id >= 100 ? 1 : id >= 10 ? 2 : 3);
		put_dec(t, id);
	}
	if (!reserve(t, LINE_RESERVE))
		return;
	put_char(t, '\n');
	for (size_t i = 0; i < dec->blocks_kept; i++) {
		const struct igdpt_decoded_block *b = &dec->blocks[i];

		if (!reserve(t, LINE_RESERVE))
			return;
		puts_(t, "\nBDB block ");
		put_dec(t, b->id);
		puts_(t, " (");
		put_dec(t, b->size);
		puts_(t, " bytes at ");
		put_hex(t, b->offset, 1);
		puts_(t, ") - ");
		puts_(t, b->name);
		puts_(t, ":\n");
		if (b->fields && b->fields->count)
			print_fields(t, b->fields, 1);
		else if (reserve(t, LINE_RESERVE))
			puts_(t, "\t(not decoded)\n");
	}
}

static void print_decoded(struct text *t, const struct igdpt_decoded *dec)
{
	if (!reserve(t, LINE_RESERVE))
		return;
	puts_(t, "file: ");
	if (dec->file)
		put_quoted(t, dec->file);
	else
		puts_(t, "(none)");
	if (!reserve(t, LINE_RESERVE))
		return;
	puts_(t, "\nimage_kind: ");
	put_quoted(t, igdpt_image_kind_name(dec->kind));
	if (!reserve(t, LINE_RESERVE))
		return;
	puts_(t, "\nvalid: ");
	puts_(t, dec->valid ? "yes" : "no");
	puts_(t, "\nwarnings:");
	for (unsigned i = 0; i < IGDPT_WARNING_COUNT; i++) {
		if (!(dec->warnings & (1u << i)) || !reserve(t, SCALAR_RESERVE))
			continue;
		put_char(t, ' ');
		put_quoted(t, igdpt_warning_name(1u << i));
	}
	if (!reserve(t, LINE_RESERVE))
		return;
	put_char(t, '\n');
	if (!dec->valid) {
		puts_(t, "reason: ");
		put_quoted(t, dec->reason);
		if (!reserve(t, LINE_RESERVE))
			return;
		puts_(t, "\noffset: ");
		put_hex(t, dec->offset, 1);
		put_char(t, '\n');
	}
	for (const struct igdpt_decode_node *s = dec->opregion ? dec->opregion->child : NULL; s;
	     s = s->next) {
		if (!reserve(t, LINE_RESERVE))
			return;
		puts_(t, "\nOpRegion ");
		puts_(t, s->name);
		puts_(t, ":\n");
		print_fields(t, s, 1);
	}
	if (dec->rom && reserve(t, LINE_RESERVE)) {
		puts_(t, "\nPCI ROM (video BIOS):\n");
		print_fields(t, dec->rom, 1);
	}
	if (dec->vbt)
		print_vbt(t, dec);
}

int igdpt_decode_print_text(FILE *out, const struct igdpt_decoded *decoded)
{
	struct text *t;
	int ret = 0;

	if (!out || !decoded)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	print_decoded(t, decoded);
	if (t->oom)
		ret = -ENOMEM;
	else if (fwrite(t->buf, 1, t->len, out) != t->len)
		ret = -EIO;
	free(t->heap);
	free(t);
	return ret;
}
