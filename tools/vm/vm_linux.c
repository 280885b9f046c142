/* SPDX-License-Identifier: MIT */
/* The Linux guest's part of `igdpt vm`: i915's verdict beside igdpt probe's,
 * and the OpRegion fields the driver wrote, as two extra stage lines.
 *
 * Why the copy is judged at the ASLS write: a real i915 sets DRDY, CHPD,
 * the display lists and ARDY in its copy after setup, so the copy at exit
 * differs from the published image by design. What must hold is that the
 * firmware's copy was byte-for-byte the image when the guest got it (the
 * device compares at the ASLS write) and that the driver touched only
 * mailbox fields a driver owns. */
#include "vm_linux.h"

#include <stdarg.h>
#include <string.h>

/* scripts/fetch-guest-kernel fetches each by the same name. */
static const struct vm_linux_kernel kernels[] = {
	{ "bookworm", "Linux 6.1 (Debian 12 bookworm)" },
	{ "trixie", "Linux 6.12 (Debian 13 trixie)" },
};

const struct vm_linux_kernel *vm_linux_kernel_find(const char *name)
{
	for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++)
		if (!strcmp(kernels[i].name, name))
			return &kernels[i];
	return NULL;
}

void vm_linux_kernel_names(char *out, size_t size)
{
	size_t o = 0;

	if (!size)
		return;
	out[0] = 0;
	for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++) {
		int n = snprintf(out + o, size - o, "%s%s", i ? "|" : "", kernels[i].name);

		if (n < 0 || (size_t)n >= size - o)
			return;
		o += (size_t)n;
	}
}

void vm_linux_paths(const char *kernel, const char *installed_dir, struct vm_linux_paths *p)
{
	snprintf(p->kernel_rel, sizeof(p->kernel_rel), "%s/%s/%s", VM_LINUX_GUEST_DIR, kernel,
		 VM_LINUX_KERNEL_FILE);
	snprintf(p->initrd_rel, sizeof(p->initrd_rel), "%s/%s/%s", VM_LINUX_GUEST_DIR, kernel,
		 VM_LINUX_INITRD_FILE);
	snprintf(p->kernel_installed, sizeof(p->kernel_installed), "%s/%s", installed_dir,
		 p->kernel_rel);
	snprintf(p->initrd_installed, sizeof(p->initrd_installed), "%s/%s", installed_dir,
		 p->initrd_rel);
}

static const char stage_agree[] = "i915 agrees with igdpt probe";
static const char stage_writes[] = "guest driver writes";

static void set(struct vm_linux_stage *s, enum vm_stage_state state, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set(struct vm_linux_stage *s, enum vm_stage_state state, const char *fmt, ...)
{
	va_list ap;

	s->state = state;
	va_start(ap, fmt);
	vsnprintf(s->detail, sizeof(s->detail), fmt, ap);
	va_end(ap);
}

/* The last "final" event of the device log. */
static struct json_object *final_event(const char *text, size_t len)
{
	static const char final_key[] = "\"final\"";
	struct json_object *found = NULL;

	for (size_t pos = 0; pos < len;) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		struct json_tokener *tok;
		struct json_object *obj, *ev;

		pos += n + (nl != NULL);
		if (!memmem(line, n, final_key, sizeof(final_key) - 1))
			continue;
		tok = json_tokener_new();
		if (!tok)
			break;
		obj = json_tokener_parse_ex(tok, line, (int)n);
		json_tokener_free(tok);
		if (obj && json_object_object_get_ex(obj, "event", &ev) &&
		    !strcmp(json_object_get_string(ev), "final")) {
			json_object_put(found);
			found = obj;
		} else {
			json_object_put(obj);
		}
	}
	return found;
}

