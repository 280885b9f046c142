/* SPDX-License-Identifier: MIT */
/* A bounded JSON reader for the VERSION capabilities (RFC 8259 grammar),
 * and the device's reply. version.h says why it is not json-c. */
#include "version.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "protocol.h"
#include "wire.h"

struct cursor {
	const char *p, *end;
	const char *reason;
};

static int fail(struct cursor *c, const char *why)
{
	if (!c->reason)
		c->reason = why;
	return -EINVAL;
}

static void skip_space(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static bool take(struct cursor *c, char ch)
{
	skip_space(c);
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

static bool take_word(struct cursor *c, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n))
		return false;
	c->p += n;
	return true;
}

static bool is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* A string; *start and *len give its raw bytes (escapes not decoded: the
 * keys the device looks for have none). */
static int parse_string(struct cursor *c, const char **start, size_t *len)
{
	if (!take(c, '"'))
		return fail(c, "JSON: a string was expected");
	*start = c->p;
	while (c->p < c->end) {
		unsigned char ch = (unsigned char)*c->p;

		if (ch == '"') {
			*len = (size_t)(c->p - *start);
			c->p++;
			return 0;
		}
		if (ch < 0x20)
			return fail(c, "JSON: control character in a string");
		if (ch == '\\') {
			c->p++;
			if (c->p >= c->end)
				break;
			if (*c->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (c->p + i >= c->end || !is_hex(c->p[i]))
						return fail(c, "JSON: bad \\u escape");
				c->p += 4;
			} else if (!strchr("\"\\/bfnrt", *c->p) || !*c->p) {
				return fail(c, "JSON: bad escape in a string");
			}
		}
		c->p++;
	}
	return fail(c, "JSON: unterminated string");
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* A number of any JSON form; *integer and *value when it is a plain
 * non-negative integer that fits 64 bits. */
static int parse_number(struct cursor *c, bool *integer, uint64_t *value)
{
	uint64_t v = 0;
	bool overflow = false;

	skip_space(c);
	*integer = true;
	if (c->p < c->end && *c->p == '-') {
		*integer = false;
		c->p++;
	}
	if (c->p >= c->end || !is_digit(*c->p))
		return fail(c, "JSON: bad number");
	if (*c->p == '0' && c->p + 1 < c->end && is_digit(c->p[1]))
		return fail(c, "JSON: number with a leading zero");
	while (c->p < c->end && is_digit(*c->p)) {
		unsigned d = (unsigned)(*c->p - '0');

		if (v > (UINT64_MAX - d) / 10)
			overflow = true;
		v = v * 10 + d;
		c->p++;
	}
	if (c->p < c->end && *c->p == '.') {
		*integer = false;
		c->p++;
		if (c->p >= c->end || !is_digit(*c->p))
			return fail(c, "JSON: bad fraction");
		while (c->p < c->end && is_digit(*c->p))
			c->p++;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		*integer = false;
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (c->p >= c->end || !is_digit(*c->p))
			return fail(c, "JSON: bad exponent");
		while (c->p < c->end && is_digit(*c->p))
			c->p++;
	}
	if (overflow)
		*integer = false;
	*value = v;
	return 0;
}

static int skip_value(struct cursor *c, unsigned depth);

/* An object or array whose members are skipped. */
static int skip_container(struct cursor *c, unsigned depth, char close)
{
	const char *key;
	size_t len;

	if (depth >= IGDPT_VFU_JSON_MAX_DEPTH)
		return fail(c, "JSON: nested deeper than 8");
	if (take(c, close))
		return 0;
	do {
		if (close == '}') {
			if (parse_string(c, &key, &len) < 0)
				return -EINVAL;
			if (!take(c, ':'))
				return fail(c, "JSON: ':' expected after a key");
		}
		if (skip_value(c, depth + 1) < 0)
			return -EINVAL;
	} while (take(c, ','));
	if (!take(c, close))
		return fail(c, close == '}' ? "JSON: '}' expected" : "JSON: ']' expected");
	return 0;
}

static int skip_value(struct cursor *c, unsigned depth)
{
	const char *s;
	size_t len;
	bool integer;
	uint64_t v;

	skip_space(c);
	if (c->p >= c->end)
		return fail(c, "JSON: value expected");
	switch (*c->p) {
	case '{':
		c->p++;
		return skip_container(c, depth, '}');
	case '[':
		c->p++;
		return skip_container(c, depth, ']');
	case '"':
		return parse_string(c, &s, &len);
	case 't':
		return take_word(c, "true") ? 0 : fail(c, "JSON: bad literal");
	case 'f':
		return take_word(c, "false") ? 0 : fail(c, "JSON: bad literal");
	case 'n':
		return take_word(c, "null") ? 0 : fail(c, "JSON: bad literal");
	default:
		return parse_number(c, &integer, &v);
	}
}

static bool key_is(const char *key, size_t len, const char *name)
{
	return strlen(name) == len && !memcmp(key, name, len);
}

static int parse_u64_member(struct cursor *c, bool *has, uint64_t *out, const char *why)
{
	bool integer;
	uint64_t v;

	skip_space(c);
	if (c->p >= c->end || (*c->p != '-' && !is_digit(*c->p)))
		return fail(c, why);
	if (parse_number(c, &integer, &v) < 0)
		return -EINVAL;
	if (!integer)
		return fail(c, why);
	*has = true;
	*out = v;
	return 0;
}

static int parse_bool_member(struct cursor *c, bool *has, bool *out, const char *why)
{
	skip_space(c);
	if (take_word(c, "true"))
		*out = true;
	else if (take_word(c, "false"))
		*out = false;
	else
		return fail(c, why);
	*has = true;
	return 0;
}

/* The "capabilities" object, at depth 2. */
static int parse_caps(struct cursor *c, struct igdpt_vfu_caps *caps)
{
	const char *key;
	size_t len;

	if (!take(c, '{'))
		return fail(c, "JSON: \"capabilities\" is not an object");
	if (take(c, '}'))
		return 0;
	do {
		int ret;

		if (parse_string(c, &key, &len) < 0)
			return -EINVAL;
		if (!take(c, ':'))
			return fail(c, "JSON: ':' expected after a key");
		if (key_is(key, len, IGDPT_VFU_JSON_MAX_MSG_FDS))
			ret = parse_u64_member(c, &caps->has_max_msg_fds, &caps->max_msg_fds,
					       "max_msg_fds is not a non-negative integer");
		else if (key_is(key, len, IGDPT_VFU_JSON_MAX_DATA_XFER_SIZE))
			ret = parse_u64_member(c, &caps->has_max_data_xfer_size,
					       &caps->max_data_xfer_size,
					       "max_data_xfer_size is not a non-negative integer");
		else if (key_is(key, len, IGDPT_VFU_JSON_MAX_DMA_MAPS))
			ret = parse_u64_member(c, &caps->has_max_dma_maps, &caps->max_dma_maps,
					       "max_dma_maps is not a non-negative integer");
		else if (key_is(key, len, IGDPT_VFU_JSON_PGSIZES))
			ret = parse_u64_member(c, &caps->has_pgsizes, &caps->pgsizes,
					       "pgsizes is not a non-negative integer");
		else if (key_is(key, len, IGDPT_VFU_JSON_WRITE_MULTIPLE))
			ret = parse_bool_member(c, &caps->has_write_multiple, &caps->write_multiple,
						"write_multiple is not a boolean");
		else
			ret = skip_value(c, 2);
		if (ret < 0)
			return -EINVAL;
	} while (take(c, ','));
	if (!take(c, '}'))
		return fail(c, "JSON: '}' expected");
	return 0;
}

int igdpt_vfu_caps_parse(const char *json, size_t len, struct igdpt_vfu_caps *caps,
			 const char **reason)
{
	struct cursor c = {.p = json, .end = json + len, .reason = NULL};
	struct igdpt_vfu_caps found;
	const char *key;
	size_t key_len;

	memset(&found, 0, sizeof(found));
	if (memchr(json, '\0', len)) {
		*reason = "JSON: NUL inside the text";
		return -EINVAL;
	}
	if (!take(&c, '{')) {
		*reason = "JSON: the version data is not an object";
		return -EINVAL;
	}
	if (!take(&c, '}')) {
		do {
			int ret;

			if (parse_string(&c, &key, &key_len) < 0 || !take(&c, ':')) {
				*reason = c.reason ? c.reason : "JSON: ':' expected after a key";
				return -EINVAL;
			}
			if (key_is(key, key_len, IGDPT_VFU_JSON_CAPABILITIES))
				ret = parse_caps(&c, &found);
			else
				ret = skip_value(&c, 1);
			if (ret < 0) {
				*reason = c.reason;
				return -EINVAL;
			}
		} while (take(&c, ','));
		if (!take(&c, '}')) {
			*reason = c.reason ? c.reason : "JSON: '}' expected";
			return -EINVAL;
		}
	}
	skip_space(&c);
	if (c.p != c.end) {
		*reason = "JSON: text after the object";
		return -EINVAL;
	}
	*caps = found;
	return 0;
}

/* Appends text to buf at *at; false when it does not fit. */
static bool append(char *buf, size_t cap, size_t *at, const char *text)
{
	size_t n = strlen(text);

	if (n >= cap - *at)
		return false;
	memcpy(buf + *at, text, n + 1);
	*at += n;
	return true;
}

/* Appends ,"name":value (no comma before the first member). */
static bool append_member(char *buf, size_t cap, size_t *at, bool *first, const char *name,
			  uint64_t value)
{
	char text[64];

	snprintf(text, sizeof(text), "%s\"%s\":%" PRIu64, *first ? "" : ",", name, value);
	*first = false;
	return append(buf, cap, at, text);
}

int igdpt_vfu_caps_reply(const struct igdpt_vfu_caps *client, uint32_t max_dma_maps, char *buf,
			 size_t cap)
{
	size_t at = 0;
	bool first = true, ok;

	if (cap)
		buf[0] = '\0';
	if (!client->has_max_msg_fds && !client->has_max_data_xfer_size &&
	    !client->has_max_dma_maps && !client->has_pgsizes)
		return 0;
	ok = cap && append(buf, cap, &at, "{\"" IGDPT_VFU_JSON_CAPABILITIES "\":{");
	if (ok && client->has_max_msg_fds)
		ok = append_member(buf, cap, &at, &first, IGDPT_VFU_JSON_MAX_MSG_FDS,
				   IGDPT_VFU_MAX_MSG_FDS);
	if (ok && client->has_max_data_xfer_size)
		ok = append_member(buf, cap, &at, &first, IGDPT_VFU_JSON_MAX_DATA_XFER_SIZE,
				   IGDPT_VFU_MAX_DATA_XFER);
	if (ok && client->has_pgsizes)
		ok = append_member(buf, cap, &at, &first, IGDPT_VFU_JSON_PGSIZES, client->pgsizes);
	if (ok && client->has_max_dma_maps)
		ok = append_member(buf, cap, &at, &first, IGDPT_VFU_JSON_MAX_DMA_MAPS, max_dma_maps);
	if (ok)
		ok = append(buf, cap, &at, "}}");
	return ok ? (int)at : -ENOSPC;
}
