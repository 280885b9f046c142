/* SPDX-License-Identifier: MIT */
/* Parses what Linux i915 logged about the OpRegion and its VBT, so
 * `igdpt vm --guest linux` can set the real driver's verdict beside igdpt's
 * own probe. The strings are those of drivers/gpu/drm/i915/display/
 * intel_opregion.c and intel_bios.c, alike in 6.1 and 6.12 (checked against
 * the modules Debian bookworm and trixie ship; tests/vm/i915-logs/ holds
 * real excerpts of both); a line is matched by substring so the dmesg
 * prefix ("[    4.27] i915 0000:00:02.0: [drm:intel_opregion_setup [i915]] ")
 * does not matter.
 *
 * The VBT sources are recorded in the order i915 tries them. A reason line
 * of intel_bios_is_valid_vbt ("VBT invalid signature", "VBT incomplete
 * (vbt_size overflows)", ...) comes before the "Invalid VBT in ..." line it
 * explains. The PCI ROM leaves no i915 line of its own when it holds nothing
 * (at most the PCI core's "Invalid PCI ROM ..."), so it is recorded when
 * i915 moves past it: "Failed to find VBIOS tables (VBT)", after which i915
 * generates a default VBT. */
#include "vm_log_i915.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_util.h"

/* intel_bios_is_valid_vbt's reasons (and oprom_get_vbt's, which are alike). */
static const char *const vbt_reasons[] = {
	"VBT header incomplete", "VBT invalid signature", "VBT incomplete (vbt_size overflows)",
	"BDB header incomplete", "BDB incomplete",
};

/* WARNING / *ERROR* lines the OpRegion explains: the *ERROR* line itself,
 * or the message drm_WARN prints on the line before its "WARNING:" (then
 * warn_site names the function the WARNING is in). */
static const struct {
	const char *message;
	const char *warn_site;
	const char *because;
} explained_lines[] = {
	/* intel_opregion_setup: a 3.x OpRegion with MBOX bit 1 set. */
	{ "SWSCI Mailbox #2 present for opregion v3.x, ignoring", NULL,
	  "the OpRegion is 3.x and announces the SWSCI mailbox, which i915 ignores there" },
	/* 6.12 intel_ddi_init -> assert_port_valid, for each VBT port; checked
	 * against the VBT's ports below. */
	{ "Platform does not support port ", "assert_port_valid", NULL },
};

/* What one line leaves for the next: a VBT reason, a PCI ROM line, an
 * explanation waiting for its WARNING. */
struct parse_state {
	char reason[VM_I915_REASON];
	char rom_reason[VM_I915_REASON];
	char because[VM_I915_BECAUSE];
	const char *warn_site;
};

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

/* Copies n bytes of printable text (others as '?'), NUL-terminated. */
static void copy_text(char *dst, size_t size, const char *src, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < size; i++)
		dst[o++] = isprint((unsigned char)src[i]) ? src[i] : '?';
	dst[o] = 0;
}

/* Drops the "[    5.12] " timestamp: the text is what matters. */
static void skip_timestamp(const char **line, size_t *n)
{
	const char *close;

	if (!*n || **line != '[' || !(close = memchr(*line, ']', *n)))
		return;
	*n -= (size_t)(close - *line) + 1;
	*line = close + 1;
	while (*n && **line == ' ') {
		(*line)++;
		(*n)--;
	}
}

/* i915's message without the prefixes: after "[drm:func [i915]] ", else
 * after the device name ("i915 0000:00:02.0: ") and a "[drm] ". */
static void message_of(const char *line, size_t n, char *out, size_t size)
{
	const char *p;

	skip_timestamp(&line, &n);
	if ((p = memmem(line, n, "]] ", 3)) != NULL) {
		n -= (size_t)(p + 3 - line);
		line = p + 3;
	} else {
		if (n > 5 && !memcmp(line, "i915 ", 5) && (p = memmem(line, n, ": ", 2)) != NULL) {
			n -= (size_t)(p + 2 - line);
			line = p + 2;
		}
		if (n > 6 && !memcmp(line, "[drm] ", 6)) {
			line += 6;
			n -= 6;
		}
	}
	copy_text(out, size, line, n);
}

static void add_try(struct vm_i915_log *log, enum vm_i915_vbt_source source,
		    enum vm_i915_vbt_result result, const char *reason)
{
	struct vm_i915_vbt_try *t;

	if (log->ntries >= VM_I915_TRIES)
		return;
	t = &log->tries[log->ntries++];
	t->source = source;
	t->result = result;
	snprintf(t->reason, sizeof(t->reason), "%s", reason ? reason : "");
}

static bool tried(const struct vm_i915_log *log, enum vm_i915_vbt_source source)
{
	for (unsigned i = 0; i < log->ntries; i++)
		if (log->tries[i].source == source)
			return true;
	return false;
}

/* An OpRegion, firmware, SPI or ROM VBT line: "Found valid VBT in X" or
 * "Invalid VBT in X". */