void vm_linux_collect(struct vm_linux_result *lr, const char *serial, size_t serial_len,
		      const char *device_log, size_t device_log_len)
{
	struct json_object *final, *writes;

	memset(lr, 0, sizeof(*lr));
	vm_i915_log_parse(serial, serial_len, &lr->i915);
	final = final_event(device_log, device_log_len);
	if (!final)
		return;
	lr->final_seen = true;
	if (json_object_object_get_ex(final, "opregion_writes", &writes) &&
	    json_object_is_type(writes, json_type_array)) {
		size_t o = 0;

		lr->writes = json_object_get(writes);
		lr->nwrites = (unsigned)json_object_array_length(writes);
		for (unsigned i = 0; i < lr->nwrites; i++) {
			struct json_object *w = json_object_array_get_idx(writes, i), *f;
			const char *name = json_object_object_get_ex(w, "field", &f)
						   ? json_object_get_string(f)
						   : "?";
			int k;

			if (!strcmp(name, "unnamed"))
				lr->unnamed++;
			k = snprintf(lr->write_names + o, sizeof(lr->write_names) - o, "%s%s",
				     i ? ", " : "", name);
			if (k > 0 && (size_t)k < sizeof(lr->write_names) - o)
				o += (size_t)k;
		}
	}
	json_object_put(final);
}

static void judge_copy(struct vm_linux_result *lr, struct vm_report *r,
		       const struct vm_device_log *dev, bool expect_opregion)
{
	if (!expect_opregion || !dev->final || strcmp(dev->final_guest_copy, "differs"))
		return; /* vm_report_judge's verdict stands */
	if (!dev->asls_writes || strcmp(dev->asls_guest_copy, "identical")) {
		vm_report_set(r, VM_STAGE_COPY, VM_STATE_FAIL,
			      "at the ASLS write the device found the guest copy %s%s",
			      dev->asls_guest_copy[0] ? dev->asls_guest_copy : "unchecked",
			      dev->asls_has_differs_at ? " (see differs_at)" : "");
		return;
	}
	if (lr->unnamed) {
		vm_report_set(r, VM_STAGE_COPY, VM_STATE_FAIL,
			      "identical at the ASLS write, but at exit %u byte range%s outside the "
			      "driver's mailbox fields changed: %s",
			      lr->unnamed, lr->unnamed == 1 ? "" : "s", lr->write_names);
		return;
	}
	vm_report_set(r, VM_STAGE_COPY, VM_STATE_OK,
		      "identical at the ASLS write (0x%08llx); at exit the driver's writes only "
		      "(%s)",
		      (unsigned long long)dev->asls_value,
		      lr->nwrites ? lr->write_names : "not decoded");
}

/* The first line the OpRegion explains, with the reason. */
static const char *explained_first(const struct vm_i915_log *log)
{
	for (unsigned i = 0; i < log->nproblems; i++)
		if (log->problems[i].because[0])
			return log->problems[i].because;
	return "(beyond the lines kept)";
}

