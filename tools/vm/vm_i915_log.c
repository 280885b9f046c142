/* SPDX-License-Identifier: MIT */
/* Parses what Linux 6.1 i915 logged about the OpRegion and its VBT, so
 * `igdpt vm --guest linux` can set the real driver's verdict beside igdpt's
 * own probe. The strings are those of drivers/gpu/drm/i915/display/
 * intel_opregion.c and intel_bios.c in 6.1 (checked against the module
 * Debian bookworm ships); a line is matched by substring so the dmesg
 * prefix ("[    4.27] i915 0000:00:02.0: [drm:intel_opregion_setup [i915]] ")
 * does not matter. */
#include "vm_i915_log.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

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
		log->has_opregion_addr = vm_parse_u64(buf, &log->opregion_addr);
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
		log->vbt_source = VM_I915_VBT_MAILBOX4;
	if (has(line, n, "Found valid VBT in ACPI OpRegion (RVDA)"))
		log->vbt_source = VM_I915_VBT_RVDA;
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

const char *vm_i915_vbt_source_name(enum vm_i915_vbt_source s)
{
	switch (s) {
	case VM_I915_VBT_MAILBOX4:
		return "mailbox4";
	case VM_I915_VBT_RVDA:
		return "rvda";
	default:
		return "none";
	}
}

const char *vm_i915_verdict(const struct vm_i915_log *log)
{
	if (log->not_supported)
		return "no-opregion";
	if (log->signature_mismatch)
		return "signature-mismatch";
	if (log->vbt_source != VM_I915_VBT_NONE)
		return "ok";
	if (log->has_version)
		return "invalid-vbt";
	return "unknown";
}

static void add_bool(struct json_object *o, const char *key, bool v)
{
	json_object_object_add(o, key, json_object_new_boolean(v));
}

struct json_object *vm_i915_log_json(const struct vm_i915_log *log)
{
	struct json_object *o = json_object_new_object();
	struct json_object *mb = json_object_new_object();
	struct json_object *ports = json_object_new_array();
	struct json_object *problems = json_object_new_array();
	char buf[40];

	json_object_object_add(o, "driver", json_object_new_string("i915"));
	json_object_object_add(o, "verdict", json_object_new_string(vm_i915_verdict(log)));
	add_bool(o, "loaded", log->loaded);
	if (log->has_opregion_addr) {
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)log->opregion_addr);
		json_object_object_add(o, "opregion_addr", json_object_new_string(buf));
	}
	if (log->has_version) {
		snprintf(buf, sizeof(buf), "%u.%u.%u", log->major, log->minor, log->revision);
		json_object_object_add(o, "version", json_object_new_string(buf));
	}
	add_bool(mb, "public_acpi", log->public_acpi);
	add_bool(mb, "swsci", log->swsci);
	add_bool(mb, "swsci_timeout", log->swsci_timeout);
	add_bool(mb, "swsci_ignored", log->swsci_ignored);
	add_bool(mb, "backlight", log->backlight_mbox);
	add_bool(mb, "asle", log->asle);
	add_bool(mb, "asle_ext", log->asle_ext);
	json_object_object_add(o, "mailboxes", mb);
	json_object_object_add(o, "vbt_source",
			       json_object_new_string(vm_i915_vbt_source_name(log->vbt_source)));
	if (log->vbt_source == VM_I915_VBT_NONE) {
		const char *why = log->not_supported		? "ACPI OpRegion not supported"
				  : log->signature_mismatch	? "opregion signature mismatch"
				  : log->invalid_rvda		? "Invalid VBT in ACPI OpRegion (RVDA)"
				  : log->vbt_bad_signature	? "VBT invalid signature"
				  : log->vbt_incomplete		? "VBT incomplete"
				  : log->invalid_mailbox4	? "Invalid VBT in ACPI OpRegion (Mailbox #4)"
				  : log->vbt_not_found		? "Failed to find VBIOS tables (VBT)"
							: "no OpRegion VBT line";
		json_object_object_add(o, "vbt_reason", json_object_new_string(why));
	}
	if (log->vbt_signature[0])
		json_object_object_add(o, "vbt_signature",
				       json_object_new_string(log->vbt_signature));
	if (log->bdb_version >= 0)
		json_object_object_add(o, "bdb_version", json_object_new_int(log->bdb_version));
	for (unsigned i = 0; i < log->nports; i++) {
		snprintf(buf, sizeof(buf), "%c", log->ports[i]);
		json_object_array_add(ports, json_object_new_string(buf));
	}
	json_object_object_add(o, "vbt_ports", ports);
	json_object_object_add(o, "outputs", json_object_new_int(log->outputs));
	json_object_object_add(o, "warnings", json_object_new_int((int)log->warnings));
	json_object_object_add(o, "errors", json_object_new_int((int)log->errors));
	for (unsigned i = 0; i < log->nproblems; i++)
		json_object_array_add(problems, json_object_new_string(log->problems[i]));
	json_object_object_add(o, "problems", problems);
	return o;
}

bool vm_i915_agrees(const struct vm_i915_log *log, struct json_object *probe, char *why,
		    size_t why_size)
{
	const char *mine = vm_i915_verdict(log);
	const char *src = vm_i915_vbt_source_name(log->vbt_source);
	const char *pv = vm_json_string(probe, "i915.verdict");
	const char *ps = vm_json_string(probe, "i915.vbt_source");

	if (!why_size)
		why = NULL;
	if (!strcmp(mine, "unknown")) {
		if (why)
			snprintf(why, why_size, "i915 logged no OpRegion setup (driver not loaded?)");
		return false;
	}
	if (!pv) {
		if (why)
			snprintf(why, why_size, "igdpt probe gave no i915 verdict");
		return false;
	}
	if (strcmp(pv, mine)) {
		if (why)
			snprintf(why, why_size, "igdpt probe predicts i915 \"%s\", i915 did \"%s\"", pv,
				 mine);
		return false;
	}
	/* The VBT source matters only when a VBT was found. */
	if (!strcmp(mine, "ok") && (!ps || strcmp(ps, src))) {
		if (why)
			snprintf(why, why_size, "igdpt probe predicts the VBT from %s, i915 took %s",
				 ps ? ps : "(none given)", src);
		return false;
	}
	if (why)
		snprintf(why, why_size, "both \"%s\"%s%s", mine, !strcmp(mine, "ok") ? ", VBT from " : "",
			 !strcmp(mine, "ok") ? src : "");
	return true;
}