static void vbt_lines(struct vm_i915_log *log, struct parse_state *st, const char *line,
		      size_t n)
{
	static const struct {
		const char *valid, *invalid;
		enum vm_i915_vbt_source source;
	} where[] = {
		{ "Found valid VBT in ACPI OpRegion (Mailbox #4)",
		  "Invalid VBT in ACPI OpRegion (Mailbox #4)", VM_I915_VBT_MAILBOX4 },
		{ "Found valid VBT in ACPI OpRegion (RVDA)", "Invalid VBT in ACPI OpRegion (RVDA)",
		  VM_I915_VBT_RVDA },
		{ "Found valid VBT firmware", "Invalid VBT firmware", VM_I915_VBT_FIRMWARE },
		{ "Found valid VBT in SPI flash", NULL, VM_I915_VBT_SPI },
		{ "Found valid VBT in PCI ROM", NULL, VM_I915_VBT_PCI_ROM },
	};

	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		if (has(line, n, where[i].valid)) {
			add_try(log, where[i].source, VM_I915_TRY_VALID, NULL);
			log->vbt_source = where[i].source;
			st->reason[0] = 0;
			return;
		}
		if (where[i].invalid && has(line, n, where[i].invalid)) {
			add_try(log, where[i].source, VM_I915_TRY_INVALID, st->reason);
			st->reason[0] = 0;
			return;
		}
	}
	for (size_t i = 0; i < sizeof(vbt_reasons) / sizeof(vbt_reasons[0]); i++) {
		if (has(line, n, vbt_reasons[i])) {
			message_of(line, n, st->reason, sizeof(st->reason));
			return;
		}
	}
	/* drivers/pci/rom.c when the ROM BAR holds no valid image. */
	if (has(line, n, "PCI ROM") && !has(line, n, "VBT")) {
		message_of(line, n, st->rom_reason, sizeof(st->rom_reason));
		return;
	}
	if (has(line, n, "Failed to find VBIOS tables (VBT)")) {
		/* i915 tried the PCI ROM last; a VBT reason line not yet
		 * claimed by an "Invalid VBT" line was the ROM's own VBT. */
		if (!tried(log, VM_I915_VBT_PCI_ROM))
			add_try(log, VM_I915_VBT_PCI_ROM, VM_I915_TRY_NONE,
				st->reason[0] ? st->reason : st->rom_reason);
		add_try(log, VM_I915_VBT_DEFAULT, VM_I915_TRY_GENERATED,
			"Failed to find VBIOS tables (VBT)");
		st->reason[0] = st->rom_reason[0] = 0;
	}
}

/* Is the VBT's port letter among the "Port X VBT info" lines? */
static bool vbt_has_port(const struct vm_i915_log *log, char port)
{
	return memchr(log->ports, port, log->nports) != NULL;
}

/* Does this *ERROR* line, or the message before a WARNING, come from the
 * OpRegion? Leaves the explanation for the WARNING in st. */
static const char *explain(const struct vm_i915_log *log, struct parse_state *st,
			   const char *line, size_t n)
{
	for (size_t i = 0; i < sizeof(explained_lines) / sizeof(explained_lines[0]); i++) {
		const char *p = after(line, n, explained_lines[i].message);

		if (!p)
			continue;
		if (!explained_lines[i].warn_site)
			return explained_lines[i].because;
		/* "Platform does not support port C" */
		if (p < line + n && vbt_has_port(log, *p)) {
			snprintf(st->because, sizeof(st->because),
				 "the VBT lists port %c, which this platform lacks", *p);
			st->warn_site = explained_lines[i].warn_site;
		}
	}
	return NULL;
}

static void keep_problem(struct vm_i915_log *log, const char *line, size_t n, const char *because)
{
	struct vm_i915_problem *pr;

	if (log->nproblems >= VM_I915_PROBLEMS)
		return;
	pr = &log->problems[log->nproblems++];
	skip_timestamp(&line, &n);
	copy_text(pr->line, sizeof(pr->line), line, n);
	snprintf(pr->because, sizeof(pr->because), "%s", because ? because : "");
}

static void problem_lines(struct vm_i915_log *log, struct parse_state *st, const char *line,
			  size_t n)
{
	bool warning = has(line, n, "WARNING:"), error = !warning && has(line, n, "*ERROR*");
	const char *because = NULL;

	if (warning) {
		log->warnings++;
		if (st->warn_site && has(line, n, st->warn_site))
			because = st->because;
	} else if (error) {
		log->errors++;
		because = explain(log, st, line, n);
	} else {
		/* A possible drm_WARN message: it stands for the next line only. */
		st->warn_site = NULL;
		explain(log, st, line, n);
		return;
	}
	st->warn_site = NULL;
	if (because)
		log->explained++;
	keep_problem(log, line, n, because);
}