void vm_linux_judge(struct vm_linux_result *lr, struct vm_report *r,
		    const struct vm_device_log *dev, struct json_object *probe,
		    bool expect_opregion)
{
	const struct vm_i915_log *log = &lr->i915;
	char why[320];

	judge_copy(lr, r, dev, expect_opregion);

	if (!log->kernel_started)
		set(&lr->agree, VM_STATE_FAIL, "no kernel log on the serial console");
	else if (!probe)
		set(&lr->agree, VM_STATE_FAIL, "igdpt probe printed no verdict; i915 said %s",
		    vm_i915_verdict(log));
	else if (!vm_i915_agrees(log, probe, why, sizeof(why)))
		set(&lr->agree, VM_STATE_FAIL, "%s", why);
	else if (vm_i915_unexplained(log))
		set(&lr->agree, VM_STATE_FAIL, "%s, but i915 logged %u WARNING / *ERROR* line(s) the "
		    "OpRegion does not explain, first: %s", why, vm_i915_unexplained(log),
		    vm_i915_first_unexplained(log) ? vm_i915_first_unexplained(log)
						     : "(beyond the lines kept)");
	else if (!strcmp(vm_i915_verdict(log), "ok"))
		set(&lr->agree, VM_STATE_OK, "%s (OpRegion %u.%u.%u at 0x%llx, BDB %d, %u VBT "
		    "port(s), %d output(s))%s%s", why, log->major, log->minor, log->revision,
		    (unsigned long long)log->opregion_addr, log->bdb_version, log->nports,
		    log->outputs, log->explained ? "; the OpRegion explains what i915 logged: " : "",
		    log->explained ? explained_first(log) : "");
	else {
		char story[VM_I915_TRIES * (VM_I915_REASON + 40)];

		vm_i915_vbt_story(log, story, sizeof(story));
		set(&lr->agree, VM_STATE_OK, "%s: %s%s%s", why, story,
		    log->explained ? "; the OpRegion explains what i915 logged: " : "",
		    log->explained ? explained_first(log) : "");
	}

	if (!expect_opregion)
		set(&lr->writes_stage, VM_STATE_SKIPPED, "no OpRegion published");
	else if (!lr->final_seen)
		set(&lr->writes_stage, VM_STATE_FAIL, "the device wrote no final event");
	else if (lr->unnamed)
		set(&lr->writes_stage, VM_STATE_FAIL, "outside the driver's fields: %s",
		    lr->write_names);
	else if (lr->nwrites)
		set(&lr->writes_stage, VM_STATE_OK, "%s (guest copy private, host image untouched)",
		    lr->write_names);
	else
		set(&lr->writes_stage, VM_STATE_OK, "none: the guest copy at exit is the published "
		    "image");
}

bool vm_linux_passed(const struct vm_linux_result *lr)
{
	return (lr->agree.state == VM_STATE_OK || lr->agree.state == VM_STATE_SKIPPED) &&
	       (lr->writes_stage.state == VM_STATE_OK ||
		lr->writes_stage.state == VM_STATE_SKIPPED);
}

static const char *tag(enum vm_stage_state s)
{
	return s == VM_STATE_OK ? "[ ok ]" : s == VM_STATE_FAIL ? "[FAIL]"
					   : s == VM_STATE_SKIPPED ? "[skip]" : "[ -- ]";
}

static const char *state_name(enum vm_stage_state s)
{
	return s == VM_STATE_OK ? "ok" : s == VM_STATE_FAIL ? "fail"
				       : s == VM_STATE_SKIPPED ? "skipped" : "not-run";
}

void vm_linux_print(FILE *out, const struct vm_linux_result *lr)
{
	fprintf(out, "%s %-21s %s\n", tag(lr->agree.state), stage_agree,
		lr->agree.detail[0] ? lr->agree.detail : "not run");
	fprintf(out, "%s %-21s %s\n", tag(lr->writes_stage.state), stage_writes,
		lr->writes_stage.detail[0] ? lr->writes_stage.detail : "not run");
}

static void add_stage(struct json_object *arr, const char *name, const struct vm_linux_stage *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "ok", json_object_new_boolean(s->state == VM_STATE_OK ||
								 s->state == VM_STATE_SKIPPED));
	json_object_object_add(o, "state", json_object_new_string(state_name(s->state)));
	json_object_object_add(o, "detail",
			       json_object_new_string(s->detail[0] ? s->detail : "not run"));
	json_object_array_add(arr, o);
}

void vm_linux_stages_json(struct json_object *stages, const struct vm_linux_result *lr)
{
	add_stage(stages, stage_agree, &lr->agree);
	add_stage(stages, stage_writes, &lr->writes_stage);
}

struct json_object *vm_linux_guest_driver_json(const struct vm_linux_result *lr)
{
	struct json_object *o = vm_i915_log_json(&lr->i915);

	json_object_object_add(o, "opregion_writes",
			       lr->writes ? json_object_get(lr->writes) : json_object_new_array());
	return o;
}

void vm_linux_result_free(struct vm_linux_result *lr)
{
	json_object_put(lr->writes);
	lr->writes = NULL;
}
