/* SPDX-License-Identifier: MIT */
/* Parses what Linux 6.1 i915 logged about the OpRegion and its VBT, so
 * `igdpt vm --guest linux` can set the real driver's verdict beside igdpt's
 * own probe. The strings are those of drivers/gpu/drm/i915/display/
 * intel_opregion.c and intel_bios.c in 6.1 (checked against the module
 * Debian bookworm ships); a line is matched by substring so the dmesg
 * prefix ("[    4.27] i915 0000:00:02.0: [drm:intel_opregion_setup [i915]] ")
 * does not matter. */
#include "vm_log_i915.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_util.h"

static bool has(const char *line, size_t n, const char *needle)
{
	return memmem(line, n, needle, strlen(needle)) != NULL;
}

/* The text after needle, or NULL. */
static const char *after(const char *line, size_t n, const char *needle)
{
	const char *p = memmem(line, n, needle, strlen(needle));

	return p ? p + strlen(needle) : NULL;
}

static void keep_problem(struct vm_i915_log *log, const char *line, size_t n)
{
	size_t o = 0;
	char *dst;

	if (log->nproblems >= VM_I915_PROBLEMS)
		return;
	dst = log->problems[log->nproblems++];
	/* Drop the "[    5.12] " timestamp: the text is what matters. */
	if (n && line[0] == '[') {
		const char *close = memchr(line, ']', n);

		if (close) {
			size_t skip = (size_t)(close - line) + 1;

			line += skip;
			n -= skip;
			while (n && *line == ' ') {
				line++;
				n--;
			}
		}
	}
	for (size_t i = 0; i < n && o + 1 < VM_I915_LINE; i++)
		dst[o++] = isprint((unsigned char)line[i]) ? line[i] : '?';
	dst[o] = 0;
}