static void parse_line(struct vm_i915_log *log, struct parse_state *st, const char *line,
		       size_t n)
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
		log->has_opregion_addr =
			tool_parse_u64(buf, UINT64_MAX, &log->opregion_addr) == 0;
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

	vbt_lines(log, st, line, n);
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
	problem_lines(log, st, line, n);
}

void vm_i915_log_parse(const char *text, size_t len, struct vm_i915_log *log)
{
	static const char prefix[] = VM_KMSG_PREFIX;
	const size_t plen = sizeof(prefix) - 1;
	bool prefixed = memmem(text, len, prefix, plen) != NULL;
	struct parse_state st = { .warn_site = NULL };

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
				parse_line(log, &st, line, n);
			continue;
		}
		/* The prefix may follow console noise on the same line. */
		start = memmem(line, n, prefix, plen);
		if (start)
			parse_line(log, &st, start + plen, n - (size_t)(start + plen - line));
	}
}

const char *vm_i915_vbt_source_name(enum vm_i915_vbt_source s)
{
	switch (s) {
	case VM_I915_VBT_MAILBOX4:
		return igdpt_probe_vbt_source_name(IGDPT_VBT_SOURCE_MAILBOX4);
	case VM_I915_VBT_RVDA:
		return igdpt_probe_vbt_source_name(IGDPT_VBT_SOURCE_RVDA);
	case VM_I915_VBT_FIRMWARE:
		return "firmware";
	case VM_I915_VBT_SPI:
		return "spi";
	case VM_I915_VBT_PCI_ROM:
		return "pci-rom";
	case VM_I915_VBT_DEFAULT:
		return "default";
	default:
		return "none";
	}
}

/* The source as i915's own lines name it. */
static const char *source_label(enum vm_i915_vbt_source s)
{
	switch (s) {
	case VM_I915_VBT_MAILBOX4:
		return "Mailbox #4";
	case VM_I915_VBT_RVDA:
		return "RVDA";
	case VM_I915_VBT_FIRMWARE:
		return "VBT firmware";
	case VM_I915_VBT_SPI:
		return "SPI flash";
	case VM_I915_VBT_PCI_ROM:
		return "PCI ROM";
	case VM_I915_VBT_DEFAULT:
		return "default VBT";
	default:
		return "?";
	}
}

const char *vm_i915_vbt_result_name(enum vm_i915_vbt_result r)
{
	switch (r) {
	case VM_I915_TRY_VALID:
		return "valid";
	case VM_I915_TRY_INVALID:
		return "invalid";
	case VM_I915_TRY_NONE:
		return "none";
	default:
		return "generated";
	}
}

bool vm_i915_vbt_in_opregion(enum vm_i915_vbt_source s)
{
	return s == VM_I915_VBT_MAILBOX4 || s == VM_I915_VBT_RVDA;
}

enum igdpt_probe_i915 vm_i915_verdict(const struct vm_i915_log *log)
{
	if (log->not_supported)
		return IGDPT_PROBE_I915_NO_OPREGION;
	if (log->signature_mismatch)
		return IGDPT_PROBE_I915_SIGNATURE_MISMATCH;
	if (vm_i915_vbt_in_opregion(log->vbt_source))
		return IGDPT_PROBE_I915_OK;
	if (log->has_version)
		return IGDPT_PROBE_I915_INVALID_VBT;
	return IGDPT_PROBE_I915_NOT_RUN;
}

unsigned vm_i915_unexplained(const struct vm_i915_log *log)
{
	return log->warnings + log->errors - log->explained;
}

const char *vm_i915_first_unexplained(const struct vm_i915_log *log)
{
	for (unsigned i = 0; i < log->nproblems; i++)
		if (!log->problems[i].because[0])
			return log->problems[i].line;
	return NULL;
}

/* Appends to out at *o; stops quietly when full. */
static void append(char *out, size_t size, size_t *o, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *out, size_t size, size_t *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*o >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(out + *o, size - *o, fmt, ap);
	va_end(ap);
	if (n > 0)
		*o = (size_t)n < size - *o ? *o + (size_t)n : size - 1;
}

void vm_i915_vbt_story(const struct vm_i915_log *log, char *out, size_t size)
{
	size_t o = 0;

	if (!size)
		return;
	out[0] = 0;
	if (log->not_supported)
		append(out, size, &o, "no OpRegion (ACPI OpRegion not supported!)");
	else if (log->signature_mismatch)
		append(out, size, &o, "OpRegion rejected (opregion signature mismatch)");
	for (unsigned i = 0; i < log->ntries; i++) {
		const struct vm_i915_vbt_try *t = &log->tries[i];

		append(out, size, &o, "%s%s", o ? ", then " : "", source_label(t->source));
		if (t->source != VM_I915_VBT_DEFAULT)
			append(out, size, &o, " %s", vm_i915_vbt_result_name(t->result));
		if (t->reason[0])
			append(out, size, &o, " (%s)", t->reason);
	}
	if (!o)
		append(out, size, &o, "no VBT line");
}
