/* SPDX-License-Identifier: MIT */
/* The decode model's memory: every node and string of one decode in an
 * arena of a few large chunks, freed in one call. A VBT decodes to about a
 * thousand nodes; one malloc each (as a JSON DOM does) would cost more than
 * the decoding. */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"

#define FIRST_CHUNK_SIZE (32u * 1024u)
#define MAX_CHUNK_SIZE (1024u * 1024u)
#define ALIGNMENT alignof(max_align_t)

struct dec_chunk {
	struct dec_chunk *next;
	alignas(max_align_t) unsigned char data[];
};

struct dec *dec_new(void)
{
	return calloc(1, sizeof(struct dec));
}

void dec_free(struct dec *d)
{
	struct dec_chunk *c, *next;

	if (!d)
		return;
	for (c = d->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(d);
}

void igdpt_decoded_free(struct igdpt_decoded *decoded)
{
	/* The result is the first member of its decode. */
	dec_free((struct dec *)decoded);
}

/* Bytes from the arena, not zeroed. */
static void *alloc_raw(struct dec *d, size_t size)
{
	void *p;

	size = (size + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1);
	if (!d->chunks || d->cap - d->used < size) {
		size_t cap = d->cap ? 2 * d->cap : FIRST_CHUNK_SIZE;
		struct dec_chunk *c;

		if (cap > MAX_CHUNK_SIZE)
			cap = MAX_CHUNK_SIZE;
		if (cap < size)
			cap = size;
		c = malloc(sizeof(*c) + cap);
		if (!c) {
			d->oom = true;
			return NULL;
		}
		c->next = d->chunks;
		d->chunks = c;
		d->cap = cap;
		d->used = 0;
	}
	p = d->chunks->data + d->used;
	d->used += size;
	return p;
}

void *dec_alloc(struct dec *d, size_t size)
{
	void *p = alloc_raw(d, size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* Nodes come from the arena in runs, so that making one is a pointer bump. */
#define NODES_PER_RUN 256u

dec_node *dec_node_refill(struct dec *d)
{
	/* dec_node_add() sets every member: no need to zero the run. */
	dec_node *run = alloc_raw(d, NODES_PER_RUN * sizeof(*run));

	if (!run)
		return &d->scratch;
	d->nodes = run + 1;
	d->nodes_left = NODES_PER_RUN - 1;
	return run;
}

void dec_str(struct dec *d, dec_node *parent, const char *name, const uint8_t *p, size_t n)
{
	dec_node *node = dec_node_add(d, parent, name, IGDPT_DECODE_STRING);
	char *s = alloc_raw(d, n + 1);
	size_t i;

	if (!s) {
		node->text = "";
		return;
	}
	for (i = 0; i < n && p[i]; i++)
		s[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	s[i] = '\0';
	node->text = s;
}

void dec_bytes(struct dec *d, dec_node *parent, const char *name, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	dec_node *node = dec_node_add(d, parent, name, IGDPT_DECODE_BYTES);
	char *s = alloc_raw(d, 2 * n + 1);

	if (!s) {
		node->text = "";
		return;
	}
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 0xF];
	}
	s[2 * n] = '\0';
	node->text = s;
}

void dec_bit_names(struct dec *d, dec_node *parent, const char *name, uint32_t value,
		   const char *const *names, unsigned n)
{
	/* "bit0".."bit31" for bits without a name: static, never formatted. */
	static const char *const bit_labels[32] = {
		"bit0", "bit1", "bit2", "bit3", "bit4", "bit5", "bit6", "bit7",
		"bit8", "bit9", "bit10", "bit11", "bit12", "bit13", "bit14", "bit15",
		"bit16", "bit17", "bit18", "bit19", "bit20", "bit21", "bit22", "bit23",
		"bit24", "bit25", "bit26", "bit27", "bit28", "bit29", "bit30", "bit31",
	};
	dec_node *list = dec_list(d, parent, name);

	for (unsigned bit = 0; bit < 32; bit++)
		if (value & (1u << bit))
			dec_text(d, list, NULL, bit < n && names[bit] ? names[bit] : bit_labels[bit]);
}

const struct igdpt_decode_node *igdpt_decode_field(const struct igdpt_decode_node *group,
						    const char *name)
{
	if (!group || group->type != IGDPT_DECODE_GROUP)
		return NULL;
	for (const struct igdpt_decode_node *n = group->child; n; n = n->next)
		if (n->name && !strcmp(n->name, name))
			return n;
	return NULL;
}