static void parse_line(struct vm_i915_log *log, const char *line, size_t n)
{
	const char *p, *end = line + n;

	log->lines++;
	if (has(line, n, "Linux version "))
		log->kernel_started = true;
	if (has(line, n, "[drm] Initialized i915 "))
		log->loaded = true;

	if ((p = after(line, n, "graphic opregion physical addr: ")) != NULL) {
		char buf[24] = "";
		size_t k = 0;

		while (p < end && k + 1 < sizeof(buf) && !isspace((unsigned char)*p))
			buf[k++] = *p++;
		buf[k] = 0;
		log->has_opregion_addr = tool_parse_u64(buf, UINT64_MAX, &log->opregion_addr) == 0;
	}
	if (has(line, n, "ACPI OpRegion not supported!"))
		log->not_supported = true;
	if (has(line, n, "opregion signature mismatch"))
		log->signature_mismatch = true;
	if ((p = after(line, n, "ACPI OpRegion version ")) != NULL) {
		char buf[32];
		size_t k = (size_t)(end - p) < sizeof(buf) - 1 ? (size_t)(end - p) : sizeof(buf) - 1;

		memcpy(buf, p, k);
		buf[k] = 0;
		log->has_version =
			sscanf(buf, "%u.%u.%u", &log->major, &log->minor, &log->revision) == 3;
	}
	if (has(line, n, "Public ACPI methods supported"))
		log->public_acpi = true;
	if (has(line, n, "SWSCI Mailbox #2 present for opregion v2.x"))
		log->swsci_mailbox = true;
	if (has(line, n, "SWSCI Mailbox #2 present for opregion v3.x, ignoring"))
		log->swsci_ignored = true;
	if (has(line, n, "SWSCI supported"))
		log->swsci = true;
	if (has(line, n, "SWSCI request timed out"))
		log->swsci_timeout = true;
	if (has(line, n, "Mailbox #2 for backlight present"))
		log->backlight_mbox = true;
	if (has(line, n, "ASLE supported"))
		log->asle = true;
	if (has(line, n, "ASLE extension supported"))
		log->asle_ext = true;

	if (has(line, n, "Found valid VBT in ACPI OpRegion (Mailbox #4)"))
		log->vbt_source = IGDPT_VBT_SOURCE_MAILBOX4;
	if (has(line, n, "Found valid VBT in ACPI OpRegion (RVDA)"))
		log->vbt_source = IGDPT_VBT_SOURCE_RVDA;
	if (has(line, n, "Invalid VBT in ACPI OpRegion (Mailbox #4)"))
		log->invalid_mailbox4 = true;
	if (has(line, n, "Invalid VBT in ACPI OpRegion (RVDA)"))
		log->invalid_rvda = true;
	if (has(line, n, "VBT invalid signature"))
		log->vbt_bad_signature = true;
	if (has(line, n, "VBT incomplete") || has(line, n, "VBT header incomplete") ||
	    has(line, n, "BDB header incomplete") || has(line, n, "BDB incomplete"))
		log->vbt_incomplete = true;
	if (has(line, n, "Failed to find VBIOS tables (VBT)"))
		log->vbt_not_found = true;
	if ((p = after(line, n, "VBT signature \"")) != NULL) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		const char *bdb = after(line, n, "BDB version ");

		if (q) {
			size_t k = (size_t)(q - p);

			if (k >= sizeof(log->vbt_signature))
				k = sizeof(log->vbt_signature) - 1;
			memcpy(log->vbt_signature, p, k);
			log->vbt_signature[k] = 0;
			/* i915 prints the 20-byte field: trailing blanks are padding. */
			while (k && log->vbt_signature[k - 1] == ' ')
				log->vbt_signature[--k] = 0;
		}
		if (bdb)
			log->bdb_version = atoi(bdb);
	}
	if ((p = after(line, n, "Port ")) != NULL && end - p >= 11 &&
	    isupper((unsigned char)p[0]) && !memcmp(p + 1, " VBT info:", 10) &&
	    log->nports < VM_I915_PORTS)
		log->ports[log->nports++] = p[0];
	if ((p = after(line, n, " outputs detected")) != NULL) {
		/* "... 5 outputs detected": the number before the needle. */
		const char *q = p - strlen(" outputs detected");
		const char *d = q;

		while (d > line && isdigit((unsigned char)d[-1]))
			d--;
		if (d < q)
			log->outputs = atoi(d);
	}

	if (has(line, n, "WARNING:")) {
		log->warnings++;
		keep_problem(log, line, n);
	} else if (has(line, n, "*ERROR*")) {
		log->errors++;
		keep_problem(log, line, n);
	}
}

void vm_i915_log_parse(const char *text, size_t len, struct vm_i915_log *log)
{
	static const char prefix[] = VM_KMSG_PREFIX;
	const size_t plen = sizeof(prefix) - 1;
	bool prefixed = memmem(text, len, prefix, plen) != NULL;

	memset(log, 0, sizeof(*log));
	log->bdb_version = -1;
	log->outputs = -1;
	for (size_t pos = 0; pos < len;) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		const char *start;

		pos += n + (nl != NULL);
		while (n && (line[n - 1] == '\r'))
			n--;
		if (!prefixed) {
			if (n)
				parse_line(log, line, n);
			continue;
		}
		/* The prefix may follow console noise on the same line. */
		start = memmem(line, n, prefix, plen);
		if (start)
			parse_line(log, start + plen, n - (size_t)(start + plen - line));
	}
}

enum igdpt_probe_i915 vm_i915_verdict(const struct vm_i915_log *log)
{
	if (log->not_supported)
		return IGDPT_PROBE_I915_NO_OPREGION;
	if (log->signature_mismatch)
		return IGDPT_PROBE_I915_SIGNATURE_MISMATCH;
	if (log->vbt_source != IGDPT_VBT_SOURCE_NONE)
		return IGDPT_PROBE_I915_OK;
	if (log->has_version)
		return IGDPT_PROBE_I915_INVALID_VBT;
	return IGDPT_PROBE_I915_NOT_RUN;
}
